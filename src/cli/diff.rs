//! `chainmap diff OLD NEW`: what changed between two versions of a map, each a file, a
//! folder or `REV:PATH` in the current git repository, written as text (one line per
//! change), a Markdown memo or JSON. The comparison itself is [`model::diff`]; this module
//! reads the versions and words the result.
//!
//! The versions are compared as their files hold them (the loader's draft), not as
//! validated: an entity that a broken map's checker leaves out is then not reported as
//! removed. Like `export`, a map with errors still diffs, its errors go to standard error,
//! and the exit status is 1.

use super::{EXIT_MAP_ERRORS, report_errors, write_output};
use crate::io::{self, LoadedMap, revision::Revision};
use crate::model::changes::{
    self, change_line, figure_value, link_words, moved_placement, name_in, node_placement,
};
use crate::model::diff::{
    Changed, FieldChange, FigureChange, FigureEntry, KindDiff, LinkChange, LinkEntry, MapDiff,
    NamedEntry, NodeDiff, SegmentEntry, ThesisEntry, TierDiff, Value,
};
use crate::model::{self, Lang, format_number};
use clap::ValueEnum;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per change, grouped by kind
    Text,
    /// A memo: a section per kind, tables for figures and theses
    Md,
    /// Every change with its old and new values
    Json,
}

pub fn run(
    old: &Path,
    new: &Path,
    format: DiffFormat,
    output: Option<&Path>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let old_map = load_version(old)?;
    let new_map = load_version(new)?;
    report_errors(&old_map);
    report_errors(&new_map);
    let errors = old_map.error_count() + new_map.error_count();

    let new_draft = new_map.draft.merged();
    let diff = model::diff::diff(&old_map.draft.merged(), &new_draft);
    let labels = Labels {
        old: old.display().to_string(),
        new: new.display().to_string(),
    };
    let text = match format {
        DiffFormat::Text => super::terminal_safe_lines(&changes::text(&diff, lang)),
        DiffFormat::Md => markdown(&diff, &labels, &new_draft.meta, lang),
        DiffFormat::Json => json(&diff, &labels)?,
    };
    write_output(output, text.as_bytes())?;
    Ok(if errors > 0 {
        ExitCode::from(EXIT_MAP_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Loads a version: `REV:PATH` through git when the argument is not a path on disk.
fn load_version(arg: &Path) -> anyhow::Result<LoadedMap> {
    match arg.to_str().and_then(Revision::from_arg) {
        Some(revision) => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            Ok(io::revision::load(&revision, &here)?)
        }
        None => super::load(arg),
    }
}

/// The two versions as the command line named them.
struct Labels {
    old: String,
    new: String,
}

/// The JSON document: the versions' names, then [`MapDiff`]'s keys.
#[derive(Serialize)]
struct Report<'a> {
    old: &'a str,
    new: &'a str,
    #[serde(flatten)]
    diff: &'a MapDiff,
}

fn json(diff: &MapDiff, labels: &Labels) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(&Report {
        old: &labels.old,
        new: &labels.new,
        diff,
    })?;
    text.push('\n');
    Ok(text)
}

/// Escapes text for a Markdown table cell: one line, no column breaks, no markup.
fn cell(text: &str) -> String {
    md(text)
}

/// Escapes what Markdown would read as markup in running text (HTML, links, emphasis,
/// line breaks), as the Markdown memo does: one escaping for both.
fn md(text: &str) -> String {
    crate::io::export::markdown_text(text)
}

/// A value in a table cell: as a reader reads it, without the file's quotes.
fn cell_value(value: &Value) -> String {
    let text = match value {
        Value::Absent => "—".to_owned(),
        Value::Text(text) | Value::Variant(text) => text.clone(),
        Value::Integer(number) => number.to_string(),
        Value::Number(number) => format_number(*number),
        Value::List(items) if items.is_empty() => "—".to_owned(),
        Value::List(items) => items.join(", "),
        Value::Structured(value) => value.to_string(),
    };
    cell(&text)
}

/// A memo: a section per kind that changed, tables for the figures and the theses.
fn markdown(diff: &MapDiff, labels: &Labels, meta: &model::MapMeta, lang: Lang) -> String {
    let mut memo = Memo {
        out: String::new(),
        lang,
    };
    let title = meta.title_in(lang).unwrap_or("the map");
    let _ = writeln!(memo.out, "# Changes to {}\n", md(title));
    let _ = writeln!(memo.out, "From `{}` to `{}`.\n", labels.old, labels.new);
    if diff.is_empty() {
        let _ = writeln!(memo.out, "No differences.");
        return memo.out;
    }
    memo.map_settings(&diff.map.changes);
    memo.tiers(&diff.tiers);
    memo.segments(&diff.segments);
    memo.nodes(&diff.nodes);
    memo.links(&diff.links);
    memo.named_section("Markets", &diff.markets);
    memo.figures(&diff.figures);
    memo.theses(&diff.theses);
    memo.named_section("Sources", &diff.sources);
    memo.named_section("Case studies", &diff.case_studies);
    // One newline at the end, not the blank line sections leave between them.
    let mut out = memo.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The Markdown memo as it is written, section by section.
struct Memo {
    out: String,
    lang: Lang,
}

impl Memo {
    fn item(&self, name: &str, name_zh: Option<&String>, id: &str) -> String {
        format!("**{}** (`{id}`)", md(name_in(name, name_zh, self.lang)))
    }

    /// A section: its heading, what `body` writes and a blank line; nothing when `empty`.
    fn section(&mut self, heading: &str, empty: bool, body: impl FnOnce(&mut Self)) {
        if empty {
            return;
        }
        let _ = writeln!(self.out, "## {heading}\n");
        body(self);
        self.out.push('\n');
    }

    fn changed_items(&mut self, changed: &[Changed]) {
        for e in changed {
            let changes: Vec<String> = e.changes.iter().map(change_line).collect();
            let item = self.item(&e.name, e.name_zh.as_ref(), &e.id);
            let _ = writeln!(self.out, "- Changed: {item}: {}", md(&changes.join("; ")));
        }
    }

    /// The added and removed entries, a line each: `- Added: ` and what `line` says of it.
    fn added_and_removed<T>(
        &mut self,
        added: &[T],
        removed: &[T],
        line: impl Fn(&Self, &T) -> String,
    ) {
        for (what, list) in [("Added", added), ("Removed", removed)] {
            for entry in list {
                let line = line(self, entry);
                let _ = writeln!(self.out, "- {what}: {line}");
            }
        }
    }

    fn named_items(&mut self, added: &[NamedEntry], removed: &[NamedEntry]) {
        self.added_and_removed(added, removed, |memo, e| {
            memo.item(&e.name, e.name_zh.as_ref(), &e.id)
        });
    }

    /// Markets, sources and case studies: added, removed and changed, by name.
    fn named_section(&mut self, heading: &str, kind: &KindDiff<NamedEntry>) {
        self.section(heading, kind.is_empty(), |memo| {
            memo.named_items(&kind.added, &kind.removed);
            memo.changed_items(&kind.changed);
        });
    }

    fn map_settings(&mut self, changes: &[FieldChange]) {
        self.section("Map settings", changes.is_empty(), |memo| {
            let _ = writeln!(memo.out, "| Field | Old | New |\n|---|---|---|");
            for c in changes {
                let (old, new) = (cell_value(&c.old), cell_value(&c.new));
                let _ = writeln!(memo.out, "| {} | {old} | {new} |", c.field);
            }
        });
    }

    fn tiers(&mut self, tiers: &TierDiff) {
        self.section("Tiers", tiers.is_empty(), |memo| {
            memo.named_items(&tiers.added, &tiers.removed);
            if let Some(order) = &tiers.order {
                let _ = writeln!(
                    memo.out,
                    "- Order, bottom to top: {} → {}",
                    md(&order.old.join(", ")),
                    md(&order.new.join(", "))
                );
            }
            memo.changed_items(&tiers.changed);
        });
    }

    fn segments(&mut self, segments: &KindDiff<SegmentEntry>) {
        self.section("Segments", segments.is_empty(), |memo| {
            memo.added_and_removed(&segments.added, &segments.removed, |memo, s| {
                let item = memo.item(&s.name, s.name_zh.as_ref(), &s.id);
                format!("{item}, in {}", md(&s.tier))
            });
            memo.changed_items(&segments.changed);
        });
    }

    fn nodes(&mut self, nodes: &NodeDiff) {
        self.section("Nodes", nodes.is_empty(), |memo| {
            memo.added_and_removed(&nodes.added, &nodes.removed, |memo, n| {
                let item = memo.item(&n.name, n.name_zh.as_ref(), &n.id);
                format!("{item}, in {}", md(&node_placement(n)))
            });
            for m in &nodes.moved {
                let item = memo.item(&m.name, m.name_zh.as_ref(), &m.id);
                let _ = writeln!(
                    memo.out,
                    "- Moved: {item}: {} → {}",
                    md(&moved_placement(&m.old)),
                    md(&moved_placement(&m.new))
                );
            }
            memo.changed_items(&nodes.changed);
        });
    }

    fn links(&mut self, links: &KindDiff<LinkEntry, LinkChange>) {
        self.section("Links", links.is_empty(), |memo| {
            memo.added_and_removed(&links.added, &links.removed, |memo, l| {
                let words = link_words(&l.from, l.kind, &l.to, memo.lang);
                format!("`{}`, {}", l.id, md(&words))
            });
            for l in &links.changed {
                let changes: Vec<String> = l.changes.iter().map(change_line).collect();
                let _ = writeln!(
                    memo.out,
                    "- Changed: `{}` ({} → {}): {}",
                    l.id,
                    md(&l.from),
                    md(&l.to),
                    md(&changes.join("; "))
                );
            }
        });
    }

    fn figure_row(
        &mut self,
        id: &str,
        name: (&str, Option<&String>),
        values: (&str, &str),
        other: &str,
    ) {
        let name = cell(name_in(name.0, name.1, self.lang));
        let _ = writeln!(
            self.out,
            "| `{id}` | {name} | {} | {} | {} |",
            cell(values.0),
            cell(values.1),
            cell(other)
        );
    }

    fn figures(&mut self, figures: &KindDiff<FigureEntry, FigureChange>) {
        self.section("Figures", figures.is_empty(), |memo| {
            let _ = writeln!(
                memo.out,
                "| Figure | Metric | Old | New | Other changes |\n|---|---|---|---|---|"
            );
            for f in &figures.changed {
                let other: Vec<String> = f.other_changes().map(change_line).collect();
                let values = (figure_value(&f.old_value), figure_value(&f.new_value));
                memo.figure_row(
                    &f.id,
                    (&f.name, f.name_zh.as_ref()),
                    values,
                    &other.join("; "),
                );
            }
            for f in &figures.added {
                let values = ("—", figure_value(&f.value));
                memo.figure_row(&f.id, (&f.name, f.name_zh.as_ref()), values, "added");
            }
            for f in &figures.removed {
                let values = (figure_value(&f.value), "—");
                memo.figure_row(&f.id, (&f.name, f.name_zh.as_ref()), values, "removed");
            }
        });
    }

    fn theses(&mut self, theses: &KindDiff<ThesisEntry>) {
        self.section("Theses", theses.is_empty(), |memo| {
            memo.added_and_removed(&theses.added, &theses.removed, |memo, t| {
                // Spelled as in the files, like the table of changes below.
                let item = memo.item(&t.name, t.name_zh.as_ref(), &t.id);
                format!(
                    "{item}: {:?}, conviction {}, {:?}",
                    t.stance, t.conviction, t.status
                )
            });
            if !theses.changed.is_empty() {
                if !theses.added.is_empty() || !theses.removed.is_empty() {
                    memo.out.push('\n');
                }
                let _ = writeln!(
                    memo.out,
                    "| Thesis | Field | Old | New |\n|---|---|---|---|"
                );
                for t in &theses.changed {
                    let title = cell(name_in(&t.name, t.name_zh.as_ref(), memo.lang));
                    for c in &t.changes {
                        let _ = writeln!(
                            memo.out,
                            "| {title} (`{}`) | {} | {} | {} |",
                            t.id,
                            c.field,
                            cell_value(&c.old),
                            cell_value(&c.new)
                        );
                    }
                }
            }
        });
    }
}
