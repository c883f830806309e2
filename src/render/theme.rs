//! Colours and sizes of the window, in one place: panels and the map view take them from
//! here and never write colour literals of their own.

use crate::model::{LinkKind, Stance};
use egui::Color32;

/// The palette of one theme (light or dark).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub canvas: Color32,
    pub tier_band: [Color32; 2],
    pub tier_title: Color32,
    pub segment_fill: [Color32; 2],
    pub segment_stroke: Color32,
    pub segment_title: Color32,
    pub node_fill: Color32,
    /// Cards of ideas (techniques, benchmarks, concepts): lighter, with a dashed border.
    pub idea_fill: Color32,
    pub node_stroke: Color32,
    pub node_text: Color32,
    pub highlight: Color32,
    pub selected: Color32,
    pub dimmed_alpha: u8,
}

pub const LIGHT: Palette = Palette {
    canvas: Color32::from_rgb(250, 250, 252),
    tier_band: [
        Color32::from_rgb(238, 242, 248),
        Color32::from_rgb(244, 246, 250),
    ],
    tier_title: Color32::from_rgb(40, 52, 72),
    segment_fill: [
        Color32::from_rgb(224, 233, 246),
        Color32::from_rgb(210, 224, 243),
    ],
    segment_stroke: Color32::from_rgb(160, 178, 204),
    segment_title: Color32::from_rgb(52, 72, 100),
    node_fill: Color32::WHITE,
    idea_fill: Color32::from_rgb(245, 246, 240),
    node_stroke: Color32::from_rgb(70, 86, 110),
    node_text: Color32::from_rgb(20, 26, 36),
    highlight: Color32::from_rgb(230, 140, 20),
    selected: Color32::from_rgb(214, 60, 40),
    dimmed_alpha: 40,
};

pub const DARK: Palette = Palette {
    canvas: Color32::from_rgb(22, 24, 28),
    tier_band: [Color32::from_rgb(32, 36, 44), Color32::from_rgb(28, 31, 38)],
    tier_title: Color32::from_rgb(200, 210, 225),
    segment_fill: [Color32::from_rgb(40, 48, 62), Color32::from_rgb(48, 58, 76)],
    segment_stroke: Color32::from_rgb(80, 96, 122),
    segment_title: Color32::from_rgb(170, 186, 210),
    node_fill: Color32::from_rgb(56, 62, 74),
    idea_fill: Color32::from_rgb(38, 42, 50),
    node_stroke: Color32::from_rgb(150, 164, 186),
    node_text: Color32::from_rgb(235, 238, 244),
    highlight: Color32::from_rgb(255, 170, 60),
    selected: Color32::from_rgb(255, 100, 80),
    dimmed_alpha: 50,
};

pub fn palette(dark: bool) -> Palette {
    if dark { DARK } else { LIGHT }
}

/// The colour of a link, by kind: value flows warm, ownership and money cool, rivalry grey.
pub fn link_color(kind: LinkKind) -> Color32 {
    match kind {
        LinkKind::Supplies => Color32::from_rgb(214, 96, 77),
        LinkKind::Hosts => Color32::from_rgb(230, 145, 56),
        LinkKind::Integrates => Color32::from_rgb(91, 155, 213),
        LinkKind::Partners => Color32::from_rgb(112, 173, 71),
        LinkKind::Invests => Color32::from_rgb(46, 134, 145),
        LinkKind::Owns => Color32::from_rgb(128, 100, 162),
        LinkKind::Competes => Color32::from_rgb(150, 150, 150),
        LinkKind::Talent => Color32::from_rgb(196, 120, 180),
        LinkKind::Influences => Color32::from_rgb(166, 140, 100),
    }
}

/// Marks of a comparison: what was added since, what changed, what was removed (ghosts).
pub const ADDED: Color32 = Color32::from_rgb(40, 160, 90);
pub const CHANGED: Color32 = Color32::from_rgb(230, 140, 20);
pub const REMOVED: Color32 = Color32::from_rgb(200, 64, 52);

pub fn stance_color(stance: Stance) -> Color32 {
    match stance {
        Stance::Bullish => Color32::from_rgb(52, 150, 80),
        Stance::Bearish => Color32::from_rgb(200, 64, 52),
        Stance::Neutral => Color32::from_rgb(128, 128, 128),
        Stance::Mixed => Color32::from_rgb(200, 150, 40),
    }
}

/// Text size of node names on the map, in points at zoom 1.
pub const NODE_TEXT_SIZE: f32 = 13.0;
/// Padding around a node's name.
pub const NODE_PADDING: egui::Vec2 = egui::Vec2::new(8.0, 5.0);
/// Below this zoom, cards are drawn without their names, as plain boxes (a name would be
/// under about 5 pixels high).
pub const LABEL_MIN_ZOOM: f32 = 0.38;
/// Below this zoom, links between nodes give way to flows between segments, except the
/// links of what is hovered, selected, traced or in a thesis lens.
pub const FLOW_MAX_ZOOM: f32 = 1.1;
/// At most this many flows are drawn, the biggest on screen: more would hide the map.
pub const FLOWS_SHOWN: usize = 60;
/// The width of the biggest flow on screen, in pixels (the others by the square root of
/// their share of its links).
pub const FLOW_MAX_PX: f32 = 7.0;
/// The smallest size, in pixels, segment titles and tier names are drawn at: they stay
/// readable at any zoom and are clipped to their boxes.
pub const TITLE_MIN_PX: f32 = 10.0;
/// Below this on-screen node height (pixels), segments are drawn as blocks, without their
/// nodes, and only emphasised links are drawn.
pub const BLOCK_VIEW_NODE_PX: f32 = 5.0;

/// The text colour that reads on `fill`: white, or near-black on a light colour (the
/// yellow of the fourth share).
pub fn ink_on(fill: Color32) -> Color32 {
    let luminance =
        0.299 * f32::from(fill.r()) + 0.587 * f32::from(fill.g()) + 0.114 * f32::from(fill.b());
    if luminance > 170.0 {
        Color32::from_gray(30)
    } else {
        Color32::WHITE
    }
}

/// Distinct colours for the shares of one market, in order.
pub fn share_color(index: usize) -> Color32 {
    const COLOURS: [Color32; 8] = [
        Color32::from_rgb(68, 114, 196),
        Color32::from_rgb(237, 125, 49),
        Color32::from_rgb(112, 173, 71),
        Color32::from_rgb(255, 192, 0),
        Color32::from_rgb(91, 155, 213),
        Color32::from_rgb(165, 105, 189),
        Color32::from_rgb(38, 166, 154),
        Color32::from_rgb(200, 80, 80),
    ];
    COLOURS[index % COLOURS.len()]
}
