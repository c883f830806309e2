//! Frame-time benchmark: one whole frame of the window built headless — every panel, the
//! map view, and tessellation into triangles (no GPU) — on generated maps of 2,000 and
//! 20,000 nodes, zoomed to fit and zoomed in. Also the memory the process holds at the end.
//!
//! On each map, a frame that switches the market lens (each frame another market) against
//! the frames around it: the switch must cost no more than one frame over the bar.
//!
//! Then the markets panel alone on a 20,000-node map with 1,000 markets (6 shares each,
//! a third of them at two dates), unsearched and in the default sort (by name): its build and
//! tessellation must fit in one frame of the bar.
//!
//! Last, the frames of a glide: the window resized, the map laid out again for its shape,
//! and everything on its way there.
//!
//! Run: `cargo bench --bench frame` (`CHAINMAP_BENCH_SIZES=2000` picks sizes).

mod util;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io::{SourceFile, load_files, write};
use chainmap::model::generate::generate;
use chainmap::model::{Figure, IsoDate, Map, Market};
use chainmap::ui::ViewState;
use chainmap::ui::panels::markets_ui;
use std::path::{Path, PathBuf};
use std::time::Instant;

const FRAMES: usize = 40;

fn main() {
    let sizes = util::sizes(&[2_000, 20_000]);
    println!("| nodes | view | frame (median) | frame (90th percentile) | triangles |");
    println!("|---:|---|---:|---:|---:|");
    for &n in &sizes {
        // Through the loader, as the window gets it.
        let text = write::to_ron(&write::map_file(&generate(n, 1))).expect("serializes");
        let loaded = load_files(
            Path::new("generated.ron"),
            vec![SourceFile::new(PathBuf::from("generated.ron"), Some(text))],
        );
        let mut app = ChainmapApp::new(loaded, Settings::default());
        let ctx = egui::Context::default();
        chainmap::ui::setup(&ctx);
        let input = || util::input(1600.0, 1000.0);
        // First frames: fonts, layout (once per map, not per frame), fit.
        for _ in 0..3 {
            let output = ctx.run_ui(input(), |ui| app.frame_ui(ui));
            let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        }
        for (view, zoom) in [("fit", None), ("zoomed in", Some(1.0))] {
            match zoom {
                None => {
                    app.fit_view();
                    let output = ctx.run_ui(input(), |ui| app.frame_ui(ui));
                    let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
                }
                Some(zoom) => app.camera_mut().zoom = zoom,
            }
            let mut times = Vec::with_capacity(FRAMES);
            let mut triangles = 0;
            for _ in 0..FRAMES {
                let started = Instant::now();
                let output = ctx.run_ui(input(), |ui| app.frame_ui(ui));
                let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                triangles = primitives
                    .iter()
                    .map(|p| match &p.primitive {
                        egui::epaint::Primitive::Mesh(mesh) => mesh.indices.len() / 3,
                        egui::epaint::Primitive::Callback(_) => 0,
                    })
                    .sum::<usize>();
            }
            times.sort_by(f64::total_cmp);
            println!(
                "| {n} | {view} | {:.2} ms | {:.2} ms | {triangles} |",
                times[times.len() / 2],
                times[times.len() * 9 / 10]
            );
        }
        lens_switch_bench(&mut app, &ctx, n);
        let hub = trace_bench(app.map(), n);
        selected_bench(&mut app, &ctx, n, hub);
        glide_bench(&mut app, &ctx, n);
    }
    markets_panel_bench();
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        {
            println!("{line}");
        }
    }
}

/// Frames at Fit that each lay another market over the map (the lens computed and drawn).
fn lens_switch_bench(app: &mut ChainmapApp, ctx: &egui::Context, n: usize) {
    let ids: Vec<String> = app.map().markets.iter().map(|m| m.id.clone()).collect();
    let times = timed_frames(app, ctx, |app, k| {
        app.show_market(ids.get(k % ids.len().max(1)).map(String::as_str));
    });
    app.show_market(None);
    print_row(n, "fit, market lens switched every frame", times);
}

/// Frames at Fit with the busiest node selected: the inspector lists its links, those
/// through its segments, its theses, figures and shares.
fn selected_bench(app: &mut ChainmapApp, ctx: &egui::Context, n: usize, hub: usize) {
    app.select_node(Some(hub));
    let times = timed_frames(app, ctx, |_, _| {});
    app.select_node(None);
    print_row(n, "fit, the busiest node selected", times);
}

/// Frames of the glide that follows a re-flow: the window narrowed (or widened back) by a
/// quarter, the map is laid out again for the view's new shape, and every card, box and band
/// glides there while the camera fits each frame's picture. The frame that lays out is not
/// counted (the layout bench times layouts); each glide gives its first ten frames.
/// The same frames with motion off, for comparison: the map is at its new place at once.
fn glide_bench(app: &mut ChainmapApp, ctx: &egui::Context, n: usize) {
    for motion in [true, false] {
        app.set_motion(motion);
        app.fit_view();
        let mut times = Vec::with_capacity(FRAMES);
        for round in 0..FRAMES / 10 {
            let width = if round % 2 == 0 { 1200.0 } else { 1600.0 };
            let output = ctx.run_ui(util::input(width, 1000.0), |ui| app.frame_ui(ui));
            let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
            assert_eq!(app.gliding(), motion, "a re-flow glides when motion is on");
            for _ in 0..10 {
                let started = Instant::now();
                let output = ctx.run_ui(util::input(width, 1000.0), |ui| app.frame_ui(ui));
                let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            assert_eq!(app.gliding(), motion, "ten frames are within the glide");
        }
        let what = if motion {
            "fit, the 10 frames after a re-flow, gliding (4 re-flows)"
        } else {
            "fit, the 10 frames after a re-flow, motion off (4 re-flows)"
        };
        print_row(n, what, times);
    }
}

/// [`FRAMES`] whole frames from Fit, each timed with what `before` does to the app first.
fn timed_frames(
    app: &mut ChainmapApp,
    ctx: &egui::Context,
    mut before: impl FnMut(&mut ChainmapApp, usize),
) -> Vec<f64> {
    app.fit_view();
    (0..FRAMES)
        .map(|k| {
            let started = Instant::now();
            before(app, k);
            let output = ctx.run_ui(util::input(1600.0, 1000.0), |ui| app.frame_ui(ui));
            let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

/// A row of the table: the median and the 90th percentile of `times`.
fn print_row(n: usize, what: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    println!(
        "| {n} | {what} | {:.2} ms | {:.2} ms | |",
        times[times.len() / 2],
        times[times.len() * 9 / 10]
    );
}

/// The trace from the node with the most links (what a click on Trace computes); returns
/// that node.
fn trace_bench(map: &Map, n: usize) -> usize {
    let mut degree = vec![0usize; map.nodes.len()];
    let index = chainmap::model::index_by_id(&map.nodes, |n| &n.id);
    for link in &map.links {
        for end in [&link.from, &link.to] {
            if let Some(&i) = index.get(end.as_str()) {
                degree[i] += 1;
            }
        }
    }
    let hub = (0..degree.len()).max_by_key(|&i| degree[i]).unwrap_or(0);
    let hidden = std::collections::BTreeSet::new();
    let times: Vec<f64> = (0..9)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(chainmap::model::trace::trace(map, hub, &hidden));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let what = format!("trace from the busiest node ({} links)", degree[hub]);
    print_row(n, &what, times);
    hub
}

/// A generated map with `markets` more markets, each shared by six nodes, every third also
/// given at an earlier date.
fn map_with_markets(nodes: usize, markets: usize) -> Map {
    let mut map = generate(nodes, 1);
    let template = map
        .figures
        .first()
        .cloned()
        .expect("generated maps have shares");
    for m in 0..markets {
        let market_id = format!("bench-market-{m}");
        map.markets.push(Market {
            id: market_id.clone(),
            name: format!("Benchmark market {m}"),
            name_zh: Some(format!("测试市场 {m}")),
            description: None,
            description_zh: None,
        });
        for k in 0..6 {
            let node = (m * 7 + k * 131) % map.nodes.len();
            let low = [30.0, 20.0, 12.0, 8.0, 5.0, 2.0][k];
            let dates: &[&str] = if m % 3 == 0 {
                &["2023", "2024"]
            } else {
                &["2024"]
            };
            for date in dates {
                map.figures.push(Figure {
                    id: format!("bench-{m}-{k}-{date}"),
                    subject: map.nodes[node].id.clone(),
                    market: Some(market_id.clone()),
                    low: Some(low),
                    high: Some(low + 2.0),
                    as_of: Some(IsoDate::new(*date)),
                    ..template.clone()
                });
            }
        }
    }
    map
}

/// The markets panel alone, built and tessellated, on 1,000 markets.
fn markets_panel_bench() {
    let map = map_with_markets(20_000, 1_000);
    let state = ViewState::default();
    let mut actions = Vec::new();
    let ctx = egui::Context::default();
    chainmap::ui::setup(&ctx);
    let input = || util::input(320.0, 1000.0);
    let mut frame = || {
        let output = ctx.run_ui(input(), |ui| markets_ui(ui, &map, &state, &mut actions));
        ctx.tessellate(output.shapes, output.pixels_per_point).len()
    };
    for _ in 0..3 {
        frame();
    }
    let mut times: Vec<f64> = (0..FRAMES)
        .map(|_| {
            let started = Instant::now();
            frame();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "\nmarkets panel, {} markets, {} figures: {:.2} ms median, {:.2} ms 90th percentile",
        map.markets.len(),
        map.figures.len(),
        times[times.len() / 2],
        times[times.len() * 9 / 10]
    );
}
