//! The starter map of `chainmap new` and File ▸ New map…: a small folder map with one
//! example of each kind of entity, commented, that `check` passes and that an editor
//! changes into their own map. `maps/reference.ron` documents every field; the comments
//! here only say what each example is for.

use super::folder::{FolderError, NewFile, split_by_tier, write_new_map};
use crate::model::{
    CaseStudy, Evidence, Figure, IsoDate, Link, LinkKind, Map, MapMeta, Market, Node, NodeKind,
    Person, Phase, Qualifier, Segment, Source, Stance, Step, Thesis, ThesisStatus, Tier,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The starter map's model: two tiers, a segment in each, two nodes, a link, a market with
/// a share, a thesis and a case study, all from one source.
pub fn starter_map() -> Map {
    let evidence = starter_evidence();
    Map {
        meta: starter_meta(),
        sources: vec![starter_source()],
        tiers: starter_tiers(),
        segments: starter_segments(),
        nodes: starter_nodes(),
        links: vec![starter_link(evidence.clone())],
        markets: vec![starter_market()],
        figures: vec![starter_figure()],
        theses: vec![starter_thesis(evidence)],
        case_studies: vec![starter_case_study()],
    }
}

/// The evidence the starter link and thesis cite: a sentence of the one source.
fn starter_evidence() -> Evidence {
    Evidence {
        source: "my-source".into(),
        quote: Some("The sentence of the source that supports the claim.".into()),
        locator: Some("p. 1".into()),
        note: None,
    }
}

/// The starter map's title, description and date.
fn starter_meta() -> MapMeta {
    MapMeta {
        title: Some("My value chain".into()),
        title_zh: None,
        description: Some("Replace this with what the map is about.".into()),
        description_zh: None,
        as_of: Some(IsoDate::new("2026-01")),
    }
}

/// The one source the starter map's facts cite.
fn starter_source() -> Source {
    Source {
        author: Some("An analyst".into()),
        date: Some(IsoDate::new("2026-01")),
        url: Some("https://example.com/report".into()),
        ..Source::new("my-source", "Where the map's facts come from")
    }
}

/// The starter tiers, bottom to top: inputs and products.
fn starter_tiers() -> Vec<Tier> {
    vec![
        Tier {
            description: Some("The bottom of the chain: what the products are made of.".into()),
            ..Tier::new("inputs", "Inputs")
        },
        Tier {
            description: Some("What end customers buy.".into()),
            ..Tier::new("products", "Products")
        },
    ]
}

/// One segment in each starter tier.
fn starter_segments() -> Vec<Segment> {
    vec![
        Segment::new("components", "inputs", "Components"),
        Segment::new("finished-goods", "products", "Finished goods"),
    ]
}

/// The starter nodes: a supplier and the maker it supplies.
fn starter_nodes() -> Vec<Node> {
    vec![
        Node {
            segments: vec!["components".into()],
            description: Some("A company that supplies the products' makers.".into()),
            tags: vec!["example".into()],
            url: Some("https://example.com".into()),
            ..Node::new(
                "example-supplier",
                "Example Supplier",
                NodeKind::Company,
                "inputs",
            )
        },
        Node {
            segments: vec!["finished-goods".into()],
            organisation: Some("example-maker".into()),
            description: Some("A company that makes what the end customers buy.".into()),
            ..Node::new(
                "example-maker",
                "Example Maker",
                NodeKind::Company,
                "products",
            )
        },
    ]
}

/// The link from the starter supplier to the maker, citing `evidence`.
fn starter_link(evidence: Evidence) -> Link {
    Link {
        id: "supplier-supplies-maker".into(),
        from: "example-supplier".into(),
        to: "example-maker".into(),
        kind: LinkKind::Supplies,
        label: Some("components".into()),
        label_zh: None,
        evidence: vec![evidence],
    }
}

/// The market that the starter supplier's share divides.
fn starter_market() -> Market {
    Market {
        description: Some("The whole that the component makers' shares divide.".into()),
        ..Market::new("components-market", "Components")
    }
}

/// The starter supplier's market share.
fn starter_figure() -> Figure {
    Figure {
        id: "supplier-share".into(),
        subject: "example-supplier".into(),
        holders: Vec::new(),
        market: Some("components-market".into()),
        case: None,
        metric: "market share".into(),
        metric_zh: None,
        low: Some(40.0),
        high: Some(45.0),
        unit: Some("%".into()),
        qualifier: Qualifier::Range,
        value: None,
        scope: Some("worldwide, by revenue".into()),
        as_of: Some(IsoDate::new("2025")),
        source: "my-source".into(),
        quote: Some("The supplier holds 40–45% of the market.".into()),
        locator: Some("p. 2".into()),
        note: None,
    }
}

/// The starter thesis about the supplier, citing `evidence`.
fn starter_thesis(evidence: Evidence) -> Thesis {
    Thesis {
        id: "supplier-keeps-its-lead".into(),
        title: "The supplier keeps its lead".into(),
        title_zh: None,
        claim: "Say what you believe will happen, and why.".into(),
        claim_zh: None,
        stance: Stance::Bullish,
        conviction: 3,
        horizon: Some("3 years".into()),
        as_of: Some(IsoDate::new("2026-01")),
        review_by: Some(IsoDate::new("2026-12")),
        status: ThesisStatus::Active,
        about: vec!["example-supplier".into()],
        figures: vec!["supplier-share".into()],
        tags: vec!["example".into()],
        evidence: vec![evidence],
    }
}

/// The starter case study of the maker: a person, a phase and a step of its outlook.
fn starter_case_study() -> CaseStudy {
    CaseStudy {
        id: "maker-profile".into(),
        subject: "example-maker".into(),
        title: "Example Maker in depth".into(),
        title_zh: None,
        summary: Some("A longer profile of one node.".into()),
        summary_zh: None,
        people: vec![Person {
            name: "A founder".into(),
            name_zh: None,
            role: Some("CEO".into()),
            role_zh: None,
            summary: None,
            summary_zh: None,
            quote: None,
            locator: None,
        }],
        phases: vec![Phase {
            period: "2020–2025".into(),
            start: Some(IsoDate::new("2020")),
            end: Some(IsoDate::new("2025")),
            title: "Early years".into(),
            title_zh: None,
            summary: None,
            summary_zh: None,
            locator: None,
        }],
        outlook: vec![Step {
            title: "What comes next".into(),
            title_zh: None,
            summary: None,
            summary_zh: None,
            locator: None,
        }],
        source: Some("my-source".into()),
    }
}

/// What the comments above each example say.
fn notes() -> BTreeMap<String, Vec<String>> {
    let note = |id: &str, text: &str| (id.to_owned(), vec![text.to_owned()]);
    BTreeMap::from([
        note(
            "my-source",
            "A source: where theses, links and figures come from.",
        ),
        note(
            "inputs",
            "Tiers, bottom to top: the order here is the order on the map.",
        ),
        note(
            "components",
            "A segment groups nodes inside one tier (`parent` nests one level).",
        ),
        note(
            "example-supplier",
            "A node: a company, product, technology, group, lab or fund, in one tier.",
        ),
        note(
            "example-maker",
            "`organisation` is shared by the nodes of one company in several tiers.",
        ),
        note(
            "supplier-supplies-maker",
            "A link: `from` gives to `to`; supplies and hosts links run up the tiers.",
        ),
        note(
            "components-market",
            "A market: the whole that share figures divide (shares may add up to 100%, or a little over from rounding).",
        ),
        note(
            "supplier-share",
            "A figure: a value or a range (leave `low` or `high` out for an open end).",
        ),
        note(
            "supplier-keeps-its-lead",
            "A thesis: a claim about nodes, segments or tiers, with its evidence.",
        ),
        note(
            "maker-profile",
            "A case study: people, history and outlook of one node.",
        ),
    ])
}

/// The starter map as the files of a folder, with their comments.
pub fn starter_files() -> Vec<NewFile> {
    let map = starter_map();
    let notes = notes();
    let mut files = split_by_tier(&map);
    for file in &mut files {
        let what = match file.name.as_str() {
            "map.ron" => "The map's settings, its sources, its tiers and its markets.".to_owned(),
            "theses.ron" => "The investment theses.".to_owned(),
            "figures.ron" => "Figures: market shares and other numbers.".to_owned(),
            "case-studies.ron" => "Case studies: longer profiles of single nodes.".to_owned(),
            name => {
                let tier = map
                    .tiers
                    .iter()
                    .find(|t| name.ends_with(&format!("-{}.ron", t.id)))
                    .map_or(name, |t| t.name.as_str());
                format!("The tier {tier}: its segments, its nodes and the links that end in it.")
            }
        };
        file.header = vec![
            format!("A starter map written by `chainmap new`. {what}"),
            "Each example below is there to be changed or deleted; `maps/reference.ron` in"
                .to_owned(),
            "chainmap's repository documents every field, and `chainmap check FOLDER` says"
                .to_owned(),
            "what is wrong, with file, line and column.".to_owned(),
        ];
        file.notes = notes.clone();
    }
    files
}

/// Writes the starter map into `dir` (created if missing; refused if it holds a map).
pub fn write_starter(dir: &Path) -> Result<Vec<PathBuf>, FolderError> {
    write_new_map(dir, starter_files(), &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_map_has_one_of_each_entity_and_no_problems() {
        let map = starter_map();
        let validated = crate::model::validate(map.clone(), false);
        assert!(validated.problems.is_empty(), "{:?}", validated.problems);
        assert_eq!(
            (
                map.sources.len(),
                map.tiers.len(),
                map.nodes.len(),
                map.links.len()
            ),
            (1, 2, 2, 1)
        );
        assert_eq!((map.markets.len(), map.figures.len()), (1, 1));
        assert_eq!((map.theses.len(), map.case_studies.len()), (1, 1));
    }

    /// The starter map has one entity of each kind, which makes it the sample for the
    /// code that works on every kind.
    #[test]
    fn append_moves_every_kind_and_take_entities_empties_one() {
        let sample = starter_map();
        let mut whole = Map::default();
        let mut part = sample.clone();
        whole.append(&mut part);
        whole.append(&mut sample.clone());
        for kind in crate::model::EntityKind::ALL {
            assert!(sample.count(kind) > 0, "the sample has a {kind:?}");
            assert_eq!(part.count(kind), 0, "{kind:?} moved");
            assert_eq!(whole.count(kind), 2 * sample.count(kind), "{kind:?}");
            let taken = whole.take_entities(kind);
            assert_eq!(taken.len(), 2 * sample.count(kind));
            assert!(taken.iter().all(|e| e.kind() == kind));
            assert_eq!(whole.count(kind), 0);
        }
    }

    /// Every kind reaches the file `write::map_file` makes, and back.
    #[test]
    fn map_file_holds_every_kind() {
        let map = starter_map();
        let file = crate::io::write::map_file(&map);
        assert_eq!(Map::from(file), map);
    }
}
