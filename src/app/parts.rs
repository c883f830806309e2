//! The window's state in parts, each kept by one concern: what is derived from the map,
//! the layouts made of it, what the map view shows, what the disk holds, and the panels'
//! own state. [`super::ChainmapApp`] holds one of each.

use super::{LaidOut, LeftTab, disk, front, logos, tidy};
use crate::io::journal::Journal;
use crate::layout::{self, PriorPositions};
use crate::ui::front_page::FrontPage;
use crate::ui::index::MapIndex;
use crate::ui::map_view::Camera;
use crate::ui::motion::Glide;
use crate::ui::{outline, views};
use std::path::PathBuf;

/// What is worked out of the map once per revision.
#[derive(Default)]
pub(super) struct Derived {
    /// Ids, link ends, link kinds and the graph of the map's current revision.
    pub index: MapIndex,
    /// For each node, the URI of its logo when it has a safe one.
    pub logos: logos::Logos,
    /// What the right panel shows with nothing selected.
    pub front_page: FrontPage,
    /// The map's git history, for the front page.
    pub history: front::MapHistory,
}

/// The layouts made of the map, and what the next one is to be made from.
#[derive(Default)]
pub(super) struct Layouts {
    pub layout: Option<LaidOut>,
    /// The map changed in a way the layout depends on.
    pub layout_stale: bool,
    /// Tidy up was asked for: the next layout orders for few crossings afresh instead of
    /// keeping the previous one's order.
    pub tidy_pending: bool,
    /// The layout to lay the map out from next instead of the current one: a Tidy up
    /// undone or redone.
    pub restore_pending: Option<PriorPositions>,
    /// The Tidy ups that Undo and Redo take back and make again.
    pub tidied: tidy::TidyHistory,
    /// The map view's shape (width over height) the layout was made for.
    pub layout_aspect: f32,
    /// Layouts made of this map since it was opened (the first one guesses the view).
    pub layouts_of_map: u32,
}

/// A move of the camera asked for, made on the next frame the map is laid out in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum CameraRequest {
    /// The camera stays where it is.
    #[default]
    Keep,
    /// Show the whole map.
    Fit,
    /// A map's first view: the whole map, unless that is too small to read; then its
    /// busiest node, readable.
    FirstView,
    /// A market was just laid over the map: bring its shares into view if they are off
    /// screen or too small to read.
    RevealMarket,
    /// Bring a node into view.
    Reveal(usize),
}

impl CameraRequest {
    /// Asks for a fit: a first view, which fits already, stays one.
    pub fn fit(&mut self) {
        if *self != CameraRequest::FirstView {
            *self = CameraRequest::Fit;
        }
    }
}

/// What the map view shows: the camera, and the cards and boxes on their way from one
/// layout to the next.
pub(super) struct Viewing {
    pub camera: Camera,
    pub camera_request: CameraRequest,
    /// The camera shows the whole map (Fit), so a re-flow fits again.
    pub fitted: bool,
    /// Where the map view was drawn in the last frame.
    pub map_viewport: egui::Rect,
    /// Cards and boxes on their way from the previous layout to this one.
    pub glide: Option<Glide>,
    /// The glide follows a re-flow of a fitted map: the camera fits each frame's picture.
    pub glide_fits: bool,
    /// Nodes the next glide starts elsewhere than where the layout had them: from where a
    /// card was dropped, or (`None`) fading in, as nodes added since a version compared
    /// with do.
    pub glide_starts: Vec<(usize, Option<layout::Rect>)>,
    /// Whether layout changes glide (else they jump).
    pub motion: bool,
}

impl Viewing {
    pub fn new(motion: bool) -> Viewing {
        Viewing {
            camera: Camera::default(),
            camera_request: CameraRequest::FirstView,
            fitted: false,
            map_viewport: egui::Rect::NOTHING,
            glide: None,
            glide_fits: false,
            glide_starts: Vec::new(),
            motion,
        }
    }
}

/// What the window keeps of the disk: a conflict with a change there, the journal of
/// unsaved edits and the watcher.
#[derive(Default)]
pub(super) struct DiskState {
    pub conflict: Option<disk::Conflict>,
    /// Unsaved edits of an earlier run, on offer.
    pub recovery: Option<Journal>,
    pub watch: Option<disk::DiskWatch>,
    /// Where unsaved edits are journaled; `None` keeps no journal.
    pub journal_dir: Option<PathBuf>,
    /// Wakes the window when the watcher sees a change.
    pub repaint: Option<egui::Context>,
}

/// The panels' and menus' own state, neither the document's nor the view's.
#[derive(Default)]
pub(super) struct PanelState {
    pub left_tab: LeftTab,
    pub search: outline::SearchBox,
    pub focus_search: bool,
    pub show_problems: bool,
    /// The theme last given to egui.
    pub visuals_dark: Option<bool>,
    /// The name being typed for a view to save.
    pub view_name: String,
    /// The map's saved views, read when the Views menu opens.
    pub saved_views: Option<Result<Vec<views::SavedView>, String>>,
    /// The git revision being typed to compare with.
    pub compare_revision: String,
}
