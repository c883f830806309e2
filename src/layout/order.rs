//! The order of each layer, with every block (segment) kept contiguous: by crossing
//! reduction, when there is no earlier layout (layer-by-layer sweeps sort each block's
//! children by the barycenter of their neighbours in the layer just fixed; adjacent
//! siblings are then transposed wherever that removes crossings, counted exactly; the best
//! order seen is kept), or as an earlier layout had it ([`keep_prior`]), never reordered
//! behind the user's back.

use super::layered::{BlockId, Item, Layered, Vertex, VertexKind};

/// Crossings between two adjacent layers, in O(E log V): the edges sorted by their lower
/// end, then the inversions among their upper ends counted with a Fenwick tree.
pub fn crossings_between(
    layered: &Layered,
    lower: &[Vertex],
    pos: &[u32],
    upper_len: usize,
) -> u64 {
    let mut targets: Vec<u32> = Vec::new();
    let mut scratch: Vec<u32> = Vec::new();
    for &v in lower {
        scratch.clear();
        scratch.extend(layered.up[v as usize].iter().map(|&n| pos[n as usize]));
        scratch.sort_unstable();
        targets.extend_from_slice(&scratch);
    }
    count_inversions(&targets, upper_len)
}

/// Pairs `i < j` with `values[i] > values[j]`; every value is below `bound`.
fn count_inversions(values: &[u32], bound: usize) -> u64 {
    let mut tree = vec![0u32; bound + 1];
    let mut inversions = 0u64;
    for (seen, &value) in values.iter().enumerate() {
        // How many earlier values are <= value.
        let mut i = value as usize + 1;
        let mut not_greater = 0u64;
        while i > 0 {
            not_greater += u64::from(tree[i]);
            i &= i - 1;
        }
        inversions += seen as u64 - not_greater;
        let mut i = value as usize + 1;
        while i <= bound {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    inversions
}

/// Crossings between the edges of two items of one layer, given the sorted neighbour
/// positions of each (above and below): with `a` before `b`, and with `b` before `a`.
/// Binary searches from the smaller side, so a small item costs little against a big one.
fn pair_lists(a: &[Vec<u32>; 2], b: &[Vec<u32>; 2]) -> (u64, u64) {
    let mut a_first = 0u64;
    let mut b_first = 0u64;
    for side in 0..2 {
        let (pa, pb) = (&a[side], &b[side]);
        if pa.len() <= pb.len() {
            for &p in pa {
                let less = pb.partition_point(|&q| q < p);
                let not_greater = pb.partition_point(|&q| q <= p);
                a_first += less as u64;
                b_first += (pb.len() - not_greater) as u64;
            }
        } else {
            for &q in pb {
                let less = pa.partition_point(|&p| p < q);
                let not_greater = pa.partition_point(|&p| p <= q);
                b_first += less as u64;
                a_first += (pa.len() - not_greater) as u64;
            }
        }
    }
    (a_first, b_first)
}

/// Total crossings of the layered graph in its current order.
pub fn total_crossings(layered: &Layered, orders: &[Vec<Vertex>], pos: &[u32]) -> u64 {
    orders
        .windows(2)
        .map(|pair| match pair {
            [lower, upper] => crossings_between(layered, lower, pos, upper.len()),
            _ => 0,
        })
        .sum()
}

fn positions(layered: &Layered, orders: &[Vec<Vertex>]) -> Vec<u32> {
    let mut pos = vec![0u32; layered.vertex_count()];
    for order in orders {
        for (i, &v) in order.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
    }
    pos
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Order a layer by its neighbours in the layer below.
    FromBelow,
    /// Order a layer by its neighbours in the layer above.
    FromAbove,
}

struct Orderer<'a> {
    layered: &'a mut Layered,
    pos: Vec<u32>,
    layer_len: Vec<usize>,
    /// How far (in siblings) sifting moves an item.
    window: usize,
}

impl Orderer<'_> {
    fn neighbours(&self, v: Vertex, direction: Direction) -> &[Vertex] {
        match direction {
            Direction::FromBelow => &self.layered.down[v as usize],
            Direction::FromAbove => &self.layered.up[v as usize],
        }
    }

    fn neighbour_layer_len(&self, v: Vertex, direction: Direction) -> f64 {
        let layer = self.layered.layer_of[v as usize] as usize;
        let other = match direction {
            Direction::FromBelow => layer.checked_sub(1),
            Direction::FromAbove => Some(layer + 1),
        };
        other
            .and_then(|l| self.layer_len.get(l))
            .map_or(1.0, |&len| len.max(1) as f64)
    }

    /// Sorts the children of `block` (and below) by barycenter; returns the block's
    /// (sum of normalised neighbour positions, number of neighbours, first leaf position).
    fn sort_block(
        &mut self,
        block: BlockId,
        direction: Direction,
        own_len: f64,
    ) -> (f64, u32, u32) {
        let children = std::mem::take(&mut self.layered.blocks[block as usize].children);
        let mut keyed: Vec<(f64, u32, Item)> = Vec::with_capacity(children.len());
        let mut total = (0.0, 0u32, u32::MAX);
        for item in children {
            let (sum, count, first) = match item {
                Item::Leaf(v) => {
                    let scale = self.neighbour_layer_len(v, direction);
                    let neighbours = self.neighbours(v, direction);
                    let sum: f64 = neighbours
                        .iter()
                        .map(|&n| f64::from(self.pos[n as usize]) / scale)
                        .sum();
                    (sum, neighbours.len() as u32, self.pos[v as usize])
                }
                Item::Block(b) => self.sort_block(b, direction, own_len),
            };
            // Items without neighbours keep their place (their own relative position).
            let key = if count > 0 {
                sum / f64::from(count)
            } else {
                f64::from(first) / own_len
            };
            keyed.push((key, first, item));
            total.0 += sum;
            total.1 += count;
            total.2 = total.2.min(first);
        }
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.layered.blocks[block as usize].children =
            keyed.into_iter().map(|(_, _, item)| item).collect();
        total
    }

    fn reorder_layer(&mut self, layer: usize, direction: Direction) {
        let root = self.layered.roots[layer];
        let own_len = self.layer_len[layer].max(1) as f64;
        self.sort_block(root, direction, own_len);
        self.refresh_layer(layer);
    }

    fn refresh_layer(&mut self, layer: usize) {
        let mut order = Vec::with_capacity(self.layer_len[layer]);
        self.layered.leaves(self.layered.roots[layer], &mut order);
        for (i, &v) in order.iter().enumerate() {
            self.pos[v as usize] = i as u32;
        }
    }

    /// Crossings between the edges of two groups of leaves of one layer, with `a` before
    /// `b` and with `b` before `a`, towards both adjacent layers.
    fn pair_crossings(
        &self,
        a: &[Vertex],
        b: &[Vertex],
        scratch: &mut [Vec<u32>; 2],
    ) -> (u64, u64) {
        let mut before = 0;
        let mut after = 0;
        for up in [true, false] {
            let [pa, pb] = scratch;
            pa.clear();
            pb.clear();
            for (list, group) in [(&mut *pa, a), (&mut *pb, b)] {
                for &v in group {
                    let neighbours = if up {
                        &self.layered.up[v as usize]
                    } else {
                        &self.layered.down[v as usize]
                    };
                    list.extend(neighbours.iter().map(|&n| self.pos[n as usize]));
                }
                list.sort_unstable();
            }
            // before: pairs with p (from a) > q (from b); after: pairs with p < q.
            let (mut i, mut j_less, mut j_not_greater) = (0, 0, 0);
            while i < pa.len() {
                let p = pa[i];
                while j_less < pb.len() && pb[j_less] < p {
                    j_less += 1;
                }
                while j_not_greater < pb.len() && pb[j_not_greater] <= p {
                    j_not_greater += 1;
                }
                before += j_less as u64;
                after += (pb.len() - j_not_greater) as u64;
                i += 1;
            }
        }
        (before, after)
    }

    /// The leaves of each item, in the current order.
    fn leaves_of_each(&self, items: &[Item]) -> Vec<Vec<Vertex>> {
        items
            .iter()
            .map(|item| match *item {
                Item::Leaf(v) => vec![v],
                Item::Block(b) => {
                    let mut leaves = Vec::new();
                    self.layered.leaves(b, &mut leaves);
                    leaves
                }
            })
            .collect()
    }

    /// Swaps adjacent siblings wherever that lowers the crossings; returns the gain.
    fn transpose_block(&mut self, block: BlockId, start: u32, scratch: &mut [Vec<u32>; 2]) -> u64 {
        let mut gain = 0;
        let mut items = self.layered.blocks[block as usize].children.clone();
        let mut groups = self.leaves_of_each(&items);
        if items.len() >= 2 {
            let mut improved = true;
            let mut passes = 0;
            while improved && passes < 8 {
                improved = false;
                passes += 1;
                for i in 0..items.len() - 1 {
                    let (before, after) = self.pair_crossings(&groups[i], &groups[i + 1], scratch);
                    if after < before {
                        gain += before - after;
                        items.swap(i, i + 1);
                        groups.swap(i, i + 1);
                        // Renumber the two groups' leaves.
                        let mut p = start + groups[..i].iter().map(|g| g.len() as u32).sum::<u32>();
                        for group in &groups[i..=i + 1] {
                            for &v in group {
                                self.pos[v as usize] = p;
                                p += 1;
                            }
                        }
                        improved = true;
                    }
                }
            }
        }
        self.layered.blocks[block as usize].children = items.clone();
        // Then inside each child block.
        let mut offset = start;
        for (item, group) in items.iter().zip(&groups) {
            if let Item::Block(b) = *item {
                gain += self.transpose_block(b, offset, scratch);
            }
            offset += group.len() as u32;
        }
        gain
    }

    /// Sorted positions of the neighbours of `leaves` in the layer above and below.
    fn neighbour_positions(&self, leaves: &[Vertex]) -> [Vec<u32>; 2] {
        let mut up: Vec<u32> = Vec::new();
        let mut down: Vec<u32> = Vec::new();
        for &v in leaves {
            up.extend(
                self.layered.up[v as usize]
                    .iter()
                    .map(|&n| self.pos[n as usize]),
            );
            down.extend(
                self.layered.down[v as usize]
                    .iter()
                    .map(|&n| self.pos[n as usize]),
            );
        }
        up.sort_unstable();
        down.sort_unstable();
        [up, down]
    }

    /// Sifting: each child of `block` in turn, the busiest first, moves to the place among
    /// its siblings where it crosses least (exact counts against both adjacent layers).
    /// Then the same inside each child block. Returns the crossings removed.
    fn sift_block(&mut self, block: BlockId, start: u32) -> u64 {
        let mut items = self.layered.blocks[block as usize].children.clone();
        let mut groups = self.leaves_of_each(&items);
        let mut gain = 0;
        if items.len() >= 2 {
            let mut lists: Vec<[Vec<u32>; 2]> =
                groups.iter().map(|g| self.neighbour_positions(g)).collect();
            // Busiest first; ties by current place, so the result is deterministic.
            let mut sequence: Vec<usize> = (0..items.len()).collect();
            sequence
                .sort_by_key(|&i| (std::cmp::Reverse(lists[i][0].len() + lists[i][1].len()), i));
            // Identify items by a stable tag while they move.
            let mut tags: Vec<usize> = (0..items.len()).collect();
            for tag in sequence {
                let Some(from) = tags.iter().position(|&t| t == tag) else {
                    continue;
                };
                if lists[from][0].is_empty() && lists[from][1].is_empty() {
                    continue;
                }
                // Cost change, relative to where the item is, of moving it past each
                // sibling within the window, to the right and to the left.
                let mut best_shift = 0i64;
                let mut best_at = from;
                let mut shift = 0i64;
                let right_end = from.saturating_add(self.window).min(items.len() - 1);
                for j in from + 1..=right_end {
                    let (x_before, j_before) = pair_lists(&lists[from], &lists[j]);
                    shift += j_before as i64 - x_before as i64;
                    if shift < best_shift {
                        best_shift = shift;
                        best_at = j;
                    }
                }
                shift = 0;
                let left_end = from.saturating_sub(self.window);
                for j in (left_end..from).rev() {
                    let (x_before, j_before) = pair_lists(&lists[from], &lists[j]);
                    shift += x_before as i64 - j_before as i64;
                    if shift < best_shift {
                        best_shift = shift;
                        best_at = j;
                    }
                }
                let current_cost_shift = 0i64;
                if best_shift < current_cost_shift {
                    gain += (current_cost_shift - best_shift) as u64;
                    let item = items.remove(from);
                    let group = groups.remove(from);
                    let list = lists.remove(from);
                    let t = tags.remove(from);
                    items.insert(best_at, item);
                    groups.insert(best_at, group);
                    lists.insert(best_at, list);
                    tags.insert(best_at, t);
                }
            }
            self.layered.blocks[block as usize].children = items.clone();
            let mut p = start;
            for group in &groups {
                for &v in group {
                    self.pos[v as usize] = p;
                    p += 1;
                }
            }
        }
        let mut offset = start;
        for (item, group) in items.iter().zip(&groups) {
            if let Item::Block(b) = *item {
                gain += self.sift_block(b, offset);
            }
            offset += group.len() as u32;
        }
        gain
    }

    fn sift_layers(&mut self, upward: bool) -> u64 {
        let layers: Vec<usize> = if upward {
            (0..self.layered.layer_count()).collect()
        } else {
            (0..self.layered.layer_count()).rev().collect()
        };
        let mut gain = 0;
        for layer in layers {
            let root = self.layered.roots[layer];
            gain += self.sift_block(root, 0);
        }
        gain
    }

    fn transpose_all(&mut self) -> u64 {
        let mut scratch = [Vec::new(), Vec::new()];
        let mut gain = 0;
        for layer in 0..self.layered.layer_count() {
            let root = self.layered.roots[layer];
            gain += self.transpose_block(root, 0, &mut scratch);
        }
        gain
    }
}

/// How hard to work: more restarts and rounds for small maps, where they are cheap and
/// where a person looks closely; fewer for huge ones, which must stay interactive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effort {
    /// Independent runs from different initial orders; the best is kept.
    pub starts: usize,
    /// Barycenter sweeps per run.
    pub sweeps: usize,
    /// Rounds of sifting per run (each over every layer), stopping early without gain.
    pub sift_rounds: usize,
    /// How far (in siblings) sifting moves an item.
    pub window: usize,
}

impl Effort {
    pub fn for_size(vertices: usize) -> Effort {
        match vertices {
            0..=1_500 => Effort {
                starts: 8,
                sweeps: 8,
                sift_rounds: 8,
                window: usize::MAX,
            },
            1_501..=6_000 => Effort {
                starts: 1,
                sweeps: 6,
                sift_rounds: 3,
                window: 32,
            },
            _ => Effort {
                starts: 1,
                sweeps: 6,
                sift_rounds: 2,
                window: 32,
            },
        }
    }

    /// Effort for a graph of `vertices` and `edges`: by size, and much less for dense
    /// graphs (many links per node), where each sifting step costs in proportion to the
    /// links of the items it compares.
    pub fn for_graph(vertices: usize, edges: usize) -> Effort {
        let by_size = Effort::for_size(vertices);
        if edges > 12 * vertices.max(1) {
            Effort {
                starts: 1,
                sweeps: 4,
                sift_rounds: 1,
                window: 4,
            }
        } else if edges > 4 * vertices.max(1) {
            Effort {
                starts: 1,
                sweeps: by_size.sweeps.min(6),
                sift_rounds: by_size.sift_rounds.min(2),
                window: by_size.window.min(16),
            }
        } else {
            by_size
        }
    }

    /// Barycenter sweeps only: the order a quick first look would give.
    pub fn sweeps_only(sweeps: usize) -> Effort {
        Effort {
            starts: 1,
            sweeps,
            sift_rounds: 0,
            window: 0,
        }
    }
}

/// Shuffles the children of every block (deterministically, from `seed`).
fn shuffle_blocks(layered: &mut Layered, seed: u64) {
    let mut rng = crate::model::generate::Rng::new(seed);
    for block in &mut layered.blocks {
        let children = &mut block.children;
        for i in (1..children.len()).rev() {
            let j = rng.below(i + 1);
            children.swap(i, j);
        }
    }
}

/// Orders every block's children as an earlier layout had them, without reducing
/// crossings: cards by their earlier place in their box (`node_place`, by node index),
/// boxes by their earlier place among their siblings (`segment_place`, by segment index);
/// what has no earlier place (a new node, a node moved to this box, a new box) goes to the
/// end, in file order. A block's loose cards come before its boxes, as packing draws them.
/// The points of long links, which no drawing shows, follow their links' ends. Returns the
/// crossings of the order.
pub fn keep_prior(
    layered: &mut Layered,
    segment_place: &[Option<u32>],
    node_place: &[Option<u32>],
) -> u64 {
    for block in 0..layered.blocks.len() {
        let children = std::mem::take(&mut layered.blocks[block].children);
        let mut keyed: Vec<(u8, u32, usize, Item)> = children
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                let (class, place) = match item {
                    Item::Leaf(v) => match layered.kinds[v as usize] {
                        VertexKind::Node(n) => (0, node_place.get(n).copied().flatten()),
                        VertexKind::Placeholder(_) => (0, None),
                        VertexKind::Virtual(_) => (2, None),
                    },
                    Item::Block(b) => (
                        1,
                        layered.blocks[b as usize]
                            .segment
                            .and_then(|s| segment_place.get(s).copied().flatten()),
                    ),
                };
                (class, place.unwrap_or(u32::MAX), index, item)
            })
            .collect();
        keyed.sort_by_key(|&(class, place, index, _)| (class, place, index));
        layered.blocks[block].children = keyed.into_iter().map(|(.., item)| item).collect();
    }
    place_link_points(layered);
    count_crossings(layered)
}

/// Puts each point where a long link crosses a tier it skips between the link's ends, in
/// proportion: its place in its tier is interpolated between the ends' places in theirs.
fn place_link_points(layered: &mut Layered) {
    // Each vertex's share of the way along its layer, long-link points left out.
    let mut share = vec![0.0f64; layered.vertex_count()];
    for order in layered.orders() {
        let real: Vec<Vertex> = order
            .into_iter()
            .filter(|&v| !matches!(layered.kinds[v as usize], VertexKind::Virtual(_)))
            .collect();
        let len = real.len().max(1) as f64;
        for (i, v) in real.into_iter().enumerate() {
            share[v as usize] = (i as f64 + 0.5) / len;
        }
    }
    for chain in &layered.chains {
        let (Some(&low), Some(&high)) = (chain.vertices.first(), chain.vertices.last()) else {
            continue;
        };
        let (a, b) = (share[low as usize], share[high as usize]);
        let steps = chain.vertices.len().saturating_sub(1).max(1) as f64;
        for (k, &v) in chain.vertices.iter().enumerate() {
            if matches!(layered.kinds[v as usize], VertexKind::Virtual(_)) {
                share[v as usize] = a + (b - a) * k as f64 / steps;
            }
        }
    }
    for root in layered.roots.clone() {
        let children = std::mem::take(&mut layered.blocks[root as usize].children);
        let (mut points, others): (Vec<Item>, Vec<Item>) = children.into_iter().partition(
            |item| matches!(item, Item::Leaf(v) if matches!(layered.kinds[*v as usize], VertexKind::Virtual(_))),
        );
        let key = |item: &Item| match *item {
            Item::Leaf(v) => (share[v as usize], v),
            Item::Block(_) => (0.0, 0),
        };
        points.sort_by(|a, b| {
            let (ka, va) = key(a);
            let (kb, vb) = key(b);
            ka.total_cmp(&kb).then(va.cmp(&vb))
        });
        let mut merged = Vec::with_capacity(points.len() + others.len());
        let mut points = points.into_iter().peekable();
        for item in others {
            let mut leaves = Vec::new();
            match item {
                Item::Leaf(v) => leaves.push(v),
                Item::Block(b) => layered.leaves(b, &mut leaves),
            }
            let start = leaves.first().map_or(0.0, |&v| share[v as usize]);
            while let Some(point) = points.next_if(|p| key(p).0 < start) {
                merged.push(point);
            }
            merged.push(item);
        }
        merged.extend(points);
        layered.blocks[root as usize].children = merged;
    }
}

/// The crossings of the layered graph in its current order.
pub fn count_crossings(layered: &Layered) -> u64 {
    let orders = layered.orders();
    let pos = positions(layered, &orders);
    total_crossings(layered, &orders, &pos)
}

/// Orders every layer to reduce crossings; returns the crossings of the order kept.
/// Deterministic: the same graph always gives the same order.
pub fn reduce_crossings(layered: &mut Layered, effort: Effort) -> u64 {
    let initial = layered.blocks.clone();
    let mut best: Option<(u64, Vec<super::layered::Block>)> = None;
    for start in 0..effort.starts.max(1) {
        layered.blocks = initial.clone();
        if start > 0 {
            shuffle_blocks(layered, start as u64);
        }
        let crossings = optimize(layered, effort);
        if best.as_ref().is_none_or(|(b, _)| crossings < *b) {
            best = Some((crossings, layered.blocks.clone()));
        }
        if crossings == 0 {
            break;
        }
    }
    match best {
        Some((crossings, blocks)) => {
            layered.blocks = blocks;
            crossings
        }
        None => 0,
    }
}

/// One run from the current order: sweeps, then sifting; leaves the best order found.
fn optimize(layered: &mut Layered, effort: Effort) -> u64 {
    let orders = layered.orders();
    let layer_len: Vec<usize> = orders.iter().map(Vec::len).collect();
    let pos = positions(layered, &orders);
    let mut best_crossings = total_crossings(layered, &orders, &pos);
    let mut best_blocks = layered.blocks.clone();
    let layer_count = layered.layer_count();
    let mut orderer = Orderer {
        layered,
        pos,
        layer_len,
        window: effort.window,
    };
    for iteration in 0..effort.sweeps {
        if best_crossings == 0 {
            break;
        }
        if iteration % 2 == 0 {
            for layer in 1..layer_count {
                orderer.reorder_layer(layer, Direction::FromBelow);
            }
        } else {
            for layer in (0..layer_count.saturating_sub(1)).rev() {
                orderer.reorder_layer(layer, Direction::FromAbove);
            }
        }
        let orders = orderer.layered.orders();
        let crossings = total_crossings(orderer.layered, &orders, &orderer.pos);
        if crossings < best_crossings {
            best_crossings = crossings;
            best_blocks = orderer.layered.blocks.clone();
        }
    }
    orderer.layered.blocks = best_blocks.clone();
    let orders = orderer.layered.orders();
    orderer.pos = positions(orderer.layered, &orders);
    for round in 0..effort.sift_rounds {
        if best_crossings == 0 {
            break;
        }
        let gain = orderer.sift_layers(round % 2 == 0) + orderer.transpose_all();
        let orders = orderer.layered.orders();
        let crossings = total_crossings(orderer.layered, &orders, &orderer.pos);
        if crossings < best_crossings {
            best_crossings = crossings;
            best_blocks = orderer.layered.blocks.clone();
        }
        if gain == 0 {
            break;
        }
    }
    orderer.layered.blocks = best_blocks;
    best_crossings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_count_crossing_pairs() {
        assert_eq!(count_inversions(&[0, 1, 2], 3), 0);
        assert_eq!(count_inversions(&[2, 1, 0], 3), 3);
        assert_eq!(count_inversions(&[1, 1, 0], 2), 2);
    }
}
