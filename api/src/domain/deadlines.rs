//! Deadlines for case roles: derived per child (`docs/product.md`), scoped by the policy,
//! with late reasons recorded against their stable ids.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::enums::{ChildStatus, PlanStatus};
use entity::{
    agencies, behaviours, children, chronology_entries, deadline_notes, disclosure_requests,
    involvements, joint_plans, plan_reviews,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::case;
use super::op::Operation;
use super::versioned::check;
use super::{Caller, DomainConfig, new_id, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::timescales::deadlines::{
    Deadline, DeadlineStatus, DisclosureTimeline, Entry, PlanTimeline, Timeline, derive,
};

mod list;
pub mod stored;

pub use list::{DeadlineCursor, DeadlinePage, count, find, list_audited};

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
        // An entry entered in error drops out of the deadlines (`docs/product.md`).
        .filter(chronology_entries::Column::EnteredInErrorAt.is_null())
        .all(db)
        .await?;
    let escalated = behaviours::Entity::find()
        .filter(behaviours::Column::ChildId.is_in(ids.clone()))
        .filter(behaviours::Column::Escalated.eq(true))
        .filter(behaviours::Column::EnteredInErrorAt.is_null())
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
                status: deadline.status(caller.now()),
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
/// first: one statement, whatever the child's history.
pub async fn stored_of_child(
    db: &DatabaseConnection,
    caller: &Caller,
    child: &children::Model,
) -> ApiResult<Vec<Noted>> {
    let rows = stored::with_notes_of_children(db, &[child.id]).await?;
    Ok(as_noted(caller, rows, &Arc::new(child.clone())))
}

/// Stored deadlines of `child` (read with [`stored::with_notes_of_children`]) as the
/// caller sees them now.
pub fn as_noted(
    caller: &Caller,
    rows: Vec<stored::WithNote>,
    child: &Arc<children::Model>,
) -> Vec<Noted> {
    rows.into_iter()
        .map(|row| Noted {
            status: row.deadline.status(caller.now()),
            note: row.note,
            child: child.clone(),
            deadline: row.deadline,
        })
        .collect()
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
    let mut write = op.begin().await?;
    let note = match &found.note {
        None => deadline_notes::Entity::insert(deadline_notes::ActiveModel {
            id: Set(new_id()),
            deadline_id: Set(deadline_id),
            child_id: Set(child.id),
            agency_id: Set(caller.actor.agency_id),
            reason: Set(reason),
            recorded_by: Set(caller.actor.subject.clone()),
            version: Set(1),
            created_at: Set(caller.now()),
            updated_at: Set(caller.now()),
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
                    caller.now(),
                    changes,
                )
                .await?
        }
    };
    match &found.note {
        None => write.audit_created::<deadline_notes::Entity>(&note),
        Some(existing) => write.audit_diff::<deadline_notes::Entity>(existing, &note),
    }
    write.commit().await?;
    Ok(Noted {
        note: Some(note),
        ..found
    })
}
