//! `concord audit verify`: walks the chain from its anchor and recomputes every hash from
//! the audit rows as they are now, and says how far sealing is behind. It only reads.

use chrono::{DateTime, Utc};
use entity::audit_events;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::{Anchor, ChainEntry, SEAL_BATCH, anchor, canonical_bytes, chain_hash, statement};
use crate::error::ApiResult;

/// What broke the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BreakKind {
    /// The audit row is not what was sealed.
    RowChanged,
    /// The audit row sealed is no longer there.
    RowMissing,
    /// The chain entry itself does not follow from the one before (its `prev_hash`,
    /// `seq` or `hash` was altered, or an entry is missing).
    EntryAltered,
}

impl BreakKind {
    /// How the report names it.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::RowChanged => "row changed",
            Self::RowMissing => "row missing",
            Self::EntryAltered => "chain entry altered",
        }
    }
}

/// The first place the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The chain entry's seq.
    pub seq: i64,
    /// The audit row it seals.
    pub audit_id: Uuid,
    /// What is wrong.
    pub kind: BreakKind,
}

/// The outcome of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// Rows whose chain entry was checked and holds.
    pub verified: u64,
    /// Audit rows not sealed yet.
    pub unsealed: u64,
    /// When the oldest row not sealed yet occurred (none when every row is sealed).
    pub oldest_unsealed: Option<DateTime<Utc>>,
    /// The first break, if any.
    pub first_break: Option<Break>,
    /// The last entry verified (the anchor when none was): an operator who notes it
    /// can tell later that the chain has not been cut short since.
    pub head: Anchor,
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// Walks the chain in seq order from the anchor, recomputing each hash from the audit
/// row as it is now; stops at the first break. Only reads.
pub async fn verify<C: ConnectionTrait>(db: &C) -> ApiResult<Verification> {
    let backend = db.get_database_backend();
    let anchor = anchor(db).await?;
    let mut prev_seq = anchor.seq;
    let mut prev_hash = anchor.hash;
    let mut verified = 0u64;
    let mut first_break = None;
    'walk: loop {
        let entries = ChainEntry::find_by_statement(statement(
            backend,
            "SELECT seq, audit_id, prev_hash, hash FROM audit_chain WHERE seq > ? \
             ORDER BY seq LIMIT ?",
            vec![
                prev_seq.into(),
                i64::try_from(SEAL_BATCH).unwrap_or(1000).into(),
            ],
        ))
        .all(db)
        .await?;
        if entries.is_empty() {
            break;
        }
        let ids: Vec<Uuid> = entries.iter().map(|e| e.audit_id).collect();
        let rows: std::collections::HashMap<Uuid, audit_events::Model> =
            audit_events::Entity::find()
                .filter(audit_events::Column::Id.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|row| (row.id, row))
                .collect();
        for entry in entries {
            let broken = |kind| Break {
                seq: entry.seq,
                audit_id: entry.audit_id,
                kind,
            };
            if entry.seq != prev_seq + 1 || entry.prev_hash != prev_hash {
                first_break = Some(broken(BreakKind::EntryAltered));
                break 'walk;
            }
            let Some(row) = rows.get(&entry.audit_id) else {
                first_break = Some(broken(BreakKind::RowMissing));
                break 'walk;
            };
            let recomputed = chain_hash(&prev_hash, &canonical_bytes(row));
            if recomputed != entry.hash {
                // The row, or the entry's own hash: when the next entry still follows
                // from the hash the row gives, it is the entry that was altered.
                let next = ChainEntry::find_by_statement(statement(
                    backend,
                    "SELECT seq, audit_id, prev_hash, hash FROM audit_chain WHERE seq = ?",
                    vec![(entry.seq + 1).into()],
                ))
                .one(db)
                .await?;
                let kind = match next {
                    Some(next) if next.prev_hash == recomputed => BreakKind::EntryAltered,
                    _ => BreakKind::RowChanged,
                };
                first_break = Some(broken(kind));
                break 'walk;
            }
            verified += 1;
            prev_seq = entry.seq;
            prev_hash = entry.hash;
        }
    }
    let unsealed = Count::find_by_statement(statement(
        backend,
        "SELECT COUNT(*) AS n FROM audit_events a \
         WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)",
        vec![],
    ))
    .one(db)
    .await?
    .map_or(0, |c| c.n);
    Ok(Verification {
        verified,
        unsealed: u64::try_from(unsealed).unwrap_or(0),
        oldest_unsealed: oldest_unsealed(db).await?,
        first_break,
        head: Anchor {
            seq: prev_seq,
            hash: prev_hash,
        },
    })
}

/// When the oldest audit row that no chain entry seals occurred.
async fn oldest_unsealed<C: ConnectionTrait>(db: &C) -> ApiResult<Option<DateTime<Utc>>> {
    Ok(audit_events::Entity::find()
        .select_only()
        .column(audit_events::Column::OccurredAt)
        .filter(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = audit_events.id)",
        ))
        .order_by_asc(audit_events::Column::OccurredAt)
        .limit(1)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?)
}

/// How long ago the oldest unsealed row occurred, in whole seconds (0 for a row dated
/// ahead of `now`); none when every row is sealed.
pub fn unsealed_age(verification: &Verification, now: DateTime<Utc>) -> Option<u64> {
    verification
        .oldest_unsealed
        .map(|at| u64::try_from((now - at).num_seconds()).unwrap_or(0))
}
