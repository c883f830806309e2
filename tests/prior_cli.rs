//! `chainmap export --prior EARLIER.json` (issue 19): a map laid out from an earlier
//! `export --format json` of it or of an earlier version of it keeps every card the edit
//! does not touch in place and every box in its reading order; ids the file names that the
//! map no longer has are ignored; a file that is not a layout is refused (exit 2, the
//! contract's status for a bad argument), as is `--prior` with a format that has no layout.

mod common;

use common::path_str;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// One card or box of a JSON export: its tier, its segment (or parent), its rectangle.
struct Item {
    tier: String,
    holder: Option<String>,
    rect: [f64; 4],
}

struct Drawing {
    bands: HashMap<String, [f64; 4]>,
    cards: HashMap<String, Item>,
    boxes: HashMap<String, Item>,
}

fn rect(v: &Value) -> [f64; 4] {
    ["x", "y", "w", "h"].map(|k| v[k].as_f64().unwrap_or(f64::NAN))
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn drawing(document: &Value) -> Drawing {
    let list = |key: &str| document[key].as_array().cloned().unwrap_or_default();
    // The cards or boxes listed under `key`, by id, each with the holder at the JSON
    // pointer `holder`.
    let items = |key: &str, holder: &str| {
        list(key)
            .iter()
            .map(|v| {
                let item = Item {
                    tier: text(&v["tier"]),
                    holder: v.pointer(holder).and_then(Value::as_str).map(str::to_owned),
                    rect: rect(v),
                };
                (text(&v["id"]), item)
            })
            .collect()
    };
    Drawing {
        bands: list("tiers")
            .iter()
            .map(|t| (text(&t["id"]), rect(t)))
            .collect(),
        cards: items("nodes", "/segments/0"),
        boxes: items("segments", "/parent"),
    }
}

impl Drawing {
    /// Each card's centre from its band's top-left corner.
    fn in_band(&self, id: &str) -> Option<(f64, f64)> {
        let card = self.cards.get(id)?;
        let band = self.bands.get(&card.tier)?;
        Some((
            card.rect[0] + card.rect[2] / 2.0 - band[0],
            card.rect[1] + card.rect[3] / 2.0 - band[1],
        ))
    }

    /// The top-level boxes in reading order: bands from the top, rows, left to right.
    fn box_order(&self) -> Vec<&str> {
        let mut tops: Vec<(&str, [f64; 3])> = self
            .boxes
            .iter()
            .filter(|(_, b)| b.holder.is_none())
            .map(|(id, b)| {
                let band = self.bands.get(&b.tier).map_or(0.0, |r| r[1]);
                (id.as_str(), [band, b.rect[1], b.rect[0]])
            })
            .collect();
        tops.sort_by(|a, b| a.1.partial_cmp(&b.1).expect("numbers"));
        tops.into_iter().map(|(id, _)| id).collect()
    }

    /// The cards of `segment` in reading order.
    fn cards_in(&self, segment: &str) -> Vec<&str> {
        let mut cards: Vec<(&str, [f64; 2])> = self
            .cards
            .iter()
            .filter(|(_, c)| c.holder.as_deref() == Some(segment))
            .map(|(id, c)| (id.as_str(), [c.rect[1], c.rect[0]]))
            .collect();
        cards.sort_by(|a, b| a.1.partial_cmp(&b.1).expect("numbers"));
        cards.into_iter().map(|(id, _)| id).collect()
    }

    /// The ids of this drawing's cards that moved by more than their width from `earlier`.
    fn moved_since(&self, earlier: &Drawing) -> Vec<String> {
        earlier
            .cards
            .iter()
            .filter(|(id, card)| {
                let (Some(a), Some(b)) = (earlier.in_band(id), self.in_band(id)) else {
                    return false;
                };
                (a.0 - b.0).hypot(a.1 - b.1) > card.rect[2]
            })
            .map(|(id, _)| id.clone())
            .collect()
    }
}

fn export_json(map: &Path, more: &[&str]) -> Value {
    common::json_ok(
        "export",
        &[&[path_str(map), "--format", "json"], more].concat(),
    )
}

/// `export --format json` of the map at `map` with more arguments, written to `file` (an
/// earlier layout, for a later `--prior`), read back.
fn export_json_to(map: &Path, more: &[&str], file: &Path) -> Drawing {
    common::run_ok(
        "export",
        &[
            &[path_str(map), "--format", "json"],
            more,
            &["-o", path_str(file)],
        ]
        .concat(),
    );
    drawing(&serde_json::from_slice(&std::fs::read(file).expect("written")).expect("JSON"))
}

/// Adds a node to the map folder's applications file, in `segment`, with a link from
/// NVIDIA to it.
fn add_node(root: &Path, id: &str, segment: &str) {
    let file = root.join("applications.ron");
    common::edit_on_disk(
        &file,
        "    nodes: [\n",
        &format!(
            "    nodes: [\n        Node(id: \"{id}\", name: \"Copy.ai\", kind: Company, tier: \"applications\", segments: [\"{segment}\"]),\n"
        ),
    );
    common::edit_on_disk(
        &file,
        "    links: [\n",
        &format!(
            "    links: [\n        Link(id: \"{id}-link\", from: \"nvidia\", to: \"{id}\", kind: Supplies),\n"
        ),
    );
}

#[test]
fn a_later_version_laid_out_from_an_earlier_export_keeps_its_places() {
    let (dir, root) = common::bundled_copy();
    let earlier_file = dir.path().join("q3.json");
    let earlier = export_json_to(&root, &[], &earlier_file);
    add_node(&root, "copy-ai", "chatbots");
    assert_eq!(
        common::run("check", &[path_str(&root)]).status.code(),
        Some(0)
    );

    let kept = drawing(&export_json(&root, &["--prior", path_str(&earlier_file)]));
    assert_eq!(kept.moved_since(&earlier), Vec::<String>::new());
    assert_eq!(kept.box_order(), earlier.box_order());
    let mut chatbots = earlier.cards_in("chatbots");
    chatbots.push("copy-ai");
    assert_eq!(
        kept.cards_in("chatbots"),
        chatbots,
        "the new card comes last in its box"
    );

    // Laid out afresh (no prior, or --fresh), the same version moves cards.
    let fresh = drawing(&export_json(&root, &[]));
    assert!(!fresh.moved_since(&earlier).is_empty());
    let tidy = drawing(&export_json(
        &root,
        &["--prior", path_str(&earlier_file), "--fresh"],
    ));
    assert_eq!(tidy.moved_since(&fresh), Vec::<String>::new());

    // A picture from the same file: the layout is the same one.
    let png = dir.path().join("q4.png");
    common::run_ok(
        "export",
        &[
            path_str(&root),
            "--format",
            "png",
            "--prior",
            path_str(&earlier_file),
            "-o",
            path_str(&png),
        ],
    );
    assert!(std::fs::metadata(&png).is_ok_and(|m| m.len() > 10_000));
}

#[test]
fn a_new_page_shape_keeps_the_reading_order() {
    let (dir, root) = common::bundled_copy();
    let earlier_file = dir.path().join("wide.json");
    let earlier = export_json_to(&root, &["--aspect", "11:9"], &earlier_file);
    let wider = drawing(&export_json(
        &root,
        &["--prior", path_str(&earlier_file), "--aspect", "16:9"],
    ));
    assert_eq!(wider.box_order(), earlier.box_order());
    for segment in earlier.boxes.keys() {
        assert_eq!(
            wider.cards_in(segment),
            earlier.cards_in(segment),
            "{segment}"
        );
    }
    // Without --aspect, the earlier layout's shape is kept, and with it every place.
    let same = drawing(&export_json(&root, &["--prior", path_str(&earlier_file)]));
    assert_eq!(same.moved_since(&earlier), Vec::<String>::new());
}

#[test]
fn ids_the_map_no_longer_has_are_ignored() {
    let (dir, root) = common::bundled_copy();
    let original = std::fs::read_to_string(root.join("applications.ron")).expect("reads");
    // The earlier version had a segment, and a company in it, that the map has since lost.
    common::edit_on_disk(
        &root.join("applications.ron"),
        "    segments: [\n",
        "    segments: [\n        Segment(id: \"gone-seg\", tier: \"applications\", name: \"Gone\"),\n",
    );
    add_node(&root, "gone-co", "gone-seg");
    let earlier_file = dir.path().join("earlier.json");
    let earlier = export_json_to(&root, &[], &earlier_file);
    std::fs::write(root.join("applications.ron"), original).expect("restores");
    let now = drawing(&export_json(&root, &["--prior", path_str(&earlier_file)]));
    assert!(!now.cards.contains_key("gone-co") && !now.boxes.contains_key("gone-seg"));
    assert_eq!(now.moved_since(&earlier), Vec::<String>::new());
    let mut order = earlier.box_order();
    order.retain(|&id| id != "gone-seg");
    assert_eq!(now.box_order(), order);
    for segment in now.boxes.keys() {
        assert_eq!(
            now.cards_in(segment),
            earlier.cards_in(segment),
            "{segment}"
        );
    }
}

#[test]
fn a_file_that_is_not_a_layout_is_refused() {
    let (dir, root) = common::bundled_copy();
    let stats = dir.path().join("stats.json");
    let output = common::run_ok("stats", &[path_str(&root), "--json"]);
    std::fs::write(&stats, &output.stdout).expect("writes");
    let huge = dir.path().join("huge.json");
    let exported = export_json(&root, &[]);
    let mut broken = exported.clone();
    broken["nodes"][0]["x"] = serde_json::json!(1e300);
    std::fs::write(&huge, broken.to_string()).expect("writes");
    let map_file = root.join("hardware.ron");
    let missing = dir.path().join("missing.json");
    for (file, says) in [
        (
            &map_file,
            "is not a layout written by `chainmap export --format json`",
        ),
        (
            &stats,
            "is not a layout written by `chainmap export --format json`",
        ),
        (&huge, "has no sound rectangle"),
        (&missing, "missing.json"),
    ] {
        let output = common::run(
            "export",
            &[
                path_str(&root),
                "--format",
                "svg",
                "--prior",
                path_str(file),
            ],
        );
        let stderr = common::stderr_after(&output, 2);
        assert!(stderr.contains(says), "{}: {stderr}", file.display());
        assert!(output.stdout.is_empty());
    }
    let output = common::run(
        "export",
        &[
            path_str(&root),
            "--format",
            "md",
            "--prior",
            path_str(&stats),
        ],
    );
    assert!(common::stderr_after(&output, 2).contains("--prior applies to layouts"));
}
