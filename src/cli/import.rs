//! `chainmap import landscape|csv` and `chainmap new`: new maps written as folders, each
//! checked with the same loader as the window once written.

use super::terminal_safe;
use crate::io;
use clap::Subcommand;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where an imported map comes from.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// A landscape2 `landscape.yml`: categories become tiers, subcategories segments,
    /// items nodes
    Landscape {
        /// The landscape file (YAML)
        file: PathBuf,
        /// The folder to write the map into (refused if it already holds a map)
        out_dir: PathBuf,
        /// The order of the tiers, bottom to top, as category names or ids, comma-separated
        /// (default: the file's order of categories)
        #[arg(long, value_delimiter = ',')]
        tiers: Vec<String>,
    },
    /// CSV tables as `export --format csv -o DIR` writes them (any subset of nodes.csv,
    /// links.csv, figures.csv, theses.csv, tiers.csv, segments.csv, …)
    Csv {
        /// The folder holding the tables
        dir: PathBuf,
        /// The folder to write the map into (refused if it already holds a map)
        out_dir: PathBuf,
    },
}

pub fn run(from: ImportFrom) -> anyhow::Result<ExitCode> {
    match from {
        ImportFrom::Landscape {
            file,
            out_dir,
            tiers,
        } => import_landscape(&file, &out_dir, &tiers),
        ImportFrom::Csv { dir, out_dir } => import_csv(&dir, &out_dir),
    }
}

fn import_landscape(file: &Path, out_dir: &Path, tiers: &[String]) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let imported = match io::landscape::import(file, tiers) {
        Ok(imported) => imported,
        Err(io::landscape::LandscapeError::Malformed(diagnostic)) => {
            eprintln!("{}", terminal_safe(&diagnostic.to_string()));
            return Ok(ExitCode::from(super::EXIT_MAP_ERRORS));
        }
        Err(error) => return Err(error.into()),
    };
    let io::landscape::Imported {
        map,
        files,
        assets,
        diagnostics,
        left_out,
    } = imported;
    let counts = format!(
        "{} tiers, {} segments, {} nodes, {} links and {} logos",
        map.tiers.len(),
        map.segments.len(),
        map.nodes.len(),
        map.links.len(),
        assets.len(),
    );
    // The files hold every entity again: the model goes before they are written, and
    // they go before the map written is loaded for its check.
    drop(map);
    io::folder::write_new_map(out_dir, files, &assets)?;
    let errors = report(&diagnostics);
    let told = told(&diagnostics);
    if !left_out.is_empty() {
        eprintln!("not carried over (also listed at the top of map.ron):");
        for line in &left_out {
            eprintln!("  - {}", terminal_safe(line));
        }
    }
    eprintln!(
        "imported {counts} into {} in {:.0} ms",
        terminal_safe(&out_dir.display().to_string()),
        started.elapsed().as_secs_f64() * 1000.0
    );
    drop((diagnostics, assets, left_out));
    check_written(out_dir, errors, &told)
}

fn import_csv(dir: &Path, out_dir: &Path) -> anyhow::Result<ExitCode> {
    let read = io::csv_tables::read_tables(dir)?;
    let files = io::csv_tables::map_files(&read, dir);
    let logos = io::csv_tables::logo_assets(&read, dir);
    let counts = format!(
        "{} nodes, {} links, {} figures, {} theses from {} tables",
        read.map.nodes.len(),
        read.map.links.len(),
        read.map.figures.len(),
        read.map.theses.len(),
        read.files.len(),
    );
    let diagnostics = read.diagnostics;
    // The files hold every entity again (see `import_landscape`).
    drop(read.map);
    io::folder::write_new_map(out_dir, files, &logos)?;
    let table_errors = report(&diagnostics);
    eprintln!(
        "imported {counts} into {}",
        terminal_safe(&out_dir.display().to_string())
    );
    check_written(out_dir, table_errors, &told(&diagnostics))
}

/// The messages already told about the source, which the check of the map written
/// does not tell again (at the written files' places).
fn told(diagnostics: &[io::Diagnostic]) -> BTreeSet<String> {
    diagnostics.iter().map(|d| d.message.clone()).collect()
}

/// Prints diagnostics to standard error; says whether any is an error.
fn report(diagnostics: &[io::Diagnostic]) -> bool {
    for diagnostic in diagnostics {
        eprintln!("{}", terminal_safe(&diagnostic.to_string()));
    }
    diagnostics
        .iter()
        .any(|d| d.severity == crate::model::Severity::Error)
}

pub fn new_map(dir: &Path) -> anyhow::Result<ExitCode> {
    let written = io::starter::write_starter(dir)?;
    let shown = terminal_safe(&dir.display().to_string()).into_owned();
    eprintln!(
        "wrote a starter map of {} files to {shown}; check it with `chainmap check {shown}`",
        written.len(),
    );
    check_written(dir, false, &BTreeSet::new())
}

/// Loads what was written and prints its problems, but those already told about the
/// source (`told`, by message): exit 1 if it has errors or the source had errors
/// (`source_errors`, already reported).
fn check_written(
    dir: &Path,
    source_errors: bool,
    told: &BTreeSet<String>,
) -> anyhow::Result<ExitCode> {
    let loaded = super::load(dir)?;
    for diagnostic in &loaded.diagnostics {
        if !told.contains(&diagnostic.message) {
            eprintln!("{}", terminal_safe(&diagnostic.to_string()));
        }
    }
    Ok(if source_errors || loaded.error_count() > 0 {
        ExitCode::from(super::EXIT_MAP_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
