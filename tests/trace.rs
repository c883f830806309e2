//! Trace on the bundled map, through `chainmap trace` and the window: who is and is not
//! in a node's value chain, and the paths that say why.

mod common;

use chainmap::model::trace::{Direction, Reach, trace};
use common::{assert_exit, assert_has, json_ok, run_ok, stdout};
use egui_kittest::kittest::Queryable;
use std::collections::BTreeSet;

const BUNDLED: &str = "maps/ai-value-chain";

fn ids(walk: &serde_json::Value) -> Vec<String> {
    walk.as_array()
        .expect("a list")
        .iter()
        .map(|r| r["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[test]
fn openai_s_suppliers_are_its_cloud_not_its_rivals() {
    let json = json_ok("trace", &[BUNDLED, "openai", "--json"]);
    assert_eq!(json["node"], "openai");
    let upstream = ids(&json["upstream"]);
    for supplier in ["azure", "microsoft", "h100"] {
        assert!(upstream.iter().any(|id| id == supplier), "{upstream:?}");
    }
    // The model layer integrates into big tech, where Microsoft sits: that made every lab
    // OpenAI's supplier when a segment's link stood for each of its members.
    for rival in ["anthropic", "claude", "google", "meta", "gcp", "deepmind"] {
        assert!(
            !upstream.iter().any(|id| id == rival),
            "{rival}: {upstream:?}"
        );
    }
    let downstream = ids(&json["downstream"]);
    assert!(
        downstream.iter().any(|id| id == "chatgpt"),
        "{downstream:?}"
    );
}

#[test]
fn anthropic_s_customers_are_not_openai_s() {
    let json = json_ok("trace", &[BUNDLED, "anthropic", "--json"]);
    let downstream = ids(&json["downstream"]);
    assert!(downstream.iter().any(|id| id == "claude"), "{downstream:?}");
    for other in ["openai", "chatgpt", "gpt4", "o365copilot"] {
        assert!(
            !downstream.iter().any(|id| id == other),
            "{other}: {downstream:?}"
        );
    }
}

#[test]
fn every_card_reached_is_named_by_the_link_that_reaches_it() {
    let loaded = chainmap::io::load(std::path::Path::new(BUNDLED)).expect("loads");
    let map = &loaded.map;
    for (start, node) in map.nodes.iter().enumerate() {
        let Some(trace) = trace(map, start, &BTreeSet::new()) else {
            assert!(!node.kind.is_market_participant(), "{}", node.id);
            continue;
        };
        for direction in Direction::BOTH {
            for (at, reached) in trace.walk(direction).iter().enumerate() {
                let link = &map.links[reached.link];
                let far_end = match direction {
                    Direction::Upstream => &link.from,
                    Direction::Downstream => &link.to,
                };
                let id = match reached.item {
                    Reach::Node(i) => &map.nodes[i].id,
                    Reach::Segment(i) => &map.segments[i].id,
                };
                // Never a card inside a segment the link names: the link's own end.
                assert_eq!(far_end, id, "{} {direction:?} {at}", node.id);
                assert_eq!(trace.path(direction, at).len(), reached.depth);
            }
        }
    }
}

#[test]
fn the_text_lists_each_tier_with_paths() {
    let output = run_ok("trace", &[BUNDLED, "openai", "--up"]);
    let text = stdout(&output);
    assert_has(&text, "Upstream (suppliers): ");
    assert_has(&text, "  AI infra and cloud\n    OpenAI ← hosts ← Azure\n");
    assert_has(&text, "OpenAI ← hosts ← Azure ← supplies ← H100");
    assert!(!text.contains("Downstream"), "{text}");
    let output = run_ok("trace", &[BUNDLED, "openai", "--down", "--lang", "zh"]);
    let text = stdout(&output);
    assert_has(&text, "下游(客户)");
    assert!(!text.contains("上游"), "{text}");
}

#[test]
fn an_unknown_node_names_the_close_ids() {
    let output = common::run("trace", &[BUNDLED, "opnai"]);
    assert_exit(&output, 1, "has no node \"opnai\" (did you mean \"openai\"");
    let output = common::run("trace", &[BUNDLED, "openai", "--up", "--down"]);
    assert_eq!(output.status.code(), Some(2), "--up and --down conflict");
}

#[test]
fn the_window_lists_the_trace_with_paths() {
    let app = chainmap::app::ChainmapApp::new(
        chainmap::io::bundled::load_bundled(),
        chainmap::app::Settings::default(),
    );
    let mut harness = common::window(app);
    common::search_and_pick(&mut harness, "OpenAI");
    common::click(&mut harness, "Trace the value chain");
    harness.get_by_label("OpenAI ← hosts ← Azure ← supplies ← H100");
    let lit = common::traced_ids(harness.state());
    assert!(!lit.contains(&"anthropic"), "{lit:?}");
    assert!(
        (harness.state().state().trace.as_ref()).is_some_and(|lit| !lit.segments.is_empty()),
        "segment boxes are lit"
    );
}
