//! The explorer window driven headless with egui_kittest: search, select, inspect, trace,
//! switch language and theme, on the bundled map.

mod common;

use common::search;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io::bundled::load_bundled;
use chainmap::model::{Lang, Worded};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use std::path::Path;

fn harness(settings: Settings) -> Harness<'static, ChainmapApp> {
    let app = ChainmapApp::new(load_bundled(), settings);
    build(app)
}

/// The window on the bundled map after a click on the widget labelled `label`.
fn clicked(label: &str) -> Harness<'static, ChainmapApp> {
    let mut harness = harness(Settings::default());
    common::click(&mut harness, label);
    harness
}

/// The window after `name` is searched and clicked in the results: node `id` must be
/// selected; returns the window and the node's index.
fn clicked_in_results(name: &str, id: &str) -> (Harness<'static, ChainmapApp>, usize) {
    let mut harness = searched(name);
    common::click(&mut harness, name);
    let index = common::node_index(harness.state().map(), id);
    assert_eq!(harness.state().state().selected, Some(index));
    (harness, index)
}

/// The window in Chinese, on the bundled map.
fn chinese() -> Harness<'static, ChainmapApp> {
    harness(Settings {
        lang: Lang::Zh,
        ..Settings::default()
    })
}

/// The window on the bundled map with `text` typed into the search.
fn searched(text: &str) -> Harness<'static, ChainmapApp> {
    let mut harness = harness(Settings::default());
    search(&mut harness, text);
    harness
}

/// The window on the bundled map with the first match of `text` picked through the search.
fn picked(text: &str) -> Harness<'static, ChainmapApp> {
    let mut harness = harness(Settings::default());
    common::search_and_pick(&mut harness, text);
    harness
}

fn build(app: ChainmapApp) -> Harness<'static, ChainmapApp> {
    common::window(app)
}

#[test]
fn window_opens_on_the_bundled_map_with_its_title_and_tiers() {
    let harness = harness(Settings::default());
    // The title heads the top bar and the front page.
    assert_eq!(harness.get_all_by_label("The AI value chain").count(), 2);
    common::panel_node(&harness, "Foundation models");
    harness.get_by_label("Select a node on the map or in the outline");
    let layout = harness
        .state()
        .layout()
        .expect("laid out on the first frame");
    assert_eq!(layout.nodes.len(), 121);
}

#[test]
fn search_finds_a_company_and_enter_selects_it() {
    let harness = picked("OpenAI");
    let openai = common::node_index(harness.state().map(), "openai");
    assert_eq!(harness.state().state().selected, Some(openai));
    // The inspector shows the company, its case study and the theses about it.
    harness.get_by_label("OpenAI case study");
    harness.get_by_label("OpenAI is a new-generation general-purpose computer");
}

#[test]
fn search_matches_chinese_names() {
    let harness = searched("台积电");
    common::panel_node(&harness, "TSMC");
}

#[test]
fn clicking_a_node_in_the_search_results_opens_the_inspector() {
    let (harness, _) = clicked_in_results("NVIDIA", "nvidia");
    harness.get_by_label("company · Hardware");
}

#[test]
fn inspector_lists_links_and_follows_them() {
    let mut harness = picked("Anthropic");
    // Claude is Anthropic's model: the inspector lists it (after the search results,
    // which name it too); clicking it there selects it.
    harness
        .get_all_by_label("Claude")
        .last()
        .expect("Claude is listed")
        .click();
    harness.run();
    let claude = common::node_index(harness.state().map(), "claude");
    assert_eq!(harness.state().state().selected, Some(claude));
}

#[test]
fn inspector_shows_figures_with_their_source_quote() {
    let harness = picked("Midjourney");
    harness.get_by_label_contains("annual revenue");
    harness.get_by_label_contains("年营收约为 1 亿美元");
}

#[test]
fn trace_lights_the_whole_chain_and_clears() {
    let mut harness = picked("TSMC");
    common::click(&mut harness, "Trace the value chain");
    let lit = common::traced_ids(harness.state());
    assert!(lit.contains(&"tsmc"));
    assert!(
        lit.len() > 2,
        "the chain reaches beyond direct links: {lit:?}"
    );
    common::click(&mut harness, "Trace the value chain");
    assert!(harness.state().state().trace.is_none());
}

#[test]
fn escape_clears_the_selection() {
    let mut harness = picked("OpenAI");
    assert!(harness.state().state().selected.is_some());
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().state().selected, None);
}

#[test]
fn chinese_mode_shows_the_map_in_chinese() {
    let harness = chinese();
    assert_eq!(harness.get_all_by_label("AI 价值链").count(), 2);
    common::panel_node(&harness, "基础模型");
    harness.get_by_label("在地图或目录中选择一个节点");
}

#[test]
fn chinese_mode_speaks_chinese_in_the_menus_too() {
    let mut harness = chinese();
    for word in [
        "文件",
        "编辑模式",
        "适应窗口",
        "视图",
        "深色主题：关",
        "0 个错误,0 个警告",
    ] {
        harness.get_by_label(word);
    }
    for english in ["File", "Edit mode", "Fit", "Views", "Dark theme: off"] {
        assert!(
            harness.query_by_label(english).is_none(),
            "{english} is still in English"
        );
    }
    common::click(&mut harness, "文件");
    harness.get_by_label("打开…");
    harness.get_by_label("导出图片…");
}

#[test]
fn chinese_mode_names_kinds_and_stances_in_chinese() {
    let mut harness = chinese();
    common::search_and_pick(&mut harness, "OpenAI");
    harness.get_by_label("公司 · 基础模型");
    harness.get_by_label("OpenAI 案例研究");
}

#[test]
fn language_switch_relays_out_with_the_new_names() {
    let harness = clicked("中文");
    assert_eq!(harness.state().state().lang, Lang::Zh);
    assert_eq!(harness.get_all_by_label("AI 价值链").count(), 2);
    assert_eq!(harness.state().layout().map(|l| l.nodes.len()), Some(121));
    // The map was fitted, and stays fitted with its new sizes: the camera shows all of it.
    let app = harness.state();
    let bounds = app.layout().expect("laid out").bounds;
    let fitted = chainmap::ui::map_view::Camera::fit(&bounds, app.map_viewport());
    assert_eq!(app.camera(), fitted);
}

#[test]
fn dark_theme_toggles() {
    let mut harness = clicked("Dark theme: off");
    assert!(harness.state().state().dark);
    // The toggle says which theme is on, and a second click brings the light one back.
    assert!(harness.query_by_label("Dark theme: off").is_none());
    common::click(&mut harness, "Dark theme: on");
    assert!(!harness.state().state().dark);
    harness.get_by_label("Dark theme: off");
}

#[test]
fn problems_panel_lists_the_loader_problems() {
    let loaded = chainmap::io::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/broken/folder-one-broken"
    )))
    .expect("the folder loads");
    let harness = build(ChainmapApp::new(loaded, Settings::default()));
    // A map with errors still opens with what loaded, and shows its problems.
    harness.get_by_label_contains("2-broken.ron:4:5: error: Expected comma");
    harness.get_by_label("3 errors, 2 warnings");
    assert_eq!(harness.state().map().nodes.len(), 1);
}

#[test]
fn arrow_keys_walk_along_links() {
    let (mut harness, tsmc) = clicked_in_results("TSMC", "tsmc");
    harness.key_press(egui::Key::ArrowUp);
    harness.run();
    let map = harness.state().map();
    let selected = harness.state().state().selected.expect("still a selection");
    assert_ne!(selected, tsmc);
    let to = &map.nodes[selected].id;
    assert!(
        map.links.iter().any(|l| l.from == "tsmc" && &l.to == to),
        "ArrowUp follows a link from TSMC, to {to}"
    );
}

#[test]
fn thesis_lens_lights_its_subjects() {
    let mut harness = clicked("Theses");
    // The thesis is far down the list: scroll to it first, as a person would.
    harness
        .get_by_label("Where incremental AI-hardware value goes")
        .scroll_to_me();
    harness.run();
    harness
        .get_by_label("Where incremental AI-hardware value goes")
        .click();
    harness.run();
    let app = harness.state();
    let e1 = app
        .map()
        .theses
        .iter()
        .position(|t| t.id == "e1")
        .expect("thesis e1");
    let lens = app.state().thesis_lens.as_ref().expect("a thesis lens");
    assert_eq!(lens.thesis, e1);
    // The thesis is about the hardware tier: every hardware node is lit, nothing else.
    let lit = &lens.nodes;
    for (i, node) in app.map().nodes.iter().enumerate() {
        assert_eq!(lit.contains(&i), node.tier == "hardware", "{}", node.id);
    }
    // Its claim and evidence show under it.
    harness.get_by_label_contains("55–75% of the value goes to chips");
    harness
        .get_by_label("Where incremental AI-hardware value goes")
        .click();
    harness.run();
    assert_eq!(harness.state().state().thesis_lens, None);
}

#[test]
fn markets_panel_shows_shares_and_concentration() {
    let harness = clicked("Markets");
    harness.get_by_label("Incremental AI-hardware value");
    harness.get_by_label("Chips: 55–75%");
    // Chips, memory and interconnect are parts of hardware value, not firms: no HHI.
    harness.get_by_label("unclaimed 0–25% · top-1 55–75% · no HHI (not firms)");
    // The top four's 70% is one share, held jointly; its bounds range over every split.
    harness.get_by_label("AWS + Azure + GCP + Alibaba Cloud (jointly): 70%");
    harness.get_by_label("unclaimed 30% · top-1 17–70% · HHI 1225–5800");
}

#[test]
fn filters_dim_other_tiers_and_hide_link_kinds() {
    let mut harness = clicked("Filters");
    common::click(&mut harness, "competes with");
    assert!(
        harness
            .state()
            .state()
            .filter
            .hidden_kinds
            .contains(&chainmap::model::LinkKind::Competes)
    );
    common::click(&mut harness, "Tier");
    common::click(&mut harness, "AI infra and cloud");
    let app = harness.state();
    assert!(app.state().filter.tier.is_some());
    let kept = app.state().emphasis().expect("the filter picks nodes");
    assert_eq!(
        kept.len(),
        app.map()
            .nodes
            .iter()
            .filter(|n| n.tier == "infra-cloud")
            .count()
    );
    common::click(&mut harness, "Clear filters");
    assert!(harness.state().state().emphasis().is_none());
}

#[test]
fn opening_another_map_replaces_the_view_and_remembers_it() {
    let mut harness = harness(Settings::default());
    let folder = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/maps/reference.ron"));
    harness.state_mut().open_path(folder);
    harness.run();
    assert_eq!(harness.get_all_by_label("Example value chain").count(), 2);
    assert_eq!(harness.state().map().nodes.len(), 5);
    assert_eq!(harness.state().recent(), [folder.to_path_buf()]);
    // A path that is not there leaves the map as it was and says why.
    let missing = std::path::Path::new("/no/such/map.ron");
    harness.state_mut().open_path(missing);
    harness.run();
    harness.get_by_label("/no/such/map.ron: no such file or folder");
    assert_eq!(harness.state().map().nodes.len(), 5);
}

#[test]
fn logos_load_from_inside_the_map_folder_and_widen_their_node() {
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/logo-map"));
    let loaded = chainmap::io::load(path).expect("the map loads");
    assert_eq!(loaded.error_count(), 0);
    let mut harness = build(ChainmapApp::new(loaded, Settings::default()));
    harness.run();
    let app = harness.state();
    let uri = app.logo_uri(0).expect("ChipCo has a logo");
    assert!(
        uri.starts_with("file://") && uri.ends_with("logos/chip.png"),
        "{uri}"
    );
    assert_eq!(app.logo_uri(1), None);
    // "ChipCo" and "PlainCo" are about as long; the logo adds a square about the card's
    // height to the card ChipCo needs (cards of one segment then share the widest size).
    let sizes = chainmap::render::picture::measured_sizes(&harness.ctx, app.map(), Lang::En, |i| {
        app.logo_uri(i).is_some()
    });
    assert!(sizes[0].w >= sizes[1].w + sizes[0].h * 0.7, "{sizes:?}");
    let layout = app.layout().expect("laid out");
    assert!(layout.nodes[0].w >= sizes[0].w);
}

#[test]
fn inspector_lists_links_that_reach_a_node_through_its_segment() {
    // Jasper has no link of its own: the report names it only as an example of text
    // generation, and the model layer is integrated into language and text applications.
    let harness = picked("Jasper");
    harness.get_by_label("Through its segment");
    common::panel_node(&harness, "Language and text");
}

#[test]
fn the_outline_names_the_kind_of_an_idea() {
    let harness = searched("Perplexity");
    // Perplexity and the other evaluation nodes its thesis is about.
    assert!(harness.get_all_by_label("benchmark or metric").count() >= 1);
    // A market participant's row carries no kind.
    assert!(harness.query_by_label("company").is_none());
}

/// The markets panel's own search box: the last text field (the top bar's comes first).
fn search_markets(harness: &mut Harness<'static, ChainmapApp>, text: &str) {
    let fields = harness.get_all_by_role(egui::accesskit::Role::TextInput);
    let field = fields.last().expect("the markets panel has a search box");
    field.focus();
    field.type_text(text);
    harness.run();
}

#[test]
fn markets_panel_finds_a_market_by_participant_and_chinese_name() {
    let mut harness = clicked("Markets");
    harness.get_by_label("Server vendors by type");
    // "Memory" holds a share of the AI-hardware market only.
    search_markets(&mut harness, "memory");
    harness.get_by_label("Incremental AI-hardware value");
    harness.get_by_label("Memory: 10–20%");
    assert!(harness.query_by_label("Server vendors by type").is_none());
    harness.get_by_label("1 / 7 markets");
    // By its Chinese name, from a fresh window.
    let mut harness = self::harness(Settings::default());
    common::click(&mut harness, "Markets");
    search_markets(&mut harness, "服务器");
    harness.get_by_label("Server vendors by type");
    assert!(
        harness
            .query_by_label("Incremental AI-hardware value")
            .is_none()
    );
}

/// The window on a copy of the bundled map (kept while the returned folder lives).
fn on_a_copy() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Harness<'static, ChainmapApp>,
) {
    let (dir, root) = common::bundled_copy();
    let loaded = chainmap::io::load(&root).expect("loads");
    let app = ChainmapApp::new(loaded, Settings::default()).with_journal_dir(None);
    (dir, root, build(app))
}

/// Writes `file` with `old` replaced by `new` (which it must hold), then opens its map
/// again in the window: a new revision of the map.
fn reopen_changed(harness: &mut Harness<'static, ChainmapApp>, file: &Path, old: &str, new: &str) {
    common::edit_on_disk(file, old, new);
    let root = file.parent().expect("the map's folder").to_path_buf();
    harness.state_mut().open_path(&root);
    harness.run();
}

#[test]
fn markets_panel_follows_the_map_when_it_changes_under_an_open_search() {
    let (_dir, root, mut harness) = on_a_copy();
    common::click(&mut harness, "Markets");
    search_markets(&mut harness, "anthropic");
    harness.get_by_label("0 / 7 markets");
    // The file changes: Anthropic, not OpenAI, now holds q05's share of the terminal
    // market. The panel keeps its list from frame to frame, but a new revision of the map
    // makes it anew, under the same search.
    reopen_changed(
        &mut harness,
        &root.join("figures.ron"),
        "id: \"q05\",\n            subject: \"openai\",",
        "id: \"q05\",\n            subject: \"anthropic\",",
    );
    harness.get_by_label("1 / 7 markets");
    harness.get_by_label("Large models as a new terminal");
    harness.get_by_label("Anthropic: ≈ 70%");
}

#[test]
fn the_inspector_lists_a_node_s_links_as_the_map_has_them_after_it_changes() {
    let (_dir, root, mut harness) = on_a_copy();
    let links_to = |harness: &Harness<'static, ChainmapApp>, name: &str| {
        harness
            .query_all_by_role_and_label(Role::Link, name)
            .count()
    };
    common::search_and_pick(&mut harness, "DeepMind");
    assert_eq!(
        links_to(&harness, "Anthropic"),
        1,
        "r19-c: Anthropic competes"
    );
    // The file changes: OpenAI, not Anthropic, is r19-c's other end. The inspector keeps
    // what it lists of a node from frame to frame, but not across revisions of the map.
    reopen_changed(
        &mut harness,
        &root.join("foundation-models.ron"),
        "id: \"r19-c\",\n            from: \"anthropic\",",
        "id: \"r19-c\",\n            from: \"openai\",",
    );
    let deepmind = common::node_index(harness.state().map(), "deepmind");
    harness.state_mut().select_node(Some(deepmind));
    harness.run();
    assert_eq!(links_to(&harness, "Anthropic"), 0);
    assert!(links_to(&harness, "OpenAI") >= 1, "r19-c now names OpenAI");
}

#[test]
fn markets_panel_sorts_by_hhi_both_ways() {
    let mut harness = clicked("Markets");
    common::click(&mut harness, "Sort by");
    common::click(&mut harness, "HHI");
    common::click(&mut harness, "↓");
    let top = |harness: &Harness<'static, ChainmapApp>, name: &str| {
        harness.get_by_label(name).rect().top()
    };
    // OpenAI as infrastructure: about 90%, HHI 8100–8200; cloud computing: the top four's
    // 70% jointly, HHI 1225–5800.
    let infrastructure = top(&harness, "Large models as new foundational infrastructure");
    let cloud = top(&harness, "Cloud computing services");
    assert!(
        infrastructure < cloud,
        "highest HHI first: {infrastructure} < {cloud}"
    );
    common::click(&mut harness, "↑");
    let infrastructure = top(&harness, "Large models as new foundational infrastructure");
    let cloud = top(&harness, "Cloud computing services");
    assert!(
        cloud < infrastructure,
        "lowest HHI first: {cloud} < {infrastructure}"
    );
}

#[test]
fn inspector_lists_a_node_s_market_shares_with_rank() {
    let harness = picked("OpenAI");
    harness.get_by_label("Market shares");
    // OpenAI alone holds a share in each of its four markets.
    assert_eq!(harness.get_all_by_label_contains("· #1 of 1").count(), 4);
    harness.get_by_label("Large models as new foundational infrastructure: ≈ 90% · #1 of 1");
}

/// A map of one market given at two dates, with its size.
const DATED_MARKET: &str = r#"Map(title: "Dated",
    sources: [Source(id: "s", title: "A report")],
    tiers: [Tier(id: "t", name: "T")],
    markets: [Market(id: "m", name: "Widgets", name_zh: "小部件")],
    nodes: [
        Node(id: "a", name: "Acme", kind: Company, tier: "t"),
        Node(id: "b", name: "Bolt", kind: Company, tier: "t"),
    ],
    figures: [
        Figure(id: "a22", subject: "a", market: "m", metric: "share", low: 60, high: 60, unit: "%", qualifier: Approx, as_of: "2022", source: "s"),
        Figure(id: "b22", subject: "b", market: "m", metric: "share", low: 20, high: 20, unit: "%", qualifier: Approx, as_of: "2022", source: "s"),
        Figure(id: "a24", subject: "a", market: "m", metric: "share", low: 35, high: 35, unit: "%", qualifier: Approx, as_of: "2024", source: "s"),
        Figure(id: "b24", subject: "b", market: "m", metric: "share", low: 45, high: 45, unit: "%", qualifier: Approx, as_of: "2024", source: "s"),
        Figure(id: "size", subject: "t", market: "m", metric: "market size", low: 12, high: 12, unit: "USD bn", qualifier: Approx, as_of: "2024", source: "s"),
    ],
)
"#;

#[test]
fn markets_panel_shows_shares_by_date_newest_first_and_the_size() {
    let loaded = chainmap::io::load_files(
        std::path::Path::new("dated.ron"),
        vec![chainmap::io::SourceFile::new(
            std::path::PathBuf::from("dated.ron"),
            Some(DATED_MARKET.to_owned()),
        )],
    );
    let mut harness = build(ChainmapApp::new(loaded, Settings::default()));
    common::click(&mut harness, "Markets");
    harness.get_by_label("market size: ≈ 12 USD bn (2024)");
    // The latest shares, largest first: Bolt overtook Acme.
    let top = |label: &str| harness.get_by_label(label).rect().top();
    assert!(top("Bolt: ≈ 45%") < top("Acme: ≈ 35%"));
    // Then each date, newest first, its shares largest first.
    assert!(top("2024") < top("2022"));
    assert!(top("2022") < top("Acme: ≈ 60%"));
    assert!(top("Acme: ≈ 60%") < top("Bolt: ≈ 20%"));
}

#[test]
fn markets_panel_builds_only_the_visible_markets() {
    // 60 nodes: the generated markets are the tiers' four (a larger map carries one per
    // 20 nodes), which sort before "Market 000" and leave it in view.
    let mut map = chainmap::model::generate::generate(60, 1);
    let template = map
        .figures
        .first()
        .cloned()
        .expect("generated maps have shares");
    for m in 0..500 {
        map.markets.push(chainmap::model::Market {
            id: format!("m{m:03}"),
            name: format!("Market {m:03}"),
            name_zh: None,
            description: None,
            description_zh: None,
        });
        map.figures.push(chainmap::model::Figure {
            id: format!("share-{m:03}"),
            market: Some(format!("m{m:03}")),
            ..template.clone()
        });
    }
    let text = chainmap::io::write::to_ron(&chainmap::io::write::map_file(&map)).expect("writes");
    let loaded = chainmap::io::load_files(
        std::path::Path::new("many.ron"),
        vec![chainmap::io::SourceFile::new(
            std::path::PathBuf::from("many.ron"),
            Some(text),
        )],
    );
    let mut harness = build(ChainmapApp::new(loaded, Settings::default()));
    common::click(&mut harness, "Markets");
    harness.get_by_label("Market 000");
    assert!(harness.query_by_label("Market 499").is_none(), "not built");
    search_markets(&mut harness, "Market 499");
    harness.get_by_label("Market 499");
}

#[test]
fn a_map_opens_with_one_layout() {
    // The map view's shape is known when the map is laid out, and stays as the panels
    // settle: no second layout follows the first.
    for (settings, size) in [
        (Settings::default(), common::WINDOW_SIZE),
        (Settings::default(), egui::vec2(1600.0, 1000.0)),
        (
            Settings {
                lang: Lang::Zh,
                ..Settings::default()
            },
            common::WINDOW_SIZE,
        ),
    ] {
        let app = ChainmapApp::new(load_bundled(), settings);
        let mut harness = common::window_at(app, size);
        harness.run();
        assert_eq!(harness.state().layouts_of_map(), 1, "at {size:?}");
        assert!(!harness.state().gliding());
    }
}

#[test]
fn motion_is_on_unless_turned_off_and_the_setting_is_remembered() {
    // Settings saved before there was a motion setting turn it on.
    let old: Settings = ron::from_str("(lang: En, dark: true, recent: [])").expect("reads");
    assert!(old.motion && old.dark);
    let mut harness = harness(Settings::default());
    assert!(harness.state().motion());
    common::click(&mut harness, "Motion");
    assert!(
        !harness.state().motion(),
        "the top bar's toggle turns it off"
    );
    let saved = ron::to_string(&harness.state().settings()).expect("writes");
    let read: Settings = ron::from_str(&saved).expect("reads");
    assert!(!read.motion, "remembered off: {saved}");
    let harness = build(ChainmapApp::new(load_bundled(), read));
    assert!(!harness.state().motion());
}

/// The group that holds the map's bands, boxes and cards in the accessibility tree.
fn map_group<'t>(harness: &'t Harness<'static, ChainmapApp>) -> egui_kittest::Node<'t> {
    harness.get_by_role_and_label(Role::Group, "Map")
}

fn description(node: &egui_kittest::Node<'_>) -> String {
    node.accesskit_node().description().unwrap_or_default()
}

fn label(node: &egui_kittest::Node<'_>) -> String {
    node.accesskit_node().label().unwrap_or_default()
}

#[test]
fn screen_readers_read_every_card_box_and_band_of_the_map_at_fit() {
    let harness = harness(Settings::default());
    let map = harness.state().map();
    let cards: Vec<_> = map_group(&harness)
        .query_all_by_role(Role::Button)
        .collect();
    // One card a node, named as the node.
    assert_eq!(cards.len(), 121);
    let mut read: Vec<String> = cards.iter().map(label).collect();
    read.sort();
    let mut names: Vec<String> = map.nodes.iter().map(|n| n.name.clone()).collect();
    names.sort();
    assert_eq!(read, names);
    // Each card says its kind and tier; bands and boxes their names and what they are.
    assert_eq!(
        description(&common::map_node(&harness, "TSMC")),
        "company · Hardware"
    );
    assert_eq!(description(&common::map_node(&harness, "Hardware")), "tier");
    assert_eq!(
        description(&common::map_node(&harness, "Chips")),
        "segment · Hardware"
    );
    // Reading order: the bands from the top of the picture, each holding its cards.
    let bands: Vec<_> = map_group(&harness)
        .query_all_by(|n| n.description().as_deref() == Some("tier"))
        .collect();
    assert_eq!(bands.len(), map.tiers.len());
    let tops: Vec<f32> = bands.iter().map(|b| b.rect().top()).collect();
    assert!(tops.is_sorted(), "bands out of reading order: {tops:?}");
    let hardware = common::map_node(&harness, "Hardware");
    hardware.get_by_label("TSMC");
    // The cards of each box read row by row, left to right.
    let boxes: Vec<_> = map_group(&harness)
        .query_all_by(|n| n.description().is_some_and(|d| d.starts_with("segment")))
        .collect();
    assert!(boxes.len() > 10, "{}", boxes.len());
    let mut rows_read = 0;
    for segment_box in &boxes {
        let cards: Vec<_> = segment_box
            .query_all(By::new().role(Role::Button).recursive(false))
            .map(|c| c.rect().min)
            .collect();
        for pair in cards.windows(2) {
            let next_row = pair[1].y > pair[0].y + 0.5;
            let right = (pair[1].y - pair[0].y).abs() <= 0.5 && pair[1].x > pair[0].x;
            assert!(next_row || right, "{}: {pair:?}", label(segment_box));
            rows_read += 1;
        }
    }
    assert!(rows_read > 50, "{rows_read}");
}

#[test]
fn the_selected_card_is_announced_as_selected() {
    let (harness, _) = clicked_in_results("NVIDIA", "nvidia");
    let card = common::map_node(&harness, "NVIDIA");
    assert_eq!(card.accesskit_node().is_selected(), Some(true));
    assert_eq!(
        card.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    let other = common::map_node(&harness, "TSMC");
    assert_eq!(other.accesskit_node().is_selected(), Some(false));
}

#[test]
fn a_market_lens_adds_each_card_s_share_to_what_it_says() {
    let mut harness = harness(Settings::default());
    harness.state_mut().show_market(Some("openai-overseas"));
    harness.run();
    let openai = description(&common::map_node(&harness, "OpenAI"));
    assert!(
        openai.starts_with("company · Foundation models · Large models overseas, overall: "),
        "{openai}"
    );
    assert!(openai.contains("#1 of"), "{openai}");
    // A card without a share in that market says only what it is.
    assert_eq!(
        description(&common::map_node(&harness, "TSMC")),
        "company · Hardware"
    );
}

#[test]
fn tab_moves_the_focus_from_card_to_card_and_enter_selects() {
    let mut harness = harness(Settings::default());
    let (first, second) = {
        let cards: Vec<_> = map_group(&harness)
            .query_all_by_role(Role::Button)
            .collect();
        (label(&cards[0]), label(&cards[1]))
    };
    common::map_node(&harness, &first).focus();
    harness.run();
    assert!(common::map_node(&harness, &first).is_focused());
    harness.key_press(egui::Key::Tab);
    harness.run();
    // The next card in reading order.
    assert!(common::map_node(&harness, &second).is_focused());
    assert_eq!(harness.state().state().selected, None);
    harness.key_press(egui::Key::Enter);
    harness.run();
    let app = harness.state();
    let selected = app
        .state()
        .selected
        .expect("Enter selects the focused card");
    assert_eq!(app.map().nodes[selected].name, second);
    assert_eq!(
        common::map_node(&harness, &second)
            .accesskit_node()
            .is_selected(),
        Some(true)
    );
}

#[test]
fn arrows_walk_the_focused_cards_links_and_the_focus_follows() {
    let mut harness = harness(Settings::default());
    common::map_node(&harness, "OpenAI").focus();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let openai = harness
        .state()
        .state()
        .selected
        .expect("Enter selects OpenAI");
    assert_eq!(harness.state().map().nodes[openai].name, "OpenAI");
    // ↓ walks to a supplier of OpenAI (a link into it), and the focus goes with it.
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    let app = harness.state();
    let walked = app.state().selected.expect("a selection");
    assert_ne!(walked, openai, "↓ walks a link");
    let walked_id = app.map().nodes[walked].id.clone();
    assert!(
        app.map()
            .links
            .iter()
            .any(|l| l.to == "openai" && l.from == walked_id),
        "{walked_id} has a link into OpenAI"
    );
    let name = app.map().nodes[walked].name.clone();
    harness.run();
    assert!(
        common::map_node(&harness, &name).is_focused(),
        "the focus follows the walk to {name}"
    );
}

/// The front page's line of the market whose largest holder holds the most.
const TOP_MARKET: &str =
    "Large models overseas, overall: unclaimed 0–40% · top-1 60–100% · HHI 3600–10000";

/// Scrolls the panel to the widget labelled `label` outside the map, as a person would,
/// and clicks it.
fn scroll_and_click(harness: &mut Harness<'static, ChainmapApp>, label: &str) {
    common::panel_node(harness, label).scroll_to_me();
    harness.run();
    common::click(harness, label);
}

#[test]
fn the_front_page_shows_the_map_its_tiers_a_top_thesis_and_a_market() {
    let harness = harness(Settings::default());
    // The title heads the front page (and the top bar).
    assert_eq!(harness.get_all_by_label("The AI value chain").count(), 2);
    harness.get_by_label_contains("As of 2023-03 · 121 nodes");
    harness.get_by_label_contains("Sources · ");
    let map = harness.state().map();
    for tier in &map.tiers {
        let count = map.nodes.iter().filter(|n| n.tier == tier.id).count();
        common::panel_node(&harness, &format!("{} · {count}", tier.name));
    }
    // The first thesis held with the most conviction, with its stance.
    let (_, label) = most_convinced(map);
    common::panel_node(&harness, &label);
    // The market whose largest holder holds the most, its bounds as the markets panel
    // gives them (OpenAI holds at least 60%).
    common::panel_node(&harness, TOP_MARKET);
}

/// The first thesis held with the most conviction, and its line on the front page.
fn most_convinced(map: &chainmap::model::Map) -> (usize, String) {
    let best = map
        .theses
        .iter()
        .map(|t| t.conviction)
        .max()
        .expect("theses");
    let i = map
        .theses
        .iter()
        .position(|t| t.conviction == best)
        .expect("a thesis");
    let t = &map.theses[i];
    (i, format!("{} · {} {best}/5", t.title, t.stance.label()))
}

#[test]
fn the_front_page_opens_a_thesis_lens_and_a_market_in_one_click() {
    let mut harness = harness(Settings::default());
    let (thesis, label) = most_convinced(harness.state().map());
    scroll_and_click(&mut harness, &label);
    assert_eq!(harness.state().state().lens_thesis(), Some(thesis));
    scroll_and_click(&mut harness, TOP_MARKET);
    let app = harness.state();
    let market = app
        .state()
        .market
        .as_ref()
        .expect("the market is laid over the map");
    assert_eq!(market.market_id, "openai-overseas");
    // One lens at a time: the market replaced the thesis.
    assert_eq!(app.state().thesis_lens, None);
}

#[test]
fn the_front_page_speaks_chinese() {
    let harness = chinese();
    assert_eq!(harness.get_all_by_label("AI 价值链").count(), 2);
    harness.get_by_label_contains("截至 2023-03 · 121 个节点");
    harness.get_by_label("把握最大的判断");
    harness.get_by_label("集中度最高的市场");
    let map = harness.state().map();
    let tier = map.tiers.last().expect("tiers");
    let count = map.nodes.iter().filter(|n| n.tier == tier.id).count();
    common::panel_node(
        &harness,
        &format!(
            "{} · {count}",
            tier.name_zh.as_deref().unwrap_or(&tier.name)
        ),
    );
}

#[test]
fn the_front_page_lists_the_latest_commits_of_a_map_in_git_and_what_changed() {
    let (_dir, root) = common::bundled_copy();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "The bundled map"]);
    common::edit_on_disk(
        &root.join("theses.ron"),
        "Where incremental AI-hardware value goes",
        "Where the new AI-hardware money goes",
    );
    git(&["commit", "-q", "-am", "Retitle the hardware-value thesis"]);
    let loaded = chainmap::app::load_map(Some(&root)).expect("loads");
    let mut harness = build(ChainmapApp::new(loaded, Settings::default()));
    // Git runs on a thread of its own: wait for it, as the window does.
    // Bounded in frames and in time: 1,500 frames of 20 ms, 30 s at most.
    let started = std::time::Instant::now();
    let mut frames = 0;
    while harness
        .query_by_label_contains("Retitle the hardware-value thesis")
        .is_none()
    {
        frames += 1;
        assert!(
            frames <= 1_500 && started.elapsed().as_secs() < 30,
            "no history after {frames} frames"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.get_by_label_contains("The bundled map");
    let change = harness
        .get_by_label_contains("Where the new AI-hardware money goes")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    scroll_and_click(&mut harness, &change);
    let app = harness.state();
    let lens = app
        .state()
        .lens_thesis()
        .expect("the change opens the thesis's lens");
    assert_eq!(
        app.map().theses[lens].title,
        "Where the new AI-hardware money goes"
    );
}
