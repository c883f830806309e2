//! Frame-time benchmark: one whole frame of the window built headless — every panel, the
//! map view, and tessellation into triangles (no GPU) — on generated maps of 2,000 and
//! 20,000 nodes, zoomed to fit and zoomed in. Also the memory the process holds at the end.
//!
//! Run: `cargo bench --bench frame` (`CHAINMAP_BENCH_SIZES=2000` picks sizes).

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io::{SourceFile, load_files, write};
use chainmap::model::generate::generate;
use std::path::{Path, PathBuf};
use std::time::Instant;

const FRAMES: usize = 40;

fn main() {
    let sizes: Vec<usize> = std::env::var("CHAINMAP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![2_000, 20_000]);
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
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1600.0, 1000.0),
            )),
            ..Default::default()
        };
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
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        {
            println!("{line}");
        }
    }
}
