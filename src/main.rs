//! The `concord` binary: parses the command line and hands over to the `api` crate.

use clap::Parser as _;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    api::cli::run(api::cli::Cli::parse()).await
}
