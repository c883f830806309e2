//! File ▸ New map… and File ▸ Import… in the window: a starter map, or a map made from a
//! landscape file or a folder of CSV tables, written into a folder the editor chooses and
//! then opened. The folders come from a [`Chooser`]: the native dialogs in the window, a
//! scripted one in tests.

use super::{ChainmapApp, Status};
use crate::io::{self, Diagnostic, folder::FolderError};
use crate::model::{Lang, Msg, Severity};
use std::path::{Path, PathBuf};

/// Where New map… and Import… get their paths: the native file dialogs, or answers
/// given in advance (tests drive the menu items without a dialog).
pub trait Chooser {
    /// The file or folder to import: a landscape file (`.yml`, `.yaml`), a CSV table (its
    /// folder's tables are read) or a folder of CSV tables. `lang` is the dialog's.
    fn import_source(&mut self, lang: Lang) -> Option<PathBuf>;
    /// The folder to write a new map into (`purpose` says what for, as the dialog title).
    fn new_map_folder(&mut self, purpose: &str) -> Option<PathBuf>;
    /// The file to write the map's web page into (File ▸ Export web page…).
    fn web_page_file(&mut self, lang: Lang) -> Option<PathBuf>;
}

/// The operating system's file dialogs.
pub struct NativeChooser;

impl Chooser for NativeChooser {
    fn import_source(&mut self, lang: Lang) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(Msg::ImportDialogTitle.in_lang(lang))
            .add_filter(Msg::ImportFilter.in_lang(lang), &["yml", "yaml", "csv"])
            .pick_file()
    }

    fn new_map_folder(&mut self, purpose: &str) -> Option<PathBuf> {
        rfd::FileDialog::new().set_title(purpose).pick_folder()
    }

    fn web_page_file(&mut self, lang: Lang) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(Msg::WebPageFilter.in_lang(lang), &["html"])
            .set_file_name("map.html")
            .save_file()
    }
}

/// Answers given in advance, one per question, in order; `None` when they run out (as
/// if the dialog were cancelled).
#[derive(Clone, Debug, Default)]
pub struct ScriptedChooser {
    pub import_sources: Vec<PathBuf>,
    pub folders: Vec<PathBuf>,
    pub web_pages: Vec<PathBuf>,
}

impl Chooser for ScriptedChooser {
    fn import_source(&mut self, _lang: Lang) -> Option<PathBuf> {
        (!self.import_sources.is_empty()).then(|| self.import_sources.remove(0))
    }

    fn new_map_folder(&mut self, _purpose: &str) -> Option<PathBuf> {
        (!self.folders.is_empty()).then(|| self.folders.remove(0))
    }

    fn web_page_file(&mut self, _lang: Lang) -> Option<PathBuf> {
        (!self.web_pages.is_empty()).then(|| self.web_pages.remove(0))
    }
}

/// What an import made, in a sentence for the top bar.
fn summary(
    nodes: usize,
    dest: &Path,
    diagnostics: &[Diagnostic],
    left_out: usize,
    lang: Lang,
) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut text = Msg::imported(lang, nodes, dest.display());
    if errors > 0 {
        let first = diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(ToString::to_string)
            .unwrap_or_default();
        text.push_str(&Msg::entries_left_out(lang, errors, first));
    }
    if left_out > 0 {
        text.push_str(&Msg::fields_not_carried_over(lang, left_out));
    }
    text
}

/// Writes the map imported from `source` into `dest`; says what was made, in `lang`.
fn import_into(source: &Path, dest: &Path, lang: Lang) -> Result<String, String> {
    let is_landscape = source.is_file()
        && source.extension().is_some_and(|e| {
            let e = e.to_ascii_lowercase();
            e == "yml" || e == "yaml"
        });
    let written = |result: Result<Vec<PathBuf>, FolderError>| result.map_err(|e| e.to_string());
    if is_landscape {
        let imported = io::landscape::import(source, &[]).map_err(|e| e.to_string())?;
        written(io::folder::write_new_map(
            dest,
            imported.files,
            &imported.assets,
        ))?;
        Ok(summary(
            imported.map.nodes.len(),
            dest,
            &imported.diagnostics,
            imported.left_out.len(),
            lang,
        ))
    } else {
        // A CSV table stands for the folder of tables it is in.
        let dir = if source.is_dir() {
            source
        } else {
            source.parent().unwrap_or(Path::new("."))
        };
        let read = io::csv_tables::read_tables(dir).map_err(|e| e.to_string())?;
        let files = io::csv_tables::map_files(&read, dir);
        let logos = io::csv_tables::logo_assets(&read, dir);
        written(io::folder::write_new_map(dest, files, &logos))?;
        Ok(summary(
            read.map.nodes.len(),
            dest,
            &read.diagnostics,
            0,
            lang,
        ))
    }
}

/// A menu entry with its hover text; says whether it was clicked, and then closes the menu.
pub(super) fn menu_entry(ui: &mut egui::Ui, label: &str, hover: &str) -> bool {
    let clicked = ui.button(label).on_hover_text(hover).clicked();
    if clicked {
        ui.close();
    }
    clicked
}

impl ChainmapApp {
    /// Lets tests (or another front end) answer the dialogs of New map… and Import….
    pub fn set_chooser(&mut self, chooser: Box<dyn Chooser>) {
        self.chooser = chooser;
    }

    pub(super) fn create_menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.state.lang;
        let new_map = menu_entry(ui, Msg::NewMap.in_lang(lang), Msg::NewMapHint.in_lang(lang));
        if new_map {
            self.new_map_dialog();
        }
        let import = menu_entry(ui, Msg::Import.in_lang(lang), Msg::ImportHint.in_lang(lang));
        if import {
            self.import_dialog();
        }
    }

    /// New map…: asks for a folder, writes a starter map there and opens it.
    pub(super) fn new_map_dialog(&mut self) {
        let purpose = Msg::NewMapFolder.in_lang(self.state.lang);
        if let Some(dest) = self.chooser.new_map_folder(purpose) {
            self.status = self.new_map(&dest).err().map(Status::Failure);
        }
    }

    /// Import…: asks for a landscape file or CSV tables and a folder, imports and opens.
    pub(super) fn import_dialog(&mut self) {
        let lang = self.state.lang;
        if let Some(source) = self.chooser.import_source(lang)
            && let Some(dest) = self
                .chooser
                .new_map_folder(Msg::ImportedMapFolder.in_lang(lang))
        {
            match self.import_map(&source, &dest) {
                // What an import made is news, not a failure: it reads in the text colour.
                Ok(summary) => self.status = Some(Status::Notice(summary)),
                Err(error) => self.status = Some(Status::Failure(error)),
            }
        }
    }

    /// Whether the current map can be left; if not, why (also shown in the top bar).
    fn can_leave(&mut self) -> Result<(), String> {
        if self.session.is_dirty() {
            let why = Msg::unsaved_before_leaving(self.state.lang, self.session.root().display());
            self.status = Some(Status::Failure(why.clone()));
            return Err(why);
        }
        Ok(())
    }

    /// Writes a starter map into `dest` and opens it.
    pub fn new_map(&mut self, dest: &Path) -> Result<(), String> {
        self.can_leave()?;
        io::starter::write_starter(dest).map_err(|e| e.to_string())?;
        self.open_path(dest);
        Ok(())
    }

    /// Imports `source` (a landscape file, a CSV table or a folder of them) into a new map
    /// at `dest` and opens it; returns what was made, in a sentence.
    pub fn import_map(&mut self, source: &Path, dest: &Path) -> Result<String, String> {
        self.can_leave()?;
        let summary = import_into(source, dest, self.state.lang)?;
        self.open_path(dest);
        Ok(summary)
    }
}
