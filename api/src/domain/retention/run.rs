//! The retention run (`concord retention run`, and `serve` on an interval when
//! `CONCORD_RETENTION_INTERVAL_HOURS` is set): what is due for erasure on a day, and,
//! applied, the erasure of each due record in its own transaction.
//!
//! A record is due when its case is closed, its `retainUntil` is before the day, and no
//! legal hold on it is active. Erasing it leaves a tombstone (`erasures`), then deletes
//! the child and everything attached to it ([`delete`]), the outbox rows that name any of
//! it included, clears the links to it from other children's behaviours, and writes an
//! `ERASE_RECORD` audit row, all in one transaction. Every due record is checked again
//! inside its transaction, so a hold placed or a case reopened meanwhile keeps it. A
//! second run finds nothing.

mod delete;

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

use chrono::{NaiveDate, Utc};
use entity::enums::{AgencyKind, AuditOutcome, ChildStatus};
use entity::{children, erasures, involvements, legal_holds};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{Retention, facts_of, is_due, retention};
use crate::auth::Actor;
use crate::domain::audit::{self, AuditAction, Target};
use crate::domain::outbox::{self, Event};
use crate::domain::{Caller, tx};
use crate::error::ApiResult;
use crate::timescales::dates;
use crate::timescales::deadlines::london_midnight;
use crate::timescales::policy_file::RetentionPolicy;

/// The audit log's actor subject for what the retention run does.
pub const RUN_SUBJECT: &str = "retention-run";

/// How many children one page of the scan reads.
const PAGE: u64 = 500;

/// One record past its retention day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The child's id.
    pub child_id: Uuid,
    /// Its class, day and rule.
    pub retention: Retention,
}

/// What is due on a day: the records to erase, and those an active legal hold keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Due {
    /// Due and not held: what `--apply` erases.
    pub erase: Vec<Candidate>,
    /// Due but under an active legal hold: kept.
    pub held: Vec<Candidate>,
}

/// What an applied run did.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// What was due when the run started.
    pub due: Due,
    /// The records erased (a due record that a hold or a reopening saved meanwhile is not).
    pub erased: Vec<Candidate>,
    /// How many audit rows older than the audit log's retention were pruned.
    pub audit_rows_pruned: u64,
}

/// The synthetic caller the run's audit rows and outbox rows name: subject
/// [`RUN_SUBJECT`], no agency (the nil id), no role.
pub fn run_caller() -> Caller {
    let actor = Actor {
        subject: RUN_SUBJECT.into(),
        name: "Retention run".into(),
        agency_id: Uuid::nil(),
        agency_code: RUN_SUBJECT.into(),
        agency_kind: AgencyKind::Other,
        roles: BTreeSet::new(),
        expires_at: Utc::now(),
    };
    Caller::new(actor, format!("{RUN_SUBJECT}-{}", Uuid::now_v7()))
}

/// The ids of the children with an active legal hold, of `ids`.
async fn held_of<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> ApiResult<HashSet<Uuid>> {
    let mut held = HashSet::new();
    for chunk in ids.chunks(500) {
        let rows = legal_holds::Entity::find()
            .filter(legal_holds::Column::ChildId.is_in(chunk.iter().copied()))
            .filter(legal_holds::Column::ReleasedAt.is_null())
            .all(db)
            .await?;
        held.extend(rows.into_iter().map(|hold| hold.child_id));
    }
    Ok(held)
}

/// What is due for erasure on `as_of`: every closed case whose `retainUntil` is before
/// it, split into those to erase and those held. Read only.
pub async fn due(
    db: &DatabaseConnection,
    policy: &RetentionPolicy,
    as_of: NaiveDate,
) -> ApiResult<Due> {
    let mut out = Due::default();
    let mut after: Option<Uuid> = None;
    loop {
        let mut page = children::Entity::find()
            .filter(children::Column::Status.eq(ChildStatus::Closed))
            .order_by_asc(children::Column::Id)
            .limit(PAGE);
        if let Some(last) = after {
            page = page.filter(children::Column::Id.gt(last));
        }
        let page = page.all(db).await?;
        let Some(last) = page.last() else {
            break;
        };
        after = Some(last.id);
        let facts = facts_of(db, &page).await?;
        let mut due: Vec<Candidate> = page
            .iter()
            .filter_map(|child| {
                let facts = facts.get(&child.id)?;
                let retention = retention(facts, policy);
                is_due(child.status, &retention, as_of).then_some(Candidate {
                    child_id: child.id,
                    retention,
                })
            })
            .collect();
        let ids: Vec<Uuid> = due.iter().map(|c| c.child_id).collect();
        let held = held_of(db, &ids).await?;
        let (kept, erase): (Vec<_>, Vec<_>) =
            due.drain(..).partition(|c| held.contains(&c.child_id));
        out.erase.extend(erase);
        out.held.extend(kept);
        if (page.len() as u64) < PAGE {
            break;
        }
    }
    Ok(out)
}

/// Erases every record due on `as_of`, each in its own transaction, then prunes the
/// audit log older than the schedule's `audit_log_years` (counted back from `as_of`).
pub async fn apply(
    db: &DatabaseConnection,
    policy: &RetentionPolicy,
    as_of: NaiveDate,
) -> ApiResult<Applied> {
    let due = due(db, policy, as_of).await?;
    let caller = run_caller();
    let mut erased = Vec::new();
    for candidate in &due.erase {
        // One record that cannot be erased now (a write racing it, say) is logged and
        // left for the next run; it does not stop the others.
        match erase(db, &caller, policy, as_of, candidate.child_id).await {
            Ok(true) => erased.push(candidate.clone()),
            Ok(false) => {}
            Err(error) => {
                tracing::error!(child_id = %candidate.child_id, %error, "retention: a due record could not be erased; it is left for the next run");
            }
        }
    }
    let audit_rows_pruned = prune_audit(db, policy, as_of).await?;
    Ok(Applied {
        due,
        erased,
        audit_rows_pruned,
    })
}

/// The start of the oldest day of the audit log that a run as of `as_of` keeps:
/// `audit_log_years` before `as_of`, or before today if `as_of` is later. A clock set
/// forward (`--as-of`) erases records as of that day, but never prunes the audit rows
/// written since today, the run's own among them.
pub fn audit_cutoff(
    policy: &RetentionPolicy,
    as_of: NaiveDate,
    today: NaiveDate,
) -> chrono::DateTime<Utc> {
    london_midnight(dates::sub_months(
        as_of.min(today),
        policy.audit_log_years.saturating_mul(12),
    ))
}

/// Deletes the audit rows older than the schedule keeps ([`audit_cutoff`]).
async fn prune_audit(
    db: &DatabaseConnection,
    policy: &RetentionPolicy,
    as_of: NaiveDate,
) -> ApiResult<u64> {
    let today = crate::timescales::deadlines::london_day(Utc::now());
    let cutoff = audit_cutoff(policy, as_of, today);
    let txn = tx::begin(db).await?;
    let pruned = crate::domain::audit_chain::prune_audit_log(&*txn, cutoff).await?;
    txn.commit().await?;
    Ok(pruned)
}

/// Erases one child's record if it is still due (closed, past its day, not held),
/// checked again inside the transaction; returns whether it did.
pub async fn erase(
    db: &DatabaseConnection,
    caller: &Caller,
    policy: &RetentionPolicy,
    as_of: NaiveDate,
    child_id: Uuid,
) -> ApiResult<bool> {
    let txn = tx::begin(db).await?;
    // The same keys a reopening, a hold and plan creation take, so none of them races
    // the erasure.
    tx::lock_key(&txn, &format!("plan:{child_id}")).await?;
    tx::lock_key(&txn, &format!("case-team:{child_id}")).await?;
    tx::lock_key(&txn, &crate::domain::legal_holds::lock_key(child_id)).await?;
    let Some(child) = children::Entity::find_by_id(child_id).one(&*txn).await? else {
        return Ok(false);
    };
    let facts = facts_of(&*txn, std::slice::from_ref(&child)).await?;
    let Some(facts) = facts.get(&child.id) else {
        return Ok(false);
    };
    let retention = retention(facts, policy);
    if !is_due(child.status, &retention, as_of) || !held_of(&*txn, &[child.id]).await?.is_empty() {
        return Ok(false);
    }
    let team: Vec<Uuid> = involvements::Entity::find()
        .filter(involvements::Column::ChildId.eq(child.id))
        .filter(involvements::Column::EndedOn.is_null())
        .all(&*txn)
        .await?
        .into_iter()
        .map(|inv| inv.agency_id)
        .collect();
    // The tombstone first: the triggers let the child's history (`record_versions`) go
    // only once it is there.
    erasures::Entity::insert(erasures::ActiveModel {
        id: Set(child.id),
        record_class: Set(retention.class.name().to_owned()),
        rule: Set(retention.rule.clone()),
        retain_until: Set(retention.retain_until),
        erased_at: Set(caller.now()),
        erased_by: Set(RUN_SUBJECT.to_owned()),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec(&*txn)
    .await?;
    delete::delete_record(&*txn, child.id).await?;
    // The agencies whose case team the child left: their subscriptions reload what they reach.
    for agency in team {
        outbox::record(&*txn, caller, Event::case_team_changed(agency)).await?;
    }
    audit::record(
        &*txn,
        caller,
        AuditAction::EraseRecord,
        Target::child(child.id),
        AuditOutcome::Allowed,
        Some(&format!(
            "{}; retained until {}",
            retention.rule, retention.retain_until
        )),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(child_id = %child.id, class = retention.class.name(), "record erased");
    Ok(true)
}

/// The run's report, as `concord retention run` prints it: each record to erase (or
/// erased), then each due record kept by a legal hold.
pub fn report(due: &Due, as_of: NaiveDate, applied: Option<&Applied>) -> String {
    let mut out = String::new();
    let verb = if applied.is_some() {
        "erased"
    } else {
        "would erase"
    };
    let erase = match applied {
        Some(applied) => &applied.erased,
        None => &due.erase,
    };
    let _ = writeln!(
        out,
        "retention run as of {as_of}: {verb} {} record(s); {} due record(s) under legal hold",
        erase.len(),
        due.held.len()
    );
    for c in erase {
        let _ = writeln!(
            out,
            "{verb}: child {} class {} rule \"{}\" retain until {}",
            c.child_id,
            c.retention.class.name(),
            c.retention.rule,
            c.retention.retain_until
        );
    }
    for c in &due.held {
        let _ = writeln!(
            out,
            "held: child {} class {} rule \"{}\" retain until {}",
            c.child_id,
            c.retention.class.name(),
            c.retention.rule,
            c.retention.retain_until
        );
    }
    if let Some(applied) = applied {
        let _ = writeln!(
            out,
            "audit log: pruned {} row(s) older than the schedule",
            applied.audit_rows_pruned
        );
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_cutoff_is_the_schedule_before_the_as_of_day_but_never_after_today() {
        let policy = RetentionPolicy::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let earlier = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let later = NaiveDate::from_ymd_opt(2066, 6, 1).unwrap();
        let day = |at: chrono::DateTime<Utc>| crate::timescales::deadlines::london_day(at);
        assert_eq!(
            day(audit_cutoff(&policy, earlier, today)),
            NaiveDate::from_ymd_opt(2019, 6, 1).unwrap()
        );
        assert_eq!(
            day(audit_cutoff(&policy, later, today)),
            NaiveDate::from_ymd_opt(2019, 12, 6).unwrap()
        );
    }
}
