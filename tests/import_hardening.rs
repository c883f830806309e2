//! What a black-box attack on the importers found (issue 23), each case as it was found:
//! inputs whose cost grew with their square, outputs past the map limit, writes outside
//! OUT_DIR or half done, what a round trip through tables lost, problems not placed at
//! their cell, unhelpful messages, and views that are no part of a map. Sizes are those
//! that exhausted the machine; each run is bounded by the helpers' time limit, which
//! catches a hang, not a speed (speed is measured in the README).

mod common;

use common::{assert_has, assert_has_all, chainmap, inputs, path_str, stderr};
use std::path::{Path, PathBuf};

/// A folder `name` in a new temporary folder, with `files` (name, text) written into it.
fn folder_with(name: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let (dir, folder) = common::temp_path(name);
    write_folder(&folder, files);
    (dir, folder)
}

/// Makes the folder `folder` and writes `files` (name, text) into it.
fn write_folder(folder: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir(folder).expect("creates the folder");
    for (file, text) in files {
        std::fs::write(folder.join(file), text).expect("writes");
    }
}

/// A logo: the smallest SVG there is.
const EMPTY_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs `import csv TABLES OUT`.
fn import_csv(tables: &Path, out: &Path) -> std::process::Output {
    chainmap(&["import", "csv", path_str(tables), path_str(out)])
}

/// Writes `files` (name, text) into a `tables` folder in a new temporary folder and runs
/// `import csv` on it into `map` beside it: the folder (removed when its guard drops), the
/// map's path and the run.
fn import_csv_files(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let (dir, tables) = folder_with("tables", files);
    let out = dir.path().join("map");
    let output = import_csv(&tables, &out);
    (dir, out, output)
}

/// Writes `text` as `landscape.yml` in a new temporary folder and runs `import landscape`
/// on it into `map` beside it: the folder (removed when its guard drops), the map's path
/// and the run.
fn import_landscape_text(text: &str) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let (dir, file) = common::temp_path("landscape.yml");
    std::fs::write(&file, text).expect("writes");
    let out = dir.path().join("map");
    let output = import_landscape(&file, &out, &[]);
    (dir, out, output)
}

/// Runs `import landscape FILE OUT` with more arguments.
fn import_landscape(file: &Path, out: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "landscape", path_str(file), path_str(out)];
    args.extend_from_slice(more);
    chainmap(&args)
}

// 1–4: cost in proportion to the input.

#[test]
fn four_thousand_one_item_categories_share_sixty_four_tier_files_each_with_its_own_notes() {
    let (_dir, out, output) = import_landscape_text(&inputs::landscape_categories(4000));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = listing(&out);
    // map.ron and at most 64 tier files: runs of 63 neighbouring tiers (4,000 files cost
    // more to write and to load than what they hold).
    assert_eq!(files.len(), 1 + 64, "{files:?}");
    // Category 2344 is in the run that starts at 2331 (37 × 63), with the notes of its
    // own entities: one item and one subcategory per tier of the run.
    let tier_file = std::fs::read_to_string(out.join("2332-category-2331.ron")).expect("reads");
    assert!(tier_file.contains("tier: \"category-2344\""), "{tier_file}");
    assert_eq!(tier_file.matches("// Item at").count(), 63, "{tier_file}");
    assert_eq!(tier_file.matches("// Subcategory at").count(), 63);
    assert!(tier_file.contains("Tiers \"category-2331\" to \"category-2393\": 63 categories"));
    assert_eq!(
        chainmap::io::load(&out).expect("loads").map.tiers.len(),
        4000
    );
}

#[test]
fn the_notes_of_a_landscape_file_go_only_with_their_own_entities() {
    let (_dir, file) = common::temp_path("landscape.yml");
    std::fs::write(&file, inputs::landscape_categories(30)).expect("writes");
    let imported = chainmap::io::landscape::import(&file, &[]).expect("imports");
    for new_file in &imported.files {
        let c = &new_file.content;
        let entities = c.tiers.len() + c.segments.len() + c.nodes.len();
        assert_eq!(new_file.notes.len(), entities, "{}", new_file.name);
    }
}

#[test]
fn sixteen_thousand_items_of_one_name_get_numbered_ids_in_turn() {
    let (_dir, out, output) = import_landscape_text(&inputs::landscape_same_name(16_000));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let loaded = chainmap::io::load(&out).expect("loads");
    let ids: Vec<&str> = loaded.map.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), 16_000);
    assert_eq!(ids[..4], ["a", "a-all", "a-2", "a-3"]);
    assert_eq!(ids[15_999], "a-15999");
}

#[test]
fn thirty_thousand_bad_rows_are_told_up_to_a_thousand_and_counted() {
    let (_dir, _, output) = import_csv_files(&[("nodes.csv", &inputs::nodes_bad_kind(30_000))]);
    let err = common::stderr_after(&output, 1);
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors.len(),
        1001,
        "a thousand told, and one line for the rest"
    );
    assert_has(
        errors[0],
        "nodes.csv:2:5: error: `kind`: \"Compnay\" is not a node kind",
    );
    assert_has(
        errors[1000],
        "nodes.csv:1002:5: error: 29000 more problems in this table",
    );
}

#[test]
fn eighty_thousand_unknown_columns_are_told_ten_and_counted() {
    let nodes = inputs::nodes_unknown_columns(80_000);
    let (_dir, out, output) = import_csv_files(&[("nodes.csv", &nodes)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning: unknown column").count(), 10, "{err}");
    assert_has(&err, "nodes.csv:1:49: warning: 79990 more unknown columns");
    assert_eq!(chainmap::io::load(&out).expect("loads").map.nodes.len(), 1);
}

#[test]
fn sixteen_thousand_tiers_from_a_table_share_sixty_four_files() {
    // The folder was listed again for every file written: 4,000 tiers took 11 s.
    let (_dir, out, output) = import_csv_files(&[("nodes.csv", &inputs::nodes_in_tiers(16_000))]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(listing(&out).len(), 1 + 64);
    assert_eq!(
        chainmap::io::load(&out).expect("loads").map.tiers.len(),
        16_000
    );
}

// 5–6: nothing past the map limit is written.

#[test]
fn a_long_text_aliased_a_hundred_times_is_refused_before_anything_is_written() {
    let text = format!(
        "a: &a \"{}\"\nlandscape:\n  - name: C\n    subcategories:\n      - name: S\n        items:\n{}",
        "x".repeat(1024 * 1024),
        (0..99)
            .map(|i| format!("          - name: I{i}\n            description: *a\n"))
            .collect::<String>()
    );
    let (_dir, out, output) = import_landscape_text(&text);
    assert_has(
        &common::stderr_after(&output, 1),
        "aliases expand to more than 4 MiB",
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn integrations_that_would_overflow_a_tier_file_are_refused_before_anything_is_written() {
    let (_dir, out, output) = import_landscape_text(&inputs::landscape_integrations(1500, 300));
    let err = common::stderr_after(&output, 2);
    assert_has_all(
        &err,
        &[
            "450000 links into the tier \"only\"",
            "32 MiB, 33554432 bytes",
            "nothing was written",
        ],
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_table_whose_map_file_would_pass_the_limit_is_refused_before_anything_is_written() {
    // One description well under the limit in the table, twice as large once written as
    // RON (every backslash escaped).
    let description = "\\".repeat(17 * 1024 * 1024);
    let mut cell = String::new();
    chainmap::io::csv_tables::push_cell(&mut cell, Some(&description));
    let nodes = format!("id,name,kind,tier,description\r\na,A,Company,hw,{cell}\r\n");
    let (_dir, out, output) = import_csv_files(&[("nodes.csv", &nodes)]);
    let err = common::stderr_after(&output, 2);
    assert_has_all(
        &err,
        &["01-hw.ron would be larger than map files may be", "32 MiB"],
    );
    assert!(!out.exists(), "nothing written");
}

// 7–9: never outside OUT_DIR, never half done.

#[test]
fn tier_ids_that_would_name_a_path_are_refused_at_their_cell() {
    let nodes = "id,name,kind,tier,logo\r\nok,Ok,Company,hw,/etc/hostname.svg\r\nx,X,Company,x/../../escaped\r\ns,S,Company,sub/dir\r\na,A,Company,/tmp/abs\r\n";
    let (dir, tables) = folder_with("tables", &[("nodes.csv", nodes)]);
    let out = dir.path().join("out");
    // A folder inside OUT_DIR that the escaping name would go through.
    std::fs::create_dir_all(out.join("01-x")).expect("makes");
    let output = import_csv(&tables, &out);
    let err = common::stderr_after(&output, 1);
    assert_has_all(
        &err,
        &[
            "nodes.csv:3:13: error: `tier`: \"x/../../escaped\" cannot be a tier id",
            "nodes.csv:4:13: error: `tier`: \"sub/dir\" cannot be a tier id",
            "nodes.csv:5:13: error: `tier`: \"/tmp/abs\" cannot be a tier id",
        ],
    );
    assert!(!dir.path().join("escaped.ron").exists());
    assert_eq!(listing(dir.path()), ["out", "tables"]);
    assert_eq!(listing(&out), ["01-hw.ron", "01-x", "map.ron"]);
    // The absolute logo path is not copied; `check` tells it.
    let loaded = chainmap::io::load(&out).expect("loads");
    assert_eq!(loaded.error_count(), 1, "{:?}", loaded.diagnostics);
    assert_has(
        &loaded.diagnostics[0].message,
        "must be a relative path inside the map's folder",
    );
}

#[cfg(unix)]
#[test]
fn a_logos_folder_in_out_dir_that_links_outside_refuses_the_import() {
    let nodes = "id,name,kind,tier,logo\r\na,A,Company,hw,logos/a.svg\r\n";
    let (dir, tables) = folder_with("tables", &[("nodes.csv", nodes)]);
    write_folder(&tables.join("logos"), &[("a.svg", EMPTY_SVG)]);
    let victim = dir.path().join("victim");
    std::fs::create_dir(&victim).expect("makes");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("makes");
    std::os::unix::fs::symlink("../victim", out.join("logos")).expect("links");
    let output = import_csv(&tables, &out);
    let err = common::stderr_after(&output, 2);
    assert_has_all(&err, &["logos: a symbolic link", "nothing was written"]);
    assert!(
        listing(&victim).is_empty(),
        "nothing written through the link"
    );
    assert_eq!(listing(&out), ["logos"]);
}

#[cfg(unix)]
#[test]
fn a_hosted_logos_folder_that_links_outside_is_not_followed() {
    let (dir, source) = folder_with(
        "landscape",
        &[(
            "landscape.yml",
            "landscape:\n  - name: C\n    subcategories:\n      - name: S\n        items:\n          - name: A\n            logo: secret.svg\n",
        )],
    );
    write_folder(&dir.path().join("outside"), &[("secret.svg", EMPTY_SVG)]);
    std::os::unix::fs::symlink("../outside", source.join("hosted_logos")).expect("links");
    let out = dir.path().join("map");
    let output = import_landscape(&source.join("landscape.yml"), &out, &[]);
    let err = common::stderr_after(&output, 1);
    assert_has(
        &err,
        "landscape.yml:7:19: error: hosted_logos/ beside the file leads outside the landscape's folder",
    );
    assert!(!out.join("logos").exists(), "the logo is not copied");
}

#[cfg(unix)]
#[test]
fn export_of_tables_onto_a_fifo_writes_none_of_them() {
    let (dir, out) = common::temp_path("tables");
    std::fs::create_dir(&out).expect("makes");
    let fifo = out.join("links.csv");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let output = chainmap(&[
        "export",
        "maps/ai-value-chain",
        "--format",
        "csv",
        "-o",
        path_str(&out),
    ]);
    let err = common::stderr_after(&output, 2);
    assert_has_all(
        &err,
        &["links.csv: not a regular file", "nothing was written"],
    );
    assert_eq!(listing(&out), ["links.csv"], "only the FIFO");
    drop(dir);
}

// 10–14: what goes out as tables comes back the same.

/// A one-file map whose texts a spreadsheet would misread.
const SLOPPY_MAP: &str = r#"Map(
    title: "Sloppy",
    sources: [Source(id: "s", title: "=HYPERLINK(\"http://evil.example\",\"click\")")],
    tiers: [Tier(id: "hw", name: "Hardware")],
    segments: [Segment(id: "chips", tier: "hw", name: "Chips")],
    nodes: [
        Node(id: "a", name: "=HYPERLINK(\"http://evil.example\",\"A\")", kind: Company, tier: "hw", segments: ["chips"], tags: ["gpu;datacenter", "plain"]),
        Node(id: "b", name: "  spaced  ", name_zh: "", kind: Company, tier: "hw", segments: ["chips"], description: "@SUM(1+1)"),
        Node(id: "c", name: "-minus", kind: Company, tier: "hw", segments: ["chips"], description: "+plus"),
    ],
    markets: [Market(id: "m", name: "M")],
    figures: [
        Figure(id: "fa", subject: "a", market: "m", metric: "share", low: 80.0, high: 90, unit: "%", qualifier: Range, source: "s", note: "=1+1"),
        Figure(id: "fb", subject: "b", market: "m", metric: "share", low: 20.5, unit: "%", qualifier: Approx, source: "s"),
    ],
)
"#;

/// `export --format csv -o OUT` of the map at `root`.
fn export_tables(root: &Path, out: &Path) {
    let output = chainmap(&[
        "export",
        path_str(root),
        "--format",
        "csv",
        "-o",
        path_str(out),
    ]);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
}

/// The sloppy map exported as tables and imported back, all in one temporary folder:
/// (that folder, the map, the tables, the map imported back).
fn sloppy_round_trip() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let (dir, root) = folder_with("map", &[("map.ron", SLOPPY_MAP)]);
    let tables = dir.path().join("tables");
    export_tables(&root, &tables);
    let back = dir.path().join("back");
    import_csv(&tables, &back);
    (dir, root, tables, back)
}

#[test]
fn formulas_are_written_behind_a_quote_and_read_back_as_they_were() {
    let (dir, root, tables, back) = sloppy_round_trip();
    let figures_file = dir.path().join("figures.csv");
    export_tables(&root, &figures_file);
    for file in [
        tables.join("nodes.csv"),
        tables.join("sources.csv"),
        tables.join("figures.csv"),
        figures_file,
    ] {
        let text = std::fs::read_to_string(&file).expect("reads");
        for line in text.lines() {
            for cell in line.split(',') {
                let cell = cell.trim_start_matches('"');
                assert!(
                    !cell.starts_with(['=', '+', '@']) && !cell.starts_with("-m"),
                    "{}: {line}",
                    file.display()
                );
            }
        }
    }
    let original = chainmap::io::load(&root).expect("loads");
    let imported = chainmap::io::load(&back).expect("loads");
    let node = |map: &chainmap::model::Map, i: usize| map.nodes[i].clone();
    for i in 0..3 {
        assert_eq!(node(&imported.map, i), node(&original.map, i));
    }
    assert_eq!(imported.map.sources, original.map.sources);
    assert_eq!(imported.map.figures[0].note.as_deref(), Some("=1+1"));
}

#[test]
fn a_bad_cell_of_a_crlf_table_is_placed_at_its_own_line() {
    let nodes = "id,name,kind,tier\r\na,A,Company,hw\r\nb,Bb,Nope,hw\r\n";
    let (_dir, _, output) = import_csv_files(&[("nodes.csv", nodes)]);
    assert_has(
        &common::stderr_after(&output, 1),
        "nodes.csv:3:6: error: `kind`: \"Nope\" is not a node kind",
    );
}

#[test]
fn the_one_file_figures_export_imports_back() {
    let (dir, tables) = common::temp_path("tables");
    export_tables(Path::new("maps/ai-value-chain"), &tables);
    // The figures as the one-file export writes them, in place of the table's.
    let file = tables.join("figures.csv");
    std::fs::remove_file(&file).expect("removes");
    export_tables(Path::new("maps/ai-value-chain"), &file);
    let text = std::fs::read_to_string(&file).expect("reads");
    assert_has(&text, ",as stated,");
    let output = import_csv(&tables, &dir.path().join("map"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let imported = chainmap::io::load(&dir.path().join("map")).expect("loads");
    let original = chainmap::io::load(Path::new("maps/ai-value-chain")).expect("loads");
    // Every column the one file has comes back (it has no `metric_zh`).
    let without_zh = |figures: &[chainmap::model::Figure]| {
        let mut figures = figures.to_vec();
        figures.sort_by(|a, b| a.id.cmp(&b.id));
        for figure in &mut figures {
            figure.metric_zh = None;
        }
        figures
    };
    assert_eq!(
        without_zh(&imported.map.figures),
        without_zh(&original.map.figures)
    );
}

#[test]
fn a_share_written_to_a_tenth_keeps_its_tenth_through_tables_and_set() {
    let (dir, root, tables, back) = sloppy_round_trip();
    let figures = std::fs::read_to_string(tables.join("figures.csv")).expect("reads");
    assert_has(&figures, "fa,a,,m,,share,,80.0,90,");
    let written = std::fs::read_to_string(back.join("figures.ron")).expect("reads");
    assert_has(&written, "low: 80.0,");
    // The shares add up past 100% by more than a tenth's rounding: the map fails check,
    // and so does the one that came back.
    for map in [&root, &back] {
        let check = chainmap(&["check", path_str(map)]);
        assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
        assert_has(&common::stdout(&check), "market \"m\"");
    }
    let one_file = dir.path().join("figures.csv");
    export_tables(&root, &one_file);
    assert_has(
        &std::fs::read_to_string(&one_file).expect("reads"),
        "fa,a,share,80.0,90,",
    );
    // A share set to a tenth is written to a tenth.
    let output = chainmap(&["set", path_str(&root), "fb", "low", "10.0"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(root.join("map.ron")).expect("reads");
    assert_has(&text, "low: 10.0, unit");
}

#[test]
fn tags_with_a_separator_spaces_and_empty_texts_come_back_whole() {
    let (_dir, _, _, back) = sloppy_round_trip();
    let map = chainmap::io::load(&back).expect("loads").map;
    assert_eq!(map.nodes[0].tags, ["gpu;datacenter", "plain"]);
    assert_eq!(map.nodes[1].name, "  spaced  ");
    assert_eq!(map.nodes[1].name_zh.as_deref(), Some(""));
}

// 15–16: problems at the cell.

#[test]
fn duplicates_and_unknown_references_are_placed_at_their_cells_and_left_out() {
    let tiers = "id,name\r\nhw,Hardware\r\nhw,Hardware again\r\n";
    let nodes = "id,name,kind,tier\r\na,A,Company,hw\r\na,A again,Company,hw\r\nb,B,Company,hw\r\n";
    let links = "id,from,to,kind\r\na-b,a,b,Supplies\r\nb-x,b,nowhere,Supplies\r\n";
    let evidence = "of,source\r\na-b,s\r\nnothing,s\r\n";
    let map = "title\r\nOne\r\nTwo\r\n";
    let (_dir, out, output) = import_csv_files(&[
        ("tiers.csv", tiers),
        ("nodes.csv", nodes),
        ("links.csv", links),
        ("evidence.csv", evidence),
        ("map.csv", map),
    ]);
    let err = common::stderr_after(&output, 1);
    assert_has_all(
        &err,
        &[
            "tiers.csv:3:1: error: tier \"hw\": duplicate id",
            "nodes.csv:3:1: error: node \"a\": duplicate id",
            "links.csv:3:7: error: link \"b-x\": unknown node or segment \"nowhere\"",
            "evidence.csv:3:1: error: `of` names \"nothing\", which is no link or thesis",
            "map.csv:3:1: error: map.csv holds the map's settings in one row",
        ],
    );
    assert!(
        !err.contains("/map/"),
        "nothing placed in the written files:\n{err}"
    );
    let loaded = chainmap::io::load(&out).expect("loads");
    assert_eq!(loaded.error_count(), 0, "{:?}", loaded.diagnostics);
    let names: Vec<&str> = loaded.map.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["A", "B"], "each node once");
    assert_eq!(loaded.map.links.len(), 1);
    assert_eq!(loaded.map.meta.title.as_deref(), Some("One"));
}

#[test]
fn a_key_given_twice_in_a_landscape_item_is_an_error_at_the_second() {
    let text = "landscape:\n  - name: C\n    subcategories:\n      - name: S\n        items:\n          - name: First\n            name: Second\n          - name: Fine\n";
    let (_dir, out, output) = import_landscape_text(text);
    assert_has(
        &common::stderr_after(&output, 1),
        "landscape.yml:7:13: error: the item gives `name` twice (first at line 6): it is left out",
    );
    let loaded = chainmap::io::load(&out).expect("loads");
    let names: Vec<&str> = loaded.map.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["Fine"]);
}

// 17: messages that say what is wrong.

#[test]
fn messages_say_what_is_wrong_in_words() {
    let text = "landscape:\n  - name: Model\n    subcategories:\n      - name: S\n        items:\n          - name: Big\n            logo: big.svg\n            second_path: [\"Model / Nope\"]\n";
    let (dir, source) = folder_with("landscape", &[("landscape.yml", text)]);
    // A "logo" of 5 MiB of spaces.
    write_folder(
        &source.join("hosted_logos"),
        &[("big.svg", &" ".repeat(5 * 1024 * 1024))],
    );
    let file = source.join("landscape.yml");
    let output = import_landscape(&file, &dir.path().join("a"), &[]);
    let err = stderr(&output);
    assert_has_all(
        &err,
        &[
            "logo in hosted_logos/ that is too large (5242880 bytes; logos may be at most 4 MiB)",
            "`second_path` to a subcategory its category does not have",
        ],
    );
    assert!(
        !err.contains("logo not found") && !err.contains("into another category"),
        "{err}"
    );

    let twice = import_landscape(&file, &dir.path().join("b"), &["--tiers", "Model,Model"]);
    assert_has(
        &common::stderr_after(&twice, 2),
        "--tiers names the category \"Model\" twice",
    );

    let missing = import_csv(&dir.path().join("no-such"), &dir.path().join("c"));
    let err = common::stderr_after(&missing, 2);
    assert_has(&err, "no-such: no such folder");
    let a_file = import_csv(&file, &dir.path().join("d"));
    let err2 = common::stderr_after(&a_file, 2);
    assert_has(&err2, "a file, not a folder");
    for err in [err, err2] {
        assert!(!err.contains("os error"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn a_dangling_link_or_control_characters_in_out_dir_are_told_plainly() {
    let (dir, out) = common::temp_path("out");
    std::os::unix::fs::symlink("gone", &out).expect("links");
    let output = chainmap(&["new", path_str(&out)]);
    let err = common::stderr_after(&output, 2);
    assert_has(&err, "a symbolic link to gone, which does not exist");
    assert!(!err.contains("os error"), "{err}");

    let odd = dir.path().join("odd\u{1b}[31mred");
    let output = chainmap(&["new", path_str(&odd)]);
    let err = common::stderr_after(&output, 0);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert_has(&err, "odd\\u{1b}[31mred");
}

// 18–19: views.

#[test]
fn a_viewport_that_is_no_part_of_a_map_is_refused_and_a_gone_market_is_warned_of() {
    let views = "[\n    View(name: \"nan\", viewport: (NaN, NaN, inf, -1.0)),\n    View(name: \"huge\", viewport: (0, 0, 1e38, 1e38)),\n    View(name: \"gone\", market: \"nope\"),\n]\n";
    let (dir, root) = folder_with("map", &[("map.ron", SLOPPY_MAP), (".views.ron", views)]);
    for (view, format) in [("nan", "svg"), ("huge", "png")] {
        let picture = dir.path().join(format!("{view}.{format}"));
        let output = chainmap(&[
            "export",
            path_str(&root),
            "--format",
            format,
            "--view",
            view,
            "-o",
            path_str(&picture),
        ]);
        assert_has(
            &common::stderr_after(&output, 2),
            &format!("view \"{view}\": viewport ("),
        );
        assert!(!picture.exists());
    }
    let output = chainmap(&[
        "export",
        path_str(&root),
        "--format",
        "svg",
        "--view",
        "gone",
    ]);
    // Exit 1: the map's shares add past 100%, told as the picture is drawn anyway.
    assert_has(
        &common::stderr_after(&output, 1),
        "warning: view \"gone\" names market \"nope\", which the map no longer has",
    );
}
