//! Layout benchmark: chainmap against Graphviz `dot` on the same generated maps.
//!
//! For each size: generate the map (`chainmap generate`'s generator), write it as a folder,
//! load and validate it (`load_ms`), lay it out (`layout_ms`, the median of several runs),
//! count crossings, and measure stability (how far the other nodes move when one node and
//! a link are added: see below). Then, when `dot` is installed, export the same map with
//! `--format dot` and run `dot -Tplain` on it: its time, its own crossing count, and the
//! crossings counted from its drawing.
//!
//! Crossings are counted *as drawn*, the same way for both: every route (chainmap's points,
//! dot's spline control points) as a polyline, and every point where two of them cross
//! (not where they meet at a node). Then three dense maps: 100,000 links among 800 nodes,
//! 40,000 nodes in one segment, and 300 tiers with long links.
//!
//! Then the stability measures of issue 19 (see `stability.rs`): one node and link added
//! (at 20 random places; medians and 90th percentiles) with the earlier layout and from
//! scratch, a new page shape with the earlier layout, the time of a layout with the earlier
//! layout; and the crossings after 50 successive single-node edits with priors against a
//! fresh layout of the final map.
//!
//! Run: `cargo bench --bench layout`. Environment:
//! `CHAINMAP_BENCH_SIZES=100,500,2000` picks sizes; `CHAINMAP_BENCH_DOT=0` skips dot;
//! `CHAINMAP_BENCH_DOT_LIMIT=120` is how many seconds dot may take per graph;
//! `CHAINMAP_BENCH_DENSE=0` skips the dense maps; `CHAINMAP_BENCH_STABILITY=0` skips the
//! stability measures; `CHAINMAP_BENCH_DRIFT_SIZES=500,2000` picks the sizes of the
//! crossing drift.

mod stability;
mod util;

use chainmap::io;
use chainmap::layout::{self, LayoutOptions};
use chainmap::model::generate::generate;
use chainmap::model::{Link, LinkKind, Map, Node};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: u64 = 1;

fn main() {
    let sizes = util::sizes(&[100, 500, 2_000, 5_000, 20_000]);
    let run_dot = std::env::var("CHAINMAP_BENCH_DOT").map_or(true, |v| v != "0") && dot_available();
    let dot_limit = Duration::from_secs(
        std::env::var("CHAINMAP_BENCH_DOT_LIMIT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(120),
    );
    let work = tempfile::tempdir().expect("a temporary folder");

    println!(
        "| nodes | links | load_ms | chainmap layout_ms | chainmap crossings (order / as drawn) | dot s | dot crossings (its count / as drawn) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let generated = generate(n, SEED);
        let folder = work.path().join(format!("map-{n}"));
        let status = Command::new(env!("CARGO_BIN_EXE_chainmap"))
            .args([
                "generate",
                "--nodes",
                &n.to_string(),
                "--seed",
                &SEED.to_string(),
            ])
            .arg(&folder)
            .stderr(Stdio::null())
            .status()
            .expect("chainmap generate runs");
        assert!(status.success());

        let load_ms = median(5, || {
            let started = Instant::now();
            let loaded = io::load(&folder).expect("the generated map loads");
            assert_eq!(loaded.error_count(), 0);
            started.elapsed()
        });
        // Lay out the map as read from its files, as the window and `stats` do.
        let map = io::load(&folder).expect("the generated map loads").map;
        assert_eq!(map.nodes.len(), generated.nodes.len());
        assert_eq!(map.links.len(), generated.links.len());

        let sizes_px = layout::default_sizes(&map);
        let runs = if n >= 10_000 { 3 } else { 7 };
        let mut crossings = 0;
        let mut as_drawn = 0;
        let layout_ms = median(runs, || {
            let started = Instant::now();
            let drawn = layout::layout(&map, &sizes_px, &LayoutOptions::default());
            let elapsed = started.elapsed();
            crossings = drawn.crossings;
            if as_drawn == 0 {
                as_drawn = drawn_crossings(&drawn);
            }
            elapsed
        });

        let dot = if run_dot {
            run_dot_on(&folder, work.path(), dot_limit)
        } else {
            None
        };
        let dot_cells = match dot {
            Some(DotResult::Done {
                seconds,
                own,
                drawn,
            }) => {
                format!("{seconds:.2} | {own} / {drawn}")
            }
            Some(DotResult::TimedOut) => format!("> {} | –", dot_limit.as_secs()),
            None => "– | –".to_owned(),
        };
        println!(
            "| {n} | {} | {load_ms:.1} | {layout_ms:.1} | {crossings} / {as_drawn} | {dot_cells} |",
            map.links.len()
        );
    }
    if std::env::var("CHAINMAP_BENCH_STABILITY").map_or(true, |v| v != "0") {
        stability::report(&sizes);
        let drift_sizes: Vec<usize> = std::env::var("CHAINMAP_BENCH_DRIFT_SIZES")
            .ok()
            .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![500, 2_000]);
        stability::drift(&drift_sizes, drawn_crossings);
    }
    if std::env::var("CHAINMAP_BENCH_DENSE").map_or(true, |v| v != "0") {
        dense();
    }
}

/// Crossings as drawn: every route a polyline, every proper crossing of two.
fn drawn_crossings(drawn: &layout::Layout) -> u64 {
    let routes: Vec<Vec<(f64, f64)>> = drawn
        .edges
        .iter()
        .map(|e| {
            e.points
                .iter()
                .map(|p| (f64::from(p[0]), f64::from(p[1])))
                .collect()
        })
        .collect();
    polyline_crossings(&routes)
}

/// The dense maps of the hardening report, laid out once each (release build).
fn dense() {
    println!();
    println!("| dense map | nodes | links | layout |");
    println!("|---|---:|---:|---:|");
    let cases: [(&str, Map); 3] = [
        ("100,000 links among 800 nodes", many_links(800, 100_000)),
        ("40,000 nodes in one segment", one_segment(40_000)),
        ("300 tiers, long links", many_tiers(300, 10, 3_000)),
    ];
    for (name, map) in cases {
        let sizes = layout::default_sizes(&map);
        let started = Instant::now();
        let drawn = layout::layout(&map, &sizes, &LayoutOptions::default());
        let seconds = started.elapsed().as_secs_f64();
        let points: usize = drawn.edges.iter().map(|e| e.points.len()).sum();
        println!(
            "| {name} | {} | {} | {seconds:.2} s ({points} route points) |",
            map.nodes.len(),
            map.links.len()
        );
    }
}

/// `links` random links between the nodes of a generated `nodes`-node map, up the tiers.
fn many_links(nodes: usize, links: usize) -> Map {
    let mut map = generate(nodes, SEED);
    let mut rng = chainmap::model::generate::Rng::new(SEED);
    let tier = |n: &Node| map.tier_index(&n.tier).unwrap_or(0);
    let tiers: Vec<usize> = map.nodes.iter().map(tier).collect();
    map.links.clear();
    // Bounded: a map whose nodes are all in one tier has no pair to link.
    for _ in 0..links.saturating_mul(100) {
        if map.links.len() >= links {
            break;
        }
        let (a, b) = (rng.below(nodes), rng.below(nodes));
        if tiers[a] < tiers[b] {
            let id = format!("d{}", map.links.len());
            let (from, to) = (map.nodes[a].id.clone(), map.nodes[b].id.clone());
            map.links.push(Link::new(id, from, to, LinkKind::Supplies));
        }
    }
    map
}

/// A first tier of one segment holding `nodes` nodes, each supplying one of 100 nodes
/// in the tier above.
fn one_segment(nodes: usize) -> Map {
    let mut map = generate(4, SEED);
    map.links.clear();
    map.figures.clear();
    map.theses.clear();
    map.markets.clear();
    map.nodes.clear();
    map.segments
        .retain(|s| s.tier == "hardware" || s.tier == "infra-cloud");
    map.segments.truncate(2);
    let big = map.segments[0].id.clone();
    let small = map.segments[1].id.clone();
    let (big_tier, small_tier) = (map.segments[0].tier.clone(), map.segments[1].tier.clone());
    for i in 0..100 {
        map.nodes.push(util::company(
            format!("top{i}"),
            format!("Top {i}"),
            &small_tier,
            small.clone(),
        ));
    }
    let mut rng = chainmap::model::generate::Rng::new(SEED);
    for i in 0..nodes {
        map.nodes.push(util::company(
            format!("n{i}"),
            format!("Company {i}"),
            &big_tier,
            big.clone(),
        ));
        let to = format!("top{}", rng.below(100));
        let from = format!("n{i}");
        map.links
            .push(Link::new(format!("l{i}"), from, to, LinkKind::Supplies));
    }
    map
}

/// `tiers` tiers of one segment of `per_tier` nodes, and `links` links between random
/// tiers (most of them skipping many).
fn many_tiers(tiers: usize, per_tier: usize, links: usize) -> Map {
    let mut map = Map::default();
    for t in 0..tiers {
        let id = format!("t{t}");
        map.tiers.push(util::from_fields(
            json!({ "id": id, "name": format!("Tier {t}") }),
        ));
        map.segments.push(util::from_fields(
            json!({ "id": format!("s{t}"), "tier": id, "name": format!("Segment {t}") }),
        ));
        for k in 0..per_tier {
            map.nodes.push(util::company(
                format!("n{t}-{k}"),
                format!("Node {t}.{k}"),
                &id,
                format!("s{t}"),
            ));
        }
    }
    let mut rng = chainmap::model::generate::Rng::new(SEED);
    let count = map.nodes.len();
    for _ in 0..links.saturating_mul(100) {
        if map.links.len() >= links {
            break;
        }
        let (a, b) = (rng.below(count), rng.below(count));
        if a / per_tier < b / per_tier {
            let id = format!("l{}", map.links.len());
            let (from, to) = (map.nodes[a].id.clone(), map.nodes[b].id.clone());
            map.links.push(Link::new(id, from, to, LinkKind::Supplies));
        }
    }
    map
}

/// Proper crossings between polylines (two pieces of different polylines that cross at a
/// point inside both; touching at a shared end does not count), found through a grid.
fn polyline_crossings(lines: &[Vec<(f64, f64)>]) -> u64 {
    type Piece = (usize, (f64, f64), (f64, f64));
    let pieces: Vec<Piece> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.windows(2).map(move |w| (i, w[0], w[1])))
        .filter(|(_, a, b)| a != b)
        .collect();
    if pieces.is_empty() {
        return 0;
    }
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for &(_, a, b) in &pieces {
        lo = (lo.0.min(a.0).min(b.0), lo.1.min(a.1).min(b.1));
        hi = (hi.0.max(a.0).max(b.0), hi.1.max(a.1).max(b.1));
    }
    let area = ((hi.0 - lo.0) * (hi.1 - lo.1)).max(1.0);
    let cell = (area / pieces.len() as f64).sqrt().max(1.0) * 2.0;
    let key = |x: f64, y: f64| (((x - lo.0) / cell) as i64, ((y - lo.1) / cell) as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (k, &(_, a, b)) in pieces.iter().enumerate() {
        let (c0, c1) = (
            key(a.0.min(b.0), a.1.min(b.1)),
            key(a.0.max(b.0), a.1.max(b.1)),
        );
        for cx in c0.0..=c1.0 {
            for cy in c0.1..=c1.1 {
                grid.entry((cx, cy)).or_default().push(k);
            }
        }
    }
    let cross = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let mut count = 0u64;
    for (&cell_key, members) in &grid {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let ((li, a, b), (lj, c, d)) = (pieces[i], pieces[j]);
                if li == lj {
                    continue;
                }
                let (d1, d2) = (cross(a, b, c), cross(a, b, d));
                let (d3, d4) = (cross(c, d, a), cross(c, d, b));
                if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
                    // Counted in the cell that holds the crossing point only.
                    let t = d3 / (d3 - d4);
                    let at = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                    if key(at.0, at.1) == cell_key {
                        count += 1;
                    }
                }
            }
        }
    }
    count
}

/// The median of `runs` timings, in milliseconds.
fn median(runs: usize, mut run: impl FnMut() -> Duration) -> f64 {
    let mut times: Vec<f64> = (0..runs).map(|_| run().as_secs_f64() * 1000.0).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn dot_available() -> bool {
    Command::new("dot")
        .arg("-V")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

enum DotResult {
    Done {
        seconds: f64,
        own: String,
        drawn: u64,
    },
    TimedOut,
}

/// Exports the map with `chainmap export --format dot` and times `dot -v -Tplain` on it.
fn run_dot_on(folder: &Path, work: &Path, limit: Duration) -> Option<DotResult> {
    let dot_file = work.join("graph.dot");
    let plain_file = work.join("graph.plain");
    let status = Command::new(env!("CARGO_BIN_EXE_chainmap"))
        .args(["export", "--format", "dot", "-o"])
        .arg(&dot_file)
        .arg(folder)
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    // dot -v writes a lot: to a file, so that a full pipe never stalls it.
    let log_file = work.join("graph.log");
    let log = std::fs::File::create(&log_file).ok()?;
    let started = Instant::now();
    let mut child = Command::new("dot")
        .args(["-v", "-Tplain", "-o"])
        .arg(&plain_file)
        .arg(&dot_file)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .ok()?;
    loop {
        if child.try_wait().ok()?.is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Some(DotResult::TimedOut);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let seconds = started.elapsed().as_secs_f64();
    let stderr = std::fs::read_to_string(&log_file).unwrap_or_default();
    // "mincross chainmap: 21657 crossings, 0.18 secs." — the last one is the whole graph's.
    let own = stderr
        .lines()
        .rfind(|l| l.starts_with("mincross chainmap:"))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap_or("?")
        .to_owned();
    let plain = std::fs::read_to_string(&plain_file).ok()?;
    Some(DotResult::Done {
        seconds,
        own,
        drawn: polyline_crossings(&splines_in_plain(&plain)),
    })
}

/// dot's edges as drawn: each spline's control points, a polyline.
fn splines_in_plain(plain: &str) -> Vec<Vec<(f64, f64)>> {
    plain
        .lines()
        .filter_map(|line| {
            let fields = split_plain(line);
            if fields.first().map(String::as_str) != Some("edge") {
                return None;
            }
            let count: usize = fields.get(3)?.parse().ok()?;
            Some(
                (0..count)
                    .filter_map(|i| {
                        Some((
                            fields.get(4 + 2 * i)?.parse().ok()?,
                            fields.get(5 + 2 * i)?.parse().ok()?,
                        ))
                    })
                    .collect(),
            )
        })
        .collect()
}

/// Splits a line of `dot -Tplain` output, honouring double-quoted fields.
fn split_plain(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ' ' if !quoted => {
                if !current.is_empty() {
                    fields.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        fields.push(current);
    }
    fields
}
