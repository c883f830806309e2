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
