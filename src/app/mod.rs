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
mod pictures;
mod shares;
mod tidy;

pub use create::{Chooser, NativeChooser, ScriptedChooser};

use crate::io::journal::Journal;
use crate::io::session::Session;
use crate::io::{self, LoadedMap};
use crate::layout::{self, Layout, LayoutOptions, PriorPositions, layered::link_graph};
use crate::model::market_lens::MarketLens;
use crate::model::trace::{self, Trace};
use crate::model::{BASE_CASE, Lang, LinkKind, Map, Severity, localized};
use crate::render::{picture, theme};
use crate::ui::front_page::FrontPage;
use crate::ui::map_view::{self, Camera};
use crate::ui::motion::{Glide, Picture, Placed};
use crate::ui::{Action, Filter, ViewState, inspector, outline, panels, views};
use petgraph::graph::{DiGraph, NodeIndex};
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
    /// The language whose text sizes it was computed for.
    lang: Lang,
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
    left_tab: LeftTab,
    /// For each link, its `from` and `to` node indices.
    link_ends: Vec<Option<(usize, usize)>>,
    /// For each node, the URI of its logo when it has a safe one.
    logos: logos::Logos,
    /// The link kinds the map uses, for the legend.
    kinds_present: Vec<LinkKind>,
    /// The theme last given to egui.
    visuals_dark: Option<bool>,
    session: Session,
    graph: DiGraph<usize, usize>,
    layout: Option<LaidOut>,
    /// Cards and boxes on their way from the previous layout to this one.
    glide: Option<Glide>,
    /// The glide follows a re-flow of a fitted map: the camera fits each frame's picture.
    glide_fits: bool,
    /// Nodes the next glide starts elsewhere than where the layout had them: from where a
    /// card was dropped, or (`None`) fading in, as nodes added since a version compared
    /// with do.
    glide_starts: Vec<(usize, Option<layout::Rect>)>,
    /// Whether layout changes glide (else they jump).
    motion: bool,
    camera: Camera,
    fit_pending: bool,
    /// The first frame's view: fit, unless that is too small to read.
    first_view: bool,
    reveal_pending: Option<usize>,
    /// A market was just laid over the map: bring its shares into view if they are off
    /// screen or too small to read.
    reveal_market: bool,
    state: ViewState,
    search: outline::SearchBox,
    focus_search: bool,
    show_problems: bool,
    recent: Vec<PathBuf>,
    /// The last failure to open a map (shown until the next success), or what an import made.
    status: Option<Status>,
    edit: editing::EditState,
    conflict: Option<disk::Conflict>,
    /// Unsaved edits of an earlier run, on offer.
    recovery: Option<Journal>,
    watch: Option<disk::DiskWatch>,
    /// Where unsaved edits are journaled; `None` keeps no journal.
    journal_dir: Option<PathBuf>,
    /// Wakes the window when the watcher sees a change.
    repaint: Option<egui::Context>,
    /// The ids of the nodes and theses the view's indices point at, to keep the
    /// selection and the lens on the same entities across an edit.
    node_ids: Vec<String>,
    thesis_ids: Vec<String>,
    /// The map changed in a way the layout depends on.
    layout_stale: bool,
    /// Tidy up was asked for: the next layout orders for few crossings afresh instead of
    /// keeping the previous one's order.
    tidy_pending: bool,
    /// The layout to lay the map out from next instead of the current one: a Tidy up
    /// undone or redone.
    restore_pending: Option<PriorPositions>,
    /// The Tidy ups that Undo and Redo take back and make again.
    tidied: tidy::TidyHistory,
    /// The command palette, its index and recent picks, and the sheet of shortcuts.
    commands: commands::CommandState,
    /// The map view's shape (width over height) the layout was made for.
    layout_aspect: f32,
    /// Layouts made of this map since it was opened (the first one guesses the view).
    layouts_of_map: u32,
    /// The camera shows the whole map (Fit), so a re-flow fits again.
    fitted: bool,
    /// Where the map view was drawn in the last frame.
    map_viewport: egui::Rect,
    /// The name being typed for a view to save.
    view_name: String,
    /// The map's saved views, read when the Views menu opens.
    saved_views: Option<Result<Vec<views::SavedView>, String>>,
    comparison: Option<compare::Comparison>,
    /// The git revision being typed to compare with.
    compare_revision: String,
    /// Answers the dialogs of New map… and Import….
    chooser: Box<dyn create::Chooser>,
    /// The dragged share value last checked (figure, end, value's bits): checked once
    /// per value, not once per frame.
    share_checked: Option<(String, crate::ui::share_lens::End, u64)>,
    /// What the right panel shows with nothing selected, built once per map revision.
    front_page: FrontPage,
    history: front::MapHistory,
}

impl ChainmapApp {
    pub fn new(loaded: LoadedMap, settings: Settings) -> Self {
        let mut app = Self {
            left_tab: LeftTab::default(),
            link_ends: Vec::new(),
            logos: logos::Logos::default(),
            kinds_present: Vec::new(),
            visuals_dark: None,
            graph: DiGraph::new(),
            layout: None,
            glide: None,
            glide_fits: false,
            glide_starts: Vec::new(),
            motion: settings.motion,
            camera: Camera::default(),
            fit_pending: true,
            first_view: true,
            reveal_pending: None,
            reveal_market: false,
            state: ViewState {
                lang: settings.lang,
                dark: settings.dark,
                ..ViewState::default()
            },
            recent: settings.recent,
            status: None,
            search: outline::SearchBox::default(),
            focus_search: false,
            show_problems: false,
            session: Session::new(loaded),
            edit: editing::EditState::default(),
            conflict: None,
            recovery: None,
            watch: None,
            journal_dir: None,
            repaint: None,
            node_ids: Vec::new(),
            thesis_ids: Vec::new(),
            layout_stale: false,
            tidy_pending: false,
            restore_pending: None,
            tidied: tidy::TidyHistory::default(),
            commands: commands::CommandState::default(),
            layout_aspect: 0.0,
            layouts_of_map: 0,
            fitted: false,
            map_viewport: egui::Rect::NOTHING,
            view_name: String::new(),
            saved_views: None,
            comparison: None,
            compare_revision: String::new(),
            chooser: Box::new(create::NativeChooser),
            share_checked: None,
            front_page: FrontPage::default(),
            history: front::MapHistory::default(),
        };
        app.derive();
        app
    }

    /// Journals unsaved edits in `dir` and offers back what an earlier run left there.
    pub fn with_journal_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.journal_dir = dir;
        self.offer_recovery();
        self
    }

    /// Shows another map: everything derived from the old one is dropped.
    fn set_map(&mut self, loaded: LoadedMap) {
        self.session = Session::new(loaded);
        self.edit.form = None;
        self.edit.picking = None;
        self.edit.replace_on_disk.clear();
        self.conflict = None;
        self.comparison = None;
        self.derive();
        self.offer_recovery();
    }

    /// Computes what the view needs from a new map, and starts the view afresh.
    fn derive(&mut self) {
        self.logos.forget();
        self.derive_data();
        self.layout = None;
        self.tidied.clear();
        self.restore_pending = None;
        self.glide = None;
        self.glide_starts.clear();
        self.layouts_of_map = 0;
        self.fit_pending = true;
        self.first_view = true;
        self.reveal_pending = None;
        self.state = ViewState {
            lang: self.state.lang,
            dark: self.state.dark,
            editing: self.state.editing,
            ..ViewState::default()
        };
        self.show_problems = self.session.current().error_count() > 0;
    }

    /// After an edit (or a reload): derives the map's data again, keeps the selection,
    /// lens, trace and filter on the same entities, and lays out again from the old
    /// picture when the shape of the map changed.
    fn map_edited(&mut self, relayout: bool) {
        let selected = self
            .state
            .selected
            .and_then(|i| self.node_ids.get(i).cloned());
        let lens = self
            .state
            .lens
            .and_then(|i| self.thesis_ids.get(i).cloned());
        let market = self
            .state
            .market
            .as_ref()
            .map(|m| (m.market_id.clone(), m.case.clone()));
        self.derive_data();
        let position = |ids: &[String], id: Option<String>| {
            id.and_then(|id| ids.iter().position(|x| *x == id))
        };
        self.state.selected = position(&self.node_ids, selected);
        self.state.hovered = None;
        let lens = position(&self.thesis_ids, lens);
        self.apply(Action::Lens(lens));
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
            self.layout_stale = true;
        }
        self.refresh_comparison();
        self.update_journal();
    }

    /// What the view derives from the map's contents.
    fn derive_data(&mut self) {
        self.commands.map_changed();
        let map = self.session.map();
        self.node_ids = map.nodes.iter().map(|n| n.id.clone()).collect();
        self.thesis_ids = map.theses.iter().map(|t| t.id.clone()).collect();
        let node_index = crate::model::index_by_id(&map.nodes, |n| &n.id);
        self.link_ends = map
            .links
            .iter()
            .map(|l| {
                Some((
                    *node_index.get(l.from.as_str())?,
                    *node_index.get(l.to.as_str())?,
                ))
            })
            .collect();
        self.graph = link_graph(map);
        self.search.invalidate();
        self.kinds_present = LinkKind::ALL
            .into_iter()
            .filter(|&kind| map.links.iter().any(|l| l.kind == kind))
            .collect();
        let asset_dir = self.session.saved().asset_dir();
        self.logos.update(map, &asset_dir);
        self.derive_front_page();
    }

    /// Opens the map at `path` (a file or a folder) and adds it to the recent maps; on an
    /// I/O error the current map stays and the error shows in the top bar.
    pub fn open_path(&mut self, path: &Path) {
        if self.session.is_dirty() {
            // Never drop edits by opening another map: they are saved or undone first.
            self.status = Some(Status::Failure(format!(
                "{} has unsaved edits: save them (Ctrl+S) or undo them before opening another map",
                self.session.root().display()
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
        self.logos.uri(node)
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
        self.first_view = false;
        self.fit_pending = true;
    }

    /// The map view's camera (benchmarks set a zoom with it).
    pub fn camera_mut(&mut self) -> &mut Camera {
        self.first_view = false;
        self.fit_pending = false;
        &mut self.camera
    }

    /// The map view's camera as last drawn.
    pub fn camera(&self) -> Camera {
        self.camera
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
        Some(self.camera.rect_to_screen(self.map_viewport.min, &rect))
    }

    /// Where the map view was drawn in the last frame, in screen points.
    pub fn map_viewport(&self) -> egui::Rect {
        self.map_viewport
    }

    /// The shape (width over height) the map view's layout was made for.
    pub fn layout_aspect(&self) -> f32 {
        self.layout_aspect
    }

    /// How many layouts were made of this map since it was opened.
    pub fn layouts_of_map(&self) -> u32 {
        self.layouts_of_map
    }

    /// The layout the map is going to (where everything is once a glide is over).
    pub fn layout(&self) -> Option<&Layout> {
        self.layout.as_ref().map(|laid| &laid.layout)
    }

    /// The layout as drawn this frame: on its way from the previous one while a glide
    /// lasts.
    pub fn shown_layout(&self) -> Option<&Layout> {
        shown(&self.glide, &self.layout)
    }

    /// Where the ghosts of a comparison are drawn this frame, in map units, index for
    /// index with its marks' ghosts (`None`: a ghost with nowhere to go).
    pub fn ghost_rects(&self) -> &[Option<layout::Rect>] {
        match (&self.glide, &self.layout) {
            (Some(glide), _) => glide.ghosts(),
            (None, Some(laid)) => &laid.ghosts,
            (None, None) => &[],
        }
    }

    /// How opaque node `node`'s card is drawn this frame (a new card fades in).
    pub fn node_opacity(&self, node: usize) -> f32 {
        self.glide.as_ref().map_or(1.0, |g| g.node_opacity(node))
    }

    /// How opaque ghost `k` of a comparison is drawn this frame (a new ghost fades in).
    pub fn ghost_opacity(&self, k: usize) -> f32 {
        self.glide.as_ref().map_or(1.0, |g| g.ghost_opacity(k))
    }

    /// Whether layout changes glide (else they jump).
    pub fn motion(&self) -> bool {
        self.motion
    }

    /// Turns motion on or off, as the top bar's toggle does.
    pub fn set_motion(&mut self, on: bool) {
        self.motion = on;
        if !on {
            self.glide = None;
        }
    }

    /// Whether cards are on their way to a new layout.
    pub fn gliding(&self) -> bool {
        self.glide.is_some()
    }

    /// What the window remembers between runs, as it would save it now.
    pub fn settings(&self) -> Settings {
        Settings {
            lang: self.state.lang,
            dark: self.state.dark,
            recent: self.recent.clone(),
            motion: self.motion,
        }
    }

    /// Lays the map out once per change of map or language (node sizes follow the text),
    /// and again when the map view's shape changes by more than an eighth (once the pointer
    /// is released, not on every pixel of a drag), from the previous layout so that the
    /// picture moves as little as possible (nothing is reordered behind the user's back);
    /// afresh, ordered for few crossings, when Tidy up asks.
    fn ensure_layout(&mut self, ctx: &egui::Context) {
        let aspect = self.view_aspect(ctx);
        let change = (aspect / self.layout_aspect.max(0.01)).ln().abs();
        // The side panels keep their widths from the first frame, so the first layout is
        // made for the map view's settled shape; should the view still change shape right
        // after it, the second layout follows closely.
        let settling = self.layouts_of_map == 1;
        let threshold = if settling {
            SETTLING_RATIO.ln()
        } else {
            RESHAPE_RATIO.ln()
        };
        let reshaped = change > threshold && !ctx.input(|i| i.pointer.any_down());
        let ghosts = self.state.compare.as_ref().map_or(&[][..], |c| &c.ghosts);
        if !self.layout_stale
            && !reshaped
            && self.layout.as_ref().is_some_and(|laid| {
                laid.lang == self.state.lang
                    && laid.placed.ghosts.iter().eq(ghosts.iter().map(|g| &g.id))
            })
        {
            return;
        }
        self.layout_stale = false;
        // A fitted map stays fitted through a new shape or language (its names' sizes make
        // another picture), and through Tidy up; after an edit the camera stays where the
        // editor has it.
        let relabelled = self
            .layout
            .as_ref()
            .is_some_and(|laid| laid.lang != self.state.lang);
        let fresh = std::mem::take(&mut self.tidy_pending);
        let restored = self.restore_pending.take();
        let refit = (reshaped || relabelled || fresh || restored.is_some())
            && self.layout.is_some()
            && self.fitted;
        if refit {
            self.fit_pending = true;
        }
        self.layout_aspect = aspect;
        self.layouts_of_map = self.layouts_of_map.saturating_add(1);
        // A layout made while the view was still settling was a guess at its shape: the
        // settled one starts afresh, as the command line lays out the same shape.
        let prior = restored.or_else(|| {
            self.layout
                .as_ref()
                .filter(|_| !(settling && reshaped))
                .map(|previous| previous.layout.prior())
        });
        let options = LayoutOptions {
            prior,
            fresh,
            aspect: Some(aspect),
            ..LayoutOptions::default()
        };
        let laid = self.lay_out(ctx, &options);
        if fresh && let Some(previous) = &self.layout {
            // Undoable: the edit before it must not absorb the next one (a drag) either.
            let state = self.session.history().state();
            self.tidied
                .record(state, previous.layout.prior(), laid.layout.prior());
            self.session.seal_history();
        }
        let previous = self.layout.replace(laid);
        self.start_glide(ctx, previous.as_ref(), refit);
    }

    /// The map laid out with `options`, with a cell in its old segment for each ghost of a
    /// comparison (a node the version compared with had), so that ghosts overlap nothing.
    fn lay_out(&self, ctx: &egui::Context, options: &LayoutOptions) -> LaidOut {
        let map = self.session.map();
        let lang = self.state.lang;
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
        let sizes =
            picture::measured_sizes(ctx, laid_map, lang, |i| picture::names_logo(laid_map, i));
        let mut layout = layout::layout(laid_map, &sizes, options);
        // The ghosts' cells, split off: the layout has one rectangle per node of the map.
        let count = map.nodes.len().min(layout.nodes.len());
        let mut cells = layout.nodes.split_off(count).into_iter();
        let mut placed = Placed::of(map, lang);
        placed.ghosts = ghosts.iter().map(|g| g.id.clone()).collect();
        placed.ghost_names = ghosts
            .iter()
            .map(|g| localized(&g.name, g.name_zh.as_deref(), lang).to_owned())
            .collect();
        LaidOut {
            reading: layout::reading_order(&layout),
            ghosts: ghosts
                .iter()
                .map(|g| g.tier.and_then(|_| cells.next()))
                .collect(),
            layout,
            lang,
            placed,
        }
    }

    /// Starts the glide from `previous` (the layout shown until now, or where a glide
    /// under way has things) to the layout just made, when motion is on and something
    /// moves; with no previous layout, only the nodes in `glide_starts` do.
    fn start_glide(&mut self, ctx: &egui::Context, previous: Option<&LaidOut>, refit: bool) {
        let starts = std::mem::take(&mut self.glide_starts);
        let Some(now) = self.layout.as_ref() else {
            return;
        };
        if !self.motion || (previous.is_none() && starts.is_empty()) {
            self.glide = None;
            return;
        }
        let was = previous.unwrap_or(now);
        // A glide under way: the next one starts from where it has things.
        let before = match &self.glide {
            Some(glide) => Picture {
                layout: glide.layout(),
                ghosts: glide.ghosts(),
                placed: &was.placed,
            },
            None => was.picture(),
        };
        let time = ctx.input(|i| i.time);
        self.glide = Glide::new(before, now.picture(), &starts, time);
        self.glide_fits = refit;
    }

    /// Moves a glide on to this frame's time, asking for the next frame while it lasts.
    fn advance_glide(&mut self, ctx: &egui::Context) {
        let (Some(glide), Some(target)) = (&mut self.glide, &self.layout) else {
            self.glide = None;
            return;
        };
        if glide.advance(ctx.input(|i| i.time), target.picture()) {
            ctx.request_repaint();
        } else {
            self.glide = None;
            // A fitted glide ends fitted to where things stop.
            self.fit_pending |= self.glide_fits && self.fitted;
        }
    }

    /// The map view's shape: as drawn last frame, or before the first frame, the window's
    /// less its side panels' usual widths.
    fn view_aspect(&self, ctx: &egui::Context) -> f32 {
        let view = if self.map_viewport.is_positive() {
            self.map_viewport.size()
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

    fn lens_nodes(&self, thesis: usize) -> BTreeSet<usize> {
        views::lens_nodes(self.session.map(), thesis)
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
                self.reveal_pending = Some(node);
            }
            Action::Trace(on) => {
                let trace = match (on, self.state.selected) {
                    (true, Some(node)) => self.trace(node),
                    _ => None,
                };
                self.state.set_trace(trace);
            }
            Action::Lens(thesis) => {
                // One lens at a time: a thesis's subjects or a market's shares.
                if thesis.is_some() {
                    self.state.market = None;
                }
                self.state.lens = thesis;
                self.state.lens_nodes = thesis.map(|t| self.lens_nodes(t)).unwrap_or_default();
            }
            Action::Market(market) => {
                self.apply(Action::MarketCase(market, BASE_CASE.to_owned()));
            }
            Action::MarketCase(market, case) => {
                if market.is_some() {
                    self.state.lens = None;
                    self.state.lens_nodes.clear();
                }
                self.state.market =
                    market.and_then(|m| MarketLens::of_case(self.session.map(), m, &case));
                self.reveal_market = self.state.market.is_some();
            }
            Action::SetFilter(filter) => {
                self.state.filtered = self.filtered_nodes(&filter);
                self.state.filter = filter;
            }
            Action::FitView => self.fit_pending = true,
            Action::TidyUp => {
                self.tidy_pending = true;
                self.layout_stale = true;
            }
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
        ui.menu_button(self.state.lang.pick("File", "文件"), |ui| {
            if ui.button(self.state.lang.pick("Open…", "打开…")).clicked() {
                open = rfd::FileDialog::new()
                    .add_filter("chainmap map", &["ron"])
                    .pick_file();
                ui.close();
            }
            if ui
                .button(self.state.lang.pick("Open folder…", "打开文件夹…"))
                .clicked()
            {
                open = rfd::FileDialog::new().pick_folder();
                ui.close();
            }
            self.create_menu_ui(ui);
            ui.separator();
            if ui
                .button(self.state.lang.pick("Save (Ctrl+S)", "保存(Ctrl+S)"))
                .clicked()
            {
                self.save();
                ui.close();
            }
            if ui
                .button(self.state.lang.pick("Save as…", "另存为…"))
                .clicked()
            {
                self.save_as_dialog();
                ui.close();
            }
            ui.separator();
            self.export_menu_ui(ui);
            self.compare_menu_ui(ui);
            if !self.recent.is_empty() {
                ui.separator();
                ui.label(egui::RichText::new(self.state.lang.pick("Recent", "最近打开")).weak());
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
        let title = map.meta.title.as_deref().map_or("chainmap", |t| {
            localized(t, map.meta.title_zh.as_deref(), self.state.lang)
        });
        ui.strong(title);
        if let Some(as_of) = &map.meta.as_of {
            ui.label(egui::RichText::new(as_of.as_str()).weak());
        }
    }

    /// How the window shows things, not what the map says: language, theme, motion.
    fn display_toggles_ui(&mut self, ui: &mut egui::Ui) {
        ui.selectable_value(&mut self.state.lang, Lang::En, "English");
        ui.selectable_value(&mut self.state.lang, Lang::Zh, "中文");
        ui.separator();
        // The toggle names the theme that is on, not the one a click would bring: a
        // button reading "Light theme" in the dark theme left users unsure which was which.
        let theme_label = if self.state.dark {
            self.state.lang.pick("Dark theme: on", "深色主题：开")
        } else {
            self.state.lang.pick("Dark theme: off", "深色主题：关")
        };
        ui.toggle_value(&mut self.state.dark, theme_label);
        let mut motion = self.motion;
        ui.toggle_value(&mut motion, self.state.lang.pick("Motion", "动效"))
            .on_hover_text(self.state.lang.pick(
                "When the layout changes, cards glide to their new place",
                "布局改变时,卡片平滑移到新位置",
            ));
        if motion != self.motion {
            self.set_motion(motion);
        }
    }

    /// Fit and Tidy up: they ask for a camera move or a new layout, applied after the frame.
    fn layout_buttons_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if ui.button(self.state.lang.pick("Fit", "适应窗口")).clicked() {
            actions.push(Action::FitView);
        }
        let tidy = ui.button(self.state.lang.pick("Tidy up", "整理布局")).on_hover_text(
            self.state.lang.pick(
                "Lay the map out afresh with fewer crossings: edits keep everything in place until then",
                "重新布局以减少连线交叉:在此之前,编辑不会移动其他内容",
            ),
        );
        if tidy.clicked() {
            actions.push(Action::TidyUp);
        }
    }

    /// The count of errors and warnings, which opens and closes the problems panel.
    fn problems_toggle_ui(&mut self, ui: &mut egui::Ui) {
        let errors = self.session.current().error_count();
        let warnings = self.session.current().warning_count();
        let problems = match self.state.lang {
            Lang::En => format!("{errors} errors, {warnings} warnings"),
            Lang::Zh => format!("{errors} 个错误,{warnings} 个警告"),
        };
        if ui.selectable_label(self.show_problems, problems).clicked() {
            self.show_problems = !self.show_problems;
        }
    }

    /// The colour of each kind of link the map has, as the map draws it.
    fn link_legend_ui(&self, ui: &mut egui::Ui) {
        for &kind in &self.kinds_present {
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
                    ui.label(self.state.lang.pick("No problems", "没有问题"));
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
        if self.conflict.is_some() || self.recovery.is_some() {
            egui::Panel::top("banners").show(ui, |ui| self.banners_ui(ui));
        }
        if self.show_problems {
            egui::Panel::bottom("problems")
                .resizable(true)
                .show(ui, |ui| self.problems_ui(ui));
        }
        let focus_search = std::mem::take(&mut self.focus_search);
        if focus_search {
            self.left_tab = LeftTab::Outline;
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
        if self.repaint.is_none() {
            self.repaint = Some(ctx.clone());
            self.watch_root();
        }
        self.poll_disk();
        self.poll_history(ctx);
        self.quit_guard(ctx);
        self.update_title(ctx);
        // Set when the theme changes, not every frame.
        if self.visuals_dark != Some(self.state.dark) {
            ctx.set_visuals(if self.state.dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            });
            self.visuals_dark = Some(self.state.dark);
        }
    }

    /// The left panel: its tabs, then the outline, theses, markets, filters or changes.
    fn left_panel_ui(&mut self, ui: &mut egui::Ui, focus_search: bool, actions: &mut Vec<Action>) {
        let zh = self.state.lang == Lang::Zh;
        ui.horizontal(|ui| {
            for (tab, en, chinese) in [
                (LeftTab::Outline, "Outline", "目录"),
                (LeftTab::Theses, "Theses", "判断"),
                (LeftTab::Markets, "Markets", "市场"),
                (LeftTab::Filters, "Filters", "筛选"),
            ] {
                ui.selectable_value(&mut self.left_tab, tab, if zh { chinese } else { en });
            }
            if self.comparison.is_some() {
                let label = if zh { "变化" } else { "Changes" };
                ui.selectable_value(&mut self.left_tab, LeftTab::Changes, label);
            }
        });
        ui.separator();
        let map = self.session.map();
        match self.left_tab {
            LeftTab::Outline => {
                outline::outline_ui(
                    ui,
                    map,
                    &self.state,
                    &mut self.search,
                    focus_search,
                    actions,
                );
            }
            LeftTab::Theses => panels::theses_ui(ui, map, &self.state, actions),
            LeftTab::Markets => panels::markets_ui(ui, map, &self.state, actions),
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
                    &self.front_page,
                    &self.link_ends,
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
        if self.fitted
            && self.map_viewport.size() != viewport.size()
            && !ui.input(|i| i.pointer.any_down())
        {
            self.fit_pending = true;
        }
        self.map_viewport = viewport;
        // Laid out here, where the map view's shape is known.
        self.ensure_layout(ui.ctx());
        if !self.glide_starts.is_empty() {
            // Nodes to bring in without a new layout: a glide from the layout to itself.
            self.start_glide(ui.ctx(), None, false);
        }
        self.advance_glide(ui.ctx());
        self.place_camera(viewport);
        self.focus_after_walk();
        let (Some(layout), Some(laid)) = (shown(&self.glide, &self.layout), &self.layout) else {
            return;
        };
        let shown = self.camera;
        let scene = map_view::MapScene {
            map: self.session.map(),
            layout,
            link_ends: &self.link_ends,
            logos: self.logos.uris(),
            glide: self.glide.as_ref(),
            ghosts: self.glide.as_ref().map_or(&laid.ghosts, |g| g.ghosts()),
            reading: &laid.reading,
        };
        let response = map_view::map_view_ui(ui, &scene, &mut self.camera, &self.state);
        if self.camera != shown {
            self.fitted = false;
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
                pick.hint(),
                egui::FontId::proportional(14.0),
                ui.visuals().warn_fg_color,
            );
        }
    }

    /// Applies the camera moves asked for since the last frame: fit the map, open on its
    /// busiest node when the whole map is too small to read, or reveal a node. Does
    /// nothing until the map is laid out.
    fn place_camera(&mut self, viewport: egui::Rect) {
        let Some(LaidOut { layout, .. }) = &self.layout else {
            return;
        };
        // A fitted map re-flowed for a new shape stays fitted all along its glide.
        let gliding_fit = self
            .glide
            .as_ref()
            .filter(|_| self.glide_fits && self.fitted);
        if let Some(glide) = gliding_fit {
            self.camera = Camera::fit(&glide.layout().bounds, viewport);
            self.fit_pending = false;
        } else if std::mem::take(&mut self.fit_pending) {
            self.camera = Camera::fit(&layout.bounds, viewport);
            self.fitted = true;
        }
        if std::mem::take(&mut self.first_view) && self.camera.zoom < FIRST_VIEW_MIN_ZOOM {
            // Too small to read whole: open on the busiest node instead, readable.
            let map = self.session.map();
            let hub = (0..map.nodes.len()).max_by_key(|&i| {
                let links = self.graph.neighbors_undirected(NodeIndex::new(i)).count();
                (links, std::cmp::Reverse(i))
            });
            if let Some(rect) = hub.and_then(|i| layout.nodes.get(i)) {
                self.camera = Camera::centred_on(rect, viewport, FIRST_VIEW_MIN_ZOOM);
                self.fitted = false;
            }
        }
        if std::mem::take(&mut self.reveal_market)
            && let Some(area) = self
                .state
                .market
                .as_ref()
                .and_then(|m| market_area(layout, m))
        {
            // Kept as it is when the shares are on screen and readable (the bundled map at
            // Fit); else the market's part of the map fills the view, at most at 1:1.
            let shown = self.camera.rect_to_screen(viewport.min, &area);
            if self.camera.zoom < theme::LABEL_MIN_ZOOM || !viewport.contains_rect(shown) {
                let mut camera = Camera::fit(&area, viewport);
                if camera.zoom > 1.0 {
                    camera = Camera::centred_on(&area, viewport, 1.0);
                }
                self.camera = camera;
                self.fitted = false;
            }
        }
        if let Some(node) = self.reveal_pending.take()
            && let Some(rect) = layout.nodes.get(node)
        {
            self.camera = self.camera.reveal(rect, viewport);
            self.fitted = false;
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
