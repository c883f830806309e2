//! The command palette's search per keystroke (issue 22: any node of a 20,000-node map
//! found within one frame of typing, ≤ 4 ms a keystroke): on generated maps, the index
//! built once, then 50 node names (every 400th node) typed a character at a time, each
//! prefix searched as the palette does, with the recent picks it would have.
//!
//! Run: `cargo bench --bench palette` (`CHAINMAP_BENCH_SIZES=2000,20000` picks sizes).

mod util;

use chainmap::model::generate::generate;
use chainmap::ui::palette::{PaletteIndex, PaletteItem, remember};
use std::time::Instant;

const NAMES: usize = 50;

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len() as f64 - 1.0) * p).round() as usize;
    values.get(i).copied().unwrap_or(f64::NAN)
}

fn main() {
    println!(
        "| nodes | entries | index built once | keystroke (median / p90 / max) | keystrokes | typed names found first |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for n in util::sizes(&[2_000, 20_000]) {
        let map = generate(n, 1);
        let started = Instant::now();
        let index = PaletteIndex::of(&map, &[]);
        let built = started.elapsed().as_secs_f64() * 1000.0;
        let mut recent = Vec::new();
        let mut times = Vec::new();
        let mut found_first = 0;
        let step = (map.nodes.len() / NAMES).max(1);
        for node in map.nodes.iter().step_by(step).take(NAMES) {
            let mut typed = String::new();
            let mut last = Vec::new();
            for c in node.name.chars() {
                typed.push(c);
                let started = Instant::now();
                last = index.search(&typed, &recent);
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            let wanted = PaletteItem::Node(node.id.clone());
            if last.first().and_then(|&i| index.item(i)) == Some(&wanted) {
                found_first += 1;
            }
            remember(&mut recent, wanted);
        }
        let count = times.len();
        println!(
            "| {n} | {} | {built:.1} ms | {:.2} / {:.2} / {:.2} ms | {count} | {found_first} of {} |",
            index.len(),
            percentile(&mut times, 0.5),
            percentile(&mut times, 0.9),
            percentile(&mut times, 1.0),
            map.nodes.iter().step_by(step).take(NAMES).count(),
        );
    }
}
