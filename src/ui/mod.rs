//! Widgets and panels of the window. They read the model and a [`ViewState`] and return
//! what the user asked for as [`Action`]s; they never change the document themselves.

pub mod fonts;
pub mod inspector;
pub mod map_view;
pub mod outline;
pub mod theme;

use crate::model::Lang;
use std::collections::BTreeSet;

/// What the user asked for in a frame; the app applies it afterwards.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Select(Option<usize>),
    /// Select a node and bring it into view.
    Reveal(usize),
    Trace(bool),
    FitView,
}

/// What the panels need to know about the view, besides the map.
#[derive(Clone, Debug, Default)]
pub struct ViewState {
    pub lang: Lang,
    pub dark: bool,
    pub selected: Option<usize>,
    pub hovered: Option<usize>,
    /// Nodes lit by a trace (the selection's whole chain); empty when not tracing.
    pub traced: BTreeSet<usize>,
}
