//! The stability measures of issue 19, for `cargo bench --bench layout`: what an edit moves
//! when the map is laid out from its earlier layout (as the window and `export --prior` do)
//! and when it is laid out from scratch; what a new page shape does to the reading order;
//! how crossings drift over many edits with priors; and what a layout with a prior costs.
//!
//! Measured by [`Layout::stability_since`], the measure the tests hold the layout to:
//!
//! - *moved*: a node whose centre, from its tier band's top-left corner, shifts by more than
//!   its own width (a band sliding down as a whole is no move), as a share of the nodes
//!   both layouts have;
//! - *box inversions*: pairs of top-level boxes whose reading order (band, row, left to
//!   right) changed; *card inversions*: pairs of cards of one box whose order changed.

use chainmap::layout::{self, Layout, LayoutOptions, PriorPositions};
use chainmap::model::generate::{Rng, generate};
use chainmap::model::{Link, LinkKind, Map, Node, NodeKind};
use std::time::Instant;

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

/// What moved from `old` to `new`, as the window's stability measure counts it: the share
/// of nodes moved, box inversions, card inversions.
fn compare(old: &Layout, new: &Layout) -> (f64, u64, u64) {
    let stability = new.stability_since(old);
    (
        stability.moved_share(),
        stability.box_inversions,
        stability.card_inversions,
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
            let kept = lay_out(&grown, aspect, Some(before.prior()));
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let fresh = lay_out(&grown, aspect, None);
            let (moved, inv, _) = compare(&before, &kept);
            kept_moved.push(100.0 * moved);
            kept_inv = kept_inv.max(inv);
            let (moved, inv, _) = compare(&before, &fresh);
            fresh_moved.push(100.0 * moved);
            fresh_inv.push(inv as f64);
        }
        let narrow = lay_out(&map, 11.0 / 9.0, None);
        let wide = lay_out(&map, 16.0 / 9.0, Some(narrow.prior()));
        let (_, box_inv, card_inv) = compare(&narrow, &wide);
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
                edit_once(&mut map, &mut rng, serial);
                current = lay_out(&map, aspect, Some(current.prior()));
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
