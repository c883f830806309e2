//! The chainmap binary: a command, or the window.

use clap::Parser as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = chainmap::cli::Cli::parse();
    match cli.command {
        Some(command) => chainmap::cli::run(command),
        None => match chainmap::app::run(cli.path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("chainmap: {error:#}");
                ExitCode::from(chainmap::cli::EXIT_USAGE_OR_IO)
            }
        },
    }
}
