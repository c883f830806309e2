//! A diff in words: one line per change, grouped by kind, each line knowing the entity it
//! is about, so that `chainmap diff` prints them and the window's Compare with… lists
//! them and walks to each.

use super::diff::{
    Changed, FieldChange, FigureChange, FigureEntry, KindDiff, LinkChange, LinkEntry, MapDiff,
    NamedEntry, NodeDiff, NodeEntry, Placement, SegmentEntry, ThesisEntry, TierDiff, Value,
};
use super::{EntityKind, Id, Lang, LinkKind, Worded, format_number, localized};
use std::fmt::Write as _;

/// The changes of one kind, under a heading with their counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<Line>,
}

/// One change in words, and the entity it is about (none for the map's settings).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub text: String,
    pub about: Option<(EntityKind, Id)>,
}

impl Line {
    fn about(kind: EntityKind, id: &str, text: String) -> Line {
        Line {
            text,
            about: Some((kind, id.to_owned())),
        }
    }

    fn of_map(text: String) -> Line {
        Line { text, about: None }
    }
}

/// The changes, section by section (only the kinds that changed).
/// A value as the file writes it: texts and dates quoted, variants and numbers bare.
fn shown(value: &Value) -> String {
    match value {
        Value::Absent => "none".to_owned(),
        Value::Text(text) => format!("{text:?}"),
        Value::Variant(name) => name.clone(),
        Value::Integer(number) => number.to_string(),
        Value::Number(number) => format_number(*number),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Structured(value) => value.to_string(),
    }
}

/// `field old → new`.
pub(crate) fn change_line(change: &FieldChange) -> String {
    format!(
        "{} {} → {}",
        change.field,
        shown(&change.old),
        shown(&change.new)
    )
}

pub(crate) fn name_in<'a>(name: &'a str, name_zh: Option<&'a String>, lang: Lang) -> &'a str {
    localized(name, name_zh.map(String::as_str), lang)
}

fn placement(tier: &str, segment: Option<&str>) -> String {
    match segment {
        Some(segment) => format!("{tier} / {segment}"),
        None => tier.to_owned(),
    }
}

pub(crate) fn node_placement(node: &NodeEntry) -> String {
    placement(&node.tier, node.segment.as_deref())
}

pub(crate) fn moved_placement(place: &Placement) -> String {
    placement(&place.tier, place.segment.as_deref())
}

pub(crate) fn link_words(from: &str, kind: LinkKind, to: &str, lang: Lang) -> String {
    format!("{from} {} {to}", kind.label_in(lang))
}

/// A figure's value as a reader says it; a figure without one says so.
pub(crate) fn figure_value(value: &str) -> &str {
    if value.is_empty() { "no value" } else { value }
}

/// One line per change, grouped by kind under a heading with the counts; "no
/// differences" when the maps mean the same.
pub fn sections(diff: &MapDiff, lang: Lang) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut section = |title: &str, counts: &[(usize, &str)], lines: Vec<Line>| {
        if lines.is_empty() {
            return;
        }
        let counts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        let heading = if counts.is_empty() {
            title.to_owned()
        } else {
            format!("{title} ({})", counts.join(", "))
        };
        sections.push(Section { heading, lines });
    };

    section(
        "Map",
        &[],
        diff.map
            .changes
            .iter()
            .map(|c| Line::of_map(format!("map: {}", change_line(c))))
            .collect(),
    );

    let tiers = &diff.tiers;
    let reordered = usize::from(tiers.order.is_some());
    section(
        "Tiers",
        &[
            (tiers.added.len(), "added"),
            (tiers.removed.len(), "removed"),
            (reordered, "reordered"),
            (tiers.changed.len(), "changed"),
        ],
        tier_lines(tiers, lang),
    );
    section(
        "Segments",
        &counts(&diff.segments),
        segment_lines(&diff.segments, lang),
    );
    let nodes = &diff.nodes;
    section(
        "Nodes",
        &[
            (nodes.added.len(), "added"),
            (nodes.removed.len(), "removed"),
            (nodes.moved.len(), "moved"),
            (nodes.changed.len(), "changed"),
        ],
        node_lines(nodes, lang),
    );
    section("Links", &counts(&diff.links), link_lines(&diff.links, lang));
    let markets = named_kind_lines(EntityKind::Market, &diff.markets, lang);
    section("Markets", &counts(&diff.markets), markets);
    section(
        "Figures",
        &counts(&diff.figures),
        figure_lines(&diff.figures, lang),
    );
    section(
        "Theses",
        &counts(&diff.theses),
        thesis_lines(&diff.theses, lang),
    );
    let sources = named_kind_lines(EntityKind::Source, &diff.sources, lang);
    section("Sources", &counts(&diff.sources), sources);
    let studies = named_kind_lines(EntityKind::CaseStudy, &diff.case_studies, lang);
    section("Case studies", &counts(&diff.case_studies), studies);
    sections
}

/// Markets, sources and case studies: added, removed and changed, by name.
fn named_kind_lines(kind: EntityKind, diff: &KindDiff<NamedEntry>, lang: Lang) -> Vec<Line> {
    let mut lines = named_lines(kind, &diff.added, &diff.removed, lang);
    lines.extend(changed_lines(kind, &diff.changed, lang));
    lines
}

fn tier_lines(diff: &TierDiff, lang: Lang) -> Vec<Line> {
    let mut lines = named_lines(EntityKind::Tier, &diff.added, &diff.removed, lang);
    if let Some(order) = &diff.order {
        lines.push(Line::of_map(format!(
            "tier order: {} → {}",
            order.old.join(", "),
            order.new.join(", ")
        )));
    }
    lines.extend(changed_lines(EntityKind::Tier, &diff.changed, lang));
    lines
}

fn segment_lines(diff: &KindDiff<SegmentEntry>, lang: Lang) -> Vec<Line> {
    let mut lines = added_and_removed(EntityKind::Segment, &diff.added, &diff.removed, |s| {
        let name = name_in(&s.name, s.name_zh.as_ref(), lang);
        (&s.id, format!("segment {} \"{name}\" ({})", s.id, s.tier))
    });
    lines.extend(changed_lines(EntityKind::Segment, &diff.changed, lang));
    lines
}

fn node_lines(diff: &NodeDiff, lang: Lang) -> Vec<Line> {
    let mut lines = added_and_removed(EntityKind::Node, &diff.added, &diff.removed, |n| {
        let name = name_in(&n.name, n.name_zh.as_ref(), lang);
        let place = node_placement(n);
        (&n.id, format!("node {} \"{name}\" ({place})", n.id))
    });
    for m in &diff.moved {
        let name = name_in(&m.name, m.name_zh.as_ref(), lang);
        let (old, new) = (moved_placement(&m.old), moved_placement(&m.new));
        let text = format!("node {} \"{name}\" moved: {old} → {new}", m.id);
        lines.push(Line::about(EntityKind::Node, &m.id, text));
    }
    lines.extend(changed_lines(EntityKind::Node, &diff.changed, lang));
    lines
}

fn link_lines(diff: &KindDiff<LinkEntry, LinkChange>, lang: Lang) -> Vec<Line> {
    let mut lines = added_and_removed(EntityKind::Link, &diff.added, &diff.removed, |l| {
        let words = link_words(&l.from, l.kind, &l.to, lang);
        (&l.id, format!("link {}: {words}", l.id))
    });
    for l in &diff.changed {
        for c in &l.changes {
            let text = format!("link {} ({} → {}): {}", l.id, l.from, l.to, change_line(c));
            lines.push(Line::about(EntityKind::Link, &l.id, text));
        }
    }
    lines
}

fn figure_lines(diff: &KindDiff<FigureEntry, FigureChange>, lang: Lang) -> Vec<Line> {
    let mut lines = added_and_removed(EntityKind::Figure, &diff.added, &diff.removed, |f| {
        let metric = name_in(&f.name, f.name_zh.as_ref(), lang);
        let value = figure_value(&f.value);
        (
            &f.id,
            format!("figure {} \"{metric}\" ({}): {value}", f.id, f.subject),
        )
    });
    for f in &diff.changed {
        let metric = name_in(&f.name, f.name_zh.as_ref(), lang);
        if f.value_moved() {
            let (old, new) = (figure_value(&f.old_value), figure_value(&f.new_value));
            let text = format!("figure {} \"{metric}\": {old} → {new}", f.id);
            lines.push(Line::about(EntityKind::Figure, &f.id, text));
        }
        for c in f.other_changes() {
            let text = format!("figure {} \"{metric}\": {}", f.id, change_line(c));
            lines.push(Line::about(EntityKind::Figure, &f.id, text));
        }
    }
    lines
}

fn thesis_lines(diff: &KindDiff<ThesisEntry>, lang: Lang) -> Vec<Line> {
    let mut lines = added_and_removed(EntityKind::Thesis, &diff.added, &diff.removed, |t| {
        let title = name_in(&t.name, t.name_zh.as_ref(), lang);
        let text = format!(
            "thesis {} \"{title}\": {:?}, conviction {}, {:?}",
            t.id, t.stance, t.conviction, t.status
        );
        (&t.id, text)
    });
    // A thesis's title is long; its id is enough on each line of its changes.
    for t in &diff.changed {
        for c in &t.changes {
            let text = format!("thesis {}: {}", t.id, change_line(c));
            lines.push(Line::about(EntityKind::Thesis, &t.id, text));
        }
    }
    lines
}

/// One line per change, grouped by kind under a heading with the counts; "no
/// differences" when the maps mean the same.
pub fn text(diff: &MapDiff, lang: Lang) -> String {
    if diff.is_empty() {
        return "no differences\n".to_owned();
    }
    let mut out = String::new();
    for (i, section) in sections(diff, lang).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", section.heading);
        for line in &section.lines {
            let _ = writeln!(out, "{}", line.text);
        }
    }
    out
}

fn counts<E, C>(diff: &KindDiff<E, C>) -> [(usize, &'static str); 3] {
    [
        (diff.added.len(), "added"),
        (diff.removed.len(), "removed"),
        (diff.changed.len(), "changed"),
    ]
}

/// A `+` line for each added entry and a `-` line for each removed one: the sign, then
/// what `line` gives of the entry (its id and its words).
fn added_and_removed<'a, T>(
    kind: EntityKind,
    added: &'a [T],
    removed: &'a [T],
    line: impl Fn(&'a T) -> (&'a str, String),
) -> Vec<Line> {
    let mut lines = Vec::new();
    for (sign, list) in [('+', added), ('-', removed)] {
        for entry in list {
            let (id, text) = line(entry);
            lines.push(Line::about(kind, id, format!("{sign} {text}")));
        }
    }
    lines
}

/// `+ KIND ID "NAME"` and `- KIND ID "NAME"` lines.
fn named_lines(
    kind: EntityKind,
    added: &[NamedEntry],
    removed: &[NamedEntry],
    lang: Lang,
) -> Vec<Line> {
    added_and_removed(kind, added, removed, |e| {
        let name = name_in(&e.name, e.name_zh.as_ref(), lang);
        (&e.id, format!("{} {} \"{name}\"", kind.noun(), e.id))
    })
}

/// `KIND ID "NAME": FIELD OLD → NEW`, one line per changed field.
fn changed_lines(kind: EntityKind, changed: &[Changed], lang: Lang) -> Vec<Line> {
    changed
        .iter()
        .flat_map(|e| {
            let name = name_in(&e.name, e.name_zh.as_ref(), lang);
            e.changes.iter().map(move |c| {
                let text = format!("{} {} \"{name}\": {}", kind.noun(), e.id, change_line(c));
                Line::about(kind, &e.id, text)
            })
        })
        .collect()
}
