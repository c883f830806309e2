//! The layered layout of a map: tiers as horizontal bands (the first tier at the bottom),
//! each segment a box around its nodes, and links routed between the bands.
//!
//! Pure geometry on plain `f32`s, no UI types: the model and node sizes in (the window
//! measures its text; [`default_node_size`] serves the command line), tier bands, segment
//! boxes, node rectangles and edge routes out. The same map and sizes always give the same
//! layout.
//!
//! Map coordinates: x to the right, y down, in the units of the node sizes (points).

mod coords;
pub mod layered;
mod order;

use crate::model::{Lang, Map, localized};
use layered::{Item, Layered, VertexKind};
pub use order::Effort;
use std::collections::HashMap;

/// An axis-aligned rectangle: top-left corner and size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
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
    /// Between two nodes of one segment.
    pub node_gap: f32,
    /// Beside a link passing through a tier.
    pub virtual_gap: f32,
    /// Between neighbouring boxes.
    pub block_gap: f32,
    /// Inside a segment box, around what it holds.
    pub segment_pad: f32,
    /// Height of a segment's title bar.
    pub segment_header: f32,
    /// Height of a tier's title bar.
    pub tier_header: f32,
    /// Space between two tier bands, where the links run.
    pub band_gap: f32,
    /// Space between two rows of a segment laid out as a grid.
    pub row_gap: f32,
    /// Margin left and right of the widest layer.
    pub margin: f32,
}

impl Default for Spacing {
    fn default() -> Self {
        Self {
            node_gap: 12.0,
            virtual_gap: 8.0,
            block_gap: 16.0,
            segment_pad: 8.0,
            segment_header: 20.0,
            tier_header: 28.0,
            band_gap: 72.0,
            row_gap: 18.0,
            margin: 24.0,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayoutOptions {
    pub spacing: Spacing,
    /// How hard crossing reduction works; by default, as hard as the map's size allows.
    pub effort: Option<Effort>,
    /// Segments with more nodes than this are laid out as grids of at most this many
    /// columns, so that crowded tiers grow down instead of across (the window's choice);
    /// `None` keeps one row per tier (the plain layered drawing).
    pub max_columns: Option<usize>,
    /// Where nodes were in the previous layout of this map (node id → centre x). With it,
    /// the layout starts from that order and only refines it locally, so that an edit moves
    /// as little of the rest as possible.
    pub prior: Option<PriorPositions>,
}

/// Where things were in a previous layout: each node's centre x (by id), and the x at which
/// each link crossed each tier it skipped (by link id and tier index).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriorPositions {
    pub nodes: HashMap<String, f32>,
    pub link_points: HashMap<(String, usize), f32>,
}

/// Effort when starting from a previous layout: local refinement only.
const REFINE_EFFORT: Effort = Effort {
    starts: 1,
    sweeps: 0,
    sift_rounds: 1,
    window: 3,
};

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
    /// From the link's `from` node to its `to` node; consecutive points are joined by a
    /// smooth curve that leaves and enters nodes vertically.
    pub points: Vec<[f32; 2]>,
    /// Both ends are in one tier: the route arcs above them.
    pub flat: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// One rectangle per map node, indexed like `map.nodes`.
    pub nodes: Vec<Rect>,
    pub edges: Vec<EdgeRoute>,
    pub segments: Vec<SegmentBox>,
    pub tiers: Vec<TierBand>,
    /// Crossings between links of adjacent tiers (links that skip a tier counted through
    /// the tiers they pass), the measure Graphviz `dot` reports.
    pub crossings: u64,
    pub bounds: Rect,
    /// Where each long link crosses each tier it skips: (link, tier, x).
    pub link_points: Vec<(usize, usize, f32)>,
}

/// Height of a node when the caller does not measure it.
pub const DEFAULT_NODE_HEIGHT: f32 = 28.0;

/// A node's size estimated from its name, for the command line: Latin letters about 7
/// units wide, CJK characters about 13.
pub fn default_node_size(name: &str) -> Size {
    let text: f32 = name
        .chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 13.0 } else { 7.0 })
        .sum();
    Size {
        w: (text + 20.0).clamp(60.0, 240.0),
        h: DEFAULT_NODE_HEIGHT,
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
        .map(|n| default_node_size(localized(&n.name, n.name_zh.as_deref(), lang)))
        .collect()
}

/// Lays out a validated map; `sizes` is indexed like `map.nodes` (missing sizes default).
pub fn layout(map: &Map, sizes: &[Size], options: &LayoutOptions) -> Layout {
    let size_of = |i: usize| {
        sizes.get(i).copied().unwrap_or_else(|| {
            map.nodes
                .get(i)
                .map_or(default_node_size(""), |n| default_node_size(&n.name))
        })
    };
    let widths: Vec<f32> = (0..map.nodes.len()).map(|i| size_of(i).w).collect();
    let mut layered = Layered::build(map, &widths);
    let prior_x: Vec<Option<f64>> = match &options.prior {
        Some(prior) => map
            .nodes
            .iter()
            .map(|n| prior.nodes.get(&n.id).map(|&x| f64::from(x)))
            .collect(),
        None => Vec::new(),
    };
    let effort = match (&options.effort, &options.prior) {
        (Some(effort), _) => *effort,
        (None, Some(_)) => REFINE_EFFORT,
        (None, None) => Effort::for_size(layered.vertex_count()),
    };
    if let Some(prior) = &options.prior {
        let link_x = |link: usize, tier: usize| {
            let id = &map.links.get(link)?.id;
            prior
                .link_points
                .get(&(id.clone(), tier))
                .map(|&x| f64::from(x))
        };
        order::apply_prior(&mut layered, &prior_x, link_x);
    }
    let crossings = order::reduce_crossings(&mut layered, effort);
    let orders = layered.orders();
    let spacing = &options.spacing;
    let columns = coords::columns(&layered, &orders, options.max_columns);
    let separations = coords::separations(&layered, &columns.layers, spacing);
    let anchors: Vec<Option<(f64, f64)>> = map
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| match n.pin {
            Some((pin_x, _)) => Some((f64::from(pin_x), coords::PIN_WEIGHT)),
            None => prior_x
                .get(i)
                .copied()
                .flatten()
                .map(|px| (px, coords::PRIOR_WEIGHT)),
        })
        .collect();
    let x = coords::assign_x(&layered, &columns.layers, &separations, &anchors);

    // Bands, top tier first.
    let tier_count = map.tiers.len();
    let mut row_height = vec![DEFAULT_NODE_HEIGHT; tier_count];
    for (i, node) in map.nodes.iter().enumerate() {
        if let Some(tier) = map.tier_index(&node.tier) {
            row_height[tier] = row_height[tier].max(size_of(i).h);
        }
    }
    let pitch = |tier: usize| row_height[tier] + spacing.row_gap;
    let extra_rows = |tier: usize| {
        columns
            .rows_in_layer
            .get(tier)
            .map_or(0, |r| r.saturating_sub(1)) as f32
    };
    let band_height = |tier: usize| {
        spacing.tier_header
            + 2.0 * spacing.segment_header
            + row_height[tier]
            + extra_rows(tier) * pitch(tier)
            + 3.0 * spacing.segment_pad
    };
    let mut band_top = vec![0.0f32; tier_count];
    let mut y = 0.0;
    for tier in (0..tier_count).rev() {
        band_top[tier] = y;
        y += band_height(tier) + spacing.band_gap;
    }
    let total_height = (y - spacing.band_gap).max(0.0);
    let row_center = |tier: usize| {
        band_top[tier] + spacing.tier_header + 2.0 * spacing.segment_header + row_height[tier] / 2.0
    };

    let mut nodes = vec![Rect::default(); map.nodes.len()];
    let mut min_x = f32::INFINITY;
    let mut max_x = f32::NEG_INFINITY;
    for (v, kind) in layered.kinds.iter().enumerate() {
        let layer = layered.layer_of[v] as usize;
        let width = layered.widths[v];
        let cx = x[v] as f32;
        min_x = min_x.min(cx - width / 2.0);
        max_x = max_x.max(cx + width / 2.0);
        if let VertexKind::Node(n) = *kind {
            let h = size_of(n).h;
            let row = columns.row_of[v] as f32;
            nodes[n] = Rect {
                x: cx - width / 2.0,
                y: row_center(layer) - h / 2.0 + row * pitch(layer),
                w: width,
                h,
            };
        }
    }

    // Segment boxes, from the leaves up.
    let mut segments = Vec::new();
    for (layer, &root) in layered.roots.iter().enumerate() {
        let row_bottom =
            row_center(layer) + row_height[layer] / 2.0 + extra_rows(layer) * pitch(layer);
        for item in &layered.blocks[root as usize].children {
            if let Item::Block(block) = *item {
                segment_boxes(
                    &layered,
                    block,
                    1,
                    &x,
                    spacing,
                    band_top[layer],
                    row_bottom,
                    &mut segments,
                );
            }
        }
    }
    for segment in &segments {
        min_x = min_x.min(segment.rect.x);
        max_x = max_x.max(segment.rect.right());
    }
    if !min_x.is_finite() {
        (min_x, max_x) = (0.0, 0.0);
    }
    let left = min_x - spacing.margin;
    let width = max_x - min_x + 2.0 * spacing.margin;
    let tiers = (0..tier_count)
        .map(|tier| TierBand {
            tier,
            rect: Rect {
                x: left,
                y: band_top[tier],
                w: width,
                h: band_height(tier),
            },
        })
        .collect();

    let vertex_point = |v: u32| x[v as usize] as f32;
    let band_edges = |layer: usize| (band_top[layer], band_top[layer] + band_height(layer));
    let mut edges = Vec::with_capacity(map.links.len());
    let mut link_points = Vec::new();
    for chain in &layered.chains {
        let (Some(&low), Some(&high)) = (chain.vertices.first(), chain.vertices.last()) else {
            continue;
        };
        let node_rect = |v: u32| match layered.kinds[v as usize] {
            VertexKind::Node(n) => nodes[n],
            _ => Rect::default(),
        };
        // A node below the first row of a grid leaves through the gap on its right, up past
        // the rows above it; a node above the last row enters the same way from below.
        let low_rect = node_rect(low);
        let low_layer = layered.layer_of[low as usize] as usize;
        let mut points = vec![[vertex_point(low), low_rect.y]];
        if columns.row_of[low as usize] > 0 {
            let gap_x = low_rect.right() + spacing.node_gap / 2.0;
            let first_row_top = row_center(low_layer) - row_height[low_layer] / 2.0;
            points.push([gap_x, low_rect.y - spacing.row_gap / 2.0]);
            points.push([gap_x, first_row_top - spacing.row_gap / 2.0]);
        }
        for &v in chain
            .vertices
            .iter()
            .skip(1)
            .take(chain.vertices.len().saturating_sub(2))
        {
            let layer = layered.layer_of[v as usize] as usize;
            let (top, bottom) = band_edges(layer);
            points.push([vertex_point(v), bottom]);
            points.push([vertex_point(v), top]);
            link_points.push((chain.link, layer, vertex_point(v)));
        }
        let high_rect = node_rect(high);
        let high_layer = layered.layer_of[high as usize] as usize;
        let rows = columns.block_rows[high as usize];
        if columns.row_of[high as usize] + 1 < rows {
            let gap_x = high_rect.right() + spacing.node_gap / 2.0;
            let last_row_bottom = row_center(high_layer)
                + row_height[high_layer] / 2.0
                + (rows - 1) as f32 * pitch(high_layer);
            points.push([gap_x, last_row_bottom + spacing.row_gap / 2.0]);
            points.push([gap_x, high_rect.bottom() + spacing.row_gap / 2.0]);
        }
        points.push([vertex_point(high), high_rect.bottom()]);
        if chain.reversed {
            points.reverse();
        }
        edges.push(EdgeRoute {
            link: chain.link,
            points,
            flat: false,
        });
    }
    for &(link, a, b) in &layered.flat {
        let (ra, rb) = match (layered.kinds[a as usize], layered.kinds[b as usize]) {
            (VertexKind::Node(na), VertexKind::Node(nb)) => (nodes[na], nodes[nb]),
            _ => continue,
        };
        let top = ra.y.min(rb.y);
        let rise = (spacing.segment_header + 0.08 * (ra.center_x() - rb.center_x()).abs())
            .min(2.0 * spacing.segment_header);
        edges.push(EdgeRoute {
            link,
            points: vec![
                [ra.center_x(), ra.y],
                [(ra.center_x() + rb.center_x()) / 2.0, top - rise],
                [rb.center_x(), rb.y],
            ],
            flat: true,
        });
    }
    edges.sort_by_key(|e| e.link);

    Layout {
        nodes,
        edges,
        segments,
        tiers,
        crossings,
        bounds: Rect {
            x: left,
            y: 0.0,
            w: width,
            h: total_height,
        },
        link_points,
    }
}

impl Layout {
    /// Where everything is, to pass as [`LayoutOptions::prior`] to the next layout.
    pub fn prior(&self, map: &Map) -> PriorPositions {
        let nodes = map
            .nodes
            .iter()
            .zip(&self.nodes)
            .map(|(node, rect)| (node.id.clone(), rect.center_x()))
            .collect();
        let link_points = self
            .link_points
            .iter()
            .filter_map(|&(link, tier, x)| Some(((map.links.get(link)?.id.clone(), tier), x)))
            .collect();
        PriorPositions { nodes, link_points }
    }
}

/// Boxes of `block` and the blocks inside it; returns the block's box.
#[allow(clippy::too_many_arguments)]
fn segment_boxes(
    layered: &Layered,
    block: u32,
    depth: u8,
    x: &[f64],
    spacing: &Spacing,
    band_top: f32,
    row_bottom: f32,
    out: &mut Vec<SegmentBox>,
) -> Rect {
    let mut left = f32::INFINITY;
    let mut right = f32::NEG_INFINITY;
    for item in &layered.blocks[block as usize].children {
        match *item {
            Item::Leaf(v) => {
                let half = layered.widths[v as usize] / 2.0;
                left = left.min(x[v as usize] as f32 - half - spacing.segment_pad);
                right = right.max(x[v as usize] as f32 + half + spacing.segment_pad);
            }
            Item::Block(b) => {
                let inner =
                    segment_boxes(layered, b, depth + 1, x, spacing, band_top, row_bottom, out);
                left = left.min(inner.x - spacing.segment_pad);
                right = right.max(inner.right() + spacing.segment_pad);
            }
        }
    }
    let top = band_top + spacing.tier_header + f32::from(depth - 1) * spacing.segment_header;
    let bottom = row_bottom + spacing.segment_pad * f32::from(3 - depth.min(2));
    let rect = Rect {
        x: left,
        y: top,
        w: (right - left).max(0.0),
        h: bottom - top,
    };
    if let Some(segment) = layered.blocks[block as usize].segment {
        out.push(SegmentBox {
            segment,
            depth,
            rect,
        });
    }
    rect
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::generate;

    fn check_geometry(map: &Map, layout: &Layout) {
        // No node outside its tier's band, no two nodes overlapping.
        for (i, node) in map.nodes.iter().enumerate() {
            let tier = map.tier_index(&node.tier).unwrap_or_default();
            let band = &layout.tiers[tier].rect;
            assert!(
                band.contains_rect(&layout.nodes[i]),
                "node {} leaves its band",
                node.id
            );
        }
        let mut by_row: Vec<(f32, f32, f32, usize)> = layout
            .nodes
            .iter()
            .enumerate()
            .map(|(i, r)| (r.y, r.x, r.right(), i))
            .collect();
        by_row.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        for pair in by_row.windows(2) {
            if pair[0].0 == pair[1].0 {
                assert!(
                    pair[0].2 <= pair[1].1 + 1e-3,
                    "nodes {} and {} overlap",
                    pair[0].3,
                    pair[1].3
                );
            }
        }
        // Segment boxes of one depth never overlap; a node's boxes contain it.
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
        }
        for (i, node) in map.nodes.iter().enumerate() {
            for segment_id in node.segments.iter().take(1) {
                let Some(s) = map.segments.iter().position(|s| &s.id == segment_id) else {
                    continue;
                };
                let Some(b) = layout.segments.iter().find(|b| b.segment == s) else {
                    continue;
                };
                assert!(
                    b.rect.contains_rect(&layout.nodes[i]),
                    "node {} outside its segment box",
                    node.id
                );
            }
        }
    }

    #[test]
    fn layout_keeps_nodes_in_bands_and_boxes_apart() {
        for n in [40, 300, 1_200] {
            let map = generate(n, 11);
            for max_columns in [None, Some(4), Some(1)] {
                let options = LayoutOptions {
                    max_columns,
                    ..Default::default()
                };
                let layout = layout(&map, &default_sizes(&map), &options);
                check_geometry(&map, &layout);
                assert_eq!(layout.edges.len(), map.links.len());
            }
        }
    }

    #[test]
    fn grids_make_crowded_tiers_narrower_and_taller() {
        let map = generate(600, 3);
        let plain = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        let grid = layout(
            &map,
            &default_sizes(&map),
            &LayoutOptions {
                max_columns: Some(4),
                ..Default::default()
            },
        );
        assert!(
            grid.bounds.w * 2.0 < plain.bounds.w,
            "{} vs {}",
            grid.bounds.w,
            plain.bounds.w
        );
        assert!(grid.bounds.h > plain.bounds.h);
        // The order, and so the crossings, are the same: only the drawing is folded.
        assert_eq!(grid.crossings, plain.crossings);
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
    fn pinned_node_stays_where_it_was_put() {
        let mut map = generate(200, 2);
        map.nodes[10].pin = Some((5_000.0, 0.0));
        let layout = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        assert!(
            (layout.nodes[10].center_x() - 5_000.0).abs() < 1.0,
            "{}",
            layout.nodes[10].center_x()
        );
        check_geometry(&map, &layout);
    }

    #[test]
    fn adding_a_node_with_a_prior_moves_little_else() {
        let map = generate(1_000, 8);
        let before = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        let mut grown = map.clone();
        let mut added = grown.nodes[grown.nodes.len() - 1].clone();
        added.id = "added".into();
        grown.nodes.push(added);
        let options = LayoutOptions {
            prior: Some(before.prior(&map)),
            ..Default::default()
        };
        let after = layout(&grown, &default_sizes(&grown), &options);
        check_geometry(&grown, &after);
        let moved = before
            .nodes
            .iter()
            .zip(&after.nodes)
            .filter(|(a, b)| (a.center_x() - b.center_x()).abs() > a.w)
            .count();
        let fresh = layout(&grown, &default_sizes(&grown), &LayoutOptions::default());
        let moved_fresh = before
            .nodes
            .iter()
            .zip(&fresh.nodes)
            .filter(|(a, b)| (a.center_x() - b.center_x()).abs() > a.w)
            .count();
        eprintln!("moved {moved} with prior, {moved_fresh} from scratch");
        assert!(
            moved * 10 < map.nodes.len(),
            "{moved} of {} nodes moved",
            map.nodes.len()
        );
    }

    #[test]
    fn edges_run_from_the_from_node_to_the_to_node() {
        let map = generate(300, 4);
        let layout = layout(&map, &default_sizes(&map), &LayoutOptions::default());
        for edge in &layout.edges {
            let link = &map.links[edge.link];
            let from = map
                .nodes
                .iter()
                .position(|n| n.id == link.from)
                .unwrap_or_default();
            let to = map
                .nodes
                .iter()
                .position(|n| n.id == link.to)
                .unwrap_or_default();
            let first = edge.points[0];
            let last = edge.points[edge.points.len() - 1];
            assert!((first[0] - layout.nodes[from].center_x()).abs() < 1e-3);
            assert!((last[0] - layout.nodes[to].center_x()).abs() < 1e-3);
        }
    }
}
