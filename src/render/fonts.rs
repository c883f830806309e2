//! Fonts: egui's defaults, then a bundled Chinese font (a subset of Noto Sans SC, SIL Open
//! Font License, see `assets/fonts/`), so that Chinese renders on a machine with no CJK font
//! installed. eframe's system-font fallback still covers anything else.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

const CJK_FONT_NAME: &str = "noto-sans-sc-subset";
const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Subset.otf");

/// Font definitions with the bundled Chinese font after egui's own fonts.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        CJK_FONT_NAME.to_owned(),
        Arc::new(FontData::from_static(CJK_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(CJK_FONT_NAME.to_owned());
    }
    fonts
}

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

/// The bytes of every font of the window's proportional family, in fallback order: what
/// pictures are rendered with, so that they look like the window and show Chinese.
pub fn font_bytes() -> Vec<Vec<u8>> {
    let fonts = definitions();
    fonts
        .families
        .get(&FontFamily::Proportional)
        .into_iter()
        .flatten()
        .filter_map(|name| fonts.font_data.get(name))
        .map(|data| (*data.font).as_ref().to_vec())
        .collect()
}
