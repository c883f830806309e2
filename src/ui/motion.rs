//! Motion: when the layout changes (an edit, a re-flow, a language switch, undo or redo),
//! what the eye was following glides instead of jumping. Cards, segment boxes and tier
//! bands move from their old place to their new one along an eased path over
//! [`GLIDE_SECONDS`]; a new card fades in at its place and a removed one fades out at its
//! old one. Routes and flows are drawn at the new layout: those that did not change stay
//! as they are, the others fade in as the cards arrive.
//!
//! This module owns the geometry and the timing of one glide, matched by id from one layout
//! to the next; the app decides when a glide starts (and whether motion is on), the map view
//! draws [`Glide::layout`] with the opacities asked here. A frame of a glide only writes the
//! rectangles in place: nothing is allocated or rebuilt.

use crate::layout::{Layout, Rect};
use crate::model::{Lang, LinkKind, Map, Named};
use std::collections::{HashMap, HashSet};

/// How long a glide takes.
pub const GLIDE_SECONDS: f64 = 0.2;

/// What a layout places, index for index: the ids of its nodes, segments, tiers and links
/// and of the ghosts it made room for (to follow each one into the next layout), and its
/// nodes' and ghosts' names (to fade out a card the next map no longer has).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placed {
    pub nodes: Vec<String>,
    pub node_names: Vec<String>,
    pub segments: Vec<String>,
    pub tiers: Vec<String>,
    pub links: Vec<String>,
    /// Nodes a version compared with had, laid out as ghosts.
    pub ghosts: Vec<String>,
    pub ghost_names: Vec<String>,
}

impl Placed {
    /// What a layout of `map` places, with the node names in `lang`.
    pub fn of(map: &Map, lang: Lang) -> Placed {
        Placed {
            nodes: map.nodes.iter().map(|n| n.id.clone()).collect(),
            node_names: map
                .nodes
                .iter()
                .map(|n| n.name_in(lang).to_owned())
                .collect(),
            segments: map.segments.iter().map(|s| s.id.clone()).collect(),
            tiers: map.tiers.iter().map(|t| t.id.clone()).collect(),
            links: map.links.iter().map(|l| l.id.clone()).collect(),
            ghosts: Vec::new(),
            ghost_names: Vec::new(),
        }
    }
}

/// The map as the window lays it out: its layout, the places of the ghosts it made room
/// for (index for index with [`Placed::ghosts`]; `None` for one with no place), and what it
/// places.
#[derive(Clone, Copy, Debug)]
pub struct Picture<'a> {
    pub layout: &'a Layout,
    pub ghosts: &'a [Option<Rect>],
    pub placed: &'a Placed,
}

/// A card, a ghost or a box the new picture no longer has, fading out where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaving {
    pub rect: Rect,
    pub what: Left,
}

/// What a [`Leaving`] is.
#[derive(Clone, Debug, PartialEq)]
pub enum Left {
    /// A node's card, with its name.
    Card(String),
    /// The ghost of a node a version compared with had, with its name.
    Ghost(String),
    /// A segment's box.
    Box,
}

/// One glide from an old layout to a new one.
#[derive(Clone, Debug)]
pub struct Glide {
    /// When it started, in the context's seconds.
    started: f64,
    /// For each node, card and band of the new layout, its place in the old one (`None`:
    /// new, so it fades in).
    nodes_from: Vec<Option<Rect>>,
    ghosts_from: Vec<Option<Rect>>,
    segments_from: Vec<Option<Rect>>,
    tiers_from: Vec<Option<Rect>>,
    bounds_from: Rect,
    /// For each route and flow of the new layout: whether the old one drew it just so.
    edges_kept: Vec<bool>,
    flows_kept: Vec<bool>,
    leaving: Vec<Leaving>,
    /// The new layout and its ghosts, their rectangles where the glide has them.
    shown: Layout,
    shown_ghosts: Vec<Option<Rect>>,
    /// How far it has gone, eased: 0 at the old places, 1 at the new ones.
    eased: f32,
}

/// Places closer than this (in map units) are the same place.
const SAME_PLACE: f32 = 0.5;

impl Glide {
    /// The glide from `old` to `new` (each with what it places), starting at `now`. The
    /// nodes in `starts` (by index in `new`) start from where it says instead: a card
    /// dropped after a drag from where it was dropped, and with `None`, one to show (added
    /// since a version compared with) fades in. `None` when nothing would move, appear or
    /// leave.
    pub fn new(
        before: Picture<'_>,
        after: Picture<'_>,
        starts: &[(usize, Option<Rect>)],
        now: f64,
    ) -> Option<Glide> {
        let (old, was) = (before.layout, before.placed);
        let (target, is) = (after.layout, after.placed);
        // A card and a ghost of the same id are one thing: a node removed while comparing
        // turns into its ghost where it was, and back on undo.
        let places: HashMap<&str, Rect> = (was.nodes.iter().zip(old.nodes.iter().copied()))
            .chain(
                was.ghosts
                    .iter()
                    .zip(before.ghosts)
                    .filter_map(|(id, rect)| Some((id, (*rect)?))),
            )
            .map(|(id, rect)| (id.as_str(), rect))
            .collect();
        let follow = |ids: &[String], count: usize| -> Vec<Option<Rect>> {
            (0..count)
                .map(|i| ids.get(i).and_then(|id| places.get(id.as_str()).copied()))
                .collect()
        };
        let mut nodes_from = follow(&is.nodes, target.nodes.len());
        let ghosts_from = follow(&is.ghosts, after.ghosts.len());
        for &(i, start) in starts {
            if let Some(from) = nodes_from.get_mut(i) {
                *from = start;
            }
        }
        let segments_from = follow_boxes(
            old.segments.iter().map(|b| (b.segment, b.rect)),
            &was.segments,
            target.segments.iter().map(|b| b.segment),
            &is.segments,
        );
        let tiers_from = follow_boxes(
            old.tiers.iter().map(|b| (b.tier, b.rect)),
            &was.tiers,
            target.tiers.iter().map(|b| b.tier),
            &is.tiers,
        );
        let leaving = leaving(before, after);
        let moves = |from: &[Option<Rect>], to: &mut dyn Iterator<Item = Rect>| {
            from.iter()
                .zip(to)
                .any(|(from, to)| from.is_none_or(|from| !same_place(&from, &to)))
        };
        let still = !moves(&nodes_from, &mut target.nodes.iter().copied())
            && !moves(&ghosts_from, &mut after.ghosts.iter().flatten().copied())
            && !moves(&segments_from, &mut target.segments.iter().map(|b| b.rect))
            && !moves(&tiers_from, &mut target.tiers.iter().map(|b| b.rect))
            && leaving.is_empty();
        if still {
            return None;
        }
        Some(Glide {
            started: now,
            nodes_from,
            ghosts_from,
            segments_from,
            tiers_from,
            bounds_from: old.bounds,
            edges_kept: kept_edges(old, was, target, is),
            flows_kept: kept_flows(old, was, target, is),
            leaving,
            shown: target.clone(),
            shown_ghosts: after.ghosts.to_vec(),
            eased: 0.0,
        })
    }

    /// Moves everything to where it is at `now` on the way to `after` (the picture it was
    /// made for); returns whether the glide goes on.
    pub fn advance(&mut self, now: f64, after: Picture<'_>) -> bool {
        let target = after.layout;
        let t = ((now - self.started) / GLIDE_SECONDS).clamp(0.0, 1.0) as f32;
        self.eased = egui::emath::easing::cubic_in_out(t);
        let e = self.eased;
        glide_rects(
            self.shown.nodes.iter_mut(),
            &self.nodes_from,
            &target.nodes,
            e,
        );
        glide_rects(
            self.shown.segments.iter_mut().map(|b| &mut b.rect),
            &self.segments_from,
            target.segments.iter().map(|b| &b.rect),
            e,
        );
        glide_rects(
            self.shown.tiers.iter_mut().map(|b| &mut b.rect),
            &self.tiers_from,
            target.tiers.iter().map(|b| &b.rect),
            e,
        );
        for ((shown, from), to) in self
            .shown_ghosts
            .iter_mut()
            .zip(&self.ghosts_from)
            .zip(after.ghosts)
        {
            *shown = to.map(|to| between(from.as_ref(), &to, e));
        }
        self.shown.bounds = between(Some(&self.bounds_from), &target.bounds, e);
        t < 1.0
    }

    /// The layout as drawn now.
    pub fn layout(&self) -> &Layout {
        &self.shown
    }

    /// Where the ghosts are drawn now, index for index with [`Placed::ghosts`].
    pub fn ghosts(&self) -> &[Option<Rect>] {
        &self.shown_ghosts
    }

    /// How opaque ghost `k` is: a new one fades in.
    pub fn ghost_opacity(&self, k: usize) -> f32 {
        match self.ghosts_from.get(k) {
            Some(None) => self.eased,
            _ => 1.0,
        }
    }

    /// How opaque node `i`'s card is: a new card fades in.
    pub fn node_opacity(&self, i: usize) -> f32 {
        match self.nodes_from.get(i) {
            Some(None) => self.eased,
            _ => 1.0,
        }
    }

    /// How opaque segment box `k` (its index in the layout's boxes) is: a new box fades in.
    pub fn segment_opacity(&self, k: usize) -> f32 {
        match self.segments_from.get(k) {
            Some(None) => self.eased,
            _ => 1.0,
        }
    }

    /// How opaque route `k` (its index in the layout's edges) is: one drawn just so before
    /// stays, another fades in as the cards arrive.
    pub fn edge_opacity(&self, k: usize) -> f32 {
        if self.edges_kept.get(k).copied().unwrap_or(false) {
            1.0
        } else {
            self.eased * self.eased
        }
    }

    /// How opaque flow `k` is, as [`Glide::edge_opacity`].
    pub fn flow_opacity(&self, k: usize) -> f32 {
        if self.flows_kept.get(k).copied().unwrap_or(false) {
            1.0
        } else {
            self.eased * self.eased
        }
    }

    /// What left the map, fading out where it was.
    pub fn leaving(&self) -> &[Leaving] {
        &self.leaving
    }

    /// How opaque what leaves is.
    pub fn leaving_opacity(&self) -> f32 {
        1.0 - self.eased
    }
}

/// For each box of the new layout (its segment or tier index, ids `is`), its rectangle in
/// the old one (`(index, rectangle)`, ids `was`), matched by id.
fn follow_boxes(
    old: impl Iterator<Item = (usize, Rect)>,
    was: &[String],
    new: impl Iterator<Item = usize>,
    is: &[String],
) -> Vec<Option<Rect>> {
    let before: HashMap<&str, Rect> = old
        .filter_map(|(k, rect)| Some((was.get(k)?.as_str(), rect)))
        .collect();
    new.map(|k| is.get(k).and_then(|id| before.get(id.as_str()).copied()))
        .collect()
}

/// The cards, ghosts and boxes of the old picture whose ids the new one no longer has.
fn leaving(before: Picture<'_>, after: Picture<'_>) -> Vec<Leaving> {
    let (was, is) = (before.placed, after.placed);
    let cards_now: HashSet<&str> = is
        .nodes
        .iter()
        .chain(&is.ghosts)
        .map(String::as_str)
        .collect();
    let segments_now: HashSet<&str> = is.segments.iter().map(String::as_str).collect();
    let gone = |id: &String| !cards_now.contains(id.as_str());
    let cards = (was.nodes.iter().zip(&was.node_names))
        .zip(&before.layout.nodes)
        .filter(|((id, _), _)| gone(id))
        .map(|((_, name), rect)| Leaving {
            rect: *rect,
            what: Left::Card(name.clone()),
        });
    let ghosts = (was.ghosts.iter().zip(&was.ghost_names))
        .zip(before.ghosts)
        .filter(|((id, _), _)| gone(id))
        .filter_map(|((_, name), rect)| {
            Some(Leaving {
                rect: (*rect)?,
                what: Left::Ghost(name.clone()),
            })
        });
    let boxes = before
        .layout
        .segments
        .iter()
        .filter(|b| {
            was.segments
                .get(b.segment)
                .is_some_and(|id| !segments_now.contains(id.as_str()))
        })
        .map(|b| Leaving {
            rect: b.rect,
            what: Left::Box,
        });
    boxes.chain(cards).chain(ghosts).collect()
}

/// For each route of the new layout, whether the old layout had the same link's route at
/// the same points.
fn kept_edges(old: &Layout, was: &Placed, new: &Layout, is: &Placed) -> Vec<bool> {
    let before: HashMap<&str, &[[f32; 2]]> = old
        .edges
        .iter()
        .filter_map(|e| Some((was.links.get(e.link)?.as_str(), e.points.as_slice())))
        .collect();
    new.edges
        .iter()
        .map(|e| {
            is.links
                .get(e.link)
                .and_then(|id| before.get(id.as_str()))
                .is_some_and(|points| *points == e.points.as_slice())
        })
        .collect()
}

/// For each flow of the new layout, whether the old layout had a flow of the same kind
/// between the same segments at the same points.
fn kept_flows(old: &Layout, was: &Placed, new: &Layout, is: &Placed) -> Vec<bool> {
    let key = |ids: &'_ Placed, from: usize, to: usize, kind: LinkKind| {
        Some((
            ids.segments.get(from)?.clone(),
            ids.segments.get(to)?.clone(),
            kind,
        ))
    };
    let before: HashMap<(String, String, LinkKind), &[[f32; 2]]> = old
        .flows
        .iter()
        .filter_map(|f| Some((key(was, f.from, f.to, f.kind)?, f.points.as_slice())))
        .collect();
    new.flows
        .iter()
        .map(|f| {
            key(is, f.from, f.to, f.kind)
                .and_then(|k| before.get(&k))
                .is_some_and(|points| *points == f.points.as_slice())
        })
        .collect()
}

fn same_place(a: &Rect, b: &Rect) -> bool {
    (a.x - b.x).abs() < SAME_PLACE
        && (a.y - b.y).abs() < SAME_PLACE
        && (a.w - b.w).abs() < SAME_PLACE
        && (a.h - b.h).abs() < SAME_PLACE
}

/// Puts each shown rectangle `e` of the way from where it was to where it goes, index for
/// index.
fn glide_rects<'a>(
    shown: impl Iterator<Item = &'a mut Rect>,
    from: &[Option<Rect>],
    to: impl IntoIterator<Item = &'a Rect>,
    e: f32,
) {
    for ((shown, from), to) in shown.zip(from).zip(to) {
        *shown = between(from.as_ref(), to, e);
    }
}

/// The rectangle `e` of the way from `from` to `to` (at `to` when there is no `from`).
fn between(from: Option<&Rect>, to: &Rect, e: f32) -> Rect {
    let Some(from) = from.filter(|_| e < 1.0) else {
        return *to;
    };
    let lerp = |a: f32, b: f32| a + (b - a) * e;
    Rect {
        x: lerp(from.x, to.x),
        y: lerp(from.y, to.y),
        w: lerp(from.w, to.w),
        h: lerp(from.h, to.h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutOptions, default_sizes, layout};
    use crate::model::generate::generate;

    fn laid_out(map: &Map) -> (Layout, Placed) {
        let options = LayoutOptions::default();
        (
            layout(map, &default_sizes(map), &options),
            Placed::of(map, Lang::En),
        )
    }

    fn picture<'a>(layout: &'a Layout, placed: &'a Placed) -> Picture<'a> {
        Picture {
            layout,
            ghosts: &[],
            placed,
        }
    }

    /// A generated map, and the same without its fourth node.
    fn before_and_after() -> (Map, Map) {
        let map = generate(60, 1);
        let mut edited = map.clone();
        let gone = edited.nodes.remove(3).id;
        edited.links.retain(|l| l.from != gone && l.to != gone);
        (map, edited)
    }

    #[test]
    fn a_glide_passes_between_the_layouts_and_ends_at_the_new_one() {
        let (map, edited) = before_and_after();
        let (old, was) = laid_out(&map);
        let (new, is) = laid_out(&edited);
        let mut glide =
            Glide::new(picture(&old, &was), picture(&new, &is), &[], 10.0).expect("things move");
        assert!(glide.advance(10.0, picture(&new, &is)));
        // At the start everything is where it was.
        for (i, id) in is.nodes.iter().enumerate() {
            let k = was.nodes.iter().position(|w| w == id).expect("kept");
            assert_eq!(glide.layout().nodes[i], old.nodes[k]);
        }
        assert!(glide.advance(10.0 + GLIDE_SECONDS / 2.0, picture(&new, &is)));
        let moved = (0..is.nodes.len())
            .filter(|&i| {
                let k = was
                    .nodes
                    .iter()
                    .position(|w| *w == is.nodes[i])
                    .expect("kept");
                old.nodes[k] != new.nodes[i]
            })
            .collect::<Vec<_>>();
        assert!(!moved.is_empty());
        for &i in &moved {
            let k = was
                .nodes
                .iter()
                .position(|w| *w == is.nodes[i])
                .expect("kept");
            let (a, b, m) = (old.nodes[k], new.nodes[i], glide.layout().nodes[i]);
            let within = |v: f32, x: f32, y: f32| x.min(y) - 1e-3 <= v && v <= x.max(y) + 1e-3;
            assert!(
                within(m.x, a.x, b.x) && within(m.y, a.y, b.y),
                "{a:?} {m:?} {b:?}"
            );
        }
        assert_eq!(glide.leaving().len(), 1);
        assert_eq!(
            glide.leaving()[0].what,
            Left::Card(was.node_names[3].clone())
        );
        assert!(glide.leaving_opacity() > 0.0 && glide.leaving_opacity() < 1.0);
        assert!(
            !glide.advance(10.0 + GLIDE_SECONDS, picture(&new, &is)),
            "over"
        );
        assert_eq!(glide.layout().nodes, new.nodes);
        assert_eq!(glide.layout().segments, new.segments);
        assert_eq!(glide.layout().bounds, new.bounds);
        assert_eq!(glide.leaving_opacity(), 0.0);
    }

    #[test]
    fn a_removed_card_turns_into_its_ghost_where_it_was() {
        let (map, edited) = before_and_after();
        let (old, was) = laid_out(&map);
        let (new, mut is) = laid_out(&edited);
        is.ghosts = vec![was.nodes[3].clone()];
        is.ghost_names = vec![was.node_names[3].clone()];
        let cell = Rect {
            x: 1.0,
            y: 2.0,
            w: 30.0,
            h: 20.0,
        };
        let ghosts = [Some(cell)];
        let after = Picture {
            layout: &new,
            ghosts: &ghosts,
            placed: &is,
        };
        let mut glide = Glide::new(picture(&old, &was), after, &[], 0.0).expect("moves");
        assert!(glide.leaving().is_empty(), "it stays, as a ghost");
        assert_eq!(glide.ghost_opacity(0), 1.0, "no fade: it glides");
        glide.advance(0.0, after);
        assert_eq!(glide.ghosts(), [Some(old.nodes[3])]);
        glide.advance(GLIDE_SECONDS, after);
        assert_eq!(glide.ghosts(), [Some(cell)]);
    }

    #[test]
    fn ghosts_fade_out_as_ghosts_when_comparing_stops() {
        let (map, _) = before_and_after();
        let (layout, placed) = laid_out(&map);
        let mut comparing = placed.clone();
        comparing.ghosts = vec!["gone".into()];
        comparing.ghost_names = vec!["Gone".into()];
        let cell = Rect {
            x: 1.0,
            y: 2.0,
            w: 30.0,
            h: 20.0,
        };
        let before = Picture {
            layout: &layout,
            ghosts: &[Some(cell)],
            placed: &comparing,
        };
        let glide = Glide::new(before, picture(&layout, &placed), &[], 0.0).expect("a fade");
        assert_eq!(
            glide.leaving(),
            [Leaving {
                rect: cell,
                what: Left::Ghost("Gone".into())
            }]
        );
    }

    #[test]
    fn nothing_glides_when_nothing_moves_and_fresh_nodes_fade_in() {
        let (map, _) = before_and_after();
        let (old, was) = laid_out(&map);
        let same = picture(&old, &was);
        assert!(Glide::new(same, same, &[], 0.0).is_none());
        let mut glide = Glide::new(same, same, &[(2, None)], 0.0).expect("a fade");
        glide.advance(GLIDE_SECONDS / 4.0, same);
        assert!(glide.node_opacity(2) < 0.5);
        assert_eq!(glide.node_opacity(1), 1.0);
        // Routes that did not change stay drawn as they were.
        assert!((0..old.edges.len()).all(|k| glide.edge_opacity(k) == 1.0));
        assert!((0..old.flows.len()).all(|k| glide.flow_opacity(k) == 1.0));
        glide.advance(GLIDE_SECONDS, same);
        assert_eq!(glide.node_opacity(2), 1.0);
    }
}
