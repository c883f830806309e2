//! The market lens on the map: each participant's share drawn where it sits (a bar along
//! the bottom of its card or box, in the markets panel's encoding, and its value in a
//! pill), the market's concentration on the boxes it covers, and the lens's card over the
//! map with the theses that rest on the market's figures. In edit mode a share's bar has
//! handles at its ends; dragging one sets the figure's `low` or `high`.
//!
//! Sizes are in map units at zoom 1, the same as pictures draw them, with a floor in
//! pixels so that the marks stay readable at Fit.

use super::{Action, ViewState};
use crate::model::Named;
use crate::model::market_lens::{LensShare, MarketLens};
use crate::model::{Map, Msg, localized};
use crate::render::theme::{self, Palette};
use egui::{Color32, FontId, Pos2, Rect, RichText, Stroke, Vec2};

pub use crate::render::share_geometry::{BAR_HEIGHT, BAR_INSET, BAR_LIFT, PILL_TEXT};
/// How near (pixels) a press must be to a bar's end to grab it.
const HANDLE_REACH: f32 = 6.0;

/// Which end of a share's range a drag sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Low,
    High,
}

impl End {
    /// The figure's field this end is.
    pub fn field(self) -> &'static str {
        match self {
            End::Low => "low",
            End::High => "high",
        }
    }
}

/// A share's end being dragged: the figure, the end, the value it had and the value under
/// the pointer (in percent, rounded to `step`). `done` once the pointer is released.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareDrag {
    pub figure: String,
    pub end: End,
    pub from: f64,
    pub value: f64,
    pub step: f64,
    /// The figure's ends as written (0 and 100 where open): one end never passes the
    /// other. The drawn range may be narrower, its high capped by what the others leave.
    pub bounds: (f64, f64),
    /// A point value (both ends at one place): the first move chooses the end, the high
    /// to the right, the low to the left.
    pub point: bool,
    pub done: bool,
}

impl ShareDrag {
    /// Follows the pointer to `value` (already at the figure's precision).
    pub fn follow(&mut self, value: f64) {
        if self.point && value != self.from {
            self.end = if value > self.from {
                End::High
            } else {
                End::Low
            };
        }
        self.value = match self.end {
            End::Low => value.min(self.bounds.1),
            End::High => value.max(self.bounds.0),
        };
    }
}

/// A button drawn on a card of the lens, in edit mode.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareButton {
    /// Add a share of the market held by this node.
    Add(usize),
    /// Delete this figure (a share).
    Delete(String),
}

/// Where a share's bar lies in its holder's box on screen.
pub fn bar_rect(holder: Rect, zoom: f32) -> Rect {
    // Between a thin line at overview and a slim bar close up: zoomed in, the card grows,
    // not the bar.
    let height = (BAR_HEIGHT * zoom).clamp(3.0, 7.0);
    let inset = (BAR_INSET * zoom).clamp(2.0, 6.0);
    let bottom = holder.bottom() - (BAR_LIFT * zoom).clamp(1.0, 3.0);
    Rect::from_min_max(
        Pos2::new(holder.left() + inset, bottom - height),
        Pos2::new(
            (holder.right() - inset).max(holder.left() + inset + 1.0),
            bottom,
        ),
    )
}

/// Where `percent` falls on a bar.
pub fn percent_x(bar: Rect, percent: f64) -> f32 {
    bar.left() + bar.width() * (percent.clamp(0.0, 100.0) / 100.0) as f32
}

/// The percent a point's x stands for on a bar, rounded to `step`.
pub fn percent_at(bar: Rect, x: f32, step: f64) -> f64 {
    let raw = f64::from((x - bar.left()) / bar.width().max(1.0)) * 100.0;
    // Divided rather than multiplied by the step, so that 47.9 comes out as written.
    let per_unit = (1.0 / step).round().max(1.0);
    (raw.clamp(0.0, 100.0) * per_unit).round() / per_unit
}

/// The finest step a figure's numbers are written in: whole percents, or tenths when the
/// figure gives a decimal (a share published as 47.9% is moved by tenths).
pub fn step_of(low: Option<f64>, high: Option<f64>) -> f64 {
    let decimal = [low, high]
        .into_iter()
        .flatten()
        .any(|v| (v * 10.0).round() != (v.round() * 10.0));
    if decimal { 0.1 } else { 1.0 }
}

/// The end of the share's bar a press at `at` grabs, if any.
pub fn handle_at(bar: Rect, share: &LensShare, at: Pos2) -> Option<End> {
    if !bar
        .expand2(Vec2::new(HANDLE_REACH, HANDLE_REACH))
        .contains(at)
    {
        return None;
    }
    let low = (percent_x(bar, share.low) - at.x).abs();
    let high = (percent_x(bar, share.high) - at.x).abs();
    // The nearer end; on a point range, the side the press is on.
    let end = if (low - high).abs() < 0.5 {
        if at.x < percent_x(bar, share.low) {
            End::Low
        } else {
            End::High
        }
    } else if low < high {
        End::Low
    } else {
        End::High
    };
    (low.min(high) <= HANDLE_REACH).then_some(end)
}

/// A share's bar: a track for 0–100%, the certain part solid, the range lighter, an open
/// high marked with an arrowhead; with handles at both ends in edit mode.
pub fn paint_bar(
    painter: &egui::Painter,
    bar: Rect,
    (low, high): (f64, f64),
    open_high: bool,
    colour: Color32,
    handles: bool,
) {
    painter.rect_filled(bar, 1.0, Color32::from_gray(128).gamma_multiply(0.25));
    let x = |p: f64| percent_x(bar, p);
    let solid = Rect::from_x_y_ranges(bar.left()..=x(low), bar.y_range());
    painter.rect_filled(solid, 1.0, colour);
    let range = Rect::from_x_y_ranges(x(low)..=x(high), bar.y_range());
    painter.rect_filled(range, 0.0, colour.gamma_multiply(0.35));
    if open_high {
        let tip = Pos2::new(range.right() + bar.height() * 0.8, bar.center().y);
        painter.add(egui::Shape::convex_polygon(
            vec![tip, range.right_top(), range.right_bottom()],
            colour,
            Stroke::NONE,
        ));
    }
    if handles {
        for at in [x(low), x(high)] {
            let handle = Rect::from_center_size(
                Pos2::new(at, bar.center().y),
                Vec2::new(3.0, bar.height() + 6.0),
            );
            painter.rect(
                handle,
                1.0,
                Color32::WHITE,
                Stroke::new(1.0, colour),
                egui::StrokeKind::Middle,
            );
        }
    }
}

/// A rounded label with `text` on `fill`, its top corner at `corner`: its top-left corner
/// for `Align::Min`, its top-right for `Align::Max`. Returns where it was drawn.
pub fn paint_pill(
    painter: &egui::Painter,
    (corner, side): (Pos2, egui::Align),
    text: String,
    (fill, ink): (Color32, Color32),
    size: f32,
) -> Rect {
    let galley = painter.layout_no_wrap(text, FontId::proportional(size), ink);
    let pad = Vec2::new(size * PILL_PAD, size * 0.15);
    let width = galley.size().x + 2.0 * pad.x;
    let left = match side {
        egui::Align::Max => corner.x - width,
        _ => corner.x,
    };
    let rect = Rect::from_min_size(Pos2::new(left, corner.y), galley.size() + 2.0 * pad);
    painter.rect_filled(rect, size * 0.5, fill);
    painter.galley(rect.min + pad, galley, ink);
    rect
}

/// The size of a pill's text at `zoom`: the picture's size, never under 10 pixels nor
/// over 14.
pub fn pill_text_px(zoom: f32) -> f32 {
    (PILL_TEXT * zoom).clamp(10.0, 14.0)
}

/// The size of a concentration label's text, in pixels.
const HOME_LABEL_PX: f32 = 10.0;
/// Padding each side of a pill's text, as a share of its size.
const PILL_PAD: f32 = 0.4;
/// What a box's title keeps beside the market's header, in pixels: a few letters.
const TITLE_KEPT_PX: f32 = 30.0;

/// What a market shows at the right of a box's title line: the pills of the shares
/// drawn on the box, then, where the market sits, its concentration: whole, or its top-1
/// alone when the whole would leave the title less than a few letters, or none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoxHeader {
    /// From the box's right edge to where the title must end, in pixels (0: no header).
    pub width: f32,
    /// The concentration label shown.
    pub label: Option<String>,
}

impl BoxHeader {
    /// The header of a box `box_width` pixels wide holding `holder`, at `zoom`. Measured
    /// as [`paint_pill`] and [`paint_home_label`] draw, so that the title can be cut
    /// short of it before it is drawn.
    pub fn of(
        painter: &egui::Painter,
        lens: &MarketLens,
        holder: crate::model::market_lens::Holder,
        (lang, zoom): (crate::model::Lang, f32),
        box_width: f32,
    ) -> BoxHeader {
        let size = pill_text_px(zoom);
        let mut width: f32 = lens
            .pills_at(holder)
            .map(|share| {
                let galley = painter.layout_no_wrap(
                    share.label(lang),
                    FontId::proportional(size),
                    Color32::WHITE,
                );
                galley.size().x + 2.0 * PILL_PAD * size + 4.0
            })
            .sum();
        if width > 0.0 {
            width += 3.0;
        }
        let mut label = None;
        if lens.is_home(holder) {
            let room = box_width - TITLE_KEPT_PX - width.max(3.0);
            for text in [lens.concentration_text(lang), lens.top1_text(lang)] {
                let taken = home_label_width(painter, &text) + 4.0;
                if taken <= room {
                    width = width.max(3.0) + taken;
                    label = Some(text);
                    break;
                }
            }
        }
        BoxHeader { width, label }
    }
}

/// The width of a concentration label showing `text`, its plate included.
fn home_label_width(painter: &egui::Painter, text: &str) -> f32 {
    let galley = painter.layout_no_wrap(
        text.to_owned(),
        FontId::proportional(HOME_LABEL_PX),
        Color32::WHITE,
    );
    galley.size().x + 8.0
}

/// A concentration label in a home box's header, its top-right corner at `corner`;
/// returns where it was drawn.
pub fn paint_home_label(
    painter: &egui::Painter,
    corner: Pos2,
    text: String,
    palette: &Palette,
) -> Rect {
    let galley = painter.layout_no_wrap(
        text,
        FontId::proportional(HOME_LABEL_PX),
        palette.segment_title,
    );
    let pad = Vec2::new(4.0, 1.0);
    let rect = Rect::from_min_size(
        Pos2::new(corner.x - galley.size().x - 2.0 * pad.x, corner.y),
        galley.size() + 2.0 * pad,
    );
    painter.rect(
        rect,
        3.0,
        palette.canvas.gamma_multiply(0.9),
        Stroke::new(1.0, palette.segment_stroke),
        egui::StrokeKind::Inside,
    );
    painter.galley(rect.min + pad, galley, palette.segment_title);
    rect
}

/// The lens's card over the map's top-left corner: the market, its concentration and
/// size, how to edit it, and the theses on its figures (each opens to its claim).
pub fn lens_card_ui(
    ui: &mut egui::Ui,
    viewport: Rect,
    map: &Map,
    state: &ViewState,
    actions: &mut Vec<Action>,
) {
    let Some(lens) = &state.market else { return };
    let Some(market) = map.markets.get(lens.market) else {
        return;
    };
    let lang = state.lang;
    egui::Area::new(egui::Id::unique("market-lens-card"))
        .fixed_pos(viewport.left_top() + Vec2::new(8.0, 8.0))
        .constrain_to(viewport)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(300.0);
                ui.horizontal(|ui| {
                    ui.label(RichText::new(market.name_in(lang)).strong());
                    let close = ui
                        .small_button("×")
                        .on_hover_text(Msg::CloseMarketLens.in_lang(lang));
                    close.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            Msg::CloseMarketLens.in_lang(lang),
                        )
                    });
                    if close.clicked() {
                        actions.push(Action::Market(None));
                    }
                });
                ui.label(
                    RichText::new(format!(
                        "{} · {}",
                        lens.concentration_text(lang),
                        lens.unclaimed_text(lang)
                    ))
                    .small(),
                );
                if let Some(size) = &lens.size {
                    let metric = localized(&size.metric, size.metric_zh.as_deref(), lang);
                    ui.label(RichText::new(format!("{metric}: {}", size.display_value())).small());
                }
                if state.editing {
                    ui.label(
                        RichText::new(Msg::ShareLensEditHint.in_lang(lang))
                            .small()
                            .weak(),
                    );
                }
                lens_theses_ui(ui, map, lens, state);
            });
        });
}

/// The theses on the market's figures, each folded to its title.
fn lens_theses_ui(ui: &mut egui::Ui, map: &Map, lens: &MarketLens, state: &ViewState) {
    if lens.theses.is_empty() {
        return;
    }
    ui.label(
        RichText::new(format!(
            "{} ({})",
            Msg::ThesesHeading.in_lang(state.lang),
            lens.theses.len()
        ))
        .small()
        .strong(),
    );
    for &t in &lens.theses {
        let Some(thesis) = map.theses.get(t) else {
            continue;
        };
        let title = localized(&thesis.title, thesis.title_zh.as_deref(), state.lang);
        egui::CollapsingHeader::new(RichText::new(title).small())
            .id_salt(("lens-thesis", t))
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(theme::stance_color(thesis.stance), "●");
                    ui.label(super::words::stance_text(thesis, state));
                });
                ui.label(localized(
                    &thesis.claim,
                    thesis.claim_zh.as_deref(),
                    state.lang,
                ));
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_maps_percent_to_x_and_back_at_the_figures_precision() {
        let bar = Rect::from_min_max(Pos2::new(100.0, 0.0), Pos2::new(300.0, 4.0));
        assert_eq!(percent_x(bar, 25.0), 150.0);
        assert_eq!(percent_at(bar, 150.4, 1.0), 25.0);
        assert_eq!(percent_at(bar, 195.8, 0.1), 47.9);
        assert_eq!(percent_at(bar, 50.0, 1.0), 0.0);
        assert_eq!(step_of(Some(47.9), None), 0.1);
        assert_eq!(step_of(Some(70.0), Some(80.0)), 1.0);
    }

    #[test]
    fn a_dragged_end_never_passes_the_other_and_a_point_opens_either_way() {
        let drag = |end, bounds: (f64, f64), point| ShareDrag {
            figure: "f".into(),
            end,
            from: 70.0,
            value: 70.0,
            step: 1.0,
            bounds,
            point,
            done: false,
        };
        let mut low = drag(End::Low, (55.0, 75.0), false);
        low.follow(90.0);
        assert_eq!((low.end, low.value), (End::Low, 75.0));
        let mut point = drag(End::Low, (70.0, 70.0), true);
        point.follow(80.0);
        assert_eq!((point.end, point.value), (End::High, 80.0));
        point.follow(60.0);
        assert_eq!((point.end, point.value), (End::Low, 60.0));
    }

    #[test]
    fn a_press_grabs_the_nearer_end_within_reach() {
        let bar = Rect::from_min_max(Pos2::new(0.0, 10.0), Pos2::new(200.0, 14.0));
        let share = LensShare {
            holder: crate::model::market_lens::Holder::Node(0),
            figure: "f".into(),
            low: 50.0,
            high: 75.0,
            open_high: false,
            rank: 0,
            text: "50–75%".into(),
            joint_holders: 0,
            pill_at: Some(crate::model::market_lens::Holder::Node(0)),
        };
        assert_eq!(
            handle_at(bar, &share, Pos2::new(101.0, 12.0)),
            Some(End::Low)
        );
        assert_eq!(
            handle_at(bar, &share, Pos2::new(148.0, 12.0)),
            Some(End::High)
        );
        assert_eq!(handle_at(bar, &share, Pos2::new(125.0, 12.0)), None);
        assert_eq!(handle_at(bar, &share, Pos2::new(100.0, 40.0)), None);
    }

    /// A box's header: the whole concentration where the box is wide, its top-1 where it
    /// is narrow, none where even that would leave the title no letters; the box's pills
    /// always, the label left of them.
    #[test]
    fn a_box_header_shortens_its_label_before_the_title_loses_its_letters() {
        use crate::model::Lang;
        use crate::model::market_lens::Holder;
        let map = crate::io::bundled::load_bundled().map;
        let lens_of = |id: &str| {
            let m = map.markets.iter().position(|m| m.id == id).expect("market");
            MarketLens::of(&map, m).expect("a lens")
        };
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.painter();
            let terminal = lens_of("openai-as-terminal");
            let home = terminal.homes[0];
            assert!(matches!(home, Holder::Segment(_)), "{home:?}");
            let whole = terminal.concentration_text(Lang::En);
            let header = |width| BoxHeader::of(painter, &terminal, home, (Lang::En, 1.0), width);
            let wide = header(1000.0);
            assert_eq!(wide.label.as_deref(), Some(whole.as_str()));
            let top1 = terminal.top1_text(Lang::En);
            let narrow = header(wide.width + TITLE_KEPT_PX - 1.0);
            assert_eq!(narrow.label, Some(top1));
            assert!(narrow.width < wide.width);
            assert_eq!(header(TITLE_KEPT_PX + 20.0), BoxHeader::default());

            // The cloud market's joint share: its pill on the box, the label left of it.
            let cloud = lens_of("cloud-computing");
            let home = cloud.homes[0];
            let pill_only = BoxHeader::of(painter, &cloud, home, (Lang::En, 1.0), 10.0);
            assert_eq!(pill_only.label, None);
            assert!(pill_only.width > 20.0, "{pill_only:?}");
            let both = BoxHeader::of(painter, &cloud, home, (Lang::En, 1.0), 1000.0);
            assert!(both.label.is_some());
            assert!(
                both.width > pill_only.width + 20.0,
                "{both:?} {pill_only:?}"
            );
        });
        // The frame's font atlas is not uploaded anywhere.
        output.textures_delta.clear();
    }
}
