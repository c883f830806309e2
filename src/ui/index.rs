//! What the window reads of a map again and again, worked out once per map revision: each
//! edit, reload or newly opened map is a new revision, and the panels that keep work of
//! their own from frame to frame (the markets list) key it by the revision.

use crate::layout::layered::link_graph;
use crate::model::{LinkKind, Map, index_by_id};
use petgraph::graph::DiGraph;

#[derive(Debug, Default)]
pub struct MapIndex {
    /// Which version of the map this is, counting from the window's first: never the same
    /// for two different maps, or for a map before and after an edit.
    pub revision: u64,
    /// The ids of the nodes and theses that the view's indices point at, to keep the
    /// selection and the lens on the same entities across an edit.
    pub node_ids: Vec<String>,
    pub thesis_ids: Vec<String>,
    /// For each link, its `from` and `to` node indices (`None` for a link to a segment).
    pub link_ends: Vec<Option<(usize, usize)>>,
    /// The link kinds the map uses, for the legend.
    pub kinds_present: Vec<LinkKind>,
    /// The links as a graph of node indices.
    pub graph: DiGraph<usize, usize>,
    /// How many nodes each segment holds, its nested segments' included.
    pub segment_counts: Vec<usize>,
    /// What the outline lists in each tier and in each segment, by index.
    pub tier_rows: Vec<Rows>,
    pub segment_rows: Vec<Rows>,
}

/// What a tier or a segment holds as rows of the outline: the segments right in it (not
/// in a box within it), then the nodes it holds itself (a tier those of no segment, a
/// segment those it comes first in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    pub segments: Vec<usize>,
    pub nodes: Vec<usize>,
}

impl MapIndex {
    /// The index of `map`, the revision after `previous`'s.
    pub fn next(map: &Map, previous: &MapIndex) -> MapIndex {
        let node_index = index_by_id(&map.nodes, |n| &n.id);
        let (tier_rows, segment_rows) = outline_rows(map);
        MapIndex {
            revision: previous.revision + 1,
            node_ids: map.nodes.iter().map(|n| n.id.clone()).collect(),
            thesis_ids: map.theses.iter().map(|t| t.id.clone()).collect(),
            link_ends: map
                .links
                .iter()
                .map(|l| {
                    Some((
                        *node_index.get(l.from.as_str())?,
                        *node_index.get(l.to.as_str())?,
                    ))
                })
                .collect(),
            kinds_present: LinkKind::ALL
                .into_iter()
                .filter(|&kind| map.links.iter().any(|l| l.kind == kind))
                .collect(),
            graph: link_graph(map),
            segment_counts: segment_counts(map),
            tier_rows,
            segment_rows,
        }
    }

    /// The index of `map` as the first revision (for a panel shown on its own).
    pub fn of(map: &Map) -> MapIndex {
        MapIndex::next(map, &MapIndex::default())
    }
}

/// What each tier and each segment holds as rows of the outline, in the map's order.
fn outline_rows(map: &Map) -> (Vec<Rows>, Vec<Rows>) {
    let tiers = index_by_id(&map.tiers, |t| &t.id);
    let segments = index_by_id(&map.segments, |s| &s.id);
    let mut tier_rows = vec![Rows::default(); map.tiers.len()];
    let mut segment_rows = vec![Rows::default(); map.segments.len()];
    for (s, segment) in map.segments.iter().enumerate() {
        let holder = match segment.parent.as_deref() {
            None => tiers.get(segment.tier.as_str()).map(|&t| &mut tier_rows[t]),
            Some(parent) => segments.get(parent).map(|&p| &mut segment_rows[p]),
        };
        if let Some(rows) = holder {
            rows.segments.push(s);
        }
    }
    for (i, node) in map.nodes.iter().enumerate() {
        let holder = match node.segments.first() {
            None => tiers.get(node.tier.as_str()).map(|&t| &mut tier_rows[t]),
            Some(first) => segments.get(first.as_str()).map(|&s| &mut segment_rows[s]),
        };
        if let Some(rows) = holder {
            rows.nodes.push(i);
        }
    }
    (tier_rows, segment_rows)
}

/// How many nodes each segment holds, its nested segments' included.
fn segment_counts(map: &Map) -> Vec<usize> {
    let index = index_by_id(&map.segments, |s| &s.id);
    let mut counts = vec![0usize; map.segments.len()];
    for node in &map.nodes {
        let Some(&s) = node.segments.first().and_then(|id| index.get(id.as_str())) else {
            continue;
        };
        if let Some(c) = counts.get_mut(s) {
            *c += 1;
        }
        if let Some(&p) = map
            .segments
            .get(s)
            .and_then(|seg| seg.parent.as_deref())
            .and_then(|p| index.get(p))
            && let Some(c) = counts.get_mut(p)
        {
            *c += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, NodeKind, Segment, Tier};

    #[test]
    fn the_outline_rows_hold_what_stands_right_in_each_tier_and_segment() {
        let node = |id: &str, tier: &str, segments: &[&str]| Node {
            segments: segments.iter().map(|s| (*s).into()).collect(),
            ..Node::new(id, id, NodeKind::Company, tier)
        };
        let map = Map {
            tiers: vec![
                Tier::new("hw", "Hardware"),
                Tier::new("apps", "Applications"),
            ],
            segments: vec![
                Segment::new("chips", "hw", "Chips"),
                Segment {
                    parent: Some("chips".into()),
                    ..Segment::new("gpus", "hw", "GPUs")
                },
                Segment::new("chat", "apps", "Chat"),
            ],
            nodes: vec![
                node("nvidia", "hw", &["gpus", "chips"]),
                node("tsmc", "hw", &["chips"]),
                node("foundry", "hw", &[]),
                node("chatgpt", "apps", &["chat"]),
                node("idea", "apps", &[]),
            ],
            ..Map::default()
        };
        let index = MapIndex::of(&map);
        let rows = |segments: &[usize], nodes: &[usize]| Rows {
            segments: segments.to_vec(),
            nodes: nodes.to_vec(),
        };
        // A tier: its top segments and the nodes of no segment.
        assert_eq!(index.tier_rows, [rows(&[0], &[2]), rows(&[2], &[4])]);
        // A segment: the segments within it and the nodes it comes first in.
        assert_eq!(
            index.segment_rows,
            [rows(&[1], &[1]), rows(&[], &[0]), rows(&[], &[3])]
        );
    }
}
