//! What changed between two versions of a map, in the map's own terms: entities are matched
//! by id across the versions and compared field by field, so that a node moved to another
//! tier or a thesis whose conviction dropped reads as such, however the files were split or
//! reordered.
//!
//! Pure: no files, no git and no wording for a reader. `cli::diff` reads the versions and
//! writes the result as text, Markdown or JSON (the [`Serialize`] shape below is that JSON).

use super::{
    CaseStudy, Evidence, Figure, Id, IsoDate, Link, LinkKind, Map, MapMeta, Market, Node, Segment,
    Source, Stance, Thesis, ThesisStatus, Tier, format_number,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything that differs between two maps, each list sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MapDiff {
    /// The map-wide settings (title, description, as-of date).
    pub map: MetaDiff,
    pub tiers: TierDiff,
    pub segments: KindDiff<SegmentEntry>,
    pub nodes: NodeDiff,
    pub links: KindDiff<LinkEntry, LinkChange>,
    pub markets: KindDiff<NamedEntry>,
    pub figures: KindDiff<FigureEntry, FigureChange>,
    pub theses: KindDiff<ThesisEntry>,
    pub sources: KindDiff<NamedEntry>,
    pub case_studies: KindDiff<NamedEntry>,
}

impl MapDiff {
    /// Whether the two maps mean the same (they may still differ in layout, order or comments).
    /// Every field is named, so that a kind added to the diff does not compile until it
    /// counts here; `every_kind_makes_a_diff` checks that each kind has its list.
    pub fn is_empty(&self) -> bool {
        let MapDiff {
            map,
            tiers,
            segments,
            nodes,
            links,
            markets,
            figures,
            theses,
            sources,
            case_studies,
        } = self;
        map.changes.is_empty()
            && tiers.is_empty()
            && segments.is_empty()
            && nodes.is_empty()
            && links.is_empty()
            && markets.is_empty()
            && figures.is_empty()
            && theses.is_empty()
            && sources.is_empty()
            && case_studies.is_empty()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MetaDiff {
    pub changes: Vec<FieldChange>,
}

/// The entities of one kind that only the new map has, only the old map has, and that both
/// have with different fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KindDiff<E, C = Changed> {
    pub added: Vec<E>,
    pub removed: Vec<E>,
    pub changed: Vec<C>,
}

// Written out so that `E` and `C` need not be `Default` themselves.
impl<E, C> Default for KindDiff<E, C> {
    fn default() -> Self {
        Self {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        }
    }
}

impl<E, C> KindDiff<E, C> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Tiers are ordered (bottom to top), so their order is part of the map's meaning.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TierDiff {
    pub added: Vec<NamedEntry>,
    pub removed: Vec<NamedEntry>,
    pub changed: Vec<Changed>,
    /// Set when the tiers both maps have are in another order.
    pub order: Option<OrderChange>,
}

impl TierDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.order.is_none()
    }
}

/// Every tier id, bottom to top, in each map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrderChange {
    pub old: Vec<Id>,
    pub new: Vec<Id>,
}

/// Nodes: a change of tier or of first segment (the one that places the node in the
/// diagram) is a move, reported apart from the other field changes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NodeDiff {
    pub added: Vec<NodeEntry>,
    pub removed: Vec<NodeEntry>,
    pub moved: Vec<NodeMove>,
    /// Changes other than the move: never `tier`, and `segments` only when the segments
    /// after the first differ.
    pub changed: Vec<Changed>,
}

impl NodeDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.moved.is_empty()
            && self.changed.is_empty()
    }
}

/// An entity added or removed, by what a reader calls it: a name, or the title of a
/// source or a case study.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamedEntry {
    pub id: Id,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentEntry {
    pub id: Id,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub tier: Id,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeEntry {
    pub id: Id,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub tier: Id,
    /// The node's first segment, if any.
    pub segment: Option<Id>,
}

/// Where a node sits in the diagram: its tier and first segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub tier: Id,
    pub segment: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeMove {
    pub id: Id,
    /// The name in the new map.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub old: Placement,
    pub new: Placement,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkEntry {
    pub id: Id,
    pub from: Id,
    pub to: Id,
    pub kind: LinkKind,
}

/// A link found in both maps with different fields; its ends and kind as the new map has them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkChange {
    pub id: Id,
    pub from: Id,
    pub to: Id,
    pub kind: LinkKind,
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureEntry {
    pub id: Id,
    /// The figure's metric.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub subject: Id,
    pub market: Option<Id>,
    /// The value as a reader says it ([`Figure::display_value`]): "55–75%", "≥ 60%".
    pub value: String,
}

/// A figure found in both maps with different fields, with its value as a reader says it
/// in each (equal when only other fields changed).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureChange {
    pub id: Id,
    /// The metric in the new map.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub old_value: String,
    pub new_value: String,
    pub changes: Vec<FieldChange>,
    /// The fields that make up the value as a reader says it, in either version: `low`,
    /// `high` and `unit` for a figure with numbers, `value` for one given in words. Not
    /// in the JSON, where every change is listed anyway.
    #[serde(skip)]
    pub value_fields: Vec<&'static str>,
}

impl FigureChange {
    /// Whether the value as a reader says it moved.
    pub fn value_moved(&self) -> bool {
        self.old_value != self.new_value
    }

    /// The changes that `old_value → new_value` does not already show.
    pub fn other_changes(&self) -> impl Iterator<Item = &FieldChange> {
        let moved = self.value_moved();
        self.changes
            .iter()
            .filter(move |c| !(moved && self.value_fields.contains(&c.field)))
    }
}

/// The fields the numbers or words of [`Figure::display_value`] are made of. Its sign
/// ("≈", ">" or "<") comes from the qualifier, which stays listed on its own: its word
/// says which (about, or an estimate).
fn value_fields(figure: &Figure) -> &'static [&'static str] {
    if figure.low.is_some() || figure.high.is_some() {
        &["low", "high", "unit"]
    } else {
        // A figure without numbers shows its words; `low` or `high` arriving moves it.
        &["low", "high", "value"]
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThesisEntry {
    pub id: Id,
    /// The thesis's title.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub stance: Stance,
    pub conviction: u8,
    pub status: ThesisStatus,
}

/// An entity found in both maps with different fields. `name` is what a reader calls it
/// in the new map: its name, or a thesis's, source's or case study's title.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Changed {
    pub id: Id,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub changes: Vec<FieldChange>,
}

/// One field that differs, named as in the files.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Value,
    pub new: Value,
}

/// A field's value, as JSON gives it: `null` when the field is left out, a string (a text,
/// a date or an enum's variant), a number, a list of ids or tags, or the structure of
/// evidence, people and the like.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Absent,
    Text(String),
    /// An enum's variant, as the file spells it (`Bullish`, `Supplies`).
    Variant(String),
    Integer(i64),
    Number(f64),
    List(Vec<String>),
    Structured(serde_json::Value),
}

impl Value {
    fn text(text: &str) -> Value {
        Value::Text(text.to_owned())
    }

    fn optional_text(text: Option<&String>) -> Value {
        text.map_or(Value::Absent, |t| Value::text(t))
    }

    fn date(date: Option<&IsoDate>) -> Value {
        date.map_or(Value::Absent, |d| Value::text(d.as_str()))
    }

    /// Whole numbers as integers (`74`, not `74.0`); numbers JSON cannot hold as text.
    fn number(number: f64) -> Value {
        // Beyond 2^53 an f64 no longer holds every integer: keep it a float.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if !number.is_finite() {
            Value::Text(format_number(number))
        } else if number.fract() == 0.0 && number.abs() <= EXACT {
            Value::Integer(number as i64)
        } else {
            Value::Number(number)
        }
    }

    fn optional_number(number: Option<f64>) -> Value {
        number.map_or(Value::Absent, Value::number)
    }

    fn list(items: &[String]) -> Value {
        Value::List(items.to_vec())
    }

    /// An enum as the file spells it: the model's variants are named as in the files.
    fn variant(value: impl std::fmt::Debug) -> Value {
        Value::Variant(format!("{value:?}"))
    }

    fn structured(value: &impl Serialize) -> Value {
        // Serializing the model's own types into JSON cannot fail (no maps with
        // non-string keys); `Absent` would only hide a field that could not be shown.
        serde_json::to_value(value).map_or(Value::Absent, Value::Structured)
    }

    fn evidence(evidence: &[Evidence]) -> Value {
        Value::structured(&evidence)
    }
}

/// The fields of an entity in file order, each with its value; the id, which matches
/// the versions, is left out. Each implementation takes its entity apart field by field,
/// so that a field added to the model fails to compile here rather than never showing
/// in a diff.
trait Fields {
    fn fields(&self) -> Vec<(&'static str, Value)>;
}

impl Fields for MapMeta {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let MapMeta {
            title,
            title_zh,
            description,
            description_zh,
            as_of,
        } = self;
        vec![
            ("title", Value::optional_text(title.as_ref())),
            ("title_zh", Value::optional_text(title_zh.as_ref())),
            ("description", Value::optional_text(description.as_ref())),
            (
                "description_zh",
                Value::optional_text(description_zh.as_ref()),
            ),
            ("as_of", Value::date(as_of.as_ref())),
        ]
    }
}

impl Fields for Source {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Source {
            id: _,
            title,
            title_zh,
            author,
            publisher,
            date,
            url,
        } = self;
        vec![
            ("title", Value::text(title)),
            ("title_zh", Value::optional_text(title_zh.as_ref())),
            ("author", Value::optional_text(author.as_ref())),
            ("publisher", Value::optional_text(publisher.as_ref())),
            ("date", Value::date(date.as_ref())),
            ("url", Value::optional_text(url.as_ref())),
        ]
    }
}

impl Fields for Tier {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Tier {
            id: _,
            name,
            name_zh,
            description,
            description_zh,
        } = self;
        vec![
            ("name", Value::text(name)),
            ("name_zh", Value::optional_text(name_zh.as_ref())),
            ("description", Value::optional_text(description.as_ref())),
            (
                "description_zh",
                Value::optional_text(description_zh.as_ref()),
            ),
        ]
    }
}

impl Fields for Segment {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Segment {
            id: _,
            tier,
            parent,
            name,
            name_zh,
            description,
            description_zh,
        } = self;
        vec![
            ("tier", Value::text(tier)),
            ("parent", Value::optional_text(parent.as_ref())),
            ("name", Value::text(name)),
            ("name_zh", Value::optional_text(name_zh.as_ref())),
            ("description", Value::optional_text(description.as_ref())),
            (
                "description_zh",
                Value::optional_text(description_zh.as_ref()),
            ),
        ]
    }
}

impl Fields for Node {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Node {
            id: _,
            name,
            name_zh,
            kind,
            tier,
            segments,
            organisation,
            description,
            description_zh,
            tags,
            url,
            logo,
            pin,
        } = self;
        vec![
            ("name", Value::text(name)),
            ("name_zh", Value::optional_text(name_zh.as_ref())),
            ("kind", Value::variant(kind)),
            ("tier", Value::text(tier)),
            ("segments", Value::list(segments)),
            ("organisation", Value::optional_text(organisation.as_ref())),
            ("description", Value::optional_text(description.as_ref())),
            (
                "description_zh",
                Value::optional_text(description_zh.as_ref()),
            ),
            ("tags", Value::list(tags)),
            ("url", Value::optional_text(url.as_ref())),
            ("logo", Value::optional_text(logo.as_ref())),
            (
                "pin",
                pin.map_or(Value::Absent, |pin| Value::structured(&pin)),
            ),
        ]
    }
}

impl Fields for Link {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Link {
            id: _,
            from,
            to,
            kind,
            label,
            label_zh,
            evidence,
        } = self;
        vec![
            ("from", Value::text(from)),
            ("to", Value::text(to)),
            ("kind", Value::variant(kind)),
            ("label", Value::optional_text(label.as_ref())),
            ("label_zh", Value::optional_text(label_zh.as_ref())),
            ("evidence", Value::evidence(evidence)),
        ]
    }
}

impl Fields for Market {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Market {
            id: _,
            name,
            name_zh,
            description,
            description_zh,
        } = self;
        vec![
            ("name", Value::text(name)),
            ("name_zh", Value::optional_text(name_zh.as_ref())),
            ("description", Value::optional_text(description.as_ref())),
            (
                "description_zh",
                Value::optional_text(description_zh.as_ref()),
            ),
        ]
    }
}

impl Fields for Figure {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Figure {
            id: _,
            subject,
            holders,
            market,
            case,
            metric,
            metric_zh,
            low,
            high,
            unit,
            qualifier,
            value,
            scope,
            as_of,
            source,
            quote,
            locator,
            note,
        } = self;
        vec![
            ("subject", Value::text(subject)),
            ("holders", Value::list(holders)),
            ("market", Value::optional_text(market.as_ref())),
            ("case", Value::optional_text(case.as_ref())),
            ("metric", Value::text(metric)),
            ("metric_zh", Value::optional_text(metric_zh.as_ref())),
            ("low", Value::optional_number(*low)),
            ("high", Value::optional_number(*high)),
            ("unit", Value::optional_text(unit.as_ref())),
            ("qualifier", Value::variant(qualifier)),
            ("value", Value::optional_text(value.as_ref())),
            ("scope", Value::optional_text(scope.as_ref())),
            ("as_of", Value::date(as_of.as_ref())),
            ("source", Value::text(source)),
            ("quote", Value::optional_text(quote.as_ref())),
            ("locator", Value::optional_text(locator.as_ref())),
            ("note", Value::optional_text(note.as_ref())),
        ]
    }
}

impl Fields for Thesis {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let Thesis {
            id: _,
            title,
            title_zh,
            claim,
            claim_zh,
            stance,
            conviction,
            horizon,
            as_of,
            review_by,
            status,
            about,
            figures,
            tags,
            evidence,
        } = self;
        vec![
            ("title", Value::text(title)),
            ("title_zh", Value::optional_text(title_zh.as_ref())),
            ("claim", Value::text(claim)),
            ("claim_zh", Value::optional_text(claim_zh.as_ref())),
            ("stance", Value::variant(stance)),
            ("conviction", Value::Integer(i64::from(*conviction))),
            ("horizon", Value::optional_text(horizon.as_ref())),
            ("as_of", Value::date(as_of.as_ref())),
            ("review_by", Value::date(review_by.as_ref())),
            ("status", Value::variant(status)),
            ("about", Value::list(about)),
            ("figures", Value::list(figures)),
            ("tags", Value::list(tags)),
            ("evidence", Value::evidence(evidence)),
        ]
    }
}

impl Fields for CaseStudy {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let CaseStudy {
            id: _,
            subject,
            title,
            title_zh,
            summary,
            summary_zh,
            people,
            phases,
            outlook,
            source,
        } = self;
        vec![
            ("subject", Value::text(subject)),
            ("title", Value::text(title)),
            ("title_zh", Value::optional_text(title_zh.as_ref())),
            ("summary", Value::optional_text(summary.as_ref())),
            ("summary_zh", Value::optional_text(summary_zh.as_ref())),
            ("people", Value::structured(people)),
            ("phases", Value::structured(phases)),
            ("outlook", Value::structured(outlook)),
            ("source", Value::optional_text(source.as_ref())),
        ]
    }
}

/// The fields that differ between two versions of one entity, in file order.
fn field_changes<T: Fields>(old: &T, new: &T) -> Vec<FieldChange> {
    old.fields()
        .into_iter()
        .zip(new.fields())
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, old), (_, new))| FieldChange { field, old, new })
        .collect()
}

/// The entities of one kind matched by id across two maps, each part sorted by id.
struct Matched<'a, T> {
    added: Vec<&'a T>,
    removed: Vec<&'a T>,
    /// Found in both, in either state (equal ones included).
    both: Vec<(&'a T, &'a T)>,
}

/// Matches entities by id. Where a map gives an id twice (an invalid map), the first one
/// counts, as in [`Map::index`].
fn match_by_id<'a, T>(old: &'a [T], new: &'a [T], id: impl Fn(&T) -> &str) -> Matched<'a, T> {
    let by_id = |items: &'a [T]| {
        let mut found: BTreeMap<&'a str, &'a T> = BTreeMap::new();
        for item in items {
            found.entry(id(item)).or_insert(item);
        }
        found
    };
    let old = by_id(old);
    let mut new = by_id(new);
    let mut matched = Matched {
        added: Vec::new(),
        removed: Vec::new(),
        both: Vec::new(),
    };
    for (id, old_item) in old {
        match new.remove(id) {
            Some(new_item) => matched.both.push((old_item, new_item)),
            None => matched.removed.push(old_item),
        }
    }
    matched.added = new.into_values().collect();
    matched
}

/// The usual diff of one kind: added and removed entries, and the field changes of the
/// entities found in both.
fn kind_diff<'a, T: Fields + 'a, E>(
    old: &'a [T],
    new: &'a [T],
    id: impl Fn(&T) -> &str,
    entry: impl Fn(&T) -> E,
    name: impl Fn(&T) -> (&str, Option<&String>),
) -> KindDiff<E> {
    let matched = match_by_id(old, new, &id);
    KindDiff {
        added: matched.added.into_iter().map(&entry).collect(),
        removed: matched.removed.into_iter().map(&entry).collect(),
        changed: matched
            .both
            .into_iter()
            .filter_map(|(old, new)| {
                let changes = field_changes(old, new);
                if changes.is_empty() {
                    return None;
                }
                let (name, name_zh) = name(new);
                Some(Changed {
                    id: id(new).to_owned(),
                    name: name.to_owned(),
                    name_zh: name_zh.cloned(),
                    changes,
                })
            })
            .collect(),
    }
}

fn named<'a>(id: &'a str, name: &'a str, name_zh: Option<&'a String>) -> NamedEntry {
    NamedEntry {
        id: id.to_owned(),
        name: name.to_owned(),
        name_zh: name_zh.cloned(),
    }
}

/// The meaning of the difference between two maps: what a reader of `new` would find
/// added, removed, moved or changed since `old`.
pub fn diff(old: &Map, new: &Map) -> MapDiff {
    MapDiff {
        map: MetaDiff {
            changes: field_changes(&old.meta, &new.meta),
        },
        tiers: tier_diff(&old.tiers, &new.tiers),
        segments: kind_diff(
            &old.segments,
            &new.segments,
            |s| &s.id,
            |s| SegmentEntry {
                id: s.id.clone(),
                name: s.name.clone(),
                name_zh: s.name_zh.clone(),
                tier: s.tier.clone(),
            },
            |s| (&s.name, s.name_zh.as_ref()),
        ),
        nodes: node_diff(&old.nodes, &new.nodes),
        links: link_diff(&old.links, &new.links),
        markets: kind_diff(
            &old.markets,
            &new.markets,
            |m| &m.id,
            |m| named(&m.id, &m.name, m.name_zh.as_ref()),
            |m| (&m.name, m.name_zh.as_ref()),
        ),
        figures: figure_diff(&old.figures, &new.figures),
        theses: kind_diff(
            &old.theses,
            &new.theses,
            |t| &t.id,
            |t| ThesisEntry {
                id: t.id.clone(),
                name: t.title.clone(),
                name_zh: t.title_zh.clone(),
                stance: t.stance,
                conviction: t.conviction,
                status: t.status,
            },
            |t| (&t.title, t.title_zh.as_ref()),
        ),
        sources: kind_diff(
            &old.sources,
            &new.sources,
            |s| &s.id,
            |s| named(&s.id, &s.title, s.title_zh.as_ref()),
            |s| (&s.title, s.title_zh.as_ref()),
        ),
        case_studies: kind_diff(
            &old.case_studies,
            &new.case_studies,
            |c| &c.id,
            |c| named(&c.id, &c.title, c.title_zh.as_ref()),
            |c| (&c.title, c.title_zh.as_ref()),
        ),
    }
}

fn tier_diff(old: &[Tier], new: &[Tier]) -> TierDiff {
    let KindDiff {
        added,
        removed,
        changed,
    } = kind_diff(
        old,
        new,
        |t| &t.id,
        |t| named(&t.id, &t.name, t.name_zh.as_ref()),
        |t| (&t.name, t.name_zh.as_ref()),
    );
    // Only the tiers both maps have can be out of order; an added or removed tier is
    // reported as such and does not reorder the others.
    let in_both = |tiers: &[Tier], other: &[Tier]| -> Vec<Id> {
        tiers
            .iter()
            .filter(|t| other.iter().any(|o| o.id == t.id))
            .map(|t| t.id.clone())
            .collect()
    };
    let reordered = in_both(old, new) != in_both(new, old);
    let ids = |tiers: &[Tier]| tiers.iter().map(|t| t.id.clone()).collect();
    TierDiff {
        added,
        removed,
        changed,
        order: reordered.then(|| OrderChange {
            old: ids(old),
            new: ids(new),
        }),
    }
}

fn node_diff(old: &[Node], new: &[Node]) -> NodeDiff {
    let entry = |n: &Node| NodeEntry {
        id: n.id.clone(),
        name: n.name.clone(),
        name_zh: n.name_zh.clone(),
        tier: n.tier.clone(),
        segment: n.segments.first().cloned(),
    };
    let placement = |n: &Node| Placement {
        tier: n.tier.clone(),
        segment: n.segments.first().cloned(),
    };
    let matched = match_by_id(old, new, |n| &n.id);
    let mut diff = NodeDiff {
        added: matched.added.into_iter().map(entry).collect(),
        removed: matched.removed.into_iter().map(entry).collect(),
        ..NodeDiff::default()
    };
    for (old, new) in matched.both {
        let (from, to) = (placement(old), placement(new));
        if from != to {
            diff.moved.push(NodeMove {
                id: new.id.clone(),
                name: new.name.clone(),
                name_zh: new.name_zh.clone(),
                old: from,
                new: to,
            });
        }
        // The move says all there is about the tier and the first segment.
        let rest_of_segments_differ = !old.segments.iter().skip(1).eq(new.segments.iter().skip(1));
        let changes: Vec<FieldChange> = field_changes(old, new)
            .into_iter()
            .filter(|c| match c.field {
                "tier" => false,
                "segments" => rest_of_segments_differ,
                _ => true,
            })
            .collect();
        if !changes.is_empty() {
            diff.changed.push(Changed {
                id: new.id.clone(),
                name: new.name.clone(),
                name_zh: new.name_zh.clone(),
                changes,
            });
        }
    }
    diff
}

fn link_diff(old: &[Link], new: &[Link]) -> KindDiff<LinkEntry, LinkChange> {
    let entry = |l: &Link| LinkEntry {
        id: l.id.clone(),
        from: l.from.clone(),
        to: l.to.clone(),
        kind: l.kind,
    };
    let matched = match_by_id(old, new, |l| &l.id);
    KindDiff {
        added: matched.added.into_iter().map(entry).collect(),
        removed: matched.removed.into_iter().map(entry).collect(),
        changed: matched
            .both
            .into_iter()
            .filter_map(|(old, new)| {
                let changes = field_changes(old, new);
                (!changes.is_empty()).then(|| LinkChange {
                    id: new.id.clone(),
                    from: new.from.clone(),
                    to: new.to.clone(),
                    kind: new.kind,
                    changes,
                })
            })
            .collect(),
    }
}

fn figure_diff(old: &[Figure], new: &[Figure]) -> KindDiff<FigureEntry, FigureChange> {
    let entry = |f: &Figure| FigureEntry {
        id: f.id.clone(),
        name: f.metric.clone(),
        name_zh: f.metric_zh.clone(),
        subject: f.subject.clone(),
        market: f.market.clone(),
        value: f.display_value(),
    };
    let matched = match_by_id(old, new, |f| &f.id);
    KindDiff {
        added: matched.added.into_iter().map(entry).collect(),
        removed: matched.removed.into_iter().map(entry).collect(),
        changed: matched
            .both
            .into_iter()
            .filter_map(|(old, new)| {
                let changes = field_changes(old, new);
                (!changes.is_empty()).then(|| FigureChange {
                    id: new.id.clone(),
                    name: new.metric.clone(),
                    name_zh: new.metric_zh.clone(),
                    old_value: old.display_value(),
                    new_value: new.display_value(),
                    changes,
                    value_fields: {
                        let mut fields = value_fields(old).to_vec();
                        fields.extend(value_fields(new));
                        fields.sort_unstable();
                        fields.dedup();
                        fields
                    },
                })
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NodeKind, Qualifier};

    fn tier(id: &str) -> Tier {
        Tier::new(id, id.to_uppercase())
    }

    fn segment(id: &str, tier: &str) -> Segment {
        Segment::new(id, tier, id.to_uppercase())
    }

    fn node(id: &str, tier: &str, segments: &[&str]) -> Node {
        let mut node = Node::new(id, id.to_uppercase(), NodeKind::Company, tier);
        node.segments = segments.iter().map(|s| (*s).to_owned()).collect();
        node
    }

    fn link(id: &str, from: &str, to: &str, kind: LinkKind) -> Link {
        Link::new(id, from, to, kind)
    }

    fn figure(id: &str, low: Option<f64>, high: Option<f64>) -> Figure {
        Figure {
            market: Some("hw".to_owned()),
            metric: "share of value".to_owned(),
            as_of: Some(IsoDate::new("2023-03")),
            ..Figure::test_share(id, "chips", low, high, "report")
        }
    }

    fn thesis(id: &str) -> Thesis {
        Thesis {
            stance: Stance::Bullish,
            conviction: 4,
            about: vec!["chips".to_owned()],
            ..Thesis::new(id, "Chips win", "Chips take most of the value.")
        }
    }

    fn source(id: &str) -> Source {
        Source::new(id, "The report")
    }

    fn market(id: &str) -> Market {
        Market::new(id, "Hardware value")
    }

    /// A small map with one of everything, to change one thing at a time.
    fn base() -> Map {
        Map {
            tiers: vec![tier("hardware"), tier("cloud")],
            segments: vec![segment("chips", "hardware"), segment("memory", "hardware")],
            nodes: vec![
                node("nvidia", "hardware", &["chips"]),
                node("micron", "hardware", &["memory"]),
            ],
            links: vec![link("l1", "micron", "nvidia", LinkKind::Supplies)],
            markets: vec![market("hw")],
            figures: vec![figure("f1", Some(55.0), Some(75.0))],
            theses: vec![thesis("t1")],
            sources: vec![source("report")],
            ..Map::default()
        }
    }

    fn change(field: &'static str, old: Value, new: Value) -> FieldChange {
        FieldChange { field, old, new }
    }

    fn text(value: &str) -> Value {
        Value::Text(value.to_owned())
    }

    fn variant(value: &str) -> Value {
        Value::Variant(value.to_owned())
    }

    #[test]
    fn diff_of_a_map_with_itself_is_empty() {
        assert!(diff(&base(), &base()).is_empty());
        assert!(diff(&Map::default(), &Map::default()).is_empty());
    }

    #[test]
    fn diff_ignores_the_order_of_entities() {
        let mut new = base();
        new.nodes.reverse();
        new.segments.reverse();
        assert!(diff(&base(), &new).is_empty());
    }

    #[test]
    fn diff_reports_nodes_added_and_removed_sorted_by_id() {
        let mut new = base();
        new.nodes.retain(|n| n.id != "micron");
        new.nodes.push(node("zeta", "cloud", &[]));
        new.nodes.push(node("amd", "hardware", &["chips"]));
        let d = diff(&base(), &new);
        let ids: Vec<&str> = d.nodes.added.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["amd", "zeta"]);
        assert_eq!(d.nodes.added[0].segment.as_deref(), Some("chips"));
        assert_eq!(d.nodes.added[1].tier, "cloud");
        assert_eq!(d.nodes.removed.len(), 1);
        assert_eq!(d.nodes.removed[0].name, "MICRON");
        assert!(d.nodes.moved.is_empty() && d.nodes.changed.is_empty());
    }

    #[test]
    fn diff_reports_a_node_moved_between_tiers_as_a_move_only() {
        let mut new = base();
        new.nodes[0].tier = "cloud".to_owned();
        new.nodes[0].segments.clear();
        let d = diff(&base(), &new);
        assert_eq!(
            d.nodes.moved,
            [NodeMove {
                id: "nvidia".to_owned(),
                name: "NVIDIA".to_owned(),
                name_zh: None,
                old: Placement {
                    tier: "hardware".to_owned(),
                    segment: Some("chips".to_owned())
                },
                new: Placement {
                    tier: "cloud".to_owned(),
                    segment: None
                },
            }]
        );
        assert!(d.nodes.changed.is_empty(), "{:?}", d.nodes.changed);
    }

    #[test]
    fn diff_reports_a_node_moved_between_segments() {
        let mut new = base();
        new.nodes[0].segments = vec!["memory".to_owned()];
        let d = diff(&base(), &new);
        assert_eq!(d.nodes.moved.len(), 1);
        assert_eq!(d.nodes.moved[0].old.segment.as_deref(), Some("chips"));
        assert_eq!(d.nodes.moved[0].new.segment.as_deref(), Some("memory"));
        assert!(d.nodes.changed.is_empty());
    }

    #[test]
    fn diff_reports_a_second_segment_as_a_change_not_a_move() {
        let mut new = base();
        new.nodes[0].segments.push("memory".to_owned());
        let d = diff(&base(), &new);
        assert!(d.nodes.moved.is_empty());
        assert_eq!(
            d.nodes.changed[0].changes,
            [change(
                "segments",
                Value::List(vec!["chips".to_owned()]),
                Value::List(vec!["chips".to_owned(), "memory".to_owned()])
            )]
        );
    }

    #[test]
    fn diff_reports_a_renamed_node_with_its_changed_fields() {
        let mut new = base();
        new.nodes[0].name = "Nvidia Corp".to_owned();
        new.nodes[0].tags = vec!["gpu".to_owned()];
        let d = diff(&base(), &new);
        let changed = &d.nodes.changed[0];
        assert_eq!(changed.id, "nvidia");
        assert_eq!(changed.name, "Nvidia Corp");
        assert_eq!(
            changed.changes,
            [
                change("name", text("NVIDIA"), text("Nvidia Corp")),
                change(
                    "tags",
                    Value::List(Vec::new()),
                    Value::List(vec!["gpu".into()])
                ),
            ]
        );
    }

    #[test]
    fn diff_reports_links_added_removed_and_changed() {
        let mut new = base();
        new.links[0].kind = LinkKind::Partners;
        new.links
            .push(link("l2", "nvidia", "micron", LinkKind::Invests));
        let d = diff(&base(), &new);
        assert_eq!(
            d.links.added,
            [LinkEntry {
                id: "l2".to_owned(),
                from: "nvidia".to_owned(),
                to: "micron".to_owned(),
                kind: LinkKind::Invests
            }]
        );
        assert_eq!(
            d.links.changed[0].changes,
            [change("kind", variant("Supplies"), variant("Partners"))]
        );
        let removed = diff(&new, &base());
        assert_eq!(removed.links.removed[0].id, "l2");
    }

    #[test]
    fn diff_reports_each_changed_field_of_a_thesis_with_old_and_new_values() {
        let mut new = base();
        let t = &mut new.theses[0];
        t.stance = Stance::Bearish;
        t.conviction = 2;
        t.claim = "Memory takes the value.".to_owned();
        t.claim_zh = Some("内存".to_owned());
        t.status = ThesisStatus::Refuted;
        t.title = "Memory wins".to_owned();
        t.about.push("memory".to_owned());
        let d = diff(&base(), &new);
        let changed = &d.theses.changed[0];
        assert_eq!(changed.name, "Memory wins");
        assert_eq!(
            changed.changes,
            [
                change("title", text("Chips win"), text("Memory wins")),
                change(
                    "claim",
                    text("Chips take most of the value."),
                    text("Memory takes the value.")
                ),
                change("claim_zh", Value::Absent, text("内存")),
                change("stance", variant("Bullish"), variant("Bearish")),
                change("conviction", Value::Integer(4), Value::Integer(2)),
                change("status", variant("Active"), variant("Refuted")),
                change(
                    "about",
                    Value::List(vec!["chips".into()]),
                    Value::List(vec!["chips".into(), "memory".into()])
                ),
            ]
        );
    }

    #[test]
    fn diff_reports_theses_added_and_removed() {
        let mut new = base();
        new.theses = vec![thesis("t2")];
        let d = diff(&base(), &new);
        assert_eq!(d.theses.added[0].id, "t2");
        assert_eq!(d.theses.added[0].conviction, 4);
        assert_eq!(d.theses.removed[0].id, "t1");
        assert!(d.theses.changed.is_empty());
    }

    #[test]
    fn diff_reports_figure_values_as_a_reader_says_them() {
        let mut new = base();
        new.figures[0].high = Some(74.0);
        let d = diff(&base(), &new);
        let changed = &d.figures.changed[0];
        assert_eq!(
            (changed.old_value.as_str(), changed.new_value.as_str()),
            ("55–75%", "55–74%")
        );
        assert!(changed.value_moved());
        assert_eq!(
            changed.changes,
            [change("high", Value::Integer(75), Value::Integer(74))]
        );
    }

    #[test]
    fn diff_reports_a_range_opened_at_one_end() {
        let mut new = base();
        new.figures[0].high = None;
        new.figures[0].low = Some(60.5);
        new.figures[0].qualifier = Qualifier::AtLeast;
        let d = diff(&base(), &new);
        let changed = &d.figures.changed[0];
        assert_eq!(changed.new_value, "≥ 60.5%");
        assert_eq!(
            changed.changes,
            [
                change("low", Value::Integer(55), Value::Number(60.5)),
                change("high", Value::Integer(75), Value::Absent),
                change("qualifier", variant("Range"), variant("AtLeast")),
            ]
        );
    }

    #[test]
    fn figure_changes_the_value_shows_are_not_repeated() {
        let mut new = base();
        new.figures[0].high = Some(74.0);
        new.figures[0].unit = Some("pp".to_owned());
        new.figures[0].value = Some("55-74".to_owned());
        let d = diff(&base(), &new);
        let changed = &d.figures.changed[0];
        assert_eq!(changed.new_value, "55–74 pp");
        let others: Vec<&str> = changed.other_changes().map(|c| c.field).collect();
        assert_eq!(
            others,
            ["value"],
            "the words are not what the reader's value shows"
        );

        // A figure in words: its words are its value, its unit is not shown.
        let mut old = base();
        old.figures[0].low = None;
        old.figures[0].high = None;
        old.figures[0].value = Some("most".to_owned());
        let mut new = old.clone();
        new.figures[0].value = Some("nearly all".to_owned());
        new.figures[0].unit = None;
        let d = diff(&old, &new);
        let changed = &d.figures.changed[0];
        assert_eq!(
            (changed.old_value.as_str(), changed.new_value.as_str()),
            ("most", "nearly all")
        );
        let others: Vec<&str> = changed.other_changes().map(|c| c.field).collect();
        assert_eq!(others, ["unit"]);
    }

    #[test]
    fn diff_reports_figure_fields_other_than_the_value() {
        let mut new = base();
        new.figures[0].as_of = Some(IsoDate::new("2024-01"));
        new.figures[0].market = None;
        new.figures[0].subject = "memory".to_owned();
        let d = diff(&base(), &new);
        let changed = &d.figures.changed[0];
        assert!(!changed.value_moved());
        let fields: Vec<&str> = changed.changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["subject", "market", "as_of"]);
    }

    #[test]
    fn diff_reports_figures_added_and_removed_with_their_values() {
        let mut new = base();
        new.figures.push(figure("f2", None, Some(10.0)));
        new.figures.remove(0);
        let d = diff(&base(), &new);
        assert_eq!(d.figures.added[0].value, "≤ 10%");
        assert_eq!(d.figures.removed[0].value, "55–75%");
    }

    #[test]
    fn diff_reports_tiers_segments_markets_and_sources() {
        let mut new = base();
        new.tiers.push(tier("apps"));
        new.segments.retain(|s| s.id != "memory");
        new.segments[0].name_zh = Some("芯片".to_owned());
        new.markets.clear();
        new.sources.push(source("blog"));
        let d = diff(&base(), &new);
        assert_eq!(d.tiers.added[0].id, "apps");
        assert!(d.tiers.order.is_none(), "an added tier reorders nothing");
        assert_eq!(d.segments.removed[0].id, "memory");
        assert_eq!(d.segments.removed[0].tier, "hardware");
        assert_eq!(
            d.segments.changed[0].changes,
            [change("name_zh", Value::Absent, text("芯片"))]
        );
        assert_eq!(d.markets.removed[0].name, "Hardware value");
        assert_eq!(d.sources.added[0].id, "blog");
    }

    #[test]
    fn diff_reports_tiers_in_another_order() {
        let mut new = base();
        new.tiers.reverse();
        let d = diff(&base(), &new);
        assert_eq!(
            d.tiers.order,
            Some(OrderChange {
                old: vec!["hardware".into(), "cloud".into()],
                new: vec!["cloud".into(), "hardware".into()],
            })
        );
        assert!(!d.is_empty());
    }

    #[test]
    fn diff_reports_map_settings_and_case_studies() {
        let mut new = base();
        new.meta.title = Some("AI".to_owned());
        new.case_studies
            .push(CaseStudy::new("cs", "nvidia", "NVIDIA's story"));
        let d = diff(&base(), &new);
        assert_eq!(d.map.changes, [change("title", Value::Absent, text("AI"))]);
        assert_eq!(d.case_studies.added[0].name, "NVIDIA's story");
    }

    #[test]
    fn diff_counts_the_first_of_a_twice_given_id() {
        let mut old = base();
        let mut twin = old.nodes[0].clone();
        twin.name = "Twin".to_owned();
        old.nodes.push(twin);
        assert!(diff(&old, &base()).is_empty());
    }

    #[test]
    fn diff_serializes_values_as_plain_json() {
        let mut new = base();
        new.figures[0].high = None;
        new.theses[0].conviction = 3;
        let json = serde_json::to_value(diff(&base(), &new)).unwrap_or_default();
        let figure = &json["figures"]["changed"][0];
        assert_eq!(figure["id"], "f1");
        assert_eq!(figure["old_value"], "55–75%");
        assert_eq!(figure["changes"][0]["field"], "high");
        assert_eq!(figure["changes"][0]["old"], 75);
        assert!(figure["changes"][0]["new"].is_null());
        assert_eq!(json["theses"]["changed"][0]["changes"][0]["new"], 3);
        assert!(json["tiers"]["order"].is_null());
        assert_eq!(json["nodes"]["moved"], serde_json::json!([]));
    }
}
