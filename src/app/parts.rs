//! The window's state in parts, each kept by one concern: what is derived from the map,
//! the layouts made of it, what the map view shows, what the disk holds, and the panels'
//! own state. [`super::ChainmapApp`] holds one of each.

use super::{LaidOut, LeftTab, disk, front, logos, tidy};
use crate::io::journal::Journal;
use crate::layout::{self, PriorPositions};
use crate::model::Lang;
use crate::ui::front_page::FrontPage;
use crate::ui::index::MapIndex;
use crate::ui::map_view::Camera;
use crate::ui::motion::Glide;
use crate::ui::{Ghost, outline, views};
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

/// What a layout is made from: the map's content as far as the layout reads it, the
/// language and the screen's scale its names are measured in, the ghosts of a comparison,
/// the rearrangements asked for, and the map view's shape. The map is laid out again when a
/// frame's request differs from the one the shown layout was made for
/// ([`LayoutRequest::serves`]): the request is the cache key, not flags set here and there.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct LayoutRequest {
    /// The revision of what the layout reads of the map (its tiers, segments, nodes and
    /// links), counted by [`LayoutCache::content_changed`]: the window calls it for every
    /// reload and every edit, undo or redo that touches an entity of those kinds; edits of
    /// theses, figures or markets keep it.
    pub content: u64,
    pub lang: Lang,
    /// Pixels per point: the names are measured in pixels.
    pub scale: f32,
    /// The ghosts of a comparison, each given a cell of its old segment (or tier) sized for
    /// its name.
    pub ghosts: Vec<Ghost>,
    /// How many rearrangements were asked for: each Tidy up, each Tidy up undone or redone.
    pub rearrangement: u64,
    /// The map view's shape, width over height.
    pub aspect: f32,
}

impl LayoutRequest {
    /// Whether a layout made for `self` serves `wanted`: the same in all but the view's
    /// shape, and that within `tolerance` (a ratio above 1; infinite while a drag resizes
    /// the view, so that the map is not laid out on every pixel of it).
    pub fn serves(&self, wanted: &LayoutRequest, tolerance: f32) -> bool {
        self.content == wanted.content
            && self.lang == wanted.lang
            && self.scale == wanted.scale
            && self.ghosts == wanted.ghosts
            && self.rearrangement == wanted.rearrangement
            && self.same_shape(wanted, tolerance)
    }

    /// Whether `wanted`'s view shape is within `tolerance` of this one's.
    pub fn same_shape(&self, wanted: &LayoutRequest, tolerance: f32) -> bool {
        (wanted.aspect / self.aspect.max(0.01)).ln().abs() <= tolerance.ln()
    }
}

/// How the next layout is to be made, besides from its request.
#[derive(Clone, Debug)]
pub(super) enum Rearrangement {
    /// Tidy up: ordered for few crossings afresh, instead of keeping the layout's order.
    Tidy,
    /// From this layout instead of the shown one: a Tidy up undone or redone.
    Restore(PriorPositions),
}

/// The layout shown, keyed by what it was made from, and the inputs of the next one that
/// are not in the map: its content revision and the rearrangements asked for.
#[derive(Default)]
pub(super) struct LayoutCache {
    /// The layout shown, with the request it was made for.
    pub layout: Option<LaidOut>,
    /// Counts the changes of what the layout reads of the map.
    pub content: u64,
    /// Counts the rearrangements asked for; the latest one's kind waits in `rearrange`.
    pub rearrangement: u64,
    pub rearrange: Option<Rearrangement>,
    /// The Tidy ups that Undo and Redo take back and make again.
    pub tidied: tidy::TidyHistory,
    /// Layouts made of this map since it was opened (the first one guesses the view).
    pub layouts_of_map: u32,
}

impl LayoutCache {
    /// The map changed in what the layout reads of it.
    pub fn content_changed(&mut self) {
        self.content = self.content.wrapping_add(1);
    }

    /// Asks for the map to be laid out again as `how` says.
    pub fn rearrange(&mut self, how: Rearrangement) {
        self.rearrangement = self.rearrangement.wrapping_add(1);
        self.rearrange = Some(how);
    }

    /// The view's shape the shown layout was made for (1 before the first).
    pub fn aspect(&self) -> f32 {
        self.layout.as_ref().map_or(1.0, |laid| laid.request.aspect)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(aspect: f32) -> LayoutRequest {
        LayoutRequest {
            content: 3,
            lang: Lang::En,
            scale: 1.0,
            ghosts: Vec::new(),
            rearrangement: 1,
            aspect,
        }
    }

    #[test]
    fn a_layout_serves_the_same_request_and_a_shape_within_its_tolerance() {
        let made = request(1.6);
        assert!(made.serves(&request(1.6), 1.12));
        assert!(made.serves(&request(1.7), 1.12), "a sixteenth wider");
        assert!(!made.serves(&request(1.9), 1.12), "a fifth wider");
        assert!(!made.serves(&request(1.6 / 1.2), 1.12), "a fifth narrower");
        assert!(
            made.serves(&request(3.0), f32::INFINITY),
            "while a drag resizes"
        );
    }

    #[test]
    fn any_other_input_changed_asks_for_a_new_layout() {
        let made = request(1.6);
        let changed = [
            LayoutRequest {
                content: 4,
                ..request(1.6)
            },
            LayoutRequest {
                lang: Lang::Zh,
                ..request(1.6)
            },
            LayoutRequest {
                scale: 2.0,
                ..request(1.6)
            },
            LayoutRequest {
                ghosts: vec![Ghost {
                    id: "gone".into(),
                    kind: crate::model::NodeKind::Company,
                    name: "Gone".into(),
                    name_zh: None,
                    segment: None,
                    tier: Some(0),
                }],
                ..request(1.6)
            },
            LayoutRequest {
                rearrangement: 2,
                ..request(1.6)
            },
        ];
        for wanted in changed {
            assert!(!made.serves(&wanted, f32::INFINITY), "{wanted:?}");
        }
    }

    #[test]
    fn a_rearrangement_counts_and_waits_for_the_next_layout() {
        let mut cache = LayoutCache::default();
        cache.rearrange(Rearrangement::Tidy);
        cache.rearrange(Rearrangement::Tidy);
        assert_eq!(cache.rearrangement, 2);
        assert!(matches!(cache.rearrange.take(), Some(Rearrangement::Tidy)));
        cache.content_changed();
        assert_eq!(cache.content, 1);
    }
}
