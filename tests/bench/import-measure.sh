#!/bin/sh
# Times each import of the inputs `cargo bench --bench import_inputs -- DIR` wrote:
# RUNS runs apiece (default 9) with /usr/bin/time -v, each into a new folder, and prints
# the median and 90th percentile of the wall time and of the peak memory.
#
#   cargo build --release
#   cargo bench --bench import_inputs -- /tmp/inputs
#   tests/bench/import-measure.sh /tmp/inputs [RUNS]
#
# The maps are written in a new folder under $TMPDIR (default /tmp): TMPDIR=/dev/shm
# takes the disk out of the measure.
set -eu
dir=$1
runs=${2:-9}
bin=${CHAINMAP:-target/release/chainmap}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The median and the 90th percentile (nearest rank) of the numbers on standard input.
stats() {
    sort -n | awk '{ v[NR] = $1 } END {
        m = int((NR + 1) / 2); p = int(0.9 * NR + 0.999999); if (p < 1) p = 1
        printf "%s %s", v[m], v[p] }'
}

measure() {
    label=$1; shift
    : > "$work/times"; : > "$work/memory"
    i=0
    while [ "$i" -lt "$runs" ]; do
        rm -rf "$work/out"
        /usr/bin/time -v "$bin" "$@" "$work/out" > /dev/null 2> "$work/log" || true
        sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/log" |
            awk -F: '{ s = 0; for (k = 1; k <= NF; k++) s = s * 60 + $k; print s }' >> "$work/times"
        sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/log" |
            awk '{ printf "%.0f\n", $1 / 1024 }' >> "$work/memory"
        i=$((i + 1))
    done
    set -- $(stats < "$work/times") $(stats < "$work/memory")
    printf '| %s | %s s | %s s | %s MiB | %s MiB |\n' "$label" "$1" "$2" "$3" "$4"
}

echo "| input | time, median | time, 90th pct | peak memory, median | peak memory, 90th pct |"
echo "|---|---:|---:|---:|---:|"
for n in 1000 4000 16000; do
    measure "import landscape, $n one-item categories" import landscape "$dir/categories-$n.yml"
    measure "import landscape, $n items named A" import landscape "$dir/same-name-$n.yml"
done
for n in 30000 1000000; do
    measure "import csv, $n rows with a bad kind" import csv "$dir/bad-rows-$n"
done
measure "import csv, 80,000 unknown columns" import csv "$dir/unknown-columns-80000"
measure "import csv, 4,000 tiers" import csv "$dir/tiers-4000"
