//! Export image… in the window: the whole map, or the current view (the part on screen,
//! with its trace, thesis lens or filter), as SVG or PNG by the file's extension.

use super::ChainmapApp;
use crate::layout;
use crate::ui::picture::{self, PictureView};
use std::path::Path;

/// Pixels per map unit of a PNG exported from the window.
const PNG_SCALE: f32 = 2.0;

impl ChainmapApp {
    pub(super) fn export_menu_ui(&mut self, ui: &mut egui::Ui) {
        ui.menu_button("Export image…", |ui| {
            if ui.button("Whole map…").clicked() {
                self.export_dialog(false);
                ui.close();
            }
            let view = ui
                .button("Current view…")
                .on_hover_text("What the map view shows, with its trace, lens or filter");
            if view.clicked() {
                self.export_dialog(true);
                ui.close();
            }
        });
    }

    fn export_dialog(&mut self, current_view: bool) {
        let name = if current_view { "view.svg" } else { "map.svg" };
        let path = rfd::FileDialog::new()
            .add_filter("SVG picture", &["svg"])
            .add_filter("PNG image", &["png"])
            .set_file_name(name)
            .save_file();
        if let Some(path) = path {
            self.status = self.export_image(&path, current_view).err();
        }
    }

    /// Writes a picture of the map (or of the current view) to `path`: PNG when the name
    /// ends in `.png`, else SVG.
    pub fn export_image(&self, path: &Path, current_view: bool) -> Result<(), String> {
        let Some(layout) = self.layout() else {
            return Err("the map is not laid out yet".to_owned());
        };
        let mut view = PictureView {
            lang: self.state.lang,
            dark: self.state.dark,
            ..PictureView::default()
        };
        if current_view {
            view = PictureView::of(&self.state);
            view.crop = Some(self.visible_map_area());
        }
        let svg = picture::svg(self.map(), layout, &view);
        let png = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("png"));
        let bytes = if png {
            picture::png(&svg, PNG_SCALE).map_err(|error| error.to_string())?
        } else {
            svg.into_bytes()
        };
        crate::io::write::atomic_write(path, &bytes)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))
    }

    /// The part of the map the map view showed in the last frame, in map units.
    fn visible_map_area(&self) -> layout::Rect {
        let zoom = self.camera.zoom.max(f32::EPSILON);
        let size = self.map_viewport.size() / zoom;
        layout::Rect {
            x: -self.camera.pan.x / zoom,
            y: -self.camera.pan.y / zoom,
            w: size.x,
            h: size.y,
        }
    }
}
