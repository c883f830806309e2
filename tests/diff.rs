//! `chainmap diff OLD NEW`: every kind of change between two versions of a map, as text,
//! Markdown and JSON, between files, folders and git revisions.
//!
//! `diff-maps/every-change/old.ron` is the base: `new.ron` changes everything at once
//! (its whole output is in `expected.txt` and `expected.md`), and each test below changes
//! one kind of thing in `old.ron` and checks the exact lines that come out.

mod common;

use common::{bundled_copy, chainmap, chainmap_in, path_str, stderr, stdout};
use serde_json::json;
use std::path::Path;
use std::process::{Command, Output};

const OLD: &str = "tests/diff-maps/every-change/old.ron";
const NEW: &str = "tests/diff-maps/every-change/new.ron";
const OLD_TEXT: &str = include_str!("diff-maps/every-change/old.ron");
const NEW_TEXT: &str = include_str!("diff-maps/every-change/new.ron");
const EXPECTED_TEXT: &str = include_str!("diff-maps/every-change/expected.txt");
const EXPECTED_MD: &str = include_str!("diff-maps/every-change/expected.md");

/// One change to `old.ron`: `from` (which must be in it) replaced once by `to`.
struct Edit {
    from: String,
    to: String,
}

fn replace(from: &str, to: &str) -> Edit {
    Edit {
        from: from.to_owned(),
        to: to.to_owned(),
    }
}

/// The whole line of `old.ron` that holds `marker`, with its newline.
fn line_with(marker: &str) -> String {
    let line = OLD_TEXT
        .lines()
        .find(|line| line.contains(marker))
        .unwrap_or_else(|| panic!("old.ron has a line with {marker}"));
    format!("{line}\n")
}

/// Removes the line that holds `marker`.
fn remove(marker: &str) -> Edit {
    replace(&line_with(marker), "")
}

/// Adds `line` (indented like the entities) after the line that holds `marker`.
fn insert_after(marker: &str, line: &str) -> Edit {
    let after = line_with(marker);
    Edit {
        to: format!("{after}        {line}\n"),
        from: after,
    }
}

fn edited(edits: &[Edit]) -> String {
    let mut text = OLD_TEXT.to_owned();
    for edit in edits {
        assert!(
            text.contains(&edit.from),
            "the test's text is in old.ron: {}",
            edit.from
        );
        text = text.replacen(&edit.from, &edit.to, 1);
    }
    text
}

/// Runs `chainmap diff OLD NEW ARGS` on two texts, written to a temporary folder.
fn diff_texts(old: &str, new: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (old_path, new_path) = (dir.path().join("old.ron"), dir.path().join("new.ron"));
    std::fs::write(&old_path, old).expect("writes the old map");
    std::fs::write(&new_path, new).expect("writes the new map");
    let mut all = vec!["diff", path_str(&old_path), path_str(&new_path)];
    all.extend(args);
    chainmap(&all)
}

/// The text output of a diff that must run cleanly.
fn clean_diff(old: &str, new: &str) -> String {
    let output = diff_texts(old, new, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

/// The text diff from `old.ron` to `old.ron` with `edits`.
fn diff_of(edits: &[Edit]) -> String {
    clean_diff(OLD_TEXT, &edited(edits))
}

/// The text diff from `old.ron` to `old.ron` with `edits` is `expected`.
#[track_caller]
fn assert_diff(edits: &[Edit], expected: &str) {
    assert_eq!(diff_of(edits), expected);
}

// The whole output, in each format.

#[test]
fn diff_of_a_map_with_itself_says_no_differences() {
    let output = common::run_ok("diff maps/ai-value-chain maps/ai-value-chain", &[]);
    assert_eq!(stdout(&output), "no differences\n");
    assert_eq!(stderr(&output), "");
}

#[test]
fn diff_ignores_the_order_of_entities_and_the_formatting() {
    let chipco = line_with("Node(id: \"chipco\"");
    let reordered = edited(&[
        remove("Node(id: \"chipco\""),
        insert_after("Node(id: \"tapeco\"", chipco.trim()),
        replace(
            "Node(id: \"memco\", name: \"MemCo\",",
            "Node(\n            id: \"memco\",\n            name: \"MemCo\",",
        ),
    ]);
    assert!(reordered.find("id: \"chipco\"") > reordered.find("id: \"tapeco\""));
    assert_eq!(clean_diff(OLD_TEXT, &reordered), "no differences\n");
}

#[test]
fn diff_text_lists_every_change_grouped_by_kind() {
    let output = common::run_ok("diff", &[OLD, NEW]);
    assert_eq!(stdout(&output), EXPECTED_TEXT);
}

#[test]
fn diff_markdown_is_a_memo_with_tables_for_figures_and_theses() {
    let output = common::run_ok("diff", &[OLD, NEW, "--format", "md"]);
    let text = stdout(&output);
    assert_eq!(text, EXPECTED_MD);
    assert!(text.starts_with("# Changes to Small value chain\n"));
    assert!(text.contains(
        "| Figure | Metric | Old | New | Other changes |\n|---|---|---|---|---|\n\
         | `chipco-share` | market share | 55–75% | 55–74% | as_of \"2023-03\" → \"2024-01\" |\n"
    ));
    assert!(text.contains(
        "| Thesis | Field | Old | New |\n|---|---|---|---|\n\
         | Chips take the value (`chips-lead`) | claim | Chips take most of the new value. | Chips take most, not all, of the new value. |\n\
         | Chips take the value (`chips-lead`) | conviction | 4 | 3 |\n"
    ));
}

/// The keys of `diff --format json` for the kinds of entity, in their documented order.
const KINDS: [&str; 9] = [
    "tiers",
    "segments",
    "nodes",
    "links",
    "markets",
    "figures",
    "theses",
    "sources",
    "case_studies",
];

#[test]
fn diff_json_has_a_key_per_kind_with_added_removed_and_changed() {
    let output = common::run_ok("diff", &[OLD, NEW, "--format", "json"]);
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(diff["old"], OLD);
    assert_eq!(diff["new"], NEW);
    // Top-level keys in the documented order (serde_json's `Value` would sort them).
    let text = stdout(&output);
    let keys: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("  \"")?.split_once('"'))
        .map(|(key, _)| key)
        .collect();
    let mut expected = vec!["old", "new", "map"];
    expected.extend(KINDS);
    assert_eq!(keys, expected);
    for kind in KINDS {
        for list in ["added", "removed", "changed"] {
            assert!(diff[kind][list].is_array(), "{kind}.{list} is a list");
        }
    }
    assert_eq!(
        diff["map"]["changes"],
        json!([{"field": "title", "old": "Small chain", "new": "Small value chain"}])
    );
    assert!(diff["tiers"]["order"].is_null());
    assert_eq!(
        diff["tiers"]["changed"],
        json!([{"id": "cloud", "name": "Cloud", "name_zh": "云计算",
                "changes": [{"field": "name_zh", "old": "云", "new": "云计算"}]}])
    );
    assert_eq!(
        diff["nodes"]["added"],
        json!([{"id": "helper", "name": "Helper", "name_zh": "助手应用", "tier": "apps", "segment": "assistants"}])
    );
    assert_eq!(
        diff["nodes"]["moved"],
        json!([
            {"id": "memco", "name": "MemCo",
             "old": {"tier": "hardware", "segment": "memory"},
             "new": {"tier": "hardware", "segment": "chips"}},
            {"id": "rackco", "name": "RackCo",
             "old": {"tier": "hardware", "segment": "chips"},
             "new": {"tier": "cloud", "segment": "gpu-cloud"}},
        ])
    );
    assert_eq!(
        diff["nodes"]["changed"][1],
        json!({"id": "cloudco", "name": "CloudCo", "name_zh": "云公司",
               "changes": [{"field": "tags", "old": [], "new": ["listed"]}]})
    );
    assert_eq!(
        diff["links"]["removed"],
        json!([{"id": "tapeco-cloudco", "from": "tapeco", "to": "cloudco", "kind": "Partners"}])
    );
    assert_eq!(
        diff["links"]["changed"],
        json!([{"id": "memco-chipco", "from": "memco", "to": "chipco", "kind": "Partners",
                "changes": [{"field": "kind", "old": "Supplies", "new": "Partners"}]}])
    );
    assert_eq!(
        diff["figures"]["changed"],
        json!([
            {"id": "chipco-share", "name": "market share", "name_zh": "市场份额",
             "old_value": "55–75%", "new_value": "55–74%",
             "changes": [
                {"field": "high", "old": 75, "new": 74},
                {"field": "as_of", "old": "2023-03", "new": "2024-01"},
             ]},
            {"id": "memco-share", "name": "share of memory sales",
             "old_value": "≥ 60%", "new_value": "≥ 65%",
             "changes": [{"field": "low", "old": 60, "new": 65}]},
        ])
    );
    assert_eq!(
        diff["figures"]["added"],
        json!([{"id": "helper-share", "name": "market share", "subject": "helper",
                "market": "assistants-market", "value": "≤ 10%"}])
    );
    assert_eq!(
        diff["theses"]["changed"][1],
        json!({"id": "memory-lags", "name": "Memory lags", "changes": [
            {"field": "stance", "old": "Bearish", "new": "Neutral"},
            {"field": "status", "old": "Watching", "new": "Confirmed"},
        ]})
    );
    assert_eq!(
        diff["theses"]["removed"],
        json!([{"id": "tapes-fade", "name": "Tapes fade", "stance": "Bearish", "conviction": 3, "status": "Active"}])
    );
    assert_eq!(
        diff["case_studies"],
        json!({"added": [], "removed": [], "changed": []})
    );
}

#[test]
fn diff_json_of_a_map_with_itself_has_every_list_empty() {
    let output = diff_texts(OLD_TEXT, OLD_TEXT, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(diff["map"], json!({"changes": []}));
    assert_eq!(
        diff["tiers"],
        json!({"added": [], "removed": [], "changed": [], "order": null})
    );
    assert_eq!(
        diff["nodes"],
        json!({"added": [], "removed": [], "moved": [], "changed": []})
    );
    assert_eq!(
        diff["figures"],
        json!({"added": [], "removed": [], "changed": []})
    );
}

#[test]
fn diff_markdown_of_a_map_with_itself_says_so() {
    let output = chainmap(&["diff", OLD, OLD, "--format", "md"]);
    assert_eq!(
        stdout(&output),
        format!("# Changes to Small chain\n\nFrom `{OLD}` to `{OLD}`.\n\nNo differences.\n")
    );
}

#[test]
fn diff_writes_to_a_file_with_o() {
    let (_dir, out) = common::temp_path("changes.md");
    let output = common::run_ok("diff", &[OLD, NEW, "--format", "md", "-o", path_str(&out)]);
    assert_eq!(stdout(&output), "");
    assert_eq!(std::fs::read_to_string(&out).expect("written"), EXPECTED_MD);
}

// Nodes.

#[test]
fn diff_reports_a_node_added() {
    let added = insert_after(
        "Node(id: \"rackco\"",
        "Node(id: \"acme\", name: \"Acme\", kind: Company, tier: \"hardware\", segments: [\"chips\"]),",
    );
    assert_diff(
        &[added],
        "Nodes (1 added)\n+ node acme \"Acme\" (hardware / chips)\n",
    );
}

#[test]
fn diff_reports_a_node_removed() {
    assert_diff(
        &[remove("Node(id: \"rackco\"")],
        "Nodes (1 removed)\n- node rackco \"RackCo\" (hardware / chips)\n",
    );
}

#[test]
fn diff_reports_a_node_moved_between_tiers() {
    let moved = replace(
        "\"RackCo\", kind: Company, tier: \"hardware\", segments: [\"chips\"]",
        "\"RackCo\", kind: Company, tier: \"cloud\", segments: [\"gpu-cloud\"]",
    );
    assert_diff(
        &[moved],
        "Nodes (1 moved)\nnode rackco \"RackCo\" moved: hardware / chips → cloud / gpu-cloud\n",
    );
}

#[test]
fn diff_reports_a_node_moved_between_segments() {
    let moved = replace("segments: [\"memory\"]", "segments: [\"chips\"]");
    assert_diff(
        &[moved],
        "Nodes (1 moved)\nnode memco \"MemCo\" moved: hardware / memory → hardware / chips\n",
    );
}

#[test]
fn diff_reports_a_node_renamed() {
    let renamed = replace("name: \"ChipCo\",", "name: \"ChipCo Inc.\",");
    assert_diff(
        &[renamed],
        "Nodes (1 changed)\nnode chipco \"ChipCo Inc.\": name \"ChipCo\" → \"ChipCo Inc.\"\n",
    );
}

#[test]
fn diff_names_nodes_in_chinese_with_lang_zh() {
    let renamed = replace("name_zh: \"芯片公司\"", "name_zh: \"芯片集团\"");
    let output = diff_texts(OLD_TEXT, &edited(&[renamed]), &["--lang", "zh"]);
    assert_eq!(
        stdout(&output),
        "Nodes (1 changed)\nnode chipco \"芯片集团\": name_zh \"芯片公司\" → \"芯片集团\"\n"
    );
}

// Links.

#[test]
fn diff_reports_a_link_added() {
    let added = insert_after(
        "Link(id: \"memco-chipco\"",
        "Link(id: \"rackco-cloudco\", from: \"rackco\", to: \"cloudco\", kind: Supplies),",
    );
    assert_diff(
        &[added],
        "Links (1 added)\n+ link rackco-cloudco: rackco supplies cloudco\n",
    );
}

#[test]
fn diff_reports_a_link_removed() {
    assert_diff(
        &[remove("Link(id: \"chipco-cloudco\"")],
        "Links (1 removed)\n- link chipco-cloudco: chipco supplies cloudco\n",
    );
}

#[test]
fn diff_reports_a_link_whose_kind_or_ends_changed() {
    let kind = replace(
        "to: \"chipco\", kind: Supplies",
        "to: \"chipco\", kind: Invests",
    );
    assert_diff(
        &[kind],
        "Links (1 changed)\nlink memco-chipco (memco → chipco): kind Supplies → Invests\n",
    );
    let ends = replace(
        "from: \"memco\", to: \"chipco\"",
        "from: \"rackco\", to: \"chipco\"",
    );
    assert_diff(
        &[ends],
        "Links (1 changed)\nlink memco-chipco (rackco → chipco): from \"memco\" → \"rackco\"\n",
    );
}

// Theses.

#[test]
fn diff_reports_a_thesis_whose_stance_conviction_claim_or_status_changed() {
    let edits = [
        replace(
            "stance: Bearish, conviction: 2",
            "stance: Mixed, conviction: 2",
        ),
        replace("status: Watching", "status: Refuted"),
        replace(
            "claim: \"Memory makers gain little.\"",
            "claim: \"Memory makers gain a little.\", claim_zh: \"内存厂商获益有限。\"",
        ),
        replace("conviction: 4", "conviction: 3"),
    ];
    assert_eq!(
        diff_of(&edits),
        "Theses (2 changed)\n\
         thesis chips-lead: conviction 4 → 3\n\
         thesis memory-lags: claim \"Memory makers gain little.\" → \"Memory makers gain a little.\"\n\
         thesis memory-lags: claim_zh none → \"内存厂商获益有限。\"\n\
         thesis memory-lags: stance Bearish → Mixed\n\
         thesis memory-lags: status Watching → Refuted\n"
    );
}

#[test]
fn diff_reports_theses_added_and_removed() {
    let added = insert_after(
        "Thesis(id: \"tapes-fade\"",
        "Thesis(id: \"chips-scarce\", title: \"Chips stay scarce\", claim: \"Supply lags demand.\", stance: Bullish, conviction: 5, status: Watching),",
    );
    assert_eq!(
        diff_of(&[added, remove("Thesis(id: \"memory-lags\"")]),
        "Theses (1 added, 1 removed)\n\
         + thesis chips-scarce \"Chips stay scarce\": Bullish, conviction 5, Watching\n\
         - thesis memory-lags \"Memory lags\": Bearish, conviction 2, Watching\n"
    );
}

// Figures.

#[test]
fn diff_reports_a_figure_whose_range_moved() {
    assert_diff(
        &[replace("high: 75", "high: 74")],
        "Figures (1 changed)\nfigure chipco-share \"market share\": 55–75% → 55–74%\n",
    );
}

#[test]
fn diff_reports_open_ended_ranges_opened_closed_and_turned() {
    let closed = replace("low: 60, unit", "low: 60, high: 80, unit");
    assert_diff(
        &[closed],
        "Figures (1 changed)\nfigure memco-share \"share of memory sales\": ≥ 60% → 60–80%\n",
    );
    let opened = replace("low: 55, high: 75", "low: 55");
    assert_diff(
        &[opened],
        "Figures (1 changed)\nfigure chipco-share \"market share\": 55–75% → ≥ 55%\n",
    );
    let turned = replace(
        "low: 60, unit: \"%\", qualifier: AtLeast",
        "high: 70, unit: \"%\", qualifier: AtMost",
    );
    assert_eq!(
        diff_of(&[turned]),
        "Figures (1 changed)\n\
         figure memco-share \"share of memory sales\": ≥ 60% → ≤ 70%\n\
         figure memco-share \"share of memory sales\": qualifier AtLeast → AtMost\n"
    );
}

#[test]
fn diff_reports_figure_fields_that_do_not_move_the_value() {
    let edits = [
        replace(
            "as_of: \"2023-03\", source: \"report\"",
            "as_of: \"2024-01\", source: \"report\"",
        ),
        replace("subject: \"memco\"", "subject: \"rackco\""),
    ];
    assert_eq!(
        diff_of(&edits),
        "Figures (2 changed)\n\
         figure chipco-share \"market share\": as_of \"2023-03\" → \"2024-01\"\n\
         figure memco-share \"share of memory sales\": subject \"memco\" → \"rackco\"\n"
    );
}

#[test]
fn diff_reports_figures_added_and_removed_with_their_values() {
    let added = insert_after(
        "Figure(id: \"tape-share\"",
        "Figure(id: \"rack-count\", subject: \"rackco\", metric: \"racks shipped\", value: \"a few thousand\", qualifier: Estimate, source: \"report\"),",
    );
    assert_eq!(
        diff_of(&[added, remove("Figure(id: \"memco-share\"")]),
        "Figures (1 added, 1 removed)\n\
         + figure rack-count \"racks shipped\" (rackco): a few thousand\n\
         - figure memco-share \"share of memory sales\" (memco): ≥ 60%\n"
    );
}

// Tiers, segments, markets and sources.

#[test]
fn diff_reports_tiers_segments_markets_and_sources_added_and_removed() {
    let richer = edited(&[
        insert_after(
            "Tier(id: \"legacy\"",
            "Tier(id: \"apps\", name: \"Applications\", name_zh: \"应用\"),",
        ),
        insert_after(
            "Segment(id: \"tapes\"",
            "Segment(id: \"assistants\", tier: \"apps\", name: \"Assistants\"),",
        ),
        insert_after(
            "Market(id: \"tape-drives\"",
            "Market(id: \"assistants-market\", name: \"AI assistants\"),",
        ),
        insert_after(
            "Source(id: \"old-blog\"",
            "Source(id: \"survey\", title: \"A user survey\"),",
        ),
    ]);
    assert_eq!(
        clean_diff(OLD_TEXT, &richer),
        "Tiers (1 added)\n+ tier apps \"Applications\"\n\n\
         Segments (1 added)\n+ segment assistants \"Assistants\" (apps)\n\n\
         Markets (1 added)\n+ market assistants-market \"AI assistants\"\n\n\
         Sources (1 added)\n+ source survey \"A user survey\"\n"
    );
    assert_eq!(
        clean_diff(&richer, OLD_TEXT),
        "Tiers (1 removed)\n- tier apps \"Applications\"\n\n\
         Segments (1 removed)\n- segment assistants \"Assistants\" (apps)\n\n\
         Markets (1 removed)\n- market assistants-market \"AI assistants\"\n\n\
         Sources (1 removed)\n- source survey \"A user survey\"\n"
    );
}

#[test]
fn diff_reports_tiers_in_another_order() {
    let hardware = line_with("Tier(id: \"hardware\"");
    let cloud = line_with("Tier(id: \"cloud\"");
    let swapped = replace(&format!("{hardware}{cloud}"), &format!("{cloud}{hardware}"));
    let output = diff_texts(OLD_TEXT, &edited(&[swapped]), &[]);
    // Links now run down the tiers: warnings, not errors.
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "Tiers (1 reordered)\ntier order: hardware, cloud, legacy → cloud, hardware, legacy\n"
    );
}

// The bundled map, and maps with errors.

/// Replaces, in `text`, the first `from` after `anchor`.
fn replace_after(text: &str, anchor: &str, from: &str, to: &str) -> String {
    let start = text.find(anchor).expect("the anchor is in the text");
    let at = start
        + text[start..]
            .find(from)
            .expect("the text follows the anchor");
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

#[test]
fn diff_of_the_bundled_map_names_figures_by_metric_and_theses_by_id() {
    let (_dir, root) = bundled_copy();
    let figures = root.join("figures.ron");
    let text = std::fs::read_to_string(&figures).expect("reads figures.ron");
    let text = replace_after(&text, "id: \"q52\"", "high: 75,", "high: 74,");
    std::fs::write(&figures, text).expect("writes figures.ron");
    let theses = root.join("theses.ron");
    let text = std::fs::read_to_string(&theses).expect("reads theses.ron");
    let text = replace_after(&text, "id: \"t-0-1\"", "conviction: 4,", "conviction: 3,");
    std::fs::write(&theses, text).expect("writes theses.ron");

    let output = common::run_ok("diff maps/ai-value-chain", &[path_str(&root)]);
    assert_eq!(
        stdout(&output),
        "Figures (1 changed)\n\
         figure q52 \"share of incremental AI-hardware value\": 55–75% → 55–74%\n\n\
         Theses (1 changed)\n\
         thesis t-0-1: conviction 4 → 3\n"
    );
    let output = common::run(
        "diff maps/ai-value-chain",
        &[path_str(&root), "--lang", "zh"],
    );
    common::assert_has(
        &stdout(&output),
        "figure q52 \"AI 硬件增量市场的价值占比\": 55–75% → 55–74%\n",
    );
}

#[test]
fn diff_of_a_map_with_errors_still_diffs_and_exits_1() {
    let broken = edited(&[replace("low: 55, high: 75", "low: 85, high: 75")]);
    let output = diff_texts(OLD_TEXT, &broken, &[]);
    assert_eq!(output.status.code(), Some(1));
    common::assert_has(
        &stderr(&output),
        "error: figure \"chipco-share\": `low` (85) is above `high` (75)",
    );
    // Compared as the files hold it: the figure the checker refuses is changed, not removed.
    assert_eq!(
        stdout(&output),
        "Figures (1 changed)\nfigure chipco-share \"market share\": 55–75% → 85–75%\n"
    );
}

#[test]
fn diff_of_a_missing_map_is_an_io_error() {
    let output = common::run("diff no-such-map", &[OLD]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "chainmap: no-such-map: no such file or folder\n"
    );
    assert_eq!(stdout(&output), "");
}

// Git revisions.

/// Runs git in `dir` with a fixed identity and none of the machine's configuration.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Chainmap Test",
            "-c",
            "user.email=test@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A repository whose `map/map.ron` is `old.ron` in the first commit and `new.ron` in the
/// second, with a `notes` folder that holds no map.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("map")).expect("creates map/");
    std::fs::create_dir_all(repo.join("notes")).expect("creates notes/");
    std::fs::write(repo.join("notes/readme.md"), "Not a map.\n").expect("writes a note");
    git(repo, &["init", "-q"]);
    for (text, message) in [(OLD_TEXT, "old map"), (NEW_TEXT, "new map")] {
        std::fs::write(repo.join("map/map.ron"), text).expect("writes the map");
        git(repo, &["add", "-A"]);
        git(repo, &["commit", "-q", "-m", message]);
    }
    dir
}

/// The text of `chainmap diff OLD NEW`, run in the repository, which must run cleanly.
fn git_diff(repo: &tempfile::TempDir, old: &str, new: &str) -> String {
    let output = chainmap_in(repo.path(), &["diff", old, new]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn diff_reads_git_revisions_of_a_folder() {
    let repo = repository();
    assert_eq!(git_diff(&repo, "HEAD~1:map", "HEAD:map"), EXPECTED_TEXT);
}

#[test]
fn diff_compares_a_revision_with_the_working_tree() {
    let repo = repository();
    assert_eq!(git_diff(&repo, "HEAD~1:map/map.ron", "map"), EXPECTED_TEXT);
    // From a subfolder, `./` paths are read from there, as git reads them.
    let output = chainmap_in(
        &repo.path().join("map"),
        &["diff", "HEAD~1:./map.ron", "HEAD:map"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), EXPECTED_TEXT);
}

#[test]
fn diff_reports_errors_in_a_revision_at_its_file_line_and_column() {
    let repo = repository();
    let broken = NEW_TEXT.replacen("low: 55, high: 74", "low: 85, high: 74", 1);
    std::fs::write(repo.path().join("map/map.ron"), broken).expect("writes the map");
    git(repo.path(), &["commit", "-q", "-a", "-m", "broken"]);
    let output = chainmap_in(repo.path(), &["diff", "HEAD~1:map", "HEAD:map"]);
    assert_eq!(output.status.code(), Some(1));
    let line = NEW_TEXT
        .lines()
        .position(|l| l.contains("Figure(id: \"chipco-share\""))
        .expect("the figure's line")
        + 1;
    assert!(
        stderr(&output).starts_with(&format!("HEAD:map/map.ron:{line}:")),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        stdout(&output),
        "Figures (1 changed)\nfigure chipco-share \"market share\": 55–74% → 85–74%\n"
    );
}

#[test]
fn diff_refuses_revisions_it_cannot_read_with_exit_2() {
    let repo = repository();
    let cases: [(&[&str], &str); 4] = [
        (
            &["diff", "no-such-rev:map", "HEAD:map"],
            "chainmap: no-such-rev:map: unknown revision \"no-such-rev\" in the repository at ",
        ),
        (
            &["diff", "HEAD:maps", "HEAD:map"],
            "chainmap: HEAD:maps: \"maps\" does not exist in revision HEAD\n",
        ),
        (
            &["diff", "HEAD:notes", "HEAD:map"],
            "chainmap: HEAD:notes: the folder holds no .ron map files\n",
        ),
        (
            &["diff", "--", "--upload-pack=x:map", "HEAD:map"],
            "chainmap: --upload-pack=x:map: a revision may not start with `-`\n",
        ),
    ];
    for (args, message) in cases {
        let output = chainmap_in(repo.path(), args);
        common::assert_code(args, &output, 2);
        assert!(
            stderr(&output).starts_with(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stdout(&output), "");
    }
}

#[test]
fn diff_outside_a_repository_says_so_with_exit_2() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let output = chainmap_in(dir.path(), &["diff", "HEAD~1:map", "HEAD:map"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("HEAD~1:map: ")
            && stderr(&output).contains("is not inside a git working tree"),
        "{}",
        stderr(&output)
    );
}

/// Each kind of entity has its list in the diff: a map without the entities of one kind
/// differs from the map with them, and `is_empty` sees it. A kind added to the map and
/// forgotten by the diff fails here.
#[test]
fn every_kind_makes_a_diff() {
    let map = chainmap::io::starter::starter_map();
    assert!(chainmap::model::diff::diff(&map, &map).is_empty());
    for kind in chainmap::model::EntityKind::ALL {
        assert!(map.count(kind) > 0, "the starter map has a {kind:?}");
        let mut without = map.clone();
        without.clear_list(kind);
        let changes = chainmap::model::diff::diff(&map, &without);
        assert!(!changes.is_empty(), "{kind:?}: removed, yet no diff");
        let json = serde_json::to_value(&changes).expect("serializes");
        let list = json
            .get(kind.list_name())
            .unwrap_or_else(|| panic!("{kind:?}: the diff has no `{}`", kind.list_name()));
        assert!(
            list.get("removed")
                .and_then(|r| r.as_array())
                .is_some_and(|r| r.len() == map.count(kind)),
            "{kind:?}: {list}"
        );
    }
}
