//! An edit checked against the part of the map it can change, not the whole map: what a
//! form does on every keystroke, where validating 20,000 nodes would cost 100 ms.
//!
//! Every rule of the checker looks at one entity and what it names (a node's tier and
//! segments, a link's ends, a figure's subject, holders, market and source, a thesis's
//! subjects, figures and sources), at the entities that share its id, at the other links
//! between its ends, or at one market's figures. So the problems an edit brings are found
//! in a small map holding: every tier and the map's settings; the entities the edit
//! changes (as they were and as they become); every entity with one of their ids; every
//! entity that names one of those ids; the links from a changed link's first end; every
//! figure of a market any of those figures is in; and, closing it, everything those
//! entities name. The checker runs on that small
//! map before and after the edit, and what is new after it is the verdict. Saving and
//! making the edit still check the whole map.

use super::edit::{Draft, Edit, EditError, Place, Verdict, same_entity};
use super::kinds::{Entity, EntityKind, EntityType};
use super::{CaseStudy, Figure, Id, Link, Map, Market, Node, Segment, Source, Thesis, Tier};
use crate::with_kind;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Where one entity is in a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Spot {
    kind: EntityKind,
    part: usize,
    index: usize,
}

/// What an entity names in its reference fields: the ids the checker looks up.
trait Names {
    fn names<'a>(&'a self, out: &mut Vec<&'a str>);
}

impl Names for Source {
    fn names<'a>(&'a self, _: &mut Vec<&'a str>) {}
}

impl Names for Tier {
    fn names<'a>(&'a self, _: &mut Vec<&'a str>) {}
}

impl Names for Market {
    fn names<'a>(&'a self, _: &mut Vec<&'a str>) {}
}

impl Names for Segment {
    fn names<'a>(&'a self, out: &mut Vec<&'a str>) {
        out.push(&self.tier);
        out.extend(self.parent.as_deref());
    }
}

impl Names for Node {
    fn names<'a>(&'a self, out: &mut Vec<&'a str>) {
        out.push(&self.tier);
        out.extend(self.segments.iter().map(String::as_str));
    }
}

impl Names for Link {
    fn names<'a>(&'a self, out: &mut Vec<&'a str>) {
        out.push(&self.from);
        out.push(&self.to);
        out.extend(self.evidence.iter().map(|e| e.source.as_str()));
    }
}

impl Names for Figure {
    fn names<'a>(&'a self, out: &mut Vec<&'a str>) {
        out.push(&self.subject);
        out.extend(self.holders.iter().map(String::as_str));
        out.extend(self.market.as_deref());
        out.push(&self.source);
    }
}

impl Names for Thesis {
    fn names<'a>(&'a self, out: &mut Vec<&'a str>) {
        out.extend(self.about.iter().map(String::as_str));
        out.extend(self.figures.iter().map(String::as_str));
        out.extend(self.evidence.iter().map(|e| e.source.as_str()));
    }
}

impl Names for CaseStudy {
    fn names<'a>(&'a self, out: &mut Vec<&'a str>) {
        out.push(&self.subject);
        out.extend(self.source.as_deref());
    }
}

/// The ids `entity` names.
fn names_of(entity: &Entity) -> Vec<&str> {
    let mut out = Vec::new();
    with_kind!(entity.kind(), T => {
        if let Some(item) = T::of(entity) {
            item.names(&mut out);
        }
    });
    out
}

/// A draft's entities by id and by the ids they name: built once per revision of the
/// draft, read by every check of an edit until the next.
#[derive(Debug, Default)]
pub struct DraftIndex {
    by_id: HashMap<Id, Vec<Spot>>,
    named_by: HashMap<Id, Vec<Spot>>,
    /// Every tier, which every check looks at (the order of tiers is a rule's).
    tiers: Vec<Spot>,
}

impl DraftIndex {
    pub fn of(draft: &Draft) -> DraftIndex {
        let mut index = DraftIndex::default();
        let mut names = Vec::new();
        for (part, map) in draft.parts.iter().enumerate() {
            let Some(map) = map else { continue };
            for kind in EntityKind::ALL {
                with_kind!(kind, T => {
                    for (i, item) in T::list(map).iter().enumerate() {
                        let spot = Spot { kind, part, index: i };
                        if kind == EntityKind::Tier {
                            index.tiers.push(spot);
                        }
                        index.by_id.entry(item.id().to_owned()).or_default().push(spot);
                        names.clear();
                        item.names(&mut names);
                        for name in &names {
                            index.named_by.entry((*name).to_owned()).or_default().push(spot);
                        }
                    }
                });
            }
        }
        index
    }

    fn with_id(&self, id: &str) -> &[Spot] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    fn naming(&self, id: &str) -> &[Spot] {
        self.named_by.get(id).map_or(&[], Vec::as_slice)
    }
}

/// The entities an edit's check looks at, each where the draft has it, and kept in the
/// draft's order so that the first of two with one id stays the first.
#[derive(Default)]
struct Nearby {
    spots: Vec<(Spot, Entity)>,
}

impl Nearby {
    /// The small map of these entities, as [`Draft::merged`] would order them, with the
    /// settings of the whole map and every tier.
    fn map(&self, draft: &Draft, tiers: &[(Spot, Entity)]) -> Map {
        let mut map = Map {
            meta: draft.merged_meta(),
            ..Map::default()
        };
        let mut all: Vec<&(Spot, Entity)> = self.spots.iter().chain(tiers).collect();
        all.sort_by_key(|(spot, _)| (spot.part, spot.kind, spot.index));
        for (_, entity) in all {
            with_kind!(entity.kind(), T => {
                if let Some(item) = T::of(entity) {
                    T::list_mut(&mut map).push(item.clone());
                }
            });
        }
        map
    }

    /// The entities as they are after the change: those after its place shift as the
    /// draft's lists do.
    fn apply(&mut self, place: Place, kind: EntityKind, before: bool, after: Option<&Entity>) {
        let same_list = |spot: &Spot| spot.kind == kind && spot.part == place.part;
        if before {
            self.spots
                .retain(|(spot, _)| !(same_list(spot) && spot.index == place.index));
            for (spot, _) in &mut self.spots {
                if same_list(spot) && spot.index > place.index && after.is_none() {
                    spot.index -= 1;
                }
            }
        } else {
            for (spot, _) in &mut self.spots {
                if same_list(spot) && spot.index >= place.index {
                    spot.index += 1;
                }
            }
        }
        if let Some(entity) = after {
            let spot = Spot {
                kind,
                part: place.part,
                index: place.index,
            };
            self.spots.push((spot, entity.clone()));
        }
    }
}

impl Draft {
    /// What validation would say of the map after `edit`, as [`Draft::check`] says, but
    /// looking only at the part of the map the edit can change (see the module's
    /// documentation); `index` must be this draft's. The draft is not touched.
    pub fn check_nearby(&self, edit: &Edit, index: &DraftIndex) -> Result<Verdict, EditError> {
        let spots = nearby_spots(self, edit, index);
        let mut nearby = Nearby::default();
        for spot in spots {
            let entity = self
                .parts
                .get(spot.part)
                .and_then(Option::as_ref)
                .and_then(|map| map.entity(spot.kind, spot.index))
                .ok_or(EditError::Stale)?;
            nearby.spots.push((spot, entity));
        }
        let tiers: Vec<(Spot, Entity)> = index
            .tiers
            .iter()
            .filter_map(|&spot| {
                let map = self.parts.get(spot.part)?.as_ref()?;
                Some((spot, map.entity(spot.kind, spot.index)?))
            })
            .collect();
        let before = self.validate_map(nearby.map(self, &tiers));
        // Each change meets the entity it expects where it expects it, as applying it to
        // the draft would check.
        let mut tiers = Nearby { spots: tiers };
        for change in &edit.changes {
            let kind = change
                .after
                .as_ref()
                .or(change.before.as_ref())
                .map(Entity::kind)
                .ok_or(EditError::Stale)?;
            if let Some(expected) = &change.before {
                let found = nearby
                    .spots
                    .iter()
                    .chain(&tiers.spots)
                    .find(|(spot, _)| {
                        spot.kind == kind
                            && spot.part == change.place.part
                            && spot.index == change.place.index
                    })
                    .map(|(_, entity)| entity);
                if !found.is_some_and(|found| same_entity(found, expected)) {
                    return Err(EditError::Stale);
                }
            }
            // Tiers are kept in their own list, every other kind in the nearby one.
            let list = if kind == EntityKind::Tier {
                &mut tiers
            } else {
                &mut nearby
            };
            list.apply(
                change.place,
                kind,
                change.before.is_some(),
                change.after.as_ref(),
            );
        }
        let after = self.validate_map(nearby.map(self, &tiers.spots));
        Ok(Verdict::between(&before.problems, &after.problems))
    }
}

/// The entities of the draft an edit's check looks at (see the module's documentation),
/// not counting the tiers, which are always looked at.
fn nearby_spots(draft: &Draft, edit: &Edit, index: &DraftIndex) -> Vec<Spot> {
    let changed: Vec<&Entity> = edit
        .changes
        .iter()
        .flat_map(|c| c.before.iter().chain(c.after.iter()))
        .collect();
    let ids: HashSet<&str> = changed.iter().map(|e| e.id()).collect();
    let mut spots: HashSet<Spot> = HashSet::default();
    // The changed entities, those sharing their ids, and those naming them.
    for id in &ids {
        spots.extend(index.with_id(id));
        spots.extend(index.naming(id));
    }
    // The entities as they are in the draft, read once each.
    let entity_at = |spot: &Spot| -> Option<Entity> {
        draft
            .parts
            .get(spot.part)?
            .as_ref()?
            .entity(spot.kind, spot.index)
    };
    let mut held: Vec<Entity> = spots.iter().filter_map(entity_at).collect();
    held.extend(changed.iter().map(|e| (*e).clone()));
    // The other links from a changed link's end, which it may repeat.
    for entity in &changed {
        if let Entity::Link(link) = entity {
            for &spot in index.naming(&link.from) {
                if spot.kind == EntityKind::Link && spots.insert(spot) {
                    held.extend(entity_at(&spot));
                }
            }
        }
    }
    // Each figure's market, and every figure of it.
    let markets: HashSet<String> = held
        .iter()
        .filter_map(|e| match e {
            Entity::Figure(f) => f.market.clone(),
            _ => None,
        })
        .collect();
    for market in &markets {
        for &spot in index.naming(market) {
            if spot.kind == EntityKind::Figure && spots.insert(spot) {
                held.extend(entity_at(&spot));
            }
        }
    }
    // Closed under naming: everything those entities name, and what that names.
    let mut to_name: Vec<Entity> = held;
    while let Some(entity) = to_name.pop() {
        for name in names_of(&entity) {
            for &spot in index.with_id(name) {
                if spots.insert(spot) {
                    to_name.extend(entity_at(&spot));
                }
            }
        }
    }
    spots.retain(|spot| spot.kind != EntityKind::Tier);
    let mut spots: Vec<Spot> = spots.into_iter().collect();
    spots.sort();
    spots
}
