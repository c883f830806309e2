//! Helpers shared by the benchmarks (each bench is its own crate and includes this file).

#![allow(dead_code)]

use chainmap::model::{Node, NodeKind};

/// The map sizes to measure: `CHAINMAP_BENCH_SIZES` (comma-separated) or `default`.
pub fn sizes(default: &[usize]) -> Vec<usize> {
    std::env::var("CHAINMAP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

/// A company node `id` named `name` in `tier`, in the one segment `segment`.
pub fn company(id: String, name: String, tier: &str, segment: String) -> Node {
    Node {
        segments: vec![segment],
        ..Node::new(id, name, NodeKind::Company, tier)
    }
}

/// An entity struct from the fields given, the optional ones left out (as a map file may).
pub fn from_fields<T: serde::de::DeserializeOwned>(fields: serde_json::Value) -> T {
    serde_json::from_value(fields).expect("a valid entity")
}

/// The input of one headless frame of `width` × `height` points.
pub fn input(width: f32, height: f32) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(width, height),
        )),
        ..Default::default()
    }
}
