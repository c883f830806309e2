//! The window's keys, its command palette and its sheet of shortcuts: what each
//! [`Command`] does, and what a palette pick does. The list of commands and their keys is
//! `ui::commands`; this is where they act on the app.

use super::editing::{MapPath, ask_map_path};
use super::{ChainmapApp, LeftTab};
use crate::model::{EntityKind, Lang};
use crate::ui::Action;
use crate::ui::commands::{self, Command};
use crate::ui::palette::{self, Palette, PaletteIndex, PaletteItem, PaletteResponse};
use crate::ui::views;
use petgraph::Direction;
use petgraph::graph::NodeIndex;

/// How far one press of an arrow pans the map, in screen points.
const PAN_STEP: f32 = 80.0;
/// How much one press of + or − zooms.
const ZOOM_STEP: f32 = 1.25;

/// The palette (while open), what it searches (built when it opens, dropped when the map
/// changes), the latest picks, and whether the sheet of shortcuts shows.
#[derive(Default)]
pub(super) struct CommandState {
    palette: Option<Palette>,
    index: Option<PaletteIndex>,
    recent: Vec<PaletteItem>,
    shortcuts: bool,
    /// The card the arrows walked the selection to while a widget had the focus.
    focus_walk: Option<usize>,
}

impl CommandState {
    /// The map changed: what the palette searches is built again when it next opens.
    pub(super) fn map_changed(&mut self) {
        self.index = None;
    }
}

/// Whether a text field has the keys (a focused button or card does not).
fn typing(ctx: &egui::Context) -> bool {
    ctx.memory(|m| m.focused())
        .is_some_and(|id| egui::text_edit::TextEditState::load(ctx, id).is_some())
}

impl ChainmapApp {
    /// Hands the map view the card to focus after an arrow walk, once the walk's selection
    /// is made (the frame after the key); the next call takes it back.
    pub(super) fn focus_after_walk(&mut self) {
        self.state.focus_node = None;
        if let Some(node) = self.commands.focus_walk
            && self.state.selected == Some(node)
        {
            self.state.focus_node = Some(node);
            self.commands.focus_walk = None;
        }
    }

    /// Reads this frame's keys: a command's keys do it (only Ctrl keys while a text field
    /// has the cursor); arrows walk the selection's links (↑ to a customer, ↓ to a
    /// supplier), or pan the map when nothing is selected.
    pub(super) fn keyboard(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.commands.palette.is_some() {
            // The palette has the keys while it is open.
            return;
        }
        let typing = typing(ctx);
        if let Some(command) = ctx.input_mut(|i| Command::pressed(i, typing)) {
            self.run_command(ctx, command, actions);
        }
        if typing {
            return;
        }
        let (left, right, up, down) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowLeft),
                i.key_pressed(egui::Key::ArrowRight),
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::ArrowDown),
            )
        });
        if let Some(selected) = self.state.selected {
            let direction = if up {
                Some(Direction::Outgoing)
            } else if down {
                Some(Direction::Incoming)
            } else {
                None
            };
            if let Some(direction) = direction
                && let Some(next) = self
                    .derived
                    .index
                    .graph
                    .neighbors_directed(NodeIndex::new(selected), direction)
                    .min()
            {
                actions.push(Action::Reveal(next.index()));
                // Driven by the keyboard (a card or a button has the focus): the focus
                // follows to the card walked to.
                if ctx.memory(|m| m.focused()).is_some() {
                    self.commands.focus_walk = Some(next.index());
                }
            }
        } else {
            let step =
                |minus: bool, plus: bool| f32::from(u8::from(minus)) - f32::from(u8::from(plus));
            let pan = egui::vec2(step(left, right), step(up, down)) * PAN_STEP;
            if pan != egui::Vec2::ZERO {
                self.view.camera.pan += pan;
                self.view.fitted = false;
            }
        }
    }

    /// Does `command`.
    pub(super) fn run_command(
        &mut self,
        ctx: &egui::Context,
        command: Command,
        actions: &mut Vec<Action>,
    ) {
        match command {
            Command::Palette => self.open_palette(),
            Command::Shortcuts => self.commands.shortcuts = !self.commands.shortcuts,
            Command::Search => self.panels.focus_search = true,
            Command::Fit => actions.push(Action::FitView),
            Command::ZoomIn => self.zoom_by(ZOOM_STEP),
            Command::ZoomOut => self.zoom_by(1.0 / ZOOM_STEP),
            Command::Pan | Command::WalkLinks => {}
            Command::Trace => {
                if self.state.selected.is_some() {
                    actions.push(Action::Trace(self.state.trace.is_none()));
                }
            }
            Command::Outline => self.panels.left_tab = LeftTab::Outline,
            Command::Theses => self.panels.left_tab = LeftTab::Theses,
            Command::Markets => self.panels.left_tab = LeftTab::Markets,
            Command::Filters => self.panels.left_tab = LeftTab::Filters,
            Command::EditMode => self.state.editing = !self.state.editing,
            Command::Clear => self.clear(actions),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::Save => self.save(),
            Command::TidyUp => actions.push(Action::TidyUp),
            Command::Language => {
                self.state.lang = match self.state.lang {
                    Lang::En => Lang::Zh,
                    Lang::Zh => Lang::En,
                };
            }
            Command::DarkTheme => self.state.dark = !self.state.dark,
            Command::Motion => self.set_motion(!self.view.motion),
            Command::Problems => self.panels.show_problems = !self.panels.show_problems,
            Command::Open => {
                if let Some(path) = ask_map_path(MapPath::FileToRead, self.state.lang) {
                    self.open_path(&path);
                }
            }
            Command::OpenFolder => {
                if let Some(path) = ask_map_path(MapPath::Folder, self.state.lang) {
                    self.open_path(&path);
                }
            }
            Command::NewMap => self.new_map_dialog(),
            Command::Import => self.import_dialog(),
            Command::SaveAs => self.save_as_dialog(),
            Command::ExportImage => self.export_dialog(false),
            Command::ExportView => self.export_dialog(true),
            Command::ExportWebPage => self.web_page_dialog(),
            Command::CompareWith => self.compare_dialog(),
            Command::CompareHead => self.compare_with_revision("HEAD"),
            Command::StopComparing => self.stop_comparing(),
            Command::AddThesis => actions.push(Action::NewEntity(EntityKind::Thesis)),
            Command::AddFigure => actions.push(Action::NewEntity(EntityKind::Figure)),
            Command::AddNode => actions.push(Action::NewEntity(EntityKind::Node)),
            Command::AddLink => actions.push(Action::NewEntity(EntityKind::Link)),
        }
        ctx.request_repaint();
    }

    /// Escape: closes the sheet of shortcuts, stops picking a node for a form, or clears
    /// the selection, trace, thesis lens and market lens.
    fn clear(&mut self, actions: &mut Vec<Action>) {
        if self.commands.shortcuts {
            self.commands.shortcuts = false;
        } else if self.edit.picking.is_some() {
            self.edit.picking = None;
        } else {
            actions.push(Action::Select(None));
            actions.push(Action::ThesisLens(None));
            actions.push(Action::Market(None));
        }
    }

    /// Zooms around the middle of the map view.
    fn zoom_by(&mut self, factor: f32) {
        let view = self.view.map_viewport;
        if !view.is_positive() {
            return;
        }
        self.view
            .camera
            .zoom_around(view.min, view.center(), factor);
        self.view.fitted = false;
    }

    fn open_palette(&mut self) {
        self.commands.shortcuts = false;
        if self.commands.index.is_none() {
            // Saved views are read once per opening, as the Views menu does.
            let names: Vec<String> = views::read_views(self.session.root())
                .map(|views| views.into_iter().map(|v| v.name).collect())
                .unwrap_or_default();
            self.commands.index = Some(PaletteIndex::of(self.session.map(), &names));
        }
        self.commands.palette = Some(Palette::default());
    }

    /// The palette and the sheet of shortcuts, over the window, when open.
    pub(super) fn overlays_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let lang = self.state.lang;
        if self.commands.shortcuts {
            let sheet = egui::Modal::new(egui::Id::unique("shortcuts")).show(ctx, |ui| {
                ui.heading(Command::Shortcuts.label(lang));
                commands::shortcuts_ui(ui, lang);
            });
            if sheet.should_close() {
                self.commands.shortcuts = false;
            }
        }
        let (Some(open), Some(index)) = (&mut self.commands.palette, &self.commands.index) else {
            return;
        };
        match palette::palette_ui(ctx, open, index, &self.commands.recent, lang) {
            PaletteResponse::Open => {}
            PaletteResponse::Closed => self.commands.palette = None,
            PaletteResponse::Picked(item) => {
                self.commands.palette = None;
                palette::remember(&mut self.commands.recent, item.clone());
                self.pick(ctx, item, actions);
            }
        }
    }

    /// Does what a palette pick names: a command, or go to an entity (a node selected and
    /// brought into view, a segment's box fitted, a thesis or market lens laid over the
    /// map, a saved view applied).
    fn pick(&mut self, ctx: &egui::Context, item: PaletteItem, actions: &mut Vec<Action>) {
        let map = self.session.map();
        match item {
            PaletteItem::Command(command) => self.run_command(ctx, command, actions),
            PaletteItem::Node(id) => {
                if let Some(i) = map.nodes.iter().position(|n| n.id == id) {
                    actions.push(Action::Reveal(i));
                }
            }
            PaletteItem::Segment(id) => {
                if let Some(s) = map.segments.iter().position(|s| s.id == id) {
                    self.reveal_segment(s);
                }
            }
            PaletteItem::Thesis(id) => {
                if let Some(t) = map.theses.iter().position(|t| t.id == id) {
                    self.panels.left_tab = LeftTab::Theses;
                    actions.push(Action::ThesisLens(Some(t)));
                }
            }
            PaletteItem::Market(id) => {
                if let Some(m) = map.markets.iter().position(|m| m.id == id) {
                    self.panels.left_tab = LeftTab::Markets;
                    actions.push(Action::Market(Some(m)));
                }
            }
            PaletteItem::View(name) => {
                let found = views::read_views(self.session.root())
                    .ok()
                    .and_then(|views| views.into_iter().find(|v| v.name == name));
                if let Some(view) = found {
                    self.apply_view(&view);
                }
            }
        }
    }

    /// Fits the camera to a segment's box.
    fn reveal_segment(&mut self, segment: usize) {
        let Some(laid) = &self.layouts.layout else {
            return;
        };
        if let Some(found) = laid.layout.segments.iter().find(|b| b.segment == segment) {
            self.view.camera =
                crate::ui::map_view::Camera::fit(&found.rect, self.view.map_viewport);
            self.view.fitted = false;
        }
    }

    /// Whether the palette is open (for tests).
    pub fn palette_open(&self) -> bool {
        self.commands.palette.is_some()
    }

    /// What the outline's search box holds (for tests).
    pub fn search_query(&self) -> &str {
        &self.panels.search.query
    }

    /// The left panel's tab (for tests).
    pub fn left_tab(&self) -> LeftTab {
        self.panels.left_tab
    }
}
