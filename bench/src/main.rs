//! The `bench` binary: parses the command line and hands over to the `bench` library.

use bench::generate::{Size, generate};
use bench::run::{RunOptions, run};
use clap::{Parser, Subcommand};

/// The same allocator as the server's: the hand-written SQL baseline runs in this process,
/// and it is compared with the server, so neither should have an allocator the other lacks.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
    /// Run the operations against a running server and print the results table.
    Run(Box<RunOptions>),
    /// Print PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)` of the heavy queries.
    Explain {
        /// The generated PostgreSQL database.
        #[arg(long, env = "BENCH_DATABASE_URL")]
        database_url: String,
        /// A file of statements, one per line (`$1` the busiest agency, `$2` a heavy child),
        /// e.g. taken from the server's `RUST_LOG=sqlx=debug` log.
        #[arg(long)]
        queries: Option<std::path::PathBuf>,
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
        Command::Run(options) => {
            let report = run(&options).await?;
            println!("{}", report.render());
        }
        Command::Explain {
            database_url,
            queries,
        } => {
            let db = api::app::connect(&database_url).await?;
            let queries = queries.map(std::fs::read_to_string).transpose()?;
            print!("{}", bench::explain::explain(&db, queries).await?);
        }
    }
    Ok(())
}
