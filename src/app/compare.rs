//! Compare with…: another version of the map (a folder, a file or a git revision) drawn
//! over this one. Nodes added since are outlined, removed ones drawn as ghosts in their
//! old segment, nodes whose theses, figures or links changed are marked, and the Changes
//! tab lists every change (`model::changes`, the words of `chainmap diff`) to step through.

use super::editing::{MapPath, ask_map_path};
use super::{ChainmapApp, LeftTab, Status};
use crate::io::{self, LoadedMap, revision::Revision};
use crate::model::changes::{self, Line, Section};
use crate::model::{EntityKind, Lang, Map, Msg, Node, NodeKind, diff, index_by_id};
use crate::ui::{Action, CompareMarks, Ghost};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The version compared with, and the changes from it to the map as edited.
pub struct Comparison {
    /// How the version was named: a path or `REV:PATH`.
    pub label: String,
    /// The other version, as its files hold it.
    other: Map,
    pub sections: Vec<Section>,
    /// The change last stepped to, as an index into every section's lines in order.
    pub step: Option<usize>,
    /// The language the changes are worded in.
    lang: Lang,
}

impl Comparison {
    fn lines(&self) -> impl Iterator<Item = &Line> {
        self.sections.iter().flat_map(|s| &s.lines)
    }

    fn count(&self) -> usize {
        self.lines().count()
    }
}

impl ChainmapApp {
    /// Compares the map with the version in the folder or file at `path`.
    pub fn compare_with_path(&mut self, path: &Path) {
        match io::load(path) {
            Ok(other) => self.compare_with(path.display().to_string(), &other),
            Err(error) => self.status = Some(Status::Failure(error.to_string())),
        }
    }

    /// Compares the map with what the git revision `rev` (`HEAD`, `HEAD~3`, a tag) holds
    /// at the map's own path.
    pub fn compare_with_revision(&mut self, rev: &str) {
        let root = self
            .session
            .root()
            .canonicalize()
            .unwrap_or_else(|_| self.session.root().to_path_buf());
        let (dir, name) = match (root.parent(), root.file_name()) {
            (Some(dir), Some(name)) => (dir.to_path_buf(), name.to_string_lossy().into_owned()),
            _ => (PathBuf::from("."), root.display().to_string()),
        };
        let revision = Revision {
            rev: rev.trim().to_owned(),
            path: format!("./{name}"),
        };
        match io::revision::load(&revision, &dir) {
            Ok(other) => self.compare_with(format!("{}:{}", revision.rev, name), &other),
            Err(error) => self.status = Some(Status::Failure(error.to_string())),
        }
    }

    fn compare_with(&mut self, label: String, other: &LoadedMap) {
        self.comparison = Some(Comparison {
            label,
            other: other.draft.merged(),
            sections: Vec::new(),
            step: None,
            lang: self.state.lang,
        });
        self.status = None;
        self.refresh_comparison();
        // What was added since fades in at its place, so that the eye finds it.
        self.view.glide_starts = self
            .state
            .compare
            .as_ref()
            .map(|marks| marks.added.iter().map(|&i| (i, None)).collect())
            .unwrap_or_default();
        self.panels.left_tab = LeftTab::Changes;
    }

    pub fn stop_comparing(&mut self) {
        self.comparison = None;
        self.state.compare = None;
        if self.panels.left_tab == LeftTab::Changes {
            self.panels.left_tab = LeftTab::Outline;
        }
    }

    /// Recomputes the changes and the marks on the map (after an edit, too).
    pub(super) fn refresh_comparison(&mut self) {
        let Some(comparison) = &mut self.comparison else {
            return;
        };
        let now = self.session.draft().merged();
        let found = diff::diff(&comparison.other, &now);
        comparison.lang = self.state.lang;
        comparison.sections = changes::sections(&found, self.state.lang);
        if comparison
            .step
            .is_some_and(|step| step >= comparison.count())
        {
            comparison.step = None;
        }
        self.state.compare = Some(marks(self.session.map(), &comparison.other, &found));
    }

    /// The marks on the map (tests read them).
    pub fn compare_marks(&self) -> Option<&CompareMarks> {
        self.state.compare.as_ref()
    }

    /// Steps to the next (or previous) change and shows what it is about.
    pub fn step_change(&mut self, forward: bool) {
        let Some(comparison) = &mut self.comparison else {
            return;
        };
        let count = comparison.count();
        if count == 0 {
            return;
        }
        let next = match (comparison.step, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(step), true) => (step + 1) % count,
            (Some(step), false) => (step + count - 1) % count,
        };
        self.go_to_change(next);
    }

    fn go_to_change(&mut self, index: usize) {
        let Some(comparison) = &mut self.comparison else {
            return;
        };
        comparison.step = Some(index);
        let about = comparison.lines().nth(index).and_then(|l| l.about.clone());
        if let Some((kind, id)) = about
            && let Some(node) = self.node_of(kind, &id)
        {
            self.apply(Action::Reveal(node));
        }
    }

    /// The node a change is best shown on: the node itself, a figure's subject, a link's
    /// `from`, a thesis's first node.
    fn node_of(&self, kind: EntityKind, id: &str) -> Option<usize> {
        let map = self.session.map();
        let node = |id: &str| map.nodes.iter().position(|n| n.id == id);
        match kind {
            EntityKind::Node => node(id),
            EntityKind::Figure => map
                .figures
                .iter()
                .find(|f| f.id == id)
                .and_then(|f| node(&f.subject)),
            EntityKind::Link => map
                .links
                .iter()
                .find(|l| l.id == id)
                .and_then(|l| node(&l.from).or_else(|| node(&l.to))),
            EntityKind::Thesis => map
                .theses
                .iter()
                .find(|t| t.id == id)
                .and_then(|t| t.about.iter().find_map(|a| node(a))),
            _ => None,
        }
    }

    /// The Changes tab: what changed since the version compared with, to step through.
    pub(super) fn changes_ui(&mut self, ui: &mut egui::Ui) {
        if self
            .comparison
            .as_ref()
            .is_some_and(|c| c.lang != self.state.lang)
        {
            self.refresh_comparison();
        }
        let Some(comparison) = &self.comparison else {
            ui.label(Msg::CompareFromFileMenu.in_lang(self.state.lang));
            return;
        };
        ui.label(Msg::since(self.state.lang, &comparison.label));
        let count = comparison.count();
        let mut step = None;
        let mut stop = false;
        ui.horizontal(|ui| {
            if ui.button(Msg::Previous.in_lang(self.state.lang)).clicked() {
                step = Some(false);
            }
            if ui.button(Msg::Next.in_lang(self.state.lang)).clicked() {
                step = Some(true);
            }
            if ui
                .button(Msg::StopComparing.in_lang(self.state.lang))
                .clicked()
            {
                stop = true;
            }
        });
        if count == 0 {
            ui.label(Msg::NoDifferences.in_lang(self.state.lang));
        }
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let mut index = 0;
                for section in &comparison.sections {
                    ui.strong(&section.heading);
                    for line in &section.lines {
                        let current = comparison.step == Some(index);
                        if ui
                            .selectable_label(current, egui::RichText::new(&line.text).small())
                            .clicked()
                        {
                            chosen = Some(index);
                        }
                        index += 1;
                    }
                    ui.add_space(4.0);
                }
            });
        if let Some(forward) = step {
            self.step_change(forward);
        }
        if let Some(index) = chosen {
            self.go_to_change(index);
        }
        if stop {
            self.stop_comparing();
        }
    }

    /// Compare with… another folder or file: asks which, then compares.
    pub(super) fn compare_dialog(&mut self) {
        let ask = if self.session.root().is_dir() {
            MapPath::Folder
        } else {
            MapPath::FileToRead
        };
        if let Some(path) = ask_map_path(ask, self.state.lang) {
            self.compare_with_path(&path);
        }
    }

    pub(super) fn compare_menu_ui(&mut self, ui: &mut egui::Ui) {
        ui.menu_button(Msg::CompareWithMenu.in_lang(self.state.lang), |ui| {
            if ui
                .button(Msg::AnotherFolderOrFile.in_lang(self.state.lang))
                .clicked()
            {
                self.compare_dialog();
                ui.close();
            }
            ui.horizontal(|ui| {
                ui.label(Msg::GitRevision.in_lang(self.state.lang));
                ui.add(
                    egui::TextEdit::singleline(&mut self.panels.compare_revision)
                        .hint_text("HEAD")
                        .desired_width(90.0),
                );
                if ui.button(Msg::Compare.in_lang(self.state.lang)).clicked() {
                    let rev = if self.panels.compare_revision.trim().is_empty() {
                        "HEAD".to_owned()
                    } else {
                        self.panels.compare_revision.clone()
                    };
                    self.compare_with_revision(&rev);
                    ui.close();
                }
            });
            if self.comparison.is_some()
                && ui
                    .button(Msg::StopComparing.in_lang(self.state.lang))
                    .clicked()
            {
                self.stop_comparing();
                ui.close();
            }
        });
    }
}

/// The ids of the entities a diff of one kind changed, then of those it added.
fn changed_or_added<'d, E, C>(
    kind: &'d diff::KindDiff<E, C>,
    added_id: impl Fn(&'d E) -> &'d str,
    changed_id: impl Fn(&'d C) -> &'d str,
) -> impl Iterator<Item = &'d str> {
    let changed = kind.changed.iter().map(changed_id);
    changed.chain(kind.added.iter().map(added_id))
}

/// What to draw over `map` (as edited) for the changes from `other`.
fn marks(map: &Map, other: &Map, found: &diff::MapDiff) -> CompareMarks {
    // Every lookup by id through an index built once: a comparison of two large maps
    // with many changes looked each change up in a whole list.
    let nodes = index_by_id(&map.nodes, |n| &n.id);
    let node_index = |id: &str| nodes.get(id).copied();
    let figures = index_by_id(&map.figures, |f| &f.id);
    let theses = index_by_id(&map.theses, |t| &t.id);
    let links = index_by_id(&map.links, |l| &l.id);
    let segments = index_by_id(&map.segments, |s| &s.id);
    let others = index_by_id(&other.nodes, |n| &n.id);
    let added: BTreeSet<usize> = found
        .nodes
        .added
        .iter()
        .filter_map(|n| node_index(&n.id))
        .collect();
    let mut changed: BTreeSet<usize> = found
        .nodes
        .moved
        .iter()
        .map(|m| m.id.as_str())
        .chain(found.nodes.changed.iter().map(|c| c.id.as_str()))
        .filter_map(node_index)
        .collect();
    // A node whose figures, theses or links changed is marked too.
    let figure_subjects = changed_or_added(&found.figures, |f| &f.id, |f| &f.id)
        .filter_map(|id| map.figures.get(*figures.get(id)?))
        .map(|f| f.subject.as_str());
    let thesis_subjects = changed_or_added(&found.theses, |t| &t.id, |t| &t.id)
        .filter_map(|id| map.theses.get(*theses.get(id)?))
        .flat_map(|t| t.about.iter().map(String::as_str));
    let link_ends = found
        .links
        .changed
        .iter()
        .flat_map(|l| [l.from.as_str(), l.to.as_str()]);
    changed.extend(
        figure_subjects
            .chain(thesis_subjects)
            .chain(link_ends)
            .filter_map(node_index),
    );
    changed.retain(|i| !added.contains(i));
    let added_links = found
        .links
        .added
        .iter()
        .filter_map(|l| links.get(l.id.as_str()).copied())
        .collect();
    let ghosts = found
        .nodes
        .removed
        .iter()
        .map(|n| {
            let before = others.get(n.id.as_str()).and_then(|&i| other.nodes.get(i));
            Ghost {
                id: n.id.clone(),
                kind: before.map_or(NodeKind::Company, |o| o.kind),
                name: before.map_or_else(|| n.name.clone(), |o| o.name.clone()),
                name_zh: n.name_zh.clone(),
                segment: n.segment.as_deref().and_then(|s| segments.get(s).copied()),
                tier: map.tier_index(&n.tier),
            }
        })
        .collect();
    CompareMarks {
        added,
        changed,
        added_links,
        ghosts,
    }
}

/// `map` with a node for each ghost whose tier it still has, in the ghost's old segment
/// (or loose in its tier when the segment is gone too), after the map's own nodes: laid
/// out, each ghost takes a cell of its own.
pub(super) fn with_ghosts(map: &Map, ghosts: &[Ghost]) -> Map {
    let mut laid = map.clone();
    for ghost in ghosts {
        let Some(tier) = ghost.tier.and_then(|t| map.tiers.get(t)) else {
            continue;
        };
        let segment = ghost.segment.and_then(|s| map.segments.get(s));
        laid.nodes.push(Node {
            name_zh: ghost.name_zh.clone(),
            segments: segment.map(|s| s.id.clone()).into_iter().collect(),
            ..Node::new(&ghost.id, &ghost.name, ghost.kind, &tier.id)
        });
    }
    laid
}
