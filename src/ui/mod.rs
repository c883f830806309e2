//! Widgets and panels of the window. They read the model and a [`ViewState`] and return
//! what the user asked for as [`Action`]s; they never change the document themselves.

pub mod commands;
pub mod editor;
pub mod front_page;
pub mod index;
pub mod inspector;
pub mod map_view;
pub mod motion;
pub mod outline;
pub mod palette;
pub mod panels;
pub mod share_lens;
pub mod views;
pub mod words;

use crate::model::market_lens::MarketLens;
use crate::model::trace::Trace;
use crate::model::{Lang, LinkKind, Msg, NodeClass};
use crate::render::picture::PictureView;
use std::collections::BTreeSet;

/// Prepares a context for the window: the bundled fonts, and image loaders for logos.
pub fn setup(ctx: &egui::Context) {
    crate::render::fonts::install(ctx);
    egui_extras::install_image_loaders(ctx);
}

/// What the user asked for in a frame; the app applies it afterwards.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Select(Option<usize>),
    /// Select a node and bring it into view.
    Reveal(usize),
    Trace(bool),
    /// Light up the subjects of a thesis (or stop).
    ThesisLens(Option<usize>),
    /// Lay a market over the map: its shares in the base case on their holders' cards (or
    /// stop).
    Market(Option<usize>),
    /// Lay a market over the map with its shares in the case named (base, upside…).
    MarketCase(Option<usize>, String),
    SetFilter(Filter),
    FitView,
    /// Lay the map out afresh, ordered for few crossings (after edits kept everything in
    /// place).
    TidyUp,
    /// Open the edit form of an entity (its kind and id).
    EditEntity(crate::model::EntityKind, String),
    /// Open the form of a new entity of this kind, about the selected node if any.
    NewEntity(crate::model::EntityKind),
}

/// What the filters keep: nodes of one tier, of one segment, with one tag; links of the
/// kinds not hidden. Nodes left out are dimmed, not removed, so the picture keeps its shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub tier: Option<usize>,
    pub segment: Option<usize>,
    pub tag: Option<String>,
    pub hidden_kinds: BTreeSet<LinkKind>,
    /// Families of nodes left out (dimmed): ideas, parts of an organisation.
    pub hidden_classes: BTreeSet<NodeClass>,
}

impl Filter {
    /// Whether the filter picks nodes (as opposed to only hiding link kinds).
    pub fn picks_nodes(&self) -> bool {
        self.tier.is_some()
            || self.segment.is_some()
            || self.tag.is_some()
            || !self.hidden_classes.is_empty()
    }
}

/// What the panels need to know about the view, besides the map.
#[derive(Clone, Debug, Default)]
pub struct ViewState {
    /// A card to take the keyboard focus this frame: the selection walked to with the
    /// arrows while a widget had the focus, so that the focus follows the walk.
    pub focus_node: Option<usize>,
    pub lang: Lang,
    pub dark: bool,
    pub selected: Option<usize>,
    pub hovered: Option<usize>,
    /// Edit mode: nodes can be dragged to pin them, and the inspector edits.
    pub editing: bool,
    /// The trace shown (the selection's whole chain), set through [`Self::set_trace`].
    pub trace: Option<LitTrace>,
    /// The thesis whose subjects are lit.
    pub thesis_lens: Option<LitThesis>,
    /// The market laid over the map: each participant's share drawn where it sits.
    pub market: Option<MarketLens>,
    /// What the checker says of the share being dragged on the map, when it refuses it.
    pub share_problem: Option<String>,
    pub filter: Filter,
    /// The nodes the filter keeps (meaningful when it picks nodes).
    pub filtered: BTreeSet<usize>,
    /// What changed since another version, when comparing with one.
    pub compare: Option<CompareMarks>,
}

/// A trace on the map: the chain itself, for the paths the inspector lists and a lit
/// card's tooltip, and what it lights.
#[derive(Clone, Debug, PartialEq)]
pub struct LitTrace {
    pub trace: Trace,
    /// The nodes of the chain, its start among them.
    pub nodes: BTreeSet<usize>,
    /// Segments reached through a segment's own links: their boxes are lit.
    pub segments: BTreeSet<usize>,
}

/// A thesis lens: the thesis (its index in the map) and the nodes it is about, lit.
#[derive(Clone, Debug, PartialEq)]
pub struct LitThesis {
    pub thesis: usize,
    pub nodes: BTreeSet<usize>,
}

/// The marks of a comparison with another version, drawn over the map: nodes added since
/// (outlined), nodes changed or whose theses, figures or links changed (a dot), links
/// added, and the nodes removed since, as ghosts in a cell of their old segment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareMarks {
    pub added: BTreeSet<usize>,
    pub changed: BTreeSet<usize>,
    pub added_links: BTreeSet<usize>,
    pub ghosts: Vec<Ghost>,
}

/// A node the other version has and this one does not. The window lays it out with the
/// map, in a cell of its old segment, so that it overlaps nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Ghost {
    /// Its id in the other version (no node of this one has it).
    pub id: String,
    pub kind: crate::model::NodeKind,
    pub name: String,
    pub name_zh: Option<String>,
    /// Its segment in this map, if that still exists, else its tier.
    pub segment: Option<usize>,
    pub tier: Option<usize>,
}

crate::model::named_by_fields!(Ghost);

impl ViewState {
    /// The nodes to show lit, everything else dimmed: a trace first, else a thesis lens,
    /// else a market's participants, else the filter's nodes; `None` when nothing is
    /// emphasised.
    pub fn emphasis(&self) -> Option<&BTreeSet<usize>> {
        if let Some(lit) = &self.trace {
            Some(&lit.nodes)
        } else if let Some(lens) = &self.thesis_lens {
            Some(&lens.nodes)
        } else if let Some(market) = &self.market {
            Some(&market.lit)
        } else if self.filter.picks_nodes() {
            Some(&self.filtered)
        } else {
            None
        }
    }
}

impl ViewState {
    /// Shows `trace` (or none): the cards and boxes it lights and its paths.
    pub fn set_trace(&mut self, trace: Option<Trace>) {
        self.trace = trace.map(|trace| LitTrace {
            nodes: trace.nodes(),
            segments: trace.segments(),
            trace,
        });
    }

    /// The nodes a trace lights; none when not tracing.
    pub fn traced(&self) -> Option<&BTreeSet<usize>> {
        self.trace.as_ref().map(|lit| &lit.nodes)
    }

    /// Whether a trace lights segment `s`'s box.
    pub fn traced_segment(&self, s: usize) -> bool {
        self.trace
            .as_ref()
            .is_some_and(|lit| lit.segments.contains(&s))
    }

    /// The thesis lit by the thesis lens, if any.
    pub fn lens_thesis(&self) -> Option<usize> {
        self.thesis_lens.as_ref().map(|lens| lens.thesis)
    }

    /// Whether what is emphasised is a market's participants (no trace or thesis lens
    /// over it): their cards carry shares, and need no highlight of their own.
    pub fn market_lens_only(&self) -> bool {
        self.market.is_some() && self.trace.is_none() && self.thesis_lens.is_none()
    }
}

/// A part of a panel (the inspector's, the front page's): a rule, its heading, then what
/// `add` draws. A part with nothing to show (`shown` false) is left out, heading and all.
pub(crate) fn part_ui(
    ui: &mut egui::Ui,
    shown: bool,
    heading: impl Into<egui::RichText>,
    add: impl FnOnce(&mut egui::Ui),
) {
    if !shown {
        return;
    }
    ui.separator();
    ui.strong(heading);
    add(ui);
}

/// In edit mode, a small Edit button that opens an entity's form (the inspector's and the
/// theses panel's).
pub(crate) fn edit_button(
    ui: &mut egui::Ui,
    state: &ViewState,
    actions: &mut Vec<Action>,
    kind: crate::model::EntityKind,
    id: &str,
) {
    if !state.editing {
        return;
    }
    let name = Msg::edit_entity(state.lang, kind.word().in_lang(state.lang), id);
    let button = ui.small_button(Msg::Edit.in_lang(state.lang));
    // Screen readers (and tests) hear which entity the button edits.
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    if button.on_hover_text(&name).clicked() {
        actions.push(Action::EditEntity(kind, id.to_owned()));
    }
}

impl ViewState {
    /// A picture of what the window shows: its language, theme, emphasis, lit segments,
    /// hidden link kinds and market lens.
    pub fn picture_view(&self) -> PictureView {
        PictureView {
            lang: self.lang,
            dark: self.dark,
            emphasis: self.emphasis().cloned(),
            lit_segments: (self.trace.as_ref())
                .map_or_else(BTreeSet::new, |lit| lit.segments.clone()),
            hidden_kinds: self.filter.hidden_kinds.clone(),
            crop: None,
            market: self.market.clone(),
        }
    }
}
