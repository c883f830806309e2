//! Editing and saving: saves change only what was edited, undo gives back the original
//! bytes, and refused edits change nothing.

mod common;

use chainmap::io::field::{field_names, set_field};
use chainmap::io::save::{self, OnDiskChange, ReadBack};
use chainmap::io::session::{Session, SessionError};
use chainmap::io::{self, LoadedMap, bundled};
use chainmap::model::{Draft, Entity, EntityKind, EntityType, History};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Every map shipped in `maps/`.
fn shipped_maps() -> Vec<PathBuf> {
    let maps = common::manifest_dir().join("maps");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&maps)
        .expect("maps/ is readable")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    paths.sort();
    paths
}

fn texts(loaded: &LoadedMap) -> Vec<Option<String>> {
    loaded.files.iter().map(|f| f.text.clone()).collect()
}

fn read_all(root: &Path) -> Vec<(String, String)> {
    common::map_texts(root)
        .into_iter()
        .map(|(path, text)| (path.display().to_string(), text))
        .collect()
}

/// The lines of `new` that differ from `old`, when both have as many lines.
fn changed_lines(old: &str, new: &str) -> Vec<(String, String)> {
    assert_eq!(
        old.lines().count(),
        new.lines().count(),
        "line count changed"
    );
    let mut changed = Vec::new();
    for (a, b) in old.lines().zip(new.lines()) {
        if a != b {
            changed.push((a.to_owned(), b.to_owned()));
        }
    }
    changed
}

#[test]
fn a_save_with_no_edit_writes_nothing_and_every_byte_stays() {
    for path in shipped_maps() {
        let loaded = io::load(&path).expect("a shipped map loads");
        let before = texts(&loaded);
        // Every entity replaced by an equal copy: the text must not move.
        let mut draft = loaded.draft.clone();
        let mut history = History::default();
        for kind in EntityKind::ALL {
            let ids: Vec<String> = (0..draft.merged().count(kind))
                .filter_map(|i| Some(draft.merged().entity(kind, i)?.id().to_owned()))
                .collect();
            for id in ids {
                let entity = draft.get(kind, &id).expect("the entity exists");
                let edit = draft.replace(entity, "no-op").expect("replaceable");
                history.perform(&mut draft, edit).expect("applies");
            }
        }
        let saved = save::texts(&loaded, &draft, ReadBack::Check).expect("patches");
        let after: Vec<Option<String>> = saved.into_iter().map(|f| f.text).collect();
        assert_eq!(after, before, "{}", path.display());

        let mut session = Session::new(loaded);
        let written = session.save(OnDiskChange::Refuse).expect("saves");
        assert!(written.is_empty(), "{written:?}");
    }
}

#[test]
fn a_one_field_edit_of_a_thesis_and_of_a_figure_changes_one_line_each() {
    let (_dir, root) = common::bundled_copy();
    let before = read_all(&root);
    let comments = |files: &[(String, String)]| -> Vec<String> {
        files
            .iter()
            .flat_map(|(_, text)| text.lines().filter(|l| l.contains("//")))
            .map(str::to_owned)
            .collect()
    };

    let mut session = Session::new(io::load(&root).expect("loads"));
    for (kind, id, field, value) in [
        (EntityKind::Thesis, "t-0-1", "conviction", "3"),
        (EntityKind::Figure, "q52", "high", "74"),
    ] {
        common::set_in(
            &mut session,
            kind,
            id,
            field,
            value,
            &format!("set {field}"),
        );
    }
    assert!(session.is_dirty());
    let written = session.save(OnDiskChange::Refuse).expect("saves");
    assert_eq!(written.len(), 2, "{written:?}");
    assert!(!session.is_dirty());

    let after = read_all(&root);
    let mut changes = Vec::new();
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        for change in changed_lines(old, new) {
            changes.push((
                name.rsplit('/').next().unwrap_or_default().to_owned(),
                change,
            ));
        }
    }
    assert_eq!(
        changes,
        vec![
            (
                "figures.ron".to_owned(),
                (
                    "            high: 75,".to_owned(),
                    "            high: 74,".to_owned()
                )
            ),
            (
                "theses.ron".to_owned(),
                (
                    "            conviction: 4,".to_owned(),
                    "            conviction: 3,".to_owned()
                )
            ),
        ]
    );
    assert_eq!(comments(&before), comments(&after));
    let reloaded = io::load(&root).expect("loads");
    assert_eq!(reloaded.error_count(), 0);
    assert_eq!(&reloaded.map, session.map());
}

#[test]
fn refused_edits_change_nothing_on_disk() {
    let (_dir, root) = common::bundled_copy();
    let before = read_all(&root);
    let mut session = Session::new(io::load(&root).expect("loads"));
    let figure = session
        .draft()
        .get(EntityKind::Figure, "q52")
        .expect("exists");
    // q52 is 55–75 %: a high below the low, a share over 100 %, a dangling market.
    for (field, value) in [("high", "40"), ("high", "120"), ("market", "\"nowhere\"")] {
        let changed = set_field(&figure, field, value).expect("well-typed");
        let edit = session
            .draft()
            .replace(changed, "bad")
            .expect("replaceable");
        match session.perform(edit) {
            Err(SessionError::Refused(verdict)) => assert!(!verdict.errors.is_empty()),
            other => panic!("{field} = {value} should be refused, got {other:?}"),
        }
    }
    assert!(!session.is_dirty());
    assert!(
        session
            .save(OnDiskChange::Refuse)
            .expect("saves")
            .is_empty()
    );
    assert_eq!(read_all(&root), before);
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_silently() {
    let (_dir, root) = common::bundled_copy();
    let mut session = Session::new(io::load(&root).expect("loads"));
    common::set_in(
        &mut session,
        EntityKind::Thesis,
        "t-0-1",
        "conviction",
        "2",
        "set",
    );

    let theses = root.join("theses.ron");
    let theirs = std::fs::read_to_string(&theses)
        .expect("reads")
        .replace("conviction: 4", "conviction: 5");
    std::fs::write(&theses, &theirs).expect("an editor saves");
    let error = session
        .save(OnDiskChange::Refuse)
        .expect_err("the file changed under us");
    assert!(error.to_string().contains("changed on disk"), "{error}");
    assert_eq!(std::fs::read_to_string(&theses).expect("reads"), theirs);
    assert!(session.is_dirty(), "the edit is still held");

    // Keeping mine replaces the version seen, and only that one.
    let later = theirs.replace("conviction: 5", "conviction: 1");
    std::fs::write(&theses, &later).expect("another change after the choice");
    let seen = vec![(theses.clone(), chainmap::io::journal::fingerprint(&theirs))];
    let refused = session.save(OnDiskChange::Replace(seen.clone()));
    assert!(
        refused.is_err(),
        "a change made after the choice is not replaced"
    );
    assert_eq!(std::fs::read_to_string(&theses).expect("reads"), later);
    std::fs::write(&theses, &theirs).expect("back to the version seen");
    session
        .save(OnDiskChange::Replace(seen))
        .expect("keep mine");
    let saved = std::fs::read_to_string(&theses).expect("reads");
    assert!(saved.contains("conviction: 2"));
}

#[test]
fn new_and_deleted_entities_are_written_in_the_files_style() {
    let (_dir, root) = common::bundled_copy();
    let mut session = Session::new(io::load(&root).expect("loads"));
    let Some(Entity::Thesis(mut thesis)) = session.draft().get(EntityKind::Thesis, "t-0-1") else {
        panic!("t-0-1 is a thesis");
    };
    thesis.id = "t-new".into();
    thesis.title = "A new thesis".into();
    thesis.evidence.clear();
    let part = session
        .draft()
        .part_for(EntityKind::Thesis)
        .expect("a part holds theses");
    common::add_in(&mut session, part, Entity::Thesis(thesis));
    // A node with a profile cannot be deleted before its profile.
    common::delete_in(&mut session, EntityKind::CaseStudy, "characterai-profile");
    common::delete_in(&mut session, EntityKind::Node, "characterai");
    session.save(OnDiskChange::Refuse).expect("saves");

    let text = std::fs::read_to_string(root.join("theses.ron")).expect("reads");
    let added = text
        .find("id: \"t-new\"")
        .expect("the new thesis is written");
    let block = &text[text[..added].rfind("        Thesis(").expect("named")..];
    assert!(
        block.starts_with("        Thesis(\n            id: \"t-new\",\n"),
        "{block}"
    );
    assert!(block.contains("\n            about: [\"foundation-models\", \"applications\"],\n"));
    let reloaded = io::load(&root).expect("loads");
    assert_eq!(reloaded.error_count(), 0, "{:?}", reloaded.diagnostics);
    assert!(reloaded.map.nodes.iter().all(|n| n.id != "characterai"));
    assert!(
        reloaded
            .map
            .links
            .iter()
            .all(|l| l.from != "characterai" && l.to != "characterai")
    );
}

/// Values a random edit may give any field; most fit only some fields.
const VALUES: [&str; 14] = [
    "None",
    "\"plain text\"",
    "\"中文 with \\\"quotes\\\"\\nand a new line\"",
    "42",
    "12.5",
    "[]",
    "[\"hardware\"]",
    "[\"openai\", \"nvidia\"]",
    "Bullish",
    "Watching",
    "Approx",
    "\"2024-06\"",
    "(10, 20)",
    "[Evidence(source: \"report\", quote: \"一句话\")]",
];

#[derive(Clone, Debug)]
enum Step {
    Set {
        pick: usize,
        field: usize,
        value: usize,
    },
    Add {
        pick: usize,
    },
    Delete {
        pick: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (any::<usize>(), any::<usize>(), 0..VALUES.len())
            .prop_map(|(pick, field, value)| Step::Set { pick, field, value }),
        1 => any::<usize>().prop_map(|pick| Step::Add { pick }),
        1 => any::<usize>().prop_map(|pick| Step::Delete { pick }),
    ]
}

/// The entity of the draft that `pick` chooses, over all kinds.
fn pick_entity(draft: &Draft, pick: usize) -> Option<Entity> {
    let merged = draft.merged();
    let total: usize = EntityKind::ALL.iter().map(|k| merged.count(*k)).sum();
    let mut index = pick % total.max(1);
    for kind in EntityKind::ALL {
        let count = merged.count(kind);
        if index < count {
            return merged.entity(kind, index);
        }
        index -= count;
    }
    None
}

/// `entity` under another id: every other field stays (a JSON round trip of the struct,
/// so that no kind is spelled out here).
fn with_id(entity: Entity, id: String) -> Entity {
    let mut value = serde_json::to_value(&entity).expect("an entity is JSON");
    value["id"] = serde_json::Value::String(id);
    chainmap::with_kind!(entity.kind(), T => serde_json::from_value::<T>(value)
        .expect("reads back")
        .into_entity())
}

/// The edit `step` makes of the draft (`value` for a field it sets; the `n`-th step's
/// new entity is "added-N"), or none when the step cannot apply.
fn edit_of(draft: &Draft, step: &Step, value: &str, n: usize) -> Option<chainmap::model::Edit> {
    match step {
        Step::Set { pick, field, .. } => {
            let entity = pick_entity(draft, *pick)?;
            let fields = field_names(entity.kind());
            let name = fields[1 + field % (fields.len() - 1)];
            let changed = set_field(&entity, name, value).ok()?;
            draft.replace(changed, format!("set {name}")).ok()
        }
        Step::Add { pick } => {
            let entity = pick_entity(draft, *pick)?;
            let kind = entity.kind();
            let copy = with_id(entity, format!("added-{n}"));
            draft.add(draft.part_for(kind).unwrap_or(0), copy).ok()
        }
        Step::Delete { pick } => {
            let entity = pick_entity(draft, *pick)?;
            draft.delete(entity.kind(), entity.id()).ok()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random edits (any field of any entity, adds, deletes; valid or not, since the
    /// files must survive what the checker refuses too), each patched into the files and
    /// read back; then undoing them all gives back the original bytes.
    #[test]
    fn edits_then_undoing_them_all_give_back_the_original_bytes(
        steps in prop::collection::vec(step(), 1..12)
    ) {
        let loaded = bundled::load_bundled();
        let original = texts(&loaded);
        let mut draft = loaded.draft.clone();
        let mut history = History::new(64);
        for (n, step) in steps.iter().enumerate() {
            let value = match step {
                Step::Set { value, .. } => VALUES[*value],
                _ => "",
            };
            let edit = edit_of(&draft, step, value, n);
            let Some(edit) = edit else { continue };
            history.perform(&mut draft, edit).expect("applies");
            // Each state's texts read back as that state (the patcher checks it).
            let files = save::texts(&loaded, &draft, ReadBack::Check);
            prop_assert!(files.is_ok(), "{:?}", files.err());
            let reread = io::load_files(&loaded.root, files.expect("checked"));
            prop_assert_eq!(&reread.draft, &draft);
        }
        while history.undo(&mut draft).expect("undoes").is_some() {}
        let restored: Vec<Option<String>> = save::texts(&loaded, &draft, ReadBack::Check)
            .expect("patches")
            .into_iter()
            .map(|f| f.text)
            .collect();
        prop_assert_eq!(restored, original);
    }
}

/// Values that name the bundled map's entities, for the fields that refer to them.
const NAMES: [&str; 8] = [
    "\"openai\"",
    "\"nvidia\"",
    "\"age-of-ai\"",
    "\"openai-as-terminal\"",
    "\"q05\"",
    "\"models\"",
    "[\"anthropic\", \"openai\"]",
    "\"no-such-thing\"",
];

/// A verdict's problems, in an order that does not depend on where they were found.
fn sorted(verdict: &chainmap::model::Verdict) -> (Vec<String>, Vec<String>) {
    let mut errors = verdict.errors.clone();
    let mut warnings = verdict.warnings.clone();
    errors.sort();
    warnings.sort();
    (errors, warnings)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A form's check looks only at the part of the map an edit can change: for random
    /// edits (any field set to text, numbers, lists or other entities' ids, adds,
    /// deletes), it says what the check of the whole map says, edit after edit.
    #[test]
    fn a_check_of_the_nearby_map_says_what_a_check_of_the_whole_map_says(
        steps in prop::collection::vec((step(), any::<bool>(), 0..NAMES.len()), 1..10)
    ) {
        let loaded = bundled::load_bundled();
        let mut draft = loaded.draft.clone();
        for (n, (step, naming, name)) in steps.iter().enumerate() {
            let value = match step {
                Step::Set { .. } if *naming => NAMES[*name],
                Step::Set { value, .. } => VALUES[*value],
                _ => "",
            };
            let edit = edit_of(&draft, step, value, n);
            let Some(edit) = edit else { continue };
            let before = draft.validate().problems;
            let whole = draft.check(&edit, &before).expect("checks");
            let index = chainmap::model::nearby::DraftIndex::of(&draft);
            let nearby = draft.check_nearby(&edit, &index).expect("checks nearby");
            prop_assert_eq!(sorted(&nearby), sorted(&whole), "{:?}", edit);
            // Made as the window makes edits: only those the checker lets through.
            if !whole.is_refused() {
                draft.apply(&edit).expect("applies");
            }
        }
    }
}

#[test]
fn save_as_writes_the_whole_edited_map_elsewhere_and_goes_on_there() {
    let (dir, root) = common::bundled_copy();
    let before = read_all(&root);
    let mut session = Session::new(io::load(&root).expect("loads"));
    common::set_in(&mut session, EntityKind::Figure, "q52", "high", "74", "set");

    let same = session.save_as(&root).expect_err("its own folder");
    assert!(same.to_string().contains("use Save"), "{same}");
    session.save(OnDiskChange::Refuse).expect("a plain save");
    // A folder that already holds other map files is refused.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).expect("creates a folder");
    std::fs::write(copy.join("other.ron"), "Map()").expect("writes");
    let refused = session.save_as(&copy).expect_err("the folder holds a map");
    assert!(
        refused.to_string().contains("already holds map files"),
        "{refused}"
    );

    let fresh = dir.path().join("fresh");
    common::set_in(&mut session, EntityKind::Figure, "q52", "high", "73", "set");
    session.save_as(&fresh).expect("saves a copy");
    assert_eq!(session.root(), fresh.as_path());
    assert!(!session.is_dirty());
    let copied = io::load(&fresh).expect("the copy loads");
    assert_eq!(copied.error_count(), 0);
    assert_eq!(copied.files.len(), before.len());
    assert_eq!(common::figure(&copied.map, "q52").high, Some(73.0));
    // The first folder has the first save (74), not the edit saved elsewhere.
    let original = io::load(&root).expect("loads");
    assert_eq!(common::figure(&original.map, "q52").high, Some(74.0));
}

#[test]
fn a_save_that_fails_part_way_keeps_what_it_wrote_as_saved() {
    let (_dir, root) = common::bundled_copy();
    let mut session = Session::new(io::load(&root).expect("loads"));
    for (kind, id, field, value) in [
        (EntityKind::Figure, "q52", "high", "74"),
        (EntityKind::Thesis, "t-0-1", "conviction", "3"),
    ] {
        common::set_in(&mut session, kind, id, field, value, "set");
    }
    // The second file cannot be written: figures.ron is written, theses.ron is not.
    let theses = root.join("theses.ron");
    let mut permissions = std::fs::metadata(&theses).expect("exists").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&theses, permissions.clone()).expect("locks");
    assert!(session.save(OnDiskChange::Refuse).is_err());
    assert!(
        std::fs::read_to_string(root.join("figures.ron"))
            .expect("reads")
            .contains("high: 74,")
    );
    assert!(session.is_dirty(), "theses.ron is still unsaved");

    // Once it can be written, the save goes through: figures.ron is not taken for someone
    // else's change.
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&theses, permissions).expect("unlocks");
    session.save(OnDiskChange::Refuse).expect("saves the rest");
    assert!(
        std::fs::read_to_string(&theses)
            .expect("reads")
            .contains("conviction: 3,")
    );
}
