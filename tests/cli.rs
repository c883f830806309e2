//! The command-line contract: `stats`, `export --format csv|md`, exit statuses.

mod common;

use common::{chainmap, stderr, stdout};

/// Every figure of the report's digest (§5), by id: each must be a row of the CSV export.
const DIGEST_FIGURES: [&str; 80] = [
    "q01", "q02", "q03", "q04", "q05", "q06", "q07", "q08", "q09", "q10", "q11", "q12", "q13",
    "q14", "q15", "q16", "q17", "q18", "q19", "q20", "q21", "q22", "q23", "q24", "q25", "q26",
    "q27", "q28", "q29", "q30", "q31", "q32", "q33", "q34", "q35", "q36", "q37", "q38", "q39",
    "q40", "q41", "q42", "q43", "q44", "q45", "q45b", "q46", "q47", "q48", "q49", "q50", "q51",
    "q52", "q53", "q54", "q55", "q56", "q57", "q58", "q59", "q60", "q61", "q62", "q63", "q64",
    "q65", "q66", "q67", "q68", "q69", "q70", "q71", "q72", "q73", "q74", "q78", "q79", "q80",
    "q81", "q82",
];

#[test]
fn check_passes_on_the_shipped_maps() {
    let output = chainmap(&["check", "maps/reference.ron", "maps/ai-value-chain"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    common::assert_has(&stderr(&output), "checked 2 maps: 0 errors");
}

#[test]
fn stats_json_gives_integer_counts() {
    let output = common::run_ok("stats maps/ai-value-chain --json", &[]);
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    for key in [
        "tiers", "segments", "nodes", "links", "theses", "figures", "sources",
    ] {
        assert!(stats[key].is_u64(), "{key} is an integer: {}", stats[key]);
    }
    assert_eq!(stats["tiers"], 4);
    assert!(stats["load_ms"].is_f64());
    let markets = stats["concentration"]
        .as_array()
        .expect("concentration list");
    let hardware = markets
        .iter()
        .find(|m| m["market"] == "ai-hardware-value")
        .expect("the hardware value split is a market");
    assert_eq!(hardware["top1_low"], 55.0);
}

#[test]
fn stats_text_names_the_counts() {
    let output = chainmap(&["stats", "maps/reference.ron"]);
    let text = stdout(&output);
    assert!(text.contains("nodes") && text.contains("load_ms"), "{text}");
    assert!(
        text.contains("accelerators"),
        "market concentration listed: {text}"
    );
}

#[test]
fn csv_export_has_the_contract_columns_and_every_digest_figure() {
    let output = common::run_ok("export maps/ai-value-chain --format csv", &[]);
    let text = stdout(&output);
    let mut lines = text.lines();
    let header = lines.next().expect("a header row");
    assert!(
        header.starts_with("id,subject,metric,low,high,unit,qualifier,scope,as_of,source,quote")
    );
    let ids: Vec<&str> = lines
        .map(|line| line.split(',').next().unwrap_or_default())
        .collect();
    for figure in DIGEST_FIGURES {
        assert!(ids.contains(&figure), "figure {figure} is a row of the CSV");
    }
}

#[test]
fn csv_export_quotes_fields_with_commas_and_quotes() {
    let output = chainmap(&["export", "maps/reference.ron", "--format", "csv"]);
    let text = stdout(&output);
    let row = text
        .lines()
        .find(|line| line.starts_with("f-chipco-share,"))
        .expect("the reference figure is exported");
    assert_eq!(
        row,
        "f-chipco-share,chipco,market share,60,80,%,range,\"worldwide, data-centre\",2023-03,example-report,ChipCo holds 60 to 80% of the market.,60–80%,accelerators,p. 7,\"Revenue share, not units.\",,base"
    );
}

#[test]
fn markdown_export_reports_theses_with_evidence() {
    let output = chainmap(&["export", "maps/reference.ron", "--format", "md"]);
    let text = stdout(&output);
    assert!(text.starts_with("# Example value chain\n"), "{text}");
    assert!(text.contains("#### ChipCo keeps its lead (`chipco-keeps-lead`)"));
    assert!(text.contains("> No rival ships at volume before 2025. (example-report, p. 9)"));
    assert!(text.contains("| f-chipco-share | ChipCo | market share | 60–80% | range |"));
    assert!(text.contains("Top-1 share: 60–80%"), "{text}");
}

#[test]
fn markdown_export_in_chinese_uses_the_chinese_texts() {
    let output = common::run("export maps/reference.ron --format md --lang zh", &[]);
    let text = stdout(&output);
    assert!(text.starts_with("# 示例价值链\n"), "{text}");
    assert!(text.contains("芯片公司保持领先"));
}

#[test]
fn export_to_a_file_writes_it_whole() {
    let (dir, out) = common::temp_path("figures.csv");
    let out_str = out.to_str().expect("UTF-8 path");
    common::run_ok("export maps/reference.ron --format csv -o", &[out_str]);
    let written = std::fs::read_to_string(&out).expect("the file exists");
    // A header and the reference's five figures.
    assert_eq!(written.lines().count(), 6);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("lists").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn markdown_memo_in_chinese_speaks_chinese_in_its_own_words_too() {
    let output = common::run_ok("export maps/ai-value-chain --format md --lang zh", &[]);
    let text = stdout(&output);
    for part in [
        "## 概览\n",
        "| 层级 | 判断 |",
        "## 投资判断\n",
        "## 市场\n",
        "| 主体 | 份额 | 数据 |",
        "未覆盖:≈ 30%。第一名份额:≈ 70%。HHI:≈ 4900–5800。",
        "**看多**",
    ] {
        assert!(text.contains(part), "{part} in the memo");
    }
    for english in [
        "## Markets",
        "## Theses",
        "Unclaimed:",
        "conviction ",
        "About: ",
    ] {
        assert!(
            !text.contains(english),
            "no \"{english}\" in the Chinese memo"
        );
    }
}

#[test]
fn markdown_memo_opens_with_where_the_theses_lean_by_tier() {
    let output = common::run_ok("export maps/ai-value-chain --format md", &[]);
    let text = stdout(&output);
    let glance = text
        .split("## At a glance\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("an At a glance table");
    let rows: Vec<Vec<&str>> = glance
        .lines()
        .skip(2)
        .map(|row| row.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let tiers: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(
        tiers,
        [
            "Hardware",
            "AI infra and cloud",
            "Foundation models",
            "Applications"
        ]
    );
    let total: usize = rows
        .iter()
        .map(|r| r[1].parse::<usize>().expect("a count"))
        .sum();
    assert_eq!(total, 66, "every thesis is counted once");
    for row in &rows {
        let by_stance: usize = row[2..6]
            .iter()
            .map(|c| c.parse::<usize>().expect("a count"))
            .sum();
        assert_eq!(
            by_stance.to_string(),
            row[1],
            "stances add up in {}",
            row[0]
        );
    }
}

#[test]
fn stats_and_memo_rank_markets_by_hhi_highest_first() {
    let output = chainmap(&["stats", "maps/ai-value-chain", "--json"]);
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let markets = stats["concentration"]
        .as_array()
        .expect("concentration list");
    // Markets of firms by HHI, highest first; then those whose holders are not firms,
    // which have no HHI (null) and say why.
    let hhi: Vec<Option<f64>> = markets
        .iter()
        .map(|m| Some((m["hhi_low"].as_f64()? + m["hhi_high"].as_f64()?) / 2.0))
        .collect();
    let with: Vec<f64> = hhi.iter().map_while(|h| *h).collect();
    assert!(
        with.windows(2).all(|w| w[0] >= w[1]),
        "highest HHI first: {hhi:?}"
    );
    assert!(hhi[with.len()..].iter().all(Option::is_none), "{hhi:?}");
    for market in markets.iter().skip(with.len()) {
        assert!(market["hhi_high"].is_null());
        let reason = market["no_hhi"].as_str().expect("a reason");
        assert!(reason.starts_with("holders are not firms"), "{reason}");
    }
    let kinds: Vec<&str> = markets
        .iter()
        .skip(with.len())
        .map(|m| m["market"].as_str().expect("an id"))
        .collect();
    assert_eq!(kinds, ["ai-hardware-value", "server-vendor-mix"]);
    let text = stdout(&chainmap(&["stats", "maps/ai-value-chain"]));
    assert!(
        text.contains("server-vendor-mix          top-1      75%  HHI        none"),
        "{text}"
    );
    // The memo gives no HHI over kinds of company, and says why.
    let memo = stdout(&common::run("export maps/ai-value-chain --format md", &[]));
    let hardware = memo
        .find("### Incremental AI-hardware value")
        .expect("a section");
    assert!(
        memo[hardware..].contains("HHI: none, the holders are not firms (chips,"),
        "{memo}"
    );
}

/// The report gives OpenAI "about 90%" of one market and "at least 50%" of another: the
/// first market's bounds are about and say so, the second's are bounds and say nothing more.
#[test]
fn stats_marks_the_bounds_of_a_market_given_about() {
    let stats = common::json_ok("stats maps/ai-value-chain --json", &[]);
    let markets = stats["concentration"].as_array().expect("a list");
    let approximate = |id: &str| {
        markets
            .iter()
            .find(|m| m["market"] == id)
            .map(|m| m["approximate"].clone())
            .unwrap_or_else(|| panic!("market {id}"))
    };
    assert_eq!(approximate("openai-as-infrastructure"), true);
    assert_eq!(approximate("openai-as-terminal"), true);
    assert_eq!(approximate("openai-as-public-cloud"), false);
    assert_eq!(approximate("cloud-computing"), false);
    let text = stdout(&chainmap(&["stats", "maps/ai-value-chain"]));
    common::assert_has(
        &text,
        "openai-as-infrastructure   top-1    ≈ 90%  HHI ≈ 8100–8200  unclaimed    ≈ 10%",
    );
    common::assert_has(
        &text,
        "openai-as-public-cloud     top-1  50–100%  HHI  2500–10000  unclaimed    0–50%",
    );
}

/// Runs `chainmap ARGS` with its standard output a pipe whose reader has already gone, as in
/// `chainmap check … | head` once `head` has its lines; bounded in time like every run.
fn to_a_closed_pipe(args: &[&str]) -> std::process::Output {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainmap"))
        .args(args)
        .current_dir(common::manifest_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chainmap binary starts");
    // The only reading end of the pipe: dropped, every write to it fails.
    drop(child.stdout.take());
    let started = Instant::now();
    while child.try_wait().expect("waits for chainmap").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chainmap {args:?} ran for more than a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("reads its standard error")
}

#[test]
fn a_reader_that_goes_away_ends_a_command_quietly() {
    for args in [
        &["stats", "maps/ai-value-chain"][..],
        &["stats", "maps/ai-value-chain", "--json"],
        &["check", "tests/broken/every-rule.ron"],
        &["export", "maps/ai-value-chain", "--format", "csv"],
        &["trace", "maps/ai-value-chain", "openai"],
    ] {
        let output = to_a_closed_pipe(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        let said = stderr(&output);
        assert!(
            !said.contains("panicked") && !said.contains("Broken pipe"),
            "{args:?} says:\n{said}"
        );
    }
}
