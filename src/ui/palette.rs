//! The command palette (Ctrl+K, Ctrl+Shift+P): one box that finds every command (with its
//! keys), node, segment, thesis, market and saved view, in English and Chinese, best first,
//! recently used first among equals; Enter does it.
//!
//! What it searches is built once per map revision ([`PaletteIndex::of`]), every text
//! lowercased then, so that a keystroke is one pass of substring tests (a 20,000-node map
//! within a frame: see the frame benchmark).

use super::commands::Command;
use crate::model::{Lang, Map, Msg, Named};

/// How many results the palette lists.
const SHOWN: usize = 40;
/// How many picks it remembers as recent.
const RECENT: usize = 8;

/// Something the palette can do: a command, or go to an entity (by id, so that a recent
/// pick survives an edit that renumbers the map).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PaletteItem {
    Command(Command),
    Node(String),
    Segment(String),
    Thesis(String),
    Market(String),
    View(String),
}

impl PaletteItem {
    /// The kind's order among results of the same rank: commands first.
    fn kind_order(&self) -> u8 {
        match self {
            PaletteItem::Command(_) => 0,
            PaletteItem::Node(_) => 1,
            PaletteItem::Segment(_) => 2,
            PaletteItem::Thesis(_) => 3,
            PaletteItem::Market(_) => 4,
            PaletteItem::View(_) => 5,
        }
    }

    fn kind_label(&self, lang: Lang) -> &'static str {
        match self {
            PaletteItem::Command(_) => Msg::PaletteCommand.in_lang(lang),
            PaletteItem::Node(_) => Msg::EntityNode.in_lang(lang),
            PaletteItem::Segment(_) => Msg::EntitySegment.in_lang(lang),
            PaletteItem::Thesis(_) => Msg::EntityThesis.in_lang(lang),
            PaletteItem::Market(_) => Msg::EntityMarket.in_lang(lang),
            PaletteItem::View(_) => Msg::SavedView.in_lang(lang),
        }
    }
}

/// One entry: what it does, its words in each language, and every text it is found by,
/// lowercased.
#[derive(Clone, Debug)]
struct Entry {
    item: PaletteItem,
    en: String,
    zh: String,
    /// Keys, for a command; the tier's name, for a node.
    detail_en: String,
    detail_zh: String,
    haystacks: Vec<String>,
}

/// Everything the palette finds, for one revision of one map.
#[derive(Clone, Debug, Default)]
pub struct PaletteIndex {
    entries: Vec<Entry>,
}

fn entry(item: PaletteItem, en: &str, zh: Option<&str>, id: &str) -> Entry {
    let zh_text = zh.unwrap_or(en);
    let mut haystacks = vec![en.to_lowercase()];
    if zh_text != en {
        haystacks.push(zh_text.to_lowercase());
    }
    if !id.is_empty() {
        haystacks.push(id.to_lowercase());
    }
    Entry {
        item,
        en: en.to_owned(),
        zh: zh_text.to_owned(),
        detail_en: String::new(),
        detail_zh: String::new(),
        haystacks,
    }
}

impl PaletteIndex {
    /// The commands, then the map's nodes, segments, theses and markets, then the saved
    /// views named.
    pub fn of(map: &Map, views: &[String]) -> PaletteIndex {
        let mut entries = Vec::new();
        for command in Command::ALL.into_iter().filter(|c| c.in_palette()) {
            let mut e = entry(
                PaletteItem::Command(command),
                command.label(Lang::En),
                Some(command.label(Lang::Zh)),
                "",
            );
            e.detail_en = command.keys_text(Lang::En);
            e.detail_zh = command.keys_text(Lang::Zh);
            entries.push(e);
        }
        let tier_names = |tier: &str| {
            map.tiers
                .iter()
                .find(|t| t.id == tier)
                .map_or((tier.to_owned(), tier.to_owned()), |t| {
                    (t.name.clone(), t.name_in(Lang::Zh).to_owned())
                })
        };
        // Nodes and segments show their tier's name beside theirs, theses and markets
        // nothing.
        let nodes = map.nodes.iter().map(|n| {
            let item = PaletteItem::Node(n.id.clone());
            (item, &n.id, &n.name, &n.name_zh, Some(&n.tier))
        });
        let segments = map.segments.iter().map(|s| {
            let item = PaletteItem::Segment(s.id.clone());
            (item, &s.id, &s.name, &s.name_zh, Some(&s.tier))
        });
        let theses = map.theses.iter().map(|t| {
            let item = PaletteItem::Thesis(t.id.clone());
            (item, &t.id, &t.title, &t.title_zh, None)
        });
        let markets = map.markets.iter().map(|m| {
            let item = PaletteItem::Market(m.id.clone());
            (item, &m.id, &m.name, &m.name_zh, None)
        });
        for (item, id, name, name_zh, tier) in nodes.chain(segments).chain(theses).chain(markets) {
            let mut e = entry(item, name, name_zh.as_deref(), id);
            if let Some(tier) = tier {
                (e.detail_en, e.detail_zh) = tier_names(tier);
            }
            entries.push(e);
        }
        for view in views {
            entries.push(entry(PaletteItem::View(view.clone()), view, None, ""));
        }
        PaletteIndex { entries }
    }

    /// What matches `query`, best first: a text equal to it, then texts that start with
    /// it, then texts with a word that starts with it, then texts that contain it; among
    /// equals, recent picks first (the latest first), then commands, nodes, segments,
    /// theses, markets and views, each in map order. An empty query lists the recent
    /// picks, then the commands.
    pub fn search(&self, query: &str, recent: &[PaletteItem]) -> Vec<usize> {
        let query = query.trim().to_lowercase();
        let recency = |item: &PaletteItem| {
            recent
                .iter()
                .position(|r| r == item)
                .unwrap_or(recent.len())
        };
        let mut ranked: Vec<(u8, usize, u8, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let rank = if query.is_empty() {
                    match e.item {
                        PaletteItem::Command(_) => 0,
                        _ if recency(&e.item) < recent.len() => 0,
                        _ => return None,
                    }
                } else {
                    e.haystacks
                        .iter()
                        .filter_map(|h| match_rank(h, &query))
                        .min()?
                };
                Some((rank, recency(&e.item), e.item.kind_order(), i))
            })
            .collect();
        ranked.sort_unstable();
        ranked.truncate(SHOWN);
        ranked.into_iter().map(|(.., i)| i).collect()
    }

    pub fn item(&self, index: usize) -> Option<&PaletteItem> {
        self.entries.get(index).map(|e| &e.item)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// How well `text` matches `query` (both lowercased): 0 equal, 1 starts with it, 2 a word
/// of it starts with it, 3 contains it; `None` when it does not.
fn match_rank(text: &str, query: &str) -> Option<u8> {
    if text == query {
        return Some(0);
    }
    if text.starts_with(query) {
        return Some(1);
    }
    let at = text.find(query)?;
    let word_start = text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    Some(if word_start { 2 } else { 3 })
}

/// The palette's state while it is open.
#[derive(Clone, Debug, Default)]
pub struct Palette {
    pub query: String,
    /// The result highlighted (Up and Down move it).
    pub highlighted: usize,
    last: Option<(String, Vec<usize>)>,
}

impl Palette {
    fn results(&mut self, index: &PaletteIndex, recent: &[PaletteItem]) -> &[usize] {
        if self
            .last
            .as_ref()
            .is_none_or(|(query, _)| *query != self.query)
        {
            self.last = Some((self.query.clone(), index.search(&self.query, recent)));
            self.highlighted = 0;
        }
        self.last.as_ref().map_or(&[], |(_, r)| r.as_slice())
    }
}

/// Remembers `item` as the latest pick.
pub fn remember(recent: &mut Vec<PaletteItem>, item: PaletteItem) {
    recent.retain(|r| *r != item);
    recent.insert(0, item);
    recent.truncate(RECENT);
}

/// What the palette's frame came to.
pub enum PaletteResponse {
    Open,
    Closed,
    Picked(PaletteItem),
}

/// The palette, over the window: a search box and the results; Up and Down move the
/// highlight, Enter (or a click) picks, Escape (or a click outside) closes.
pub fn palette_ui(
    ctx: &egui::Context,
    palette: &mut Palette,
    index: &PaletteIndex,
    recent: &[PaletteItem],
    lang: Lang,
) -> PaletteResponse {
    // Up, Down and Enter belong to the list, not to the search box.
    let (up, down, enter) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
        )
    });
    let mut picked = None;
    let modal = egui::Modal::new(egui::Id::unique("command-palette")).show(ctx, |ui| {
        ui.set_width(560.0);
        let label = ui.label(Msg::GoToOrDo.in_lang(lang));
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut palette.query)
                    .hint_text(Msg::PaletteHint.in_lang(lang))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        response.request_focus();
        let results = palette.results(index, recent).to_vec();
        if down && palette.highlighted + 1 < results.len() {
            palette.highlighted += 1;
        }
        if up {
            palette.highlighted = palette.highlighted.saturating_sub(1);
        }
        if results.is_empty() {
            ui.label(egui::RichText::new(Msg::NothingFound.in_lang(lang)).weak());
        }
        egui::ScrollArea::vertical()
            .max_height(420.0)
            .show(ui, |ui| {
                // Justified: each result is a row as wide as the palette.
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                    for (row, &i) in results.iter().enumerate() {
                        let e = &index.entries[i];
                        let (name, detail) = match lang {
                            Lang::En => (&e.en, &e.detail_en),
                            Lang::Zh => (&e.zh, &e.detail_zh),
                        };
                        let text = if detail.is_empty() {
                            format!("{name}  · {}", e.item.kind_label(lang))
                        } else {
                            format!("{name}  · {} · {detail}", e.item.kind_label(lang))
                        };
                        let highlighted = row == palette.highlighted;
                        let button = ui.selectable_label(highlighted, text);
                        if highlighted && (up || down) {
                            button.scroll_to_me(None);
                        }
                        if button.clicked() || (enter && highlighted) {
                            picked = Some(e.item.clone());
                        }
                    }
                });
            });
    });
    match picked {
        Some(item) => PaletteResponse::Picked(item),
        None if modal.should_close() => PaletteResponse::Closed,
        None => PaletteResponse::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::generate;

    fn names(index: &PaletteIndex, found: &[usize]) -> Vec<String> {
        found.iter().map(|&i| index.entries[i].en.clone()).collect()
    }

    #[test]
    fn finds_commands_and_entities_in_both_languages_best_first() {
        let map = crate::io::bundled::load_bundled().map;
        let index = PaletteIndex::of(&map, &["Q3 memo".to_owned()]);
        // A name equal to the query comes before names that contain it.
        let found = index.search("openai", &[]);
        assert_eq!(
            index.item(found[0]),
            Some(&PaletteItem::Node("openai".into()))
        );
        // Chinese finds the same entity.
        let nvidia = map.nodes.iter().find(|n| n.id == "nvidia").expect("NVIDIA");
        let zh = nvidia.name_zh.as_deref().unwrap_or(&nvidia.name);
        let found = index.search(zh, &[]);
        assert_eq!(
            index.item(found[0]),
            Some(&PaletteItem::Node("nvidia".into()))
        );
        // Commands by their words, in either language.
        let found = index.search("fit", &[]);
        assert_eq!(
            index.item(found[0]),
            Some(&PaletteItem::Command(Command::Fit))
        );
        let found = index.search("追踪", &[]);
        assert_eq!(
            index.item(found[0]),
            Some(&PaletteItem::Command(Command::Trace))
        );
        // Theses, markets and saved views are there too.
        let thesis = &map.theses[0];
        let found = index.search(&thesis.title, &[]);
        assert_eq!(
            index.item(found[0]),
            Some(&PaletteItem::Thesis(thesis.id.clone()))
        );
        let market = &map.markets[0];
        assert!(
            index
                .search(&market.name, &[])
                .iter()
                .any(|&i| index.item(i) == Some(&PaletteItem::Market(market.id.clone())))
        );
        let found = index.search("q3 m", &[]);
        assert_eq!(
            index.item(found[0]),
            Some(&PaletteItem::View("Q3 memo".into()))
        );
        assert!(index.search("no such thing at all", &[]).is_empty());
    }

    #[test]
    fn recent_picks_come_first_among_equals_and_alone_when_the_box_is_empty() {
        let map = crate::io::bundled::load_bundled().map;
        let index = PaletteIndex::of(&map, &[]);
        let plain = index.search("model", &[]);
        let last = index
            .item(plain[plain.len() - 1])
            .cloned()
            .expect("results");
        let mut recent = Vec::new();
        remember(&mut recent, last.clone());
        let again = index.search("model", &recent);
        let first_rank = |found: &[usize]| {
            found
                .iter()
                .position(|&i| index.item(i) == Some(&last))
                .expect("still found")
        };
        assert!(first_rank(&again) <= first_rank(&plain));
        // The empty box: the recent pick, then the commands.
        let empty = index.search("", &recent);
        assert_eq!(index.item(empty[0]), Some(&last));
        assert!(names(&index, &empty).contains(&"Zoom in".to_owned()));
    }

    #[test]
    fn a_word_start_ranks_above_a_match_inside_a_word() {
        assert_eq!(match_rank("tidy up", "tidy up"), Some(0));
        assert_eq!(match_rank("tidy up", "ti"), Some(1));
        assert_eq!(match_rank("tidy up", "up"), Some(2));
        assert_eq!(match_rank("tidy up", "dy"), Some(3));
        assert_eq!(match_rank("tidy up", "x"), None);
    }

    #[test]
    fn remember_keeps_the_latest_few_without_repeats() {
        let mut recent = Vec::new();
        for i in 0..(RECENT + 3) {
            remember(&mut recent, PaletteItem::Node(format!("n{i}")));
        }
        remember(&mut recent, PaletteItem::Node(format!("n{}", RECENT + 1)));
        assert_eq!(recent.len(), RECENT);
        assert_eq!(recent[0], PaletteItem::Node(format!("n{}", RECENT + 1)));
        assert_eq!(
            recent
                .iter()
                .filter(|r| **r == PaletteItem::Node(format!("n{}", RECENT + 1)))
                .count(),
            1
        );
    }

    #[test]
    fn a_large_map_is_searched_whole() {
        let map = generate(2_000, 3);
        let index = PaletteIndex::of(&map, &[]);
        assert!(index.len() > 2_000);
        let last = map.nodes.last().expect("nodes");
        let found = index.search(&last.name, &[]);
        assert!(
            found
                .iter()
                .any(|&i| index.item(i) == Some(&PaletteItem::Node(last.id.clone())))
        );
    }
}
