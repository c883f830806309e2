//! Packing: each tier a band of the same width, its segment boxes wrapped into rows that
//! fill that width, each box's node cards in a grid whose shape suits the box, nested boxes
//! packed the same way inside their parent. The width is chosen so that the whole map has
//! the shape of the space it is shown in. With an earlier layout of the same shape, `kept`
//! plans every box where it was instead.
//!
//! Placing also records the *lanes* of every box: the rows of what it holds (cards or
//! boxes) and the free stretches between them, which routes pass through (see `route`).
//!
//! Every index here (group, frame) is created by this module and stays in range, so the
//! loops index directly.

mod kept;

use super::layered::{BlockId, Item, Layered, VertexKind};
use super::{Rect, Size, Spacing};
use kept::Plan;

/// Boxes are given about this shape (width over height) before rows even them out: a
/// little wider than high, like the cards they hold.
const BOX_ASPECT: f32 = 1.6;
/// Each top segment's box is at least this share of its band's width, so that at any zoom
/// that shows the whole map its title has room (at most eleven boxes a row).
const TOP_BOX_SHARE: f32 = 0.085;
/// The size an empty segment's box holds, so that its title still shows.
const EMPTY_CELL: Size = Size { w: 60.0, h: 20.0 };

/// What a box holds: a grid of cards, or other boxes in rows.
#[derive(Clone, Debug)]
enum Content {
    Grid { cards: Vec<usize>, cell: Size },
    Boxes(Vec<usize>),
}

/// A box of the drawing: a tier's band (depth 0), a segment (depth 1, or 2 when nested),
/// or an unnamed group of the cards that sit beside boxes.
#[derive(Clone, Debug)]
struct Group {
    segment: Option<usize>,
    depth: u8,
    pad_x: f32,
    /// From the box's top to its first row (header and padding).
    top: f32,
    bottom: f32,
    content: Content,
    /// Where the earlier layout had it, when the shape is kept.
    kept: Option<KeptBox>,
}

/// A row of what a frame holds, and the free stretches (x from, x to) across it.
#[derive(Clone, Debug, Default)]
pub struct Lane {
    pub top: f32,
    pub bottom: f32,
    pub free: Vec<(f32, f32)>,
}

/// A placed box, for routing: its rectangle, its rows, and where it sits in its parent.
#[derive(Clone, Debug)]
pub struct Frame {
    pub rect: Rect,
    pub lanes: Vec<Lane>,
    /// The parent frame and the lane of it this frame sits in; `None` for a tier's band.
    pub parent: Option<(usize, usize)>,
    /// The tier the frame is in.
    pub tier: usize,
}

/// Where a card or a box sits: its frame and lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub frame: usize,
    pub lane: usize,
}

/// The packed drawing.
#[derive(Clone, Debug, Default)]
pub struct Packed {
    pub width: f32,
    pub height: f32,
    pub nodes: Vec<Rect>,
    pub node_slot: Vec<Option<Slot>>,
    /// Segment boxes: (segment, depth, rectangle, its frame, its slot in its parent).
    pub segments: Vec<(usize, u8, Rect, usize, Option<Slot>)>,
    /// Each tier's band and frame, indexed by tier.
    pub bands: Vec<(Rect, usize)>,
    pub frames: Vec<Frame>,
}

struct Packer<'a> {
    groups: Vec<Group>,
    /// The root group of each tier.
    roots: Vec<usize>,
    spacing: &'a Spacing,
    /// Each group's narrowest and widest width, computed once (children come before their
    /// parents in `groups`).
    min_w: Vec<f32>,
    max_w: Vec<f32>,
    /// For each segment box that holds boxes: its height at sampled widths, made
    /// non-increasing, with the width each height was packed at (see [`Profile`]).
    profiles: Vec<Option<Profile>>,
    /// With the shape kept: each group's size and arrangement as planned from the earlier
    /// layout (see [`Plan`]); `None` for a group packed afresh.
    plan: Vec<Option<Plan>>,
}

/// Height against width of a box that holds boxes, sampled: `(width, height, packed_at)`
/// with heights non-increasing; at a width, the box is packed at the `packed_at` of the
/// widest sample not wider, so that its content is never taller than the profile says.
#[derive(Clone, Debug, Default)]
struct Profile {
    samples: Vec<(f32, f32, f32)>,
}

/// How many widths a profile samples.
const PROFILE_SAMPLES: usize = 64;

impl Packer<'_> {
    fn gap_x(&self, g: &Group) -> f32 {
        match g.content {
            Content::Grid { .. } => self.spacing.node_gap,
            Content::Boxes(_) => self.spacing.block_gap,
        }
    }

    fn grid_dims(cards: usize, cell: Size) -> (usize, Size) {
        if cards == 0 {
            (1, EMPTY_CELL)
        } else {
            (cards, cell)
        }
    }

    fn grid_width(&self, g: &Group, n: usize, cell: Size, cols: usize) -> f32 {
        let cols = cols.clamp(1, n.max(1)) as f32;
        2.0 * g.pad_x + cols * cell.w + (cols - 1.0) * self.spacing.node_gap
    }

    fn grid_height(&self, g: &Group, n: usize, cell: Size, cols: usize) -> f32 {
        let rows = n.div_ceil(cols.clamp(1, n.max(1))) as f32;
        g.top + g.bottom + rows * cell.h + (rows - 1.0).max(0.0) * self.spacing.row_gap
    }

    fn grid_cols_for_width(&self, g: &Group, n: usize, cell: Size, width: f32) -> usize {
        let inner = width - 2.0 * g.pad_x + self.spacing.node_gap;
        let cols = (inner / (cell.w + self.spacing.node_gap)).floor();
        if cols.is_finite() && cols >= 1.0 {
            (cols as usize).min(n.max(1))
        } else {
            1
        }
    }

    fn min_width(&self, g: usize) -> f32 {
        self.min_w[g]
    }

    fn max_width(&self, g: usize) -> f32 {
        self.max_w[g]
    }

    /// The narrowest the bands can be (as wide as the widest box at its narrowest, and at
    /// least 1) and the widest they need be (as wide as the widest band with every box side
    /// by side).
    fn band_widths(&self) -> (f32, f32) {
        let roots = || self.roots.iter().copied();
        let narrowest = roots().map(|r| self.min_width(r)).fold(1.0, f32::max);
        let widest = roots().map(|r| self.max_width(r)).fold(narrowest, f32::max);
        (narrowest, widest)
    }

    /// Computes the widths and profiles of every group, children first.
    fn measure(&mut self) {
        for g in 0..self.groups.len() {
            let group = &self.groups[g];
            let (min, max) = match &group.content {
                Content::Grid { cards, cell } => {
                    let (n, cell) = Self::grid_dims(cards.len(), *cell);
                    (
                        self.grid_width(group, n, cell, 1),
                        self.grid_width(group, n, cell, n),
                    )
                }
                Content::Boxes(children) => {
                    let min = children.iter().map(|&c| self.min_w[c]).fold(0.0, f32::max);
                    let sum: f32 = children.iter().map(|&c| self.max_w[c]).sum();
                    (
                        min + 2.0 * group.pad_x,
                        sum + self.gap_x(group) * children.len().saturating_sub(1) as f32
                            + 2.0 * group.pad_x,
                    )
                }
            };
            self.min_w.push(min);
            self.max_w.push(max.max(min));
            self.profiles.push(None);
            if let Content::Boxes(children) = &self.groups[g].content
                && self.groups[g].depth > 0
            {
                let profile = self.profile_of(g, children);
                if let Some(p) = self.profiles.get_mut(g) {
                    *p = Some(profile);
                }
            }
        }
    }

    fn profile_of(&self, g: usize, children: &[usize]) -> Profile {
        let group = &self.groups[g];
        let (min, max) = (self.min_w[g], self.max_w[g]);
        let ratio = (max / min.max(1.0)).max(1.0);
        let mut samples: Vec<(f32, f32, f32)> = Vec::with_capacity(PROFILE_SAMPLES + 1);
        for k in 0..=PROFILE_SAMPLES {
            let w = min * ratio.powf(k as f32 / PROFILE_SAMPLES as f32);
            let rows = self.pack(children, w - 2.0 * group.pad_x, false);
            let h = group.top + group.bottom + rows_height(&rows, self.spacing.block_gap);
            match samples.last() {
                Some(&(_, last_h, at)) if last_h <= h => samples.push((w, last_h, at)),
                _ => samples.push((w, h, w)),
            }
        }
        Profile { samples }
    }

    /// The profile's sample for a box `width` wide: the widest not wider (or the first).
    fn sample_at(profile: &Profile, width: f32) -> (f32, f32, f32) {
        let i = profile
            .samples
            .partition_point(|&(w, _, _)| w <= width + 1e-3);
        profile
            .samples
            .get(i.saturating_sub(1))
            .copied()
            .unwrap_or((width, 0.0, width))
    }

    /// The height of box `g` drawn `width` wide.
    fn height_at(&self, g: usize, width: f32) -> f32 {
        let group = &self.groups[g];
        match &group.content {
            Content::Grid { cards, cell } => {
                let (n, cell) = Self::grid_dims(cards.len(), *cell);
                let cols = self.grid_cols_for_width(group, n, cell, width);
                self.grid_height(group, n, cell, cols)
            }
            Content::Boxes(children) => match self.profiles.get(g).and_then(Option::as_ref) {
                Some(profile) => Self::sample_at(profile, width).1,
                None => {
                    let rows = self.pack(children, width - 2.0 * group.pad_x, group.depth == 0);
                    group.top + group.bottom + rows_height(&rows, self.spacing.block_gap)
                }
            },
        }
    }

    /// The narrowest width at which box `g` is at most `height` high (its widest when
    /// no width is that low).
    fn width_for_height(&self, g: usize, height: f32) -> f32 {
        let group = &self.groups[g];
        match &group.content {
            Content::Grid { cards, cell } => {
                let (n, cell) = Self::grid_dims(cards.len(), *cell);
                let room = height - group.top - group.bottom + self.spacing.row_gap;
                let rows = (room / (cell.h + self.spacing.row_gap)).floor();
                let rows = if rows.is_finite() && rows >= 1.0 {
                    (rows as usize).min(n)
                } else {
                    1
                };
                self.grid_width(group, n, cell, n.div_ceil(rows.max(1)))
            }
            Content::Boxes(_) => {
                if let Some(profile) = self.profiles.get(g).and_then(Option::as_ref) {
                    return profile
                        .samples
                        .iter()
                        .find(|&&(_, h, _)| h <= height)
                        .or(profile.samples.last())
                        .map_or(self.max_width(g), |&(w, _, _)| w);
                }
                let (mut low, mut high) = (self.min_width(g), self.max_width(g));
                if self.height_at(g, low) <= height {
                    return low;
                }
                for _ in 0..14 {
                    let mid = (low + high) / 2.0;
                    if self.height_at(g, mid) <= height {
                        high = mid;
                    } else {
                        low = mid;
                    }
                }
                high
            }
        }
    }

    /// The width box `g` takes when nothing else decides: about [`BOX_ASPECT`], at most
    /// `limit`.
    fn natural_width(&self, g: usize, limit: f32) -> f32 {
        let group = &self.groups[g];
        let min = self.min_width(g);
        let max = self.max_width(g).min(limit).max(min);
        match &group.content {
            Content::Grid { cards, cell } => {
                let (n, cell) = Self::grid_dims(cards.len(), *cell);
                let ideal = (BOX_ASPECT * n as f32 * cell.h / cell.w).sqrt();
                let mut best = (f32::INFINITY, min);
                for cols in [ideal.floor(), ideal.ceil()] {
                    let cols = (cols.max(1.0) as usize).min(n);
                    let w = self.grid_width(group, n, cell, cols).min(max);
                    let h = self.height_at(g, w);
                    let miss = ((w / h.max(1.0)) / BOX_ASPECT).ln().abs();
                    if miss < best.0 {
                        best = (miss, w);
                    }
                }
                best.1
            }
            Content::Boxes(_) => {
                if let Some(profile) = self.profiles.get(g).and_then(Option::as_ref) {
                    return profile
                        .samples
                        .iter()
                        .filter(|&&(w, _, _)| w <= max + 1e-3)
                        .min_by(|a, b| {
                            let miss = |s: &(f32, f32, f32)| {
                                ((s.0 / s.1.max(1.0)) / BOX_ASPECT).ln().abs()
                            };
                            miss(a).total_cmp(&miss(b))
                        })
                        .map_or(min, |&(w, _, _)| w);
                }
                let (mut low, mut high) = (min, max);
                for _ in 0..14 {
                    let mid = (low + high) / 2.0;
                    if mid / self.height_at(g, mid).max(1.0) < BOX_ASPECT {
                        low = mid;
                    } else {
                        high = mid;
                    }
                }
                high
            }
        }
    }

    /// Children in rows `width` wide, in order: each row takes as many as fit at the
    /// height of its tallest, then its boxes widen to fill it. `top` children (a band's)
    /// are at least [`TOP_BOX_SHARE`] of the width, and a lone box in the last of a band's
    /// several rows no wider than its content side by side.
    fn pack(&self, children: &[usize], width: f32, top: bool) -> Vec<PackedRow> {
        let gap = self.spacing.block_gap;
        let least = if top { TOP_BOX_SHARE * width } else { 0.0 };
        let width_for_height = |c: usize, h: f32| self.width_for_height(c, h).max(least);
        let mut rows: Vec<PackedRow> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut height = 0.0f32;
        for &child in children {
            let natural = self
                .natural_width(child, width)
                .max(least)
                .min(width.max(0.0));
            let natural_h = self.height_at(child, natural);
            if current.is_empty() {
                current.push(child);
                height = natural_h;
                continue;
            }
            let h = height.max(natural_h);
            let used: f32 = current
                .iter()
                .chain(std::iter::once(&child))
                .map(|&c| width_for_height(c, h))
                .sum::<f32>()
                + gap * current.len() as f32;
            if used <= width {
                current.push(child);
                height = h;
            } else {
                rows.push(self.close_row(
                    std::mem::take(&mut current),
                    height,
                    width,
                    &width_for_height,
                    false,
                ));
                current.push(child);
                height = natural_h;
            }
        }
        if !current.is_empty() {
            // A band's only row fills it: that is how the map takes a wide shape.
            let last = top && !rows.is_empty();
            rows.push(self.close_row(current, height, width, &width_for_height, last));
        }
        rows
    }

    /// A row of `items` at `height` (its tallest's), widened to fill `width`; a lone box
    /// in a band's `last` row at most to its content side by side (its cards in one row),
    /// at the left: stretched further it would be a wide empty box that reads as the band's
    /// biggest segment. (Leaving every last row unstretched cost 4–9% more crossings as
    /// drawn at 2,000 and 5,000 nodes, and keeping a lone box at its natural width 60% at
    /// 100: its cards in more rows.)
    fn close_row(
        &self,
        items: Vec<usize>,
        height: f32,
        width: f32,
        width_for_height: &dyn Fn(usize, f32) -> f32,
        last: bool,
    ) -> PackedRow {
        let gap = self.spacing.block_gap;
        let widths: Vec<f32> = items.iter().map(|&c| width_for_height(c, height)).collect();
        let total: f32 = widths.iter().sum::<f32>().max(1.0);
        let used: f32 = total + gap * items.len().saturating_sub(1) as f32;
        let extra = (width - used).max(0.0);
        let mut widths: Vec<f32> = widths.iter().map(|w| w + extra * w / total).collect();
        // A lone box in a band's last row is no wider than all its content side by side:
        // wider would only be empty.
        if let ([only], [w]) = (items.as_slice(), widths.as_mut_slice())
            && last
        {
            *w = w.min(self.max_width(*only).max(total));
        }
        let height = items
            .iter()
            .zip(&widths)
            .map(|(&c, &w)| self.height_at(c, w))
            .fold(0.0, f32::max);
        let mut x = 0.0;
        let items = items
            .into_iter()
            .zip(widths)
            .map(|(c, w)| {
                let item = (c, x, w);
                x += w + gap;
                item
            })
            .collect();
        PackedRow { items, height }
    }

    /// The whole map's height when every band is `width` wide.
    fn total_height(&self, width: f32) -> f32 {
        let bands: f32 = self.roots.iter().map(|&r| self.height_at(r, width)).sum();
        bands + self.spacing.band_gap * self.roots.len().saturating_sub(1) as f32
    }
}

/// A row of boxes: each child with its x from the row's left and its width, and the
/// row's height.
#[derive(Clone, Debug, Default)]
struct PackedRow {
    items: Vec<(usize, f32, f32)>,
    height: f32,
}

fn rows_height(rows: &[PackedRow], gap: f32) -> f32 {
    rows.iter().map(|r| r.height).sum::<f32>() + gap * rows.len().saturating_sub(1) as f32
}

/// What to pack: the ordered layered graph, node sizes, spacing, the target shape and
/// (for stability) what of an earlier layout to keep.
pub struct PackInput<'a> {
    pub layered: &'a Layered,
    pub sizes: &'a [Size],
    pub spacing: &'a Spacing,
    /// Width over height of the space the map is shown in.
    pub aspect: f32,
    /// The earlier layout of the same shape, to keep: then the width is kept and each box
    /// keeps its row, place and width (see [`kept`]); `None`: packed afresh.
    pub kept: Option<KeptShape<'a>>,
    /// Where people pinned nodes (node index → map point), honoured within their box.
    pub pins: &'a [Option<(f32, f32)>],
}

/// Where an earlier layout of the same shape had each box, to keep.
#[derive(Clone, Copy, Debug)]
pub struct KeptShape<'a> {
    /// The bands' width.
    pub width: f32,
    /// Each segment's box, by segment index.
    pub boxes: &'a [Option<KeptBox>],
    /// The loose cards beside the boxes of each segment (by segment index) and of each
    /// band (by tier index).
    pub loose_in_segment: &'a [Option<KeptBox>],
    pub loose_in_tier: &'a [Option<KeptBox>],
}

/// Where a box was within its parent: its row, its left edge from the parent's left edge,
/// its width and its grid's columns (0: none kept), and for loose cards the room at the
/// sides of their grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeptBox {
    pub row: u32,
    pub x: f32,
    pub w: f32,
    pub cols: u32,
    /// Loose cards only: the room left and right of their grid.
    pub room: f32,
}

/// Packs the map: chooses the width (or keeps it), then places every band, box and card.
pub fn pack(input: &PackInput<'_>) -> Packed {
    let spacing = input.spacing;
    let mut packer = Packer {
        groups: Vec::new(),
        roots: Vec::new(),
        spacing,
        min_w: Vec::new(),
        max_w: Vec::new(),
        profiles: Vec::new(),
        plan: Vec::new(),
    };
    for (tier, &root) in input.layered.roots.iter().enumerate() {
        let g = add_group(&mut packer, input, root, (0, tier));
        packer.roots.push(g);
    }
    packer.measure();
    let width = match &input.kept {
        Some(kept) => {
            let width = packer.kept_width(kept.width);
            packer.plan_all(width)
        }
        None => choose_width(&packer, input.aspect),
    };
    let mut packed = Packed {
        width,
        nodes: vec![Rect::default(); input.sizes.len()],
        node_slot: vec![None; input.sizes.len()],
        bands: vec![(Rect::default(), 0); packer.roots.len()],
        ..Packed::default()
    };
    let mut y = 0.0;
    for (tier, &root) in packer.roots.iter().enumerate().rev() {
        let h = packer
            .planned(root)
            .map_or_else(|| packer.height_at(root, width), |p| p.h);
        let rect = Rect {
            x: 0.0,
            y,
            w: width,
            h,
        };
        let frame = place(&packer, input, root, rect, None, tier, &mut packed);
        if let Some(band) = packed.bands.get_mut(tier) {
            *band = (rect, frame);
        }
        y += h + spacing.band_gap;
    }
    packed.height = (y - spacing.band_gap).max(0.0);
    packed
}

/// Adds the group of `block` (and its children first) at `depth` in `tier`.
fn add_group(
    packer: &mut Packer<'_>,
    input: &PackInput<'_>,
    block: BlockId,
    (depth, tier): (u8, usize),
) -> usize {
    let layered = input.layered;
    let spacing = input.spacing;
    let node = &layered.blocks[block as usize];
    let mut cards = Vec::new();
    let mut children = Vec::new();
    for item in &node.children {
        match *item {
            Item::Leaf(v) => {
                if let VertexKind::Node(n) = layered.kinds[v as usize] {
                    cards.push(n);
                }
            }
            Item::Block(b) => children.push(b),
        }
    }
    let (pad_x, top, bottom) = match (depth, node.segment) {
        (0, _) => (
            spacing.margin,
            spacing.tier_header,
            spacing.segment_pad.max(4.0),
        ),
        (_, Some(_)) => (
            spacing.segment_pad,
            spacing.segment_header + spacing.segment_pad,
            spacing.segment_pad,
        ),
        (_, None) => (0.0, 0.0, 0.0),
    };
    let cell_of = |cards: &[usize]| {
        cards.iter().fold(Size { w: 0.0, h: 0.0 }, |acc, &n| {
            let s = input.sizes.get(n).copied().unwrap_or(EMPTY_CELL);
            Size {
                w: acc.w.max(s.w),
                h: acc.h.max(s.h),
            }
        })
    };
    // What the earlier layout had: this segment's box, or the loose cards of this band or
    // box (beside its boxes, or a band's only content).
    let (kept_self, kept_loose) = match &input.kept {
        None => (None, None),
        Some(kept) => {
            let loose = match node.segment {
                Some(s) => kept.loose_in_segment.get(s).copied().flatten(),
                None => kept.loose_in_tier.get(tier).copied().flatten(),
            };
            let own = match node.segment.filter(|_| depth > 0) {
                Some(s) => kept.boxes.get(s).copied().flatten(),
                // A band's own record is its loose cards' when they are all it holds.
                None if children.is_empty() => loose,
                None => None,
            };
            (own, loose)
        }
    };
    let content = if children.is_empty() {
        let cell = cell_of(&cards);
        Content::Grid { cards, cell }
    } else {
        let mut kids = Vec::new();
        if !cards.is_empty() {
            let cell = cell_of(&cards);
            packer.groups.push(Group {
                segment: None,
                depth: depth + 1,
                pad_x: 0.0,
                top: 0.0,
                bottom: 0.0,
                content: Content::Grid { cards, cell },
                kept: kept_loose,
            });
            kids.push(packer.groups.len() - 1);
        }
        for b in children {
            kids.push(add_group(packer, input, b, (depth + 1, tier)));
        }
        Content::Boxes(kids)
    };
    packer.groups.push(Group {
        segment: node.segment,
        depth,
        pad_x,
        top,
        bottom,
        content,
        kept: kept_self,
    });
    packer.groups.len() - 1
}

/// The band width that shows the map largest in a space of shape `aspect`: the height
/// falls as the width grows, and the best width is where the two limits meet.
fn choose_width(packer: &Packer<'_>, aspect: f32) -> f32 {
    let aspect = if aspect.is_finite() && aspect > 0.01 {
        aspect
    } else {
        16.0 / 9.0
    };
    let (low, high) = packer.band_widths();
    // The scale at which the map fits a space `aspect` wide and 1 high: larger is better.
    let score = |w: f32| 1.0 / (w / aspect).max(packer.total_height(w));
    let steps = 40;
    let ratio = (high / low).max(1.0);
    let at = |i: i32| low * ratio.powf(i.clamp(0, steps) as f32 / steps as f32);
    let mut best = (score(low), low);
    let mut best_step = 0;
    for i in 1..=steps {
        let w = at(i);
        let s = score(w);
        if s > best.0 {
            best = (s, w);
            best_step = i;
        }
    }
    let bracket = (at(best_step - 1), at(best_step + 1));
    // Refine between the neighbours of the best step.
    let (mut a, mut b) = bracket;
    for _ in 0..16 {
        if b - a < 1.0 {
            break;
        }
        let m1 = a + (b - a) / 3.0;
        let m2 = b - (b - a) / 3.0;
        let (s1, s2) = (score(m1), score(m2));
        if s1 > best.0 {
            best = (s1, m1);
        }
        if s2 > best.0 {
            best = (s2, m2);
        }
        if s1 < s2 {
            a = m1;
        } else {
            b = m2;
        }
    }
    best.1
}

/// Places group `g` in `rect`; returns its frame.
fn place(
    packer: &Packer<'_>,
    input: &PackInput<'_>,
    g: usize,
    rect: Rect,
    slot: Option<Slot>,
    tier: usize,
    out: &mut Packed,
) -> usize {
    let group = &packer.groups[g];
    let frame = out.frames.len();
    out.frames.push(Frame {
        rect,
        lanes: Vec::new(),
        parent: slot.map(|s| (s.frame, s.lane)),
        tier,
    });
    if let Some(segment) = group.segment.filter(|_| group.depth > 0) {
        out.segments.push((segment, group.depth, rect, frame, slot));
    }
    let lanes = match &group.content {
        Content::Grid { cards, cell } => {
            let (n, cell_used) = Packer::grid_dims(cards.len(), *cell);
            let cols = packer.planned(g).map_or_else(
                || packer.grid_cols_for_width(group, n, cell_used, rect.w),
                |p| p.cols.clamp(1, n.max(1)),
            );
            place_grid(packer, input, (group, cards, *cell, cols), rect, frame, out)
        }
        Content::Boxes(children) => {
            let spacing = packer.spacing;
            let fresh;
            let (rows, left): (&[PackedRow], f32) = match packer.planned(g) {
                Some(plan) => (&plan.rows, rect.x + group.pad_x),
                None => {
                    // Packed at the width its profile was measured at, centred in the rest.
                    let packed_at = packer
                        .profiles
                        .get(g)
                        .and_then(Option::as_ref)
                        .map_or(rect.w, |p| Packer::sample_at(p, rect.w).2.min(rect.w));
                    let inner = packed_at - 2.0 * group.pad_x;
                    fresh = packer.pack(children, inner, group.depth == 0);
                    (&fresh, rect.x + (rect.w - packed_at) / 2.0 + group.pad_x)
                }
            };
            let mut lanes = Vec::with_capacity(rows.len());
            let mut y = rect.y + group.top;
            for (lane_index, row) in rows.iter().enumerate() {
                let mut taken = Vec::with_capacity(row.items.len());
                for &(child, x, w) in &row.items {
                    let child_rect = Rect {
                        x: left + x,
                        y,
                        w,
                        h: row.height,
                    };
                    place(
                        packer,
                        input,
                        child,
                        child_rect,
                        Some(Slot {
                            frame,
                            lane: lane_index,
                        }),
                        tier,
                        out,
                    );
                    taken.push((child_rect.x, child_rect.right()));
                }
                lanes.push(Lane {
                    top: y,
                    bottom: y + row.height,
                    free: free_between(rect.x, rect.right(), &taken),
                });
                y += row.height + spacing.block_gap;
            }
            lanes
        }
    };
    if let Some(f) = out.frames.get_mut(frame) {
        f.lanes = lanes;
    }
    frame
}

/// Cards in rows of `cols`, centred in the box; pinned cards take the cell nearest their
/// pin.
fn place_grid(
    packer: &Packer<'_>,
    input: &PackInput<'_>,
    (group, cards, cell, cols): (&Group, &[usize], Size, usize),
    rect: Rect,
    frame: usize,
    out: &mut Packed,
) -> Vec<Lane> {
    let spacing = packer.spacing;
    let (n, cell_used) = Packer::grid_dims(cards.len(), cell);
    let rows = n.div_ceil(cols);
    let grid_w = cols as f32 * cell_used.w + (cols as f32 - 1.0) * spacing.node_gap;
    let x0 = rect.x + (rect.w - grid_w) / 2.0;
    let y0 = rect.y + group.top;
    let cell_at = |k: usize| Rect {
        x: x0 + (k % cols) as f32 * (cell_used.w + spacing.node_gap),
        y: y0 + (k / cols) as f32 * (cell_used.h + spacing.row_gap),
        w: cell_used.w,
        h: cell_used.h,
    };
    // Pinned cards first, each to the free cell nearest its pin; the rest in order.
    let mut taken = vec![false; cards.len()];
    let mut assigned: Vec<Option<usize>> = vec![None; cards.len()];
    for (i, &node) in cards.iter().enumerate() {
        let Some(Some((px, py))) = input.pins.get(node).copied() else {
            continue;
        };
        let nearest = (0..cards.len()).filter(|&k| !taken[k]).min_by(|&a, &b| {
            let (ra, rb) = (cell_at(a), cell_at(b));
            let da = (ra.center_x() - px).powi(2) + (ra.center_y() - py).powi(2);
            let db = (rb.center_x() - px).powi(2) + (rb.center_y() - py).powi(2);
            da.total_cmp(&db)
        });
        if let Some(k) = nearest {
            taken[k] = true;
            assigned[i] = Some(k);
        }
    }
    let mut next = 0;
    for slot in &mut assigned {
        if slot.is_none() {
            while next < taken.len() && taken[next] {
                next += 1;
            }
            *slot = Some(next);
            if let Some(t) = taken.get_mut(next) {
                *t = true;
            }
        }
    }
    let mut row_cards: Vec<Vec<(f32, f32)>> = vec![Vec::new(); rows];
    for (i, &node) in cards.iter().enumerate() {
        let k = assigned[i].unwrap_or(i);
        let r = cell_at(k);
        if let Some(place) = out.nodes.get_mut(node) {
            *place = r;
        }
        if let Some(s) = out.node_slot.get_mut(node) {
            *s = Some(Slot {
                frame,
                lane: k / cols,
            });
        }
        if let Some(row) = row_cards.get_mut(k / cols) {
            row.push((r.x, r.right()));
        }
    }
    row_cards
        .iter_mut()
        .enumerate()
        .map(|(row, taken)| {
            taken.sort_by(|a, b| a.0.total_cmp(&b.0));
            let top = y0 + row as f32 * (cell_used.h + spacing.row_gap);
            Lane {
                top,
                bottom: top + cell_used.h,
                free: free_between(rect.x, rect.right(), taken),
            }
        })
        .collect()
}

/// The stretches of `left..right` not taken by the sorted intervals `taken`.
fn free_between(left: f32, right: f32, taken: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut free = Vec::with_capacity(taken.len() + 1);
    let mut x = left;
    for &(a, b) in taken {
        if a > x {
            free.push((x, a));
        }
        x = x.max(b);
    }
    if right > x {
        free.push((x, right));
    }
    free
}
