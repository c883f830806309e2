//! Reading a map as a git revision holds it, from an argument such as
//! `HEAD~3:maps/ai-value-chain`: the same files as [`super::map_files`] would find in a
//! checkout of that revision, read with `git` and loaded by [`super::load_files`].
//!
//! `git` runs as a program with each argument passed apart (never through a shell), and
//! only reads (`rev-parse`, `cat-file`, `ls-tree`). A revision that starts with `-` is
//! refused, so that it cannot be taken for an option. Logos are still looked for in the
//! working tree (the map's folder at that path), since an old revision's images are not
//! files anyone could open.

use super::{LoadedMap, MAX_FILE_BYTES, SourceFile, load_files};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A map named by a revision and a path inside the repository: `REV:PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// Anything `git rev-parse` understands: `HEAD~3`, a branch, a tag, a commit id.
    pub rev: String,
    /// As git reads it: from the repository's top folder, or from the current folder
    /// when it starts with `./` or `../`.
    pub path: String,
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.rev, self.path)
    }
}

impl Revision {
    /// The revision an argument names, or `None` when it names a file or folder: it must
    /// hold a `:` and neither it nor the part before the `:` may be an existing path
    /// (so that `maps/a:b.ron` that exists stays a file).
    pub fn from_arg(arg: &str) -> Option<Revision> {
        if Path::new(arg).exists() {
            return None;
        }
        let colon = revision_end(arg)?;
        let rev = arg.get(..colon)?;
        let path = arg.get(colon + 1..)?;
        if !rev.is_empty() && Path::new(rev).exists() {
            return None;
        }
        // `C:\maps` is a path on Windows, whether or not it exists.
        let drive = rev.len() == 1 && rev.chars().all(|c| c.is_ascii_alphabetic());
        if cfg!(windows) && drive {
            return None;
        }
        Some(Revision {
            rev: rev.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// Where the revision ends: the first `:` outside braces, since a reflog date such as
/// `main@{2024-01-02 10:00}` may hold colons of its own.
fn revision_end(arg: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in arg.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => return Some(at),
            _ => {}
        }
    }
    None
}

/// Why a revision could not be read: exit status 2 on the command line.
#[derive(Debug, thiserror::Error)]
pub enum RevisionError {
    #[error("{spec}: git is needed to read a revision, and it is not installed or not on the PATH")]
    GitMissing { spec: Revision },
    #[error("{spec}: git could not be run: {error}")]
    GitFailedToRun {
        spec: Revision,
        error: std::io::Error,
    },
    #[error("{spec}: name a revision before the `:`, as in HEAD~1:maps/ai-value-chain")]
    EmptyRevision { spec: Revision },
    #[error("{spec}: a revision may not start with `-`")]
    OptionLikeRevision { spec: Revision },
    #[error("{spec}: {} is not inside a git working tree ({message})", .dir.display())]
    NotARepository {
        spec: Revision,
        dir: PathBuf,
        message: String,
    },
    #[error("{spec}: unknown revision \"{}\" in the repository at {}", .spec.rev, .root.display())]
    UnknownRevision { spec: Revision, root: PathBuf },
    #[error("{spec}: the path leads outside the repository")]
    OutsideRepository { spec: Revision },
    #[error("{spec}: \"{path}\" does not exist in revision {}", .spec.rev)]
    NoSuchPath { spec: Revision, path: String },
    #[error("{spec}: \"{path}\" is a {kind} in revision {}, not a file or folder", .spec.rev)]
    NotAFileOrFolder {
        spec: Revision,
        path: String,
        kind: String,
    },
    #[error("{spec}: the folder holds no .ron map files")]
    NoMapFiles { spec: Revision },
    #[error("{file}: {}", super::too_large_message(*.bytes))]
    TooLarge { file: String, bytes: u64 },
    #[error("{spec}: git {command} failed: {message}")]
    Git {
        spec: Revision,
        command: String,
        message: String,
    },
}

/// Loads the map that `revision` names, running git in `dir` (the current folder on the
/// command line) to find the repository.
pub fn load(revision: &Revision, dir: &Path) -> Result<LoadedMap, RevisionError> {
    let spec = || revision.clone();
    if revision.rev.is_empty() {
        return Err(RevisionError::EmptyRevision { spec: spec() });
    }
    if revision.rev.starts_with('-') {
        return Err(RevisionError::OptionLikeRevision { spec: spec() });
    }
    let git = Git { dir, revision };

    let found = git.run(&["rev-parse", "--show-toplevel", "--show-prefix"])?;
    if !found.status.success() {
        return Err(RevisionError::NotARepository {
            spec: spec(),
            dir: dir.to_path_buf(),
            message: first_line(&found.stderr),
        });
    }
    let found = String::from_utf8_lossy(&found.stdout).into_owned();
    let mut lines = found.lines();
    let root = PathBuf::from(lines.next().unwrap_or_default());
    let prefix = lines.next().unwrap_or_default();

    let tree = format!("{}^{{tree}}", revision.rev);
    let known = git.run(&["rev-parse", "--verify", "--quiet", &tree])?;
    if !known.status.success() {
        return Err(RevisionError::UnknownRevision { spec: spec(), root });
    }

    let path = repository_path(&revision.path, prefix)
        .ok_or_else(|| RevisionError::OutsideRepository { spec: spec() })?;
    let object = format!("{}:{path}", revision.rev);
    let kind = git.run(&["cat-file", "-t", &object])?;
    if !kind.status.success() {
        return Err(RevisionError::NoSuchPath { spec: spec(), path });
    }
    let kind = String::from_utf8_lossy(&kind.stdout).trim().to_owned();
    // Files are named as git names them, so that a problem points at `HEAD~1:maps/x.ron`.
    let shown = |name: &str| match path.as_str() {
        "" => format!("{}:{name}", revision.rev),
        folder => format!("{}:{folder}/{name}", revision.rev),
    };
    let files = match kind.as_str() {
        "blob" => {
            let size = git.stdout(&["cat-file", "-s", &object])?;
            let bytes = parse_size(&size);
            let file = format!("{}:{path}", revision.rev);
            vec![git.read_blob(&object, file, bytes)?]
        }
        "tree" => {
            // `--full-tree`: from a subfolder, ls-tree would otherwise keep only the
            // entries under that subfolder's path, taken inside the tree it lists.
            let listing = git.stdout(&["ls-tree", "--full-tree", "-l", "-z", &object])?;
            let mut entries = map_entries(&listing);
            entries.sort_by(|a, b| a.name.cmp(&b.name));
            if entries.is_empty() {
                return Err(RevisionError::NoMapFiles { spec: spec() });
            }
            let mut files = Vec::with_capacity(entries.len());
            for entry in entries {
                files.push(git.read_blob(&entry.object, shown(&entry.name), entry.bytes)?);
            }
            files
        }
        other => {
            return Err(RevisionError::NotAFileOrFolder {
                spec: spec(),
                path,
                kind: other.to_owned(),
            });
        }
    };
    Ok(load_files(&root.join(&path), files))
}

/// Runs git for one revision, in one folder.
struct Git<'a> {
    dir: &'a Path,
    revision: &'a Revision,
}

impl Git<'_> {
    /// Runs `git -C DIR ARGS`; only a failure to start git is an error here.
    fn run(&self, args: &[&str]) -> Result<Output, RevisionError> {
        Command::new("git")
            .arg("-C")
            .arg(self.dir)
            .args(args.iter().map(OsStr::new))
            .stdin(Stdio::null())
            .output()
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::NotFound => RevisionError::GitMissing {
                    spec: self.revision.clone(),
                },
                _ => RevisionError::GitFailedToRun {
                    spec: self.revision.clone(),
                    error,
                },
            })
    }

    /// Runs git and gives its output, or what git said when it failed.
    fn stdout(&self, args: &[&str]) -> Result<Vec<u8>, RevisionError> {
        let output = self.run(args)?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(RevisionError::Git {
                spec: self.revision.clone(),
                command: args.join(" "),
                message: first_line(&output.stderr),
            })
        }
    }

    /// Reads one map file from the object store, refusing it unread when it is larger
    /// than a map file may be (as [`super::load`] does for files on disk).
    fn read_blob(
        &self,
        object: &str,
        file: String,
        bytes: Option<u64>,
    ) -> Result<SourceFile, RevisionError> {
        if let Some(bytes) = bytes.filter(|&b| b > MAX_FILE_BYTES) {
            return Err(RevisionError::TooLarge { file, bytes });
        }
        let content = self.stdout(&["cat-file", "blob", object])?;
        if content.len() as u64 > MAX_FILE_BYTES {
            return Err(RevisionError::TooLarge {
                file,
                bytes: content.len() as u64,
            });
        }
        Ok(SourceFile::from_bytes(file, content))
    }
}

/// Git's first line of complaint, without its `fatal: ` prefix.
fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().next().unwrap_or_default().trim();
    line.strip_prefix("fatal: ").unwrap_or(line).to_owned()
}

fn parse_size(output: &[u8]) -> Option<u64> {
    String::from_utf8_lossy(output).trim().parse().ok()
}

/// The path git should read, from the repository's top folder: as given, or joined to
/// `prefix` (the current folder's place in the repository) when it starts with `./` or
/// `../`, as git itself reads `REV:./PATH`. `None` when it climbs out of the repository.
fn repository_path(path: &str, prefix: &str) -> Option<String> {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let from_here =
        path == "." || path == ".." || path.starts_with("./") || path.starts_with("../");
    let joined = if from_here {
        format!("{prefix}{path}")
    } else {
        path
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// One map file of a folder in the object store.
#[derive(Debug, PartialEq)]
struct Entry {
    name: String,
    object: String,
    bytes: Option<u64>,
}

/// The map files of a folder from `git ls-tree -l -z`, by the rule of
/// [`super::map_files`]: visible files directly in the folder whose names end in `.ron`.
/// Symbolic links are left out, since their content is the link, not a map.
fn map_entries(listing: &[u8]) -> Vec<Entry> {
    const SYMBOLIC_LINK: &str = "120000";
    let listing = String::from_utf8_lossy(listing);
    listing
        .split('\0')
        .filter_map(|line| {
            let (meta, name) = line.split_once('\t')?;
            let mut meta = meta.split_whitespace();
            let (mode, kind, object, size) =
                (meta.next()?, meta.next()?, meta.next()?, meta.next());
            let visible = !name.starts_with('.');
            let ron = Path::new(name).extension().is_some_and(|ext| ext == "ron");
            (kind == "blob" && mode != SYMBOLIC_LINK && visible && ron).then(|| Entry {
                name: name.to_owned(),
                object: object.to_owned(),
                bytes: size.and_then(|s| s.parse().ok()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(rev: &str, path: &str) -> Option<Revision> {
        Some(Revision {
            rev: rev.to_owned(),
            path: path.to_owned(),
        })
    }

    #[test]
    fn an_argument_with_a_colon_names_a_revision() {
        assert_eq!(
            Revision::from_arg("HEAD~3:maps/ai-value-chain"),
            revision("HEAD~3", "maps/ai-value-chain")
        );
        assert_eq!(Revision::from_arg("v1.0:"), revision("v1.0", ""));
        assert_eq!(Revision::from_arg(":maps"), revision("", "maps"));
        assert_eq!(
            Revision::from_arg("main@{2024-01-02 10:00}:map.ron"),
            revision("main@{2024-01-02 10:00}", "map.ron")
        );
    }

    #[test]
    fn an_argument_without_a_colon_or_naming_a_path_is_a_path() {
        assert_eq!(Revision::from_arg("maps/ai-value-chain"), None);
        assert_eq!(Revision::from_arg("HEAD"), None);
        // The part before the colon is a folder of the crate (tests run in its folder).
        assert_eq!(Revision::from_arg("maps:x"), None);
    }

    #[test]
    fn repository_paths_are_from_the_top_unless_they_start_with_a_dot() {
        assert_eq!(
            repository_path("maps/x/", "sub/").as_deref(),
            Some("maps/x")
        );
        assert_eq!(
            repository_path("./x.ron", "sub/").as_deref(),
            Some("sub/x.ron")
        );
        assert_eq!(repository_path("../maps", "sub/").as_deref(), Some("maps"));
        assert_eq!(repository_path(".", "").as_deref(), Some(""));
        assert_eq!(repository_path("../..", "sub/"), None);
    }

    #[test]
    fn map_entries_keep_visible_ron_files_directly_in_the_folder() {
        let listing = b"100644 blob aaa     120\tb.ron\0\
100644 blob bbb      10\t.hidden.ron\0\
100644 blob ccc      10\tnotes.md\0\
040000 tree ddd       -\tsub.ron\0\
120000 blob eee       9\tlink.ron\0\
100755 blob fff      77\ta.ron\0";
        let entries = map_entries(listing);
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["b.ron", "a.ron"]);
        assert_eq!(
            entries[0],
            Entry {
                name: "b.ron".to_owned(),
                object: "aaa".to_owned(),
                bytes: Some(120),
            }
        );
    }

    #[test]
    fn revisions_that_look_like_options_are_refused_before_git_runs() {
        let spec = Revision {
            rev: "--output=x".to_owned(),
            path: "maps".to_owned(),
        };
        let error = load(&spec, Path::new(".")).err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("--output=x:maps: a revision may not start with `-`")
        );
    }
}
