//! The map's tier bands, segment boxes and node cards as accessible widgets: what a
//! screen reader reads and what Tab walks. The map is painted; these widgets only report
//! each thing's name, kind, tier and (under a market lens) share to egui's AccessKit tree,
//! in the layout's reading order (band, row, left to right), and let the keyboard focus a
//! card and select it with Enter.
//!
//! They sense no pointer: clicks, drags and hovering stay with the map view's own
//! response, so the mouse works as before. Only what is on screen gets a widget, and a card
//! only where its name is drawn (not at overview zoom, where cards are plain blocks): at
//! Fit on a 20,000-node map that keeps the frame within its budget, and Tab never walks
//! through things nobody can see.

use super::{MapScene, View};
use crate::layout::{Reading, ReadingItem};
use crate::model::Named;
use crate::model::market_lens::Holder;
use crate::model::{Lang, Map, Msg, Worded};
use crate::ui::words::node_label;
use egui::{Sense, WidgetInfo, accesskit};

impl View<'_, '_> {
    /// Creates the accessible widgets of what is on screen, in reading order, and draws the
    /// keyboard focus around a focused card. Returns the card chosen with Enter or Space
    /// (or by a screen reader's click).
    ///
    /// The tree nests as the picture does: the map holds its bands, a band its boxes and
    /// loose cards, a box what is inside it; a screen reader can skip a band at a time.
    pub(super) fn accessible_ui(&self, ui: &mut egui::Ui, overview: bool) -> Option<usize> {
        let MapScene {
            map,
            layout,
            reading,
            ..
        } = *self.scene;
        let mut map_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("map-things")
                .max_rect(self.viewport)
                .accessibility_role(accesskit::Role::Group)
                .accessibility_label(map_label(self.state.lang)),
        );
        // The bands and boxes are groups only for a screen reader: they take no focus. While
        // no assistive technology has asked for the tree (egui builds none), they are left
        // out, and the cards, which Tab walks, sit in the map's group directly; a group is
        // an egui `Ui` each, a tenth of a frame at Fit on a 20,000-node map.
        let tree_wanted = ui
            .ctx()
            .accesskit_node_builder(map_ui.unique_id(), |_| ())
            .is_some();
        let map_id = map_ui.scope_id();
        // Where each band and box is, by tier and segment index: the reading order names
        // them by index, and a search of the layout's lists per item would cost the square.
        let mut bands = vec![None; map.tiers.len()];
        for band in &layout.tiers {
            if let Some(slot) = bands.get_mut(band.tier) {
                *slot = Some(band.rect);
            }
        }
        let mut boxes = vec![None; map.segments.len()];
        for segment_box in &layout.segments {
            if let Some(slot) = boxes.get_mut(segment_box.segment) {
                *slot = Some((segment_box.rect, segment_box.depth));
            }
        }
        // The bands and boxes open around the current item: (its place in the order, its
        // Ui), innermost last.
        let mut open: Vec<(usize, egui::Ui)> = Vec::new();
        let mut chosen = None;
        for (k, entry) in reading.iter().enumerate() {
            let rect = match entry.item {
                ReadingItem::Tier(_) | ReadingItem::Segment(_) if !tree_wanted => None,
                ReadingItem::Tier(t) => bands.get(t).copied().flatten(),
                // At overview only top segments' titles are drawn: only those are read.
                ReadingItem::Segment(s) => boxes
                    .get(s)
                    .copied()
                    .flatten()
                    .filter(|&(_, depth)| !overview || depth == 1)
                    .map(|(rect, _)| rect),
                ReadingItem::Node(i) if overview && self.state.selected != Some(i) => None,
                ReadingItem::Node(i) => layout.nodes.get(i).copied(),
            };
            let Some(screen) = rect
                .map(|r| self.camera.rect_to_screen(self.origin, &r))
                .filter(|&r| self.visible(r))
            else {
                continue;
            };
            while open.last().is_some_and(|&(at, _)| !holds(reading, at, k)) {
                open.pop();
            }
            let parent = open.last_mut().map_or(&mut map_ui, |(_, ui)| ui);
            let group = match entry.item {
                ReadingItem::Tier(t) => self.tier_ui(parent, t, screen),
                ReadingItem::Segment(s) => self.segment_group_ui(parent, s, screen),
                ReadingItem::Node(i) => {
                    if self.card_widget(parent, map_id, i, screen) {
                        chosen = Some(i);
                    }
                    None
                }
            };
            if let Some(group) = group {
                open.push((k, group));
            }
        }
        chosen
    }

    /// A tier's band: a group named after the tier, described as a tier (with its share
    /// under a market lens), to hold its boxes and cards.
    fn tier_ui(&self, parent: &mut egui::Ui, t: usize, screen: egui::Rect) -> Option<egui::Ui> {
        let tier = self.scene.map.tiers.get(t)?;
        let lang = self.state.lang;
        let name = tier.name_in(lang);
        let kind = Msg::EntityTier.in_lang(lang).to_owned();
        let description = self.with_share(kind, Holder::Tier(t));
        Some(self.group_ui(parent, ("map-tier", &tier.id), name, &description, screen))
    }

    /// A segment's box: a group named after the segment, described as a segment of its
    /// tier (with its share under a market lens), to hold what is inside it.
    fn segment_group_ui(
        &self,
        parent: &mut egui::Ui,
        s: usize,
        screen: egui::Rect,
    ) -> Option<egui::Ui> {
        let map = self.scene.map;
        let segment = map.segments.get(s)?;
        let lang = self.state.lang;
        let name = segment.name_in(lang);
        let kind = format!(
            "{} · {}",
            Msg::SegmentNoun.in_lang(lang),
            tier_name(map, &segment.tier, lang)
        );
        let description = self.with_share(kind, Holder::Segment(s));
        Some(self.group_ui(
            parent,
            ("map-segment", &segment.id),
            name,
            &description,
            screen,
        ))
    }

    /// A group in the accessibility tree named `name` and described by `description`,
    /// where `screen` is on screen.
    fn group_ui(
        &self,
        parent: &mut egui::Ui,
        salt: (&str, &str),
        name: &str,
        description: &str,
        screen: egui::Rect,
    ) -> egui::Ui {
        let rect = screen.intersect(self.viewport);
        let group = parent.new_child(
            egui::UiBuilder::new()
                .id_salt(salt)
                .max_rect(rect)
                .accessibility_role(accesskit::Role::Group)
                .accessibility_label(name),
        );
        parent
            .ctx()
            .accesskit_node_builder(group.unique_id(), |node| {
                node.set_description(description);
                // A Ui that allocates nothing has no bounds of its own; a screen reader
                // shows where the band or box is by these.
                node.set_bounds(accesskit::Rect {
                    x0: rect.min.x.into(),
                    y0: rect.min.y.into(),
                    x1: rect.max.x.into(),
                    y1: rect.max.y.into(),
                });
            });
        group
    }

    /// A node's card, in `ui` (its band's or box's group, or the map's): focusable, named,
    /// described by its kind, tier and share, and selected when it is the selection. Its id
    /// comes from the map's group `map_id`, so that it keeps the keyboard focus whether or
    /// not the groups around it are built. Returns whether Enter or Space (or a screen
    /// reader's click) chose it.
    fn card_widget(&self, ui: &egui::Ui, map_id: egui::Id, i: usize, screen: egui::Rect) -> bool {
        let map = self.scene.map;
        let Some(node) = map.nodes.get(i) else {
            return false;
        };
        let state = self.state;
        let id = map_id.with(("map-card", &node.id));
        let response = ui.interact(
            screen.intersect(self.viewport),
            id,
            Sense::focusable_noninteractive(),
        );
        let selected = state.selected == Some(i);
        let name = node_label(map, i, state);
        response
            .widget_info(|| WidgetInfo::selected(accesskit::Role::Button, true, selected, name));
        ui.ctx().accesskit_node_builder(id, |builder| {
            let kind = format!(
                "{} · {}",
                node.kind.label_in(state.lang),
                tier_name(map, &node.tier, state.lang)
            );
            builder.set_description(self.with_share(kind, Holder::Node(i)));
            builder.set_selected(selected);
            // The card senses no pointer (the map view's response does), so it says
            // itself that it can be activated.
            builder.add_action(accesskit::Action::Click);
        });
        if state.focus_node == Some(i) && !response.has_focus() {
            // The arrows walked the selection here while the keyboard had the focus.
            response.request_focus();
        }
        if response.has_focus() {
            // Keyboard focus shows, as egui's own widgets show it.
            let stroke = ui.visuals().selection.stroke;
            self.painter
                .rect_stroke(screen.expand(3.0), 5.0, stroke, egui::StrokeKind::Outside);
        }
        let keys = response.has_focus()
            && ui.input(|input| {
                input.key_pressed(egui::Key::Enter) || input.key_pressed(egui::Key::Space)
            });
        keys || ui.input(|input| input.has_accesskit_action_request(id, accesskit::Action::Click))
    }

    /// `kind`, and under a market lens the holder's share of that market with its rank.
    fn with_share(&self, kind: String, holder: Holder) -> String {
        match share_text(self.scene.map, self.state, holder) {
            Some(share) => format!("{kind} · {share}"),
            None => kind,
        }
    }
}

/// The name of the group that holds the map's bands, boxes and cards.
pub fn map_label(lang: Lang) -> &'static str {
    Msg::Map.in_lang(lang)
}

/// Whether the thing at `holder` in the reading order holds the one at `k`, directly or
/// through a box.
fn holds(reading: &[Reading], holder: usize, k: usize) -> bool {
    let mut at = reading.get(k).and_then(|r| r.holder);
    // Boxes nest one level deep; the bound only guards against a malformed order.
    for _ in 0..4 {
        match at {
            Some(h) if h as usize == holder => return true,
            Some(h) => at = reading.get(h as usize).and_then(|r| r.holder),
            None => return false,
        }
    }
    false
}

/// A tier's name in `lang`, by its id (the id itself when the map lacks it).
pub(super) fn tier_name<'a>(map: &'a Map, id: &'a str, lang: Lang) -> &'a str {
    map.tiers
        .iter()
        .find(|t| t.id == id)
        .map_or(id, |t| t.name_in(lang))
}

/// Under a market lens, `holder`'s share of the market and its rank: "Cloud
/// infrastructure: 17–70% · #1 of 5", as a card's tooltip says it.
pub(super) fn share_text(map: &Map, state: &super::ViewState, holder: Holder) -> Option<String> {
    let lens = state.market.as_ref()?;
    let share = lens.share_of(holder)?;
    let market = map.markets.get(lens.market)?;
    let name = market.name_in(state.lang);
    let rank = Msg::rank_among_shares(state.lang, share.rank + 1, lens.share_count);
    Some(format!("{name}: {} · {rank}", share.label(state.lang)))
}
