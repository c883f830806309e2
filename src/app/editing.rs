//! Editing in the window: the edit form's working copy and its live check, undo and redo,
//! save and Save as…, picking nodes on the map into a form, pinning by drag, the unsaved
//! marker in the title and the prompt on quitting. Every change goes through the
//! [`Session`](crate::io::session::Session), as `chainmap set` does.

use super::{ChainmapApp, parts};
use crate::io::save::OnDiskChange;
use crate::io::session::SessionError;
use crate::layout::PriorPositions;
use crate::model::{
    Draft, Edit, Entity, EntityKind, Figure, Link, LinkKind, Msg, Node, NodeKind, Qualifier,
    Thesis, Verdict,
};
use crate::ui::editor::{self, FormResponse, PickField};
use std::path::PathBuf;

/// What a file dialog asks for: a map's folder, or a map file to read or to write.
#[derive(Clone, Copy, Debug)]
pub(super) enum MapPath {
    Folder,
    FileToRead,
    FileToWrite,
}

/// Asks the editor for a map's folder or file in the operating system's dialog; `None`
/// when cancelled. `lang` is the dialog's.
pub(super) fn ask_map_path(ask: MapPath, lang: crate::model::Lang) -> Option<PathBuf> {
    let files = || rfd::FileDialog::new().add_filter(Msg::MapFileFilter.in_lang(lang), &["ron"]);
    match ask {
        MapPath::Folder => rfd::FileDialog::new().pick_folder(),
        MapPath::FileToRead => files().pick_file(),
        MapPath::FileToWrite => files().save_file(),
    }
}

/// What the status line says after an undo (or a redo) of `step`.
fn stepped(lang: crate::model::Lang, redo: bool, step: impl std::fmt::Display) -> String {
    if redo {
        Msg::redid(lang, step)
    } else {
        Msg::undid(lang, step)
    }
}

/// The entity the inspector's form edits: a working copy, checked as it changes.
pub struct Form {
    pub entity: Entity,
    /// Not yet in the map: the form adds it.
    pub is_new: bool,
    /// The part (file) a new entity goes to.
    pub part: usize,
    pub verdict: Verdict,
    /// The copy the verdict was computed for.
    checked: Option<Entity>,
}

/// What the window's editing holds besides the session.
#[derive(Default)]
pub struct EditState {
    pub form: Option<Form>,
    pub picking: Option<PickField>,
    /// The outcome of the last save, undo or refused action.
    pub status: Option<String>,
    pub quit_prompt: bool,
    pub allow_close: bool,
    /// Versions on disk (file and fingerprint) the editor chose to replace with their own
    /// ("Keep mine"); a save replaces exactly those, never a later change.
    pub replace_on_disk: Vec<(PathBuf, u64)>,
    /// The title last sent to the window.
    pub title: String,
    /// The dragged share value last checked (figure, end, value's bits): checked once
    /// per value, not once per frame.
    pub share_checked: Option<(String, crate::ui::share_lens::End, u64)>,
    /// What the forms' choices offer, made for the map revision and language it says.
    pub choices: editor::FormChoices,
}

/// The first id `prefix-N` that the draft does not use.
fn fresh_id(draft: &Draft, prefix: &str) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| draft.find_id(id).is_none())
        .unwrap_or_else(|| prefix.to_owned())
}

impl ChainmapApp {
    fn selected_node_id(&self) -> Option<String> {
        let node = self.state.selected?;
        Some(self.session.map().nodes.get(node)?.id.clone())
    }

    /// Opens the form of an entity of the map.
    pub(super) fn open_form(&mut self, kind: EntityKind, id: &str) {
        self.edit.picking = None;
        self.edit.form = self.session.draft().get(kind, id).map(|entity| Form {
            entity,
            is_new: false,
            part: 0,
            verdict: Verdict::default(),
            checked: None,
        });
    }

    /// Opens the form of a new entity, about the selected node where that makes sense.
    pub(super) fn open_new_form(&mut self, kind: EntityKind) {
        let draft = self.session.draft();
        let map = self.session.map();
        let node = self.selected_node_id();
        let tier = self
            .state
            .selected
            .and_then(|i| map.nodes.get(i))
            .map(|n| n.tier.clone())
            .or_else(|| map.tiers.first().map(|t| t.id.clone()))
            .unwrap_or_default();
        let source = map
            .sources
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let entity = match kind {
            EntityKind::Thesis => Entity::Thesis(Thesis {
                about: node.into_iter().collect(),
                ..Thesis::new(fresh_id(draft, "thesis"), "", "")
            }),
            EntityKind::Figure => Entity::Figure(Figure::new(
                fresh_id(draft, "figure"),
                node.unwrap_or_default(),
                Qualifier::Approx,
                source,
            )),
            EntityKind::Link => Entity::Link(Link::new(
                fresh_id(draft, "link"),
                node.unwrap_or_default(),
                "",
                LinkKind::Supplies,
            )),
            _ => Entity::Node(Node::new(
                fresh_id(draft, "node"),
                "",
                NodeKind::Company,
                tier,
            )),
        };
        let part = draft.part_for(entity.kind()).unwrap_or(0);
        self.edit.picking = match kind {
            EntityKind::Link => Some(PickField::LinkTo),
            _ => None,
        };
        self.edit.form = Some(Form {
            entity,
            is_new: true,
            part,
            verdict: Verdict::default(),
            checked: None,
        });
    }

    /// Re-checks the form's working copy when it changed since the last check.
    fn check_form(&mut self) {
        let Some(form) = &mut self.edit.form else {
            return;
        };
        if form.checked.as_ref() == Some(&form.entity) {
            return;
        }
        let edit = if form.is_new {
            self.session.draft().add(form.part, form.entity.clone())
        } else {
            self.session
                .draft()
                .replace(form.entity.clone(), "check".to_owned())
        };
        // A check that could not run (a stale place, say) refuses the change like an
        // error would: an empty verdict would let it look valid.
        form.verdict = match edit.and_then(|edit| self.session.check(&edit)) {
            Ok(verdict) => verdict,
            Err(error) => Verdict {
                errors: vec![error.to_string()],
                error_fields: vec![None],
                warnings: Vec::new(),
            },
        };
        form.checked = Some(form.entity.clone());
    }

    /// Draws the form in the inspector and acts on what it asks.
    pub(super) fn form_ui(&mut self, ui: &mut egui::Ui) {
        self.check_form();
        let Some(form) = &mut self.edit.form else {
            return;
        };
        let map = self.session.map();
        let made_for = (self.derived.index.revision, self.state.lang);
        if self.edit.choices.made_for != made_for {
            self.edit.choices = editor::FormChoices::of(map, made_for.0, made_for.1);
        }
        let response = editor::form_ui(
            ui,
            &mut form.entity,
            map,
            &self.edit.choices,
            &self.state,
            &form.verdict,
            form.is_new,
        );
        self.act_on_form(response);
    }

    fn act_on_form(&mut self, response: FormResponse) {
        if let Some(pick) = response.pick {
            self.edit.picking = Some(pick);
        }
        if response.close {
            self.edit.form = None;
            self.edit.picking = None;
            return;
        }
        if let Some(commit) = response.commit {
            self.commit_form(commit.field, commit.merge);
        }
        if response.add {
            self.add_from_form();
        }
        if response.delete
            && let Some(form) = &self.edit.form
        {
            let (kind, id) = (form.entity.kind(), form.entity.id().to_owned());
            match self.session.draft().delete(kind, &id) {
                Ok(edit) => {
                    if self.perform(edit, false) {
                        self.edit.form = None;
                    }
                }
                Err(error) => self.edit.status = Some(error.to_string()),
            }
        }
    }

    /// Applies the form's working copy to the map when it differs and the checker
    /// accepts it; a refused value stays in the form with its reasons.
    pub(super) fn commit_form(&mut self, field: &str, merge: bool) {
        self.check_form();
        let Some(form) = &self.edit.form else {
            return;
        };
        if form.is_new || form.verdict.is_refused() {
            return;
        }
        let current = self
            .session
            .draft()
            .get(form.entity.kind(), form.entity.id());
        if current.as_ref() == Some(&form.entity) {
            return;
        }
        let label = format!("set {field} of {}", form.entity.id());
        match self.session.draft().replace(form.entity.clone(), label) {
            Ok(edit) => {
                self.perform(edit, merge);
            }
            Err(error) => self.edit.status = Some(error.to_string()),
        }
    }

    fn add_from_form(&mut self) {
        self.check_form();
        let Some(form) = &self.edit.form else {
            return;
        };
        if form.verdict.is_refused() {
            return;
        }
        let (kind, id) = (form.entity.kind(), form.entity.id().to_owned());
        match self.session.draft().add(form.part, form.entity.clone()) {
            Ok(edit) => {
                if self.perform(edit, false) {
                    // Go on editing what was added.
                    self.open_form(kind, &id);
                    if kind == EntityKind::Node
                        && let Some(index) =
                            self.session.map().nodes.iter().position(|n| n.id == id)
                    {
                        self.state.selected = Some(index);
                    }
                }
            }
            Err(error) => self.edit.status = Some(error.to_string()),
        }
    }

    /// Makes an edit through the session; says whether it was made.
    pub(super) fn perform(&mut self, edit: Edit, merge: bool) -> bool {
        let relayout = touches_layout(&edit);
        let result = if merge {
            self.session.perform_merged(edit)
        } else {
            self.session.perform(edit)
        };
        match result {
            Ok(verdict) => {
                self.layouts.tidied.edited();
                let lang = self.state.lang;
                self.edit.status = verdict.warnings.first().map(|w| Msg::warning(lang, w));
                self.map_edited(relayout);
                true
            }
            Err(SessionError::Refused(verdict)) => {
                let errors = verdict.errors.join("; ");
                self.edit.status = Some(Msg::refused(self.state.lang, errors));
                false
            }
            Err(error) => {
                self.edit.status = Some(error.to_string());
                false
            }
        }
    }

    /// Undoes the latest step: a Tidy up when it came after the latest edit, else the edit.
    pub(super) fn undo(&mut self) {
        self.step(false);
    }

    /// Redoes the latest step undone: a Tidy up when it is the next, else an edit.
    pub(super) fn redo(&mut self) {
        self.step(true);
    }

    /// Undoes (or redoes) one step: a Tidy up when it is the next one at the draft's state,
    /// else an edit.
    fn step(&mut self, redo: bool) {
        let state = self.session.history().state();
        let tidied = if redo {
            self.layouts.tidied.redo(state)
        } else {
            self.layouts.tidied.undo(state)
        };
        match tidied {
            Some(positions) => {
                let lang = self.state.lang;
                let status = stepped(lang, redo, Msg::TidyUp.in_lang(lang));
                self.restore_layout(positions, status);
            }
            None => self.step_history(redo),
        }
    }

    /// Lays the map out from `positions` (the layout a Tidy up replaced, or made).
    fn restore_layout(&mut self, positions: PriorPositions, status: String) {
        self.layouts
            .rearrange(parts::Rearrangement::Restore(positions));
        self.edit.status = Some(status);
    }

    /// Undoes (or redoes) one edit and shows the map and the form as they are after it.
    fn step_history(&mut self, redo: bool) {
        let history = self.session.history();
        let next = if redo {
            history.redo_edit()
        } else {
            history.undo_edit()
        };
        let relayout = next.is_some_and(touches_layout);
        let result = if redo {
            self.session.redo()
        } else {
            self.session.undo()
        };
        let lang = self.state.lang;
        match result {
            Ok(Some(label)) => {
                self.edit.status = Some(stepped(lang, redo, label));
                self.map_edited(relayout);
                self.reload_form();
            }
            Ok(None) => {
                let nothing = if redo {
                    Msg::NothingToRedo
                } else {
                    Msg::NothingToUndo
                };
                self.edit.status = Some(nothing.in_lang(lang).to_owned());
            }
            Err(error) => self.edit.status = Some(error.to_string()),
        }
    }

    /// After an undo or redo the form shows the map's value again (or closes when its
    /// entity is gone).
    fn reload_form(&mut self) {
        let Some(form) = &self.edit.form else {
            return;
        };
        if form.is_new {
            return;
        }
        let (kind, id) = (form.entity.kind(), form.entity.id().to_owned());
        self.open_form(kind, &id);
    }

    /// Saves the edits into the map's files (after applying what the form holds).
    pub fn save(&mut self) {
        self.commit_form("field", false);
        let on_disk = if self.edit.replace_on_disk.is_empty() {
            OnDiskChange::Refuse
        } else {
            OnDiskChange::Replace(self.edit.replace_on_disk.clone())
        };
        match self.session.save(on_disk) {
            Ok(written) => {
                self.edit.replace_on_disk.clear();
                let lang = self.state.lang;
                self.edit.status = Some(match written.as_slice() {
                    [] => Msg::NothingToSave.in_lang(lang).to_owned(),
                    [file] => Msg::saved_file(lang, file.display()),
                    files => Msg::saved_files(lang, files.len()),
                });
                self.after_save();
            }
            Err(error) => self.edit.status = Some(Msg::not_saved(self.state.lang, error)),
        }
    }

    /// Writes the whole map to `dest` and goes on editing it there.
    pub fn save_as(&mut self, dest: PathBuf) {
        self.commit_form("field", false);
        let old_root = self.session.root().to_path_buf();
        match self.session.save_as(&dest) {
            Err(crate::io::save::SaveError::SameLocation(_)) => self.save(),
            Ok(()) => {
                // The edits now live in the copy: the original's journal no longer holds them.
                if let Some(dir) = self.disk.journal_dir.as_deref()
                    && self.disk.recovery.is_none()
                {
                    crate::io::journal::Journal::remove(dir, &old_root);
                }
                self.edit.status = Some(Msg::saved_as(self.state.lang, dest.display()));
                self.recent.retain(|p| p != &dest);
                self.recent.insert(0, dest);
                self.recent.truncate(super::MAX_RECENT);
                self.after_save();
            }
            Err(error) => self.edit.status = Some(Msg::not_saved(self.state.lang, error)),
        }
    }

    fn after_save(&mut self) {
        self.clear_journal();
        self.watch_root();
    }

    /// Asks where to save a copy, then saves it there.
    pub(super) fn save_as_dialog(&mut self) {
        let is_folder = self.session.saved().files.len() > 1 || self.session.root().is_dir();
        let ask = if is_folder {
            MapPath::Folder
        } else {
            MapPath::FileToWrite
        };
        if let Some(dest) = ask_map_path(ask, self.state.lang) {
            self.save_as(dest);
        }
    }

    /// A node clicked while a form waits for a pick.
    pub(super) fn pick_node(&mut self, node: usize) {
        let Some(pick) = self.edit.picking else {
            return;
        };
        let Some(id) = self.session.map().nodes.get(node).map(|n| n.id.clone()) else {
            return;
        };
        if let Some(form) = &mut self.edit.form {
            pick.fill(&mut form.entity, &id);
        }
        // A thesis's subjects can be picked one after another; the other fields take one.
        if pick != PickField::About {
            self.edit.picking = None;
        }
        self.commit_form(pick.field(), false);
    }

    /// A node dragged in edit mode: pinned where it was dropped.
    pub(super) fn pin_node(&mut self, node: usize, at: (f32, f32)) {
        // The node as its file holds it: the checked map may have left out parts of it
        // (a segment of a file that does not parse), which the edit must not drop.
        let Some(id) = self.session.map().nodes.get(node).map(|n| n.id.clone()) else {
            return;
        };
        let Some(Entity::Node(mut pinned)) = self.session.draft().get(EntityKind::Node, &id) else {
            return;
        };
        pinned.pin = Some((at.0.round(), at.1.round()));
        // The card glides into its cell from where it was dropped.
        if let Some(card) = self.shown_layout().and_then(|l| l.nodes.get(node)) {
            let dropped = crate::layout::Rect {
                x: at.0 - card.w / 2.0,
                y: at.1 - card.h / 2.0,
                ..*card
            };
            self.view.glide_starts.push((node, Some(dropped)));
        }
        let label = format!("pin {}", pinned.id);
        let id = pinned.id.clone();
        match self.session.draft().replace(Entity::Node(pinned), label) {
            Ok(edit) => {
                if self.perform(edit, false)
                    && let Some(form) = &self.edit.form
                    && !form.is_new
                    && form.entity.id() == id
                {
                    self.open_form(EntityKind::Node, &id);
                }
            }
            Err(error) => self.edit.status = Some(error.to_string()),
        }
    }

    /// Edit mode, undo, redo and save in the top bar, and the unsaved marker.
    pub(super) fn edit_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.toggle_value(
            &mut self.state.editing,
            Msg::EditMode.in_lang(self.state.lang),
        )
        .on_hover_text(Msg::EditModeHint.in_lang(self.state.lang));
        let history = self.session.history();
        let state = history.state();
        let (tidy_undo, tidy_redo) = (
            self.layouts.tidied.can_undo(state),
            self.layouts.tidied.can_redo(state),
        );
        if !self.state.editing && !self.session.is_dirty() && !tidy_undo && !tidy_redo {
            return;
        }
        let lang = self.state.lang;
        let tidy_up = Msg::TidyUp.in_lang(lang);
        let undo_label = if tidy_undo {
            Some(tidy_up)
        } else {
            history.undo_label()
        };
        let redo_label = if tidy_redo {
            Some(tidy_up)
        } else {
            history.redo_label()
        };
        let undo_hint = undo_label.map(|l| Msg::undo_step(lang, l));
        let redo_hint = redo_label.map(|l| Msg::redo_step(lang, l));
        let undo = ui.add_enabled(
            undo_hint.is_some(),
            egui::Button::new(Msg::Undo.in_lang(self.state.lang)),
        );
        if undo.on_hover_text(undo_hint.unwrap_or_default()).clicked() {
            self.undo();
        }
        let redo = ui.add_enabled(
            redo_hint.is_some(),
            egui::Button::new(Msg::Redo.in_lang(self.state.lang)),
        );
        if redo.on_hover_text(redo_hint.unwrap_or_default()).clicked() {
            self.redo();
        }
        let dirty = self.session.is_dirty();
        let save = ui.add_enabled(
            dirty,
            egui::Button::new(if dirty {
                Msg::SaveUnsaved.in_lang(self.state.lang)
            } else {
                Msg::Save.in_lang(self.state.lang)
            }),
        );
        if save
            .on_hover_text(Msg::SaveHint.in_lang(self.state.lang))
            .clicked()
        {
            self.save();
        }
        if self.state.editing {
            ui.menu_button(Msg::AddMenu.in_lang(self.state.lang), |ui| {
                for (kind, label) in [
                    (EntityKind::Thesis, Msg::Thesis.in_lang(self.state.lang)),
                    (EntityKind::Figure, Msg::Figure.in_lang(self.state.lang)),
                    (EntityKind::Node, Msg::Node.in_lang(self.state.lang)),
                    (EntityKind::Link, Msg::Link.in_lang(self.state.lang)),
                ] {
                    if ui.button(label).clicked() {
                        self.open_new_form(kind);
                        ui.close();
                    }
                }
            });
        }
        if let Some(status) = &self.edit.status {
            ui.label(egui::RichText::new(status).small());
        }
    }

    /// The window's title: the map's name, and a dot while edits are unsaved.
    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let name = self
            .session
            .root()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let title = if self.session.is_dirty() {
            Msg::unsaved_title(self.state.lang, name)
        } else {
            format!("{name} — chainmap")
        };
        if title != self.edit.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.edit.title = title;
        }
    }

    /// Holds the window open while edits are unsaved, and asks.
    pub(super) fn quit_guard(&mut self, ctx: &egui::Context) {
        let close_requested = ctx.input(|i| i.viewport().close_requested());
        if close_requested && self.session.is_dirty() && !self.edit.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.edit.quit_prompt = true;
        }
        if !self.edit.quit_prompt {
            return;
        }
        let modal = egui::Modal::new(egui::Id::unique("quit-prompt")).show(ctx, |ui| {
            ui.heading(Msg::QuitPromptTitle.in_lang(self.state.lang));
            ui.label(Msg::unsaved_edits_in(
                self.state.lang,
                self.session.root().display(),
            ));
            ui.horizontal(|ui| {
                if ui
                    .button(Msg::SaveAndQuit.in_lang(self.state.lang))
                    .clicked()
                {
                    self.save();
                    if !self.session.is_dirty() {
                        self.quit(ctx);
                    }
                }
                if ui
                    .button(Msg::QuitWithoutSaving.in_lang(self.state.lang))
                    .clicked()
                {
                    self.quit(ctx);
                }
                if ui.button(Msg::Cancel.in_lang(self.state.lang)).clicked() {
                    self.edit.quit_prompt = false;
                }
            });
            if let Some(status) = &self.edit.status {
                ui.label(status);
            }
        });
        if modal.should_close() {
            self.edit.quit_prompt = false;
        }
    }

    fn quit(&mut self, ctx: &egui::Context) {
        self.edit.quit_prompt = false;
        self.edit.allow_close = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Whether the session holds unsaved edits.
    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty()
    }

    /// The form's working copy, when a form is open (tests read it).
    pub fn form_entity(&self) -> Option<&Entity> {
        self.edit.form.as_ref().map(|f| &f.entity)
    }

    /// The last status line of editing (tests read it).
    pub fn edit_status(&self) -> Option<&str> {
        self.edit.status.as_deref()
    }
}

/// Whether an edit changes what the layout depends on (nodes, links, segments, tiers).
fn touches_layout(edit: &Edit) -> bool {
    edit.changes.iter().any(|change| {
        let kind = change
            .after
            .as_ref()
            .or(change.before.as_ref())
            .map(Entity::kind);
        matches!(
            kind,
            Some(EntityKind::Node | EntityKind::Link | EntityKind::Segment | EntityKind::Tier)
        )
    })
}
