//! The value chain of one node as the files state it: its suppliers (and theirs) upstream,
//! its customers (and theirs) downstream, each reached with the path of links that reaches
//! it. The window's Trace, saved views, pictures and `chainmap trace` all read this one
//! function.
//!
//! The walk follows value-flow links (supplies, hosts, integrates, owns) between market
//! participants. A link that names a segment is a link *of the segment*: a walk that
//! reaches a segment through it lights the segment, not the cards inside, and goes on only
//! along the segment's own links (and its parent segments'). A node goes on along its own
//! links and those of the segments it belongs to. Upstream and downstream are separate
//! walks: nothing upstream of a customer is part of the chain.

use super::{Lang, LinkKind, Map, Named, Worded};
use std::collections::{BTreeSet, VecDeque};

/// What a trace reaches: a node's card or a segment's box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reach {
    Node(usize),
    Segment(usize),
}

/// Which way a walk goes along the links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards suppliers: from a link's `to` to its `from`.
    Upstream,
    /// Towards customers: from a link's `from` to its `to`.
    Downstream,
}

impl Direction {
    pub const BOTH: [Direction; 2] = [Direction::Upstream, Direction::Downstream];

    /// The arrow a path is written with: value flows towards the start upstream.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Upstream => "←",
            Direction::Downstream => "→",
        }
    }
}

/// One thing a walk reached, with the last step of its shortest path.
#[derive(Clone, Debug, PartialEq)]
pub struct Reached {
    pub item: Reach,
    /// How many links from the start.
    pub depth: usize,
    /// The link of the last step, by position in `map.links`.
    pub link: usize,
    /// Where the last step came from: an earlier entry of the same walk, or the start.
    pub from: Option<usize>,
}

/// The whole chain of one node: both walks, each in the order reached (nearest first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub start: usize,
    pub upstream: Vec<Reached>,
    pub downstream: Vec<Reached>,
}

impl Trace {
    /// One walk's entries.
    pub fn walk(&self, direction: Direction) -> &[Reached] {
        match direction {
            Direction::Upstream => &self.upstream,
            Direction::Downstream => &self.downstream,
        }
    }

    /// The cards lit: the start and every node either walk reached.
    pub fn nodes(&self) -> BTreeSet<usize> {
        let reached = self.upstream.iter().chain(&self.downstream);
        std::iter::once(self.start)
            .chain(reached.filter_map(|r| match r.item {
                Reach::Node(i) => Some(i),
                Reach::Segment(_) => None,
            }))
            .collect()
    }

    /// The segment boxes lit: every segment either walk reached through a segment's link.
    pub fn segments(&self) -> BTreeSet<usize> {
        let reached = self.upstream.iter().chain(&self.downstream);
        reached
            .filter_map(|r| match r.item {
                Reach::Segment(i) => Some(i),
                Reach::Node(_) => None,
            })
            .collect()
    }

    /// The links on the paths of both walks.
    pub fn links(&self) -> BTreeSet<usize> {
        self.upstream
            .iter()
            .chain(&self.downstream)
            .map(|r| r.link)
            .collect()
    }

    /// Where `item` was reached: its walk and entry (upstream first, for an item that is
    /// both a supplier and a customer).
    pub fn find(&self, item: Reach) -> Option<(Direction, usize)> {
        Direction::BOTH.into_iter().find_map(|direction| {
            self.walk(direction)
                .iter()
                .position(|r| r.item == item)
                .map(|at| (direction, at))
        })
    }

    /// A walk's entries tier by tier, the top tier of the map first (as the map reads),
    /// each tier's in the order reached: `(tier index, entry positions)`.
    pub fn by_tier(&self, map: &Map, direction: Direction) -> Vec<(usize, Vec<usize>)> {
        let mut tiers: Vec<Vec<usize>> = vec![Vec::new(); map.tiers.len()];
        for (at, reached) in self.walk(direction).iter().enumerate() {
            if let Some(list) = reach_tier(map, reached.item).and_then(|t| tiers.get_mut(t)) {
                list.push(at);
            }
        }
        tiers
            .into_iter()
            .enumerate()
            .rev()
            .filter(|(_, entries)| !entries.is_empty())
            .collect()
    }

    /// The path to entry `at` of a walk, from the start: each link and what it reached.
    pub fn path(&self, direction: Direction, at: usize) -> Vec<(usize, Reach)> {
        let walk = self.walk(direction);
        let mut steps = Vec::new();
        let mut next = Some(at);
        // Each entry's `from` is an earlier entry, so this ends; the bound guards a
        // hand-built trace.
        while let Some(entry) = next.and_then(|i| walk.get(i)) {
            if steps.len() > walk.len() {
                break;
            }
            steps.push((entry.link, entry.item));
            next = entry.from;
        }
        steps.reverse();
        steps
    }

    /// The path to entry `at` as a reader says it: "OpenAI ← hosts ← Azure ← supplies ←
    /// H100" upstream, "OpenAI → integrates → Copilot" downstream.
    pub fn path_text(&self, map: &Map, direction: Direction, at: usize, lang: Lang) -> String {
        let arrow = direction.arrow();
        let mut text = reach_name(map, Reach::Node(self.start), lang).to_owned();
        for (link, item) in self.path(direction, at) {
            let kind = map.links.get(link).map_or("", |l| l.kind.label_in(lang));
            text.push_str(&format!(
                " {arrow} {kind} {arrow} {}",
                reach_name(map, item, lang)
            ));
        }
        text
    }
}

/// A reached item's name in the reader's language.
pub fn reach_name(map: &Map, item: Reach, lang: Lang) -> &str {
    match item {
        Reach::Node(i) => map.nodes.get(i).map_or("", |n| n.name_in(lang)),
        Reach::Segment(i) => map.segments.get(i).map_or("", |s| s.name_in(lang)),
    }
}

/// The tier of a reached item, by position in `map.tiers`.
pub fn reach_tier(map: &Map, item: Reach) -> Option<usize> {
    let tier = match item {
        Reach::Node(i) => &map.nodes.get(i)?.tier,
        Reach::Segment(i) => &map.segments.get(i)?.tier,
    };
    map.tier_index(tier)
}

/// The value-flow links at each node and segment, by the end they are at, with every end
/// resolved once.
struct Adjacency {
    /// For each node: links it is the `from` end of, and the `to` end of.
    node_from: Vec<Vec<(usize, Reach)>>,
    node_to: Vec<Vec<(usize, Reach)>>,
    segment_from: Vec<Vec<(usize, Reach)>>,
    segment_to: Vec<Vec<(usize, Reach)>>,
    /// Each segment and its ancestors, nearest first.
    segment_lines: Vec<Vec<usize>>,
    /// Each node's segments and their ancestors, without repeats.
    node_segments: Vec<Vec<usize>>,
}

/// What the walks may follow, before any kind is hidden: each link's ends as a walk sees
/// them, and the segments each node and segment goes on through. The web page walks this
/// same graph, so that its trace is this one.
#[derive(Clone, Debug, PartialEq)]
pub struct WalkGraph {
    /// For each link, by position in `map.links`: its `from` and `to` ends, or `None` for a
    /// link no walk takes (not a value flow, or an end that is an idea, a team or unknown).
    pub ends: Vec<Option<(Reach, Reach)>>,
    /// Each segment and its ancestors, nearest first.
    pub segment_lines: Vec<Vec<usize>>,
    /// Each node's segments and their ancestors, without repeats.
    pub node_segments: Vec<Vec<usize>>,
}

/// The graph every trace of `map` walks.
pub fn walk_graph(map: &Map) -> WalkGraph {
    let nodes = super::index_by_id(&map.nodes, |n| &n.id);
    let segments = super::index_by_id(&map.segments, |s| &s.id);
    let end = |id: &str| -> Option<Reach> {
        if let Some(&i) = nodes.get(id) {
            // An idea or a team is never lit, nor passed through.
            let participant = map.nodes.get(i)?.kind.is_market_participant();
            return participant.then_some(Reach::Node(i));
        }
        segments.get(id).map(|&i| Reach::Segment(i))
    };
    let segment_lines: Vec<Vec<usize>> = (0..map.segments.len())
        .map(|i| {
            let mut line = vec![i];
            let mut at = i;
            // A parent cycle is an error the checker reports; stop at a repeat.
            while let Some(parent) = map
                .segments
                .get(at)
                .and_then(|s| s.parent.as_deref())
                .and_then(|p| segments.get(p).copied())
            {
                if line.contains(&parent) {
                    break;
                }
                line.push(parent);
                at = parent;
            }
            line
        })
        .collect();
    let node_segments = map
        .nodes
        .iter()
        .map(|n| {
            let mut own: Vec<usize> = Vec::new();
            for s in n.segments.iter().filter_map(|s| segments.get(s.as_str())) {
                for &a in segment_lines.get(*s).map_or(&[][..], Vec::as_slice) {
                    if !own.contains(&a) {
                        own.push(a);
                    }
                }
            }
            own
        })
        .collect();
    let ends = map
        .links
        .iter()
        .map(|link| {
            if !link.kind.is_value_flow() {
                return None;
            }
            Some((end(&link.from)?, end(&link.to)?))
        })
        .collect();
    WalkGraph {
        ends,
        segment_lines,
        node_segments,
    }
}

impl Adjacency {
    fn of(map: &Map, hidden: &BTreeSet<LinkKind>) -> Adjacency {
        let graph = walk_graph(map);
        let mut adjacency = Adjacency {
            node_from: vec![Vec::new(); map.nodes.len()],
            node_to: vec![Vec::new(); map.nodes.len()],
            segment_from: vec![Vec::new(); map.segments.len()],
            segment_to: vec![Vec::new(); map.segments.len()],
            segment_lines: graph.segment_lines,
            node_segments: graph.node_segments,
        };
        for (i, (link, ends)) in map.links.iter().zip(graph.ends).enumerate() {
            let Some((from, to)) = ends.filter(|_| !hidden.contains(&link.kind)) else {
                continue;
            };
            adjacency.push(from, true, i, to);
            adjacency.push(to, false, i, from);
        }
        adjacency
    }

    /// Records `link` at `item`: among the links it is the `from` end of, or the `to` end
    /// of, with the item at the link's other end.
    fn push(&mut self, item: Reach, from_end: bool, link: usize, other: Reach) {
        let lists = match (item, from_end) {
            (Reach::Node(_), true) => &mut self.node_from,
            (Reach::Node(_), false) => &mut self.node_to,
            (Reach::Segment(_), true) => &mut self.segment_from,
            (Reach::Segment(_), false) => &mut self.segment_to,
        };
        let (Reach::Node(i) | Reach::Segment(i)) = item;
        if let Some(list) = lists.get_mut(i) {
            list.push((link, other));
        }
    }

    /// The steps a walk takes from `item`: a node's own links and its segments', a
    /// segment's own links and its parents'.
    fn steps(&self, item: Reach, direction: Direction) -> Vec<(usize, Reach)> {
        let (nodes, segments) = match direction {
            Direction::Upstream => (&self.node_to, &self.segment_to),
            Direction::Downstream => (&self.node_from, &self.segment_from),
        };
        let at_segment = |s: &usize| segments.get(*s).map_or(&[][..], Vec::as_slice);
        match item {
            Reach::Node(i) => {
                let own = nodes.get(i).map_or(&[][..], Vec::as_slice);
                let via_segments = self.node_segments.get(i).map_or(&[][..], Vec::as_slice);
                own.iter()
                    .chain(via_segments.iter().flat_map(at_segment))
                    .copied()
                    .collect()
            }
            Reach::Segment(i) => self
                .segment_lines
                .get(i)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .flat_map(at_segment)
                .copied()
                .collect(),
        }
    }
}

/// The chain of node `start` along the value-flow links not in `hidden`; `None` when the
/// start is no market participant (an idea or a team has no value chain).
pub fn trace(map: &Map, start: usize, hidden: &BTreeSet<LinkKind>) -> Option<Trace> {
    if !map
        .nodes
        .get(start)
        .is_some_and(|n| n.kind.is_market_participant())
    {
        return None;
    }
    let mut result = Trace {
        start,
        ..Trace::default()
    };
    let adjacency = Adjacency::of(map, hidden);
    for direction in Direction::BOTH {
        let mut walk: Vec<Reached> = Vec::new();
        let mut seen: BTreeSet<Reach> = BTreeSet::from([Reach::Node(start)]);
        // Breadth first, so that each item keeps a shortest path.
        let mut queue: VecDeque<(Reach, Option<usize>, usize)> =
            VecDeque::from([(Reach::Node(start), None, 0)]);
        while let Some((item, entry, depth)) = queue.pop_front() {
            for (link, next) in adjacency.steps(item, direction) {
                if seen.insert(next) {
                    walk.push(Reached {
                        item: next,
                        depth: depth + 1,
                        link,
                        from: entry,
                    });
                    queue.push_back((next, Some(walk.len() - 1), depth + 1));
                }
            }
        }
        match direction {
            Direction::Upstream => result.upstream = walk,
            Direction::Downstream => result.downstream = walk,
        }
    }
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Segment;
    use crate::model::test_maps::{chain, segment};

    const CHIPCO: usize = 0;
    const CLOUD: usize = 1;
    const LAB: usize = 2;
    const RIVAL_LAB: usize = 3;
    const BIGCO: usize = 4;
    const APP: usize = 5;
    const IDEA: usize = 6;
    const OTHER_APP: usize = 7;

    fn reached(trace: &Trace, direction: Direction) -> Vec<Reach> {
        trace.walk(direction).iter().map(|r| r.item).collect()
    }

    #[test]
    fn a_segment_link_lights_the_segment_not_its_members() {
        let map = chain();
        let trace = trace(&map, LAB, &BTreeSet::new()).expect("a lab has a chain");
        // Upstream: the cloud hosting it, the cloud's owner; the chips segment through the
        // clouds' segment link; the labs segment through the big-tech segment's link. No
        // card inside a segment reached that way: not ChipCo, not the rival lab.
        assert_eq!(
            reached(&trace, Direction::Upstream),
            [
                Reach::Node(CLOUD),
                Reach::Node(BIGCO),
                Reach::Segment(0),
                Reach::Segment(2)
            ]
        );
        assert_eq!(
            trace.nodes(),
            BTreeSet::from([CLOUD, LAB, BIGCO, APP, OTHER_APP])
        );
        assert!(!trace.nodes().contains(&RIVAL_LAB));
        assert!(!trace.nodes().contains(&CHIPCO));
        assert!(!trace.nodes().contains(&IDEA));
        // Downstream: the lab's own customers, and the big-tech segment through the labs'
        // segment link, as a box: BigCo's card is upstream only.
        assert_eq!(
            reached(&trace, Direction::Downstream),
            [Reach::Node(APP), Reach::Node(OTHER_APP), Reach::Segment(3)]
        );
        assert_eq!(trace.segments(), BTreeSet::from([0, 2, 3]));
    }

    #[test]
    fn each_reached_item_keeps_its_shortest_path() {
        let map = chain();
        let trace = trace(&map, LAB, &BTreeSet::new()).expect("a lab has a chain");
        let (direction, at) = trace.find(Reach::Segment(0)).expect("chips reached");
        assert_eq!(direction, Direction::Upstream);
        let chips = &trace.upstream[at];
        assert_eq!(chips.depth, 2);
        let via: Vec<&str> = trace
            .path(direction, at)
            .iter()
            .map(|(link, _)| map.links[*link].id.as_str())
            .collect();
        assert_eq!(via, ["cloud-lab", "chips-clouds"]);
        assert_eq!(
            trace.path_text(&map, direction, at, Lang::En),
            "lab ← hosts ← cloud ← supplies ← chips"
        );
        let (direction, at) = trace.find(Reach::Node(APP)).expect("app reached");
        assert_eq!(
            trace.path_text(&map, direction, at, Lang::Zh),
            "lab → 集成 → app"
        );
    }

    #[test]
    fn walks_never_turn_from_up_to_down() {
        let map = chain();
        // The app's supplier is the lab; the lab's other customer is no part of the
        // app's chain.
        let trace = trace(&map, APP, &BTreeSet::new()).expect("an app has a chain");
        assert!(trace.upstream.iter().any(|r| r.item == Reach::Node(LAB)));
        assert!(!trace.nodes().contains(&OTHER_APP));
        assert!(trace.downstream.is_empty());
    }

    #[test]
    fn hidden_kinds_are_not_walked_and_ideas_have_no_chain() {
        let map = chain();
        let hidden = BTreeSet::from([LinkKind::Hosts]);
        let trace = trace(&map, LAB, &hidden).expect("a lab has a chain");
        assert!(!trace.nodes().contains(&CLOUD));
        assert!(!trace.segments().contains(&0));
        assert!(super::trace(&map, IDEA, &BTreeSet::new()).is_none());
    }

    #[test]
    fn a_node_follows_the_links_of_its_segment_s_parents() {
        let mut map = chain();
        map.segments.push(Segment {
            parent: Some("clouds".into()),
            ..segment("gpu-clouds", "cloud")
        });
        map.nodes[CLOUD].segments = vec!["gpu-clouds".into()];
        let trace = trace(&map, CLOUD, &BTreeSet::new()).expect("a cloud has a chain");
        // The chips supply the clouds segment, the parent of the cloud's own.
        assert!(trace.segments().contains(&0));
    }
}
