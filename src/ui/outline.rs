//! The outline: a search box over English and Chinese names, descriptions and theses, and
//! the tiers, segments and nodes as a tree.

use super::index::{MapIndex, Rows};
use super::{Action, ViewState};
use crate::model::{Map, Msg, Named, Worded};

/// Nodes that match `query` (case-insensitive, English or Chinese), best first: a name
/// equal to the query, then names that start with it, names that contain it, ids and tags,
/// descriptions, and last the nodes that a matching thesis is about; map order within each.
pub fn search(map: &Map, query: &str) -> Vec<usize> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let lower = |text: &str| text.to_lowercase();
    let some = |text: &Option<String>| text.as_deref().map(lower);
    // The nodes a matching thesis is about, found once per query: each thesis is
    // lowercased once, not once per node it might be about.
    let about_matching_theses: std::collections::HashSet<&str> = map
        .theses
        .iter()
        .filter(|t| {
            [
                Some(lower(&t.title)),
                some(&t.title_zh),
                Some(lower(&t.claim)),
                some(&t.claim_zh),
            ]
            .iter()
            .flatten()
            .any(|text| text.contains(&query))
        })
        .flat_map(|t| t.about.iter().map(String::as_str))
        .collect();
    let mut ranked: Vec<(u8, usize)> = map
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let names: Vec<String> = std::iter::once(lower(&node.name))
                .chain(some(&node.name_zh))
                .collect();
            let rank = if names.contains(&query) {
                0
            } else if names.iter().any(|n| n.starts_with(&query)) {
                1
            } else if names.iter().any(|n| n.contains(&query)) {
                2
            } else if lower(&node.id).contains(&query)
                || node.tags.iter().any(|t| lower(t).contains(&query))
            {
                3
            } else if [some(&node.description), some(&node.description_zh)]
                .iter()
                .flatten()
                .any(|d| d.contains(&query))
            {
                4
            } else if about_matching_theses.contains(node.id.as_str()) {
                5
            } else {
                return None;
            };
            Some((rank, i))
        })
        .collect();
    ranked.sort();
    ranked.into_iter().map(|(_, i)| i).collect()
}

/// Tiers start open in the outline when the map has at most this many segments.
const OPEN_TIERS_UP_TO_SEGMENTS: usize = 80;

/// The search box's text and its last results, so that a search runs when the text
/// changes, not every frame.
#[derive(Clone, Debug, Default)]
pub struct SearchBox {
    pub query: String,
    last: Option<(String, Vec<usize>)>,
}

impl SearchBox {
    fn results(&mut self, map: &Map) -> &[usize] {
        if self
            .last
            .as_ref()
            .is_none_or(|(query, _)| *query != self.query)
        {
            self.last = Some((self.query.clone(), search(map, &self.query)));
        }
        self.last
            .as_ref()
            .map_or(&[], |(_, results)| results.as_slice())
    }

    /// Forgets the cached results (the map changed).
    pub fn invalidate(&mut self) {
        self.last = None;
    }
}

pub fn outline_ui(
    ui: &mut egui::Ui,
    map: &Map,
    index: &MapIndex,
    state: &ViewState,
    search_box: &mut SearchBox,
    focus_search: bool,
    actions: &mut Vec<Action>,
) {
    let response = ui
        .horizontal(|ui| {
            let label = ui.label(Msg::Search.in_lang(state.lang));
            ui.add(
                egui::TextEdit::singleline(&mut search_box.query)
                    .hint_text(Msg::SearchHint.in_lang(state.lang))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
        })
        .inner;
    if focus_search {
        response.request_focus();
    }
    let searching = !search_box.query.trim().is_empty();
    let results = search_box.results(map);
    if response.lost_focus()
        && ui.input(|i| i.key_pressed(egui::Key::Enter))
        && let Some(&first) = results.first()
    {
        actions.push(Action::Reveal(first));
    }
    if searching {
        ui.label(format!("{} ↓", results.len()));
        // Only the rows on screen are built, however many nodes match.
        let row_height = ui.spacing().interact_size.y;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, results.len(), |ui, rows| {
                for &i in &results[rows] {
                    node_row(ui, map, state, i, actions);
                }
            });
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // A big map's tiers start closed: hundreds of open rows cost every frame.
            let open_tiers = map.segments.len() <= OPEN_TIERS_UP_TO_SEGMENTS;
            for (tier, rows) in map.tiers.iter().zip(&index.tier_rows).rev() {
                let row = (tier.id.as_str(), tier.name_in(state.lang), rows);
                holder_ui(ui, map, index, state, row, open_tiers, actions);
            }
        });
}

/// A tier or a segment as a row that opens on the segments it holds, then its own nodes
/// (`rows`, from the map's index: an open row asks no list of the whole map).
fn holder_ui(
    ui: &mut egui::Ui,
    map: &Map,
    index: &MapIndex,
    state: &ViewState,
    (id, name, rows): (&str, &str, &Rows),
    open: bool,
    actions: &mut Vec<Action>,
) {
    egui::CollapsingHeader::new(name)
        .id_salt(id)
        .default_open(open)
        .show(ui, |ui| {
            for &s in &rows.segments {
                let (Some(segment), Some(held)) = (map.segments.get(s), index.segment_rows.get(s))
                else {
                    continue;
                };
                let row = (segment.id.as_str(), segment.name_in(state.lang), held);
                holder_ui(ui, map, index, state, row, false, actions);
            }
            for &i in &rows.nodes {
                node_row(ui, map, state, i, actions);
            }
        });
}

fn node_row(ui: &mut egui::Ui, map: &Map, state: &ViewState, i: usize, actions: &mut Vec<Action>) {
    let name = super::words::node_label(map, i, state);
    // Ideas and parts of an organisation say what they are: they are not market players.
    let kind = map
        .nodes
        .get(i)
        .map(|n| n.kind)
        .filter(|k| !k.is_market_participant());
    ui.horizontal(|ui| {
        if ui
            .selectable_label(state.selected == Some(i), name)
            .clicked()
        {
            actions.push(Action::Reveal(i));
        }
        if let Some(kind) = kind {
            ui.label(
                egui::RichText::new(kind.label_in(state.lang))
                    .small()
                    .weak(),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_finds_english_and_chinese_names_and_theses() {
        let map = crate::io::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/maps/reference.ron"
        )))
        .map(|l| l.map)
        .unwrap_or_default();
        let names = |query: &str| -> Vec<String> {
            search(&map, query)
                .iter()
                .map(|&i| map.nodes[i].id.clone())
                .collect()
        };
        assert_eq!(names("chipco edge"), ["chipco-edge"]);
        assert_eq!(names("助手"), ["helper-app"]);
        assert_eq!(names("keeps its lead"), ["chipco"]);
        // A name match comes before a match in another node's description.
        assert_eq!(
            names("chipco")[..2],
            ["chipco".to_owned(), "chipco-edge".to_owned()]
        );
        assert!(names("  ").is_empty());
    }
}
