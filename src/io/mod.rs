//! Reading maps from disk: one `.ron` file or a folder of them, through one path that every
//! command and the window share. Each file is read with limits (size, UTF-8, nesting),
//! parsed into its raw shape ([`raw::MapFile`]), merged, validated by the model, and every
//! problem is placed at a file, line and column. A broken file never stops the others
//! from loading.

pub mod batch;
pub mod bundled;
pub mod csv_tables;
pub mod export;
pub mod field;
pub mod folder;
pub mod history;
pub mod journal;
pub mod landscape;
pub mod lock;
pub mod patch;
pub mod raw;
pub mod revision;
pub mod save;
pub mod session;
pub mod spans;
pub mod starter;
pub mod views;
pub mod write;
pub mod yaml;

use crate::model::{self, EntityKind, Map, Problem, Severity, Subject};
use raw::MapFile;
use spans::{LineIndex, SpanValue};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Map files larger than this are refused rather than read: a real map is far smaller
/// (the 20,000-node benchmark map is a few megabytes).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Logos and other assets larger than this are refused.
pub const MAX_ASSET_BYTES: u64 = 4 * 1024 * 1024;
/// Logos may be at most this many pixels wide and high.
pub const MAX_IMAGE_SIDE: u32 = 2048;
/// How deeply brackets may nest in a map file; the format itself needs six levels.
pub const MAX_NESTING: usize = 64;

/// A problem placed in a file, printed as `FILE:LINE:COL: error: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    /// An error about the whole file, placed at its start.
    fn at_start(file: &SourceFile, message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.path.clone(),
            line: 1,
            col: 1,
            message,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.col,
            self.severity,
            self.message
        )
    }
}

/// Failures that leave nothing to load: exit status 2 on the command line.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    /// The error is part of the message (and not a `source`), so that it prints once.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: the folder holds no .ron map files", .0.display())]
    NoMapFiles(PathBuf),
}

/// One file of a map and its text, as read (absent when it could not be read as text).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Option<String>,
    /// Where the file's bytes stop being UTF-8, when they do: its text is then cut there
    /// (kept beside the text, since any character may be in a valid file).
    pub not_utf8_at: Option<usize>,
}

impl SourceFile {
    /// A file whose text is known to be all of it (valid UTF-8).
    pub fn new(path: impl Into<PathBuf>, text: Option<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text,
            not_utf8_at: None,
        }
    }

    /// A file from the bytes read: cut at an invalid UTF-8 byte, which is a problem of
    /// the file reported with its position, not an I/O error.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> SourceFile {
        let (text, not_utf8_at) = decode_text(bytes);
        SourceFile {
            path: path.into(),
            text: Some(text),
            not_utf8_at,
        }
    }
}

/// A file's text from its bytes, with the offset of its first invalid UTF-8 byte (the
/// text stops there) when it has one.
pub fn decode_text(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let text = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default()).into_owned();
            (text, Some(valid))
        }
    }
}

/// An I/O error in words, without the operating system's error number: what a reader
/// of the message can act on ("no such file or folder", "not a folder").
pub fn io_message(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let words = match error.kind() {
        K::NotFound => "no such file or folder",
        K::PermissionDenied => "permission denied",
        K::AlreadyExists => "already exists",
        K::NotADirectory => "not a folder",
        K::IsADirectory => "a folder, not a file",
        K::DirectoryNotEmpty => "the folder is not empty",
        K::ReadOnlyFilesystem => "the file system is read-only",
        K::StorageFull => "the disk is full",
        K::InvalidFilename => "a name the file system does not allow",
        _ => "",
    };
    if !words.is_empty() {
        return words.to_owned();
    }
    let text = error.to_string();
    // "Something (os error 5)": the number says nothing to a reader.
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text.get(..at).unwrap_or(&text).to_owned(),
        _ => text,
    }
}

/// How a size over [`MAX_FILE_BYTES`] is told: exact bytes, so that a file one byte over
/// never reads as within the limit.
pub fn too_large_message(bytes: u64) -> String {
    format!(
        "the file is {bytes} bytes; map files may be at most {MAX_FILE_BYTES} bytes ({} MiB)",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// A loaded map: what validated, every problem found, and the files it came from.
#[derive(Clone, Debug)]
pub struct LoadedMap {
    /// The path given: a file, or the folder of the map.
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    pub map: Map,
    /// Each file's entities as the file holds them (before validation), `None` for a file
    /// that could not be parsed: what edits start from and saves compare with.
    pub draft: model::Draft,
    /// Every problem found, by entity (as [`model::validate`] reports them).
    pub problems: Vec<Problem>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedMap {
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// The folder that assets are resolved in.
    pub fn asset_dir(&self) -> PathBuf {
        asset_dir(&self.root)
    }
}

/// The folder that the assets of the map at `root` are resolved in: the folder itself, or a
/// one-file map's folder.
pub fn asset_dir(root: &Path) -> PathBuf {
    if root.is_dir() {
        root.to_path_buf()
    } else {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// The `.ron` files of a map: the file itself, or a folder's files in name order.
pub fn map_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let metadata = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_path_buf()),
        _ => LoadError::Io {
            path: path.to_path_buf(),
            error: source,
        },
    })?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        error: source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            error: source,
        })?;
        let file = entry.path();
        let visible = !entry.file_name().to_string_lossy().starts_with('.');
        if visible && file.is_file() && file.extension().is_some_and(|ext| ext == "ron") {
            files.push(file);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(LoadError::NoMapFiles(path.to_path_buf()));
    }
    Ok(files)
}

/// Loads the map at `path` (a `.ron` file or a folder of them).
pub fn load(path: &Path) -> Result<LoadedMap, LoadError> {
    let paths = map_files(path)?;
    let mut files = Vec::with_capacity(paths.len());
    for file in paths {
        files.push(match read_limited(&file)? {
            Some(bytes) => SourceFile::from_bytes(file, bytes),
            None => SourceFile::new(file, None),
        });
    }
    Ok(load_files(path, files))
}

/// Reads a file's bytes, refusing files over [`MAX_FILE_BYTES`] without reading them, and
/// devices, pipes and sockets without opening them. Returns `None` for a file too large to
/// read (a map file's problem is reported by [`load_files`]).
pub fn read_limited(path: &Path) -> Result<Option<Vec<u8>>, LoadError> {
    let io_error = |source| LoadError::Io {
        path: path.to_path_buf(),
        error: source,
    };
    match read_capped(path).map_err(io_error)? {
        Capped::Read(bytes) => Ok(Some(bytes)),
        Capped::TooLarge(_) => Ok(None),
    }
}

/// What [`read_capped`] found: the bytes, or the size of a file over [`MAX_FILE_BYTES`].
pub(crate) enum Capped {
    Read(Vec<u8>),
    TooLarge(u64),
}

/// Reads a file's bytes, refusing devices, pipes and sockets without opening them (an
/// `InvalidInput` error), and files over [`MAX_FILE_BYTES`] without reading them whole.
pub(crate) fn read_capped(path: &Path) -> std::io::Result<Capped> {
    read_capped_at(path, MAX_FILE_BYTES)
}

/// [`read_capped`] with another limit than a map file's (`Capped::TooLarge` past it).
pub(crate) fn read_capped_at(path: &Path, limit: u64) -> std::io::Result<Capped> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        // A device, a pipe or a socket: reading it could block or never end.
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if metadata.len() > limit {
        return Ok(Capped::TooLarge(metadata.len()));
    }
    // The file may grow between the size check and the read: never read past the limit.
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path)?, limit.saturating_add(1)),
        &mut bytes,
    )?;
    if bytes.len() as u64 > limit {
        return Ok(Capped::TooLarge(bytes.len() as u64));
    }
    Ok(Capped::Read(bytes))
}

/// A parsed file's structure, for placing problems: scanned only when a problem in the
/// file needs a position, since most files of a good map have none.
struct ParsedFile<'a> {
    text: &'a str,
    spans: std::cell::OnceCell<Option<SpanValue>>,
    lines: std::cell::OnceCell<LineIndex<'a>>,
}

impl<'a> ParsedFile<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            spans: std::cell::OnceCell::new(),
            lines: std::cell::OnceCell::new(),
        }
    }

    fn spans(&self) -> Option<&SpanValue> {
        self.spans.get_or_init(|| spans::scan(self.text)).as_ref()
    }

    /// Built once per file, however many problems it has.
    fn lines(&self) -> &LineIndex<'a> {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }
}

/// Where an entity of the merged draft came from.
#[derive(Clone, Copy)]
struct Origin {
    file: usize,
    index_in_file: usize,
}

/// For each kind, where each entity of the merged draft came from, in draft order.
type Origins = std::collections::BTreeMap<EntityKind, Vec<Origin>>;

/// Parses, merges and validates files already read (the window and tests call this with
/// texts in memory).
pub fn load_files(root: &Path, files: Vec<SourceFile>) -> LoadedMap {
    let parsed = parse_all(&files);
    load_with(root, files, parsed)
}

/// Like [`load_files`], for texts whose parsed contents are already known (`parts`, as
/// an edited draft has them, checked to read back from the texts when they were
/// written): only the files without a part are parsed. An edit of a big map is then
/// validated again without parsing every file again.
pub fn load_parsed(root: &Path, files: Vec<SourceFile>, parts: &model::Draft) -> LoadedMap {
    let parsed = files
        .iter()
        .enumerate()
        .map(
            |(i, file)| match (parts.parts.get(i).and_then(Option::as_ref), &file.text) {
                (Some(part), Some(text)) => Some(Ok(ParsedPart::new(part.clone(), text))),
                _ => parse_source(file),
            },
        )
        .collect();
    load_with(root, files, parsed)
}

fn load_with(root: &Path, files: Vec<SourceFile>, parsed_files: Vec<Option<Parsed>>) -> LoadedMap {
    let mut diagnostics = Vec::new();
    let mut parsed: Vec<Option<ParsedFile>> = Vec::with_capacity(files.len());
    let mut draft = Map::default();
    let mut origins = Origins::new();
    // Each list sized once for every file's part: appended part by part, a list of big
    // entities would be copied each time it grew.
    for kind in EntityKind::ALL {
        let count = (parsed_files.iter().flatten().flatten())
            .map(|parsed| parsed.merged.count(kind))
            .sum();
        draft.reserve(kind, count);
        origins.entry(kind).or_default().reserve(count);
    }
    let mut parts = Vec::with_capacity(files.len());
    let mut meta_file: Option<usize> = None;
    let mut results = parsed_files.into_iter();
    // For each file, how each figure's `low` is written (by its index in the file).
    let mut low_decimals: Vec<Vec<Option<u32>>> = Vec::with_capacity(files.len());

    for (file_index, file) in files.iter().enumerate() {
        let result = results.next().flatten();
        let Some((text, parsed_part)) = readable(file, result, &mut diagnostics) else {
            parsed.push(None);
            parts.push(None);
            low_decimals.push(Vec::new());
            continue;
        };
        let ParsedPart {
            part,
            merged,
            written_lows,
        } = parsed_part;
        let file_spans = ParsedFile::new(text);
        let given = part.meta.given_fields();
        if !given.is_empty() {
            match meta_file {
                None => {
                    meta_file = Some(file_index);
                    draft.meta = part.meta.clone();
                }
                Some(first) => diagnostics.extend(second_meta_problems(
                    file,
                    &file_spans,
                    &given,
                    files.get(first),
                )),
            }
        }
        parts.push(Some(part));
        low_decimals.push(written_lows);
        merge(&mut draft, &mut origins, file_index, merged);
        parsed.push(Some(file_spans));
    }

    let incomplete = parsed.iter().any(Option::is_none);
    let mut problems = asset_problems(&draft, &asset_dir(root));
    let written = |draft_index: usize| {
        let origin = origins.get(&EntityKind::Figure)?.get(draft_index)?;
        *low_decimals.get(origin.file)?.get(origin.index_in_file)?
    };
    // Edits are checked with the same precision (see `Draft::written_lows`); only shares
    // need it (`written_low_decimals` scans no file without shares).
    let written_lows = draft
        .figures
        .iter()
        .enumerate()
        .filter(|(_, figure)| figure.market.is_some())
        .filter_map(|(i, figure)| Some((figure.id.clone(), (figure.low?, written(i)?))))
        .collect();
    let validated = model::validate_with(draft, incomplete, &written);
    problems.extend(validated.problems);

    for problem in &problems {
        diagnostics.push(place(problem, &files, &parsed, &origins, meta_file));
    }
    let order: std::collections::HashMap<&Path, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_path(), i))
        .collect();
    diagnostics.sort_by_key(|d| (order.get(d.file.as_path()).copied(), d.line, d.col));

    LoadedMap {
        root: root.to_path_buf(),
        files,
        map: validated.map,
        draft: model::Draft {
            parts,
            written_lows,
            precisions: model::Precisions::new(),
        },
        problems,
        diagnostics,
    }
}

/// A file's text and what its parse worker made of it; `None` for a file that could not
/// be read or parsed, with the diagnostic that says why.
fn readable<'f>(
    file: &'f SourceFile,
    result: Option<Parsed>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(&'f str, ParsedPart)> {
    match (file.text.as_deref(), result) {
        (Some(text), Some(Ok(parsed_part))) => Some((text, parsed_part)),
        (None, _) => {
            let size = std::fs::metadata(&file.path).map_or(0, |m| m.len());
            diagnostics.push(Diagnostic::at_start(file, too_large_message(size)));
            None
        }
        (Some(_), None) => {
            let message = "the file could not be parsed (internal error)".to_owned();
            diagnostics.push(Diagnostic::at_start(file, message));
            None
        }
        (Some(_), Some(Err((line, col, message)))) => {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: file.path.clone(),
                line,
                col,
                message,
            });
            None
        }
    }
}

/// Map-wide settings given again in a later file: one error at each.
fn second_meta_problems(
    file: &SourceFile,
    file_spans: &ParsedFile<'_>,
    given: &[&'static str],
    first: Option<&SourceFile>,
) -> Vec<Diagnostic> {
    let first_name = first
        .map(|f| f.path.display().to_string())
        .unwrap_or_default();
    given
        .iter()
        .map(|&field| {
            let offset = file_spans
                .spans()
                .map_or(0, |root| root.locate(&[model::PathSeg::Field(field)]));
            let (line, col) = file_spans.lines().line_col(offset);
            Diagnostic {
                severity: Severity::Error,
                file: file.path.clone(),
                line,
                col,
                message: format!(
                    "map-wide `{field}` is given in a second file: keep the map's settings in {first_name} only"
                ),
            }
        })
        .collect()
}

/// How each figure's `low` and `high` are written in the map's files, where that says
/// more than the number's shortest form (`80.0`, not `80`): what exports carry along.
pub fn written_precisions(loaded: &LoadedMap) -> model::Precisions {
    let mut precisions = model::Precisions::new();
    for (file, part) in loaded.files.iter().zip(&loaded.draft.parts) {
        let (Some(text), Some(part)) = (file.text.as_deref(), part) else {
            continue;
        };
        if part.figures.is_empty() {
            continue;
        }
        let Some(written) = WrittenFigures::scan(text) else {
            continue;
        };
        for (i, figure) in part.figures.iter().enumerate() {
            let decimals = |field: &str, value: Option<f64>| {
                let written = written.decimals(i, field)?;
                (written > model::decimals_of(value?)).then_some(written)
            };
            let precision = model::WrittenPrecision {
                low: decimals("low", figure.low),
                high: decimals("high", figure.high),
            };
            if precision != model::WrittenPrecision::default() {
                precisions.entry(figure.id.clone()).or_insert(precision);
            }
        }
    }
    precisions
}

/// How each figure's `low` is written in `text`, the file `part` was read from, for the
/// figures that are a market's shares (only shares are checked with it); none scanned for
/// a file without shares.
fn written_low_decimals(part: &Map, text: &str) -> Vec<Option<u32>> {
    if !part.figures.iter().any(|f| f.market.is_some()) {
        return Vec::new();
    }
    let Some(written) = WrittenFigures::scan(text) else {
        return Vec::new();
    };
    part.figures
        .iter()
        .enumerate()
        .map(|(i, figure)| {
            figure.market.as_ref()?;
            written.decimals(i, "low")
        })
        .collect()
}

/// A file's `figures` list as written: where each figure's numbers stand in its text.
pub(crate) struct WrittenFigures<'t> {
    text: &'t str,
    list: spans::SpanValue,
}

impl<'t> WrittenFigures<'t> {
    /// `None` for a file without a `figures` list, or one the scanner cannot follow.
    pub(crate) fn scan(text: &'t str) -> Option<WrittenFigures<'t>> {
        let spans::Body::Fields(fields) = spans::scan(text)?.body else {
            return None;
        };
        let list = fields.into_iter().find(|f| f.name == "figures")?.value;
        Some(WrittenFigures { text, list })
    }

    /// The `index`th figure's `field` as its text has it, and where (byte offsets).
    pub(crate) fn written(&self, index: usize, field: &str) -> Option<(&'t str, Range<usize>)> {
        let span = &self.list.item(index)?.field(field)?.value;
        Some((self.text.get(span.start..span.end)?, span.start..span.end))
    }

    /// The decimals the `index`th figure's `field` is written with (`74.0` → 1), when it
    /// is written as a plain number.
    fn decimals(&self, index: usize, field: &str) -> Option<u32> {
        number_decimals(self.written(index, field)?.0)
    }
}

/// The decimals of a number as written (`12.50` → 2), `Some(…)` around it allowed; `None`
/// for text that is not a plain decimal number.
pub(crate) fn number_decimals(written: &str) -> Option<u32> {
    let number = written
        .trim()
        .strip_prefix("Some(")
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(written)
        .trim();
    let digits = number.trim_start_matches(['-', '+']);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |part: &str| part.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    (!whole.is_empty() && plain(whole) && plain(fraction))
        .then(|| fraction.bytes().filter(u8::is_ascii_digit).count() as u32)
}

/// A file as a parse worker leaves it (the work that each file needs alone is done there,
/// on all cores, rather than after on one): its part of the map twice, one kept as the
/// file's part of the draft and one to merge, and how its figures' `low`s are written.
struct ParsedPart {
    part: Map,
    merged: Map,
    /// For each figure of the file, the decimals its `low` is written with (`74.0` → 1,
    /// where the model's `f64` says 0), when it is a share of a market: what the load's
    /// check and later edits hold market totals to.
    written_lows: Vec<Option<u32>>,
}

impl ParsedPart {
    fn new(part: Map, text: &str) -> ParsedPart {
        let written_lows = written_low_decimals(&part, text);
        ParsedPart {
            merged: part.clone(),
            part,
            written_lows,
        }
    }
}

/// A file parsed, or where (line, column) and why it could not be.
type Parsed = Result<ParsedPart, (usize, usize, String)>;

/// Parses every file that could be read, on all cores (ron parsing is most of the time a
/// big map takes to load). `None` for a file with no text.
fn parse_all(files: &[SourceFile]) -> Vec<Option<Parsed>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len())
        .max(1);
    if workers == 1 {
        return files.iter().map(parse_source).collect();
    }
    // The longest texts first, so that the last file a worker takes is a short one and
    // the workers finish together (a map's biggest tier file is often most of it).
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| {
        std::cmp::Reverse(
            files
                .get(i)
                .and_then(|f| f.text.as_ref())
                .map_or(0, String::len),
        )
    });
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<(usize, Option<Parsed>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&i) = order.get(k) else { break };
                        let Some(file) = files.get(i) else { break };
                        done.push((i, parse_source(file)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    // Placed by index: a file whose worker failed reads as unparsed, never as another's.
    let mut results: Vec<Option<Parsed>> = (0..files.len()).map(|_| None).collect();
    for (i, result) in done {
        if let Some(slot) = results.get_mut(i) {
            *slot = result;
        }
    }
    results
}

/// Parses one file as read (`None` when it has no text), saying where its bytes stop
/// being UTF-8 when they do.
fn parse_source(file: &SourceFile) -> Option<Parsed> {
    let text = file.text.as_deref()?;
    if let Some(offset) = file.not_utf8_at {
        let (line, col) = LineIndex::new(text).line_col(offset.min(text.len()));
        return Some(Err((
            line,
            col,
            "the file is not UTF-8 text (invalid byte here)".to_owned(),
        )));
    }
    Some(parse_map_file(text).map(|map_file| ParsedPart::new(Map::from(map_file), text)))
}

/// Parses one file's text into its raw shape, or says where and why it cannot.
pub(crate) fn parse_map_file(text: &str) -> Result<MapFile, (usize, usize, String)> {
    // Windows editors start UTF-8 files with a byte-order mark, which ron refuses: parse
    // what follows it. Positions stay right, since an editor shows no column for the mark
    // (and `LineIndex` skips it likewise); the file's text keeps it, so a save writes it back.
    let text = spans::without_bom(text);
    if let Some(offset) = text.find('\0') {
        let (line, col) = LineIndex::new(text).line_col(offset);
        return Err((
            line,
            col,
            "the file is binary, not RON text (NUL byte here)".to_owned(),
        ));
    }
    if text.trim().is_empty() {
        return Err((
            1,
            1,
            "the file is empty: a map file holds one `Map(…)`".to_owned(),
        ));
    }
    let options = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING);
    options.from_str::<MapFile>(text).map_err(|error| {
        let position = error.span.start;
        let mut message = syntax_message(&error.code);
        let offset = offset_of(text, position.line, position.col);
        let rest = text.get(offset..).unwrap_or_default();
        if rest.trim().is_empty() {
            if error.code != ron::Error::Eof {
                message.push_str(" (the file ends here: is a bracket left open?)");
            }
            return (position.line, position.col, message);
        }
        // ron may stop before the whitespace that precedes the token at fault: point at the token.
        let token = offset + (rest.len() - rest.trim_start().len());
        let (line, col) = LineIndex::new(text).line_col(token);
        (line, col, message)
    })
}

/// The byte offset of `line:col` (1-based, columns in characters), clamped to the text.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or_default();
    let within: usize = rest
        .chars()
        .take(col.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    (line_start + within).min(text.len())
}

/// ron's message, made to read as a sentence about the map file.
fn syntax_message(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => {
            format!("brackets nest more than {MAX_NESTING} levels deep; a map file needs far fewer")
        }
        ron::Error::Eof => "unexpected end of file: a bracket or string is not closed".to_owned(),
        other => other.to_string(),
    }
}

/// Appends a file's entities to the map, recording for each where in which file it is.
fn merge(draft: &mut Map, origins: &mut Origins, file: usize, mut part: Map) {
    for kind in model::EntityKind::ALL {
        origins
            .entry(kind)
            .or_default()
            .extend((0..part.count(kind)).map(|index_in_file| Origin {
                file,
                index_in_file,
            }));
    }
    draft.append(&mut part);
}

/// Logos must exist inside the map's folder and stay within the size limit.
fn asset_problems(draft: &Map, dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, node) in draft.nodes.iter().enumerate() {
        let Some(logo) = node.logo.as_deref() else {
            continue;
        };
        if model::asset_path_problem(logo).is_some() {
            continue; // the model reports malformed paths
        }
        if let Err(message) = resolve_asset(dir, logo) {
            problems.push(Problem {
                severity: Severity::Error,
                subject: Subject::Entity {
                    kind: EntityKind::Node,
                    index,
                    path: vec![model::PathSeg::Field("logo")],
                },
                message: format!("node \"{}\": {message}", node.id),
            });
        }
    }
    problems
}

/// Why an asset cannot be loaded.
#[derive(Debug)]
pub enum AssetError {
    /// The path itself is malformed (the model's message).
    Path(String),
    Folder(std::io::Error),
    Missing,
    Outside,
    Unreadable(std::io::Error),
    NotAFile,
    TooLarge(u64),
    NotAnImage(String),
    TooManyPixels(u32, u32),
}

impl AssetError {
    /// What is wrong, without the asset's name: the same words for every asset at fault
    /// in the same way.
    pub fn reason(&self) -> String {
        match self {
            AssetError::Path(problem) => problem.clone(),
            AssetError::Folder(error) => {
                format!("the map's folder cannot be read: {}", io_message(error))
            }
            AssetError::Missing => "does not exist".to_owned(),
            AssetError::Outside => "leads outside the folder".to_owned(),
            AssetError::Unreadable(error) => format!("cannot be read: {}", io_message(error)),
            AssetError::NotAFile => "is not a file".to_owned(),
            AssetError::TooLarge(bytes) => format!(
                "is too large ({bytes} bytes; logos may be at most {} MiB)",
                MAX_ASSET_BYTES / (1024 * 1024)
            ),
            AssetError::NotAnImage(error) => format!("is not a readable image: {error}"),
            AssetError::TooManyPixels(w, h) => {
                format!("is {w}×{h} pixels; logos may be at most {MAX_IMAGE_SIDE} pixels a side")
            }
        }
    }

    /// The message about `asset` in the map's folder.
    pub fn message(&self, asset: &str) -> String {
        match self {
            AssetError::Path(problem) => problem.clone(),
            AssetError::Folder(_) => self.reason(),
            AssetError::Missing => format!("logo \"{asset}\" does not exist in the map's folder"),
            AssetError::Outside => format!("logo \"{asset}\" leads outside the map's folder"),
            AssetError::TooLarge(_) => format!(
                "logo \"{asset}\" is larger than {} MiB",
                MAX_ASSET_BYTES / (1024 * 1024)
            ),
            _ => format!("logo \"{asset}\" {}", self.reason()),
        }
    }
}

/// The file an asset path names, if it is safe to load: inside the map's folder (after
/// following links), a file, no larger than [`MAX_ASSET_BYTES`], and for PNG and JPEG no
/// larger than [`MAX_IMAGE_SIDE`] pixels a side. Otherwise, why not.
pub fn resolve_asset(dir: &Path, asset: &str) -> Result<PathBuf, String> {
    resolve_asset_checked(dir, asset).map_err(|error| error.message(asset))
}

/// [`resolve_asset`], saying why not as an [`AssetError`].
pub fn resolve_asset_checked(dir: &Path, asset: &str) -> Result<PathBuf, AssetError> {
    if let Some(problem) = model::asset_path_problem(asset) {
        return Err(AssetError::Path(problem));
    }
    let base = dir.canonicalize().map_err(AssetError::Folder)?;
    let path = base
        .join(asset)
        .canonicalize()
        .map_err(|_| AssetError::Missing)?;
    if !path.starts_with(&base) {
        return Err(AssetError::Outside);
    }
    let meta = std::fs::metadata(&path).map_err(AssetError::Unreadable)?;
    if !meta.is_file() {
        return Err(AssetError::NotAFile);
    }
    if meta.len() > MAX_ASSET_BYTES {
        return Err(AssetError::TooLarge(meta.len()));
    }
    let raster = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "png" | "jpg" | "jpeg"));
    if raster {
        // Only the header is read: a huge image is refused before it is decoded.
        let (w, h) = image::image_dimensions(&path)
            .map_err(|error| AssetError::NotAnImage(error.to_string()))?;
        if w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
            return Err(AssetError::TooManyPixels(w, h));
        }
    }
    Ok(path)
}

/// Places a model problem at the file, line and column of the entity and field at fault.
fn place(
    problem: &Problem,
    files: &[SourceFile],
    parsed: &[Option<ParsedFile>],
    origins: &Origins,
    meta_file: Option<usize>,
) -> Diagnostic {
    let (file_index, path) = match &problem.subject {
        Subject::Entity { kind, index, path } => {
            let origin = origins.get(kind).and_then(|list| list.get(*index)).copied();
            match origin {
                Some(origin) => {
                    let mut full = vec![
                        model::PathSeg::Field(kind.list_name()),
                        model::PathSeg::Item(origin.index_in_file),
                    ];
                    full.extend(path.iter().copied());
                    (origin.file, full)
                }
                None => (0, Vec::new()),
            }
        }
        Subject::Map => (meta_file.unwrap_or(0), vec![model::PathSeg::Field("as_of")]),
    };
    let file = files.get(file_index);
    let parsed_file = parsed.get(file_index).and_then(Option::as_ref);
    let offset = parsed_file
        .and_then(ParsedFile::spans)
        .map_or(0, |root| root.locate(&path));
    let (line, col) = parsed_file.map_or((1, 1), |p| p.lines().line_col(offset));
    Diagnostic {
        severity: problem.severity,
        file: file.map(|f| f.path.clone()).unwrap_or_default(),
        line,
        col,
        message: problem.message.clone(),
    }
}
