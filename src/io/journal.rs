//! The crash-recovery journal: after each edit the window writes the texts its unsaved
//! edits would save, with a fingerprint of the text each was based on, into the app's
//! data folder. On the next start the edits are offered back. The journal never sits in
//! the map's folder, so that it never shows up in the editors' git.

use super::write::atomic_write;
use super::{LoadedMap, SourceFile, load_files};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// The map the edits belong to, as opened.
    pub root: PathBuf,
    /// When the journal was written, as seconds since the Unix epoch.
    pub written: u64,
    pub files: Vec<JournalFile>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalFile {
    pub path: PathBuf,
    /// The fingerprint of the text the edits started from.
    pub base: u64,
    /// The text with the edits.
    pub text: String,
}

/// FNV-1a: a fingerprint that stays the same across builds and platforms.
pub fn fingerprint(text: &str) -> u64 {
    fingerprint_bytes(text.as_bytes())
}

pub fn fingerprint_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Where the journal of the map at `root` lives inside `dir`.
pub fn journal_path(dir: &Path, root: &Path) -> PathBuf {
    let key = root
        .canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .display()
        .to_string();
    dir.join(format!("journal-{:016x}.ron", fingerprint(&key)))
}

impl Journal {
    /// A journal of the files whose text differs between `saved` and `current`.
    pub fn of(saved: &LoadedMap, current: &[SourceFile]) -> Journal {
        let files = saved
            .files
            .iter()
            .zip(current)
            .filter(|(old, new)| old.text != new.text)
            .filter_map(|(old, new)| {
                Some(JournalFile {
                    path: old.path.clone(),
                    base: fingerprint(old.text.as_deref()?),
                    text: new.text.clone()?,
                })
            })
            .collect();
        let written = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Journal {
            root: saved.root.clone(),
            written,
            files,
        }
    }

    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(std::io::Error::other)?;
        atomic_write(&journal_path(dir, &self.root), text.as_bytes())
    }

    /// The journal of the map at `root`, if one was left.
    pub fn read(dir: &Path, root: &Path) -> Option<Journal> {
        let text = std::fs::read_to_string(journal_path(dir, root)).ok()?;
        let journal: Journal = ron::from_str(&text).ok()?;
        (!journal.files.is_empty()).then_some(journal)
    }

    pub fn remove(dir: &Path, root: &Path) {
        let _ = std::fs::remove_file(journal_path(dir, root));
    }

    /// Whether every file the edits were based on still holds the same text.
    pub fn matches(&self, saved: &LoadedMap) -> bool {
        self.files.iter().all(|journaled| {
            saved.files.iter().any(|f| {
                f.path == journaled.path
                    && f.text.as_deref().map(fingerprint) == Some(journaled.base)
            })
        })
    }

    /// The map as the journal has it: the files on disk with the journaled texts in
    /// place of theirs.
    pub fn recovered(&self, saved: &LoadedMap) -> LoadedMap {
        let files = saved
            .files
            .iter()
            .map(
                |file| match self.files.iter().find(|j| j.path == file.path) {
                    Some(journaled) => {
                        SourceFile::new(file.path.clone(), Some(journaled.text.clone()))
                    }
                    None => file.clone(),
                },
            )
            .collect();
        load_files(&saved.root, files)
    }
}
