//! Export image… in the window: the whole map, or the current view (the part on screen,
//! with its trace, thesis lens or filter), as SVG or PNG by the file's extension; and
//! saved views, kept beside the map, to come back to a view or export it later; and
//! Export web page…, the map as one self-contained page opening on the current view.

use super::create::menu_entry;
use super::{ChainmapApp, Status};
use crate::layout;
use crate::model::Msg;
use crate::render::picture::{self, PictureView};
use crate::ui::views;
use std::path::Path;

/// Pixels per map unit of a PNG exported from the window.
const PNG_SCALE: f32 = 2.0;

impl ChainmapApp {
    pub(super) fn export_menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.state.lang;
        ui.menu_button(Msg::ExportImageMenu.in_lang(lang), |ui| {
            if ui.button(Msg::WholeMap.in_lang(lang)).clicked() {
                self.export_dialog(false);
                ui.close();
            }
            let hint = Msg::CurrentViewHint.in_lang(lang);
            if menu_entry(ui, Msg::CurrentView.in_lang(lang), hint) {
                self.export_dialog(true);
            }
        });
        let hint = Msg::ExportWebPageHint.in_lang(lang);
        if menu_entry(ui, Msg::ExportWebPage.in_lang(lang), hint) {
            self.web_page_dialog();
        }
    }

    /// Export web page…: asks where, then writes the page there.
    pub(super) fn web_page_dialog(&mut self) {
        if let Some(path) = self.chooser.web_page_file(self.state.lang) {
            self.status = self.export_web_page(&path).err().map(Status::Failure);
        }
    }

    /// Writes the map's web page to `path`, opening on the window's selection, trace,
    /// lens, market and filter, in its language. (The part of the map on screen is not
    /// carried over: the page lays the map out for its own shape.)
    pub fn export_web_page(&self, path: &Path) -> Result<(), String> {
        let view = views::SavedView {
            viewport: None,
            ..self.current_view("")
        };
        let saved = views::read_views(self.session.root()).unwrap_or_default();
        let options = crate::web::PageOptions {
            lang: self.state.lang,
            start: crate::web::view_state(&view),
            ..crate::web::PageOptions::default()
        };
        let asset_dir = crate::io::asset_dir(self.session.root());
        let page = crate::web::page(self.map(), Some(&asset_dir), &saved, &options);
        crate::io::write::atomic_write(path, page.as_bytes())
            .map_err(|error| Msg::cannot_write(self.state.lang, path.display(), error))
    }

    pub(super) fn export_dialog(&mut self, current_view: bool) {
        let name = if current_view { "view.svg" } else { "map.svg" };
        let lang = self.state.lang;
        let path = rfd::FileDialog::new()
            .add_filter(Msg::SvgFilter.in_lang(lang), &["svg"])
            .add_filter(Msg::PngFilter.in_lang(lang), &["png"])
            .set_file_name(name)
            .save_file();
        if let Some(path) = path {
            self.status = self
                .export_image(&path, current_view)
                .err()
                .map(Status::Failure);
        }
    }

    /// Writes a picture of the map (or of the current view) to `path`: PNG when the name
    /// ends in `.png`, else SVG.
    pub fn export_image(&self, path: &Path, current_view: bool) -> Result<(), String> {
        let Some(layout) = self.layout() else {
            return Err(Msg::NotLaidOut.in_lang(self.state.lang).to_owned());
        };
        let mut view = PictureView {
            lang: self.state.lang,
            dark: self.state.dark,
            ..PictureView::default()
        };
        if current_view {
            view = self.state.picture_view();
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
            .map_err(|error| Msg::cannot_write(self.state.lang, path.display(), error))
    }

    /// The part of the map the map view showed in the last frame, in map units.
    fn visible_map_area(&self) -> layout::Rect {
        let zoom = self.view.camera.zoom.max(f32::EPSILON);
        let size = self.view.map_viewport.size() / zoom;
        layout::Rect {
            x: -self.view.camera.pan.x / zoom,
            y: -self.view.camera.pan.y / zoom,
            w: size.x,
            h: size.y,
        }
    }
}

/// Saved views: the Views menu lists the map's views, applies one, and saves the current
/// view under a name.
impl ChainmapApp {
    pub(super) fn views_menu_ui(&mut self, ui: &mut egui::Ui) {
        // The views file is read when the menu opens, not on every frame it is open.
        if !egui::Popup::is_any_open(ui.ctx()) {
            self.panels.saved_views = None;
        }
        ui.menu_button(Msg::Views.in_lang(self.state.lang), |ui| {
            let loaded = self.panels.saved_views.get_or_insert_with(|| {
                views::read_views(self.session.root()).map_err(|error| error.to_string())
            });
            let views = match loaded {
                Ok(views) => views.clone(),
                Err(error) => {
                    ui.colored_label(ui.visuals().error_fg_color, error.as_str());
                    Vec::new()
                }
            };
            if views.is_empty() {
                ui.label(egui::RichText::new(Msg::NoSavedViews.in_lang(self.state.lang)).weak());
            }
            for view in &views {
                if ui.button(&view.name).clicked() {
                    self.apply_view(view);
                    ui.close();
                }
            }
            ui.separator();
            ui.horizontal(|ui| {
                let name = ui.add(
                    egui::TextEdit::singleline(&mut self.panels.view_name)
                        .hint_text(Msg::ViewNameHint.in_lang(self.state.lang))
                        .desired_width(160.0),
                );
                let save = ui.add_enabled(
                    !self.panels.view_name.trim().is_empty(),
                    egui::Button::new(Msg::SaveView.in_lang(self.state.lang)),
                );
                let entered = name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if save.clicked() || (entered && !self.panels.view_name.trim().is_empty()) {
                    let name = self.panels.view_name.trim().to_owned();
                    self.status = self.save_view(&name).err().map(Status::Failure);
                    self.panels.view_name.clear();
                    ui.close();
                }
            });
        });
    }

    /// The current view, by ids.
    pub fn current_view(&self, name: &str) -> views::SavedView {
        let map = self.map();
        let id = |ids: Vec<&str>, index: Option<usize>| {
            index.and_then(|i| ids.get(i).map(|id| (*id).to_owned()))
        };
        let area = self.visible_map_area();
        let filter = &self.state.filter;
        views::SavedView {
            name: name.to_owned(),
            selected: id(
                map.nodes.iter().map(|n| n.id.as_str()).collect(),
                self.state.selected,
            ),
            trace: self.state.trace.is_some(),
            thesis_lens: id(
                map.theses.iter().map(|t| t.id.as_str()).collect(),
                self.state.lens_thesis(),
            ),
            market: self.state.market.as_ref().map(|m| m.market_id.clone()),
            case: self
                .state
                .market
                .as_ref()
                .map(|m| m.case.clone())
                .filter(|case| case != crate::model::BASE_CASE),
            tier: id(
                map.tiers.iter().map(|t| t.id.as_str()).collect(),
                filter.tier,
            ),
            segment: id(
                map.segments.iter().map(|s| s.id.as_str()).collect(),
                filter.segment,
            ),
            tag: filter.tag.clone(),
            hidden_kinds: filter.hidden_kinds.iter().copied().collect(),
            hidden_classes: filter.hidden_classes.iter().copied().collect(),
            viewport: Some((
                area.x.round(),
                area.y.round(),
                area.w.round(),
                area.h.round(),
            )),
        }
    }

    /// Saves the current view under `name` in the map's views file, replacing a view of
    /// that name.
    pub fn save_view(&mut self, name: &str) -> Result<(), String> {
        let root = self.session.root().to_path_buf();
        let mut views = views::read_views(&root).map_err(|error| error.to_string())?;
        let view = self.current_view(name);
        match views.iter_mut().find(|v| v.name == name) {
            Some(existing) => *existing = view,
            None => views.push(view),
        }
        self.panels.saved_views = None;
        views::write_views(&root, &views).map_err(|error| error.to_string())
    }

    /// Shows a saved view: its selection, trace, lens and filter, and its part of the map.
    pub fn apply_view(&mut self, view: &views::SavedView) {
        let resolved = view.resolve(self.map());
        self.state.filtered = self.filtered_nodes(&resolved.filter);
        self.state.filter = resolved.filter;
        self.state.selected = resolved.selected;
        self.state.thesis_lens = self.lit_thesis(resolved.thesis_lens);
        self.state.market = resolved.market;
        self.state.set_trace(resolved.trace);
        if let Some(area) = resolved.viewport {
            self.view.camera_request = super::parts::CameraRequest::Keep;
            self.view.camera = crate::ui::map_view::Camera::fit(&area, self.view.map_viewport);
        }
    }
}
