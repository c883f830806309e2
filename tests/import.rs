//! New maps from outside: `chainmap new`, `import landscape`, `import csv` and
//! `export --format csv -o DIR`, each written map checked by the loader the window uses.

mod common;

use common::{chainmap, stderr, stdout};
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

#[test]
fn new_writes_a_starter_map_that_check_passes_and_refuses_to_overwrite_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("my-map");
    let output = chainmap(&["new", path(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for file in [
        "map.ron",
        "01-inputs.ron",
        "02-products.ron",
        "theses.ron",
        "figures.ron",
    ] {
        let text = std::fs::read_to_string(out.join(file)).expect("the file is written");
        assert!(
            text.contains("maps/reference.ron"),
            "{file} points to the reference"
        );
    }
    let check = chainmap(&["check", path(&out)]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
    let loaded = chainmap::io::load(&out).expect("loads");
    assert_eq!(loaded.map.theses.len(), 1);
    assert_eq!(loaded.map.case_studies.len(), 1);

    // A second `new` into the same folder changes nothing.
    let before = std::fs::read(out.join("map.ron")).expect("reads");
    let again = chainmap(&["new", path(&out)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already holds a map"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(out.join("map.ron")).expect("reads"), before);
}

/// A map's lists sorted by id: a folder written by an import groups entities by tier,
/// so the order across files may differ while every entity is the same.
fn by_id(mut map: chainmap::model::Map) -> chainmap::model::Map {
    map.sources.sort_by(|a, b| a.id.cmp(&b.id));
    map.segments.sort_by(|a, b| a.id.cmp(&b.id));
    map.nodes.sort_by(|a, b| a.id.cmp(&b.id));
    map.links.sort_by(|a, b| a.id.cmp(&b.id));
    map.markets.sort_by(|a, b| a.id.cmp(&b.id));
    map.figures.sort_by(|a, b| a.id.cmp(&b.id));
    map.theses.sort_by(|a, b| a.id.cmp(&b.id));
    map.case_studies.sort_by(|a, b| a.id.cmp(&b.id));
    map
}

#[test]
fn the_bundled_map_goes_through_csv_tables_and_comes_back_the_same() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let tables = dir.path().join("tables");
    let out = dir.path().join("map");
    let export = chainmap(&[
        "export",
        "maps/ai-value-chain",
        "--format",
        "csv",
        "-o",
        path(&tables),
    ]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    for table in [
        "nodes.csv",
        "links.csv",
        "figures.csv",
        "theses.csv",
        "tiers.csv",
        "segments.csv",
    ] {
        assert!(tables.join(table).is_file(), "{table} is written");
    }
    let import = chainmap(&["import", "csv", path(&tables), path(&out)]);
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    let original = chainmap::io::load(Path::new("maps/ai-value-chain")).expect("loads");
    let imported = chainmap::io::load(&out).expect("loads");
    assert_eq!(imported.error_count(), 0, "{:?}", imported.diagnostics);
    assert_eq!(
        imported.map.tiers, original.map.tiers,
        "tiers keep their order"
    );
    assert_eq!(by_id(imported.map), by_id(original.map));
}

#[test]
fn export_csv_to_a_file_or_stdout_still_writes_the_figures() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("figures.csv");
    let output = chainmap(&[
        "export",
        "maps/ai-value-chain",
        "--format",
        "csv",
        "-o",
        path(&file),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&file).expect("one file");
    assert!(text.starts_with("id,subject,metric,low,high"), "{text}");
}

/// The records of a CSV text, for comparing tables whatever their quoting and line ends.
fn records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn every_column_of_every_table_is_read_and_written_back() {
    let fixture = Path::new("tests/csv/every-column");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("map");
    let tables = dir.path().join("again");
    let import = chainmap(&["import", "csv", path(fixture), path(&out)]);
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    let check = chainmap(&["check", path(&out)]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
    let export = chainmap(&["export", path(&out), "--format", "csv", "-o", path(&tables)]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    for table in chainmap::io::csv_tables::TABLES {
        let given = std::fs::read_to_string(fixture.join(table)).expect("the fixture has it");
        let written = std::fs::read_to_string(tables.join(table)).expect("written");
        assert_eq!(records(&written), records(&given), "{table}");
        // Every column has a value in some row: the fixture leaves no field untried.
        let rows = records(&given);
        for (i, header) in rows[0].iter().enumerate() {
            assert!(
                rows[1..].iter().any(|row| !row[i].is_empty()),
                "{table}: column {header} is never filled"
            );
        }
    }
}

#[test]
fn bad_rows_are_reported_at_their_cell_and_the_other_rows_import() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("map");
    let output = chainmap(&["import", "csv", "tests/csv/bad-rows", path(&out)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in [
        "tests/csv/bad-rows/nodes.csv:1:28: warning: unknown column \"colour\"",
        "tests/csv/bad-rows/nodes.csv:3:1: error: `id` is empty: the row is left out",
        "tests/csv/bad-rows/nodes.csv:4:19: error: `kind`: \"Compnay\" is not a node kind",
        "tests/csv/bad-rows/nodes.csv:7:36: error: the row has 7 cells, the header 6",
        "tests/csv/bad-rows/figures.csv:2:18: error: `low`: \"forty\" is not a number",
        "tests/csv/bad-rows/figures.csv:4:30: error: `as_of`: malformed date \"2025-13\"",
    ] {
        assert!(err.contains(expected), "missing {expected} in:\n{err}");
    }
    let loaded = chainmap::io::load(&out).expect("the good rows make a map");
    let ids: Vec<&str> = loaded.map.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["good", "good-two"]);
    assert_eq!(loaded.map.figures.len(), 1);
    assert_eq!(
        loaded.map.tiers.len(),
        2,
        "tiers made from the nodes' column"
    );
    assert_eq!(loaded.error_count(), 0, "{:?}", loaded.diagnostics);
}
