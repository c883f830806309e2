//! `export --format json`: the model with its computed layout, in map coordinates, so that
//! anyone can check the layout independently; and such a file read back as the earlier
//! layout of `export --prior`.

use crate::layout::{Drawing, Drawn, DrawnBand, Layout, PriorPositions, Rect};
use crate::model::{Figure, Lang, Link, Map, Named, Thesis, Worded};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Serialize)]
struct Document<'a> {
    title: Option<&'a str>,
    as_of: Option<&'a str>,
    /// Bounds of the whole drawing: x to the right, y down.
    bounds: Box4,
    /// The shape (width over height) the map was laid out for: `export --prior` keeps the
    /// layout when asked for the same.
    aspect: f32,
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
#[derive(Serialize, Deserialize)]
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
        title: map.meta.title_in(lang),
        as_of: map.meta.as_of.as_ref().map(|d| d.as_str()),
        bounds: layout.bounds.into(),
        aspect: layout.aspect,
        crossings: layout.crossings,
        tiers: layout
            .tiers
            .iter()
            .filter_map(|band| {
                let tier = map.tiers.get(band.tier)?;
                Some(TierJson {
                    id: &tier.id,
                    name: tier.name_in(lang),
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
                    name: segment.name_in(lang),
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
                name: node.name_in(lang),
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

/// What `export --prior` reads of an earlier `export --format json`: the drawing's bands,
/// boxes and cards by id (everything else in the file is left unread).
#[derive(Deserialize)]
struct PriorDocument {
    bounds: Box4,
    aspect: Option<f32>,
    tiers: Vec<Placed>,
    segments: Vec<Placed>,
    nodes: Vec<Placed>,
}

/// A band, box or card of the file: its id, tier, parent or segments, and rectangle.
#[derive(Deserialize)]
struct Placed {
    id: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    segments: Vec<String>,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Placed {
    fn rect(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
        }
    }

    /// A rectangle of finite numbers and no negative size (an f32 read from a JSON number
    /// too large for it is infinite).
    fn sound(&self) -> bool {
        [self.x, self.y, self.w, self.h]
            .iter()
            .all(|v| v.is_finite())
            && self.w >= 0.0
            && self.h >= 0.0
    }
}

/// The largest layout file `--prior` reads: the JSON of a 100,000-node map (the most
/// `generate` makes) is about 220 MB.
const MAX_LAYOUT_BYTES: u64 = 512 * 1024 * 1024;

/// Why a file is not an earlier layout.
#[derive(Debug, thiserror::Error)]
pub enum PriorError {
    #[error("{path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path} is larger than {limit} bytes, more than any layout this program writes")]
    TooLarge { path: String, limit: u64 },
    #[error("{path} is not a layout written by `chainmap export --format json`: {reason}")]
    NotALayout { path: String, reason: String },
}

/// Reads an earlier `export --format json` (of this map or of an earlier version of it) as
/// the prior of a layout. Ids the map no longer has are kept and simply not asked for.
pub fn read_prior(path: &Path) -> Result<PriorPositions, PriorError> {
    let shown = path.display().to_string();
    let bytes = match crate::io::read_capped_at(path, MAX_LAYOUT_BYTES) {
        Ok(crate::io::Capped::Read(bytes)) => bytes,
        Ok(crate::io::Capped::TooLarge(_)) => {
            return Err(PriorError::TooLarge {
                path: shown,
                limit: MAX_LAYOUT_BYTES,
            });
        }
        Err(error) => return Err(PriorError::Read { path: shown, error }),
    };
    let not_a_layout = |reason: String| PriorError::NotALayout {
        path: shown.clone(),
        reason,
    };
    let document: PriorDocument =
        serde_json::from_slice(&bytes).map_err(|e| not_a_layout(e.to_string()))?;
    if !(document.bounds.w.is_finite() && document.bounds.w > 0.0) {
        return Err(not_a_layout(format!(
            "its bounds are {} wide",
            document.bounds.w
        )));
    }
    if let Some(bad) = document
        .tiers
        .iter()
        .chain(&document.segments)
        .chain(&document.nodes)
        .find(|p| !p.sound())
    {
        return Err(not_a_layout(format!(
            "\"{}\" has no sound rectangle",
            bad.id
        )));
    }
    let drawing = Drawing {
        bands: document
            .tiers
            .iter()
            .map(|t| DrawnBand {
                id: &t.id,
                rect: t.rect(),
            })
            .collect(),
        boxes: document
            .segments
            .iter()
            .map(|s| Drawn {
                id: &s.id,
                tier: &s.tier,
                within: s.parent.as_deref(),
                rect: s.rect(),
            })
            .collect(),
        cards: document
            .nodes
            .iter()
            .map(|n| Drawn {
                id: &n.id,
                tier: &n.tier,
                within: n.segments.first().map(String::as_str),
                rect: n.rect(),
            })
            .collect(),
        width: document.bounds.w,
        aspect: document
            .aspect
            .filter(|a| a.is_finite() && (0.05..=20.0).contains(a)),
        // The command line lays maps out with the default spacing.
        spacing: crate::layout::Spacing::default(),
    };
    Ok(PriorPositions::from_drawing(&drawing))
}
