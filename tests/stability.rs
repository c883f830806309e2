//! Layout from an earlier layout (issue 19): random edit sequences on small generated maps,
//! each step laid out from the step before, as the window does after an edit. After every
//! step the drawing is sound (cards in their boxes and bands, boxes in their parents,
//! nothing overlapping, no route through a card) and keeps its reading order: no two
//! top-level boxes and no two cards of a box swap, whatever the edit (a new shape
//! included); a link added or removed moves nothing; a layout laid out from itself stays
//! exactly where it is.

use chainmap::layout::{self, Layout, LayoutOptions, Rect};
use chainmap::model::generate::generate;
use chainmap::model::{Link, LinkKind, Map, Node, NodeKind, index_by_id};
use proptest::prelude::*;
use std::collections::HashMap;

/// One edit of the sequence; the numbers pick what it applies to.
#[derive(Clone, Debug)]
enum Edit {
    AddNode {
        at: usize,
        like: usize,
        name_len: usize,
    },
    RemoveNode(usize),
    Rename {
        node: usize,
        name_len: usize,
    },
    AddLink(usize, usize),
    RemoveLink(usize),
    MoveNode {
        node: usize,
        to: usize,
    },
    Shape(usize),
}

const SHAPES: [f32; 5] = [0.6, 1.0, 11.0 / 9.0, 16.0 / 9.0, 2.5];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>(), 3usize..30)
            .prop_map(|(at, like, name_len)| Edit::AddNode { at, like, name_len }),
        2 => any::<usize>().prop_map(Edit::RemoveNode),
        2 => (any::<usize>(), 3usize..30).prop_map(|(node, name_len)| Edit::Rename { node, name_len }),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::AddLink(a, b)),
        1 => any::<usize>().prop_map(Edit::RemoveLink),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(node, to)| Edit::MoveNode { node, to }),
        1 => (0..SHAPES.len()).prop_map(Edit::Shape),
    ]
}

fn name(len: usize) -> String {
    "Renamed company with a long name"
        .chars()
        .cycle()
        .take(len)
        .collect()
}

/// Applies `edit` to the map (or the shape); returns whether it changed only links.
fn apply(map: &mut Map, aspect: &mut f32, edit: &Edit, serial: usize) -> bool {
    let nodes = map.nodes.len();
    match *edit {
        Edit::AddNode { at, like, name_len } => {
            let like = &map.nodes[like % nodes];
            let node = Node {
                segments: like.segments.clone(),
                ..Node::new(
                    format!("added-{serial}"),
                    name(name_len),
                    NodeKind::Company,
                    like.tier.clone(),
                )
            };
            // Anywhere in the list, as an edit in one file of a folder lands among the
            // nodes of the files after it.
            map.nodes.insert(at % (nodes + 1), node);
        }
        Edit::RemoveNode(i) if nodes > 10 => {
            let gone = map.nodes.remove(i % nodes).id;
            map.links.retain(|l| l.from != gone && l.to != gone);
        }
        Edit::RemoveNode(_) => {}
        Edit::Rename { node, name_len } => map.nodes[node % nodes].name = name(name_len),
        Edit::AddLink(a, b) => {
            let (from, to) = (
                map.nodes[a % nodes].id.clone(),
                map.nodes[b % nodes].id.clone(),
            );
            map.links.push(Link::new(
                format!("added-link-{serial}"),
                from,
                to,
                LinkKind::Supplies,
            ));
            return true;
        }
        Edit::RemoveLink(i) if !map.links.is_empty() => {
            map.links.remove(i % map.links.len());
            return true;
        }
        Edit::RemoveLink(_) => return true,
        Edit::MoveNode { node, to } => {
            let node = &mut map.nodes[node % nodes];
            let same_tier: Vec<&str> = map
                .segments
                .iter()
                .filter(|s| s.tier == node.tier)
                .map(|s| s.id.as_str())
                .collect();
            if !same_tier.is_empty() {
                node.segments = vec![same_tier[to % same_tier.len()].to_owned()];
            }
        }
        Edit::Shape(i) => *aspect = SHAPES[i],
    }
    false
}

fn lay_out(map: &Map, aspect: f32, prior: Option<&Layout>) -> Layout {
    let options = LayoutOptions {
        aspect: Some(aspect),
        prior: prior.map(Layout::prior),
        ..LayoutOptions::default()
    };
    layout::layout(map, &layout::default_sizes(map), &options)
}

/// Cards in their bands and first segment's boxes, boxes in their parents, no two cards
/// or two boxes of one depth overlapping, no route across a card other than its ends.
fn check_geometry(map: &Map, layout: &Layout) -> Result<(), String> {
    let segments: HashMap<&str, usize> = index_by_id(&map.segments, |s| &s.id);
    let box_of = |segment: usize| layout.segments.iter().find(|b| b.segment == segment);
    for (i, node) in map.nodes.iter().enumerate() {
        let card = layout.nodes[i];
        let tier = map.tier_index(&node.tier).ok_or("a node's tier")?;
        if !layout.tiers[tier].rect.contains_rect(&card) {
            return Err(format!("{} leaves its band", node.id));
        }
        if let Some(b) = node
            .segments
            .first()
            .and_then(|s| segments.get(s.as_str()))
            .and_then(|&s| box_of(s))
            && !b.rect.contains_rect(&card)
        {
            return Err(format!("{} leaves its box", node.id));
        }
    }
    for (i, a) in layout.nodes.iter().enumerate() {
        for (j, b) in layout.nodes.iter().enumerate().skip(i + 1) {
            if a.overlaps(b) {
                return Err(format!("{} overlaps {}", map.nodes[i].id, map.nodes[j].id));
            }
        }
    }
    for (i, a) in layout.segments.iter().enumerate() {
        for b in layout.segments.iter().skip(i + 1) {
            if a.depth == b.depth && a.rect.overlaps(&b.rect) {
                return Err(format!("boxes {} and {} overlap", a.segment, b.segment));
            }
        }
        let segment = &map.segments[a.segment];
        let outer = match segment.parent.as_deref().and_then(|p| segments.get(p)) {
            Some(&p) => box_of(p).map(|b| b.rect),
            None => map.tier_index(&segment.tier).map(|t| layout.tiers[t].rect),
        };
        if outer.is_some_and(|outer| !outer.contains_rect(&a.rect)) {
            return Err(format!("box {} leaves its parent", segment.id));
        }
    }
    if let Some((link, card)) = layout.link_over_card(map) {
        let (link, card) = (&map.links[link].id, &map.nodes[card].id);
        return Err(format!("link {link} crosses {card}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn edits_from_an_earlier_layout_keep_the_reading_order(
        nodes in 40usize..140,
        seed in 0u64..1000,
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let mut map = generate(nodes, seed);
        let mut aspect = 16.0 / 9.0;
        let mut before = lay_out(&map, aspect, None);
        within(&before, &lay_out(&map, aspect, Some(&before)), 1e-2).map_err(TestCaseError::fail)?;
        for (serial, edit) in edits.iter().enumerate() {
            let links_only = apply(&mut map, &mut aspect, edit, serial);
            let after = lay_out(&map, aspect, Some(&before));
            check_geometry(&map, &after).map_err(|e| TestCaseError::fail(format!("{edit:?}: {e}")))?;
            let moved = after.stability_since(&before);
            prop_assert_eq!(moved.box_inversions, 0, "{:?}: boxes swapped", edit);
            prop_assert_eq!(moved.card_inversions, 0, "{:?}: cards swapped", edit);
            if links_only {
                prop_assert_eq!(moved.moved, 0, "{:?} moved cards", edit);
                prop_assert_eq!(after.bounds, before.bounds);
            }
            before = after;
        }
    }
}

/// An added node ("Copy.ai") beside the last node of the applications tier, in its box,
/// and a link to it.
fn grow(map: &Map) -> Map {
    let mut grown = map.clone();
    let like = grown
        .nodes
        .iter()
        .rposition(|n| n.tier == "applications")
        .unwrap_or(0);
    let anchor = grown.nodes[grown.nodes.len() / 3].id.clone();
    let mut added = Node::new(
        "added",
        "Copy.ai",
        NodeKind::Company,
        grown.nodes[like].tier.clone(),
    );
    added.segments = grown.nodes[like].segments.clone();
    grown.nodes.insert(like + 1, added);
    grown
        .links
        .push(Link::new("added-link", anchor, "added", LinkKind::Supplies));
    grown
}

#[test]
fn an_added_node_and_link_move_no_other_card() {
    for (map, name) in [
        (chainmap::io::bundled::load_bundled().map, "bundled"),
        (generate(500, 1), "500"),
        (generate(2_000, 1), "2000"),
    ] {
        let before = lay_out(&map, 16.0 / 9.0, None);
        let grown = grow(&map);
        let after = lay_out(&grown, 16.0 / 9.0, Some(&before));
        check_geometry(&grown, &after).expect("sound");
        let moved = after.stability_since(&before);
        assert_eq!(moved.box_inversions, 0, "{name}");
        assert!(moved.moved_share() <= 0.01, "{name}: {moved:?}");
    }
}

/// Whether two layouts place everything within `tolerance` of each other.
fn within(a: &Layout, b: &Layout, tolerance: f32) -> Result<(), String> {
    let near = |a: &Rect, b: &Rect| {
        [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)]
            .iter()
            .all(|(p, q)| (p - q).abs() <= tolerance)
    };
    if (a.bounds.w - b.bounds.w).abs() > 1e-2 || (a.bounds.h - b.bounds.h).abs() > 1e-2 {
        return Err(format!("bounds {:?} vs {:?}", a.bounds, b.bounds));
    }
    for (i, (p, q)) in a.nodes.iter().zip(&b.nodes).enumerate() {
        if !near(p, q) {
            return Err(format!("node {i}: {p:?} vs {q:?}"));
        }
    }
    for (p, q) in a.segments.iter().zip(&b.segments) {
        if !near(&p.rect, &q.rect) {
            return Err(format!("box {}: {:?} vs {:?}", p.segment, p.rect, q.rect));
        }
    }
    Ok(())
}

/// Laid out from itself (its own prior), a layout stays exactly where it is, whether it was
/// made afresh or from a prior.
#[test]
fn a_layout_from_its_own_prior_stays_where_it_is() {
    for map in [
        chainmap::io::bundled::load_bundled().map,
        generate(300, 7),
        chainmap::model::generate::generate_landscape(1_200, 2),
    ] {
        for aspect in [0.6, 16.0 / 9.0, 3.0] {
            let fresh = lay_out(&map, aspect, None);
            let kept = lay_out(&map, aspect, Some(&fresh));
            let again = lay_out(&map, aspect, Some(&kept));
            within(&fresh, &kept, 1e-2).expect("the fresh layout");
            within(&kept, &again, 1e-2).expect("a fixed point");
        }
    }
}
