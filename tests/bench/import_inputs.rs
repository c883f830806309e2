//! Hostile inputs for the importers, to a size (issue 23): landscapes of many one-item
//! categories or of many items of one name, and tables of many bad rows, many unknown
//! columns or many tiers. Each once cost the square of its size; the README's table gives
//! what they cost now.
//!
//! Run: `cargo bench --bench import_inputs -- DIR` writes them into DIR (about 45 MB);
//! `tests/bench/import-measure.sh DIR` then times each import with `/usr/bin/time -v`.

#[path = "../common/inputs.rs"]
mod inputs;

use std::path::Path;

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("creates the folder");
    }
    std::fs::write(path, text).expect("writes the input");
    println!("{} ({} bytes)", path.display(), text.len());
}

fn main() {
    // `cargo bench` passes `--bench`; the folder is the first other argument.
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench import_inputs -- DIR");
        std::process::exit(2);
    };
    let dir = Path::new(&dir);
    for n in [1000, 4000, 16_000] {
        write(
            &dir.join(format!("categories-{n}.yml")),
            &inputs::landscape_categories(n),
        );
        write(
            &dir.join(format!("same-name-{n}.yml")),
            &inputs::landscape_same_name(n),
        );
    }
    for n in [30_000, 1_000_000] {
        write(
            &dir.join(format!("bad-rows-{n}/nodes.csv")),
            &inputs::nodes_bad_kind(n),
        );
    }
    write(
        &dir.join("unknown-columns-80000/nodes.csv"),
        &inputs::nodes_unknown_columns(80_000),
    );
    write(
        &dir.join("tiers-4000/nodes.csv"),
        &inputs::nodes_in_tiers(4000),
    );
}
