//! The window driven by the keyboard (issue 22): every command has a key or a palette
//! entry; keys act, and never while a text field has the cursor; the command palette finds
//! commands and entities in both languages and does what is picked; `?` shows the sheet
//! of shortcuts.

mod common;

use chainmap::app::{ChainmapApp, LeftTab, ScriptedChooser, Settings};
use chainmap::model::Lang;
use chainmap::ui::commands::Command;
use common::Window;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

/// The bundled map's window; its file dialogs answer nothing (as if cancelled).
fn bundled(lang: Lang) -> Window {
    let loaded = chainmap::io::bundled::load_bundled();
    let mut app = ChainmapApp::new(
        loaded,
        Settings {
            lang,
            ..Settings::default()
        },
    );
    app.set_chooser(Box::new(ScriptedChooser::default()));
    common::window(app)
}

fn press(harness: &mut Window, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

fn node(harness: &Window, id: &str) -> usize {
    harness
        .state()
        .map()
        .nodes
        .iter()
        .position(|n| n.id == id)
        .expect("the node is on the map")
}

/// The id of the market laid over the map, if one is.
fn market_shown(harness: &Window) -> Option<String> {
    common::market_lens(harness).map(|m| m.market_id.clone())
}

/// Opens the palette with Ctrl+K, types `query` and presses Enter.
fn palette_pick(harness: &mut Window, query: &str) {
    press(harness, Modifiers::COMMAND, Key::K);
    assert!(harness.state().palette_open(), "Ctrl+K opens the palette");
    // The palette's box has the cursor: typing goes there.
    harness.event(egui::Event::Text(query.to_owned()));
    harness.run();
    press(harness, Modifiers::NONE, Key::Enter);
    assert!(!harness.state().palette_open(), "Enter closes it");
}

#[test]
fn keys_fit_zoom_pan_and_open_the_panels() {
    let mut harness = bundled(Lang::En);
    let fitted = harness.state().camera();
    press(&mut harness, Modifiers::NONE, Key::Plus);
    let zoomed = harness.state().camera();
    assert!(zoomed.zoom > fitted.zoom * 1.2, "+ zooms in");
    press(&mut harness, Modifiers::NONE, Key::Minus);
    assert!(harness.state().camera().zoom < zoomed.zoom, "− zooms out");
    // Nothing selected: the arrows pan.
    let before = harness.state().camera().pan;
    press(&mut harness, Modifiers::NONE, Key::ArrowLeft);
    assert!(harness.state().camera().pan.x > before.x, "← pans");
    press(&mut harness, Modifiers::NONE, Key::F);
    assert_eq!(harness.state().camera(), fitted, "F fits");
    for (key, tab) in [
        (Key::M, LeftTab::Markets),
        (Key::L, LeftTab::Theses),
        (Key::I, LeftTab::Filters),
        (Key::O, LeftTab::Outline),
    ] {
        press(&mut harness, Modifiers::NONE, key);
        assert_eq!(harness.state().left_tab(), tab, "{key:?}");
    }
    press(&mut harness, Modifiers::NONE, Key::E);
    assert!(harness.state().state().editing, "E turns edit mode on");
    press(&mut harness, Modifiers::NONE, Key::E);
    assert!(!harness.state().state().editing, "and off");
}

#[test]
fn t_traces_the_selection_and_escape_clears_it() {
    let mut harness = bundled(Lang::En);
    let openai = node(&harness, "openai");
    harness.state_mut().select_node(Some(openai));
    harness.run();
    press(&mut harness, Modifiers::NONE, Key::T);
    let map = harness.state().map().clone();
    let expected = chainmap::model::trace::trace(&map, openai, &Default::default())
        .expect("OpenAI has a value chain");
    assert!(harness.state().state().trace.is_some(), "T traces");
    assert_eq!(
        harness.state().state().trace.as_ref().map(|lit| &lit.trace),
        Some(&expected),
        "the same trace as the model's"
    );
    // With a selection, ↑ walks to a customer instead of panning.
    let camera = harness.state().camera();
    press(&mut harness, Modifiers::NONE, Key::ArrowUp);
    let walked = harness.state().state().selected.expect("a selection");
    let walked_id = map.nodes[walked].id.clone();
    assert!(
        map.links
            .iter()
            .any(|l| l.from == "openai" && l.to == walked_id),
        "↑ walks a link out of OpenAI, to {walked_id}"
    );
    assert_ne!(harness.state().camera(), camera, "and brings it into view");
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert_eq!(harness.state().state().selected, None);
    assert!(harness.state().state().trace.is_none());
}

#[test]
fn keys_do_nothing_while_a_text_field_has_the_cursor() {
    let mut harness = bundled(Lang::En);
    // / puts the cursor in the search box.
    press(&mut harness, Modifiers::NONE, Key::Slash);
    let fitted = harness.state().camera();
    harness.event(egui::Event::Text("fme".to_owned()));
    harness.run();
    assert_eq!(
        harness.state().search_query(),
        "fme",
        "the text went to the search box"
    );
    assert_eq!(harness.state().camera(), fitted, "f typed is no Fit");
    assert_eq!(
        harness.state().left_tab(),
        LeftTab::Outline,
        "m typed is no Markets"
    );
    assert!(!harness.state().state().editing, "e typed is no edit mode");
    // Ctrl keys still work there: Ctrl+K opens the palette.
    press(&mut harness, Modifiers::COMMAND, Key::K);
    assert!(harness.state().palette_open());
}

#[test]
fn the_palette_goes_to_a_node_by_either_name_and_runs_commands() {
    let mut harness = bundled(Lang::En);
    palette_pick(&mut harness, "nvidia");
    let nvidia = node(&harness, "nvidia");
    assert_eq!(harness.state().state().selected, Some(nvidia));
    // A Chinese name finds its node, in the Chinese window.
    let mut chinese = bundled(Lang::Zh);
    let (named, name_zh) = chinese
        .state()
        .map()
        .nodes
        .iter()
        .enumerate()
        .find_map(|(i, n)| Some((i, n.name_zh.clone().filter(|zh| *zh != n.name)?)))
        .expect("a node with a Chinese name of its own");
    palette_pick(&mut chinese, &name_zh);
    assert_eq!(chinese.state().state().selected, Some(named), "{name_zh}");
    // A command by its words: the markets panel.
    palette_pick(&mut harness, "show the markets");
    assert_eq!(harness.state().left_tab(), LeftTab::Markets);
    // A market: its lens over the map.
    let market = harness.state().map().markets[0].clone();
    palette_pick(&mut harness, &market.name);
    assert_eq!(market_shown(&harness), Some(market.id));
    // The latest pick is offered first when the palette opens again.
    press(&mut harness, Modifiers::COMMAND, Key::K);
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert_eq!(
        market_shown(&harness),
        Some(harness.state().map().markets[0].id.clone()),
        "Enter on an empty box repeats the latest pick"
    );
}

#[test]
fn escape_closes_the_palette_and_question_mark_shows_every_shortcut() {
    let mut harness = bundled(Lang::En);
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    assert!(harness.state().palette_open(), "Ctrl+Shift+P opens it too");
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(!harness.state().palette_open());
    press(&mut harness, Modifiers::NONE, Key::Questionmark);
    for command in Command::ALL.iter().filter(|c| !c.keys().is_empty()) {
        let shown = |label: &str| harness.query_all_by_label(label).count() > 0;
        assert!(shown(command.label(Lang::En)), "{command:?}");
        assert!(shown(&command.keys_text(Lang::En)), "{command:?}'s keys");
    }
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert_eq!(harness.query_all_by_label("Keyboard shortcuts").count(), 0);
}

/// Every command in the palette runs from it without a panic and closes it (those that show
/// the system's file dialog are left out; New map…, Import… and the web page ask the
/// window's chooser, which answers nothing here, as a cancelled dialog).
#[test]
fn every_palette_command_runs_from_the_palette() {
    let mut harness = bundled(Lang::En);
    let openai = node(&harness, "openai");
    for command in Command::ALL
        .iter()
        .filter(|c| c.in_palette() && !c.shows_a_system_dialog() && **c != Command::Palette)
    {
        harness.state_mut().select_node(Some(openai));
        harness.run();
        palette_pick(&mut harness, command.label(Lang::En));
        if harness.query_all_by_label("Keyboard shortcuts").count() > 0 {
            press(&mut harness, Modifiers::NONE, Key::Escape);
        }
    }
}
