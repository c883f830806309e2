//! A map's recent history in git: the last commits that touched its files, and what the
//! latest of them changed (the map at that commit against the map just before it, read as
//! [`super::revision`] reads any revision). Slow (several git runs), so the window reads
//! it once per map, away from the UI thread.
//!
//! Only reads: `git log`, and what [`super::revision::load`] runs. A map outside a git
//! working tree, or without git installed, simply has no history.

use super::revision::{self, Revision};
use crate::model::diff::{MapDiff, diff};
use std::path::Path;
use std::process::{Command, Stdio};

/// One commit that touched the map's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The abbreviated commit id.
    pub id: String,
    /// The commit date, `YYYY-MM-DD`.
    pub date: String,
    pub subject: String,
}

/// The map's latest commits, newest first, and what the newest one changed in the map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    pub commits: Vec<Commit>,
    /// From the map before the newest commit to the map it made (`None` when either
    /// could not be read, as for the commit that added the map).
    pub latest_change: Option<MapDiff>,
}

/// The map at `root` (a file or a folder)'s last `count` commits and what the newest one
/// changed; `None` when the map is not in a git working tree or git cannot run.
pub fn recent(root: &Path, count: usize) -> Option<History> {
    let (dir, pathspec) = if root.is_dir() {
        (root.to_path_buf(), ".".to_owned())
    } else {
        let dir = root.parent().filter(|p| !p.as_os_str().is_empty());
        let name = root.file_name()?.to_string_lossy().into_owned();
        (dir.map_or_else(|| ".".into(), Path::to_path_buf), name)
    };
    let output = Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["log", "-n", &count.to_string()])
        .args(["--format=%h%x1f%ad%x1f%s", "--date=short", "--"])
        .arg(&pathspec)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let commits = parse_log(&String::from_utf8_lossy(&output.stdout));
    let latest_change = commits.first().and_then(|newest| {
        let at = |rev: String| {
            let revision = Revision {
                rev,
                path: format!("./{}", if pathspec == "." { "" } else { &pathspec }),
            };
            revision::load(&revision, &dir).ok()
        };
        let after = at(newest.id.clone())?;
        let before = at(format!("{}~1", newest.id))?;
        Some(diff(&before.map, &after.map))
    });
    Some(History {
        commits,
        latest_change,
    })
}

/// The commits of `git log --format=%h%x1f%ad%x1f%s`, one a line.
fn parse_log(text: &str) -> Vec<Commit> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\u{1f}');
            Some(Commit {
                id: fields.next()?.to_owned(),
                date: fields.next()?.to_owned(),
                subject: fields.next()?.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_split_into_id_date_and_subject() {
        let commits = parse_log("abc1234\u{1f}2026-11-30\u{1f}Add Groq: a chip\u{1f}maker\nbad\n");
        assert_eq!(
            commits,
            [Commit {
                id: "abc1234".to_owned(),
                date: "2026-11-30".to_owned(),
                subject: "Add Groq: a chip\u{1f}maker".to_owned(),
            }]
        );
    }
}
