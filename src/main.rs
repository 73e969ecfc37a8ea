//! The `concord` binary: parses the command line and hands over to the `api` crate.

use std::process::ExitCode;

/// jemalloc rather than the system allocator: under many short requests and thousands of
/// sockets, glibc's per-thread arenas kept what a heavy request or a burst of subscribers
/// had used (the process stayed at its peak). jemalloc's background thread gives freed
/// pages back a second after their last use (`.cargo/config.toml` sets that when the binary
/// is built), and its small size classes live in pages of a few kilobytes, so a few objects
/// that outlive a burst hold little memory with them (mimalloc, used before, kept 64 KiB
/// pages for them). `BENCHMARKS.md`, "Memory with jemalloc", has the measurements.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
