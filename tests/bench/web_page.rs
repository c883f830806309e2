//! Web page benchmark: the size of `export --format html` and the time headless Chromium
//! takes to open it (from navigation to the page's script having drawn the map and being
//! ready for input), for the bundled map, a generated 2,413-item landscape and a generated
//! 20,000-node map; then, in the opened page, the time a selection takes (the script's work
//! and the layout it forces, as a reader who picks a card or follows a link waits for it),
//! and the time it takes with the map's first market laid over it (its pills and labels
//! laid out again with the titles).
//!
//! Run: `cargo bench --bench web_page` (release build; needs Debian's `chromium`, or the
//! one `CHROMIUM` names; `CHAINMAP_EXPORT=path/to/chainmap` measures the pages another
//! build writes). Prints, for each map, the page's size and the median and 90th
//! percentile of RUNS openings, each in a fresh browser, and of one selection of each kind
//! in each.

#[path = "../common/chromium.rs"]
mod chromium;

use chromium::Chromium;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 9;

/// How long opening the page took, how long selecting its `run`-th spread node took, and
/// how long selecting another with the first market open took (`None`: the map has no
/// market).
fn open_and_select(file: &Path, run: usize) -> (Duration, Duration, Option<Duration>) {
    let chromium = Chromium::launch();
    let tab = chromium.browser.new_tab().expect("a tab");
    let started = Instant::now();
    tab.navigate_to(&format!("file://{}", file.display()))
        .expect("navigates");
    // Bounded in looks (10 ms apart) and in time: 60 s at most.
    for _ in 0..6_000 {
        let ready = value_of(&tab, "document.body && document.body.dataset.ready === '1'")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ready {
            let opened = started.elapsed();
            let selected = select_time(&tab, run, "");
            let market = value_of(
                &tab,
                "(JSON.parse(document.getElementById('map-data').textContent).markets[0] || {}).id || ''",
            )
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
            let with_market = (!market.is_empty()).then(|| {
                let open = format!("market={market}&");
                tab.evaluate(
                    &format!(
                        "history.replaceState(null, '', '#{open}'); window.dispatchEvent(new HashChangeEvent('hashchange')); void document.body.offsetHeight"
                    ),
                    false,
                )
                .expect("the market opens");
                select_time(&tab, run + 1, &open)
            });
            return (opened, selected, with_market);
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the page never got ready"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the page was not ready after 6,000 looks");
}

/// The value of a JavaScript expression in `tab`, if it gave one.
fn value_of(tab: &headless_chrome::Tab, expression: &str) -> Option<serde_json::Value> {
    tab.evaluate(expression, false).ok().and_then(|r| r.value)
}

/// Selects a node as following a link to it does (the hash names it), timed inside the page:
/// the `hashchange` handler runs synchronously when dispatched, and reading a size after it
/// makes the browser do the style and layout work the new details and cards need. `keep`
/// is what the hash says besides (`market=ID&`, or nothing).
fn select_time(tab: &headless_chrome::Tab, run: usize, keep: &str) -> Duration {
    let script = format!(
        "(() => {{ const nodes = JSON.parse(document.getElementById('map-data').textContent).nodes; \
         const node = nodes[({run} * 7919) % nodes.length]; \
         const t = performance.now(); \
         history.replaceState(null, '', '#{keep}sel=' + encodeURIComponent(node.id)); \
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
    // `CHAINMAP_EXPORT=path` writes the pages with another build (an older one, to compare).
    let exporter = std::env::var_os("CHAINMAP_EXPORT")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_chainmap").into());
    let status = std::process::Command::new(exporter)
        .arg("export")
        .arg(map)
        .args(["--format", "html", "-o"])
        .arg(&file)
        .status()
        .expect("export runs");
    assert!(status.success());
    let nodes = chainmap::io::load(map).expect("loads").map.nodes.len();
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let (mut opens, mut selects, mut with_market) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        let (open, select, market) = open_and_select(&file, run);
        opens.push(open.as_secs_f64() * 1000.0);
        selects.push(select.as_secs_f64() * 1000.0);
        with_market.extend(market.map(|m| m.as_secs_f64() * 1000.0));
    }
    opens.sort_by(f64::total_cmp);
    selects.sort_by(f64::total_cmp);
    with_market.sort_by(f64::total_cmp);
    let at = |times: &[f64], q: f64| {
        // The nearest rank: the 90th percentile of 9 runs is the 9th.
        let rank = (q * times.len() as f64).ceil() as usize;
        times
            .get(rank.saturating_sub(1))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let market = if with_market.is_empty() {
        "no market".to_owned()
    } else {
        format!(
            "{:.1} ms median, {:.1} ms 90th percentile",
            at(&with_market, 0.5),
            at(&with_market, 0.9)
        )
    };
    println!(
        "{name}: {} nodes, {:.2} MB, open {:.0} ms median, {:.0} ms 90th percentile; \
         select {:.1} ms median, {:.1} ms 90th percentile; with a market open {market} \
         ({RUNS} runs)",
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
