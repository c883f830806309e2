//! Import benchmark: a generated landscape in the real shape of a big landscape2 file
//! (15 categories, 80 subcategories, 2,400 items with logos, Crunchbase organisations,
//! project statuses, integrations and second paths), imported into a map, then checked.
//!
//! Run: `cargo bench --bench landscape` prints the medians of the import (read, convert,
//! write, copy the logos) and of `check` on the result. `cargo bench --bench landscape --
//! --write DIR` only writes the landscape (`DIR/landscape.yml` and `DIR/hosted_logos/`),
//! to time the real command on it: `chainmap import landscape DIR/landscape.yml OUT`.
//! `CHAINMAP_BENCH_ITEMS=N` changes the number of items.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

const CATEGORIES: usize = 15;
const SUBCATEGORIES: usize = 80;
const RUNS: usize = 7;

/// A small deterministic random number generator (a 64-bit LCG): the same landscape
/// every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

/// Writes `landscape.yml` and `hosted_logos/` into `dir`.
fn write_landscape(dir: &Path, items: usize) {
    let mut rng = Lcg(7);
    let logos = dir.join("hosted_logos");
    std::fs::create_dir_all(&logos).expect("creates the logo folder");
    let item_name = |i: usize| format!("Project {i:04}");
    let mut text = String::from(
        "# A generated landscape in the shape of a big landscape2 file.\nlandscape:\n",
    );
    let mut item = 0;
    for c in 0..CATEGORIES {
        writeln!(
            text,
            "  - category:\n    name: Category {c}\n    subcategories:"
        )
        .ok();
        let subs = SUBCATEGORIES / CATEGORIES + usize::from(c < SUBCATEGORIES % CATEGORIES);
        for s in 0..subs {
            writeln!(
                text,
                "      - subcategory:\n        name: Subcategory {c}.{s}\n        items:"
            )
            .ok();
            let total_subs = SUBCATEGORIES;
            let per = items / total_subs + usize::from(item % total_subs < items % total_subs);
            for _ in 0..per {
                if item >= items {
                    break;
                }
                let name = item_name(item);
                let logo = format!("project-{item:04}.svg");
                std::fs::write(
                    logos.join(&logo),
                    format!(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"{}\"/></svg>\n",
                        1 + item % 4
                    ),
                )
                .expect("writes a logo");
                writeln!(
                    text,
                    "          - item:\n            name: {name}\n            homepage_url: https://project-{item}.example.org/\n            logo: {logo}\n            description: Project {item} does one thing of category {c} well, for teams that run it at scale.\n            repo_url: https://github.com/example/project-{item}\n            crunchbase: https://www.crunchbase.com/organization/org-{}",
                    rng.next(600)
                )
                .ok();
                if rng.next(10) == 0 {
                    let status = ["graduated", "incubating", "sandbox"][rng.next(3)];
                    writeln!(text, "            project: {status}").ok();
                }
                if rng.next(8) == 0 {
                    writeln!(
                        text,
                        "            second_path:\n              - Category {} / Subcategory {}.0",
                        rng.next(CATEGORIES),
                        rng.next(CATEGORIES)
                    )
                    .ok();
                }
                if rng.next(4) == 0 {
                    let others: Vec<String> = (0..1 + rng.next(3))
                        .map(|_| item_name(rng.next(items)))
                        .collect();
                    writeln!(
                        text,
                        "            extra:\n              summary_integrations: \"{}\"\n              slack_url: https://slack.example/{item}",
                        others.join(", ")
                    )
                    .ok();
                }
                item += 1;
            }
        }
    }
    std::fs::write(dir.join("landscape.yml"), text).expect("writes the landscape");
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let items: usize = std::env::var("CHAINMAP_BENCH_ITEMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_400);
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = args.get(i + 1).expect("--write DIR");
        write_landscape(Path::new(dir), items);
        println!("wrote a landscape of {items} items to {dir}");
        return;
    }
    let work = tempfile::tempdir().expect("a temporary folder");
    write_landscape(work.path(), items);
    let file = work.path().join("landscape.yml");
    let mut import_ms = Vec::new();
    let mut check_ms = Vec::new();
    let mut nodes = 0;
    for run in 0..RUNS {
        let out = work.path().join(format!("map-{run}"));
        let started = Instant::now();
        let imported = chainmap::io::landscape::import(&file, &[]).expect("imports");
        chainmap::io::folder::write_new_map(&out, imported.files, &imported.assets)
            .expect("writes");
        import_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let loaded = chainmap::io::load(&out).expect("loads");
        check_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(loaded.error_count(), 0, "{:?}", loaded.diagnostics.first());
        nodes = loaded.map.nodes.len();
    }
    println!(
        "landscape of {items} items → {nodes} nodes: import {:.0} ms, check {:.0} ms (medians of {RUNS})",
        median(import_ms),
        median(check_ms)
    );
}
