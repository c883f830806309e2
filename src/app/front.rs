//! The front page's data, built once per map revision (see [`FrontPage::of`]), and the
//! map's git history, read once per map on a thread of its own so that the window never
//! waits for git.

use super::ChainmapApp;
use crate::io::history::{self, History};
use crate::ui::front_page::FrontPage;
use std::path::PathBuf;
use std::sync::mpsc;

/// How many of the map's latest commits the front page lists.
const COMMITS_SHOWN: usize = 3;

/// The git history of the map shown: asked for once per map, read on another thread.
#[derive(Default)]
pub(super) struct MapHistory {
    /// The map it is read for (its root), once asked for.
    root: Option<PathBuf>,
    /// Where the reading thread sends it, until it has.
    receiver: Option<mpsc::Receiver<Option<History>>>,
    /// `None` while being read, and for a map outside git.
    history: Option<History>,
}

impl ChainmapApp {
    /// Starts reading the history of a map just opened, and takes it in once read (the
    /// front page is built again then). Costs a comparison of paths a frame otherwise.
    pub(super) fn poll_history(&mut self, ctx: &egui::Context) {
        let root = self.session.root();
        if self.derived.history.root.as_deref() != Some(root) {
            let root = root.to_path_buf();
            self.derived.history = MapHistory {
                root: Some(root.clone()),
                ..MapHistory::default()
            };
            // The bundled map run away from its source tree has no files to ask git about.
            if root.exists() {
                let (sender, receiver) = mpsc::channel();
                let repaint = ctx.clone();
                let spawned = std::thread::Builder::new()
                    .name("map-history".to_owned())
                    .spawn(move || {
                        // The window may have closed meanwhile: nobody to tell, then.
                        let _ = sender.send(history::recent(&root, COMMITS_SHOWN));
                        repaint.request_repaint();
                    });
                self.derived.history.receiver = spawned.ok().map(|_| receiver);
            }
            self.derive_front_page();
        }
        let received = self
            .derived
            .history
            .receiver
            .as_ref()
            .and_then(|r| r.try_recv().ok());
        if let Some(history) = received {
            self.derived.history.receiver = None;
            self.derived.history.history = history;
            self.derive_front_page();
        }
    }

    /// The front page of the map as it is now, with its history if that is known (and is
    /// this map's).
    pub(super) fn derive_front_page(&mut self) {
        let root = self.session.root();
        let history = self
            .derived
            .history
            .history
            .as_ref()
            .filter(|_| self.derived.history.root.as_deref() == Some(root));
        self.derived.front_page = FrontPage::of(self.session.map(), history);
    }
}
