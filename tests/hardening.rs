//! What a black-box attack broke (issue 14), each case as it was found: racing saves,
//! `-o` onto pipes, the views file's limits, NaN, files grown past the size limit,
//! `generate` over a map, hostile text and terminal escapes. Races run a bounded number of
//! rounds, each with a time limit.

mod common;

use common::{chainmap, chainmap_with_limit, path_str, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A one-file map with two nodes and two figures: small, so that rounds are quick.
const SMALL_MAP: &str = r#"Map(
    title: "Race",
    sources: [Source(id: "s", title: "S")],
    tiers: [Tier(id: "hw", name: "Hardware")],
    segments: [Segment(id: "chips", tier: "hw", name: "Chips")],
    nodes: [
        Node(id: "a", name: "A", kind: Company, tier: "hw", segments: ["chips"]),
        Node(id: "b", name: "B", kind: Company, tier: "hw", segments: ["chips"]),
    ],
    markets: [Market(id: "m", name: "M")],
    figures: [
        Figure(id: "fa", subject: "a", market: "m", metric: "share", low: 10, high: 20, unit: "%", qualifier: Range, source: "s"),
        Figure(id: "fb", subject: "b", market: "m", metric: "share", low: 30, high: 40, unit: "%", qualifier: Range, source: "s"),
    ],
)
"#;

fn small_map() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = common::temp_path("map");
    std::fs::create_dir(&root).expect("creates the map folder");
    std::fs::write(root.join("map.ron"), SMALL_MAP).expect("writes the map");
    (dir, root)
}

/// Asserts that a command exited with `code` and said `message` on standard error.
fn assert_refused(output: &std::process::Output, code: i32, message: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", stderr(output));
    assert!(stderr(output).contains(message), "{}", stderr(output));
}

/// Asserts that the file holds `text`, byte for byte.
fn assert_holds(path: &Path, text: &str) {
    assert_eq!(std::fs::read_to_string(path).expect("reads"), text);
}

fn spawn_set(root: &Path, id: &str, field: &str, value: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_chainmap"))
        .args(["set", path_str(root), id, field, value])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chainmap starts")
}

/// How many times a round looks for `set`'s temporary file before it gives up (each look
/// reads a folder: some microseconds), beside its time limit.
const MAX_LOOKS: usize = 5_000_000;

/// Waits for a child at most `limit` (in 2 ms steps, counted too); a hang fails the test
/// instead of hanging it.
fn wait(child: &mut Child, limit: Duration) -> Option<i32> {
    const STEP: Duration = Duration::from_millis(2);
    let started = Instant::now();
    let steps = limit.as_millis() / STEP.as_millis() + 1;
    for _ in 0..steps {
        if let Some(status) = child.try_wait().expect("waits") {
            return status.code();
        }
        if started.elapsed() > limit {
            break;
        }
        std::thread::sleep(STEP);
    }
    let _ = child.kill();
    panic!("a child ran past {limit:?}");
}

#[test]
fn two_sets_started_together_both_land() {
    const ROUNDS: usize = 30;
    let (_dir, root) = small_map();
    for round in 0..ROUNDS {
        let (high_a, high_b) = (21 + round, 41 + round);
        let mut first = spawn_set(&root, "fa", "high", &high_a.to_string());
        let mut second = spawn_set(&root, "fb", "high", &high_b.to_string());
        let codes = [
            wait(&mut first, Duration::from_secs(60)),
            wait(&mut second, Duration::from_secs(60)),
        ];
        assert_eq!(
            codes,
            [Some(0), Some(0)],
            "round {round}: both sets succeed"
        );
        let text = std::fs::read_to_string(root.join("map.ron")).expect("reads the map");
        assert!(
            text.contains(&format!("high: {high_a}")) && text.contains(&format!("high: {high_b}")),
            "round {round}: an edit was lost:\n{text}"
        );
    }
}

/// Another program (not chainmap, so without its lock) appends a line to the file just as
/// `set` writes its temporary file: the appended line is never lost, and when `set` could
/// not keep it, `set` says so and fails.
///
/// Each round is judged by where the line went, not by how long anything took: an append
/// into the file that is still in place must be there, whatever `set` did; an append into
/// the file `set` swapped out (opened before the swap, written after `set`'s last look at
/// it, which no program can see coming) is only possible when `set` succeeded.
#[cfg(unix)]
#[test]
fn an_outside_writer_racing_a_set_is_never_lost() {
    use std::os::unix::fs::MetadataExt as _;
    const ROUNDS: usize = 20;
    let (_dir, root) = common::temp_path("big");
    common::run_ok("generate --nodes 2000 --seed 3", &[path_str(&root)]);
    let loaded = chainmap::io::load(&root).expect("loads");
    let node = loaded.map.nodes.last().expect("a node");
    let file = loaded
        .files
        .iter()
        .map(|f| f.path.clone())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(&format!("\"{}\"", node.id))))
        .expect("the node's file");
    let (mut kept, mut swapped_out, mut refused, mut raced) = (0, 0, 0, 0);
    for round in 0..ROUNDS {
        let name = format!("Renamed {round}");
        let marker = format!("// appended by another program, round {round}\n");
        let before = std::fs::read_to_string(&file).expect("reads the file");
        let mut set = spawn_set(&root, &node.id, "name", &name);
        // Append as soon as the temporary file appears: between the old check and the
        // rename. The time limit only keeps a broken `set` from hanging the test.
        let started = Instant::now();
        let mut appended_to = None;
        // Bounded in looks and in time, whichever ends first.
        for _ in 0..MAX_LOOKS {
            if started.elapsed() >= Duration::from_secs(60) {
                break;
            }
            let writing = std::fs::read_dir(&root).is_ok_and(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            });
            if writing || set.try_wait().expect("waits").is_some() {
                use std::io::Write as _;
                raced += usize::from(writing);
                let mut out = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&file)
                    .expect("opens the file to append");
                out.write_all(marker.as_bytes()).expect("appends");
                appended_to = Some(out.metadata().expect("the appended file").ino());
                break;
            }
        }
        let appended_to = appended_to.unwrap_or_else(|| panic!("round {round}: never appended"));
        let code = wait(&mut set, Duration::from_secs(60));
        let text = std::fs::read_to_string(&file).expect("reads the file");
        let in_place = std::fs::metadata(&file).expect("the file").ino();
        let said = {
            let mut said = String::new();
            if let Some(mut err) = set.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut err, &mut said);
            }
            said
        };
        if appended_to == in_place {
            kept += 1;
            assert!(
                text.contains(&marker),
                "round {round}: the other program's line is gone (set exited {code:?}: {said})"
            );
        } else {
            // Written into the file `set` swapped out after its last look: `set` kept its
            // version, which holds its edit and nothing else new.
            swapped_out += 1;
            assert_eq!(code, Some(0), "round {round}: {said}");
            assert!(
                !text.contains(&marker),
                "round {round}: the line is in two files"
            );
        }
        match code {
            Some(0) => assert!(text.contains(&name), "round {round}: set's edit is gone"),
            _ => {
                // Refused for the race, and said so: not failed for another reason.
                assert!(said.contains("changed on disk"), "round {round}: {said}");
                assert!(!text.contains(&name), "round {round}: refused, yet written");
                assert_eq!(
                    text,
                    before + &marker,
                    "round {round}: refused, yet changed"
                );
                refused += 1;
            }
        }
    }
    // A race lost to the other program is reported (set fails and writes nothing), never
    // silent: whether set or the other program came first, both lines were checked above.
    eprintln!(
        "{ROUNDS} rounds: {raced} raced, {refused} refused, {kept} appended in place, {swapped_out} into the swapped-out file"
    );
    assert!(raced > 0, "no append came while set was writing");
    assert!(kept > 0, "no append was ever checked in the file in place");
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn output_onto_a_fifo_writes_into_it_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt as _;
    let (dir, fifo) = common::temp_path("out.fifo");
    mkfifo(&fifo);
    let copy = dir.path().join("read.csv");
    // A reader on the pipe, as a process that can be killed if the pipe was replaced.
    let mut reader = Command::new("sh")
        .args([
            "-c",
            &format!("cat '{}' > '{}'", fifo.display(), copy.display()),
        ])
        .spawn()
        .expect("sh starts");
    let output = common::run(
        "export maps/ai-value-chain --format csv -o",
        &[path_str(&fifo)],
    );
    let still_fifo = std::fs::symlink_metadata(&fifo).is_ok_and(|m| m.file_type().is_fifo());
    if !still_fifo {
        let _ = reader.kill();
    }
    let _ = wait(&mut reader, Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(still_fifo, "the FIFO was replaced by a file");
    let csv = std::fs::read_to_string(&copy).expect("the reader's copy");
    assert!(csv.starts_with("id,subject,metric"), "{csv}");
}

#[cfg(target_os = "linux")]
#[test]
fn output_through_proc_self_fd_reaches_standard_output() {
    let output = common::run_ok(
        "export maps/ai-value-chain --format csv -o /proc/self/fd/1",
        &[],
    );
    assert!(stdout(&output).starts_with("id,subject,metric"));
}

/// `export --view x` of the map at `root`, which must end within 30 s.
fn export_view(root: &Path) -> std::process::Output {
    let out = root.join("out.svg");
    let args = ["export", path_str(root), "--format", "svg", "--view", "x"];
    let args: Vec<&str> = args.into_iter().chain(["-o", path_str(&out)]).collect();
    chainmap_with_limit(&args, Duration::from_secs(30))
}

#[cfg(unix)]
#[test]
fn a_views_file_that_is_a_fifo_is_refused_unread() {
    let (_dir, root) = small_map();
    mkfifo(&chainmap::ui::views::views_path(&root));
    assert_refused(&export_view(&root), 2, "not a regular file");
}

#[test]
fn a_huge_sparse_views_file_is_refused_unread() {
    let (_dir, root) = small_map();
    let views = std::fs::File::create(chainmap::ui::views::views_path(&root)).expect("creates");
    views
        .set_len(20 * 1024 * 1024 * 1024)
        .expect("a sparse file");
    drop(views);
    assert_refused(
        &export_view(&root),
        2,
        "21474836480 bytes; map files may be at most 33554432 bytes",
    );
}

#[test]
fn nan_is_refused_as_not_finite() {
    let (_dir, root) = small_map();
    let before = std::fs::read_to_string(root.join("map.ron")).expect("reads");
    for (id, field, value) in [("fa", "high", "NaN"), ("a", "pin", "(NaN, 0)")] {
        let output = chainmap(&["set", path_str(&root), id, field, value]);
        assert_refused(&output, 1, "must be a finite number");
        assert!(!stderr(&output).contains("changed under the edit"));
    }
    let after = std::fs::read_to_string(root.join("map.ron")).expect("reads");
    assert_eq!(before, after);
}

#[test]
fn set_never_grows_a_file_past_the_limit() {
    let (_dir, root) = small_map();
    let limit = chainmap::io::MAX_FILE_BYTES as usize;
    // A comment brings the file within 1,000 bytes of the limit.
    let padding = limit - SMALL_MAP.len() - 1_000;
    let text = format!("{SMALL_MAP}//{}\n", "x".repeat(padding - 3));
    std::fs::write(root.join("map.ron"), &text).expect("writes");
    let long = "y".repeat(2_000);
    let output = chainmap(&["set", path_str(&root), "a", "description", &long]);
    assert_refused(&output, 1, "map files may be at most");
    assert_holds(&root.join("map.ron"), &text);
}

#[test]
fn set_refuses_an_id_two_entities_share() {
    let (_dir, root) = small_map();
    let shared = SMALL_MAP
        .replace("Market(id: \"m\"", "Market(id: \"a\"")
        .replace("market: \"m\"", "market: \"a\"");
    std::fs::write(root.join("map.ron"), &shared).expect("writes");
    let output = chainmap(&["set", path_str(&root), "a", "name", "Z"]);
    assert_refused(&output, 1, "2 entities share the id \"a\"");
    assert_holds(&root.join("map.ron"), &shared);
}

#[test]
fn generate_never_writes_over_a_map_and_bounds_its_size() {
    let (_dir, root) = small_map();
    let output = chainmap(&["generate", "--nodes", "20", path_str(&root)]);
    assert_refused(&output, 2, "already holds map files");
    assert_holds(&root.join("map.ron"), SMALL_MAP);
    let fresh = root.join("huge");
    let output = chainmap_with_limit(
        &["generate", "--nodes", "10000000", path_str(&fresh)],
        Duration::from_secs(10),
    );
    assert_refused(&output, 2, "at most 100000");
    assert!(!fresh.exists());
}

#[test]
fn a_picture_too_large_is_refused_before_it_is_drawn() {
    let (_dir, out) = common::temp_path("map.png");
    let output = common::run(
        "export maps/ai-value-chain --format png --scale 16 -o",
        &[path_str(&out)],
    );
    assert_refused(&output, 2, "use --scale");
    assert!(!out.exists());
}

#[test]
fn text_the_loader_used_to_misread() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // U+FFFF is a valid character: the file is UTF-8.
    let nonchar = dir.path().join("nonchar.ron");
    std::fs::write(&nonchar, SMALL_MAP.replace("\"Race\"", "\"Race \u{FFFF}\"")).expect("writes");
    let output = chainmap(&["check", path_str(&nonchar)]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    // A byte-order mark (as Windows editors write) is accepted, and columns on the first
    // line are those an editor shows, the mark not counted.
    let bom = dir.path().join("bom.ron");
    std::fs::write(&bom, format!("\u{FEFF}{SMALL_MAP}")).expect("writes");
    let output = chainmap(&["check", path_str(&bom)]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    for (name, mark) in [("plain.ron", ""), ("marked.ron", "\u{FEFF}")] {
        let broken = dir.path().join(name);
        std::fs::write(&broken, format!("{mark}Map(title: \"T\", nodes: 7)\n")).expect("writes");
        let output = common::run("check", &[path_str(&broken)]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        // `7` is in column 24 whether or not a mark comes first.
        common::assert_has(&stdout(&output), &format!("{name}:1:24: error:"));
    }
    // One byte over the limit reads as over it.
    let big = dir.path().join("big.ron");
    let file = std::fs::File::create(&big).expect("creates");
    file.set_len(chainmap::io::MAX_FILE_BYTES + 1)
        .expect("sizes");
    drop(file);
    let output = common::run("check", &[path_str(&big)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    common::assert_has(
        &stdout(&output),
        "the file is 33554433 bytes; map files may be at most 33554432 bytes",
    );
}

#[test]
fn a_set_keeps_the_byte_order_mark_and_changes_one_line() {
    let (_dir, root) = small_map();
    let file = root.join("map.ron");
    let marked = format!("\u{FEFF}{SMALL_MAP}");
    std::fs::write(&file, &marked).expect("writes");
    let output = chainmap(&["set", path_str(&root), "fa", "high", "25"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let after = std::fs::read_to_string(&file).expect("reads");
    assert!(after.starts_with('\u{FEFF}'), "the mark is gone:\n{after}");
    let changed: Vec<(&str, &str)> = marked
        .lines()
        .zip(after.lines())
        .filter(|(old, new)| old != new)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed.iter().all(|(_, new)| new.contains("high: 25")),
        "{changed:?}"
    );
    assert_eq!(marked.lines().count(), after.lines().count());
    let output = chainmap(&["check", path_str(&root)]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn check_never_prints_a_control_character() {
    let (_dir, hostile) = common::temp_path("hostile.ron");
    // An escape that would retitle the terminal, in an id the checker complains about.
    let text = SMALL_MAP.replace("id: \"a\"", "id: \"a\u{1b}]0;owned\u{7}\"");
    std::fs::write(&hostile, text).expect("writes");
    let output = common::run("check", &[path_str(&hostile)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let printed = [stdout(&output), stderr(&output)].concat();
    assert!(printed.contains("\\u{1b}]0;owned\\u{7}"), "{printed}");
    assert!(
        !printed.chars().any(|c| c.is_control() && c != '\n'),
        "{printed:?}"
    );
}

#[test]
fn markdown_shows_a_maps_text_and_never_runs_it() {
    let (_dir, root) = small_map();
    let hostile = SMALL_MAP.replace(
        "    figures: [",
        "    theses: [Thesis(id: \"t\", title: \"<script>alert(1)</script>\\n# Not a heading\", claim: \"[click](https://evil.example)\", stance: Bullish, conviction: 3, status: Active, about: [\"a\"])],\n    figures: [",
    );
    std::fs::write(root.join("map.ron"), hostile).expect("writes");
    let output = common::run_ok("export", &[path_str(&root), "--format", "md"]);
    let text = stdout(&output);
    assert!(!text.contains("<script>"), "{text}");
    assert!(text.contains("\\<script\\>"), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("# Not a heading")),
        "{text}"
    );
    assert!(!text.contains("[click](https"), "{text}");
}

#[test]
fn a_map_without_a_title_is_an_error() {
    let (_dir, untitled) = common::temp_path("untitled.ron");
    std::fs::write(&untitled, SMALL_MAP.replace("    title: \"Race\",\n", "")).expect("writes");
    let output = common::run("check", &[path_str(&untitled)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    common::assert_has(&stdout(&output), "error: the map has no `title`");
}
