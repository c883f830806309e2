//! The layered graph the layout works on: one layer per tier; a vertex per node, per
//! empty segment (so that its box still shows) and per tier a long link passes through;
//! and in each layer a tree of blocks (tier → segment → sub-segment → vertices) whose
//! leaves, read in order, are the layer's order.
//!
//! Every index here (vertex, block, layer) is created by this module and stays in range,
//! so the hot loops index directly.

use crate::model::Map;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

pub type Vertex = u32;
pub type BlockId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VertexKind {
    /// A node of the map (its index).
    Node(usize),
    /// A point where a link crosses a tier it skips (the link's index).
    Virtual(usize),
    /// Holds the place of an empty segment (its index).
    Placeholder(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Leaf(Vertex),
    Block(BlockId),
}

#[derive(Clone, Debug)]
pub struct Block {
    /// The segment the block draws as a box; `None` for a layer's root.
    pub segment: Option<usize>,
    pub children: Vec<Item>,
}

/// A link as a chain of vertices from its lower end to its upper end.
#[derive(Clone, Debug)]
pub struct Chain {
    pub link: usize,
    pub vertices: Vec<Vertex>,
    /// The link's `from` is at the upper end (it runs down the tiers).
    pub reversed: bool,
}

#[derive(Clone, Debug)]
pub struct Layered {
    pub kinds: Vec<VertexKind>,
    pub layer_of: Vec<u32>,
    pub widths: Vec<f32>,
    /// Neighbours in the layer above (`up`) and below (`down`).
    pub up: Vec<Vec<Vertex>>,
    pub down: Vec<Vec<Vertex>>,
    pub blocks: Vec<Block>,
    /// The root block of each layer.
    pub roots: Vec<BlockId>,
    pub chains: Vec<Chain>,
    /// Links between two nodes of one tier: drawn as arcs, left out of the ordering.
    pub flat: Vec<(usize, Vertex, Vertex)>,
    /// The vertex of each map node.
    pub node_vertex: Vec<Vertex>,
}

/// Width of the vertex a skipped tier gives a long link.
pub const VIRTUAL_WIDTH: f32 = 6.0;
/// How many points for long links the ordering takes per node before it leaves long links
/// out.
const VIRTUAL_BUDGET_PER_NODE: usize = 4;
/// Width of the vertex that holds an empty segment's place.
pub const PLACEHOLDER_WIDTH: f32 = 60.0;

/// The map's links as a petgraph graph over its nodes (node weights are node indices, edge
/// weights link indices): the value chain that tracing and the layout both read.
pub fn link_graph(map: &Map) -> DiGraph<usize, usize> {
    let mut graph = DiGraph::with_capacity(map.nodes.len(), map.links.len());
    let index: HashMap<&str, NodeIndex> = map
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (node.id.as_str(), graph.add_node(i)))
        .collect();
    for (i, link) in map.links.iter().enumerate() {
        if let (Some(&from), Some(&to)) =
            (index.get(link.from.as_str()), index.get(link.to.as_str()))
        {
            graph.add_edge(from, to, i);
        }
    }
    graph
}

impl Layered {
    /// Builds the layered graph of a validated map; `node_widths` is indexed like `map.nodes`.
    pub fn build(map: &Map, node_widths: &[f32]) -> Layered {
        let layer_count = map.tiers.len();
        let tier_of: HashMap<&str, usize> = crate::model::index_by_id(&map.tiers, |t| &t.id);
        let segment_index: HashMap<&str, usize> =
            crate::model::index_by_id(&map.segments, |s| &s.id);

        let mut layered = Layered {
            kinds: Vec::new(),
            layer_of: Vec::new(),
            widths: Vec::new(),
            up: Vec::new(),
            down: Vec::new(),
            blocks: Vec::new(),
            roots: Vec::new(),
            chains: Vec::new(),
            flat: Vec::new(),
            node_vertex: Vec::with_capacity(map.nodes.len()),
        };
        for _ in 0..layer_count {
            let root = layered.new_block(None);
            layered.roots.push(root);
        }
        let segment_block = layered.add_segment_blocks(map, &tier_of, &segment_index);
        layered.add_node_vertices(map, node_widths, &tier_of, &segment_index, &segment_block);
        layered.add_placeholders(map, &tier_of, &segment_block);
        layered.add_link_chains(map);
        layered
    }

    /// A block per segment, under its parent's block or the layer's root, in file order;
    /// returns the block of each segment (`None` for a segment of an unknown tier).
    fn add_segment_blocks(
        &mut self,
        map: &Map,
        tier_of: &HashMap<&str, usize>,
        segment_index: &HashMap<&str, usize>,
    ) -> Vec<Option<BlockId>> {
        let mut segment_block: Vec<Option<BlockId>> = vec![None; map.segments.len()];
        let parents_first = map
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.parent.is_none())
            .chain(
                map.segments
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.parent.is_some()),
            );
        for (i, segment) in parents_first {
            let Some(&layer) = tier_of.get(segment.tier.as_str()) else {
                continue;
            };
            let parent_block = segment
                .parent
                .as_deref()
                .and_then(|p| segment_index.get(p))
                .and_then(|&p| segment_block[p])
                .unwrap_or(self.roots[layer]);
            let block = self.new_block(Some(i));
            self.blocks[parent_block as usize]
                .children
                .push(Item::Block(block));
            segment_block[i] = Some(block);
        }
        segment_block
    }

    /// A vertex per node, in its tier's layer, as a leaf of its first segment's block (or
    /// of the layer's root).
    fn add_node_vertices(
        &mut self,
        map: &Map,
        node_widths: &[f32],
        tier_of: &HashMap<&str, usize>,
        segment_index: &HashMap<&str, usize>,
        segment_block: &[Option<BlockId>],
    ) {
        for (i, node) in map.nodes.iter().enumerate() {
            let layer = tier_of.get(node.tier.as_str()).copied().unwrap_or(0);
            let width = node_widths.get(i).copied().unwrap_or(PLACEHOLDER_WIDTH);
            let vertex = self.new_vertex(VertexKind::Node(i), layer, width);
            let block = node
                .segments
                .first()
                .and_then(|s| segment_index.get(s.as_str()))
                .and_then(|&s| segment_block[s])
                .unwrap_or(self.roots[layer]);
            self.blocks[block as usize]
                .children
                .push(Item::Leaf(vertex));
            self.node_vertex.push(vertex);
        }
    }

    /// Empty segments keep a place, so that their boxes show.
    fn add_placeholders(
        &mut self,
        map: &Map,
        tier_of: &HashMap<&str, usize>,
        segment_block: &[Option<BlockId>],
    ) {
        for (segment, block) in segment_block.iter().enumerate() {
            let Some(block) = *block else { continue };
            if self.blocks[block as usize].children.is_empty() {
                let layer = map
                    .segments
                    .get(segment)
                    .and_then(|s| tier_of.get(s.tier.as_str()))
                    .copied()
                    .unwrap_or(0);
                let vertex =
                    self.new_vertex(VertexKind::Placeholder(segment), layer, PLACEHOLDER_WIDTH);
                self.blocks[block as usize]
                    .children
                    .push(Item::Leaf(vertex));
            }
        }
    }

    /// Each link between two tiers as a chain of vertices (with a virtual vertex in each
    /// tier it skips); links within a tier go to `flat`.
    fn add_link_chains(&mut self, map: &Map) {
        let node_index: HashMap<&str, usize> = crate::model::index_by_id(&map.nodes, |n| &n.id);
        // Points for long links cost memory and ordering time in proportion to the tiers
        // they skip: past a budget, links that skip tiers are left to routing alone.
        let node_layer: Vec<u32> = self
            .node_vertex
            .iter()
            .map(|&v| self.layer_of[v as usize])
            .collect();
        let span_of = |link: &crate::model::Link| {
            let layer = |id: &str| node_index.get(id).map(|&n| node_layer[n]);
            match (layer(&link.from), layer(&link.to)) {
                (Some(a), Some(b)) => a.abs_diff(b) as usize,
                _ => 0,
            }
        };
        let virtual_total: usize = map.links.iter().map(|l| span_of(l).saturating_sub(1)).sum();
        let long_links_ordered =
            virtual_total <= VIRTUAL_BUDGET_PER_NODE * map.nodes.len() + 10_000;
        for (link_index, link) in map.links.iter().enumerate() {
            if !long_links_ordered && span_of(link) > 1 {
                continue;
            }
            let (Some(&from), Some(&to)) = (
                node_index.get(link.from.as_str()),
                node_index.get(link.to.as_str()),
            ) else {
                continue;
            };
            let (from_v, to_v) = (self.node_vertex[from], self.node_vertex[to]);
            let (from_layer, to_layer) =
                (self.layer_of[from_v as usize], self.layer_of[to_v as usize]);
            if from_layer == to_layer {
                self.flat.push((link_index, from_v, to_v));
                continue;
            }
            self.add_chain(link_index, from_v, to_v, from_layer > to_layer);
        }
    }

    /// The chain of a link between two tiers: a virtual vertex in each tier between its
    /// ends, the vertices joined up and down.
    fn add_chain(&mut self, link_index: usize, from_v: Vertex, to_v: Vertex, reversed: bool) {
        let (low, high) = if reversed {
            (to_v, from_v)
        } else {
            (from_v, to_v)
        };
        let (low_layer, high_layer) = (self.layer_of[low as usize], self.layer_of[high as usize]);
        let mut vertices = vec![low];
        for layer in low_layer + 1..high_layer {
            let virtual_vertex = self.new_vertex(
                VertexKind::Virtual(link_index),
                layer as usize,
                VIRTUAL_WIDTH,
            );
            let root = self.roots[layer as usize];
            self.blocks[root as usize]
                .children
                .push(Item::Leaf(virtual_vertex));
            vertices.push(virtual_vertex);
        }
        vertices.push(high);
        for pair in vertices.windows(2) {
            if let [a, b] = *pair {
                self.up[a as usize].push(b);
                self.down[b as usize].push(a);
            }
        }
        self.chains.push(Chain {
            link: link_index,
            vertices,
            reversed,
        });
    }

    fn new_block(&mut self, segment: Option<usize>) -> BlockId {
        self.blocks.push(Block {
            segment,
            children: Vec::new(),
        });
        (self.blocks.len() - 1) as BlockId
    }

    fn new_vertex(&mut self, kind: VertexKind, layer: usize, width: f32) -> Vertex {
        self.kinds.push(kind);
        self.layer_of.push(layer as u32);
        self.widths.push(width);
        self.up.push(Vec::new());
        self.down.push(Vec::new());
        (self.kinds.len() - 1) as Vertex
    }

    pub fn layer_count(&self) -> usize {
        self.roots.len()
    }

    pub fn vertex_count(&self) -> usize {
        self.kinds.len()
    }

    /// Edges between adjacent layers (each piece of a chain).
    pub fn edge_count(&self) -> usize {
        self.up.iter().map(Vec::len).sum()
    }

    /// The leaves of a block, in order.
    pub fn leaves(&self, block: BlockId, out: &mut Vec<Vertex>) {
        for item in &self.blocks[block as usize].children {
            match *item {
                Item::Leaf(v) => out.push(v),
                Item::Block(b) => self.leaves(b, out),
            }
        }
    }

    /// Every layer's order, bottom to top.
    pub fn orders(&self) -> Vec<Vec<Vertex>> {
        self.roots
            .iter()
            .map(|&root| {
                let mut order = Vec::new();
                self.leaves(root, &mut order);
                order
            })
            .collect()
    }
}
