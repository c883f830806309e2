//! The lock that chainmap processes take on a map's folder while they save it, so that
//! two of them (two `chainmap set`s, a window and a `set`) never both read the same
//! version and write over each other's change. Programs that do not take it (a text
//! editor) are caught by the check made at the rename instead ([`super::write::atomic_replace`]).
//!
//! The lock is an advisory `flock`-style lock on the folder itself (on the file system,
//! not a file beside the map, so that nothing is left behind in the map's folder or in
//! git); where a folder cannot be opened as a file (Windows), on a hidden lock file in it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a save waits for another chainmap process to finish with the map.
const WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "{}: another chainmap process is saving this map and has not finished in {} s; try again",
        .0.display(),
        WAIT.as_secs()
    )]
    Busy(PathBuf),
    #[error("{}: cannot lock the map's folder: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Held while a map is read for an edit and saved; released when dropped.
#[derive(Debug)]
pub struct MapLock {
    // Kept open: closing the file releases the lock. `None` where the file system has
    // no lock to take.
    _file: Option<File>,
}

impl MapLock {
    /// Takes the lock of the map at `root` (a map file or a folder), waiting for another
    /// process that holds it, at most `WAIT`.
    pub fn acquire(root: &Path) -> Result<MapLock, LockError> {
        let folder = folder_of(root);
        let io_error = |error| LockError::Io {
            path: folder.clone(),
            error,
        };
        let file = open_lock_file(&folder).map_err(io_error)?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(MapLock { _file: Some(file) }),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < WAIT => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(LockError::Busy(folder)),
                // A file system without such locks (NFS refuses them on a folder opened
                // to read): the save goes ahead, guarded by its check at the rename.
                Err(std::fs::TryLockError::Error(_)) => return Ok(MapLock { _file: None }),
            }
        }
    }
}

fn folder_of(root: &Path) -> PathBuf {
    if root.is_dir() {
        return root.to_path_buf();
    }
    match root.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn open_lock_file(folder: &Path) -> std::io::Result<File> {
    File::open(folder)
}

#[cfg(not(unix))]
fn open_lock_file(folder: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(folder.join(".chainmap.lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let first = MapLock::acquire(dir.path()).expect("the first lock");
        let path = dir.path().to_path_buf();
        let (sender, receiver) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let second = MapLock::acquire(&path);
            let _ = sender.send(second.is_ok());
        });
        // While the first is held, the second does not get it.
        assert!(receiver.recv_timeout(Duration::from_millis(200)).is_err());
        drop(first);
        assert_eq!(receiver.recv_timeout(Duration::from_secs(10)), Ok(true));
        waiter.join().expect("the waiter ends");
    }
}
