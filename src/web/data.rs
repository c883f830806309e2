//! What the web page knows of a map, as one JSON value: the layout's geometry, every text
//! in both languages, the graph the trace walks, and each market's shares and
//! concentration as the model computes them. The page draws and filters from this; it
//! computes nothing that the model states (a concentration, a share's rank), and what it
//! does compute (a trace, a thesis lens, a market's lit nodes) it walks on data written
//! here from the model's own tables, so that it can be checked against the model.
//!
//! Indices, not ids, join the tables (a node's tier is its tier's place in `tiers`), to keep
//! a 20,000-node page small. A link's end or a share's holder is one number: a node `i` is
//! `i`, a segment `s` is `-(s + 1)`, and (for holders only) a tier `t` is `{"t": t}`.

use crate::layout::{Layout, Rect};
use crate::model::market_lens::{Holder, MarketIndex, MarketLens};
use crate::model::trace::{Reach, walk_graph};
use crate::model::{IsoDate, Lang, LinkKind, Map, Msg, NodeClass, Worded, index_by_id, markets};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Everything the page shows, for the page's script.
pub fn payload(map: &Map, layout: &Layout, logos: &Logos, views: Vec<Value>, lang: Lang) -> Value {
    let ids = Ids::of(map);
    json!({
        "lang": match lang { Lang::En => "en", Lang::Zh => "zh" },
        "title": both(map.meta.title.as_deref().unwrap_or(""), map.meta.title_zh.as_deref()),
        "description": both_opt(map.meta.description.as_deref(), map.meta.description_zh.as_deref()),
        "asOf": map.meta.as_of.as_ref().map(IsoDate::to_string),
        "bounds": rect(layout.bounds),
        "kinds": kinds(),
        "tiers": tiers(map, layout),
        "segments": segments(map, layout, &ids),
        "nodes": nodes(map, layout, logos, &ids),
        "links": links(map, layout, &ids),
        "flows": flows(layout),
        "walk": walk(map),
        "theses": theses(map),
        "figures": figures(map),
        "markets": markets_of(map),
        "sources": sources(map),
        "caseStudies": case_studies(map, &ids),
        "logos": logos.uris,
        "views": views,
    })
}

/// The logos of the map's nodes, each once, as `data:` URIs, and which one each node shows.
#[derive(Debug, Default)]
pub struct Logos {
    pub uris: Vec<String>,
    /// For each node, its logo's place in `uris`.
    pub of_node: Vec<Option<usize>>,
}

/// The map's entities by id, to turn references into indices.
struct Ids<'a> {
    tiers: HashMap<&'a str, usize>,
    segments: HashMap<&'a str, usize>,
    nodes: HashMap<&'a str, usize>,
}

impl<'a> Ids<'a> {
    fn of(map: &'a Map) -> Ids<'a> {
        Ids {
            tiers: index_by_id(&map.tiers, |t| &t.id),
            segments: index_by_id(&map.segments, |s| &s.id),
            nodes: index_by_id(&map.nodes, |n| &n.id),
        }
    }

    /// A link's end: a node, else a segment, as one number (see the module's docs).
    fn end(&self, id: &str) -> Value {
        if let Some(&i) = self.nodes.get(id) {
            return json!(i);
        }
        self.segments
            .get(id)
            .map_or(Value::Null, |&s| json!(-(to_i64(s) + 1)))
    }
}

fn to_i64(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A text and its Chinese, `[en, zh]` (`zh` null when the map gives none).
fn both(english: &str, chinese: Option<&str>) -> Value {
    json!([english, chinese.filter(|c| !c.is_empty())])
}

/// A word of the interface in both languages, as the map's own words are given.
fn both_words(word: Msg) -> Value {
    both(word.en(), Some(word.zh()))
}

fn both_opt(english: Option<&str>, chinese: Option<&str>) -> Value {
    if english.is_none() && chinese.is_none() {
        return Value::Null;
    }
    both(english.unwrap_or(""), chinese)
}

/// A coordinate to a tenth of a map unit: the page needs no more, and it keeps it small.
fn coordinate(value: f32) -> Value {
    let rounded = (f64::from(value) * 10.0).round() / 10.0;
    if rounded.is_finite() {
        json!(rounded)
    } else {
        json!(0)
    }
}

fn rect(r: Rect) -> Value {
    json!([
        coordinate(r.x),
        coordinate(r.y),
        coordinate(r.w),
        coordinate(r.h)
    ])
}

fn points(points: &[[f32; 2]]) -> Value {
    Value::Array(
        points
            .iter()
            .flat_map(|[x, y]| [coordinate(*x), coordinate(*y)])
            .collect(),
    )
}

/// A URL a reader may follow: http or https only, nothing that could run or hide.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    (web && clean).then_some(url)
}

fn kinds() -> Value {
    Value::Array(
        LinkKind::ALL
            .iter()
            .map(|k| {
                json!({
                    "key": kind_key(*k),
                    "name": both_words(k.word()),
                    "flow": k.is_value_flow(),
                })
            })
            .collect(),
    )
}

/// A link kind's name in the page's URL (`partners`), as the map files spell it.
pub fn kind_key(kind: LinkKind) -> String {
    format!("{kind:?}").to_lowercase()
}

/// A link kind's place in [`LinkKind::ALL`], which the page's `kinds` follows.
fn kind_index(kind: LinkKind) -> usize {
    LinkKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

fn tiers(map: &Map, layout: &Layout) -> Value {
    let bands: HashMap<usize, Rect> = layout.tiers.iter().map(|b| (b.tier, b.rect)).collect();
    Value::Array(
        map.tiers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                json!({
                    "id": t.id,
                    "name": both(&t.name, t.name_zh.as_deref()),
                    "description": both_opt(t.description.as_deref(), t.description_zh.as_deref()),
                    "rect": bands.get(&i).map_or(Value::Null, |r| rect(*r)),
                })
            })
            .collect(),
    )
}

fn segments(map: &Map, layout: &Layout, ids: &Ids) -> Value {
    let boxes: HashMap<usize, (Rect, u8)> = layout
        .segments
        .iter()
        .map(|b| (b.segment, (b.rect, b.depth)))
        .collect();
    Value::Array(
        map.segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let drawn = boxes.get(&i);
                json!({
                    "id": s.id,
                    "tier": ids.tiers.get(s.tier.as_str()),
                    "parent": s.parent.as_deref().and_then(|p| ids.segments.get(p)),
                    "name": both(&s.name, s.name_zh.as_deref()),
                    "description": both_opt(s.description.as_deref(), s.description_zh.as_deref()),
                    "rect": drawn.map_or(Value::Null, |(r, _)| rect(*r)),
                    "depth": drawn.map_or(1, |(_, d)| *d),
                })
            })
            .collect(),
    )
}

fn nodes(map: &Map, layout: &Layout, logos: &Logos, ids: &Ids) -> Value {
    Value::Array(
        map.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut node = json!({
                    "id": n.id,
                    "name": both(&n.name, n.name_zh.as_deref()),
                    "kindName": both_words(n.kind.word()),
                    "class": match n.kind.class() {
                        NodeClass::Participant => "participant",
                        NodeClass::Idea => "idea",
                        NodeClass::OrganisationPart => "part",
                    },
                    "tier": ids.tiers.get(n.tier.as_str()),
                    "segments": n.segments.iter().filter_map(|s| ids.segments.get(s.as_str())).collect::<Vec<_>>(),
                    "rect": layout.nodes.get(i).map_or(Value::Null, |r| rect(*r)),
                });
                let fields = [
                    ("description", both_opt(n.description.as_deref(), n.description_zh.as_deref())),
                    ("tags", if n.tags.is_empty() { Value::Null } else { json!(n.tags) }),
                    ("url", n.url.as_deref().and_then(safe_url).map_or(Value::Null, |u| json!(u))),
                    ("logo", logos.of_node.get(i).copied().flatten().map_or(Value::Null, |l| json!(l))),
                ];
                if let Value::Object(object) = &mut node {
                    for (key, value) in fields.into_iter().filter(|(_, v)| !v.is_null()) {
                        object.insert(key.to_owned(), value);
                    }
                }
                node
            })
            .collect(),
    )
}

fn evidence(items: &[crate::model::Evidence]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|e| json!({"source": e.source, "quote": e.quote, "locator": e.locator, "note": e.note}))
            .collect(),
    )
}

fn links(map: &Map, layout: &Layout, ids: &Ids) -> Value {
    let routes: HashMap<usize, &[[f32; 2]]> = layout
        .edges
        .iter()
        .map(|e| (e.link, e.points.as_slice()))
        .collect();
    Value::Array(
        map.links
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": l.id,
                    "from": ids.end(&l.from),
                    "to": ids.end(&l.to),
                    "kind": kind_index(l.kind),
                    "label": both_opt(l.label.as_deref(), l.label_zh.as_deref()),
                    "evidence": evidence(&l.evidence),
                    "route": routes.get(&i).map_or(Value::Null, |p| points(p)),
                })
            })
            .collect(),
    )
}

fn flows(layout: &Layout) -> Value {
    Value::Array(
        layout
            .flows
            .iter()
            .map(|f| {
                json!({
                    "from": f.from,
                    "to": f.to,
                    "kind": kind_index(f.kind),
                    "links": f.links,
                    "route": points(&f.points),
                })
            })
            .collect(),
    )
}

/// The graph the trace walks ([`walk_graph`]): each link's ends as the walk sees them
/// (null for a link no walk takes), and the segments each node and segment goes on through.
fn walk(map: &Map) -> Value {
    let graph = walk_graph(map);
    let reach = |r: Reach| match r {
        Reach::Node(i) => to_i64(i),
        Reach::Segment(s) => -(to_i64(s) + 1),
    };
    json!({
        "ends": graph.ends.iter().map(|e| e.map(|(f, t)| [reach(f), reach(t)])).collect::<Vec<_>>(),
        "segmentLines": graph.segment_lines,
        "nodeSegments": graph.node_segments,
    })
}

fn theses(map: &Map) -> Value {
    Value::Array(
        map.theses
            .iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "title": both(&t.title, t.title_zh.as_deref()),
                    "claim": both(&t.claim, t.claim_zh.as_deref()),
                    "stance": both_words(t.stance.word()),
                    "conviction": t.conviction,
                    "horizon": t.horizon,
                    "asOf": t.as_of.as_ref().map(IsoDate::to_string),
                    "status": both_words(t.status.word()),
                    "about": t.about,
                    "figures": t.figures,
                    "tags": t.tags,
                    "evidence": evidence(&t.evidence),
                })
            })
            .collect(),
    )
}

fn figures(map: &Map) -> Value {
    Value::Array(
        map.figures
            .iter()
            .map(|f| {
                json!({
                    "id": f.id,
                    "subject": f.subject,
                    "holders": f.holders,
                    "market": f.market,
                    "case": f.case,
                    "metric": both(&f.metric, f.metric_zh.as_deref()),
                    "low": f.low,
                    "high": f.high,
                    "percent": f.is_percentage(),
                    "text": f.display_value(),
                    "qualifier": both_words(f.qualifier.word()),
                    "scope": f.scope,
                    "asOf": f.as_of.as_ref().map(IsoDate::to_string),
                    "source": f.source,
                    "quote": f.quote,
                    "locator": f.locator,
                })
            })
            .collect(),
    )
}

fn holder(h: Holder) -> Value {
    match h {
        Holder::Node(i) => json!(i),
        Holder::Segment(s) => json!(-(to_i64(s) + 1)),
        Holder::Tier(t) => json!({ "t": t }),
    }
}

/// Each market in the base case, as the window's markets panel and `stats` give it: its
/// shares by holder with rank and label, its concentration (numbers and words) and where
/// it sits.
fn markets_of(map: &Map) -> Value {
    let concentrations: HashMap<&str, markets::Concentration> =
        markets::concentrations_in(map, crate::model::BASE_CASE)
            .into_iter()
            .map(|c| (c.market.id.as_str(), c))
            .collect();
    let index = MarketIndex::of(map);
    Value::Array(
        map.markets
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let lens = MarketLens::indexed(map, &index, i, crate::model::BASE_CASE)
                    .unwrap_or_default();
                let c = concentrations.get(m.id.as_str());
                json!({
                    "id": m.id,
                    "name": both(&m.name, m.name_zh.as_deref()),
                    "description": both_opt(m.description.as_deref(), m.description_zh.as_deref()),
                    "shareCount": lens.share_count,
                    "top1": c.map(|c| [c.top1.0, c.top1.1]),
                    "hhi": c.and_then(|c| c.hhi).map(|(l, h)| [l, h]),
                    "concentration": [lens.concentration_text(Lang::En), lens.concentration_text(Lang::Zh)],
                    "top1Text": [lens.top1_text(Lang::En), lens.top1_text(Lang::Zh)],
                    "unclaimed": [lens.unclaimed_text(Lang::En), lens.unclaimed_text(Lang::Zh)],
                    "size": lens.size.as_ref().map(crate::model::Figure::display_value),
                    "homes": lens.homes.iter().map(|h| holder(*h)).collect::<Vec<_>>(),
                    "theses": lens.theses,
                    "shares": lens.shares.iter().map(|s| json!({
                        "holder": holder(s.holder),
                        "figure": s.figure,
                        "low": s.low,
                        "high": s.high,
                        "open": s.open_high,
                        "rank": s.rank,
                        "label": [s.label(Lang::En), s.label(Lang::Zh)],
                        "pill": s.pill_at.map(holder),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn sources(map: &Map) -> Value {
    Value::Array(
        map.sources
            .iter()
            .map(|s| {
                json!({
                    "id": s.id,
                    "title": both(&s.title, s.title_zh.as_deref()),
                    "author": s.author,
                    "date": s.date.as_ref().map(IsoDate::to_string),
                    "url": s.url.as_deref().and_then(safe_url),
                })
            })
            .collect(),
    )
}

fn case_studies(map: &Map, ids: &Ids) -> Value {
    Value::Array(
        map.case_studies
            .iter()
            .map(|c| {
                json!({
                    "subject": ids.nodes.get(c.subject.as_str()),
                    "title": both(&c.title, c.title_zh.as_deref()),
                    "summary": both_opt(c.summary.as_deref(), c.summary_zh.as_deref()),
                    "people": c.people.iter().map(|p| json!({
                        "name": both(&p.name, p.name_zh.as_deref()),
                        "role": both_opt(p.role.as_deref(), p.role_zh.as_deref()),
                        "summary": both_opt(p.summary.as_deref(), p.summary_zh.as_deref()),
                    })).collect::<Vec<_>>(),
                    "phases": c.phases.iter().map(|p| json!({
                        "period": p.period,
                        "title": both(&p.title, p.title_zh.as_deref()),
                        "summary": both_opt(p.summary.as_deref(), p.summary_zh.as_deref()),
                    })).collect::<Vec<_>>(),
                    "outlook": c.outlook.iter().map(|s| json!({
                        "title": both(&s.title, s.title_zh.as_deref()),
                        "summary": both_opt(s.summary.as_deref(), s.summary_zh.as_deref()),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_links() {
        assert_eq!(
            safe_url("https://example.com/a"),
            Some("https://example.com/a")
        );
        assert_eq!(safe_url("HTTP://example.com"), Some("HTTP://example.com"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" javascript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,<script>"), None);
        assert_eq!(safe_url("https://a.com/\u{2028}x"), None);
        assert_eq!(safe_url("https://a.com/ x"), None);
    }
}
