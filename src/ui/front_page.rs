//! The front page: with nothing selected, the right panel shows the map itself — its
//! title, as-of date and sources, its nodes per tier, the theses held with the most
//! conviction, the most concentrated markets, and (when the map is in git) its latest
//! commits and what the newest one changed — each item one click from its place on the
//! map.
//!
//! What it shows is worked out once per map revision ([`FrontPage::of`], which the app
//! calls when the map or its history changes); a frame only draws it.

use super::panels::concentration_summary;
use super::{Action, Filter, ViewState};
use crate::io::history::{Commit, History};
use crate::model::Named;
use crate::model::changes::sections;
use crate::model::markets::{Bounds, concentrations_in};
use crate::model::{BASE_CASE, EntityKind, Lang, Map, Msg, ThesisStatus, Worded, localized};
use crate::render::theme;
use egui::RichText;

/// How many theses and markets the front page lists.
const THESES_SHOWN: usize = 5;
const MARKETS_SHOWN: usize = 4;
/// How many lines of the latest commit's changes it lists.
const CHANGES_SHOWN: usize = 8;
const SOURCES_SHOWN: usize = 3;

/// What the front page shows of one revision of a map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrontPage {
    /// Nodes per tier, index for index with the map's tiers.
    pub tier_counts: Vec<usize>,
    /// The live theses (neither refuted nor retired) held with the most conviction, most
    /// first, then in the map's order.
    pub theses: Vec<usize>,
    /// How many more live theses are held with as much conviction as the last one shown
    /// (many theses share a conviction: the list says it is a sample).
    pub more_theses: usize,
    /// The markets whose largest holder holds the most (by the midpoint of its bounds),
    /// with their concentration in the base case.
    pub markets: Vec<TopMarket>,
    /// The map's latest commits, newest first (empty outside git).
    pub commits: Vec<Commit>,
    /// What the newest commit changed, a line each, at most `CHANGES_SHOWN`.
    pub changes: Vec<ChangeLine>,
    /// How many more lines of change there are.
    pub more_changes: usize,
}

/// A market on the front page, with the bounds the markets panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TopMarket {
    pub market: usize,
    pub bounds: Bounds,
}

/// One change of the latest commit, in both languages, and where it is on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeLine {
    pub en: String,
    pub zh: String,
    pub action: Option<Action>,
}

impl FrontPage {
    /// The front page of `map`, with its git `history` when it is known.
    pub fn of(map: &Map, history: Option<&History>) -> FrontPage {
        let tier_index = crate::model::index_by_id(&map.tiers, |t| &t.id);
        let mut tier_counts = vec![0; map.tiers.len()];
        for node in &map.nodes {
            if let Some(count) = tier_index
                .get(node.tier.as_str())
                .and_then(|&t| tier_counts.get_mut(t))
            {
                *count += 1;
            }
        }
        let mut theses: Vec<usize> = (0..map.theses.len())
            .filter(|&i| {
                !matches!(
                    map.theses[i].status,
                    ThesisStatus::Refuted | ThesisStatus::Retired
                )
            })
            .collect();
        theses.sort_by_key(|&i| (std::cmp::Reverse(map.theses[i].conviction), i));
        let last_shown = theses
            .get(THESES_SHOWN.min(theses.len()).saturating_sub(1))
            .map(|&i| map.theses[i].conviction);
        let more_theses = theses
            .iter()
            .skip(THESES_SHOWN)
            .filter(|&&i| Some(map.theses[i].conviction) == last_shown)
            .count();
        theses.truncate(THESES_SHOWN);
        let (changes, more_changes) = history
            .and_then(|h| h.latest_change.as_ref())
            .map(|diff| change_lines(map, diff))
            .unwrap_or_default();
        FrontPage {
            tier_counts,
            theses,
            more_theses,
            markets: top_markets(map),
            commits: history.map(|h| h.commits.clone()).unwrap_or_default(),
            changes,
            more_changes,
        }
    }
}

/// The markets with shares in the base case, the largest top-1 share first (by the
/// midpoint of its bounds; ties by HHI, then the map's order).
fn top_markets(map: &Map) -> Vec<TopMarket> {
    let midpoint = |(low, high): (f64, f64)| (low + high) / 2.0;
    let mut markets: Vec<TopMarket> = concentrations_in(map, BASE_CASE)
        .into_iter()
        .enumerate()
        .filter(|(_, c)| !c.shares.is_empty())
        .map(|(market, c)| TopMarket {
            market,
            bounds: c.bounds(),
        })
        .collect();
    markets.sort_by(|a, b| {
        midpoint(b.bounds.top1)
            .total_cmp(&midpoint(a.bounds.top1))
            .then(
                b.bounds
                    .hhi
                    .map_or(-1.0, midpoint)
                    .total_cmp(&a.bounds.hhi.map_or(-1.0, midpoint)),
            )
            .then(a.market.cmp(&b.market))
    });
    markets.truncate(MARKETS_SHOWN);
    markets
}

/// The first lines of a diff in both languages, each with the action that shows what it
/// is about; and how many lines are left out.
fn change_lines(map: &Map, diff: &crate::model::diff::MapDiff) -> (Vec<ChangeLine>, usize) {
    let lines = |lang| -> Vec<crate::model::changes::Line> {
        sections(diff, lang)
            .into_iter()
            .flat_map(|s| s.lines)
            .collect()
    };
    let (en, zh) = (lines(Lang::En), lines(Lang::Zh));
    let total = en.len();
    let shown = en
        .into_iter()
        .zip(zh.into_iter().map(Some).chain(std::iter::repeat(None)))
        .take(CHANGES_SHOWN)
        .map(|(line, zh)| ChangeLine {
            action: line
                .about
                .as_ref()
                .and_then(|(kind, id)| place_of(map, *kind, id)),
            zh: zh.map_or_else(|| line.text.clone(), |z| z.text),
            en: line.text,
        })
        .collect::<Vec<_>>();
    let more = total.saturating_sub(shown.len());
    (shown, more)
}

/// What shows an entity on the map: a node revealed, a thesis's lens, a market's lens; a
/// figure shows its market (or its subject), a link its `from` end.
fn place_of(map: &Map, kind: EntityKind, id: &str) -> Option<Action> {
    let node = |id: &str| {
        map.nodes
            .iter()
            .position(|n| n.id == id)
            .map(Action::Reveal)
    };
    let market = |id: &str| {
        map.markets
            .iter()
            .position(|m| m.id == id)
            .map(|m| Action::Market(Some(m)))
    };
    match kind {
        EntityKind::Node => node(id),
        EntityKind::Thesis => map
            .theses
            .iter()
            .position(|t| t.id == id)
            .map(|t| Action::ThesisLens(Some(t))),
        EntityKind::Market => market(id),
        EntityKind::Figure => {
            let figure = map.figures.iter().find(|f| f.id == id)?;
            figure
                .market
                .as_deref()
                .and_then(market)
                .or_else(|| node(&figure.subject))
        }
        EntityKind::Link => node(&map.links.iter().find(|l| l.id == id)?.from),
        _ => None,
    }
}

/// The most characters of a commit subject or a change the page shows on its line (a
/// subject can be a paragraph, a changed description two); the rest shows on hover.
const LINE_CHARS: usize = 140;

/// `text` cut to [`LINE_CHARS`] with an ellipsis, and whether it was cut.
fn shorten(text: &str) -> (String, bool) {
    match text.char_indices().nth(LINE_CHARS) {
        Some((end, _)) => (format!("{}…", text.get(..end).unwrap_or(text)), true),
        None => (text.to_owned(), false),
    }
}

/// A small label of `text`, shortened, the whole on hover.
fn shortened_label(ui: &mut egui::Ui, text: &str) {
    let (short, cut) = shorten(text);
    let label = ui.label(RichText::new(short).small());
    if cut {
        label.on_hover_text(text);
    }
}

/// Draws the front page of `map`.
pub fn front_page_ui(
    ui: &mut egui::Ui,
    map: &Map,
    page: &FrontPage,
    state: &ViewState,
    actions: &mut Vec<Action>,
) {
    let lang = state.lang;
    let meta = &map.meta;
    let title = meta
        .title_in(lang)
        .unwrap_or(Msg::UntitledMap.in_lang(lang));
    ui.heading(title);
    let counts = Msg::map_counts(
        lang,
        map.nodes.len(),
        map.links.len(),
        map.theses.len(),
        map.markets.len(),
    );
    let line = match &meta.as_of {
        Some(date) => format!("{} · {counts}", Msg::as_of(lang, date)),
        None => counts,
    };
    ui.label(RichText::new(line).small());
    if let Some(description) = &meta.description {
        ui.label(
            RichText::new(localized(description, meta.description_zh.as_deref(), lang)).small(),
        );
    }
    ui.label(RichText::new(Msg::SelectANode.in_lang(lang)).small().weak());
    sources_ui(ui, map, lang);
    let view = PageView { map, page, state };
    view.tiers_ui(ui, actions);
    view.theses_ui(ui, actions);
    view.markets_ui(ui, actions);
    history_ui(ui, page, lang, actions);
}

/// The map's sources, the first few by title and date.
fn sources_ui(ui: &mut egui::Ui, map: &Map, lang: Lang) {
    let heading = format!("{} · {}", Msg::Sources.in_lang(lang), map.sources.len());
    super::part_ui(ui, !map.sources.is_empty(), heading, |ui| {
        for source in map.sources.iter().take(SOURCES_SHOWN) {
            let title = localized(&source.title, source.title_zh.as_deref(), lang);
            let line = match &source.date {
                Some(date) => format!("{title} ({date})"),
                None => title.to_owned(),
            };
            ui.label(RichText::new(line).small());
        }
        let more = map.sources.len().saturating_sub(SOURCES_SHOWN);
        if more > 0 {
            let text = Msg::and_more(lang, more);
            ui.label(RichText::new(text).small().weak());
        }
    });
}

/// What the front page's parts read: the map, what was worked out of it, and the view.
#[derive(Clone, Copy)]
struct PageView<'a> {
    map: &'a Map,
    page: &'a FrontPage,
    state: &'a ViewState,
}

impl PageView<'_> {
    /// Nodes per tier, the top of the map first; a tier's line filters the map to it.
    fn tiers_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let PageView { map, page, state } = *self;
        ui.separator();
        ui.strong(Msg::Tiers.in_lang(state.lang));
        // The map's tiers go bottom to top; the map reads from the top.
        for (t, tier) in map.tiers.iter().enumerate().rev() {
            let name = tier.name_in(state.lang);
            let count = page.tier_counts.get(t).copied().unwrap_or_default();
            let chosen = state.filter.tier == Some(t);
            if ui
                .selectable_label(chosen, format!("{name} · {count}"))
                .clicked()
            {
                actions.push(Action::SetFilter(Filter {
                    tier: (!chosen).then_some(t),
                    ..state.filter.clone()
                }));
            }
        }
    }

    /// The theses held with the most conviction; one opens its lens.
    fn theses_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let PageView { map, page, state } = *self;
        let heading = Msg::TopTheses.in_lang(state.lang);
        super::part_ui(ui, !page.theses.is_empty(), heading, |ui| {
            for &i in &page.theses {
                let Some(thesis) = map.theses.get(i) else {
                    continue;
                };
                let title = localized(&thesis.title, thesis.title_zh.as_deref(), state.lang);
                let chosen = state.lens_thesis() == Some(i);
                // The dot stays at the left of the title, which wraps beside it.
                ui.horizontal_top(|ui| {
                    ui.colored_label(theme::stance_color(thesis.stance), "●");
                    // One line says it all, so that a screen reader reads the stance too.
                    let line = format!(
                        "{title} · {} {}/5",
                        thesis.stance.label_in(state.lang),
                        thesis.conviction
                    );
                    if ui
                        .add(egui::Button::selectable(chosen, line).wrap())
                        .clicked()
                    {
                        actions.push(Action::ThesisLens((!chosen).then_some(i)));
                    }
                });
            }
            if let Some(last) = page.theses.last().and_then(|&i| map.theses.get(i))
                && page.more_theses > 0
            {
                let text = Msg::and_more_theses_at(state.lang, page.more_theses, last.conviction);
                ui.label(RichText::new(text).small().weak());
            }
        });
    }

    /// The most concentrated markets with their bounds; one lays its shares over the map.
    fn markets_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let PageView { map, page, state } = *self;
        let heading = Msg::TopMarkets.in_lang(state.lang);
        super::part_ui(ui, !page.markets.is_empty(), heading, |ui| {
            ui.label(
                RichText::new(Msg::TopMarketsNote.in_lang(state.lang))
                    .small()
                    .weak(),
            );
            for top in &page.markets {
                let Some(market) = map.markets.get(top.market) else {
                    continue;
                };
                let name = market.name_in(state.lang);
                let chosen = state
                    .market
                    .as_ref()
                    .is_some_and(|m| m.market == top.market);
                let summary = concentration_summary(&top.bounds, state.lang);
                if ui
                    .selectable_label(chosen, format!("{name}: {summary}"))
                    .clicked()
                {
                    actions.push(Action::Market((!chosen).then_some(top.market)));
                }
            }
        });
    }
}

/// The latest commits that touched the map, and what the newest one changed; a change
/// shows what it is about.
fn history_ui(ui: &mut egui::Ui, page: &FrontPage, lang: Lang, actions: &mut Vec<Action>) {
    if page.commits.is_empty() {
        return;
    }
    ui.separator();
    ui.strong(Msg::LatestCommits.in_lang(lang));
    for commit in &page.commits {
        let line = format!("{} · {} · {}", commit.date, commit.id, commit.subject);
        shortened_label(ui, &line);
    }
    if page.changes.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(
        RichText::new(Msg::LatestCommitChanged.in_lang(lang))
            .small()
            .strong(),
    );
    for change in &page.changes {
        let text = match lang {
            Lang::En => &change.en,
            Lang::Zh => &change.zh,
        };
        let (short, cut) = shorten(text);
        let response = match &change.action {
            Some(action) => {
                let row = ui.selectable_label(false, RichText::new(short).small());
                if row.clicked() {
                    actions.push(action.clone());
                }
                row
            }
            None => ui.label(RichText::new(short).small()),
        };
        if cut {
            response.on_hover_text(text);
        }
    }
    if page.more_changes > 0 {
        let text = Msg::and_more_changes(lang, page.more_changes);
        ui.label(RichText::new(text).small().weak());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diff::diff;

    fn bundled() -> Map {
        crate::io::bundled::load_bundled().map
    }

    #[test]
    fn front_page_counts_every_node_in_its_tier_and_ranks_theses_by_conviction() {
        let map = bundled();
        let page = FrontPage::of(&map, None);
        assert_eq!(page.tier_counts.iter().sum::<usize>(), map.nodes.len());
        for (t, tier) in map.tiers.iter().enumerate() {
            let count = map.nodes.iter().filter(|n| n.tier == tier.id).count();
            assert_eq!(page.tier_counts[t], count, "{}", tier.id);
        }
        assert_eq!(page.theses.len(), THESES_SHOWN);
        let best = map.theses.iter().map(|t| t.conviction).max();
        assert_eq!(Some(map.theses[page.theses[0]].conviction), best);
        // No thesis left out holds more conviction than one shown.
        let lowest_shown = page.theses.iter().map(|&i| map.theses[i].conviction).min();
        assert!(
            page.theses
                .windows(2)
                .all(|w| { map.theses[w[0]].conviction >= map.theses[w[1]].conviction })
        );
        for (i, thesis) in map.theses.iter().enumerate() {
            if !page.theses.contains(&i) {
                assert!(Some(thesis.conviction) <= lowest_shown, "{}", thesis.id);
            }
        }
        let tied = map
            .theses
            .iter()
            .filter(|t| Some(t.conviction) == lowest_shown)
            .filter(|t| !matches!(t.status, ThesisStatus::Refuted | ThesisStatus::Retired))
            .count();
        let shown_tied = page
            .theses
            .iter()
            .filter(|&&i| Some(map.theses[i].conviction) == lowest_shown)
            .count();
        assert_eq!(page.more_theses, tied - shown_tied);
        assert!(page.commits.is_empty() && page.changes.is_empty());
    }

    #[test]
    fn front_page_markets_are_the_largest_top_shares_with_the_panel_s_bounds() {
        let map = bundled();
        let page = FrontPage::of(&map, None);
        assert!(!page.markets.is_empty());
        let mid = |(low, high): (f64, f64)| (low + high) / 2.0;
        assert!(
            page.markets
                .windows(2)
                .all(|w| mid(w[0].bounds.top1) >= mid(w[1].bounds.top1))
        );
        // The numbers are the markets panel's, not recomputed.
        let all = concentrations_in(&map, BASE_CASE);
        for top in &page.markets {
            let c = &all[top.market];
            assert_eq!(top.bounds, c.bounds());
        }
    }

    #[test]
    fn long_lines_are_cut_at_a_character_with_an_ellipsis() {
        assert_eq!(shorten("short"), ("short".to_owned(), false));
        let long = "拾".repeat(LINE_CHARS + 5);
        let (short, cut) = shorten(&long);
        assert!(cut);
        assert_eq!(short.chars().count(), LINE_CHARS + 1);
        assert!(short.ends_with('…'));
    }

    #[test]
    fn each_change_of_the_latest_commit_leads_to_its_place_on_the_map() {
        let before = bundled();
        let mut after = before.clone();
        after.nodes.retain(|n| n.id != "tsmc");
        let mut renamed = after.theses[0].clone();
        renamed.title = "A new title".to_owned();
        after.theses[0] = renamed;
        let history = History {
            commits: vec![Commit {
                id: "abc1234".to_owned(),
                date: "2026-11-30".to_owned(),
                subject: "Retitle a thesis".to_owned(),
            }],
            latest_change: Some(diff(&before, &after)),
        };
        let page = FrontPage::of(&after, Some(&history));
        assert_eq!(page.commits, history.commits);
        let thesis = page
            .changes
            .iter()
            .find(|c| c.en.contains("A new title"))
            .expect("the retitled thesis is listed");
        assert_eq!(thesis.action, Some(Action::ThesisLens(Some(0))));
        // A node removed has no place on the map any more.
        let removed = page
            .changes
            .iter()
            .find(|c| c.en.contains("TSMC"))
            .expect("the removed node is listed");
        assert_eq!(removed.action, None);
    }
}
