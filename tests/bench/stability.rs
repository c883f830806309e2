//! The stability measures of issue 19, for `cargo bench --bench layout`: what an edit moves
//! when the map is laid out from its earlier layout (as the window and `export --prior` do)
//! and when it is laid out from scratch; what a new page shape does to the reading order;
//! how crossings drift over many edits with priors; and what a layout with a prior costs.
//!
//! Measured from the drawings alone (by id, through the maps), so that the same file runs
//! against an older version of the layout:
//!
//! - *moved*: a node whose centre, from its tier band's top-left corner, shifts by more than
//!   its own width (a band sliding down as a whole is no move), as a share of the nodes
//!   both layouts have;
//! - *box inversions*: pairs of top-level boxes whose reading order (band, row, left to
//!   right) changed; *card inversions*: pairs of cards of one box whose order changed.

use chainmap::layout::{self, Layout, LayoutOptions, PriorPositions};
use chainmap::model::generate::{Rng, generate};
use chainmap::model::{Link, LinkKind, Map, Node, NodeKind};
use std::collections::HashMap;
use std::time::Instant;

/// The earlier layout as the next one's prior.
fn prior_of(layout: &Layout, _map: &Map) -> PriorPositions {
    layout.prior()
}

/// How many single-node additions each map is measured over.
const TRIALS: usize = 20;
/// How many successive single-node edits the crossing drift is measured over, and in how
/// many sequences.
const EDITS: usize = 50;
const SEQUENCES: usize = 10;

fn lay_out(map: &Map, aspect: f32, prior: Option<PriorPositions>) -> Layout {
    let options = LayoutOptions {
        aspect: Some(aspect),
        prior,
        ..LayoutOptions::default()
    };
    layout::layout(map, &layout::default_sizes(map), &options)
}

/// A layout told by id: each node's card, its band, its box; each top box and its band.
struct Drawn {
    cards: HashMap<String, (layout::Rect, layout::Rect, String)>,
    boxes: Vec<(String, f32, layout::Rect)>,
}

impl Drawn {
    fn of(map: &Map, layout: &Layout) -> Drawn {
        let band = |tier: &str| {
            map.tier_index(tier)
                .and_then(|t| layout.tiers.get(t))
                .map_or(layout::Rect::default(), |b| b.rect)
        };
        let boxed: std::collections::HashSet<&str> = layout
            .segments
            .iter()
            .map(|b| map.segments[b.segment].id.as_str())
            .collect();
        let cards = map
            .nodes
            .iter()
            .zip(&layout.nodes)
            .map(|(n, &rect)| {
                let holder = n
                    .segments
                    .first()
                    .filter(|s| boxed.contains(s.as_str()))
                    .unwrap_or(&n.tier);
                (n.id.clone(), (rect, band(&n.tier), holder.clone()))
            })
            .collect();
        let boxes = layout
            .segments
            .iter()
            .filter(|b| b.depth == 1)
            .map(|b| {
                let s = &map.segments[b.segment];
                (s.id.clone(), band(&s.tier).y, b.rect)
            })
            .collect();
        Drawn { cards, boxes }
    }
}

fn reading(a: (f32, layout::Rect), b: (f32, layout::Rect)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0)
        .then(a.1.y.total_cmp(&b.1.y))
        .then(a.1.x.total_cmp(&b.1.x))
}

/// Pairs out of order (quadratic: boxes and the cards of one box are few).
fn inversions(ranks: &[usize]) -> u64 {
    let mut count = 0;
    for (i, a) in ranks.iter().enumerate() {
        count += ranks[i + 1..].iter().filter(|b| *b < a).count() as u64;
    }
    count
}

/// What moved from `(old_map, old)` to `(new_map, new)`: the share of nodes moved, box
/// inversions, card inversions.
fn compare(old_map: &Map, old: &Layout, new_map: &Map, new: &Layout) -> (f64, u64, u64) {
    let (a, b) = (Drawn::of(old_map, old), Drawn::of(new_map, new));
    let (mut common, mut moved) = (0, 0);
    for (id, (rect, band, _)) in &a.cards {
        let Some((now, now_band, _)) = b.cards.get(id) else {
            continue;
        };
        common += 1;
        let dx = (now.center_x() - now_band.x) - (rect.center_x() - band.x);
        let dy = (now.center_y() - now_band.y) - (rect.center_y() - band.y);
        if dx.hypot(dy) > rect.w {
            moved += 1;
        }
    }
    let order = |d: &Drawn| {
        let mut boxes: Vec<&(String, f32, layout::Rect)> = d.boxes.iter().collect();
        boxes.sort_by(|p, q| reading((p.1, p.2), (q.1, q.2)));
        boxes
            .into_iter()
            .map(|(id, ..)| id.clone())
            .collect::<Vec<_>>()
    };
    let rank: HashMap<String, usize> = order(&b).into_iter().zip(0..).collect();
    let ranks: Vec<usize> = order(&a)
        .iter()
        .filter_map(|id| rank.get(id).copied())
        .collect();
    let box_inversions = inversions(&ranks);
    let by_box = |d: &Drawn| {
        let mut boxes: HashMap<String, Vec<(String, layout::Rect)>> = HashMap::new();
        for (id, (rect, _, holder)) in &d.cards {
            boxes
                .entry(holder.clone())
                .or_default()
                .push((id.clone(), *rect));
        }
        for cards in boxes.values_mut() {
            cards.sort_by(|p, q| reading((0.0, p.1), (0.0, q.1)).then(p.0.cmp(&q.0)));
        }
        boxes
    };
    let (old_boxes, new_boxes) = (by_box(&a), by_box(&b));
    let mut card_inversions = 0;
    for (holder, cards) in &old_boxes {
        let Some(now) = new_boxes.get(holder) else {
            continue;
        };
        let rank: HashMap<&str, usize> = now.iter().map(|(id, _)| id.as_str()).zip(0..).collect();
        let ranks: Vec<usize> = cards
            .iter()
            .filter_map(|(id, _)| rank.get(id.as_str()).copied())
            .collect();
        card_inversions += inversions(&ranks);
    }
    (
        moved as f64 / common.max(1) as f64,
        box_inversions,
        card_inversions,
    )
}

/// One node added beside a random node of the top tier (in its box, placed in the list
/// just after it, as an edit of that node's file lands) and one link to it from a random
/// node of the tier below.
fn add_one(map: &Map, rng: &mut Rng, name: &str, serial: usize) -> Map {
    let mut grown = map.clone();
    let top = grown.tiers.last().map(|t| t.id.clone()).unwrap_or_default();
    let below = grown.tiers.iter().rev().nth(1).map(|t| t.id.clone());
    let pick = |rng: &mut Rng, tier: &str| {
        let of: Vec<usize> = (0..grown.nodes.len())
            .filter(|&i| grown.nodes[i].tier == tier)
            .collect();
        of[rng.below(of.len().max(1)).min(of.len().saturating_sub(1))]
    };
    let like = pick(rng, &top);
    let from = below.map_or(like, |t| pick(rng, &t));
    let id = format!("added-{serial}");
    let node = Node {
        segments: grown.nodes[like].segments.clone(),
        ..Node::new(id.clone(), name, NodeKind::Company, top.clone())
    };
    let from = grown.nodes[from].id.clone();
    grown.nodes.insert(like + 1, node);
    grown.links.push(Link::new(
        format!("added-link-{serial}"),
        from,
        id,
        LinkKind::Supplies,
    ));
    grown
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len() as f64 - 1.0) * p).round() as usize;
    values.get(i).copied().unwrap_or(f64::NAN)
}

/// The stability table: for each map, +1 node and link (over [`TRIALS`] random places),
/// with the earlier layout and from scratch; a new page shape with the earlier layout; the
/// time of a layout with the earlier layout.
pub fn report(sizes: &[usize]) {
    println!();
    println!(
        "| map | +1 node and link, with prior: moved (median / p90), box inversions (max) | from scratch: moved (median / p90), box inversions (median) | 11:9 → 16:9 with prior: box / card inversions | layout with prior, ms (median / p90) |"
    );
    println!("|---|---:|---:|---:|---:|");
    let mut maps: Vec<(String, Map)> = vec![(
        "bundled".to_owned(),
        chainmap::io::bundled::load_bundled().map,
    )];
    maps.extend(sizes.iter().map(|&n| (format!("{n}"), generate(n, 1))));
    for (name, map) in maps {
        let aspect = layout::DEFAULT_ASPECT;
        let before = lay_out(&map, aspect, None);
        let mut rng = Rng::new(7);
        let (mut kept_moved, mut fresh_moved) = (Vec::new(), Vec::new());
        let (mut kept_inv, mut fresh_inv) = (0u64, Vec::new());
        let mut times = Vec::new();
        for t in 0..TRIALS {
            let added_name = if name == "bundled" {
                "Copy.ai".to_owned()
            } else {
                format!("Company {}", map.nodes.len() + t)
            };
            let grown = add_one(&map, &mut rng, &added_name, t);
            let started = Instant::now();
            let kept = lay_out(&grown, aspect, Some(prior_of(&before, &map)));
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let fresh = lay_out(&grown, aspect, None);
            let (moved, inv, _) = compare(&map, &before, &grown, &kept);
            kept_moved.push(100.0 * moved);
            kept_inv = kept_inv.max(inv);
            let (moved, inv, _) = compare(&map, &before, &grown, &fresh);
            fresh_moved.push(100.0 * moved);
            fresh_inv.push(inv as f64);
        }
        let narrow = lay_out(&map, 11.0 / 9.0, None);
        let wide = lay_out(&map, 16.0 / 9.0, Some(prior_of(&narrow, &map)));
        let (_, box_inv, card_inv) = compare(&map, &narrow, &map, &wide);
        println!(
            "| {name} | {:.1}% / {:.1}%, {kept_inv} | {:.0}% / {:.0}%, {:.0} | {box_inv} / {card_inv} | {:.1} / {:.1} |",
            percentile(&mut kept_moved, 0.5),
            percentile(&mut kept_moved, 0.9),
            percentile(&mut fresh_moved, 0.5),
            percentile(&mut fresh_moved, 0.9),
            percentile(&mut fresh_inv, 0.5),
            percentile(&mut times, 0.5),
            percentile(&mut times, 0.9),
        );
    }
}

/// One random single-node edit: add a node (with a link up or down), remove one, or move
/// one to another box of its tier.
fn edit_once(map: &mut Map, rng: &mut Rng, serial: usize) {
    match rng.below(4) {
        0 | 1 => {
            let name = format!("Company {}", 900_000 + serial);
            *map = add_one(map, rng, &name, serial);
        }
        2 if map.nodes.len() > 20 => {
            let gone = map.nodes.remove(rng.below(map.nodes.len())).id;
            map.links.retain(|l| l.from != gone && l.to != gone);
        }
        _ => {
            let i = rng.below(map.nodes.len());
            let tier = map.nodes[i].tier.clone();
            let leaves: Vec<String> = map
                .segments
                .iter()
                .filter(|s| {
                    s.tier == tier
                        && !map
                            .segments
                            .iter()
                            .any(|c| c.parent.as_ref() == Some(&s.id))
                })
                .map(|s| s.id.clone())
                .collect();
            if !leaves.is_empty() {
                map.nodes[i].segments = vec![leaves[rng.below(leaves.len())].clone()];
            }
        }
    }
}

/// Crossings as drawn after [`EDITS`] successive single-node edits, each laid out from the
/// layout before, against a fresh layout of the final map: over [`SEQUENCES`] sequences of
/// random edits, the median and 90th percentile of the ratio.
pub fn drift(sizes: &[usize], crossings_as_drawn: fn(&Layout) -> u64) {
    println!();
    println!(
        "| nodes | crossings as drawn, fresh at start | after {EDITS} edits with priors (median) | fresh layout of the final map (median) | ratio (median / p90 / max of {SEQUENCES}) |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let start_map = generate(n, 1);
        let aspect = layout::DEFAULT_ASPECT;
        let start = lay_out(&start_map, aspect, None);
        let (mut kept_all, mut fresh_all, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for sequence in 0..SEQUENCES {
            let mut map = start_map.clone();
            let mut current = start.clone();
            let mut rng = Rng::new(11 + sequence as u64);
            for serial in 0..EDITS {
                let before_map = map.clone();
                edit_once(&mut map, &mut rng, serial);
                current = lay_out(&map, aspect, Some(prior_of(&current, &before_map)));
            }
            let fresh = lay_out(&map, aspect, None);
            let (kept, tidy) = (crossings_as_drawn(&current), crossings_as_drawn(&fresh));
            kept_all.push(kept as f64);
            fresh_all.push(tidy as f64);
            ratios.push(kept as f64 / tidy.max(1) as f64);
        }
        let max = ratios.iter().copied().fold(0.0, f64::max);
        println!(
            "| {n} | {} | {:.0} | {:.0} | {:.2} / {:.2} / {max:.2} |",
            crossings_as_drawn(&start),
            percentile(&mut kept_all, 0.5),
            percentile(&mut fresh_all, 0.5),
            percentile(&mut ratios, 0.5),
            percentile(&mut ratios, 0.9),
        );
    }
}
