//! The bundled map reads as a value chain: it checks clean, every market participant is
//! joined to the chain, a trace from OpenAI crosses every tier, no relation is given twice,
//! and every node and segment has a Chinese description of its own, not a quote.
//!
//! Its content is evidence: every quote is the report's, byte for byte, on the line its
//! locator names (`tests/seeds/` holds the report, as the map was built from it), and the
//! facts an audit of the map against the report corrected stay corrected (issue 18).

mod common;

use chainmap::io;
use chainmap::model::trace::trace;
use chainmap::model::{LinkKind, Map, NodeKind, Qualifier, Stance};
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
    let trace = trace(&map, common::node_index(&map, "openai"), &BTreeSet::new())
        .expect("OpenAI is a market participant");
    let lit = trace.nodes();
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
    let servers = map
        .segments
        .iter()
        .position(|s| s.id == "server-vendors")
        .expect("the server vendors' segment");
    assert!(!trace.segments().contains(&servers));
    assert!(!lit.contains(&common::node_index(&map, "trad-server")));
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
    assert_eq!(map.figures.len(), 82);
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

/// The report the bundled map is built from, as its quotes must read.
fn report() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds/000_e707ed2116066e35.txt"),
    )
    .expect("the report is in tests/seeds")
}

/// The lines a locator names ("L677", "L566–L568", "L299–L302, L93"), each a 1-based line
/// number of the report; `None` when the locator is not in that form.
fn located_lines(locator: &str) -> Option<Vec<usize>> {
    let line = |s: &str| s.trim().strip_prefix('L')?.parse::<usize>().ok();
    let mut lines = Vec::new();
    for part in locator.split(',') {
        match part.split_once('–') {
            Some((first, last)) => lines.extend(line(first)?..=line(last)?),
            None => lines.push(line(part)?),
        }
    }
    Some(lines)
}

/// Every quote of the map with its locator and what it belongs to: the evidence of links
/// and theses, the figures, and the people of the case studies.
fn quotes(map: &Map) -> Vec<(String, &str, Option<&str>)> {
    let evidence = map
        .links
        .iter()
        .flat_map(|l| {
            l.evidence
                .iter()
                .map(move |e| (format!("link {}", l.id), e))
        })
        .chain(map.theses.iter().flat_map(|t| {
            t.evidence
                .iter()
                .map(move |e| (format!("thesis {}", t.id), e))
        }))
        .filter_map(|(owner, e)| Some((owner, e.quote.as_deref()?, e.locator.as_deref())));
    let figures = map.figures.iter().filter_map(|f| {
        Some((
            format!("figure {}", f.id),
            f.quote.as_deref()?,
            f.locator.as_deref(),
        ))
    });
    let people = map.case_studies.iter().flat_map(|c| {
        c.people.iter().filter_map(move |p| {
            Some((
                format!("{}: {}", c.id, p.name),
                p.quote.as_deref()?,
                p.locator.as_deref(),
            ))
        })
    });
    evidence.chain(figures).chain(people).collect()
}

#[test]
fn every_quote_is_the_reports_byte_for_byte_on_the_line_it_names() {
    let map = bundled().map;
    let report = report();
    let lines: Vec<&str> = report.lines().collect();
    let quotes = quotes(&map);
    assert!(quotes.len() > 300, "{} quotes", quotes.len());
    for (owner, quote, locator) in quotes {
        assert!(
            report.contains(quote),
            "{owner}: not in the report as written (a space where the report has a no-break space?): {quote:?}"
        );
        let locator = locator.unwrap_or_else(|| panic!("{owner}: the quote has a line"));
        let named = located_lines(locator)
            .unwrap_or_else(|| panic!("{owner}: locator {locator:?} names lines"));
        assert!(
            named
                .iter()
                .any(|&n| lines.get(n - 1).is_some_and(|line| line.contains(quote))),
            "{owner}: {quote:?} is not on {locator}"
        );
    }
}

#[test]
fn the_quote_check_sees_a_space_for_a_no_break_space() {
    // L173 writes "OpenAI", a space and a no-break space, then "的 Plugin".
    let report = report();
    assert!(report.contains("除了 OpenAI \u{a0}的 Plugin"));
    assert!(!report.contains("除了 OpenAI  的 Plugin"));
    assert_eq!(
        located_lines("L299–L302, L93"),
        Some(vec![299, 300, 301, 302, 93])
    );
    assert_eq!(located_lines("p. 4"), None);
}

fn node<'a>(map: &'a Map, id: &str) -> &'a chainmap::model::Node {
    &map.nodes[common::node_index(map, id)]
}

/// Supplies, Hosts, Integrates and Owns: the links a trace follows.
fn is_value_link(kind: LinkKind) -> bool {
    matches!(
        kind,
        LinkKind::Supplies | LinkKind::Hosts | LinkKind::Integrates | LinkKind::Owns
    )
}

/// The ids of a segment, its sub-segments and every node in them.
fn segment_and_members(map: &Map, segment: &str) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = map
        .segment_members(segment)
        .into_iter()
        .map(|i| map.nodes[i].id.clone())
        .collect();
    ids.insert(segment.to_owned());
    ids.extend(
        map.segments
            .iter()
            .filter(|s| s.parent.as_deref() == Some(segment))
            .map(|s| s.id.clone()),
    );
    ids
}

#[test]
fn asic_and_risc_v_are_favoured_by_a_cloud_endgame_and_supply_no_cloud() {
    let map = bundled().map;
    let cloud = segment_and_members(&map, "cloud");
    for chip in ["asic", "riscv"] {
        for link in map.links.iter().filter(|l| l.from == chip) {
            assert!(
                !(is_value_link(link.kind) && cloud.contains(&link.to)),
                "{}: {chip} {:?} {} (L690 says only that a cloud endgame favours it)",
                link.id,
                link.kind,
                link.to
            );
        }
        assert!(
            map.links.iter().any(|l| l.from == "cloud"
                && l.to == chip
                && l.kind == LinkKind::Influences
                && l.evidence
                    .iter()
                    .any(|e| e.locator.as_deref() == Some("L690"))),
            "the cloud endgame's favour to {chip} is an Influences link from L690"
        );
    }
}

#[test]
fn server_vendors_supply_no_one_the_report_does_not_name() {
    let map = bundled().map;
    let servers = segment_and_members(&map, "server-vendors");
    assert!(servers.contains("trad-server"));
    for link in &map.links {
        assert!(
            !(is_value_link(link.kind) && servers.contains(&link.from)),
            "{}: {} {:?} {} (the report names no customer of server vendors)",
            link.id,
            link.from,
            link.kind,
            link.to
        );
    }
    assert!(!map.links.iter().any(|l| l.id == "servers-supply-models"));
}

#[test]
fn the_cloud_markets_seventy_percent_is_held_jointly_by_the_four_clouds() {
    let map = bundled().map;
    let q63 = map.figures.iter().find(|f| f.id == "q63").expect("q63");
    assert_eq!(q63.subject, "cloud");
    assert_eq!(q63.market.as_deref(), Some("cloud-computing"));
    assert_eq!((q63.low, q63.high), (Some(70.0), Some(70.0)));
    assert_eq!(q63.holders, ["aws", "azure", "gcp", "alicloud"]);
    assert!(q63.locator.as_deref() == Some("L677"));
    for holder in &q63.holders {
        let holder = node(&map, holder);
        assert!(
            holder.segments.iter().any(|s| s == "cloud"),
            "{}",
            holder.id
        );
        assert!(
            matches!(holder.kind, NodeKind::Company | NodeKind::Product),
            "{} is a firm",
            holder.id
        );
    }
    // The 70% is theirs together: no holder has a share of its own in the market.
    let cloud_shares: Vec<&str> = map
        .figures
        .iter()
        .filter(|f| f.market.as_deref() == Some("cloud-computing"))
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(cloud_shares, ["q63"]);
}

#[test]
fn openais_80_to_90_percent_is_the_reports_question_not_a_base_case_share() {
    let map = bundled().map;
    let q07 = map.figures.iter().find(|f| f.id == "q07").expect("q07");
    assert!(
        q07.market.is_none() || q07.case_name() != "base",
        "q07 (「能否到 80-90%」, L99) is no base-case share"
    );
    let base: Vec<&str> = map
        .figures
        .iter()
        .filter(|f| f.market.as_deref() == Some("openai-overseas") && f.case_name() == "base")
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(
        base,
        ["q06"],
        "at least 60% is the report's judgement (L99)"
    );
}

#[test]
fn vague_and_two_sided_figures_are_not_stored_as_one_exact_number() {
    let map = bundled().map;
    let figure = |id: &str| map.figures.iter().find(|f| f.id == id).expect(id);
    // 「过去 6 个月和未来 6 个月」 (L238): two spans, not one 6-month value.
    let q14 = figure("q14");
    assert!(
        !(q14.low == Some(6.0) && q14.high == Some(6.0)),
        "q14 is not one 6-month window"
    );
    // 「Google、Microsoft 等万亿美元的科技巨头」 (L20): an order of magnitude, for both.
    let trillion: Vec<_> = map
        .figures
        .iter()
        .filter(|f| {
            f.locator.as_deref() == Some("L20")
                && f.value.as_deref().is_some_and(|v| v.contains("万亿美元"))
        })
        .collect();
    let subjects: BTreeSet<&str> = trillion.iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(subjects, BTreeSet::from(["google", "microsoft"]));
    for f in trillion {
        assert_ne!(f.qualifier, Qualifier::Exact, "{} is vague", f.id);
        assert!(
            f.low.is_none() && f.high.is_none(),
            "{} has no number",
            f.id
        );
    }
}

#[test]
fn ai_infra_is_the_model_layer_and_the_tool_layer_not_the_cloud_tier() {
    let map = bundled().map;
    let d1 = map.theses.iter().find(|t| t.id == "d1").expect("d1");
    for about in ["model-layer", "tool-layer", "openai", "anthropic"] {
        assert!(d1.about.iter().any(|a| a == about), "d1 is about {about}");
    }
    assert!(!d1.about.iter().any(|a| a == "infra-cloud" || a == "cloud"));
    for locator in ["L572", "L578"] {
        assert!(
            d1.evidence
                .iter()
                .any(|e| e.locator.as_deref() == Some(locator)),
            "d1 quotes {locator}"
        );
    }
    // The 3–5-year horizon (L568) sits on the two layers, and on nothing else.
    let horizon: BTreeSet<&str> = map
        .figures
        .iter()
        .filter(|f| f.locator.as_deref() == Some("L568"))
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(horizon, BTreeSet::from(["model-layer", "tool-layer"]));
    for id in ["q38", "q38b"] {
        assert!(d1.figures.iter().any(|f| f == id), "d1 cites {id}");
    }
}

#[test]
fn node_kinds_follow_the_one_rule_of_the_format() {
    let map = bundled().map;
    let kind = |id: &str| node(&map, id).kind;
    // A firm acting in its own name, with no parent named: AWS is one of 「这四家大厂」 (L105).
    assert_eq!(kind("aws"), NodeKind::Company);
    // Every model is a Product, whether or not the report names its maker.
    for model in [
        "bert",
        "palme",
        "meena",
        "lamda",
        "claude",
        "gpt4",
        "midjourney-model",
    ] {
        assert_eq!(kind(model), NodeKind::Product, "{model}");
    }
    // The four furthest integrations of L242 are products, their makers in their names.
    for product in ["githubcopilot", "notionai", "myai", "duolingo-max"] {
        assert_eq!(kind(product), NodeKind::Product, "{product}");
        assert!(
            node(&map, product).organisation.is_some(),
            "{product}'s maker"
        );
    }
    let owner_of = |id: &str| {
        map.links
            .iter()
            .find(|l| l.kind == LinkKind::Owns && l.to == id)
            .map(|l| l.from.as_str())
    };
    assert_eq!(owner_of("googlebrain"), Some("google"));
    assert_eq!(owner_of("deepmind"), Some("google"));
    assert_eq!(owner_of("fair"), Some("meta"));
    assert_eq!(owner_of("palme"), Some("google"));
    for link in map.links.iter().filter(|l| l.kind == LinkKind::Owns) {
        let (owner, owned) = (node(&map, &link.from), node(&map, &link.to));
        assert!(
            matches!(owner.kind, NodeKind::Company | NodeKind::Lab),
            "{}: an owner is a firm",
            link.id
        );
        assert!(
            matches!(
                owned.kind,
                NodeKind::Product
                    | NodeKind::Lab
                    | NodeKind::Fund
                    | NodeKind::Team
                    | NodeKind::Project
            ),
            "{}: {} is a thing a firm owns, not a {:?}",
            link.id,
            owned.id,
            owned.kind
        );
        assert_eq!(
            owner.organisation, owned.organisation,
            "{}: owner and owned share their organisation",
            link.id
        );
    }
    // Where the maker is a node, the owned thing has an Owns link from it; parts of an
    // organisation always do.
    for owned in &map.nodes {
        let maker = map.nodes.iter().find(|n| {
            n.kind == NodeKind::Company
                && n.organisation.is_some()
                && n.organisation == owned.organisation
        });
        let needs_owner = matches!(owned.kind, NodeKind::Team | NodeKind::Project)
            || (matches!(
                owned.kind,
                NodeKind::Product | NodeKind::Lab | NodeKind::Fund
            ) && maker.is_some());
        if needs_owner {
            assert!(
                owner_of(&owned.id).is_some(),
                "{} has an Owns link from its maker",
                owned.id
            );
        }
    }
}

#[test]
fn crm_software_is_not_the_ai_scenario_of_customer_service_crm_and_cem() {
    let map = bundled().map;
    for scenario in [
        "sales-marketing",
        "customer-service-crm",
        "productivity-tools",
    ] {
        for i in map.segment_members(scenario) {
            let member = &map.nodes[i];
            assert!(
                matches!(member.kind, NodeKind::Company | NodeKind::Product),
                "{} in the AI application scenario {scenario} (L614) is a {:?}",
                member.id,
                member.kind
            );
        }
    }
    let crm = node(&map, "traditional-crm");
    assert!(crm.segments.is_empty());
    assert!(
        !crm.name.contains("CEM"),
        "the report speaks of no traditional CEM"
    );
}

#[test]
fn weights_and_biases_supplies_its_customers_up_the_chain() {
    let map = bundled().map;
    let rank = |id: &str| {
        map.tiers
            .iter()
            .position(|t| t.id == node(&map, id).tier)
            .expect("a tier")
    };
    let customers: Vec<_> = map
        .links
        .iter()
        .filter(|l| {
            l.from == "wandb"
                && l.evidence
                    .iter()
                    .any(|e| e.locator.as_deref() == Some("L599"))
        })
        .collect();
    assert_eq!(
        customers.len(),
        6,
        "six customers of L599 are nodes above the tool layer"
    );
    for link in customers {
        assert_eq!(link.kind, LinkKind::Supplies, "{}", link.id);
        assert!(
            rank(&link.to) >= rank("wandb"),
            "{} runs down the tiers",
            link.id
        );
    }
}

#[test]
fn the_investments_of_l245_are_links_where_the_report_names_both_ends() {
    let map = bundled().map;
    let invests = map
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Invests && l.from == "microsoft" && l.to == "openai")
        .expect("Microsoft invests in OpenAI");
    assert!(
        invests
            .evidence
            .iter()
            .any(|e| e.locator.as_deref() == Some("L245"))
    );
}

#[test]
fn chiplet_is_no_bullish_opening_for_start_ups() {
    let map = bundled().map;
    let about_chiplet: Vec<_> = map
        .theses
        .iter()
        .filter(|t| t.about.iter().any(|a| a == "chiplet"))
        .collect();
    assert!(!about_chiplet.is_empty());
    for thesis in about_chiplet {
        assert_ne!(
            thesis.stance,
            Stance::Bullish,
            "thesis {}: Chiplet's value goes to the giants (L713)",
            thesis.id
        );
    }
    let tesla = node(&map, "tesla")
        .description
        .as_deref()
        .unwrap_or_default();
    assert!(
        tesla.contains("returned"),
        "Karpathy returned from Tesla (L335): {tesla}"
    );
}

#[test]
fn chinese_link_labels_are_labels_not_fragments_cut_from_the_report() {
    let map = bundled().map;
    let report = report().replace('\u{a0}', " ");
    for link in &map.links {
        let label = link
            .label_zh
            .as_deref()
            .unwrap_or_else(|| panic!("link {} has a Chinese label", link.id));
        assert!(
            !report.contains(label),
            "link {}: \"{label}\" is cut from the report",
            link.id
        );
    }
}

#[test]
fn every_node_and_link_says_its_own_words() {
    let map = bundled().map;
    let mut descriptions: HashMap<&str, &str> = HashMap::new();
    for node in &map.nodes {
        let text = node.description.as_deref().unwrap_or_default();
        if let Some(other) = descriptions.insert(text, &node.id) {
            panic!("{other} and {} share the description \"{text}\"", node.id);
        }
        let zh = node.description_zh.as_deref().unwrap_or_default();
        assert!(
            !zh.starts_with('其'),
            "{}: \"{zh}\" begins with a dangling 其",
            node.id
        );
        assert!(!zh.contains("所有者"), "{}: \"{zh}\"", node.id);
    }
    for (language, label) in [
        (
            "English",
            (|l: &chainmap::model::Link| l.label.clone()) as fn(&_) -> _,
        ),
        ("Chinese", |l: &chainmap::model::Link| l.label_zh.clone()),
    ] {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for link in &map.links {
            let text = label(link).unwrap_or_else(|| panic!("link {} has a label", link.id));
            if let Some(other) = seen.insert(text.clone(), &link.id) {
                panic!(
                    "links {other} and {} share the {language} label \"{text}\"",
                    link.id
                );
            }
        }
    }
}
