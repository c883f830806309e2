//! A market laid over a picture: each participant's share on what holds it (a bar along
//! the bottom of its card or segment box, and its value in a pill at the top-right), the
//! market's concentration on the boxes where it sits, and a line for it under the legend.
//! The encoding is the markets panel's: the share's colour by rank, the certain part solid,
//! the uncertain range lighter, an open high marked at its end.

use super::{colour, n, text};
use crate::layout::{Layout, Rect};
use crate::model::Named;
use crate::model::market_lens::{Holder, LensShare, MarketLens};
use crate::model::{Lang, Map, Msg};
use crate::render::share_geometry::{BAR_HEIGHT, BAR_INSET, BAR_LIFT, PILL_TEXT};
use crate::render::theme::{self, Palette};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

// The bar's geometry and the pill's text size are the window's (`share_lens`), in map
// units, so that a picture draws the lens as the window does at zoom 1.

/// The value pill: its height, padding each side of the text, and its distance from the
/// right edge of what holds the share.
pub const PILL_HEIGHT: f32 = 14.0;
pub const PILL_PAD: f32 = 5.0;
pub const PILL_RIGHT: f32 = 4.0;
/// The concentration label's text size, and its distance from the box's inner edges.
pub const LABEL_TEXT: f32 = 10.0;
pub const LABEL_INSET: f32 = 4.0;
/// The text size of the market's line under the legend.
const LEGEND_TEXT: f32 = 12.0;
/// The lighter part of a bar: the uncertain range, as in the panel.
const RANGE_OPACITY: f32 = 0.35;

/// Which bars to draw: those of boxes, under the cards (a card placed over a box's bottom
/// edge stays readable), or those of cards, over them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Under {
    Cards,
    Nothing,
}

/// Each holder's share once: the largest, when a holder has several (figures of several
/// dates or cases), as the lens lists them largest first.
fn drawn_shares(lens: &MarketLens) -> impl Iterator<Item = &LensShare> {
    let mut seen = BTreeSet::new();
    lens.shares.iter().filter(move |s| seen.insert(s.holder))
}

/// The share bars of boxes (`Under::Cards`) or of cards (`Under::Nothing`): 0–100% across
/// the holder's width less [`BAR_INSET`] each side.
pub fn bars(out: &mut String, layout: &Layout, lens: &MarketLens, which: Under) {
    for share in drawn_shares(lens) {
        let on_card = matches!(share.holder, Holder::Node(_));
        let wanted = match which {
            Under::Cards => matches!(share.holder, Holder::Segment(_)),
            Under::Nothing => on_card,
        };
        let Some(r) = layout.holder_rect(share.holder).filter(|_| wanted) else {
            continue;
        };
        let bar = Rect {
            x: r.x + BAR_INSET,
            y: r.y + r.h - BAR_LIFT - BAR_HEIGHT,
            w: (r.w - 2.0 * BAR_INSET).max(0.0),
            h: BAR_HEIGHT,
        };
        share_bar(out, bar, share);
    }
}

/// One share's bar: a faint track for the whole, the certain part solid, the range lighter,
/// an open high marked by an arrowhead at its end.
fn share_bar(out: &mut String, bar: Rect, share: &LensShare) {
    let fill = colour(theme::share_color(share.rank));
    let x = |percent: f64| bar.x + bar.w * (percent.clamp(0.0, 100.0) / 100.0) as f32;
    let (low, high) = (x(share.low), x(share.high.max(share.low)));
    let _ = write!(
        out,
        r##"<g class="share-bar"><rect x="{}" y="{}" width="{}" height="{}" rx="1" fill="#808080" fill-opacity="0.25"/>"##,
        n(bar.x),
        n(bar.y),
        n(bar.w),
        n(bar.h),
    );
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/><rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" fill-opacity="{RANGE_OPACITY}"/>"#,
        n(bar.x),
        n(bar.y),
        n(low - bar.x),
        n(bar.h),
        n(low),
        n(bar.y),
        n(high - low),
        n(bar.h)
    );
    if share.open_high {
        // An arrowhead pointing on from the range's end, as in the window.
        let _ = write!(
            out,
            r#"<path d="M{x} {}L{} {}L{x} {}Z" fill="{fill}"/>"#,
            n(bar.y),
            n(high + 0.8 * bar.h),
            n(bar.y + bar.h / 2.0),
            n(bar.y + bar.h),
            x = n(high),
        );
    }
    out.push_str("</g>\n");
}

/// The estimated width of `content` at `size`: Latin about 0.58 of the size (bold digits
/// and signs of Ubuntu), Chinese the full size.
fn text_width(content: &str, size: f32) -> f32 {
    content
        .chars()
        .map(|c| {
            if super::is_cjk(c) {
                size
            } else if c == ' ' {
                0.3 * size
            } else {
                0.58 * size
            }
        })
        .sum()
}

/// The value pills and the concentration labels, over everything else in the map.
pub fn labels(
    out: &mut String,
    map: &Map,
    layout: &Layout,
    lens: &MarketLens,
    lang: Lang,
    palette: &Palette,
) {
    for home in &lens.homes {
        if let Some(r) = layout.holder_rect(*home) {
            concentration_label(out, r, *home, lens, lang, palette);
        }
    }
    // How wide the pills already drawn at a holder are: the next one goes left of them, as
    // the concentration label does.
    let mut before: HashMap<Holder, f32> = HashMap::new();
    for share in &lens.shares {
        let Some(place) = share.pill_at else {
            continue;
        };
        let Some(r) = layout.holder_rect(place) else {
            continue;
        };
        let label = share.label(lang);
        let width = pill_width(&label);
        let taken = before.entry(place).or_default();
        let offset = *taken;
        *taken += width + LABEL_INSET;
        let right = r.x + r.w - PILL_RIGHT - offset;
        let (left, middle) = match place {
            // Centred on the card's top edge, at its right.
            Holder::Node(_) => (right - width, r.y),
            // Inside the box's top-right corner, on the title's line.
            Holder::Segment(_) => (right - width, r.y + 3.0 + PILL_HEIGHT / 2.0),
            // After the tier's name (and its pills already drawn).
            Holder::Tier(t) => {
                let name = map.tiers.get(t).map_or("", |tier| tier.name_in(lang));
                let after_name = r.x + 8.0 + text_width(name, 16.0) * 0.85 + 8.0;
                (after_name + offset, r.y + 12.5)
            }
        };
        pill(out, (left, middle, width), share, &label);
    }
}

/// The width of a share's pill showing `label`.
fn pill_width(label: &str) -> f32 {
    text_width(label, PILL_TEXT) + 2.0 * PILL_PAD
}

/// A share's value, white bold on its colour (dark on the light yellow).
fn pill(out: &mut String, (left, middle, width): (f32, f32, f32), share: &LensShare, label: &str) {
    let fill = theme::share_color(share.rank);
    let ink = colour(theme::ink_on(fill));
    let _ = writeln!(
        out,
        r#"<g class="share-pill"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}"/><text x="{}" y="{}" font-size="{PILL_TEXT}" font-weight="bold" text-anchor="middle" fill="{ink}">{}</text></g>"#,
        n(left),
        n(middle - PILL_HEIGHT / 2.0),
        n(width),
        n(PILL_HEIGHT),
        n(PILL_HEIGHT / 2.0),
        colour(fill),
        n(left + width / 2.0),
        n(middle + PILL_TEXT * 0.35),
        text(label)
    );
}

/// What a box's title keeps beside the market's header, in map units: a few letters.
const TITLE_KEPT: f32 = 30.0;

/// What the market shows at the right of a box's title line, as the window does: the
/// pills drawn on the box, then, where the market sits, its concentration: whole, or its
/// top-1 alone where the whole would leave the title less than a few letters, or none.
pub struct BoxHeader {
    /// The width of the box's pills, each with the gap after it.
    pills: f32,
    /// The concentration shown, and its width.
    label: Option<(String, f32)>,
}

impl BoxHeader {
    pub fn of(r: Rect, holder: Holder, lens: &MarketLens, lang: Lang) -> BoxHeader {
        let pills: f32 = lens
            .pills_at(holder)
            .map(|share| pill_width(&share.label(lang)) + LABEL_INSET)
            .sum();
        let mut label = None;
        if lens.is_home(holder) {
            for text in [lens.concentration_text(lang), lens.top1_text(lang)] {
                let width = text_width(&text, LABEL_TEXT) * 0.92;
                // A band's name is on the left, clear of its label; a box's title is not.
                let kept = if matches!(holder, Holder::Tier(_)) {
                    0.0
                } else {
                    TITLE_KEPT
                };
                if LABEL_INSET + pills + width + 6.0 + kept <= r.w {
                    label = Some((text, width));
                    break;
                }
            }
        }
        BoxHeader { pills, label }
    }

    /// From the box's right edge to where its title is cut, in map units.
    pub fn width(&self) -> f32 {
        let label = self.label.as_ref().map_or(0.0, |(_, width)| width + 6.0);
        if self.pills + label > 0.0 {
            LABEL_INSET + self.pills + label + LABEL_INSET
        } else {
            0.0
        }
    }
}

/// The concentration on a box where the market sits, on its title's line at the right
/// (left of the box's own pill, if it holds a share): the one strip of a box that cards
/// leave free, and inside what the picture shows of the map.
fn concentration_label(
    out: &mut String,
    r: Rect,
    home: Holder,
    lens: &MarketLens,
    lang: Lang,
    palette: &Palette,
) {
    let header = BoxHeader::of(r, home, lens, lang);
    let Some((label, width)) = header.label else {
        return;
    };
    let (right, baseline) = match home {
        Holder::Tier(_) => (r.x + r.w - 2.0 * LABEL_INSET, r.y + 18.0),
        _ => (r.x + r.w - LABEL_INSET - header.pills, r.y + 13.0),
    };
    let _ = writeln!(
        out,
        r#"<g class="concentration"><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" fill-opacity="0.9" stroke="{}" stroke-width="1"/><text x="{}" y="{}" font-size="{LABEL_TEXT}" text-anchor="end" fill="{}">{}</text></g>"#,
        n(right - width - 3.0),
        n(baseline - 0.95 * LABEL_TEXT),
        n(width + 6.0),
        n(1.25 * LABEL_TEXT),
        colour(palette.canvas),
        colour(palette.segment_stroke),
        n(right),
        n(baseline),
        colour(palette.segment_title),
        text(&label)
    );
}

/// "Market: NAME — top-1 … · HHI … · unclaimed …%": the line under the legend.
fn legend_text(map: &Map, lens: &MarketLens, lang: Lang) -> String {
    let name = map
        .markets
        .get(lens.market)
        .map_or(lens.market_id.as_str(), |m| m.name_in(lang));
    format!(
        "{} — {} · {}",
        Msg::market_named(lang, name),
        lens.concentration_text(lang),
        lens.unclaimed_text(lang)
    )
}

/// The estimated width of the market's line, for a page wide enough to hold it.
pub fn legend_line_width(map: &Map, lens: &MarketLens, lang: Lang) -> f32 {
    text_width(&legend_text(map, lens, lang), LEGEND_TEXT)
}

/// The market's line under the legend.
pub fn legend_line(
    out: &mut String,
    map: &Map,
    lens: &MarketLens,
    lang: Lang,
    palette: &Palette,
    y: f32,
) {
    let line = legend_text(map, lens, lang);
    let _ = writeln!(
        out,
        r#"<text class="market-legend" x="{}" y="{}" font-size="{LEGEND_TEXT}" fill="{}">{}</text>"#,
        n(super::MARGIN),
        n(y + 4.0),
        colour(palette.tier_title),
        text(&line)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A box's header shortens its concentration to the top-1 before the title loses its
    /// letters, and drops it where even that would not leave them.
    #[test]
    fn a_narrow_box_shows_the_top_1_alone_or_no_label() {
        let map = crate::io::bundled::load_bundled().map;
        let m = map
            .markets
            .iter()
            .position(|m| m.id == "openai-as-terminal")
            .expect("market");
        let lens = MarketLens::of(&map, m).expect("a lens");
        let home = lens.homes[0];
        let whole = lens.concentration_text(Lang::En);
        let top1 = lens.top1_text(Lang::En);
        assert_eq!(top1, "top-1 ≈ 70%");
        let boxed = |w: f32| {
            BoxHeader::of(
                Rect {
                    x: 0.0,
                    y: 0.0,
                    w,
                    h: 100.0,
                },
                home,
                &lens,
                Lang::En,
            )
        };
        let label = |w: f32| boxed(w).label.map(|(text, _)| text);
        assert_eq!(label(1000.0), Some(whole));
        let narrow = 40.0 + TITLE_KEPT + text_width(&top1, LABEL_TEXT);
        assert_eq!(label(narrow), Some(top1));
        assert_eq!(label(TITLE_KEPT), None);
        assert_eq!(boxed(TITLE_KEPT).width(), 0.0);
        assert!(boxed(narrow).width() < boxed(1000.0).width());
    }
}
