//! Market shares as published: shares rounded to their last digit may add up to a little
//! over 100%, and the precision of each is read from how the file writes it.

use chainmap::io::{SourceFile, load_files};
use chainmap::model::Severity;
use std::path::{Path, PathBuf};

/// A one-file map with market "m" and one share per written value.
fn map_text(lows: &[&str]) -> String {
    let mut text = String::from(
        "Map(\n    title: \"Shares\",\n    sources: [Source(id: \"s\", title: \"A report\")],\n    tiers: [Tier(id: \"t\", name: \"T\")],\n    markets: [Market(id: \"m\", name: \"M\")],\n    nodes: [\n",
    );
    for i in 0..lows.len() {
        text.push_str(&format!(
            "        Node(id: \"n{i}\", name: \"N{i}\", kind: Company, tier: \"t\"),\n"
        ));
    }
    text.push_str("    ],\n    figures: [\n");
    for (i, low) in lows.iter().enumerate() {
        text.push_str(&format!(
            "        Figure(id: \"f{i}\", subject: \"n{i}\", market: \"m\", metric: \"share\", low: {low}, unit: \"%\", qualifier: Approx, source: \"s\"),\n"
        ));
    }
    text.push_str("    ],\n)\n");
    text
}

fn severities(lows: &[&str]) -> Vec<(Severity, String)> {
    let loaded = load_files(
        Path::new("shares.ron"),
        vec![SourceFile::new(
            PathBuf::from("shares.ron"),
            Some(map_text(lows)),
        )],
    );
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.to_string()))
        .collect()
}

#[test]
fn a_trailing_zero_in_the_file_makes_a_share_precise_to_that_digit() {
    // 33 + 33 + 34.5 = 100.5: whole numbers may each be half a point off (a warning) …
    let loose = severities(&["33", "33", "34.5"]);
    assert_eq!(loose.len(), 1, "{loose:?}");
    assert_eq!(loose[0].0, Severity::Warning, "{loose:?}");
    // … but written "33.0" they are precise to a twentieth of a point: over 100% by more
    // than rounding, an error placed at the market.
    let tight = severities(&["33.0", "33.0", "34.5"]);
    assert_eq!(tight.len(), 1, "{tight:?}");
    assert_eq!(tight[0].0, Severity::Error, "{tight:?}");
    assert!(
        tight[0]
            .1
            .starts_with("shares.ron:5:22: error: market \"m\""),
        "{tight:?}"
    );
}

#[test]
fn published_one_decimal_shares_pass_the_check_with_a_warning() {
    let mut lows = vec!["6.7"; 14];
    lows.push("6.5");
    let problems = severities(&lows);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, Severity::Warning);
    assert!(problems[0].1.contains("100.3%"), "{problems:?}");
}
