//! Layout benchmark: chainmap against Graphviz `dot` on the same generated maps.
//!
//! For each size: generate the map (`chainmap generate`'s generator), write it as a folder,
//! load and validate it (`load_ms`), lay it out (`layout_ms`, the median of several runs),
//! count crossings, and measure stability (how far the other nodes move when one node and
//! two links are added). Then, when `dot` is installed, export the same map with
//! `--format dot` and run `dot -Tplain` on it: its time, its own crossing count, and the
//! crossings counted from its drawing.
//!
//! Run: `cargo bench --bench layout`. Environment:
//! `CHAINMAP_BENCH_SIZES=100,500,2000` picks sizes; `CHAINMAP_BENCH_DOT=0` skips dot;
//! `CHAINMAP_BENCH_DOT_LIMIT=120` is how many seconds dot may take per graph.

use chainmap::io;
use chainmap::layout::{self, LayoutOptions};
use chainmap::model::generate::generate;
use chainmap::model::{Link, LinkKind, Map, Node, NodeKind};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: u64 = 1;

fn main() {
    let sizes: Vec<usize> = std::env::var("CHAINMAP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 500, 2_000, 5_000, 20_000]);
    let run_dot = std::env::var("CHAINMAP_BENCH_DOT").map_or(true, |v| v != "0") && dot_available();
    let dot_limit = Duration::from_secs(
        std::env::var("CHAINMAP_BENCH_DOT_LIMIT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(120),
    );
    let work = tempfile::tempdir().expect("a temporary folder");

    println!(
        "| nodes | links | load_ms | chainmap layout_ms | chainmap crossings | moved by +1 node (from scratch) | dot s | dot crossings (its count / from its drawing) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
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
        let layout_ms = median(runs, || {
            let started = Instant::now();
            let drawn = layout::layout(&map, &sizes_px, &LayoutOptions::default());
            let elapsed = started.elapsed();
            crossings = drawn.crossings;
            elapsed
        });
        let moved_fresh = stability(&map, false);
        let moved_prior = stability(&map, true);

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
            "| {n} | {} | {load_ms:.1} | {layout_ms:.1} | {crossings} | {moved_prior:.1}% ({moved_fresh:.0}% from scratch) | {dot_cells} |",
            map.links.len()
        );
    }
}

/// The median of `runs` timings, in milliseconds.
fn median(runs: usize, mut run: impl FnMut() -> Duration) -> f64 {
    let mut times: Vec<f64> = (0..runs).map(|_| run().as_secs_f64() * 1000.0).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Share of the other nodes whose centre moves by more than its own width when one
/// node (and a link to it) is added to the map: laid out from scratch, or from the previous
/// layout (`with_prior`, as the window does after an edit).
fn stability(map: &Map, with_prior: bool) -> f64 {
    let before = layout::layout(map, &layout::default_sizes(map), &LayoutOptions::default());
    let mut grown = map.clone();
    let anchor = grown
        .nodes
        .iter()
        .position(|n| n.tier == "foundation-models")
        .unwrap_or(0);
    let anchor_id = grown.nodes[anchor].id.clone();
    let segment = grown
        .nodes
        .iter()
        .find(|n| n.tier == "applications")
        .and_then(|n| n.segments.first().cloned());
    grown.nodes.push(Node {
        segments: segment.into_iter().collect(),
        ..Node::new("added", "Added company", NodeKind::Company, "applications")
    });
    grown.links.push(Link {
        id: "added-link".to_owned(),
        from: anchor_id,
        to: "added".to_owned(),
        kind: LinkKind::Supplies,
        label: None,
        label_zh: None,
        evidence: Vec::new(),
    });
    let options = LayoutOptions {
        prior: with_prior.then(|| before.prior(map)),
        ..LayoutOptions::default()
    };
    let after = layout::layout(&grown, &layout::default_sizes(&grown), &options);
    let moved = before
        .nodes
        .iter()
        .zip(&after.nodes)
        .filter(|(a, b)| (a.center_x() - b.center_x()).abs() > a.w || (a.y - b.y).abs() > 0.5)
        .count();
    100.0 * moved as f64 / before.nodes.len().max(1) as f64
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
        drawn: crossings_in_plain(&plain),
    })
}

/// An edge of dot's plain output: tail, head, spline control points.
type PlainEdge = (String, String, Vec<(f64, f64)>);

/// Crossings in dot's drawing: nodes grouped into ranks by their y; an edge that spans
/// several ranks crosses each rank in between where its spline does.
fn crossings_in_plain(plain: &str) -> u64 {
    let mut nodes: HashMap<String, (f64, f64)> = HashMap::new();
    let mut edges: Vec<PlainEdge> = Vec::new();
    for line in plain.lines() {
        let fields = split_plain(line);
        match fields.first().map(String::as_str) {
            Some("node") if fields.len() > 3 => {
                if let (Ok(x), Ok(y)) = (fields[2].parse(), fields[3].parse()) {
                    nodes.insert(fields[1].clone(), (x, y));
                }
            }
            Some("edge") if fields.len() > 4 => {
                let count: usize = fields[3].parse().unwrap_or(0);
                let points = (0..count)
                    .filter_map(|i| {
                        Some((
                            fields.get(4 + 2 * i)?.parse().ok()?,
                            fields.get(5 + 2 * i)?.parse().ok()?,
                        ))
                    })
                    .collect();
                edges.push((fields[1].clone(), fields[2].clone(), points));
            }
            _ => {}
        }
    }
    let mut ys: Vec<f64> = nodes
        .values()
        .map(|&(_, y)| (y * 1000.0).round() / 1000.0)
        .collect();
    ys.sort_by(f64::total_cmp);
    ys.dedup();
    let rank_of = |y: f64| {
        ys.iter()
            .position(|&r| (r - (y * 1000.0).round() / 1000.0).abs() < 1e-6)
    };
    let mut segments: HashMap<usize, Vec<(f64, f64)>> = HashMap::new();
    for (from, to, points) in &edges {
        let (Some(&a), Some(&b)) = (nodes.get(from), nodes.get(to)) else {
            continue;
        };
        let (Some(ra), Some(rb)) = (rank_of(a.1), rank_of(b.1)) else {
            continue;
        };
        if ra == rb {
            continue;
        }
        let (low, high, rl, rh) = if ra < rb {
            (a, b, ra, rb)
        } else {
            (b, a, rb, ra)
        };
        let mut xs = vec![low.0];
        xs.extend(ys[rl + 1..rh].iter().map(|&y| x_at(points, y)));
        xs.push(high.0);
        for (i, pair) in xs.windows(2).enumerate() {
            segments.entry(rl + i).or_default().push((pair[0], pair[1]));
        }
    }
    segments
        .values_mut()
        .map(|list| {
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let mut count = 0u64;
            for i in 0..list.len() {
                for j in i + 1..list.len() {
                    if list[i].0 < list[j].0 && list[i].1 > list[j].1 {
                        count += 1;
                    }
                }
            }
            count
        })
        .sum()
}

/// Where the spline's control polygon crosses height `y`.
fn x_at(points: &[(f64, f64)], y: f64) -> f64 {
    for pair in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
        if (y1.min(y2)..=y1.max(y2)).contains(&y) && y1 != y2 {
            return x1 + (x2 - x1) * (y - y1) / (y2 - y1);
        }
    }
    points
        .iter()
        .min_by(|a, b| (a.1 - y).abs().total_cmp(&(b.1 - y).abs()))
        .map_or(0.0, |p| p.0)
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
