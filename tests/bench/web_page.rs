//! Web page benchmark: the size of `export --format html` and the time headless Chromium
//! takes to open it (from navigation to the page's script having drawn the map and being
//! ready for input), for the bundled map, a generated 2,413-item landscape and a generated
//! 20,000-node map; then, in the opened page, the time a selection takes (the script's work
//! and the layout it forces, as a reader who picks a card or follows a link waits for it).
//!
//! Run: `cargo bench --bench web_page` (release build; needs Debian's `chromium`, or the
//! one `CHROMIUM` names). Prints, for each map, the page's size and the median and 90th
//! percentile of RUNS openings, each in a fresh browser, and of one selection in each.

#[path = "../common/chromium.rs"]
mod chromium;

use chromium::Chromium;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 9;

/// How long opening the page took, and how long selecting its `run`-th spread node took.
fn open_and_select(file: &Path, run: usize) -> (Duration, Duration) {
    let chromium = Chromium::launch();
    let tab = chromium.browser.new_tab().expect("a tab");
    let started = Instant::now();
    tab.navigate_to(&format!("file://{}", file.display()))
        .expect("navigates");
    // Bounded in looks (10 ms apart) and in time: 60 s at most.
    for _ in 0..6_000 {
        let ready = tab
            .evaluate(
                "document.body && document.body.dataset.ready === '1'",
                false,
            )
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ready {
            let opened = started.elapsed();
            return (opened, select_time(&tab, run));
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the page never got ready"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the page was not ready after 6,000 looks");
}

/// Selects a node as following a link to it does (the hash names it), timed inside the page:
/// the `hashchange` handler runs synchronously when dispatched, and reading a size after it
/// makes the browser do the style and layout work the new details and cards need.
fn select_time(tab: &headless_chrome::Tab, run: usize) -> Duration {
    let script = format!(
        "(() => {{ const nodes = JSON.parse(document.getElementById('map-data').textContent).nodes; \
         const node = nodes[({run} * 7919) % nodes.length]; \
         const t = performance.now(); \
         history.replaceState(null, '', '#sel=' + encodeURIComponent(node.id)); \
         window.dispatchEvent(new HashChangeEvent('hashchange')); \
         void document.body.offsetHeight; \
         const took = performance.now() - t; \
         const shown = document.querySelector('#details h2').textContent; \
         return (shown === node.name[0] || shown === node.name[1]) ? took : -1; }})()"
    );
    let took = tab
        .evaluate(&script, false)
        .expect("the selection runs")
        .value
        .and_then(|v| v.as_f64())
        .expect("a time");
    assert!(took >= 0.0, "the selection did not show the node's details");
    Duration::from_secs_f64(took / 1000.0)
}

/// Exports the map at `map` as `chainmap export` does, and times its opening.
fn measure(name: &str, map: &Path, dir: &Path) {
    let file = dir.join(format!("{name}.html"));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_chainmap"))
        .arg("export")
        .arg(map)
        .args(["--format", "html", "-o"])
        .arg(&file)
        .status()
        .expect("export runs");
    assert!(status.success());
    let nodes = chainmap::io::load(map).expect("loads").map.nodes.len();
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let (mut opens, mut selects): (Vec<f64>, Vec<f64>) = (0..RUNS)
        .map(|run| {
            let (open, select) = open_and_select(&file, run);
            (open.as_secs_f64() * 1000.0, select.as_secs_f64() * 1000.0)
        })
        .unzip();
    opens.sort_by(f64::total_cmp);
    selects.sort_by(f64::total_cmp);
    let at = |times: &[f64], q: f64| {
        // The nearest rank: the 90th percentile of 9 runs is the 9th.
        let rank = (q * times.len() as f64).ceil() as usize;
        times
            .get(rank.saturating_sub(1))
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "{name}: {} nodes, {:.2} MB, open {:.0} ms median, {:.0} ms 90th percentile; \
         select {:.1} ms median, {:.1} ms 90th percentile ({RUNS} runs)",
        nodes,
        size as f64 / 1_000_000.0,
        at(&opens, 0.5),
        at(&opens, 0.9),
        at(&selects, 0.5),
        at(&selects, 0.9),
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp");
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/ai-value-chain");
    measure("bundled", &bundled, dir.path());
    let generated = |n: usize, landscape: bool| {
        let out = dir.path().join(format!("map-{n}-{landscape}"));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_chainmap"))
            .args(["generate", "--nodes", &n.to_string()])
            .args(if landscape {
                &["--shape", "landscape"][..]
            } else {
                &[][..]
            })
            .arg(&out)
            .status()
            .expect("generate runs");
        assert!(status.success());
        out
    };
    measure("landscape-2413", &generated(2413, true), dir.path());
    measure("generated-20000", &generated(20_000, false), dir.path());
}
