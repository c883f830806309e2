//! The logos' URIs, resolved once per logo path rather than once per edit: resolving one
//! follows links, reads the file's metadata and an image's header (see
//! [`io::resolve_asset`]), and a map of thousands of logos did all of that on every
//! keystroke of a form. What a path resolved to is kept until the map's files change on
//! disk or another map opens.

use crate::io;
use crate::model::Map;
use std::collections::HashMap;
use std::path::Path;

/// For each node, the URI of its logo when it has a safe one; and what each logo path
/// resolved to.
#[derive(Default)]
pub(super) struct Logos {
    uris: Vec<Option<String>>,
    resolved: HashMap<String, Option<String>>,
}

impl Logos {
    /// The URIs of `map`'s logos, in the map's asset folder `asset_dir`: paths seen before
    /// are not resolved again.
    pub(super) fn update(&mut self, map: &Map, asset_dir: &Path) {
        let resolved = &mut self.resolved;
        self.uris = map
            .nodes
            .iter()
            .map(|n| {
                let logo = n.logo.as_deref()?;
                resolved
                    .entry(logo.to_owned())
                    .or_insert_with(|| {
                        let path = io::resolve_asset(asset_dir, logo).ok()?;
                        Some(format!("file://{}", path.display()))
                    })
                    .clone()
            })
            .collect();
    }

    /// Forgets what paths resolved to: the files on disk changed, or the map did.
    pub(super) fn forget(&mut self) {
        self.resolved.clear();
    }

    pub(super) fn uris(&self) -> &[Option<String>] {
        &self.uris
    }

    pub(super) fn uri(&self, node: usize) -> Option<&str> {
        self.uris.get(node)?.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, NodeKind};

    fn map_with_logo(logo: &str) -> Map {
        let mut node = Node::new("a", "A", NodeKind::Company, "t");
        node.logo = Some(logo.to_owned());
        Map {
            nodes: vec![node],
            ..Map::default()
        }
    }

    #[test]
    fn a_path_resolves_once_until_forgotten() {
        let dir = tempfile::tempdir().expect("temp");
        let map = map_with_logo("logo.svg");
        let mut logos = Logos::default();
        logos.update(&map, dir.path());
        assert_eq!(logos.uri(0), None, "no file yet");
        std::fs::write(dir.path().join("logo.svg"), "<svg/>").expect("writes");
        logos.update(&map, dir.path());
        assert_eq!(logos.uri(0), None, "what the path resolved to is kept");
        logos.forget();
        logos.update(&map, dir.path());
        assert!(logos.uri(0).is_some_and(|uri| uri.starts_with("file://")));
        assert_eq!(logos.uris().len(), 1);
    }
}
