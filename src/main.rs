//! The chainmap binary: a command, or the window.

use clap::Parser as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = chainmap::cli::Cli::parse();
    match cli.command {
        Some(command) => chainmap::cli::run(command),
        None => {
            eprintln!("chainmap: the window is not built yet; use `chainmap check|stats|export`");
            ExitCode::from(chainmap::cli::EXIT_USAGE_OR_IO)
        }
    }
}
