//! The layered diagram: tier bands, segment boxes, nodes and routed links, with pan
//! (drag), zoom around the pointer (wheel or pinch) and fit. Draws only what is on screen,
//! and drops names when zoomed too far out to read them.

use super::ViewState;
use super::theme::{self, Palette};
use crate::layout::{Layout, Rect};
use crate::model::{Map, localized};
use egui::{Align2, Color32, FontId, Pos2, Sense, Shape, Stroke, Vec2, epaint::CubicBezierShape};

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
        let margin = 0.95;
        let zoom = (viewport.width() / bounds.w.max(1.0))
            .min(viewport.height() / bounds.h.max(1.0))
            * margin;
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
    fn zoom_around(&mut self, origin: Pos2, anchor: Pos2, factor: f32) {
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
    pub dropped: Option<(usize, (f32, f32))>,
}

/// Node names in the current language, measured: what the layout is computed from.
pub fn node_label<'a>(map: &'a Map, node: usize, state: &ViewState) -> &'a str {
    map.nodes
        .get(node)
        .map_or("", |n| localized(&n.name, n.name_zh.as_deref(), state.lang))
}

/// Draws the map and handles pan, zoom and picking.
/// What the map view draws: the map, its layout, and what is derived once per map.
pub struct MapScene<'a> {
    pub map: &'a Map,
    pub layout: &'a Layout,
    /// For each link, the indices of its `from` and `to` nodes.
    pub link_ends: &'a [Option<(usize, usize)>],
    /// For each node, the URI of its logo, when it has a safe one.
    pub logos: &'a [Option<String>],
}

pub fn map_view_ui(
    ui: &mut egui::Ui,
    scene: &MapScene<'_>,
    camera: &mut Camera,
    state: &ViewState,
) -> MapResponse {
    let MapScene {
        map,
        layout,
        link_ends,
        logos,
    } = *scene;
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    let viewport = response.rect;
    let origin = viewport.min;
    let palette = theme::palette(state.dark);
    painter.rect_filled(viewport, 0.0, palette.canvas);

    // In edit mode a drag that starts on a node moves that node; any other drag pans.
    let node_drag_id = response.id.with("node-drag");
    if state.editing && response.drag_started() {
        let press = ui.input(|i| i.pointer.press_origin());
        let grabbed = press.and_then(|p| {
            layout
                .nodes
                .iter()
                .position(|rect| camera.rect_to_screen(origin, rect).contains(p))
        });
        if let Some(node) = grabbed {
            ui.data_mut(|d| d.insert_temp(node_drag_id, (node, Vec2::ZERO)));
        }
    }
    let mut node_drag: Option<(usize, Vec2)> = ui.data(|d| d.get_temp(node_drag_id));
    let mut dropped = None;
    if let Some((node, offset)) = &mut node_drag {
        *offset += response.drag_delta();
        if response.drag_stopped() || !response.dragged() {
            ui.data_mut(|d| d.remove::<(usize, Vec2)>(node_drag_id));
            if let Some(rect) = layout.nodes.get(*node) {
                let zoom = camera.zoom.max(f32::EPSILON);
                dropped = Some((
                    *node,
                    (
                        rect.center_x() + offset.x / zoom,
                        rect.y + rect.h / 2.0 + offset.y / zoom,
                    ),
                ));
            }
        } else {
            ui.data_mut(|d| d.insert_temp(node_drag_id, (*node, *offset)));
        }
    } else if response.dragged() {
        camera.pan += response.drag_delta();
    }
    if response.hovered() {
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

    let visible = |r: egui::Rect| r.intersects(viewport);
    // The viewport in map coordinates (with a margin for arrowheads and strokes).
    let visible_map = egui::Rect::from_min_max(
        ((viewport.min - origin - camera.pan) / camera.zoom).to_pos2(),
        ((viewport.max - origin - camera.pan) / camera.zoom).to_pos2(),
    )
    .expand(8.0 / camera.zoom.max(MIN_ZOOM));
    let zoom = camera.zoom;

    // Tier bands, full width, their names held at the left edge of the view.
    for band in &layout.tiers {
        let rect = camera.rect_to_screen(origin, &band.rect);
        if !visible(rect) {
            continue;
        }
        painter.rect_filled(rect, 0.0, palette.tier_band[band.tier % 2]);
        if let Some(tier) = map.tiers.get(band.tier) {
            let name = localized(&tier.name, tier.name_zh.as_deref(), state.lang);
            let at = Pos2::new(rect.left().max(viewport.left()) + 8.0, rect.top() + 4.0);
            painter.text(
                at,
                Align2::LEFT_TOP,
                name,
                FontId::proportional((16.0 * zoom).clamp(11.0, 18.0)),
                palette.tier_title,
            );
        }
    }

    // Segment boxes.
    for segment_box in &layout.segments {
        let rect = camera.rect_to_screen(origin, &segment_box.rect);
        if !visible(rect) {
            continue;
        }
        let depth = usize::from(segment_box.depth.saturating_sub(1)).min(1);
        painter.rect(
            rect,
            4.0 * zoom.min(1.0),
            palette.segment_fill[depth],
            Stroke::new(1.0, palette.segment_stroke),
            egui::StrokeKind::Inside,
        );
        let title_size = 11.0 * zoom;
        if title_size >= 6.0
            && let Some(segment) = map.segments.get(segment_box.segment)
        {
            let name = localized(&segment.name, segment.name_zh.as_deref(), state.lang);
            let galley = painter.layout_no_wrap(
                name.to_owned(),
                FontId::proportional(title_size),
                palette.segment_title,
            );
            let clip = rect.shrink(2.0);
            painter.with_clip_rect(clip.intersect(viewport)).galley(
                rect.left_top() + Vec2::new(4.0, 3.0) * zoom,
                galley,
                palette.segment_title,
            );
        }
    }

    let focus = state.hovered.or(state.selected);
    let emphasis = state.emphasis();
    let tracing = emphasis.is_some();
    let empty = std::collections::BTreeSet::new();
    let lit_set = emphasis.unwrap_or(&empty);
    // Level of detail: far out, nodes are too small to tell apart, so segments show as
    // blocks and only the links that matter (focus, trace, lens) are drawn; in between,
    // nodes are plain boxes and links straight; close up, everything.
    let node_px = zoom * crate::layout::DEFAULT_NODE_HEIGHT;
    let blocks_only = node_px < theme::BLOCK_VIEW_NODE_PX;
    let simple = zoom < theme::LABEL_MIN_ZOOM;

    // Links: smooth curves that leave and enter nodes vertically, with an arrowhead.
    for edge in &layout.edges {
        let Some(link) = map.links.get(edge.link) else {
            continue;
        };
        let ends = link_ends
            .get(edge.link)
            .copied()
            .flatten()
            .map_or((None, None), |(a, b)| (Some(a), Some(b)));
        let touches_focus = focus.is_some() && (ends.0 == focus || ends.1 == focus);
        if state.filter.hidden_kinds.contains(&link.kind) {
            continue;
        }
        let in_trace =
            matches!(ends, (Some(a), Some(b)) if lit_set.contains(&a) && lit_set.contains(&b));
        if blocks_only && !touches_focus && !(tracing && in_trace) {
            continue;
        }
        // Cull in map coordinates first, before anything is allocated for the edge.
        let (mut min, mut max) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in &edge.points {
            min = [min[0].min(p[0]), min[1].min(p[1])];
            max = [max[0].max(p[0]), max[1].max(p[1])];
        }
        if max[0] < visible_map.min.x
            || min[0] > visible_map.max.x
            || max[1] < visible_map.min.y
            || min[1] > visible_map.max.y
        {
            continue;
        }
        let points: Vec<Pos2> = edge
            .points
            .iter()
            .map(|p| camera.to_screen(origin, p[0], p[1]))
            .collect();
        let bounds = egui::Rect::from_points(&points);
        if !visible(bounds.expand(4.0)) {
            continue;
        }
        let base = theme::link_color(link.kind);
        let (color, width) = if touches_focus || (tracing && in_trace) {
            (base, 2.5)
        } else if tracing || focus.is_some() {
            (base.gamma_multiply_u8(palette.dimmed_alpha), 1.0)
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
        let stroke = Stroke::new(width, color);
        if simple {
            painter.add(Shape::line(points, stroke));
            continue;
        }
        if edge.flat {
            if let [a, top, b] = points[..] {
                let curve = CubicBezierShape::from_points_stroke(
                    [a, Pos2::new(a.x, top.y), Pos2::new(b.x, top.y), b],
                    false,
                    Color32::TRANSPARENT,
                    stroke,
                );
                painter.add(curve);
                arrowhead(&painter, Pos2::new(b.x, top.y), b, color, zoom);
            }
            continue;
        }
        let long = viewport.size().length() * 2.0;
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            // Only the pieces on screen; a very long piece is drawn straight, since a curve
            // is flattened into more segments the longer it is.
            if !visible(egui::Rect::from_two_pos(a, b).expand(4.0)) {
                continue;
            }
            if (b - a).length() > long {
                painter.line_segment([a, b], stroke);
                continue;
            }
            let bend = (b.y - a.y) / 2.0;
            let curve = CubicBezierShape::from_points_stroke(
                [a, Pos2::new(a.x, a.y + bend), Pos2::new(b.x, b.y - bend), b],
                false,
                Color32::TRANSPARENT,
                stroke,
            );
            painter.add(curve);
        }
        if let [.., before, last] = points[..] {
            let bend = (last.y - before.y) / 2.0;
            arrowhead(
                &painter,
                Pos2::new(last.x, last.y - bend),
                last,
                color,
                zoom,
            );
        }
    }

    // Nodes, and the one under the pointer.
    let pointer = response.hover_pos();
    let mut hovered = None;
    let labels = !simple;
    for (i, rect) in layout.nodes.iter().enumerate() {
        let mut screen = camera.rect_to_screen(origin, rect);
        if let Some((dragged, offset)) = node_drag
            && dragged == i
        {
            screen = screen.translate(offset);
        }
        if !visible(screen) {
            continue;
        }
        let emphasised = state.selected == Some(i)
            || state.hovered == Some(i)
            || (tracing && lit_set.contains(&i));
        if blocks_only && !emphasised {
            continue;
        }
        // Only what is drawn can be pointed at.
        if pointer.is_some_and(|p| screen.contains(p)) {
            hovered = Some(i);
        }
        if simple && !emphasised {
            painter.rect_filled(screen, 0.0, palette.node_stroke.gamma_multiply(0.6));
            continue;
        }
        let selected = state.selected == Some(i);
        let lit = state.hovered == Some(i) || (tracing && lit_set.contains(&i));
        let dim = tracing && !lit_set.contains(&i);
        let (fill, text) = if dim {
            (
                palette
                    .node_fill
                    .gamma_multiply_u8(palette.dimmed_alpha * 2),
                palette
                    .node_text
                    .gamma_multiply_u8(palette.dimmed_alpha * 2),
            )
        } else {
            (palette.node_fill, palette.node_text)
        };
        let stroke = if selected {
            Stroke::new(2.5, palette.selected)
        } else if lit {
            Stroke::new(2.0, palette.highlight)
        } else {
            Stroke::new(1.0, palette.node_stroke)
        };
        painter.rect(
            screen,
            4.0 * zoom.min(1.0),
            fill,
            stroke,
            egui::StrokeKind::Inside,
        );
        let mut text_centre = screen.center();
        if let Some(Some(uri)) = logos.get(i) {
            // The logo sits in a square at the node's left; the name moves over.
            let side = (screen.height() - 6.0 * zoom.min(1.0)).max(1.0);
            let square = egui::Rect::from_min_size(
                screen.left_top() + Vec2::splat((screen.height() - side) / 2.0),
                Vec2::splat(side),
            );
            egui::Image::new(uri.as_str()).paint_at(ui, square);
            text_centre.x += screen.height() / 2.0;
        }
        if labels {
            painter.text(
                text_centre,
                Align2::CENTER_CENTER,
                node_label(map, i, state),
                FontId::proportional(theme::NODE_TEXT_SIZE * zoom),
                text,
            );
        }
        if let Some(marks) = &state.compare {
            if marks.added.contains(&i) {
                painter.rect_stroke(
                    screen.expand(2.0),
                    5.0 * zoom.min(1.0),
                    Stroke::new(2.5, theme::ADDED),
                    egui::StrokeKind::Outside,
                );
            } else if marks.changed.contains(&i) {
                painter.circle_filled(
                    screen.right_top(),
                    (4.0 * zoom).clamp(2.5, 5.0),
                    theme::CHANGED,
                );
            }
        }
    }
    if let Some(marks) = &state.compare
        && !blocks_only
    {
        ghosts(&painter, layout, marks, camera, origin, state);
    }

    let clicked = response.clicked().then_some(hovered);
    if let Some(node) = hovered {
        response.on_hover_ui_at_pointer(|ui| tooltip_ui(ui, map, node, state));
    }
    MapResponse {
        hovered,
        clicked,
        dropped,
    }
}

/// Nodes removed since the version compared with: dashed, struck-through boxes in a row
/// under their old segment (or along their tier when the segment is gone too).
fn ghosts(
    painter: &egui::Painter,
    layout: &Layout,
    marks: &super::CompareMarks,
    camera: &Camera,
    origin: Pos2,
    state: &ViewState,
) {
    let zoom = camera.zoom;
    let font = FontId::proportional(theme::NODE_TEXT_SIZE * zoom * 0.9);
    let mut next_x: std::collections::HashMap<(Option<usize>, Option<usize>), f32> =
        std::collections::HashMap::new();
    for ghost in &marks.ghosts {
        let home = match ghost.segment {
            Some(segment) => layout
                .segments
                .iter()
                .find(|b| b.segment == segment)
                .map(|b| b.rect),
            None => None,
        }
        .or_else(|| {
            ghost
                .tier
                .and_then(|t| layout.tiers.iter().find(|b| b.tier == t))
                .map(|b| b.rect)
        });
        let Some(home) = home else { continue };
        let home = camera.rect_to_screen(origin, &home);
        let name = localized(&ghost.name, ghost.name_zh.as_deref(), state.lang);
        let galley = painter.layout_no_wrap(name.to_owned(), font.clone(), theme::REMOVED);
        let size = galley.size() + Vec2::new(12.0, 8.0) * zoom.min(1.0);
        let x = next_x
            .entry((ghost.segment, ghost.tier))
            .or_insert(home.left() + 6.0 * zoom);
        // Just under the box, where no node is drawn.
        let rect = egui::Rect::from_min_size(Pos2::new(*x, home.bottom() + 3.0 * zoom), size);
        *x += size.x + 6.0 * zoom;
        let corners = [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
            rect.left_top(),
        ];
        let dash = (4.0 * zoom).max(2.0);
        painter.extend(Shape::dashed_line(
            &corners,
            Stroke::new(1.2, theme::REMOVED),
            dash,
            dash,
        ));
        let text_pos = rect.center() - galley.size() / 2.0;
        let strike_y = rect.center().y;
        painter.galley(text_pos, galley, theme::REMOVED);
        painter.line_segment(
            [
                Pos2::new(rect.left() + 4.0, strike_y),
                Pos2::new(rect.right() - 4.0, strike_y),
            ],
            Stroke::new(1.0, theme::REMOVED),
        );
    }
}

/// The essentials of a node: name, kind and tier, links, and the first figure about it.
fn tooltip_ui(ui: &mut egui::Ui, map: &Map, node: usize, state: &ViewState) {
    let Some(n) = map.nodes.get(node) else { return };
    ui.strong(node_label(map, node, state));
    let tier = map
        .tiers
        .iter()
        .find(|t| t.id == n.tier)
        .map_or(n.tier.as_str(), |t| {
            localized(&t.name, t.name_zh.as_deref(), state.lang)
        });
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
    ui.label(format!("{links} links · {theses} theses"));
    if let Some(figure) = map.figures.iter().find(|f| f.subject == n.id) {
        ui.label(format!(
            "{}: {}",
            localized(&figure.metric, figure.metric_zh.as_deref(), state.lang),
            figure.display_value()
        ));
    }
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
