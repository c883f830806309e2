//! An earlier layout as the next one keeps it: where each card and box was, read from a
//! drawing (a [`super::Layout`], or an earlier `export --format json` of it), and what of
//! it still applies to the map being laid out.
//!
//! Everything is told by id and in *reading order* (rows top to bottom, left to right), so
//! that the same function reads the window's previous layout and a file written a quarter
//! ago, and an id the map no longer has is simply not asked for. What is kept: each box's
//! band, parent, row, place among its siblings, offset and width, and its grid's columns;
//! each card's box and place in that box's reading order; the bands' width and the shape
//! the layout was made for. Nothing here orders or packs: `order` and `pack` do, from the
//! keys [`Kept`] resolves.

use super::pack::KeptBox;
use super::{LOOSE_PAD, Rect, Spacing};
use crate::model::Map;
use std::collections::{BTreeMap, HashMap};

/// Where things were in an earlier layout, by id: what [`super::LayoutOptions::prior`]
/// keeps. Made by [`super::Layout::prior`] or [`PriorPositions::from_drawing`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriorPositions {
    /// Each node's card, by node id.
    pub cards: HashMap<String, PriorCard>,
    /// Each segment's box, by segment id.
    pub boxes: HashMap<String, PriorBox>,
    /// The cards that sat in a band or a box beside boxes (not in a segment's own grid),
    /// as one group, by the id of the tier or segment that held them.
    pub loose: HashMap<String, PriorBox>,
    /// The bands' width.
    pub width: Option<f32>,
    /// The shape (width over height) the layout was made for; `None` when unknown, which
    /// counts as the shape asked for now.
    pub aspect: Option<f32>,
}

/// Where a card was: the box that held it and its place in that box's reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorCard {
    pub tier: String,
    /// The segment whose box held it; `None` when it sat in its band outside any box.
    pub segment: Option<String>,
    pub place: u32,
}

/// Where a box (or a group of loose cards) was within its parent (a band or a box).
#[derive(Clone, Debug, PartialEq)]
pub struct PriorBox {
    pub tier: String,
    /// The segment whose box held it; `None` for a band.
    pub parent: Option<String>,
    /// Its row within the parent, top first.
    pub row: u32,
    /// Its place in the parent's reading order (row by row, left to right).
    pub place: u32,
    /// Its left edge from the parent's left edge, and its width.
    pub x: f32,
    pub w: f32,
    /// The columns of its grid of cards; 0 when it held boxes or nothing.
    pub cols: u32,
    /// Loose cards only: the room left and right of their grid, which routes pass through.
    pub room: f32,
}

/// A drawn band, as a drawing (a layout, a JSON export) tells it.
#[derive(Clone, Copy, Debug)]
pub struct DrawnBand<'a> {
    pub id: &'a str,
    pub rect: Rect,
}

/// A drawn box or card, as a drawing tells it: both stand in a tier, maybe in a segment.
#[derive(Clone, Copy, Debug)]
pub struct Drawn<'a> {
    pub id: &'a str,
    pub tier: &'a str,
    /// The segment that holds it, as the map gives it: a box's parent, a card's first
    /// segment. A segment without a box in the drawing counts as none.
    pub within: Option<&'a str>,
    pub rect: Rect,
}

/// Everything [`PriorPositions::from_drawing`] reads.
#[derive(Clone, Debug, Default)]
pub struct Drawing<'a> {
    pub bands: Vec<DrawnBand<'a>>,
    pub boxes: Vec<Drawn<'a>>,
    pub cards: Vec<Drawn<'a>>,
    pub width: f32,
    pub aspect: Option<f32>,
    /// The spacing it was drawn with (for the room around loose cards).
    pub spacing: Spacing,
}

/// Positions closer than this (map units) are one row or one column.
const SAME_LINE: f32 = 0.5;

/// What holds a card or a box: a tier's band or a segment's box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Holder<'a> {
    Tier(&'a str),
    Segment(&'a str),
}

impl<'a> Holder<'a> {
    fn id(self) -> &'a str {
        match self {
            Holder::Tier(id) | Holder::Segment(id) => id,
        }
    }
}

/// Something placed among its siblings: a box, or the loose cards of its holder.
struct Sibling<'a> {
    /// The segment id of a box; `None` for the loose cards.
    segment: Option<&'a str>,
    rect: Rect,
    cols: u32,
    room: f32,
}

impl PriorPositions {
    /// Reads where everything is from a drawing: cards and boxes in reading order within
    /// what holds them, rows told apart by their top edges.
    pub fn from_drawing<'a>(drawing: &Drawing<'a>) -> PriorPositions {
        let boxes: HashMap<&str, &Drawn<'_>> = drawing.boxes.iter().map(|b| (b.id, b)).collect();
        let bands: HashMap<&str, Rect> = drawing.bands.iter().map(|b| (b.id, b.rect)).collect();
        // A box or a card is held by its segment's box, or by its tier when that is not drawn.
        let holder_of = |d: &Drawn<'a>| match d.within.filter(|s| boxes.contains_key(s)) {
            Some(s) => Holder::Segment(s),
            None => Holder::Tier(d.tier),
        };
        let holds_boxes: std::collections::HashSet<&str> = drawing
            .boxes
            .iter()
            .filter_map(|b| match holder_of(b) {
                Holder::Segment(p) => Some(p),
                Holder::Tier(_) => None,
            })
            .collect();

        // Cards by what holds them, in reading order.
        let mut held: BTreeMap<Holder<'_>, Vec<&Drawn<'_>>> = BTreeMap::new();
        for card in &drawing.cards {
            held.entry(holder_of(card)).or_default().push(card);
        }
        let mut prior = PriorPositions {
            width: Some(drawing.width).filter(|w| w.is_finite() && *w > 0.0),
            aspect: drawing.aspect,
            ..PriorPositions::default()
        };
        // The siblings within each holder: its boxes, and its loose cards as one group.
        let mut siblings: BTreeMap<Holder<'_>, Vec<Sibling<'_>>> = BTreeMap::new();
        let mut grid_cols: HashMap<&str, u32> = HashMap::new();
        for (&holder, cards) in &mut held {
            sort_reading(cards, |c| c.rect);
            let segment = match holder {
                Holder::Segment(s) => Some(s),
                Holder::Tier(_) => None,
            };
            for (place, card) in cards.iter().enumerate() {
                prior.cards.insert(
                    card.id.to_owned(),
                    PriorCard {
                        tier: card.tier.to_owned(),
                        segment: segment.map(str::to_owned),
                        place: place as u32,
                    },
                );
            }
            let cols = distinct(cards.iter().map(|c| c.rect.x));
            let loose = match holder {
                Holder::Tier(_) => true,
                Holder::Segment(s) => holds_boxes.contains(s),
            };
            if loose {
                // Their grid; the room at its sides is found with its neighbours.
                siblings.entry(holder).or_default().push(Sibling {
                    segment: None,
                    rect: extent(cards.iter().map(|c| c.rect)),
                    cols,
                    room: 0.0,
                });
            } else if let Holder::Segment(s) = holder {
                grid_cols.insert(s, cols);
            }
        }
        for b in &drawing.boxes {
            siblings.entry(holder_of(b)).or_default().push(Sibling {
                segment: Some(b.id),
                rect: b.rect,
                cols: grid_cols.get(b.id).copied().unwrap_or(0),
                room: 0.0,
            });
        }
        let spacing = &drawing.spacing;
        for (holder, mut group) in siblings {
            let (parent, tier, outer, pad) = match holder {
                Holder::Tier(t) => (None, t, bands.get(t).copied(), spacing.margin),
                Holder::Segment(s) => match boxes.get(s) {
                    Some(b) => (Some(s), b.tier, Some(b.rect), spacing.segment_pad),
                    None => continue,
                },
            };
            let outer = outer.unwrap_or_default();
            let left = outer.x;
            let rows = sort_reading(&mut group, |s| s.rect);
            give_loose_room(&mut group, &rows, (outer, pad), spacing.block_gap);
            for (place, (sibling, row)) in group.iter().zip(rows).enumerate() {
                let kept = PriorBox {
                    tier: tier.to_owned(),
                    parent: parent.map(str::to_owned),
                    row,
                    place: place as u32,
                    x: sibling.rect.x - left,
                    w: sibling.rect.w,
                    cols: sibling.cols,
                    room: sibling.room,
                };
                match sibling.segment {
                    Some(id) => prior.boxes.insert(id.to_owned(), kept),
                    None => prior.loose.insert(holder.id().to_owned(), kept),
                };
            }
        }
        prior
    }
}

/// The loose cards' group as packing made it: their grid, centred, with as much room at
/// both sides (at most [`LOOSE_PAD`]) as it had before its neighbour in its row (or the
/// parent's padding) and after the parent's padding on its left.
fn give_loose_room(
    siblings: &mut [Sibling<'_>],
    rows: &[u32],
    (outer, pad): (Rect, f32),
    gap: f32,
) {
    let Some(i) = siblings.iter().position(|s| s.segment.is_none()) else {
        return;
    };
    let grid = siblings[i].rect;
    let next_left = siblings
        .get(i + 1)
        .filter(|_| rows.get(i + 1) == rows.get(i))
        .map_or(outer.right() - pad, |next| next.rect.x - gap);
    let room = (grid.x - (outer.x + pad))
        .min(next_left - grid.right())
        .clamp(0.0, LOOSE_PAD);
    siblings[i].rect = Rect {
        x: grid.x - room,
        w: grid.w + 2.0 * room,
        ..grid
    };
    siblings[i].room = room;
}

/// Sorts items into reading order (rows by top edge, then left to right); returns each
/// item's row.
pub(super) fn sort_reading<T>(items: &mut [T], rect: impl Fn(&T) -> Rect) -> Vec<u32> {
    items.sort_by(|a, b| rect(a).y.total_cmp(&rect(b).y));
    let mut rows = Vec::with_capacity(items.len());
    let (mut row, mut row_top) = (0u32, f32::NEG_INFINITY);
    for item in items.iter() {
        let y = rect(item).y;
        if y - row_top > SAME_LINE {
            if row_top.is_finite() {
                row += 1;
            }
            row_top = y;
        }
        rows.push(row);
    }
    let mut keyed: Vec<(u32, usize)> = rows.iter().copied().zip(0..).collect();
    keyed.sort_by(|&(ra, a), &(rb, b)| {
        ra.cmp(&rb)
            .then(rect(&items[a]).x.total_cmp(&rect(&items[b]).x))
            .then(a.cmp(&b))
    });
    // Apply the permutation.
    let order: Vec<usize> = keyed.iter().map(|&(_, i)| i).collect();
    apply_permutation(items, &order);
    keyed.into_iter().map(|(r, _)| r).collect()
}

/// Reorders `items` so that item `k` becomes the one at `order[k]`.
fn apply_permutation<T>(items: &mut [T], order: &[usize]) {
    // `position[i]`: where the item now at `i` goes.
    let mut position = vec![0usize; order.len()];
    for (k, &i) in order.iter().enumerate() {
        position[i] = k;
    }
    for i in 0..items.len() {
        while position[i] != i {
            let j = position[i];
            items.swap(i, j);
            position.swap(i, j);
        }
    }
}

/// How many distinct values (columns) there are, told apart by [`SAME_LINE`].
fn distinct(values: impl Iterator<Item = f32>) -> u32 {
    let mut values: Vec<f32> = values.collect();
    values.sort_by(f32::total_cmp);
    let mut count = 0;
    let mut last = f32::NEG_INFINITY;
    for v in values {
        if v - last > SAME_LINE {
            count += 1;
            last = v;
        }
    }
    count
}

/// The smallest rectangle around every rectangle.
fn extent(rects: impl Iterator<Item = Rect>) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for r in rects {
        x0 = x0.min(r.x);
        y0 = y0.min(r.y);
        x1 = x1.max(r.right());
        y1 = y1.max(r.bottom());
    }
    if x0 > x1 {
        return Rect::default();
    }
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

/// What of a prior applies to a map: each segment's and node's place (for ordering), and
/// each box's kept row, offset, width and columns (for packing), by index.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    /// Each segment's place among its siblings, if its box is kept (same tier and parent).
    pub segment_place: Vec<Option<u32>>,
    /// Each node's place in its box, if it is still in the same box.
    pub node_place: Vec<Option<u32>>,
    pub boxes: Vec<Option<KeptBox>>,
    /// The loose cards beside the boxes of each segment and of each tier.
    pub loose_in_segment: Vec<Option<KeptBox>>,
    pub loose_in_tier: Vec<Option<KeptBox>>,
    /// Whether any node of the map was in the prior.
    pub any: bool,
}

impl Kept {
    /// What of `prior` applies to `map`: a box is kept when its segment is in the same
    /// tier under the same parent, a card when its node is in the same box.
    pub fn resolve(map: &Map, prior: &PriorPositions) -> Kept {
        let segment_ids: std::collections::HashSet<&str> =
            map.segments.iter().map(|s| s.id.as_str()).collect();
        let tier_ids: std::collections::HashSet<&str> =
            map.tiers.iter().map(|t| t.id.as_str()).collect();
        let has_box = |id: &str| segment_ids.contains(id);
        let kept_box = |b: &PriorBox| KeptBox {
            row: b.row,
            x: b.x,
            w: b.w,
            cols: b.cols,
            room: b.room,
        };
        let boxes: Vec<Option<&PriorBox>> = map
            .segments
            .iter()
            .map(|s| {
                let parent = s.parent.as_deref().filter(|p| has_box(p));
                prior
                    .boxes
                    .get(&s.id)
                    .filter(|b| b.tier == s.tier && b.parent.as_deref() == parent)
            })
            .collect();
        let node_place: Vec<Option<u32>> = map
            .nodes
            .iter()
            .map(|n| {
                let segment = n
                    .segments
                    .first()
                    .map(String::as_str)
                    .filter(|s| has_box(s));
                prior
                    .cards
                    .get(&n.id)
                    .filter(|c| {
                        c.tier == n.tier
                            && c.segment.as_deref() == segment
                            && tier_ids.contains(n.tier.as_str())
                    })
                    .map(|c| c.place)
            })
            .collect();
        let loose_of =
            |id: &str, tier: &str| prior.loose.get(id).filter(|b| b.tier == tier).map(kept_box);
        Kept {
            segment_place: boxes.iter().map(|b| b.map(|b| b.place)).collect(),
            any: node_place.iter().any(Option::is_some),
            node_place,
            boxes: boxes.iter().map(|b| b.map(kept_box)).collect(),
            loose_in_segment: map
                .segments
                .iter()
                .map(|s| loose_of(&s.id, &s.tier))
                .collect(),
            loose_in_tier: map.tiers.iter().map(|t| loose_of(&t.id, &t.id)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }

    #[test]
    fn reading_order_is_rows_then_left_to_right() {
        let mut items = vec![
            rect(50.0, 10.0, 1.0, 1.0),
            rect(0.0, 40.0, 1.0, 1.0),
            rect(0.0, 10.2, 1.0, 1.0),
            rect(90.0, 40.0, 1.0, 1.0),
        ];
        let rows = sort_reading(&mut items, |r| *r);
        assert_eq!(rows, vec![0, 0, 1, 1]);
        let xs: Vec<f32> = items.iter().map(|r| r.x).collect();
        assert_eq!(xs, vec![0.0, 50.0, 0.0, 90.0]);
    }

    #[test]
    fn a_drawing_gives_rows_places_offsets_and_columns() {
        let drawing = Drawing {
            bands: vec![DrawnBand {
                id: "t",
                rect: rect(0.0, 100.0, 500.0, 200.0),
            }],
            boxes: vec![
                Drawn {
                    id: "b",
                    tier: "t",
                    within: None,
                    rect: rect(200.0, 120.0, 100.0, 60.0),
                },
                Drawn {
                    id: "a",
                    tier: "t",
                    within: None,
                    rect: rect(8.0, 120.0, 180.0, 60.0),
                },
                Drawn {
                    id: "c",
                    tier: "t",
                    within: None,
                    rect: rect(8.0, 190.0, 100.0, 60.0),
                },
            ],
            cards: vec![
                Drawn {
                    id: "n2",
                    tier: "t",
                    within: Some("a"),
                    rect: rect(100.0, 140.0, 80.0, 20.0),
                },
                Drawn {
                    id: "n1",
                    tier: "t",
                    within: Some("a"),
                    rect: rect(10.0, 140.0, 80.0, 20.0),
                },
                Drawn {
                    id: "n3",
                    tier: "t",
                    within: Some("a"),
                    rect: rect(10.0, 162.0, 80.0, 20.0),
                },
                Drawn {
                    id: "free",
                    tier: "t",
                    within: Some("gone"),
                    rect: rect(300.0, 300.0, 80.0, 20.0),
                },
            ],
            width: 500.0,
            aspect: Some(1.5),
            spacing: Spacing::default(),
        };
        let prior = PriorPositions::from_drawing(&drawing);
        let places: Vec<u32> = ["n1", "n2", "n3"]
            .iter()
            .map(|id| prior.cards[*id].place)
            .collect();
        assert_eq!(places, vec![0, 1, 2]);
        assert_eq!(prior.boxes["a"].cols, 2);
        assert_eq!((prior.boxes["a"].row, prior.boxes["a"].place), (0, 0));
        assert_eq!((prior.boxes["b"].row, prior.boxes["b"].place), (0, 1));
        assert_eq!((prior.boxes["c"].row, prior.boxes["c"].place), (1, 2));
        assert_eq!(prior.boxes["b"].x, 200.0);
        // A card whose segment has no box sits loose in its band, after the boxes' rows.
        assert_eq!(prior.cards["free"].segment, None);
        assert_eq!(prior.loose["t"].row, 2);
        assert_eq!(prior.width, Some(500.0));
    }
}
