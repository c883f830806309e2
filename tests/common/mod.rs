//! Helpers shared by the integration tests: running the real binary with a time limit.

#![allow(dead_code)]

pub mod inputs;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `chainmap ARGS` in the crate's folder; fails the test if it runs past `limit`
/// (a hang is a bug, and must not hang the test suite too).
pub fn chainmap_with_limit(args: &[&str], limit: Duration) -> Output {
    chainmap_in_with_limit(&manifest_dir(), args, limit)
}

/// Runs `chainmap ARGS` in `dir`, for commands that depend on the folder they run in
/// (`diff` finds the git repository of `REV:PATH` from it).
pub fn chainmap_in(dir: &Path, args: &[&str]) -> Output {
    chainmap_in_with_limit(dir, args, Duration::from_secs(60))
}

fn chainmap_in_with_limit(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainmap"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chainmap binary starts");
    // Read the pipes while waiting, so that a large output never stalls the child.
    let readers = [
        child.stdout.take().map(drain),
        child.stderr.take().map(drain),
    ];
    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("waits for chainmap") {
            Some(status) => break status,
            None if started.elapsed() > limit => {
                let _ = child.kill();
                panic!("chainmap {args:?} ran for more than {limit:?}");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let [stdout, stderr] = readers.map(|reader| {
        reader
            .map(|r| r.join().expect("reads the pipe"))
            .unwrap_or_default()
    });
    Output {
        status,
        stdout,
        stderr,
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buffer = Vec::new();
        let _ = pipe.read_to_end(&mut buffer);
        buffer
    })
}

pub fn chainmap(args: &[&str]) -> Output {
    chainmap_with_limit(args, Duration::from_secs(60))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// A copy of the bundled map in a temporary folder (dropped with the returned guard).
pub fn bundled_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("ai-value-chain");
    std::fs::create_dir(&root).expect("creates the map folder");
    for (name, text) in chainmap::io::bundled::BUNDLED_FILES {
        std::fs::write(root.join(name), text).expect("writes a map file");
    }
    (dir, root)
}

/// Every map file of the folder with its text, in name order.
pub fn map_texts(root: &Path) -> Vec<(PathBuf, String)> {
    chainmap::io::map_files(root)
        .expect("lists the map files")
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("reads a map file");
            (p, text)
        })
        .collect()
}

/// The size the window tests draw at: a laptop screen.
pub const WINDOW_SIZE: egui::Vec2 = egui::vec2(1400.0, 860.0);

/// A harness for the whole window at `size` (see [`window_from`]). Logos load in the
/// background, so a frame may take a few steps to settle.
pub fn window_at(app: chainmap::app::ChainmapApp, size: egui::Vec2) -> Window {
    window_from(
        egui_kittest::Harness::builder()
            .with_size(size)
            .with_max_steps(16),
        app,
    )
}

/// The whole window at the usual size, stepped a sixtieth of a second a frame (as a screen
/// shows it) so that a glide can be watched frame by frame, with room for the frames a
/// glide takes.
pub fn window_stepping(app: chainmap::app::ChainmapApp) -> Window {
    window_from(
        egui_kittest::Harness::builder()
            .with_size(WINDOW_SIZE)
            .with_max_steps(64)
            .with_step_dt(1.0 / 60.0),
        app,
    )
}

/// The whole window as `builder` sets it up, with the window's fonts from the first frame
/// (the bundled Chinese font: kittest fails on any glyph no font can draw), run until it
/// settles.
fn window_from(
    builder: egui_kittest::HarnessBuilder<chainmap::app::ChainmapApp>,
    app: chainmap::app::ChainmapApp,
) -> Window {
    let mut harness = builder
        .with_context_setup(chainmap::ui::setup)
        .build_ui_state(
            |ui, app: &mut chainmap::app::ChainmapApp| app.frame_ui(ui),
            app,
        );
    harness.run();
    harness
}

/// [`window_at`] the usual size.
pub fn window(app: chainmap::app::ChainmapApp) -> Window {
    window_at(app, WINDOW_SIZE)
}

/// Replaces entity `id` of `kind` by a copy with `field` set to `value` (RON text), as
/// one edit named `what`; the edit must be valid.
pub fn set_in(
    session: &mut chainmap::io::session::Session,
    kind: chainmap::model::EntityKind,
    id: &str,
    field: &str,
    value: &str,
    what: &str,
) {
    let entity = session.draft().get(kind, id).expect("exists");
    let changed = chainmap::io::field::set_field(&entity, field, value).expect("valid");
    let edit = session.draft().replace(changed, what).expect("replaceable");
    session.perform(edit).expect("valid");
}

/// Deletes entity `id` of `kind` as one edit; the edit must be valid.
pub fn delete_in(
    session: &mut chainmap::io::session::Session,
    kind: chainmap::model::EntityKind,
    id: &str,
) {
    let edit = session.draft().delete(kind, id).expect("deletable");
    session.perform(edit).expect("valid");
}

/// Adds `entity` to file part `part` as one edit; the id must be fresh and the edit valid.
pub fn add_in(
    session: &mut chainmap::io::session::Session,
    part: usize,
    entity: chainmap::model::Entity,
) {
    let edit = session.draft().add(part, entity).expect("a fresh id");
    session.perform(edit).expect("valid");
}

/// The figure `id` of `map`.
pub fn figure<'a>(map: &'a chainmap::model::Map, id: &str) -> &'a chainmap::model::Figure {
    map.figures
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{id}"))
}

/// The thesis `id` of `map`.
pub fn thesis<'a>(map: &'a chainmap::model::Map, id: &str) -> &'a chainmap::model::Thesis {
    map.theses
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("{id}"))
}

/// Runs `chainmap` with the words of `command` (split at white space, so no word of it
/// may hold a space) and then `more` (paths, which may).
pub fn run(command: &str, more: &[&str]) -> Output {
    let mut args: Vec<&str> = command.split_whitespace().collect();
    args.extend_from_slice(more);
    chainmap(&args)
}

/// [`run`], which must exit 0 (the test fails showing its stderr otherwise).
#[track_caller]
pub fn run_ok(command: &str, more: &[&str]) -> Output {
    let output = run(command, more);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    output
}

/// The run exited with `code` and its stderr holds `part`.
#[track_caller]
pub fn assert_exit(output: &Output, code: i32, part: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", stderr(output));
    assert!(stderr(output).contains(part), "{}", stderr(output));
}

/// `text` holds `part` (the test fails showing the whole text otherwise).
#[track_caller]
pub fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is missing in:\n{text}");
}

/// [`run_ok`], its standard output read as one JSON document.
#[track_caller]
pub fn json_ok(command: &str, more: &[&str]) -> serde_json::Value {
    let output = run_ok(command, more);
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// The run exited with `code`; `case` names the run in the failure message.
#[track_caller]
pub fn assert_code(case: impl std::fmt::Debug, output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{case:?}: {}",
        stderr(output)
    );
}

/// `text` holds every one of `parts`.
#[track_caller]
pub fn assert_has_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing {part} in:\n{text}");
    }
}

/// A path named `name` in a new temporary folder (removed when the returned guard drops).
pub fn temp_path(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    (dir, path)
}

/// The whole window, as [`window`] builds it.
pub type Window = egui_kittest::Harness<'static, chainmap::app::ChainmapApp>;

/// Clicks the widget labelled `label` outside the map (there must be exactly one), then
/// runs until the window settles.
pub fn click(harness: &mut Window, label: &str) {
    panel_node(harness, label).click();
    harness.run();
}

/// Whether an accessibility node is one of the map's bands, boxes or cards: inside the
/// group the map view names "Map" (地图 in Chinese).
pub fn on_map(node: &egui_kittest::Node<'_>) -> bool {
    use egui_kittest::kittest::NodeT;
    let mut at = node.accesskit_node().parent();
    while let Some(parent) = at {
        let label = parent.label();
        if parent.role() == egui::accesskit::Role::Group
            && matches!(label.as_deref(), Some("Map" | "地图"))
        {
            return true;
        }
        at = parent.parent();
    }
    false
}

/// The one node labelled `label` outside the map. The map's bands, boxes and cards carry
/// the names of what they draw, so a name the panels show is often on the map too.
#[track_caller]
pub fn panel_node<'t>(harness: &'t Window, label: &'t str) -> egui_kittest::Node<'t> {
    use egui_kittest::kittest::Queryable;
    let mut found = harness.query_all_by_label(label).filter(|n| !on_map(n));
    let node = found
        .next()
        .unwrap_or_else(|| panic!("nothing labelled {label:?} outside the map"));
    assert!(found.next().is_none(), "several {label:?} outside the map");
    node
}

/// The one band, box or card labelled `label` on the map.
#[track_caller]
pub fn map_node<'t>(harness: &'t Window, label: &'t str) -> egui_kittest::Node<'t> {
    use egui_kittest::kittest::Queryable;
    let mut found = harness.query_all_by_label(label).filter(on_map);
    let node = found
        .next()
        .unwrap_or_else(|| panic!("nothing labelled {label:?} on the map"));
    assert!(found.next().is_none(), "several {label:?} on the map");
    node
}

/// Types `text` into the top bar's search field (the first text field), then runs.
pub fn search(harness: &mut Window, text: &str) {
    use egui_kittest::kittest::Queryable;
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(text);
    harness.run();
}

/// [`search`], then Enter: the first match is picked.
pub fn search_and_pick(harness: &mut Window, text: &str) {
    search(harness, text);
    harness.key_press(egui::Key::Enter);
    harness.run();
}

/// The run's stderr, once it has exited with `code`.
#[track_caller]
pub fn stderr_after(output: &Output, code: i32) -> String {
    assert_eq!(output.status.code(), Some(code), "{}", stderr(output));
    stderr(output)
}

/// The index of node `id` in `map`, which must have it.
#[track_caller]
pub fn node_index(map: &chainmap::model::Map, id: &str) -> usize {
    map.nodes
        .iter()
        .position(|n| n.id == id)
        .unwrap_or_else(|| panic!("node {id} is in the map"))
}

/// The lines of `old` and `new` that differ (trimmed), which must have as many lines.
#[track_caller]
pub fn changed_lines(old: &str, new: &str) -> Vec<(String, String)> {
    assert_eq!(
        old.lines().count(),
        new.lines().count(),
        "line count changed"
    );
    old.lines()
        .zip(new.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
        .collect()
}

/// The ids of the nodes the window's trace lights, in index order.
pub fn traced_ids(app: &chainmap::app::ChainmapApp) -> Vec<&str> {
    let map = app.map();
    app.state()
        .traced()
        .into_iter()
        .flatten()
        .map(|&i| map.nodes[i].id.as_str())
        .collect()
}

/// The market lens laid over the map, if one is.
pub fn market_lens(harness: &Window) -> Option<&chainmap::model::market_lens::MarketLens> {
    harness.state().state().market.as_ref()
}

/// Another editor changes `path` on disk: the first `from` becomes `to` (the file must hold
/// `from`). Returns the new text.
#[track_caller]
pub fn edit_on_disk(path: &Path, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(path).expect("reads the file");
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "{from} is in {}", path.display());
    std::fs::write(path, &changed).expect("an editor saves");
    changed
}
