//! `export --format json`: the model with its computed layout, in map coordinates, so that
//! anyone can check the layout independently.

use crate::layout::{Layout, Rect};
use crate::model::{Figure, Lang, Link, Map, Thesis, localized};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    title: Option<&'a str>,
    as_of: Option<&'a str>,
    /// Bounds of the whole drawing: x to the right, y down.
    bounds: Box4,
    crossings: u64,
    tiers: Vec<TierJson<'a>>,
    segments: Vec<SegmentJson<'a>>,
    nodes: Vec<NodeJson<'a>>,
    edges: Vec<EdgeJson<'a>>,
    /// Every link as the file gives it, those between segments included (the drawing's
    /// `edges` are only the links the layout routes).
    links: &'a [Link],
    /// The links between two top segments, one flow per kind: what the window draws at
    /// overview zoom.
    flows: Vec<FlowJson<'a>>,
    theses: &'a [Thesis],
    figures: &'a [Figure],
}

/// A rectangle as `x, y` (top-left corner), `w, h`.
#[derive(Serialize)]
struct Box4 {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl From<Rect> for Box4 {
    fn from(r: Rect) -> Self {
        Box4 {
            x: r.x,
            y: r.y,
            w: r.w,
            h: r.h,
        }
    }
}

#[derive(Serialize)]
struct TierJson<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(flatten)]
    band: Box4,
}

#[derive(Serialize)]
struct SegmentJson<'a> {
    id: &'a str,
    name: &'a str,
    tier: &'a str,
    parent: Option<&'a str>,
    #[serde(flatten)]
    rect: Box4,
}

#[derive(Serialize)]
struct NodeJson<'a> {
    id: &'a str,
    name: &'a str,
    tier: &'a str,
    segments: &'a [String],
    kind: &'a str,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    points: &'a [[f32; 2]],
}

#[derive(Serialize)]
struct FlowJson<'a> {
    /// Segment ids (top segments).
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    /// Ids of the links it stands for.
    links: Vec<&'a str>,
    points: &'a [[f32; 2]],
}

pub fn to_json(map: &Map, layout: &Layout, lang: Lang) -> serde_json::Result<String> {
    let document = Document {
        title: map
            .meta
            .title
            .as_deref()
            .map(|t| localized(t, map.meta.title_zh.as_deref(), lang)),
        as_of: map.meta.as_of.as_ref().map(|d| d.as_str()),
        bounds: layout.bounds.into(),
        crossings: layout.crossings,
        tiers: layout
            .tiers
            .iter()
            .filter_map(|band| {
                let tier = map.tiers.get(band.tier)?;
                Some(TierJson {
                    id: &tier.id,
                    name: localized(&tier.name, tier.name_zh.as_deref(), lang),
                    band: band.rect.into(),
                })
            })
            .collect(),
        segments: layout
            .segments
            .iter()
            .filter_map(|b| {
                let segment = map.segments.get(b.segment)?;
                Some(SegmentJson {
                    id: &segment.id,
                    name: localized(&segment.name, segment.name_zh.as_deref(), lang),
                    tier: &segment.tier,
                    parent: segment.parent.as_deref(),
                    rect: b.rect.into(),
                })
            })
            .collect(),
        nodes: map
            .nodes
            .iter()
            .zip(&layout.nodes)
            .map(|(node, rect)| NodeJson {
                id: &node.id,
                name: localized(&node.name, node.name_zh.as_deref(), lang),
                tier: &node.tier,
                segments: &node.segments,
                kind: node.kind.label(),
                x: rect.x,
                y: rect.y,
                w: rect.w,
                h: rect.h,
            })
            .collect(),
        edges: layout
            .edges
            .iter()
            .filter_map(|edge| {
                let link = map.links.get(edge.link)?;
                Some(EdgeJson {
                    id: &link.id,
                    from: &link.from,
                    to: &link.to,
                    kind: link.kind.label(),
                    points: &edge.points,
                })
            })
            .collect(),
        links: &map.links,
        flows: layout
            .flows
            .iter()
            .filter_map(|flow| {
                Some(FlowJson {
                    from: &map.segments.get(flow.from)?.id,
                    to: &map.segments.get(flow.to)?.id,
                    kind: flow.kind.label(),
                    links: flow
                        .links
                        .iter()
                        .filter_map(|&l| map.links.get(l).map(|l| l.id.as_str()))
                        .collect(),
                    points: &flow.points,
                })
            })
            .collect(),
        theses: &map.theses,
        figures: &map.figures,
    };
    serde_json::to_string_pretty(&document)
}
