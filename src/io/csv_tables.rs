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
//! Reading is forgiving: any subset of the tables may be given (nodes.csv alone makes a
//! map of nodes, with tiers and segments made from its columns), columns may come in any
//! order, and a bad cell is reported at its file, line and column while the other rows
//! still import.

use super::Diagnostic;
use crate::model::{
    CaseStudy, Evidence, Figure, IsoDate, Link, LinkKind, Map, Market, Node, NodeKind, Person,
    Phase, Qualifier, Segment, Severity, Source, Step, Thesis, Tier, format_number,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One column of a table: its header, how an entity's cell is written, and how a cell is
/// read into an entity (an error says what is wrong with the cell).
pub struct Column<T> {
    pub name: &'static str,
    /// Rows without a value here are refused.
    pub required: bool,
    pub get: fn(&T) -> String,
    pub set: fn(&mut T, &str) -> Result<(), String>,
}

/// Columns read as written, spaces and all: a source's sentence is evidence.
const VERBATIM_COLUMNS: &[&str] = &["quote"];

/// Lists in one cell are joined with this.
pub const LIST_SEPARATOR: char = ';';

fn opt(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_owned())
}

fn list(cell: &str) -> Vec<String> {
    cell.split(LIST_SEPARATOR)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn join(items: &[String]) -> String {
    items.join(&LIST_SEPARATOR.to_string())
}

fn date(cell: &str) -> Result<Option<IsoDate>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let date = IsoDate::new(cell);
    date.parse().map_err(|error| error.to_string())?;
    Ok(Some(date))
}

fn show_date(date: &Option<IsoDate>) -> String {
    date.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn number(cell: &str) -> Result<Option<f64>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    match cell.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some(value)),
        _ => Err(format!("\"{cell}\" is not a number")),
    }
}

fn show_number(value: Option<f64>) -> String {
    value.map(format_number).unwrap_or_default()
}

/// An enum's variant by its name in the files (`Company`, `Supplies`, `AtLeast`).
fn variant<E: serde::de::DeserializeOwned>(cell: &str, what: &str) -> Result<E, String> {
    let name = cell.trim();
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
    valid
        .then(|| ron::from_str::<E>(name).ok())
        .flatten()
        .ok_or_else(|| format!("\"{cell}\" is not a {what}"))
}

fn show_variant<E: std::fmt::Debug>(value: &E) -> String {
    format!("{value:?}")
}

/// Columns for the common field shapes: `text` (required), `opt` (optional text), `list`,
/// `date`, `number`, and `enum` (with what it is, for the error).
macro_rules! col {
    ($name:literal, text $field:ident) => {
        Column {
            name: $name,
            required: true,
            get: |e| e.$field.clone(),
            set: |e, v| {
                e.$field = v.to_owned();
                Ok(())
            },
        }
    };
    ($name:literal, opt $field:ident) => {
        Column {
            name: $name,
            required: false,
            get: |e| e.$field.clone().unwrap_or_default(),
            set: |e, v| {
                e.$field = opt(v);
                Ok(())
            },
        }
    };
    ($name:literal, list $field:ident) => {
        Column {
            name: $name,
            required: false,
            get: |e| join(&e.$field),
            set: |e, v| {
                e.$field = list(v);
                Ok(())
            },
        }
    };
    ($name:literal, date $field:ident) => {
        Column {
            name: $name,
            required: false,
            get: |e| show_date(&e.$field),
            set: |e, v| {
                e.$field = date(v)?;
                Ok(())
            },
        }
    };
    ($name:literal, number $field:ident) => {
        Column {
            name: $name,
            required: false,
            get: |e| show_number(e.$field),
            set: |e, v| {
                e.$field = number(v)?;
                Ok(())
            },
        }
    };
    ($name:literal, enum $field:ident, $what:literal) => {
        Column {
            name: $name,
            required: true,
            get: |e| show_variant(&e.$field),
            set: |e, v| {
                e.$field = variant(v, $what)?;
                Ok(())
            },
        }
    };
}

/// The columns of tiers.csv.
pub const TIER_COLUMNS: &[Column<Tier>] = &[
    col!("id", text id),
    col!("name", text name),
    col!("name_zh", opt name_zh),
    col!("description", opt description),
    col!("description_zh", opt description_zh),
];

/// The columns of segments.csv.
pub const SEGMENT_COLUMNS: &[Column<Segment>] = &[
    col!("id", text id),
    col!("tier", text tier),
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
    col!("tier", text tier),
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
        get: |n| {
            n.pin
                .map(|(x, y)| format!("{}{LIST_SEPARATOR}{}", x, y))
                .unwrap_or_default()
        },
        set: |n, v| {
            if v.is_empty() {
                n.pin = None;
                return Ok(());
            }
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

/// The columns of figures.csv.
pub const FIGURE_COLUMNS: &[Column<Figure>] = &[
    col!("id", text id),
    col!("subject", text subject),
    col!("holders", list holders),
    col!("market", opt market),
    col!("case", opt case),
    col!("metric", text metric),
    col!("metric_zh", opt metric_zh),
    col!("low", number low),
    col!("high", number high),
    col!("unit", opt unit),
    col!("qualifier", enum qualifier, "qualifier (Exact, Approx, AtLeast, MoreThan, AtMost, …)"),
    col!("value", opt value),
    col!("scope", opt scope),
    col!("as_of", date as_of),
    col!("source", text source),
    col!("quote", opt quote),
    col!("locator", opt locator),
    col!("note", opt note),
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
        get: |t| t.conviction.to_string(),
        set: |t, v| {
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
    Column {
        name: "of",
        required: true,
        get: |e| e.of.clone(),
        set: |e, v| {
            e.of = v.to_owned();
            Ok(())
        },
    },
    Column {
        name: "source",
        required: true,
        get: |e| e.evidence.source.clone(),
        set: |e, v| {
            e.evidence.source = v.to_owned();
            Ok(())
        },
    },
    Column {
        name: "quote",
        required: false,
        get: |e| e.evidence.quote.clone().unwrap_or_default(),
        set: |e, v| {
            e.evidence.quote = opt(v);
            Ok(())
        },
    },
    Column {
        name: "locator",
        required: false,
        get: |e| e.evidence.locator.clone().unwrap_or_default(),
        set: |e, v| {
            e.evidence.locator = opt(v);
            Ok(())
        },
    },
    Column {
        name: "note",
        required: false,
        get: |e| e.evidence.note.clone().unwrap_or_default(),
        set: |e, v| {
            e.evidence.note = opt(v);
            Ok(())
        },
    },
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

macro_rules! part_col {
    ($name:literal, text $field:ident) => {
        Column {
            name: $name,
            required: true,
            get: |e| e.item.$field.clone(),
            set: |e, v| {
                e.item.$field = v.to_owned();
                Ok(())
            },
        }
    };
    ($name:literal, opt $field:ident) => {
        Column {
            name: $name,
            required: false,
            get: |e| e.item.$field.clone().unwrap_or_default(),
            set: |e, v| {
                e.item.$field = opt(v);
                Ok(())
            },
        }
    };
    ($name:literal, date $field:ident) => {
        Column {
            name: $name,
            required: false,
            get: |e| show_date(&e.item.$field),
            set: |e, v| {
                e.item.$field = date(v)?;
                Ok(())
            },
        }
    };
    (of) => {
        Column {
            name: "of",
            required: true,
            get: |e| e.of.clone(),
            set: |e, v| {
                e.of = v.to_owned();
                Ok(())
            },
        }
    };
}

/// The columns of people.csv.
pub const PERSON_COLUMNS: &[Column<Part<Person>>] = &[
    part_col!(of),
    part_col!("name", text name),
    part_col!("name_zh", opt name_zh),
    part_col!("role", opt role),
    part_col!("role_zh", opt role_zh),
    part_col!("summary", opt summary),
    part_col!("summary_zh", opt summary_zh),
    part_col!("quote", opt quote),
    part_col!("locator", opt locator),
];

/// The columns of phases.csv.
pub const PHASE_COLUMNS: &[Column<Part<Phase>>] = &[
    part_col!(of),
    part_col!("period", text period),
    part_col!("start", date start),
    part_col!("end", date end),
    part_col!("title", text title),
    part_col!("title_zh", opt title_zh),
    part_col!("summary", opt summary),
    part_col!("summary_zh", opt summary_zh),
    part_col!("locator", opt locator),
];

/// The columns of outlook.csv.
pub const STEP_COLUMNS: &[Column<Part<Step>>] = &[
    part_col!(of),
    part_col!("title", text title),
    part_col!("title_zh", opt title_zh),
    part_col!("summary", opt summary),
    part_col!("summary_zh", opt summary_zh),
    part_col!("locator", opt locator),
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

fn table<T>(columns: &[Column<T>], rows: &[T]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(columns.iter().map(|c| c.name))?;
    for row in rows {
        writer.write_record(columns.iter().map(|c| (c.get)(row)))?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

/// Every table of the map, by file name, as CSV bytes.
pub fn tables(map: &Map) -> Result<Vec<(&'static str, Vec<u8>)>, csv::Error> {
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
    Ok(vec![
        (
            "map.csv",
            table(MAP_COLUMNS, std::slice::from_ref(&map.meta))?,
        ),
        ("sources.csv", table(SOURCE_COLUMNS, &map.sources)?),
        ("tiers.csv", table(TIER_COLUMNS, &map.tiers)?),
        ("segments.csv", table(SEGMENT_COLUMNS, &map.segments)?),
        ("nodes.csv", table(NODE_COLUMNS, &map.nodes)?),
        ("links.csv", table(LINK_COLUMNS, &map.links)?),
        ("markets.csv", table(MARKET_COLUMNS, &map.markets)?),
        ("figures.csv", table(FIGURE_COLUMNS, &map.figures)?),
        ("theses.csv", table(THESIS_COLUMNS, &map.theses)?),
        ("evidence.csv", table(EVIDENCE_COLUMNS, &evidence)?),
        (
            "case-studies.csv",
            table(CASE_STUDY_COLUMNS, &map.case_studies)?,
        ),
        (
            "people.csv",
            table(PERSON_COLUMNS, &parts(map, |c| &c.people))?,
        ),
        (
            "phases.csv",
            table(PHASE_COLUMNS, &parts(map, |c| &c.phases))?,
        ),
        (
            "outlook.csv",
            table(STEP_COLUMNS, &parts(map, |c| &c.outlook))?,
        ),
    ])
}

/// Why tables could not be written or read at all (a bad cell is a [`Diagnostic`]).
#[derive(Debug, thiserror::Error)]
pub enum TablesError {
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{}: the folder holds none of the tables ({})", .0.display(), TABLES.join(", "))]
    NoTables(PathBuf),
}

/// Writes every table into `dir` (created if missing), each file atomically.
pub fn write_tables(map: &Map, dir: &Path) -> Result<Vec<PathBuf>, TablesError> {
    std::fs::create_dir_all(dir).map_err(|error| TablesError::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    let mut written = Vec::new();
    for (name, bytes) in tables(map)? {
        let path = dir.join(name);
        super::write::atomic_write(&path, &bytes).map_err(|error| TablesError::Io {
            path: path.clone(),
            error,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// What reading tables gave: a draft map (not yet validated) and the problems of cells
/// and rows, each placed at its file, line and column.
#[derive(Clone, Debug, Default)]
pub struct ReadTables {
    pub map: Map,
    pub diagnostics: Vec<Diagnostic>,
    /// The tables found, in reading order.
    pub files: Vec<PathBuf>,
}

/// Reads one table's text into entities, starting each row from `blank`. Rows with a bad
/// cell are left out and reported; the others are kept.
fn read_table<T>(
    path: &Path,
    text: &str,
    columns: &[Column<T>],
    blank: impl Fn() -> T,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let mut report = TableReport {
        path,
        text,
        diagnostics,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            report.csv_error(&error, "cannot read the header row");
            return Vec::new();
        }
    };
    let slots = header_slots(&headers, columns, &mut report);
    let given: BTreeSet<&str> = slots.iter().flatten().map(|c| c.name).collect();
    let missing: Vec<&str> = columns
        .iter()
        .filter(|c| c.required && !given.contains(c.name))
        .map(|c| c.name)
        .collect();
    if missing.contains(&"id") {
        report.error(
            (1, 1),
            format!("the table has no column \"{}\"", missing.join("\", \"")),
        );
        return Vec::new();
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
        if let Some(entity) = read_row(&record, &slots, &missing, &blank, &mut report) {
            rows.push(entity);
        }
    }
    rows
}

/// Where the problems of one table being read go, each placed at its line and column of
/// the table's text.
struct TableReport<'a> {
    path: &'a Path,
    text: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl TableReport<'_> {
    /// Reports a problem of `severity` at `(line, col)`.
    fn push(&mut self, severity: Severity, (line, col): (usize, usize), message: String) {
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.path.to_path_buf(),
            line,
            col,
            message,
        });
    }

    /// Reports an error at `(line, col)`.
    fn error(&mut self, at: (usize, usize), message: String) {
        self.push(Severity::Error, at, message);
    }

    /// Reports an error of the CSV reader at its position (1:1 when it has none), after
    /// `what` could not be done.
    fn csv_error(&mut self, error: &csv::Error, what: &str) {
        let at = error
            .position()
            .map_or((1, 1), |p| line_col(self.text, p.byte() as usize));
        self.error(at, format!("{what}: {error}"));
    }

    /// Where the `index`-th cell of the record starting at byte `start` begins.
    fn cell(&self, start: usize, index: usize) -> (usize, usize) {
        cell_position(self.text, start, index)
    }
}

/// Each header to its column of the kind's table, in the file's order; unknown headers
/// are reported once, as warnings, and read as no column.
fn header_slots<'c, T>(
    headers: &csv::StringRecord,
    columns: &'c [Column<T>],
    report: &mut TableReport,
) -> Vec<Option<&'c Column<T>>> {
    let header_start = report.text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let mut slots = Vec::with_capacity(headers.len());
    for (i, header) in headers.iter().enumerate() {
        let name = header.trim().trim_start_matches('\u{feff}');
        let column = columns.iter().find(|c| c.name == name);
        if column.is_none() {
            let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
            let at = report.cell(header_start, i);
            report.push(
                Severity::Warning,
                at,
                format!(
                    "unknown column \"{name}\", left out (columns: {})",
                    known.join(", ")
                ),
            );
        }
        slots.push(column);
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
) -> Option<T> {
    let start = record.position()?.byte() as usize;
    if record.iter().all(|cell| cell.trim().is_empty()) {
        return None; // a blank line a spreadsheet left
    }
    if !row_fits_header(record, slots, start, report) {
        return None;
    }
    let mut entity = blank();
    if !read_cells(&mut entity, record, slots, start, report) {
        return None;
    }
    if !missing.is_empty() {
        report.error(
            report.cell(start, 0),
            format!(
                "the table has no column \"{}\": the row is left out",
                missing.join("\", \"")
            ),
        );
        return None;
    }
    Some(entity)
}

/// Whether the record's cells fit the header: not more cells than headers, and no
/// required cell lacking at the end of a short row (one problem reported, not one per
/// missing cell).
fn row_fits_header<T>(
    record: &csv::StringRecord,
    slots: &[Option<&Column<T>>],
    start: usize,
    report: &mut TableReport,
) -> bool {
    if record.len() > slots.len() {
        report.error(
            report.cell(start, slots.len()),
            format!(
                "the row has {} cells, the header {}: the row is left out",
                record.len(),
                slots.len()
            ),
        );
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
        report.error(
            report.cell(start, record.len().saturating_sub(1)),
            format!(
                "the row has {} cells, the header {}: `{}` missing, the row is left out",
                record.len(),
                slots.len(),
                lacking.join("`, `")
            ),
        );
        return false;
    }
    true
}

/// Sets each known column's cell on `entity`; whether every cell was good (each bad one
/// is reported).
fn read_cells<T>(
    entity: &mut T,
    record: &csv::StringRecord,
    slots: &[Option<&Column<T>>],
    start: usize,
    report: &mut TableReport,
) -> bool {
    let mut ok = true;
    for (i, column) in slots.iter().enumerate() {
        let Some(column) = column else { continue };
        let raw = record.get(i).unwrap_or_default();
        // Spreadsheets leave stray spaces around cells; a quotation is kept to the letter.
        let cell = if VERBATIM_COLUMNS.contains(&column.name) && !raw.trim().is_empty() {
            raw
        } else {
            raw.trim()
        };
        if column.required && cell.is_empty() {
            report.error(
                report.cell(start, i.min(record.len())),
                format!("`{}` is empty: the row is left out", column.name),
            );
            ok = false;
            continue;
        }
        if let Err(message) = (column.set)(entity, cell) {
            report.error(
                report.cell(start, i),
                format!("`{}`: {message}: the row is left out", column.name),
            );
            ok = false;
        }
    }
    ok
}

/// The 1-based line and column (in characters) of byte `offset`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    super::spans::LineIndex::new(text).line_col(offset.min(text.len()))
}

/// Where the `index`-th cell of the record starting at byte `start` begins: commas inside
/// quotes are not separators, and a quoted cell may hold line breaks.
fn cell_position(text: &str, start: usize, index: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut at = start.min(text.len());
    let mut cell = 0;
    let mut quoted = false;
    while cell < index {
        match bytes.get(at) {
            None => break,
            Some(b'"') => quoted = !quoted,
            Some(b',') if !quoted => cell += 1,
            Some(b'\n') if !quoted => break,
            _ => {}
        }
        at += 1;
    }
    line_col(text, at)
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
        Ok(super::Capped::TooLarge(_)) => {
            return Err(io_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the table is larger than {} MiB",
                    super::MAX_FILE_BYTES / (1024 * 1024)
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

/// Reads the tables found in `dir` into a draft map. Tiers, segments, sources and markets
/// that rows name but no table defines are made from their ids, so that nodes.csv alone
/// makes a map.
pub fn read_tables(dir: &Path) -> Result<ReadTables, TablesError> {
    let mut out = ReadTables::default();
    let texts = find_tables(dir, &mut out.files)?;
    let d = &mut out.diagnostics;
    let map = &mut out.map;
    read_meta(map, dir, &texts, d);
    read_structure(map, &texts, d);
    let evidence = read_claims(map, &texts, d);
    let parts = read_case_studies(map, &texts, d);
    attach(map, evidence, parts, &texts, d);
    fill_in_named(map);
    Ok(out)
}

/// The tables found in a folder, by file name: each one's path and text.
type FoundTables = BTreeMap<&'static str, (PathBuf, String)>;

/// Reads every table `dir` holds, noting each one's path in `files` in reading order;
/// an error when it holds none.
fn find_tables(dir: &Path, files: &mut Vec<PathBuf>) -> Result<FoundTables, TablesError> {
    let mut texts = FoundTables::new();
    for name in TABLES {
        let path = dir.join(name);
        if let Some(text) = read_limited(&path)? {
            files.push(path.clone());
            texts.insert(name, (path, text));
        }
    }
    if texts.is_empty() {
        return Err(TablesError::NoTables(dir.to_path_buf()));
    }
    Ok(texts)
}

/// The rows of table `name`, or none when the folder does not hold it.
fn read_found<T>(
    texts: &FoundTables,
    name: &str,
    columns: &[Column<T>],
    diagnostics: &mut Vec<Diagnostic>,
    blank: impl Fn() -> T,
) -> Vec<T> {
    match texts.get(name) {
        Some((path, text)) => read_table(path, text, columns, blank, diagnostics),
        None => Vec::new(),
    }
}

/// Reads map.csv's settings into `map`.
fn read_meta(map: &mut Map, dir: &Path, texts: &FoundTables, d: &mut Vec<Diagnostic>) {
    let metas = read_found(
        texts,
        "map.csv",
        MAP_COLUMNS,
        d,
        crate::model::MapMeta::default,
    );
    match metas.into_iter().next() {
        Some(meta) => map.meta = meta,
        // Without map.csv, the map is named after the tables' folder rather than left
        // without the title that `check` asks for.
        None if !texts.contains_key("map.csv") => {
            map.meta.title = dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
        }
        None => {}
    }
}

/// Reads the map's structure: sources, tiers, segments, nodes, links and markets.
fn read_structure(map: &mut Map, texts: &FoundTables, d: &mut Vec<Diagnostic>) {
    map.sources = read_found(texts, "sources.csv", SOURCE_COLUMNS, d, || Source {
        id: String::new(),
        title: String::new(),
        title_zh: None,
        author: None,
        publisher: None,
        date: None,
        url: None,
    });
    map.tiers = read_found(texts, "tiers.csv", TIER_COLUMNS, d, || Tier {
        id: String::new(),
        name: String::new(),
        name_zh: None,
        description: None,
        description_zh: None,
    });
    map.segments = read_found(texts, "segments.csv", SEGMENT_COLUMNS, d, || Segment {
        id: String::new(),
        tier: String::new(),
        parent: None,
        name: String::new(),
        name_zh: None,
        description: None,
        description_zh: None,
    });
    map.nodes = read_found(texts, "nodes.csv", NODE_COLUMNS, d, || {
        Node::new("", "", NodeKind::Company, "")
    });
    map.links = read_found(texts, "links.csv", LINK_COLUMNS, d, || {
        Link::new("", "", "", LinkKind::Supplies)
    });
    map.markets = read_found(texts, "markets.csv", MARKET_COLUMNS, d, || Market {
        id: String::new(),
        name: String::new(),
        name_zh: None,
        description: None,
        description_zh: None,
    });
}

/// Reads figures and theses into `map`; the evidence rows, to be attached once links
/// and theses are all read.
fn read_claims(map: &mut Map, texts: &FoundTables, d: &mut Vec<Diagnostic>) -> Vec<EvidenceRow> {
    map.figures = read_found(texts, "figures.csv", FIGURE_COLUMNS, d, || {
        Figure::new("", "", Qualifier::Exact, "")
    });
    map.theses = read_found(texts, "theses.csv", THESIS_COLUMNS, d, || {
        Thesis::new("", "", "")
    });
    read_found(texts, "evidence.csv", EVIDENCE_COLUMNS, d, || EvidenceRow {
        of: String::new(),
        evidence: Evidence {
            source: String::new(),
            quote: None,
            locator: None,
            note: None,
        },
    })
}

/// The rows of a case study's lists, each naming the case study it is in.
struct CaseParts {
    people: Vec<Part<Person>>,
    phases: Vec<Part<Phase>>,
    outlook: Vec<Part<Step>>,
}

/// Reads case studies into `map`; their people, phases and outlook rows, to be attached.
fn read_case_studies(map: &mut Map, texts: &FoundTables, d: &mut Vec<Diagnostic>) -> CaseParts {
    map.case_studies = read_found(texts, "case-studies.csv", CASE_STUDY_COLUMNS, d, || {
        CaseStudy::new("", "", "")
    });
    let people = read_found(texts, "people.csv", PERSON_COLUMNS, d, || Part {
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
    let phases = read_found(texts, "phases.csv", PHASE_COLUMNS, d, || Part {
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
    let outlook = read_found(texts, "outlook.csv", STEP_COLUMNS, d, || Part {
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

/// The files of the map that tables read from `dir` make, each saying where it came from.
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
/// case study; a row naming none is reported.
fn attach(
    map: &mut Map,
    evidence: Vec<EvidenceRow>,
    parts: CaseParts,
    texts: &FoundTables,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut unknown = |table: &str, of: &str, what: &str| {
        let path = texts.get(table).map(|(p, _)| p.clone()).unwrap_or_default();
        diagnostics.push(Diagnostic {
            severity: Severity::Error,
            file: path,
            line: 1,
            col: 1,
            message: format!(
                "a row's `of` names \"{of}\", which is no {what}: the row is left out"
            ),
        });
    };
    for row in evidence {
        if let Some(link) = map.links.iter_mut().find(|l| l.id == row.of) {
            link.evidence.push(row.evidence);
        } else if let Some(thesis) = map.theses.iter_mut().find(|t| t.id == row.of) {
            thesis.evidence.push(row.evidence);
        } else {
            unknown("evidence.csv", &row.of, "link or thesis");
        }
    }
    macro_rules! parts {
        ($rows:expr, $field:ident, $table:literal) => {
            for row in $rows {
                match map.case_studies.iter_mut().find(|c| c.id == row.of) {
                    Some(case) => case.$field.push(row.item),
                    None => unknown($table, &row.of, "case study"),
                }
            }
        };
    }
    parts!(parts.people, people, "people.csv");
    parts!(parts.phases, phases, "phases.csv");
    parts!(parts.outlook, outlook, "outlook.csv");
}

/// Makes the tiers, segments, sources and markets that rows name but no table defines,
/// named by their ids, in the order they are first named.
fn fill_in_named(map: &mut Map) {
    let mut tiers: BTreeSet<String> = map.tiers.iter().map(|t| t.id.clone()).collect();
    let mut segments: BTreeSet<String> = map.segments.iter().map(|s| s.id.clone()).collect();
    for node in &map.nodes {
        if !node.tier.is_empty() && tiers.insert(node.tier.clone()) {
            map.tiers.push(Tier {
                id: node.tier.clone(),
                name: node.tier.clone(),
                name_zh: None,
                description: None,
                description_zh: None,
            });
        }
        for segment in &node.segments {
            if segments.insert(segment.clone()) {
                map.segments.push(Segment {
                    id: segment.clone(),
                    tier: node.tier.clone(),
                    parent: None,
                    name: segment.clone(),
                    name_zh: None,
                    description: None,
                    description_zh: None,
                });
            }
        }
    }
    let mut sources: BTreeSet<String> = map.sources.iter().map(|s| s.id.clone()).collect();
    let named_sources: Vec<String> = map
        .figures
        .iter()
        .map(|f| f.source.clone())
        .chain(
            map.links
                .iter()
                .flat_map(|l| l.evidence.iter().map(|e| e.source.clone())),
        )
        .chain(
            map.theses
                .iter()
                .flat_map(|t| t.evidence.iter().map(|e| e.source.clone())),
        )
        .collect();
    for id in named_sources {
        if !id.is_empty() && sources.insert(id.clone()) {
            map.sources.push(Source {
                title: id.clone(),
                id,
                title_zh: None,
                author: None,
                publisher: None,
                date: None,
                url: None,
            });
        }
    }
    let mut markets: BTreeSet<String> = map.markets.iter().map(|m| m.id.clone()).collect();
    let named_markets: Vec<String> = map
        .figures
        .iter()
        .filter_map(|f| f.market.clone())
        .collect();
    for id in named_markets {
        if markets.insert(id.clone()) {
            map.markets.push(Market {
                name: id.clone(),
                id,
                name_zh: None,
                description: None,
                description_zh: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_placed_at_its_column_past_quoted_commas() {
        let text = "id,name,kind\r\n\"a,b\",\"x\ny\",Nope\r\n";
        let start = text.find('"').unwrap_or_default();
        assert_eq!(cell_position(text, start, 0), (2, 1));
        assert_eq!(cell_position(text, start, 1), (2, 7));
        assert_eq!(cell_position(text, start, 2), (3, 4));
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
