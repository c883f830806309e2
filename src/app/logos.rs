//! The logos' URIs, resolved once per logo path rather than once per edit: resolving one
//! follows links, reads the file's metadata and an image's header (see
//! [`io::resolve_asset`]), and a map of thousands of logos did all of that on every
//! keystroke of a form. What a path resolved to is kept until the map's files change on
//! disk or another map opens. A map with many logos not resolved yet (a landscape of
//! thousands) has them resolved on a thread of their own: its cards show no logo until
//! they arrive, instead of the window stopping while they are looked up.

use crate::io;
use crate::model::Map;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

/// More paths than this still to resolve are resolved off the UI thread.
const RESOLVED_APART_OVER: usize = 64;

/// What each path resolved to: a `file://` URI, or `None` for no safe, readable logo.
type Resolutions = Vec<(String, Option<String>)>;

/// For each node, the URI of its logo when it has a safe one; and what each logo path
/// resolved to.
#[derive(Default)]
pub(super) struct Logos {
    uris: Vec<Option<String>>,
    /// Each node's logo path, to make the URIs again when resolutions arrive.
    paths: Vec<Option<String>>,
    resolved: HashMap<String, Option<String>>,
    /// The resolutions being made on another thread.
    pending: Option<Receiver<Resolutions>>,
}

impl Logos {
    /// The URIs of `map`'s logos, in the map's asset folder `asset_dir`: paths seen before
    /// are not resolved again; many new ones are resolved apart (see [`Logos::poll`]).
    pub(super) fn update(&mut self, map: &Map, asset_dir: &Path) {
        self.paths = map.nodes.iter().map(|n| n.logo.clone()).collect();
        let mut unresolved: Vec<String> = self
            .paths
            .iter()
            .flatten()
            .filter(|path| !self.resolved.contains_key(*path))
            .cloned()
            .collect();
        unresolved.sort_unstable();
        unresolved.dedup();
        if unresolved.len() <= RESOLVED_APART_OVER {
            self.resolved.extend(resolve(asset_dir, unresolved));
        } else if self.pending.is_none() {
            let (send, receive) = std::sync::mpsc::channel();
            let dir: PathBuf = asset_dir.to_path_buf();
            // The window may close before they arrive: then nobody listens, and that is fine.
            std::thread::spawn(move || send.send(resolve(&dir, unresolved)));
            self.pending = Some(receive);
        }
        self.make_uris();
    }

    /// Takes in the resolutions made apart, when they have arrived; whether the URIs
    /// changed (the window then draws again).
    pub(super) fn poll(&mut self) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        match pending.try_recv() {
            Ok(resolutions) => {
                self.pending = None;
                self.resolved.extend(resolutions);
                self.make_uris();
                true
            }
            Err(TryRecvError::Empty) => false,
            Err(TryRecvError::Disconnected) => {
                self.pending = None;
                false
            }
        }
    }

    /// Whether logos are being resolved apart.
    pub(super) fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Forgets what paths resolved to: the files on disk changed, or the map did.
    pub(super) fn forget(&mut self) {
        self.resolved.clear();
        self.pending = None;
    }

    pub(super) fn uris(&self) -> &[Option<String>] {
        &self.uris
    }

    pub(super) fn uri(&self, node: usize) -> Option<&str> {
        self.uris.get(node)?.as_deref()
    }

    fn make_uris(&mut self) {
        self.uris = self
            .paths
            .iter()
            .map(|path| self.resolved.get(path.as_deref()?)?.clone())
            .collect();
    }
}

/// What each of `paths` resolves to in `asset_dir`.
fn resolve(asset_dir: &Path, paths: Vec<String>) -> Resolutions {
    paths
        .into_iter()
        .map(|logo| {
            let uri = io::resolve_asset(asset_dir, &logo)
                .ok()
                .map(|path| format!("file://{}", path.display()));
            (logo, uri)
        })
        .collect()
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

    #[test]
    fn many_new_logos_are_resolved_apart_and_arrive() {
        let dir = tempfile::tempdir().expect("temp");
        let count = RESOLVED_APART_OVER + 10;
        let mut map = Map::default();
        for i in 0..count {
            let name = format!("logo-{i}.svg");
            std::fs::write(dir.path().join(&name), "<svg/>").expect("writes");
            let mut node = Node::new(format!("n{i}"), "N", NodeKind::Company, "t");
            node.logo = Some(name);
            map.nodes.push(node);
        }
        let mut logos = Logos::default();
        logos.update(&map, dir.path());
        // Taken in only by `poll`: none yet, whatever the thread has done.
        assert!(logos.is_pending());
        assert!(logos.uris().iter().all(Option::is_none));
        let mut arrived = false;
        for _ in 0..1_000 {
            if logos.poll() {
                arrived = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(arrived, "the logos did not arrive within 10 s");
        assert!(!logos.is_pending());
        assert_eq!(logos.uris().len(), count);
        assert!(
            logos
                .uris()
                .iter()
                .all(|uri| uri.as_deref().is_some_and(|u| u.starts_with("file://")))
        );
        // Seen once, they are not resolved again.
        logos.update(&map, dir.path());
        assert!(!logos.is_pending());
    }
}
