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
}

impl MapIndex {
    /// The index of `map`, the revision after `previous`'s.
    pub fn next(map: &Map, previous: &MapIndex) -> MapIndex {
        let node_index = index_by_id(&map.nodes, |n| &n.id);
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
        }
    }

    /// The index of `map` as the first revision (for a panel shown on its own).
    pub fn of(map: &Map) -> MapIndex {
        MapIndex::next(map, &MapIndex::default())
    }
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
