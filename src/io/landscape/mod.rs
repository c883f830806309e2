//! A map from a landscape file: the `landscape.yml` of cncf/landscape2 (and of the
//! landscapes built with it). Its categories become tiers (in file order, or the order
//! asked for), subcategories segments, items nodes. Items of one organisation (the same
//! Crunchbase URL) share `organisation`; a project's maturity becomes a tag; the
//! integrations and parent project named in `extra` become links when they name another
//! item; SVG logos found beside the file in `hosted_logos/` are copied into the map's
//! folder.
//!
//! What the map's format has no place for (repositories, social links, a second path into
//! another category, unknown fields) is counted and listed once, never dropped silently.
//! Problems of the file are placed at its line and column; an item at fault is left out
//! and the others still import. The file is read within the limits of map files (size,
//! nesting, see [`super::yaml`]).
//!
//! Reading and meaning are apart: [`raw`] reads the YAML tree into the file's own shape
//! (categories, subcategories, items and the fields of each, every value with its place,
//! an entry that breaks the shape kept as its problem); this module decides what that
//! shape is in a map (ids, tiers, segments, nodes, tags, links, what is left out).

pub mod raw;

use super::Diagnostic;
use super::folder::{Asset, NewFile, split_by_tier};
use super::yaml::{self, Key};
use crate::model::{Link, LinkKind, Map, MapMeta, Node, NodeKind, Segment, Severity, Tier};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Why nothing could be imported.
#[derive(Debug, thiserror::Error)]
pub enum LandscapeError {
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{}: the file is {size} bytes; landscape files may be at most {} MiB ({} bytes)",
        .path.display(),
        super::MAX_FILE_BYTES / (1024 * 1024),
        super::MAX_FILE_BYTES
    )]
    TooLarge { path: PathBuf, size: u64 },
    /// The file is not YAML, or not a landscape: where and why.
    #[error("{0}")]
    Malformed(Diagnostic),
    #[error(
        "{}: its integrations and parent projects ask for {links} links into the tier \"{tier}\", whose file would be larger than map files may be ({} MiB, {} bytes, the most the loader reads): nothing was written",
        .path.display(),
        super::MAX_FILE_BYTES / (1024 * 1024),
        super::MAX_FILE_BYTES
    )]
    TooManyLinks {
        path: PathBuf,
        tier: String,
        links: usize,
    },
    #[error("--tiers names \"{0}\", which is no category of the landscape (categories: {1})")]
    UnknownTier(String, String),
    #[error("--tiers names the category \"{1}\" twice (as \"{0}\"); name each tier once")]
    RepeatedTier(String, String),
}

/// A landscape made into a map: the files to write, the logos to copy, the problems of the
/// file, and what could not be carried over.
#[derive(Debug, Default)]
pub struct Imported {
    pub map: Map,
    pub files: Vec<NewFile>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// One line for each kind of thing left out, with how many and an example.
    pub left_out: Vec<String>,
}

/// Where the logos of a landscape are, beside its file.
const LOGO_FOLDERS: [&str; 2] = ["hosted_logos", "hosted-logos"];
/// Where the copied logos go in the map's folder.
const MAP_LOGO_FOLDER: &str = "logos";

/// Reads the landscape at `path` into a map; `tier_order` (category names or tier ids)
/// puts those tiers first, bottom to top, the rest after in file order.
pub fn import(path: &Path, tier_order: &[String]) -> Result<Imported, LandscapeError> {
    let text = read(path)?;
    let root = yaml::parse(&text).map_err(|e| {
        LandscapeError::Malformed(Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line: e.line,
            col: e.col,
            message: format!("not a readable YAML file: {}", e.message),
        })
    })?;
    drop(text);
    // The tree is consumed into the raw shape (its texts moved, not copied), and the raw
    // shape into the map: what follows needs only what the importer took from it.
    let landscape = raw::Landscape::try_from(root).map_err(|problem| {
        LandscapeError::Malformed(Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line: problem.line,
            col: problem.col,
            message: problem.message,
        })
    })?;
    let mut importer = Importer::new(path);
    importer.landscape(landscape);
    importer.resolve()?;
    importer.order_tiers(tier_order)?;
    Ok(importer.finish())
}

fn read(path: &Path) -> Result<String, LandscapeError> {
    let io_error = |error| LandscapeError::Io {
        path: path.to_path_buf(),
        error,
    };
    let too_large = |size: u64| LandscapeError::TooLarge {
        path: path.to_path_buf(),
        size,
    };
    let bytes = match super::read_capped(path).map_err(io_error)? {
        super::Capped::Read(bytes) => bytes,
        super::Capped::TooLarge(size) => return Err(too_large(size)),
    };
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.into_bytes();
        let before = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
        let (line, col) = super::spans::LineIndex::new(&before).line_col(before.len());
        LandscapeError::Malformed(Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line,
            col,
            message: "the file is not UTF-8 text (invalid byte here)".to_owned(),
        })
    })
}

/// A short kebab-case id from a name: lowercase ASCII letters and digits, words joined by
/// `-` ("Amazon EKS" → "amazon-eks", "C++/CLI" → "c-cli").
pub fn kebab(name: &str) -> String {
    let mut id = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    // Ids stay short: cut at a word boundary.
    if id.len() > 48 {
        let cut = id.get(..48).and_then(|s| s.rfind('-')).unwrap_or(48);
        id.truncate(cut);
    }
    id
}

/// What an item names that can be made into segments and links only once every item is
/// known: its second paths, integrations and parent project.
struct Unresolved {
    /// The item's node and its category, by index.
    node: usize,
    category: usize,
    line: usize,
    second_paths: Vec<raw::Located<String>>,
    integrations: Vec<String>,
    parent: Option<String>,
}

/// What was left out, by kind: how many, and the first example.
#[derive(Default)]
struct LeftOut {
    counts: BTreeMap<String, (usize, String)>,
}

impl LeftOut {
    fn add(&mut self, what: String, example: impl FnOnce() -> String) {
        self.counts
            .entry(what)
            .and_modify(|(n, _)| *n += 1)
            .or_insert_with(|| (1, example()));
    }

    fn lines(&self) -> Vec<String> {
        self.counts
            .iter()
            .map(|(what, (n, example))| {
                let times = if *n == 1 {
                    "1 item".to_owned()
                } else {
                    format!("{n} items")
                };
                format!("{what} ({times}; first: {example})")
            })
            .collect()
    }
}

/// Names given out once each (ids, organisation keys, logo paths). For each base of a
/// numbered name the number to try next is kept, so that a thousand names alike cost no
/// more to give than one each.
#[derive(Default)]
struct Names {
    taken: BTreeSet<String>,
    next_number: BTreeMap<String, usize>,
}

impl Names {
    /// Takes `name` when no one has it yet; whether it did.
    fn take(&mut self, name: &str) -> bool {
        !self.taken.contains(name) && self.taken.insert(name.to_owned())
    }

    /// The first free `numbered(n)` of `base`, from `start` (or the number after the
    /// last one given of the base).
    fn numbered(&mut self, base: &str, start: usize, numbered: impl Fn(usize) -> String) -> String {
        let mut n = self.next_number.get(base).copied().unwrap_or(start);
        loop {
            let name = numbered(n);
            n += 1;
            if self.taken.insert(name.clone()) {
                self.next_number.insert(base.to_owned(), n);
                return name;
            }
        }
    }

    /// `name` when free, else the first free `numbered(n)` of `base` from 2.
    fn claim(&mut self, name: String, base: &str, numbered: impl Fn(usize) -> String) -> String {
        if self.take(&name) {
            name
        } else {
            self.numbered(base, 2, numbered)
        }
    }
}

struct Importer<'a> {
    path: &'a Path,
    file_name: String,
    map: Map,
    /// Every id given so far, across kinds.
    ids: Names,
    /// Each tier's category name and line, by tier index.
    categories: Vec<(String, usize)>,
    /// Each segment's subcategory line, by segment id.
    segment_lines: BTreeMap<String, usize>,
    /// (category index, subcategory name in lowercase) → segment id.
    segment_by_name: BTreeMap<(usize, String), String>,
    /// Each node's line, by node id.
    node_lines: BTreeMap<String, usize>,
    items: Vec<Unresolved>,
    organisations: BTreeMap<String, String>,
    /// The organisation keys given.
    organisation_keys: Names,
    logos: BTreeMap<PathBuf, String>,
    /// The folders logos are copied from, once looked at.
    logo_dirs: Option<Vec<PathBuf>>,
    /// The map paths the logos were given.
    logo_paths: Names,
    diagnostics: Vec<Diagnostic>,
    left_out: LeftOut,
}

impl<'a> Importer<'a> {
    fn new(path: &'a Path) -> Self {
        Importer {
            path,
            // Places in comments and messages name the file alone, so that the map written
            // is the same wherever the landscape was read from.
            file_name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            map: Map::default(),
            ids: Names::default(),
            categories: Vec::new(),
            segment_lines: BTreeMap::new(),
            segment_by_name: BTreeMap::new(),
            node_lines: BTreeMap::new(),
            items: Vec::new(),
            organisations: BTreeMap::new(),
            organisation_keys: Names::default(),
            logos: BTreeMap::new(),
            logo_dirs: None,
            logo_paths: Names::default(),
            diagnostics: Vec::new(),
            left_out: LeftOut::default(),
        }
    }

    /// Reports a problem of the file's shape, in file order with the others.
    fn problem(&mut self, problem: raw::Problem) {
        self.error_at(problem.line, problem.col, problem.message);
    }

    fn error_at(&mut self, line: usize, col: usize, message: String) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            file: self.path.to_path_buf(),
            line,
            col,
            message,
        });
    }

    fn place(&self, line: usize) -> String {
        format!("{}:{line}", self.file_name)
    }

    fn key_place(&self, key: &Key) -> String {
        format!("{}:{}:{}", self.file_name, key.line, key.col)
    }

    /// A unique id from `bases`, tried in order, then the first with a number (`fallback`
    /// when no base has a letter a kebab-case id can keep, as in a name in Chinese). The
    /// numbers go on from the last one given for that base, so that 16,000 items of one
    /// name cost no more than 16,000 of different names.
    fn unique(&mut self, bases: &[String], fallback: &str) -> String {
        let bases: Vec<&String> = bases.iter().filter(|b| !b.is_empty()).collect();
        for base in &bases {
            if self.ids.take(base) {
                return (*base).clone();
            }
        }
        let first = bases.first().map_or(fallback, |b| b.as_str());
        let start = if bases.is_empty() { 1 } else { 2 };
        self.ids.numbered(first, start, |n| format!("{first}-{n}"))
    }

    /// Converts each entry of a list that was read, and reports the problem of each that
    /// was not (or of the list itself), in file order.
    fn each<T>(&mut self, list: raw::List<T>, mut convert: impl FnMut(&mut Self, T)) {
        match list {
            Ok(entries) => {
                for entry in entries {
                    match entry {
                        Ok(entry) => convert(self, entry),
                        Err(problem) => self.problem(problem),
                    }
                }
            }
            Err(problem) => self.problem(problem),
        }
    }

    fn unknown_fields(&mut self, keys: &[Key], what: &str) {
        for key in keys {
            let place = self.key_place(key);
            self.left_out
                .add(format!("unknown {what} field `{}`", key.name), || place);
        }
    }

    /// The landscape's categories, in file order.
    fn landscape(&mut self, landscape: raw::Landscape) {
        for key in &landscape.other_fields {
            let place = self.key_place(key);
            self.left_out
                .add(format!("top-level field `{}`", key.name), || place);
        }
        self.each(Ok(landscape.categories), Self::category);
    }

    /// A category is a tier, its subcategories the tier's segments.
    fn category(&mut self, category: raw::Category) {
        self.unknown_fields(&category.unknown_fields, "category");
        let id = self.unique(&[kebab(&category.name)], "tier");
        let tier_index = self.map.tiers.len();
        self.categories.push((category.name.clone(), category.line));
        self.map.tiers.push(Tier::new(id.clone(), category.name));
        self.each(category.members, |importer, subcategory| {
            importer.subcategory(subcategory, tier_index, &id);
        });
    }

    /// A subcategory is a segment of its category's tier, its items the segment's nodes.
    fn subcategory(&mut self, subcategory: raw::Subcategory, category: usize, tier: &str) {
        self.unknown_fields(&subcategory.unknown_fields, "subcategory");
        let own = kebab(&subcategory.name);
        let bases = if own.is_empty() {
            Vec::new()
        } else {
            vec![own.clone(), format!("{tier}-{own}")]
        };
        let segment = self.unique(&bases, &format!("{tier}-segment"));
        self.segment_lines.insert(segment.clone(), subcategory.line);
        self.segment_by_name
            .insert((category, subcategory.name.to_lowercase()), segment.clone());
        self.map
            .segments
            .push(Segment::new(segment.clone(), tier, subcategory.name));
        self.each(subcategory.members, |importer, item| {
            importer.item(item, category, tier, &segment);
        });
    }

    /// An item is a node of its subcategory's segment; what it names is kept to be
    /// resolved once every item is known.
    fn item(&mut self, item: raw::Item, category: usize, tier: &str, segment: &str) {
        let own = kebab(&item.name);
        let bases = if own.is_empty() {
            Vec::new()
        } else {
            vec![own.clone(), format!("{own}-{segment}")]
        };
        let id = self.unique(&bases, "node");
        let place = self.place(item.line);
        self.item_left_out(&item, &place);
        // Members and end users are organisations; everything else a landscape lists is
        // a product or project.
        let kind = if item.joined || item.enduser {
            NodeKind::Company
        } else {
            NodeKind::Product
        };
        let mut node = Node::new(id.clone(), item.name, kind, tier);
        node.segments = vec![segment.to_owned()];
        node.description = item.description;
        node.url = item.homepage_url.and_then(|url| self.homepage(url, &place));
        node.organisation = item.crunchbase.map(|url| self.organisation(&url));
        node.tags = tags(item.project.as_deref(), &item.extra.tags);
        node.logo = item
            .logo
            .and_then(|logo| self.logo(&logo.value, &place, (logo.line, logo.col)));
        self.node_lines.insert(id, item.line);
        self.items.push(Unresolved {
            node: self.map.nodes.len(),
            category,
            line: item.line,
            second_paths: item.second_path,
            integrations: item.extra.integrations,
            parent: item.extra.parent_project,
        });
        self.map.nodes.push(node);
    }

    /// An item's fields that the map has no place for, and those the format does not
    /// have.
    fn item_left_out(&mut self, item: &raw::Item, place: &str) {
        let example = || format!("\"{}\" at {place}", item.name);
        for field in &item.unread_fields {
            self.left_out.add(
                format!("item field `{field}`: the map has no place for it"),
                example,
            );
        }
        for field in &item.extra.unread_fields {
            self.left_out.add(
                format!("`extra` field `{field}`: the map has no place for it"),
                example,
            );
        }
        self.unknown_fields(&item.unknown_fields, "item");
    }

    /// A homepage the map can keep: an http(s) address.
    fn homepage(&mut self, url: String, place: &str) -> Option<String> {
        if crate::model::url_problem(&url).is_none() {
            return Some(url);
        }
        self.left_out.add(
            "`homepage_url` that is not an http(s) address".to_owned(),
            || format!("{url:?} at {place}"),
        );
        None
    }

    /// The organisation key of a Crunchbase URL: the same URL, the same key.
    fn organisation(&mut self, url: &str) -> String {
        if let Some(key) = self.organisations.get(url) {
            return key.clone();
        }
        let last = url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        // A URL whose last part makes no id (`…/organization/@@`) still makes a key, and a
        // second such URL the next number of it ("organisation-2", never "-2").
        let mut base = kebab(last);
        if base.is_empty() {
            base = "organisation".to_owned();
        }
        let key = self
            .organisation_keys
            .claim(base.clone(), &base, |n| format!("{base}-{n}"));
        self.organisations.insert(url.to_owned(), key.clone());
        key
    }

    /// The folders beside the file that logos are copied from, looked at once: a folder
    /// that is a link to somewhere outside the landscape's folder is refused (an error at
    /// the first logo asked for), as a logo file that is such a link is.
    fn logo_folders(&mut self, at: (usize, usize)) -> Vec<PathBuf> {
        if let Some(dirs) = &self.logo_dirs {
            return dirs.clone();
        }
        let base = self.path.parent().unwrap_or(Path::new("."));
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let real_base = base.canonicalize().ok();
        let mut dirs = Vec::new();
        for folder in LOGO_FOLDERS {
            let dir = base.join(folder);
            let Ok(real) = dir.canonicalize() else {
                continue;
            };
            if real_base.as_ref().is_some_and(|b| real.starts_with(b)) {
                dirs.push(dir);
            } else {
                self.error_at(
                    at.0,
                    at.1,
                    format!(
                        "{folder}/ beside the file leads outside the landscape's folder (to {}): no logo is copied from it",
                        real.display()
                    ),
                );
            }
        }
        self.logo_dirs = Some(dirs.clone());
        dirs
    }

    /// The map's path of an item's logo, copied from `hosted_logos/` beside the file, if
    /// it is there, inside that folder, and small enough.
    fn logo(&mut self, logo: &str, place: &str, at: (usize, usize)) -> Option<String> {
        let dirs = self.logo_folders(at);
        let mut refused = None;
        let mut found = None;
        for dir in dirs {
            match super::resolve_asset_checked(&dir, logo) {
                Ok(path) => {
                    found = Some(path);
                    break;
                }
                Err(super::AssetError::Missing) => {}
                Err(error) => refused = refused.or(Some(error)),
            }
        }
        let Some(from) = found else {
            let what = match refused {
                // A logo that is there but cannot be used says why, not that it is missing.
                Some(error) => format!("logo in hosted_logos/ that {}", error.reason()),
                None => {
                    "logo not found (as an SVG, PNG or JPEG image) in hosted_logos/ beside the file"
                        .to_owned()
                }
            };
            self.left_out.add(what, || format!("{logo:?} at {place}"));
            return None;
        };
        if let Some(to) = self.logos.get(&from) {
            return Some(to.clone());
        }
        let file = from
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let clean: String = file
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let to = self
            .logo_paths
            .claim(format!("{MAP_LOGO_FOLDER}/{clean}"), &clean, |n| {
                format!("{MAP_LOGO_FOLDER}/{n}-{clean}")
            });
        self.logos.insert(from, to.clone());
        Some(to)
    }

    /// Second paths, integrations and parent projects, once every item is known.
    fn resolve(&mut self) -> Result<(), LandscapeError> {
        let by_name: BTreeMap<String, usize> = self
            .map
            .nodes
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| (n.name.to_lowercase(), i))
            .collect();
        let items = std::mem::take(&mut self.items);
        let mut links: BTreeSet<(usize, usize, LinkKind)> = BTreeSet::new();
        let mut new_links = Vec::new();
        for item in &items {
            let name = self
                .map
                .nodes
                .get(item.node)
                .map(|n| n.name.clone())
                .unwrap_or_default();
            let place = self.place(item.line);
            for second in &item.second_paths {
                let (path, line, col) = (&second.value, second.line, second.col);
                let (category, subcategory) = raw::category_and_subcategory(path);
                let same = self
                    .categories
                    .get(item.category)
                    .is_some_and(|(c, _)| c.eq_ignore_ascii_case(category));
                let segment = self
                    .segment_by_name
                    .get(&(item.category, subcategory.to_lowercase()))
                    .cloned();
                match (same, segment) {
                    (true, Some(segment)) => {
                        if let Some(node) = self.map.nodes.get_mut(item.node)
                            && !node.segments.contains(&segment)
                        {
                            node.segments.push(segment);
                        }
                    }
                    (same, None) => {
                        let at = format!("{}:{line}:{col}", self.file_name);
                        let what = if same {
                            "`second_path` to a subcategory its category does not have"
                        } else {
                            "`second_path` into another category (a node has one tier)"
                        };
                        self.left_out.add(what.to_owned(), || {
                            format!("\"{name}\" → \"{path}\" at {at}")
                        });
                    }
                    (false, Some(_)) => {
                        let at = format!("{}:{line}:{col}", self.file_name);
                        self.left_out.add(
                            "`second_path` into another category (a node has one tier)".to_owned(),
                            || format!("\"{name}\" → \"{path}\" at {at}"),
                        );
                    }
                }
            }
            let named = item
                .integrations
                .iter()
                .map(|n| (n, LinkKind::Integrates))
                .chain(item.parent.iter().map(|p| (p, LinkKind::Owns)));
            for (other, kind) in named {
                match by_name.get(&other.to_lowercase()) {
                    Some(&from) if from != item.node => {
                        if links.insert((from, item.node, kind)) {
                            new_links.push((from, item.node, kind));
                        }
                    }
                    Some(_) => {}
                    None => self.left_out.add(
                        "`extra` integration or parent project that names no item".to_owned(),
                        || format!("\"{name}\" names \"{other}\" at {place}"),
                    ),
                }
            }
        }
        self.items = items;
        self.refuse_oversized_links(&new_links)?;
        for (from, to, kind) in new_links {
            let (Some(f), Some(t)) = (self.map.nodes.get(from), self.map.nodes.get(to)) else {
                continue;
            };
            let (from_id, to_id) = (f.id.clone(), t.id.clone());
            let verb = match kind {
                LinkKind::Owns => "parent-of",
                _ => "integrates",
            };
            let id = self.unique(&[format!("{from_id}-{verb}-{to_id}")], "link");
            let label = match kind {
                LinkKind::Owns => "parent project",
                _ => "integration",
            };
            self.map.links.push(Link {
                label: Some(label.to_owned()),
                ..Link::new(id, from_id, to_id, kind)
            });
        }
        Ok(())
    }

    /// Refuses links that would make a tier's file larger than the loader reads, before
    /// they are made: a few kilobytes of names can ask for hundreds of thousands of links.
    /// Each link is counted at the least it takes in its file (its ids, label and
    /// punctuation), so that a map refused here could never have been written.
    fn refuse_oversized_links(
        &self,
        links: &[(usize, usize, LinkKind)],
    ) -> Result<(), LandscapeError> {
        // `Link(id: "F-integrates-T", from: "F", to: "T", kind: Integrates, label: "integration")`
        // one field a line, at least this much besides the ids.
        const LINK_BYTES: usize = 120;
        let mut bytes: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for &(from, to, _) in links {
            let (Some(f), Some(t)) = (self.map.nodes.get(from), self.map.nodes.get(to)) else {
                continue;
            };
            let (total, count) = bytes.entry(t.tier.as_str()).or_default();
            *total += LINK_BYTES + 2 * (f.id.len() + t.id.len());
            *count += 1;
            if *total as u64 > super::MAX_FILE_BYTES {
                let ends_here = links
                    .iter()
                    .filter(|&&(_, to, _)| self.map.nodes.get(to).is_some_and(|n| n.tier == t.tier))
                    .count();
                return Err(LandscapeError::TooManyLinks {
                    path: self.path.to_path_buf(),
                    tier: t.tier.clone(),
                    links: ends_here,
                });
            }
        }
        Ok(())
    }

    fn order_tiers(&mut self, order: &[String]) -> Result<(), LandscapeError> {
        if order.is_empty() {
            return Ok(());
        }
        let mut tiers: Vec<(Tier, (String, usize))> = std::mem::take(&mut self.map.tiers)
            .into_iter()
            .zip(std::mem::take(&mut self.categories))
            .collect();
        let mut ordered: Vec<(Tier, (String, usize))> = Vec::with_capacity(tiers.len());
        for wanted in order {
            let wanted = wanted.trim();
            let matches = |tier: &Tier| tier.id == wanted || tier.name.eq_ignore_ascii_case(wanted);
            if let Some((tier, _)) = ordered.iter().find(|(tier, _)| matches(tier)) {
                return Err(LandscapeError::RepeatedTier(
                    wanted.to_owned(),
                    tier.name.clone(),
                ));
            }
            match tiers.iter().position(|(tier, _)| matches(tier)) {
                Some(i) => ordered.push(tiers.remove(i)),
                None => {
                    let all: Vec<&str> = ordered
                        .iter()
                        .chain(&tiers)
                        .map(|(t, _)| t.name.as_str())
                        .collect();
                    return Err(LandscapeError::UnknownTier(
                        wanted.to_owned(),
                        some_of(&all),
                    ));
                }
            }
        }
        ordered.extend(tiers);
        let (tiers, categories) = ordered.into_iter().unzip();
        self.map.tiers = tiers;
        self.categories = categories;
        Ok(())
    }

    /// The comment above each tier, segment and node: where in the file it came from.
    fn notes(&self) -> BTreeMap<String, Vec<String>> {
        let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, line) in &self.segment_lines {
            notes.insert(
                id.clone(),
                vec![format!("Subcategory at {}", self.place(*line))],
            );
        }
        for (id, line) in &self.node_lines {
            notes.insert(id.clone(), vec![format!("Item at {}", self.place(*line))]);
        }
        for (tier, (name, line)) in self.map.tiers.iter().zip(&self.categories) {
            notes.insert(
                tier.id.clone(),
                vec![format!("Category \"{name}\" at {}", self.place(*line))],
            );
        }
        notes
    }

    fn finish(mut self) -> Imported {
        let source_name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let folder = self.path.canonicalize().ok().and_then(|p| {
            p.parent()
                .and_then(|d| d.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        });
        let title = match (source_name.as_str(), folder) {
            ("landscape.yml" | "landscape.yaml", Some(folder)) => format!("{folder} landscape"),
            _ => self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Landscape".to_owned()),
        };
        self.map.meta = MapMeta {
            title: Some(title),
            title_zh: None,
            description: Some(format!(
                "Imported from the landscape file {source_name}: its categories are the tiers, its subcategories the segments, its items the nodes."
            )),
            description_zh: None,
            as_of: None,
        };
        let left_out = self.left_out.lines();
        let mut files = split_by_tier(&self.map);
        let notes = self.notes();
        let categories: BTreeMap<&str, &(String, usize)> = self
            .map
            .tiers
            .iter()
            .map(|t| t.id.as_str())
            .zip(&self.categories)
            .collect();
        for file in &mut files {
            let mut header = vec![format!(
                "Imported by `chainmap import landscape` from {}.",
                self.path.display()
            )];
            if file.name == "map.ron" {
                header.push(
                    "Categories became tiers (bottom to top in this order), subcategories segments, items nodes; items with one Crunchbase URL share `organisation`."
                        .to_owned(),
                );
                if !left_out.is_empty() {
                    header.push(String::new());
                    header.push("Not carried over:".to_owned());
                    header.extend(left_out.iter().map(|l| format!("  - {l}")));
                }
            } else if let [tier] = file.tiers.as_slice()
                && let Some((name, line)) = categories.get(tier.as_str())
            {
                header.push(format!(
                    "Tier \"{tier}\": the category \"{name}\" at {}, its subcategories and items.",
                    self.place(*line)
                ));
            } else if let (Some(first), Some(last)) = (file.tiers.first(), file.tiers.last()) {
                header.push(format!(
                    "Tiers \"{first}\" to \"{last}\": {} categories in a row (a landscape of this many writes several a file), their subcategories and items.",
                    file.tiers.len()
                ));
            }
            header.push(
                "`maps/reference.ron` in chainmap's repository documents every field.".to_owned(),
            );
            file.header = header;
            // Each file carries the notes of its own entities only: a landscape of 4,000
            // categories writes 4,000 files.
            let c = &file.content;
            let ids = c
                .tiers
                .iter()
                .map(|t| &t.id)
                .chain(c.segments.iter().map(|s| &s.id))
                .chain(c.nodes.iter().map(|n| &n.id));
            file.notes = ids
                .filter_map(|id| Some((id.clone(), notes.get(id)?.clone())))
                .collect();
        }
        let assets = self
            .logos
            .iter()
            .map(|(from, to)| Asset {
                from: from.clone(),
                to: to.clone(),
            })
            .collect();
        Imported {
            map: self.map,
            files,
            assets,
            diagnostics: self.diagnostics,
            left_out,
        }
    }
}

/// The first names of a list for a message, and how many more there are.
fn some_of(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    let shown = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// A node's tags: the project's maturity, then the tags of `extra` in file order (those
/// of `tag` as `tag-…`, apart from the summary's), each once in kebab-case.
fn tags(project: Option<&str>, extra: &[raw::ExtraTag]) -> Vec<String> {
    let mut tags = Vec::new();
    if let Some(project) = project {
        push_tag(&mut tags, project);
    }
    for tag in extra {
        match tag {
            raw::ExtraTag::Summary(tag) => push_tag(&mut tags, tag),
            raw::ExtraTag::Tag(tag) => push_tag(&mut tags, &format!("tag-{tag}")),
        }
    }
    tags
}

/// Adds a tag in kebab-case, once.
fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = kebab(tag);
    if !tag.is_empty() && !tags.contains(&tag) {
        tags.push(tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_keys_are_one_per_url_and_never_a_bare_number() {
        let path = Path::new("landscape.yml");
        let mut importer = Importer::new(path);
        let keys: Vec<String> = [
            "https://www.crunchbase.com/organization/cncf",
            "https://www.crunchbase.com/organization/@@",
            "https://www.crunchbase.com/organization/cncf",
            "https://www.crunchbase.com/organization/--",
            "https://www.crunchbase.com/organization/cncf/",
            "https://other.example/cncf",
        ]
        .iter()
        .map(|url| importer.organisation(url))
        .collect();
        assert_eq!(
            keys,
            [
                "cncf",
                "organisation",
                "cncf",
                "organisation-2",
                "cncf-2",
                "cncf-3"
            ]
        );
    }

    #[test]
    fn ids_are_kebab_case_from_names() {
        assert_eq!(kebab("Amazon EKS"), "amazon-eks");
        assert_eq!(kebab("  C++/CLI (beta) "), "c-cli-beta");
        assert_eq!(kebab("日本"), "");
        assert!(crate::model::is_kebab_case(&kebab("A--B__c")));
    }

    #[test]
    fn tags_are_the_maturity_then_those_of_extra_in_file_order_each_once() {
        use raw::ExtraTag::{Summary, Tag};
        let extra = [
            Tag("App Delivery".into()),
            Summary("graduated".into()),
            Summary("Edge".into()),
            Tag("app delivery".into()),
        ];
        assert_eq!(
            tags(Some("Graduated"), &extra),
            ["graduated", "tag-app-delivery", "edge"]
        );
    }
}
