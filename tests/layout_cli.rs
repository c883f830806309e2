//! The layout through the command line: `export --format json|dot`, `generate`, and the
//! layout fields of `stats`; and the geometry of the bundled map's layout.

mod common;

use common::{chainmap, path_str, stdout};
use serde_json::Value;

fn json_export(path: &str) -> Value {
    let output = common::run_ok("export", &[path, "--format", "json"]);
    serde_json::from_slice(&output.stdout).expect("export --format json prints JSON")
}

fn rect(value: &Value) -> (f64, f64, f64, f64) {
    let get = |key: &str| value[key].as_f64().unwrap_or(f64::NAN);
    (get("x"), get("y"), get("w"), get("h"))
}

fn inside(inner: (f64, f64, f64, f64), outer: (f64, f64, f64, f64)) -> bool {
    inner.0 >= outer.0 - 1e-3
        && inner.1 >= outer.1 - 1e-3
        && inner.0 + inner.2 <= outer.0 + outer.2 + 1e-3
        && inner.1 + inner.3 <= outer.1 + outer.3 + 1e-3
}

fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

#[test]
fn json_export_of_the_bundled_map_has_a_sound_layout() {
    let document = json_export("maps/ai-value-chain");
    let nodes = document["nodes"].as_array().expect("nodes");
    let edges = document["edges"].as_array().expect("edges");
    let tiers = document["tiers"].as_array().expect("tiers");
    let segments = document["segments"].as_array().expect("segments");
    assert_eq!(nodes.len(), 121);
    // Links between nodes; the 9 that name a segment are drawn between boxes, not routed.
    assert_eq!(edges.len(), 103);
    assert_eq!(tiers.len(), 4);
    // The first tier is the bottom band.
    assert!(rect(&tiers[0]).1 > rect(&tiers[3]).1);
    for node in nodes {
        let tier = tiers
            .iter()
            .find(|t| t["id"] == node["tier"])
            .expect("the node's tier is listed");
        assert!(
            inside(rect(node), rect(tier)),
            "{} leaves its band",
            node["id"]
        );
        if let Some(first) = node["segments"].as_array().and_then(|s| s.first()) {
            let segment = segments
                .iter()
                .find(|s| &s["id"] == first)
                .expect("segment box");
            assert!(
                inside(rect(node), rect(segment)),
                "{} leaves its segment box",
                node["id"]
            );
        }
    }
    for (i, a) in nodes.iter().enumerate() {
        for b in nodes.iter().skip(i + 1) {
            assert!(
                !overlap(rect(a), rect(b)),
                "{} overlaps {}",
                a["id"],
                b["id"]
            );
        }
    }
    for (i, a) in segments.iter().enumerate() {
        for b in segments.iter().skip(i + 1) {
            let nested = a["parent"] == b["id"] || b["parent"] == a["id"];
            if !nested {
                assert!(
                    !overlap(rect(a), rect(b)),
                    "boxes {} and {} overlap",
                    a["id"],
                    b["id"]
                );
            }
        }
    }
    for edge in edges {
        let points = edge["points"].as_array().expect("points");
        assert!(points.len() >= 2 && edge["from"].is_string() && edge["to"].is_string());
    }
    let figure = document["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["id"] == "q52"))
        .expect("figures are exported");
    assert_eq!(figure["low"], 55.0);
    assert_eq!(figure["high"], 75.0);
    let thesis = document["theses"]
        .as_array()
        .and_then(|t| t.first())
        .expect("theses");
    assert!(thesis["title"].is_string() && thesis["stance"].is_string());
}

#[test]
fn dot_export_has_one_rank_per_tier_and_every_link() {
    let output = chainmap(&["export", "maps/reference.ron", "--format", "dot"]);
    let text = stdout(&output);
    assert!(text.starts_with("digraph chainmap {"));
    assert_eq!(text.matches("rank=same;").count(), 3);
    assert!(text.contains("subgraph \"cluster_chips\""));
    assert!(text.contains("\"chipco\" -> \"lab-one\";"));
    assert!(text.contains("\"tier:hardware\" -> \"tier:models\" [style=invis];"));
}

#[test]
fn generate_writes_a_valid_map_the_same_for_the_same_seed() {
    let (dir, first) = common::temp_path("a");
    let second = dir.path().join("b");
    for out in [&first, &second] {
        common::run_ok("generate --nodes 300 --seed 4", &[path_str(out)]);
    }
    let check = chainmap(&["check", path_str(&first)]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    for name in [
        "map.ron",
        "1-hardware.ron",
        "4-applications.ron",
        "theses.ron",
        "figures.ron",
    ] {
        let a = std::fs::read(first.join(name)).expect("file written");
        let b = std::fs::read(second.join(name)).expect("file written");
        assert_eq!(a, b, "{name} is the same for the same seed");
    }
    let stats = chainmap(&["stats", path_str(&first), "--json"]);
    let stats: Value = serde_json::from_slice(&stats.stdout).expect("JSON");
    assert_eq!(stats["nodes"], 300);
    assert_eq!(stats["links"], 600);
    assert!(stats["crossings"].is_u64());
    assert!(stats["layout_ms"].is_f64());
}

#[test]
fn generate_refuses_zero_nodes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = common::run("generate --nodes 3", &[path_str(dir.path())]);
    assert_eq!(output.status.code(), Some(2), "{}", common::stderr(&output));
}

/// The scale at which the drawing fits `width × height` pixels, and the share of that
/// space it then covers.
fn fit(document: &Value, width: f64, height: f64) -> (f64, f64) {
    let bounds = rect(&document["bounds"]);
    let zoom = (width / bounds.2).min(height / bounds.3);
    let covered = bounds.2 * zoom * bounds.3 * zoom / (width * height);
    (zoom, covered)
}

#[test]
fn the_bundled_map_laid_out_for_the_window_reads_at_fit() {
    let document = json_export_with(&["--aspect", "11:9"]);
    // The map view of a 1600 × 1000 window with its panels: 1100 × 900 pixels.
    let (zoom, covered) = fit(&document, 1100.0, 900.0);
    let nodes = document["nodes"].as_array().expect("nodes");
    let smallest = nodes
        .iter()
        .map(|n| rect(n).3 * zoom)
        .fold(f64::INFINITY, f64::min);
    assert!(
        smallest >= 21.0,
        "the smallest card is {smallest:.1} px tall"
    );
    assert!(covered >= 0.6, "the map covers {:.0}%", covered * 100.0);
    // No route passes through a card other than its own two ends.
    let index: std::collections::HashMap<&str, (f64, f64, f64, f64)> = nodes
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, rect(n))))
        .collect();
    for edge in document["edges"].as_array().expect("edges") {
        let points: Vec<(f64, f64)> = edge["points"]
            .as_array()
            .expect("points")
            .iter()
            .map(|p| (p[0].as_f64().unwrap_or(0.0), p[1].as_f64().unwrap_or(0.0)))
            .collect();
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let piece = (
                a.0.min(b.0),
                a.1.min(b.1),
                (a.0 - b.0).abs().max(1e-3),
                (a.1 - b.1).abs().max(1e-3),
            );
            for (id, card) in &index {
                if edge["from"] == *id || edge["to"] == *id {
                    continue;
                }
                assert!(!overlap(piece, *card), "{} crosses {id}", edge["id"]);
            }
        }
    }
    // Flows stand for the links between top segments, each link in one flow.
    let flows = document["flows"].as_array().expect("flows");
    assert!(!flows.is_empty());
    let mut seen = std::collections::HashSet::new();
    for flow in flows {
        assert!(flow["from"].is_string() && flow["to"].is_string() && flow["kind"].is_string());
        assert!(flow["points"].as_array().is_some_and(|p| p.len() >= 2));
        for link in flow["links"].as_array().expect("links") {
            assert!(seen.insert(link.as_str().expect("an id").to_owned()));
        }
    }
}

#[test]
fn export_takes_the_shape_of_the_page() {
    let wide = json_export_with(&["--aspect", "3:1"]);
    let tall = json_export_with(&["--aspect", "1:2"]);
    let shape = |d: &Value| {
        let b = rect(&d["bounds"]);
        b.2 / b.3
    };
    assert!(
        shape(&wide) > 2.0 * shape(&tall),
        "{} vs {}",
        shape(&wide),
        shape(&tall)
    );
    for bad in ["16x9", "0:9", "16:0", "1:100"] {
        let output = common::run("export maps/ai-value-chain --format json --aspect", &[bad]);
        assert_eq!(output.status.code(), Some(2), "--aspect {bad}");
    }
}

fn json_export_with(args: &[&str]) -> Value {
    common::json_ok("export maps/ai-value-chain --format json", args)
}

#[test]
fn generate_writes_a_landscape_whose_segments_read_at_fit() {
    let (_dir, out) = common::temp_path("landscape");
    common::run_ok("generate --nodes 2400 --shape landscape", &[path_str(&out)]);
    assert_eq!(chainmap(&["check", path_str(&out)]).status.code(), Some(0));
    let document = common::json_ok(
        "export",
        &[path_str(&out), "--format", "json", "--aspect", "11:9"],
    );
    assert_eq!(document["tiers"].as_array().map(Vec::len), Some(15));
    let (zoom, covered) = fit(&document, 1100.0, 900.0);
    assert!(covered >= 0.6, "covers {:.0}%", covered * 100.0);
    for segment in document["segments"].as_array().expect("segments") {
        let width = rect(segment).2 * zoom;
        assert!(width >= 80.0, "{} is {width:.0} px wide", segment["id"]);
    }
}
