//! The market lens in the window, driven headless with egui_kittest: a market chosen in
//! the markets panel draws its shares on the map and dims the rest; in edit mode a share's
//! end is dragged on its card and saved as one changed line, undone; a share is added from
//! a card and deleted from it; a saved view keeps the lens and exports it.

mod common;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io;
use chainmap::ui::share_lens::{bar_rect, percent_at, percent_x};
use common::Window;
use egui::Color32;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};

/// The window on a copy of the bundled map (kept while the returned folder lives).
fn open_copy() -> (tempfile::TempDir, PathBuf, Window) {
    let (dir, root) = common::bundled_copy();
    let loaded = io::load(&root).expect("the copy loads");
    let app = ChainmapApp::new(loaded, Settings::default()).with_journal_dir(None);
    (dir, root, common::window_at(app, egui::vec2(1400.0, 900.0)))
}

/// [`open_copy`] in edit mode.
fn edit_copy() -> (tempfile::TempDir, PathBuf, Window) {
    let (dir, root, mut harness) = open_copy();
    common::click(&mut harness, "Edit mode");
    (dir, root, harness)
}

/// Opens the markets panel and lays the market titled `name` over the map.
fn choose_market(harness: &mut Window, name: &str) {
    common::click(harness, "Markets");
    let title = name.to_owned();
    harness.get_by_label(&title).scroll_to_me();
    harness.run();
    common::click(harness, &title);
}

/// Every text the last frame drew, with its colour, shapes in nested lists included.
fn drawn_texts(harness: &Window) -> Vec<(String, Color32)> {
    fn walk(shape: &egui::Shape, out: &mut Vec<(String, Color32)>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            egui::Shape::Text(text) => {
                let colour = text
                    .override_text_color
                    .or_else(|| text.galley.job.sections.first().map(|s| s.format.color))
                    .filter(|c| *c != Color32::PLACEHOLDER)
                    .unwrap_or(text.fallback_color);
                out.push((text.galley.job.text.clone(), colour));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

/// The id of the market laid over the map (there must be one).
#[track_caller]
fn market_shown(harness: &Window) -> String {
    let lens = common::market_lens(harness).expect("a market lens");
    lens.market_id.clone()
}

/// The last frame drew `text`.
#[track_caller]
fn assert_drawn(harness: &Window, text: &str) {
    let texts: Vec<String> = drawn_texts(harness).into_iter().map(|t| t.0).collect();
    assert!(
        texts.iter().any(|t| t == text),
        "\"{text}\" drawn: {texts:?}"
    );
}

/// The colour the last frame drew `text` in (its first drawing).
fn colour_of(harness: &Window, text: &str) -> Color32 {
    drawn_texts(harness)
        .into_iter()
        .find(|(t, _)| t == text)
        .unwrap_or_else(|| panic!("\"{text}\" is drawn"))
        .1
}

fn card(harness: &Window, id: &str) -> egui::Rect {
    harness
        .state()
        .node_screen_rect(common::node_index(harness.state().map(), id))
        .expect("drawn")
}

/// Presses and releases the pointer at `at`, as a click on the map.
fn click_at(harness: &mut Window, at: egui::Pos2) {
    harness.hover_at(at);
    harness.run();
    harness.drag_at(at);
    harness.drop_at(at);
    harness.run();
}

fn figure<'a>(harness: &'a Window, id: &str) -> Option<&'a chainmap::model::Figure> {
    harness.state().map().figures.iter().find(|f| f.id == id)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("reads the file")
}

#[test]
fn choosing_a_market_draws_its_shares_on_the_map_and_dims_the_others() {
    let (_dir, _root, mut harness) = open_copy();
    let undimmed = colour_of(&harness, "Hugging Face");
    choose_market(&mut harness, "Incremental AI-hardware value");
    assert_eq!(market_shown(&harness), "ai-hardware-value");
    // The shares, on the segments that hold them, and the concentration on their tier.
    // They are parts of hardware value, not firms: no HHI.
    for text in ["55–75%", "10–20%", "top-1 55–75% · no HHI (not firms)"] {
        assert_drawn(&harness, text);
    }
    // A node outside the hardware tier is dimmed; one inside a participating segment is
    // drawn as before.
    let dimmed = colour_of(&harness, "Hugging Face");
    assert!(dimmed.a() < undimmed.a(), "{dimmed:?} vs {undimmed:?}");
    assert_eq!(colour_of(&harness, "NVIDIA"), undimmed);
    // The lens card names the theses on the market's figures, one click from their claim.
    harness.get_by_label("Where incremental AI-hardware value goes");
    common::click(&mut harness, "Where incremental AI-hardware value goes");
    harness.get_by_label_contains("55–75% of the value goes to chips");
    // Closed from its card, the map is as it was.
    common::click(&mut harness, "Close the market lens");
    assert!(harness.state().state().market.is_none());
    assert_eq!(colour_of(&harness, "Hugging Face"), undimmed);
}

#[test]
fn a_node_s_share_is_drawn_on_its_card_and_chosen_from_the_inspector() {
    let (_dir, _root, mut harness) = open_copy();
    common::search_and_pick(&mut harness, "OpenAI");
    // The inspector lists OpenAI's shares; one click lays that market over the map.
    let line = "Large models as a new terminal: ≈ 70% · #1 of 1";
    harness.get_by_label(line).scroll_to_me();
    harness.run();
    common::click(&mut harness, line);
    assert_eq!(market_shown(&harness), "openai-as-terminal");
    assert_drawn(&harness, "≈ 70%");
    // Clicked again, the lens is off; a figure of OpenAI's in a market turns it on too.
    common::click(&mut harness, line);
    assert!(harness.state().state().market.is_none());
    let figure_line = "Market: Large models as new foundational infrastructure";
    harness.get_by_label(figure_line).scroll_to_me();
    harness.run();
    common::click(&mut harness, figure_line);
    assert_eq!(market_shown(&harness), "openai-as-infrastructure");
}

#[test]
fn dragging_a_share_bar_end_sets_it_saves_one_line_and_undoes() {
    let (_dir, root, mut harness) = edit_copy();
    let figures = root.join("figures.ron");
    let original = read(&figures);
    common::search_and_pick(&mut harness, "OpenAI");
    choose_market(&mut harness, "Large models as a new terminal");
    // q05 is OpenAI's "about 70%": drag its high end to the right.
    let card = card(&harness, "openai");
    let bar = bar_rect(card, harness.state().camera().zoom);
    let from = egui::pos2(percent_x(bar, 70.0) + 1.0, bar.center().y);
    let to = egui::pos2(percent_x(bar, 85.0), bar.center().y);
    drag_between(&mut harness, from, to);
    // Nothing is applied while the end moves.
    assert!(!harness.state().is_dirty(), "applied while dragging");
    harness.drop_at(to);
    harness.run();
    let expected = percent_at(bar, to.x, 1.0);
    assert!(expected > 80.0, "{expected}");
    let q05 = figure(&harness, "q05").expect("q05");
    assert_eq!((q05.low, q05.high), (Some(70.0), Some(expected)));
    // The markets panel, open beside the map, lists the new share.
    let row = |value: &str| format!("OpenAI: {value}");
    let dragged = row(&q05.display_value());
    assert!(
        harness.query_by_label(&dragged).is_some(),
        "the markets panel does not show {dragged}"
    );
    // The card was not moved: a drag on a bar's end is not a drag of the node.
    let openai = common::node_index(harness.state().map(), "openai");
    assert_eq!(harness.state().map().nodes[openai].pin, None);

    // One undo step takes it back; redone and saved, one line changed.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(figure(&harness, "q05").expect("q05").high, Some(70.0));
    assert!(harness.query_by_label(&row("≈ 70%")).is_some());
    assert!(harness.query_by_label(&dragged).is_none());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    let high = chainmap::model::format_number(expected);
    assert_eq!(
        common::changed_lines(&original, &read(&figures)),
        [("high: 70,".to_owned(), format!("high: {high},"))]
    );
    assert_eq!(io::load(&root).expect("loads").error_count(), 0);
}

#[test]
fn a_share_is_added_from_a_card_and_deleted_from_it() {
    let (_dir, root, mut harness) = edit_copy();
    common::search_and_pick(&mut harness, "Anthropic");
    // The inspector offers the markets held in Anthropic's segment (OpenAI's shares).
    harness.get_by_label_contains("Markets in ");
    harness
        .get_by_label("Large models as a new terminal")
        .scroll_to_me();
    harness.run();
    common::click(&mut harness, "Large models as a new terminal");
    assert_eq!(market_shown(&harness), "openai-as-terminal");
    // Anthropic holds no share of it: its card offers one.
    let anthropic = card(&harness, "anthropic");
    click_at(
        &mut harness,
        egui::pos2(anthropic.right() - 6.0, anthropic.top()),
    );
    harness.get_by_label("New figure");
    // The number is the editor's to give: tick `low`, then type it.
    harness.get_by_role_and_label(Role::CheckBox, "low").click();
    harness.run();
    let low = harness.get_by_role_and_label(Role::SpinButton, "low");
    low.click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.event(egui::Event::Text("20".into()));
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label("Add to the map").scroll_to_me();
    harness.run();
    common::click(&mut harness, "Add to the map");
    let added = harness
        .state()
        .map()
        .figures
        .iter()
        .find(|f| f.subject == "anthropic" && f.market.as_deref() == Some("openai-as-terminal"))
        .expect("the share is in the map")
        .clone();
    assert_eq!((added.low, added.unit.as_deref()), (Some(20.0), Some("%")));
    assert_eq!(added.metric, "market share");
    // Drawn on its card at once.
    assert_drawn(&harness, "≥ 20%");

    // Its card's × deletes it; undo brings it back.
    common::click(&mut harness, "Close");
    let anthropic = card(&harness, "anthropic");
    click_at(
        &mut harness,
        egui::pos2(anthropic.left() + 6.0, anthropic.top()),
    );
    assert!(figure(&harness, &added.id).is_none(), "deleted");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(figure(&harness, &added.id).is_some(), "undone");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    assert!(read(&root.join("figures.ron")).contains(&format!("id: \"{}\"", added.id)));
    assert_eq!(io::load(&root).expect("loads").error_count(), 0);
}

#[test]
fn a_saved_view_keeps_the_market_lens_and_exports_its_shares() {
    let (_dir, root, mut harness) = open_copy();
    choose_market(&mut harness, "Cloud computing services");
    harness
        .state_mut()
        .save_view("cloud shares")
        .expect("the view is saved");
    let views = read(&chainmap::ui::views::views_path(&root));
    assert!(views.contains("market: \"cloud-computing\""), "{views}");
    // Shown again after the lens was closed, the view brings it back.
    common::click(&mut harness, "Close the market lens");
    let view = chainmap::ui::views::read_views(&root)
        .expect("reads the views")
        .remove(0);
    harness.state_mut().apply_view(&view);
    harness.run();
    assert_eq!(market_shown(&harness), "cloud-computing");
    // The command line draws it from the view.
    let (_out_dir, out) = common::temp_path("view.svg");
    let output = common::chainmap(&[
        "export",
        common::path_str(&root),
        "--format",
        "svg",
        "--view",
        "cloud shares",
        "-o",
        common::path_str(&out),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let svg = read(&out);
    assert!(
        svg.contains(">70% · 4 jointly<"),
        "the joint share is drawn"
    );
}

#[test]
fn a_market_too_small_to_read_at_fit_is_brought_into_view_and_the_bundled_map_stays_fit() {
    use chainmap::io::{SourceFile, load_files, write};
    // A 2,000-node map at Fit is far too small to read. Its "rivals" market is held by
    // five nodes of one segment, as competitors are: chosen, their cards fill the view,
    // readable, each with its share.
    let mut map = chainmap::model::generate::generate(2_000, 1);
    let segment = map.nodes[0].segments[0].clone();
    let rivals: Vec<String> = map
        .nodes
        .iter()
        .filter(|n| n.segments.first() == Some(&segment))
        .take(5)
        .map(|n| n.id.clone())
        .collect();
    assert_eq!(rivals.len(), 5);
    map.markets.push(chainmap::model::Market {
        id: "rivals".into(),
        name: "Rivals".into(),
        name_zh: None,
        description: None,
        description_zh: None,
    });
    let template = map.figures[0].clone();
    for (k, rival) in rivals.iter().enumerate() {
        map.figures.push(chainmap::model::Figure {
            id: format!("rival-{k}"),
            subject: rival.clone(),
            market: Some("rivals".into()),
            low: Some(30.0 - 5.0 * k as f64),
            high: Some(32.0 - 5.0 * k as f64),
            ..template.clone()
        });
    }
    let text = write::to_ron(&write::map_file(&map)).expect("serializes");
    let loaded = load_files(
        Path::new("generated.ron"),
        vec![SourceFile::new(PathBuf::from("generated.ron"), Some(text))],
    );
    let mut harness = common::window_at(
        ChainmapApp::new(loaded, Settings::default()),
        egui::vec2(1400.0, 900.0),
    );
    harness.state_mut().fit_view();
    harness.run();
    let fit = harness.state().camera().zoom;
    assert!(fit < 0.38, "unreadable at Fit: {fit}");
    let on_screen = |harness: &Window, lens: &chainmap::model::market_lens::MarketLens| {
        for share in &lens.shares {
            let chainmap::model::market_lens::Holder::Node(node) = share.holder else {
                panic!("these shares are held by nodes");
            };
            let card = harness.state().node_screen_rect(node).expect("drawn");
            let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
            assert!(window.contains_rect(card), "{card:?} on screen");
            assert_drawn(harness, &share.text);
        }
    };
    harness.state_mut().show_market(Some("rivals"));
    harness.run();
    let lens = common::market_lens(&harness).expect("a market lens");
    assert_eq!(lens.shares.len(), 5);
    assert!(harness.state().camera().zoom >= 0.38, "readable");
    on_screen(&harness, lens);
    // A market spread across the map is brought whole into view, closer than Fit.
    harness.state_mut().fit_view();
    harness.run();
    harness.state_mut().show_market(Some("hardware-market"));
    harness.run();
    assert!(harness.state().camera().zoom > fit);
    let lens = common::market_lens(&harness).expect("a market lens");
    on_screen(&harness, lens);

    // The bundled map at Fit shows every share readable: choosing a market keeps the view.
    let (_dir, _root, mut harness) = open_copy();
    harness.state_mut().fit_view();
    harness.run();
    let fitted = harness.state().camera();
    choose_market(&mut harness, "Cloud computing services");
    // (Fit again, to the width the markets panel takes: within a point of where it was.)
    let kept = harness.state().camera();
    assert_eq!(kept.zoom, fitted.zoom);
    assert!(
        (kept.pan - fitted.pan).length() < 1.0,
        "{kept:?} vs {fitted:?}"
    );
}

#[test]
fn a_dragged_share_the_checker_refuses_shows_why_and_is_not_applied() {
    let (_dir, root, mut harness) = edit_copy();
    let figures = root.join("figures.ron");
    let original = read(&figures);
    choose_market(&mut harness, "Incremental AI-hardware value");
    // Chips hold 55–75% (q52); memory and interconnect at least 10% each. One end never
    // passes the other: chips' high goes to 100% first (fine), then its low to 95% would
    // put the lows at 115%.
    let chips = chainmap::model::market_lens::Holder::Segment(
        harness
            .state()
            .map()
            .segments
            .iter()
            .position(|s| s.id == "chips")
            .expect("the chips segment"),
    );
    let chips = harness.state().holder_screen_rect(chips).expect("drawn");
    let bar = bar_rect(chips, harness.state().camera().zoom);
    let at = |percent: f64| egui::pos2(percent_x(bar, percent), bar.center().y);
    drag_between(
        &mut harness,
        at(75.0) + egui::vec2(1.0, 0.0),
        at(100.0) + egui::vec2(4.0, 0.0),
    );
    harness.drop_at(at(100.0) + egui::vec2(4.0, 0.0));
    harness.run();
    assert_eq!(figure(&harness, "q52").expect("q52").high, Some(100.0));
    let saved_high = read(&figures);
    assert_eq!(saved_high, original, "not saved yet");
    drag_between(&mut harness, at(55.0) - egui::vec2(1.0, 0.0), at(95.0));
    // While it moves: the checker's reason, drawn under the bar.
    let problem = harness
        .state()
        .state()
        .share_problem
        .clone()
        .expect("the checker refuses it");
    assert!(problem.contains("more than 100%"), "{problem}");
    assert_drawn(&harness, &problem);
    harness.drop_at(at(95.0));
    harness.run();
    // Released: refused, said so, the figure and the file as they were.
    assert_eq!(figure(&harness, "q52").expect("q52").low, Some(55.0));
    let status = harness.state().edit_status().unwrap_or_default().to_owned();
    assert!(status.starts_with("Refused"), "{status}");
    // Only the high end's edit is there to undo.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(figure(&harness, "q52").expect("q52").high, Some(75.0));
    assert!(!harness.state().is_dirty());
    assert!(harness.state().state().share_problem.is_none());
    assert_eq!(read(&figures), original);
}

/// Presses at `from` and moves the pointer to `to` in four steps, not released.
fn drag_between(harness: &mut Window, from: egui::Pos2, to: egui::Pos2) {
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=4 {
        harness.hover_at(from.lerp(to, step as f32 / 4.0));
        harness.run();
    }
}
