//! The reading order of a laid-out map: what a screen reader reads and Tab walks. Bands
//! from the top of the picture; in each, its boxes and loose cards row by row, left to
//! right, each box followed by what it holds in the same order. Computed once per layout
//! (the window keeps it with the layout it drew), never per frame.

use super::{Layout, Rect, prior::sort_reading};
use std::collections::HashMap;

/// One thing on the map, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadingItem {
    /// A tier's band, by tier index.
    Tier(usize),
    /// A segment's box, by segment index.
    Segment(usize),
    /// A node's card, by node index.
    Node(usize),
}

/// One thing on the map in reading order, with what holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    pub item: ReadingItem,
    /// Where its band or box is in the same order (`None` for a band, and for what the
    /// layout draws no holder for).
    pub holder: Option<u32>,
}

/// What holds a card or a box in the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Holder {
    Band(usize),
    Box(usize),
}

/// Every band, box and card of `layout` in reading order; each appears once. Cards and
/// boxes whose holder the layout does not draw come last, by index, so that none is lost.
pub fn reading_order(layout: &Layout) -> Vec<Reading> {
    let ids = &layout.ids;
    let tier_of: HashMap<&str, usize> = ids
        .tiers
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let segment_of: HashMap<&str, usize> = ids
        .segments
        .iter()
        .enumerate()
        .map(|(i, (id, ..))| (id.as_str(), i))
        .collect();
    let boxed: HashMap<usize, Rect> = layout
        .segments
        .iter()
        .map(|b| (b.segment, b.rect))
        .collect();
    // What holds a thing of this tier and (innermost) segment: the segment's box if it is
    // drawn, else its band.
    let holder = |tier: &str, segment: Option<&str>| {
        segment
            .and_then(|s| segment_of.get(s))
            .filter(|s| boxed.contains_key(s))
            .map(|&s| Holder::Box(s))
            .or_else(|| tier_of.get(tier).map(|&t| Holder::Band(t)))
    };
    let mut held: HashMap<Holder, Vec<(ReadingItem, Rect)>> = HashMap::new();
    for segment_box in &layout.segments {
        let Some((_, tier, parent)) = ids.segments.get(segment_box.segment) else {
            continue;
        };
        if let Some(h) = holder(tier, parent.as_deref()) {
            let item = ReadingItem::Segment(segment_box.segment);
            held.entry(h).or_default().push((item, segment_box.rect));
        }
    }
    for (i, rect) in layout.nodes.iter().enumerate() {
        let Some((_, tier, segment)) = ids.nodes.get(i) else {
            continue;
        };
        if let Some(h) = holder(tier, segment.as_deref()) {
            held.entry(h)
                .or_default()
                .push((ReadingItem::Node(i), *rect));
        }
    }
    for things in held.values_mut() {
        sort_reading(things, |t| t.1);
    }
    let mut bands: Vec<_> = layout.tiers.iter().collect();
    bands.sort_by(|a, b| a.rect.y.total_cmp(&b.rect.y).then(a.tier.cmp(&b.tier)));
    let mut order = Vec::with_capacity(layout.nodes.len() + layout.segments.len() + bands.len());
    for band in bands {
        let at = order.len() as u32;
        order.push(Reading {
            item: ReadingItem::Tier(band.tier),
            holder: None,
        });
        read((Holder::Band(band.tier), at), &held, &mut order);
    }
    append_missed(layout, &mut order);
    order
}

/// Appends what `holder` holds, each box followed by its contents. Boxes nest one level
/// deep, so the recursion is shallow.
fn read(
    (holder, at): (Holder, u32),
    held: &HashMap<Holder, Vec<(ReadingItem, Rect)>>,
    order: &mut Vec<Reading>,
) {
    let Some(things) = held.get(&holder) else {
        return;
    };
    for &(item, _) in things {
        let here = order.len() as u32;
        order.push(Reading {
            item,
            holder: Some(at),
        });
        if let ReadingItem::Segment(s) = item
            && holder != Holder::Box(s)
        {
            read((Holder::Box(s), here), held, order);
        }
    }
}

/// Appends the boxes and cards not read yet (a holder the layout left out), by index.
fn append_missed(layout: &Layout, order: &mut Vec<Reading>) {
    let mut seen_boxes = vec![
        false;
        layout
            .segments
            .iter()
            .map(|b| b.segment + 1)
            .max()
            .unwrap_or(0)
    ];
    let mut seen_nodes = vec![false; layout.nodes.len()];
    for reading in order.iter() {
        match reading.item {
            ReadingItem::Segment(s) => {
                if let Some(seen) = seen_boxes.get_mut(s) {
                    *seen = true;
                }
            }
            ReadingItem::Node(i) => {
                if let Some(seen) = seen_nodes.get_mut(i) {
                    *seen = true;
                }
            }
            ReadingItem::Tier(_) => {}
        }
    }
    for segment_box in &layout.segments {
        if seen_boxes.get(segment_box.segment) == Some(&false) {
            order.push(Reading {
                item: ReadingItem::Segment(segment_box.segment),
                holder: None,
            });
        }
    }
    for (i, seen) in seen_nodes.into_iter().enumerate() {
        if !seen {
            order.push(Reading {
                item: ReadingItem::Node(i),
                holder: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutOptions, default_node_size, layout};
    use crate::model::generate::generate_landscape;

    #[test]
    fn reading_order_names_everything_once_bands_first_then_rows() {
        // A landscape has segments inside segments, and cards in both.
        let map = generate_landscape(300, 7);
        let sizes: Vec<_> = map
            .nodes
            .iter()
            .map(|n| default_node_size(&n.name))
            .collect();
        let laid = layout(&map, &sizes, &LayoutOptions::default());
        let readings = reading_order(&laid);
        let order: Vec<ReadingItem> = readings.iter().map(|r| r.item).collect();
        // Each thing's holder comes before it, and holds it.
        for reading in &readings {
            if let Some(h) = reading.holder {
                let holder = readings[h as usize].item;
                assert!(!matches!(holder, ReadingItem::Node(_)), "{reading:?}");
                if let ReadingItem::Node(i) = reading.item {
                    let tier = map.tiers.iter().position(|t| t.id == map.nodes[i].tier);
                    match holder {
                        ReadingItem::Tier(t) => assert_eq!(Some(t), tier),
                        ReadingItem::Segment(s) => {
                            assert_eq!(map.nodes[i].segments.first(), Some(&map.segments[s].id));
                        }
                        ReadingItem::Node(_) => {}
                    }
                }
            }
        }
        let nodes: Vec<usize> = order
            .iter()
            .filter_map(|item| match item {
                ReadingItem::Node(i) => Some(*i),
                _ => None,
            })
            .collect();
        let mut sorted = nodes.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..map.nodes.len()).collect::<Vec<_>>());
        assert_eq!(
            order.len(),
            map.nodes.len() + laid.segments.len() + laid.tiers.len()
        );
        // Every card comes after its band's item, and cards of one band read top to
        // bottom by band.
        assert!(matches!(order.first(), Some(ReadingItem::Tier(_))));
        let band_top = |i: usize| {
            let tier = map.tiers.iter().position(|t| t.id == map.nodes[i].tier);
            laid.tiers
                .iter()
                .find(|b| Some(b.tier) == tier)
                .map(|b| b.rect.y)
        };
        for pair in nodes.windows(2) {
            assert!(band_top(pair[0]) <= band_top(pair[1]), "{pair:?}");
        }
        // Cards of one box read row by row, left to right.
        for pair in order.windows(2) {
            if let [ReadingItem::Node(a), ReadingItem::Node(b)] = *pair
                && map.nodes[a].segments.first() == map.nodes[b].segments.first()
            {
                let (a, b) = (laid.nodes[a], laid.nodes[b]);
                let next_row = b.y > a.y + 0.5;
                let same_row_right = (b.y - a.y).abs() <= 0.5 && b.x > a.x;
                assert!(next_row || same_row_right, "{a:?} before {b:?}");
            }
        }
    }
}
