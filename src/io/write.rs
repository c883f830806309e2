//! Writing a map as RON in the format's own style: named structs, one field a line,
//! optional fields left out. Used for new files and for round-trip checks; saving edits
//! into existing files preserves their text instead.

use super::raw::MapFile;
use crate::model::Map;
use std::collections::BTreeMap;

/// The whole map as the contents of one file.
pub fn map_file(map: &Map) -> MapFile {
    MapFile::from(map.clone())
}

/// The map's settings, sources, tiers and markets as the contents of one file: the
/// `map.ron` of a folder map, which keeps the tiers in order whatever the file names.
pub fn settings_file(map: &Map) -> MapFile {
    MapFile::from(Map {
        meta: map.meta.clone(),
        sources: map.sources.clone(),
        tiers: map.tiers.clone(),
        markets: map.markets.clone(),
        ..Map::default()
    })
}

/// What each tier holds, in the map's tier order, as the contents of a file: its segments,
/// its nodes and the links that end at one of its nodes. One pass over each list, however
/// many tiers there are.
pub fn tier_files(map: &Map) -> Vec<MapFile> {
    let rank: BTreeMap<&str, usize> = map
        .tiers
        .iter()
        .enumerate()
        .rev()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let tier_of: BTreeMap<&str, usize> = map
        .nodes
        .iter()
        .rev()
        .filter_map(|n| Some((n.id.as_str(), *rank.get(n.tier.as_str())?)))
        .collect();
    // Each file's lists made to their size: a list grown one push at a time keeps room
    // for several entities, which on 16,000 one-node tiers is most of the memory.
    let mut counts = vec![(0usize, 0usize, 0usize); map.tiers.len()];
    for segment in &map.segments {
        if let Some(c) = rank
            .get(segment.tier.as_str())
            .and_then(|&i| counts.get_mut(i))
        {
            c.0 += 1;
        }
    }
    for node in &map.nodes {
        if let Some(c) = rank
            .get(node.tier.as_str())
            .and_then(|&i| counts.get_mut(i))
        {
            c.1 += 1;
        }
    }
    for link in &map.links {
        if let Some(c) = tier_of
            .get(link.to.as_str())
            .and_then(|&i| counts.get_mut(i))
        {
            c.2 += 1;
        }
    }
    let mut files: Vec<MapFile> = counts
        .iter()
        .map(|&(segments, nodes, links)| MapFile {
            segments: Vec::with_capacity(segments),
            nodes: Vec::with_capacity(nodes),
            links: Vec::with_capacity(links),
            ..MapFile::default()
        })
        .collect();
    // A tier id given twice (a broken draft) has its entities in the first file only.
    let first_of = |tier: &str| rank.get(tier).copied();
    for segment in &map.segments {
        if let Some(file) = first_of(&segment.tier).and_then(|i| files.get_mut(i)) {
            file.segments.push(segment.clone());
        }
    }
    for node in &map.nodes {
        if let Some(file) = first_of(&node.tier).and_then(|i| files.get_mut(i)) {
            file.nodes.push(node.clone());
        }
    }
    for link in &map.links {
        if let Some(file) = tier_of
            .get(link.to.as_str())
            .and_then(|&i| files.get_mut(i))
        {
            file.links.push(link.clone());
        }
    }
    files
}

/// RON text for one map file.
pub fn to_ron(file: &MapFile) -> Result<String, ron::Error> {
    let mut text = pretty_ron(file)?;
    text.push('\n');
    Ok(text)
}

/// Any value as RON in the format's style: struct names, four-space indents, one field a
/// line, `Some` left implicit. Saves, `set` and saved views all write through this.
pub fn pretty_ron(value: &impl serde::Serialize) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .new_line("\n")
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(value, config)
}

/// An entity as RON in the format's style, with its struct name (`Thesis(…)`).
pub fn entity_ron(entity: &crate::model::Entity) -> Result<String, ron::Error> {
    pretty_ron(entity)
}

/// Why [`atomic_replace`] did not replace a file.
#[derive(Debug, thiserror::Error)]
pub enum ReplaceError {
    /// The file on disk was not one the caller allowed to replace: it changed since it
    /// was read. When the change came during the write itself, the file changed under
    /// the rename and was put back as the other writer left it.
    #[error("the file changed on disk since it was read")]
    Changed,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one:
/// a temporary file in the same folder, flushed to disk, then renamed over the target.
pub fn atomic_write(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    atomic_replace(path, bytes, |_| true).map_err(|error| match error {
        ReplaceError::Io(error) => error,
        ReplaceError::Changed => std::io::Error::other(error),
    })
}

/// Like [`atomic_write`], but only over a file whose contents `may_replace` accepts
/// (`None`: the file does not exist). The contents are checked as close to the rename
/// as the platform allows. On Linux the new file is swapped in atomically
/// (`RENAME_EXCHANGE`) and the file it swapped out is read: if another writer changed the
/// file or renamed another one into place since the check, theirs is swapped back and
/// [`ReplaceError::Changed`] is returned. Elsewhere the old file is kept under a second
/// name (a hard link) across the rename and read again through it, which catches a
/// writer that changed the file in place. Either way a lost race is reported, and the
/// other writer's file is never deleted: if it cannot be put back, it stays beside the
/// map under its temporary name.
pub fn atomic_replace(
    path: &std::path::Path,
    bytes: &[u8],
    may_replace: impl Fn(Option<&[u8]>) -> bool,
) -> Result<(), ReplaceError> {
    use std::io::Write as _;
    // A map file that is a link is written where it points, so that the link stays a link.
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let path = target.as_path();
    let existing = std::fs::metadata(path).ok();
    if let Some(meta) = &existing {
        if !meta.is_file() {
            // Renaming over a device, a pipe or a folder would replace it with a file.
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file; it is never replaced",
            )
            .into());
        }
        if meta.permissions().readonly() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            )
            .into());
        }
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    remove_stale_temps(&dir, &name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let old = dir.join(format!(".{name}.{}.old", std::process::id()));
    // Set while `temp` names the file swapped out of place (possibly another writer's).
    let temp_is_theirs = std::cell::Cell::new(false);
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        // The new file keeps the old one's permissions (a private file stays private) and,
        // where the platform has them, its owner (a save as root leaves the file the
        // editor's).
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions())?;
            keep_owner(&file, meta);
        }
        file.sync_all()?;
        drop(file);
        replace_checked(&temp, &old, path, &may_replace, &temp_is_theirs)?;
        if let Ok(dir) = std::fs::File::open(&dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    // Only our own new file is removed after a failure: a file that holds another
    // writer's version (a swap back that failed) stays for them to find.
    if result.is_err() && !temp_is_theirs.get() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Renames `temp` over `path` if `may_replace` accepts what `path` holds, and checks
/// again what the rename replaced.
fn replace_checked(
    temp: &std::path::Path,
    old: &std::path::Path,
    path: &std::path::Path,
    may_replace: &impl Fn(Option<&[u8]>) -> bool,
    temp_is_theirs: &std::cell::Cell<bool>,
) -> Result<(), ReplaceError> {
    let before = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error.into()),
    };
    if !may_replace(before.as_deref()) {
        return Err(ReplaceError::Changed);
    }
    if before.is_some() && exchange(temp, path).is_ok() {
        // `temp` now names the file that was in place: theirs, if anyone's came since.
        temp_is_theirs.set(true);
        let swapped_out = std::fs::read(temp)?;
        if swapped_out != before.unwrap_or_default() && !may_replace(Some(&swapped_out)) {
            exchange(temp, path)?;
            temp_is_theirs.set(false);
            return Err(ReplaceError::Changed);
        }
        std::fs::remove_file(temp)?;
        temp_is_theirs.set(false);
        return Ok(());
    }
    replace_keeping_old(temp, old, path, before.as_deref(), may_replace)
}

/// Where files cannot be swapped: the old file keeps a second name across the rename.
fn replace_keeping_old(
    temp: &std::path::Path,
    old: &std::path::Path,
    path: &std::path::Path,
    before: Option<&[u8]>,
    may_replace: &impl Fn(Option<&[u8]>) -> bool,
) -> Result<(), ReplaceError> {
    let _ = std::fs::remove_file(old);
    let kept = before.is_some() && std::fs::hard_link(path, old).is_ok();
    std::fs::rename(temp, path)?;
    if !kept {
        // No second name (a file system without hard links, or a new file): the check
        // before the rename is the closest there is.
        return Ok(());
    }
    let after = std::fs::read(old)?;
    if after != before.unwrap_or_default() && !may_replace(Some(&after)) {
        // Another writer changed the file between the check and the rename: theirs goes
        // back in place, and the caller hears of it. If it cannot, it stays as `old`.
        std::fs::rename(old, path)?;
        return Err(ReplaceError::Changed);
    }
    let _ = std::fs::remove_file(old);
    Ok(())
}

/// Swaps two files atomically, where the platform and the file system can.
#[cfg(target_os = "linux")]
fn exchange(a: &std::path::Path, b: &std::path::Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &std::path::Path, _b: &std::path::Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(unix)]
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt as _;
    // Only root may give a file away; for anyone else the file is theirs already.
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _meta: &std::fs::Metadata) {}

/// Writes an output the command line was asked for (`-o`): a regular file (or a new
/// one) is written atomically, as a save is; a device, a pipe or a terminal
/// (`/dev/null`, a FIFO, `/proc/self/fd/1`) is written to as it is, never replaced.
pub fn write_output_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a folder",
        )),
        Ok(meta) if !meta.is_file() => {
            let mut out = std::fs::OpenOptions::new().write(true).open(path)?;
            out.write_all(bytes)?;
            out.flush()
        }
        _ => atomic_write(path, bytes),
    }
}

/// How old a dead writer's temporary file must be before it is removed.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes temporary files that a killed writer of `name` left in `dir` (their process
/// is gone), so that they do not pile up beside the map. Only where process ids can be
/// checked (`/proc`); elsewhere they stay, hidden, and are never read as map files.
fn remove_stale_temps(dir: &std::path::Path, name: &str) {
    remove_stale_temps_of(dir, &std::collections::BTreeSet::from([name.to_owned()]));
}

/// [`remove_stale_temps`] for several names with one listing of the folder.
pub(crate) fn remove_stale_temps_of(
    dir: &std::path::Path,
    names: &std::collections::BTreeSet<String>,
) {
    let proc = std::path::Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| {
                let rest = n.strip_prefix('.')?;
                let rest = rest
                    .strip_suffix(".tmp")
                    .or_else(|| rest.strip_suffix(".old"))?;
                let (name, pid) = rest.rsplit_once('.')?;
                names.contains(name).then_some(pid)
            })
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        // Only when its process is gone and it is old: on a shared drive the same process
        // id may be a live writer on another machine, whose file would be fresh.
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if old
            && pid != std::process::id()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_stays_a_link_and_permissions_stay() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let real = dir.path().join("real.ron");
        std::fs::write(&real, "Map()").expect("writes");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600))
                .expect("sets the mode");
            let link = dir.path().join("link.ron");
            std::os::unix::fs::symlink(&real, &link).expect("links");
            atomic_write(&link, b"Map(title: \"x\")").expect("writes through the link");
            let meta = std::fs::symlink_metadata(&link).expect("exists");
            assert!(meta.file_type().is_symlink());
            assert_eq!(
                std::fs::read_to_string(&real).expect("reads"),
                "Map(title: \"x\")"
            );
            let mode = std::fs::metadata(&real)
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_file_renamed_in_by_another_writer_after_the_check_is_put_back() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("map.ron");
        std::fs::write(&file, "Map(title: \"ours\")").expect("writes");
        let theirs = dir.path().join("theirs.ron");
        let calls = std::cell::Cell::new(0);
        // The first look is the check; right after it, another writer saves by renaming.
        let may_replace = |disk: Option<&[u8]>| {
            calls.set(calls.get() + 1);
            if calls.get() == 1 {
                std::fs::write(&theirs, "Map(title: \"theirs\")").expect("writes theirs");
                std::fs::rename(&theirs, &file).expect("renames theirs in");
            }
            disk == Some(b"Map(title: \"ours\")".as_slice())
        };
        let result = atomic_replace(&file, b"Map(title: \"mine\")", may_replace);
        assert!(matches!(result, Err(ReplaceError::Changed)), "{result:?}");
        assert_eq!(
            std::fs::read_to_string(&file).expect("reads"),
            "Map(title: \"theirs\")"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("lists")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("map.ron")]);
    }

    #[test]
    fn a_read_only_file_is_not_replaced() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("locked.ron");
        std::fs::write(&file, "Map()").expect("writes");
        let mut permissions = std::fs::metadata(&file).expect("exists").permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&file, permissions).expect("locks");
        let error = atomic_write(&file, b"Map(title: \"x\")").expect_err("read-only");
        assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(std::fs::read_to_string(&file).expect("reads"), "Map()");
    }
}
