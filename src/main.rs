use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    hocso::cli::run(hocso::cli::Cli::parse())
}
