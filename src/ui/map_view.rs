//! The map view: tier bands, segment boxes, node cards, flows between segments and routed
//! links, with pan (drag), zoom around the pointer (wheel or pinch) and fit. Draws only what
//! is on screen. Semantic zoom: zoomed out, flows stand for the links between segments, and
//! when card names would be too small to read, cards become plain blocks while tier names
//! and top segment titles (with their node counts) stay readable; labels never overlap.

mod access;

use super::motion::Left;
use super::share_lens::{
    BoxHeader, End, ShareButton, ShareDrag, bar_rect, handle_at, paint_bar, paint_home_label,
    paint_pill, percent_at, pill_text_px, step_of,
};
use super::words::{direction_label, node_label};
use super::{LitTrace, ViewState};
use crate::layout::{Layout, Reading, Rect};
use crate::model::market_lens::{Holder, LensShare, MarketLens};
use crate::model::trace::Reach;
use crate::model::{Map, Msg, Named, NodeClass, Worded, localized};
use crate::render::theme::{self, Palette};
use egui::{Color32, FontId, Pos2, Sense, Shape, Stroke, Vec2, epaint::CubicBezierShape};
use std::collections::HashMap;

/// Where the map is on screen: `screen = origin + pan + map × zoom`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub pan: Vec2,
    pub zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            pan: Vec2::ZERO,
            zoom: 1.0,
        }
    }
}

const MIN_ZOOM: f32 = 0.02;
const MAX_ZOOM: f32 = 8.0;

/// Space left around the map at Fit, in screen points.
const FIT_MARGIN_PX: f32 = 6.0;

impl Camera {
    pub fn to_screen(&self, origin: Pos2, x: f32, y: f32) -> Pos2 {
        origin + self.pan + Vec2::new(x, y) * self.zoom
    }

    pub fn rect_to_screen(&self, origin: Pos2, rect: &Rect) -> egui::Rect {
        egui::Rect::from_min_size(
            self.to_screen(origin, rect.x, rect.y),
            Vec2::new(rect.w, rect.h) * self.zoom,
        )
    }

    /// The camera that shows all of `bounds` in `viewport`, centred.
    pub fn fit(bounds: &Rect, viewport: egui::Rect) -> Camera {
        // A thin, fixed frame around the map: the view's space goes to the map.
        let room = |length: f32| (length - 2.0 * FIT_MARGIN_PX).max(length * 0.5);
        let zoom = (room(viewport.width()) / bounds.w.max(1.0))
            .min(room(viewport.height()) / bounds.h.max(1.0));
        let zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        let centre = Vec2::new(bounds.center_x(), bounds.center_y()) * zoom;
        Camera {
            pan: viewport.size() / 2.0 - centre,
            zoom,
        }
    }

    /// The camera that centres `rect` at a readable zoom.
    pub fn reveal(&self, rect: &Rect, viewport: egui::Rect) -> Camera {
        Camera::centred_on(rect, viewport, self.zoom.max(1.0))
    }

    /// The camera that centres `rect` at `zoom`.
    pub fn centred_on(rect: &Rect, viewport: egui::Rect, zoom: f32) -> Camera {
        let zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        let centre = Vec2::new(rect.center_x(), rect.center_y()) * zoom;
        Camera {
            pan: viewport.size() / 2.0 - centre,
            zoom,
        }
    }

    /// Zooms by `factor` keeping the map point under `anchor` (a screen point) in place.
    pub fn zoom_around(&mut self, origin: Pos2, anchor: Pos2, factor: f32) {
        let new_zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let map_point = (anchor - origin - self.pan) / self.zoom;
        self.zoom = new_zoom;
        self.pan = anchor - origin - map_point * new_zoom;
    }
}

/// What happened in the map view this frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapResponse {
    pub hovered: Option<usize>,
    /// `Some(None)`: a click on empty space; `Some(Some(n))`: a click on node `n`.
    pub clicked: Option<Option<usize>>,
    /// In edit mode, a node dropped after a drag: its index and its new centre, in map
    /// units.
    pub dropped: Option<Dropped>,
    /// In edit mode with a market lens, a share's end being dragged (or just released).
    pub share_drag: Option<ShareDrag>,
    /// In edit mode with a market lens, a button clicked on a card.
    pub share_button: Option<ShareButton>,
}

/// What the map view draws: the map, its layout, and what is derived once per map.
pub struct MapScene<'a> {
    pub map: &'a Map,
    pub layout: &'a Layout,
    /// For each link, the indices of its `from` and `to` nodes.
    pub link_ends: &'a [Option<(usize, usize)>],
    /// How many nodes each segment holds, its nested segments' included (drawn at
    /// overview beside the top segments' titles).
    pub segment_counts: &'a [usize],
    /// For each node, the URI of its logo, when it has a safe one.
    pub logos: &'a [Option<String>],
    /// The glide under way, when the layout just changed: `layout` is where it has things,
    /// and it says what fades in or out.
    pub glide: Option<&'a super::motion::Glide>,
    /// Where the ghosts of a comparison are laid out, index for index with its marks'
    /// ghosts (`None`: nowhere).
    pub ghosts: &'a [Option<Rect>],
    /// Every band, box and card in reading order (of the layout, not of a glide's frame):
    /// the order a screen reader reads them and Tab walks the cards.
    pub reading: &'a [Reading],
}

/// Draws the map and handles pan, zoom and picking.
pub fn map_view_ui(
    ui: &mut egui::Ui,
    scene: &MapScene<'_>,
    camera: &mut Camera,
    state: &ViewState,
) -> MapResponse {
    let MapScene { map, layout, .. } = *scene;
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    let viewport = response.rect;
    let origin = viewport.min;
    let palette = theme::palette(state.dark);
    painter.rect_filled(viewport, 0.0, palette.canvas);

    // In edit mode a drag that starts on a share bar's end sets that end, one that starts
    // on a node moves that node; any other drag pans.
    let grip = Grip {
        scene,
        camera,
        origin,
        state,
    };
    let share_drag = grip.share_drag_ui(ui, &response);
    let (node_drag, dropped) = grip.node_drag_ui(ui, &response, &share_drag);
    if node_drag.is_none() && share_drag.is_none() && response.dragged() {
        camera.pan += response.drag_delta();
    }
    if response.hovered() {
        wheel_and_pinch(ui, camera, origin);
    }

    let pointer = response.hover_pos();
    let view = View {
        painter: &painter,
        viewport,
        origin,
        camera: *camera,
        palette,
        state,
        scene,
    };
    let tier_labels = view.bands_ui();
    let tier_rects: Vec<egui::Rect> = tier_labels.iter().map(|l| l.rect).collect();
    let overview = view.camera.zoom < theme::LABEL_MIN_ZOOM;
    let titles = view.segments_ui(&tier_rects, overview);
    let focus = state.hovered.or(state.selected);
    let emphasis = state.emphasis();
    let flows_shown = view.camera.zoom < theme::FLOW_MAX_ZOOM;
    let mut hovered_flow = None;
    if flows_shown {
        hovered_flow = view.flows_ui(pointer);
    }
    // Node links: all of them zoomed in; at overview, only those that matter (focus,
    // trace, lens), on top of the cards.
    let matters = |ends: (usize, usize)| {
        let touches_focus = focus.is_some_and(|f| ends.0 == f || ends.1 == f);
        // A market's participants are lit for their shares, not for the links between
        // them: a market lens leaves the links quiet.
        let lit = !state.market_lens_only()
            && emphasis.is_some_and(|e| e.contains(&ends.0) && e.contains(&ends.1));
        touches_focus || lit
    };
    if !flows_shown {
        view.edges_ui(|ends| !matters(ends), false);
    }
    let labels = Labels::new(tier_rects.iter().chain(&titles.rects).copied());
    let hovered = view.cards_ui(ui, pointer, node_drag, overview, &labels);
    let market_labels = titles.market_labels;
    view.plated_ui(titles.over_cards);
    view.leaving_ui(overview);
    let share_buttons = view.market_ui(share_drag.as_ref(), &market_labels);
    view.edges_ui(matters, true);
    view.plated_ui(tier_labels);
    view.ghosts_ui(overview);
    let chosen = view.accessible_ui(ui, overview);
    let share_button = response
        .clicked()
        .then(|| {
            let p = response.interact_pointer_pos()?;
            share_buttons
                .iter()
                .find(|(rect, _)| rect.contains(p))
                .map(|(_, button)| button.clone())
        })
        .flatten();
    let clicked = match chosen {
        // A card chosen with the keyboard (or a screen reader) is a click on it.
        Some(node) => Some(Some(node)),
        None => (response.clicked() && share_button.is_none()).then_some(hovered),
    };
    if share_drag.is_some() {
        // The pill shows the value being set; a tooltip would cover it.
    } else if let Some(node) = hovered {
        response.on_hover_ui_at_pointer(|ui| tooltip_ui(ui, map, node, state));
    } else if let Some(flow) = hovered_flow.and_then(|f| layout.flows.get(f)) {
        response.on_hover_ui_at_pointer(|ui| flow_tooltip_ui(ui, map, flow, state));
    } else if let Some(segment) = pointer.and_then(|p| view.traced_segment_at(p)) {
        response.on_hover_ui_at_pointer(|ui| {
            let reach = Reach::Segment(segment);
            ui.strong(crate::model::trace::reach_name(map, reach, state.lang));
            trace_path_ui(ui, map, reach, state);
        });
    } else if overview && let Some(segment) = pointer.and_then(|p| view.segment_at(p, |_| true)) {
        // At overview a box may be too small for its title: its name is a hover away.
        response.on_hover_ui_at_pointer(|ui| segment_tooltip_ui(ui, scene, segment, state));
    }
    MapResponse {
        hovered,
        clicked,
        dropped,
        share_drag,
        share_button,
    }
}

/// Zooms around the pointer on a pinch or a plain wheel, pans on a two-way trackpad
/// scroll. Called while the pointer is over the map, after any drag has moved the camera.
fn wheel_and_pinch(ui: &egui::Ui, camera: &mut Camera, origin: Pos2) {
    let (scroll, zoom_delta, pointer) = ui.input(|i| {
        (
            i.smooth_scroll_delta(),
            i.zoom_delta(),
            i.pointer.hover_pos(),
        )
    });
    if let Some(anchor) = pointer {
        if zoom_delta != 1.0 {
            camera.zoom_around(origin, anchor, zoom_delta);
        } else if scroll != Vec2::ZERO {
            // A plain wheel zooms, as in map viewers; trackpads scroll in two directions.
            if scroll.x == 0.0 {
                camera.zoom_around(origin, anchor, (scroll.y / 200.0).exp());
            } else {
                camera.pan += scroll;
            }
        }
    }
}

/// The map under the pointer as this frame's input finds it, before the camera pans: what
/// a drag that starts on a card or on a share's end grabs.
struct Grip<'a, 's> {
    scene: &'a MapScene<'s>,
    camera: &'a Camera,
    /// The map view's top-left corner on screen.
    origin: Pos2,
    state: &'a ViewState,
}

impl Grip<'_, '_> {
    /// A share's end dragged on its bar (edit mode, market lens on): grabbed when a drag
    /// starts on it, following the pointer at the figure's precision, `done` when released.
    fn share_drag_ui(&self, ui: &egui::Ui, response: &egui::Response) -> Option<ShareDrag> {
        let id = response.id.with("share-drag");
        let press = ui.input(|i| i.pointer.press_origin());
        if self.state.editing
            && response.drag_started()
            && let Some(grab) = press.and_then(|p| self.share_grab(p))
        {
            ui.data_mut(|d| d.insert_temp(id, grab));
        }
        let mut drag = ui.data(|d| d.get_temp::<ShareDrag>(id))?;
        let pointer = ui.input(|i| i.pointer.interact_pos());
        if let (Some(p), Some((bar, _))) = (pointer, self.dragged_bar(&drag)) {
            drag.follow(percent_at(bar, p.x, drag.step));
        }
        drag.done = response.drag_stopped() || !response.dragged();
        if drag.done {
            ui.data_mut(|d| d.remove::<ShareDrag>(id));
        } else {
            ui.data_mut(|d| d.insert_temp(id, drag.clone()));
        }
        Some(drag)
    }

    /// A node dragged in edit mode (unless a share's end is): the node and how far it has
    /// moved, and once released, the node and its new centre in map units.
    fn node_drag_ui(
        &self,
        ui: &egui::Ui,
        response: &egui::Response,
        share_drag: &Option<ShareDrag>,
    ) -> (Option<(usize, Vec2)>, Option<Dropped>) {
        let id = response.id.with("node-drag");
        let (layout, camera) = (self.scene.layout, self.camera);
        if self.state.editing && response.drag_started() && share_drag.is_none() {
            let press = ui.input(|i| i.pointer.press_origin());
            let grabbed = press.and_then(|p| {
                layout
                    .nodes
                    .iter()
                    .position(|rect| camera.rect_to_screen(self.origin, rect).contains(p))
            });
            if let Some(node) = grabbed {
                ui.data_mut(|d| d.insert_temp(id, (node, Vec2::ZERO)));
            }
        }
        let Some((node, mut offset)) = ui.data(|d| d.get_temp::<(usize, Vec2)>(id)) else {
            return (None, None);
        };
        offset += response.drag_delta();
        if !response.drag_stopped() && response.dragged() {
            ui.data_mut(|d| d.insert_temp(id, (node, offset)));
            return (Some((node, offset)), None);
        }
        ui.data_mut(|d| d.remove::<(usize, Vec2)>(id));
        let dropped = layout.nodes.get(node).map(|rect| {
            let zoom = camera.zoom.max(f32::EPSILON);
            (
                node,
                (
                    rect.center_x() + offset.x / zoom,
                    rect.y + rect.h / 2.0 + offset.y / zoom,
                ),
            )
        });
        (Some((node, offset)), dropped)
    }

    /// Where a holder's box is on screen: a node's card or a segment's box (a tier's band
    /// carries a pill, no bar).
    fn holder_rect(&self, holder: Holder) -> Option<egui::Rect> {
        if matches!(holder, Holder::Tier(_)) {
            return None;
        }
        let rect = self.scene.layout.holder_rect(holder)?;
        Some(self.camera.rect_to_screen(self.origin, &rect))
    }

    /// The share end a press at `at` grabs, when a market lens is on.
    fn share_grab(&self, at: Pos2) -> Option<ShareDrag> {
        let lens = self.state.market.as_ref()?;
        // A joint share's bar on each holder is not its range: it is edited in its figure.
        lens.shares
            .iter()
            .filter(|s| !s.is_joint())
            .find_map(|share| {
                let holder = self.holder_rect(share.holder)?;
                let end = handle_at(bar_rect(holder, self.camera.zoom), share, at)?;
                let figure = self
                    .scene
                    .map
                    .figures
                    .iter()
                    .find(|f| f.id == share.figure)?;
                Some(ShareDrag {
                    figure: share.figure.clone(),
                    end,
                    from: match end {
                        End::Low => share.low,
                        End::High => share.high,
                    },
                    value: match end {
                        End::Low => share.low,
                        End::High => share.high,
                    },
                    step: step_of(figure.low, figure.high),
                    bounds: (figure.low.unwrap_or(0.0), figure.high.unwrap_or(100.0)),
                    point: figure.low.is_some() && figure.low == figure.high,
                    done: false,
                })
            })
    }

    /// The bar of the share being dragged, on screen, and that share.
    fn dragged_bar(&self, drag: &ShareDrag) -> Option<(egui::Rect, &LensShare)> {
        let share = self
            .state
            .market
            .as_ref()?
            .shares
            .iter()
            .find(|s| s.figure == drag.figure)?;
        let holder = self.holder_rect(share.holder)?;
        Some((bar_rect(holder, self.camera.zoom), share))
    }
}

/// A node dropped after a drag: its index and its new centre, in map units.
type Dropped = (usize, (f32, f32));

/// The essentials of a node: name, kind and tier, links, and the first figure about it.
fn tooltip_ui(ui: &mut egui::Ui, map: &Map, node: usize, state: &ViewState) {
    let Some(n) = map.nodes.get(node) else { return };
    ui.strong(node_label(map, node, state));
    let tier = access::tier_name(map, &n.tier, state.lang);
    ui.label(format!("{} · {tier}", n.kind.label_in(state.lang)));
    let links = map
        .links
        .iter()
        .filter(|l| l.from == n.id || l.to == n.id)
        .count();
    let theses = map
        .theses
        .iter()
        .filter(|t| t.about.contains(&n.id))
        .count();
    ui.label(Msg::links_and_theses(state.lang, links, theses));
    // Under a market lens, the node's share of that market first.
    if let Some(share) = access::share_text(map, state, Holder::Node(node)) {
        ui.strong(share);
    }
    if let Some(figure) = map.figures.iter().find(|f| f.subject == n.id) {
        ui.label(format!(
            "{}: {}",
            localized(&figure.metric, figure.metric_zh.as_deref(), state.lang),
            figure.display_value()
        ));
    }
    trace_path_ui(ui, map, Reach::Node(node), state);
}

/// Under a trace, how `item` is reached from the traced node: "Upstream: OpenAI ← hosts ←
/// Azure".
fn trace_path_ui(ui: &mut egui::Ui, map: &Map, item: Reach, state: &ViewState) {
    let Some(LitTrace { trace, .. }) = &state.trace else {
        return;
    };
    let Some((direction, at)) = trace.find(item) else {
        return;
    };
    ui.label(format!(
        "{}: {}",
        direction_label(direction, state.lang),
        trace.path_text(map, direction, at, state.lang)
    ));
}

fn arrowhead(painter: &egui::Painter, from: Pos2, tip: Pos2, color: Color32, zoom: f32) {
    let direction = (tip - from).normalized();
    if !direction.is_finite() {
        return;
    }
    let size = (8.0 * zoom).clamp(3.0, 10.0);
    let normal = Vec2::new(-direction.y, direction.x);
    let base = tip - direction * size;
    painter.add(Shape::convex_polygon(
        vec![
            tip,
            base + normal * size * 0.45,
            base - normal * size * 0.45,
        ],
        color,
        Stroke::NONE,
    ));
}

/// The palette in use, for panels that draw small figures in the map's colours.
pub fn palette(state: &ViewState) -> Palette {
    theme::palette(state.dark)
}

/// One frame's drawing of the map: where it is on screen and what it shows.
struct View<'a, 's> {
    painter: &'a egui::Painter,
    viewport: egui::Rect,
    origin: Pos2,
    camera: Camera,
    palette: Palette,
    state: &'a ViewState,
    scene: &'a MapScene<'s>,
}

impl View<'_, '_> {
    fn visible(&self, r: egui::Rect) -> bool {
        r.intersects(self.viewport)
    }

    /// Whether the bounding box of map points lies (partly) on screen.
    fn points_visible(&self, points: &[[f32; 2]]) -> bool {
        let (mut min, mut max) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in points {
            min = [min[0].min(p[0]), min[1].min(p[1])];
            max = [max[0].max(p[0]), max[1].max(p[1])];
        }
        let zoom = self.camera.zoom.max(MIN_ZOOM);
        let lo = (self.viewport.min - self.origin - self.camera.pan) / zoom;
        let hi = (self.viewport.max - self.origin - self.camera.pan) / zoom;
        let slack = 8.0 / zoom;
        !(max[0] < lo.x - slack
            || min[0] > hi.x + slack
            || max[1] < lo.y - slack
            || min[1] > hi.y + slack)
    }

    fn screen_points(&self, points: &[[f32; 2]]) -> Vec<Pos2> {
        points
            .iter()
            .map(|p| self.camera.to_screen(self.origin, p[0], p[1]))
            .collect()
    }

    /// Tier bands, full width; returns each band's name, laid out at the band's top left
    /// (held at the view's left edge), to draw over everything else.
    fn bands_ui(&self) -> Vec<Plated> {
        let MapScene { map, layout, .. } = *self.scene;
        let zoom = self.camera.zoom;
        let mut labels = Vec::new();
        for band in &layout.tiers {
            let rect = self.camera.rect_to_screen(self.origin, &band.rect);
            if !self.visible(rect) {
                continue;
            }
            let fill = self.palette.tier_band[band.tier % 2];
            self.painter.rect_filled(rect, 0.0, fill);
            let Some(tier) = map.tiers.get(band.tier) else {
                continue;
            };
            let name = tier.name_in(self.state.lang);
            let galley = self.painter.layout_no_wrap(
                name.to_owned(),
                FontId::proportional((16.0 * zoom).clamp(11.0, 18.0)),
                self.palette.tier_title,
            );
            let at = Pos2::new(
                rect.left().max(self.viewport.left()) + 6.0,
                rect.top() + (3.0 * zoom).min(4.0),
            );
            labels.push(Plated {
                rect: egui::Rect::from_min_size(at, galley.size()),
                galley,
                fill,
                color: self.palette.tier_title,
                cut_to: None,
            });
        }
        labels
    }

    /// Names on a backing of their own, over what is drawn before them: tier names over
    /// the boxes when a band's header is too thin for them, top segments' names over their
    /// cards at overview.
    fn plated_ui(&self, labels: Vec<Plated>) {
        for label in labels {
            let painter = match label.cut_to {
                Some(clip) => &self.painter.with_clip_rect(clip),
                None => self.painter,
            };
            painter.rect_filled(label.rect.expand(PLATE_MARGIN), 3.0, label.fill);
            // The galley has its colour already; this one carries a fading box's opacity.
            painter.galley_with_override_text_color(label.rect.min, label.galley, label.color);
        }
    }

    /// Segment boxes and their titles (top segments' at least [`theme::TITLE_MIN_PX`] at
    /// overview, with their node counts). Returns where the titles are, and the overview's
    /// titles, which go over the cards (drawn after the boxes) on a backing.
    fn segments_ui(&self, tier_labels: &[egui::Rect], overview: bool) -> SegmentTitles {
        let layout = self.scene.layout;
        let counts: &[usize] = if overview {
            self.scene.segment_counts
        } else {
            &[]
        };
        let mut titles = SegmentTitles::default();
        for (k, segment_box) in layout.segments.iter().enumerate() {
            let opacity = self.scene.glide.map_or(1.0, |g| g.segment_opacity(k));
            self.with_opacity(opacity, |view| {
                let Some((title, clip)) = view.segment_ui(
                    segment_box,
                    (tier_labels, overview, counts),
                    &mut titles.market_labels,
                ) else {
                    return;
                };
                titles.rects.push(title.rect.intersect(clip));
                if overview {
                    // Drawn later, by the view's own painter: the box's fading goes along.
                    titles.over_cards.push(Plated {
                        color: title.color.gamma_multiply(opacity),
                        fill: title.fill.gamma_multiply(opacity),
                        ..title
                    });
                } else {
                    view.galley_within(title.rect.min, title.galley, clip, title.color);
                }
            });
        }
        titles
    }

    /// One segment's box; returns its title, when there is one to draw, with the rectangle
    /// it is cut to, and notes in `market_labels` the market's label its title left room
    /// for.
    fn segment_ui(
        &self,
        segment_box: &crate::layout::SegmentBox,
        (tier_labels, overview, counts): (&[egui::Rect], bool, &[usize]),
        market_labels: &mut HashMap<usize, Option<String>>,
    ) -> Option<(Plated, egui::Rect)> {
        let map = self.scene.map;
        let zoom = self.camera.zoom;
        let header_px = crate::layout::Spacing::default().segment_header * zoom;
        let rect = self.camera.rect_to_screen(self.origin, &segment_box.rect);
        if !self.visible(rect) {
            return None;
        }
        let depth = usize::from(segment_box.depth.saturating_sub(1)).min(1);
        // A segment a trace reached through its own links is lit as a whole.
        let stroke = if self.state.traced_segment(segment_box.segment) {
            Stroke::new(2.5, self.palette.highlight)
        } else {
            Stroke::new(1.0, self.palette.segment_stroke)
        };
        let fill = self.palette.segment_fill[depth];
        self.painter.rect(
            rect,
            corner_radius(zoom),
            fill,
            stroke,
            egui::StrokeKind::Inside,
        );
        let top = segment_box.depth == 1;
        let size = match (top, overview) {
            (true, true) => (11.0 * zoom).max(theme::TITLE_MIN_PX),
            (true, false) => (11.0 * zoom).max((header_px * 0.8).min(theme::TITLE_MIN_PX)),
            (false, _) => 11.0 * zoom,
        };
        if size < 6.0 || (overview && !top) {
            return None;
        }
        // At overview a title is whole or left out (below), its backing inside the box's
        // border: a box shorter than the font has no room for one, and its name is not even
        // put into words.
        let inset = if overview {
            Vec2::new(4.0, 2.0).max(Vec2::splat(PLATE_MARGIN + 1.0))
        } else {
            Vec2::new(4.0, 2.0) * zoom.clamp(0.5, 1.0)
        };
        if overview && rect.height() < size + 2.0 * inset.y {
            return None;
        }
        let segment = map.segments.get(segment_box.segment)?;
        let name = segment.name_in(self.state.lang);
        let text = match counts.get(segment_box.segment) {
            Some(&count) if overview => format!("{name} · {count}"),
            _ => name.to_owned(),
        };
        let mut at = rect.left_top() + inset;
        let probe = egui::Rect::from_min_size(at, Vec2::new(rect.width(), size));
        if let Some(label) = tier_labels.iter().find(|l| l.shrink(1.5).intersects(probe)) {
            at.x = at.x.max(label.right() + 6.0);
        }
        let clip = rect.shrink(1.0).intersect(self.viewport);
        if at.x + 8.0 > clip.right() {
            return None;
        }
        // One line, cut with an ellipsis where the box ends. While boxes glide (their widths
        // change every frame) it is only clipped: laid out the same each frame, it comes
        // from egui's cache instead of being laid out again for each width.
        let mut job = egui::text::LayoutJob::simple_singleline(
            text,
            FontId::proportional(size),
            self.palette.segment_title,
        );
        // A market's pills and concentration on the title line take its right end, with
        // room left for a few letters of the title from where it starts.
        let header = self.state.market.as_ref().map_or(0.0, |lens| {
            let header = BoxHeader::of(
                self.painter,
                lens,
                Holder::Segment(segment_box.segment),
                (self.state.lang, zoom),
                rect.right() - at.x,
            );
            market_labels.insert(segment_box.segment, header.label);
            header.width
        });
        if self.scene.glide.is_none() {
            job.wrap = egui::text::TextWrapping {
                max_width: (rect.right() - header.max(3.0) - at.x).max(8.0),
                max_rows: 1,
                break_anywhere: true,
                overflow_character: Some('…'),
            };
        }
        let galley = self.painter.layout_job(job);
        let title = Plated {
            rect: egui::Rect::from_min_size(at, galley.size()),
            galley,
            fill,
            color: self.palette.segment_title,
            cut_to: None,
        };
        // At overview a title goes over the cards, whole or not at all: a box too short
        // for it, or so narrow that it would show less than a few letters of the name,
        // has none (the name is a hover away), rather than a cut one no one can read. While
        // the boxes glide it keeps its whole name, cut at its box's edge until the glide
        // ends and the ellipsis comes back, rather than blinking out.
        let room = clip.contains_rect(title.rect.expand(PLATE_MARGIN));
        match (overview, self.scene.glide) {
            (true, None) if !(room && title.shows_letters(MIN_TITLE_LETTERS)) => None,
            (true, Some(_)) if clip.height() < title.rect.height() + 2.0 * PLATE_MARGIN => None,
            (true, Some(_)) => Some((
                Plated {
                    cut_to: Some(clip),
                    ..title
                },
                clip,
            )),
            _ => Some((title, clip)),
        }
    }

    /// The innermost segment box a trace lit under `pointer`.
    fn traced_segment_at(&self, pointer: Pos2) -> Option<usize> {
        self.state.trace.as_ref()?;
        self.segment_at(pointer, |s| self.state.traced_segment(s))
    }

    /// The innermost box under `pointer` of a segment `pick` picks.
    fn segment_at(&self, pointer: Pos2, pick: impl Fn(usize) -> bool) -> Option<usize> {
        self.scene
            .layout
            .segments
            .iter()
            .filter(|b| pick(b.segment))
            .filter(|b| {
                self.camera
                    .rect_to_screen(self.origin, &b.rect)
                    .contains(pointer)
            })
            .max_by_key(|b| b.depth)
            .map(|b| b.segment)
    }

    /// Flows between segments, as wide as the links they stand for; returns the one under
    /// the pointer.
    fn flows_ui(&self, pointer: Option<Pos2>) -> Option<usize> {
        let layout = self.scene.layout;
        let state = self.state;
        let quiet = state.emphasis().is_some() || state.hovered.or(state.selected).is_some();
        // The biggest flows on screen, as many as stay legible.
        let mut shown: Vec<usize> = (0..layout.flows.len())
            .filter(|&i| {
                let flow = &layout.flows[i];
                !state.filter.hidden_kinds.contains(&flow.kind) && self.points_visible(&flow.points)
            })
            .collect();
        // The largest first; of thousands, only the few shown are sorted.
        let largest = |&i: &usize| (std::cmp::Reverse(layout.flows[i].links.len()), i);
        if shown.len() > theme::FLOWS_SHOWN {
            shown.select_nth_unstable_by_key(theme::FLOWS_SHOWN, largest);
            shown.truncate(theme::FLOWS_SHOWN);
        }
        shown.sort_unstable_by_key(largest);
        let most = shown
            .first()
            .map_or(1, |&i| layout.flows[i].links.len())
            .max(1) as f32;
        let mut hovered = None;
        // Thin ones first, so that the big ones lie on top.
        for &i in shown.iter().rev() {
            let flow = &layout.flows[i];
            let share = flow.links.len() as f32 / most;
            let width = 1.0 + (theme::FLOW_MAX_PX - 1.0) * share.sqrt();
            let base = theme::link_color(flow.kind);
            let color = if quiet {
                base.gamma_multiply(0.2)
            } else {
                base.gamma_multiply(0.5)
            };
            let color = color.gamma_multiply(self.scene.glide.map_or(1.0, |g| g.flow_opacity(i)));
            let points = self.screen_points(&flow.points);
            self.draw_arrow(&points, Stroke::new(width, color), (width / 3.0).max(1.0));
            if let Some(p) = pointer
                && near_polyline(&points, p, width / 2.0 + 3.0)
            {
                hovered = Some(i);
            }
        }
        hovered
    }

    /// A route in screen points with an arrowhead at its end, pointing along the last half
    /// bend; `zoom` sizes the arrowhead.
    fn draw_arrow(&self, points: &[Pos2], stroke: Stroke, zoom: f32) {
        draw_route(self.painter, points, stroke, self.viewport);
        if let [.., before, last] = *points {
            let bend = (last.y - before.y) / 2.0;
            arrowhead(
                self.painter,
                Pos2::new(last.x, last.y - bend),
                last,
                stroke.color,
                zoom,
            );
        }
    }

    /// Links between nodes that `keep` picks (by their ends), as routed; `strong` draws
    /// them emphasised.
    fn edges_ui(&self, keep: impl Fn((usize, usize)) -> bool, strong: bool) {
        let MapScene {
            map,
            layout,
            link_ends,
            ..
        } = *self.scene;
        let state = self.state;
        let quiet = state.emphasis().is_some() || state.hovered.or(state.selected).is_some();
        for (k, edge) in layout.edges.iter().enumerate() {
            let Some(link) = map.links.get(edge.link) else {
                continue;
            };
            let Some(ends) = link_ends.get(edge.link).copied().flatten() else {
                continue;
            };
            if state.filter.hidden_kinds.contains(&link.kind)
                || !keep(ends)
                || !self.points_visible(&edge.points)
            {
                continue;
            }
            let base = theme::link_color(link.kind);
            let (color, width) = if strong {
                (base, 2.5)
            } else if quiet {
                (base.gamma_multiply_u8(self.palette.dimmed_alpha), 1.0)
            } else {
                (base.gamma_multiply(0.75), 1.2)
            };
            let added = state
                .compare
                .as_ref()
                .is_some_and(|c| c.added_links.contains(&edge.link));
            let (color, width) = if added {
                (theme::ADDED, f32::max(width, 2.5))
            } else {
                (color, width)
            };
            let color = color.gamma_multiply(self.scene.glide.map_or(1.0, |g| g.edge_opacity(k)));
            let points = self.screen_points(&edge.points);
            self.draw_arrow(&points, Stroke::new(width, color), self.camera.zoom);
        }
    }

    /// Node cards: a name wrapped in its card (ideas lighter and dashed), a logo, the marks
    /// of a comparison; at overview, small plain cards clear of the titles. Returns the card
    /// under the pointer.
    fn cards_ui(
        &self,
        ui: &egui::Ui,
        pointer: Option<Pos2>,
        node_drag: Option<(usize, Vec2)>,
        overview: bool,
        blocked: &Labels,
    ) -> Option<usize> {
        let state = self.state;
        let emphasis = state.emphasis();
        let tracing = emphasis.is_some();
        let market_only = state.market_lens_only();
        let mut hovered = None;
        for (i, rect) in self.scene.layout.nodes.iter().enumerate() {
            let mut screen = self.camera.rect_to_screen(self.origin, rect);
            if let Some((dragged, offset)) = node_drag
                && dragged == i
            {
                screen = screen.translate(offset);
            }
            if !self.visible(screen) {
                continue;
            }
            let lit_here = emphasis.is_some_and(|e| e.contains(&i));
            let emphasised =
                state.selected == Some(i) || state.hovered == Some(i) || (tracing && lit_here);
            if overview && !emphasised && (screen.height() < 2.5 || blocked.hits(screen)) {
                continue;
            }
            // Only what is drawn can be pointed at.
            if pointer.is_some_and(|p| screen.contains(p)) {
                hovered = Some(i);
            }
            let dim = tracing && !lit_here;
            let lit = state.hovered == Some(i) || (tracing && lit_here && !market_only);
            let opacity = self.scene.glide.map_or(1.0, |g| g.node_opacity(i));
            self.with_opacity(opacity, |view| {
                view.card_ui(ui, i, screen, dim, lit, blocked);
            });
        }
        hovered
    }

    /// Draws with `draw` at `opacity` (what fades in or out).
    fn with_opacity(&self, opacity: f32, draw: impl FnOnce(&View<'_, '_>)) {
        if opacity >= 1.0 {
            draw(self);
            return;
        }
        let mut painter = self.painter.clone();
        painter.multiply_opacity(opacity);
        draw(&View {
            painter: &painter,
            ..*self
        });
    }

    /// Paints `galley` at `at`, cut to `clip` where it reaches past it. A galley wholly
    /// inside `clip` (a title already ellipsised to its box) is painted under the view's
    /// own clip: a shape with a clip of its own starts a mesh of its own when tessellated,
    /// and at Fit on a large map that was a mesh, and its growth, per segment title.
    fn galley_within(
        &self,
        at: Pos2,
        galley: std::sync::Arc<egui::Galley>,
        clip: egui::Rect,
        color: egui::Color32,
    ) {
        if clip.contains_rect(egui::Rect::from_min_size(at, galley.size())) {
            self.painter.galley(at, galley, color);
        } else {
            self.painter.with_clip_rect(clip).galley(at, galley, color);
        }
    }

    /// Nodes removed since the version compared with: dashed, struck-through cards in the
    /// cells the layout made for them in their old segment (or tier), a new one fading in.
    /// Zoomed out, only their dashed outlines.
    fn ghosts_ui(&self, overview: bool) {
        let Some(marks) = &self.state.compare else {
            return;
        };
        for (k, (ghost, rect)) in marks.ghosts.iter().zip(self.scene.ghosts).enumerate() {
            let Some(rect) = rect else { continue };
            let screen = self.camera.rect_to_screen(self.origin, rect);
            if !self.visible(screen) {
                continue;
            }
            let opacity = self.scene.glide.map_or(1.0, |g| g.ghost_opacity(k));
            let name = ghost.name_in(self.state.lang);
            self.with_opacity(opacity, |view| view.ghost_ui(screen, name, overview));
        }
    }

    /// A ghost at `screen`: a dashed card with its name struck through (zoomed out, only
    /// the dashed outline).
    fn ghost_ui(&self, screen: egui::Rect, name: &str, overview: bool) {
        let zoom = self.camera.zoom;
        dashed_outline(
            self.painter,
            screen,
            Stroke::new(1.2, theme::REMOVED),
            zoom,
            1.0,
        );
        if overview {
            return;
        }
        let galley = self.painter.layout(
            name.to_owned(),
            FontId::proportional(theme::NODE_TEXT_SIZE * zoom),
            theme::REMOVED,
            (screen.width() - theme::NODE_PADDING.x * zoom).max(1.0),
        );
        let text = egui::Rect::from_center_size(screen.center(), galley.size());
        self.galley_within(
            text.min,
            galley,
            screen.intersect(self.viewport),
            theme::REMOVED,
        );
        self.painter.line_segment(
            [
                Pos2::new(text.left() - 2.0, screen.center().y),
                Pos2::new(text.right() + 2.0, screen.center().y),
            ],
            Stroke::new(1.0, theme::REMOVED),
        );
    }

    /// What the new layout no longer has, fading out where it was: cards with their names,
    /// segment boxes empty.
    fn leaving_ui(&self, overview: bool) {
        let Some(glide) = self.scene.glide else {
            return;
        };
        let zoom = self.camera.zoom;
        self.with_opacity(glide.leaving_opacity(), |view| {
            for leaving in glide.leaving() {
                let screen = view.camera.rect_to_screen(view.origin, &leaving.rect);
                if !view.visible(screen) {
                    continue;
                }
                let rounding = corner_radius(zoom);
                match &leaving.what {
                    Left::Box => {
                        let stroke = Stroke::new(1.0, view.palette.segment_stroke);
                        view.painter.rect_stroke(
                            screen,
                            rounding,
                            stroke,
                            egui::StrokeKind::Inside,
                        );
                    }
                    Left::Ghost(name) => view.ghost_ui(screen, name, overview),
                    Left::Card(name) => {
                        let stroke = Stroke::new(1.0, view.palette.node_stroke);
                        let fill = view.palette.node_fill;
                        view.painter
                            .rect(screen, rounding, fill, stroke, egui::StrokeKind::Inside);
                        if !overview {
                            view.painter
                                .with_clip_rect(screen.intersect(view.viewport))
                                .text(
                                    screen.center(),
                                    egui::Align2::CENTER_CENTER,
                                    name,
                                    FontId::proportional(theme::NODE_TEXT_SIZE * zoom),
                                    view.palette.node_text,
                                );
                        }
                    }
                }
            }
        });
    }

    /// One node's card at `screen`: dimmed outside a trace, lit when hovered or traced; a
    /// plain shade below label zoom unless selected or lit.
    fn card_ui(
        &self,
        ui: &egui::Ui,
        i: usize,
        screen: egui::Rect,
        dim: bool,
        lit: bool,
        blocked: &Labels,
    ) {
        let MapScene { map, logos, .. } = *self.scene;
        let state = self.state;
        let palette = &self.palette;
        let zoom = self.camera.zoom;
        let labels = zoom >= theme::LABEL_MIN_ZOOM;
        let selected = state.selected == Some(i);
        let idea = map
            .nodes
            .get(i)
            .is_some_and(|n| n.kind.class() == NodeClass::Idea);
        let fill = if idea {
            palette.idea_fill
        } else {
            palette.node_fill
        };
        let (fill, text) = if dim {
            (
                fill.gamma_multiply_u8(palette.dimmed_alpha * 2),
                palette
                    .node_text
                    .gamma_multiply_u8(palette.dimmed_alpha * 2),
            )
        } else {
            (fill, palette.node_text)
        };
        if !labels && !selected && !lit {
            let shade = palette
                .node_stroke
                .gamma_multiply(if idea { 0.3 } else { 0.55 });
            self.painter.rect_filled(
                screen,
                1.0,
                if dim {
                    shade.gamma_multiply(0.4)
                } else {
                    shade
                },
            );
            return;
        }
        let stroke = if selected {
            Stroke::new(2.5, palette.selected)
        } else if lit {
            Stroke::new(2.0, palette.highlight)
        } else {
            Stroke::new(1.0, palette.node_stroke)
        };
        let rounding = corner_radius(zoom);
        if idea && !selected && !lit {
            self.painter.rect_filled(screen, rounding, fill);
            dashed_outline(self.painter, screen, stroke, zoom, 0.7);
        } else {
            self.painter
                .rect(screen, rounding, fill, stroke, egui::StrokeKind::Inside);
        }
        let mut text_rect = screen.shrink2(theme::NODE_PADDING * zoom * 0.5);
        if let Some(Some(uri)) = logos.get(i) {
            // The logo sits in a square at the card's left; the name moves over.
            let side = (crate::layout::DEFAULT_NODE_HEIGHT - 8.0) * zoom;
            let square = egui::Rect::from_min_size(
                Pos2::new(screen.left() + 4.0 * zoom, screen.center().y - side / 2.0),
                Vec2::splat(side),
            );
            egui::Image::new(uri.as_str()).paint_at(ui, square);
            text_rect.min.x = square.right();
        }
        if labels {
            let wrap = (text_rect.width() + 2.0).max(1.0);
            let galley = self.painter.layout(
                node_label(map, i, state).to_owned(),
                FontId::proportional(theme::NODE_TEXT_SIZE * zoom),
                text,
                wrap,
            );
            let at = text_rect.center() - galley.size() / 2.0;
            let placed = egui::Rect::from_min_size(at, galley.size());
            if !blocked.hits(placed) {
                self.galley_within(at, galley, screen.intersect(self.viewport), text);
            }
        }
        self.comparison_marks(i, screen, zoom);
    }

    /// A comparison's mark on a card: a green frame for an added node, a dot for a changed
    /// one.
    fn comparison_marks(&self, i: usize, screen: egui::Rect, zoom: f32) {
        let Some(marks) = &self.state.compare else {
            return;
        };
        if marks.added.contains(&i) {
            self.painter.rect_stroke(
                screen.expand(2.0),
                5.0 * zoom.min(1.0),
                Stroke::new(2.5, theme::ADDED),
                egui::StrokeKind::Outside,
            );
        } else if marks.changed.contains(&i) {
            self.painter.circle_filled(
                screen.right_top(),
                (4.0 * zoom).clamp(2.5, 5.0),
                theme::CHANGED,
            );
        }
    }
}

impl View<'_, '_> {
    /// The market lens: each share's bar and value on its holder (a card, a segment's
    /// box, a tier's name), the concentration on the boxes the market covers; in edit
    /// mode, handles on the bars and, on the selected card, a button to add its share or
    /// delete it. Returns the buttons drawn.
    fn market_ui(
        &self,
        drag: Option<&ShareDrag>,
        labels: &HashMap<usize, Option<String>>,
    ) -> Vec<(egui::Rect, ShareButton)> {
        let Some(lens) = &self.state.market else {
            return Vec::new();
        };
        let concentration = lens.concentration_text(self.state.lang);
        self.market_tiers_ui(lens, &concentration, drag);
        self.market_segments_ui(lens, drag, labels);
        let mut buttons = self.market_cards_ui(lens, drag);
        buttons.extend(self.add_share_button_ui(lens));
        buttons
    }

    /// The market lens on the tier bands: the values of shares held by a tier, right to
    /// left from the band's corner, then the concentration if the market is at home there.
    fn market_tiers_ui(&self, lens: &MarketLens, concentration: &str, drag: Option<&ShareDrag>) {
        for band in &self.scene.layout.tiers {
            let rect = self.camera.rect_to_screen(self.origin, &band.rect);
            if !self.visible(rect) {
                continue;
            }
            let mut corner = Pos2::new(
                rect.right().min(self.viewport.right()) - 6.0,
                rect.top() + 3.0,
            );
            for share in lens.pills_at(Holder::Tier(band.tier)) {
                let pill = self.share_pill(corner, share, drag);
                corner.x = pill.left() - 6.0;
            }
            if lens.is_home(Holder::Tier(band.tier)) {
                paint_home_label(
                    self.painter,
                    corner,
                    concentration.to_owned(),
                    &self.palette,
                );
            }
        }
    }

    /// The market lens on the segment boxes: a segment's share as a bar, the values of its
    /// own and of joint shares in its header, then the concentration if at home there: the
    /// label its title made room for (`labels`), or for a box with no title drawn, what
    /// the box's width holds.
    fn market_segments_ui(
        &self,
        lens: &MarketLens,
        drag: Option<&ShareDrag>,
        labels: &HashMap<usize, Option<String>>,
    ) {
        for segment_box in &self.scene.layout.segments {
            let holder = Holder::Segment(segment_box.segment);
            let share = lens.share_of(holder);
            let home = lens.is_home(holder);
            if share.is_none() && !home && lens.pills_at(holder).next().is_none() {
                continue;
            }
            let rect = self.camera.rect_to_screen(self.origin, &segment_box.rect);
            if !self.visible(rect) {
                continue;
            }
            // In the box's header, right of its title: its share, then the concentration.
            let mut corner = rect.right_top() + Vec2::new(-3.0, 2.0);
            if let Some(share) = share {
                self.share_bar(rect, share, drag);
            }
            // Its own share's value, and a joint share of the cards inside it.
            for share in lens.pills_at(holder) {
                corner.x = self.share_pill(corner, share, drag).left() - 4.0;
            }
            if !home {
                continue;
            }
            // The whole concentration, or where the box is narrow its top-1 alone.
            let label = match labels.get(&segment_box.segment) {
                Some(label) => label.clone(),
                None => {
                    BoxHeader::of(
                        self.painter,
                        lens,
                        holder,
                        (self.state.lang, self.camera.zoom),
                        rect.width(),
                    )
                    .label
                }
            };
            if let Some(label) = label {
                paint_home_label(self.painter, corner, label, &self.palette);
            }
        }
    }

    /// The market lens on the cards: each card's share as a bar and its value, and in edit
    /// mode a delete button on the selected card's share. Returns the buttons drawn.
    fn market_cards_ui(
        &self,
        lens: &MarketLens,
        drag: Option<&ShareDrag>,
    ) -> Vec<(egui::Rect, ShareButton)> {
        let mut buttons = Vec::new();
        let layout = self.scene.layout;
        let zoom = self.camera.zoom;
        let state = self.state;
        for share in &lens.shares {
            let Holder::Node(i) = share.holder else {
                continue;
            };
            let Some(rect) = layout.nodes.get(i) else {
                continue;
            };
            let card = self.camera.rect_to_screen(self.origin, rect);
            if !self.visible(card) {
                continue;
            }
            self.share_bar(card, share, drag);
            let size = pill_text_px(zoom);
            let corner = card.right_top() + Vec2::new(-2.0, -size * 0.65);
            let pill = if share.pill_at == Some(share.holder) {
                self.share_pill(corner, share, drag)
            } else {
                egui::Rect::from_min_max(corner, corner)
            };
            if state.editing && state.selected == Some(i) {
                // At the card's other corner, clear of the value.
                let delete = paint_pill(
                    self.painter,
                    (Pos2::new(card.left() + 2.0, pill.top()), egui::Align::Min),
                    "×".to_owned(),
                    (theme::REMOVED, Color32::WHITE),
                    size,
                );
                buttons.push((delete, ShareButton::Delete(share.figure.clone())));
            }
        }
        buttons
    }

    /// In edit mode, a "+ Share" button on the selected card when it is a market
    /// participant without a share yet.
    fn add_share_button_ui(&self, lens: &MarketLens) -> Option<(egui::Rect, ShareButton)> {
        let MapScene { map, layout, .. } = *self.scene;
        let state = self.state;
        if state.editing
            && let Some(i) = state.selected
            && lens.share_of(Holder::Node(i)).is_none()
            && map
                .nodes
                .get(i)
                .is_some_and(|n| n.kind.is_market_participant())
            && let Some(rect) = layout.nodes.get(i)
        {
            let card = self.camera.rect_to_screen(self.origin, rect);
            let size = pill_text_px(self.camera.zoom);
            let add = paint_pill(
                self.painter,
                (
                    card.right_top() + Vec2::new(-2.0, -size * 0.65),
                    egui::Align::Max,
                ),
                Msg::AddShare.in_lang(self.state.lang).to_owned(),
                (theme::ADDED, Color32::WHITE),
                size,
            );
            return Some((add, ShareButton::Add(i)));
        }
        None
    }

    /// A share's bar along the bottom of its holder, with the dragged value if its end is
    /// being dragged, and the checker's complaint about that value.
    fn share_bar(&self, holder: egui::Rect, share: &LensShare, drag: Option<&ShareDrag>) {
        let bar = bar_rect(holder, self.camera.zoom);
        let (low, high) = dragged_range(share, drag);
        paint_bar(
            self.painter,
            bar,
            (low, high),
            share.open_high
                && !drag.is_some_and(|d| d.figure == share.figure && d.end == End::High),
            theme::share_color(share.rank),
            self.state.editing && !share.is_joint(),
        );
        if let Some(problem) = &self.state.share_problem
            && drag.is_some_and(|d| d.figure == share.figure)
        {
            self.painter.text(
                bar.left_bottom() + Vec2::new(0.0, 3.0),
                egui::Align2::LEFT_TOP,
                problem,
                FontId::proportional(11.0),
                theme::REMOVED,
            );
        }
    }

    /// A share's value in a pill of its colour, its top-right corner at `corner`: the
    /// figure's value, or while an end is dragged, the range it would have.
    fn share_pill(&self, corner: Pos2, share: &LensShare, drag: Option<&ShareDrag>) -> egui::Rect {
        let text = match drag.filter(|d| d.figure == share.figure) {
            Some(d) => {
                let (low, high) = dragged_range(share, Some(d));
                let number = crate::model::format_number;
                if low == high {
                    format!("{}: {}%", d.end.field(), number(low))
                } else {
                    format!("{}: {}–{}%", d.end.field(), number(low), number(high))
                }
            }
            None => share.label(self.state.lang),
        };
        paint_pill(
            self.painter,
            (corner, egui::Align::Max),
            text,
            (
                theme::share_color(share.rank),
                theme::ink_on(theme::share_color(share.rank)),
            ),
            pill_text_px(self.camera.zoom),
        )
    }
}

/// A share's range with a dragged end in place.
fn dragged_range(share: &LensShare, drag: Option<&ShareDrag>) -> (f64, f64) {
    match drag.filter(|d| d.figure == share.figure) {
        // The drawn high may be capped by what the other shares leave; the figure's own
        // high is at or past the dragged low.
        Some(d) if d.end == End::Low => (d.value, share.high.max(d.value)),
        Some(d) => (share.low.min(d.value), d.value),
        None => (share.low, share.high),
    }
}

/// The rounding of cards' and boxes' corners at `zoom`: none where it would be under a
/// pixel (a rounded corner costs the tessellator four times the points of a square one, for
/// nothing anyone can see, on thousands of boxes at overview).
fn corner_radius(zoom: f32) -> f32 {
    let radius = 4.0 * zoom.min(1.0);
    if radius < 1.0 { 0.0 } else { radius }
}

/// How far a name's backing reaches past its text.
const PLATE_MARGIN: f32 = 2.0;

/// The fewest letters of a segment's name its title shows at overview before it is cut.
const MIN_TITLE_LETTERS: usize = 4;

/// A name laid out at `rect`, drawn on a backing of `fill`.
struct Plated {
    rect: egui::Rect,
    galley: std::sync::Arc<egui::Galley>,
    fill: Color32,
    color: Color32,
    /// Where it is cut, when it is: only a title whose box is gliding to another width.
    cut_to: Option<egui::Rect>,
}

impl Plated {
    /// Whether the name shows at least `letters` of its characters (all of them when it has
    /// fewer) before it is cut with an ellipsis.
    fn shows_letters(&self, letters: usize) -> bool {
        let shown: usize = self.galley.rows.iter().map(|row| row.glyphs.len()).sum();
        let whole = self.galley.job.text.chars().count();
        shown >= whole || shown > letters
    }
}

/// The segments' titles of a frame: where they are (card names keep off them), and at
/// overview the titles themselves, drawn over the cards.
#[derive(Default)]
struct SegmentTitles {
    rects: Vec<egui::Rect>,
    over_cards: Vec<Plated>,
    /// The market's label on each box whose title was cut for it (`None`: the title left
    /// no room for one), so that the label drawn is the one the title made room for.
    market_labels: HashMap<usize, Option<String>>,
}

/// Where labels are on screen, in cells of a grid, so that a card asks only its cells
/// whether a label covers it (a large map has thousands of titles and cards).
struct Labels {
    cells: rustc_hash::FxHashMap<(i32, i32), Vec<egui::Rect>>,
}

impl Labels {
    const CELL: f32 = 64.0;

    fn cell_range(
        rect: egui::Rect,
    ) -> (std::ops::RangeInclusive<i32>, std::ops::RangeInclusive<i32>) {
        let cell = |v: f32| (v / Self::CELL).floor() as i32;
        (
            cell(rect.left())..=cell(rect.right()),
            cell(rect.top())..=cell(rect.bottom()),
        )
    }

    fn new(rects: impl Iterator<Item = egui::Rect>) -> Labels {
        let mut cells: rustc_hash::FxHashMap<(i32, i32), Vec<egui::Rect>> =
            rustc_hash::FxHashMap::default();
        for rect in rects.filter(|r| r.is_positive()) {
            let (xs, ys) = Self::cell_range(rect);
            for x in xs {
                for y in ys.clone() {
                    cells.entry((x, y)).or_default().push(rect);
                }
            }
        }
        Labels { cells }
    }

    /// Whether a label covers part of `rect`.
    fn hits(&self, rect: egui::Rect) -> bool {
        let (xs, ys) = Self::cell_range(rect);
        xs.into_iter().any(|x| {
            ys.clone().any(|y| {
                self.cells
                    .get(&(x, y))
                    .is_some_and(|list| list.iter().any(|r| r.intersects(rect)))
            })
        })
    }
}

/// A route on screen: straight along vertical runs, curves (leaving and entering
/// vertically) across gaps; only the pieces on screen.
fn draw_route(painter: &egui::Painter, points: &[Pos2], stroke: Stroke, viewport: egui::Rect) {
    let long = viewport.size().length() * 2.0;
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if !egui::Rect::from_two_pos(a, b)
            .expand(4.0 + stroke.width)
            .intersects(viewport)
        {
            continue;
        }
        // A very long piece is drawn straight, since a curve is flattened into more
        // segments the longer it is.
        if (a.x - b.x).abs() < 0.5 || (a.y - b.y).abs() < 0.5 || (b - a).length() > long {
            painter.line_segment([a, b], stroke);
            continue;
        }
        let bend = (b.y - a.y) / 2.0;
        painter.add(CubicBezierShape::from_points_stroke(
            [a, Pos2::new(a.x, a.y + bend), Pos2::new(b.x, b.y - bend), b],
            false,
            Color32::TRANSPARENT,
            stroke,
        ));
    }
}

/// Whether `p` is within `distance` of the polyline through `points`.
fn near_polyline(points: &[Pos2], p: Pos2, distance: f32) -> bool {
    points.windows(2).any(|pair| {
        let (a, b) = (pair[0], pair[1]);
        let ab = b - a;
        let t = ((p - a).dot(ab) / ab.length_sq().max(f32::EPSILON)).clamp(0.0, 1.0);
        (a + ab * t - p).length() <= distance
    })
}

/// A dashed border, for cards of ideas and removed nodes; `gap` is the gaps' length as a
/// share of the dashes'.
fn dashed_outline(painter: &egui::Painter, rect: egui::Rect, stroke: Stroke, zoom: f32, gap: f32) {
    let corners = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    let dash = (4.0 * zoom).max(2.0);
    painter.extend(Shape::dashed_line(&corners, stroke, dash, dash * gap));
}

/// A segment's box hovered at overview: its name, its tier and how many nodes it holds.
fn segment_tooltip_ui(ui: &mut egui::Ui, scene: &MapScene<'_>, segment: usize, state: &ViewState) {
    let map = scene.map;
    let Some(seg) = map.segments.get(segment) else {
        return;
    };
    ui.strong(seg.name_in(state.lang));
    let tier = access::tier_name(map, &seg.tier, state.lang);
    let nodes = scene.segment_counts.get(segment).copied().unwrap_or(0);
    ui.label(if nodes == 1 {
        Msg::segment_of_one(state.lang, tier)
    } else {
        Msg::segment_of(state.lang, tier, nodes)
    });
}

/// A flow's essentials: how many links of which kind, from which segment to which.
fn flow_tooltip_ui(ui: &mut egui::Ui, map: &Map, flow: &crate::layout::Flow, state: &ViewState) {
    let name = |s: usize| {
        map.segments
            .get(s)
            .map_or("", |seg| seg.name_in(state.lang))
    };
    ui.strong(format!("{} → {}", name(flow.from), name(flow.to)));
    let count = flow.links.len();
    let kind = flow.kind.label_in(state.lang);
    ui.label(if count == 1 {
        Msg::flow_link(state.lang, count, kind)
    } else {
        Msg::flow_links(state.lang, count, kind)
    });
}
