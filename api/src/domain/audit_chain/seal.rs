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

use chrono::{DateTime, Utc};
use entity::audit_events;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
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
    let mut query = audit_events::Entity::find().filter(sea_orm::sea_query::Expr::cust(
        "NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = audit_events.id)",
    ));
    if let Some((at, id)) = after {
        // The plain bound is what lets the index on `occurred_at` start the scan at `at`;
        // the disjunction alone is only a filter, and the walk would read the log from
        // its start on every batch.
        query = query
            .filter(audit_events::Column::OccurredAt.gte(at))
            .filter(
                Condition::any()
                    .add(audit_events::Column::OccurredAt.gt(at))
                    .add(
                        Condition::all()
                            .add(audit_events::Column::OccurredAt.eq(at))
                            .add(audit_events::Column::Id.gt(id)),
                    ),
            );
    }
    let rows = query
        .order_by_asc(audit_events::Column::OccurredAt)
        .order_by_asc(audit_events::Column::Id)
        .limit(SEAL_BATCH)
        .all(&*txn)
        .await?;
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
