//! Packing that keeps an earlier layout of the same shape: the bands keep their width,
//! every box its row, its place and (while it has room) its offset and width, every grid
//! its columns. What an edit changes moves what it must and no more:
//!
//! - a box that grows takes the slack of its row (boxes wider than their cards need), then
//!   grows down (fewer columns, back to its old width), and only when its row still
//!   overflows does the row's last box move to the start of the next row;
//! - a box whose rows grow pushes the rows below it and the bands below (a translation);
//! - a new box goes to the end of its parent's last row, a new card to the end of its
//!   grid (the order comes from `order::keep_prior`).
//!
//! Plans are made children first (the order `add_group` creates groups in), each parent
//! then settling its children's widths row by row.

use super::super::LOOSE_PAD;
use super::{Content, PackedRow, Packer, TOP_BOX_SHARE, rows_height};
use std::collections::VecDeque;

/// A group's size and arrangement, decided from the earlier layout.
#[derive(Clone, Debug, Default)]
pub(super) struct Plan {
    pub w: f32,
    /// The narrowest it keeps its arrangement at (its columns, or its rows of boxes).
    pub min_w: f32,
    pub h: f32,
    /// A grid's columns.
    pub cols: usize,
    /// A box's rows of boxes, each child's x from the content's left edge.
    pub rows: Vec<PackedRow>,
}

/// Widths closer than this count as equal: kept widths filled their rows exactly.
const EPS: f32 = 0.5;

/// A child in a row being planned.
#[derive(Clone, Copy, Debug)]
struct Entry {
    child: usize,
    /// Its earlier x from the content's left edge; `None` for a new box, or one moved to
    /// the start of another row.
    x: Option<f32>,
    /// The width it asks for, and the narrowest it keeps its arrangement at.
    want: f32,
    min: f32,
    /// Its earlier width, for a grid that could grow down to it.
    kept_w: Option<f32>,
    row: Option<u32>,
}

/// Where a row's children go: each one's x and width, and a grid's new columns.
type Fitted = Vec<(f32, f32, Option<usize>)>;

impl Packer<'_> {
    pub(super) fn planned(&self, g: usize) -> Option<&Plan> {
        self.plan.get(g).and_then(Option::as_ref)
    }

    /// The earlier bands' width, widened when a box no longer fits it at one column, and
    /// never wider than every box side by side.
    pub(super) fn kept_width(&self, earlier: f32) -> f32 {
        let (least, most) = self.band_widths();
        if earlier.is_finite() {
            earlier.clamp(least, most)
        } else {
            least
        }
    }

    /// Plans every group that the earlier layout had (and every band with such a group),
    /// children first; returns the bands' width (wider than `width` only when a kept box
    /// no longer fits it).
    pub(super) fn plan_all(&mut self, width: f32) -> f32 {
        let count = self.groups.len();
        self.plan = vec![None; count];
        let mut parent = vec![None; count];
        for g in 0..count {
            let planned = match &self.groups[g].content {
                Content::Grid { .. } if self.groups[g].depth == 0 => {
                    Some(self.plan_grid(g, Some(width)))
                }
                Content::Grid { .. } => self.groups[g].kept.map(|_| self.plan_grid(g, None)),
                Content::Boxes(children) => {
                    let children = children.clone();
                    for &c in &children {
                        parent[c] = Some(g);
                    }
                    let kept_children = children.iter().any(|&c| self.plan[c].is_some());
                    match (self.groups[g].depth, self.groups[g].kept) {
                        (0, _) if kept_children => Some(self.plan_boxes(g, &children, width)),
                        (0, _) => None,
                        (_, Some(k)) => Some(self.plan_boxes(g, &children, k.w)),
                        (_, None) => None,
                    }
                }
            };
            self.plan[g] = planned;
        }
        // A plan holds only inside a planned parent: a box under a new parent is packed
        // afresh with it. Parents come after their children.
        for g in (0..count).rev() {
            if parent[g].is_some_and(|p| self.plan[p].is_none()) {
                self.plan[g] = None;
            }
        }
        self.roots
            .iter()
            .filter_map(|&r| self.planned(r))
            .map(|p| p.w)
            .fold(width, |w, band| if band > w + EPS { band } else { w })
    }

    /// Whether group `g` holds the loose cards of a band or box (beside its boxes).
    fn loose(&self, g: usize) -> bool {
        let group = &self.groups[g];
        group.segment.is_none() && group.depth > 0
    }

    /// A grid keeps its columns (while it has that many cards); a band's grid (a band of
    /// loose cards only) fits the band.
    fn plan_grid(&self, g: usize, band: Option<f32>) -> Plan {
        let group = &self.groups[g];
        let Content::Grid { cards, cell } = &group.content else {
            return Plan::default();
        };
        let (n, cell) = Self::grid_dims(cards.len(), *cell);
        let fit = |w: f32| self.grid_cols_for_width(group, n, cell, w);
        let mut cols = match group.kept {
            Some(k) if k.cols > 0 => (k.cols as usize).clamp(1, n.max(1)),
            Some(k) => fit(k.w),
            None => fit(band.unwrap_or(0.0)),
        };
        if let Some(w) = band {
            cols = cols.min(fit(w));
        }
        // Loose cards keep the room at their sides that routes leave them by, if they had it.
        let min_w = self.grid_width(group, n, cell, cols) + self.room(g);
        let w = match (band, group.kept) {
            (Some(w), _) => w,
            (None, Some(k)) => k.w.max(min_w),
            (None, None) => min_w,
        };
        Plan {
            w,
            min_w,
            h: self.grid_height(group, n, cell, cols),
            cols,
            rows: Vec::new(),
        }
    }

    /// A box of boxes (or a band) `width` wide: its children in their earlier rows.
    fn plan_boxes(&mut self, g: usize, children: &[usize], width: f32) -> Plan {
        let (pad_x, top, bottom, band) = {
            let group = &self.groups[g];
            (group.pad_x, group.top, group.bottom, group.depth == 0)
        };
        let rows = self.plan_rows(children, width - 2.0 * pad_x, band, pad_x);
        let extent = rows
            .iter()
            .filter_map(|r| r.items.last().map(|&(_, x, w)| x + w))
            .fold(0.0, f32::max);
        let min_w = extent + 2.0 * pad_x;
        Plan {
            // Rows fit within the padding: only a box wider than the rest widens it.
            w: if min_w > width + EPS { min_w } else { width },
            min_w,
            h: top + bottom + rows_height(&rows, self.spacing.block_gap),
            cols: 0,
            rows,
        }
    }

    /// The entry of child `c` in a parent `inner` wide whose content starts `pad_x` in.
    fn entry(&self, c: usize, inner: f32, band: bool, pad_x: f32) -> Entry {
        match (self.planned(c), self.groups[c].kept) {
            (Some(plan), Some(k)) => Entry {
                child: c,
                x: Some(k.x - pad_x),
                want: plan.w,
                min: plan.min_w,
                kept_w: matches!(self.groups[c].content, Content::Grid { .. }).then_some(k.w),
                row: Some(k.row),
            },
            _ => {
                let least = if band { TOP_BOX_SHARE * inner } else { 0.0 };
                // New loose cards get room at their sides for routes, which no row widening
                // gives them here.
                let room = if self.loose(c) { 2.0 * LOOSE_PAD } else { 0.0 };
                let natural = (self.natural_width(c, inner) + room)
                    .max(least)
                    .min(inner.max(0.0));
                Entry {
                    child: c,
                    x: None,
                    want: natural,
                    min: natural,
                    kept_w: None,
                    row: None,
                }
            }
        }
    }

    /// Children in their earlier rows (a new one at the end of the last row); a row that
    /// overflows `inner` sends its last box to the start of the next row.
    fn plan_rows(
        &mut self,
        children: &[usize],
        inner: f32,
        band: bool,
        pad_x: f32,
    ) -> Vec<PackedRow> {
        let mut rows: VecDeque<Vec<Entry>> = VecDeque::new();
        let mut current_row = None;
        for &c in children {
            let entry = self.entry(c, inner, band, pad_x);
            let starts_row = match (entry.row, current_row) {
                (Some(r), Some(current)) => r > current,
                _ => rows.is_empty(),
            };
            if starts_row {
                rows.push_back(Vec::new());
            }
            if entry.row.is_some() {
                current_row = entry.row;
            }
            if let Some(row) = rows.back_mut() {
                row.push(entry);
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        while let Some(mut row) = rows.pop_front() {
            let fitted = loop {
                if let Some(fitted) = self.fit_row(&row, inner, false) {
                    break fitted;
                }
                if row.len() <= 1 {
                    break self.fit_row(&row, inner, true).unwrap_or_default();
                }
                let Some(mut last) = row.pop() else {
                    break Vec::new();
                };
                last.x = None;
                match rows.front_mut() {
                    Some(next) => next.insert(0, last),
                    None => rows.push_back(vec![last]),
                }
            };
            out.push(self.finish_row(&row, &fitted));
        }
        out
    }

    /// Widths and places for a row `inner` wide, or `None` when it overflows (unless
    /// `force`d): slack taken first, then grown grids back to their width, growing down.
    fn fit_row(&self, row: &[Entry], inner: f32, force: bool) -> Option<Fitted> {
        let gap = self.spacing.block_gap;
        let mut w: Vec<f32> = row.iter().map(|e| e.want).collect();
        let mut cols: Vec<Option<usize>> = vec![None; row.len()];
        let used = |w: &[f32]| w.iter().sum::<f32>() + gap * row.len().saturating_sub(1) as f32;
        let mut excess = used(&w) - inner;
        if excess > EPS {
            let slack: Vec<f32> = row
                .iter()
                .zip(&w)
                .map(|(e, w)| (w - e.min).max(0.0))
                .collect();
            let total: f32 = slack.iter().sum();
            if total > 0.0 {
                let take = excess.min(total);
                for (w, s) in w.iter_mut().zip(&slack) {
                    *w -= s * take / total;
                }
                excess -= take;
            }
        }
        for (i, e) in row.iter().enumerate() {
            if excess <= EPS {
                break;
            }
            let Some(kept_w) = e.kept_w.filter(|&k| w[i] > k + EPS) else {
                continue;
            };
            if let Some((narrower, c)) = self.grid_within(e.child, kept_w)
                && narrower < w[i]
            {
                excess -= w[i] - narrower;
                w[i] = narrower;
                cols[i] = Some(c);
            }
        }
        if excess > EPS && !force {
            return None;
        }
        // Each box at its earlier offset where there is room, else right after the one
        // before; then pulled back from the right edge where needed.
        let mut x = vec![0.0f32; row.len()];
        let mut end = 0.0f32;
        for (i, e) in row.iter().enumerate() {
            x[i] = e.x.map_or(end, |earlier| earlier.max(end));
            end = x[i] + w[i] + gap;
        }
        let mut limit = inner;
        for i in (0..row.len()).rev() {
            x[i] = x[i].min(limit - w[i]);
            limit = x[i] - gap;
        }
        let mut end = 0.0f32;
        for i in 0..row.len() {
            x[i] = x[i].max(end);
            end = x[i] + w[i] + gap;
        }
        Some(
            x.into_iter()
                .zip(w)
                .zip(cols)
                .map(|((x, w), c)| (x, w, c))
                .collect(),
        )
    }

    /// A grid's width and columns when it fits within `width` (one column at least), with
    /// loose cards' room kept.
    fn grid_within(&self, g: usize, width: f32) -> Option<(f32, usize)> {
        let group = &self.groups[g];
        let Content::Grid { cards, cell } = &group.content else {
            return None;
        };
        let room = self.room(g);
        let (n, cell) = Self::grid_dims(cards.len(), *cell);
        let cols = self.grid_cols_for_width(group, n, cell, width - room);
        Some((self.grid_width(group, n, cell, cols) + room, cols))
    }

    /// The room at both sides of loose cards' grid that the earlier layout had (routes
    /// pass through it); 0 for other groups.
    fn room(&self, g: usize) -> f32 {
        match self.groups[g].kept {
            Some(k) if self.loose(g) => 2.0 * k.room.clamp(0.0, LOOSE_PAD),
            _ => 0.0,
        }
    }

    /// Settles each child of a fitted row (its width, a grid's columns and height) and
    /// returns the row, as tall as its tallest.
    fn finish_row(&mut self, row: &[Entry], fitted: &[(f32, f32, Option<usize>)]) -> PackedRow {
        let mut items = Vec::with_capacity(row.len());
        let mut height = 0.0f32;
        for (e, &(x, w, new_cols)) in row.iter().zip(fitted) {
            let c = e.child;
            let grid = match &self.groups[c].content {
                Content::Grid { cards, cell } => Some(Self::grid_dims(cards.len(), *cell)),
                Content::Boxes(_) => None,
            };
            let h = match (self.planned(c).map(|p| p.cols), grid) {
                (Some(old_cols), Some((n, cell))) => {
                    let cols = new_cols.unwrap_or(old_cols);
                    let h = self.grid_height(&self.groups[c], n, cell, cols);
                    if let Some(Some(plan)) = self.plan.get_mut(c) {
                        plan.cols = cols;
                        plan.w = w;
                        plan.h = h;
                    }
                    h
                }
                (Some(_), None) => {
                    if let Some(Some(plan)) = self.plan.get_mut(c) {
                        plan.w = w;
                    }
                    self.planned(c).map_or(0.0, |p| p.h)
                }
                (None, _) => self.height_at(c, w),
            };
            height = height.max(h);
            items.push((c, x, w));
        }
        PackedRow { items, height }
    }
}
