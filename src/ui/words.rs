//! The few labels that several panels write the same way: a node's name in the window's
//! language, a trace's direction, a thesis's stance and conviction (their words are in the
//! message catalogue, [`crate::model::messages`]). A leaf of `ui`, so that the panels that
//! share them do not import one another.

use super::ViewState;
use crate::model::trace::Direction;
use crate::model::{Lang, Map, Msg, Named, Worded};
use egui::RichText;

/// Node names in the current language, measured: what the layout is computed from.
pub fn node_label<'a>(map: &'a Map, node: usize, state: &ViewState) -> &'a str {
    map.nodes.get(node).map_or("", |n| n.name_in(state.lang))
}

/// A walk's name: upstream (suppliers) or downstream (customers).
pub fn direction_label(direction: Direction, lang: Lang) -> &'static str {
    match direction {
        Direction::Upstream => Msg::Upstream.in_lang(lang),
        Direction::Downstream => Msg::Downstream.in_lang(lang),
    }
}

/// "bullish · 4/5": a thesis's stance and conviction, small.
pub fn stance_text(thesis: &crate::model::Thesis, state: &ViewState) -> RichText {
    RichText::new(format!(
        "{} · {}/5",
        thesis.stance.label_in(state.lang),
        thesis.conviction
    ))
    .small()
}
