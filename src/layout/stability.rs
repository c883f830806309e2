//! How much a layout moved from an earlier one of the same map (or of an earlier version of
//! it), told by id: the measures of the README's stability table and of the tests.
//!
//! A node counts as *moved* when its centre, from its band's top-left corner, shifts by more
//! than its own width (a band sliding down as a whole to make room is no move); *box
//! inversions* are pairs of top-level boxes whose reading order (band, row, left to right)
//! changed; *card inversions* are pairs of cards of one box whose reading order in that box
//! changed.

use super::{Layout, Rect};
use std::collections::HashMap;

/// What changed between two layouts, counted over what both have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stability {
    /// Nodes in both layouts, and how many of them moved.
    pub nodes: usize,
    pub moved: usize,
    /// Top-level boxes in both layouts, and the pairs of them whose reading order changed.
    pub boxes: usize,
    pub box_inversions: u64,
    /// Pairs of cards in one box (in both layouts) whose order in it changed.
    pub card_inversions: u64,
}

impl Stability {
    /// The share of the nodes that moved, 0 to 1.
    pub fn moved_share(&self) -> f64 {
        self.moved as f64 / self.nodes.max(1) as f64
    }
}

impl Layout {
    /// What moved from `earlier` to this layout.
    pub fn stability_since(&self, earlier: &Layout) -> Stability {
        let (old, new) = (Drawn::of(earlier), Drawn::of(self));
        let mut stability = Stability::default();
        for (id, (rect, band, _)) in &old.cards {
            let Some((now, now_band, _)) = new.cards.get(id) else {
                continue;
            };
            stability.nodes += 1;
            let (dx, dy) = (
                (now.center_x() - now_band.x) - (rect.center_x() - band.x),
                (now.center_y() - now_band.y) - (rect.center_y() - band.y),
            );
            if dx.hypot(dy) > rect.w {
                stability.moved += 1;
            }
        }
        let old_boxes = old.box_order();
        let new_boxes: HashMap<&str, usize> = new
            .box_order()
            .into_iter()
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        let ranks: Vec<usize> = old_boxes
            .iter()
            .filter_map(|id| new_boxes.get(id).copied())
            .collect();
        stability.boxes = ranks.len();
        stability.box_inversions = inversions(&ranks);
        for (holder, cards) in old.cards_by_box() {
            let now: HashMap<&str, usize> = new
                .cards_by_box()
                .remove(holder)
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, id)| (id, i))
                .collect();
            let ranks: Vec<usize> = cards.iter().filter_map(|id| now.get(id).copied()).collect();
            stability.card_inversions += inversions(&ranks);
        }
        stability
    }
}

/// A layout told by id.
struct Drawn<'a> {
    /// Each node's card, its band's rectangle and the box that holds it (segment id, or
    /// the tier's id for a card outside any box).
    cards: HashMap<&'a str, (Rect, Rect, &'a str)>,
    /// Each top-level box: its band's top and its rectangle.
    boxes: Vec<(&'a str, f32, Rect)>,
}

impl<'a> Drawn<'a> {
    fn of(layout: &'a Layout) -> Drawn<'a> {
        let ids = &layout.ids;
        let band = |tier: &str| {
            ids.tiers
                .iter()
                .position(|t| t == tier)
                .and_then(|t| layout.tiers.get(t))
                .map_or(Rect::default(), |b| b.rect)
        };
        let boxed: std::collections::HashSet<&str> = layout
            .segments
            .iter()
            .filter_map(|b| ids.segments.get(b.segment).map(|s| s.0.as_str()))
            .collect();
        let cards = ids
            .nodes
            .iter()
            .zip(&layout.nodes)
            .map(|((id, tier, segment), &rect)| {
                let holder = segment
                    .as_deref()
                    .filter(|s| boxed.contains(s))
                    .unwrap_or(tier);
                (id.as_str(), (rect, band(tier), holder))
            })
            .collect();
        let boxes = layout
            .segments
            .iter()
            .filter(|b| b.depth == 1)
            .filter_map(|b| {
                let (id, tier, _) = ids.segments.get(b.segment)?;
                Some((id.as_str(), band(tier).y, b.rect))
            })
            .collect();
        Drawn { cards, boxes }
    }

    /// The top-level boxes' ids in reading order: bands from the top, rows, left to right.
    fn box_order(&self) -> Vec<&'a str> {
        let mut boxes = self.boxes.clone();
        boxes.sort_by(|a, b| reading(a.1, a.2, b.1, b.2));
        boxes.into_iter().map(|(id, ..)| id).collect()
    }

    /// Each box's cards in reading order.
    fn cards_by_box(&self) -> HashMap<&'a str, Vec<&'a str>> {
        let mut by_box: HashMap<&str, Vec<(&str, Rect)>> = HashMap::new();
        for (&id, &(rect, _, holder)) in &self.cards {
            by_box.entry(holder).or_default().push((id, rect));
        }
        by_box
            .into_iter()
            .map(|(holder, mut cards)| {
                cards.sort_by(|a, b| reading(0.0, a.1, 0.0, b.1).then(a.0.cmp(b.0)));
                (holder, cards.into_iter().map(|(id, _)| id).collect())
            })
            .collect()
    }
}

/// Reading order of two rectangles in bands whose tops are given: the things of one row
/// share their top edge exactly (packing places them so).
fn reading(band_a: f32, a: Rect, band_b: f32, b: Rect) -> std::cmp::Ordering {
    band_a
        .total_cmp(&band_b)
        .then(a.y.total_cmp(&b.y))
        .then(a.x.total_cmp(&b.x))
}

/// Pairs `i < j` with `values[i] > values[j]` (merge sort, O(n log n)).
fn inversions(values: &[usize]) -> u64 {
    fn sort(v: &mut [usize], scratch: &mut Vec<usize>) -> u64 {
        if v.len() < 2 {
            return 0;
        }
        let mid = v.len() / 2;
        let mut count = {
            let (left, right) = v.split_at_mut(mid);
            sort(left, scratch) + sort(right, scratch)
        };
        scratch.clear();
        let (mut i, mut j) = (0, mid);
        while i < mid && j < v.len() {
            if v[i] <= v[j] {
                scratch.push(v[i]);
                i += 1;
            } else {
                scratch.push(v[j]);
                count += (mid - i) as u64;
                j += 1;
            }
        }
        scratch.extend_from_slice(&v[i..mid]);
        scratch.extend_from_slice(&v[j..]);
        v.copy_from_slice(scratch);
        count
    }
    let mut scratch = Vec::with_capacity(values.len());
    sort(&mut values.to_vec(), &mut scratch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_count_pairs_out_of_order() {
        assert_eq!(inversions(&[0, 1, 2, 3]), 0);
        assert_eq!(inversions(&[3, 2, 1, 0]), 6);
        assert_eq!(inversions(&[1, 0, 3, 2]), 2);
    }
}
