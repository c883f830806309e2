//! New maps from outside: `chainmap new`, `import landscape`, `import csv` and
//! `export --format csv -o DIR`, each written map checked by the loader the window uses.

mod common;

use chainmap::model::Worded;
use common::{chainmap, stderr, stdout};
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// The fixture `tests/landscape/NAME/landscape.yml`.
fn landscape(name: &str) -> String {
    format!("tests/landscape/{name}/landscape.yml")
}

#[test]
fn new_writes_a_starter_map_that_check_passes_and_refuses_to_overwrite_it() {
    let (_dir, out) = common::temp_path("my-map");
    common::run_ok("new", &[path(&out)]);
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
    common::assert_has(&stderr(&check), "0 errors, 0 warnings");
    let loaded = chainmap::io::load(&out).expect("loads");
    assert_eq!(loaded.map.theses.len(), 1);
    assert_eq!(loaded.map.case_studies.len(), 1);

    // A second `new` into the same folder changes nothing.
    let before = std::fs::read(out.join("map.ron")).expect("reads");
    let again = common::run("new", &[path(&out)]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    common::assert_has(&stderr(&again), "already holds a map");
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
    let (dir, tables) = common::temp_path("tables");
    let out = dir.path().join("map");
    common::run_ok(
        "export maps/ai-value-chain --format csv -o",
        &[path(&tables)],
    );
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
    common::run_ok("import csv", &[path(&tables), path(&out)]);
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
    let (_dir, file) = common::temp_path("figures.csv");
    common::run_ok("export maps/ai-value-chain --format csv -o", &[path(&file)]);
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
    let (dir, out) = common::temp_path("map");
    let tables = dir.path().join("again");
    common::run_ok("import csv", &[path(fixture), path(&out)]);
    let check = chainmap(&["check", path(&out)]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    common::assert_has(&stderr(&check), "0 errors, 0 warnings");
    common::run_ok(
        "export",
        &[path(&out), "--format", "csv", "-o", path(&tables)],
    );
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
    let (_dir, out) = common::temp_path("map");
    let output = common::run("import csv tests/csv/bad-rows", &[path(&out)]);
    let err = common::stderr_after(&output, 1);
    common::assert_has_all(
        &err,
        &[
            "tests/csv/bad-rows/nodes.csv:1:28: warning: unknown column \"colour\"",
            "tests/csv/bad-rows/nodes.csv:3:1: error: `id` is empty: the row is left out",
            "tests/csv/bad-rows/nodes.csv:4:19: error: `kind`: \"Compnay\" is not a node kind",
            "tests/csv/bad-rows/nodes.csv:6:7: error: the row has 2 cells, the header 6: `kind`, `tier` missing, the row is left out",
            "tests/csv/bad-rows/nodes.csv:7:36: error: the row has 7 cells, the header 6",
            "tests/csv/bad-rows/figures.csv:2:18: error: `low`: \"forty\" is not a number",
            "tests/csv/bad-rows/figures.csv:4:30: error: `as_of`: malformed date \"2025-13\"",
        ],
    );
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

/// Every file of a folder, by name, with its bytes.
fn folder_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).expect("reads the folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                files.push((name, std::fs::read(&path).expect("reads")));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_landscape_with_every_field_imports_into_a_map_that_check_passes() {
    let (dir, out) = common::temp_path("map");
    let file = "tests/landscape/every-field/landscape.yml";
    let output = common::run_ok("import landscape", &[file, path(&out)]);
    let err = stderr(&output);
    let loaded = chainmap::io::load(&out).expect("loads");
    assert_eq!(
        loaded.diagnostics,
        Vec::new(),
        "check passes with nothing to say"
    );
    let map = &loaded.map;
    let tiers: Vec<&str> = map.tiers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(tiers, ["provisioning", "runtime"]);
    let node = |id: &str| {
        map.nodes
            .iter()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("node {id}"))
    };
    let ansible = node("ansible");
    assert_eq!(ansible.name, "Ansible");
    assert_eq!(
        ansible.url.as_deref(),
        Some("https://www.ansible.com/"),
        "trimmed"
    );
    assert_eq!(
        ansible.description.as_deref(),
        Some("Radically simple IT automation.")
    );
    assert_eq!(ansible.logo.as_deref(), Some("logos/ansible.svg"));
    assert!(
        out.join("logos/ansible.svg").is_file(),
        "the logo is copied"
    );
    assert_eq!(
        ansible.segments,
        ["automation-configuration", "security-compliance"],
        "a second path in the same category adds a segment"
    );
    assert_eq!(
        ansible.tags,
        ["automation", "configuration", "tag-app-delivery"]
    );
    assert_eq!(ansible.organisation.as_deref(), Some("red-hat"));
    // Falco and Rook share their Crunchbase URL, so their organisation.
    assert_eq!(node("falco").organisation, node("rook").organisation);
    assert_eq!(
        node("falco").tags,
        ["graduated"],
        "the project status is a tag"
    );
    assert_eq!(
        node("chef-infra").kind,
        chainmap::model::NodeKind::Company,
        "a member is a company"
    );
    // Two items named Rook: names kept, ids unique.
    assert_eq!(node("rook-cloud-native-storage").name, "Rook");
    let links: Vec<(&str, &str, &str)> = map
        .links
        .iter()
        .map(|l| (l.from.as_str(), l.to.as_str(), l.kind.label()))
        .collect();
    assert_eq!(
        links,
        [("rook", "ansible", "integrates"), ("rook", "falco", "owns")]
    );
    for left_out in [
        "`second_path` into another category",
        "item field `repo_url`",
        "`extra` field `blog_url`",
        "unknown item field `color`",
        "names \"Nonexistent Tool\"",
        "logo not found",
    ] {
        assert_eq!(
            err.matches(left_out).count(),
            1,
            "{left_out} listed once:\n{err}"
        );
        let header = std::fs::read_to_string(out.join("map.ron")).expect("map.ron");
        assert!(
            header.contains(left_out),
            "{left_out} is in map.ron's comments"
        );
    }
    let tier_file = std::fs::read_to_string(out.join("02-runtime.ron")).expect("a tier file");
    assert!(
        tier_file.contains("// Item at landscape.yml:64"),
        "{tier_file}"
    );

    // The same file gives the same map, byte for byte.
    let again = dir.path().join("again");
    common::run_ok("import landscape", &[file, path(&again)]);
    assert_eq!(folder_bytes(&out), folder_bytes(&again));
    // And a second import into the first folder is refused.
    let refused = common::run("import landscape", &[file, path(&out)]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}

#[test]
fn tiers_can_be_reordered_and_an_unknown_one_is_refused() {
    let (dir, out) = common::temp_path("map");
    let file = "tests/landscape/every-field/landscape.yml";
    common::run_ok(
        "import landscape",
        &[file, path(&out), "--tiers", "Runtime"],
    );
    let loaded = chainmap::io::load(&out).expect("loads");
    let tiers: Vec<&str> = loaded.map.tiers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(tiers, ["runtime", "provisioning"]);
    let bad = common::run(
        "import landscape",
        &[file, path(&dir.path().join("b")), "--tiers", "Nope"],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    common::assert_has(&stderr(&bad), "--tiers names \"Nope\"");
    assert!(!dir.path().join("b").exists(), "nothing written");
}

#[test]
fn a_landscape_with_errors_reports_each_at_its_place_and_imports_the_rest() {
    let (_dir, out) = common::temp_path("map");
    let output = common::run("import landscape", &[&landscape("errors"), path(&out)]);
    let err = common::stderr_after(&output, 1);
    common::assert_has_all(
        &err,
        &[
            "tests/landscape/errors/landscape.yml:13:13: error: the item has no `name`",
            "tests/landscape/errors/landscape.yml:16:13: error: the item must be a mapping, not a text",
            "tests/landscape/errors/landscape.yml:21:13: error: the item has no `name`",
            "tests/landscape/errors/landscape.yml:24:9: error: the subcategory has no `name`",
            "tests/landscape/errors/landscape.yml:30:16: error: `items` of subcategory \"Items not a list\" must be a list",
            "tests/landscape/errors/landscape.yml:31:5: error: the category has no `name`",
            "`homepage_url` that is not an http(s) address",
        ],
    );
    let loaded = chainmap::io::load(&out).expect("the rest is a map");
    assert_eq!(loaded.error_count(), 0, "{:?}", loaded.diagnostics);
    let names: Vec<&str> = loaded.map.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["Good item", "Bad url", "项目"]);
    let chinese = &loaded.map.tiers[1];
    assert_eq!(
        (chinese.id.as_str(), chinese.name.as_str()),
        ("tier-1", "中文类别")
    );
}

#[test]
fn logos_beside_the_landscape_are_copied_and_only_from_their_folder() {
    let (_dir, out) = common::temp_path("map");
    let output = common::run_ok("import landscape", &[&landscape("logos"), path(&out)]);
    let loaded = chainmap::io::load(&out).expect("loads");
    assert_eq!(loaded.diagnostics, Vec::new());
    let logos: Vec<Option<&str>> = loaded.map.nodes.iter().map(|n| n.logo.as_deref()).collect();
    assert_eq!(
        logos,
        [
            Some("logos/alpha.svg"),
            Some("logos/alpha.svg"),
            Some("logos/beta-logo.svg"),
            None,
            None
        ]
    );
    let files: Vec<String> = folder_bytes(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        files,
        [
            "01-chips.ron",
            "logos/alpha.svg",
            "logos/beta-logo.svg",
            "map.ron"
        ]
    );
    common::assert_has(&stderr(&output), "logo not found");
}

#[test]
fn malformed_deep_and_huge_yaml_are_refused_with_their_place() {
    let (dir, malformed) = common::temp_path("malformed.yml");
    std::fs::write(
        &malformed,
        "landscape:\n  - name: a\n    subcategories: [x, y\n",
    )
    .expect("writes");
    let output = common::run(
        "import landscape",
        &[path(&malformed), path(&dir.path().join("a"))],
    );
    let err = common::stderr_after(&output, 1);
    assert!(
        err.starts_with(&format!(
            "{}:4:1: error: not a readable YAML file",
            path(&malformed)
        )),
        "{err}"
    );

    let deep = dir.path().join("deep.yml");
    std::fs::write(&deep, format!("landscape: {}", "[".repeat(1_000_000))).expect("writes");
    let output = common::run(
        "import landscape",
        &[path(&deep), path(&dir.path().join("b"))],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    // The parser's own limit or ours, whichever comes first: refused on the first line.
    let err = stderr(&output);
    assert!(
        err.contains("deep.yml:1:") && err.contains("error: not a readable YAML file:"),
        "{err}"
    );
    assert!(
        err.contains("nests more than 64 levels") || err.contains("recursion limit"),
        "{err}"
    );

    // Larger than map files may be: refused without being read (the file is sparse).
    let huge = dir.path().join("huge.yml");
    let file = std::fs::File::create(&huge).expect("creates");
    file.set_len(33 * 1024 * 1024).expect("sizes");
    let output = common::run(
        "import landscape",
        &[path(&huge), path(&dir.path().join("c"))],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    common::assert_has(&stderr(&output), "may be at most 32 MiB");
    for folder in ["a", "b", "c"] {
        assert!(
            !dir.path().join(folder).exists(),
            "nothing written for {folder}"
        );
    }
}
