//! `chainmap generate`: a synthetic map written as a folder shaped like the bundled one:
//! `map.ron` (settings, sources, tiers, markets), a file per tier (its segments, nodes and
//! the links that end in it), `theses.ron` and `figures.ron`.

use crate::io::{raw::MapFile, write};
use crate::model::generate::{generate, generate_landscape};
use anyhow::Context as _;
use std::path::Path;
use std::process::ExitCode;

/// The generator puts at least one node in each of its four tiers.
const MIN_NODES: usize = 4;

/// Beyond this, the biggest tier's file would pass the 32 MiB a map file may have (and
/// the generator would take gigabytes).
const MAX_NODES: usize = 100_000;

/// The shape of a generated map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// A value chain: four tiers of small segments, about two links a node.
    Chain,
    /// A landscape: 15 tiers, 80 segments of 5 to 250 nodes, few links.
    Landscape,
}

pub fn run(nodes: usize, seed: u64, shape: Shape, out_dir: &Path) -> anyhow::Result<ExitCode> {
    if nodes < MIN_NODES {
        anyhow::bail!("--nodes must be at least {MIN_NODES}: one node in each of the four tiers");
    }
    if nodes > MAX_NODES {
        anyhow::bail!(
            "--nodes must be at most {MAX_NODES}: a tier's file would pass the size a map file may have"
        );
    }
    // Never over an editor's map: a folder that already holds map files is refused.
    if out_dir.is_dir() && crate::io::map_files(out_dir).is_ok_and(|files| !files.is_empty()) {
        anyhow::bail!(
            "{} already holds map files; generate into an empty or new folder",
            out_dir.display()
        );
    }
    if out_dir.exists() && !out_dir.is_dir() {
        anyhow::bail!("{} is not a folder", out_dir.display());
    }
    let map = match shape {
        Shape::Chain => generate(nodes, seed),
        Shape::Landscape => generate_landscape(nodes, seed),
    };
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;

    let mut files: Vec<(String, MapFile)> =
        vec![("map.ron".to_owned(), write::settings_file(&map))];
    for (rank, (tier, content)) in map.tiers.iter().zip(write::tier_files(&map)).enumerate() {
        files.push((format!("{}-{}.ron", rank + 1, tier.id), content));
    }
    files.push((
        "theses.ron".to_owned(),
        MapFile {
            theses: map.theses.clone(),
            ..MapFile::default()
        },
    ));
    files.push((
        "figures.ron".to_owned(),
        MapFile {
            figures: map.figures.clone(),
            ..MapFile::default()
        },
    ));
    for (name, file) in files {
        let path = out_dir.join(name);
        let text = write::to_ron(&file)?;
        write::atomic_write(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "wrote {} nodes, {} links in {} segments to {}",
        map.nodes.len(),
        map.links.len(),
        map.segments.len(),
        super::terminal_safe(&out_dir.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
