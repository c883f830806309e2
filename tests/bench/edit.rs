//! Editing benchmark: what one edit costs on generated maps of 2,000 and 20,000 nodes,
//! as `chainmap generate` writes them (a folder, one file per tier): checking it (the
//! first check after the map changed, which indexes the draft, then each keystroke of a
//! form typing the name: its edit made and checked again), making it (applied, patched
//! into its file's text, the edited map validated again), undoing it, and saving it
//! (patch, read back, atomic write, fsync).
//!
//! Run: `cargo bench --bench edit` (`CHAINMAP_BENCH_SIZES=2000` picks sizes).

mod util;

use chainmap::io::field::set_field;
use chainmap::io::save::OnDiskChange;
use chainmap::io::session::Session;
use chainmap::model::EntityKind;
use std::time::Instant;

const RUNS: usize = 15;

fn median(times: Vec<f64>) -> f64 {
    percentile(times, 0.5)
}

/// The nearest-rank percentile `q` of `times`.
fn percentile(mut times: Vec<f64>, q: f64) -> f64 {
    times.sort_by(f64::total_cmp);
    let rank = (q * times.len() as f64).ceil() as usize;
    times[rank.clamp(1, times.len()) - 1]
}

/// Keystrokes typed into a form per run.
const KEYSTROKES: usize = 12;

fn main() {
    let sizes = util::sizes(&[2_000, 20_000]);
    println!(
        "| nodes | first check after a change | a keystroke (median / p90) | make (apply, patch, validate) | undo | save |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("map");
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_chainmap"))
            .args([
                "generate",
                "--nodes",
                &n.to_string(),
                &root.display().to_string(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("runs generate");
        assert!(status.success());
        let mut session = Session::new(chainmap::io::load(&root).expect("loads"));
        // A node in the biggest file (applications), renamed: the costliest file to patch.
        let id = session
            .map()
            .nodes
            .last()
            .map(|node| node.id.clone())
            .expect("a node");
        let (mut check, mut make, mut undo, mut save) = (vec![], vec![], vec![], vec![]);
        let mut keystrokes = Vec::new();
        for run in 0..RUNS {
            let node = session.draft().get(EntityKind::Node, &id).expect("exists");
            let renamed = set_field(&node, "name", &format!("Renamed {run}")).expect("valid");
            let edit = session
                .draft()
                .replace(renamed, "rename")
                .expect("replaceable");

            let started = Instant::now();
            let verdict = session.check(&edit).expect("checks");
            check.push(started.elapsed().as_secs_f64() * 1000.0);
            assert!(!verdict.is_refused());
            // The form's name typed a character at a time, each keystroke checked.
            for typed in 1..=KEYSTROKES {
                let name: String = "Renamed by hand".chars().take(typed).collect();
                let started = Instant::now();
                let typed = set_field(&node, "name", &format!("{name:?}")).expect("valid");
                let edit = session
                    .draft()
                    .replace(typed, "check")
                    .expect("replaceable");
                let verdict = session.check(&edit).expect("checks");
                keystrokes.push(started.elapsed().as_secs_f64() * 1000.0);
                assert!(!verdict.is_refused());
            }

            let started = Instant::now();
            session.perform(edit.clone()).expect("valid");
            make.push(started.elapsed().as_secs_f64() * 1000.0);

            let started = Instant::now();
            session.undo().expect("undoes");
            undo.push(started.elapsed().as_secs_f64() * 1000.0);

            session.perform(edit).expect("valid");
            let started = Instant::now();
            session.save(OnDiskChange::Refuse).expect("saves");
            save.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "| {n} | {:.1} ms | {:.2} / {:.2} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
            median(check),
            median(keystrokes.clone()),
            percentile(keystrokes, 0.9),
            median(make),
            median(undo),
            median(save)
        );
    }
}
