//! Text exports of a map that need no layout: the figures as CSV, the theses as a
//! Markdown report.

use crate::model::{self, Figure, Lang, Map, Msg, Named, Target, Thesis, Worded, localized};
use std::fmt::Write as _;

/// The CSV columns, in order: the first eleven are the contract of `export --format csv`.
pub const CSV_COLUMNS: [&str; 17] = [
    "id",
    "subject",
    "metric",
    "low",
    "high",
    "unit",
    "qualifier",
    "scope",
    "as_of",
    "source",
    "quote",
    "value",
    "market",
    "locator",
    "note",
    "holders",
    "case",
];

/// The figures, one row each, with a header row: the columns of `figures.csv` (see
/// [`super::csv_tables::FIGURE_COLUMNS`]) in the order above, the qualifier in words, each
/// number with the decimals it was written with (`precisions`), and cells a spreadsheet
/// would run as formulas guarded, as every table is. `import csv` reads it back.
pub fn figures_csv(map: &Map, precisions: &model::Precisions) -> String {
    use super::csv_tables::{FIGURE_COLUMNS, figure_rows, push_row};
    let columns: Vec<_> = CSV_COLUMNS
        .iter()
        .filter_map(|name| FIGURE_COLUMNS.iter().find(|c| c.name == *name))
        .collect();
    let mut out = String::new();
    push_row(&mut out, CSV_COLUMNS.iter().map(|name| Some(*name)));
    for row in figure_rows(map, precisions) {
        let cells: Vec<Option<String>> = columns
            .iter()
            .map(|column| match column.name {
                "qualifier" => Some(row.figure.qualifier.label().to_owned()),
                _ => (column.get)(&row),
            })
            .collect();
        push_row(&mut out, cells.iter().map(Option::as_deref));
    }
    out
}

/// The name a reader sees for an id: a node's, segment's or tier's name, else the id.
pub fn subject_name<'a>(
    map: &'a Map,
    index: &model::IdIndex<'_>,
    id: &'a str,
    lang: Lang,
) -> &'a str {
    match index.get(id) {
        Some(Target::Node(i)) => map.nodes.get(*i).map_or(id, |n| n.name_in(lang)),
        Some(Target::Segment(i)) => map.segments.get(*i).map_or(id, |s| s.name_in(lang)),
        Some(Target::Tier(i)) => map.tiers.get(*i).map_or(id, |t| t.name_in(lang)),
        _ => id,
    }
}

/// The tier a thesis is filed under: the tier of its first subject.
fn thesis_tier(map: &Map, index: &model::IdIndex<'_>, thesis: &Thesis) -> Option<usize> {
    thesis
        .about
        .iter()
        .find_map(|id| match index.get(id.as_str())? {
            Target::Tier(i) => Some(*i),
            Target::Segment(i) => map.tier_index(&map.segments.get(*i)?.tier),
            Target::Node(i) => map.tier_index(&map.nodes.get(*i)?.tier),
            _ => None,
        })
}

/// A map's text as Markdown shows it literally: markup characters escaped (`*`, `` ` ``,
/// `<` so that no HTML passes through, `](` so that no link is made, `_` where it could
/// open emphasis…) and line breaks as spaces, so that a name or a quote can neither
/// format the memo nor break its headings, quotes and tables.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let inside_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let markup = match c {
            '\\' | '*' | '`' | '<' | '>' | '#' | '|' | '&' | '~' => true,
            // Brackets stay bare (`tags []` reads as it is) except where they would close a
            // link: `[text](url)`, `[text][ref]`, `[ref]: url`.
            ']' => matches!(chars.peek(), Some('(' | '[' | ':')),
            '_' => !(inside_word(previous) && inside_word(chars.peek().copied())),
            _ => false,
        };
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            if markup {
                out.push('\\');
            }
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    markdown_text(text)
}

/// The memo's title, description, date and counts.
fn markdown_header(map: &Map, lang: Lang) -> String {
    let mut out = String::new();
    let title = map
        .meta
        .title_in(lang)
        .unwrap_or(Msg::ValueChainMap.in_lang(lang));
    let _ = writeln!(out, "# {}\n", markdown_text(title));
    if let Some(description) = &map.meta.description {
        let _ = writeln!(
            out,
            "{}\n",
            markdown_text(localized(
                description,
                map.meta.description_zh.as_deref(),
                lang
            ))
        );
    }
    if let Some(as_of) = &map.meta.as_of {
        let as_of = markdown_text(&as_of.to_string());
        let _ = writeln!(out, "{}\n", Msg::as_of_sentence(lang, as_of));
    }
    let counts = Msg::report_counts(
        lang,
        map.tiers.len(),
        map.segments.len(),
        map.nodes.len(),
        map.links.len(),
        map.theses.len(),
        map.figures.len(),
    );
    let _ = writeln!(out, "{counts}\n");
    out
}

/// A Markdown report: the theses by tier with their subjects, evidence and figures, then
/// the markets with their shares and concentration.
pub fn markdown_report(map: &Map, lang: Lang) -> String {
    let index = map.index();
    let mut out = markdown_header(map, lang);
    let groups = theses_by_tier(map, &index);
    glance_markdown(&mut out, map, &groups, lang);
    let _ = writeln!(out, "## {}\n", Msg::ThesesHeading.in_lang(lang));
    for (tier, theses) in groups {
        let heading = tier_heading(map, tier, lang);
        let _ = writeln!(out, "### {}\n", markdown_text(heading));
        for thesis in theses {
            thesis_markdown(&mut out, map, &index, thesis, lang);
        }
    }
    markets_markdown(&mut out, map, &index, lang);
    out
}

/// The theses grouped by the tier they are about, in the map's tier order, with the theses
/// about no one tier last (`None`); tiers no thesis is about are left out.
fn theses_by_tier<'a>(
    map: &'a Map,
    index: &model::IdIndex<'_>,
) -> Vec<(Option<usize>, Vec<&'a Thesis>)> {
    let mut groups: Vec<(Option<usize>, Vec<&Thesis>)> = Vec::new();
    for tier in (0..map.tiers.len()).map(Some).chain([None]) {
        let theses: Vec<&Thesis> = map
            .theses
            .iter()
            .filter(|t| thesis_tier(map, index, t) == tier)
            .collect();
        if !theses.is_empty() {
            groups.push((tier, theses));
        }
    }
    groups
}

/// The heading of a group of theses: its tier's name, or "Across the chain" (in the memo's
/// language) for none.
fn tier_heading(map: &Map, tier: Option<usize>, lang: Lang) -> &str {
    tier.and_then(|i| map.tiers.get(i))
        .map_or(Msg::AcrossTheChain.in_lang(lang), |t| t.name_in(lang))
}

/// The memo's first table: where the theses lean, tier by tier (nothing without theses).
fn glance_markdown(
    out: &mut String,
    map: &Map,
    groups: &[(Option<usize>, Vec<&Thesis>)],
    lang: Lang,
) {
    if !groups.is_empty() {
        let _ = writeln!(out, "## {}\n", Msg::AtAGlance.in_lang(lang));
        let stances = [
            model::Stance::Bullish,
            model::Stance::Bearish,
            model::Stance::Neutral,
            model::Stance::Mixed,
        ];
        let columns: Vec<&str> = stances.iter().map(|s| s.label_in(lang)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---:|{}---:|",
            Msg::Tier.in_lang(lang),
            Msg::Theses.in_lang(lang),
            columns.join(" | "),
            Msg::MeanConviction.in_lang(lang),
            "---:|".repeat(columns.len())
        );
        for (tier, theses) in groups {
            let counts: Vec<String> = stances
                .iter()
                .map(|stance| {
                    theses
                        .iter()
                        .filter(|t| t.stance == *stance)
                        .count()
                        .to_string()
                })
                .collect();
            let conviction =
                theses.iter().map(|t| f64::from(t.conviction)).sum::<f64>() / theses.len() as f64;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {conviction:.1} |",
                cell(tier_heading(map, *tier, lang)),
                theses.len(),
                counts.join(" | ")
            );
        }
        out.push('\n');
    }
}

/// The memo's markets, most concentrated first: each in the base case, then in every
/// other case its figures give (nothing when the map has no markets).
fn markets_markdown(out: &mut String, map: &Map, index: &model::IdIndex<'_>, lang: Lang) {
    if !map.markets.is_empty() {
        let _ = writeln!(
            out,
            "## {}\n\n{}\n",
            Msg::Markets.in_lang(lang),
            Msg::MarketsOrderNote.in_lang(lang)
        );
        let all_cases = model::markets::concentrations_in(map, model::BASE_CASE);
        for concentration in model::markets::ranked_by_hhi(map, model::BASE_CASE) {
            market_markdown(out, map, index, &concentration, lang);
            // Every other case the market gives, after the base case, never in its place.
            let others = all_cases
                .iter()
                .find(|c| std::ptr::eq(c.market, concentration.market))
                .map(|c| c.cases.clone())
                .unwrap_or_default();
            for case in others.iter().filter(|c| *c != model::BASE_CASE) {
                let figures: Vec<&Figure> = map
                    .figures
                    .iter()
                    .filter(|f| f.market.as_deref() == Some(concentration.market.id.as_str()))
                    .collect();
                let firms = model::markets::Firms::of(map);
                let other =
                    model::markets::concentration_of(concentration.market, &figures, case, &firms);
                let label = model::market_lens::case_label(case, lang);
                let shares: Vec<String> = other
                    .shares
                    .iter()
                    .map(|share| {
                        format!(
                            "{} {} ({})",
                            holders_name(map, index, share, lang),
                            share.figure.display_value(),
                            share.figure.id
                        )
                    })
                    .collect();
                let line = Msg::shares_in_case(
                    lang,
                    label,
                    markdown_text(&shares.join("; ")),
                    other.text(lang),
                );
                let _ = writeln!(out, "{line}\n");
            }
        }
    }
}

/// The names of a share's holders: "OpenAI", or "AWS + Azure + GCP (jointly)".
fn holders_name(
    map: &Map,
    index: &model::IdIndex<'_>,
    share: &model::markets::Share<'_>,
    lang: Lang,
) -> String {
    let names: Vec<&str> = share
        .holders()
        .iter()
        .map(|id| subject_name(map, index, id, lang))
        .collect();
    if share.is_joint() {
        format!("{} {}", names.join(" + "), Msg::Jointly.in_lang(lang))
    } else {
        names.join("")
    }
}

/// One market in the memo, in the base case: its shares (a joint share once, with all its
/// holders), the unclaimed rest, top-1 and HHI bounds, or why there is no HHI.
fn market_markdown(
    out: &mut String,
    map: &Map,
    index: &model::IdIndex<'_>,
    concentration: &model::markets::Concentration<'_>,
    lang: Lang,
) {
    let market = concentration.market;
    let name = market.name_in(lang);
    let _ = writeln!(out, "### {}\n", markdown_text(name));
    if concentration.lacks_case() {
        let text =
            model::market_lens::no_case_text(&concentration.case, &concentration.cases, lang);
        let _ = writeln!(out, "{}.\n", markdown_text(&text));
        return;
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---|---|",
        Msg::Subject.in_lang(lang),
        Msg::Share.in_lang(lang),
        Msg::Figure.in_lang(lang)
    );
    for share in &concentration.shares {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&holders_name(map, index, share, lang)),
            cell(&share.figure.display_value()),
            cell(&share.figure.id)
        );
    }
    let about = concentration.approximate;
    let unclaimed = model::format_bounds(concentration.unclaimed, about);
    let top1 = model::format_bounds(concentration.top1, about);
    let hhi = match concentration.hhi {
        Some(hhi) => model::format_bounds(hhi, about),
        None => Msg::no_hhi_not_firms(
            lang,
            concentration
                .not_firms
                .join(Msg::ListSeparator.in_lang(lang)),
        ),
    };
    let sentence = Msg::concentration_sentence(lang, unclaimed, top1, markdown_text(&hhi));
    let _ = writeln!(out, "\n{sentence}\n");
}

/// One thesis in the memo: its title and id, its facts line, its claim, its subjects, its
/// evidence as quotes, and the table of its figures.
fn thesis_markdown(
    out: &mut String,
    map: &Map,
    index: &model::IdIndex<'_>,
    thesis: &Thesis,
    lang: Lang,
) {
    let title = localized(&thesis.title, thesis.title_zh.as_deref(), lang);
    let _ = writeln!(
        out,
        "#### {} (`{}`)\n",
        markdown_text(title),
        thesis.id.replace(['`', '\n', '\r'], " ")
    );
    let _ = writeln!(out, "{}\n", thesis_facts(thesis, lang));
    let _ = writeln!(
        out,
        "{}\n",
        markdown_text(localized(&thesis.claim, thesis.claim_zh.as_deref(), lang))
    );
    if !thesis.about.is_empty() {
        let subjects: Vec<String> = thesis
            .about
            .iter()
            .map(|id| markdown_text(subject_name(map, index, id, lang)))
            .collect();
        let _ = writeln!(out, "{}\n", Msg::about(lang, subjects.join(", ")));
    }
    for evidence in &thesis.evidence {
        evidence_markdown(out, evidence);
    }
    thesis_figures_markdown(out, map, index, thesis, lang);
}

/// The line under a thesis's title: stance, conviction, status, and the horizon and
/// dates it has, joined by middle dots.
fn thesis_facts(thesis: &Thesis, lang: Lang) -> String {
    let mut facts = vec![
        format!("**{}**", thesis.stance.label_in(lang)),
        Msg::conviction(lang, thesis.conviction),
        thesis.status.label_in(lang).to_owned(),
    ];
    if let Some(horizon) = &thesis.horizon {
        facts.push(Msg::horizon(lang, markdown_text(horizon)));
    }
    if let Some(as_of) = &thesis.as_of {
        facts.push(Msg::as_of_lower(lang, markdown_text(&as_of.to_string())));
    }
    if let Some(review_by) = &thesis.review_by {
        facts.push(Msg::review_by(lang, markdown_text(&review_by.to_string())));
    }
    facts.join(" · ")
}

/// One piece of evidence as a block quote: the quote, its source and locator, and its
/// note in italics when it has one.
fn evidence_markdown(out: &mut String, evidence: &model::Evidence) {
    let quote = evidence.quote.as_deref().unwrap_or("");
    let locator = evidence
        .locator
        .as_deref()
        .map(|l| format!(", {}", markdown_text(l)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "> {} ({}{locator})",
        markdown_text(quote),
        markdown_text(&evidence.source)
    );
    if let Some(note) = &evidence.note {
        let _ = writeln!(out, ">\n> *{}*", markdown_text(note));
    }
    out.push('\n');
}

/// The table of the figures a thesis cites (nothing when it cites none that exist).
fn thesis_figures_markdown(
    out: &mut String,
    map: &Map,
    index: &model::IdIndex<'_>,
    thesis: &Thesis,
    lang: Lang,
) {
    let figures: Vec<&Figure> = thesis
        .figures
        .iter()
        .filter_map(|id| match index.get(id.as_str()) {
            Some(Target::Figure(i)) => map.figures.get(*i),
            _ => None,
        })
        .collect();
    if !figures.is_empty() {
        let _ = writeln!(
            out,
            "| {} |\n|---|---|---|---|---|",
            [
                Msg::Figure.in_lang(lang),
                Msg::Subject.in_lang(lang),
                Msg::Metric.in_lang(lang),
                Msg::Value.in_lang(lang),
                Msg::Qualifier.in_lang(lang),
            ]
            .join(" | ")
        );
        for figure in figures {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&figure.id),
                cell(subject_name(map, index, &figure.subject, lang)),
                cell(localized(&figure.metric, figure.metric_zh.as_deref(), lang)),
                cell(&figure.display_value()),
                figure.qualifier.label_in(lang)
            );
        }
        out.push('\n');
    }
}

/// Quotes a Graphviz identifier or label.
fn dot_string(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

/// The DOT node that stands for a segment named by a link.
fn segment_anchor(segment: &str) -> String {
    dot_string(&format!("segment:{segment}"))
}

/// Graphviz DOT of the map: one rank per tier (the first tier at the bottom, kept in order
/// by an invisible chain of tier anchors) and each segment a cluster, so that `dot` draws
/// the same graph under the same constraints as chainmap (`newrank` lets the tier ranks
/// hold across clusters).
pub fn dot(map: &Map) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph chainmap {{");
    let _ = writeln!(out, "  newrank=true;");
    let _ = writeln!(out, "  rankdir=BT;");
    let _ = writeln!(out, "  node [shape=box];");
    dot_nodes(&mut out, map);
    // A link that names a segment needs a node to end at: a dashed box stands for the
    // segment, in its tier's rank. (Edges into a cluster, with `lhead`, make `dot`'s
    // router fail on maps of this size.)
    let linked_segments: Vec<&model::Segment> = map
        .segments
        .iter()
        .filter(|s| map.links.iter().any(|l| l.from == s.id || l.to == s.id))
        .collect();
    for segment in &linked_segments {
        let _ = writeln!(
            out,
            "  {} [label={}, style=dashed];",
            segment_anchor(&segment.id),
            dot_string(&segment.name)
        );
    }
    dot_tier_ranks(&mut out, map, &linked_segments);
    let end = |id: &str| {
        if map.segments.iter().any(|s| s.id == id) {
            segment_anchor(id)
        } else {
            dot_string(id)
        }
    };
    for link in &map.links {
        let _ = writeln!(out, "  {} -> {};", end(&link.from), end(&link.to));
    }
    let _ = writeln!(out, "}}");
    out
}

/// The map's nodes in DOT: each segment a cluster (a child segment nested in its parent)
/// holding the nodes whose first segment it is, then the nodes in no segment.
fn dot_nodes(out: &mut String, map: &Map) {
    let mut members: std::collections::HashMap<&str, Vec<&model::Node>> =
        std::collections::HashMap::new();
    for node in &map.nodes {
        if let Some(segment) = node.segments.first() {
            members.entry(segment.as_str()).or_default().push(node);
        }
    }
    for segment in map.segments.iter().filter(|s| s.parent.is_none()) {
        dot_cluster(out, map, &members, segment, 2);
    }
    for node in map.nodes.iter().filter(|n| n.segments.is_empty()) {
        let _ = writeln!(
            out,
            "  {} [label={}];",
            dot_string(&node.id),
            dot_string(&node.name)
        );
    }
}

/// One segment as a DOT cluster, `indent` spaces in: its child segments first, then its
/// member nodes.
fn dot_cluster(
    out: &mut String,
    map: &Map,
    members: &std::collections::HashMap<&str, Vec<&model::Node>>,
    segment: &model::Segment,
    indent: usize,
) {
    let pad = " ".repeat(indent);
    let _ = writeln!(
        out,
        "{pad}subgraph {} {{",
        dot_string(&format!("cluster_{}", segment.id))
    );
    let _ = writeln!(out, "{pad}  label={};", dot_string(&segment.name));
    for child in map
        .segments
        .iter()
        .filter(|s| s.parent.as_deref() == Some(segment.id.as_str()))
    {
        dot_cluster(out, map, members, child, indent + 2);
    }
    for node in members.get(segment.id.as_str()).into_iter().flatten() {
        let _ = writeln!(
            out,
            "{pad}  {} [label={}];",
            dot_string(&node.id),
            dot_string(&node.name)
        );
    }
    let _ = writeln!(out, "{pad}}}");
}

/// One `rank=same` group per tier (an invisible tier anchor, the tier's nodes and the
/// anchors of its linked segments), then an invisible chain of the tier anchors from the
/// first tier up, which keeps the ranks in the map's tier order.
fn dot_tier_ranks(out: &mut String, map: &Map, linked_segments: &[&model::Segment]) {
    for tier in &map.tiers {
        let _ = write!(
            out,
            "  {{ rank=same; {} [style=invis];",
            dot_string(&format!("tier:{}", tier.id))
        );
        for node in map.nodes.iter().filter(|n| n.tier == tier.id) {
            let _ = write!(out, " {};", dot_string(&node.id));
        }
        for segment in linked_segments.iter().filter(|s| s.tier == tier.id) {
            let _ = write!(out, " {};", segment_anchor(&segment.id));
        }
        let _ = writeln!(out, " }}");
    }
    for pair in map.tiers.windows(2) {
        if let [lower, upper] = pair {
            let _ = writeln!(
                out,
                "  {} -> {} [style=invis];",
                dot_string(&format!("tier:{}", lower.id)),
                dot_string(&format!("tier:{}", upper.id))
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theses_about_no_one_tier_have_a_heading_in_the_memos_language() {
        let mut map = crate::io::bundled::load_bundled().map;
        let mut across = map.theses[0].clone();
        across.id = "across".into();
        // About a market alone: no tier, node or segment places it.
        across.about = vec![map.markets[0].id.clone()];
        map.theses.push(across);
        let en = markdown_report(&map, Lang::En);
        let zh = markdown_report(&map, Lang::Zh);
        assert!(en.contains("### Across the chain\n"), "{en}");
        assert!(zh.contains("### 贯穿整条价值链\n"));
        assert!(!zh.contains("Across the chain"));
    }
}
