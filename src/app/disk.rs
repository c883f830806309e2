//! The map's files on disk while the window holds them: changes made elsewhere (a text
//! editor, a `git pull`) are noticed through `notify` and reloaded in place when there
//! are no local edits; with local edits a banner offers keeping them, taking the disk's
//! version, or seeing the difference, and nothing is overwritten silently. Unsaved edits
//! are also journaled for crash recovery and offered back on the next start.

use super::ChainmapApp;
use crate::io::journal::{self, Journal};
use crate::io::{self, LoadedMap};
use crate::model::{Lang, Msg};
use notify::Watcher as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A watch on the folder of the map's files.
pub struct DiskWatch {
    root: PathBuf,
    changed: Arc<AtomicBool>,
    // Dropping the watcher stops it.
    _watcher: notify::RecommendedWatcher,
}

/// Files changed on disk while the window held unsaved edits.
pub struct Conflict {
    pub files: Vec<PathBuf>,
    pub theirs: LoadedMap,
    pub show_difference: bool,
}

impl ChainmapApp {
    /// Watches the folder of the current map (again, after Save as… moved it).
    pub(super) fn watch_root(&mut self) {
        let root = self.session.root().to_path_buf();
        if self.disk.watch.as_ref().is_some_and(|w| w.root == root) {
            return;
        }
        self.disk.watch = None;
        let folder = if root.is_dir() {
            root.clone()
        } else {
            match root.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        if !folder.is_dir() {
            return; // The bundled map run away from its source tree: nothing to watch.
        }
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        let repaint = self.disk.repaint.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            let relevant = event.is_ok_and(|e| {
                !matches!(e.kind, notify::EventKind::Access(_))
                    && e.paths.iter().any(|p| {
                        p.extension().is_some_and(|x| x == "ron")
                            && !p
                                .file_name()
                                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    })
            });
            if relevant {
                flag.store(true, Ordering::Release);
                if let Some(ctx) = &repaint {
                    ctx.request_repaint();
                }
            }
        };
        let Ok(mut watcher) = notify::recommended_watcher(handler) else {
            return;
        };
        if watcher
            .watch(&folder, notify::RecursiveMode::NonRecursive)
            .is_ok()
        {
            self.disk.watch = Some(DiskWatch {
                root,
                changed,
                _watcher: watcher,
            });
        }
    }

    /// Acts on a change the watcher saw, once per frame at most.
    pub(super) fn poll_disk(&mut self) {
        let changed = self
            .disk
            .watch
            .as_ref()
            .is_some_and(|w| w.changed.swap(false, Ordering::AcqRel));
        if changed {
            // Something in the map's folder changed: a logo may have come or gone.
            self.derived.logos.forget();
            self.check_disk();
        }
    }

    /// Compares the map's files on disk with the texts last loaded or saved; reloads
    /// them in place when there are no local edits, else raises the conflict.
    pub fn check_disk(&mut self) {
        let root = self.session.root().to_path_buf();
        let changed = changed_files(&self.session.saved().files, &root);
        if changed.is_empty() {
            return;
        }
        let theirs = match io::load(&root) {
            Ok(theirs) => theirs,
            Err(error) => {
                self.edit.status = Some(Msg::changed_on_disk(self.state.lang, error));
                return;
            }
        };
        let names = file_names(&changed);
        if self.session.is_dirty() && self.session.merge_disk(theirs.clone()) {
            // Nothing changed on both sides any more: an older banner no longer holds.
            self.disk.conflict = None;
            self.map_edited(true);
            self.reopen_form();
            self.edit.status = Some(Msg::reloaded_keeping_edits(self.state.lang, names));
        } else if self.session.is_dirty() {
            // A new change on disk: what was chosen before does not cover it.
            self.edit.replace_on_disk.clear();
            self.disk.conflict = Some(Conflict {
                files: changed,
                theirs,
                show_difference: false,
            });
        } else {
            self.session.reload(theirs);
            self.map_edited(true);
            self.reopen_form();
            self.edit.status = Some(Msg::reloaded(self.state.lang, names));
        }
    }

    /// Keeps the form open on its entity after the map was replaced.
    fn reopen_form(&mut self) {
        if let Some(form) = &self.edit.form
            && !form.is_new
        {
            let (kind, id) = (form.entity.kind(), form.entity.id().to_owned());
            self.open_form(kind, &id);
        }
    }

    /// The conflict banner's choices.
    pub fn keep_mine(&mut self) {
        if let Some(conflict) = self.disk.conflict.take() {
            // Exactly the versions the editor saw in the banner.
            for path in &conflict.files {
                let seen = conflict
                    .theirs
                    .files
                    .iter()
                    .find(|f| &f.path == path)
                    .and_then(|f| f.text.as_deref())
                    .map(journal::fingerprint);
                if let Some(print) = seen {
                    self.edit.replace_on_disk.push((path.clone(), print));
                }
            }
            self.edit.status = Some(Msg::MineWillReplace.in_lang(self.state.lang).to_owned());
        }
    }

    pub fn take_theirs(&mut self) {
        if let Some(conflict) = self.disk.conflict.take() {
            let kept = self.keep_copy_of_mine();
            self.session.reload(conflict.theirs);
            self.edit.replace_on_disk.clear();
            self.map_edited(true);
            self.reopen_form();
            let lang = self.state.lang;
            self.edit.status = Some(match kept {
                Some(folder) => Msg::took_theirs_kept_mine(lang, folder.display()),
                None => Msg::TookTheirsDroppedMine.in_lang(lang).to_owned(),
            });
        }
    }

    /// Writes the files as the edits have them into a folder of the app's data, so that
    /// taking the disk's version never loses them. Returns the folder.
    fn keep_copy_of_mine(&self) -> Option<PathBuf> {
        let dir = self.disk.journal_dir.as_deref()?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let folder = dir.join(format!("kept-{stamp}"));
        std::fs::create_dir_all(&folder).ok()?;
        for file in self.session.changed_files() {
            let name = file.path.file_name()?;
            let text = file.text.as_deref()?;
            io::write::atomic_write(&folder.join(name), text.as_bytes()).ok()?;
        }
        Some(folder)
    }

    /// A unified diff of the conflicting files: on disk, then with your edits.
    pub fn conflict_difference(&self) -> String {
        let Some(conflict) = &self.disk.conflict else {
            return String::new();
        };
        let mut out = String::new();
        for path in &conflict.files {
            let text_of = |files: &[io::SourceFile]| {
                files
                    .iter()
                    .find(|f| &f.path == path)
                    .and_then(|f| f.text.clone())
                    .unwrap_or_default()
            };
            let theirs = text_of(&conflict.theirs.files);
            let mine = text_of(&self.session.current().files);
            let name = path.display().to_string();
            let diff = similar::TextDiff::from_lines(&theirs, &mine);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &Msg::on_disk(self.state.lang, &name),
                        &Msg::yours(self.state.lang, &name),
                    )
                    .to_string(),
            );
        }
        out
    }

    /// The banners above the map: a conflict with the disk, edits to recover.
    pub(super) fn banners_ui(&mut self, ui: &mut egui::Ui) {
        self.conflict_banner_ui(ui);
        self.recovery_banner_ui(ui);
    }

    /// The banner of a conflict with the disk, and the difference when asked for. A
    /// choice is applied before the recovery banner draws, so that banner sees its result.
    fn conflict_banner_ui(&mut self, ui: &mut egui::Ui) {
        let warn = ui.visuals().warn_fg_color;
        let mut choice = None;
        if let Some(conflict) = &mut self.disk.conflict {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    warn,
                    Msg::changed_under_edits(self.state.lang, file_names(&conflict.files)),
                );
                if ui.button(Msg::KeepMine.in_lang(self.state.lang)).clicked() {
                    choice = Some("mine");
                }
                if ui
                    .button(Msg::TakeTheirs.in_lang(self.state.lang))
                    .clicked()
                {
                    choice = Some("theirs");
                }
                ui.toggle_value(
                    &mut conflict.show_difference,
                    Msg::SeeTheDifference.in_lang(self.state.lang),
                );
            });
        }
        match choice {
            Some("mine") => self.keep_mine(),
            Some("theirs") => self.take_theirs(),
            _ => {}
        }
        if self
            .disk
            .conflict
            .as_ref()
            .is_some_and(|c| c.show_difference)
        {
            let diff = self.conflict_difference();
            egui::ScrollArea::vertical()
                .max_height(240.0)
                .show(ui, |ui| {
                    ui.label(egui::RichText::new(diff).monospace().small());
                });
        }
    }

    /// The banner offering back the edits journaled when the window last closed.
    fn recovery_banner_ui(&mut self, ui: &mut egui::Ui) {
        let warn = ui.visuals().warn_fg_color;
        let mut recovery_choice = None;
        if let Some(journal) = &self.disk.recovery {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(warn, {
                    let files = file_names(
                        &journal
                            .files
                            .iter()
                            .map(|f| f.path.clone())
                            .collect::<Vec<_>>(),
                    );
                    let when = ago(journal.written, self.state.lang);
                    Msg::edits_kept(self.state.lang, files, when)
                });
                if !journal.matches(self.session.saved()) {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        Msg::RecoveryOverwrites.in_lang(self.state.lang),
                    );
                }
                if ui
                    .button(Msg::RestoreThem.in_lang(self.state.lang))
                    .clicked()
                {
                    recovery_choice = Some(true);
                }
                if ui
                    .button(Msg::DiscardThem.in_lang(self.state.lang))
                    .clicked()
                {
                    recovery_choice = Some(false);
                }
            });
        }
        match recovery_choice {
            Some(true) => self.restore_journal(),
            Some(false) => {
                self.disk.recovery = None;
                self.clear_journal();
                self.update_journal();
            }
            None => {}
        }
    }

    /// Restores the journaled edits offered at start.
    pub fn restore_journal(&mut self) {
        if self.session.is_dirty() {
            // Restoring replaces the draft: the edits made since the start would be lost.
            self.edit.status = Some(Msg::SaveBeforeRestoring.in_lang(self.state.lang).to_owned());
            return;
        }
        if let Some(journal) = self.disk.recovery.take() {
            let recovered = journal.recovered(self.session.saved());
            self.session.restore(recovered);
            self.map_edited(true);
            self.edit.status = Some(Msg::RestoredEdits.in_lang(self.state.lang).to_owned());
        }
    }

    /// Offers back the journal of the current map, if one was left.
    pub(super) fn offer_recovery(&mut self) {
        self.disk.recovery = self
            .disk
            .journal_dir
            .as_deref()
            .and_then(|dir| Journal::read(dir, self.session.root()));
    }

    /// Writes the unsaved edits to the journal, or removes it when there are none.
    pub(super) fn update_journal(&mut self) {
        let Some(dir) = self.disk.journal_dir.as_deref() else {
            return;
        };
        if self.disk.recovery.is_some() {
            // The journal on offer is kept until it is restored or discarded.
            return;
        }
        if self.session.is_dirty() {
            let journal = Journal::of(self.session.saved(), &self.session.current().files);
            if let Err(error) = journal.write(dir) {
                self.edit.status = Some(Msg::no_recovery_copy(self.state.lang, error));
            }
        } else {
            Journal::remove(dir, self.session.root());
        }
    }

    pub(super) fn clear_journal(&mut self) {
        if self.disk.recovery.is_some() {
            return; // The journal on offer waits for Restore or Discard.
        }
        if let Some(dir) = self.disk.journal_dir.as_deref() {
            Journal::remove(dir, self.session.root());
        }
    }

    /// Whether the conflict banner is up (tests read it).
    pub fn has_conflict(&self) -> bool {
        self.disk.conflict.is_some()
    }

    /// Whether recovered edits are on offer (tests read it).
    pub fn has_recovery(&self) -> bool {
        self.disk.recovery.is_some()
    }
}

/// The files whose text on disk differs from `files`' texts, and map files that
/// appeared in or left the folder.
fn changed_files(files: &[io::SourceFile], root: &Path) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = files
        .iter()
        .filter(|file| {
            match std::fs::metadata(&file.path) {
                // A file over the size limit or unreadable counts as changed when we had
                // its text.
                Ok(meta) if meta.len() > io::MAX_FILE_BYTES => file.text.is_some(),
                // Read as the loader reads (invalid UTF-8 marked, not refused), so that a
                // file with a bad byte is not "changed" every time it is looked at.
                Ok(_) => std::fs::read(&file.path)
                    .map(io::decode_text)
                    .ok()
                    .is_some_and(|(text, _)| Some(text) != file.text),
                // Gone from disk (or never there: the bundled map away from its folder).
                Err(_) => false,
            }
        })
        .map(|file| file.path.clone())
        .collect();
    if root.is_dir()
        && let Ok(on_disk) = io::map_files(root)
    {
        for path in on_disk {
            if !files.iter().any(|f| f.path == path) {
                changed.push(path);
            }
        }
    }
    changed
}

fn file_names(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    names.join(", ")
}

/// "3 minutes ago", from seconds since the Unix epoch.
fn ago(written: u64, lang: Lang) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let seconds = now.saturating_sub(written);
    match seconds {
        0..60 => Msg::LessThanAMinuteAgo.in_lang(lang).to_owned(),
        60..3600 => Msg::minutes_ago(lang, seconds / 60),
        3600..86400 => Msg::hours_ago(lang, seconds / 3600),
        _ => Msg::days_ago(lang, seconds / 86400),
    }
}
