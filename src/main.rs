//! The `concord` binary: parses the command line and hands over to the `api` crate.

use std::process::ExitCode;

use clap::Parser as _;

#[tokio::main]
async fn main() -> ExitCode {
    match api::cli::run(api::cli::Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The whole chain of causes on one line; no message in it carries a secret (the
            // database URL's password is redacted where the database is opened).
            eprintln!("error: {}", api::error::cause_chain(error.as_ref()));
            ExitCode::FAILURE
        }
    }
}
