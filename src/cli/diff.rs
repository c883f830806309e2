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
use crate::model::diff::{Changed, MapDiff, Named, Value};
use crate::model::{self, Lang, format_number, localized};
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
    let mut out = String::new();
    let title = meta.title.as_deref().map_or("the map", |title| {
        localized(title, meta.title_zh.as_deref(), lang)
    });
    let _ = writeln!(out, "# Changes to {}\n", md(title));
    let _ = writeln!(out, "From `{}` to `{}`.\n", labels.old, labels.new);
    if diff.is_empty() {
        let _ = writeln!(out, "No differences.");
        return out;
    }
    let item = |e_name: &str, name_zh: Option<&String>, id: &str| {
        format!("**{}** (`{id}`)", md(name_in(e_name, name_zh, lang)))
    };
    let changed_items = |out: &mut String, changed: &[Changed]| {
        for e in changed {
            let changes: Vec<String> = e.changes.iter().map(change_line).collect();
            let _ = writeln!(
                out,
                "- Changed: {}: {}",
                item(&e.name, e.name_zh.as_ref(), &e.id),
                md(&changes.join("; "))
            );
        }
    };
    let named_items = |out: &mut String, added: &[Named], removed: &[Named]| {
        for (what, list) in [("Added", added), ("Removed", removed)] {
            for e in list {
                let _ = writeln!(
                    out,
                    "- {what}: {}",
                    item(&e.name, e.name_zh.as_ref(), &e.id)
                );
            }
        }
    };

    if !diff.map.changes.is_empty() {
        let _ = writeln!(out, "## Map settings\n");
        let _ = writeln!(out, "| Field | Old | New |\n|---|---|---|");
        for c in &diff.map.changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                c.field,
                cell_value(&c.old),
                cell_value(&c.new)
            );
        }
        out.push('\n');
    }

    if !diff.tiers.is_empty() {
        let _ = writeln!(out, "## Tiers\n");
        named_items(&mut out, &diff.tiers.added, &diff.tiers.removed);
        if let Some(order) = &diff.tiers.order {
            let _ = writeln!(
                out,
                "- Order, bottom to top: {} → {}",
                md(&order.old.join(", ")),
                md(&order.new.join(", "))
            );
        }
        changed_items(&mut out, &diff.tiers.changed);
        out.push('\n');
    }

    let segments = &diff.segments;
    if !segments.is_empty() {
        let _ = writeln!(out, "## Segments\n");
        for (what, list) in [("Added", &segments.added), ("Removed", &segments.removed)] {
            for s in list {
                let _ = writeln!(
                    out,
                    "- {what}: {}, in {}",
                    item(&s.name, s.name_zh.as_ref(), &s.id),
                    md(&s.tier)
                );
            }
        }
        changed_items(&mut out, &segments.changed);
        out.push('\n');
    }

    let nodes = &diff.nodes;
    if !nodes.is_empty() {
        let _ = writeln!(out, "## Nodes\n");
        for (what, list) in [("Added", &nodes.added), ("Removed", &nodes.removed)] {
            for n in list {
                let _ = writeln!(
                    out,
                    "- {what}: {}, in {}",
                    item(&n.name, n.name_zh.as_ref(), &n.id),
                    md(&node_placement(n))
                );
            }
        }
        for m in &nodes.moved {
            let _ = writeln!(
                out,
                "- Moved: {}: {} → {}",
                item(&m.name, m.name_zh.as_ref(), &m.id),
                md(&moved_placement(&m.old)),
                md(&moved_placement(&m.new))
            );
        }
        changed_items(&mut out, &nodes.changed);
        out.push('\n');
    }

    let links = &diff.links;
    if !links.is_empty() {
        let _ = writeln!(out, "## Links\n");
        for (what, list) in [("Added", &links.added), ("Removed", &links.removed)] {
            for l in list {
                let _ = writeln!(
                    out,
                    "- {what}: `{}`, {}",
                    l.id,
                    md(&link_words(&l.from, l.kind, &l.to, lang))
                );
            }
        }
        for l in &links.changed {
            let changes: Vec<String> = l.changes.iter().map(change_line).collect();
            let _ = writeln!(
                out,
                "- Changed: `{}` ({} → {}): {}",
                l.id,
                md(&l.from),
                md(&l.to),
                md(&changes.join("; "))
            );
        }
        out.push('\n');
    }

    if !diff.markets.is_empty() {
        let _ = writeln!(out, "## Markets\n");
        named_items(&mut out, &diff.markets.added, &diff.markets.removed);
        changed_items(&mut out, &diff.markets.changed);
        out.push('\n');
    }

    let figures = &diff.figures;
    if !figures.is_empty() {
        let _ = writeln!(out, "## Figures\n");
        let _ = writeln!(
            out,
            "| Figure | Metric | Old | New | Other changes |\n|---|---|---|---|---|"
        );
        let row = |out: &mut String,
                   id: &str,
                   (name, name_zh): (&str, Option<&String>),
                   (old, new): (&str, &str),
                   other: &str| {
            let _ = writeln!(
                out,
                "| `{id}` | {} | {} | {} | {} |",
                cell(name_in(name, name_zh, lang)),
                cell(old),
                cell(new),
                cell(other)
            );
        };
        for f in &figures.changed {
            let other: Vec<String> = f.other_changes().map(change_line).collect();
            row(
                &mut out,
                &f.id,
                (&f.name, f.name_zh.as_ref()),
                (figure_value(&f.old_value), figure_value(&f.new_value)),
                &other.join("; "),
            );
        }
        for f in &figures.added {
            let name = (f.name.as_str(), f.name_zh.as_ref());
            row(
                &mut out,
                &f.id,
                name,
                ("—", figure_value(&f.value)),
                "added",
            );
        }
        for f in &figures.removed {
            let name = (f.name.as_str(), f.name_zh.as_ref());
            row(
                &mut out,
                &f.id,
                name,
                (figure_value(&f.value), "—"),
                "removed",
            );
        }
        out.push('\n');
    }

    let theses = &diff.theses;
    if !theses.is_empty() {
        let _ = writeln!(out, "## Theses\n");
        for (what, list) in [("Added", &theses.added), ("Removed", &theses.removed)] {
            for t in list {
                // Spelled as in the files, like the table of changes below.
                let _ = writeln!(
                    out,
                    "- {what}: {}: {:?}, conviction {}, {:?}",
                    item(&t.name, t.name_zh.as_ref(), &t.id),
                    t.stance,
                    t.conviction,
                    t.status
                );
            }
        }
        if !theses.changed.is_empty() {
            if !theses.added.is_empty() || !theses.removed.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "| Thesis | Field | Old | New |\n|---|---|---|---|");
            for t in &theses.changed {
                let title = cell(name_in(&t.name, t.name_zh.as_ref(), lang));
                for c in &t.changes {
                    let _ = writeln!(
                        out,
                        "| {title} (`{}`) | {} | {} | {} |",
                        t.id,
                        c.field,
                        cell_value(&c.old),
                        cell_value(&c.new)
                    );
                }
            }
        }
        out.push('\n');
    }

    for (heading, kind) in [
        ("Sources", &diff.sources),
        ("Case studies", &diff.case_studies),
    ] {
        if !kind.is_empty() {
            let _ = writeln!(out, "## {heading}\n");
            named_items(&mut out, &kind.added, &kind.removed);
            changed_items(&mut out, &kind.changed);
            out.push('\n');
        }
    }
    // One newline at the end, not the blank line sections leave between them.
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
