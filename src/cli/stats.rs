//! `chainmap stats`: counts, per-market concentration and timings.

use super::load;
use crate::layout;
use crate::model;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Serialize)]
struct Stats {
    path: String,
    tiers: usize,
    segments: usize,
    nodes: usize,
    links: usize,
    theses: usize,
    figures: usize,
    sources: usize,
    markets: usize,
    case_studies: usize,
    errors: usize,
    warnings: usize,
    crossings: u64,
    load_ms: f64,
    layout_ms: f64,
    nodes_per_tier: Vec<TierCount>,
    concentration: Vec<MarketStats>,
}

#[derive(Debug, Serialize)]
struct TierCount {
    tier: String,
    nodes: usize,
}

#[derive(Debug, Serialize)]
struct MarketStats {
    market: String,
    /// The case these numbers are of, and every case the market's shares are given in.
    case: String,
    cases: Vec<String>,
    /// Whether the market gives any share in the case (else its numbers say nothing).
    in_case: bool,
    shares: usize,
    /// Shares held jointly by several named participants.
    joint_shares: usize,
    top1_low: f64,
    top1_high: f64,
    /// `None` (null) where a holder is not a firm, or the market has no share in the case.
    hhi_low: Option<f64>,
    hhi_high: Option<f64>,
    /// Why there is no HHI, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_hhi: Option<String>,
    unclaimed_low: f64,
    unclaimed_high: f64,
    /// Whether a share is about or an estimate ("about 90%"): the bounds are then about too.
    approximate: bool,
}

impl MarketStats {
    fn of(c: &model::markets::Concentration<'_>) -> MarketStats {
        let no_hhi = if c.lacks_case() {
            Some(format!(
                "no share in the {} case (cases: {})",
                c.case,
                c.cases.join(", ")
            ))
        } else if c.hhi.is_none() {
            Some(format!("holders are not firms: {}", c.not_firms.join(", ")))
        } else {
            None
        };
        let hhi = c.hhi.filter(|_| !c.lacks_case());
        MarketStats {
            market: c.market.id.clone(),
            case: c.case.clone(),
            cases: c.cases.clone(),
            in_case: !c.lacks_case(),
            shares: c.shares.len(),
            joint_shares: c.shares.iter().filter(|s| s.is_joint()).count(),
            top1_low: c.top1.0,
            top1_high: c.top1.1,
            hhi_low: hhi.map(|h| h.0),
            hhi_high: hhi.map(|h| h.1),
            no_hhi,
            unclaimed_low: c.unclaimed.0,
            unclaimed_high: c.unclaimed.1,
            approximate: c.approximate,
        }
    }
}

pub fn run(path: &Path, json: bool, case: &str) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let loaded = load(path)?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let map = &loaded.map;
    let started = Instant::now();
    let layout = layout::layout(
        map,
        &layout::default_sizes(map),
        &layout::LayoutOptions::default(),
    );
    let layout_ms = started.elapsed().as_secs_f64() * 1000.0;
    let stats = Stats {
        path: path.display().to_string(),
        tiers: map.tiers.len(),
        segments: map.segments.len(),
        nodes: map.nodes.len(),
        links: map.links.len(),
        theses: map.theses.len(),
        figures: map.figures.len(),
        sources: map.sources.len(),
        markets: map.markets.len(),
        case_studies: map.case_studies.len(),
        errors: loaded.error_count(),
        warnings: loaded.warning_count(),
        crossings: layout.crossings,
        load_ms,
        layout_ms,
        nodes_per_tier: map
            .tiers
            .iter()
            .map(|tier| TierCount {
                tier: tier.id.clone(),
                nodes: map.nodes.iter().filter(|n| n.tier == tier.id).count(),
            })
            .collect(),
        // Highest HHI first, by the midpoint of its range (see `markets::ranked_by_hhi`).
        concentration: model::markets::ranked_by_hhi(map, case)
            .iter()
            .map(MarketStats::of)
            .collect(),
    };
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?;
    } else {
        write_text(&mut out, &stats)?;
    }
    Ok(if stats.errors > 0 {
        for diagnostic in loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == model::Severity::Error)
        {
            eprintln!("{}", super::terminal_safe(&diagnostic.to_string()));
        }
        ExitCode::from(super::EXIT_MAP_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_text(out: &mut impl Write, stats: &Stats) -> std::io::Result<()> {
    let safe = super::terminal_safe;
    writeln!(out, "{}", safe(&stats.path))?;
    for (label, count) in [
        ("tiers", stats.tiers),
        ("segments", stats.segments),
        ("nodes", stats.nodes),
        ("links", stats.links),
        ("theses", stats.theses),
        ("figures", stats.figures),
        ("sources", stats.sources),
        ("markets", stats.markets),
        ("case studies", stats.case_studies),
        ("errors", stats.errors),
        ("warnings", stats.warnings),
    ] {
        writeln!(out, "  {label:<14}{count:>8}")?;
    }
    writeln!(out, "  nodes per tier:")?;
    for tier in &stats.nodes_per_tier {
        writeln!(out, "    {:<22}{:>6}", safe(&tier.tier), tier.nodes)?;
    }
    if let Some(first) = stats.concentration.first() {
        writeln!(
            out,
            "  market concentration in the {} case, highest HHI first (top-1 share, HHI, unclaimed):",
            safe(&first.case)
        )?;
        for market in &stats.concentration {
            let range = |low, high| model::format_bounds((low, high), market.approximate);
            if !market.in_case {
                writeln!(
                    out,
                    "    {:<26} {}",
                    safe(&market.market),
                    safe(market.no_hhi.as_deref().unwrap_or_default())
                )?;
                continue;
            }
            let hhi = match (market.hhi_low, market.hhi_high) {
                (Some(low), Some(high)) => range(low, high),
                _ => "none".to_owned(),
            };
            let mut line = format!(
                "    {:<26} top-1 {:>7}%  HHI {:>11}  unclaimed {:>7}%",
                safe(&market.market),
                range(market.top1_low, market.top1_high),
                hhi,
                range(market.unclaimed_low, market.unclaimed_high)
            );
            if let Some(reason) = &market.no_hhi {
                line.push_str(&format!("  ({})", safe(reason)));
            }
            let joint = market.joint_shares;
            if joint > 0 {
                line.push_str(&format!("  ({joint} held jointly)"));
            }
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out, "  crossings     {:>8}", stats.crossings)?;
    writeln!(out, "  load_ms       {:>8.1}", stats.load_ms)?;
    writeln!(out, "  layout_ms     {:>8.1}", stats.layout_ms)
}
