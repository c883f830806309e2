//! Market shares as the figures state them, through the command line and saved views: a
//! share held jointly, cases (the base case unless another is asked for), and no HHI where
//! a holder is not a firm.

mod common;

use common::{assert_has, json_ok, run_ok, stderr, stdout};

const REFERENCE: &str = "maps/reference.ron";

fn market<'a>(stats: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    stats["concentration"]
        .as_array()
        .expect("concentration list")
        .iter()
        .find(|m| m["market"] == id)
        .unwrap_or_else(|| panic!("market {id} listed"))
}

#[test]
fn stats_use_the_base_case_unless_another_is_asked_for() {
    let stats = json_ok("stats", &[REFERENCE, "--json"]);
    let accelerators = market(&stats, "accelerators");
    assert_eq!(accelerators["case"], "base");
    assert_eq!(accelerators["cases"], serde_json::json!(["base", "upside"]));
    // ChipCo 60–80% in the base case, never its 85–90% upside kept as the larger estimate.
    assert_eq!(accelerators["top1_low"], 60.0);
    assert_eq!(accelerators["top1_high"], 80.0);
    let upside = json_ok("stats", &[REFERENCE, "--json", "--case", "upside"]);
    let accelerators = market(&upside, "accelerators");
    assert_eq!(accelerators["top1_low"], 85.0);
    // A market with no share in the case says so, and gives no HHI.
    let assistants = market(&upside, "assistant-models");
    assert_eq!(assistants["in_case"], false);
    assert!(assistants["hhi_low"].is_null());
    let reason = assistants["no_hhi"].as_str().expect("a reason");
    assert_eq!(reason, "no share in the upside case (cases: base)");
}

#[test]
fn a_joint_share_is_bounded_over_every_split_of_its_holders() {
    let stats = json_ok("stats", &[REFERENCE, "--json"]);
    let assistants = market(&stats, "assistant-models");
    assert_eq!(assistants["joint_shares"], 1);
    // Two labs hold 90% together: each anywhere from 45% (an even split) to all of it.
    assert_eq!(assistants["top1_low"], 45.0);
    assert_eq!(assistants["top1_high"], 90.0);
    assert_eq!(assistants["hhi_low"], 2.0 * 45.0 * 45.0);
    assert_eq!(assistants["hhi_high"], 90.0 * 90.0 + 10.0 * 10.0);
    let memo = stdout(&run_ok("export", &[REFERENCE, "--format", "md"]));
    assert_has(
        &memo,
        "| Lab One + Lab Two (jointly) | ≈ 90% | f-labs-joint-share |",
    );
    assert_has(
        &memo,
        "In the upside case: ChipCo 85–90% (f-chipco-share-upside); top-1 85–90% · HHI 7225–8200.",
    );
}

/// `export REFERENCE --format svg --market accelerators --case CASE`, which must succeed.
fn accelerators_in(case: &str) -> std::process::Output {
    let args = [
        "--format",
        "svg",
        "--market",
        "accelerators",
        "--case",
        case,
    ];
    let mut all = vec![REFERENCE];
    all.extend(args);
    run_ok("export", &all)
}

#[test]
fn a_picture_draws_the_case_asked_for_and_warns_when_the_market_has_none() {
    let svg = stdout(&accelerators_in("upside"));
    assert_has(&svg, ">85–90%</text>");
    assert_has(&svg, "top-1 85–90% · HHI 7225–8200 · upside case");
    assert_has(
        &stderr(&accelerators_in("downside")),
        "market \"accelerators\" has no downside case (only base case, upside case)",
    );
    // A case needs a market.
    let output = common::run(
        "export",
        &[REFERENCE, "--format", "svg", "--case", "upside"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn a_saved_view_keeps_the_market_s_case() {
    let view = chainmap::ui::views::SavedView {
        name: "upside".into(),
        market: Some("accelerators".into()),
        case: Some("upside".into()),
        ..Default::default()
    };
    let map = chainmap::io::load(std::path::Path::new(REFERENCE))
        .expect("loads")
        .map;
    let lens = view.resolve(&map).market.expect("the market");
    assert_eq!(lens.case, "upside");
    assert_eq!(lens.top1, (85.0, 90.0));
}

#[test]
fn the_markets_panel_shows_another_case_when_picked() {
    use egui_kittest::kittest::Queryable;
    let loaded = chainmap::io::load(std::path::Path::new(REFERENCE)).expect("loads");
    let app = chainmap::app::ChainmapApp::new(loaded, chainmap::app::Settings::default());
    let mut harness = common::window(app);
    common::click(&mut harness, "Markets");
    // (A share is listed again under its date where the market's figures carry several.)
    let base = |h: &common::Window| h.query_all_by_label("ChipCo: 60–80%").count();
    assert!(base(&harness) > 0);
    harness.get_by_label("Lab One + Lab Two (jointly): ≈ 90%");
    common::click(&mut harness, "Case");
    common::click(&mut harness, "upside case");
    assert!(harness.query_all_by_label("ChipCo: 85–90%").count() > 0);
    assert_eq!(base(&harness), 0);
    // The market without an upside case says so instead of numbers.
    harness.get_by_label("no upside case (only base case)");
    // Laid over the map from here, the lens keeps the case.
    common::click(&mut harness, "AI accelerators");
    let lens = common::market_lens(&harness).expect("a market lens");
    assert_eq!(
        (lens.market_id.as_str(), lens.case.as_str()),
        ("accelerators", "upside")
    );
}
