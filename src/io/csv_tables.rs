//! A map as spreadsheet tables and back: `nodes.csv`, `links.csv`, `figures.csv`,
//! `theses.csv`, `tiers.csv` and `segments.csv`, with `sources.csv`, `markets.csv`,
//! `evidence.csv` (the evidence of links and theses), `case-studies.csv`, `people.csv`,
//! `phases.csv`, `outlook.csv` and `map.csv` (the map-wide settings) so that a map goes
//! out and comes back whole. UTF-8, a header row, one entity a row, lists joined with `;`.
//!
//! Each kind's columns are described once, in one table of [`Column`]s (name, how to
//! write the cell, how to read it back): writing, reading and the column checks all
//! iterate over it, so a new field is one line here.
//!
//! What goes out comes back the same: a text a spreadsheet would run as a formula
//! (`=HYPERLINK(…)`, `+1`, `-x`, `@x`) is written behind a `'`, which reading takes off;
//! a text with spaces at its ends, or an empty text (`name_zh: ""`), is quoted, and a
//! quoted cell is read as written; a `;` inside a list item is written `\;`; a figure's
//! numbers keep the decimals they were written with (`80.0`).
//!
//! Reading is forgiving: any subset of the tables may be given (nodes.csv alone makes a
//! map of nodes, with tiers and segments made from its columns), columns may come in any
//! order, stray spaces around an unquoted cell are dropped, and a bad cell is reported at
//! its file, line and column while the other rows still import. The rows read are then
//! checked with the model's own rules, each problem placed at the cell at fault; what the
//! map cannot hold (a second use of an id, a link to no node) is left out of it. Reading
//! costs time in proportion to the tables' size, whatever they hold.

use super::Diagnostic;
use crate::model::{
    CaseStudy, EntityType, Evidence, Figure, IsoDate, Link, LinkKind, Map, Market, Node, NodeKind,
    Person, Phase, Precisions, Qualifier, Segment, Severity, Source, Step, Thesis, Tier, Worded,
    WrittenPrecision, format_decimals,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One column of a table: its header, how an entity's cell is written, and how a cell is
/// read into an entity (an error says what is wrong with the cell).
pub struct Column<T> {
    pub name: &'static str,
    /// Rows without a value here are refused.
    pub required: bool,
    /// The entity's cell: `None` when the field holds nothing (an empty cell); an empty
    /// text is `Some("")`, written `""`.
    pub get: fn(&T) -> Option<String>,
    /// Reads a cell into the entity: `None` for an empty cell that is not quoted.
    pub set: fn(&mut T, Option<&str>) -> Result<(), String>,
}

/// Columns read as written, spaces and all: a source's sentence is evidence.
const VERBATIM_COLUMNS: &[&str] = &["quote"];

/// Lists in one cell are joined with this.
pub const LIST_SEPARATOR: char = ';';

fn text(cell: Option<&str>) -> String {
    cell.unwrap_or_default().to_owned()
}

fn opt(cell: Option<&str>) -> Option<String> {
    cell.map(str::to_owned)
}

/// A list cell's items: split at each `;` not written `\;`, `\\` read as `\`, each item
/// trimmed, empty ones dropped.
fn list(cell: Option<&str>) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = cell.unwrap_or_default().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(&LIST_SEPARATOR) | Some(&'\\')) => {
                item.extend(chars.next());
            }
            LIST_SEPARATOR => items.push(std::mem::take(&mut item)),
            other => item.push(other),
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect()
}

/// A list as one cell (`None` when empty): a `;` or `\` inside an item is escaped with
/// `\`, so that `"gpu;datacenter"` stays one tag.
fn join(items: &[String]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let escaped: Vec<String> = items
        .iter()
        .map(|item| {
            item.replace('\\', "\\\\")
                .replace(LIST_SEPARATOR, &format!("\\{LIST_SEPARATOR}"))
        })
        .collect();
    Some(escaped.join(&LIST_SEPARATOR.to_string()))
}

fn date(cell: Option<&str>) -> Result<Option<IsoDate>, String> {
    let Some(cell) = cell.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let date = IsoDate::new(cell);
    date.parse().map_err(|error| error.to_string())?;
    Ok(Some(date))
}

fn show_date(date: &Option<IsoDate>) -> Option<String> {
    date.as_ref().map(ToString::to_string)
}

/// A number and the decimals it was written with (`None` for a form with no plain
/// decimals, such as `8e1`).
fn number_written(cell: Option<&str>) -> Result<Option<(f64, Option<u32>)>, String> {
    let Some(cell) = cell.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    match cell.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some((value, super::number_decimals(cell)))),
        _ => Err(format!("\"{cell}\" is not a number")),
    }
}

/// An enum's variant by its name in the files (`Company`, `Supplies`, `AtLeast`).
fn variant<E: serde::de::DeserializeOwned>(cell: Option<&str>, what: &str) -> Result<E, String> {
    let cell = cell.unwrap_or_default();
    let name = cell.trim();
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
    valid
        .then(|| ron::from_str::<E>(name).ok())
        .flatten()
        .ok_or_else(|| format!("\"{cell}\" is not a {what}"))
}

fn show_variant<E: std::fmt::Debug>(value: &E) -> Option<String> {
    Some(format!("{value:?}"))
}

/// An id that names a file of the map (a tier's): kebab-case, so that it can never lead
/// out of the map's folder (`x/../../escaped`) or fail half-way (`sub/dir`).
fn file_id(cell: Option<&str>) -> Result<String, String> {
    let id = cell.unwrap_or_default().trim();
    if crate::model::is_kebab_case(id) {
        Ok(id.to_owned())
    } else {
        Err(format!(
            "\"{id}\" cannot be a tier id: a tier's id names its file, so it is short kebab-case (lowercase letters and digits joined by \"-\")"
        ))
    }
}

/// A column of `$name` for the field at `$field` (`id`, or a path such as `item.name`):
/// `$show` is the cell written for the field (bound to `$x`), `$read` the value read from
/// the cell (bound to `$v`; `?` in it refuses a bad cell).
macro_rules! column {
    ($name:literal, $required:literal, $($field:ident).+, |$x:ident| $show:expr, |$v:ident| $read:expr) => {
        Column {
            name: $name,
            required: $required,
            get: |e| {
                let $x = &e.$($field).+;
                $show
            },
            set: |e, $v| {
                e.$($field).+ = $read;
                Ok(())
            },
        }
    };
}

/// Columns for the common field shapes: `text` (required), `opt` (optional text), `list`,
/// `date`, `enum` (with what it is, for the error) and `file_id` (a tier id).
macro_rules! col {
    ($name:literal, text $($field:ident).+) => {
        column!($name, true, $($field).+, |x| Some(x.clone()), |v| text(v))
    };
    ($name:literal, opt $($field:ident).+) => {
        column!($name, false, $($field).+, |x| x.clone(), |v| opt(v))
    };
    ($name:literal, list $($field:ident).+) => {
        column!($name, false, $($field).+, |x| join(x), |v| list(v))
    };
    ($name:literal, date $($field:ident).+) => {
        column!($name, false, $($field).+, |x| show_date(x), |v| date(v)?)
    };
    ($name:literal, enum $($field:ident).+, $what:literal) => {
        column!($name, true, $($field).+, |x| show_variant(x), |v| variant(v, $what)?)
    };
    ($name:literal, file_id $($field:ident).+) => {
        column!($name, true, $($field).+, |x| Some(x.clone()), |v| file_id(v)?)
    };
}

/// The columns of tiers.csv.
pub const TIER_COLUMNS: &[Column<Tier>] = &[
    col!("id", file_id id),
    col!("name", text name),
    col!("name_zh", opt name_zh),
    col!("description", opt description),
    col!("description_zh", opt description_zh),
];

/// The columns of segments.csv.
pub const SEGMENT_COLUMNS: &[Column<Segment>] = &[
    col!("id", text id),
    col!("tier", file_id tier),
    col!("parent", opt parent),
    col!("name", text name),
    col!("name_zh", opt name_zh),
    col!("description", opt description),
    col!("description_zh", opt description_zh),
];

/// The columns of nodes.csv.
pub const NODE_COLUMNS: &[Column<Node>] = &[
    col!("id", text id),
    col!("name", text name),
    col!("name_zh", opt name_zh),
    col!("kind", enum kind, "node kind (Company, Product, Technology, Group, Lab, Fund, …)"),
    col!("tier", file_id tier),
    col!("segments", list segments),
    col!("organisation", opt organisation),
    col!("description", opt description),
    col!("description_zh", opt description_zh),
    col!("tags", list tags),
    col!("url", opt url),
    col!("logo", opt logo),
    Column {
        name: "pin",
        required: false,
        get: |n| n.pin.map(|(x, y)| format!("{x}{LIST_SEPARATOR}{y}")),
        set: |n, v| {
            let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
                n.pin = None;
                return Ok(());
            };
            let parts: Vec<&str> = v.split(LIST_SEPARATOR).map(str::trim).collect();
            let [x, y] = parts.as_slice() else {
                return Err(format!("\"{v}\" is not a position: write \"x;y\""));
            };
            match (x.parse::<f32>(), y.parse::<f32>()) {
                (Ok(x), Ok(y)) if x.is_finite() && y.is_finite() => {
                    n.pin = Some((x, y));
                    Ok(())
                }
                _ => Err(format!("\"{v}\" is not a position: write \"x;y\"")),
            }
        },
    },
];

/// The columns of links.csv.
pub const LINK_COLUMNS: &[Column<Link>] = &[
    col!("id", text id),
    col!("from", text from),
    col!("to", text to),
    col!("kind", enum kind, "link kind (Supplies, Hosts, Integrates, Partners, Invests, …)"),
    col!("label", opt label),
    col!("label_zh", opt label_zh),
];

/// The columns of sources.csv.
pub const SOURCE_COLUMNS: &[Column<Source>] = &[
    col!("id", text id),
    col!("title", text title),
    col!("title_zh", opt title_zh),
    col!("author", opt author),
    col!("publisher", opt publisher),
    col!("date", date date),
    col!("url", opt url),
];

/// The columns of markets.csv.
pub const MARKET_COLUMNS: &[Column<Market>] = &[
    col!("id", text id),
    col!("name", text name),
    col!("name_zh", opt name_zh),
    col!("description", opt description),
    col!("description_zh", opt description_zh),
];

/// A figure with the decimals its numbers were written with, which the `f64` forgets:
/// one row of figures.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureRow {
    pub figure: Figure,
    pub precision: WrittenPrecision,
}

/// A figure's `low` or `high`, written with its precision.
macro_rules! figure_number {
    ($name:literal, $field:ident) => {
        Column {
            name: $name,
            required: false,
            get: |e: &FigureRow| {
                e.figure
                    .$field
                    .map(|v| format_decimals(v, e.precision.$field))
            },
            set: |e: &mut FigureRow, v| {
                let written = number_written(v)?;
                e.figure.$field = written.map(|(value, _)| value);
                e.precision.$field = written.and_then(|(_, decimals)| decimals);
                Ok(())
            },
        }
    };
}

/// A qualifier by its name in the files (`AtLeast`) or its words (`at least`, as the
/// one-file figures export writes it, or `至少`).
fn qualifier(cell: Option<&str>) -> Result<Qualifier, String> {
    let what = "qualifier (Exact, Approx, AtLeast, MoreThan, AtMost, …)";
    variant(cell, what).or_else(|error| {
        let words = cell.unwrap_or_default().trim();
        Qualifier::ALL
            .into_iter()
            .find(|q| {
                q.label().eq_ignore_ascii_case(words)
                    || q.label().trim_end_matches('.').eq_ignore_ascii_case(words)
                    || q.word().zh() == words
            })
            .ok_or(error)
    })
}

/// The columns of figures.csv.
pub const FIGURE_COLUMNS: &[Column<FigureRow>] = &[
    col!("id", text figure.id),
    col!("subject", text figure.subject),
    col!("holders", list figure.holders),
    col!("market", opt figure.market),
    col!("case", opt figure.case),
    col!("metric", text figure.metric),
    col!("metric_zh", opt figure.metric_zh),
    figure_number!("low", low),
    figure_number!("high", high),
    col!("unit", opt figure.unit),
    column!(
        "qualifier",
        true,
        figure.qualifier,
        |x| show_variant(x),
        |v| qualifier(v)?
    ),
    col!("value", opt figure.value),
    col!("scope", opt figure.scope),
    col!("as_of", date figure.as_of),
    col!("source", text figure.source),
    col!("quote", opt figure.quote),
    col!("locator", opt figure.locator),
    col!("note", opt figure.note),
];

/// The columns of theses.csv.
pub const THESIS_COLUMNS: &[Column<Thesis>] = &[
    col!("id", text id),
    col!("title", text title),
    col!("title_zh", opt title_zh),
    col!("claim", text claim),
    col!("claim_zh", opt claim_zh),
    col!("stance", enum stance, "stance (Bullish, Bearish, Neutral, Mixed)"),
    Column {
        name: "conviction",
        required: true,
        get: |t| Some(t.conviction.to_string()),
        set: |t, v| {
            let v = v.unwrap_or_default().trim();
            t.conviction = v
                .parse()
                .map_err(|_| format!("\"{v}\" is not a conviction from 1 to 5"))?;
            Ok(())
        },
    },
    col!("horizon", opt horizon),
    col!("as_of", date as_of),
    col!("review_by", date review_by),
    col!("status", enum status, "status (Active, Watching, Confirmed, Refuted, Retired)"),
    col!("about", list about),
    col!("figures", list figures),
    col!("tags", list tags),
];

/// A piece of evidence with the link or thesis it supports (`of`).
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceRow {
    pub of: String,
    pub evidence: Evidence,
}

/// The columns of evidence.csv.
pub const EVIDENCE_COLUMNS: &[Column<EvidenceRow>] = &[
    col!("of", text of),
    col!("source", text evidence.source),
    col!("quote", opt evidence.quote),
    col!("locator", opt evidence.locator),
    col!("note", opt evidence.note),
];

/// The columns of case-studies.csv.
pub const CASE_STUDY_COLUMNS: &[Column<CaseStudy>] = &[
    col!("id", text id),
    col!("subject", text subject),
    col!("title", text title),
    col!("title_zh", opt title_zh),
    col!("summary", opt summary),
    col!("summary_zh", opt summary_zh),
    col!("source", opt source),
];

/// A row of a case study's list (people, phases, outlook) with the case study it is in.
#[derive(Clone, Debug, PartialEq)]
pub struct Part<T> {
    pub of: String,
    pub item: T,
}

/// The columns of people.csv.
pub const PERSON_COLUMNS: &[Column<Part<Person>>] = &[
    col!("of", text of),
    col!("name", text item.name),
    col!("name_zh", opt item.name_zh),
    col!("role", opt item.role),
    col!("role_zh", opt item.role_zh),
    col!("summary", opt item.summary),
    col!("summary_zh", opt item.summary_zh),
    col!("quote", opt item.quote),
    col!("locator", opt item.locator),
];

/// The columns of phases.csv.
pub const PHASE_COLUMNS: &[Column<Part<Phase>>] = &[
    col!("of", text of),
    col!("period", text item.period),
    col!("start", date item.start),
    col!("end", date item.end),
    col!("title", text item.title),
    col!("title_zh", opt item.title_zh),
    col!("summary", opt item.summary),
    col!("summary_zh", opt item.summary_zh),
    col!("locator", opt item.locator),
];

/// The columns of outlook.csv.
pub const STEP_COLUMNS: &[Column<Part<Step>>] = &[
    col!("of", text of),
    col!("title", text item.title),
    col!("title_zh", opt item.title_zh),
    col!("summary", opt item.summary),
    col!("summary_zh", opt item.summary_zh),
    col!("locator", opt item.locator),
];

/// The columns of map.csv (one row).
pub const MAP_COLUMNS: &[Column<crate::model::MapMeta>] = &[
    col!("title", opt title),
    col!("title_zh", opt title_zh),
    col!("description", opt description),
    col!("description_zh", opt description_zh),
    col!("as_of", date as_of),
];

/// The tables, in the order they are written and read.
pub const TABLES: [&str; 14] = [
    "map.csv",
    "sources.csv",
    "tiers.csv",
    "segments.csv",
    "nodes.csv",
    "links.csv",
    "markets.csv",
    "figures.csv",
    "theses.csv",
    "evidence.csv",
    "case-studies.csv",
    "people.csv",
    "phases.csv",
    "outlook.csv",
];

/// Whether `-o PATH` of `export --format csv` names a folder of tables: an existing
/// folder, or a new path without the `.csv` extension.
pub fn names_table_folder(path: &Path) -> bool {
    if path.is_dir() {
        return true;
    }
    !path.exists()
        && !path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("csv"))
}

/// Whether a spreadsheet would run `text` as a formula (or as the start of one): it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return and is not a plain number.
fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Whether a cell's text must be written behind a `'`: a formula, or a text that starts
/// with `'` and would otherwise lose it when read ([`unguard`] takes one `'` off a text
/// that starts with `'` and then a formula's first character or another `'`).
fn needs_guard(text: &str) -> bool {
    formula_like(text)
        || text
            .strip_prefix('\'')
            .is_some_and(|rest| rest.starts_with(['\'', '=', '+', '-', '@', '\t', '\r']))
}

/// A cell as read, with the `'` a writer put before a formula taken off.
fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['\'', '=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// Appends one cell: `None` as nothing, a text behind a `'` when a spreadsheet would run
/// it, and quoted when it must be (a separator, a quote or a line break in it), when it
/// is empty (`""`: an empty text, not nothing) or has spaces at its ends (kept on reading).
pub fn push_cell(out: &mut String, cell: Option<&str>) {
    let Some(text) = cell else { return };
    let guarded;
    let text = if needs_guard(text) {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    let quoted = text.is_empty()
        || text.contains([',', '"', '\r', '\n'])
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace);
    if quoted {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Appends one row of cells and the line end (CRLF, as spreadsheets write).
pub fn push_row<'a>(out: &mut String, cells: impl IntoIterator<Item = Option<&'a str>>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, cell);
    }
    out.push_str("\r\n");
}

fn table<T>(columns: &[Column<T>], rows: &[T]) -> Vec<u8> {
    let mut out = String::new();
    push_row(&mut out, columns.iter().map(|c| Some(c.name)));
    for row in rows {
        let cells: Vec<Option<String>> = columns.iter().map(|c| (c.get)(row)).collect();
        push_row(&mut out, cells.iter().map(Option::as_deref));
    }
    out.into_bytes()
}

/// The map's figures as rows, each with the precision its numbers were written with.
pub fn figure_rows(map: &Map, precisions: &Precisions) -> Vec<FigureRow> {
    map.figures
        .iter()
        .map(|figure| FigureRow {
            precision: precisions.get(&figure.id).copied().unwrap_or_default(),
            figure: figure.clone(),
        })
        .collect()
}

/// Every table of the map, by file name, as CSV bytes; `precisions` says how each
/// figure's numbers were written.
pub fn tables(map: &Map, precisions: &Precisions) -> Vec<(&'static str, Vec<u8>)> {
    let evidence: Vec<EvidenceRow> = map
        .links
        .iter()
        .map(|l| (&l.id, &l.evidence))
        .chain(map.theses.iter().map(|t| (&t.id, &t.evidence)))
        .flat_map(|(of, list)| {
            list.iter().map(move |e| EvidenceRow {
                of: of.clone(),
                evidence: e.clone(),
            })
        })
        .collect();
    fn parts<T: Clone>(map: &Map, list: fn(&CaseStudy) -> &Vec<T>) -> Vec<Part<T>> {
        map.case_studies
            .iter()
            .flat_map(|c| {
                list(c).iter().map(|item| Part {
                    of: c.id.clone(),
                    item: item.clone(),
                })
            })
            .collect()
    }
    vec![
        (
            "map.csv",
            table(MAP_COLUMNS, std::slice::from_ref(&map.meta)),
        ),
        ("sources.csv", table(SOURCE_COLUMNS, &map.sources)),
        ("tiers.csv", table(TIER_COLUMNS, &map.tiers)),
        ("segments.csv", table(SEGMENT_COLUMNS, &map.segments)),
        ("nodes.csv", table(NODE_COLUMNS, &map.nodes)),
        ("links.csv", table(LINK_COLUMNS, &map.links)),
        ("markets.csv", table(MARKET_COLUMNS, &map.markets)),
        (
            "figures.csv",
            table(FIGURE_COLUMNS, &figure_rows(map, precisions)),
        ),
        ("theses.csv", table(THESIS_COLUMNS, &map.theses)),
        ("evidence.csv", table(EVIDENCE_COLUMNS, &evidence)),
        (
            "case-studies.csv",
            table(CASE_STUDY_COLUMNS, &map.case_studies),
        ),
        (
            "people.csv",
            table(PERSON_COLUMNS, &parts(map, |c| &c.people)),
        ),
        (
            "phases.csv",
            table(PHASE_COLUMNS, &parts(map, |c| &c.phases)),
        ),
        (
            "outlook.csv",
            table(STEP_COLUMNS, &parts(map, |c| &c.outlook)),
        ),
    ]
}

/// Why tables could not be written or read at all (a bad cell is a [`Diagnostic`]).
#[derive(Debug, thiserror::Error)]
pub enum TablesError {
    #[error("{}: {}", .path.display(), super::io_message(.error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: no such folder; give the folder that holds the tables", .0.display())]
    NoFolder(PathBuf),
    #[error(
        "{}: a file, not a folder; give the folder that holds the tables (nodes.csv, links.csv, …)",
        .0.display()
    )]
    NotAFolder(PathBuf),
    #[error("{}: the folder holds none of the tables ({})", .0.display(), TABLES.join(", "))]
    NoTables(PathBuf),
    #[error(transparent)]
    Write(#[from] super::batch::BatchError),
}

/// Writes every table into `dir` (created if missing), all or nothing: a table that
/// cannot be replaced (a folder, a pipe, a link) refuses them all before any is written.
pub fn write_tables(
    map: &Map,
    precisions: &Precisions,
    dir: &Path,
) -> Result<Vec<PathBuf>, TablesError> {
    use super::batch::{Contents, Mode, Planned, write_batch};
    let tables = tables(map, precisions);
    let planned: Vec<Planned> = tables
        .iter()
        .map(|(name, bytes)| Planned {
            name,
            contents: Contents::Bytes(bytes),
        })
        .collect();
    Ok(write_batch(dir, &planned, Mode::Replace)?)
}

/// What reading tables gave: the map they make (checked with the model's rules; what it
/// cannot hold is left out), the problems of cells and rows, each placed at its file,
/// line and column, and how the figures' numbers were written.
#[derive(Clone, Debug, Default)]
pub struct ReadTables {
    pub map: Map,
    pub diagnostics: Vec<Diagnostic>,
    /// The tables found, in reading order.
    pub files: Vec<PathBuf>,
    pub precisions: Precisions,
}

/// How many problems of one table are told one by one; the rest are counted.
const MAX_PROBLEMS_PER_TABLE: usize = 1000;
/// How many unknown columns of one table are told one by one.
const MAX_UNKNOWN_COLUMNS: usize = 10;

/// A table found in the folder: its path, its text, where its lines start (found once,
/// when a problem first needs a place) and its header as read.
struct Table {
    path: PathBuf,
    text: String,
    line_starts: std::cell::OnceCell<Vec<usize>>,
    header: Vec<String>,
}

impl Table {
    /// The 1-based line and column (in characters) of byte `offset`.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = offset.min(self.text.len());
        let line = starts.partition_point(|&start| start <= offset).max(1);
        let line_start = starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(line_start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (line, col + 1)
    }

    /// Where the cell of `column` in the row starting at `start` begins (the row's start
    /// when the table has no such column).
    fn cell_of(&self, start: usize, column: &str) -> (usize, usize) {
        let index = self.header.iter().position(|h| h == column);
        let cells = cell_spans(&self.text, start);
        let offset = index
            .and_then(|i| cells.get(i))
            .or(cells.first())
            .map_or(start, |c| c.start);
        self.line_col(offset)
    }
}

/// Where a cell starts, and whether it is quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CellSpan {
    start: usize,
    quoted: bool,
}

/// The cells of the record that starts at byte `start` (line ends before it skipped, as
/// the CSV reader may place a record at the line end of a CRLF line before it): a quoted
/// cell runs to its closing quote (`""` is a quote inside it), any other to the next
/// comma or line end. One pass over the record.
fn cell_spans(text: &str, start: usize) -> Vec<CellSpan> {
    let bytes = text.as_bytes();
    let mut at = start.min(bytes.len());
    if at == 0 && text.starts_with('\u{feff}') {
        at = '\u{feff}'.len_utf8();
    }
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    let mut cells = Vec::new();
    loop {
        let quoted = bytes.get(at) == Some(&b'"');
        cells.push(CellSpan { start: at, quoted });
        if quoted {
            at += 1;
            loop {
                match bytes.get(at) {
                    None => return cells,
                    Some(b'"') if bytes.get(at + 1) == Some(&b'"') => at += 2,
                    Some(b'"') => {
                        at += 1;
                        break;
                    }
                    _ => at += 1,
                }
            }
        }
        loop {
            match bytes.get(at) {
                Some(b',') => {
                    at += 1;
                    break;
                }
                None | Some(b'\r' | b'\n') => return cells,
                _ => at += 1,
            }
        }
    }
}

/// A row read: the entity and where the row starts in its table.
struct Row<T> {
    entity: T,
    start: usize,
}

/// Where the problems of one table being read go, each placed at its line and column;
/// past [`MAX_PROBLEMS_PER_TABLE`] they are counted, and told as one line at the end.
struct TableReport<'a> {
    table: &'a Table,
    diagnostics: &'a mut Vec<Diagnostic>,
    told: usize,
    untold: Option<((usize, usize), usize)>,
}

impl<'a> TableReport<'a> {
    fn new(table: &'a Table, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        TableReport {
            table,
            diagnostics,
            told: 0,
            untold: None,
        }
    }

    /// Reports a problem of `severity` at byte `offset` of the table.
    fn push(&mut self, severity: Severity, offset: usize, message: impl FnOnce() -> String) {
        if self.told >= MAX_PROBLEMS_PER_TABLE {
            let table = self.table;
            let (_, count) = self
                .untold
                .get_or_insert_with(|| (table.line_col(offset), 0));
            *count += 1;
            return;
        }
        let at = self.table.line_col(offset);
        self.told += 1;
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.table.path.clone(),
            line: at.0,
            col: at.1,
            message: message(),
        });
    }

    fn error(&mut self, offset: usize, message: impl FnOnce() -> String) {
        self.push(Severity::Error, offset, message);
    }

    /// Reports an error of the CSV reader at its position (the table's start when it has
    /// none), after `what` could not be done.
    fn csv_error(&mut self, error: &csv::Error, what: &str) {
        let offset = error.position().map_or(0, |p| p.byte() as usize);
        self.error(offset, || format!("{what}: {error}"));
    }

    /// Tells how many problems were counted and not told.
    fn finish(self) {
        if let Some(((line, col), count)) = self.untold {
            self.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: self.table.path.clone(),
                line,
                col,
                message: format!(
                    "{count} more problems in this table, from here on, are not listed (the first {MAX_PROBLEMS_PER_TABLE} are); their rows are left out"
                ),
            });
        }
    }
}

/// Reads one table into entities, starting each row from `blank`, with the header as
/// read. Rows with a bad cell are left out and reported; the others are kept.
fn read_table<T>(
    table: &Table,
    columns: &[Column<T>],
    blank: impl Fn() -> T,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Row<T>>, Vec<String>) {
    let mut report = TableReport::new(table, diagnostics);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(table.text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            report.csv_error(&error, "cannot read the header row");
            report.finish();
            return (Vec::new(), Vec::new());
        }
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    let slots = header_slots(&names, columns, &mut report);
    let given: BTreeSet<&str> = slots.iter().flatten().map(|c| c.name).collect();
    let missing: Vec<&str> = columns
        .iter()
        .filter(|c| c.required && !given.contains(c.name))
        .map(|c| c.name)
        .collect();
    if missing.contains(&"id") {
        report.error(0, || {
            format!("the table has no column \"{}\"", missing.join("\", \""))
        });
        report.finish();
        return (Vec::new(), names);
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                report.csv_error(&error, "unreadable row");
                continue;
            }
        }
        if let Some(row) = read_row(&record, &slots, &missing, &blank, &mut report) {
            rows.push(row);
        }
    }
    report.finish();
    (rows, names)
}

/// Each header to its column of the kind's table, in the file's order; unknown headers
/// are reported as warnings (the first few one by one, then how many more) and read as
/// no column.
fn header_slots<'c, T>(
    names: &[String],
    columns: &'c [Column<T>],
    report: &mut TableReport,
) -> Vec<Option<&'c Column<T>>> {
    let by_name: BTreeMap<&str, &Column<T>> = columns.iter().map(|c| (c.name, c)).collect();
    let cells = cell_spans(&report.table.text, 0);
    let mut slots = Vec::with_capacity(names.len());
    let mut unknown = 0;
    let mut first_untold = 0;
    for (i, name) in names.iter().enumerate() {
        let column = by_name.get(name.as_str()).copied();
        if column.is_none() {
            unknown += 1;
            let offset = cells.get(i).map_or(0, |c| c.start);
            if unknown == MAX_UNKNOWN_COLUMNS + 1 {
                first_untold = offset;
            }
            if unknown <= MAX_UNKNOWN_COLUMNS {
                let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
                report.push(Severity::Warning, offset, || {
                    format!(
                        "unknown column \"{name}\", left out (columns: {})",
                        known.join(", ")
                    )
                });
            }
        }
        slots.push(column);
    }
    if unknown > MAX_UNKNOWN_COLUMNS {
        let more = unknown - MAX_UNKNOWN_COLUMNS;
        report.push(Severity::Warning, first_untold, || {
            format!("{more} more unknown columns, from here on, left out")
        });
    }
    slots
}

/// Reads one record into an entity started from `blank`; `None` for a blank line or a
/// row left out (each problem reported). `missing` names the required columns the
/// table lacks: then every row is left out, and says why.
fn read_row<T>(
    record: &csv::StringRecord,
    slots: &[Option<&Column<T>>],
    missing: &[&str],
    blank: impl Fn() -> T,
    report: &mut TableReport,
) -> Option<Row<T>> {
    let position = record.position()?.byte() as usize;
    if record.iter().all(|cell| cell.trim().is_empty()) {
        return None; // a blank line a spreadsheet left
    }
    let cells = cell_spans(&report.table.text, position);
    let start = cells.first().map_or(position, |c| c.start);
    let at = |i: usize| {
        cells
            .get(i)
            .or(cells.last())
            .map_or(start, |c: &CellSpan| c.start)
    };
    if !row_fits_header(record, slots, &at, report) {
        return None;
    }
    let mut entity = blank();
    if !read_cells(&mut entity, record, slots, &cells, &at, report) {
        return None;
    }
    if !missing.is_empty() {
        report.error(at(0), || {
            format!(
                "the table has no column \"{}\": the row is left out",
                missing.join("\", \"")
            )
        });
        return None;
    }
    Some(Row { entity, start })
}

/// Whether the record's cells fit the header: not more cells than headers, and no
/// required cell lacking at the end of a short row (one problem reported, not one per
/// missing cell).
fn row_fits_header<T>(
    record: &csv::StringRecord,
    slots: &[Option<&Column<T>>],
    at: &impl Fn(usize) -> usize,
    report: &mut TableReport,
) -> bool {
    if record.len() > slots.len() {
        report.error(at(slots.len()), || {
            format!(
                "the row has {} cells, the header {}: the row is left out",
                record.len(),
                slots.len()
            )
        });
        return false;
    }
    // A short row (a spreadsheet drops trailing empty cells) is fine unless a cell it
    // lacks is required.
    let lacking: Vec<&str> = slots
        .iter()
        .skip(record.len())
        .flatten()
        .filter(|c| c.required)
        .map(|c| c.name)
        .collect();
    if !lacking.is_empty() {
        report.error(at(record.len().saturating_sub(1)), || {
            format!(
                "the row has {} cells, the header {}: `{}` missing, the row is left out",
                record.len(),
                slots.len(),
                lacking.join("`, `")
            )
        });
        return false;
    }
    true
}

/// A cell's value: a quoted cell as written, spaces and all (`""` is an empty text); an
/// unquoted one trimmed of the stray spaces spreadsheets leave, and nothing when empty
/// (a quotation is kept to the letter). A `'` put before a formula is taken off.
fn cell_value(raw: &str, quoted: bool, verbatim: bool) -> Option<&str> {
    if quoted {
        return Some(unguard(raw));
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(unguard(if verbatim { raw } else { trimmed }))
}

/// Sets each known column's cell on `entity`; whether every cell was good (each bad one
/// is reported).
fn read_cells<T>(
    entity: &mut T,
    record: &csv::StringRecord,
    slots: &[Option<&Column<T>>],
    cells: &[CellSpan],
    at: &impl Fn(usize) -> usize,
    report: &mut TableReport,
) -> bool {
    let mut ok = true;
    for (i, column) in slots.iter().enumerate() {
        let Some(column) = column else { continue };
        let raw = record.get(i).unwrap_or_default();
        let quoted = cells.get(i).is_some_and(|c| c.quoted);
        let verbatim = VERBATIM_COLUMNS.contains(&column.name);
        let cell = cell_value(raw, quoted, verbatim);
        if column.required && cell.is_none_or(|c| c.trim().is_empty()) {
            report.error(at(i.min(record.len())), || {
                format!("`{}` is empty: the row is left out", column.name)
            });
            ok = false;
            continue;
        }
        if let Err(message) = (column.set)(entity, cell) {
            report.error(at(i), || {
                format!("`{}`: {message}: the row is left out", column.name)
            });
            ok = false;
        }
    }
    ok
}

/// Reads a table file with the map files' limits: at most [`super::MAX_FILE_BYTES`],
/// UTF-8. `None` when the table is not there.
fn read_limited(path: &Path) -> Result<Option<String>, TablesError> {
    let io_error = |error| TablesError::Io {
        path: path.to_path_buf(),
        error,
    };
    let bytes = match super::read_capped(path) {
        Ok(super::Capped::Read(bytes)) => bytes,
        Ok(super::Capped::TooLarge(size)) => {
            return Err(io_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the table is {size} bytes; tables may be at most {} MiB ({} bytes), as map files",
                    super::MAX_FILE_BYTES / (1024 * 1024),
                    super::MAX_FILE_BYTES
                ),
            )));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io_error(error)),
    };
    String::from_utf8(bytes).map(Some).map_err(|error| {
        io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// Where an entity of the map read came from: its row, or for one made from the ids
/// rows name (a tier named only in nodes.csv), the first row naming it and the column.
#[derive(Clone, Copy, Debug)]
struct Origin {
    table: &'static str,
    start: usize,
    column: Option<&'static str>,
}

/// The tables of a folder being read into a map, and where each entity came from.
struct Reader {
    dir: PathBuf,
    tables: BTreeMap<&'static str, Table>,
    diagnostics: Vec<Diagnostic>,
    /// By kind, where each entity of the map came from, in the map's order.
    origins: BTreeMap<crate::model::EntityKind, Vec<Origin>>,
    /// The rows of each link's and thesis's evidence, by the kind and index of the
    /// entity; of each case study's people, phases and outlook, by its index and list.
    evidence: BTreeMap<(crate::model::EntityKind, usize), Vec<usize>>,
    parts: BTreeMap<(usize, &'static str), Vec<(&'static str, usize)>>,
    /// The second and later rows of map.csv are refused; the first is where its
    /// settings are.
    meta_row: Option<usize>,
}

impl Reader {
    /// The rows of table `name`, or none when the folder does not hold it; each kept
    /// row's origin is noted under `kind`.
    fn read<T>(
        &mut self,
        name: &'static str,
        columns: &[Column<T>],
        blank: impl Fn() -> T,
    ) -> Vec<Row<T>> {
        let Some(table) = self.tables.get(name) else {
            return Vec::new();
        };
        let (rows, header) = read_table(table, columns, blank, &mut self.diagnostics);
        if let Some(table) = self.tables.get_mut(name) {
            table.header = header;
        }
        rows
    }

    /// The entities of table `name` (none when the folder does not hold it), each row's
    /// origin noted under the entities' kind.
    fn read_entities<T: EntityType>(
        &mut self,
        name: &'static str,
        columns: &[Column<T>],
        blank: impl Fn() -> T,
    ) -> Vec<T> {
        let rows = self.read(name, columns, blank);
        self.entities(T::KIND, name, rows)
    }

    /// Notes where the entities of `kind` came from, in order, and gives them back.
    fn entities<T>(
        &mut self,
        kind: crate::model::EntityKind,
        table: &'static str,
        rows: Vec<Row<T>>,
    ) -> Vec<T> {
        let origins = self.origins.entry(kind).or_default();
        rows.into_iter()
            .map(|row| {
                origins.push(Origin {
                    table,
                    start: row.start,
                    column: None,
                });
                row.entity
            })
            .collect()
    }

    /// Reports an error at the cell of `column` in the row at `start` of `table`.
    fn error_at(&mut self, table: &'static str, start: usize, column: &str, message: String) {
        let Some(found) = self.tables.get(table) else {
            return;
        };
        let (line, col) = found.cell_of(start, column);
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            file: found.path.clone(),
            line,
            col,
            message,
        });
    }
}

/// Reads the tables found in `dir` into a map, checked with the model's rules and each
/// problem placed at its cell. Tiers, segments, sources and markets that rows name but
/// no table defines are made from their ids, so that nodes.csv alone makes a map.
pub fn read_tables(dir: &Path) -> Result<ReadTables, TablesError> {
    let mut files = Vec::new();
    let tables = find_tables(dir, &mut files)?;
    let mut reader = Reader {
        dir: dir.to_path_buf(),
        tables,
        diagnostics: Vec::new(),
        origins: BTreeMap::new(),
        evidence: BTreeMap::new(),
        parts: BTreeMap::new(),
        meta_row: None,
    };
    let mut map = Map::default();
    read_meta(&mut map, &mut reader);
    read_structure(&mut map, &mut reader);
    let (figure_rows, evidence) = read_claims(&mut map, &mut reader);
    let parts = read_case_studies(&mut map, &mut reader);
    attach(&mut map, evidence, parts, &mut reader);
    fill_in_named(&mut map, &mut reader);
    let precisions: Precisions = map
        .figures
        .iter()
        .zip(&figure_rows)
        .filter(|(_, p)| **p != WrittenPrecision::default())
        .map(|(f, p)| (f.id.clone(), *p))
        .collect();
    let low_decimals: Vec<Option<u32>> = figure_rows.iter().map(|p| p.low).collect();
    let draft_ids = ids_by_kind(&map);
    let validated =
        crate::model::validate_with(map, false, &|i| low_decimals.get(i).copied().flatten());
    let left_out = left_out(&draft_ids, &ids_by_kind(&validated.map));
    for problem in &validated.problems {
        place_problem(problem, &left_out, &mut reader);
    }
    Ok(ReadTables {
        map: validated.map,
        diagnostics: reader.diagnostics,
        files,
        precisions,
    })
}

/// Each kind's ids, in the map's order.
fn ids_by_kind(map: &Map) -> BTreeMap<crate::model::EntityKind, Vec<String>> {
    use crate::model::EntityType as _;
    crate::model::EntityKind::ALL
        .into_iter()
        .map(|kind| {
            let ids = crate::with_kind!(kind, T => T::list(map)
                .iter()
                .map(|e| e.id().to_owned())
                .collect());
            (kind, ids)
        })
        .collect()
}

/// Which entities of the draft (kind, index) the checked map left out: the checked lists
/// keep the draft's order, so one walk of both finds them.
fn left_out(
    draft: &BTreeMap<crate::model::EntityKind, Vec<String>>,
    kept: &BTreeMap<crate::model::EntityKind, Vec<String>>,
) -> BTreeSet<(crate::model::EntityKind, usize)> {
    let mut out = BTreeSet::new();
    for (kind, ids) in draft {
        let mut kept_ids = kept.get(kind).into_iter().flatten().peekable();
        for (index, id) in ids.iter().enumerate() {
            if kept_ids.peek() == Some(&id) {
                kept_ids.next();
            } else {
                out.insert((*kind, index));
            }
        }
    }
    out
}

/// Reports a problem the model found at the cell it is about; an error about an entity
/// the map could not keep says that its row is left out.
fn place_problem(
    problem: &crate::model::Problem,
    left_out: &BTreeSet<(crate::model::EntityKind, usize)>,
    reader: &mut Reader,
) {
    use crate::model::{EntityKind as K, PathSeg, Subject};
    let (table, start, column) = match &problem.subject {
        Subject::Entity { kind, index, path } => {
            let Some(origin) = reader
                .origins
                .get(kind)
                .and_then(|o| o.get(*index))
                .copied()
            else {
                return fallback_problem(problem, reader);
            };
            let field = |i: usize| match path.get(i) {
                Some(PathSeg::Field(name)) => Some(*name),
                _ => None,
            };
            let item = match path.get(1) {
                Some(PathSeg::Item(i)) => Some(*i),
                _ => None,
            };
            match (field(0), item) {
                (Some("evidence"), Some(i)) if matches!(kind, K::Link | K::Thesis) => {
                    match reader.evidence.get(&(*kind, *index)).and_then(|r| r.get(i)) {
                        Some(&start) => ("evidence.csv", start, field(2).unwrap_or("of")),
                        None => (origin.table, origin.start, "id"),
                    }
                }
                (Some(list @ ("people" | "phases" | "outlook")), Some(i)) => {
                    match reader.parts.get(&(*index, list)).and_then(|r| r.get(i)) {
                        Some(&(table, start)) => (table, start, field(2).unwrap_or("of")),
                        None => (origin.table, origin.start, "id"),
                    }
                }
                (name, _) => (
                    origin.table,
                    origin.start,
                    origin.column.or(name).unwrap_or("id"),
                ),
            }
        }
        Subject::Map => match reader.meta_row {
            Some(start) => {
                let column = if problem.message.contains("`as_of`") {
                    "as_of"
                } else {
                    "title"
                };
                ("map.csv", start, column)
            }
            None => return fallback_problem(problem, reader),
        },
    };
    let Some(found) = reader.tables.get(table) else {
        return fallback_problem(problem, reader);
    };
    let (line, col) = found.cell_of(start, column);
    let dropped = match &problem.subject {
        Subject::Entity { kind, index, .. } => {
            problem.severity == Severity::Error && left_out.contains(&(*kind, *index))
        }
        Subject::Map => false,
    };
    let message = if dropped {
        format!("{}: the row is left out", problem.message)
    } else {
        problem.message.clone()
    };
    reader.diagnostics.push(Diagnostic {
        severity: problem.severity,
        file: found.path.clone(),
        line,
        col,
        message,
    });
}

/// A problem with no row to point at: placed at the start of the folder's first table.
fn fallback_problem(problem: &crate::model::Problem, reader: &mut Reader) {
    let file = reader
        .tables
        .values()
        .next()
        .map_or_else(|| reader.dir.clone(), |t| t.path.clone());
    reader.diagnostics.push(Diagnostic {
        severity: problem.severity,
        file,
        line: 1,
        col: 1,
        message: problem.message.clone(),
    });
}

/// Reads every table `dir` holds, noting each one's path in `files` in reading order;
/// an error when it holds none, or is no folder.
fn find_tables(
    dir: &Path,
    files: &mut Vec<PathBuf>,
) -> Result<BTreeMap<&'static str, Table>, TablesError> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(TablesError::NotAFolder(dir.to_path_buf())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(TablesError::NoFolder(dir.to_path_buf()));
        }
        Err(error) => {
            return Err(TablesError::Io {
                path: dir.to_path_buf(),
                error,
            });
        }
    }
    let mut tables = BTreeMap::new();
    for name in TABLES {
        let path = dir.join(name);
        if let Some(text) = read_limited(&path)? {
            files.push(path.clone());
            tables.insert(
                name,
                Table {
                    path,
                    text,
                    line_starts: std::cell::OnceCell::new(),
                    header: Vec::new(),
                },
            );
        }
    }
    if tables.is_empty() {
        return Err(TablesError::NoTables(dir.to_path_buf()));
    }
    Ok(tables)
}

/// Reads map.csv's settings into `map`: one row; a second is refused at its line.
fn read_meta(map: &mut Map, reader: &mut Reader) {
    let rows = reader.read("map.csv", MAP_COLUMNS, crate::model::MapMeta::default);
    let mut rows = rows.into_iter();
    match rows.next() {
        Some(row) => {
            map.meta = row.entity;
            reader.meta_row = Some(row.start);
        }
        // Without map.csv, the map is named after the tables' folder rather than left
        // without the title that `check` asks for.
        None if !reader.tables.contains_key("map.csv") => {
            map.meta.title = reader
                .dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
        }
        None => {}
    }
    for row in rows {
        reader.error_at(
            "map.csv",
            row.start,
            "title",
            "map.csv holds the map's settings in one row; this second row is left out".to_owned(),
        );
    }
}

/// Reads the map's structure: sources, tiers, segments, nodes, links and markets.
fn read_structure(map: &mut Map, reader: &mut Reader) {
    map.sources = reader.read_entities("sources.csv", SOURCE_COLUMNS, || Source::new("", ""));
    map.tiers = reader.read_entities("tiers.csv", TIER_COLUMNS, || Tier::new("", ""));
    map.segments =
        reader.read_entities("segments.csv", SEGMENT_COLUMNS, || Segment::new("", "", ""));
    map.nodes = reader.read_entities("nodes.csv", NODE_COLUMNS, || {
        Node::new("", "", NodeKind::Company, "")
    });
    map.links = reader.read_entities("links.csv", LINK_COLUMNS, || {
        Link::new("", "", "", LinkKind::Supplies)
    });
    map.markets = reader.read_entities("markets.csv", MARKET_COLUMNS, || Market::new("", ""));
}

/// Reads figures and theses into `map`; the figures' written precision, in the map's
/// order; the evidence rows, to be attached once links and theses are all read.
fn read_claims(
    map: &mut Map,
    reader: &mut Reader,
) -> (Vec<WrittenPrecision>, Vec<Row<EvidenceRow>>) {
    use crate::model::EntityKind as K;
    let rows = reader.read("figures.csv", FIGURE_COLUMNS, || FigureRow {
        figure: Figure::new("", "", Qualifier::Exact, ""),
        precision: WrittenPrecision::default(),
    });
    let (figures, precisions): (Vec<Figure>, Vec<WrittenPrecision>) = reader
        .entities(K::Figure, "figures.csv", rows)
        .into_iter()
        .map(|row| (row.figure, row.precision))
        .unzip();
    map.figures = figures;
    map.theses = reader.read_entities("theses.csv", THESIS_COLUMNS, || Thesis::new("", "", ""));
    let evidence = reader.read("evidence.csv", EVIDENCE_COLUMNS, || EvidenceRow {
        of: String::new(),
        evidence: Evidence {
            source: String::new(),
            quote: None,
            locator: None,
            note: None,
        },
    });
    (precisions, evidence)
}

/// The rows of a case study's lists, each naming the case study it is in.
struct CaseParts {
    people: Vec<Row<Part<Person>>>,
    phases: Vec<Row<Part<Phase>>>,
    outlook: Vec<Row<Part<Step>>>,
}

/// Reads case studies into `map`; their people, phases and outlook rows, to be attached.
fn read_case_studies(map: &mut Map, reader: &mut Reader) -> CaseParts {
    map.case_studies = reader.read_entities("case-studies.csv", CASE_STUDY_COLUMNS, || {
        CaseStudy::new("", "", "")
    });
    let people = reader.read("people.csv", PERSON_COLUMNS, || Part {
        of: String::new(),
        item: Person {
            name: String::new(),
            name_zh: None,
            role: None,
            role_zh: None,
            summary: None,
            summary_zh: None,
            quote: None,
            locator: None,
        },
    });
    let phases = reader.read("phases.csv", PHASE_COLUMNS, || Part {
        of: String::new(),
        item: Phase {
            period: String::new(),
            start: None,
            end: None,
            title: String::new(),
            title_zh: None,
            summary: None,
            summary_zh: None,
            locator: None,
        },
    });
    let outlook = reader.read("outlook.csv", STEP_COLUMNS, || Part {
        of: String::new(),
        item: Step {
            title: String::new(),
            title_zh: None,
            summary: None,
            summary_zh: None,
            locator: None,
        },
    });
    CaseParts {
        people,
        phases,
        outlook,
    }
}

/// The files of the map that tables read from `dir` make, each saying where it came from;
/// the figures keep the decimals they were written with.
pub fn map_files(read: &ReadTables, dir: &Path) -> Vec<super::folder::NewFile> {
    let names: Vec<String> = read
        .files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let mut files = super::folder::split_by_tier(&read.map);
    for file in &mut files {
        file.header = vec![
            format!(
                "Imported by `chainmap import csv` from {} ({}).",
                dir.display(),
                names.join(", ")
            ),
            "`maps/reference.ron` in chainmap's repository documents every field.".to_owned(),
        ];
        if !file.content.figures.is_empty() {
            file.precisions = read.precisions.clone();
        }
    }
    files
}

/// The logos that nodes name and that lie inside the tables' folder, to copy beside the
/// new map (a logo elsewhere, or missing, is left for `check` to report).
pub fn logo_assets(read: &ReadTables, dir: &Path) -> Vec<super::folder::Asset> {
    let logos: BTreeSet<&str> = read
        .map
        .nodes
        .iter()
        .filter_map(|n| n.logo.as_deref())
        .collect();
    logos
        .into_iter()
        .filter_map(|logo| {
            let from = super::resolve_asset(dir, logo).ok()?;
            Some(super::folder::Asset {
                from,
                to: logo.replace('\\', "/"),
            })
        })
        .collect()
}

/// Puts each evidence row on its link or thesis, and each person, phase and step in its
/// case study; a row naming none is reported at its `of` cell and left out.
fn attach(map: &mut Map, evidence: Vec<Row<EvidenceRow>>, parts: CaseParts, reader: &mut Reader) {
    use crate::model::EntityKind as K;
    let links = first_by_id(map.links.iter().map(|l| &l.id));
    let theses = first_by_id(map.theses.iter().map(|t| &t.id));
    let mut unknown = Vec::new();
    for row in evidence {
        let target = match (
            links.get(row.entity.of.as_str()),
            theses.get(row.entity.of.as_str()),
        ) {
            (Some(&i), _) => map.links.get_mut(i).map(|l| (K::Link, i, &mut l.evidence)),
            (None, Some(&i)) => map
                .theses
                .get_mut(i)
                .map(|t| (K::Thesis, i, &mut t.evidence)),
            (None, None) => None,
        };
        match target {
            Some((kind, index, list)) => {
                list.push(row.entity.evidence);
                reader
                    .evidence
                    .entry((kind, index))
                    .or_default()
                    .push(row.start);
            }
            None => unknown.push(("evidence.csv", row.start, row.entity.of, "link or thesis")),
        }
    }
    let cases = first_by_id(map.case_studies.iter().map(|c| &c.id));
    macro_rules! parts {
        ($rows:expr, $field:ident, $table:literal) => {
            for row in $rows {
                let index = cases.get(row.entity.of.as_str()).copied();
                match index.and_then(|i| Some((i, map.case_studies.get_mut(i)?))) {
                    Some((i, case)) => {
                        case.$field.push(row.entity.item);
                        reader
                            .parts
                            .entry((i, stringify!($field)))
                            .or_default()
                            .push(($table, row.start));
                    }
                    None => unknown.push(($table, row.start, row.entity.of, "case study")),
                }
            }
        };
    }
    parts!(parts.people, people, "people.csv");
    parts!(parts.phases, phases, "phases.csv");
    parts!(parts.outlook, outlook, "outlook.csv");
    for (table, start, of, what) in unknown {
        reader.error_at(
            table,
            start,
            "of",
            format!("`of` names \"{of}\", which is no {what}: the row is left out"),
        );
    }
}

/// The position of the first entity of each id.
fn first_by_id<'a>(ids: impl Iterator<Item = &'a String>) -> BTreeMap<String, usize> {
    let mut first = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        first.entry(id.clone()).or_insert(i);
    }
    first
}

/// Makes the tiers, segments, sources and markets that rows name but no table defines,
/// named by their ids, in the order they are first named (each noted as coming from the
/// first cell that names it).
fn fill_in_named(map: &mut Map, reader: &mut Reader) {
    fill_in_tiers_and_segments(map, reader);
    fill_in_sources(map, reader);
    fill_in_markets(map, reader);
}

/// Where the entity of `kind` at `index` was read from, if it was read from a table.
fn origin_of(reader: &Reader, kind: crate::model::EntityKind, index: usize) -> Option<Origin> {
    reader
        .origins
        .get(&kind)
        .and_then(|o| o.get(index))
        .copied()
}

/// Notes the origin of an entity made because a row named it: the cell in `column` of
/// the row it was first named in (`from`), or nowhere when that row has no origin.
fn note_named(
    reader: &mut Reader,
    kind: crate::model::EntityKind,
    from: Option<Origin>,
    column: &'static str,
) {
    let origin = from.map_or(
        Origin {
            table: "",
            start: 0,
            column: None,
        },
        |o| Origin {
            column: Some(column),
            ..o
        },
    );
    reader.origins.entry(kind).or_default().push(origin);
}

/// Makes the tiers and segments that the nodes table names (a node's `tier` and
/// `segments` cells), in the order the nodes name them.
fn fill_in_tiers_and_segments(map: &mut Map, reader: &mut Reader) {
    use crate::model::EntityKind as K;
    let mut tiers: BTreeSet<String> = map.tiers.iter().map(|t| t.id.clone()).collect();
    let mut segments: BTreeSet<String> = map.segments.iter().map(|s| s.id.clone()).collect();
    for (index, node) in map.nodes.iter().enumerate() {
        let from = origin_of(reader, K::Node, index);
        if !node.tier.is_empty() && tiers.insert(node.tier.clone()) {
            map.tiers
                .push(Tier::new(node.tier.clone(), node.tier.clone()));
            note_named(reader, K::Tier, from, "tier");
        }
        for segment in &node.segments {
            if segments.insert(segment.clone()) {
                map.segments.push(Segment::new(
                    segment.clone(),
                    node.tier.clone(),
                    segment.clone(),
                ));
                note_named(reader, K::Segment, from, "segments");
            }
        }
    }
}

/// Makes the sources named by figures, then by the evidence of links, then of theses.
fn fill_in_sources(map: &mut Map, reader: &mut Reader) {
    use crate::model::EntityKind as K;
    let mut sources: BTreeSet<String> = map.sources.iter().map(|s| s.id.clone()).collect();
    let named_sources: Vec<(String, Option<Origin>, &'static str)> = map
        .figures
        .iter()
        .enumerate()
        .map(|(i, f)| (f.source.clone(), origin_of(reader, K::Figure, i), "source"))
        .chain(map.links.iter().enumerate().flat_map(|(i, l)| {
            let rows = reader.evidence.get(&(K::Link, i));
            l.evidence.iter().enumerate().map(move |(j, e)| {
                let start = rows.and_then(|r| r.get(j)).copied();
                let origin = start.map(|start| Origin {
                    table: "evidence.csv",
                    start,
                    column: None,
                });
                (e.source.clone(), origin, "source")
            })
        }))
        .chain(map.theses.iter().enumerate().flat_map(|(i, t)| {
            let rows = reader.evidence.get(&(K::Thesis, i));
            t.evidence.iter().enumerate().map(move |(j, e)| {
                let start = rows.and_then(|r| r.get(j)).copied();
                let origin = start.map(|start| Origin {
                    table: "evidence.csv",
                    start,
                    column: None,
                });
                (e.source.clone(), origin, "source")
            })
        }))
        .collect();
    for (id, from, column) in named_sources {
        if !id.is_empty() && sources.insert(id.clone()) {
            map.sources.push(Source::new(id.clone(), id));
            note_named(reader, K::Source, from, column);
        }
    }
}

/// Makes the markets named by figures.
fn fill_in_markets(map: &mut Map, reader: &mut Reader) {
    use crate::model::EntityKind as K;
    let mut markets: BTreeSet<String> = map.markets.iter().map(|m| m.id.clone()).collect();
    let named_markets: Vec<(String, Option<Origin>)> = map
        .figures
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((f.market.clone()?, origin_of(reader, K::Figure, i))))
        .collect();
    for (id, from) in named_markets {
        if markets.insert(id.clone()) {
            map.markets.push(Market::new(id.clone(), id));
            note_named(reader, K::Market, from, "market");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_found_past_quoted_commas_and_crlf_line_ends() {
        let text = "id,name,kind\r\n\"a,b\",\"x\ny\",Nope\r\n";
        let start = text.find('"').unwrap_or_default();
        let cells = cell_spans(text, start);
        let starts: Vec<usize> = cells.iter().map(|c| c.start).collect();
        assert_eq!(starts, [14, 20, 26]);
        assert!(cells[0].quoted && cells[1].quoted && !cells[2].quoted);
        // A record placed at the line end before it (the CSV reader does so after CRLF)
        // starts at the next line.
        assert_eq!(cell_spans(text, 13)[0].start, 14);
    }

    #[test]
    fn formulas_are_guarded_and_read_back_as_written() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+1 555",
            "-x",
            "@SUM(A1)",
            "'=already",
            "''",
            "'plain",
            "-5",
            "+3.5",
            "  spaced  ",
            "",
            "a,b \"c\"",
        ] {
            let mut out = String::new();
            push_cell(&mut out, Some(text));
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(out.as_bytes());
            let record = reader
                .records()
                .next()
                .map(|r| r.expect("a record"))
                .unwrap_or_default();
            let raw = record.get(0).unwrap_or_default();
            let quoted = out.starts_with('"');
            assert_eq!(cell_value(raw, quoted, false), Some(text), "{out}");
            assert!(!formula_like(out.trim_start_matches('"')), "{out}");
        }
    }

    #[test]
    fn a_separator_inside_a_list_item_stays_in_it() {
        let items = vec![
            "gpu;datacenter".to_owned(),
            "a\\b".to_owned(),
            "c".to_owned(),
        ];
        let cell = join(&items);
        assert_eq!(cell.as_deref(), Some("gpu\\;datacenter;a\\\\b;c"));
        assert_eq!(list(cell.as_deref()), items);
        // A cell a person wrote, with a lone backslash, reads as written.
        assert_eq!(list(Some(" a\\b ; c ")), ["a\\b", "c"]);
    }

    #[test]
    fn every_column_name_is_a_field_of_its_entity() {
        // The columns are the files' field names, so that a spreadsheet reads like a map
        // file; and every field but the nested lists (evidence, people, phases, outlook,
        // which have tables of their own) has its column.
        use crate::model::EntityKind as K;
        fn names<T>(columns: &[Column<T>]) -> Vec<&'static str> {
            columns.iter().map(|c| c.name).collect()
        }
        let kinds = [
            (K::Tier, names(TIER_COLUMNS)),
            (K::Segment, names(SEGMENT_COLUMNS)),
            (K::Node, names(NODE_COLUMNS)),
            (K::Link, names(LINK_COLUMNS)),
            (K::Source, names(SOURCE_COLUMNS)),
            (K::Market, names(MARKET_COLUMNS)),
            (K::Figure, names(FIGURE_COLUMNS)),
            (K::Thesis, names(THESIS_COLUMNS)),
            (K::CaseStudy, names(CASE_STUDY_COLUMNS)),
        ];
        let nested = ["evidence", "people", "phases", "outlook"];
        for (kind, columns) in kinds {
            let mut fields: Vec<&str> = crate::io::field::field_names(kind)
                .iter()
                .copied()
                .filter(|f| !nested.contains(f))
                .collect();
            let mut columns = columns;
            fields.sort_unstable();
            columns.sort_unstable();
            assert_eq!(columns, fields, "{kind:?}");
        }
    }
}
