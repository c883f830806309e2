//! Editing in the window, driven headless with egui_kittest on a copy of the bundled map:
//! a thesis and a figure edited through the inspector, undo, redo and save; refused
//! values; files changed on disk while clean and while dirty; the crash-recovery journal;
//! the prompt on quitting with unsaved edits.

mod common;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io;
use chainmap::model::{Stance, Thesis};
use common::edit_on_disk;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    journal: PathBuf,
}

fn fixture() -> Fixture {
    let (dir, root) = common::bundled_copy();
    let journal = dir.path().join("journal");
    Fixture {
        _dir: dir,
        root,
        journal,
    }
}

fn open(fixture: &Fixture) -> Harness<'static, ChainmapApp> {
    let loaded = io::load(&fixture.root).expect("the copy loads");
    let app = ChainmapApp::new(loaded, Settings::default())
        .with_journal_dir(Some(fixture.journal.clone()));
    common::window_at(app, egui::vec2(1400.0, 900.0))
}

/// Turns edit mode on and selects a node through the search, as a person would.
fn edit_node(harness: &mut Harness<'static, ChainmapApp>, name: &str) {
    press(harness, "Edit mode");
    common::search_and_pick(harness, name);
}

fn thesis<'a>(harness: &'a Harness<'static, ChainmapApp>, id: &str) -> &'a Thesis {
    theses(harness)
        .iter()
        .find(|t| t.id == id)
        .expect("the thesis exists")
}

fn figure_high(harness: &Harness<'static, ChainmapApp>, id: &str) -> Option<f64> {
    harness
        .state()
        .map()
        .figures
        .iter()
        .find(|f| f.id == id)
        .expect("the figure exists")
        .high
}

/// The theses of the window's map.
fn theses<'a>(harness: &'a Harness<'static, ChainmapApp>) -> &'a [Thesis] {
    &harness.state().map().theses
}

/// The nodes of the window's map.
fn nodes<'a>(harness: &'a Harness<'static, ChainmapApp>) -> &'a [chainmap::model::Node] {
    &harness.state().map().nodes
}

/// The path of the fixture's map file `file`, and its text now.
fn path_and_text(fixture: &Fixture, file: &str) -> (PathBuf, String) {
    let path = fixture.root.join(file);
    let text = read(&path);
    (path, text)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("reads the file")
}

/// Presses Command (Ctrl) + `key`, then runs.
fn command_key(harness: &mut Harness<'static, ChainmapApp>, key: egui::Key) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
    harness.run();
}

/// Makes the window look at the files on disk now (as its file watcher would), then runs.
fn check_disk(harness: &mut Harness<'static, ChainmapApp>) {
    harness.state_mut().check_disk();
    harness.run();
}

/// Enters the field (`role`, `label`) by a click (`click`, as a number field wants) or by
/// focus, and selects all its text with Command-A.
fn select_all(harness: &mut Harness<'static, ChainmapApp>, role: Role, label: &str, click: bool) {
    let field = harness.get_by_role_and_label(role, label);
    if click {
        field.click();
    } else {
        field.focus();
    }
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
}

/// Types `text` as one key press of a person typing, then runs.
fn type_key(harness: &mut Harness<'static, ChainmapApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run();
}

/// Scrolls to the widget labelled `label`, as a person would, and clicks it.
fn press(harness: &mut Harness<'static, ChainmapApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    common::click(harness, label);
}

/// Chooses `option` in the form's combo box for `field`.
fn choose(harness: &mut Harness<'static, ChainmapApp>, field: &str, option: &str) {
    harness.get_by_role_and_label(Role::ComboBox, field).click();
    harness.run();
    common::click(harness, option);
}

/// The window on the fixture in edit mode with `node` selected, after a press of `button`
/// (which opens a form).
fn form(fixture: &Fixture, node: &str, button: &str) -> Harness<'static, ChainmapApp> {
    let mut harness = open(fixture);
    edit_node(&mut harness, node);
    press(&mut harness, button);
    harness
}

/// The window on the fixture with OpenAI's thesis t-0-2 turned bearish (unsaved).
fn open_with_an_edit(fixture: &Fixture) -> Harness<'static, ChainmapApp> {
    let mut harness = form(fixture, "OpenAI", "Edit thesis \"t-0-2\"");
    choose(&mut harness, "stance", "bearish");
    assert!(harness.state().is_dirty());
    harness
}

/// The window with [`open_with_an_edit`]'s edit after the map's `file` changed on disk
/// (`from` replaced by `to`) and the window looked: the window, the file's path and the
/// text now on disk.
fn changed_under_the_edit(
    fixture: &Fixture,
    file: &str,
    from: &str,
    to: &str,
) -> (Harness<'static, ChainmapApp>, PathBuf, String) {
    let path = fixture.root.join(file);
    let mut harness = open_with_an_edit(fixture);
    let theirs = edit_on_disk(&path, from, to);
    check_disk(&mut harness);
    (harness, path, theirs)
}

#[test]
fn a_thesis_edited_in_the_inspector_undoes_redoes_and_saves_one_line() {
    let fixture = fixture();
    let (theses, original) = path_and_text(&fixture, "theses.ron");
    let mut harness = form(&fixture, "OpenAI", "Edit thesis \"t-0-2\"");
    harness.get_by_label("Edit thesis \"t-0-2\"");

    // A choice applies at once.
    choose(&mut harness, "stance", "bearish");
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bearish);
    assert!(harness.state().is_dirty());

    // A text applies when the field is left.
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .type_text("Challengers came");
    harness.run();
    assert_eq!(
        thesis(&harness, "t-0-2").title,
        "The predicted challengers have arrived",
        "not applied while typing"
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(thesis(&harness, "t-0-2").title, "Challengers came");

    // Undo both, redo one.
    command_key(&mut harness, egui::Key::Z);
    assert_eq!(
        thesis(&harness, "t-0-2").title,
        "The predicted challengers have arrived"
    );
    command_key(&mut harness, egui::Key::Z);
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bullish);
    assert!(!harness.state().is_dirty());
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bearish);
    // The form shows the map's value again after undo and redo.
    harness.get(
        By::new()
            .role(Role::ComboBox)
            .label("stance")
            .value("bearish"),
    );

    command_key(&mut harness, egui::Key::S);
    assert!(!harness.state().is_dirty());
    let changes = common::changed_lines(&original, &read(&theses));
    assert_eq!(
        changes,
        vec![("stance: Bullish,".to_owned(), "stance: Bearish,".to_owned())]
    );
    assert_eq!(changes.len(), 1);
}

#[test]
fn a_figure_edited_in_the_inspector_opens_its_range_and_refuses_a_bad_value() {
    let fixture = fixture();
    let (figures, original) = path_and_text(&fixture, "figures.ron");
    let mut harness = form(&fixture, "OpenAI", "Edit figure \"q02\"");

    // q02 is "about 90 %": a high above 100 % is refused at the widget, with its reason.
    select_all(&mut harness, Role::SpinButton, "high", true);
    // Typed a digit at a time, as a person types: nothing is applied while typing, and the
    // field keeps the keyboard while the errors of "1" and "12" appear above it.
    for digit in ["1", "2", "0"] {
        type_key(&mut harness, digit);
        assert!(!harness.state().is_dirty(), "applied while typing");
    }
    let typed = match harness.state().form_entity() {
        Some(chainmap::model::Entity::Figure(figure)) => figure.high,
        other => panic!("the figure's form is open, got {other:?}"),
    };
    assert_eq!(typed, Some(120.0));
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label_contains("`high` is 120%, outside 0–100%");
    harness.get_by_label_contains("Not applied");
    assert_eq!(figure_high(&harness, "q02"), Some(90.0));
    assert!(!harness.state().is_dirty());

    // Leaving the high end open is fine.
    press(&mut harness, "Close");
    press(&mut harness, "Edit figure \"q02\"");
    let checkboxes: Vec<_> = harness.get_all_by_role(Role::CheckBox).collect();
    assert_eq!(checkboxes.len(), 2, "low and high");
    checkboxes[1].click();
    harness.run();
    assert_eq!(figure_high(&harness, "q02"), None);

    command_key(&mut harness, egui::Key::Z);
    assert_eq!(figure_high(&harness, "q02"), Some(90.0));
    command_key(&mut harness, egui::Key::Y);
    assert_eq!(figure_high(&harness, "q02"), None);
    press(&mut harness, "● Save");
    // Exactly one line went: q02's `high`.
    let saved = read(&figures);
    let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
        (original.lines().collect(), saved.lines().collect());
    let at = old_lines
        .iter()
        .zip(&new_lines)
        .position(|(a, b)| a != b)
        .expect("a line changed");
    assert_eq!(old_lines[at].trim(), "high: 90,");
    let mut expected = old_lines.clone();
    expected.remove(at);
    assert_eq!(new_lines, expected);
    assert!(
        old_lines[..at]
            .iter()
            .rev()
            .take(8)
            .any(|l| l.contains("id: \"q02\""))
    );
    let reloaded = io::load(&fixture.root).expect("loads");
    assert_eq!(reloaded.error_count(), 0);
}

#[test]
fn a_change_on_disk_reloads_a_clean_map_in_place() {
    let fixture = fixture();
    let mut harness = open(&fixture);
    edit_node(&mut harness, "OpenAI");
    let selected = harness.state().state().selected;
    let theses = fixture.root.join("theses.ron");
    edit_on_disk(&theses, "stance: Bullish", "stance: Mixed");

    // The watcher wakes the window; wait for it, as the window would.
    let deadline = Instant::now() + Duration::from_secs(30);
    while thesis(&harness, "t-0-1").stance != Stance::Mixed && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    assert_eq!(thesis(&harness, "t-0-1").stance, Stance::Mixed);
    assert_eq!(
        harness.state().state().selected,
        selected,
        "the selection stays"
    );
    assert!(!harness.state().is_dirty());
    assert!(!harness.state().has_conflict());
}

#[test]
fn a_change_on_disk_while_dirty_raises_the_conflict_and_loses_neither_side() {
    let fixture = fixture();
    let (mut harness, theses, theirs) =
        changed_under_the_edit(&fixture, "theses.ron", "conviction: 4", "conviction: 2");
    assert!(harness.state().has_conflict());
    assert!(harness.state().is_dirty(), "my edit is kept");
    assert_eq!(read(&theses), theirs, "their file is untouched");
    let difference = harness.state().conflict_difference();
    common::assert_has(&difference, "-            stance: Bullish,");
    common::assert_has(&difference, "+            stance: Bearish,");

    // Saving now is refused: the file changed under the edit.
    command_key(&mut harness, egui::Key::S);
    assert_eq!(read(&theses), theirs);
    assert!(harness.state().is_dirty());

    press(&mut harness, "Keep mine");
    assert!(!harness.state().has_conflict());
    command_key(&mut harness, egui::Key::S);
    assert!(read(&theses).contains("stance: Bearish"));
    assert!(!harness.state().is_dirty());
}

#[test]
fn a_change_on_disk_to_another_file_merges_with_my_edits() {
    let fixture = fixture();
    let (mut harness, hardware, theirs) = changed_under_the_edit(
        &fixture,
        "hardware.ron",
        "name: \"NVIDIA\"",
        "name: \"Nvidia\"",
    );
    assert!(!harness.state().has_conflict());
    assert!(nodes(&harness).iter().any(|n| n.name == "Nvidia"));
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bearish);
    // My edit can still be undone, and saving writes only my file.
    command_key(&mut harness, egui::Key::S);
    assert_eq!(read(&hardware), theirs);
    assert!(read(&fixture.root.join("theses.ron")).contains("stance: Bearish"));
}

#[test]
fn taking_theirs_keeps_a_copy_of_mine_and_shows_the_disk_version() {
    let fixture = fixture();
    let (mut harness, theses, theirs) =
        changed_under_the_edit(&fixture, "theses.ron", "conviction: 4", "conviction: 2");
    press(&mut harness, "Take theirs");
    assert!(!harness.state().is_dirty());
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bullish);
    assert_eq!(thesis(&harness, "t-0-1").conviction, 2);
    assert_eq!(read(&theses), theirs);
    // Mine is not lost: a copy is kept in the app's data folder.
    let status = harness.state().edit_status().unwrap_or_default().to_owned();
    let kept = status
        .split("kept in ")
        .nth(1)
        .map(PathBuf::from)
        .expect("the status names the folder");
    assert!(read(&kept.join("theses.ron")).contains("stance: Bearish"));
}

#[test]
fn unsaved_edits_are_offered_back_after_a_crash() {
    let fixture = fixture();
    {
        let _harness = open_with_an_edit(&fixture);
        // The window goes away without saving (a crash, a kill).
    }
    let mut harness = open(&fixture);
    assert!(harness.state().has_recovery());
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bullish);
    press(&mut harness, "Restore them");
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bearish);
    assert!(harness.state().is_dirty());
    command_key(&mut harness, egui::Key::S);
    assert!(read(&fixture.root.join("theses.ron")).contains("stance: Bearish"));

    // Once saved, nothing is offered again.
    let harness = open(&fixture);
    assert!(!harness.state().has_recovery());
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let fixture = fixture();
    let mut harness = open_with_an_edit(&fixture);

    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    let cancelled = harness.output().viewport_output.values().any(|v| {
        v.commands
            .iter()
            .any(|c| matches!(c, egui::ViewportCommand::CancelClose))
    });
    assert!(cancelled, "the window stays open");
    harness.run();
    harness.get_by_label("Save your edits before quitting?");
    press(&mut harness, "Cancel");
    assert!(
        harness
            .query_by_label("Save your edits before quitting?")
            .is_none()
    );
    assert!(harness.state().is_dirty());
}

#[test]
fn a_new_thesis_about_the_selected_node_is_added_and_deleted() {
    let fixture = fixture();
    let mut harness = form(&fixture, "Midjourney", "+ Thesis");
    harness.get_by_label("New thesis");
    // Not addable until it has a title and a claim.
    harness.get_by_label_contains("`title` is empty");
    for (role, field, text) in [
        (Role::TextInput, "title", "Image models monetise first"),
        (
            Role::MultilineTextInput,
            "claim",
            "Paid image generation reaches profit before chat.",
        ),
    ] {
        harness.get_by_role_and_label(role, field).focus();
        harness.get_by_role_and_label(role, field).type_text(text);
        harness.run();
    }
    press(&mut harness, "Add to the map");
    let added = theses(&harness)
        .iter()
        .find(|t| t.title == "Image models monetise first")
        .expect("the thesis is in the map")
        .clone();
    assert_eq!(added.id, "thesis-1");
    assert_eq!(added.about, ["midjourney"]);
    harness.get_by_label("Edit thesis \"thesis-1\"");

    press(&mut harness, "Delete");
    assert!(theses(&harness).iter().all(|t| t.id != "thesis-1"));
    // Undo brings it back; saving writes it in the theses file's style.
    command_key(&mut harness, egui::Key::Z);
    assert!(theses(&harness).iter().any(|t| t.id == "thesis-1"));
    command_key(&mut harness, egui::Key::S);
    let text = read(&fixture.root.join("theses.ron"));
    assert!(
        text.contains("        Thesis(\n            id: \"thesis-1\",\n            title: \"Image models monetise first\",\n"),
        "{}",
        &text[text.len().saturating_sub(800)..]
    );
    assert!(text.contains("            about: [\"midjourney\"],\n"));
    assert_eq!(io::load(&fixture.root).expect("loads").error_count(), 0);
}

fn node_centre(harness: &Harness<'static, ChainmapApp>, id: &str) -> egui::Pos2 {
    let app = harness.state();
    let index = app
        .map()
        .nodes
        .iter()
        .position(|n| n.id == id)
        .expect("the node exists");
    app.node_screen_rect(index).expect("drawn").center()
}

#[test]
fn picking_on_the_map_fills_a_thesis_and_dragging_a_node_pins_it() {
    let fixture = fixture();
    let mut harness = form(&fixture, "OpenAI", "Edit thesis \"t-0-2\"");
    press(&mut harness, "Pick on map");
    // The whole map in view, so that Codex is on screen wherever the layout puts it.
    harness.state_mut().fit_view();
    harness.run();
    let codex = node_centre(&harness, "codex");
    harness.hover_at(codex);
    harness.run();
    harness.drag_at(codex);
    harness.drop_at(codex);
    harness.run();
    assert_eq!(
        thesis(&harness, "t-0-2").about,
        ["openai", "anthropic", "codex"]
    );
    harness.key_press(egui::Key::Escape);
    harness.run();

    // Drag Codex 120 points sideways, towards the other column of its segment's grid
    // (right, unless the layout put it in the rightmost column): it is pinned where it was
    // dropped, and drawn in the cell of its segment's grid nearest that point.
    let from = node_centre(&harness, "codex");
    let segment = nodes(&harness)
        .iter()
        .find(|n| n.id == "codex")
        .and_then(|n| n.segments.first().cloned())
        .expect("codex sits in a segment");
    let neighbours: Vec<String> = nodes(&harness)
        .iter()
        .filter(|n| n.id != "codex" && n.segments.first() == Some(&segment))
        .map(|n| n.id.clone())
        .collect();
    let room_on_the_right = neighbours
        .iter()
        .any(|id| node_centre(&harness, id).x > from.x + 10.0);
    let direction = if room_on_the_right { 1.0 } else { -1.0 };
    let to = from + egui::vec2(120.0 * direction, 0.0);
    harness.drag_at(from);
    harness.run();
    for step in 1..=6 {
        harness.hover_at(from + egui::vec2(20.0 * step as f32 * direction, 0.0));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
    let codex = nodes(&harness)
        .iter()
        .find(|n| n.id == "codex")
        .expect("codex")
        .clone();
    let (x, _) = codex.pin.expect("pinned");
    let after = node_centre(&harness, "codex");
    let index = nodes(&harness)
        .iter()
        .position(|n| n.id == "codex")
        .expect("codex");
    let card = harness.state().node_screen_rect(index).expect("drawn");
    assert!(
        (after.x - from.x) * direction > 10.0
            && (after.x - to.x).abs() <= card.width() * 0.5 + 12.0,
        "drawn in the cell nearest the drop: {after:?} vs {to:?}"
    );
    assert!(x.is_finite());
    command_key(&mut harness, egui::Key::S);
    let text = read(&fixture.root.join("foundation-models.ron"));
    assert!(text.contains(&format!("pin: ({}, ", x)), "{x}");
}

#[test]
fn opening_another_map_with_unsaved_edits_is_refused() {
    let fixture = fixture();
    let mut harness = open_with_an_edit(&fixture);
    let other = common::manifest_dir().join("maps/reference.ron");
    harness.state_mut().open_path(&other);
    harness.run();
    harness.get_by_label_contains("unsaved edits: save them");
    assert!(harness.state().is_dirty());
    assert_eq!(thesis(&harness, "t-0-2").stance, Stance::Bearish);
}

#[test]
fn tags_are_typed_a_key_at_a_time() {
    let fixture = fixture();
    let mut harness = form(&fixture, "OpenAI", "Edit thesis \"t-0-2\"");
    select_all(&mut harness, Role::TextInput, "tags", false);
    for key in ["a", "i", ",", " ", "c", "l", "o", "u", "d"] {
        type_key(&mut harness, key);
    }
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(thesis(&harness, "t-0-2").tags, ["ai", "cloud"]);
}

/// The window on the fixture stepped a sixtieth of a second a frame, and its cards' places
/// on screen.
fn open_stepping(fixture: &Fixture) -> Harness<'static, ChainmapApp> {
    let loaded = io::load(&fixture.root).expect("the copy loads");
    let app = ChainmapApp::new(loaded, Settings::default())
        .with_journal_dir(Some(fixture.journal.clone()));
    common::window_stepping(app)
}

/// Codex moved to the open-source models on disk, and the window told (as its file watcher
/// would): the window reloads the map and lays it out again. Returns Codex's card on screen
/// before.
fn codex_moved_on_disk(
    fixture: &Fixture,
    harness: &mut Harness<'static, ChainmapApp>,
) -> egui::Rect {
    let before = card(harness, "codex");
    edit_on_disk(
        &fixture.root.join("foundation-models.ron"),
        "segments: [\"closed-source-models\"],\n            organisation: \"openai\"",
        "segments: [\"open-source-models\"],\n            organisation: \"openai\"",
    );
    harness.state_mut().check_disk();
    before
}

/// Node `id`'s card as drawn in the last frame.
fn card(harness: &Harness<'static, ChainmapApp>, id: &str) -> egui::Rect {
    let index = common::node_index(harness.state().map(), id);
    harness.state().node_screen_rect(index).expect("drawn")
}

/// Whether `p` lies between `a` and `b` on both axes and clear of both ends.
fn strictly_between(p: egui::Pos2, a: egui::Pos2, b: egui::Pos2) -> bool {
    let within = |v: f32, x: f32, y: f32| x.min(y) - 0.5 <= v && v <= x.max(y) + 0.5;
    within(p.x, a.x, b.x) && within(p.y, a.y, b.y) && p.distance(a) > 1.0 && p.distance(b) > 1.0
}

#[test]
fn a_card_an_edit_moves_glides_to_its_new_place_and_settles() {
    let fixture = fixture();
    let mut harness = open_stepping(&fixture);
    assert!(harness.state().motion(), "motion is on by default");
    let before = codex_moved_on_disk(&fixture, &mut harness);
    // Frame by frame, at most a second of them: the card leaves its old place, passes
    // between, and stops at its new one.
    let mut path = Vec::new();
    for _ in 0..60 {
        harness.step();
        path.push(card(&harness, "codex").center());
        if !harness.state().gliding() {
            break;
        }
    }
    assert!(!harness.state().gliding(), "the glide ends");
    let end = *path.last().expect("frames were drawn");
    assert!(
        end.distance(before.center()) > 20.0,
        "Codex moved to another box: {before:?} → {end:?}"
    );
    let midway = path
        .iter()
        .filter(|p| strictly_between(**p, before.center(), end))
        .count();
    assert!(
        midway >= 3,
        "drawn between its old and new place for a few frames: {path:?}"
    );
    // Settled: further frames leave it where it is, drawn as laid out, and no more frames
    // are asked for.
    let frames = harness.run();
    assert!(frames <= 2, "{frames} more frames asked for");
    assert_eq!(card(&harness, "codex").center(), end);
    assert_eq!(harness.state().shown_layout(), harness.state().layout());
    assert!(path.len() <= 16, "about 200 ms of frames: {}", path.len());
}

#[test]
fn with_motion_off_a_card_an_edit_moves_jumps() {
    let fixture = fixture();
    let mut harness = open_stepping(&fixture);
    harness.state_mut().set_motion(false);
    let before = codex_moved_on_disk(&fixture, &mut harness);
    harness.step();
    let jumped = card(&harness, "codex").center();
    assert!(!harness.state().gliding());
    assert!(jumped.distance(before.center()) > 20.0);
    harness.run();
    assert_eq!(
        card(&harness, "codex").center(),
        jumped,
        "already where it stays"
    );
}

#[test]
fn undoing_a_deletion_brings_the_card_back_fading_in() {
    let fixture = fixture();
    let mut harness = open_stepping(&fixture);
    edit_node(&mut harness, "Codex");
    press(&mut harness, "Edit node");
    press(&mut harness, "Delete");
    assert!(nodes(&harness).iter().all(|n| n.id != "codex"));
    assert!(
        !harness.state().gliding(),
        "the glide after the deletion is over"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.step();
    let codex = common::node_index(harness.state().map(), "codex");
    // Frame by frame, at most a second of them.
    let mut opacities = vec![harness.state().node_opacity(codex)];
    for _ in 0..60 {
        harness.step();
        opacities.push(harness.state().node_opacity(codex));
        if !harness.state().gliding() {
            break;
        }
    }
    assert!(!harness.state().gliding(), "the glide ends");
    assert!(
        opacities.iter().any(|o| (0.1..0.9).contains(o)),
        "Codex fades in: {opacities:?}"
    );
    assert!(opacities.windows(2).all(|w| w[0] <= w[1]), "{opacities:?}");
    assert_eq!(harness.state().node_opacity(codex), 1.0);
}
