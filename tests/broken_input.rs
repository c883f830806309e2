//! The corpus of broken map files under `tests/broken/`: each must produce exactly the
//! problems (message, file, line, column) in its `.expected` file, and exit status 1.
//! Generated inputs (deep nesting, huge files, random bytes) must end quickly with a
//! clear message, never a panic or a hang.

mod common;

use common::{chainmap, chainmap_with_limit, manifest_dir, path_str, stderr, stdout};
use std::time::Duration;

fn corpus() -> Vec<(String, String)> {
    let dir = manifest_dir().join("tests/broken");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the corpus folder exists") {
        let path = entry.expect("reads the corpus folder").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let case = if path.is_dir() {
            name.to_owned()
        } else if let Some(stem) = name.strip_suffix(".ron") {
            format!("{stem}.ron")
        } else {
            continue;
        };
        let stem = case.trim_end_matches(".ron");
        let expected = std::fs::read_to_string(dir.join(format!("{stem}.expected")))
            .unwrap_or_else(|_| panic!("tests/broken/{stem}.expected exists"));
        cases.push((format!("tests/broken/{case}"), expected));
    }
    cases.sort();
    cases
}

#[test]
fn every_broken_file_reports_its_exact_problems() {
    let cases = corpus();
    assert!(cases.len() >= 10, "the corpus has {} cases", cases.len());
    for (path, expected) in cases {
        let output = chainmap(&["check", &path]);
        assert_eq!(stdout(&output), expected, "problems reported for {path}");
        assert_eq!(output.status.code(), Some(1), "exit status for {path}");
        assert!(
            !stderr(&output).contains("panicked"),
            "{path} made chainmap panic"
        );
    }
}

#[test]
fn a_broken_file_does_not_stop_the_rest_of_the_folder() {
    let output = chainmap(&["stats", "tests/broken/folder-one-broken", "--json"]);
    let stats: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stats prints JSON");
    assert_eq!(stats["tiers"], 2);
    assert_eq!(stats["nodes"], 1, "the good files' node is still loaded");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn deeply_nested_brackets_are_refused_quickly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let depth = 200_000;
    let nested = |open: &str, close: &str| format!("{}{}", open.repeat(depth), close.repeat(depth));
    let cases = [
        (
            "top.ron",
            nested("[", "]"),
            "1:1: error: Expected opening `(` for struct `Map`",
        ),
        (
            "in-list.ron",
            format!("Map(nodes: {})", nested("[", "]")),
            "1:13: error: Expected opening `(` for struct `Node`",
        ),
        (
            "in-field.ron",
            format!("Map(title: {})", nested("(", ")")),
            "1:12: error: Expected string",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("writes the file");
        let output = chainmap_with_limit(&["check", path_str(&path)], Duration::from_secs(20));
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert_eq!(
            stdout(&output),
            format!("{}:{expected}\n", path.display()),
            "{name}"
        );
    }
}

#[test]
fn a_64_megabyte_file_is_refused_without_reading_it() {
    let (_dir, path) = common::temp_path("huge.ron");
    let file = std::fs::File::create(&path).expect("creates the file");
    file.set_len(64 * 1024 * 1024).expect("sizes the file");
    let output = chainmap_with_limit(&["check", path_str(&path)], Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(1));
    let expected = format!(
        "{}:1:1: error: the file is 67108864 bytes; map files may be at most 33554432 bytes (32 MiB)\n",
        path.display()
    );
    assert_eq!(stdout(&output), expected);
}

#[test]
fn a_huge_valid_looking_file_under_the_limit_parses_in_bounded_time() {
    // 20 MB of one long string: the parser must stay linear.
    let (_dir, path) = common::temp_path("long.ron");
    let text = format!("Map(title: \"{}\")", "x".repeat(20 * 1024 * 1024));
    std::fs::write(&path, text).expect("writes the file");
    let output = chainmap_with_limit(&["check", path_str(&path)], Duration::from_secs(30));
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_missing_path_is_an_io_error_with_status_2() {
    let output = chainmap(&["check", "tests/broken/no-such-map.ron"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "chainmap: tests/broken/no-such-map.ron: no such file or folder\n"
    );
}

#[test]
fn a_folder_without_map_files_is_an_io_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = chainmap(&["check", path_str(dir.path())]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("the folder holds no .ron map files"));
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(chainmap(&["check"]).status.code(), Some(2));
    assert_eq!(
        chainmap(&["export", "maps/reference.ron", "--format", "gif"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(chainmap(&["frobnicate", "x"]).status.code(), Some(2));
}

#[test]
fn special_files_are_refused_without_reading_them() {
    let output = chainmap_with_limit(&["check", "/dev/zero"], Duration::from_secs(10));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "chainmap: /dev/zero: not a regular file\n");
}

#[test]
fn tens_of_thousands_of_problems_are_placed_quickly() {
    let (_dir, path) = common::temp_path("many.ron");
    let mut text = String::from(
        "Map(title: \"Many problems\", tiers: [Tier(id: \"t\", name: \"T\")],\n\
         nodes: [Node(id: \"a\", name: \"A\", kind: Company, tier: \"t\")],\nlinks: [\n",
    );
    for i in 0..30_000 {
        text.push_str(&format!(
            "Link(id: \"l{i}\", from: \"a\", to: \"ghost\", kind: Supplies),\n"
        ));
    }
    text.push_str("])\n");
    std::fs::write(&path, text).expect("writes the file");
    let output = chainmap_with_limit(&["check", path_str(&path)], Duration::from_secs(30));
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert_eq!(report.lines().count(), 30_000);
    let last = format!(
        "{}:30003:31: error: link \"l29999\": unknown node or segment \"ghost\"",
        path.display()
    );
    assert_eq!(report.lines().last(), Some(last.as_str()));
}
