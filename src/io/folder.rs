//! Writing a new map as a folder shaped like the bundled one: `map.ron` (settings,
//! sources, tiers, markets), one file per tier (its segments, its nodes and the links that
//! end in it), `theses.ron`, `figures.ron` and `case-studies.ron`, each file opening with
//! comments that say where its contents came from. `new`, `import landscape` and
//! `import csv` all write through here.
//!
//! A new map never replaces anything: a folder that already holds a map, any file the
//! new map would write, a file larger than the loader reads, a name that would leave the
//! folder or a folder inside it that is a link are refused before a byte is written, and
//! the files are written all or nothing ([`super::batch`]). Editing an existing map is
//! [`super::save`]'s business, not this module's.

use super::batch::{BatchError, Contents, Mode, Planned, write_batch};
use super::raw::MapFile;
use super::write::{pretty_ron, settings_file, tier_files};
use crate::model::{Entity, EntityKind, Map, Precisions, format_decimals};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Why a new map could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error(
        "{}: the folder already holds a map; choose an empty or new folder",
        .0.display()
    )]
    HoldsMap(PathBuf),
    #[error("{}: the file already exists; choose an empty or new folder", .0.display())]
    Exists(PathBuf),
    #[error("cannot write {name} as RON: {error}")]
    Ron { name: String, error: ron::Error },
    #[error(
        "{name} would be larger than map files may be ({} MiB, {} bytes, the most the loader reads): nothing was written",
        super::MAX_FILE_BYTES / (1024 * 1024),
        super::MAX_FILE_BYTES
    )]
    TooLarge { name: String },
    #[error(transparent)]
    Batch(BatchError),
}

/// One file of a new map: its name in the folder, the comment lines it opens with, its
/// contents, and comment lines to put above some entities (by id).
#[derive(Clone, Debug, Default)]
pub struct NewFile {
    pub name: String,
    /// The tiers whose file this is, for a tier's file: one, or on a map of many tiers a
    /// run of neighbours (see [`TIER_FILES_MAX`]).
    pub tiers: Vec<String>,
    pub header: Vec<String>,
    pub content: MapFile,
    pub notes: BTreeMap<String, Vec<String>>,
    /// How the figures' numbers were written (`80.0`), kept in the file.
    pub precisions: Precisions,
}

/// An asset to copy into the new map's folder: where it is now, and its path in the map.
#[derive(Clone, Debug)]
pub struct Asset {
    pub from: PathBuf,
    pub to: String,
}

/// At most this many tier files: a map of more tiers (a landscape of thousands of one-item
/// categories) puts runs of neighbouring tiers in one file, named by its first. Thousands
/// of files would cost more to write and to load than their content (creating a file costs
/// about half a millisecond on a disk), and no editor works on them one by one.
pub const TIER_FILES_MAX: usize = 64;

/// A map split into the files of a folder map, without headers: `map.ron` with the
/// settings, sources, tiers and markets (so that the tiers keep their order whatever the
/// file names), `NN-TIER.ron` for each tier with what lies in it (for each run of tiers
/// beyond [`TIER_FILES_MAX`]), then `theses.ron`,
/// `figures.ron` and `case-studies.ron` where the map has any. Links go with the tier of
/// the node they end at; files left empty are left out.
pub fn split_by_tier(map: &Map) -> Vec<NewFile> {
    let mut files = vec![NewFile {
        name: "map.ron".to_owned(),
        content: settings_file(map),
        ..NewFile::default()
    }];
    let width = map.tiers.len().to_string().len().max(2);
    let per_file = map.tiers.len().div_ceil(TIER_FILES_MAX).max(1);
    for ((rank, tier), content) in map.tiers.iter().enumerate().zip(tier_files(map)) {
        if rank % per_file == 0 {
            files.push(NewFile {
                name: format!("{:0width$}-{}.ron", rank + 1, tier.id),
                content,
                tiers: vec![tier.id.clone()],
                ..NewFile::default()
            });
        } else if let Some(file) = files.last_mut() {
            file.tiers.push(tier.id.clone());
            file.content.segments.extend(content.segments);
            file.content.nodes.extend(content.nodes);
            file.content.links.extend(content.links);
        }
    }
    // Nodes and segments in no tier, and links whose end is in none (a broken draft),
    // still go somewhere.
    let tier_ids: BTreeSet<&str> = map.tiers.iter().map(|t| t.id.as_str()).collect();
    let placed_nodes: BTreeSet<&str> = map
        .nodes
        .iter()
        .filter(|n| tier_ids.contains(n.tier.as_str()))
        .map(|n| n.id.as_str())
        .collect();
    if let Some(first) = files.first_mut() {
        let in_no_tier = |tier: &str| !tier_ids.contains(tier);
        first.content.links = cloned_where(&map.links, |l| !placed_nodes.contains(l.to.as_str()));
        first.content.nodes = cloned_where(&map.nodes, |n| in_no_tier(&n.tier));
        first.content.segments = cloned_where(&map.segments, |s| in_no_tier(&s.tier));
    }
    for (name, content) in [
        (
            "theses.ron",
            MapFile {
                theses: map.theses.clone(),
                ..MapFile::default()
            },
        ),
        (
            "figures.ron",
            MapFile {
                figures: map.figures.clone(),
                ..MapFile::default()
            },
        ),
        (
            "case-studies.ron",
            MapFile {
                case_studies: map.case_studies.clone(),
                ..MapFile::default()
            },
        ),
    ] {
        if content != MapFile::default() {
            files.push(NewFile {
                name: name.to_owned(),
                content,
                ..NewFile::default()
            });
        }
    }
    files
}

/// Copies of the `items` that `keep` holds to.
fn cloned_where<T: Clone>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<T> {
    items.iter().filter(|item| keep(item)).cloned().collect()
}

/// The text of a new file: its header comments, then `Map(…)` with one field a line,
/// each entity in the format's style with its notes as comments above it.
pub fn compose(file: &NewFile) -> Result<String, FolderError> {
    let ron_error = |error| FolderError::Ron {
        name: file.name.clone(),
        error,
    };
    let mut text = String::new();
    for line in &file.header {
        push_comment(&mut text, "", line);
    }
    text.push_str("Map(\n");
    let c = &file.content;
    let meta = [
        ("title", &c.title),
        ("title_zh", &c.title_zh),
        ("description", &c.description),
        ("description_zh", &c.description_zh),
    ];
    for (field, value) in meta {
        if let Some(value) = value {
            text.push_str(&format!(
                "    {field}: {},\n",
                pretty_ron(value).map_err(ron_error)?
            ));
        }
    }
    if let Some(as_of) = &c.as_of {
        text.push_str(&format!(
            "    as_of: {},\n",
            pretty_ron(as_of).map_err(ron_error)?
        ));
    }
    // Kind by kind in `EntityKind::ALL`'s order, which is the format's: sources first,
    // then what refers to them.
    let mut lists = Map::from(c.clone());
    let lists = EntityKind::ALL.map(|kind| (kind.list_name(), lists.take_entities(kind)));
    for (name, entities) in lists {
        if entities.is_empty() {
            continue;
        }
        text.push_str(&format!("    {name}: [\n"));
        for entity in &entities {
            if let Some(notes) = file.notes.get(entity.id()) {
                for line in notes {
                    push_comment(&mut text, "        ", line);
                }
            }
            let ron = super::write::entity_ron(entity).map_err(ron_error)?;
            let precision = match entity {
                Entity::Figure(figure) => file.precisions.get(&figure.id).map(|p| (figure, p)),
                _ => None,
            };
            for line in ron.lines() {
                text.push_str("        ");
                match precision.and_then(|(figure, p)| precise_number(line, figure, p)) {
                    Some(precise) => text.push_str(&precise),
                    None => text.push_str(&whole_numbers(line)),
                }
                text.push('\n');
            }
            // The entity's closing line gets the list's comma.
            if text.ends_with('\n') {
                text.pop();
            }
            text.push_str(",\n");
            // Refused as soon as it is too large: a hostile source never makes a huge text.
            if text.len() as u64 > super::MAX_FILE_BYTES {
                return Err(FolderError::TooLarge {
                    name: file.name.clone(),
                });
            }
        }
        text.push_str("    ],\n");
    }
    text.push_str(")\n");
    if text.len() as u64 > super::MAX_FILE_BYTES {
        return Err(FolderError::TooLarge {
            name: file.name.clone(),
        });
    }
    Ok(text)
}

/// Adds `line` as a `//` comment (each of its own lines), keeping control characters out.
fn push_comment(text: &mut String, indent: &str, line: &str) {
    for part in line.split('\n') {
        let clean: String = part.chars().filter(|c| !c.is_control()).collect();
        text.push_str(indent);
        if clean.is_empty() {
            text.push_str("//\n");
        } else {
            text.push_str("// ");
            text.push_str(clean.trim_end());
            text.push('\n');
        }
    }
}

/// A figure's `low` or `high` line written with the decimals the figure was written with
/// (`low: 80.0,`); `None` for any other line.
fn precise_number(
    line: &str,
    figure: &crate::model::Figure,
    precision: &crate::model::WrittenPrecision,
) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = line.get(..line.len() - trimmed.len()).unwrap_or_default();
    let (field, value, decimals) = if trimmed.starts_with("low: ") {
        ("low", figure.low?, precision.low)
    } else if trimmed.starts_with("high: ") {
        ("high", figure.high?, precision.high)
    } else {
        return None;
    };
    let comma = if trimmed.ends_with(',') { "," } else { "" };
    Some(format!(
        "{indent}{field}: {}{comma}",
        format_decimals(value, decimals)
    ))
}

/// Whole numbers of `low`, `high` and `pin` written without a trailing `.0`, as the files
/// write them and as the editor's saves keep them: `low: 74.0` would also tell the
/// rounding rule of market shares that the share is precise to a tenth.
fn whole_numbers(line: &str) -> String {
    let trimmed = line.trim_start();
    let numeric = ["low: ", "high: ", "pin: "]
        .iter()
        .any(|field| trimmed.starts_with(field));
    if !numeric {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(".0") {
        let (before, after) = rest.split_at(at);
        let after_zero = after.get(2..).unwrap_or_default();
        let digit_before = before.bytes().last().is_some_and(|b| b.is_ascii_digit());
        let digit_after = after_zero
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit());
        out.push_str(before);
        if !digit_before || digit_after {
            out.push_str(".0");
        }
        rest = after_zero;
    }
    out.push_str(rest);
    out
}

/// Writes a new map into `dir` (created if missing): every file composed, then written
/// with the assets all or nothing (see [`super::batch`]). Refuses, before writing
/// anything, a folder that holds a map, any file of the new map already there, a file
/// larger than the loader reads ([`super::MAX_FILE_BYTES`]), a name that would leave the
/// folder and a folder inside it that is a link. Returns the paths written.
pub fn write_new_map(
    dir: &Path,
    files: Vec<NewFile>,
    assets: &[Asset],
) -> Result<Vec<PathBuf>, FolderError> {
    if super::map_files(dir).is_ok_and(|files| !files.is_empty()) && dir.is_dir() {
        return Err(FolderError::HoldsMap(dir.to_path_buf()));
    }
    // Every text is made before anything is written: a file that cannot be composed, or
    // that the loader would refuse to read, leaves no half map behind. Each file's
    // entities go once its text is made.
    let texts: Vec<(String, String)> = files
        .into_iter()
        .map(|file| {
            let text = compose(&file)?;
            Ok((file.name, text))
        })
        .collect::<Result<_, FolderError>>()?;
    let mut planned: Vec<Planned> = texts
        .iter()
        .map(|(name, text)| Planned {
            name,
            contents: Contents::Bytes(text.as_bytes()),
        })
        .collect();
    planned.extend(assets.iter().map(|asset| Planned {
        name: &asset.to,
        contents: Contents::CopyOf(&asset.from),
    }));
    write_batch(dir, &planned, Mode::New).map_err(|error| match error {
        BatchError::Exists(path) => FolderError::Exists(path),
        other => FolderError::Batch(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_lose_their_trailing_zero_only_in_numeric_fields() {
        assert_eq!(whole_numbers("    low: 74.0,"), "    low: 74,");
        assert_eq!(whole_numbers("    high: 74.05,"), "    high: 74.05,");
        assert_eq!(
            whole_numbers("    pin: (120.0, 40.5),"),
            "    pin: (120, 40.5),"
        );
        assert_eq!(whole_numbers("    name: \"v1.0\","), "    name: \"v1.0\",");
    }

    #[test]
    fn a_folder_holding_a_map_or_a_file_of_the_new_map_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = NewFile {
            name: "map.ron".into(),
            header: vec!["A test".into()],
            content: MapFile {
                title: Some("T".into()),
                ..MapFile::default()
            },
            ..NewFile::default()
        };
        write_new_map(dir.path(), vec![file.clone()], &[]).expect("a new folder");
        let error = write_new_map(dir.path(), vec![file], &[]).expect_err("holds a map");
        assert!(matches!(error, FolderError::HoldsMap(_)));
        let text = std::fs::read_to_string(dir.path().join("map.ron")).expect("written");
        assert_eq!(text, "// A test\nMap(\n    title: \"T\",\n)\n");
    }
}
