//! `chainmap set PATH ID FIELD VALUE`: one edit through the window's path; a refused edit
//! exits 1 and changes nothing.

mod common;

use common::{bundled_copy, chainmap, map_texts as snapshot, path_str, stderr};
use std::path::PathBuf;

#[test]
fn set_changes_one_line_of_one_file() {
    let (_dir, root) = bundled_copy();
    let before = snapshot(&root);
    common::assert_has(&set_ok(&root, "q52", "high", "74"), "set high of q52 in");
    assert_eq!(
        changed_lines(&before, &snapshot(&root)),
        [("figures.ron", "high: 75,", "high: 74,")].map(owned)
    );
    common::run_ok("check", &[path_str(&root)]);
}

/// Runs `chainmap set ROOT ID FIELD VALUE`, which must succeed; returns what it said.
fn set_ok(root: &std::path::Path, id: &str, field: &str, value: &str) -> String {
    stderr(&common::run_ok("set", &[path_str(root), id, field, value]))
}

/// The lines of a map's files that differ between two snapshots, with their file's name;
/// every file keeps its number of lines.
fn changed_lines(
    before: &[(PathBuf, String)],
    after: &[(PathBuf, String)],
) -> Vec<(String, String, String)> {
    let mut changed = Vec::new();
    for ((path, old), (_, new)) in before.iter().zip(after) {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        for (a, b) in common::changed_lines(old, new) {
            changed.push((name.clone(), a, b));
        }
    }
    changed
}

fn owned((file, old, new): (&str, &str, &str)) -> (String, String, String) {
    (file.to_owned(), old.to_owned(), new.to_owned())
}

/// `90.0` claims a tenth that `90` does not: setting it onto `90` changes the file, and
/// only the number's line; the same again changes nothing and says so; `90` takes the
/// claim back.
#[test]
fn set_gives_a_number_the_decimals_it_is_written_with() {
    let (_dir, root) = bundled_copy();
    let before = snapshot(&root);
    common::assert_has(&set_ok(&root, "q02", "low", "90.0"), "set low of q02 in");
    let after = snapshot(&root);
    assert_eq!(
        changed_lines(&before, &after),
        [("figures.ron", "low: 90,", "low: 90.0,")].map(owned)
    );
    common::assert_has(
        &set_ok(&root, "q02", "low", "90.0"),
        "figure \"q02\": low is already 90.0",
    );
    assert_eq!(snapshot(&root), after);
    common::run_ok("check", &[path_str(&root)]);
    common::assert_has(&set_ok(&root, "q02", "low", "90"), "set low of q02 in");
    assert_eq!(snapshot(&root), before);
    common::assert_has(
        &set_ok(&root, "q02", "low", "90"),
        "figure \"q02\": low is already 90",
    );
    assert_eq!(snapshot(&root), before);
}

#[test]
fn set_takes_text_enums_lists_and_none() {
    let (_dir, root) = bundled_copy();
    let root_arg = path_str(&root);
    for (id, field, value) in [
        ("t-0-1", "claim", "A new claim, with a comma and \"quotes\""),
        ("t-0-1", "stance", "Mixed"),
        ("t-0-1", "tags", "[\"framing\"]"),
        ("q52", "scope", "None"),
    ] {
        let output = chainmap(&["set", root_arg, id, field, value]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{field}: {}",
            stderr(&output)
        );
    }
    let loaded = chainmap::io::load(&root).expect("loads");
    assert_eq!(loaded.error_count(), 0);
    let thesis = common::thesis(&loaded.map, "t-0-1");
    assert_eq!(thesis.claim, "A new claim, with a comma and \"quotes\"");
    assert_eq!(thesis.stance, chainmap::model::Stance::Mixed);
    assert_eq!(thesis.tags, ["framing"]);
    assert_eq!(common::figure(&loaded.map, "q52").scope, None);
}

#[test]
fn refused_edits_exit_1_and_change_nothing() {
    let (_dir, root) = bundled_copy();
    let before = snapshot(&root);
    for (args, reason) in [
        (["q52", "high", "40"], "is above `high`"),
        (["q52", "high", "many"], "is not a valid high"),
        (["q52", "high", "120"], "outside 0–100"),
        (["t-0-1", "conviction", "9"], "outside 1–5"),
        (["t-0-1", "stance", "bullish"], "expected one of `Bullish`"),
        (["t-0-1", "about", "[\"nowhere\"]"], "nowhere"),
        (["t-0-1", "colour", "red"], "has no field `colour`"),
        (["t-0-1", "id", "t-9"], "cannot be changed"),
        (["no-such-id", "high", "1"], "no entity"),
    ] {
        let mut full = vec!["set", path_str(&root)];
        full.extend(args);
        let output = chainmap(&full);
        common::assert_code(args, &output, 1);
        common::assert_has(&stderr(&output), reason);
        common::assert_has(&stderr(&output), "nothing was changed");
    }
    assert_eq!(snapshot(&root), before);
}

#[test]
fn set_on_a_missing_map_is_an_io_error() {
    let output = common::run("set no/such/map q52 high 74", &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}
