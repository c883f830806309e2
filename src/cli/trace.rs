//! `chainmap trace PATH NODE [--up|--down] [--json]`: what the window's Trace lights, per
//! tier, each with its path, from the same function (`model::trace`).

use super::{EXIT_MAP_ERRORS, load, report_errors, terminal_safe};
use crate::model::Named;
use crate::model::trace::{Direction, Reach, Trace, reach_name, trace};
use crate::model::{Lang, Map, Msg, spelling};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Which walks to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Walks {
    pub up: bool,
    pub down: bool,
}

impl Walks {
    fn directions(self) -> Vec<Direction> {
        // Neither flag means both walks.
        let both = !self.up && !self.down;
        Direction::BOTH
            .into_iter()
            .filter(|d| match d {
                Direction::Upstream => self.up || both,
                Direction::Downstream => self.down || both,
            })
            .collect()
    }
}

pub fn run(
    path: &Path,
    node_id: &str,
    walks: Walks,
    json: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let loaded = load(path)?;
    let code = report_errors(&loaded);
    let map = &loaded.map;
    let Some(start) = map.nodes.iter().position(|n| n.id == node_id) else {
        let ids = map.nodes.iter().map(|n| n.id.as_str());
        let close = spelling::near_misses(node_id, ids, 5);
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", quoted_list(&close))
        };
        eprintln!(
            "chainmap: {} has no node \"{}\"{hint}",
            terminal_safe(&path.display().to_string()),
            terminal_safe(node_id)
        );
        return Ok(ExitCode::from(EXIT_MAP_ERRORS));
    };
    let result = trace(map, start, &BTreeSet::new());
    let text = if json {
        to_json(map, start, result.as_ref(), walks)?
    } else {
        to_text(map, start, result.as_ref(), walks, lang)
    };
    // Names come from the map: no raw control character reaches the terminal.
    let mut out = std::io::stdout().lock();
    for line in text.lines() {
        writeln!(out, "{}", terminal_safe(line))?;
    }
    Ok(code)
}

fn quoted_list(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    quoted.join(", ")
}

/// The trace as a reader reads it: per walk, per tier from the top of the map, each item
/// with its path.
fn to_text(map: &Map, start: usize, trace: Option<&Trace>, walks: Walks, lang: Lang) -> String {
    let mut out = String::new();
    let name = reach_name(map, Reach::Node(start), lang);
    let id = map.nodes.get(start).map_or("", |n| n.id.as_str());
    let Some(trace) = trace else {
        let _ = writeln!(out, "{}", Msg::no_value_chain(lang, name, id));
        return out;
    };
    let _ = writeln!(out, "{name} ({id})");
    for direction in walks.directions() {
        let walk = trace.walk(direction);
        let heading = match direction {
            Direction::Upstream => Msg::UpstreamSuppliers.in_lang(lang),
            Direction::Downstream => Msg::DownstreamCustomers.in_lang(lang),
        };
        let _ = writeln!(
            out,
            "\n{heading}: {}",
            reached_count(trace, direction, lang)
        );
        for (tier_index, here) in trace.by_tier(map, direction) {
            let Some(tier) = map.tiers.get(tier_index) else {
                continue;
            };
            let tier_name = tier.name_in(lang);
            let _ = writeln!(out, "  {tier_name}");
            for at in here {
                let segment = walk
                    .get(at)
                    .is_some_and(|r| matches!(r.item, Reach::Segment(_)));
                let mark = if segment {
                    Msg::SegmentMark.in_lang(lang)
                } else {
                    ""
                };
                let path = trace.path_text(map, direction, at, lang);
                let _ = writeln!(out, "    {path}{mark}");
            }
        }
    }
    out
}

/// "5 cards, 2 segments" reached by one walk.
fn reached_count(trace: &Trace, direction: Direction, lang: Lang) -> String {
    let walk = trace.walk(direction);
    let segments = walk
        .iter()
        .filter(|r| matches!(r.item, Reach::Segment(_)))
        .count();
    let nodes = walk.len() - segments;
    let cards = if nodes == 1 {
        Msg::card_count_one(lang, nodes)
    } else {
        Msg::card_count(lang, nodes)
    };
    let segments = if segments == 1 {
        Msg::segment_count_one(lang, segments)
    } else {
        Msg::segment_count(lang, segments)
    };
    [cards, segments].join(Msg::ListSeparator.in_lang(lang))
}

/// `{node, upstream: [{id, kind, depth, via}], downstream: […]}`; a walk not asked for is
/// left out, and both are empty lists for a node that is no market participant.
fn to_json(map: &Map, start: usize, trace: Option<&Trace>, walks: Walks) -> anyhow::Result<String> {
    let mut object = serde_json::Map::new();
    let id = map.nodes.get(start).map_or("", |n| n.id.as_str());
    object.insert("node".into(), id.into());
    for direction in walks.directions() {
        let entries: Vec<serde_json::Value> = trace.map_or_else(Vec::new, |trace| {
            let walk = trace.walk(direction);
            (0..walk.len())
                .filter_map(|at| {
                    let reached = walk.get(at)?;
                    let (kind, id) = match reached.item {
                        Reach::Node(i) => ("node", map.nodes.get(i)?.id.as_str()),
                        Reach::Segment(i) => ("segment", map.segments.get(i)?.id.as_str()),
                    };
                    let via: Vec<&str> = trace
                        .path(direction, at)
                        .iter()
                        .filter_map(|(link, _)| map.links.get(*link).map(|l| l.id.as_str()))
                        .collect();
                    Some(serde_json::json!({
                        "id": id,
                        "kind": kind,
                        "depth": reached.depth,
                        "via": via,
                    }))
                })
                .collect()
        });
        let key = match direction {
            Direction::Upstream => "upstream",
            Direction::Downstream => "downstream",
        };
        object.insert(key.into(), entries.into());
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(object))?;
    text.push('\n');
    Ok(text)
}
