//! The command line: `check`, `stats`, `export`, `set`, `diff`, `generate`, `import`, `new` and `trace`, each reading maps
//! through the same loader as the window. Exit status: 0 success, 1 the map has errors, 2 usage or I/O error.

mod diff;
mod generate;
mod import;
mod layout_json;
mod set;
mod stats;
mod trace;

pub use diff::DiffFormat;

use crate::io::views;
use crate::io::{self, LoadedMap};
use crate::layout::{LayoutOptions, PriorPositions};
use crate::model::Lang;
use crate::model::market_lens::MarketLens;
use crate::render::picture::{self, PictureView};
use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "chainmap",
    version,
    about = "Explore and edit value-chain maps"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A map to open in the window: a .ron file or a folder of them (default: the bundled map)
    pub path: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate maps; print every problem as FILE:LINE:COL: error: MESSAGE
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Counts, market concentration and timings
    Stats {
        path: PathBuf,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
        /// The case of the market shares: base (the default), upside, downside or a
        /// scenario's name
        #[arg(long, default_value = "base")]
        case: String,
    },
    /// Write the map in another format
    Export {
        path: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output file (default: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Language of the texts the map gives in both
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// Pixels per map unit of a PNG (2 draws a 1,000-unit-wide map 2,000 pixels wide)
        #[arg(long, default_value_t = 2.0)]
        scale: f32,
        /// A view saved in the window (its trace, lens, filter and part of the map), for
        /// svg and png
        #[arg(long)]
        view: Option<String>,
        /// A market laid over the picture (svg, png): each participant's share drawn on its
        /// card, segment or tier, the market's concentration where it sits, the rest dimmed;
        /// it replaces the market of a --view
        #[arg(long)]
        market: Option<String>,
        /// The case of the market's shares (svg, png, with --market): base (the default),
        /// upside, downside or a scenario's name
        #[arg(long, requires = "market")]
        case: Option<String>,
        /// The shape of the page the map is laid out for, width:height (svg, png, json):
        /// segment boxes wrap into rows so that the map fits it [default: 16:9, or the
        /// --prior layout's shape]
        #[arg(long, value_parser = parse_aspect)]
        aspect: Option<f32>,
        /// An earlier `export --format json` of this map (or of an earlier version of it)
        /// to lay out from (svg, png, json), as the window does after an edit: boxes keep
        /// their band, row and order, cards their order in their box, and for the same shape
        /// their places; new nodes go to the end of their box, and nothing is reordered for
        /// fewer crossings
        #[arg(long, value_name = "EARLIER.json")]
        prior: Option<PathBuf>,
        /// Order for few crossings and pack afresh, as the window's Tidy up does (a --prior
        /// is then read but not followed)
        #[arg(long)]
        fresh: bool,
    },
    /// Set one field of a thesis, figure or any entity, checked and saved as the window does
    Set {
        /// The map: a .ron file or a folder of them
        path: PathBuf,
        /// The entity's id
        id: String,
        /// The field, as named in the file (`high`, `conviction`, `stance`…)
        field: String,
        /// The value, written as in the file (`74`, `Bullish`, `["a", "b"]`, `None` to
        /// clear); text that is not RON is taken as a string
        value: String,
    },
    /// What changed between two versions of a map: nodes, links, theses, figures and the rest
    Diff {
        /// The older version: a .ron file, a folder of them, or REV:PATH in the current
        /// folder's git repository (`HEAD~3:maps/ai-value-chain`)
        old: PathBuf,
        /// The newer version, given the same way
        new: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// Output file (default: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Language of the names in text and Markdown
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Make a map from a landscape2 `landscape.yml` or from CSV tables
    Import {
        #[command(subcommand)]
        from: import::ImportFrom,
    },
    /// What the window's Trace lights from NODE: its suppliers upstream and its customers
    /// downstream, per tier, each with the path of links that reaches it
    Trace {
        /// The map: a .ron file or a folder of them
        path: PathBuf,
        /// The node's id
        node: String,
        /// Only the upstream walk (suppliers, and theirs)
        #[arg(long, conflicts_with = "down")]
        up: bool,
        /// Only the downstream walk (customers, and theirs)
        #[arg(long)]
        down: bool,
        /// Print one JSON object: {node, upstream: [{id, kind, depth, via}], downstream}
        #[arg(long)]
        json: bool,
        /// Language of the names in the text output
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Write a starter map (one example of each entity, commented) into a new folder
    New {
        /// The folder to create (refused if it already holds a map)
        dir: PathBuf,
    },
    /// Write a synthetic valid map of N nodes, for benchmarks and stress tests
    Generate {
        /// How many nodes
        #[arg(long)]
        nodes: usize,
        /// Seed of the random choices: the same seed gives the same map
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// `chain`: four tiers of small segments, about two links a node; `landscape`: 15
        /// tiers of 80 segments of 5 to 250 nodes (a landscape of categories), few links
        #[arg(long, value_enum, default_value = "chain")]
        shape: generate::Shape,
        /// Folder to write the map into (created if missing)
        out_dir: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The figures, one row each; with `-o DIR` (a folder, or a path without `.csv`),
    /// every table of the map (nodes.csv, links.csv, figures.csv, …), which `import csv`
    /// reads back
    Csv,
    /// A Markdown report of the theses with their evidence, and the markets
    Md,
    /// The model with its layout: nodes, edges, segment boxes and tier bands in map coordinates
    Json,
    /// Graphviz DOT with one rank per tier
    Dot,
    /// The whole map as the window draws it, with its title, date, sources and legend
    Svg,
    /// The SVG picture rendered to pixels (needs -o)
    Png,
    /// One self-contained interactive web page: data, script, styles and logos inside,
    /// no request outside the file
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

/// Exit statuses of the command-line contract.
pub const EXIT_MAP_ERRORS: u8 = 1;
pub const EXIT_USAGE_OR_IO: u8 = 2;

/// Runs a command; `None` means "open the window", which the binary does itself.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Check { paths } => check(&paths),
        Command::Stats { path, json, case } => stats::run(&path, json, &case),
        Command::Export {
            path,
            format,
            output,
            lang,
            scale,
            view,
            market,
            case,
            aspect,
            prior,
            fresh,
        } => export(
            &path,
            format,
            output.as_deref(),
            lang.into(),
            scale,
            &LayoutArgs {
                aspect,
                prior,
                fresh,
            },
            (view.as_deref(), market.as_deref(), case.as_deref()),
        ),
        Command::Set {
            path,
            id,
            field,
            value,
        } => set::run(&path, &id, &field, &value),
        Command::Diff {
            old,
            new,
            format,
            output,
            lang,
        } => diff::run(&old, &new, format, output.as_deref(), lang.into()),
        Command::Generate {
            nodes,
            seed,
            shape,
            out_dir,
        } => generate::run(nodes, seed, shape, &out_dir),
        Command::Import { from } => import::run(from),
        Command::New { dir } => import::new_map(&dir),
        Command::Trace {
            path,
            node,
            up,
            down,
            json,
            lang,
        } => trace::run(&path, &node, trace::Walks { up, down }, json, lang.into()),
    };
    match result {
        Ok(code) => code,
        // The reader of the output went away (`chainmap check … | head`, a FIFO given to
        // `-o`): nobody is there to read a message. Still a failing status: not all was
        // written.
        Err(error) if is_closed_pipe(&error) => ExitCode::from(EXIT_USAGE_OR_IO),
        Err(error) => {
            eprintln!("chainmap: {}", terminal_safe(&format!("{error:#}")));
            ExitCode::from(EXIT_USAGE_OR_IO)
        }
    }
}

fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Loads a map, or fails with the I/O error (exit status 2).
pub(crate) fn load(path: &Path) -> anyhow::Result<LoadedMap> {
    Ok(io::load(path)?)
}

fn check(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut errors = 0;
    let mut warnings = 0;
    let mut out = std::io::stdout().lock();
    for path in paths {
        let loaded = load(path)?;
        for diagnostic in &loaded.diagnostics {
            writeln!(out, "{}", terminal_safe(&diagnostic.to_string()))?;
        }
        errors += loaded.error_count();
        warnings += loaded.warning_count();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "checked {}: {}, {}",
        plural(paths.len(), "map"),
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    Ok(if errors > 0 {
        ExitCode::from(EXIT_MAP_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints a loaded map's errors to standard error; exports still go ahead with what loaded.
fn report_errors(loaded: &LoadedMap) -> ExitCode {
    let mut errors = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::model::Severity::Error);
    let mut any = false;
    for diagnostic in errors.by_ref() {
        eprintln!("{}", terminal_safe(&diagnostic.to_string()));
        any = true;
    }
    if any {
        ExitCode::from(EXIT_MAP_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

/// `W:H` (two positive numbers) as a width over height.
fn parse_aspect(text: &str) -> Result<f32, String> {
    let parsed = text.split_once(':').and_then(|(w, h)| {
        let (w, h) = (w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?);
        let aspect = w / h;
        (w > 0.0 && h > 0.0 && aspect.is_finite() && (0.05..=20.0).contains(&aspect))
            .then_some(aspect)
    });
    parsed.ok_or_else(|| {
        format!(
            "expected WIDTH:HEIGHT such as 16:9 (a ratio between 1:20 and 20:1), not \"{text}\""
        )
    })
}

/// How `export` lays the map out: for a page shape, from an earlier layout, or afresh.
struct LayoutArgs {
    aspect: Option<f32>,
    prior: Option<PathBuf>,
    fresh: bool,
}

impl LayoutArgs {
    /// The earlier layout to follow (read even with `--fresh`, so that a bad file is
    /// reported), and the page shape: `--aspect`, else the earlier layout's, else 16:9.
    fn resolve(&self) -> anyhow::Result<(Option<PriorPositions>, f32)> {
        let prior = match &self.prior {
            Some(file) => Some(layout_json::read_prior(file)?),
            None => None,
        };
        let aspect = self
            .aspect
            .or_else(|| prior.as_ref().and_then(|p| p.aspect))
            .unwrap_or(crate::layout::DEFAULT_ASPECT);
        Ok((prior.filter(|_| !self.fresh), aspect))
    }
}

#[allow(clippy::too_many_arguments)]
fn export(
    path: &Path,
    format: ExportFormat,
    output: Option<&Path>,
    lang: Lang,
    scale: f32,
    layout_args: &LayoutArgs,
    (view, market, case): (Option<&str>, Option<&str>, Option<&str>),
) -> anyhow::Result<ExitCode> {
    let picture_format = matches!(format, ExportFormat::Svg | ExportFormat::Png);
    if format == ExportFormat::Html {
        if layout_args.prior.is_some() {
            anyhow::bail!("--prior applies to layouts: use it with --format svg, png or json");
        }
        if case.is_some() {
            anyhow::bail!(
                "--case applies to pictures: the web page offers every market in its base case"
            );
        }
        return web_page(path, output, lang, layout_args.aspect, (view, market));
    }
    if view.is_some() && !picture_format {
        anyhow::bail!(
            "--view applies to pictures and pages: use it with --format svg, png or html"
        );
    }
    if layout_args.prior.is_some() && !(picture_format || format == ExportFormat::Json) {
        anyhow::bail!("--prior applies to layouts: use it with --format svg, png or json");
    }
    if market.is_some() && !picture_format {
        anyhow::bail!(
            "--market applies to pictures and pages: use it with --format svg, png or html"
        );
    }
    if format == ExportFormat::Png && output.is_none() {
        anyhow::bail!("a PNG is written to a file: give -o OUT.png");
    }
    if !(scale.is_finite() && (0.1..=16.0).contains(&scale)) {
        anyhow::bail!("--scale must be between 0.1 and 16, not {scale}");
    }
    let (prior, aspect) = layout_args.resolve()?;
    let loaded = load(path)?;
    let code = report_errors(&loaded);
    let map = &loaded.map;
    let picture_view = picture_view(path, map, lang, view, market.map(|m| (m, case)))?;
    // From an earlier layout, the map keeps that layout's shape rather than fitting a page.
    let from_prior = |aspect: f32| {
        prior.as_ref().map(|prior| {
            let options = LayoutOptions {
                aspect: Some(aspect),
                prior: Some(prior.clone()),
                ..LayoutOptions::default()
            };
            picture::layout_with(map, lang, &options)
        })
    };
    let picture = || {
        // The window's own layout, measured with its fonts: shaped for the page, or for a
        // saved view, as the window was (its part of the map has the map view's shape).
        let layout = match picture_view.crop {
            Some(part) if part.h > 0.0 && part.w > 0.0 => from_prior(part.w / part.h)
                .unwrap_or_else(|| picture::window_layout(map, lang, part.w / part.h)),
            _ => from_prior(aspect).unwrap_or_else(|| picture::page_layout(map, lang, aspect)),
        };
        picture::svg(map, &layout, &picture_view)
    };
    if format == ExportFormat::Csv
        && let Some(dir) = output.filter(|o| io::csv_tables::names_table_folder(o))
    {
        let precisions = io::written_precisions(&loaded);
        let written = io::csv_tables::write_tables(map, &precisions, dir)?;
        eprintln!(
            "wrote {} tables to {}",
            written.len(),
            terminal_safe(&dir.display().to_string())
        );
        return Ok(code);
    }
    let bytes = match format {
        ExportFormat::Csv => {
            io::export::figures_csv(map, &io::written_precisions(&loaded)).into_bytes()
        }
        ExportFormat::Md => io::export::markdown_report(map, lang).into_bytes(),
        ExportFormat::Dot => io::export::dot(map).into_bytes(),
        ExportFormat::Json => {
            let layout =
                from_prior(aspect).unwrap_or_else(|| picture::window_layout(map, lang, aspect));
            let mut text = layout_json::to_json(map, &layout, lang)?;
            text.push('\n');
            text.into_bytes()
        }
        ExportFormat::Svg => picture().into_bytes(),
        ExportFormat::Png => picture::png(&picture(), scale)?,
        // Written before the pictures' layout is made, above.
        ExportFormat::Html => return Ok(code),
    };
    write_output(output, &bytes)?;
    Ok(code)
}

/// `export --format html`: the map as one self-contained web page, opening on a saved view
/// or a market when asked.
fn web_page(
    path: &Path,
    output: Option<&Path>,
    lang: Lang,
    aspect: Option<f32>,
    (view, market): (Option<&str>, Option<&str>),
) -> anyhow::Result<ExitCode> {
    let loaded = load(path)?;
    let code = report_errors(&loaded);
    let map = &loaded.map;
    let saved = crate::io::views::read_views(path)?;
    let mut start = String::new();
    if let Some(name) = view {
        let found = saved_view(path, &saved, name)?;
        start = crate::web::view_state(found);
    }
    if let Some(id) = market {
        if !map.markets.iter().any(|m| m.id == id) {
            anyhow::bail!(
                "{} has no market \"{id}\" ({})",
                path.display(),
                market_ids(map)
            );
        }
        let market_part = crate::web::market_state(id);
        // The market replaces the view's own, as it does for pictures.
        let kept: Vec<&str> = start
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("market="))
            .collect();
        start = kept
            .into_iter()
            .chain([market_part.as_str()])
            .collect::<Vec<_>>()
            .join("&");
    }
    let options = crate::web::PageOptions {
        lang,
        aspect: aspect.unwrap_or(crate::layout::DEFAULT_ASPECT),
        start,
    };
    let page = crate::web::page(map, Some(&loaded.asset_dir()), &saved, &options);
    write_output(output, page.as_bytes())?;
    Ok(code)
}

/// What a picture of `map` shows: a saved view's emphasis, filter and part of the map, and
/// a market laid over it (`market` over the view's own), in the case given (else the base
/// case).
fn picture_view(
    path: &Path,
    map: &crate::model::Map,
    lang: Lang,
    view: Option<&str>,
    market: Option<(&str, Option<&str>)>,
) -> anyhow::Result<PictureView> {
    let mut picture_view = PictureView {
        lang,
        ..PictureView::default()
    };
    // Whether a trace or a thesis lens chose the emphasis, which a market does not replace.
    let mut emphasis_is_the_views = false;
    if let Some(name) = view {
        let saved = views::read_views(path)?;
        let found = saved_view(path, &saved, name)?;
        for missing in found.missing(map) {
            eprintln!(
                "warning: {}",
                terminal_safe(&format!(
                    "view \"{name}\" names {missing}, which the map no longer has: the picture is drawn without it"
                ))
            );
        }
        let resolved = found.resolve(map);
        emphasis_is_the_views = resolved.trace.is_some() || resolved.thesis_lens.is_some();
        picture_view.emphasis = resolved.emphasis;
        picture_view.lit_segments = resolved
            .trace
            .as_ref()
            .map(crate::model::trace::Trace::segments)
            .unwrap_or_default();
        picture_view.hidden_kinds = resolved.filter.hidden_kinds;
        picture_view.crop = resolved.viewport;
        picture_view.market = resolved.market;
    }
    if let Some((id, case)) = market {
        let Some(index) = map.markets.iter().position(|m| m.id == id) else {
            anyhow::bail!(
                "{} has no market \"{id}\" ({})",
                path.display(),
                market_ids(map)
            );
        };
        let case = case.unwrap_or(crate::model::BASE_CASE);
        let lens = MarketLens::of_case(map, index, case);
        if let Some(lens) = lens
            .as_ref()
            .filter(|l| l.share_count == 0 && !l.cases.is_empty())
        {
            eprintln!(
                "chainmap: warning: market \"{id}\" has {}",
                terminal_safe(&crate::model::market_lens::no_case_text(
                    case,
                    &lens.cases,
                    Lang::En
                ))
            );
        }
        if !emphasis_is_the_views {
            picture_view.emphasis = lens.as_ref().map(|l| l.lit.clone());
        }
        picture_view.market = lens;
    }
    Ok(picture_view)
}

/// The map's market ids for a message: the first ten, and how many more.
fn market_ids(map: &crate::model::Map) -> String {
    const SHOWN: usize = 10;
    if map.markets.is_empty() {
        return "the map has no markets".to_owned();
    }
    let ids: Vec<&str> = map
        .markets
        .iter()
        .take(SHOWN)
        .map(|m| m.id.as_str())
        .collect();
    let more = map.markets.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("markets: {}{more}", ids.join(", "))
}

/// `text` with every control character written as an escape (`\u{1b}`), so that a map
/// cannot move the cursor, retitle or clear the reader's terminal through a name or an id.
pub(crate) fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Like [`terminal_safe`] for a text of several lines: its line breaks stay, every other
/// control character is escaped.
pub(crate) fn terminal_safe_lines(text: &str) -> String {
    let mut safe: String = text
        .lines()
        .map(|line| terminal_safe(line).into_owned() + "\n")
        .collect();
    if !text.ends_with('\n') {
        safe.pop();
    }
    safe
}

/// Writes to a file atomically (a temporary file beside it, then a rename), to a device
/// or a pipe as it is (never replacing it), or to stdout.
pub(crate) fn write_output(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
        }
        Some(path) => {
            io::write::write_output_file(path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

/// The saved view `name` of the map at `path`, with a viewport that can be drawn; else an
/// error naming the map's views.
fn saved_view<'a>(
    path: &Path,
    saved: &'a [views::SavedView],
    name: &str,
) -> anyhow::Result<&'a views::SavedView> {
    let Some(found) = saved.iter().find(|v| v.name == name) else {
        let names: Vec<&str> = saved.iter().map(|v| v.name.as_str()).collect();
        anyhow::bail!(
            "{} has no view named \"{name}\" (saved views: {})",
            path.display(),
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        );
    };
    if let Some(problem) = found.viewport_problem() {
        anyhow::bail!("{}: {problem}", views::views_path(path).display());
    }
    Ok(found)
}
