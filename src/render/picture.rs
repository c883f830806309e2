//! Pictures of a map for memos and decks: the window's layout, colours and legend as SVG,
//! with the map's title, as-of date and sources, in English or Chinese; and PNG rendered
//! from that SVG by resvg with the fonts the window draws with (so Chinese renders on any
//! machine). The window exports the same picture of the whole map or of its current view.

use super::fonts;
use super::theme::{self, Palette};
use crate::layout::{self, Layout, LayoutOptions, Size};
use crate::model::market_lens::MarketLens;
use crate::model::{Lang, LinkKind, Map, Msg, Named, NodeClass, Worded, localized};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// [`svg_number`], short: pictures write hundreds of coordinates.
use svg_number as n;

mod lens;

/// The font families pictures name, in order: the window's two fonts first, then what
/// a reader's system likely has for Chinese.
const FONT_FAMILIES: &str = "'Ubuntu Light', Ubuntu, 'Noto Sans SC', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// Space around the map, and the header and legend heights, in map units.
const MARGIN: f32 = 24.0;
const HEADER: f32 = 64.0;
/// The height of each line of the header after the first.
const HEADER_LINE: f32 = 17.0;
const FOOTER: f32 = 44.0;
/// The height the market's line adds under the legend, when a market is laid over the map.
const MARKET_LINE: f32 = 20.0;

#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("the picture could not be rendered: {0}")]
    Svg(String),
    #[error(
        "the picture would be {width} × {height} pixels; at most {} megapixels are drawn \
         (use --scale {max_scale:.1} or less)",
        MAX_PNG_PIXELS / 1_000_000
    )]
    TooLarge {
        width: u64,
        height: u64,
        max_scale: f32,
    },
    #[error("could not encode the PNG: {0}")]
    Png(String),
}

/// What a picture shows besides the map: its language and theme, and which nodes are
/// emphasised (a trace, a thesis lens, a filter), the rest dimmed as in the window.
#[derive(Clone, Debug, Default)]
pub struct PictureView {
    pub lang: Lang,
    pub dark: bool,
    pub emphasis: Option<BTreeSet<usize>>,
    /// Segment boxes a trace reached through their own links, outlined as lit.
    pub lit_segments: BTreeSet<usize>,
    pub hidden_kinds: BTreeSet<LinkKind>,
    /// A part of the map to show (in map units), for a picture of the window's view.
    pub crop: Option<layout::Rect>,
    /// A market laid over the map: its shares drawn on their holders.
    pub market: Option<MarketLens>,
}

impl PictureView {
    /// Whether what is lit is a market's participants and nothing else (no trace or thesis
    /// lens chose it): their cards carry shares and need no highlight of their own.
    pub fn market_lens_only(&self) -> bool {
        self.market
            .as_ref()
            .is_some_and(|market| self.emphasis.as_ref() == Some(&market.lit))
    }
}

/// The width at which a card's name wraps: its own width when it fits on one line of
/// [`layout::CARD_TEXT_WIDTH`], that width when it then fits on two lines, and wider for
/// the few names that would need more, so that every name takes at most two lines.
pub fn card_wrap_width(fonts: &mut egui::epaint::FontsView<'_>, name: &str) -> f32 {
    let font = egui::FontId::proportional(theme::NODE_TEXT_SIZE);
    let one_line = fonts
        .layout_no_wrap(name.to_owned(), font.clone(), egui::Color32::WHITE)
        .size()
        .x;
    if one_line <= layout::CARD_TEXT_WIDTH {
        return one_line.ceil() + 1.0;
    }
    let mut width = layout::CARD_TEXT_WIDTH.max(one_line / 2.0 + 8.0);
    for _ in 0..8 {
        let rows = fonts
            .layout(name.to_owned(), font.clone(), egui::Color32::WHITE, width)
            .rows
            .len();
        if rows <= 2 {
            break;
        }
        width *= 1.15;
    }
    width.ceil()
}

/// Whether a node's card has room for a logo: when the map names one, found or not, so
/// that the window and the command line lay out the same cards.
pub fn names_logo(map: &Map, node: usize) -> bool {
    map.nodes.get(node).is_some_and(|n| n.logo.is_some())
}

/// Node card sizes measured with the window's fonts, as the window lays the map out: the
/// name wrapped at [`card_wrap_width`], padding, and a square for a logo.
pub fn measured_sizes(
    ctx: &egui::Context,
    map: &Map,
    lang: Lang,
    has_logo: impl Fn(usize) -> bool,
) -> Vec<Size> {
    let font = egui::FontId::proportional(theme::NODE_TEXT_SIZE);
    ctx.fonts_mut(|fonts| {
        map.nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let name = node.name_in(lang);
                let one_line = fonts
                    .layout_no_wrap(name.to_owned(), font.clone(), egui::Color32::WHITE)
                    .size();
                // A name on one line is measured once: laid out again at its own width it
                // would be the same size, and a 20,000-node map would hold twice as many
                // galleys in egui's cache while it is measured.
                let text = if one_line.x <= layout::CARD_TEXT_WIDTH {
                    one_line
                } else {
                    let wrap = card_wrap_width(fonts, name);
                    fonts
                        .layout(name.to_owned(), font.clone(), egui::Color32::WHITE, wrap)
                        .size()
                };
                let h = (text.y + 2.0 * theme::NODE_PADDING.y).max(layout::DEFAULT_NODE_HEIGHT);
                // A logo takes a square at the card's left.
                let logo = if has_logo(i) {
                    layout::DEFAULT_NODE_HEIGHT - 4.0
                } else {
                    0.0
                };
                Size {
                    w: text.x.ceil() + 1.0 + 2.0 * theme::NODE_PADDING.x + logo,
                    h,
                }
            })
            .collect()
    })
}

/// Node sizes as the window measures them, for the command line (one point a pixel).
fn sizes_without_window(map: &Map, lang: Lang) -> Vec<Size> {
    sizes_apart(map, lang, 1.0)
}

/// Node card sizes measured with the window's fonts at `pixels_per_point`, in an egui
/// context of their own that is dropped as soon as they are measured: the window lays a
/// map out with these, so that the text layouts of thousands of names are never held in
/// its own cache (until the frame after next) beside the layout's own memory.
pub fn sizes_apart(map: &Map, lang: Lang, pixels_per_point: f32) -> Vec<Size> {
    let ctx = egui::Context::default();
    // The window's fonts: the sizes must be those the window measures.
    fonts::install(&ctx);
    ctx.set_pixels_per_point(pixels_per_point);
    // Fonts are loaded by the first pass; its textures have no renderer to go to.
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    measured_sizes(&ctx, map, lang, |i| names_logo(map, i))
}

/// The window's layout of `map` for a space of shape `aspect` (width over height),
/// computed without a window (for the command line).
pub fn window_layout(map: &Map, lang: Lang, aspect: f32) -> Layout {
    let options = LayoutOptions {
        aspect: Some(aspect),
        ..LayoutOptions::default()
    };
    layout_with(map, lang, &options)
}

/// The window's layout of `map` (its card sizes, measured with its fonts) with `options`:
/// for a layout from an earlier one ([`LayoutOptions::prior`]), which keeps that one's
/// shape rather than fitting a page.
pub fn layout_with(map: &Map, lang: Lang, options: &LayoutOptions) -> Layout {
    layout::layout(map, &sizes_without_window(map, lang), options)
}

/// The window's layout of `map` for a whole picture of shape `aspect`: the map is laid out
/// for what the page leaves it under the header and above the legend.
pub fn page_layout(map: &Map, lang: Lang, aspect: f32) -> Layout {
    let sizes = sizes_without_window(map, lang);
    let lay = |aspect: f32| {
        let options = LayoutOptions {
            aspect: Some(aspect),
            ..LayoutOptions::default()
        };
        layout::layout(map, &sizes, &options)
    };
    let mut drawn = lay(aspect);
    let around = header_height(map) + FOOTER + 2.0 * MARGIN;
    // Twice: the map's width follows its shape, and the room left follows the width.
    for _ in 0..2 {
        let page_w = drawn.bounds.w + 2.0 * MARGIN;
        let room_h = page_w / aspect - around;
        if room_h < 0.2 * page_w / aspect {
            break;
        }
        drawn = lay(drawn.bounds.w / room_h);
    }
    drawn
}

fn colour(c: egui::Color32) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b())
}

/// Text for XML (and HTML) content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF) are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The font families of Chinese runs of text, Noto Sans SC (the window's) first.
const CJK_FAMILIES: &str =
    "'Noto Sans SC', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// Whether a character is drawn with the Chinese font (Ubuntu has no glyph for it).
fn is_cjk(c: char) -> bool {
    u32::from(c) >= 0x2E80
}

/// Text content for SVG, escaped, with each run of Chinese in a `tspan` that names the
/// Chinese font first: renderers then never have to fall back font by font inside a run
/// (resvg loses the fallback in a run that also holds a Latin ligature such as "fi").
fn text(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 16);
    let mut in_cjk = false;
    for c in content.chars() {
        if is_cjk(c) != in_cjk {
            if in_cjk {
                out.push_str("</tspan>");
            } else {
                let _ = write!(out, r#"<tspan font-family="{CJK_FAMILIES}">"#);
            }
            in_cjk = !in_cjk;
        }
        out.push_str(&escape(c.encode_utf8(&mut [0; 4])));
    }
    if in_cjk {
        out.push_str("</tspan>");
    }
    out
}

/// A number as pictures write it, short: one decimal, none when whole.
pub fn svg_number(value: f32) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The map as an SVG document.
pub fn svg(map: &Map, layout: &Layout, view: &PictureView) -> String {
    let palette = theme::palette(view.dark);
    let area = view.crop.unwrap_or(layout.bounds);
    // Wide enough for the market's line under the legend, on a small map.
    let legend_w = view
        .market
        .as_ref()
        .map_or(0.0, |lens| lens::legend_line_width(map, lens, view.lang));
    let width = area.w.max(legend_w) + 2.0 * MARGIN;
    let header_h = header_height(map);
    let market_line = if view.market.is_some() {
        MARKET_LINE
    } else {
        0.0
    };
    let height = area.h + header_h + FOOTER + market_line + 2.0 * MARGIN;
    let mut out = String::with_capacity(64 * 1024 + 200 * map.nodes.len());
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILIES}">"#,
        w = n(width),
        h = n(height),
    );
    let title = map.meta.title_in(view.lang).unwrap_or_default();
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        colour(palette.canvas)
    );
    header(&mut out, map, view, &palette, title);
    let _ = writeln!(
        out,
        r#"<svg x="{}" y="{}" width="{}" height="{}" viewBox="{} {} {} {}" overflow="hidden">"#,
        n(MARGIN),
        n(MARGIN + header_h),
        n(area.w),
        n(area.h),
        n(area.x),
        n(area.y),
        n(area.w),
        n(area.h)
    );
    tiers_and_segments(&mut out, map, layout, view, &palette);
    if let Some(lens) = &view.market {
        lens::bars(&mut out, layout, lens, lens::Under::Cards);
    }
    links(&mut out, map, layout, view);
    nodes(&mut out, map, layout, view, &palette);
    if let Some(lens) = &view.market {
        lens::bars(&mut out, layout, lens, lens::Under::Nothing);
        lens::labels(&mut out, map, layout, lens, view.lang, &palette);
    }
    out.push_str("</svg>\n");
    let legend_y = MARGIN + header_h + area.h + 18.0;
    legend(&mut out, map, view, &palette, legend_y);
    if let Some(lens) = &view.market {
        lens::legend_line(
            &mut out,
            map,
            lens,
            view.lang,
            &palette,
            legend_y + MARKET_LINE,
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The title, the as-of date and the sources, above the map.
fn header(out: &mut String, map: &Map, view: &PictureView, palette: &Palette, title: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="22" font-weight="bold" fill="{}">{}</text>"#,
        n(MARGIN),
        n(MARGIN + 20.0),
        colour(palette.tier_title),
        text(title)
    );
    let as_of = map.meta.as_of.as_ref().map(|d| Msg::as_of(view.lang, d));
    let sources: Vec<String> = map
        .sources
        .iter()
        .map(|s| {
            let name = localized(&s.title, s.title_zh.as_deref(), view.lang);
            let by = [s.author.as_deref(), s.publisher.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let date = s.date.as_ref().map(ToString::to_string);
            match (by.is_empty(), date) {
                (false, Some(date)) => format!("{name} ({by}, {date})"),
                (false, None) => format!("{name} ({by})"),
                (true, Some(date)) => format!("{name} ({date})"),
                (true, None) => name.to_owned(),
            }
        })
        .collect();
    // The date, then one source a line, so that a narrow picture keeps them readable.
    let lines = header_lines(as_of, &sources, view.lang);
    for (i, line) in lines.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="13" fill="{}">{}</text>"#,
            n(MARGIN),
            n(MARGIN + 44.0 + HEADER_LINE * i as f32),
            colour(palette.segment_title),
            text(line)
        );
    }
}

/// The lines under the title: the as-of date, then each source.
fn header_lines(as_of: Option<String>, sources: &[String], lang: Lang) -> Vec<String> {
    as_of
        .into_iter()
        .chain(sources.iter().map(|s| Msg::source_line(lang, s)))
        .collect()
}

/// The height of the header: the title, then its lines.
fn header_height(map: &Map) -> f32 {
    let lines = usize::from(map.meta.as_of.is_some()) + map.sources.len();
    HEADER + HEADER_LINE * lines.saturating_sub(1) as f32
}

fn tiers_and_segments(
    out: &mut String,
    map: &Map,
    layout: &Layout,
    view: &PictureView,
    palette: &Palette,
) {
    for band in &layout.tiers {
        let r = band.rect;
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            colour(palette.tier_band[band.tier % 2])
        );
        if let Some(tier) = map.tiers.get(band.tier) {
            let name = tier.name_in(view.lang);
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" font-size="16" fill="{}">{}</text>"#,
                n(r.x + 8.0),
                n(r.y + 18.0),
                colour(palette.tier_title),
                text(name)
            );
        }
    }
    for (k, segment_box) in layout.segments.iter().enumerate() {
        let r = segment_box.rect;
        let depth = usize::from(segment_box.depth.saturating_sub(1)).min(1);
        // As in the window: a segment a trace reached through its own links is lit.
        let (stroke, width) = if view.lit_segments.contains(&segment_box.segment) {
            (palette.highlight, 2.5)
        } else {
            (palette.segment_stroke, 1.0)
        };
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="{}" stroke-width="{width}"/>"#,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            colour(palette.segment_fill[depth]),
            colour(stroke)
        );
        if let Some(segment) = map.segments.get(segment_box.segment) {
            let name = segment.name_in(view.lang);
            // Clipped to its box, and short of a market's pills and concentration on its
            // line, as in the window.
            let header = view.market.as_ref().map_or(0.0, |lens| {
                let holder = crate::model::market_lens::Holder::Segment(segment_box.segment);
                lens::BoxHeader::of(r, holder, lens, view.lang).width()
            });
            let _ = writeln!(
                out,
                r#"<clipPath id="s{k}"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath><text x="{}" y="{}" font-size="11" fill="{}" clip-path="url(#s{k})">{}</text>"#,
                n(r.x + 2.0),
                n(r.y),
                n((r.w - 4.0 - header).max(0.0)),
                n(r.h),
                n(r.x + 4.0),
                n(r.y + 14.0),
                colour(palette.segment_title),
                text(name)
            );
        }
    }
}

/// Whether node `i` is drawn at full strength.
fn lit(view: &PictureView, i: usize) -> bool {
    view.emphasis.as_ref().is_none_or(|e| e.contains(&i))
}

fn links(out: &mut String, map: &Map, layout: &Layout, view: &PictureView) {
    // As in the window: a market's participants are lit for their shares, and the links
    // between them stay quiet.
    let market_only = view.market_lens_only();
    let index = crate::model::index_by_id(&map.nodes, |n| &n.id);
    for edge in &layout.edges {
        let Some(link) = map.links.get(edge.link) else {
            continue;
        };
        if view.hidden_kinds.contains(&link.kind) {
            continue;
        }
        let ends = (index.get(link.from.as_str()), index.get(link.to.as_str()));
        let strong = match (ends, &view.emphasis) {
            (_, None) => true,
            ((Some(&a), Some(&b)), Some(_)) => lit(view, a) && lit(view, b) && !market_only,
            _ => false,
        };
        let colour = colour(theme::link_color(link.kind));
        let (width, opacity) = match (strong, view.emphasis.is_some()) {
            (true, true) => (2.5, 1.0),
            (true, false) => (1.2, 0.75),
            (false, _) => (1.0, 0.2),
        };
        let points: Vec<[f32; 2]> = edge.points.clone();
        let mut path = String::new();
        // The same curves as the window: leaving and entering each point vertically.
        let Some(first) = points.first() else {
            continue;
        };
        let _ = write!(path, "M{} {}", n(first[0]), n(first[1]));
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let bend = (b[1] - a[1]) / 2.0;
            let _ = write!(
                path,
                "C{} {} {} {} {} {}",
                n(a[0]),
                n(a[1] + bend),
                n(b[0]),
                n(b[1] - bend),
                n(b[0]),
                n(b[1])
            );
        }
        let (tip, from) = match points[..] {
            [.., before, last] => (last, [last[0], last[1] - (last[1] - before[1]) / 2.0]),
            _ => continue,
        };
        let _ = writeln!(
            out,
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-opacity="{opacity}"/>"#
        );
        // The arrowhead at the receiving end, along the curve's last direction.
        let (ux, uy) = {
            let (x, y) = (tip[0] - from[0], tip[1] - from[1]);
            let length = (x * x + y * y).sqrt().max(f32::EPSILON);
            (x / length, y / length)
        };
        let size = 7.0;
        let base = [tip[0] - ux * size, tip[1] - uy * size];
        let (px, py) = (-uy * size * 0.5, ux * size * 0.5);
        let _ = writeln!(
            out,
            r#"<path d="M{} {}L{} {}L{} {}Z" fill="{colour}" fill-opacity="{opacity}"/>"#,
            n(tip[0]),
            n(tip[1]),
            n(base[0] + px),
            n(base[1] + py),
            n(base[0] - px),
            n(base[1] - py)
        );
    }
}

fn nodes(out: &mut String, map: &Map, layout: &Layout, view: &PictureView, palette: &Palette) {
    let market_only = view.market_lens_only();
    for (i, (node, r)) in map.nodes.iter().zip(&layout.nodes).enumerate() {
        let opacity = if lit(view, i) {
            1.0
        } else {
            f32::from(palette.dimmed_alpha) * 2.0 / 255.0
        };
        let idea = node.kind.class() == NodeClass::Idea;
        let stroke = if view.emphasis.is_some() && lit(view, i) && !market_only {
            (palette.highlight, 2.0)
        } else {
            (palette.node_stroke, 1.0)
        };
        let (fill, dash) = if idea {
            (palette.idea_fill, r#" stroke-dasharray="4 3""#)
        } else {
            (palette.node_fill, "")
        };
        let name = node.name_in(view.lang);
        let room = r.w - 2.0 * theme::NODE_PADDING.x;
        // A card the window measured for one line keeps its name on one line.
        let lines = if r.h >= 2.0 * layout::CARD_LINE_HEIGHT + theme::NODE_PADDING.y {
            wrap_estimated(name, room)
        } else {
            vec![name.to_owned()]
        };
        let line_h = theme::NODE_TEXT_SIZE * 1.2;
        let first_baseline = r.y + r.h / 2.0 - line_h * (lines.len() as f32 - 1.0) / 2.0
            + theme::NODE_TEXT_SIZE * 0.36;
        let _ = write!(
            out,
            r#"<g opacity="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="{}" stroke-width="{}"{dash}/><text font-size="{}" text-anchor="middle" fill="{}"{}>"#,
            n(opacity),
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            colour(fill),
            colour(stroke.0),
            stroke.1,
            theme::NODE_TEXT_SIZE,
            colour(palette.node_text),
            if idea { r#" font-style="italic""# } else { "" },
        );
        for (k, line) in lines.iter().enumerate() {
            // Where the estimate of its width says a line may not fit, its text is made
            // smaller to fit. Not `textLength`: resvg garbles a line stretched that way when
            // it holds runs of another font (a Chinese name with Latin words in it).
            let estimate = estimated_width(line);
            let fit = if estimate > room {
                format!(
                    r#" font-size="{}""#,
                    n(theme::NODE_TEXT_SIZE * room / estimate)
                )
            } else {
                String::new()
            };
            let _ = write!(
                out,
                r#"<tspan x="{}" y="{}"{fit}>{}</tspan>"#,
                n(r.x + r.w / 2.0),
                n(first_baseline + k as f32 * line_h),
                text(line)
            );
        }
        out.push_str("</text></g>\n");
    }
}

/// The width of a character of a card's name, estimated (Ubuntu Light at 13 px for Latin,
/// Noto Sans SC for Chinese).
fn char_width(c: char) -> f32 {
    if is_cjk(c) { 13.0 } else { 6.4 }
}

/// The width of a line of a card's name, estimated.
fn estimated_width(line: &str) -> f32 {
    line.chars().map(char_width).sum()
}

/// A name broken into the lines its card shows: one line when it fits the card's width
/// (by an estimate of the window font's widths: Latin about 6.4 units at 13 px, CJK 13),
/// else two lines of about equal width, broken between words or between two Chinese
/// characters (the window measured every name to fit its card in at most two lines).
fn wrap_estimated(name: &str, width: f32) -> Vec<String> {
    let total = estimated_width(name);
    if total <= width {
        return vec![name.to_owned()];
    }
    // Break points: after a space, or between two characters where either is Chinese.
    let chars: Vec<char> = name.chars().collect();
    let mut best: Option<(f32, usize)> = None;
    let mut before = 0.0;
    for (i, pair) in chars.windows(2).enumerate() {
        before += char_width(pair[0]);
        let breakable = pair[0] == ' ' || is_cjk(pair[0]) || is_cjk(pair[1]);
        if breakable {
            let longer = before.max(total - before);
            if best.is_none_or(|(b, _)| longer < b) {
                best = Some((longer, i + 1));
            }
        }
    }
    match best {
        Some((_, at)) => {
            let first: String = chars.iter().take(at).collect();
            let second: String = chars.iter().skip(at).collect();
            vec![first.trim_end().to_owned(), second.trim_start().to_owned()]
        }
        None => vec![name.to_owned()],
    }
}

/// The link kinds the map uses, with their colours, under the map.
fn legend(out: &mut String, map: &Map, view: &PictureView, palette: &Palette, y: f32) {
    let mut x = MARGIN;
    for kind in LinkKind::ALL {
        if !map.links.iter().any(|l| l.kind == kind) || view.hidden_kinds.contains(&kind) {
            continue;
        }
        let label = kind.label_in(view.lang);
        let _ = writeln!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"/><text x="{}" y="{}" font-size="12" fill="{}">{}</text>"#,
            n(x),
            n(y),
            n(x + 18.0),
            n(y),
            colour(theme::link_color(kind)),
            n(x + 24.0),
            n(y + 4.0),
            colour(palette.segment_title),
            text(label)
        );
        // Advance by the label's width, estimated: Latin about 6.5 units, CJK 12.
        let text: f32 = label
            .chars()
            .map(|c| if u32::from(c) >= 0x2E80 { 12.0 } else { 6.5 })
            .sum();
        x += 24.0 + text + 18.0;
    }
}

/// Renders an SVG as a PNG at `scale` (1 = one pixel per map unit), with the fonts the
/// window draws with.
/// The most pixels a PNG may have: its pixel buffer (4 bytes a pixel), the layers resvg
/// draws dimmed groups into and the encoder's buffers then stay well under 1 GB.
pub const MAX_PNG_PIXELS: u64 = 60_000_000;

/// The size in pixels of `svg` drawn at `scale`, read from its root element's `width` and
/// `height` (as [`svg`] writes them), so that a picture too large is refused before
/// anything is parsed or allocated.
fn png_size(svg: &str, scale: f32) -> Option<(u64, u64)> {
    let root = svg.get(svg.find("<svg")?..)?;
    let root = root.get(..root.find('>')?)?;
    let attribute = |name: &str| -> Option<f32> {
        let start = root.find(&format!(" {name}=\""))? + name.len() + 3;
        let rest = root.get(start..)?;
        rest.get(..rest.find('"')?)?.parse().ok()
    };
    let (width, height) = (attribute("width")?, attribute("height")?);
    let pixels = |units: f32| (units * scale).ceil().max(1.0) as u64;
    Some((pixels(width), pixels(height)))
}

fn check_png_size(width: u64, height: u64, scale: f32) -> Result<(), PictureError> {
    let pixels = width.saturating_mul(height);
    if pixels <= MAX_PNG_PIXELS {
        return Ok(());
    }
    let max_scale = scale * (MAX_PNG_PIXELS as f32 / pixels as f32).sqrt();
    Err(PictureError::TooLarge {
        width,
        height,
        max_scale: (max_scale * 10.0).floor() / 10.0,
    })
}

pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, PictureError> {
    if let Some((width, height)) = png_size(svg, scale) {
        check_png_size(width, height, scale)?;
    }
    let mut options = resvg::usvg::Options {
        font_family: "Noto Sans SC".to_owned(),
        ..resvg::usvg::Options::default()
    };
    for data in fonts::font_bytes() {
        options.fontdb_mut().load_font_data(data);
    }
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|error| PictureError::Svg(error.to_string()))?;
    let size = tree.size();
    let (width, height) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    // Checked again on the parsed size, for a picture not written by `svg`.
    check_png_size(u64::from(width), u64::from(height), scale)?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width.max(1), height.max(1)).ok_or(
        PictureError::TooLarge {
            width: u64::from(width),
            height: u64::from(height),
            max_scale: scale,
        },
    )?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // The background is opaque, so the premultiplied pixels are the plain ones.
    let image = image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.take())
        .ok_or_else(|| PictureError::Png("the pixel buffer has the wrong size".to_owned()))?;
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .map_err(|error| PictureError::Png(error.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_with_one_decimal_and_none_when_whole() {
        assert_eq!(svg_number(12.0), "12");
        assert_eq!(svg_number(12.34), "12.3");
        assert_eq!(svg_number(12.96), "13");
        assert_eq!(svg_number(-3.25), "-3.3");
        assert_eq!(svg_number(0.04), "0");
    }
}
