//! Tidy up is undone and redone like an edit, in the same Ctrl+Z order: each one is held
//! with the draft's state when it was made (see [`History::state`]), so that an undo at
//! that state takes the Tidy up back before the edit made just before it, and a redo
//! makes it again once that edit is back. Undoing one lays the map out from the layout it
//! replaced, which (the map and the shape being the same) is that layout exactly.
//!
//! [`History::state`]: crate::model::edit::History::state

use crate::layout::PriorPositions;

/// How many Tidy ups can be taken back (each holds two layouts' positions).
const LIMIT: usize = 20;

/// One Tidy up: the layout before it and the one it made.
#[derive(Clone, Debug)]
struct Tidied {
    state: u64,
    before: PriorPositions,
    after: PriorPositions,
}

/// The Tidy ups that can be undone and redone.
#[derive(Clone, Debug, Default)]
pub(super) struct TidyHistory {
    done: Vec<Tidied>,
    undone: Vec<Tidied>,
}

impl TidyHistory {
    /// A Tidy up made at the draft's `state`, from `before` to `after`; what was undone can
    /// no longer be redone.
    pub(super) fn record(&mut self, state: u64, before: PriorPositions, after: PriorPositions) {
        self.undone.clear();
        self.done.push(Tidied {
            state,
            before,
            after,
        });
        if self.done.len() > LIMIT {
            self.done.remove(0);
        }
    }

    /// An edit was made: the Tidy ups undone can no longer be redone.
    pub(super) fn edited(&mut self) {
        self.undone.clear();
    }

    /// Whether the next undo, at the draft's `state`, takes a Tidy up back.
    pub(super) fn can_undo(&self, state: u64) -> bool {
        next_at(&self.done, state)
    }

    /// Whether the next redo, at the draft's `state`, makes a Tidy up again.
    pub(super) fn can_redo(&self, state: u64) -> bool {
        next_at(&self.undone, state)
    }

    /// Takes the latest Tidy up back when it is the next step at `state`: the layout to
    /// lay the map out from.
    pub(super) fn undo(&mut self, state: u64) -> Option<PriorPositions> {
        let tidied = shift(&mut self.done, &mut self.undone, state)?;
        Some(tidied.before.clone())
    }

    /// Makes the latest undone Tidy up again when it is the next step at `state`.
    pub(super) fn redo(&mut self, state: u64) -> Option<PriorPositions> {
        let tidied = shift(&mut self.undone, &mut self.done, state)?;
        Some(tidied.after.clone())
    }

    pub(super) fn clear(&mut self) {
        *self = TidyHistory::default();
    }
}

/// Whether the top of `stack` was made at the draft's `state` (and so is the next step
/// there).
fn next_at(stack: &[Tidied], state: u64) -> bool {
    stack.last().is_some_and(|t| t.state == state)
}

/// Moves the top of `from` onto `to` when it is the next step at `state`; the Tidy up
/// moved.
fn shift<'a>(from: &mut Vec<Tidied>, to: &'a mut Vec<Tidied>, state: u64) -> Option<&'a Tidied> {
    if !next_at(from, state) {
        return None;
    }
    to.push(from.pop()?);
    to.last()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(tag: f32) -> PriorPositions {
        PriorPositions {
            aspect: Some(tag),
            ..PriorPositions::default()
        }
    }

    #[test]
    fn a_tidy_up_is_undone_before_the_edit_made_before_it_and_redone_after_it() {
        let mut tidied = TidyHistory::default();
        // Edit to state 1, Tidy up there.
        tidied.record(1, positions(1.0), positions(2.0));
        // Undo at state 1: the Tidy up goes first, then (state 1 still) nothing more of it.
        assert_eq!(tidied.undo(1), Some(positions(1.0)));
        assert!(!tidied.can_undo(1));
        // The edit is undone (state 0): no Tidy up is redone there.
        assert_eq!(tidied.redo(0), None);
        // The edit is redone (state 1): the Tidy up comes back with it.
        assert_eq!(tidied.redo(1), Some(positions(2.0)));
        assert!(tidied.can_undo(1));
    }

    #[test]
    fn an_edit_after_a_tidy_up_is_undone_first() {
        let mut tidied = TidyHistory::default();
        tidied.record(1, positions(1.0), positions(2.0));
        // An edit made after it is at state 2: undo there is the edit's.
        assert_eq!(tidied.undo(2), None);
        // Once the edit is undone, the Tidy up is next.
        assert_eq!(tidied.undo(1), Some(positions(1.0)));
    }

    #[test]
    fn a_new_edit_drops_what_could_be_redone() {
        let mut tidied = TidyHistory::default();
        tidied.record(1, positions(1.0), positions(2.0));
        assert!(tidied.undo(1).is_some());
        tidied.edited();
        assert!(!tidied.can_redo(1));
        assert_eq!(tidied.redo(1), None);
    }

    #[test]
    fn only_the_latest_tidy_ups_are_kept() {
        let mut tidied = TidyHistory::default();
        for state in 0..(LIMIT as u64 + 5) {
            tidied.record(state, positions(0.0), positions(1.0));
        }
        let mut undone = 0;
        for state in (0..(LIMIT as u64 + 5)).rev() {
            if tidied.undo(state).is_some() {
                undone += 1;
            }
        }
        assert_eq!(undone, LIMIT);
    }
}
