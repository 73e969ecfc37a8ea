//! The audit trail that proves itself (`docs/access.md`): the audit log is append-only in
//! the database (triggers refuse an `UPDATE` or `DELETE` of `audit_events` and
//! `audit_chain`, bar the pruning below), and a hash chain seals its rows so that a row
//! changed or removed behind the service's back is found by `concord audit verify`.
//!
//! - [`seal`] (run in the background by `serve`, through a [`Sealer`]) appends a chain
//!   entry for every audit row not yet chained, in `(occurred_at, id)` order: `hash =
//!   hex(SHA-256(prev_hash || canonical bytes of the row))`. Entries are never rewritten.
//! - [`prune_audit_log`] deletes the rows older than a cutoff with their chain entries,
//!   and records the last pruned entry's hash as the new anchor (`audit_chain_anchor`).
//! - [`verify`] walks the chain from the anchor and recomputes every hash from the rows
//!   as they are now. It only reads.

use chrono::{DateTime, SecondsFormat, Utc};
use entity::audit_events;
use sea_orm::{ActiveEnum, ConnectionTrait, DatabaseBackend, FromQueryResult, Statement, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiResult;

mod seal;
mod verify;

pub use seal::{LOOK_BACK_EVERY, LOOKBACK, Sealer, WHOLE_WALK_EVERY, seal};
pub use verify::{Break, BreakKind, Verification, unsealed_age, verify};

/// The `prev_hash` of the first entry of a chain that has never been pruned.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How many rows one sealing transaction chains.
pub const SEAL_BATCH: u64 = 1_000;

/// The lock sealing and pruning take, so that the chain has one writer at a time.
const LOCK_KEY: &str = "audit_chain";

/// Version tag at the head of the canonical bytes: a change of layout is a new tag.
const CANONICAL_VERSION: &str = "concord-audit-v1";

/// A statement in `?` placeholders, numbered `$1, $2…` on PostgreSQL.
fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DatabaseBackend::Postgres {
        let mut numbered = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                numbered.push('$');
                numbered.push_str(&n.to_string());
            } else {
                numbered.push(c);
            }
        }
        numbered
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// A timestamp as the canonical bytes carry it: RFC 3339, UTC, microseconds (what
/// PostgreSQL keeps; SQLite's finer digits are cut to the same precision).
pub fn canonical_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The canonical bytes of an audit row: a JSON array of every column in a fixed order
/// (absent values as `null`, timestamps by [`canonical_time`]), after a version tag.
///
/// Written straight from the row, without building a `serde_json::Value` first: the
/// sealer computes this for every audit row, and under load it was a visible share of the
/// server's time (`BENCHMARKS.md`, "The sealer's own time").
pub fn canonical_bytes(row: &audit_events::Model) -> Vec<u8> {
    // Serialising strings, ids and a `serde_json::Value` into memory cannot fail.
    serde_json::to_vec(&Canonical(row)).unwrap_or_default()
}

/// An audit row as [`canonical_bytes`] writes it.
struct Canonical<'a>(&'a audit_events::Model);

impl serde::Serialize for Canonical<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq as _;
        let row = self.0;
        let mut columns = serializer.serialize_seq(Some(17))?;
        columns.serialize_element(CANONICAL_VERSION)?;
        columns.serialize_element(&row.id)?;
        columns.serialize_element(&canonical_time(row.occurred_at))?;
        columns.serialize_element(&row.actor_subject)?;
        columns.serialize_element(&row.actor_agency_id)?;
        columns.serialize_element(&row.actor_agency_code)?;
        columns.serialize_element(&row.actor_roles)?;
        columns.serialize_element(&row.action)?;
        columns.serialize_element(&row.entity_type)?;
        columns.serialize_element(&row.entity_id)?;
        columns.serialize_element(&row.child_id)?;
        columns.serialize_element(&row.outcome.to_value())?;
        columns.serialize_element(&row.reason)?;
        columns.serialize_element(&row.request_id)?;
        columns.serialize_element(&canonical_time(row.created_at))?;
        columns.serialize_element(&canonical_time(row.updated_at))?;
        columns.serialize_element(&row.changes)?;
        columns.end()
    }
}

/// `hex(SHA-256(prev_hash || canonical bytes))`.
pub fn chain_hash(prev_hash: &str, canonical: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical);
    format!("{:x}", hasher.finalize())
}

/// One entry of the chain.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct ChainEntry {
    /// Position in the chain, from 1, ascending.
    pub seq: i64,
    /// The audit row sealed.
    pub audit_id: Uuid,
    /// The hash of the entry before (or of the anchor, or [`GENESIS`]).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Where the chain starts: the last pruned entry, or nothing pruned yet.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct Anchor {
    /// The seq of the last pruned entry (0 when nothing was pruned).
    pub seq: i64,
    /// Its hash ([`GENESIS`] when nothing was pruned).
    pub hash: String,
}

/// The latest anchor.
pub async fn anchor<C: ConnectionTrait>(db: &C) -> ApiResult<Anchor> {
    let backend = db.get_database_backend();
    let found = Anchor::find_by_statement(statement(
        backend,
        "SELECT seq, hash FROM audit_chain_anchor ORDER BY seq DESC LIMIT 1",
        vec![],
    ))
    .one(db)
    .await?;
    Ok(found.unwrap_or_else(|| Anchor {
        seq: 0,
        hash: GENESIS.to_owned(),
    }))
}

/// The last entry of the chain, or the anchor when the chain is empty.
async fn head<C: ConnectionTrait>(db: &C) -> ApiResult<Anchor> {
    let backend = db.get_database_backend();
    let last = Anchor::find_by_statement(statement(
        backend,
        "SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1",
        vec![],
    ))
    .one(db)
    .await?;
    match last {
        Some(last) => Ok(last),
        None => anchor(db).await,
    }
}

/// Takes the chain's lock on PostgreSQL for the rest of the transaction (SQLite has one
/// writer at a time).
async fn lock_chain<C: ConnectionTrait>(db: &C) -> ApiResult<()> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [LOCK_KEY.into()],
        ))
        .await?;
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct MinSeq {
    seq: Option<i64>,
}

/// Deletes the audit rows that occurred before `cutoff`, with their chain entries, and
/// returns how many audit rows it deleted. The last pruned chain entry becomes the new
/// anchor, so that `verify` starts from it.
///
/// Call it inside a transaction (a `Write`, or `tx::begin`): it opens the triggers'
/// retention window (`audit_retention`) for its own deletes and closes it again, and
/// only a transaction makes that invisible to everyone else.
///
/// The chain is pruned as a prefix: a row sealed after a row that is kept (a row whose
/// transaction committed late) is kept too until a later prune, so the chain stays
/// unbroken.
pub async fn prune_audit_log<C: ConnectionTrait>(db: &C, cutoff: DateTime<Utc>) -> ApiResult<u64> {
    let backend = db.get_database_backend();
    lock_chain(db).await?;
    // The first entry that must stay: the first whose row is not older than the cutoff.
    let first_kept = MinSeq::find_by_statement(statement(
        backend,
        "SELECT MIN(c.seq) AS seq FROM audit_chain c \
         LEFT JOIN audit_events a ON a.id = c.audit_id \
         WHERE a.id IS NULL OR a.occurred_at >= ?",
        vec![cutoff.into()],
    ))
    .one(db)
    .await?
    .and_then(|m| m.seq);
    let last_pruned = Anchor::find_by_statement(match first_kept {
        Some(kept) => statement(
            backend,
            "SELECT seq, hash FROM audit_chain WHERE seq < ? ORDER BY seq DESC LIMIT 1",
            vec![kept.into()],
        ),
        None => statement(
            backend,
            "SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1",
            vec![],
        ),
    })
    .one(db)
    .await?;
    let chain_seq = last_pruned.as_ref().map_or(0, |last| last.seq);

    db.execute_raw(statement(
        backend,
        "UPDATE audit_retention SET cutoff = ?, chain_seq = ?",
        vec![cutoff.into(), chain_seq.into()],
    ))
    .await?;
    let deleted = db
        .execute_raw(statement(
            backend,
            "DELETE FROM audit_events WHERE occurred_at < ? AND NOT EXISTS \
             (SELECT 1 FROM audit_chain c WHERE c.audit_id = audit_events.id AND c.seq > ?)",
            vec![cutoff.into(), chain_seq.into()],
        ))
        .await?
        .rows_affected();
    if let Some(last) = &last_pruned {
        db.execute_raw(statement(
            backend,
            "DELETE FROM audit_chain WHERE seq <= ?",
            vec![last.seq.into()],
        ))
        .await?;
        db.execute_raw(statement(
            backend,
            "INSERT INTO audit_chain_anchor (seq, hash, created_at) VALUES (?, ?, ?)",
            vec![last.seq.into(), last.hash.clone().into(), Utc::now().into()],
        ))
        .await?;
    }
    db.execute_raw(statement(
        backend,
        "UPDATE audit_retention SET cutoff = NULL, chain_seq = NULL",
        vec![],
    ))
    .await?;
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use entity::enums::AuditOutcome;

    use super::*;

    fn row() -> audit_events::Model {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 6, 3, 4, 5)
            .single()
            .expect("time")
            + chrono::Duration::nanoseconds(123_456_789);
        audit_events::Model {
            id: Uuid::from_u128(1),
            occurred_at: at,
            actor_subject: "practitioner@school.test".into(),
            actor_agency_id: Some(Uuid::from_u128(2)),
            actor_agency_code: Some("school".into()),
            actor_roles: "PRACTITIONER".into(),
            action: "CLOSE_JOINT_PLAN".into(),
            entity_type: "JointPlan".into(),
            entity_id: Some(Uuid::from_u128(3)),
            child_id: None,
            outcome: AuditOutcome::Allowed,
            reason: None,
            request_id: Some("req-1".into()),
            created_at: at,
            updated_at: at,
            changes: Some(
                serde_json::json!([{"field": "status", "old": "ACTIVE", "new": "CLOSED"}]),
            ),
        }
    }

    #[test]
    fn sha256_is_the_standard_one() {
        assert_eq!(
            chain_hash("", b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(chain_hash("a", b"bc"), chain_hash("", b"abc"));
    }

    #[test]
    fn canonical_bytes_list_every_column_in_a_fixed_order_at_microsecond_precision() {
        let bytes = String::from_utf8(canonical_bytes(&row())).expect("utf-8");
        assert_eq!(
            bytes,
            "[\"concord-audit-v1\",\"00000000-0000-0000-0000-000000000001\",\
             \"2026-12-06T03:04:05.123456Z\",\"practitioner@school.test\",\
             \"00000000-0000-0000-0000-000000000002\",\"school\",\"PRACTITIONER\",\
             \"CLOSE_JOINT_PLAN\",\"JointPlan\",\"00000000-0000-0000-0000-000000000003\",\
             null,\"ALLOWED\",null,\"req-1\",\"2026-12-06T03:04:05.123456Z\",\
             \"2026-12-06T03:04:05.123456Z\",\
             [{\"field\":\"status\",\"new\":\"CLOSED\",\"old\":\"ACTIVE\"}]]"
        );
    }

    /// The bytes are those of a `serde_json` array of the columns, as the first sealer
    /// wrote them (its code, kept here as the reference), with values present and absent:
    /// a chain sealed before stays verifiable.
    #[test]
    fn canonical_bytes_are_those_of_the_first_sealer() {
        fn reference(row: &audit_events::Model) -> Vec<u8> {
            let columns = serde_json::json!([
                CANONICAL_VERSION,
                row.id.to_string(),
                canonical_time(row.occurred_at),
                row.actor_subject,
                row.actor_agency_id.map(|id| id.to_string()),
                row.actor_agency_code,
                row.actor_roles,
                row.action,
                row.entity_type,
                row.entity_id.map(|id| id.to_string()),
                row.child_id.map(|id| id.to_string()),
                row.outcome.to_value(),
                row.reason,
                row.request_id,
                canonical_time(row.created_at),
                canonical_time(row.updated_at),
                row.changes,
            ]);
            serde_json::to_vec(&columns).expect("serialises")
        }
        let full = audit_events::Model {
            child_id: Some(Uuid::from_u128(4)),
            reason: Some("a \"quoted\" reason\nwith a line break, é and \u{1}".into()),
            ..row()
        };
        let empty = audit_events::Model {
            actor_agency_id: None,
            actor_agency_code: None,
            entity_id: None,
            child_id: None,
            reason: None,
            request_id: None,
            changes: None,
            outcome: AuditOutcome::Denied,
            ..row()
        };
        let numbers = audit_events::Model {
            changes: Some(serde_json::json!({
                "z": [1, -2, 3.5, 1e300, {"b": null, "a": [true, false, ""]}],
                "a": {"nested": {"deeper": u64::MAX, "neg": i64::MIN}},
                "m": "text with \\ and \"quotes\" and \u{7f}"
            })),
            ..row()
        };
        for row in [row(), full, empty, numbers] {
            assert_eq!(canonical_bytes(&row), reference(&row));
        }
        // And the chain's hash of the reference row, computed outside Rust (Python's
        // hashlib over the bytes asserted above, after the genesis hash).
        assert_eq!(
            chain_hash(GENESIS, &canonical_bytes(&row())),
            "8794a2fdf806d3579a857c11f68710e316f932062d4af302a5efa0de5d6bfc09"
        );
    }

    #[test]
    fn every_column_is_in_the_hash() {
        let base = row();
        let hash = chain_hash(GENESIS, &canonical_bytes(&base));
        let mut variants = Vec::new();
        let mut r = base.clone();
        r.reason = Some("x".into());
        variants.push(r);
        let mut r = base.clone();
        r.child_id = Some(Uuid::from_u128(9));
        variants.push(r);
        let mut r = base.clone();
        r.outcome = AuditOutcome::Denied;
        variants.push(r);
        let mut r = base.clone();
        r.changes = None;
        variants.push(r);
        let mut r = base.clone();
        r.updated_at += chrono::Duration::microseconds(1);
        variants.push(r);
        for variant in variants {
            assert_ne!(chain_hash(GENESIS, &canonical_bytes(&variant)), hash);
        }
        // Digits below a microsecond are not kept by PostgreSQL, so not hashed.
        let mut r = base.clone();
        r.occurred_at += chrono::Duration::nanoseconds(1);
        assert_eq!(chain_hash(GENESIS, &canonical_bytes(&r)), hash);
        assert_ne!(chain_hash("other", &canonical_bytes(&base)), hash);
    }
}
