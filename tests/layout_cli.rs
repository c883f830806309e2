//! The layout through the command line: `export --format json|dot`, `generate`, and the
//! layout fields of `stats`; and the geometry of the bundled map's layout.

mod common;

use common::{chainmap, path_str, stdout};
use serde_json::Value;

fn json_export(path: &str) -> Value {
    let output = chainmap(&["export", path, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
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
    // Links between nodes; the 10 that name a segment are drawn between boxes, not routed.
    assert_eq!(edges.len(), 95);
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
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("a");
    let second = dir.path().join("b");
    for out in [&first, &second] {
        let output = chainmap(&["generate", "--nodes", "300", "--seed", "4", path_str(out)]);
        assert_eq!(output.status.code(), Some(0));
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
    let output = chainmap(&["generate", "--nodes", "3", path_str(dir.path())]);
    assert_eq!(output.status.code(), Some(2));
}
