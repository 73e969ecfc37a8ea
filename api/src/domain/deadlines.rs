//! Deadlines for case roles: derived per child (`docs/product.md`), scoped by the policy,
//! with late reasons recorded against their stable ids.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::enums::{ChildStatus, PlanStatus};
use entity::{
    agencies, behaviours, children, chronology_entries, deadline_notes, deadlines,
    disclosure_requests, involvements, joint_plans, plan_reviews,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::audit::{self, AuditAction, EntityType, Target};
use super::case;
use super::op::Operation;
use super::versioned::check;
use super::{Caller, DomainConfig, new_id, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::timescales::deadlines::{
    Deadline, DeadlineStatus, DisclosureTimeline, Entry, PlanTimeline, Timeline, derive,
};

pub mod stored;

/// A deadline as a case role sees it, with its late reason.
#[derive(Clone, Debug)]
pub struct Noted {
    /// The derived deadline.
    pub deadline: Deadline,
    /// Its status now.
    pub status: DeadlineStatus,
    /// The late reason, if one was recorded.
    pub note: Option<deadline_notes::Model>,
    /// The child, already read (and audited) by whoever produced this; shared by the
    /// child's deadlines on a page.
    pub child: Arc<children::Model>,
}

/// Filters of `deadlines(filter:)`.
#[derive(Clone, Debug, Default)]
pub struct DeadlineFilter {
    /// Only those this agency answers for.
    pub agency_id: Option<Uuid>,
    /// Only those in this state.
    pub status: Option<DeadlineStatus>,
    /// Only those due before this time.
    pub due_before: Option<DateTime<Utc>>,
}

/// Gathers the timelines of these children in a few queries.
pub(crate) async fn timelines<C: ConnectionTrait>(
    db: &C,
    config: &DomainConfig,
    kids: &[children::Model],
) -> ApiResult<Vec<Timeline>> {
    let ids: Vec<Uuid> = kids.iter().map(|c| c.id).collect();
    let entries = chronology_entries::Entity::find()
        .filter(chronology_entries::Column::ChildId.is_in(ids.clone()))
        .all(db)
        .await?;
    let escalated = behaviours::Entity::find()
        .filter(behaviours::Column::ChildId.is_in(ids.clone()))
        .filter(behaviours::Column::Escalated.eq(true))
        .all(db)
        .await?;
    let plans = joint_plans::Entity::find()
        .filter(joint_plans::Column::ChildId.is_in(ids.clone()))
        .all(db)
        .await?;
    let reviews = plan_reviews::Entity::find()
        .filter(plan_reviews::Column::PlanId.is_in(plans.iter().map(|p| p.id)))
        .order_by_asc(plan_reviews::Column::HeldOn)
        .order_by_asc(plan_reviews::Column::Id)
        .all(db)
        .await?;
    let disclosures = disclosure_requests::Entity::find()
        .filter(disclosure_requests::Column::ChildId.is_in(ids.clone()))
        .all(db)
        .await?;
    let teams = involvements::Entity::find()
        .filter(involvements::Column::ChildId.is_in(ids))
        .filter(involvements::Column::EndedOn.is_null())
        .all(db)
        .await?;
    let police = match &config.designated_police {
        Some(code) => agencies::Entity::find()
            .filter(agencies::Column::Code.eq(code.as_str()))
            .one(db)
            .await?
            .map(|a| a.id),
        None => None,
    };
    let mut by_child: HashMap<Uuid, Timeline> = kids
        .iter()
        .map(|c| {
            let team: Vec<_> = teams
                .iter()
                .filter(|i| i.child_id == c.id)
                .cloned()
                .collect();
            let timeline = Timeline {
                child_id: c.id,
                date_of_birth: c.date_of_birth,
                lead_agency: policy::lead_agency(&team),
                police_agency: police.filter(|p| team.iter().any(|i| i.agency_id == *p)),
                entries: vec![],
                escalations: vec![],
                plans: vec![],
                disclosures: vec![],
                closed: c.status == ChildStatus::Closed,
            };
            (c.id, timeline)
        })
        .collect();
    for e in entries {
        if let Some(t) = by_child.get_mut(&e.child_id) {
            t.entries.push(Entry {
                id: e.id,
                kind: e.kind,
                occurred_at: e.occurred_at,
            });
        }
    }
    for b in escalated {
        if let Some(t) = by_child.get_mut(&b.child_id) {
            t.escalations.push((b.id, b.disclosed_at));
        }
    }
    for p in plans.into_iter().filter(|p| p.status != PlanStatus::Draft) {
        let plan_reviews = reviews
            .iter()
            .filter(|r| r.plan_id == p.id)
            .map(|r| (r.held_on, r.next_review_due))
            .collect();
        if let Some(t) = by_child.get_mut(&p.child_id) {
            t.plans.push(PlanTimeline {
                id: p.id,
                pathway: p.pathway,
                lead_agency: p.lead_agency_id,
                activated_at: p.activated_at,
                closed_at: p.closed_at,
                reviews: plan_reviews,
            });
        }
    }
    for request in disclosures {
        if let Some(t) = by_child.get_mut(&request.child_id) {
            t.disclosures.push(DisclosureTimeline {
                id: request.id,
                recording_agency: request.recording_agency_id,
                requested_at: request.requested_at,
                decided_at: request.decided_at,
            });
        }
    }
    Ok(kids.iter().filter_map(|c| by_child.remove(&c.id)).collect())
}

async fn noted(
    db: &DatabaseConnection,
    caller: &Caller,
    deadlines: Vec<Deadline>,
    child_of: impl Fn(Uuid) -> Option<Arc<children::Model>>,
) -> ApiResult<Vec<Noted>> {
    let notes = deadline_notes::Entity::find()
        .filter(deadline_notes::Column::DeadlineId.is_in(deadlines.iter().map(|d| d.id)))
        .all(db)
        .await?;
    Ok(deadlines
        .into_iter()
        .filter_map(|deadline| {
            Some(Noted {
                status: deadline.status(caller.now),
                note: notes.iter().find(|n| n.deadline_id == deadline.id).cloned(),
                child: child_of(deadline.child_id)?,
                deadline,
            })
        })
        .collect())
}

/// The deadlines of a child the caller has already been allowed to read, derived now by
/// the engine under `config` (the stored ones are [`stored_of_child`]).
pub async fn of_child(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    child: &children::Model,
) -> ApiResult<Vec<Noted>> {
    let timelines = timelines(db, config, std::slice::from_ref(child)).await?;
    let deadlines = timelines
        .iter()
        .flat_map(|t| derive(t, &config.timescales.deadlines, &config.timescales.calendar))
        .collect();
    let child = Arc::new(child.clone());
    noted(db, caller, deadlines, |_| Some(child.clone())).await
}

/// The stored deadlines of a child the caller has already been allowed to read, soonest
/// first: two statements, whatever the child's history.
pub async fn stored_of_child(
    db: &DatabaseConnection,
    caller: &Caller,
    child: &children::Model,
) -> ApiResult<Vec<Noted>> {
    let deadlines = stored::of_child(db, child.id).await?;
    let child = Arc::new(child.clone());
    noted(db, caller, deadlines, |_| Some(child.clone())).await
}

/// Where a page of `deadlines` starts: after this row, in due order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlineCursor {
    /// The row's due time.
    pub due_at: DateTime<Utc>,
    /// The row's id.
    pub id: Uuid,
}

/// One page of `deadlines`.
#[derive(Debug)]
pub struct DeadlinePage {
    /// The deadlines, soonest first, each with its child.
    pub items: Vec<Noted>,
    /// Whether more follow.
    pub has_next: bool,
}

/// The SQL form of [`Deadline::status`] at `now`.
fn status_condition(status: DeadlineStatus, now: DateTime<Utc>) -> Condition {
    let met_at = || Expr::col((deadlines::Entity, deadlines::Column::MetAt));
    let due_at = || Expr::col((deadlines::Entity, deadlines::Column::DueAt));
    // A milestone recorded after `now` does not count yet.
    let met_by_now = Condition::all()
        .add(deadlines::Column::MetAt.is_not_null())
        .add(deadlines::Column::MetAt.lte(now));
    let open_now = Condition::any()
        .add(deadlines::Column::MetAt.is_null())
        .add(deadlines::Column::MetAt.gt(now));
    match status {
        DeadlineStatus::Met => met_by_now.add(met_at().lt(due_at())),
        DeadlineStatus::MetLate => met_by_now.add(met_at().gte(due_at())),
        DeadlineStatus::Overdue => Condition::all()
            .add(open_now)
            .add(deadlines::Column::DueAt.lte(now)),
        DeadlineStatus::Due => Condition::all()
            .add(open_now)
            .add(deadlines::Column::DueAt.gt(now)),
    }
}

/// Caseloads up to this many children are read child by child on PostgreSQL (see
/// [`visibility`]).
const SMALL_CASELOAD: u64 = 2_000;

/// Which deadlines the caller may see, as a condition on `deadlines`: the policy's own
/// rule, never a parameter list that grows with the caseload.
///
/// Pages are read in due order. For an agency that sees many children, PostgreSQL reads
/// the due-order index and checks each row against two hashes built once
/// ([`policy::visible_child_id`]). For a small caseload that walk would pass over almost
/// every deadline of the partnership before it found a page, so there the visible
/// children are gathered first (`= ANY(ARRAY(…))`, one array built inside the statement)
/// and only their deadlines are read and sorted.
async fn visibility(db: &DatabaseConnection, caller: &Caller) -> ApiResult<Condition> {
    let by_row = policy::visible_child_id(
        &caller.actor,
        caller.now,
        (deadlines::Entity, deadlines::Column::ChildId),
    );
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(by_row);
    }
    let caseload = involvements::Entity::find()
        .filter(involvements::Column::AgencyId.eq(caller.actor.agency_id))
        .filter(involvements::Column::EndedOn.is_null())
        .count(db)
        .await?;
    if caseload > SMALL_CASELOAD {
        return Ok(by_row);
    }
    let visible = sea_orm::sea_query::Query::select()
        .column((children::Entity, children::Column::Id))
        .from(children::Entity)
        .cond_where(policy::visible_children(&caller.actor, caller.now))
        .to_owned();
    Ok(Condition::all().add(Expr::cust_with_exprs(
        "$1 = ANY(ARRAY $2)",
        [
            Expr::col((deadlines::Entity, deadlines::Column::ChildId)),
            Expr::from(visible),
        ],
    )))
}

/// The stored deadlines the caller may see ([`visibility`]), filtered.
fn scoped(
    visible: Condition,
    caller: &Caller,
    filter: &DeadlineFilter,
) -> Select<deadlines::Entity> {
    let mut query = deadlines::Entity::find().filter(visible);
    if let Some(agency) = filter.agency_id {
        query = query.filter(deadlines::Column::ResponsibleAgencyId.eq(agency));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(deadlines::Column::DueAt.lt(before));
    }
    if let Some(status) = filter.status {
        query = query.filter(status_condition(status, caller.now));
    }
    query
}

/// Refuses (audited) a caller without a case role.
async fn authorize_list(db: &DatabaseConnection, caller: &Caller) -> ApiResult<()> {
    Operation::new(
        db,
        caller,
        AuditAction::ListDeadlines,
        Target::of(EntityType::Deadline),
    )
    .authorize(policy::ensure_can_list_children(&caller.actor))
    .await
}

/// `deadlines(filter:, first:, after:)`: one page of the deadlines of every child the
/// caller may read, filtered, in due order; with `agencyId` it is that agency's "what is
/// due or overdue for us" list. The page's children are read in one statement and their
/// reads audited in one insert.
pub async fn list_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &DeadlineFilter,
    first: u64,
    after: Option<DeadlineCursor>,
) -> ApiResult<DeadlinePage> {
    authorize_list(db, caller).await?;
    let mut query = scoped(visibility(db, caller).await?, caller, filter);
    if let Some(after) = after {
        query = query
            .filter(deadlines::Column::DueAt.gte(after.due_at))
            .filter(
                Condition::any()
                    .add(deadlines::Column::DueAt.gt(after.due_at))
                    .add(deadlines::Column::Id.gt(after.id)),
            );
    }
    let mut rows = query
        .order_by_asc(deadlines::Column::DueAt)
        .order_by_asc(deadlines::Column::Id)
        .limit(first.saturating_add(1))
        .all(db)
        .await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    let mut child_ids: Vec<Uuid> = rows.iter().map(|r| r.child_id).collect();
    child_ids.sort_unstable();
    child_ids.dedup();
    let kids: HashMap<Uuid, Arc<children::Model>> = if child_ids.is_empty() {
        HashMap::new()
    } else {
        children::Entity::find()
            .filter(children::Column::Id.is_in(child_ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, Arc::new(c)))
            .collect()
    };
    audit::record_child_reads(db, caller, &child_ids).await?;
    let deadlines = rows.iter().filter_map(stored::deadline_of).collect();
    let items = noted(db, caller, deadlines, |id| kids.get(&id).cloned()).await?;
    Ok(DeadlinePage { items, has_next })
}

/// How many deadlines `deadlines(filter:)` holds in all (for `totalCount`).
pub async fn count(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &DeadlineFilter,
) -> ApiResult<u64> {
    authorize_list(db, caller).await?;
    Ok(scoped(visibility(db, caller).await?, caller, filter)
        .count(db)
        .await?)
}

/// Finds one deadline of a child the caller may read.
pub async fn find(
    db: &DatabaseConnection,
    caller: &Caller,
    _config: &DomainConfig,
    child_id: Uuid,
    deadline_id: Uuid,
) -> ApiResult<(children::Model, Noted)> {
    let child = super::visible::read_child_audited(db, caller, child_id).await?;
    let found = stored_of_child(db, caller, &child)
        .await?
        .into_iter()
        .find(|n| n.deadline.id == deadline_id);
    Ok((child, found.ok_or(ApiError::NotFound)?))
}

/// `recordLateReason`: the answerable agency (or the lead's coordinator) says why a
/// deadline was missed.
#[tracing::instrument(skip_all, fields(%deadline_id))]
pub async fn record_late_reason(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    child_id: Uuid,
    deadline_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> ApiResult<Noted> {
    let (child, found) = find(db, caller, config, child_id, deadline_id).await?;
    let op = Operation::new(
        db,
        caller,
        AuditAction::RecordLateReason,
        Target::for_child(EntityType::Deadline, child.id).with_id(deadline_id),
    );
    let case = case::load(db, child).await?;
    op.authorize(policy::ensure_can_explain_deadline(
        &caller.actor,
        &case.facts,
        found.deadline.responsible_agency,
        case.lead_agency(),
    ))
    .await?;
    let child = case.child;
    check(
        expected_version,
        found.note.as_ref().map_or(0, |n| n.version),
    )?;
    if !matches!(
        found.status,
        DeadlineStatus::MetLate | DeadlineStatus::Overdue
    ) {
        return Err(ApiError::validation(
            "deadlineId",
            "only a late or overdue deadline takes a late reason",
        ));
    }
    let reason = required_text("reason", reason, 2000)?;
    let write = op.begin().await?;
    let note = match &found.note {
        None => deadline_notes::Entity::insert(deadline_notes::ActiveModel {
            id: Set(new_id()),
            deadline_id: Set(deadline_id),
            child_id: Set(child.id),
            agency_id: Set(caller.actor.agency_id),
            reason: Set(reason),
            recorded_by: Set(caller.actor.subject.clone()),
            version: Set(1),
            created_at: Set(caller.now),
            updated_at: Set(caller.now),
        })
        .exec_with_returning(write.txn())
        .await
        .map_err(|error| match error.sql_err() {
            // Someone recorded a reason since we read: theirs is version 1.
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                ApiError::Conflict { current_version: 1 }
            }
            _ => ApiError::Database(error),
        })?,
        Some(existing) => {
            let versioned = super::versioned::Versioned::<deadline_notes::Entity> {
                id: deadline_notes::Column::Id,
                version: deadline_notes::Column::Version,
                updated_at: deadline_notes::Column::UpdatedAt,
                version_of: |note| note.version,
            };
            let changes = deadline_notes::ActiveModel {
                reason: Set(reason),
                recorded_by: Set(caller.actor.subject.clone()),
                agency_id: Set(caller.actor.agency_id),
                ..Default::default()
            };
            versioned
                .save(
                    write.txn(),
                    existing.id,
                    expected_version,
                    caller.now,
                    changes,
                )
                .await?
        }
    };
    write.commit().await?;
    Ok(Noted {
        note: Some(note),
        ..found
    })
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::Query;
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    #[test]
    fn a_small_caseload_is_gathered_into_one_array_inside_the_statement() {
        let visible = Query::select()
            .column((children::Entity, children::Column::Id))
            .from(children::Entity)
            .to_owned();
        let condition = Condition::all().add(Expr::cust_with_exprs(
            "$1 = ANY(ARRAY $2)",
            [
                Expr::col((deadlines::Entity, deadlines::Column::ChildId)),
                Expr::from(visible),
            ],
        ));
        let sql = deadlines::Entity::find()
            .filter(condition)
            .build(DbBackend::Postgres)
            .to_string();
        assert!(
            sql.ends_with(
                r#"WHERE "deadlines"."child_id" = ANY(ARRAY (SELECT "children"."id" FROM "children"))"#
            ),
            "{sql}"
        );
    }
}
