//! Trying an operation again when the database gave up on it for a transient reason
//! (a deadlock or serialization failure on PostgreSQL, a busy database on SQLite). A
//! failed attempt has rolled back whole, audit row and outbox event included, so the
//! next attempt starts clean; the client only ever sees the last attempt's answer.

use std::future::Future;
use std::time::Duration;

use crate::error::ApiResult;

/// How many times an operation is tried at most.
pub const ATTEMPTS: u32 = 5;

/// Runs `attempt` until it succeeds, fails for a lasting reason, or has been tried
/// [`ATTEMPTS`] times, waiting a little longer before each retry.
pub async fn transient<T, F, Fut>(mut attempt: F) -> ApiResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ApiResult<T>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(error) if error.is_transient() && tries < ATTEMPTS => {
                tracing::warn!(%error, tries, "transient database failure; trying again");
                tokio::time::sleep(Duration::from_millis(10 * u64::from(tries))).await;
                tries += 1;
            }
            result => return result,
        }
    }
}
