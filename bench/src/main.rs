//! The `bench` binary: parses the command line and hands over to the `bench` library.

use bench::generate::{Size, generate};
use clap::{Parser, Subcommand};

/// Concord's benchmark (see BENCHMARKS.md).
#[derive(Parser)]
#[command(name = "bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate a database and write a synthetic partnership into it.
    Generate {
        /// How big a partnership.
        #[arg(long, value_enum)]
        size: Size,
        /// `sqlite://path?mode=rwc` or `postgres://…/database` (an empty database).
        #[arg(long, env = "BENCH_DATABASE_URL")]
        database_url: String,
        /// Seed of the generator.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Generate {
            size,
            database_url,
            seed,
        } => {
            let db = api::app::connect(&database_url).await?;
            let summary = generate(&db, size, seed).await?;
            println!("{summary}");
        }
    }
    Ok(())
}
