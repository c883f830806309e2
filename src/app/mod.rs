//! The eframe application: holds the editing session (the map as its files hold it and
//! as edited), its cached layout and the view state, lays out the panels, and applies the
//! [`Action`]s they return after each frame. Editing is in `editing`, the files on disk
//! (watching, recovery) in `disk`.

mod commands;
mod compare;
mod create;
pub mod desktop;
mod disk;
mod editing;
mod front;
mod logos;
mod parts;
mod pictures;
mod shares;
mod tidy;

pub use create::{Chooser, NativeChooser, ScriptedChooser};

use crate::io::session::Session;
use crate::io::{self, LoadedMap};
use crate::layout::{self, Layout, LayoutOptions};
use crate::model::market_lens::MarketLens;
use crate::model::trace::{self, Trace};
use crate::model::{BASE_CASE, Lang, Map, Msg, Named, Severity, Worded};
use crate::render::{picture, theme};
use crate::ui::index::MapIndex;
use crate::ui::map_view::{self, Camera};
use crate::ui::motion::{Glide, Picture, Placed};
use crate::ui::{Action, Filter, LitThesis, ViewState, inspector, outline, panels, views};
use petgraph::graph::NodeIndex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What the window remembers between runs (through eframe's storage).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub dark: bool,
    /// Maps opened lately, the latest first.
    pub recent: Vec<PathBuf>,
    /// When the layout changes, cards and boxes glide to their new place (on unless turned
    /// off).
    pub motion: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: Lang::default(),
            dark: false,
            recent: Vec::new(),
            motion: true,
        }
    }
}

/// How many recent maps the File menu lists.
const MAX_RECENT: usize = 8;

const SETTINGS_KEY: &str = "chainmap-settings";
/// The first view shows the whole map only if its names are readable at that size.
const FIRST_VIEW_MIN_ZOOM: f32 = 0.6;
/// The map is laid out again when the view's shape changes by more than this ratio.
const RESHAPE_RATIO: f32 = 1.12;
/// While the panels settle, the layout follows changes of the view's shape beyond this.
const SETTLING_RATIO: f32 = 1.01;
/// The side panels' and bars' usual room, to guess the map view's shape before it is drawn.
const FIRST_PANELS_WIDTH: f32 = 600.0;
const FIRST_BARS_HEIGHT: f32 = 40.0;

/// What the left panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LeftTab {
    #[default]
    Outline,
    Theses,
    Markets,
    Filters,
    /// What changed since the version compared with.
    Changes,
}

/// The layout the window shows, with what it was made from.
struct LaidOut {
    layout: Layout,
    /// What it was made from: a frame whose request it does not serve lays the map out again.
    request: parts::LayoutRequest,
    /// What it places, index for index, to follow each thing into the next layout.
    placed: Placed,
    /// The cells it made for the ghosts of a comparison, index for index with
    /// `placed.ghosts` (`None` for a ghost whose tier is gone too).
    ghosts: Vec<Option<layout::Rect>>,
    /// Its bands, boxes and cards in reading order, for screen readers and Tab.
    reading: Vec<layout::Reading>,
}

impl LaidOut {
    fn picture(&self) -> Picture<'_> {
        Picture {
            layout: &self.layout,
            ghosts: &self.ghosts,
            placed: &self.placed,
        }
    }
}

/// The line in the top bar about the last map opened, made or imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Something failed and the current map stayed: in the error colour.
    Failure(String),
    /// What was done (an import's summary): in the text colour, since nothing went wrong.
    Notice(String),
}

impl Status {
    fn ui(&self, ui: &mut egui::Ui) {
        match self {
            Status::Failure(text) => ui.colored_label(ui.visuals().error_fg_color, text),
            Status::Notice(text) => ui.label(text),
        };
    }
}

pub struct ChainmapApp {
    session: Session,
    /// What is worked out of the map once per revision.
    derived: parts::Derived,
    /// What the reader looks at: selection, lens, trace, market, filter, language.
    state: ViewState,
    /// The layout shown, keyed by what it was made from.
    layouts: parts::LayoutCache,
    /// The camera and the glide between layouts.
    view: parts::Viewing,
    edit: editing::EditState,
    disk: parts::DiskState,
    panels: parts::PanelState,
    comparison: Option<compare::Comparison>,
    /// The command palette, its index and recent picks, and the sheet of shortcuts.
    commands: commands::CommandState,
    recent: Vec<PathBuf>,
    /// The last failure to open a map (shown until the next success), or what an import made.
    status: Option<Status>,
    /// Answers the dialogs of New map… and Import….
    chooser: Box<dyn create::Chooser>,
}

impl ChainmapApp {
    pub fn new(loaded: LoadedMap, settings: Settings) -> Self {
        let mut app = Self {
            session: Session::new(loaded),
            derived: parts::Derived::default(),
            state: ViewState {
                lang: settings.lang,
                dark: settings.dark,
                ..ViewState::default()
            },
            layouts: parts::LayoutCache::default(),
            view: parts::Viewing::new(settings.motion),
            edit: editing::EditState::default(),
            disk: parts::DiskState::default(),
            panels: parts::PanelState::default(),
            comparison: None,
            commands: commands::CommandState::default(),
            recent: settings.recent,
            status: None,
            chooser: Box::new(create::NativeChooser),
        };
        app.derive();
        app
    }

    /// Journals unsaved edits in `dir` and offers back what an earlier run left there.
    pub fn with_journal_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.disk.journal_dir = dir;
        self.offer_recovery();
        self
    }

    /// Shows another map: everything derived from the old one is dropped.
    fn set_map(&mut self, loaded: LoadedMap) {
        self.session = Session::new(loaded);
        self.edit.form = None;
        self.edit.picking = None;
        self.edit.replace_on_disk.clear();
        self.disk.conflict = None;
        self.comparison = None;
        self.derive();
        self.offer_recovery();
    }

    /// Computes what the view needs from a new map, and starts the view afresh.
    fn derive(&mut self) {
        self.derived.logos.forget();
        self.derive_data();
        self.layouts.layout = None;
        self.layouts.tidied.clear();
        self.layouts.rearrange = None;
        self.view.glide = None;
        self.view.glide_starts.clear();
        self.layouts.layouts_of_map = 0;
        self.view.camera_request = parts::CameraRequest::FirstView;
        self.state = ViewState {
            lang: self.state.lang,
            dark: self.state.dark,
            editing: self.state.editing,
            ..ViewState::default()
        };
        self.panels.show_problems = self.session.current().error_count() > 0;
    }

    /// After an edit (or a reload): derives the map's data again, keeps the selection,
    /// lens, trace and filter on the same entities, and lays out again from the old
    /// picture when the shape of the map changed.
    fn map_edited(&mut self, relayout: bool) {
        let selected = self
            .state
            .selected
            .and_then(|i| self.derived.index.node_ids.get(i).cloned());
        let lens = self
            .state
            .lens_thesis()
            .and_then(|i| self.derived.index.thesis_ids.get(i).cloned());
        let market = self
            .state
            .market
            .as_ref()
            .map(|m| (m.market_id.clone(), m.case.clone()));
        self.derive_data();
        let position = |ids: &[String], id: Option<String>| {
            id.and_then(|id| ids.iter().position(|x| *x == id))
        };
        self.state.selected = position(&self.derived.index.node_ids, selected);
        self.state.hovered = None;
        let lens = position(&self.derived.index.thesis_ids, lens);
        self.apply(Action::ThesisLens(lens));
        // The same market in the same case, recomputed; the view stays where the editor
        // has it.
        let map = self.session.map();
        self.state.market = market.and_then(|(id, case)| {
            let m = map.markets.iter().position(|m| m.id == id)?;
            MarketLens::of_case(map, m, &case)
        });
        let tracing = self.state.trace.is_some();
        self.apply(Action::Trace(tracing));
        self.apply(Action::SetFilter(self.state.filter.clone()));
        if relayout {
            self.layouts.content_changed();
        }
        self.refresh_comparison();
        self.update_journal();
    }

    /// What the view derives from the map's contents.
    fn derive_data(&mut self) {
        self.commands.map_changed();
        let map = self.session.map();
        self.derived.index = MapIndex::next(map, &self.derived.index);
        self.panels.search.invalidate();
        let asset_dir = self.session.saved().asset_dir();
        self.derived.logos.update(map, &asset_dir);
        self.derive_front_page();
    }

    /// Opens the map at `path` (a file or a folder) and adds it to the recent maps; on an
    /// I/O error the current map stays and the error shows in the top bar.
    pub fn open_path(&mut self, path: &Path) {
        if self.session.is_dirty() {
            // Never drop edits by opening another map: they are saved or undone first.
            self.status = Some(Status::Failure(Msg::unsaved_before_opening(
                self.state.lang,
                self.session.root().display(),
            )));
            return;
        }
        match io::load(path) {
            Ok(loaded) => {
                self.set_map(loaded);
                self.recent.retain(|p| p != path);
                self.recent.insert(0, path.to_path_buf());
                self.recent.truncate(MAX_RECENT);
                self.status = None;
            }
            Err(error) => self.status = Some(Status::Failure(error.to_string())),
        }
    }

    /// The URI the window loads a node's logo from, when the node has a safe one.
    pub fn logo_uri(&self, node: usize) -> Option<&str> {
        self.derived.logos.uri(node)
    }

    pub fn recent(&self) -> &[PathBuf] {
        &self.recent
    }

    pub fn map(&self) -> &Map {
        self.session.map()
    }

    pub fn state(&self) -> &ViewState {
        &self.state
    }

    /// Shows the whole map on the next frame.
    pub fn fit_view(&mut self) {
        self.view.camera_request = parts::CameraRequest::Fit;
    }

    /// The map view's camera (benchmarks set a zoom with it).
    pub fn camera_mut(&mut self) -> &mut Camera {
        self.view.camera_request = parts::CameraRequest::Keep;
        &mut self.view.camera
    }

    /// The map view's camera as last drawn.
    pub fn camera(&self) -> Camera {
        self.view.camera
    }

    /// Selects a node (or nothing), as a click on it does.
    pub fn select_node(&mut self, node: Option<usize>) {
        self.apply(Action::Select(node));
    }

    /// Lays the market `id` over the map, or takes the market lens off (`None`); an id
    /// the map does not have takes it off too.
    pub fn show_market(&mut self, id: Option<&str>) {
        let market = id.and_then(|id| self.map().markets.iter().position(|m| m.id == id));
        self.apply(Action::Market(market));
    }

    /// Where a node was drawn in the last frame, in screen points.
    pub fn node_screen_rect(&self, node: usize) -> Option<egui::Rect> {
        self.holder_screen_rect(crate::model::market_lens::Holder::Node(node))
    }

    /// Where a card, a segment's box or a tier's band was drawn in the last frame.
    pub fn holder_screen_rect(
        &self,
        holder: crate::model::market_lens::Holder,
    ) -> Option<egui::Rect> {
        let rect = self.shown_layout()?.holder_rect(holder)?;
        Some(
            self.view
                .camera
                .rect_to_screen(self.view.map_viewport.min, &rect),
        )
    }

    /// Where the map view was drawn in the last frame, in screen points.
    pub fn map_viewport(&self) -> egui::Rect {
        self.view.map_viewport
    }

    /// The shape (width over height) the map view's layout was made for.
    pub fn layout_aspect(&self) -> f32 {
        self.layouts.aspect()
    }

    /// How many layouts were made of this map since it was opened.
    pub fn layouts_of_map(&self) -> u32 {
        self.layouts.layouts_of_map
    }

    /// The layout the map is going to (where everything is once a glide is over).
    pub fn layout(&self) -> Option<&Layout> {
        self.layouts.layout.as_ref().map(|laid| &laid.layout)
    }

    /// The layout as drawn this frame: on its way from the previous one while a glide
    /// lasts.
    pub fn shown_layout(&self) -> Option<&Layout> {
        shown(&self.view.glide, &self.layouts.layout)
    }

    /// Where the ghosts of a comparison are drawn this frame, in map units, index for
    /// index with its marks' ghosts (`None`: a ghost with nowhere to go).
    pub fn ghost_rects(&self) -> &[Option<layout::Rect>] {
        match (&self.view.glide, &self.layouts.layout) {
            (Some(glide), _) => glide.ghosts(),
            (None, Some(laid)) => &laid.ghosts,
            (None, None) => &[],
        }
    }

    /// How opaque node `node`'s card is drawn this frame (a new card fades in).
    pub fn node_opacity(&self, node: usize) -> f32 {
        self.view
            .glide
            .as_ref()
            .map_or(1.0, |g| g.node_opacity(node))
    }

    /// How opaque ghost `k` of a comparison is drawn this frame (a new ghost fades in).
    pub fn ghost_opacity(&self, k: usize) -> f32 {
        self.view.glide.as_ref().map_or(1.0, |g| g.ghost_opacity(k))
    }

    /// Whether layout changes glide (else they jump).
    pub fn motion(&self) -> bool {
        self.view.motion
    }

    /// Turns motion on or off, as the top bar's toggle does.
    pub fn set_motion(&mut self, on: bool) {
        self.view.motion = on;
        if !on {
            self.view.glide = None;
        }
    }

    /// Whether cards are on their way to a new layout.
    pub fn gliding(&self) -> bool {
        self.view.glide.is_some()
    }

    /// What the window remembers between runs, as it would save it now.
    pub fn settings(&self) -> Settings {
        Settings {
            lang: self.state.lang,
            dark: self.state.dark,
            recent: self.recent.clone(),
            motion: self.view.motion,
        }
    }

    /// Lays the map out when the frame's [`parts::LayoutRequest`] differs from the one the
    /// shown layout was made for: once per change of what the layout reads of the map, of
    /// language (node sizes follow the text) or of comparison, on Tidy up and its undo, and
    /// when the map view's shape changes by more than an eighth (once the pointer is
    /// released, not on every pixel of a drag). It lays out from the previous layout, so
    /// that the picture moves as little as possible (nothing is reordered behind the
    /// user's back); afresh, ordered for few crossings, when Tidy up asks.
    fn ensure_layout(&mut self, ctx: &egui::Context) {
        let wanted = self.layout_request(ctx);
        // The side panels keep their widths from the first frame, so the first layout is
        // made for the map view's settled shape; should the view still change shape right
        // after it, the second layout follows closely.
        let settling = self.layouts.layouts_of_map == 1;
        let tolerance = if ctx.input(|i| i.pointer.any_down()) {
            f32::INFINITY
        } else if settling {
            SETTLING_RATIO
        } else {
            RESHAPE_RATIO
        };
        let made = self.layouts.layout.as_ref().map(|laid| &laid.request);
        if made.is_some_and(|made| made.serves(&wanted, tolerance)) {
            return;
        }
        let reshaped = made.is_some_and(|made| !made.same_shape(&wanted, tolerance));
        // A fitted map stays fitted through a new shape or language (its names' sizes make
        // another picture), and through Tidy up; after an edit the camera stays where the
        // editor has it.
        let relabelled = made.is_some_and(|made| made.lang != wanted.lang);
        let rearrangement = self.layouts.rearrange.take();
        let fresh = matches!(rearrangement, Some(parts::Rearrangement::Tidy));
        let restored = match rearrangement {
            Some(parts::Rearrangement::Restore(positions)) => Some(positions),
            _ => None,
        };
        let refit = (reshaped || relabelled || fresh || restored.is_some())
            && self.layouts.layout.is_some()
            && self.view.fitted;
        if refit {
            self.view.camera_request.fit();
        }
        self.layouts.layouts_of_map = self.layouts.layouts_of_map.saturating_add(1);
        // A layout made while the view was still settling was a guess at its shape: the
        // settled one starts afresh, as the command line lays out the same shape.
        let prior = restored.or_else(|| {
            self.layouts
                .layout
                .as_ref()
                .filter(|_| !(settling && reshaped))
                .map(|previous| previous.layout.prior())
        });
        let options = LayoutOptions {
            prior,
            fresh,
            aspect: Some(wanted.aspect),
            ..LayoutOptions::default()
        };
        let laid = self.lay_out(ctx, wanted, &options);
        if fresh && let Some(previous) = &self.layouts.layout {
            // Undoable: the edit before it must not absorb the next one (a drag) either.
            let state = self.session.history().state();
            self.layouts
                .tidied
                .record(state, previous.layout.prior(), laid.layout.prior());
            self.session.seal_history();
        }
        let previous = self.layouts.layout.replace(laid);
        self.start_glide(ctx, previous.as_ref(), refit);
    }

    /// What a layout of this frame is to be made from.
    fn layout_request(&self, ctx: &egui::Context) -> parts::LayoutRequest {
        let ghosts = self.state.compare.as_ref().map_or(&[][..], |c| &c.ghosts);
        parts::LayoutRequest {
            content: self.layouts.content,
            lang: self.state.lang,
            scale: ctx.pixels_per_point(),
            // Only while comparing, and a comparison's ghosts are few.
            ghosts: ghosts.to_vec(),
            rearrangement: self.layouts.rearrangement,
            aspect: self.view_aspect(ctx),
        }
    }

    /// The map laid out with `options`, with a cell in its old segment for each ghost of a
    /// comparison (a node the version compared with had), so that ghosts overlap nothing.
    fn lay_out(
        &self,
        ctx: &egui::Context,
        request: parts::LayoutRequest,
        options: &LayoutOptions,
    ) -> LaidOut {
        let map = self.session.map();
        let lang = request.lang;
        let ghosts = self.state.compare.as_ref().map_or(&[][..], |c| &c.ghosts);
        let with_ghosts;
        let laid_map = if ghosts.is_empty() {
            map
        } else {
            with_ghosts = compare::with_ghosts(map, ghosts);
            &with_ghosts
        };
        // A card has room for its logo when the map names one, found or not, as pictures
        // and saved-view crops on the command line size it: both lay out the same map.
        let sizes = picture::sizes_apart(laid_map, lang, ctx.pixels_per_point());
        let mut layout = layout::layout(laid_map, &sizes, options);
        // The ghosts' cells, split off: the layout has one rectangle per node of the map.
        let count = map.nodes.len().min(layout.nodes.len());
        let mut cells = layout.nodes.split_off(count).into_iter();
        let mut placed = Placed::of(map, lang);
        placed.ghosts = ghosts.iter().map(|g| g.id.clone()).collect();
        placed.ghost_names = ghosts.iter().map(|g| g.name_in(lang).to_owned()).collect();
        LaidOut {
            reading: layout::reading_order(&layout),
            ghosts: ghosts
                .iter()
                .map(|g| g.tier.and_then(|_| cells.next()))
                .collect(),
            layout,
            request,
            placed,
        }
    }

    /// Starts the glide from `previous` (the layout shown until now, or where a glide
    /// under way has things) to the layout just made, when motion is on and something
    /// moves; with no previous layout, only the nodes in `glide_starts` do.
    fn start_glide(&mut self, ctx: &egui::Context, previous: Option<&LaidOut>, refit: bool) {
        let starts = std::mem::take(&mut self.view.glide_starts);
        let Some(now) = self.layouts.layout.as_ref() else {
            return;
        };
        if !self.view.motion || (previous.is_none() && starts.is_empty()) {
            self.view.glide = None;
            return;
        }
        let was = previous.unwrap_or(now);
        // A glide under way: the next one starts from where it has things.
        let before = match &self.view.glide {
            Some(glide) => Picture {
                layout: glide.layout(),
                ghosts: glide.ghosts(),
                placed: &was.placed,
            },
            None => was.picture(),
        };
        let time = ctx.input(|i| i.time);
        self.view.glide = Glide::new(before, now.picture(), &starts, time);
        self.view.glide_fits = refit;
    }

    /// Moves a glide on to this frame's time, asking for the next frame while it lasts.
    fn advance_glide(&mut self, ctx: &egui::Context) {
        let (Some(glide), Some(target)) = (&mut self.view.glide, &self.layouts.layout) else {
            self.view.glide = None;
            return;
        };
        if glide.advance(ctx.input(|i| i.time), target.picture()) {
            ctx.request_repaint();
        } else {
            self.view.glide = None;
            // A fitted glide ends fitted to where things stop.
            if self.view.glide_fits && self.view.fitted {
                self.view.camera_request.fit();
            }
        }
    }

    /// The map view's shape: as drawn last frame, or before the first frame, the window's
    /// less its side panels' usual widths.
    fn view_aspect(&self, ctx: &egui::Context) -> f32 {
        let view = if self.view.map_viewport.is_positive() {
            self.view.map_viewport.size()
        } else {
            let screen = ctx.content_rect().size();
            egui::vec2(
                (screen.x - FIRST_PANELS_WIDTH).max(200.0),
                (screen.y - FIRST_BARS_HEIGHT).max(200.0),
            )
        };
        (view.x / view.y.max(1.0)).clamp(0.05, 20.0)
    }

    fn trace(&self, start: usize) -> Option<Trace> {
        trace::trace(self.session.map(), start, &self.state.filter.hidden_kinds)
    }

    /// The thesis lens on `thesis` (none for `None`): the thesis and the nodes it is about.
    fn lit_thesis(&self, thesis: Option<usize>) -> Option<LitThesis> {
        thesis.map(|thesis| LitThesis {
            thesis,
            nodes: views::lens_nodes(self.session.map(), thesis),
        })
    }

    fn filtered_nodes(&self, filter: &Filter) -> BTreeSet<usize> {
        views::filtered_nodes(self.session.map(), filter)
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Select(Some(node)) if self.edit.picking.is_some() => self.pick_node(node),
            Action::Select(node) => {
                self.state.selected = node;
                if self.state.trace.is_some() {
                    let trace = node.and_then(|n| self.trace(n));
                    self.state.set_trace(trace);
                }
            }
            Action::Reveal(node) => {
                self.apply(Action::Select(Some(node)));
                self.view.camera_request = parts::CameraRequest::Reveal(node);
            }
            Action::Trace(on) => {
                let trace = match (on, self.state.selected) {
                    (true, Some(node)) => self.trace(node),
                    _ => None,
                };
                self.state.set_trace(trace);
            }
            Action::ThesisLens(thesis) => {
                // One lens at a time: a thesis's subjects or a market's shares.
                if thesis.is_some() {
                    self.state.market = None;
                }
                self.state.thesis_lens = self.lit_thesis(thesis);
            }
            Action::Market(market) => {
                self.apply(Action::MarketCase(market, BASE_CASE.to_owned()));
            }
            Action::MarketCase(market, case) => {
                if market.is_some() {
                    self.state.thesis_lens = None;
                }
                self.state.market =
                    market.and_then(|m| MarketLens::of_case(self.session.map(), m, &case));
                if self.state.market.is_some() {
                    self.view.camera_request = parts::CameraRequest::RevealMarket;
                }
            }
            Action::SetFilter(filter) => {
                self.state.filtered = self.filtered_nodes(&filter);
                self.state.filter = filter;
            }
            Action::FitView => self.view.camera_request.fit(),
            Action::TidyUp => self.layouts.rearrange(parts::Rearrangement::Tidy),
            Action::EditEntity(kind, id) => {
                self.state.editing = true;
                self.open_form(kind, &id);
            }
            Action::NewEntity(kind) => {
                self.state.editing = true;
                self.open_new_form(kind);
            }
        }
    }

    /// The bar along the top: the menus, the map's title, the display toggles, the layout
    /// buttons, the problem count and the legend of link kinds, left to right.
    fn top_bar_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let mut open: Option<PathBuf> = None;
        ui.horizontal(|ui| {
            open = self.file_menu_ui(ui);
            self.edit_bar_ui(ui);
            if let Some(status) = &self.status {
                status.ui(ui);
            }
            self.map_title_ui(ui);
            ui.separator();
            self.display_toggles_ui(ui);
            self.layout_buttons_ui(ui, actions);
            self.views_menu_ui(ui);
            self.problems_toggle_ui(ui);
            ui.separator();
            self.link_legend_ui(ui);
        });
        if let Some(path) = open {
            self.open_path(&path);
        }
    }

    /// The File menu. A file or folder picked to open is returned rather than opened here:
    /// opening replaces the map the rest of the bar is still drawing from.
    fn file_menu_ui(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        let mut open: Option<PathBuf> = None;
        ui.menu_button(Msg::FileMenu.in_lang(self.state.lang), |ui| {
            if ui.button(Msg::OpenFile.in_lang(self.state.lang)).clicked() {
                open = rfd::FileDialog::new()
                    .add_filter(Msg::MapFileFilter.in_lang(self.state.lang), &["ron"])
                    .pick_file();
                ui.close();
            }
            if ui
                .button(Msg::OpenFolder.in_lang(self.state.lang))
                .clicked()
            {
                open = rfd::FileDialog::new().pick_folder();
                ui.close();
            }
            self.create_menu_ui(ui);
            ui.separator();
            if ui
                .button(Msg::SaveWithKey.in_lang(self.state.lang))
                .clicked()
            {
                self.save();
                ui.close();
            }
            if ui.button(Msg::SaveAs.in_lang(self.state.lang)).clicked() {
                self.save_as_dialog();
                ui.close();
            }
            ui.separator();
            self.export_menu_ui(ui);
            self.compare_menu_ui(ui);
            if !self.recent.is_empty() {
                ui.separator();
                ui.label(egui::RichText::new(Msg::Recent.in_lang(self.state.lang)).weak());
                for path in &self.recent {
                    if ui.button(path.display().to_string()).clicked() {
                        open = Some(path.clone());
                        ui.close();
                    }
                }
            }
        });
        open
    }

    /// The map's title (in the chosen language where it has one) and the date it speaks of.
    fn map_title_ui(&self, ui: &mut egui::Ui) {
        let map = self.session.map();
        let title = map.meta.title_in(self.state.lang).unwrap_or("chainmap");
        ui.strong(title);
        if let Some(as_of) = &map.meta.as_of {
            ui.label(egui::RichText::new(as_of.as_str()).weak());
        }
    }

    /// How the window shows things, not what the map says: language, theme, motion.
    fn display_toggles_ui(&mut self, ui: &mut egui::Ui) {
        ui.selectable_value(
            &mut self.state.lang,
            Lang::En,
            Msg::English.in_lang(Lang::En),
        );
        ui.selectable_value(
            &mut self.state.lang,
            Lang::Zh,
            Msg::Chinese.in_lang(Lang::Zh),
        );
        ui.separator();
        // The toggle names the theme that is on, not the one a click would bring: a
        // button reading "Light theme" in the dark theme left users unsure which was which.
        let theme_label = if self.state.dark {
            Msg::DarkThemeOn.in_lang(self.state.lang)
        } else {
            Msg::DarkThemeOff.in_lang(self.state.lang)
        };
        ui.toggle_value(&mut self.state.dark, theme_label);
        let mut motion = self.view.motion;
        ui.toggle_value(&mut motion, Msg::Motion.in_lang(self.state.lang))
            .on_hover_text(Msg::MotionHint.in_lang(self.state.lang));
        if motion != self.view.motion {
            self.set_motion(motion);
        }
    }

    /// Fit and Tidy up: they ask for a camera move or a new layout, applied after the frame.
    fn layout_buttons_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if ui.button(Msg::Fit.in_lang(self.state.lang)).clicked() {
            actions.push(Action::FitView);
        }
        let tidy = ui
            .button(Msg::TidyUp.in_lang(self.state.lang))
            .on_hover_text(Msg::TidyUpHint.in_lang(self.state.lang));
        if tidy.clicked() {
            actions.push(Action::TidyUp);
        }
    }

    /// The count of errors and warnings, which opens and closes the problems panel.
    fn problems_toggle_ui(&mut self, ui: &mut egui::Ui) {
        let errors = self.session.current().error_count();
        let warnings = self.session.current().warning_count();
        let problems = Msg::errors_and_warnings(self.state.lang, errors, warnings);
        if ui
            .selectable_label(self.panels.show_problems, problems)
            .clicked()
        {
            self.panels.show_problems = !self.panels.show_problems;
        }
    }

    /// The colour of each kind of link the map has, as the map draws it.
    fn link_legend_ui(&self, ui: &mut egui::Ui) {
        for &kind in &self.derived.index.kinds_present {
            ui.colored_label(
                theme::link_color(kind),
                format!("━ {}", kind.label_in(self.state.lang)),
            );
        }
    }

    fn problems_ui(&self, ui: &mut egui::Ui) {
        egui::ScrollArea::vertical()
            .max_height(160.0)
            .show(ui, |ui| {
                if self.session.current().diagnostics.is_empty() {
                    ui.label(Msg::NoProblems.in_lang(self.state.lang));
                }
                for diagnostic in &self.session.current().diagnostics {
                    let color = match diagnostic.severity {
                        Severity::Error => ui.visuals().error_fg_color,
                        Severity::Warning => ui.visuals().warn_fg_color,
                    };
                    ui.colored_label(color, diagnostic.to_string());
                }
            });
    }

    /// Builds one whole frame; the window and the tests both call this.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.begin_frame(&ctx);
        let mut actions = Vec::new();
        self.keyboard(&ctx, &mut actions);
        // A map file or folder dropped on the window opens.
        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped {
            self.open_path(&path);
        }

        egui::Panel::top("top-bar").show(ui, |ui| self.top_bar_ui(ui, &mut actions));
        if self.disk.conflict.is_some() || self.disk.recovery.is_some() {
            egui::Panel::top("banners").show(ui, |ui| self.banners_ui(ui));
        }
        if self.panels.show_problems {
            egui::Panel::bottom("problems")
                .resizable(true)
                .show(ui, |ui| self.problems_ui(ui));
        }
        let focus_search = std::mem::take(&mut self.panels.focus_search);
        if focus_search {
            self.panels.left_tab = LeftTab::Outline;
        }
        egui::Panel::left("outline")
            .resizable(true)
            .default_size(260.0)
            .show(ui, |ui| self.left_panel_ui(ui, focus_search, &mut actions));
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(260.0)
            .show(ui, |ui| self.inspector_panel_ui(ui, &mut actions));
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.map_panel_ui(ui, &mut actions));
        self.overlays_ui(&ctx, &mut actions);
        for action in actions {
            self.apply(action);
        }
    }

    /// What comes before the panels each frame: the disk watch (on the first frame), its
    /// news, the quit guard, the title and the theme.
    fn begin_frame(&mut self, ctx: &egui::Context) {
        if self.disk.repaint.is_none() {
            self.disk.repaint = Some(ctx.clone());
            self.watch_root();
        }
        self.poll_disk();
        self.poll_history(ctx);
        // Logos resolved apart: drawn once they arrive; until then, looked for again soon.
        if self.derived.logos.poll() {
            ctx.request_repaint();
        } else if self.derived.logos.is_pending() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        self.quit_guard(ctx);
        self.update_title(ctx);
        // Set when the theme changes, not every frame.
        if self.panels.visuals_dark != Some(self.state.dark) {
            ctx.set_visuals(if self.state.dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            });
            self.panels.visuals_dark = Some(self.state.dark);
        }
    }

    /// The left panel: its tabs, then the outline, theses, markets, filters or changes.
    fn left_panel_ui(&mut self, ui: &mut egui::Ui, focus_search: bool, actions: &mut Vec<Action>) {
        let lang = self.state.lang;
        ui.horizontal(|ui| {
            for (tab, label) in [
                (LeftTab::Outline, Msg::Outline),
                (LeftTab::Theses, Msg::Theses),
                (LeftTab::Markets, Msg::Markets),
                (LeftTab::Filters, Msg::Filters),
            ] {
                ui.selectable_value(&mut self.panels.left_tab, tab, label.in_lang(lang));
            }
            if self.comparison.is_some() {
                let label = Msg::Changes.in_lang(lang);
                ui.selectable_value(&mut self.panels.left_tab, LeftTab::Changes, label);
            }
        });
        ui.separator();
        let map = self.session.map();
        match self.panels.left_tab {
            LeftTab::Outline => {
                outline::outline_ui(
                    ui,
                    map,
                    &self.derived.index,
                    &self.state,
                    &mut self.panels.search,
                    focus_search,
                    actions,
                );
            }
            LeftTab::Theses => panels::theses_ui(ui, map, &self.state, actions),
            LeftTab::Markets => {
                panels::markets_ui(ui, map, &self.derived.index, &self.state, actions)
            }
            LeftTab::Filters => panels::filters_ui(ui, map, &self.state, actions),
            LeftTab::Changes => self.changes_ui(ui),
        }
    }

    /// The right panel: the open edit form, or else the inspector of the selection.
    fn inspector_panel_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        // The panel keeps its width whatever it shows: shrunk to its contents, it narrowed
        // after the first frame, and the map was laid out again for the wider view.
        egui::ScrollArea::vertical()
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if self.edit.form.is_some() {
                    self.form_ui(ui);
                    return;
                }
                inspector::inspector_ui(
                    ui,
                    self.session.map(),
                    &self.derived.front_page,
                    &self.derived.index,
                    &self.state,
                    actions,
                );
            });
    }

    /// The central panel: lays the map out if needed, places the camera, draws the map
    /// and turns its clicks and drops into actions.
    fn map_panel_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let viewport = ui.available_rect_before_wrap();
        // A fitted map stays fitted when the view changes size.
        if self.view.fitted
            && self.view.map_viewport.size() != viewport.size()
            && !ui.input(|i| i.pointer.any_down())
        {
            self.view.camera_request.fit();
        }
        self.view.map_viewport = viewport;
        // Laid out here, where the map view's shape is known.
        self.ensure_layout(ui.ctx());
        if !self.view.glide_starts.is_empty() {
            // Nodes to bring in without a new layout: a glide from the layout to itself.
            self.start_glide(ui.ctx(), None, false);
        }
        self.advance_glide(ui.ctx());
        self.place_camera(viewport);
        self.focus_after_walk();
        let (Some(layout), Some(laid)) = (
            shown(&self.view.glide, &self.layouts.layout),
            &self.layouts.layout,
        ) else {
            return;
        };
        let shown = self.view.camera;
        let scene = map_view::MapScene {
            map: self.session.map(),
            layout,
            link_ends: &self.derived.index.link_ends,
            segment_counts: &self.derived.index.segment_counts,
            logos: self.derived.logos.uris(),
            glide: self.view.glide.as_ref(),
            ghosts: self
                .view
                .glide
                .as_ref()
                .map_or(&laid.ghosts, |g| g.ghosts()),
            reading: &laid.reading,
        };
        let response = map_view::map_view_ui(ui, &scene, &mut self.view.camera, &self.state);
        if self.view.camera != shown {
            self.view.fitted = false;
        }
        self.state.hovered = response.hovered;
        if let Some(clicked) = response.clicked {
            actions.push(Action::Select(clicked));
        }
        if let Some((node, at)) = response.dropped {
            self.pin_node(node, at);
        }
        if let Some(drag) = &response.share_drag {
            self.share_dragged(drag);
        }
        if let Some(button) = response.share_button {
            self.share_button(button);
        }
        crate::ui::share_lens::lens_card_ui(ui, viewport, self.session.map(), &self.state, actions);
        if let Some(pick) = self.edit.picking {
            ui.painter().text(
                viewport.left_top() + egui::vec2(12.0, 12.0),
                egui::Align2::LEFT_TOP,
                pick.hint(self.state.lang),
                egui::FontId::proportional(14.0),
                ui.visuals().warn_fg_color,
            );
        }
    }

    /// Applies the camera moves asked for since the last frame: fit the map, open on its
    /// busiest node when the whole map is too small to read, or reveal a node. Does
    /// nothing until the map is laid out.
    fn place_camera(&mut self, viewport: egui::Rect) {
        use parts::CameraRequest;
        let Some(LaidOut { layout, .. }) = &self.layouts.layout else {
            return;
        };
        let view = &mut self.view;
        // A fitted map re-flowed for a new shape stays fitted all along its glide.
        if let Some(glide) = view
            .glide
            .as_ref()
            .filter(|_| view.glide_fits && view.fitted)
        {
            view.camera = Camera::fit(&glide.layout().bounds, viewport);
            if view.camera_request == CameraRequest::Fit {
                view.camera_request = CameraRequest::Keep;
            }
        }
        match std::mem::take(&mut view.camera_request) {
            CameraRequest::Keep => {}
            CameraRequest::Fit => {
                view.camera = Camera::fit(&layout.bounds, viewport);
                view.fitted = true;
            }
            CameraRequest::FirstView => {
                view.camera = Camera::fit(&layout.bounds, viewport);
                view.fitted = true;
                if view.camera.zoom < FIRST_VIEW_MIN_ZOOM {
                    // Too small to read whole: open on the busiest node instead, readable.
                    let graph = &self.derived.index.graph;
                    let hub = (0..self.session.map().nodes.len()).max_by_key(|&i| {
                        let links = graph.neighbors_undirected(NodeIndex::new(i)).count();
                        (links, std::cmp::Reverse(i))
                    });
                    if let Some(rect) = hub.and_then(|i| layout.nodes.get(i)) {
                        view.camera = Camera::centred_on(rect, viewport, FIRST_VIEW_MIN_ZOOM);
                        view.fitted = false;
                    }
                }
            }
            CameraRequest::RevealMarket => {
                let area = self
                    .state
                    .market
                    .as_ref()
                    .and_then(|m| market_area(layout, m));
                if let Some(area) = area {
                    // Kept as it is when the shares are on screen and readable (the bundled
                    // map at Fit); else the market's part of the map fills the view, at
                    // most at 1:1.
                    let shown = view.camera.rect_to_screen(viewport.min, &area);
                    if view.camera.zoom < theme::LABEL_MIN_ZOOM || !viewport.contains_rect(shown) {
                        let mut camera = Camera::fit(&area, viewport);
                        if camera.zoom > 1.0 {
                            camera = Camera::centred_on(&area, viewport, 1.0);
                        }
                        view.camera = camera;
                        view.fitted = false;
                    }
                }
            }
            CameraRequest::Reveal(node) => {
                if let Some(rect) = layout.nodes.get(node) {
                    view.camera = view.camera.reveal(rect, viewport);
                    view.fitted = false;
                }
            }
        }
    }
}

/// The layout as drawn: where a glide has things, else the layout itself.
fn shown<'a>(glide: &'a Option<Glide>, laid: &'a Option<LaidOut>) -> Option<&'a Layout> {
    match glide {
        Some(glide) => Some(glide.layout()),
        None => laid.as_ref().map(|laid| &laid.layout),
    }
}

/// The part of the map a market's shares are drawn on: the boxes of its holders (cards,
/// segment boxes, tier bands) and of the boxes that carry its concentration, with a margin.
fn market_area(layout: &Layout, lens: &MarketLens) -> Option<layout::Rect> {
    let rects: Vec<layout::Rect> = lens
        .shares
        .iter()
        .map(|s| s.holder)
        .chain(lens.homes.iter().copied())
        .filter_map(|holder| layout.holder_rect(holder))
        .collect();
    let first = rects.first()?;
    let (mut x0, mut y0, mut x1, mut y1) = (first.x, first.y, first.right(), first.bottom());
    for r in &rects {
        x0 = x0.min(r.x);
        y0 = y0.min(r.y);
        x1 = x1.max(r.right());
        y1 = y1.max(r.bottom());
    }
    let margin = 24.0;
    Some(layout::Rect {
        x: x0 - margin,
        y: y0 - margin,
        w: x1 - x0 + 2.0 * margin,
        h: y1 - y0 + 2.0 * margin,
    })
}

impl eframe::App for ChainmapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings());
    }
}

/// Loads the map at `path`, or the bundled map.
pub fn load_map(path: Option<&Path>) -> anyhow::Result<LoadedMap> {
    Ok(match path {
        Some(path) => io::load(path)?,
        None => io::bundled::load_bundled(),
    })
}

/// Opens the window on a map (the bundled one without a path).
pub fn run(path: Option<PathBuf>) -> anyhow::Result<()> {
    let loaded = load_map(path.as_deref())?;
    eframe::run_native(
        "chainmap",
        desktop::native_options(),
        Box::new(|cc| {
            crate::ui::setup(&cc.egui_ctx);
            let settings = cc
                .storage
                .and_then(|storage| eframe::get_value(storage, SETTINGS_KEY))
                .unwrap_or_default();
            let journal_dir =
                eframe::storage_dir(desktop::STORAGE_NAME).map(|dir| dir.join("journal"));
            Ok(Box::new(
                ChainmapApp::new(loaded, settings).with_journal_dir(journal_dir),
            ))
        }),
    )
    .map_err(|error| anyhow::anyhow!("cannot open the window: {error}"))
}
