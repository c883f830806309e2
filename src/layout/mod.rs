//! The packed layered layout of a map: tiers as horizontal bands of one width (the first
//! tier at the bottom), each band's segment boxes wrapped into rows so that the whole map
//! takes the shape it is shown in, each box's nodes as a grid of cards; links routed
//! through the gaps between cards, boxes and bands, and gathered into flows between top
//! segments.
//!
//! `layered` builds the graph and `order` orders each tier (crossing reduction, segments
//! kept together, or the order of an earlier layout); `pack` places bands, boxes and cards
//! (afresh, or kept where an earlier layout had them); `route` draws routes through the
//! gaps; `reading` puts what is drawn in reading order; `prior` reads an earlier layout (this one, or an `export --format json`) by id, and
//! `stability` measures what moved since one. Pure geometry on plain `f32`s, no UI types:
//! the model, card sizes (the window measures its text; [`default_node_size`] serves the
//! command line) and the target shape in; tier bands, segment boxes, card rectangles, link
//! routes and flows out. The same map, sizes and options always give the same layout.
//!
//! Map coordinates: x to the right, y down, in the units of the node sizes (points).

pub mod layered;
mod order;
mod pack;
mod prior;
mod reading;
mod route;
mod stability;

use crate::model::market_lens::Holder;
use crate::model::{Lang, LinkKind, Map, Named, index_by_id};
use layered::Layered;
pub use order::Effort;
pub use prior::{Drawing, Drawn, DrawnBand, PriorBox, PriorCard, PriorPositions};
pub use reading::{Reading, ReadingItem, reading_order};
pub use stability::Stability;
use std::collections::{BTreeMap, HashMap};

/// An axis-aligned rectangle: top-left corner and size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// The rectangle a straight piece of a route from `a` to `b` spans (a hair thick where
    /// the piece is level or upright, so that it still overlaps what it crosses).
    pub fn spanning(a: [f32; 2], b: [f32; 2]) -> Rect {
        Rect {
            x: a[0].min(b[0]),
            y: a[1].min(b[1]),
            w: (a[0] - b[0]).abs().max(1e-3),
            h: (a[1] - b[1]).abs().max(1e-3),
        }
    }

    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    pub fn center_x(&self) -> f32 {
        self.x + self.w / 2.0
    }

    pub fn center_y(&self) -> f32 {
        self.y + self.h / 2.0
    }

    /// Whether the two rectangles share any interior point.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `other` lies within this rectangle.
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.right() <= self.right()
            && other.y >= self.y
            && other.bottom() <= self.bottom()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    pub w: f32,
    pub h: f32,
}

/// Distances of the drawing, in map units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spacing {
    /// Between two cards of one row.
    pub node_gap: f32,
    /// Between two rows of cards.
    pub row_gap: f32,
    /// Between neighbouring boxes, across and down.
    pub block_gap: f32,
    /// Inside a segment box, around what it holds.
    pub segment_pad: f32,
    /// Height of a segment's title bar.
    pub segment_header: f32,
    /// Height of a tier's title bar.
    pub tier_header: f32,
    /// Space between two tier bands, where flows run.
    pub band_gap: f32,
    /// Inside a band, left and right of its boxes.
    pub margin: f32,
}

impl Default for Spacing {
    fn default() -> Self {
        Self {
            node_gap: 8.0,
            row_gap: 6.0,
            block_gap: 8.0,
            segment_pad: 5.0,
            segment_header: 16.0,
            tier_header: 19.0,
            band_gap: 18.0,
            margin: 8.0,
        }
    }
}

/// Room left and right of the cards that sit in a band or a box beside boxes (outside any
/// segment's own box), for the routes that leave them.
const LOOSE_PAD: f32 = 4.0;

/// The shape pictures and the JSON export are laid out for when none is given (a slide).
pub const DEFAULT_ASPECT: f32 = 16.0 / 9.0;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayoutOptions {
    pub spacing: Spacing,
    /// How hard crossing reduction works; by default, as hard as the map's size allows.
    pub effort: Option<Effort>,
    /// Width over height of the space the map is shown in (the window's map view, a
    /// picture's page): segment boxes wrap into rows so that the map takes that shape.
    /// `None`: [`DEFAULT_ASPECT`].
    pub aspect: Option<f32>,
    /// Where things were in an earlier layout of this map (the window's current one, or
    /// one read from a file). With it, nothing is reordered for fewer crossings: boxes keep
    /// their band, row and order, cards their order in their box, and with the same shape
    /// the width and each box's place and width; a new card goes to the end of its box. A
    /// new shape re-wraps the rows in the same reading order. See [`PriorPositions`].
    pub prior: Option<PriorPositions>,
    /// Order for few crossings and pack afresh even when `prior` is given (Tidy up,
    /// `--fresh`): the layout is the one made without a prior.
    pub fresh: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SegmentBox {
    pub segment: usize,
    /// 1 for a top segment, 2 for a segment inside another.
    pub depth: u8,
    pub rect: Rect,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TierBand {
    pub tier: usize,
    pub rect: Rect,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeRoute {
    pub link: usize,
    /// From the link's `from` node to its `to` node. Consecutive points are joined by a
    /// curve that leaves and enters them vertically: either both on one vertical line in a
    /// free stretch between cards, or across one gap between rows or bands, so that the
    /// route never crosses a card it does not connect.
    pub points: Vec<[f32; 2]>,
    /// Both ends are in one tier.
    pub flat: bool,
}

/// The links of one kind from one top segment to another, drawn as one flow at overview
/// zoom. A link end that names a segment (a segment-level relation) counts for that
/// segment's top segment; a node counts for its first segment's.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// Segment indices (top segments).
    pub from: usize,
    pub to: usize,
    pub kind: LinkKind,
    /// The links it stands for, by index, in file order.
    pub links: Vec<usize>,
    /// From the `from` box to the `to` box, through the gaps, as for [`EdgeRoute`].
    pub points: Vec<[f32; 2]>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// One rectangle per map node, indexed like `map.nodes`.
    pub nodes: Vec<Rect>,
    /// Routes of the links between two nodes (links with a segment end have none).
    pub edges: Vec<EdgeRoute>,
    pub flows: Vec<Flow>,
    pub segments: Vec<SegmentBox>,
    pub tiers: Vec<TierBand>,
    /// Crossings between links of adjacent tiers in the order chosen (links that skip a
    /// tier counted through the tiers they pass), the measure Graphviz `dot` reports.
    pub crossings: u64,
    pub bounds: Rect,
    /// The shape (width over height) it was laid out for.
    pub aspect: f32,
    /// The ids of what was laid out, so that the layout can be the prior of a layout of
    /// an edited map (whose indices differ).
    ids: Ids,
}

/// The ids of a laid-out map's tiers, segments (with tier and parent) and nodes (with tier
/// and first segment), indexed like the map's.
#[derive(Clone, Debug, Default, PartialEq)]
struct Ids {
    /// The spacing it was laid out with.
    spacing: Spacing,
    tiers: Vec<String>,
    segments: Vec<(String, String, Option<String>)>,
    nodes: Vec<(String, String, Option<String>)>,
}

impl Ids {
    fn of(map: &Map, spacing: Spacing) -> Ids {
        Ids {
            spacing,
            tiers: map.tiers.iter().map(|t| t.id.clone()).collect(),
            segments: map
                .segments
                .iter()
                .map(|s| (s.id.clone(), s.tier.clone(), s.parent.clone()))
                .collect(),
            nodes: map
                .nodes
                .iter()
                .map(|n| (n.id.clone(), n.tier.clone(), n.segments.first().cloned()))
                .collect(),
        }
    }
}

/// Height of a one-line card when the caller does not measure it.
pub const DEFAULT_NODE_HEIGHT: f32 = 28.0;
/// The widest a line of a card's name gets before it wraps, in map units.
pub const CARD_TEXT_WIDTH: f32 = 116.0;
/// Height of a line of a card's name.
pub const CARD_LINE_HEIGHT: f32 = 15.0;

/// A node's card size estimated from its name, for callers that do not measure text:
/// Latin letters about 7 units wide, CJK characters about 13; a name wider than
/// [`CARD_TEXT_WIDTH`] takes two lines.
pub fn default_node_size(name: &str) -> Size {
    let text: f32 = name
        .chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 13.0 } else { 7.0 })
        .sum();
    let (w, lines) = if text <= CARD_TEXT_WIDTH {
        (text, 1.0)
    } else {
        ((text / 2.0 + 14.0).min(2.0 * CARD_TEXT_WIDTH), 2.0)
    };
    Size {
        w: (w + 20.0).max(60.0),
        h: (lines * CARD_LINE_HEIGHT + 13.0).max(DEFAULT_NODE_HEIGHT),
    }
}

/// Default sizes for every node of the map.
pub fn default_sizes(map: &Map) -> Vec<Size> {
    default_sizes_in(map, Lang::En)
}

/// Default sizes for every node of the map, from its names in `lang`.
pub fn default_sizes_in(map: &Map, lang: Lang) -> Vec<Size> {
    map.nodes
        .iter()
        .map(|n| default_node_size(n.name_in(lang)))
        .collect()
}

/// Lays out a validated map; `sizes` is indexed like `map.nodes` (missing sizes default).
pub fn layout(map: &Map, sizes: &[Size], options: &LayoutOptions) -> Layout {
    let sizes: Vec<Size> = (0..map.nodes.len())
        .map(|i| {
            sizes.get(i).copied().unwrap_or_else(|| {
                map.nodes
                    .get(i)
                    .map_or(default_node_size(""), |n| default_node_size(&n.name))
            })
        })
        .collect();
    if map.tiers.is_empty() {
        return without_tiers(map, &sizes, options);
    }
    let widths: Vec<f32> = sizes.iter().map(|s| s.w).collect();
    let mut layered = Layered::build(map, &widths);
    let aspect = options.aspect.unwrap_or(DEFAULT_ASPECT);
    // A prior that shares no node with the map (another map's) is no prior.
    let prior = options
        .prior
        .as_ref()
        .filter(|_| !options.fresh)
        .map(|prior| (prior, prior::Kept::resolve(map, prior)))
        .filter(|(_, kept)| kept.any);
    let crossings = match &prior {
        Some((_, kept)) => order::keep_prior(&mut layered, &kept.segment_place, &kept.node_place),
        None => {
            let effort = options
                .effort
                .unwrap_or_else(|| Effort::for_graph(layered.vertex_count(), layered.edge_count()));
            order::reduce_crossings(&mut layered, effort)
        }
    };
    let pins: Vec<Option<(f32, f32)>> = map.nodes.iter().map(|n| n.pin).collect();
    // The same shape keeps the width and every box's place; a new one re-wraps the rows.
    let same_shape = |p: &PriorPositions| p.aspect.is_none_or(|a| (a / aspect).ln().abs() < 1e-3);
    let kept = prior
        .as_ref()
        .filter(|(p, _)| same_shape(p))
        .and_then(|(p, kept)| Some((p.width?, kept)));
    let packed = pack::pack(&pack::PackInput {
        layered: &layered,
        sizes: &sizes,
        spacing: &options.spacing,
        aspect,
        kept: kept.map(|(width, kept)| pack::KeptShape {
            width,
            boxes: &kept.boxes,
            loose_in_segment: &kept.loose_in_segment,
            loose_in_tier: &kept.loose_in_tier,
        }),
        pins: &pins,
    });

    let segments: Vec<SegmentBox> = packed
        .segments
        .iter()
        .map(|&(segment, depth, rect, _, _)| SegmentBox {
            segment,
            depth,
            rect,
        })
        .collect();
    let tiers = packed
        .bands
        .iter()
        .enumerate()
        .map(|(tier, &(rect, _))| TierBand { tier, rect })
        .collect();
    let ends = LinkEnds::new(map, &packed, &layered);
    let edges = node_routes(map, &packed, &ends);
    let flows = flows(map, &packed, &ends);
    Layout {
        nodes: packed.nodes.clone(),
        edges,
        flows,
        segments,
        tiers,
        crossings,
        bounds: Rect {
            x: 0.0,
            y: 0.0,
            w: packed.width,
            h: packed.height,
        },
        aspect,
        ids: Ids::of(map, options.spacing),
    }
}

/// A map with no tier (its files give none: it has errors, and the window still shows it)
/// has no band to put anything in: its cards stand side by side in one row, so that each
/// has a place and nothing is routed.
fn without_tiers(map: &Map, sizes: &[Size], options: &LayoutOptions) -> Layout {
    let gap = options.spacing.node_gap;
    let mut x = 0.0;
    let nodes: Vec<Rect> = sizes
        .iter()
        .map(|size| {
            let rect = Rect {
                x,
                y: 0.0,
                w: size.w,
                h: size.h,
            };
            x += size.w + gap;
            rect
        })
        .collect();
    let height = sizes.iter().map(|s| s.h).fold(0.0, f32::max);
    Layout {
        nodes,
        edges: Vec::new(),
        flows: Vec::new(),
        segments: Vec::new(),
        tiers: Vec::new(),
        crossings: 0,
        bounds: Rect {
            x: 0.0,
            y: 0.0,
            w: (x - gap).max(0.0),
            h: height,
        },
        aspect: options.aspect.unwrap_or(DEFAULT_ASPECT),
        ids: Ids::of(map, options.spacing),
    }
}

/// What each end of each link is: a node, a segment, or nothing the map knows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LinkEnd {
    Node(usize),
    Segment(usize),
    Unknown,
}

/// The ends of every link, and what routes start from.
struct LinkEnds {
    ends: Vec<(LinkEnd, LinkEnd)>,
    /// The tier of each node (its layer).
    node_tier: Vec<usize>,
    /// The top segment of each segment.
    top_segment: Vec<usize>,
    /// The box of each top segment: its rectangle, slot and tier.
    segment_end: HashMap<usize, route::End>,
}

impl LinkEnds {
    fn new(map: &Map, packed: &pack::Packed, layered: &Layered) -> LinkEnds {
        let node_index: HashMap<&str, usize> = index_by_id(&map.nodes, |n| &n.id);
        let segment_index: HashMap<&str, usize> = index_by_id(&map.segments, |s| &s.id);
        let resolve = |id: &str| match (node_index.get(id), segment_index.get(id)) {
            (Some(&n), _) => LinkEnd::Node(n),
            (None, Some(&s)) => LinkEnd::Segment(s),
            (None, None) => LinkEnd::Unknown,
        };
        let ends = map
            .links
            .iter()
            .map(|l| (resolve(&l.from), resolve(&l.to)))
            .collect();
        let top_segment = map
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // One level of nesting; a parent that is itself nested is followed once more.
                let mut top = i;
                let mut parent = s.parent.as_deref();
                for _ in 0..4 {
                    let Some(p) = parent.and_then(|p| segment_index.get(p)) else {
                        break;
                    };
                    top = *p;
                    parent = map.segments.get(*p).and_then(|s| s.parent.as_deref());
                }
                top
            })
            .collect();
        let node_tier = layered
            .node_vertex
            .iter()
            .map(|&v| layered.layer_of[v as usize] as usize)
            .collect();
        let segment_end = packed
            .segments
            .iter()
            .filter(|&&(_, depth, ..)| depth == 1)
            .filter_map(|&(segment, _, rect, frame, slot)| {
                let tier = packed.frames.get(frame)?.tier;
                Some((
                    segment,
                    route::End {
                        rect,
                        slot: slot?,
                        tier,
                    },
                ))
            })
            .collect();
        LinkEnds {
            ends,
            node_tier,
            top_segment,
            segment_end,
        }
    }

    /// The top segment an end counts for in flows.
    fn flow_segment(&self, map: &Map, end: LinkEnd) -> Option<usize> {
        let segment = match end {
            LinkEnd::Node(n) => map
                .nodes
                .get(n)?
                .segments
                .first()
                .and_then(|id| map.segments.iter().position(|s| &s.id == id))?,
            LinkEnd::Segment(s) => s,
            LinkEnd::Unknown => return None,
        };
        self.top_segment.get(segment).copied()
    }
}

/// A share in 0..1 for spreading routes, the same for the same key (a hash).
fn spread_of(key: usize) -> f32 {
    let mixed = (key as u64 ^ 0x9E37_79B9).wrapping_mul(0x2545_F491_4F6C_DD1D);
    ((mixed >> 40) % 1000) as f32 / 1000.0
}

/// Routes of the links between two nodes, in link order.
fn node_routes(map: &Map, packed: &pack::Packed, ends: &LinkEnds) -> Vec<EdgeRoute> {
    let end_of = |n: usize| {
        Some(route::End {
            rect: *packed.nodes.get(n)?,
            slot: (*packed.node_slot.get(n)?)?,
            tier: *ends.node_tier.get(n)?,
        })
    };
    let mut edges = Vec::with_capacity(map.links.len());
    for (link, &(from, to)) in ends.ends.iter().enumerate() {
        let (LinkEnd::Node(a), LinkEnd::Node(b)) = (from, to) else {
            continue;
        };
        let (Some(ea), Some(eb)) = (end_of(a), end_of(b)) else {
            continue;
        };
        let points = if a == b {
            vec![
                [ea.rect.center_x(), ea.rect.y],
                [ea.rect.center_x(), ea.rect.y],
            ]
        } else {
            route::route(packed, ea, eb, spread_of(link))
        };
        edges.push(EdgeRoute {
            link,
            points,
            flat: ea.tier == eb.tier,
        });
    }
    edges
}

/// Links grouped by (from top segment, to top segment, kind), each group routed once.
fn flows(map: &Map, packed: &pack::Packed, ends: &LinkEnds) -> Vec<Flow> {
    let mut groups: BTreeMap<(usize, usize, LinkKind), Vec<usize>> = BTreeMap::new();
    // Node ends are looked up by index through a table built once.
    let first_segment: Vec<Option<usize>> = {
        let segment_index: HashMap<&str, usize> = index_by_id(&map.segments, |s| &s.id);
        map.nodes
            .iter()
            .map(|n| {
                n.segments
                    .first()
                    .and_then(|id| segment_index.get(id.as_str()).copied())
            })
            .collect()
    };
    let segment_of = |end: LinkEnd| match end {
        LinkEnd::Node(n) => first_segment
            .get(n)
            .copied()
            .flatten()
            .and_then(|s| ends.top_segment.get(s).copied()),
        other => ends.flow_segment(map, other),
    };
    for (link, (&(from, to), l)) in ends.ends.iter().zip(&map.links).enumerate() {
        let (Some(a), Some(b)) = (segment_of(from), segment_of(to)) else {
            continue;
        };
        if a != b {
            groups.entry((a, b, l.kind)).or_default().push(link);
        }
    }
    groups
        .into_iter()
        .filter_map(|((from, to, kind), links)| {
            let (ea, eb) = (ends.segment_end.get(&from)?, ends.segment_end.get(&to)?);
            Some(Flow {
                from,
                to,
                kind,
                links,
                points: route::route(packed, *ea, *eb, spread_of(from * 31 + to)),
            })
        })
        .collect()
}

impl Layout {
    /// Where what holds a market share is laid out: a node's card, a segment's box, a
    /// tier's band.
    pub fn holder_rect(&self, holder: Holder) -> Option<Rect> {
        match holder {
            Holder::Node(i) => self.nodes.get(i).copied(),
            Holder::Segment(s) => self
                .segments
                .iter()
                .find(|b| b.segment == s)
                .map(|b| b.rect),
            Holder::Tier(t) => self.tiers.iter().find(|b| b.tier == t).map(|b| b.rect),
        }
    }

    /// The first link (of `map`, the map laid out) whose route passes over a card other
    /// than its two ends, with that card: a fault of the layout, which routes links
    /// around cards.
    pub fn link_over_card(&self, map: &Map) -> Option<(usize, usize)> {
        let index: HashMap<&str, usize> = index_by_id(&map.nodes, |n| &n.id);
        self.edges.iter().find_map(|edge| {
            let link = map.links.get(edge.link)?;
            let ends = [index.get(link.from.as_str()), index.get(link.to.as_str())];
            edge.points.windows(2).find_map(|pair| {
                let piece = Rect::spanning(pair[0], pair[1]);
                let card = self
                    .nodes
                    .iter()
                    .enumerate()
                    .position(|(n, card)| !ends.contains(&Some(&n)) && piece.overlaps(card))?;
                Some((edge.link, card))
            })
        })
    }

    /// Where everything is, by id, to pass as [`LayoutOptions::prior`] to the layout of
    /// this map after an edit (or of another shape): read from the drawing, as from an
    /// earlier `export --format json`.
    pub fn prior(&self) -> PriorPositions {
        let ids = &self.ids;
        let drawing = Drawing {
            bands: self
                .tiers
                .iter()
                .filter_map(|band| {
                    Some(DrawnBand {
                        id: ids.tiers.get(band.tier)?,
                        rect: band.rect,
                    })
                })
                .collect(),
            boxes: self
                .segments
                .iter()
                .filter_map(|b| {
                    let (id, tier, parent) = ids.segments.get(b.segment)?;
                    Some(Drawn {
                        id,
                        tier,
                        within: parent.as_deref(),
                        rect: b.rect,
                    })
                })
                .collect(),
            cards: ids
                .nodes
                .iter()
                .zip(&self.nodes)
                .map(|((id, tier, segment), &rect)| Drawn {
                    id,
                    tier,
                    within: segment.as_deref(),
                    rect,
                })
                .collect(),
            width: self.bounds.w,
            aspect: Some(self.aspect),
            spacing: ids.spacing,
        };
        PriorPositions::from_drawing(&drawing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{generate, generate_landscape};

    fn options(aspect: f32) -> LayoutOptions {
        LayoutOptions {
            aspect: Some(aspect),
            ..Default::default()
        }
    }

    /// Nodes inside their bands and boxes, boxes inside their parents, nothing overlapping,
    /// and no route across a card other than its own two ends.
    fn check_geometry(map: &Map, layout: &Layout) {
        for (i, node) in map.nodes.iter().enumerate() {
            let tier = map.tier_index(&node.tier).unwrap_or_default();
            let band = &layout.tiers[tier].rect;
            assert!(
                band.contains_rect(&layout.nodes[i]),
                "node {} leaves its band",
                node.id
            );
        }
        let mut order: Vec<usize> = (0..layout.nodes.len()).collect();
        order.sort_by(|&a, &b| layout.nodes[a].x.total_cmp(&layout.nodes[b].x));
        for (k, &a) in order.iter().enumerate() {
            for &b in &order[k + 1..] {
                if layout.nodes[b].x >= layout.nodes[a].right() {
                    break;
                }
                assert!(
                    !layout.nodes[a].overlaps(&layout.nodes[b]),
                    "nodes {} and {} overlap",
                    map.nodes[a].id,
                    map.nodes[b].id
                );
            }
        }
        for (i, a) in layout.segments.iter().enumerate() {
            for b in layout.segments.iter().skip(i + 1) {
                if a.depth == b.depth {
                    assert!(
                        !a.rect.overlaps(&b.rect),
                        "boxes {} and {} overlap",
                        a.segment,
                        b.segment
                    );
                }
            }
            if let Some(parent) = map.segments[a.segment].parent.as_deref() {
                let outer = layout
                    .segments
                    .iter()
                    .find(|b| map.segments[b.segment].id == parent)
                    .expect("the parent has a box");
                assert!(
                    outer.rect.contains_rect(&a.rect),
                    "box {} leaves its parent",
                    a.segment
                );
            }
        }
        for (i, node) in map.nodes.iter().enumerate() {
            for segment_id in node.segments.iter().take(1) {
                let Some(s) = map.segments.iter().position(|s| &s.id == segment_id) else {
                    continue;
                };
                let b = layout
                    .segments
                    .iter()
                    .find(|b| b.segment == s)
                    .expect("box");
                assert!(
                    b.rect.contains_rect(&layout.nodes[i]),
                    "node {} outside its segment box",
                    node.id
                );
            }
        }
        if let Some((link, card)) = layout.link_over_card(map) {
            panic!(
                "link {} crosses card {}",
                map.links[link].id, map.nodes[card].id
            );
        }
    }

    #[test]
    fn a_map_without_tiers_gets_a_card_per_node_and_no_panic() {
        let mut map = crate::model::test_maps::chain();
        map.tiers.clear();
        let sizes = default_sizes(&map);
        let laid = layout(&map, &sizes, &LayoutOptions::default());
        assert_eq!(laid.nodes.len(), map.nodes.len());
        for (i, a) in laid.nodes.iter().enumerate() {
            assert!(a.w > 0.0 && a.h > 0.0);
            for b in &laid.nodes[i + 1..] {
                assert!(a.x + a.w <= b.x || b.x + b.w <= a.x, "{a:?} overlaps {b:?}");
            }
        }
        assert!(laid.tiers.is_empty() && laid.edges.is_empty());
        // It can be the prior of the next layout too.
        let again = layout(
            &map,
            &sizes,
            &LayoutOptions {
                prior: Some(laid.prior()),
                ..LayoutOptions::default()
            },
        );
        assert_eq!(again.nodes, laid.nodes);
    }

    #[test]
    fn layout_keeps_nodes_in_boxes_apart_and_routes_clear_of_cards() {
        for n in [40, 300, 1_200] {
            let map = generate(n, 11);
            for aspect in [0.5, 11.0 / 9.0, 16.0 / 9.0, 4.0] {
                let layout = layout(&map, &default_sizes(&map), &options(aspect));
                check_geometry(&map, &layout);
                assert_eq!(layout.edges.len(), map.links.len());
            }
        }
        let landscape = generate_landscape(3_000, 1);
        let layout = layout(&landscape, &default_sizes(&landscape), &options(11.0 / 9.0));
        check_geometry(&landscape, &layout);
    }

    #[test]
    fn the_map_takes_the_shape_it_is_shown_in() {
        let map = generate(600, 3);
        for aspect in [0.6f32, 1.0, 16.0 / 9.0, 3.0] {
            let layout = layout(&map, &default_sizes(&map), &options(aspect));
            let shape = layout.bounds.w / layout.bounds.h;
            assert!(
                (shape / aspect).ln().abs() < 0.35f32.ln_1p(),
                "aspect {aspect}: the map is {shape}"
            );
        }
    }

    #[test]
    fn names_fit_their_cards_in_both_languages() {
        let map = crate::io::bundled::load_bundled().map;
        for lang in [Lang::En, Lang::Zh] {
            let sizes = default_sizes_in(&map, lang);
            let layout = layout(&map, &sizes, &options(16.0 / 9.0));
            for (i, (card, size)) in layout.nodes.iter().zip(&sizes).enumerate() {
                assert!(
                    card.w >= size.w - 1e-3 && card.h >= size.h - 1e-3,
                    "{} ({lang:?}): card {card:?} for a name of {size:?}",
                    map.nodes[i].id
                );
            }
            check_geometry(&map, &layout);
        }
    }

    #[test]
    fn a_lone_box_in_a_bands_last_row_is_no_wider_than_its_cards() {
        // The bundled map at 3:4 ends its applications band with image generation alone.
        let map = crate::io::bundled::load_bundled().map;
        let layout = layout(&map, &default_sizes(&map), &options(0.75));
        let tier = map.tier_index("applications").expect("the tier");
        let band = layout.tiers[tier].rect;
        let tops: Vec<&SegmentBox> = layout
            .segments
            .iter()
            .filter(|b| b.depth == 1 && map.segments[b.segment].tier == "applications")
            .collect();
        let last_row = tops.iter().map(|b| b.rect.y).fold(f32::MIN, f32::max);
        let last: Vec<&&SegmentBox> = tops.iter().filter(|b| b.rect.y == last_row).collect();
        let [lone] = last.as_slice() else {
            panic!("one box in the last row: {last:?}");
        };
        let spacing = Spacing::default();
        let cards: Vec<Rect> = (0..map.nodes.len())
            .filter(|&i| map.nodes[i].segments.first() == Some(&map.segments[lone.segment].id))
            .map(|i| layout.nodes[i])
            .collect();
        let side_by_side = cards.iter().map(|c| c.w).sum::<f32>()
            + spacing.node_gap * (cards.len() as f32 - 1.0)
            + 2.0 * spacing.segment_pad;
        assert!(
            lone.rect.w <= side_by_side + 1e-3 && lone.rect.w < band.w / 2.0,
            "{:?} for cards {side_by_side} wide in a band {} wide",
            lone.rect,
            band.w
        );
        assert!((lone.rect.x - spacing.margin).abs() < 1e-3, "at the left");
        // The rows above it fill the band.
        let first_row = tops.iter().map(|b| b.rect.y).fold(f32::MAX, f32::min);
        let right = tops
            .iter()
            .filter(|b| b.rect.y == first_row)
            .map(|b| b.rect.right())
            .fold(0.0, f32::max);
        assert!((right - (band.right() - spacing.margin)).abs() < 1.0);
    }

    #[test]
    fn layout_is_deterministic() {
        let map = generate(500, 5);
        let a = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        let b = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        assert_eq!(a, b);
    }

    #[test]
    fn crossing_reduction_beats_the_file_order() {
        let map = generate(500, 9);
        let unordered = layout(
            &map,
            &default_sizes(&map),
            &LayoutOptions {
                effort: Some(Effort::sweeps_only(0)),
                ..Default::default()
            },
        );
        let ordered = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        assert!(
            ordered.crossings * 2 < unordered.crossings,
            "{} vs {}",
            ordered.crossings,
            unordered.crossings
        );
    }

    #[test]
    fn a_pinned_node_takes_the_cell_nearest_its_pin() {
        let mut map = generate(200, 2);
        let before = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        // Node 10's segment: pin it onto the cell of the last node of that segment.
        let segment = map.nodes[10].segments[0].clone();
        let last = (0..map.nodes.len())
            .rev()
            .find(|&i| map.nodes[i].segments[0] == segment && i != 10)
            .expect("a neighbour");
        let target = before.nodes[last];
        map.nodes[10].pin = Some((target.center_x(), target.center_y()));
        let after = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        assert!(
            (after.nodes[10].center_x() - target.center_x()).abs() < 1.0
                && (after.nodes[10].center_y() - target.center_y()).abs() < 1.0,
            "{:?} vs {target:?}",
            after.nodes[10]
        );
        check_geometry(&map, &after);
    }

    #[test]
    fn adding_a_node_with_a_prior_moves_nothing_else() {
        let map = generate(1_000, 8);
        let before = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        let mut grown = map.clone();
        let mut added = grown.nodes[grown.nodes.len() - 1].clone();
        added.id = "added".into();
        grown.nodes.push(added);
        let with_prior = LayoutOptions {
            prior: Some(before.prior()),
            ..Default::default()
        };
        let after = layout(&grown, &default_sizes(&grown), &with_prior);
        check_geometry(&grown, &after);
        let moved = after.stability_since(&before);
        assert_eq!(moved.nodes, 1_000);
        assert_eq!(
            (moved.moved, moved.box_inversions, moved.card_inversions),
            (0, 0, 0)
        );
        // Asked for a fresh layout, the prior is not followed.
        let fresh = LayoutOptions {
            fresh: true,
            ..with_prior
        };
        assert_eq!(
            layout(&grown, &default_sizes(&grown), &fresh),
            layout(&grown, &default_sizes(&grown), &LayoutOptions::default())
        );
    }

    #[test]
    fn edges_run_from_the_from_node_to_the_to_node() {
        let map = generate(300, 4);
        let layout = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        for edge in &layout.edges {
            let link = &map.links[edge.link];
            let card = |id: &str| {
                layout.nodes[map
                    .nodes
                    .iter()
                    .position(|n| n.id == id)
                    .unwrap_or_default()]
            };
            let (from, to) = (card(&link.from), card(&link.to));
            let first = edge.points[0];
            let last = edge.points[edge.points.len() - 1];
            assert!((first[0] - from.center_x()).abs() < 1e-3);
            assert!((first[1] - from.y).abs() < 1e-3 || (first[1] - from.bottom()).abs() < 1e-3);
            assert!((last[0] - to.center_x()).abs() < 1e-3);
            assert!((last[1] - to.y).abs() < 1e-3 || (last[1] - to.bottom()).abs() < 1e-3);
        }
    }

    #[test]
    fn flows_add_up_to_the_links_they_stand_for() {
        let mut map = generate(400, 6);
        // A link from a segment (a segment-level relation) and one to nothing known.
        let from_segment = map.segments[0].id.clone();
        let to_node = map.nodes[map.nodes.len() - 1].id.clone();
        let mut relation = map.links[0].clone();
        relation.id = "segment-relation".into();
        relation.from = from_segment;
        relation.to = to_node;
        map.links.push(relation);
        let mut dangling = map.links[0].clone();
        dangling.id = "dangling".into();
        dangling.to = "nowhere".into();
        map.links.push(dangling);
        let layout = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        let segment_index: HashMap<&str, usize> = index_by_id(&map.segments, |s| &s.id);
        let top = |s: usize| match map.segments[s].parent.as_deref() {
            Some(p) => segment_index[p],
            None => s,
        };
        let end = |id: &str| {
            if let Some(node) = map.nodes.iter().find(|n| n.id == id) {
                Some(top(segment_index[node.segments[0].as_str()]))
            } else {
                segment_index.get(id).map(|&s| top(s))
            }
        };
        let mut expected = BTreeMap::new();
        for (i, link) in map.links.iter().enumerate() {
            if let (Some(a), Some(b)) = (end(&link.from), end(&link.to))
                && a != b
            {
                expected.insert(i, (a, b, link.kind));
            }
        }
        let mut seen = BTreeMap::new();
        for flow in &layout.flows {
            assert!(flow.points.len() >= 2);
            for &link in &flow.links {
                assert!(
                    seen.insert(link, (flow.from, flow.to, flow.kind)).is_none(),
                    "link {link} in two flows"
                );
            }
        }
        assert_eq!(seen, expected);
        let relation = map.links.len() - 2;
        assert!(
            seen.contains_key(&relation),
            "the segment-level link counts"
        );
        // Node-to-node routes only: the two odd links have none.
        assert_eq!(layout.edges.len(), map.links.len() - 2);
    }
}
