//! Edits as data. A map is edited as its parts (one per file) hold it, before merging and
//! validation, so that an edit never touches what the reader did not change and entities
//! the checker left out are never lost. Each [`Edit`] is a list of [`Change`]s, each
//! replacing, inserting or removing one entity at a known place; undoing an edit applies
//! the inverse changes in reverse order, which restores the parts exactly.

use super::{Entity, EntityKind, EntityType, Id, Map, MapMeta, Problem, Validated, is_kebab_case};
use crate::with_kind;

/// Whether the entity at a place is still the one an edit expects: equal, where a number
/// that is NaN in both counts as the same (a NaN a file holds is never `==` to itself,
/// yet is the same value; without this a figure holding one could never be edited, not
/// even to fix it). Figures' shares and nodes' pins are the entities' only floats.
pub(super) fn same_entity(found: &Entity, expected: &Entity) -> bool {
    if found == expected {
        return true;
    }
    match (found, expected) {
        (Entity::Figure(a), Entity::Figure(b)) => {
            let without_numbers = |f: &super::Figure| super::Figure {
                low: None,
                high: None,
                ..f.clone()
            };
            same_number(a.low, b.low)
                && same_number(a.high, b.high)
                && without_numbers(a) == without_numbers(b)
        }
        (Entity::Node(a), Entity::Node(b)) => {
            let same_pin = match (a.pin, b.pin) {
                (Some((ax, ay)), Some((bx, by))) => {
                    same_number(Some(ax.into()), Some(bx.into()))
                        && same_number(Some(ay.into()), Some(by.into()))
                }
                (None, None) => true,
                _ => false,
            };
            let without_pin = |n: &super::Node| super::Node {
                pin: None,
                ..n.clone()
            };
            same_pin && without_pin(a) == without_pin(b)
        }
        _ => false,
    }
}

/// Equal, or NaN in both.
fn same_number(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || (a.is_nan() && b.is_nan()),
        (None, None) => true,
        _ => false,
    }
}

impl Map {
    fn insert_entity(&mut self, index: usize, entity: Entity) -> Result<(), EditError> {
        with_kind!(entity.kind(), T => {
            let value = T::of(&entity).cloned().ok_or(EditError::Stale)?;
            let list = T::list_mut(self);
            if index > list.len() {
                return Err(EditError::Stale);
            }
            list.insert(index, value);
            Ok(())
        })
    }

    fn replace_entity(
        &mut self,
        index: usize,
        expected: &Entity,
        entity: Entity,
    ) -> Result<(), EditError> {
        if !self
            .entity(expected.kind(), index)
            .is_some_and(|found| same_entity(&found, expected))
        {
            return Err(EditError::Stale);
        }
        with_kind!(entity.kind(), T => {
            let value = T::of(&entity).cloned().ok_or(EditError::Stale)?;
            match T::list_mut(self).get_mut(index) {
                Some(slot) => {
                    *slot = value;
                    Ok(())
                }
                None => Err(EditError::Stale),
            }
        })
    }

    fn remove_entity(&mut self, index: usize, expected: &Entity) -> Result<(), EditError> {
        if !self
            .entity(expected.kind(), index)
            .is_some_and(|found| same_entity(&found, expected))
        {
            return Err(EditError::Stale);
        }
        with_kind!(expected.kind(), T => {
            T::list_mut(self).remove(index);
            Ok(())
        })
    }

    /// Whether this part gives any map-wide setting.
    fn has_meta(&self) -> bool {
        self.meta != MapMeta::default()
    }
}

/// Where an entity sits: its part (file) and its position in that part's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Place {
    pub part: usize,
    pub index: usize,
}

/// One entity replaced (`before` and `after`), inserted (`after` only) or removed
/// (`before` only) at `place`.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub place: Place,
    pub before: Option<Entity>,
    pub after: Option<Entity>,
}

impl Change {
    fn inverse(&self) -> Change {
        Change {
            place: self.place,
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// What one action of an editor did, undone and redone as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// What the edit did, in words: "set high of q52".
    pub label: String,
    pub changes: Vec<Change>,
}

impl Edit {
    /// The edit that undoes this one.
    pub fn inverse(&self) -> Edit {
        Edit {
            label: self.label.clone(),
            changes: self.changes.iter().rev().map(Change::inverse).collect(),
        }
    }

    /// The ids this edit touches.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.changes
            .iter()
            .filter_map(|c| c.after.as_ref().or(c.before.as_ref()))
            .map(Entity::id)
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("no entity has the id \"{0}\"")]
    UnknownId(String),
    #[error("the id \"{0}\" is already used")]
    IdTaken(String),
    #[error("\"{0}\" is not a valid id: use lowercase letters and digits joined by \"-\"")]
    BadId(String),
    #[error("an entity's id cannot change (\"{0}\" became \"{1}\")")]
    IdChanged(String, String),
    #[error("the map holds no part that can take a new {0}")]
    NoPart(&'static str),
    #[error("{0}")]
    Refused(String),
    /// The edit was made against another state of the map (an internal error).
    #[error("the map changed under the edit")]
    Stale,
}

/// A map as its parts (files) hold it: what edits change and saves write. A part that
/// could not be read or parsed is `None` and is never touched.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub parts: Vec<Option<Map>>,
    /// How each figure's `low` is written in its file, by figure id: the value read and its
    /// decimals (`74.0` → 1, which the `f64` forgets). Checks of edits use it for the
    /// rounding rule of published shares, as the loader does, while the figure keeps that
    /// value; an edited value is written in its shortest form.
    pub written_lows: rustc_hash::FxHashMap<super::Id, (f64, u32)>,
    /// The decimals an edit gave a figure's numbers (`set … low 80.0`), which saves keep
    /// in the file: the written precision belongs to the figure, as the files say it.
    pub precisions: super::Precisions,
}

/// Two drafts are equal when their parts are: `written_lows` records how the files wrote
/// the numbers they were read from, which a draft read back after an edit knows better,
/// and `precisions` how edits want them written; the texts hold both.
impl PartialEq for Draft {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Draft {
    /// The first entity of `kind` with this id, in part order.
    pub fn find(&self, kind: EntityKind, id: &str) -> Option<Place> {
        self.parts.iter().enumerate().find_map(|(part, map)| {
            let index = map.as_ref()?.position(kind, id)?;
            Some(Place { part, index })
        })
    }

    /// The first entity of any kind with this id.
    pub fn find_id(&self, id: &str) -> Option<(EntityKind, Place)> {
        EntityKind::ALL
            .into_iter()
            .find_map(|kind| Some((kind, self.find(kind, id)?)))
    }

    /// How many entities, of every kind in every part, carry this id (more than one is a
    /// duplicate the checker reports).
    pub fn id_count(&self, id: &str) -> usize {
        let parts = self.parts.iter().flatten();
        parts
            .map(|part| part.ids().filter(|(i, _)| *i == id).count())
            .sum()
    }

    pub fn get(&self, kind: EntityKind, id: &str) -> Option<Entity> {
        let place = self.find(kind, id)?;
        self.parts
            .get(place.part)?
            .as_ref()?
            .entity(kind, place.index)
    }

    /// Every part merged in order, as the loader merges files; the map-wide settings
    /// come from the first part that gives any.
    pub fn merged(&self) -> Map {
        let mut map = Map::default();
        let mut meta_given = false;
        for part in self.parts.iter().flatten() {
            if !meta_given && part.has_meta() {
                map.meta = part.meta.clone();
                meta_given = true;
            }
            map.append(&mut part.clone());
        }
        map
    }

    /// Applies every change of `edit`, or none: on a failure the draft is left as it was.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        for (done, change) in edit.changes.iter().enumerate() {
            if let Err(error) = self.apply_change(change) {
                // Undo the changes already made, newest first.
                for change in edit.changes.iter().take(done).rev() {
                    let _ = self.apply_change(&change.inverse());
                }
                return Err(error);
            }
        }
        Ok(())
    }

    fn apply_change(&mut self, change: &Change) -> Result<(), EditError> {
        let part = self
            .parts
            .get_mut(change.place.part)
            .and_then(Option::as_mut)
            .ok_or(EditError::Stale)?;
        let index = change.place.index;
        match (&change.before, &change.after) {
            (Some(before), Some(after)) => part.replace_entity(index, before, after.clone()),
            (None, Some(after)) => part.insert_entity(index, after.clone()),
            (Some(before), None) => part.remove_entity(index, before),
            (None, None) => Ok(()),
        }
    }

    /// An edit that replaces the entity with `entity`'s kind and id by `entity`.
    pub fn replace(&self, entity: Entity, label: impl Into<String>) -> Result<Edit, EditError> {
        let place = self
            .find(entity.kind(), entity.id())
            .ok_or_else(|| EditError::UnknownId(entity.id().to_owned()))?;
        let before = self.entity_at(entity.kind(), place)?;
        Ok(Edit {
            label: label.into(),
            changes: vec![Change {
                place,
                before: Some(before),
                after: Some(entity),
            }],
        })
    }

    /// An edit that adds `entity` at the end of its list in `part`.
    pub fn add(&self, part: usize, entity: Entity) -> Result<Edit, EditError> {
        if !is_kebab_case(entity.id()) {
            return Err(EditError::BadId(entity.id().to_owned()));
        }
        if self.find_id(entity.id()).is_some() {
            return Err(EditError::IdTaken(entity.id().to_owned()));
        }
        let map = self
            .parts
            .get(part)
            .and_then(Option::as_ref)
            .ok_or(EditError::NoPart(entity.kind().noun()))?;
        let label = format!("add {} \"{}\"", entity.kind().noun(), entity.id());
        Ok(Edit {
            label,
            changes: vec![Change {
                place: Place {
                    part,
                    index: map.count(entity.kind()),
                },
                before: None,
                after: Some(entity),
            }],
        })
    }

    /// The part a new entity of `kind` goes to: the one that holds most of its kind,
    /// else the one with the map-wide settings, else the first that could be read.
    pub fn part_for(&self, kind: EntityKind) -> Option<usize> {
        let readable = || {
            self.parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((i, p.as_ref()?)))
        };
        readable()
            .filter(|(_, map)| map.count(kind) > 0)
            .max_by_key(|(i, map)| (map.count(kind), std::cmp::Reverse(*i)))
            .or_else(|| readable().find(|(_, map)| map.has_meta()))
            .or_else(|| readable().next())
            .map(|(i, _)| i)
    }

    /// An edit that deletes the entity and what cannot stand without it: a node takes
    /// its links and the figures about it along, and leaves the theses that named it; a
    /// figure leaves the theses that cited it. What would still refer to the entity
    /// after that (a segment's nodes, a market's figures) refuses the delete.
    pub fn delete(&self, kind: EntityKind, id: &str) -> Result<Edit, EditError> {
        let place = self
            .find(kind, id)
            .ok_or_else(|| EditError::UnknownId(id.to_owned()))?;
        let mut removed: Vec<(EntityKind, Place)> = vec![(kind, place)];
        let mut removed_ids: Vec<&str> = vec![id];
        let mut blockers: Vec<String> = Vec::new();
        for (part_index, part) in self.parts.iter().enumerate() {
            let Some(part) = part else { continue };
            let cascade = cascade_in_part(part, kind, id, &mut blockers);
            for (kind, index, removed_id) in cascade {
                removed.push((
                    kind,
                    Place {
                        part: part_index,
                        index,
                    },
                ));
                removed_ids.extend(removed_id);
            }
        }
        if !blockers.is_empty() {
            return Err(refusal(kind, id, blockers));
        }
        let mut changes = self.theses_without(&removed_ids);
        // Removals last, from the back of each list, so that each place still holds
        // when its change is applied.
        removed.sort_by_key(|(kind, place)| (place.part, *kind, place.index));
        removed.dedup();
        for (kind, place) in removed.into_iter().rev() {
            changes.push(Change {
                place,
                before: Some(self.entity_at(kind, place)?),
                after: None,
            });
        }
        Ok(Edit {
            label: format!("delete {} \"{id}\"", kind.noun()),
            changes,
        })
    }

    /// Theses that name a removed entity or cite a removed figure keep standing without it.
    fn theses_without(&self, removed_ids: &[&str]) -> Vec<Change> {
        let mut changes = Vec::new();
        for (part_index, part) in self.parts.iter().enumerate() {
            let Some(part) = part else { continue };
            for (index, thesis) in part.theses.iter().enumerate() {
                let gone = |list: &[Id]| list.iter().any(|x| removed_ids.contains(&x.as_str()));
                if gone(&thesis.about) || gone(&thesis.figures) {
                    let mut after = thesis.clone();
                    after.about.retain(|x| !removed_ids.contains(&x.as_str()));
                    after.figures.retain(|x| !removed_ids.contains(&x.as_str()));
                    changes.push(Change {
                        place: Place {
                            part: part_index,
                            index,
                        },
                        before: Some(Entity::Thesis(thesis.clone())),
                        after: Some(Entity::Thesis(after)),
                    });
                }
            }
        }
        changes
    }

    /// The merged map validated, as the loader validates it: shares with the precision
    /// their files give them.
    pub fn validate(&self) -> Validated {
        self.validate_map(self.merged())
    }

    /// Validates `map`, all or part of this draft, as the loader validates the map its
    /// files make: with the decimals each share's `low` is written with, and references
    /// into an unreadable part only warned about.
    pub(super) fn validate_map(&self, map: Map) -> Validated {
        let decimals: Vec<Option<u32>> = map
            .figures
            .iter()
            .map(|figure| {
                let (low, decimals) = self.written_lows.get(&figure.id)?;
                (figure.low == Some(*low)).then_some(*decimals)
            })
            .collect();
        let incomplete = self.parts.iter().any(Option::is_none);
        super::validate_with(map, incomplete, &|i| decimals.get(i).copied().flatten())
    }

    /// The map-wide settings, from the first part that gives any (as [`Draft::merged`]).
    pub(super) fn merged_meta(&self) -> MapMeta {
        self.parts
            .iter()
            .flatten()
            .find(|part| part.has_meta())
            .map(|part| part.meta.clone())
            .unwrap_or_default()
    }

    /// What validation would say of the map after `edit`, compared with `before` (the
    /// problems of the map as it is): the errors the edit would bring refuse it.
    /// The draft is left as it was, whatever happens: the parts the edit touches are
    /// kept aside and put back.
    pub fn check(&mut self, edit: &Edit, before: &[Problem]) -> Result<Verdict, EditError> {
        let mut touched: Vec<usize> = edit.changes.iter().map(|c| c.place.part).collect();
        touched.sort_unstable();
        touched.dedup();
        let kept: Vec<(usize, Option<Map>)> = touched
            .into_iter()
            .filter_map(|part| Some((part, self.parts.get(part)?.clone())))
            .collect();
        let after = self.apply(edit).map(|()| self.validate().problems);
        for (part, original) in kept {
            if let Some(slot) = self.parts.get_mut(part) {
                *slot = original;
            }
        }
        Ok(Verdict::between(before, &after?))
    }

    fn entity_at(&self, kind: EntityKind, place: Place) -> Result<Entity, EditError> {
        self.parts
            .get(place.part)
            .and_then(Option::as_ref)
            .and_then(|map| map.entity(kind, place.index))
            .ok_or(EditError::Stale)
    }
}

/// The problems an edit would add to a map: errors refuse it, warnings only show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    pub errors: Vec<String>,
    /// For each error, the field of the entity at fault, where the checker names one.
    pub error_fields: Vec<Option<&'static str>>,
    pub warnings: Vec<String>,
}

impl Verdict {
    /// The problems of `after` that `before` does not have (compared by message, which
    /// names the entities, so that the same problem at a shifted place is not new).
    pub fn between(before: &[Problem], after: &[Problem]) -> Verdict {
        let mut known: std::collections::HashMap<(bool, &str), usize> =
            std::collections::HashMap::new();
        for problem in before {
            *known
                .entry((problem.is_error(), problem.message.as_str()))
                .or_default() += 1;
        }
        let mut verdict = Verdict::default();
        for problem in after {
            let key = (problem.is_error(), problem.message.as_str());
            match known.get_mut(&key) {
                Some(count) if *count > 0 => *count -= 1,
                _ if problem.is_error() => {
                    verdict.errors.push(problem.message.clone());
                    verdict.error_fields.push(problem.field());
                }
                _ => verdict.warnings.push(problem.message.clone()),
            }
        }
        verdict
    }

    pub fn is_refused(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Undo and redo over a bounded history, and whether the draft differs from what was
/// last saved.
#[derive(Clone, Debug)]
pub struct History {
    done: Vec<(u64, Edit)>,
    undone: Vec<(u64, Edit)>,
    /// The state before the oldest edit still held.
    base: u64,
    next: u64,
    /// The state last saved; `None` once it cannot be reached again.
    saved: Option<u64>,
    limit: usize,
    /// The latest edit takes no merged edit (something else was done after it).
    sealed: bool,
}

impl Default for History {
    fn default() -> Self {
        History::new(History::DEFAULT_LIMIT)
    }
}

impl History {
    /// How many edits the window can undo.
    pub const DEFAULT_LIMIT: usize = 500;

    pub fn new(limit: usize) -> Self {
        History {
            done: Vec::new(),
            undone: Vec::new(),
            base: 0,
            next: 1,
            saved: Some(0),
            limit: limit.max(1),
            sealed: false,
        }
    }

    /// The draft's state: each recorded edit makes a new one (never one seen before,
    /// [`History::clear`] included), and undo and redo return to the states they had.
    /// What the window does beside the edits (Tidy up) is told apart by it.
    pub fn state(&self) -> u64 {
        self.done.last().map_or(self.base, |(serial, _)| *serial)
    }

    /// Applies `edit` to `draft` and records it; the redo list is dropped.
    pub fn perform(&mut self, draft: &mut Draft, edit: Edit) -> Result<(), EditError> {
        draft.apply(&edit)?;
        self.record(edit);
        Ok(())
    }

    /// Records an edit already applied to the draft; the redo list is dropped.
    pub fn record(&mut self, edit: Edit) {
        if self.undone.iter().any(|(s, _)| Some(*s) == self.saved) {
            self.saved = None;
        }
        self.undone.clear();
        self.sealed = false;
        self.done.push((self.next, edit));
        self.next += 1;
        if self.done.len() > self.limit {
            let (serial, _) = self.done.remove(0);
            if Some(self.base) == self.saved {
                self.saved = None;
            }
            self.base = serial;
        }
    }

    /// Like [`History::perform`], but when `edit` and the latest edit each replace the
    /// same one entity under the same label (a drag, a slider), they become one edit.
    pub fn perform_merged(&mut self, draft: &mut Draft, edit: Edit) -> Result<(), EditError> {
        draft.apply(&edit)?;
        self.record_merged(edit);
        Ok(())
    }

    /// Like [`History::record`], merging as [`History::perform_merged`] does.
    pub fn record_merged(&mut self, edit: Edit) {
        let mergeable = |e: &Edit| {
            matches!(
                e.changes.as_slice(),
                [Change {
                    before: Some(_),
                    after: Some(_),
                    ..
                }]
            )
        };
        let top = self.done.last().map(|(serial, e)| (*serial, e));
        let merged = match top {
            Some((serial, top))
                if !self.sealed
                    && Some(serial) != self.saved
                    && top.label == edit.label
                    && mergeable(top)
                    && mergeable(&edit)
                    && top.changes[0].place == edit.changes[0].place =>
            {
                Some(Edit {
                    label: edit.label.clone(),
                    changes: vec![Change {
                        place: top.changes[0].place,
                        before: top.changes[0].before.clone(),
                        after: edit.changes[0].after.clone(),
                    }],
                })
            }
            _ => None,
        };
        match merged {
            Some(merged) => {
                if self.undone.iter().any(|(s, _)| Some(*s) == self.saved) {
                    self.saved = None;
                }
                self.undone.clear();
                if let Some(last) = self.done.last_mut() {
                    last.1 = merged;
                }
            }
            None => self.record(edit),
        }
    }

    /// Undoes the latest edit; returns it, or `None` when there is nothing to undo.
    pub fn undo(&mut self, draft: &mut Draft) -> Result<Option<&Edit>, EditError> {
        let Some((serial, edit)) = self.done.pop() else {
            return Ok(None);
        };
        if let Err(error) = draft.apply(&edit.inverse()) {
            self.done.push((serial, edit));
            return Err(error);
        }
        self.undone.push((serial, edit));
        Ok(self.undone.last().map(|(_, e)| e))
    }

    /// Redoes the latest undone edit.
    pub fn redo(&mut self, draft: &mut Draft) -> Result<Option<&Edit>, EditError> {
        let Some((serial, edit)) = self.undone.pop() else {
            return Ok(None);
        };
        if let Err(error) = draft.apply(&edit) {
            self.undone.push((serial, edit));
            return Err(error);
        }
        self.done.push((serial, edit));
        Ok(self.done.last().map(|(_, e)| e))
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// The edit an undo would revert.
    pub fn undo_edit(&self) -> Option<&Edit> {
        self.done.last().map(|(_, e)| e)
    }

    /// The edit a redo would make again.
    pub fn redo_edit(&self) -> Option<&Edit> {
        self.undone.last().map(|(_, e)| e)
    }

    /// The label of the edit an undo would revert.
    pub fn undo_label(&self) -> Option<&str> {
        self.done.last().map(|(_, e)| e.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.undone.last().map(|(_, e)| e.label.as_str())
    }

    /// Whether the draft differs from the last save (or the load).
    pub fn is_dirty(&self) -> bool {
        self.saved != Some(self.state())
    }

    /// Records that the current state is what the files now hold.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.state());
    }

    /// Records that the draft differs from the files though no edit is held (edits
    /// recovered from a journal).
    pub fn mark_unsaved(&mut self) {
        self.saved = None;
    }

    /// Keeps the next edit from merging into the latest one: something the user did
    /// since (Tidy up) would otherwise be undone out of order.
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    /// Forgets every edit: the draft was replaced (a reload, another map). The states
    /// go on from where they were, so that none is seen twice.
    pub fn clear(&mut self) {
        let state = self.next;
        *self = History::new(self.limit);
        self.base = state;
        self.next = state + 1;
        self.saved = Some(state);
    }
}

/// What deleting `kind` `id` takes with it in one part (each with its kind, position and,
/// for figures, the id theses may cite), and what refuses it (added to `blockers`).
fn cascade_in_part<'a>(
    part: &'a Map,
    kind: EntityKind,
    id: &str,
    blockers: &mut Vec<String>,
) -> Vec<(EntityKind, usize, Option<&'a str>)> {
    let mut cascade = Vec::new();
    let mut block = |noun: &str, ids: Vec<&str>| {
        blockers.extend(ids.into_iter().map(|id| format!("{noun} \"{id}\"")));
    };
    let figures_about = |id: &str| -> Vec<&str> {
        part.figures
            .iter()
            .filter(|f| f.subject == id)
            .map(|f| f.id.as_str())
            .collect()
    };
    match kind {
        EntityKind::Node => {
            for (i, link) in part.links.iter().enumerate() {
                if link.from == id || link.to == id {
                    cascade.push((EntityKind::Link, i, None));
                }
            }
            for (i, figure) in part.figures.iter().enumerate() {
                if figure.subject == id {
                    cascade.push((EntityKind::Figure, i, Some(figure.id.as_str())));
                }
            }
            let studies = part.case_studies.iter().filter(|c| c.subject == id);
            block("case study", studies.map(|c| c.id.as_str()).collect());
        }
        EntityKind::Tier => {
            let segments = part.segments.iter().filter(|s| s.tier == id);
            block("segment", segments.map(|s| s.id.as_str()).collect());
            let nodes = part.nodes.iter().filter(|n| n.tier == id);
            block("node", nodes.map(|n| n.id.as_str()).collect());
            // A figure measures its subject: it cannot stand without it.
            block("figure", figures_about(id));
        }
        EntityKind::Segment => {
            let nodes = part
                .nodes
                .iter()
                .filter(|n| n.segments.iter().any(|s| s == id));
            block("node", nodes.map(|n| n.id.as_str()).collect());
            let children = part
                .segments
                .iter()
                .filter(|s| s.parent.as_deref() == Some(id));
            block("segment", children.map(|s| s.id.as_str()).collect());
            block("figure", figures_about(id));
            // A link between segments carries evidence: deleting it is a choice of its own,
            // not a side effect of deleting a segment.
            let links = part.links.iter().filter(|l| l.from == id || l.to == id);
            block("link", links.map(|l| l.id.as_str()).collect());
        }
        EntityKind::Market => {
            let figures = part
                .figures
                .iter()
                .filter(|f| f.market.as_deref() == Some(id));
            block("figure", figures.map(|f| f.id.as_str()).collect());
        }
        EntityKind::Source => {
            let cites = |evidence: &[super::Evidence]| evidence.iter().any(|e| e.source == id);
            let figures = part.figures.iter().filter(|f| f.source == id);
            block("figure", figures.map(|f| f.id.as_str()).collect());
            let theses = part.theses.iter().filter(|t| cites(&t.evidence));
            block("thesis", theses.map(|t| t.id.as_str()).collect());
            let links = part.links.iter().filter(|l| cites(&l.evidence));
            block("link", links.map(|l| l.id.as_str()).collect());
        }
        EntityKind::Link | EntityKind::Figure | EntityKind::Thesis | EntityKind::CaseStudy => {}
    }
    cascade
}

/// Why a delete is refused: the first five entities that still need it.
fn refusal(kind: EntityKind, id: &str, mut blockers: Vec<String>) -> EditError {
    let count = blockers.len();
    blockers.truncate(5);
    EditError::Refused(format!(
        "{} \"{id}\" is still used by {}{}",
        kind.noun(),
        blockers.join(", "),
        if count > 5 {
            format!(" and {} more", count - 5)
        } else {
            String::new()
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, Link, Node, NodeKind, Qualifier, Source, Tier};

    fn figure(id: &str, subject: &str) -> Figure {
        Figure {
            metric: "share".into(),
            low: Some(10.0),
            unit: Some("%".into()),
            ..Figure::new(id, subject, Qualifier::AtLeast, "report")
        }
    }

    fn draft() -> Draft {
        let nodes = Map {
            tiers: vec![Tier::new("hw", "Hardware")],
            sources: vec![Source::new("report", "Report")],
            nodes: vec![
                Node::new("a", "A", NodeKind::Company, "hw"),
                Node::new("b", "B", NodeKind::Company, "hw"),
            ],
            links: vec![Link {
                id: "a-b".into(),
                from: "a".into(),
                to: "b".into(),
                kind: crate::model::LinkKind::Supplies,
                label: None,
                label_zh: None,
                evidence: Vec::new(),
            }],
            ..Map::default()
        };
        let figures = Map {
            figures: vec![figure("f1", "a"), figure("f2", "b")],
            ..Map::default()
        };
        Draft {
            parts: vec![Some(nodes), None, Some(figures)],
            ..Draft::default()
        }
    }

    #[test]
    fn a_figure_holding_nan_can_be_fixed_and_the_fix_undone() {
        let mut draft = draft();
        if let Some(Some(part)) = draft.parts.get_mut(2) {
            part.figures[0].low = Some(f64::NAN);
        }
        let Some(Entity::Figure(mut fixed)) = draft.get(EntityKind::Figure, "f1") else {
            panic!("f1 is a figure");
        };
        fixed.low = Some(12.0);
        let edit = draft
            .replace(Entity::Figure(fixed), "fix f1")
            .expect("an edit");
        let mut history = History::default();
        history.perform(&mut draft, edit).expect("not stale");
        let low = |draft: &Draft| draft.merged().figures[0].low;
        assert_eq!(low(&draft), Some(12.0));
        history.undo(&mut draft).expect("undoes");
        assert!(low(&draft).is_some_and(f64::is_nan));
        history.redo(&mut draft).expect("redoes");
        assert_eq!(low(&draft), Some(12.0));
    }

    #[test]
    fn an_entity_is_the_same_when_equal_or_nan_in_the_same_places() {
        let draft = draft();
        let Some(Entity::Figure(figure)) = draft.get(EntityKind::Figure, "f1") else {
            panic!("f1 is a figure");
        };
        let nan = super::super::Figure {
            low: Some(f64::NAN),
            ..figure.clone()
        };
        let same = |a: &super::super::Figure, b: &super::super::Figure| {
            same_entity(&Entity::Figure(a.clone()), &Entity::Figure(b.clone()))
        };
        assert!(same(&nan, &nan.clone()));
        assert!(!same(&nan, &figure), "NaN is not a number");
        let renamed = super::super::Figure {
            metric: "another metric".to_owned(),
            ..nan.clone()
        };
        assert!(!same(&nan, &renamed), "the other fields still count");
        let node = draft.merged().nodes.first().cloned().expect("a node");
        let pinned = |pin| super::super::Node {
            pin: Some(pin),
            ..node.clone()
        };
        let node_same = |a, b| same_entity(&Entity::Node(a), &Entity::Node(b));
        assert!(node_same(pinned((f32::NAN, 1.0)), pinned((f32::NAN, 1.0))));
        assert!(!node_same(pinned((f32::NAN, 1.0)), pinned((f32::NAN, 2.0))));
        assert!(!node_same(pinned((0.0, 1.0)), node.clone()));
    }

    #[test]
    fn replace_undo_and_redo_restore_each_state() {
        let mut draft = draft();
        let original = draft.clone();
        let mut history = History::default();
        let mut changed = figure("f2", "b");
        changed.high = Some(20.0);
        let edit = draft
            .replace(Entity::Figure(changed.clone()), "set high")
            .expect("f2 exists");
        history.perform(&mut draft, edit).expect("applies");
        assert!(history.is_dirty());
        assert_eq!(
            draft.get(EntityKind::Figure, "f2"),
            Some(Entity::Figure(changed))
        );
        history.undo(&mut draft).expect("undoes");
        assert_eq!(draft, original);
        assert!(!history.is_dirty());
        history.redo(&mut draft).expect("redoes");
        assert!(history.is_dirty());
        history.mark_saved();
        assert!(!history.is_dirty());
    }

    #[test]
    fn deleting_a_node_takes_its_links_and_figures_and_undo_puts_them_back() {
        let mut draft = draft();
        let original = draft.clone();
        let edit = draft.delete(EntityKind::Node, "a").expect("deletable");
        draft.apply(&edit).expect("applies");
        let merged = draft.merged();
        assert_eq!(merged.nodes.len(), 1);
        assert!(merged.links.is_empty());
        assert_eq!(merged.figures.len(), 1);
        draft.apply(&edit.inverse()).expect("reverts");
        assert_eq!(draft, original);
    }

    #[test]
    fn deleting_a_tier_a_figure_measures_is_refused_and_theses_let_it_go() {
        let mut draft = draft();
        draft.parts[0] = draft.parts[0].take().map(|mut part| {
            part.nodes.clear();
            part.links.clear();
            part
        });
        draft.parts[2] = Some(Map {
            figures: vec![figure("f-hw", "hw")],
            ..Map::default()
        });
        assert_eq!(
            draft.delete(EntityKind::Tier, "hw"),
            Err(EditError::Refused(
                "tier \"hw\" is still used by figure \"f-hw\"".into()
            ))
        );
        let mut thesis = crate::model::Thesis {
            about: vec!["hw".into(), "a".into()],
            ..thesis_about_nothing()
        };
        draft.parts[2] = Some(Map {
            theses: vec![thesis.clone()],
            ..Map::default()
        });
        let edit = draft.delete(EntityKind::Tier, "hw").expect("deletable");
        draft.apply(&edit).expect("applies");
        thesis.about = vec!["a".into()];
        assert_eq!(draft.merged().theses, vec![thesis]);
        assert!(draft.merged().tiers.is_empty());
    }

    fn thesis_about_nothing() -> crate::model::Thesis {
        crate::model::Thesis {
            stance: crate::model::Stance::Bullish,
            ..crate::model::Thesis::new("t", "T", "C")
        }
    }

    #[test]
    fn check_leaves_the_draft_as_it_was_even_when_its_undo_fails() {
        let mut draft = draft();
        let original = draft.clone();
        // A NaN never equals itself, so the undo cannot find the value it would replace.
        let mut changed = figure("f2", "b");
        changed.high = Some(f64::NAN);
        let edit = draft
            .replace(Entity::Figure(changed), "set high")
            .expect("f2 exists");
        let before = draft.validate().problems;
        let _ = draft.check(&edit, &before);
        assert_eq!(draft, original);
    }

    #[test]
    fn adds_refuse_taken_and_malformed_ids() {
        let draft = draft();
        let node = |id: &str| Entity::Node(Node::new(id, "X", NodeKind::Lab, "hw"));
        assert_eq!(draft.add(0, node("b")), Err(EditError::IdTaken("b".into())));
        assert_eq!(
            draft.add(0, node("Bad Id")),
            Err(EditError::BadId("Bad Id".into()))
        );
        assert!(draft.add(1, node("c")).is_err(), "part 1 could not be read");
        assert_eq!(draft.part_for(EntityKind::Figure), Some(2));
    }

    #[test]
    fn check_refuses_an_edit_that_brings_errors_and_keeps_the_draft() {
        let mut draft = draft();
        let before = draft.validate().problems;
        let original = draft.clone();
        let mut bad = figure("f1", "a");
        bad.high = Some(5.0); // below its low of 10
        let edit = draft
            .replace(Entity::Figure(bad), "set high")
            .expect("f1 exists");
        let verdict = draft.check(&edit, &before).expect("checks");
        assert!(verdict.is_refused());
        assert!(
            verdict.errors.iter().any(|e| e.contains("above")),
            "{verdict:?}"
        );
        assert_eq!(draft, original);
        let mut fine = figure("f1", "a");
        fine.high = Some(50.0);
        let edit = draft
            .replace(Entity::Figure(fine), "set high")
            .expect("f1 exists");
        assert!(!draft.check(&edit, &before).expect("checks").is_refused());
    }

    #[test]
    fn a_stale_edit_changes_nothing() {
        let mut draft = draft();
        let edit = draft.delete(EntityKind::Node, "a").expect("deletable");
        draft.apply(&edit).expect("applies");
        let after = draft.clone();
        assert_eq!(draft.apply(&edit), Err(EditError::Stale));
        assert_eq!(draft, after);
    }

    #[test]
    fn history_is_bounded_and_the_saved_state_can_fall_off() {
        let mut draft = draft();
        let mut history = History::new(2);
        for high in [1.0, 2.0, 3.0] {
            let mut f = figure("f1", "a");
            f.high = Some(high + 10.0);
            let edit = draft.replace(Entity::Figure(f), "set").expect("f1 exists");
            history.perform(&mut draft, edit).expect("applies");
        }
        assert!(history.undo(&mut draft).expect("ok").is_some());
        assert!(history.undo(&mut draft).expect("ok").is_some());
        assert!(history.undo(&mut draft).expect("ok").is_none());
        assert!(history.is_dirty(), "the first edit can no longer be undone");
    }

    #[test]
    fn states_are_never_seen_twice_and_a_sealed_edit_takes_no_merge() {
        let mut draft = draft();
        let mut history = History::default();
        let set_high = |draft: &mut Draft, high: f64| {
            let mut f = figure("f1", "a");
            f.high = Some(high);
            draft.replace(Entity::Figure(f), "drag").expect("f1 exists")
        };
        let start = history.state();
        let edit = set_high(&mut draft, 11.0);
        history.perform_merged(&mut draft, edit).expect("applies");
        let first = history.state();
        assert_ne!(first, start);
        // A drag's next step merges into it: the same state, one undo step.
        let edit = set_high(&mut draft, 12.0);
        history.perform_merged(&mut draft, edit).expect("applies");
        assert_eq!(history.state(), first);
        // Sealed (a Tidy up came between), the next step is an edit of its own.
        history.seal();
        let edit = set_high(&mut draft, 13.0);
        history.perform_merged(&mut draft, edit).expect("applies");
        let second = history.state();
        assert_ne!(second, first);
        assert!(history.undo(&mut draft).expect("ok").is_some());
        assert_eq!(history.state(), first);
        // After a clear the states go on: none of the earlier ones comes back.
        history.clear();
        assert!(![start, first, second].contains(&history.state()));
        assert!(!history.is_dirty());
    }
}
