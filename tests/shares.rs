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

/// The verdict on setting the `low` of share "f2" to `low`, on the map whose shares are
/// written `lows`: an edit is checked as the loader checks the file.
fn verdict_on_setting_f2(lows: &[&str], low: f64) -> chainmap::model::Verdict {
    use chainmap::model::{Entity, EntityKind};
    let loaded = load_files(
        Path::new("shares.ron"),
        vec![SourceFile::new(
            PathBuf::from("shares.ron"),
            Some(map_text(lows)),
        )],
    );
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut draft = loaded.draft.clone();
    let Some(Entity::Figure(mut share)) = draft.get(EntityKind::Figure, "f2") else {
        panic!("f2 is a figure");
    };
    share.low = Some(low);
    let edit = draft
        .replace(Entity::Figure(share), "set low of f2")
        .expect("an edit");
    draft.check(&edit, &loaded.problems).expect("checked")
}

#[test]
fn an_edit_is_checked_with_the_precision_the_other_shares_are_written_with() {
    // 33.0 + 33.0 + 34.5 = 100.5: the first two as written are precise to a twentieth of a
    // point, so the edit is over by more than rounding and refused, as the file would be …
    let tight = verdict_on_setting_f2(&["33.0", "33.0", "34.0"], 34.5);
    assert!(tight.is_refused(), "{tight:?}");
    // … while whole numbers may each be half a point off: kept, with a warning.
    let loose = verdict_on_setting_f2(&["33", "33", "34"], 34.5);
    assert!(!loose.is_refused(), "{loose:?}");
    assert_eq!(loose.warnings.len(), 1, "{loose:?}");
}
