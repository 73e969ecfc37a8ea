//! Waiting for the database to go quiet before each measured phase.
//!
//! What one phase leaves behind is otherwise paid for by the next. The SQL baseline with
//! its audit rows writes about 50 rows per caseload straight into `audit_events`, and the
//! server's audit sealer chains them afterwards: about 140,000 rows after a 10-second
//! phase at concurrency 8, sealed while PostGraphile and the child view were being
//! measured. A server that has just started walks the whole audit log once, which took
//! PostgreSQL about 15 s of one core on a database of 13 million audit rows. Both
//! compete for the machine's two cores with whatever is measured at that time.
//!
//! So before each phase the runner waits, up to a bound, until every audit row has its
//! chain entry and, on PostgreSQL, no other client's statement is running in the
//! database. It checks twice in a row, half a second apart; a check that does not answer
//! within the bound counts as busy. What a phase's own requests cost the sealer while it
//! runs is still inside the phase.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait as _, DatabaseBackend, DatabaseConnection, Statement};

/// How often the database is looked at while waiting.
const POLL: Duration = Duration::from_millis(500);

/// Audit rows without a chain entry (the benchmark's databases are never pruned, so the
/// two counts match once the sealer has caught up). Counting reads both tables' indexes:
/// about two seconds at seven million audit rows on PostgreSQL, which the wait includes.
/// (A check of only the newest rows was tried; PostgreSQL's plan for it walked the whole
/// log.)
const UNSEALED: &str = "SELECT (SELECT COUNT(*) FROM audit_events) \
     - (SELECT COUNT(*) FROM audit_chain) AS n";

/// Other clients' statements running in this database (PostgreSQL only). Autovacuum and
/// the other background workers are not clients, and are not waited for.
const BUSY: &str = "SELECT COUNT(*) AS n FROM pg_stat_activity \
     WHERE datname = current_database() AND state = 'active' \
     AND backend_type = 'client backend' AND pid <> pg_backend_pid()";

/// How long [`settle`] waited, and whether the database went quiet in that time.
#[derive(Debug, Clone, Copy)]
pub struct Settled {
    /// Time spent waiting.
    pub waited: Duration,
    /// False when the bound ran out first.
    pub quiet: bool,
}

impl Settled {
    /// A line for the report's notes, or `None` when there was nothing to wait for.
    pub fn note(&self, before: &str) -> Option<String> {
        if self.waited < Duration::from_secs(1) && self.quiet {
            return None;
        }
        Some(format!(
            "waited {:.1} s for the audit sealer and the database before {before}{}",
            self.waited.as_secs_f64(),
            if self.quiet {
                ""
            } else {
                " (still busy when the wait ran out)"
            }
        ))
    }
}

/// Waits at most `bound` until the database is quiet (see the module's documentation);
/// a zero `bound` does not wait.
pub async fn settle(db: &DatabaseConnection, bound: Duration) -> Settled {
    let started = Instant::now();
    let mut quiet_in_a_row = 0;
    while !bound.is_zero() {
        let left = bound.saturating_sub(started.elapsed()).max(POLL);
        // A look that does not answer in time counts as busy; the bound still holds.
        let looked = tokio::time::timeout(left, busy(db)).await.unwrap_or(1);
        if looked == 0 {
            quiet_in_a_row += 1;
        } else {
            quiet_in_a_row = 0;
        }
        if quiet_in_a_row == 2 {
            return Settled {
                waited: started.elapsed(),
                quiet: true,
            };
        }
        if started.elapsed() >= bound {
            return Settled {
                waited: started.elapsed(),
                quiet: false,
            };
        }
        tokio::time::sleep(POLL).await;
    }
    Settled {
        waited: Duration::ZERO,
        quiet: true,
    }
}

/// Unsealed audit rows plus, on PostgreSQL, other clients' running statements. A failed
/// look counts as busy, so that the wait ends only at its bound.
async fn busy(db: &DatabaseConnection) -> i64 {
    let backend = db.get_database_backend();
    let mut total = count(db, backend, UNSEALED).await;
    if backend == DatabaseBackend::Postgres {
        total = total.saturating_add(count(db, backend, BUSY).await);
    }
    total
}

async fn count(db: &DatabaseConnection, backend: DatabaseBackend, sql: &str) -> i64 {
    match db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get::<i64>("", "n").ok())
    {
        Some(n) => n.max(0),
        None => 1,
    }
}
