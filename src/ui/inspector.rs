//! The inspector: everything the map says about the selected node — description, tier and
//! segments, links in and out, the theses about it, its figures (ranges drawn as bars with
//! whiskers, open ends shown as arrows), and its case study. With nothing selected, the
//! map's front page (see [`super::front_page`]).

use super::index::MapIndex;
use super::words::{direction_label, node_label, stance_text};
use super::{Action, LitTrace, ViewState};
use crate::model::Named;
use crate::model::markets::{concentrations_holding, subject_shares};
use crate::model::trace::{Direction, Reach};
use crate::model::{EntityKind, Figure, Lang, Map, Msg, Node, Worded, localized, url_problem};
use crate::render::theme;
use egui::{RichText, Sense, Stroke, Vec2};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::sync::Arc;

fn text<'a>(en: &'a str, zh: Option<&'a str>, state: &ViewState) -> &'a str {
    localized(en, zh, state.lang)
}

/// What the inspector lists of one node, as positions in the map's lists: found once per
/// map revision and selection, since scanning every link, thesis and figure of a
/// 20,000-node map each frame costs more than the frame.
#[derive(Debug, Default)]
struct NodeFacts {
    revision: u64,
    node: usize,
    /// (link, the node at its other end), in the map's order of links.
    links_in: Vec<(usize, usize)>,
    links_out: Vec<(usize, usize)>,
    /// See [`segment_links`]: each link with its ends.
    segment_links: Vec<(usize, LinkEnd, LinkEnd)>,
    theses: Vec<usize>,
    figures: Vec<usize>,
    /// The node's shares: (market, the share's figure, its rank, of how many shares).
    shares: Vec<(usize, usize, usize, usize)>,
    /// See [`segment_markets`].
    segment_markets: Vec<usize>,
}

impl NodeFacts {
    fn of(map: &Map, index: &MapIndex, node: usize) -> NodeFacts {
        let Some(n) = map.nodes.get(node) else {
            return NodeFacts::default();
        };
        let linked = |direction| {
            let mut links: Vec<(usize, usize)> = index
                .graph
                .edges_directed(NodeIndex::new(node), direction)
                .map(|edge| {
                    let other = match direction {
                        petgraph::Direction::Incoming => edge.source(),
                        petgraph::Direction::Outgoing => edge.target(),
                    };
                    (*edge.weight(), other.index())
                })
                .collect();
            links.sort_unstable();
            links
        };
        let markets = concentrations_holding(map, &n.id);
        let market_at = crate::model::index_by_id(&map.markets, |m| &m.id);
        NodeFacts {
            revision: index.revision,
            node,
            links_in: linked(petgraph::Direction::Incoming),
            links_out: linked(petgraph::Direction::Outgoing),
            segment_links: with_ends(map, segment_links(map, node)),
            theses: (0..map.theses.len())
                .filter(|&t| map.theses[t].about.contains(&n.id))
                .collect(),
            figures: (0..map.figures.len())
                .filter(|&f| map.figures[f].subject == n.id)
                .collect(),
            shares: subject_shares(&markets, &n.id)
                .iter()
                .filter_map(|ranked| {
                    let market = *market_at.get(ranked.market.id.as_str())?;
                    let figure = map
                        .figures
                        .iter()
                        .position(|f| std::ptr::eq(f, ranked.share.figure))?;
                    Some((market, figure, ranked.rank, ranked.of))
                })
                .collect(),
            segment_markets: segment_markets(map, n),
        }
    }
}

/// The inspector of the selected node, or with nothing selected, the map's front page.
pub fn inspector_ui(
    ui: &mut egui::Ui,
    map: &Map,
    front_page: &super::front_page::FrontPage,
    index: &MapIndex,
    state: &ViewState,
    actions: &mut Vec<Action>,
) {
    let Some((node_index, node)) = state.selected.and_then(|i| Some((i, map.nodes.get(i)?))) else {
        super::front_page::front_page_ui(ui, map, front_page, state, actions);
        return;
    };
    let facts_id = ui.scope_id().with("inspector-node-facts");
    let kept: Option<Arc<NodeFacts>> = ui.data(|d| d.get_temp(facts_id));
    let facts = match kept {
        Some(facts) if facts.revision == index.revision && facts.node == node_index => facts,
        _ => {
            let facts = Arc::new(NodeFacts::of(map, index, node_index));
            ui.data_mut(|d| d.insert_temp(facts_id, Arc::clone(&facts)));
            facts
        }
    };
    let view = NodeView {
        map,
        node,
        facts: &facts,
        state,
    };
    view.header_ui(ui, actions);
    trace_ui(ui, map, state, actions);
    ui.separator();
    view.links_ui(ui, actions);
    view.segment_links_ui(ui, actions);
    view.theses_ui(ui, actions);
    view.figures_ui(ui, actions);
    view.shares_ui(ui, actions);
    view.segment_markets_ui(ui, actions);
    for case_study in map.case_studies.iter().filter(|c| c.subject == node.id) {
        ui.separator();
        case_study_ui(ui, case_study, state);
    }
}

/// What every part of a node's inspector reads: the map, the node and what was found
/// about it, and the view.
#[derive(Clone, Copy)]
struct NodeView<'a> {
    map: &'a Map,
    node: &'a Node,
    facts: &'a NodeFacts,
    state: &'a ViewState,
}

/// The entries of `list` at `positions` (those it has).
fn at<'a, T>(list: &'a [T], positions: &[usize]) -> Vec<&'a T> {
    positions.iter().filter_map(|&i| list.get(i)).collect()
}

impl NodeView<'_> {
    /// The node's name, kind and tier, its segments, description, link and tags, and the
    /// buttons that act on it.
    fn header_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let NodeView {
            map, node, state, ..
        } = *self;
        ui.heading(node.name_in(state.lang));
        if state.lang == Lang::En
            && let Some(zh) = &node.name_zh
        {
            ui.label(RichText::new(zh).weak());
        }
        let tier = map
            .tiers
            .iter()
            .find(|t| t.id == node.tier)
            .map_or(node.tier.as_str(), |t| t.name_in(state.lang));
        ui.label(format!("{} · {}", node.kind.label_in(state.lang), tier));
        if state.editing {
            ui.horizontal_wrapped(|ui| {
                if ui.button(Msg::EditNode.in_lang(state.lang)).clicked() {
                    actions.push(Action::EditEntity(EntityKind::Node, node.id.clone()));
                }
                for (kind, label) in [
                    (EntityKind::Thesis, Msg::AddThesisHere),
                    (EntityKind::Figure, Msg::AddFigureHere),
                    (EntityKind::Link, Msg::AddLinkHere),
                ] {
                    if ui.button(label.in_lang(state.lang)).clicked() {
                        actions.push(Action::NewEntity(kind));
                    }
                }
            });
        }
        for segment_id in &node.segments {
            if let Some(segment) = map.segments.iter().find(|s| &s.id == segment_id) {
                let name = segment.name_in(state.lang);
                ui.label(RichText::new(name).small());
            }
        }
        if let Some(description) = &node.description {
            ui.add_space(4.0);
            ui.label(text(description, node.description_zh.as_deref(), state));
        }
        if let Some(url) = &node.url
            && url_problem(url).is_none()
        {
            // Opens only on an explicit click, and only http and https (checked by the
            // loader).
            ui.hyperlink_to(url, url);
        }
        if !node.tags.is_empty() {
            ui.label(RichText::new(node.tags.join(" · ")).small().weak());
        }
        let trace_label = Msg::TraceTheValueChain.in_lang(state.lang);
        let tracing = state.trace.is_some();
        if ui.selectable_label(tracing, trace_label).clicked() {
            actions.push(Action::Trace(!tracing));
        }
    }

    /// The theses about the node, with stance and conviction.
    fn theses_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let state = self.state;
        let theses = at(&self.map.theses, &self.facts.theses);
        let heading = Msg::ThesesHeading.in_lang(state.lang);
        super::part_ui(ui, !theses.is_empty(), heading, |ui| {
            for thesis in theses {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(theme::stance_color(thesis.stance), "●");
                    let title = text(&thesis.title, thesis.title_zh.as_deref(), state);
                    ui.label(RichText::new(title).strong());
                    ui.label(stance_text(thesis, state));
                    super::edit_button(ui, state, actions, EntityKind::Thesis, &thesis.id);
                });
                let claim = text(&thesis.claim, thesis.claim_zh.as_deref(), state);
                ui.label(RichText::new(claim).small());
            }
        });
    }

    /// The figures whose subject is the node.
    fn figures_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let NodeView { map, state, .. } = *self;
        let figures = at(&map.figures, &self.facts.figures);
        let heading = Msg::Figures.in_lang(state.lang);
        super::part_ui(ui, !figures.is_empty(), heading, |ui| {
            for figure in figures {
                figure_ui(ui, map, figure, state);
                // A share: its market one click away on the map.
                if let Some(market) = figure
                    .market
                    .as_deref()
                    .and_then(|id| map.markets.iter().find(|m| m.id == id))
                {
                    let name = market.name_in(state.lang);
                    let line = Msg::market_named(state.lang, name);
                    self.market_lens_button(ui, actions, &market.id, line);
                }
                super::edit_button(ui, state, actions, EntityKind::Figure, &figure.id);
            }
        });
    }

    /// The node's share of every market it has one in, with its rank there ("#2 of 5": by
    /// the midpoint of each share's range, as the markets panel orders them).
    fn shares_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let NodeView {
            map, facts, state, ..
        } = *self;
        let heading = Msg::MarketShares.in_lang(state.lang);
        super::part_ui(ui, !facts.shares.is_empty(), heading, |ui| {
            for &(market, figure, rank, of) in &facts.shares {
                let (Some(market), Some(figure)) =
                    (map.markets.get(market), map.figures.get(figure))
                else {
                    continue;
                };
                let name = market.name_in(state.lang);
                let rank = Msg::rank_among_holders(state.lang, rank, of);
                let value = figure.display_value();
                let holders = figure.share_holders().len();
                // A joint share is the holders' together: never this node's own.
                let line = if holders > 1 {
                    Msg::share_held_jointly(state.lang, name, value, holders, rank)
                } else {
                    format!("{name}: {value} · {rank}")
                };
                self.market_lens_button(ui, actions, &market.id, line);
            }
        });
    }

    /// A line naming a market that lays it over the map when clicked (and takes it off
    /// when it is the market shown).
    fn market_lens_button(
        &self,
        ui: &mut egui::Ui,
        actions: &mut Vec<Action>,
        market_id: &str,
        line: String,
    ) {
        let shown = self
            .state
            .market
            .as_ref()
            .is_some_and(|lens| lens.market_id == market_id);
        let button = ui
            .selectable_label(shown, line)
            .on_hover_text(Msg::ShowMarketOnMap.in_lang(self.state.lang));
        if button.clicked() {
            let index = self.map.markets.iter().position(|m| m.id == market_id);
            actions.push(Action::Market(if shown { None } else { index }));
        }
    }

    /// "Markets in SEGMENT": the markets of [`segment_markets`], each a button laying it
    /// over the map.
    fn segment_markets_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let NodeView {
            map, node, state, ..
        } = *self;
        let Some(segment) = node.segments.first() else {
            return;
        };
        let name = map
            .segments
            .iter()
            .find(|s| &s.id == segment)
            .map_or(segment.as_str(), |s| s.name_in(state.lang));
        let markets = &self.facts.segment_markets;
        let heading = Msg::markets_in(state.lang, name);
        super::part_ui(ui, !markets.is_empty(), heading, |ui| {
            for market in at(&map.markets, markets) {
                let line = market.name_in(state.lang).to_owned();
                self.market_lens_button(ui, actions, &market.id, line);
            }
        });
    }

    /// The links of [`segment_links`], with the other end's name.
    fn segment_links_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let NodeView { map, state, .. } = *self;
        let name_of = |end: LinkEnd, id: &str| match end {
            LinkEnd::Segment(s) => map
                .segments
                .get(s)
                .map_or_else(|| id.to_owned(), |s| s.name_in(state.lang).to_owned()),
            LinkEnd::Node(n) => node_label(map, n, state).to_owned(),
            LinkEnd::Unknown => id.to_owned(),
        };
        let links: Vec<_> = self
            .facts
            .segment_links
            .iter()
            .filter_map(|&(l, from, to)| Some((map.links.get(l)?, from, to)))
            .collect();
        if links.is_empty() {
            return;
        }
        ui.strong(Msg::ThroughItsSegment.in_lang(state.lang));
        for (link, from, to) in links {
            ui.horizontal_wrapped(|ui| {
                ui.label(name_of(from, &link.from));
                ui.colored_label(theme::link_color(link.kind), link.kind.label_in(state.lang));
                ui.label(name_of(to, &link.to));
                super::edit_button(ui, state, actions, EntityKind::Link, &link.id);
            });
        }
    }

    /// The links into the node and out of it, each with the node at its other end (a
    /// click walks there).
    fn links_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let NodeView {
            map, facts, state, ..
        } = *self;
        for (heading, ends) in [
            (Msg::LinksFrom.in_lang(state.lang), &facts.links_in),
            (Msg::LinksTo.in_lang(state.lang), &facts.links_out),
        ] {
            // (link, the node at its other end), found once per selection.
            let links: Vec<_> = ends
                .iter()
                .filter_map(|&(link, other)| Some((map.links.get(link)?, other)))
                .collect();
            if links.is_empty() {
                continue;
            }
            ui.strong(heading);
            for (link, other_index) in links {
                ui.horizontal_wrapped(|ui| {
                    let kind = link.kind.label_in(state.lang);
                    ui.colored_label(theme::link_color(link.kind), kind);
                    let name = node_label(map, other_index, state);
                    if ui.link(name).clicked() {
                        actions.push(Action::Reveal(other_index));
                    }
                    super::edit_button(ui, state, actions, EntityKind::Link, &link.id);
                });
                if let Some(label_text) = &link.label {
                    ui.label(
                        RichText::new(text(label_text, link.label_zh.as_deref(), state))
                            .small()
                            .weak(),
                    );
                }
            }
        }
    }
}

/// What the trace reached, upstream then downstream, tier by tier from the top of the map,
/// each with its path; a node's line walks there.
fn trace_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, actions: &mut Vec<Action>) {
    let Some(LitTrace { trace, .. }) = &state.trace else {
        return;
    };
    for direction in Direction::BOTH {
        let walk = trace.walk(direction);
        ui.add_space(4.0);
        let heading = format!(
            "{} · {}",
            direction_label(direction, state.lang),
            walk.len()
        );
        ui.strong(heading);
        if walk.is_empty() {
            ui.label(
                RichText::new(Msg::Nothing.in_lang(state.lang))
                    .small()
                    .weak(),
            );
            continue;
        }
        for (tier_index, here) in trace.by_tier(map, direction) {
            let Some(tier) = map.tiers.get(tier_index) else {
                continue;
            };
            ui.label(RichText::new(tier.name_in(state.lang)).small());
            for at in here {
                let Some(reached) = walk.get(at) else {
                    continue;
                };
                let path = trace.path_text(map, direction, at, state.lang);
                // A segment is reached as a whole (through a segment's own link).
                let line = match reached.item {
                    Reach::Segment(_) => {
                        RichText::new(format!("{path} ({})", Msg::SegmentNoun.in_lang(state.lang)))
                            .small()
                            .italics()
                    }
                    Reach::Node(_) => RichText::new(path).small(),
                };
                let row = ui.selectable_label(false, line);
                if let Reach::Node(node) = reached.item
                    && row.clicked()
                {
                    actions.push(Action::Reveal(node));
                }
            }
        }
    }
}

/// The markets whose shares are held in the node's segment (by the segment itself or by
/// a node in it) that the node holds none of: the way to a market from a segment.
fn segment_markets(map: &Map, node: &Node) -> Vec<usize> {
    let Some(segment) = node.segments.first() else {
        return Vec::new();
    };
    let mut held_here: Vec<&str> = Vec::new();
    let mut own: Vec<&str> = Vec::new();
    let neighbours: rustc_hash::FxHashSet<&str> = map
        .nodes
        .iter()
        .filter(|n| n.segments.first() == Some(segment))
        .map(|n| n.id.as_str())
        .collect();
    for figure in &map.figures {
        let Some(market) = figure.market.as_deref() else {
            continue;
        };
        let holders = figure.share_holders();
        if holders.contains(&node.id) {
            own.push(market);
        } else if holders
            .iter()
            .any(|h| h == segment || neighbours.contains(h.as_str()))
            && !held_here.contains(&market)
        {
            held_here.push(market);
        }
    }
    held_here.retain(|m| !own.contains(m));
    (0..map.markets.len())
        .filter(|&m| held_here.contains(&map.markets[m].id.as_str()))
        .collect()
}

/// A case study, folded: its people, its history and what comes next.
fn case_study_ui(ui: &mut egui::Ui, case_study: &crate::model::CaseStudy, state: &ViewState) {
    ui.collapsing(
        text(&case_study.title, case_study.title_zh.as_deref(), state),
        |ui| {
            if let Some(summary) = &case_study.summary {
                ui.label(text(summary, case_study.summary_zh.as_deref(), state));
            }
            ui.strong(Msg::People.in_lang(state.lang));
            for person in &case_study.people {
                let role = person
                    .role
                    .as_deref()
                    .map(|r| text(r, person.role_zh.as_deref(), state))
                    .unwrap_or_default();
                ui.label(format!("{} — {role}", person.name));
            }
            ui.strong(Msg::History.in_lang(state.lang));
            for phase in &case_study.phases {
                ui.label(format!(
                    "{}: {}",
                    phase.period,
                    text(&phase.title, phase.title_zh.as_deref(), state)
                ));
            }
            ui.strong(Msg::WhatComesNext.in_lang(state.lang));
            for step in &case_study.outlook {
                ui.label(format!(
                    "• {}",
                    text(&step.title, step.title_zh.as_deref(), state)
                ));
            }
        },
    );
}

/// The links that name one of the node's segments or one they nest in (a relation the
/// source states for a whole level of the chain).
fn segment_links(map: &Map, node: usize) -> Vec<usize> {
    // The segments the node is in, with the segments they nest in: a link end naming one
    // of them reaches the node. Asked once per link, so a set.
    let mut containing: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut next: Vec<&str> = map
        .nodes
        .get(node)
        .map(|n| n.segments.iter().map(String::as_str).collect())
        .unwrap_or_default();
    while let Some(segment) = next.pop() {
        if containing.insert(segment)
            && let Some(parent) = map
                .segments
                .iter()
                .find(|s| s.id == segment)
                .and_then(|s| s.parent.as_deref())
        {
            next.push(parent);
        }
    }
    let holds = |end: &str| containing.contains(end);
    (0..map.links.len())
        .filter(|&l| holds(&map.links[l].from) || holds(&map.links[l].to))
        .collect()
}

/// What a segment link's end names, found once per selection: a segment (the map's first
/// of that id, as the checker keeps), else a node, else an id the map does not have.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LinkEnd {
    Segment(usize),
    Node(usize),
    Unknown,
}

/// `links` (positions in the map's links) with what each end names: one pass over the
/// map's nodes and segments, instead of a search for each end in every frame.
fn with_ends(map: &Map, links: Vec<usize>) -> Vec<(usize, LinkEnd, LinkEnd)> {
    let ends = |l: usize| map.links.get(l).map(|l| (l.from.as_str(), l.to.as_str()));
    let mut named: rustc_hash::FxHashMap<&str, LinkEnd> = links
        .iter()
        .filter_map(|&l| ends(l))
        .flat_map(|(from, to)| [(from, LinkEnd::Unknown), (to, LinkEnd::Unknown)])
        .collect();
    for (i, node) in map.nodes.iter().enumerate() {
        if let Some(end @ LinkEnd::Unknown) = named.get_mut(node.id.as_str()) {
            *end = LinkEnd::Node(i);
        }
    }
    for (i, segment) in map.segments.iter().enumerate().rev() {
        if let Some(end) = named.get_mut(segment.id.as_str()) {
            *end = LinkEnd::Segment(i);
        }
    }
    links
        .into_iter()
        .filter_map(|l| {
            let (from, to) = ends(l)?;
            let end = |id: &str| named.get(id).copied().unwrap_or(LinkEnd::Unknown);
            Some((l, end(from), end(to)))
        })
        .collect()
}

/// One figure: its metric and value, a bar over its range with whiskers at known ends and
/// arrows at open ends, and its source quote.
fn figure_ui(ui: &mut egui::Ui, map: &Map, figure: &Figure, state: &ViewState) {
    ui.label(RichText::new(format!(
        "{}: {} ({})",
        text(&figure.metric, figure.metric_zh.as_deref(), state),
        figure.display_value(),
        figure.qualifier.label_in(state.lang)
    )));
    if figure.is_percentage() && (figure.low.is_some() || figure.high.is_some()) {
        range_bar_ui(ui, figure.low, figure.high, state);
    }
    let mut source = map
        .sources
        .iter()
        .find(|s| s.id == figure.source)
        .map_or(figure.source.clone(), |s| {
            text(&s.title, s.title_zh.as_deref(), state).to_owned()
        });
    if let Some(as_of) = &figure.as_of {
        source = format!("{source}, {as_of}");
    }
    if let Some(quote) = &figure.quote {
        ui.label(RichText::new(format!("「{quote}」")).small().italics());
    }
    ui.label(RichText::new(source).small().weak());
}

fn range_bar_ui(ui: &mut egui::Ui, low: Option<f64>, high: Option<f64>, state: &ViewState) {
    let width = ui.available_width().min(240.0);
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 14.0), Sense::hover());
    let palette = theme::palette(state.dark);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, palette.segment_fill[0]);
    let x = |percent: f64| rect.left() + rect.width() * (percent.clamp(0.0, 100.0) / 100.0) as f32;
    let (from, to) = (x(low.unwrap_or(0.0)), x(high.unwrap_or(100.0)));
    let bar = egui::Rect::from_x_y_ranges(
        from..=to.max(from + 2.0),
        rect.top() + 3.0..=rect.bottom() - 3.0,
    );
    let color = palette.highlight;
    painter.rect_filled(bar, 1.0, color.gamma_multiply(0.6));
    let whisker = Stroke::new(2.0, color);
    for (value, open_side) in [(low, -1.0f32), (high, 1.0)] {
        match value {
            Some(v) => {
                painter.line_segment(
                    [
                        egui::pos2(x(v), rect.top()),
                        egui::pos2(x(v), rect.bottom()),
                    ],
                    whisker,
                );
            }
            None => {
                // An open end: an arrow at the bar's far side.
                let tip = if open_side > 0.0 { to } else { from };
                let c = rect.center().y;
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        egui::pos2(tip, c - 5.0),
                        egui::pos2(tip + 6.0 * open_side, c),
                        egui::pos2(tip, c + 5.0),
                    ],
                    color,
                    Stroke::NONE,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkKind, Node, NodeKind, Segment};

    /// A segment link's ends are found once: a segment before a node of the same id, the
    /// first of two segments alike, and an id the map lacks left as it is.
    #[test]
    fn a_segment_link_s_ends_name_segments_then_nodes() {
        let map = Map {
            segments: vec![
                Segment::new("chips", "hw", "Chips"),
                Segment::new("clouds", "cloud", "Clouds"),
                Segment::new("chips", "hw", "Chips again"),
            ],
            nodes: vec![
                Node::new("chipco", "ChipCo", NodeKind::Company, "hw"),
                Node::new(
                    "clouds",
                    "A node named like a segment",
                    NodeKind::Company,
                    "cloud",
                ),
            ],
            links: vec![
                Link::new("a", "chips", "clouds", LinkKind::Supplies),
                Link::new("b", "chipco", "nowhere", LinkKind::Supplies),
                Link::new("c", "chips", "chipco", LinkKind::Supplies),
            ],
            ..Map::default()
        };
        assert_eq!(
            with_ends(&map, vec![0, 1, 9]),
            [
                (0, LinkEnd::Segment(0), LinkEnd::Segment(1)),
                (1, LinkEnd::Node(0), LinkEnd::Unknown),
            ]
        );
    }
}
