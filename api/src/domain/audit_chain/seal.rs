//! Sealing: a chain entry for every audit row not chained yet, walking the log in
//! `(occurred_at, id)` order.
//!
//! A pass walks forward from where it starts and never reads a row twice: each batch
//! continues after the last row the one before it chained, so a backlog of a million rows
//! costs one walk, not one walk per batch. `serve`'s [`Sealer`] walks the whole log when it
//! starts and once a day; in between, a routine pass continues after the newest row it has
//! sealed, and once every [`LOOK_BACK_EVERY`] a pass starts [`LOOKBACK`] before that row
//! instead. The look-back catches a row written by a transaction that committed after the
//! sealer passed its time (a request's transaction lasts seconds); a row older still, such
//! as one restored into a running database, waits for the next whole walk, and `concord
//! audit verify --max-unsealed-age` reports it in the meantime.
//!
//! The look-back is not taken on every pass because it re-reads every row of its window,
//! sealed or not: under a load that writes a thousand audit rows a second, ten minutes of
//! them took PostgreSQL about a second (three processes) on every ten-second pass.
//! Once a minute still costs a busy server: under the benchmark's caseloads (fifty audit
//! rows each) the look-back's first batch probed the chain for 2.76 million rows, 4.0 s
//! of three PostgreSQL processes, about a fifth of a core on average (`BENCHMARKS.md`,
//! "Settled phases"). It is not taken less often: a row is stamped with its request's
//! clock (`Caller::now`; a subscription's moves to each event's delivery), so the
//! erasures of a retention run can carry times minutes before they commit, and a longer
//! period would leave more of them to the daily whole walk (those more than ten minutes
//! late already wait for it).

use chrono::{DateTime, Utc};
use entity::audit_events;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::{SEAL_BATCH, canonical_bytes, chain_hash, head, lock_chain, statement};
use crate::domain::tx;
use crate::error::ApiResult;

/// How far before the newest sealed row a look-back pass starts.
pub const LOOKBACK: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// How often `serve`'s sealer looks back [`LOOKBACK`] instead of continuing after the
/// newest row it sealed.
pub const LOOK_BACK_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// How often `serve`'s sealer walks the whole log instead of the recent rows.
pub const WHOLE_WALK_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// A row's place in the walk.
type Place = (DateTime<Utc>, Uuid);

/// Appends chain entries for every audit row not yet chained, [`SEAL_BATCH`] rows per
/// transaction, walking the whole log; returns how many it chained.
pub async fn seal(db: &DatabaseConnection) -> ApiResult<u64> {
    Ok(pass(db, None).await?.0)
}

/// `serve`'s sealer: remembers the newest row it sealed, so that a routine pass reads
/// only the rows after it.
#[derive(Debug)]
pub struct Sealer {
    newest: Option<Place>,
    last_whole_walk: Option<std::time::Instant>,
    last_look_back: Option<std::time::Instant>,
    look_back_every: std::time::Duration,
}

impl Default for Sealer {
    fn default() -> Self {
        Self::looking_back_every(LOOK_BACK_EVERY)
    }
}

impl Sealer {
    /// A sealer that looks back every `every` (`serve` uses [`LOOK_BACK_EVERY`]).
    pub fn looking_back_every(every: std::time::Duration) -> Self {
        Self {
            newest: None,
            last_whole_walk: None,
            last_look_back: None,
            look_back_every: every,
        }
    }

    /// Makes the next pass look back, whenever the last one did (`serve` never needs to;
    /// tests do, rather than wait for [`LOOK_BACK_EVERY`]).
    pub fn look_back_next_pass(&mut self) {
        self.last_look_back = None;
    }

    /// One pass: the whole log on the first call and every [`WHOLE_WALK_EVERY`]; from
    /// [`LOOKBACK`] before the newest sealed row every `look_back_every`; after the newest
    /// sealed row otherwise (from [`LOOKBACK`] ago while it has sealed none). Returns how
    /// many it chained.
    pub async fn seal(&mut self, db: &DatabaseConnection) -> ApiResult<u64> {
        let due = |last: Option<std::time::Instant>, every| {
            last.is_none_or(|at: std::time::Instant| at.elapsed() >= every)
        };
        let whole = due(self.last_whole_walk, WHOLE_WALK_EVERY);
        let look_back = whole || due(self.last_look_back, self.look_back_every);
        let from = match self.newest {
            _ if whole => None,
            Some((at, _)) if look_back => Some((at - LOOKBACK, Uuid::nil())),
            Some(place) => Some(place),
            None => Some((Utc::now() - LOOKBACK, Uuid::nil())),
        };
        let started = std::time::Instant::now();
        let (sealed, last) = pass(db, from).await?;
        if whole {
            self.last_whole_walk = Some(started);
        }
        if look_back {
            self.last_look_back = Some(started);
        }
        self.newest = self.newest.max(last);
        Ok(sealed)
    }
}

/// Seals every unchained row after `from` (all of them when `None`); returns how many it
/// chained and the place of the last, the furthest in the walk.
async fn pass(db: &DatabaseConnection, from: Option<Place>) -> ApiResult<(u64, Option<Place>)> {
    let mut after = from;
    let mut total = 0;
    let mut furthest = None;
    loop {
        let (sealed, last) = seal_batch(db, after).await?;
        total += sealed;
        if last.is_some() {
            furthest = last;
            after = last;
        }
        if sealed < SEAL_BATCH {
            return Ok((total, furthest));
        }
    }
}

/// Seals the first [`SEAL_BATCH`] unchained rows after `after`, in one transaction;
/// returns how many it chained and the place of the last.
async fn seal_batch(
    db: &DatabaseConnection,
    after: Option<Place>,
) -> ApiResult<(u64, Option<Place>)> {
    let txn = tx::begin(db).await?;
    lock_chain(&*txn).await?;
    let rows = batch(after).all(&*txn).await?;
    let Some(last) = rows.last().map(|row| (row.occurred_at, row.id)) else {
        return Ok((0, None));
    };
    let head = head(&*txn).await?;
    let now = Utc::now();
    let backend = txn.get_database_backend();
    let mut prev = head.hash;
    let mut seq = head.seq;
    let mut values = Vec::with_capacity(rows.len() * 5);
    let mut placeholders = Vec::with_capacity(rows.len());
    for row in &rows {
        seq += 1;
        let hash = chain_hash(&prev, &canonical_bytes(row));
        values.push(seq.into());
        values.push(row.id.into());
        values.push(prev.clone().into());
        values.push(hash.clone().into());
        values.push(now.into());
        placeholders.push("(?, ?, ?, ?, ?)");
        prev = hash;
    }
    txn.execute_raw(statement(
        backend,
        &format!(
            "INSERT INTO audit_chain (seq, audit_id, prev_hash, hash, created_at) VALUES {}",
            placeholders.join(", ")
        ),
        values,
    ))
    .await?;
    txn.commit().await?;
    Ok((u64::try_from(rows.len()).unwrap_or(u64::MAX), Some(last)))
}

/// The first [`SEAL_BATCH`] unchained rows after `after`, in walk order.
fn batch(after: Option<Place>) -> Select<audit_events::Entity> {
    let mut query = audit_events::Entity::find().filter(Expr::cust(
        "NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = audit_events.id)",
    ));
    if let Some((at, id)) = after {
        // One row-value comparison, which the index on `(occurred_at, id)` answers as a
        // range read in walk order: the scan stops at the batch's last row. Written as
        // `occurred_at > at OR (occurred_at = at AND id > id)` over an index of
        // `occurred_at` alone, the database started at `at` and sorted every later row to
        // find the first batch, so each batch cost the whole backlog (`BENCHMARKS.md`,
        // "The sealer under load").
        query = query.filter(
            Expr::tuple([
                Expr::col((audit_events::Entity, audit_events::Column::OccurredAt)),
                Expr::col((audit_events::Entity, audit_events::Column::Id)),
            ])
            .gt(Expr::tuple([Expr::val(at), Expr::val(id)])),
        );
    }
    query
        .order_by_asc(audit_events::Column::OccurredAt)
        .order_by_asc(audit_events::Column::Id)
        .limit(SEAL_BATCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use migration::MigratorTrait as _;
    use sea_orm::{DbBackend, QueryTrait as _, Statement};

    /// SQLite's plan of a batch after a place: one range read of the walk index, nothing
    /// sorted. (With `occurred_at` alone indexed it sorted every row after the place.)
    #[tokio::test]
    async fn a_batch_reads_the_walk_index_in_order_and_sorts_nothing() {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite");
        migration::Migrator::up(&db, None)
            .await
            .expect("migrations");
        let query = batch(Some((Utc::now(), Uuid::nil()))).build(DbBackend::Sqlite);
        let plan = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!("EXPLAIN QUERY PLAN {}", query.sql),
                query.values.map(|values| values.0).unwrap_or_default(),
            ))
            .await
            .expect("plan");
        let steps: Vec<String> = plan
            .iter()
            .map(|row| row.try_get_by_index::<String>(3).expect("detail"))
            .collect();
        assert!(
            steps
                .iter()
                .any(|step| step.contains("ix_audit_events_occurred_at_id")),
            "{steps:?}"
        );
        assert!(
            !steps.iter().any(|step| step.contains("TEMP B-TREE")),
            "{steps:?}"
        );
    }
}
