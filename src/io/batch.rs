//! Writing several files into one folder all or nothing: a new map (`new`, `import`) and
//! the tables of `export --format csv -o DIR`. Every target is checked before a byte is
//! written (a plain relative name, no symbolic link on the way, nothing that is not a
//! regular file replaced, nothing replaced at all for a new map); every file is written
//! to a temporary name beside its target and flushed; only then are they renamed into
//! place, and a failure part-way puts back what was there.
//!
//! The folder is listed once for the whole batch (for the temporary files a killed writer
//! left), not once per file: a landscape of 4,000 categories writes 4,000 files.
//! Editing an existing map file is [`super::save`]'s business, not this module's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// What a file of the batch holds: bytes made in memory, or a copy of a file.
#[derive(Clone, Copy, Debug)]
pub enum Contents<'a> {
    Bytes(&'a [u8]),
    CopyOf(&'a Path),
}

/// One file to write: its path inside the folder (`/`-separated, relative) and contents.
#[derive(Clone, Copy, Debug)]
pub struct Planned<'a> {
    pub name: &'a str,
    pub contents: Contents<'a>,
}

/// Whether the batch may replace files already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A new map: any file already at a target refuses the whole batch.
    New,
    /// Outputs asked for (`-o DIR`): regular files are replaced, nothing else.
    Replace,
}

/// Why a batch was not written. Nothing of it is on disk when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(
        "\"{0}\" is not a plain name inside the folder (no \"..\", no absolute path, no \\, no empty part): nothing was written"
    )]
    BadName(String),
    #[error(
        "{}: a symbolic link; files are written only inside {}, never through a link: nothing was written",
        .path.display(),
        .root.display()
    )]
    Link { path: PathBuf, root: PathBuf },
    #[error(
        "{}: a symbolic link to {}, which does not exist; give a folder: nothing was written",
        .0.display(),
        .1.display()
    )]
    DanglingLink(PathBuf, PathBuf),
    #[error("{}: not a folder: nothing was written", .0.display())]
    NotAFolder(PathBuf),
    #[error(
        "{}: not a regular file (a folder, a pipe or a device), which is never replaced: nothing was written",
        .0.display()
    )]
    NotAFile(PathBuf),
    #[error("{}: the file already exists; choose an empty or new folder", .0.display())]
    Exists(PathBuf),
    #[error("{}: {}: nothing was written", .path.display(), super::io_message(.error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BatchError + '_ {
    move |error| BatchError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Whether `name` is a relative path of plain parts, each a name a file may have.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains('\\')
        && !name.contains('\0')
        && name.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && matches!(
                    Path::new(part).components().next(),
                    Some(Component::Normal(_))
                )
                && Path::new(part).components().count() == 1
        })
}

/// A target checked: where it goes, whether a file is there now.
struct Target<'a> {
    path: PathBuf,
    contents: Contents<'a>,
    existed: bool,
}

/// Writes `files` into `root` (created, with the folders the names need, if missing),
/// all or nothing. Returns the paths written, in the order given.
pub fn write_batch(
    root: &Path,
    files: &[Planned<'_>],
    mode: Mode,
) -> Result<Vec<PathBuf>, BatchError> {
    let root_exists = check_root(root)?;
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    let mut targets = Vec::with_capacity(files.len());
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for file in files {
        if !plain_name(file.name) || !seen.insert(file.name) {
            return Err(BatchError::BadName(file.name.to_owned()));
        }
        let mut parts: Vec<&str> = file.name.split('/').collect();
        let last = parts.pop().unwrap_or_default();
        let mut dir = root.to_path_buf();
        for part in parts {
            dir.push(part);
            if folders.insert(dir.clone()) && root_exists {
                check_folder(&dir, root)?;
            }
        }
        let path = dir.join(last);
        let existed = root_exists && check_target(&path, root, mode)?;
        targets.push(Target {
            path,
            contents: file.contents,
            existed,
        });
    }
    let mut done = Done::default();
    let result = write_checked(root, root_exists, &folders, &targets, &mut done);
    if result.is_err() {
        done.undo();
    }
    result.map(|()| targets.into_iter().map(|t| t.path).collect())
}

/// Whether `root` exists (a folder, or a link to one); refused when it is something else
/// or a link to nothing.
fn check_root(root: &Path) -> Result<bool, BatchError> {
    match std::fs::symlink_metadata(root) {
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::metadata(root) {
            Ok(target) if target.is_dir() => Ok(true),
            Ok(_) => Err(BatchError::NotAFolder(root.to_path_buf())),
            Err(_) => {
                let to = std::fs::read_link(root).unwrap_or_default();
                Err(BatchError::DanglingLink(root.to_path_buf(), to))
            }
        },
        Ok(_) => Err(BatchError::NotAFolder(root.to_path_buf())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // Its parents are made as `create_dir_all` would; a parent that is a file says so.
            match root.ancestors().skip(1).find(|a| a.exists()) {
                Some(parent) if !parent.as_os_str().is_empty() && !parent.is_dir() => {
                    Err(BatchError::NotAFolder(parent.to_path_buf()))
                }
                _ => Ok(false),
            }
        }
        Err(error) => Err(io_error(root)(error)),
    }
}

/// A folder inside the root on the way to a target: a real folder or nothing yet.
fn check_folder(dir: &Path, root: &Path) -> Result<(), BatchError> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => Err(BatchError::Link {
            path: dir.to_path_buf(),
            root: root.to_path_buf(),
        }),
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(BatchError::NotAFolder(dir.to_path_buf())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(io_error(dir)(error)),
    }
}

/// Whether a file is at `path` now, when the batch may write there.
fn check_target(path: &Path, root: &Path, mode: Mode) -> Result<bool, BatchError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(BatchError::Link {
            path: path.to_path_buf(),
            root: root.to_path_buf(),
        }),
        Ok(meta) if !meta.is_file() => Err(BatchError::NotAFile(path.to_path_buf())),
        Ok(_) if mode == Mode::New => Err(BatchError::Exists(path.to_path_buf())),
        Ok(meta) if meta.permissions().readonly() => Err(BatchError::Io {
            path: path.to_path_buf(),
            error: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "read-only"),
        }),
        Ok(_) => Ok(true),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(io_error(path)(error)),
    }
}

/// What a batch has done so far, to put back if it fails.
#[derive(Default)]
struct Done {
    /// Folders made, outermost first.
    folders: Vec<PathBuf>,
    /// Temporary files still lying about.
    temps: Vec<PathBuf>,
    /// Targets put in place, with the second name of the file they replaced.
    placed: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Done {
    fn undo(&mut self) {
        for (target, old) in self.placed.drain(..).rev() {
            match old {
                Some(old) => {
                    let _ = std::fs::rename(&old, &target);
                }
                None => {
                    let _ = std::fs::remove_file(&target);
                }
            }
        }
        for temp in self.temps.drain(..) {
            let _ = std::fs::remove_file(temp);
        }
        for folder in self.folders.drain(..).rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

fn write_checked(
    root: &Path,
    root_exists: bool,
    folders: &BTreeSet<PathBuf>,
    targets: &[Target<'_>],
    done: &mut Done,
) -> Result<(), BatchError> {
    if !root_exists {
        make_folder(root, done)?;
    }
    for folder in folders {
        if std::fs::symlink_metadata(folder).is_err() {
            make_folder(folder, done)?;
        }
    }
    let base = root.canonicalize().map_err(io_error(root))?;
    // Each folder is looked at once: that it still lies inside the root (no folder was
    // swapped for a link since the check), and for a dead writer's temporary files.
    let mut names_by_dir: BTreeMap<&Path, BTreeSet<String>> = BTreeMap::new();
    for target in targets {
        let dir = target.path.parent().unwrap_or(root);
        names_by_dir
            .entry(dir)
            .or_default()
            .insert(file_name(&target.path));
    }
    for (dir, names) in &names_by_dir {
        let real = dir.canonicalize().map_err(io_error(dir))?;
        if !real.starts_with(&base) {
            return Err(BatchError::Link {
                path: dir.to_path_buf(),
                root: root.to_path_buf(),
            });
        }
        super::write::remove_stale_temps_of(dir, names);
    }
    for target in targets {
        let temp = temp_name(&target.path, "tmp");
        done.temps.push(temp.clone());
        write_temp(&temp, target.contents).map_err(io_error(&target.path))?;
    }
    flush(root, targets, done)?;
    for (target, temp) in targets.iter().zip(done.temps.clone()) {
        place(target, &temp, done)?;
    }
    // Everything is in place: the replaced files' second names go, and nothing is undone.
    done.temps.clear();
    done.folders.clear();
    for (_, old) in std::mem::take(&mut done.placed) {
        if let Some(old) = old {
            let _ = std::fs::remove_file(old);
        }
    }
    for dir in names_by_dir.keys() {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

fn make_folder(folder: &Path, done: &mut Done) -> Result<(), BatchError> {
    // The root's own missing parents first, outermost first.
    let missing: Vec<&Path> = folder
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_err())
        .collect();
    for dir in missing.into_iter().rev() {
        match std::fs::create_dir(dir) {
            Ok(()) => done.folders.push(dir.to_path_buf()),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(error) => return Err(io_error(dir)(error)),
        }
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `.NAME.PID.SUFFIX` beside `path`: hidden, so that no loader reads it as a map file.
fn temp_name(path: &Path, suffix: &str) -> PathBuf {
    path.with_file_name(format!(
        ".{}.{}.{suffix}",
        file_name(path),
        std::process::id()
    ))
}

fn write_temp(temp: &Path, contents: Contents<'_>) -> std::io::Result<()> {
    use std::io::Write as _;
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(temp)
    };
    // A file of this name is a dead writer's with our process id: it goes.
    let mut file = match create() {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(temp)?;
            create()?
        }
        other => other?,
    };
    match contents {
        Contents::Bytes(bytes) => file.write_all(bytes)?,
        Contents::CopyOf(from) => {
            let mut source = std::fs::File::open(from)?;
            if !source.metadata()?.is_file() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("{} is not a regular file", from.display()),
                ));
            }
            std::io::copy(&mut source, &mut file)?;
        }
    }
    if !cfg!(target_os = "linux") {
        file.sync_all()?;
    }
    Ok(())
}

/// Flushes the temporary files to disk before any is renamed into place: on Linux one
/// `syncfs` for the whole batch (one flush apiece made a big import slow), elsewhere each
/// file was flushed as it was written.
#[cfg(target_os = "linux")]
fn flush(root: &Path, _targets: &[Target<'_>], _done: &Done) -> Result<(), BatchError> {
    let dir = std::fs::File::open(root).map_err(io_error(root))?;
    rustix::fs::syncfs(&dir).map_err(|error| io_error(root)(error.into()))
}

#[cfg(not(target_os = "linux"))]
fn flush(_root: &Path, _targets: &[Target<'_>], _done: &Done) -> Result<(), BatchError> {
    Ok(())
}

/// Puts one temporary file in place: a new file never replaces one that appeared since
/// the check; a replaced file keeps a second name until the whole batch is in place.
fn place(target: &Target<'_>, temp: &Path, done: &mut Done) -> Result<(), BatchError> {
    let path = &target.path;
    if target.existed {
        let old = temp_name(path, "old");
        let _ = std::fs::remove_file(&old);
        let kept = std::fs::hard_link(path, &old).is_ok().then_some(old);
        match std::fs::rename(temp, path) {
            Ok(()) => {
                done.placed.push((path.clone(), kept));
                Ok(())
            }
            Err(error) => {
                if let Some(old) = kept {
                    let _ = std::fs::remove_file(old);
                }
                Err(io_error(path)(error))
            }
        }
    } else {
        rename_no_replace(temp, path).map_err(|error| {
            if error.kind() == std::io::ErrorKind::AlreadyExists {
                BatchError::Exists(path.clone())
            } else {
                io_error(path)(error)
            }
        })?;
        done.placed.push((path.clone(), None));
        Ok(())
    }
}

/// Renames `from` to `to` unless `to` exists (then `AlreadyExists`).
#[cfg(target_os = "linux")]
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::EXIST) => Err(std::io::ErrorKind::AlreadyExists.into()),
        // A file system without the flag: a hard link never replaces either.
        Err(_) => link_then_remove(from, to),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    link_then_remove(from, to)
}

fn link_then_remove(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(error),
        // No hard links here: the check before the batch is the closest there is.
        Err(_) if !to.exists() => std::fs::rename(from, to),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes<'a>(name: &'a str, text: &'a str) -> Planned<'a> {
        Planned {
            name,
            contents: Contents::Bytes(text.as_bytes()),
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("lists")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn names_that_leave_the_folder_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("out");
        for name in [
            "x/../../escaped.ron",
            "/etc/x",
            "a//b",
            "..",
            "a\\b",
            "",
            "./a",
        ] {
            let error = write_batch(&root, &[bytes("map.ron", "A"), bytes(name, "B")], Mode::New)
                .expect_err(name);
            assert!(matches!(error, BatchError::BadName(_)), "{name}: {error}");
        }
        assert!(!root.exists(), "nothing made");
        assert!(plain_name("logos/a.svg") && plain_name("01-x.ron"));
    }

    #[test]
    fn a_failure_part_way_puts_back_what_was_there() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("a.csv"), "old a").expect("writes");
        // The second file's contents cannot be read: the batch fails after `a.csv`'s temp.
        let missing = dir.path().join("missing");
        let files = [
            bytes("a.csv", "new a"),
            Planned {
                name: "b.csv",
                contents: Contents::CopyOf(&missing),
            },
        ];
        write_batch(dir.path(), &files, Mode::Replace).expect_err("fails");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.csv")).expect("reads"),
            "old a"
        );
        assert_eq!(listing(dir.path()), ["a.csv"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_refuses_the_whole_batch() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let outside = dir.path().join("victim");
        std::fs::create_dir(&outside).expect("makes");
        let root = dir.path().join("out");
        std::fs::create_dir(&root).expect("makes");
        std::os::unix::fs::symlink("../victim", root.join("logos")).expect("links");
        let error = write_batch(
            &root,
            &[bytes("map.ron", "A"), bytes("logos/a.svg", "<svg/>")],
            Mode::New,
        )
        .expect_err("a linked folder");
        assert!(matches!(error, BatchError::Link { .. }), "{error}");
        assert_eq!(listing(&root), ["logos"]);
        assert!(listing(&outside).is_empty());
    }
}
