//! The side panels besides the outline: theses (choosing one lights its subjects, a thesis
//! lens), markets (searched and sorted; each market's shares largest first, stacked with
//! the unclaimed rest, its concentration, its size and its shares by date; only the visible
//! rows built), and filters (tier, segment, tag, link kinds).

use super::index::MapIndex;
use super::{Action, Filter, ViewState};
use crate::model::Named;
use crate::model::market_lens::{case_label, no_case_text};
use crate::model::markets::{
    Bounds, Concentration, Firms, MarketSort, Share, concentration_of, concentrations_in,
    market_cases, market_matches, market_size, share_history, sort_markets,
};
use crate::model::{
    BASE_CASE, EntityKind, Figure, IsoDate, Lang, LinkKind, Map, Msg, NodeClass, Worded,
    format_bounds, index_by_id, localized,
};
use crate::render::theme;
use egui::{RichText, Sense, Stroke, Vec2};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// The theses with stance, conviction and status; clicking one turns its lens on or off.
pub fn theses_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, actions: &mut Vec<Action>) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if state.editing && ui.button(Msg::NewThesis.in_lang(state.lang)).clicked() {
                actions.push(Action::NewEntity(EntityKind::Thesis));
            }
            for (i, thesis) in map.theses.iter().enumerate() {
                let chosen = state.lens_thesis() == Some(i);
                let title = localized(&thesis.title, thesis.title_zh.as_deref(), state.lang);
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(theme::stance_color(thesis.stance), "●");
                    if ui.selectable_label(chosen, title).clicked() {
                        actions.push(Action::ThesisLens(if chosen { None } else { Some(i) }));
                    }
                });
                ui.horizontal(|ui| {
                    super::edit_button(ui, state, actions, EntityKind::Thesis, &thesis.id);
                    ui.label(
                        RichText::new(format!(
                            "{} · {}/5 · {}{}",
                            thesis.stance.label_in(state.lang),
                            thesis.conviction,
                            thesis.status.label_in(state.lang),
                            thesis
                                .horizon
                                .as_deref()
                                .map(|h| format!(" · {h}"))
                                .unwrap_or_default()
                        ))
                        .small()
                        .weak(),
                    );
                });
                if chosen {
                    ui.label(localized(
                        &thesis.claim,
                        thesis.claim_zh.as_deref(),
                        state.lang,
                    ));
                    for evidence in &thesis.evidence {
                        if let Some(quote) = &evidence.quote {
                            let locator = evidence.locator.as_deref().unwrap_or_default();
                            ui.label(
                                RichText::new(format!("「{quote}」 {locator}"))
                                    .small()
                                    .italics(),
                            );
                        }
                    }
                }
            }
        });
}

/// The height of every row of the markets list: fixed, so that only the visible rows are
/// built (`ScrollArea::show_rows`) and a thousand markets scroll as lightly as ten.
const MARKET_ROW_HEIGHT: f32 = 18.0;

/// What the markets panel shows: its search and sort, kept in egui's memory (the panel's
/// own state, not the document's nor the view's).
#[derive(Clone, Debug, Default, PartialEq)]
struct MarketsQuery {
    search: String,
    sort: MarketSort,
    descending: bool,
    /// The case the shares are shown in: "base" unless the reader picks another.
    case: String,
}

/// One fixed-height row of the markets list; a market is several rows. Markets and
/// figures are positions in the map's lists.
#[derive(Debug, PartialEq)]
enum MarketRow {
    Title(usize),
    /// The market's size, a figure.
    Size(usize),
    Bar(usize),
    /// The shares' lower bounds add up to over 100% by rounding: their sum.
    Published(f64),
    /// A market's `k`-th share.
    Share(usize, usize),
    Summary(usize),
    /// The shares given at one date (several dates only): a small bar of them, each a
    /// figure with its subject's colour.
    Dated(Option<IsoDate>, Vec<(usize, usize)>),
    /// One share at that date (a figure), with its subject's colour.
    DatedShare(usize, usize),
    Gap,
}

/// The names of the subjects that hold shares (nodes, segments, tiers), looked up once
/// per listing rather than once a row.
#[derive(Debug, Default)]
struct SubjectNames(HashMap<String, (String, Option<String>)>);

impl SubjectNames {
    fn new(map: &Map, markets: &[Concentration<'_>]) -> Self {
        let wanted: HashSet<&str> = markets
            .iter()
            .flat_map(|c| c.shares.iter().flat_map(Share::holders))
            .map(String::as_str)
            .collect();
        let named = map
            .tiers
            .iter()
            .map(|t| (&t.id, &t.name, &t.name_zh))
            .chain(map.segments.iter().map(|s| (&s.id, &s.name, &s.name_zh)))
            .chain(map.nodes.iter().map(|n| (&n.id, &n.name, &n.name_zh)));
        Self(
            named
                .filter(|(id, _, _)| wanted.contains(id.as_str()))
                .map(|(id, name, name_zh)| (id.clone(), (name.clone(), name_zh.clone())))
                .collect(),
        )
    }

    fn all(&self, id: &str) -> Vec<&str> {
        self.0
            .get(id)
            .map(|(en, zh)| {
                [Some(en.as_str()), zh.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect()
            })
            .unwrap_or_default()
    }

    fn pick<'b>(&'b self, id: &'b str, lang: Lang) -> &'b str {
        self.0
            .get(id)
            .map_or(id, |(en, zh)| localized(en, zh.as_deref(), lang))
    }
}

/// The markets list for one map revision, case, search, sort and language: which markets,
/// in what order, as rows, with what a visible row needs to draw itself. Built when one of
/// those changes, not every frame: at 1,000 markets, finding, sorting and laying out every
/// market's rows costs more than a frame.
#[derive(Debug)]
struct MarketsListing {
    revision: u64,
    query: MarketsQuery,
    lang: Lang,
    /// Every case the map gives shares in, the base case first.
    cases: Vec<String>,
    rows: Vec<MarketRow>,
    /// How many markets the search keeps, of how many.
    shown: usize,
    total: usize,
    /// Each market's figures (positions in the map's figures).
    figures: Vec<Vec<usize>>,
    firms: Firms<'static>,
    names: SubjectNames,
}

impl MarketsListing {
    fn of(
        map: &Map,
        revision: u64,
        query: &MarketsQuery,
        lang: Lang,
        cases: Vec<String>,
    ) -> MarketsListing {
        let market_at = index_by_id(&map.markets, |m| &m.id);
        let mut figures = vec![Vec::new(); map.markets.len()];
        for (i, figure) in map.figures.iter().enumerate() {
            if let Some(&m) = figure.market.as_deref().and_then(|id| market_at.get(id)) {
                figures[m].push(i);
            }
        }
        let mut markets = concentrations_in(map, &query.case);
        let names = SubjectNames::new(map, &markets);
        let total = markets.len();
        markets.retain(|c| market_matches(c, &query.search, |id| names.all(id)));
        sort_markets(&mut markets, query.sort, query.descending, lang);
        let order: Vec<usize> = markets
            .iter()
            .filter_map(|c| market_at.get(c.market.id.as_str()).copied())
            .collect();
        let rows = market_rows(map, &markets, &order, &figures);
        MarketsListing {
            revision,
            query: query.clone(),
            lang,
            cases,
            rows,
            shown: markets.len(),
            total,
            figures,
            firms: Firms::of(map).into_owned(),
            names,
        }
    }

    fn holds(&self, revision: u64, query: &MarketsQuery, lang: Lang) -> bool {
        self.revision == revision && self.query == *query && self.lang == lang
    }

    /// The concentration of the `market`-th market, in the listing's case.
    fn concentration<'a>(&self, map: &'a Map, market: usize) -> Option<Concentration<'a>> {
        let figures: Vec<&Figure> = self
            .figures
            .get(market)?
            .iter()
            .filter_map(|&f| map.figures.get(f))
            .collect();
        Some(concentration_of(
            map.markets.get(market)?,
            &figures,
            &self.query.case,
            &self.firms,
        ))
    }
}

/// Each market: its shares largest first as a stacked bar (the certain part solid, the
/// range lighter, an open end marked), the unclaimed rest, its concentration as ranges,
/// its size when the map gives one, and its shares by date when it has several dates.
/// Searched and sorted from the top of the panel; the list is kept until the map's
/// revision, the search, the sort, the case or the language changes, and a frame computes
/// only the concentrations of the markets in view.
pub fn markets_ui(
    ui: &mut egui::Ui,
    map: &Map,
    index: &MapIndex,
    state: &ViewState,
    actions: &mut Vec<Action>,
) {
    if map.markets.is_empty() {
        ui.label(Msg::NoMarkets.in_lang(state.lang));
        return;
    }
    let query_id = ui.scope_id().with("markets-query");
    let listing_id = ui.scope_id().with("markets-listing");
    let mut query: MarketsQuery = ui.data(|d| d.get_temp(query_id)).unwrap_or_default();
    if query.case.is_empty() {
        query.case = BASE_CASE.to_owned();
    }
    let kept: Option<Arc<MarketsListing>> = ui.data(|d| d.get_temp(listing_id));
    let cases = match &kept {
        Some(listing) if listing.revision == index.revision => listing.cases.clone(),
        _ => market_cases(map.figures.iter().filter(|f| f.market.is_some())),
    };
    market_query_ui(ui, state, &mut query, &cases);
    let listing = match kept {
        Some(listing) if listing.holds(index.revision, &query, state.lang) => listing,
        _ => Arc::new(MarketsListing::of(
            map,
            index.revision,
            &query,
            state.lang,
            cases,
        )),
    };
    ui.label(
        RichText::new(Msg::markets_shown(state.lang, listing.shown, listing.total))
            .small()
            .weak(),
    );
    ui.data_mut(|d| {
        d.insert_temp(query_id, query);
        d.insert_temp(listing_id, Arc::clone(&listing));
    });
    ui.spacing_mut().item_spacing.y = 2.0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, MARKET_ROW_HEIGHT, listing.rows.len(), |ui, visible| {
            let rows = listing.rows.get(visible).unwrap_or_default();
            let mut in_view: Vec<(usize, Concentration)> = Vec::new();
            for row in rows {
                if let Some(m) = row.market()
                    && !in_view.iter().any(|(at, _)| *at == m)
                    && let Some(c) = listing.concentration(map, m)
                {
                    in_view.push((m, c));
                }
            }
            let view = RowsInView {
                map,
                names: &listing.names,
                concentrations: &in_view,
            };
            for row in rows {
                if let Some(index) = market_row_ui(ui, state, &view, row) {
                    let chosen = state.market.as_ref().map(|lens| lens.market);
                    actions.push(if Some(index) == chosen {
                        Action::Market(None)
                    } else {
                        Action::MarketCase(Some(index), listing.query.case.clone())
                    });
                }
            }
        });
}

/// The search box, the sort and the case of the markets panel.
fn market_query_ui(
    ui: &mut egui::Ui,
    state: &ViewState,
    query: &mut MarketsQuery,
    cases: &[String],
) {
    ui.horizontal(|ui| {
        ui.label(Msg::Find.in_lang(state.lang));
        ui.add(
            egui::TextEdit::singleline(&mut query.search)
                .hint_text(Msg::MarketSearchHint.in_lang(state.lang))
                .desired_width(f32::INFINITY),
        );
    });
    ui.horizontal(|ui| {
        egui::ComboBox::from_label(Msg::SortBy.in_lang(state.lang))
            .width(110.0)
            .selected_text(query.sort.label_in(state.lang))
            .show_ui(ui, |ui| {
                for key in MarketSort::ALL {
                    ui.selectable_value(&mut query.sort, key, key.label_in(state.lang));
                }
            });
        ui.selectable_value(&mut query.descending, false, "↑")
            .on_hover_text(Msg::Ascending.in_lang(state.lang));
        ui.selectable_value(&mut query.descending, true, "↓")
            .on_hover_text(Msg::Descending.in_lang(state.lang));
    });
    // Shares come in the base case; the others (upside, a scenario…) only when picked.
    if cases.iter().any(|c| c != BASE_CASE) {
        egui::ComboBox::from_label(Msg::Case.in_lang(state.lang))
            .width(140.0)
            .selected_text(case_label(&query.case, state.lang))
            .show_ui(ui, |ui| {
                for case in cases {
                    ui.selectable_value(
                        &mut query.case,
                        case.clone(),
                        case_label(case, state.lang),
                    );
                }
            });
    }
}

impl MarketRow {
    /// The market the row draws from, if any.
    fn market(&self) -> Option<usize> {
        match self {
            MarketRow::Title(m)
            | MarketRow::Bar(m)
            | MarketRow::Share(m, _)
            | MarketRow::Summary(m) => Some(*m),
            _ => None,
        }
    }
}

/// What the visible rows draw from: the map, the holders' names, and the concentrations
/// of the markets in view.
struct RowsInView<'a> {
    map: &'a Map,
    names: &'a SubjectNames,
    concentrations: &'a [(usize, Concentration<'a>)],
}

impl<'a> RowsInView<'a> {
    fn concentration(&self, market: usize) -> Option<&Concentration<'a>> {
        self.concentrations
            .iter()
            .find(|(m, _)| *m == market)
            .map(|(_, c)| c)
    }

    fn figure(&self, figure: usize) -> Option<&'a Figure> {
        self.map.figures.get(figure)
    }
}

/// The markets as fixed-height rows, in the order given (`order[m]` is the map's position
/// of `markets[m]`).
fn market_rows(
    map: &Map,
    markets: &[Concentration<'_>],
    order: &[usize],
    figures_of: &[Vec<usize>],
) -> Vec<MarketRow> {
    // A figure's position in the map's list, from its place in memory among its market's.
    let position = |market: usize, figure: &Figure| {
        figures_of[market]
            .iter()
            .copied()
            .find(|&i| std::ptr::eq(&map.figures[i], figure))
    };
    let mut rows = Vec::with_capacity(markets.len() * 8);
    for (c, &m) in markets.iter().zip(order) {
        let figures: Vec<&Figure> = figures_of[m].iter().map(|&i| &map.figures[i]).collect();
        rows.push(MarketRow::Title(m));
        if let Some(size) = market_size(&figures).and_then(|f| position(m, f)) {
            rows.push(MarketRow::Size(size));
        }
        if c.lacks_case() {
            rows.push(MarketRow::Summary(m));
            rows.push(MarketRow::Gap);
            continue;
        }
        rows.push(MarketRow::Bar(m));
        let claimed: f64 = c.shares.iter().map(|s| s.low).sum();
        if claimed > 100.0 + 1e-9 {
            rows.push(MarketRow::Published(claimed));
        }
        rows.extend((0..c.shares.len()).map(|k| MarketRow::Share(m, k)));
        rows.push(MarketRow::Summary(m));
        // Most markets have one date: the grouping is skipped for them.
        let mut dates = figures.iter().map(|f| f.as_of.as_ref());
        let first = dates.next().flatten();
        let history = if dates.any(|d| d != first) {
            share_history(&figures, &c.case)
        } else {
            Vec::new()
        };
        if history.len() > 1 {
            // A subject keeps its colour from date to date: the colour of its place among
            // the market's shares, or one past them for a subject that has left.
            let colour = |f: &Figure| {
                c.shares
                    .iter()
                    .position(|s| s.holders() == f.share_holders())
                    .unwrap_or(c.shares.len())
            };
            for dated in history {
                // The shares of the newest date are usually the market's shares listed
                // above: listed again they would only repeat them; the date's bar stays.
                let current = dated.shares.len() == c.shares.len()
                    && dated
                        .shares
                        .iter()
                        .all(|f| c.shares.iter().any(|s| std::ptr::eq(s.figure, *f)));
                let coloured: Vec<(usize, usize)> = dated
                    .shares
                    .iter()
                    .filter_map(|f| Some((colour(f), position(m, f)?)))
                    .collect();
                let listed: Vec<MarketRow> = if current {
                    Vec::new()
                } else {
                    coloured
                        .iter()
                        .map(|&(k, f)| MarketRow::DatedShare(k, f))
                        .collect()
                };
                rows.push(MarketRow::Dated(dated.as_of.cloned(), coloured));
                rows.extend(listed);
            }
        }
        rows.push(MarketRow::Gap);
    }
    rows
}

/// One row of the markets list, in a rectangle of exactly [`MARKET_ROW_HEIGHT`]; returns
/// the market whose title was clicked (to lay it over the map, or take it off).
fn market_row_ui(
    ui: &mut egui::Ui,
    state: &ViewState,
    view: &RowsInView<'_>,
    row: &MarketRow,
) -> Option<usize> {
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, MARKET_ROW_HEIGHT), Sense::hover());
    let mut ui = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
    );
    ui.set_clip_rect(rect.intersect(ui.clip_rect()));
    let lang = state.lang;
    let text = |ui: &mut egui::Ui, text: RichText| ui.add(egui::Label::new(text).truncate());
    match row {
        MarketRow::Title(m) => {
            let market = view.map.markets.get(*m)?;
            let name = market.name_in(lang);
            let chosen = state
                .market
                .as_ref()
                .is_some_and(|lens| lens.market_id == market.id);
            let title = ui
                .selectable_label(chosen, RichText::new(name).strong())
                .on_hover_text(Msg::ShowMarketSharesOnMap.in_lang(lang));
            if title.clicked() {
                return Some(*m);
            }
        }
        MarketRow::Size(figure) => {
            let size = view.figure(*figure)?;
            let date = size
                .as_of
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            let metric = localized(&size.metric, size.metric_zh.as_deref(), lang);
            text(
                &mut ui,
                RichText::new(format!("{metric}: {}{date}", size.display_value())).small(),
            );
        }
        MarketRow::Bar(m) => {
            if let Some(c) = view.concentration(*m) {
                let bar = egui::Rect::from_min_size(rect.min, Vec2::new(width.min(280.0), 16.0));
                share_bar(&ui.painter_at(bar), bar, &c.shares, state.dark);
            }
        }
        MarketRow::Published(claimed) => {
            // Shares as published, each rounded: the whole is marked on the bar.
            text(
                &mut ui,
                RichText::new(Msg::published_total(
                    state.lang,
                    crate::model::format_number((claimed * 100.0).round() / 100.0),
                ))
                .small(),
            );
        }
        MarketRow::Share(m, k) => {
            let share = view.concentration(*m).and_then(|c| c.shares.get(*k))?;
            ui.colored_label(theme::share_color(*k), "■");
            let subject = holders_text(view.names, share.holders(), lang);
            text(
                &mut ui,
                RichText::new(format!("{subject}: {}", share.figure.display_value())),
            );
        }
        MarketRow::Summary(m) => {
            if let Some(c) = view.concentration(*m) {
                text(&mut ui, RichText::new(summary_text(c, state)).small());
            }
        }
        MarketRow::Dated(as_of, shares) => {
            let shares: Vec<(usize, &Figure)> = shares
                .iter()
                .filter_map(|&(k, f)| Some((k, view.figure(f)?)))
                .collect();
            dated_row_ui(&mut ui, state, as_of.as_ref(), &shares);
        }
        MarketRow::DatedShare(k, figure) => {
            let figure = view.figure(*figure)?;
            let subject = holders_text(view.names, figure.share_holders(), lang);
            ui.add_space(12.0);
            ui.colored_label(theme::share_color(*k), "■");
            text(
                &mut ui,
                RichText::new(format!("{subject}: {}", figure.display_value())).small(),
            );
        }
        MarketRow::Gap => {}
    }
    None
}

/// A share's holders by name: "OpenAI", or "AWS + Azure + GCP (jointly)".
fn holders_text(names: &SubjectNames, holders: &[crate::model::Id], lang: Lang) -> String {
    let picked: Vec<&str> = holders.iter().map(|h| names.pick(h, lang)).collect();
    if picked.len() > 1 {
        format!("{} {}", picked.join(" + "), Msg::Jointly.in_lang(lang))
    } else {
        picked.concat()
    }
}

/// "unclaimed 0–25% · top-1 55–75% · HHI 3225–6425", "… · no HHI (not firms)", or
/// "no base case (only upside case)".
fn summary_text(c: &Concentration<'_>, state: &ViewState) -> String {
    if c.lacks_case() {
        return no_case_text(&c.case, &c.cases, state.lang);
    }
    concentration_summary(&c.bounds(), state.lang)
}

/// "unclaimed 0–25% · top-1 55–75% · HHI 3225–6425" (or "… · no HHI (not firms)"): a
/// market's concentration as bounds, as the markets panel and the front page say it.
pub(crate) fn concentration_summary(bounds: &Bounds, lang: Lang) -> String {
    let Bounds {
        unclaimed,
        top1,
        hhi,
        approximate,
    } = *bounds;
    format!(
        "{} · {}",
        Msg::unclaimed(lang, format_bounds(unclaimed, approximate)),
        crate::model::markets::concentration_text(top1, hhi, approximate, lang)
    )
}

/// The head of one date's shares: the date and a small bar of those shares (each share at
/// its low, a small multiple of the market's bar), newest date first.
fn dated_row_ui(
    ui: &mut egui::Ui,
    state: &ViewState,
    as_of: Option<&IsoDate>,
    shares: &[(usize, &Figure)],
) {
    let date = as_of.map_or(Msg::Undated.in_lang(state.lang).to_owned(), |d| {
        d.to_string()
    });
    ui.add(egui::Label::new(RichText::new(date).small().strong()));
    let (bar, _) = ui.allocate_exact_size(Vec2::new(120.0, 10.0), Sense::hover());
    let painter = ui.painter_at(bar);
    painter.rect_filled(bar, 1.0, theme::palette(state.dark).segment_fill[0]);
    let x = |percent: f64| bar.left() + bar.width() * (percent.clamp(0.0, 100.0) / 100.0) as f32;
    let mut at = 0.0;
    for (k, figure) in shares {
        let low = figure.low.or(figure.high).unwrap_or(0.0);
        let part = egui::Rect::from_x_y_ranges(x(at)..=x(at + low), bar.y_range());
        painter.rect_filled(part, 0.0, theme::share_color(*k));
        at += low;
    }
}

/// A market's stacked bar in `rect`: each share's certain part solid, its range lighter, an
/// open end marked; over 100% by rounding, the bar holds them all and marks the whole.
fn share_bar(painter: &egui::Painter, rect: egui::Rect, shares: &[Share<'_>], dark: bool) {
    let palette = theme::palette(dark);
    painter.rect_filled(rect, 2.0, palette.segment_fill[0]);
    // Shares published rounded may add up to a little over 100%: the bar is scaled to hold
    // them all, as published, with the whole marked.
    let full = bar_extent(shares).max(100.0);
    let x = |percent: f64| rect.left() + rect.width() * (percent.clamp(0.0, full) / full) as f32;
    let mut at = 0.0;
    for (k, share) in shares.iter().enumerate() {
        let colour = theme::share_color(k);
        let solid = egui::Rect::from_x_y_ranges(x(at)..=x(at + share.low), rect.y_range());
        painter.rect_filled(solid, 0.0, colour);
        let range =
            egui::Rect::from_x_y_ranges(x(at + share.low)..=x(at + share.high), rect.y_range());
        painter.rect_filled(range, 0.0, colour.gamma_multiply(0.35));
        if share.open_high {
            painter.line_segment(
                [range.right_top(), range.right_bottom()],
                Stroke::new(1.0, colour),
            );
        }
        at += share.low;
    }
    if full > 100.0 {
        painter.line_segment(
            [
                egui::pos2(x(100.0), rect.top()),
                egui::pos2(x(100.0), rect.bottom()),
            ],
            Stroke::new(1.5, palette.node_text),
        );
    }
}

/// How far a market's stacked bar reaches, in percent: each share's range starts where the
/// lower bounds before it end.
pub fn bar_extent(shares: &[crate::model::markets::Share<'_>]) -> f64 {
    let mut at = 0.0;
    let mut extent: f64 = 0.0;
    for share in shares {
        extent = extent.max(at + share.high);
        at += share.low;
    }
    extent.max(at)
}

/// A combo box choosing one of `choices` (positions in a list) or none (`any`), each
/// shown by its `name`.
fn index_combo<'a>(
    ui: &mut egui::Ui,
    label: &str,
    selected: &mut Option<usize>,
    any: &'a str,
    choices: impl IntoIterator<Item = usize>,
    name: impl Fn(usize) -> &'a str,
) {
    egui::ComboBox::from_label(label)
        .selected_text(selected.map_or(any, &name))
        .show_ui(ui, |ui| {
            ui.selectable_value(selected, None, any);
            for i in choices {
                ui.selectable_value(selected, Some(i), name(i));
            }
        });
}

/// Filters: nodes of one tier, one segment, one tag, of chosen families; links of chosen kinds.
pub fn filters_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, actions: &mut Vec<Action>) {
    let mut filter: Filter = state.filter.clone();
    tier_and_segment_filter_ui(ui, map, state, &mut filter);
    tag_filter_ui(ui, map, state, &mut filter);
    ui.separator();
    node_classes_filter_ui(ui, map, state, &mut filter);
    ui.separator();
    link_kinds_filter_ui(ui, map, state, &mut filter);
    if ui.button(Msg::ClearFilters.in_lang(state.lang)).clicked() {
        filter = Filter::default();
    }
    if filter != state.filter {
        actions.push(Action::SetFilter(filter));
    }
}

/// The tier and segment choices, together because the tier narrows the segments offered
/// (and drops a chosen segment of another tier).
fn tier_and_segment_filter_ui(
    ui: &mut egui::Ui,
    map: &Map,
    state: &ViewState,
    filter: &mut Filter,
) {
    let any = Msg::Any.in_lang(state.lang);
    let tier_name = |i: usize| map.tiers.get(i).map_or("", |t| t.name_in(state.lang));
    index_combo(
        ui,
        Msg::Tier.in_lang(state.lang),
        &mut filter.tier,
        any,
        0..map.tiers.len(),
        tier_name,
    );
    // A segment of another tier would keep nothing lit.
    let segment_tier = |s: usize| map.segments.get(s).map(|s| s.tier.as_str());
    let chosen_tier = filter
        .tier
        .and_then(|t| map.tiers.get(t))
        .map(|t| t.id.as_str());
    if chosen_tier.is_some() && filter.segment.and_then(segment_tier) != chosen_tier {
        filter.segment = None;
    }
    let segment_name = |i: usize| map.segments.get(i).map_or("", |s| s.name_in(state.lang));
    let in_tier: Vec<usize> = map
        .segments
        .iter()
        .enumerate()
        .filter(|(_, segment)| {
            filter
                .tier
                .is_none_or(|t| map.tiers.get(t).is_some_and(|t| t.id == segment.tier))
        })
        .map(|(i, _)| i)
        .collect();
    index_combo(
        ui,
        Msg::Segment.in_lang(state.lang),
        &mut filter.segment,
        any,
        in_tier,
        segment_name,
    );
}

/// The tag choice, among every tag the nodes carry, in sorted order.
fn tag_filter_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, filter: &mut Filter) {
    let any = Msg::Any.in_lang(state.lang);
    let mut tags: Vec<&str> = map
        .nodes
        .iter()
        .flat_map(|n| n.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    egui::ComboBox::from_label(Msg::Tag.in_lang(state.lang))
        .selected_text(filter.tag.as_deref().unwrap_or(any))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut filter.tag, None, any);
            for tag in tags {
                ui.selectable_value(&mut filter.tag, Some(tag.to_owned()), tag);
            }
        });
}

/// A checkbox per family of nodes the map has, ticked while that family is shown.
fn node_classes_filter_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, filter: &mut Filter) {
    ui.label(Msg::NodesShown.in_lang(state.lang));
    for class in NodeClass::ALL {
        if !map.nodes.iter().any(|n| n.kind.class() == class) {
            continue;
        }
        let mut shown = !filter.hidden_classes.contains(&class);
        if ui
            .checkbox(&mut shown, class.label_in(state.lang))
            .changed()
        {
            if shown {
                filter.hidden_classes.remove(&class);
            } else {
                filter.hidden_classes.insert(class);
            }
        }
    }
}

/// A checkbox per kind of link the map has, in the kind's colour, ticked while shown.
fn link_kinds_filter_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, filter: &mut Filter) {
    ui.label(Msg::LinksShown.in_lang(state.lang));
    for kind in LinkKind::ALL {
        if !map.links.iter().any(|l| l.kind == kind) {
            continue;
        }
        let mut shown = !filter.hidden_kinds.contains(&kind);
        if ui
            .checkbox(
                &mut shown,
                RichText::new(kind.label_in(state.lang)).color(theme::link_color(kind)),
            )
            .changed()
        {
            if shown {
                filter.hidden_kinds.remove(&kind);
            } else {
                filter.hidden_kinds.insert(kind);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, Market, Qualifier, markets::concentration};

    #[test]
    fn a_market_over_100_percent_by_rounding_is_drawn_whole() {
        let market = Market {
            id: "m".into(),
            name: "M".into(),
            name_zh: None,
            description: None,
            description_zh: None,
        };
        let share = |i: usize, low: f64| Figure {
            id: format!("f{i}"),
            subject: format!("n{i}"),
            holders: Vec::new(),
            market: Some("m".into()),
            case: None,
            metric: "share".into(),
            metric_zh: None,
            low: Some(low),
            high: Some(low),
            unit: Some("%".into()),
            qualifier: Qualifier::Approx,
            value: None,
            scope: None,
            as_of: None,
            source: "s".into(),
            quote: None,
            locator: None,
            note: None,
        };
        let mut figures: Vec<Figure> = (0..14).map(|i| share(i, 6.7)).collect();
        figures.push(share(14, 6.5));
        let map = Map {
            markets: vec![market],
            figures,
            ..Map::default()
        };
        let c = concentration(&map, &map.markets[0]);
        assert!((bar_extent(&c.shares) - 100.3).abs() < 1e-9);
    }
}
