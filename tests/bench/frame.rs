//! Frame-time benchmark: one whole frame of the window built headless — every panel, the
//! map view, and tessellation into triangles (no GPU) — on generated maps of 2,000 and
//! 20,000 nodes, zoomed to fit and zoomed in. Also the memory the process holds at the end.
//!
//! On each map, a frame that switches the market lens (each frame another market) against
//! the frames around it: the switch must cost no more than one frame over the bar. Then the
//! frames an investor spends most time in, at Fit: the busiest node selected, its trace
//! shown, the largest market's lens held, and the markets panel open with a node selected.
//!
//! Then the markets panel alone on a generated 20,000-node map (1,000 markets, each with
//! three to six dated shares), unsearched and in the default sort (by name): its build and
//! tessellation must fit in one frame of the bar.
//!
//! Last, the frames of a glide: the window resized, the map laid out again for its shape,
//! and everything on its way there.
//!
//! Run: `cargo bench --bench frame` (`CHAINMAP_BENCH_SIZES=2000` picks sizes;
//! `CHAINMAP_FRAME_ONLY=markets` measures only the markets panel open beside a selection, the
//! issue-21 row, five times over, for a profiler: `valgrind --tool=callgrind --toggle-collect='*frame_ui*'`).

mod util;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io::{SourceFile, load_files, write};
use chainmap::model::Map;
use chainmap::model::generate::generate;
use chainmap::ui::ViewState;
use chainmap::ui::index::MapIndex;
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
            let _ = frame(&mut app, &ctx, input());
        }
        if std::env::var("CHAINMAP_FRAME_ONLY").as_deref() == Ok("lens") {
            lens_switch_bench(&mut app, &ctx, n);
            continue;
        }
        if std::env::var("CHAINMAP_FRAME_ONLY").as_deref() == Ok("markets") {
            // Five rounds, so that a profile of them is mostly of warm frames.
            let hub = busiest_node(app.map());
            for _ in 0..5 {
                markets_open_bench(&mut app, &ctx, n, hub);
            }
            continue;
        }
        for (view, zoom) in [("fit", None), ("zoomed in", Some(1.0))] {
            match zoom {
                None => {
                    app.fit_view();
                    let _ = frame(&mut app, &ctx, input());
                }
                Some(zoom) => app.camera_mut().zoom = zoom,
            }
            let mut times = Vec::with_capacity(FRAMES);
            let mut triangles = 0;
            for _ in 0..FRAMES {
                let started = Instant::now();
                let primitives = frame(&mut app, &ctx, input());
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
        market_lens_bench(&mut app, &ctx, n);
        let hub = trace_bench(app.map(), n);
        selected_bench(&mut app, &ctx, n, hub);
        traced_bench(&mut app, &ctx, n, hub);
        markets_open_bench(&mut app, &ctx, n, hub);
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

/// One whole frame of the window, tessellated. The font atlas's updates are dropped:
/// there is no GPU to take them (and debug builds refuse to drop them unseen).
fn frame(
    app: &mut ChainmapApp,
    ctx: &egui::Context,
    input: egui::RawInput,
) -> Vec<egui::ClippedPrimitive> {
    let mut output = ctx.run_ui(input, |ui| app.frame_ui(ui));
    output.textures_delta.clear();
    ctx.tessellate(output.shapes, output.pixels_per_point)
}

/// Frames at Fit with the lens of the market with the most shares held over the map.
fn market_lens_bench(app: &mut ChainmapApp, ctx: &egui::Context, n: usize) {
    let map = app.map();
    let largest = map
        .markets
        .iter()
        .max_by_key(|m| {
            let shares = map.figures.iter();
            shares.filter(|f| f.market.as_ref() == Some(&m.id)).count()
        })
        .map(|m| m.id.clone());
    app.show_market(largest.as_deref());
    let times = timed_frames(app, ctx, |_, _| {});
    assert!(app.state().market.is_some(), "the lens is shown");
    app.show_market(None);
    print_row(
        n,
        "the largest market's lens held (its market brought into view)",
        times,
    );
}

/// One frame with `key` pressed, as a reader presses it.
fn press(app: &mut ChainmapApp, ctx: &egui::Context, key: egui::Key) {
    let mut input = util::input(1600.0, 1000.0);
    input.events.push(egui::Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    });
    let _ = frame(app, ctx, input);
}

/// Frames at Fit with the busiest node's trace shown (T): its chain lit, the rest dimmed,
/// the inspector listing the paths.
fn traced_bench(app: &mut ChainmapApp, ctx: &egui::Context, n: usize, hub: usize) {
    app.select_node(Some(hub));
    press(app, ctx, egui::Key::T);
    assert!(app.state().trace.is_some(), "T traces the selection");
    let times = timed_frames(app, ctx, |_, _| {});
    press(app, ctx, egui::Key::T);
    app.select_node(None);
    print_row(n, "fit, the busiest node's trace shown", times);
}

/// Frames at Fit with the markets panel open (M) and the busiest node selected: the
/// issue-21 measure of a reader comparing markets.
fn markets_open_bench(app: &mut ChainmapApp, ctx: &egui::Context, n: usize, hub: usize) {
    press(app, ctx, egui::Key::M);
    assert_eq!(app.left_tab(), chainmap::app::LeftTab::Markets);
    app.select_node(Some(hub));
    let times = timed_frames(app, ctx, |_, _| {});
    app.select_node(None);
    press(app, ctx, egui::Key::O);
    let what = format!(
        "fit, markets panel open ({} markets), the busiest node selected",
        app.map().markets.len()
    );
    print_row(n, &what, times);
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
            let _ = frame(app, ctx, util::input(width, 1000.0));
            assert_eq!(app.gliding(), motion, "a re-flow glides when motion is on");
            for _ in 0..10 {
                let started = Instant::now();
                let _ = frame(app, ctx, util::input(width, 1000.0));
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
            let _ = frame(app, ctx, util::input(1600.0, 1000.0));
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

/// The node with the most links.
fn busiest_node(map: &Map) -> usize {
    let mut degree = vec![0usize; map.nodes.len()];
    let index = chainmap::model::index_by_id(&map.nodes, |n| &n.id);
    for link in &map.links {
        for end in [&link.from, &link.to] {
            if let Some(&i) = index.get(end.as_str()) {
                degree[i] += 1;
            }
        }
    }
    (0..degree.len()).max_by_key(|&i| degree[i]).unwrap_or(0)
}

/// The trace from the node with the most links (what a click on Trace computes); returns
/// that node.
fn trace_bench(map: &Map, n: usize) -> usize {
    let hub = busiest_node(map);
    let hidden = std::collections::BTreeSet::new();
    let times: Vec<f64> = (0..9)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(chainmap::model::trace::trace(map, hub, &hidden));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let what = format!(
        "trace from the busiest node ({} links)",
        map.links
            .iter()
            .filter(|l| [&l.from, &l.to].contains(&&map.nodes[hub].id))
            .count()
    );
    print_row(n, &what, times);
    hub
}

/// The markets panel alone, built and tessellated, on a generated map's 1,000 markets.
fn markets_panel_bench() {
    let map = generate(20_000, 1);
    let index = MapIndex::of(&map);
    let state = ViewState::default();
    let mut actions = Vec::new();
    let ctx = egui::Context::default();
    chainmap::ui::setup(&ctx);
    let input = || util::input(320.0, 1000.0);
    let mut frame = || {
        let mut output = ctx.run_ui(input(), |ui| {
            markets_ui(ui, &map, &index, &state, &mut actions)
        });
        output.textures_delta.clear();
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
