//! Coordinate assignment. Each layer keeps its order and its minimum spacing (node gaps,
//! segment paddings), and within those constraints each vertex moves as close as it can to
//! the mean of its neighbours: a weighted isotonic regression, solved exactly in linear
//! time by pool-adjacent-violators. Links through skipped tiers weigh more, so long edges
//! run straight; pinned nodes weigh most, so they stay where a person put them.

use super::Spacing;
use super::layered::{Item, Layered, Vertex, VertexKind};

/// Weight of an edge that ends at a virtual vertex: long links pull harder, so they run straight.
const VIRTUAL_EDGE_WEIGHT: f64 = 4.0;
/// Weight of a pinned node's own position.
pub const PIN_WEIGHT: f64 = 1.0e6;
/// Weight of a node's position in the previous layout, when there is one: enough that an
/// edit moves little else, not so much that links cannot straighten.
pub const PRIOR_WEIGHT: f64 = 30.0;
/// Weight that keeps a vertex without neighbours near where it is.
const INERTIA_WEIGHT: f64 = 0.05;
const PASSES: usize = 8;

/// A column of a layer: one vertex, or the vertices of one column of a segment laid out
/// as a grid (see [`columns`]). Columns are what the x assignment places.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub vertices: Vec<Vertex>,
    pub width: f32,
}

/// Each layer's columns, and each vertex's row (0 for the first row of its segment).
pub struct Columns {
    pub layers: Vec<Vec<Column>>,
    pub row_of: Vec<u32>,
    /// How many rows the vertex's segment has (1 outside grids).
    pub block_rows: Vec<u32>,
    /// The most rows any segment of the layer has.
    pub rows_in_layer: Vec<u32>,
}

/// Splits each layer's order into columns. With `max_columns`, a segment holding only
/// nodes and more of them than that is laid out as a grid, row by row in its order, so
/// that a crowded tier grows down instead of across.
pub fn columns(layered: &Layered, orders: &[Vec<Vertex>], max_columns: Option<usize>) -> Columns {
    let mut row_of = vec![0u32; layered.vertex_count()];
    let mut block_rows = vec![1u32; layered.vertex_count()];
    // For each vertex in a grid: its block, its column and the block's column count.
    let mut grid_of: Vec<Option<(u32, usize, usize)>> = vec![None; layered.vertex_count()];
    let mut rows_in_layer = vec![1u32; orders.len()];
    if let Some(limit) = max_columns.filter(|&c| c >= 1) {
        for (block_id, block) in layered.blocks.iter().enumerate() {
            let leaves: Vec<Vertex> = block
                .children
                .iter()
                .filter_map(|item| match *item {
                    Item::Leaf(v) => Some(v),
                    Item::Block(_) => None,
                })
                .collect();
            let only_leaves = leaves.len() == block.children.len();
            if block.segment.is_none() || !only_leaves || leaves.len() <= limit {
                continue;
            }
            let rows = leaves.len().div_ceil(limit);
            let cols = leaves.len().div_ceil(rows);
            for (k, &v) in leaves.iter().enumerate() {
                row_of[v as usize] = (k / cols) as u32;
                block_rows[v as usize] = rows as u32;
                grid_of[v as usize] = Some((block_id as u32, k % cols, cols));
            }
            if let Some(&first) = leaves.first() {
                let layer = layered.layer_of[first as usize] as usize;
                rows_in_layer[layer] = rows_in_layer[layer].max(rows as u32);
            }
        }
    }
    let layers = orders
        .iter()
        .map(|order| {
            let mut columns: Vec<Column> = Vec::with_capacity(order.len());
            let mut open_block: Option<(u32, usize)> = None; // (block, index of its first column)
            for &v in order {
                let width = layered.widths[v as usize];
                match grid_of[v as usize] {
                    None => {
                        open_block = None;
                        columns.push(Column {
                            vertices: vec![v],
                            width,
                        });
                    }
                    Some((block, col, cols)) => {
                        let first = match open_block {
                            Some((b, first)) if b == block => first,
                            _ => {
                                let first = columns.len();
                                columns.extend((0..cols).map(|_| Column {
                                    vertices: Vec::new(),
                                    width: 0.0,
                                }));
                                open_block = Some((block, first));
                                first
                            }
                        };
                        if let Some(column) = columns.get_mut(first + col) {
                            column.vertices.push(v);
                            column.width = column.width.max(width);
                        }
                    }
                }
            }
            columns.retain(|c| !c.vertices.is_empty());
            columns
        })
        .collect();
    Columns {
        layers,
        row_of,
        block_rows,
        rows_in_layer,
    }
}

/// The minimum distance between the centres of consecutive columns of each layer.
pub fn separations(layered: &Layered, columns: &[Vec<Column>], spacing: &Spacing) -> Vec<Vec<f64>> {
    // The chain of segment blocks above each vertex, root excluded.
    let mut chain_of: Vec<Vec<u32>> = vec![Vec::new(); layered.vertex_count()];
    for &root in &layered.roots {
        collect_chains(layered, root, &mut Vec::new(), &mut chain_of);
    }
    let first = |c: &Column| c.vertices.first().copied().unwrap_or_default();
    columns
        .iter()
        .map(|layer| {
            layer
                .windows(2)
                .map(|pair| match pair {
                    [ca, cb] => {
                        let (a, b) = (first(ca), first(cb));
                        let (chain_a, chain_b) = (&chain_of[a as usize], &chain_of[b as usize]);
                        let common = chain_a
                            .iter()
                            .zip(chain_b)
                            .take_while(|(x, y)| x == y)
                            .count();
                        let boundaries = (chain_a.len() - common) + (chain_b.len() - common);
                        let mut gap = f64::from(ca.width + cb.width) / 2.0;
                        gap += if boundaries > 0 {
                            f64::from(spacing.block_gap)
                                + boundaries as f64 * f64::from(spacing.segment_pad)
                        } else if is_virtual(layered, a) || is_virtual(layered, b) {
                            f64::from(spacing.virtual_gap)
                        } else {
                            f64::from(spacing.node_gap)
                        };
                        gap
                    }
                    _ => 0.0,
                })
                .collect()
        })
        .collect()
}

fn is_virtual(layered: &Layered, v: Vertex) -> bool {
    matches!(layered.kinds[v as usize], VertexKind::Virtual(_))
}

fn collect_chains(layered: &Layered, block: u32, chain: &mut Vec<u32>, chain_of: &mut [Vec<u32>]) {
    let is_segment = layered.blocks[block as usize].segment.is_some();
    if is_segment {
        chain.push(block);
    }
    for item in &layered.blocks[block as usize].children {
        match *item {
            Item::Leaf(v) => chain_of[v as usize] = chain.clone(),
            Item::Block(b) => collect_chains(layered, b, chain, chain_of),
        }
    }
    if is_segment {
        chain.pop();
    }
}

/// Weighted isotonic regression: `y` non-decreasing, minimising Σ w (y - target)².
fn isotonic(targets: &[f64], weights: &[f64]) -> Vec<f64> {
    // Pools of (weighted mean, total weight, length).
    let mut pools: Vec<(f64, f64, usize)> = Vec::with_capacity(targets.len());
    for (&target, &weight) in targets.iter().zip(weights) {
        pools.push((target, weight, 1));
        while pools.len() >= 2 {
            let (mean_b, weight_b, len_b) = pools[pools.len() - 1];
            let (mean_a, weight_a, len_a) = pools[pools.len() - 2];
            if mean_a <= mean_b {
                break;
            }
            let weight = weight_a + weight_b;
            let mean = (mean_a * weight_a + mean_b * weight_b) / weight;
            pools.truncate(pools.len() - 2);
            pools.push((mean, weight, len_a + len_b));
        }
    }
    let mut out = Vec::with_capacity(targets.len());
    for (mean, _, len) in pools {
        out.extend(std::iter::repeat_n(mean, len));
    }
    out
}

/// Places one layer: as close to `desired` as the order and the separations allow.
fn place_layer(desired: &[f64], weights: &[f64], separations: &[f64]) -> Vec<f64> {
    let mut offsets = Vec::with_capacity(desired.len());
    let mut offset = 0.0;
    for i in 0..desired.len() {
        offsets.push(offset);
        offset += separations.get(i).copied().unwrap_or(0.0);
    }
    let shifted: Vec<f64> = desired.iter().zip(&offsets).map(|(d, o)| d - o).collect();
    isotonic(&shifted, weights)
        .into_iter()
        .zip(&offsets)
        .map(|(y, o)| y + o)
        .collect()
}

/// The x of every vertex's centre (the x of its column). `anchors` (indexed like the map's
/// nodes) holds, for a node that should stay somewhere, that x and how strongly it holds.
pub fn assign_x(
    layered: &Layered,
    columns: &[Vec<Column>],
    separations: &[Vec<f64>],
    anchors: &[Option<(f64, f64)>],
) -> Vec<f64> {
    let mut x = vec![0.0f64; layered.vertex_count()];
    // Start packed and centred on 0.
    for (layer, seps) in columns.iter().zip(separations) {
        let width: f64 = seps.iter().sum();
        let mut at = -width / 2.0;
        for (i, column) in layer.iter().enumerate() {
            for &v in &column.vertices {
                x[v as usize] = at;
            }
            at += seps.get(i).copied().unwrap_or(0.0);
        }
    }
    let anchor_of = |v: Vertex| match layered.kinds[v as usize] {
        VertexKind::Node(n) => anchors.get(n).copied().flatten(),
        _ => None,
    };
    // Anchored nodes start at their anchors, so that the passes begin near the answer.
    for layer in columns {
        for column in layer {
            for &v in &column.vertices {
                if let Some((ax, _)) = anchor_of(v) {
                    x[v as usize] = ax;
                }
            }
        }
    }
    let layer_count = columns.len();
    let mut desired = Vec::new();
    let mut weights = Vec::new();
    for pass in 0..PASSES {
        let layers: Vec<usize> = if pass % 2 == 0 {
            (0..layer_count).collect()
        } else {
            (0..layer_count).rev().collect()
        };
        for layer in layers {
            desired.clear();
            weights.clear();
            for column in &columns[layer] {
                let pinned = column
                    .vertices
                    .iter()
                    .filter_map(|&v| anchor_of(v))
                    .find(|&(_, w)| w >= PIN_WEIGHT);
                if let Some((ax, aw)) = pinned {
                    desired.push(ax);
                    weights.push(aw);
                    continue;
                }
                let (mut sum, mut weight) = (0.0, 0.0);
                for &v in &column.vertices {
                    if let Some((ax, aw)) = anchor_of(v) {
                        sum += aw * ax;
                        weight += aw;
                    }
                    let own_virtual = is_virtual(layered, v);
                    for &n in layered.up[v as usize]
                        .iter()
                        .chain(&layered.down[v as usize])
                    {
                        let w = if own_virtual || is_virtual(layered, n) {
                            VIRTUAL_EDGE_WEIGHT
                        } else {
                            1.0
                        };
                        sum += w * x[n as usize];
                        weight += w;
                    }
                    sum += INERTIA_WEIGHT * x[v as usize];
                    weight += INERTIA_WEIGHT;
                }
                desired.push(sum / weight.max(f64::MIN_POSITIVE));
                weights.push(weight.max(INERTIA_WEIGHT));
            }
            let placed = place_layer(&desired, &weights, &separations[layer]);
            for (column, &px) in columns[layer].iter().zip(&placed) {
                for &v in &column.vertices {
                    x[v as usize] = px;
                }
            }
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_violators() {
        let y = isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0, 1.0, 1.0, 1.0]);
        assert_eq!(y, vec![1.0, 2.5, 2.5, 4.0]);
    }

    #[test]
    fn place_layer_keeps_order_and_separation() {
        // Both want to be at 0; they must stay 10 apart, centred on their wish.
        let placed = place_layer(&[0.0, 0.0], &[1.0, 1.0], &[10.0]);
        assert_eq!(placed, vec![-5.0, 5.0]);
        // A heavy vertex stays put and pushes the light one.
        let placed = place_layer(&[0.0, 0.0], &[1000.0, 1.0], &[10.0]);
        assert!((placed[0] - 0.0).abs() < 0.02 && placed[1] - placed[0] >= 10.0 - 1e-9);
    }
}
