//! An editing session over one map: what the files hold, the edited draft, the undo
//! history and the problems of the edited map. The window and `chainmap set` both edit
//! through it, so that an edit is checked, applied and saved the same way everywhere.

use super::save::{self, OnDiskChange, SaveError};
use super::{LoadedMap, SourceFile, load_files};
use crate::model::{Draft, Edit, EditError, History, Map, Problem, Verdict};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{0}")]
    Edit(#[from] EditError),
    #[error("refused: {}", .0.errors.join("; "))]
    Refused(Verdict),
    #[error(transparent)]
    Save(#[from] SaveError),
}

pub struct Session {
    /// The map as its files hold it on disk (as last loaded or saved).
    saved: LoadedMap,
    /// The map as edited, loaded from the texts a save would write: its problems are
    /// placed at the lines they would have.
    current: LoadedMap,
    draft: Draft,
    history: History,
    /// The problems of the edited draft, for checking the next edit against.
    problems: Vec<Problem>,
}

impl Session {
    pub fn new(loaded: LoadedMap) -> Session {
        let draft = loaded.draft.clone();
        let problems = draft.validate().problems;
        Session {
            current: loaded.clone(),
            saved: loaded,
            draft,
            history: History::default(),
            problems,
        }
    }

    /// The edited map, validated.
    pub fn map(&self) -> &Map {
        &self.current.map
    }

    /// The edited map as loaded from the texts a save would write.
    pub fn current(&self) -> &LoadedMap {
        &self.current
    }

    /// The map as the files on disk hold it.
    pub fn saved(&self) -> &LoadedMap {
        &self.saved
    }

    pub fn draft(&self) -> &Draft {
        &self.draft
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn root(&self) -> &Path {
        &self.saved.root
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// What validation would say of `edit`, without making it.
    pub fn check(&mut self, edit: &Edit) -> Result<Verdict, EditError> {
        self.draft.check(edit, &self.problems)
    }

    /// Makes `edit` unless it would bring errors; returns the warnings it brings.
    pub fn perform(&mut self, edit: Edit) -> Result<Verdict, SessionError> {
        let verdict = self.check(&edit)?;
        if verdict.is_refused() {
            return Err(SessionError::Refused(verdict));
        }
        self.history.perform(&mut self.draft, edit)?;
        self.refresh()?;
        Ok(verdict)
    }

    /// Like [`Session::perform`], but an edit of the same entity and field as the
    /// previous one replaces it in the history (a drag, a slider): one undo step.
    pub fn perform_merged(&mut self, edit: Edit) -> Result<Verdict, SessionError> {
        let verdict = self.check(&edit)?;
        if verdict.is_refused() {
            return Err(SessionError::Refused(verdict));
        }
        self.history.perform_merged(&mut self.draft, edit)?;
        self.refresh()?;
        Ok(verdict)
    }

    /// Undoes the latest edit; returns its label.
    pub fn undo(&mut self) -> Result<Option<String>, SessionError> {
        let label = self.history.undo(&mut self.draft)?.map(|e| e.label.clone());
        if label.is_some() {
            self.refresh()?;
        }
        Ok(label)
    }

    pub fn redo(&mut self) -> Result<Option<String>, SessionError> {
        let label = self.history.redo(&mut self.draft)?.map(|e| e.label.clone());
        if label.is_some() {
            self.refresh()?;
        }
        Ok(label)
    }

    /// Re-derives the edited map from the texts a save would write.
    fn refresh(&mut self) -> Result<(), SaveError> {
        let files = save::texts(&self.saved, &self.draft)?;
        self.current = load_files(&self.saved.root, files);
        self.problems = self.draft.validate().problems;
        Ok(())
    }

    /// The files whose text the edits changed, with that text.
    pub fn changed_files(&self) -> Vec<&SourceFile> {
        self.saved
            .files
            .iter()
            .zip(&self.current.files)
            .filter(|(old, new)| old.text != new.text)
            .map(|(_, new)| new)
            .collect()
    }

    /// Writes the edits into the map's files; returns the files written.
    pub fn save(&mut self, on_disk_change: OnDiskChange) -> Result<Vec<PathBuf>, SaveError> {
        let written: Vec<PathBuf> = self
            .changed_files()
            .iter()
            .map(|f| f.path.clone())
            .collect();
        let files = save::save(&self.saved, &self.draft, on_disk_change)?;
        self.saved = load_files(&self.saved.root, files);
        self.after_save();
        Ok(written)
    }

    /// Writes the whole edited map to `dest` and continues editing it there.
    pub fn save_as(&mut self, dest: &Path) -> Result<(), SaveError> {
        let (root, files) = save::save_as(&self.saved, &self.draft, dest)?;
        self.saved = load_files(&root, files);
        self.after_save();
        Ok(())
    }

    fn after_save(&mut self) {
        // The saved files now hold the draft: edits go on from their parts, so that
        // undo still works across a save.
        self.draft = self.saved.draft.clone();
        self.current = self.saved.clone();
        self.history.mark_saved();
        self.problems = self.draft.validate().problems;
    }

    /// Takes in files that changed on disk while edits are held, when the edits and the
    /// disk changed different files: the edits stay (undo included) and the other files
    /// become the disk's. Returns `false`, changing nothing, when a file changed on both
    /// sides or the folder's files came or went.
    pub fn merge_disk(&mut self, theirs: LoadedMap) -> bool {
        let same_files = self.saved.files.len() == theirs.files.len()
            && self
                .saved
                .files
                .iter()
                .zip(&theirs.files)
                .all(|(a, b)| a.path == b.path);
        if !same_files {
            return false;
        }
        let mut draft = self.draft.clone();
        for (i, (ours, disk)) in self.saved.files.iter().zip(&theirs.files).enumerate() {
            if ours.text == disk.text {
                continue;
            }
            let edited = self.saved.draft.parts.get(i) != self.draft.parts.get(i);
            if edited {
                return false;
            }
            if let (Some(slot), Some(part)) = (draft.parts.get_mut(i), theirs.draft.parts.get(i)) {
                slot.clone_from(part);
            }
        }
        self.saved = theirs;
        self.draft = draft;
        if self.refresh().is_err() {
            return false;
        }
        true
    }

    /// Replaces the map with `loaded` (taken from disk), dropping every edit.
    pub fn reload(&mut self, loaded: LoadedMap) {
        *self = Session::new(loaded);
    }

    /// Starts from `recovered` (texts saved in a journal) while the files on disk stay
    /// `self`'s: the recovered edits are unsaved.
    pub fn restore(&mut self, recovered: LoadedMap) {
        self.draft = recovered.draft.clone();
        self.problems = self.draft.validate().problems;
        self.current = recovered;
        self.history.clear();
        self.history.mark_unsaved();
    }
}
