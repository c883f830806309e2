//! Logos for the web page: each node's logo, found inside the map's folder by the loader's
//! own rules (`io::resolve_asset_checked`), drawn again as a small PNG and inlined as a
//! `data:` URI, each distinct picture once.
//!
//! Every logo is decoded and encoded afresh, never copied: an SVG can carry script and a
//! file named `.png` can be anything, but pixels are only pixels. SVGs are rasterised by
//! resvg (already the pictures' renderer) with no access to files or fonts beyond what
//! the SVG holds; PNG and JPEG are decoded by `image` after the loader's size checks.

use super::data::Logos;
use crate::model::Map;
use base64::Engine as _;
use std::collections::HashMap;
use std::path::Path;

/// The side of the square a logo is drawn into, in pixels: a card's logo is about 24 map
/// units, so this stays sharp at 2.5× zoom and costs a few kilobytes a logo.
pub const LOGO_SIDE_PX: u32 = 64;
/// The most bytes of inlined logos a page takes; logos past it are left out (the card
/// keeps its room for one), so that a map with thousands of logos stays a page.
pub const MAX_LOGO_BYTES: usize = 4 * 1024 * 1024;

/// The logos of `map`'s nodes found in `dir`, each once. A logo that cannot be read is
/// left out, as the window leaves it out (the checker reports it).
pub fn logos(map: &Map, dir: Option<&Path>) -> Logos {
    let mut result = Logos {
        uris: Vec::new(),
        of_node: vec![None; map.nodes.len()],
    };
    let Some(dir) = dir else {
        return result;
    };
    // By the file named, then by the picture drawn: two names of one file, or two files
    // with the same picture, are inlined once.
    let mut by_name: HashMap<&str, Option<usize>> = HashMap::new();
    let mut by_uri: HashMap<String, usize> = HashMap::new();
    let mut total = 0usize;
    for (i, node) in map.nodes.iter().enumerate() {
        let Some(name) = node.logo.as_deref() else {
            continue;
        };
        let place = *by_name.entry(name).or_insert_with(|| {
            let uri = crate::io::resolve_asset_checked(dir, name)
                .ok()
                .and_then(|path| std::fs::read(path).ok())
                .and_then(|bytes| redraw(name, &bytes))?;
            if let Some(&known) = by_uri.get(&uri) {
                return Some(known);
            }
            if total + uri.len() > MAX_LOGO_BYTES {
                return None;
            }
            total += uri.len();
            result.uris.push(uri.clone());
            by_uri.insert(uri, result.uris.len() - 1);
            Some(result.uris.len() - 1)
        });
        if let Some(slot) = result.of_node.get_mut(i) {
            *slot = place;
        }
    }
    result
}

/// A logo file drawn again as a PNG `data:` URI of at most [`LOGO_SIDE_PX`] a side.
fn redraw(name: &str, bytes: &[u8]) -> Option<String> {
    let svg = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let png = if svg {
        rasterise_svg(bytes)?
    } else {
        let image = image::load_from_memory(bytes).ok()?;
        let small = image.thumbnail(LOGO_SIDE_PX, LOGO_SIDE_PX);
        let mut out = std::io::Cursor::new(Vec::new());
        small.write_to(&mut out, image::ImageFormat::Png).ok()?;
        out.into_inner()
    };
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// An SVG's pixels: parsed with no resources directory (so nothing outside it is read),
/// fitted into a square of [`LOGO_SIDE_PX`].
fn rasterise_svg(bytes: &[u8]) -> Option<Vec<u8>> {
    let options = resvg::usvg::Options {
        resources_dir: None,
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_data(bytes, &options).ok()?;
    let size = tree.size();
    let side = f32::from(u16::try_from(LOGO_SIDE_PX).ok()?);
    let scale = side / size.width().max(size.height()).max(1.0);
    let width = (size.width() * scale).ceil().clamp(1.0, side);
    let height = (size.height() * scale).ceil().clamp(1.0, side);
    // Both are whole numbers from 1 to the side, so the casts are exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width as u32, height as u32)?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_logo_is_drawn_as_pixels_without_its_script() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"><script>alert(1)</script><rect width="10" height="20" fill="red" onload="alert(2)"/></svg>"#;
        let uri = redraw("logo.svg", svg).expect("an SVG is drawn");
        assert!(uri.starts_with("data:image/png;base64,"));
        let png = base64::engine::general_purpose::STANDARD
            .decode(uri.trim_start_matches("data:image/png;base64,"))
            .expect("base64");
        let image = image::load_from_memory(&png).expect("a PNG");
        assert_eq!((image.width(), image.height()), (32, 64));
    }

    #[test]
    fn what_is_no_picture_is_left_out() {
        assert_eq!(redraw("logo.png", b"<script>alert(1)</script>"), None);
        assert_eq!(redraw("logo.svg", b"<html><script>alert(1)</script>"), None);
    }
}
