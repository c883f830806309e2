//! The side panels besides the outline: theses (choosing one lights its subjects, a thesis
//! lens), markets (each market's shares stacked with the unclaimed rest, and its
//! concentration), and filters (tier, segment, tag, link kinds).

use super::{Action, Filter, ViewState, theme};
use crate::model::markets::concentration;
use crate::model::{EntityKind, Lang, LinkKind, Map, NodeClass, format_rounded_range, localized};
use egui::{RichText, Sense, Stroke, Vec2};

fn label(state: &ViewState, en: &'static str, zh: &'static str) -> &'static str {
    match state.lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The theses with stance, conviction and status; clicking one turns its lens on or off.
pub fn theses_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, actions: &mut Vec<Action>) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if state.editing
                && ui
                    .button(label(state, "+ New thesis", "+ 新判断"))
                    .clicked()
            {
                actions.push(Action::NewEntity(EntityKind::Thesis));
            }
            for (i, thesis) in map.theses.iter().enumerate() {
                let chosen = state.lens == Some(i);
                let title = localized(&thesis.title, thesis.title_zh.as_deref(), state.lang);
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(theme::stance_color(thesis.stance), "●");
                    if ui.selectable_label(chosen, title).clicked() {
                        actions.push(Action::Lens(if chosen { None } else { Some(i) }));
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

/// Each market: its shares as a stacked bar (the certain part solid, the range lighter, an
/// open end marked), the unclaimed rest, and its concentration as ranges.
pub fn markets_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState) {
    let palette = theme::palette(state.dark);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if map.markets.is_empty() {
                ui.label(label(
                    state,
                    "This map defines no markets",
                    "这张地图没有定义市场",
                ));
            }
            for market in &map.markets {
                let c = concentration(map, market);
                ui.strong(localized(
                    &market.name,
                    market.name_zh.as_deref(),
                    state.lang,
                ));
                let width = ui.available_width().min(280.0);
                let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 16.0), Sense::hover());
                let painter = ui.painter_at(rect);
                painter.rect_filled(rect, 2.0, palette.segment_fill[0]);
                // Shares published rounded may add up to a little over 100%: the bar is
                // scaled to hold them all, as published, with the whole marked.
                let full = bar_extent(&c.shares).max(100.0);
                let x = |percent: f64| {
                    rect.left() + rect.width() * (percent.clamp(0.0, full) / full) as f32
                };
                let mut at = 0.0;
                for (k, share) in c.shares.iter().enumerate() {
                    let colour = theme::share_color(k);
                    let solid =
                        egui::Rect::from_x_y_ranges(x(at)..=x(at + share.low), rect.y_range());
                    painter.rect_filled(solid, 0.0, colour);
                    let range = egui::Rect::from_x_y_ranges(
                        x(at + share.low)..=x(at + share.high),
                        rect.y_range(),
                    );
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
                let claimed: f64 = c.shares.iter().map(|s| s.low).sum();
                if claimed > 100.0 + 1e-9 {
                    // Shares as published, each rounded: the whole is marked on the bar.
                    ui.label(
                        RichText::new(format!(
                            "{} {}%",
                            label(state, "shares as published add up to", "按原文的份额合计"),
                            crate::model::format_number((claimed * 100.0).round() / 100.0)
                        ))
                        .small(),
                    );
                }
                for (k, share) in c.shares.iter().enumerate() {
                    let subject = map
                        .nodes
                        .iter()
                        .find(|n| n.id == share.figure.subject)
                        .map(|n| localized(&n.name, n.name_zh.as_deref(), state.lang))
                        .or_else(|| {
                            map.segments
                                .iter()
                                .find(|s| s.id == share.figure.subject)
                                .map(|s| localized(&s.name, s.name_zh.as_deref(), state.lang))
                        })
                        .unwrap_or(&share.figure.subject);
                    ui.horizontal(|ui| {
                        ui.colored_label(theme::share_color(k), "■");
                        ui.label(format!("{subject}: {}", share.figure.display_value()));
                    });
                }
                let range = |(low, high): (f64, f64)| format_rounded_range(low, high);
                ui.label(
                    RichText::new(format!(
                        "{} {}% · {} {}% · HHI {}",
                        label(state, "unclaimed", "未覆盖"),
                        range(c.unclaimed),
                        label(state, "top-1", "第一名"),
                        range(c.top1),
                        range(c.hhi)
                    ))
                    .small(),
                );
                ui.add_space(8.0);
            }
        });
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

/// Filters: nodes of one tier, one segment, one tag, of chosen families; links of chosen kinds.
pub fn filters_ui(ui: &mut egui::Ui, map: &Map, state: &ViewState, actions: &mut Vec<Action>) {
    let mut filter: Filter = state.filter.clone();
    let any = label(state, "any", "全部");
    let tier_name = |i: usize| {
        map.tiers
            .get(i)
            .map_or("", |t| localized(&t.name, t.name_zh.as_deref(), state.lang))
    };
    egui::ComboBox::from_label(label(state, "Tier", "层级"))
        .selected_text(filter.tier.map_or(any, tier_name))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut filter.tier, None, any);
            for i in 0..map.tiers.len() {
                ui.selectable_value(&mut filter.tier, Some(i), tier_name(i));
            }
        });
    // A segment of another tier would keep nothing lit.
    let segment_tier = |s: usize| map.segments.get(s).map(|s| s.tier.as_str());
    let chosen_tier = filter
        .tier
        .and_then(|t| map.tiers.get(t))
        .map(|t| t.id.as_str());
    if chosen_tier.is_some() && filter.segment.and_then(segment_tier) != chosen_tier {
        filter.segment = None;
    }
    let segment_name = |i: usize| {
        map.segments
            .get(i)
            .map_or("", |s| localized(&s.name, s.name_zh.as_deref(), state.lang))
    };
    egui::ComboBox::from_label(label(state, "Segment", "细分"))
        .selected_text(filter.segment.map_or(any, segment_name))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut filter.segment, None, any);
            for (i, segment) in map.segments.iter().enumerate() {
                let in_tier = filter
                    .tier
                    .is_none_or(|t| map.tiers.get(t).is_some_and(|t| t.id == segment.tier));
                if in_tier {
                    ui.selectable_value(&mut filter.segment, Some(i), segment_name(i));
                }
            }
        });
    let mut tags: Vec<&str> = map
        .nodes
        .iter()
        .flat_map(|n| n.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    egui::ComboBox::from_label(label(state, "Tag", "标签"))
        .selected_text(filter.tag.as_deref().unwrap_or(any))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut filter.tag, None, any);
            for tag in tags {
                ui.selectable_value(&mut filter.tag, Some(tag.to_owned()), tag);
            }
        });
    ui.separator();
    ui.label(label(state, "Nodes shown", "显示的节点"));
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
    ui.separator();
    ui.label(label(state, "Links shown", "显示的关系"));
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
    if ui
        .button(label(state, "Clear filters", "清除筛选"))
        .clicked()
    {
        filter = Filter::default();
    }
    if filter != state.filter {
        actions.push(Action::SetFilter(filter));
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
            market: Some("m".into()),
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
