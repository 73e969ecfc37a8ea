//! The `concord` binary: parses the command line and hands over to the `api` crate.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: under many short requests and thousands of
/// sockets, glibc's per-thread arenas kept what a heavy request or a burst of subscribers
/// had used (the process stayed at its peak); mimalloc gives freed pages back to the
/// system. `BENCHMARKS.md` has the measurements.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    match api::cli::run(api::cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The whole chain of causes on one line; no message in it carries a secret (the
            // database URL's password is redacted where the database is opened).
            eprintln!("error: {}", api::error::cause_chain(error.as_ref()));
            ExitCode::FAILURE
        }
    }
}
