//! One self-contained interactive web page of a map: `export --format html` and the
//! window's File ▸ Export ▸ Web page…. The page holds its data, script, styles and logos,
//! makes no request outside itself (its Content-Security-Policy forbids every one), and
//! opens from disk in any browser.
//!
//! This module writes the file; the page's script and styles are sources of their own in
//! `assets/web/`. It reads the model, `io` (logos, saved views) and `layout` only, never
//! the window's code: the layout is `layout::layout` with card sizes estimated from the
//! names ([`crate::layout::default_node_size`], the larger of the two languages, so that
//! a card fits its name in either), since the browser draws the names with its own fonts.
//!
//! Safety rests on two things. The map's data is JSON inside `<script
//! type="application/json">` with `<`, `>`, `&`, U+2028 and U+2029 escaped, so that no
//! text of the map can end the element; and the script puts the map's text into the page
//! only as text (`textContent`), and follows only http and https links.

mod data;
mod logos;

pub use data::safe_url;

use crate::io::views::SavedView;
use crate::layout::{self, Layout, LayoutOptions, Size};
use crate::model::{Lang, Map, Msg};
use base64::Engine as _;
use serde_json::{Value, json};
use sha2::Digest as _;
use std::path::Path;

const SCRIPT: &str = include_str!("../../assets/web/page.js");
const STYLE: &str = include_str!("../../assets/web/page.css");
const BODY: &str = include_str!("../../assets/web/body.html");
/// Every word of the page, by the key its script asks for it (`word(key)` in `page.js`,
/// `data-word`, `data-label` and `data-placeholder` in `body.html`): words of the message
/// catalogue, the window's where the page says the same. The map's own words come with
/// the map.
const PAGE_WORDS: &[(&str, Msg)] = &[
    ("search", Msg::CommandSearch),
    ("search-hint", Msg::PageSearchHint),
    ("no-results", Msg::PageNoMatch),
    ("zoom-in", Msg::CommandZoomIn),
    ("zoom-out", Msg::CommandZoomOut),
    ("fit", Msg::PageFit),
    ("theses", Msg::PageThesisLens),
    ("no-thesis", Msg::PageNoThesisLens),
    ("markets", Msg::PageMarketLens),
    ("no-market", Msg::PageNoMarketLens),
    ("views", Msg::PageSavedViews),
    ("no-view", Msg::PageChooseView),
    ("filters", Msg::Filters),
    ("tier", Msg::Tier),
    ("segment", Msg::Segment),
    ("tag", Msg::Tag),
    ("tags", Msg::PageTags),
    ("any", Msg::PageAny),
    ("link-kinds", Msg::PageLinkKindsShown),
    ("lang-switch", Msg::PageOtherLanguage),
    ("details", Msg::PageDetails),
    ("details-empty", Msg::PageDetailsHint),
    ("description", Msg::PageDescription),
    ("links-in", Msg::PageLinksIn),
    ("links-out", Msg::PageLinksOut),
    ("theses-about", Msg::Theses),
    ("figures", Msg::Figures),
    ("shares", Msg::MarketShares),
    ("case-study", Msg::PageCaseStudy),
    ("people", Msg::People),
    ("history", Msg::PageHistory),
    ("outlook", Msg::PageOutlook),
    ("trace", Msg::TraceTheValueChain),
    ("upstream", Msg::UpstreamSuppliers),
    ("downstream", Msg::DownstreamCustomers),
    ("nothing-reached", Msg::Nothing),
    ("no-chain", Msg::PageNoValueChain),
    ("segment-mark", Msg::PageSegmentMark),
    ("conviction", Msg::PageConviction),
    ("evidence", Msg::PageEvidence),
    ("close", Msg::Close),
    ("open-link", Msg::PageWebsite),
    ("size", Msg::PageMarketSize),
    ("map", Msg::ValueChainMap),
];

/// The page's words in both languages, as its script reads them: `{"key": {"en": …,
/// "zh": …}}`. The one message the script fills with values itself, a share's rank, is
/// its phrase with the holes left for the script (`{rank}`, `{count}`).
fn words_json() -> String {
    let mut words: serde_json::Map<String, Value> = PAGE_WORDS
        .iter()
        .map(|(key, msg)| ((*key).to_owned(), json!({"en": msg.en(), "zh": msg.zh()})))
        .collect();
    let rank_of = |lang| Msg::rank_among_shares(lang, "{rank}", "{count}");
    words.insert(
        "rank-of".to_owned(),
        json!({"en": rank_of(Lang::En), "zh": rank_of(Lang::Zh)}),
    );
    Value::Object(words).to_string()
}

/// What the page is made for: the language it opens in, the shape its map is laid out
/// for, and the state it opens on when its link names none.
#[derive(Clone, Debug, PartialEq)]
pub struct PageOptions {
    pub lang: Lang,
    /// Width over height of the page's map.
    pub aspect: f32,
    /// The state the page opens on (see [`view_state`]), as its URL's hash would hold it.
    pub start: String,
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions {
            lang: Lang::En,
            aspect: layout::DEFAULT_ASPECT,
            start: String::new(),
        }
    }
}

/// The page's layout of `map`: the layout function of the window and the pictures, with
/// each card sized for the longer of its two names.
pub fn page_layout(map: &Map, aspect: f32) -> Layout {
    let english = layout::default_sizes_in(map, Lang::En);
    let chinese = layout::default_sizes_in(map, Lang::Zh);
    let sizes: Vec<Size> = english
        .iter()
        .zip(&chinese)
        .enumerate()
        .map(|(i, (en, zh))| Size {
            // Room for a logo at the card's left, as the window leaves it.
            w: en.w.max(zh.w)
                + if map.nodes.get(i).is_some_and(|n| n.logo.is_some()) {
                    layout::DEFAULT_NODE_HEIGHT - 4.0
                } else {
                    0.0
                },
            h: en.h.max(zh.h),
        })
        .collect();
    let options = LayoutOptions {
        aspect: Some(aspect),
        ..LayoutOptions::default()
    };
    layout::layout(map, &sizes, &options)
}

/// The whole page of `map`, whose logos are found in `asset_dir` (none without it), with
/// its saved views in the page's menu.
pub fn page(
    map: &Map,
    asset_dir: Option<&Path>,
    views: &[SavedView],
    options: &PageOptions,
) -> String {
    let layout = page_layout(map, options.aspect);
    let logos = logos::logos(map, asset_dir);
    let views: Vec<Value> = views
        .iter()
        .filter(|v| v.viewport_problem().is_none())
        .map(|v| serde_json::json!({"name": v.name, "state": view_state(v)}))
        .collect();
    let mut payload = data::payload(map, &layout, &logos, views, options.lang);
    if let Value::Object(object) = &mut payload {
        object.insert("start".to_owned(), Value::String(options.start.clone()));
    }
    let title = map.meta.title.as_deref().unwrap_or("chainmap");
    document(title, options.lang, &script_json(&payload.to_string()))
}

/// The page around its data: the policy, the styles, the chrome, the data and the script.
fn document(title: &str, lang: Lang, data_json: &str) -> String {
    let policy = format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        sha256_source(SCRIPT),
        sha256_source(STYLE)
    );
    let words = script_json(&words_json());
    let lang_tag = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-Hans",
    };
    let mut out = String::with_capacity(data_json.len() + SCRIPT.len() + STYLE.len() + 4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(lang_tag);
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"");
    out.push_str(&policy);
    out.push_str("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"chainmap\">\n<title>");
    out.push_str(&crate::render::picture::escape(title));
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(BODY);
    out.push_str("<script type=\"application/json\" id=\"map-data\">");
    out.push_str(data_json);
    out.push_str("</script>\n<script type=\"application/json\" id=\"words\">");
    out.push_str(&words);
    out.push_str("</script>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// `'sha256-…'`: the CSP source that lets exactly this inline script or style run.
fn sha256_source(text: &str) -> String {
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// JSON made safe inside a `<script>` element: no `<`, `>` or `&` (so no `</script>` and
/// no `<!--`), and no U+2028/U+2029 (line breaks to older script parsers). Each can only
/// stand inside a JSON string, where its `\u` escape means the same.
fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A saved view as the page's state: the hash of its URL (`sel=openai&trace=1&…`).
pub fn view_state(view: &SavedView) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    let mut put = |key: &'static str, value: Option<&str>| {
        if let Some(value) = value {
            parts.push((key, value.to_owned()));
        }
    };
    put("sel", view.selected.as_deref());
    put("trace", view.trace.then_some("1"));
    put("lens", view.thesis_lens.as_deref());
    put("market", view.market.as_deref());
    put("tier", view.tier.as_deref());
    put("seg", view.segment.as_deref());
    put("tag", view.tag.as_deref());
    let hidden: Vec<String> = view
        .hidden_kinds
        .iter()
        .map(|k| data::kind_key(*k))
        .collect();
    let hidden = hidden.join(",");
    put("hide", (!hidden.is_empty()).then_some(hidden.as_str()));
    let viewport = view
        .viewport
        .map(|(x, y, w, h)| format!("{x:.0},{y:.0},{w:.0},{h:.0}"));
    put("v", viewport.as_deref());
    parts
        .iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The state of a page that opens on a market laid over the map.
pub fn market_state(market_id: &str) -> String {
    format!("market={}", percent_encode(market_id))
}

/// A value for a URL's hash, as `URLSearchParams` reads it back.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b',') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_can_end_the_data_element() {
        let json = serde_json::json!({"name": "</script><script>alert(1)</script>\u{2028}&<!--"})
            .to_string();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        assert!(!safe.contains('\u{2028}'));
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, serde_json::from_str::<Value>(&json).expect("JSON"));
    }

    /// The keys that follow `opening` in `source`, up to `closing`.
    fn keys_after<'a>(source: &'a str, opening: &str, closing: char) -> Vec<&'a str> {
        source
            .split(opening)
            .skip(1)
            .filter_map(|rest| rest.split(closing).next())
            .collect()
    }

    #[test]
    fn the_page_has_every_word_it_asks_for_and_asks_for_every_word_it_has() {
        let words: serde_json::Map<String, Value> =
            serde_json::from_str(&words_json()).expect("a JSON object");
        let asked: Vec<&str> = keys_after(SCRIPT, "word('", '\'')
            .into_iter()
            .chain(
                ["word=\"", "label=\"", "placeholder=\""]
                    .into_iter()
                    .flat_map(|attribute| keys_after(BODY, &format!("data-{attribute}"), '"')),
            )
            .collect();
        assert!(asked.len() > 30, "{asked:?}");
        for key in asked {
            assert!(
                words.contains_key(key),
                "the page asks for \"{key}\", which it lacks"
            );
        }
        // Some keys are chosen in the script (`word(up ? 'upstream' : 'downstream')`).
        for key in words.keys() {
            assert!(
                SCRIPT.contains(&format!("'{key}'")) || BODY.contains(&format!("\"{key}\"")),
                "\"{key}\" is never asked for"
            );
        }
        let rank = &words["rank-of"];
        assert_eq!(rank["en"], "#{rank} of {count}");
        assert!(rank["zh"].as_str().is_some_and(|zh| zh.contains("{rank}")));
    }

    #[test]
    fn a_saved_view_becomes_the_page_s_hash() {
        let view = SavedView {
            name: "chain".into(),
            selected: Some("open ai&x".into()),
            trace: true,
            hidden_kinds: vec![crate::model::LinkKind::Partners],
            viewport: Some((1.0, 2.0, 300.0, 200.0)),
            ..SavedView::default()
        };
        assert_eq!(
            view_state(&view),
            "sel=open%20ai%26x&trace=1&hide=partners&v=1,2,300,200"
        );
    }
}
