//! Saving an edited map: each file whose part changed gets its text patched
//! ([`super::patch`]) and written atomically; a file that changed on disk since it was
//! read is never overwritten unless the editor said to keep their version.

use super::patch::{self, PatchError};
use super::write::{ReplaceError, atomic_replace, atomic_write, map_file};
use super::{LoadedMap, SourceFile};
use crate::model::Draft;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{}: {error}", .path.display())]
    Patch { path: PathBuf, error: PatchError },
    #[error(
        "{}: the file changed on disk since it was read; reload it or keep your version",
        .0.display()
    )]
    ChangedOnDisk(PathBuf),
    #[error("{}: the file is not on disk (the map is bundled); use Save as…", .0.display())]
    NotOnDisk(PathBuf),
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: the folder already holds map files; choose an empty folder", .0.display())]
    FolderNotEmpty(PathBuf),
    #[error("{}: the file could not be read whole, so a copy would lose it; fix it first", .0.display())]
    Unreadable(PathBuf),
    #[error("{}: this is where the map already is; use Save", .0.display())]
    SameLocation(PathBuf),
    #[error(
        "{}: after the edit, {}",
        .path.display(),
        super::too_large_message(*.bytes)
    )]
    TooLarge { path: PathBuf, bytes: u64 },
}

/// Whether a save may replace a file that changed on disk since it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnDiskChange {
    Refuse,
    /// The editor chose their version over these versions on disk (each file with the
    /// fingerprint of the text they saw): only those exact texts are replaced, so a change
    /// made after the choice is still refused.
    Replace(Vec<(PathBuf, u64)>),
}

impl OnDiskChange {
    fn allows(&self, path: &Path, disk: &[u8]) -> bool {
        match self {
            OnDiskChange::Refuse => false,
            OnDiskChange::Replace(seen) => seen
                .iter()
                .any(|(p, print)| p == path && super::journal::fingerprint_bytes(disk) == *print),
        }
    }
}

/// Whether patched texts are parsed again and compared with the draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadBack {
    /// Before anything is written to a map file.
    Check,
    /// For texts only shown or journaled.
    Skip,
}

/// The texts the map's files would hold with `draft`'s parts: the loaded text where
/// nothing changed, the patched text where something did. Nothing is written.
pub fn texts(
    loaded: &LoadedMap,
    draft: &Draft,
    read_back: ReadBack,
) -> Result<Vec<SourceFile>, SaveError> {
    let mut files = loaded.files.clone();
    for (i, file) in files.iter_mut().enumerate() {
        let old = loaded.draft.parts.get(i).and_then(Option::as_ref);
        let new = draft.parts.get(i).and_then(Option::as_ref);
        let (Some(old), Some(new), Some(text)) = (old, new, file.text.as_deref()) else {
            continue;
        };
        // An edit may give a number the decimals it has (`set … low 80.0` onto `80`): the
        // part is the same, the text is not.
        let precise = new
            .figures
            .iter()
            .any(|f| draft.precisions.contains_key(&f.id));
        if old == new && !precise {
            continue;
        }
        let patched = if old == new {
            text.to_owned()
        } else {
            let patch = match read_back {
                ReadBack::Check => patch::patch,
                ReadBack::Skip => patch::patch_unverified,
            };
            patch(text, &map_file(old), &map_file(new)).map_err(|error| SaveError::Patch {
                path: file.path.clone(),
                error,
            })?
        };
        let patched = keep_precisions(&patched, new, &draft.precisions);
        // A file the loader would refuse to read is never written.
        if patched.len() as u64 > super::MAX_FILE_BYTES {
            return Err(SaveError::TooLarge {
                path: file.path.clone(),
                bytes: patched.len() as u64,
            });
        }
        file.text = Some(patched);
    }
    Ok(files)
}

/// `text` (a part's file) with the figures' numbers written with the decimals edits gave
/// them (`low: 80.0`, where the patch writes the shortest form): only plain numbers of
/// figures in `precisions`, and only where the text says the same number.
fn keep_precisions(
    text: &str,
    part: &crate::model::Map,
    precisions: &crate::model::Precisions,
) -> String {
    if !part.figures.iter().any(|f| precisions.contains_key(&f.id)) {
        return text.to_owned();
    }
    let Some(written_figures) = super::WrittenFigures::scan(text) else {
        return text.to_owned();
    };
    let mut splices: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (i, figure) in part.figures.iter().enumerate() {
        let Some(precision) = precisions.get(&figure.id) else {
            continue;
        };
        let numbers = [
            ("low", figure.low, precision.low),
            ("high", figure.high, precision.high),
        ];
        for (field, value, decimals) in numbers {
            let (Some(value), Some((written, span))) = (value, written_figures.written(i, field))
            else {
                continue;
            };
            let wanted = crate::model::format_decimals(value, decimals);
            let plain = super::number_decimals(written).is_some() && !written.contains('(');
            if plain && written != wanted && written.parse::<f64>() == Ok(value) {
                splices.push((span, wanted));
            }
        }
    }
    let mut out = text.to_owned();
    splices.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    for (span, wanted) in splices {
        if span.start <= span.end
            && out.is_char_boundary(span.start)
            && out.is_char_boundary(span.end)
        {
            out.replace_range(span, &wanted);
        }
    }
    out
}

/// Writes the files whose text changed and returns every file's text as now saved.
/// All patches are made before anything is written, so a refused patch writes nothing.
pub fn save(
    loaded: &LoadedMap,
    draft: &Draft,
    on_disk_change: OnDiskChange,
) -> Result<Vec<SourceFile>, SaveError> {
    let files = texts(loaded, draft, ReadBack::Check)?;
    let changed: Vec<(&SourceFile, &SourceFile)> = loaded
        .files
        .iter()
        .zip(&files)
        .filter(|(old, new)| old.text != new.text)
        .collect();
    // A quick look first, so that a map changed on disk is refused before anything is
    // written; each file is checked again as it is renamed into place.
    for (old, _) in &changed {
        match std::fs::read(&old.path) {
            Ok(bytes) => {
                if !may_replace(old, &on_disk_change, Some(&bytes)) {
                    return Err(SaveError::ChangedOnDisk(old.path.clone()));
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(SaveError::NotOnDisk(old.path.clone()));
            }
            Err(error) => {
                return Err(SaveError::Io {
                    path: old.path.clone(),
                    error,
                });
            }
        }
    }
    for (old, new) in &changed {
        let Some(text) = new.text.as_deref() else {
            continue;
        };
        atomic_replace(&new.path, text.as_bytes(), |disk| {
            may_replace(old, &on_disk_change, disk)
        })
        .map_err(|error| match error {
            ReplaceError::Changed => SaveError::ChangedOnDisk(old.path.clone()),
            ReplaceError::Io(error) => SaveError::Io {
                path: new.path.clone(),
                error,
            },
        })?;
    }
    Ok(files)
}

/// Whether the file that `old` was read as may be replaced, holding `disk` now: it still
/// holds what was read, or the editor chose to replace exactly what it holds.
fn may_replace(old: &SourceFile, on_disk_change: &OnDiskChange, disk: Option<&[u8]>) -> bool {
    let Some(disk) = disk else {
        return false;
    };
    disk == old.text.as_deref().map(str::as_bytes).unwrap_or_default()
        || on_disk_change.allows(&old.path, disk)
}

/// Writes every file of the map, as `draft` has it, into `dest`: a folder for a map of
/// several files, a file for a one-file map. Returns the root and files of the copy.
pub fn save_as(
    loaded: &LoadedMap,
    draft: &Draft,
    dest: &Path,
) -> Result<(PathBuf, Vec<SourceFile>), SaveError> {
    // A file that could not be read whole has no text to copy: a copy without it (or with
    // only its readable part) would not be the map.
    if let Some(unreadable) = loaded
        .files
        .iter()
        .find(|f| f.text.is_none() || f.not_utf8_at.is_some())
    {
        return Err(SaveError::Unreadable(unreadable.path.clone()));
    }
    let mut files = texts(loaded, draft, ReadBack::Check)?;
    if loaded.root.is_dir() || files.len() > 1 {
        std::fs::create_dir_all(dest).map_err(|error| SaveError::Io {
            path: dest.to_path_buf(),
            error,
        })?;
        let holds_maps = super::map_files(dest).is_ok_and(|existing| !existing.is_empty());
        if holds_maps {
            return Err(SaveError::FolderNotEmpty(dest.to_path_buf()));
        }
        for file in &mut files {
            let name = file.path.file_name().unwrap_or_default().to_owned();
            file.path = dest.join(name);
        }
    } else if let Some(file) = files.first_mut() {
        file.path = dest.to_path_buf();
    }
    for file in &files {
        write_file(&file.path, file)?;
    }
    Ok((dest.to_path_buf(), files))
}

fn write_file(path: &Path, file: &SourceFile) -> Result<(), SaveError> {
    // A file that could not be read has no text to write; it stays as it is.
    let Some(text) = file.text.as_deref() else {
        return Ok(());
    };
    atomic_write(path, text.as_bytes()).map_err(|error| SaveError::Io {
        path: path.to_path_buf(),
        error,
    })
}
