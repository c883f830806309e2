//! A save killed at any moment leaves each file as it was or as it should become, never a
//! mix: `chainmap set` on a big generated map is killed 100 times, half of them at random
//! moments of its run and half just as its temporary file appears (the write itself).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 100;

/// SplitMix64: reproducible kill moments without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn set(root: &Path, id: &str, name: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chainmap"));
    command
        .args(["set", &root.display().to_string(), id, "name", name])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn temp_files(root: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(root)
        .map(|entries| {
            entries
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tmp"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_killed_save_leaves_the_old_file_or_the_new_one() {
    let (_dir, root) = common::temp_path("big");
    let generated = common::chainmap(&[
        "generate",
        "--nodes",
        "2000",
        "--seed",
        "7",
        &root.display().to_string(),
    ]);
    assert!(generated.status.success());
    let target = root.join("4-applications.ron");
    let id = "n1000";
    assert!(
        std::fs::read_to_string(&target)
            .expect("reads")
            .contains("id: \"n1000\""),
        "the node to edit is in the biggest file"
    );

    // How long one whole run takes here.
    let started = Instant::now();
    let status = set(&root, id, "warm-up").status().expect("runs");
    assert!(status.success());
    let run_time = started.elapsed();

    let mut rng = Rng(2026);
    let mut old = std::fs::read_to_string(&target).expect("reads");
    let name_line = name_line(&old, id);
    let mut name_now = "warm-up".to_owned();
    let (mut kept_old, mut became_new) = (0, 0);
    for run in 0..RUNS {
        let name = format!("Name {run}");
        let new = with_name(&old, name_line, &name);
        let mut child = set(&root, id, &name).spawn().expect("starts");
        if run % 2 == 0 {
            let micros = run_time.as_micros() as u64;
            std::thread::sleep(Duration::from_micros(micros / 4 + rng.below(micros)));
        } else {
            // Wait for the temporary file, then kill within the next few milliseconds.
            let deadline = Instant::now() + run_time * 4;
            while temp_files(&root).is_empty()
                && Instant::now() < deadline
                && child.try_wait().ok().flatten().is_none()
            {
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_micros(rng.below(3000)));
        }
        let _ = child.kill();
        let _ = child.wait();

        // Byte for byte the file before the run or the file the edit makes: one line
        // changed, everything else (comments, order, numbers) as it was.
        let now = std::fs::read_to_string(&target).expect("the file is still there");
        if now == old {
            kept_old += 1;
        } else {
            assert!(
                now == new,
                "run {run}: neither the old file nor the new one:\n{now}"
            );
            became_new += 1;
            name_now = name;
            old = now;
        }
    }
    // Leftover temporary files are hidden and never read as part of the map, which holds
    // the name of the last save that landed.
    let loaded = chainmap::io::load(&root).expect("loads");
    assert_eq!(loaded.error_count(), 0);
    let node = loaded
        .map
        .nodes
        .iter()
        .find(|n| n.id == id)
        .expect("the node");
    assert_eq!(node.name, name_now);
    // Both outcomes happened: a test whose kills never landed (or never missed) would
    // not have tested a crash in the middle of a save.
    assert!(
        kept_old > 0,
        "no kill landed before its save: {became_new} saves all finished"
    );
    assert!(
        became_new > 0,
        "no save finished: the edit was never seen to land"
    );
    eprintln!(
        "{RUNS} killed saves: {kept_old} left the old file, {became_new} the new one; {} temporary files left",
        temp_files(&root).len()
    );
}

/// The index of the line holding the name of node `id`.
fn name_line(text: &str, id: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("id: \"{id}\","))
        .expect("the node's id line");
    at + lines
        .iter()
        .skip(at)
        .position(|l| l.trim_start().starts_with("name: "))
        .expect("the node's name line")
}

/// `text` with the name on line `line` set to `name`, as `set` writes it.
fn with_name(text: &str, line: usize, name: &str) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                let indent = &l[..l.len() - l.trim_start().len()];
                format!("{indent}name: \"{name}\",\n")
            } else {
                l.to_owned()
            }
        })
        .collect()
}
