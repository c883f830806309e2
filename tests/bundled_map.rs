//! The bundled map reads as a value chain: it checks clean, every market participant is
//! joined to the chain, a trace from OpenAI crosses every tier, no relation is given twice,
//! and every node and segment has a Chinese description of its own, not a quote.

mod common;

use chainmap::io;
use chainmap::model::LinkKind;
use chainmap::ui::views::trace;
use common::{chainmap, chainmap_in, stderr, stdout};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

fn bundled() -> io::LoadedMap {
    io::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/ai-value-chain"))
        .expect("the bundled map can be read")
}

#[test]
fn the_bundled_map_checks_without_errors_or_warnings() {
    let loaded = bundled();
    let problems: Vec<&str> = loaded.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_market_participant_is_joined_to_the_chain() {
    let map = bundled().map;
    let mut linked: HashSet<usize> = HashSet::new();
    for link in &map.links {
        for end in [&link.from, &link.to] {
            match map.nodes.iter().position(|n| &n.id == end) {
                Some(i) => {
                    linked.insert(i);
                }
                None => linked.extend(map.segment_members(end)),
            }
        }
    }
    let orphans: Vec<&str> = map
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, n)| n.kind.is_market_participant() && !linked.contains(i))
        .map(|(_, n)| n.id.as_str())
        .collect();
    assert!(orphans.is_empty(), "participants with no link: {orphans:?}");
}

#[test]
fn a_trace_from_openai_lights_every_tier_and_its_products() {
    let map = bundled().map;
    let lit = trace(&map, common::node_index(&map, "openai"), &BTreeSet::new());
    let tiers: BTreeSet<&str> = lit
        .iter()
        .filter_map(|&i| map.nodes.get(i))
        .map(|n| n.tier.as_str())
        .collect();
    let all: BTreeSet<&str> = map.tiers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(tiers, all);
    // Server vendors are not here: the report names no customer of theirs (L670–L674).
    for id in ["chatgpt", "azure", "h100", "nvidia", "gpt4", "wandb"] {
        assert!(lit.contains(&common::node_index(&map, id)), "{id} is lit");
    }
    // Ideas and parts of an organisation are never part of a value chain.
    for i in &lit {
        let node = &map.nodes[*i];
        assert!(node.kind.is_market_participant(), "{} is lit", node.id);
    }
    // Idea and part of OpenAI: the Transformer it adopted, the team it cut.
    assert!(!lit.contains(&common::node_index(&map, "transformer")));
    assert!(!lit.contains(&common::node_index(&map, "openai-robotics")));
}

#[test]
fn no_two_links_share_their_ends_and_kind() {
    let map = bundled().map;
    let mut seen: HashMap<(String, String, LinkKind), &str> = HashMap::new();
    for link in &map.links {
        let symmetric = matches!(link.kind, LinkKind::Competes | LinkKind::Partners);
        let (a, b) = if symmetric && link.to < link.from {
            (link.to.clone(), link.from.clone())
        } else {
            (link.from.clone(), link.to.clone())
        };
        if let Some(first) = seen.insert((a, b, link.kind), &link.id) {
            panic!("links {first} and {} say the same", link.id);
        }
    }
}

#[test]
fn every_node_and_segment_has_its_own_chinese_description_not_a_quote() {
    let map = bundled().map;
    let quotes: Vec<&str> = map
        .links
        .iter()
        .flat_map(|l| &l.evidence)
        .chain(map.theses.iter().flat_map(|t| &t.evidence))
        .filter_map(|e| e.quote.as_deref())
        .chain(map.figures.iter().filter_map(|f| f.quote.as_deref()))
        .collect();
    let described = map
        .nodes
        .iter()
        .map(|n| (&n.id, &n.description_zh))
        .chain(map.segments.iter().map(|s| (&s.id, &s.description_zh)));
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for (id, text) in described {
        let text = text
            .as_deref()
            .unwrap_or_else(|| panic!("{id} has a Chinese description"));
        assert!(text.chars().count() >= 8, "{id}: \"{text}\" is too short");
        if let Some(other) = owner.insert(text, id) {
            panic!("{other} and {id} share the Chinese description \"{text}\"");
        }
        let trimmed = text.trim_end_matches('。');
        if let Some(quote) = quotes.iter().find(|q| q.contains(trimmed)) {
            panic!("{id}: the Chinese description is a quote: \"{quote}\"");
        }
    }
}

#[test]
fn every_figure_of_the_report_keeps_its_quote_and_line() {
    let map = bundled().map;
    assert_eq!(map.figures.len(), 80);
    for figure in &map.figures {
        assert!(
            figure
                .quote
                .as_deref()
                .is_some_and(|q| !q.trim().is_empty()),
            "figure {} has its quote",
            figure.id
        );
        assert!(
            figure
                .locator
                .as_deref()
                .is_some_and(|l| l.starts_with('L')),
            "figure {} has its line",
            figure.id
        );
    }
}

#[test]
fn every_thesis_about_a_single_tier_is_tagged_with_it() {
    let map = bundled().map;
    let tier_of: HashMap<&str, &str> = map
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.tier.as_str()))
        .chain(
            map.segments
                .iter()
                .map(|s| (s.id.as_str(), s.tier.as_str())),
        )
        .chain(map.tiers.iter().map(|t| (t.id.as_str(), t.id.as_str())))
        .collect();
    // The tags the theses use for the tiers, by tier.
    let tier_tags: HashMap<&str, &str> = [
        ("hardware", "hardware"),
        ("infra-cloud", "infra"),
        ("applications", "applications"),
    ]
    .into_iter()
    .collect();
    for thesis in &map.theses {
        let tiers: BTreeSet<&str> = thesis
            .about
            .iter()
            .filter_map(|a| tier_of.get(a.as_str()).copied())
            .collect();
        if let [tier] = tiers.iter().copied().collect::<Vec<_>>().as_slice() {
            for (other, tag) in &tier_tags {
                if other != tier {
                    assert!(
                        !thesis.tags.iter().any(|t| t == tag),
                        "thesis {} is about {tier} but tagged {tag}",
                        thesis.id
                    );
                }
            }
        }
    }
}

#[test]
fn dot_export_draws_segment_links_to_a_box_for_the_segment() {
    let map = bundled().map;
    let dot = chainmap::io::export::dot(&map);
    let segment_links: Vec<_> = map
        .links
        .iter()
        .filter(|l| map.segments.iter().any(|s| s.id == l.from || s.id == l.to))
        .collect();
    assert!(
        segment_links.len() >= 5,
        "{} segment links",
        segment_links.len()
    );
    for link in &segment_links {
        let end = |id: &str| {
            if map.segments.iter().any(|s| s.id == id) {
                format!("\"segment:{id}\"")
            } else {
                format!("\"{id}\"")
            }
        };
        let edge = format!("{} -> {};", end(&link.from), end(&link.to));
        assert!(dot.contains(&edge), "{edge} is in the DOT");
    }
    assert!(dot.contains("\"segment:model-layer\" [label=\"Model layer\", style=dashed];"));
}

#[test]
fn no_id_reads_as_a_word_of_the_format() {
    let map = bundled().map;
    let words = [
        "tier", "segment", "node", "link", "market", "figure", "thesis", "source", "map",
    ];
    let ids = map
        .tiers
        .iter()
        .map(|t| &t.id)
        .chain(map.segments.iter().map(|s| &s.id))
        .chain(map.nodes.iter().map(|n| &n.id))
        .chain(map.links.iter().map(|l| &l.id));
    for id in ids {
        assert!(!words.contains(&id.as_str()), "id \"{id}\"");
    }
}

#[test]
fn every_thesis_has_a_chinese_title_of_its_own() {
    let map = bundled().map;
    let mut seen = HashSet::new();
    for thesis in &map.theses {
        let title = thesis
            .title_zh
            .as_deref()
            .unwrap_or_else(|| panic!("thesis {} has a Chinese title", thesis.id));
        assert!(
            seen.insert(title),
            "thesis {}: \"{title}\" twice",
            thesis.id
        );
        // A title, not a clause cut out of a sentence.
        assert!(
            !title.ends_with('。') && !title.starts_with("所以") && !title.starts_with("发现"),
            "thesis {}: \"{title}\"",
            thesis.id
        );
    }
}

#[test]
fn set_diff_and_check_treat_a_segment_end_like_a_node_end() {
    let (_dir, copy) = common::temp_path("map");
    std::fs::create_dir(&copy).expect("a folder");
    let bundled_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/ai-value-chain");
    for entry in std::fs::read_dir(&bundled_dir).expect("the bundled map") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, copy.join(name)).expect("copied");
    }
    let copy_str = copy.to_str().expect("a UTF-8 path");
    common::run_ok("set", &[copy_str, "servers-vs-cloud", "to", "model-layer"]);
    let output = chainmap(&["set", copy_str, "servers-vs-cloud", "to", "nowhere"]);
    assert_ne!(output.status.code(), Some(0));
    common::assert_has(&stderr(&output), "unknown node or segment \"nowhere\"");
    let output = chainmap_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["diff", bundled_dir.to_str().expect("UTF-8"), copy_str],
    );
    assert!(
        stdout(&output).contains(
            "link servers-vs-cloud (server-vendors → model-layer): to \"cloud\" → \"model-layer\""
        ),
        "{}",
        stdout(&output)
    );
    let output = chainmap(&["check", copy_str]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}
