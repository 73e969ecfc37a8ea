//! The stored deadlines: the engine's output per child, kept in `deadlines` so that
//! lists filter, page and count in SQL (`docs/product.md`).
//!
//! The engine ([`derive`]) stays the only source of the rules; the table is its cache:
//!
//! - **In the same transaction.** A write that changes a fact a deadline is derived from
//!   (a chronology entry, an escalated behaviour, a plan's activation, review or closure,
//!   the case team, whose lead and police answer for deadlines) calls
//!   `write.deadlines_changed(child)`; [`Write::commit`](super::super::op::Write::commit)
//!   then re-derives those children's deadlines ([`refresh`]) before it commits.
//! - **Under one set of rules.** The rules (timescales, calendar, designated police) are
//!   the server's, [`install`]ed once at start-up. `deadline_policy` records the
//!   [`fingerprint`] of the rules the stored set was derived under; at start-up
//!   [`ensure_current`] rebuilds every child's deadlines ([`rebuild_all`]) when it differs
//!   or was never written, which also covers facts written straight into the database.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use entity::{children, deadline_notes, deadline_policy, deadlines};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use super::timelines;
use crate::domain::{DomainConfig, tx};
use crate::error::ApiResult;
use crate::timescales::deadlines::{Deadline, DeadlineKind, derive};

/// Bump when the engine's rules change in code, so that servers rebuild.
const ENGINE_VERSION: u32 = 2;

/// How many children [`rebuild_all`] derives per transaction: memory stays bounded.
const REBUILD_CHUNK: u64 = 500;

/// How many rows one insert carries (8 values each, far below every bind limit).
const INSERT_CHUNK: usize = 500;

/// The rules this process derives deadlines under.
static RULES: RwLock<Option<Arc<DomainConfig>>> = RwLock::new(None);

/// Makes `config` the rules every write's refresh derives under (at start-up).
pub fn install(config: &DomainConfig) {
    let mut rules = match RULES.write() {
        Ok(rules) => rules,
        Err(poisoned) => poisoned.into_inner(),
    };
    *rules = Some(Arc::new(config.clone()));
}

/// The installed rules; the defaults before any are installed.
fn rules() -> Arc<DomainConfig> {
    let rules = match RULES.read() {
        Ok(rules) => rules,
        Err(poisoned) => poisoned.into_inner(),
    };
    rules.clone().unwrap_or_default()
}

/// A text naming everything the derivation depends on besides the facts.
pub fn fingerprint(config: &DomainConfig) -> String {
    format!(
        "engine={ENGINE_VERSION};deadlines={:?};jurisdiction={:?};holidays={};police={:?}",
        config.timescales.deadlines,
        config.timescales.calendar.jurisdiction(),
        config.timescales.calendar.digest(),
        config.designated_police,
    )
}

/// A time as stored: within years 1 to 9999, which every backend stores and orders (as
/// text, SQLite orders only four-digit years). Only facts written around the API reach
/// past them, and a deadline that far away reads the same either way.
fn storable(at: DateTime<Utc>) -> DateTime<Utc> {
    let first = DateTime::<Utc>::from_timestamp(-62_135_596_800, 0); // 0001-01-01
    let last = DateTime::<Utc>::from_timestamp(253_402_300_799, 0); // 9999-12-31 23:59:59
    match (first, last) {
        (Some(first), Some(last)) => at.clamp(first, last),
        _ => at,
    }
}

/// A derived deadline as a row.
fn row(deadline: &Deadline) -> deadlines::ActiveModel {
    deadlines::ActiveModel {
        id: Set(deadline.id),
        child_id: Set(deadline.child_id),
        kind: Set(deadline.kind.name().to_owned()),
        responsible_agency_id: Set(deadline.responsible_agency),
        started_at: Set(storable(deadline.started_at)),
        due_at: Set(storable(deadline.due_at)),
        met_at: Set(deadline.met_at.map(storable)),
    }
}

/// A stored row as the engine's deadline; `None` for a kind this build does not know
/// (a row from a newer build, before its rebuild).
pub fn deadline_of(model: &deadlines::Model) -> Option<Deadline> {
    Some(Deadline {
        id: model.id,
        kind: DeadlineKind::from_name(&model.kind)?,
        child_id: model.child_id,
        responsible_agency: model.responsible_agency_id,
        started_at: model.started_at,
        due_at: model.due_at,
        met_at: model.met_at,
    })
}

/// Re-derives and replaces the stored deadlines of `kids` under `config`.
async fn replace<C: ConnectionTrait>(
    db: &C,
    config: &DomainConfig,
    kids: &[children::Model],
) -> ApiResult<u64> {
    if kids.is_empty() {
        return Ok(0);
    }
    let derived: Vec<Deadline> = timelines(db, config, kids)
        .await?
        .iter()
        .flat_map(|t| derive(t, &config.timescales.deadlines, &config.timescales.calendar))
        .collect();
    deadlines::Entity::delete_many()
        .filter(deadlines::Column::ChildId.is_in(kids.iter().map(|c| c.id)))
        .exec(db)
        .await?;
    for chunk in derived.chunks(INSERT_CHUNK) {
        deadlines::Entity::insert_many(chunk.iter().map(row))
            .exec_without_returning(db)
            .await?;
    }
    Ok(derived.len() as u64)
}

/// Re-derives the stored deadlines of these children inside a write transaction, under
/// the installed rules. The caller holds each child's `deadlines:` lock.
pub(crate) async fn refresh<C: ConnectionTrait>(txn: &C, child_ids: &[Uuid]) -> ApiResult<()> {
    let kids = children::Entity::find()
        .filter(children::Column::Id.is_in(child_ids.iter().copied()))
        .order_by_asc(children::Column::Id)
        .all(txn)
        .await?;
    replace(txn, &rules(), &kids).await?;
    Ok(())
}

/// The key of the lock a refresh of one child's deadlines holds until commit.
pub(crate) fn lock_key(child_id: Uuid) -> String {
    format!("deadlines:{child_id}")
}

/// Re-derives every child's deadlines under `config`, [`REBUILD_CHUNK`] children per
/// transaction, and records the rules' fingerprint. Returns how many deadlines it stored.
///
/// Safe beside running servers: each chunk holds its children's [`lock_key`] locks (in id
/// order, as writes take them) before it reads their facts, so a write's refresh and the
/// rebuild of the same child follow one another.
pub async fn rebuild_all(db: &DatabaseConnection, config: &DomainConfig) -> ApiResult<u64> {
    let mut stored = 0;
    let mut after: Option<Uuid> = None;
    loop {
        let txn = tx::begin(db).await?;
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            txn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock(hashtextextended('deadlines:' || c.id::text, 0))
                   FROM (SELECT id FROM children WHERE id > $1 OR $2 ORDER BY id LIMIT $3) c
                  ORDER BY c.id",
                [
                    after.unwrap_or_default().into(),
                    after.is_none().into(),
                    (REBUILD_CHUNK as i64).into(),
                ],
            ))
            .await?;
        }
        let mut page = children::Entity::find().order_by_asc(children::Column::Id);
        if let Some(after) = after {
            page = page.filter(children::Column::Id.gt(after));
        }
        let kids = page.limit(REBUILD_CHUNK).all(&*txn).await?;
        let Some(last) = kids.last() else { break };
        after = Some(last.id);
        stored += replace(&*txn, config, &kids).await?;
        txn.commit().await?;
    }
    let txn = tx::begin(db).await?;
    deadline_policy::Entity::delete_many().exec(&*txn).await?;
    deadline_policy::Entity::insert(deadline_policy::ActiveModel {
        id: Set(1),
        fingerprint: Set(fingerprint(config)),
        derived_at: Set(Utc::now()),
    })
    .exec_without_returning(&*txn)
    .await?;
    txn.commit().await?;
    Ok(stored)
}

/// Forgets under which rules the stored deadlines were derived, so that the next start-up
/// derives them again (after facts were written outside a running server).
pub async fn invalidate(db: &DatabaseConnection) -> ApiResult<()> {
    deadline_policy::Entity::delete_many().exec(db).await?;
    Ok(())
}

/// When the stored deadlines were derived under rules other than `config` or never,
/// rebuilds them: how many were stored, or `None` when they were current. (The server
/// [`install`]s `config` when it builds its schema.)
pub async fn ensure_current(
    db: &DatabaseConnection,
    config: &DomainConfig,
) -> ApiResult<Option<u64>> {
    let current = deadline_policy::Entity::find_by_id(1).one(db).await?;
    if current.is_some_and(|row| row.fingerprint == fingerprint(config)) {
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let stored = rebuild_all(db, config).await?;
    tracing::info!(
        deadlines = stored,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "rebuilt the stored deadlines under the current timescales policy"
    );
    Ok(Some(stored))
}

/// A stored deadline with the late reason recorded for it, if any.
#[derive(Clone, Debug)]
pub struct WithNote {
    /// The deadline.
    pub deadline: Deadline,
    /// Its late reason.
    pub note: Option<deadline_notes::Model>,
}

/// The stored deadlines of these children, soonest first, each with its late reason:
/// one statement, the notes joined on the deadline's id. The caller passes at most a
/// page of children (the request's loader chunks longer lists).
pub async fn with_notes_of_children<C: ConnectionTrait>(
    db: &C,
    child_ids: &[Uuid],
) -> ApiResult<Vec<WithNote>> {
    let note = deadlines::Entity::belongs_to(deadline_notes::Entity)
        .from(deadlines::Column::Id)
        .to(deadline_notes::Column::DeadlineId)
        .into();
    Ok(deadlines::Entity::find()
        .select_also(deadline_notes::Entity)
        .join(JoinType::LeftJoin, note)
        .filter(deadlines::Column::ChildId.is_in(child_ids.iter().copied()))
        .order_by_asc(deadlines::Column::DueAt)
        .order_by_asc(deadlines::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(row, note)| {
            Some(WithNote {
                deadline: deadline_of(&row)?,
                note,
            })
        })
        .collect())
}

/// The stored deadlines of one child, soonest first.
pub async fn of_child<C: ConnectionTrait>(db: &C, child_id: Uuid) -> ApiResult<Vec<Deadline>> {
    Ok(deadlines::Entity::find()
        .filter(deadlines::Column::ChildId.eq(child_id))
        .order_by_asc(deadlines::Column::DueAt)
        .order_by_asc(deadlines::Column::Id)
        .all(db)
        .await?
        .iter()
        .filter_map(deadline_of)
        .collect())
}
