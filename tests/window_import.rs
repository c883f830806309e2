//! File ▸ Import… and File ▸ New map… in the window, driven with egui_kittest; the
//! folders the dialogs would ask for are answered by a scripted chooser.

mod common;

use chainmap::app::{ChainmapApp, ScriptedChooser, Settings};
use chainmap::io::bundled::load_bundled;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;

fn harness(chooser: ScriptedChooser) -> Harness<'static, ChainmapApp> {
    let mut app = ChainmapApp::new(load_bundled(), Settings::default());
    app.set_chooser(Box::new(chooser));
    common::window(app)
}

/// The colour the last frame drew the text holding `part` in (the first such text).
fn text_colour(harness: &Harness<'static, ChainmapApp>, part: &str) -> Option<egui::Color32> {
    fn find(shape: &egui::Shape, part: &str) -> Option<egui::Color32> {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().find_map(|s| find(s, part)),
            egui::Shape::Text(text) if text.galley.text().contains(part) => {
                // A colour given to the text wins; text without one takes the fallback.
                let section = text
                    .galley
                    .job
                    .sections
                    .first()
                    .map(|s| s.format.color)
                    .filter(|c| *c != egui::Color32::PLACEHOLDER);
                Some(
                    text.override_text_color
                        .or(section)
                        .unwrap_or(text.fallback_color),
                )
            }
            _ => None,
        }
    }
    harness
        .output()
        .shapes
        .iter()
        .find_map(|clipped| find(&clipped.shape, part))
}

fn menu_item(harness: &mut Harness<'static, ChainmapApp>, item: &str) {
    common::click(harness, "File");
    common::click(harness, item);
}

/// The window after File ▸ Import… of `source` into the folder `out`.
fn import(source: &str, out: &std::path::Path) -> Harness<'static, ChainmapApp> {
    let mut harness = harness(ScriptedChooser {
        import_sources: vec![PathBuf::from(source)],
        folders: vec![out.to_path_buf()],
        ..ScriptedChooser::default()
    });
    menu_item(&mut harness, "Import…");
    harness
}

#[test]
fn file_import_writes_the_landscape_as_a_map_and_opens_it() {
    let (_dir, out) = common::temp_path("imported");
    let harness = import("tests/landscape/every-field/landscape.yml", &out);
    let app = harness.state();
    assert!(out.join("map.ron").is_file(), "the map is written");
    assert!(
        app.map().nodes.iter().any(|n| n.id == "ansible"),
        "and opened"
    );
    assert_eq!(app.recent().first(), Some(&out));
    assert_eq!(harness.get_all_by_label("every-field landscape").count(), 2);
    harness.get_by_label_contains("Imported 5 nodes into");
    // What was imported is news, not a failure: it reads in the text colour.
    let visuals = harness.ctx.global_style().visuals.clone();
    assert_eq!(
        text_colour(&harness, "Imported 5 nodes into"),
        Some(visuals.text_color())
    );
}

#[test]
fn file_import_of_a_csv_table_reads_its_folder() {
    let (_dir, out) = common::temp_path("from-csv");
    let harness = import("tests/csv/every-column/nodes.csv", &out);
    assert_eq!(harness.get_all_by_label("Every column").count(), 2);
    assert_eq!(harness.state().map().nodes.len(), 3);
}

#[test]
fn file_import_into_a_folder_holding_a_map_is_refused_and_the_map_stays() {
    let (_dir, out) = common::temp_path("taken");
    chainmap::io::starter::write_starter(&out).expect("a map is there");
    let before = std::fs::read(out.join("map.ron")).expect("reads");
    let harness = import("tests/landscape/every-field/landscape.yml", &out);
    harness.get_by_label_contains("already holds a map");
    let error = harness.ctx.global_style().visuals.error_fg_color;
    assert_eq!(text_colour(&harness, "already holds a map"), Some(error));
    // The title heads the top bar and the front page.
    assert_eq!(harness.get_all_by_label("The AI value chain").count(), 2);
    assert_eq!(std::fs::read(out.join("map.ron")).expect("reads"), before);
}

#[test]
fn file_new_map_writes_the_starter_map_and_opens_it() {
    let (_dir, out) = common::temp_path("new");
    let mut harness = harness(ScriptedChooser {
        import_sources: Vec::new(),
        folders: vec![out.clone()],
        ..ScriptedChooser::default()
    });
    menu_item(&mut harness, "New map…");
    // The title heads the top bar and the front page.
    assert_eq!(harness.get_all_by_label("My value chain").count(), 2);
    let app = harness.state();
    assert_eq!(app.map().nodes.len(), 2);
    assert!(out.join("theses.ron").is_file());
}

#[test]
fn file_export_web_page_writes_the_page_opening_on_the_window_s_selection() {
    let (_dir, out) = common::temp_path("map.html");
    let mut harness = harness(ScriptedChooser {
        web_pages: vec![out.clone()],
        ..ScriptedChooser::default()
    });
    let openai = harness
        .state()
        .map()
        .nodes
        .iter()
        .position(|n| n.id == "openai");
    harness.state_mut().select_node(openai);
    harness.run();
    menu_item(&mut harness, "Export web page…");
    let page = std::fs::read_to_string(&out).expect("the page is written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("default-src 'none'"));
    // The page opens where the window was: on OpenAI, in the window's language.
    assert!(
        page.contains("\"start\":\"sel=openai\""),
        "the start state names the selection"
    );
    assert!(page.contains("\"lang\":\"en\""));
}

#[test]
fn a_cancelled_dialog_changes_nothing() {
    let mut harness = harness(ScriptedChooser::default());
    menu_item(&mut harness, "Import…");
    menu_item(&mut harness, "New map…");
    // The title heads the top bar and the front page.
    assert_eq!(harness.get_all_by_label("The AI value chain").count(), 2);
}

#[test]
fn a_market_over_100_percent_by_rounding_shows_its_total() {
    let (_dir, file) = common::temp_path("shares.ron");
    let mut text = String::from(
        "Map(title: \"Shares\", sources: [Source(id: \"s\", title: \"R\")], tiers: [Tier(id: \"t\", name: \"T\")], markets: [Market(id: \"m\", name: \"Published shares\")], nodes: [",
    );
    for i in 0..15 {
        text.push_str(&format!(
            "Node(id: \"n{i}\", name: \"Firm {i}\", kind: Company, tier: \"t\"),"
        ));
    }
    text.push_str("], figures: [");
    for i in 0..15 {
        let low = if i == 14 { "6.5" } else { "6.7" };
        text.push_str(&format!(
            "Figure(id: \"f{i}\", subject: \"n{i}\", market: \"m\", metric: \"share\", low: {low}, unit: \"%\", qualifier: Approx, source: \"s\"),"
        ));
    }
    text.push_str("])");
    std::fs::write(&file, text).expect("writes");
    let loaded = chainmap::io::load(&file).expect("loads");
    assert_eq!((loaded.error_count(), loaded.warning_count()), (0, 1));
    let mut harness = common::window(ChainmapApp::new(loaded, Settings::default()));
    common::click(&mut harness, "Markets");
    harness.get_by_label("shares as published add up to 100.3%");
}
