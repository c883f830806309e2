//! Pictures of a map: `export --format svg|png` draws the window's layout with the map's
//! title, date, sources and legend, in English or Chinese.

mod common;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io::bundled::load_bundled;
use chainmap::model::{Lang, localized};
use chainmap::render::picture;
use common::{path_str, stderr};

/// The number in the first attribute `name` of `element` (SVG text from the element on).
fn attr(element: &str, name: &str) -> f32 {
    let start = element
        .find(&format!(" {name}=\""))
        .expect("has the attribute")
        + name.len()
        + 3;
    let end = start + element[start..].find('"').expect("closed");
    element[start..end].parse().expect("a number")
}

/// The rectangle of `element`'s first `x`, `y`, `width` and `height` attributes.
fn rect_of(element: &str) -> [f32; 4] {
    ["x", "y", "width", "height"].map(|name| attr(element, name))
}

/// The `<rect>` of each node, in SVG order (the map's node order), as (x, y, w, h).
fn node_rects(svg: &str) -> Vec<[f32; 4]> {
    svg.lines()
        .filter(|line| line.starts_with("<g opacity="))
        .map(rect_of)
        .collect()
}

/// The SVG with its `tspan` tags (runs of Chinese in the Chinese font) taken out, so that
/// each text element reads as its plain text.
fn without_tspans(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<tspan") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('>').expect("a closed tag");
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out.replace("</tspan>", "")
}

/// The names drawn on the cards, a line break read as a space.
fn card_texts(svg: &str) -> Vec<String> {
    svg.lines()
        .filter(|line| line.starts_with("<g opacity="))
        .filter_map(|line| {
            let text = &line[line.find("<text")?..];
            let text = text.replace("</tspan><tspan x=", "</tspan> <tspan x=");
            let mut plain = String::new();
            let mut in_tag = false;
            for c in text.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => plain.push(c),
                    _ => {}
                }
            }
            Some(plain)
        })
        .collect()
}

/// Whether a card reads `name` (its words, wherever its lines break).
fn has_card(cards: &[String], name: &str) -> bool {
    let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let want = squash(&escaped(name));
    cards.iter().any(|c| squash(c) == want)
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[test]
fn svg_export_parses_names_every_node_and_draws_the_windows_layout() {
    let (_dir, out) = common::temp_path("map.svg");
    common::run_ok(
        "export maps/ai-value-chain --format svg -o",
        &[path_str(&out)],
    );
    let svg = without_tspans(&std::fs::read_to_string(&out).expect("written"));
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default());
    assert!(tree.is_ok(), "the SVG parses: {:?}", tree.err());

    let map = load_bundled().map;
    let cards = card_texts(&svg);
    for node in &map.nodes {
        assert!(has_card(&cards, &node.name), "{} is drawn", node.name);
    }
    assert!(svg.contains("The AI value chain"));
    assert!(svg.contains("As of 2023-03"));
    assert!(svg.contains("Source: The Age of AI"));
    assert!(
        svg.contains(">supplies</text>"),
        "the legend names the link kinds"
    );

    // The picture draws the window's layout for a 16:9 page, rectangle for rectangle.
    let page = picture::page_layout(&map, Lang::En, 16.0 / 9.0).nodes;
    same_rectangles(&node_rects(&svg), &page);

    // The window lays the map out the same way for the same shape (its map view's), as the
    // JSON export shows.
    let harness = common::window(ChainmapApp::new(load_bundled(), Settings::default()));
    let window = harness.state().layout().expect("laid out").nodes.clone();
    let aspect = format!("{}:1", harness.state().layout_aspect());
    let output = common::run_ok(
        "export maps/ai-value-chain --format json --aspect",
        &[&aspect],
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let exported: Vec<[f32; 4]> = document["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            let get = |k: &str| n[k].as_f64().unwrap_or(f64::NAN) as f32;
            [get("x"), get("y"), get("w"), get("h")]
        })
        .collect();
    same_rectangles(&exported, &window);
}

#[test]
fn a_missing_logo_sizes_the_card_alike_in_the_window_and_on_the_command_line() {
    let (_dir, root) = common::bundled_copy();
    // A logo the map names but the folder lacks (an error the checker reports).
    common::edit_on_disk(
        &root.join("hardware.ron"),
        "id: \"memory3\",",
        "id: \"memory3\",\n            logo: \"logos/memory.svg\",",
    );
    let loaded = chainmap::io::load(&root).expect("loads");
    assert!(loaded.error_count() > 0, "the missing logo is reported");
    let map = loaded.map.clone();
    let harness = common::window(ChainmapApp::new(loaded, Settings::default()));
    let window = harness.state().layout().expect("laid out").nodes.clone();
    let aspect = harness.state().layout_aspect();
    let picture = picture::window_layout(&map, Lang::En, aspect).nodes;
    // The node is alone in its segment, so its card is as wide as it measures.
    let memory = map
        .nodes
        .iter()
        .position(|n| n.id == "memory3")
        .expect("memory3");
    let width = |rects: &[chainmap::layout::Rect]| rects.get(memory).map(|r| r.w);
    assert_eq!(width(&window), width(&picture));
    let plain = picture::window_layout(&load_bundled().map, Lang::En, aspect).nodes;
    assert!(
        width(&window) > width(&plain),
        "the card keeps room for its logo"
    );
}

/// Drawn rectangles `[x, y, w, h]` are the layout's, node for node.
fn same_rectangles(drawn: &[[f32; 4]], layout: &[chainmap::layout::Rect]) {
    assert_eq!(drawn.len(), layout.len());
    for (i, (rect, laid)) in drawn.iter().zip(layout).enumerate() {
        let expected = [laid.x, laid.y, laid.w, laid.h];
        for (a, b) in rect.iter().zip(expected) {
            assert!((a - b).abs() <= 0.06, "node {i}: {rect:?} vs {expected:?}");
        }
    }
}

#[test]
fn chinese_svg_names_nodes_tiers_and_legend_in_chinese() {
    let raw = exported_svg("export maps/ai-value-chain --format svg --lang zh", &[]);
    assert!(
        raw.contains(">台积电</tspan>"),
        "Chinese runs name the Chinese font"
    );
    let svg = without_tspans(&raw);
    let map = load_bundled().map;
    let cards = card_texts(&raw);
    for node in &map.nodes {
        let name = localized(&node.name, node.name_zh.as_deref(), Lang::Zh);
        assert!(has_card(&cards, name), "{name}");
    }
    assert!(has_card(&cards, "台积电"));
    // A line too wide for its card is drawn smaller, never stretched with `textLength`,
    // which resvg garbles on a line mixing Chinese and Latin runs ("主板与 PCIE 生态").
    assert!(!raw.contains("textLength"));
    let pcie = raw
        .lines()
        .find(|l| l.contains("主板与"))
        .expect("the PCIe card");
    assert!(pcie.contains(r#"" font-size=""#), "{pcie}");
    assert!(svg.contains(">供应</text>"), "the legend in Chinese");
    assert!(svg.contains("截至 2023-03"));
}

/// The SVG that `chainmap` writes to standard output for `command` and `more` (as
/// [`common::run_ok`] takes them), which must succeed.
fn exported_svg(command: &str, more: &[&str]) -> String {
    let output = common::run_ok(command, more);
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The bundled map exported as PNG at scale 1 with `more` arguments, decoded.
fn bundled_png(more: &[&str]) -> image::RgbaImage {
    let (_dir, out) = common::temp_path("map.png");
    let mut args = vec!["export", "maps/ai-value-chain", "--format", "png"];
    args.extend_from_slice(more);
    args.extend(["--scale", "1", "-o", path_str(&out)]);
    let output = common::chainmap_with_limit(&args, std::time::Duration::from_secs(240));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    image::open(&out).expect("a PNG").to_rgba8()
}

#[test]
fn png_export_renders_the_map_wide_enough_for_a_deck() {
    let image = bundled_png(&["--lang", "zh"]);
    // The bundled map in Chinese at this scale is about 1,070 pixels wide.
    assert!(image.width() >= 1000, "{} pixels wide", image.width());
    // Not blank: the map's colours are there (link reds, segment blues, dark text).
    let distinct: std::collections::HashSet<[u8; 4]> = image.pixels().map(|p| p.0).collect();
    assert!(distinct.len() > 50, "{} colours", distinct.len());
}

#[test]
fn png_needs_an_output_file_and_a_sane_scale() {
    let output = common::run("export maps/ai-value-chain --format png", &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    common::assert_has(&stderr(&output), "-o OUT.png");
    let output = common::run(
        "export maps/ai-value-chain --format png --scale 500 -o /tmp/never.png",
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!std::path::Path::new("/tmp/never.png").exists());
}

#[test]
fn the_window_layout_of_a_generated_map_has_every_node() {
    let map = chainmap::model::generate::generate(300, 3);
    let layout = picture::window_layout(&map, Lang::En, chainmap::layout::DEFAULT_ASPECT);
    assert_eq!(layout.nodes.len(), 300);
    let svg = picture::svg(&map, &layout, &picture::PictureView::default());
    assert_eq!(node_rects(&svg).len(), 300);
}

#[test]
fn the_window_exports_the_whole_map_or_its_current_view() {
    let mut harness = common::window(ChainmapApp::new(load_bundled(), Settings::default()));
    common::search_and_pick(&mut harness, "OpenAI");
    common::click(&mut harness, "Trace the value chain");

    let (dir, whole) = common::temp_path("map.svg");
    harness
        .state()
        .export_image(&whole, false)
        .expect("exports the map");
    let svg = std::fs::read_to_string(&whole).expect("written");
    assert!(
        !svg.contains("<g opacity=\"0.3\">"),
        "the whole map is not dimmed"
    );
    assert_eq!(node_rects(&svg).len(), 121);

    let view = dir.path().join("view.svg");
    harness
        .state()
        .export_image(&view, true)
        .expect("exports the view");
    let svg = std::fs::read_to_string(&view).expect("written");
    // The trace: OpenAI's chain drawn in full, the rest dimmed as in the window.
    let lit = svg.matches("<g opacity=\"1\">").count();
    let dimmed = svg.matches("<g opacity=\"0.3\">").count();
    let traced = harness.state().state().traced().map_or(0, |lit| lit.len());
    assert_eq!(lit, traced, "{lit} lit, {dimmed} dimmed");
    assert_eq!(lit + dimmed, 121);
    assert!(has_card(&card_texts(&svg), "OpenAI"));
    // Only the part on screen: the inner picture's view box is the visible area.
    let whole_width: f32 = harness.state().layout().expect("laid out").bounds.w;
    let view_box = svg
        .lines()
        .find(|l| l.starts_with("<svg x="))
        .expect("the map's part");
    let width: f32 = view_box
        .split("viewBox=\"")
        .nth(1)
        .and_then(|v| v.split(' ').nth(2))
        .and_then(|w| w.parse().ok())
        .expect("a view box");
    assert!(width < whole_width, "{width} of {whole_width}");

    let png = dir.path().join("view.png");
    harness
        .state()
        .export_image(&png, true)
        .expect("exports a PNG");
    assert_eq!(
        image::image_dimensions(&png).map(|(w, _)| w > 1000).ok(),
        Some(true)
    );
}

#[test]
fn a_view_saved_in_the_window_comes_back_and_exports_from_the_command_line() {
    let (_dir, root) = common::bundled_copy();
    let loaded = chainmap::io::load(&root).expect("the copy loads");
    let mut harness = common::window(ChainmapApp::new(loaded, Settings::default()));
    common::search_and_pick(&mut harness, "OpenAI");
    common::click(&mut harness, "Trace the value chain");
    let traced = harness
        .state()
        .state()
        .traced()
        .cloned()
        .unwrap_or_default();
    assert!(traced.len() > 1);
    harness
        .state_mut()
        .save_view("openai-chain")
        .expect("saves the view");
    let saved = harness.state().current_view("openai-chain");
    let text = std::fs::read_to_string(root.join(".views.ron")).expect("kept in the map folder");
    assert!(text.contains("name: \"openai-chain\""), "{text}");
    assert!(text.contains("selected: \"openai\""), "{text}");
    // The loader does not read it as a map file.
    assert_eq!(chainmap::io::load(&root).expect("loads").error_count(), 0);

    // A fresh window comes back to it.
    let fresh = ChainmapApp::new(
        chainmap::io::load(&root).expect("loads"),
        Settings::default(),
    );
    let mut again = common::window(fresh);
    let views = chainmap::ui::views::read_views(&root).expect("reads the views");
    again.state_mut().apply_view(&views[0]);
    again.run();
    assert_eq!(again.state().state().traced(), Some(&traced));
    assert!(
        again
            .state()
            .current_view("openai-chain")
            .viewport
            .is_some()
    );

    // The command line draws it: the chain lit, the rest dimmed, the saved part of the map.
    let svg = exported_svg(
        "export",
        &[path_str(&root), "--format", "svg", "--view", "openai-chain"],
    );
    assert_eq!(svg.matches("<g opacity=\"1\">").count(), traced.len());
    let (x, y, w, h) = saved.viewport.expect("a viewport");
    let view_box = format!("viewBox=\"{} {} {} {}\"", x, y, w, h);
    assert!(svg.contains(&view_box), "{view_box}");

    let unknown = common::run(
        "export",
        &[path_str(&root), "--format", "svg", "--view", "nope"],
    );
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
    common::assert_has(&stderr(&unknown), "saved views: openai-chain");
    let not_a_picture = common::run(
        "export",
        &[path_str(&root), "--format", "csv", "--view", "openai-chain"],
    );
    assert_eq!(
        not_a_picture.status.code(),
        Some(2),
        "{}",
        stderr(&not_a_picture)
    );
}

/// The opacity of each node's card, in the map's node order.
fn card_opacities(svg: &str) -> Vec<f32> {
    svg.lines()
        .filter_map(|line| line.strip_prefix("<g opacity=\""))
        .map(|rest| {
            let end = rest.find('"').expect("closed");
            rest[..end].parse().expect("a number")
        })
        .collect()
}

/// The pills of a market lens: (x, y, width, height, text).
fn share_pills(svg: &str) -> Vec<([f32; 4], String)> {
    svg.lines()
        .filter(|line| line.starts_with("<g class=\"share-pill\">"))
        .map(|line| {
            let text_start = line.rfind("\">").expect("a text") + 2;
            let text_end = line.rfind("</text>").expect("a text");
            (rect_of(line), line[text_start..text_end].to_owned())
        })
        .collect()
}

#[test]
fn a_market_exports_with_its_shares_its_concentration_and_the_rest_dimmed() {
    let svg = exported_svg(
        "export maps/ai-value-chain --format svg --market cloud-computing",
        &[],
    );
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default());
    assert!(tree.is_ok(), "the SVG parses: {:?}", tree.err());
    // The top four hold the market's one share jointly: a bar on each of their cards, one
    // pill that says so.
    let pills = share_pills(&svg);
    assert_eq!(pills.len(), 1, "{pills:?}");
    assert_eq!(pills[0].1, "70% · 4 jointly");
    assert_eq!(svg.matches("<g class=\"share-bar\">").count(), 4);
    // Bounds over every split of the 70% among four firms, the rest in one firm or many:
    // top-1 17.5–70% (shown outward, 17–70), HHI 4 × 17.5² = 1225 to 70² + 30² = 5800.
    common::assert_has(&svg, ">top-1 17–70% · HHI 1225–5800</text>");
    common::assert_has(
        &svg,
        ">Market: Cloud computing services — top-1 17–70% · HHI 1225–5800 · unclaimed 30%</text>",
    );
    // The segment's nodes lit, the others dimmed.
    let map = load_bundled().map;
    let opacities = card_opacities(&svg);
    assert_eq!(opacities.len(), map.nodes.len());
    assert_eq!(opacities[common::node_index(&map, "aws")], 1.0);
    assert!(opacities[common::node_index(&map, "openai")] < 0.5);
    assert!(opacities[common::node_index(&map, "nvidia")] < 0.5);
    // The picture is taller by the market's line.
    let plain = exported_svg("export maps/ai-value-chain --format svg", &[]);
    assert_eq!(attr(&svg, "height"), attr(&plain, "height") + 20.0);
}

#[test]
fn a_market_exports_in_chinese() {
    let svg = without_tspans(&exported_svg(
        "export maps/ai-value-chain --format svg --lang zh --market cloud-computing",
        &[],
    ));
    common::assert_has(&svg, ">第一名 17–70% · HHI 1225–5800</text>");
    common::assert_has(&svg, "70% · 4 家合计</text>");
    common::assert_has(&svg, ">市场：云计算服务商市场 — 第一名 17–70%");
    common::assert_has(&svg, "· 未覆盖 30%</text>");
}

#[test]
fn an_unknown_market_names_the_maps_markets_and_other_formats_refuse_it() {
    let output = common::run(
        "export maps/ai-value-chain --format svg --market nosuch",
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    common::assert_has(
        &stderr(&output),
        "no market \"nosuch\" (markets: ai-hardware-value, server-vendor-mix, cloud-computing,",
    );
    let output = common::run(
        "export maps/ai-value-chain --format json --market cloud-computing",
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    common::assert_has(&stderr(&output), "--market applies to pictures");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_saved_view_with_a_market_exports_its_shares_and_market_overrides_it() {
    let (_dir, root) = common::bundled_copy();
    std::fs::write(
        root.join(".views.ron"),
        "[View(name: \"hardware-value\", market: \"ai-hardware-value\")]\n",
    )
    .expect("writes the views");
    // The view drawn as an SVG, with `more` arguments.
    let view_svg = |more: &[&str]| {
        let view = [
            path_str(&root),
            "--format",
            "svg",
            "--view",
            "hardware-value",
        ];
        exported_svg("export", &[&view[..], more].concat())
    };
    let svg = view_svg(&[]);
    let mut texts: Vec<String> = share_pills(&svg).into_iter().map(|(_, t)| t).collect();
    texts.sort();
    assert_eq!(texts, ["10–20%", "10–20%", "55–75%"]);
    // Chips, memory and interconnect are segments: a bar on each box.
    assert_eq!(svg.matches("<g class=\"share-bar\">").count(), 3);
    // Chips, memory and interconnect are parts of hardware value, not firms: no HHI.
    common::assert_has(&svg, ">top-1 55–75% · no HHI (not firms)</text>");
    let map = load_bundled().map;
    let opacities = card_opacities(&svg);
    assert_eq!(opacities[common::node_index(&map, "nvidia")], 1.0);
    assert!(opacities[common::node_index(&map, "aws")] < 0.5);

    // --market replaces the view's market, and its emphasis.
    let svg = view_svg(&["--market", "cloud-computing"]);
    let texts: Vec<String> = share_pills(&svg).into_iter().map(|(_, t)| t).collect();
    assert_eq!(texts, ["70% · 4 jointly"]);
    let opacities = card_opacities(&svg);
    assert_eq!(opacities[common::node_index(&map, "aws")], 1.0);
    assert!(opacities[common::node_index(&map, "nvidia")] < 0.5);
}

/// Where in `layout.segments` the box is that `lens`'s market sits in.
fn home_box(
    lens: &chainmap::model::market_lens::MarketLens,
    layout: &chainmap::layout::Layout,
) -> usize {
    let chainmap::model::market_lens::Holder::Segment(home) = lens.homes[0] else {
        panic!("the market sits in a segment, not {:?}", lens.homes[0]);
    };
    layout
        .segments
        .iter()
        .position(|b| b.segment == home)
        .expect("the segment's box")
}

/// The picture of `map` at 16:9 in English with the market `id` laid over it, its nodes
/// lit: the market's lens, the layout and the SVG.
fn market_picture(
    map: &chainmap::model::Map,
    id: &str,
) -> (
    chainmap::model::market_lens::MarketLens,
    chainmap::layout::Layout,
    String,
) {
    let market = map
        .markets
        .iter()
        .position(|m| m.id == id)
        .unwrap_or_else(|| panic!("the map has the market {id}"));
    let lens = chainmap::model::market_lens::MarketLens::of(map, market).expect("a lens");
    let layout = picture::page_layout(map, Lang::En, 16.0 / 9.0);
    let view = picture::PictureView {
        emphasis: Some(lens.lit.clone()),
        market: Some(lens.clone()),
        ..picture::PictureView::default()
    };
    let svg = picture::svg(map, &layout, &view);
    (lens, layout, svg)
}

#[test]
fn a_node_share_sits_on_its_card_pill_on_the_top_edge_bar_along_the_bottom() {
    let map = chainmap::model::generate::generate(60, 1);
    let (lens, layout, svg) = market_picture(&map, "hardware-market");
    let holder = lens.shares[0].holder;
    let chainmap::model::market_lens::Holder::Node(node) = holder else {
        panic!("the generated markets are held by nodes, not {holder:?}");
    };
    let card = layout.nodes[node];
    let pills = share_pills(&svg);
    let (rect, text) = pills
        .iter()
        .find(|(_, t)| *t == lens.shares[0].text)
        .expect("the share's pill");
    assert_eq!(text, "40–50%");
    // Centred on the card's top edge, 4 units in from its right edge.
    let [x, y, w, h] = *rect;
    assert!((y + h / 2.0 - card.y).abs() < 0.1, "{rect:?} on {card:?}");
    assert!(
        (x + w - (card.x + card.w - 4.0)).abs() < 0.1,
        "{rect:?} on {card:?}"
    );
    // The bar: 3 units in from each side, 4 tall, 1.5 above the bottom edge.
    let track = format!(
        "<g class=\"share-bar\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"4\"",
        picture::svg_number(card.x + 3.0),
        picture::svg_number(card.y + card.h - 5.5),
        picture::svg_number(card.w - 6.0)
    );
    common::assert_has(&svg, &track);
    // Drawn after every card, so that no card covers it.
    let last_card = svg.rfind("<g opacity=").expect("cards");
    assert!(svg.find("<g class=\"share-pill\">").expect("a pill") > last_card);
    // The concentration on the title line of the box the share sits in, inside it.
    let boxed = layout.segments[home_box(&lens, &layout)].rect;
    let label = svg
        .lines()
        .find(|l| l.starts_with("<g class=\"concentration\">"))
        .expect("a concentration label");
    // One share of 40–50%, the rest 50–60% in one firm or many: the largest HHI is 40² +
    // 60² = 5200 (the old 50² + 50² = 5000 missed the rest at its largest).
    common::assert_has(label, ">top-1 40–60% · HHI 1600–5200</text>");
    let [x, y, w, h] = rect_of(label);
    assert!(
        x > boxed.x && x + w < boxed.x + boxed.w,
        "{label} in {boxed:?}"
    );
    assert!(
        y > boxed.y && y + h < boxed.y + 20.0,
        "{label} in {boxed:?}"
    );
}

#[test]
fn png_export_draws_a_market() {
    let image = bundled_png(&["--market", "ai-hardware-value"]);
    assert!(image.width() >= 1000, "{} pixels wide", image.width());
    // The chips segment's share colour (the first share's) is drawn: its bar and pill.
    let [r, g, b, _] = [68u8, 114, 196, 255];
    let blue = image
        .pixels()
        .filter(|p| p.0[0] == r && p.0[1] == g && p.0[2] == b)
        .count();
    assert!(blue > 100, "{blue} pixels of the first share's colour");
}

/// Two joint shares of one box's cards: both pills on the box's title line, side by side,
/// and the concentration left of them both.
#[test]
fn two_pills_on_one_box_stand_side_by_side_with_the_concentration_left_of_them() {
    let (_dir, root) = common::bundled_copy();
    let mut map = chainmap::io::load(&root).expect("loads").map;
    let q63 = map.figures.iter().position(|f| f.id == "q63").expect("q63");
    let mut second = map.figures[q63].clone();
    map.figures[q63].holders = vec!["aws".into(), "azure".into()];
    map.figures[q63].low = Some(40.0);
    map.figures[q63].high = Some(40.0);
    second.id = "q63b".into();
    second.holders = vec!["gcp".into(), "alicloud".into()];
    second.low = Some(30.0);
    second.high = Some(30.0);
    map.figures.push(second);
    let (lens, layout, svg) = market_picture(&map, "cloud-computing");
    let pills = share_pills(&svg);
    let texts: Vec<&str> = pills.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["40% · 2 jointly", "30% · 2 jointly"]);
    let [a, b] = [pills[0].0, pills[1].0];
    // On one line, the second left of the first with a gap.
    assert_eq!(a[1], b[1], "{a:?} {b:?}");
    assert!(b[0] + b[2] < a[0], "{b:?} left of {a:?}");
    let label = svg
        .lines()
        .find(|l| l.starts_with("<g class=\"concentration\">"))
        .expect("a concentration label");
    let [x, _, w, _] = rect_of(label);
    assert!(x + w < b[0], "{label} left of {b:?}");
    // The box's title is clipped short of them.
    let k = home_box(&lens, &layout);
    let clip = svg
        .lines()
        .find(|l| l.starts_with(&format!("<clipPath id=\"s{k}\">")))
        .expect("the title's clip");
    let [cx, _, cw, _] = rect_of(clip);
    assert!(cx + cw < x, "{clip} ends before {label}");
}
