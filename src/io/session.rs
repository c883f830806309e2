//! An editing session over one map: what the files hold, the edited draft, the undo
//! history and the problems of the edited map. The window and `chainmap set` both edit
//! through it, so that an edit is checked, applied and saved the same way everywhere.

use super::lock::{LockError, MapLock};
use super::save::{self, OnDiskChange, ReadBack, SaveError};
use super::{LoadedMap, SourceFile, load_parsed};
use crate::model::nearby::DraftIndex;
use crate::model::{Draft, Edit, EditError, History, Map, Verdict};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{0}")]
    Edit(#[from] EditError),
    #[error("refused: {}", .0.errors.join("; "))]
    Refused(Verdict),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    Lock(#[from] LockError),
}

pub struct Session {
    /// The map as its files hold it on disk (as last loaded or saved).
    saved: Arc<LoadedMap>,
    /// The map as edited, loaded from the texts a save would write: its problems are
    /// placed at the lines they would have. Until an edit (and after a save) it is the
    /// saved map itself, shared: a 20,000-node map held twice costs tens of megabytes.
    current: Arc<LoadedMap>,
    draft: Draft,
    history: History,
    /// The map's lock, when the session was opened under it ([`Session::open_locked`]):
    /// held until the session ends, so that no other chainmap saves in between.
    lock: Option<MapLock>,
    /// The draft's entities by id and by what names them, for the checks of a form's
    /// edits: built on the first check after the draft changes.
    nearby: Option<DraftIndex>,
}

impl Session {
    pub fn new(loaded: LoadedMap) -> Session {
        let loaded = Arc::new(loaded);
        Session {
            draft: loaded.draft.clone(),
            current: Arc::clone(&loaded),
            saved: loaded,
            history: History::default(),
            lock: None,
            nearby: None,
        }
    }

    /// Takes the map's lock, then loads it with `load`: for a read, an edit and a save
    /// that no other chainmap process may interleave with (`chainmap set`). The lock is
    /// held as long as the session.
    pub fn open_locked<E>(
        root: &Path,
        load: impl FnOnce() -> Result<LoadedMap, E>,
    ) -> Result<Result<Session, E>, LockError> {
        let lock = MapLock::acquire(root)?;
        Ok(load().map(|loaded| Session {
            lock: Some(lock),
            ..Session::new(loaded)
        }))
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

    /// Says how many decimals figure `id`'s numbers are to be written with from now on
    /// (`set … low 80.0`); the next edit and save write them so.
    pub fn set_precision(&mut self, id: &str, precision: crate::model::WrittenPrecision) {
        if precision == crate::model::WrittenPrecision::default() {
            self.draft.precisions.remove(id);
        } else {
            self.draft.precisions.insert(id.to_owned(), precision);
        }
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Keeps the next edit from merging into the latest one (see [`History::seal`]).
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    pub fn root(&self) -> &Path {
        &self.saved.root
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// What validation would say of `edit`, without making it (a form checks its
    /// working copy with this as it changes): looking at the part of the map the edit can
    /// change only (see [`crate::model::nearby`]), so that a keystroke does not validate
    /// the whole map. Making the edit checks the whole map.
    pub fn check(&mut self, edit: &Edit) -> Result<Verdict, EditError> {
        let index = self
            .nearby
            .get_or_insert_with(|| DraftIndex::of(&self.draft));
        self.draft.check_nearby(edit, index)
    }

    /// Makes `edit` unless it would bring errors; returns the warnings it brings.
    pub fn perform(&mut self, edit: Edit) -> Result<Verdict, SessionError> {
        self.make(edit, false)
    }

    /// Like [`Session::perform`], but an edit of the same entity and field as the
    /// previous one replaces it in the history (a drag, a slider): one undo step.
    pub fn perform_merged(&mut self, edit: Edit) -> Result<Verdict, SessionError> {
        self.make(edit, true)
    }

    /// Applies the edit, derives the edited map once (its texts, its problems), and keeps
    /// both only if the edit brings no error.
    fn make(&mut self, edit: Edit, merge: bool) -> Result<Verdict, SessionError> {
        self.draft.apply(&edit)?;
        let candidate = match self.derive_current() {
            Ok(candidate) => candidate,
            Err(error) => {
                self.draft.apply(&edit.inverse())?;
                return Err(error.into());
            }
        };
        let verdict = Verdict::between(&self.current.problems, &candidate.problems);
        if verdict.is_refused() {
            self.draft.apply(&edit.inverse())?;
            return Err(SessionError::Refused(verdict));
        }
        if merge {
            self.history.record_merged(edit);
        } else {
            self.history.record(edit);
        }
        self.nearby = None;
        self.current = candidate.into();
        Ok(verdict)
    }

    /// Undoes the latest edit; returns its label.
    pub fn undo(&mut self) -> Result<Option<String>, SessionError> {
        self.step(History::undo)
    }

    /// Redoes the latest undone edit; returns its label.
    pub fn redo(&mut self) -> Result<Option<String>, SessionError> {
        self.step(History::redo)
    }

    /// Takes one step through the history (an undo or a redo) and, when there was one to
    /// take, derives the map again; returns the label of the edit stepped over.
    fn step(
        &mut self,
        step: for<'h> fn(&'h mut History, &mut Draft) -> Result<Option<&'h Edit>, EditError>,
    ) -> Result<Option<String>, SessionError> {
        let label = step(&mut self.history, &mut self.draft)?.map(|e| e.label.clone());
        if label.is_some() {
            self.nearby = None;
            self.current = self.derive_current()?.into();
        }
        Ok(label)
    }

    /// The edited map, from the texts a save would write (not read back: saving does
    /// that) and the draft's parts (so that no file is parsed again).
    fn derive_current(&self) -> Result<LoadedMap, SaveError> {
        let files = save::texts(&self.saved, &self.draft, ReadBack::Skip)?;
        Ok(load_parsed(&self.saved.root, files, &self.draft))
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

    /// Writes the edits into the map's files; returns the files written. Other chainmap
    /// processes are kept out while it writes (the map's lock); a change from any other
    /// program since the files were read is refused ([`SaveError::ChangedOnDisk`]).
    pub fn save(&mut self, on_disk_change: OnDiskChange) -> Result<Vec<PathBuf>, SessionError> {
        let _lock = match self.lock {
            Some(_) => None,
            None if self.changed_files().is_empty() => None,
            None => Some(MapLock::acquire(&self.saved.root)?),
        };
        Ok(self.save_unlocked(on_disk_change)?)
    }

    fn save_unlocked(&mut self, on_disk_change: OnDiskChange) -> Result<Vec<PathBuf>, SaveError> {
        let written: Vec<PathBuf> = self
            .changed_files()
            .iter()
            .map(|f| f.path.clone())
            .collect();
        let files = match save::save(&self.saved, &self.draft, on_disk_change) {
            Ok(files) => files,
            Err(error) => {
                self.adopt_written_files();
                return Err(error);
            }
        };
        self.saved = load_parsed(&self.saved.root, files, &self.draft).into();
        self.after_save();
        Ok(written)
    }

    /// After a save that failed part way (a full disk, a lost folder), the files it did
    /// write hold their edited parts: they count as saved, so that they are not taken for
    /// changes made on disk by someone else.
    fn adopt_written_files(&mut self) {
        let Ok(intended) = save::texts(&self.saved, &self.draft, ReadBack::Skip) else {
            return;
        };
        let mut files = self.saved.files.clone();
        let mut parts = self.saved.draft.clone();
        let mut adopted = false;
        for (i, new) in intended.iter().enumerate() {
            let (Some(file), Some(part)) = (files.get_mut(i), parts.parts.get_mut(i)) else {
                continue;
            };
            if file.text == new.text {
                continue;
            }
            // Byte for byte: a text cut at a bad byte must not pass for the whole file.
            let on_disk = std::fs::read(&new.path).ok();
            if on_disk.is_some() && on_disk.as_deref() == new.text.as_deref().map(str::as_bytes) {
                file.text.clone_from(&new.text);
                part.clone_from(&self.draft.parts.get(i).cloned().flatten());
                adopted = true;
            }
        }
        if adopted {
            self.saved = load_parsed(&self.saved.root, files, &parts).into();
        }
    }

    /// Writes the whole edited map to `dest` and continues editing it there.
    pub fn save_as(&mut self, dest: &Path) -> Result<(), SaveError> {
        // Into its own place, a copy is a save, with the same care for changes on disk.
        if same_place(dest, &self.saved.root) {
            return Err(SaveError::SameLocation(dest.to_path_buf()));
        }
        let (root, files) = save::save_as(&self.saved, &self.draft, dest)?;
        self.saved = load_parsed(&root, files, &self.draft).into();
        self.after_save();
        Ok(())
    }

    fn after_save(&mut self) {
        // The saved files now hold the draft (read back and compared before writing).
        self.current = self.saved.clone();
        self.history.mark_saved();
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
        let previous = (
            std::mem::replace(&mut self.saved, Arc::new(theirs)),
            self.draft.clone(),
        );
        self.draft = draft;
        self.nearby = None;
        match self.derive_current() {
            Ok(current) => {
                self.current = current.into();
                true
            }
            Err(_) => {
                (self.saved, self.draft) = previous;
                false
            }
        }
    }

    /// Replaces the map with `loaded` (taken from disk), dropping every edit.
    pub fn reload(&mut self, loaded: LoadedMap) {
        let lock = self.lock.take();
        *self = Session {
            lock,
            ..Session::new(loaded)
        };
    }

    /// Starts from `recovered` (texts saved in a journal) while the files on disk stay
    /// `self`'s: the recovered edits are unsaved.
    pub fn restore(&mut self, recovered: LoadedMap) {
        self.draft = recovered.draft.clone();
        self.nearby = None;
        self.current = recovered.into();
        self.history.clear();
        self.history.mark_unsaved();
    }
}

/// Whether two paths name the same file or folder.
fn same_place(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
