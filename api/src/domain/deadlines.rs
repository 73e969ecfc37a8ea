//! Deadlines for case roles: derived per child (DESIGN §4.4), scoped by the policy,
//! with late reasons recorded against their stable ids.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::PlanStatus;
use entity::{
    behaviours, children, chronology_entries, deadline_notes, involvements, joint_plans,
    plan_reviews,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
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
    Deadline, DeadlineStatus, Entry, PlanTimeline, Timeline, derive,
};

/// A deadline as a case role sees it, with its late reason.
#[derive(Clone, Debug)]
pub struct Noted {
    /// The derived deadline.
    pub deadline: Deadline,
    /// Its status now.
    pub status: DeadlineStatus,
    /// The late reason, if one was recorded.
    pub note: Option<deadline_notes::Model>,
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
pub(crate) async fn timelines(
    db: &DatabaseConnection,
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
    let teams = involvements::Entity::find()
        .filter(involvements::Column::ChildId.is_in(ids))
        .filter(involvements::Column::EndedOn.is_null())
        .all(db)
        .await?;
    let police = match &config.designated_police {
        Some(code) => super::agencies::by_code(db, code).await?.map(|a| a.id),
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
    Ok(kids.iter().filter_map(|c| by_child.remove(&c.id)).collect())
}

async fn noted(
    db: &DatabaseConnection,
    caller: &Caller,
    deadlines: Vec<Deadline>,
) -> ApiResult<Vec<Noted>> {
    let notes = deadline_notes::Entity::find()
        .filter(deadline_notes::Column::DeadlineId.is_in(deadlines.iter().map(|d| d.id)))
        .all(db)
        .await?;
    Ok(deadlines
        .into_iter()
        .map(|deadline| Noted {
            status: deadline.status(caller.now),
            note: notes.iter().find(|n| n.deadline_id == deadline.id).cloned(),
            deadline,
        })
        .collect())
}

/// The deadlines of a child the caller has already been allowed to read.
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
    noted(db, caller, deadlines).await
}

/// `deadlines(filter:)`: the deadlines of every child the caller may read, filtered;
/// with `agencyId` it is that agency's "what is due or overdue for us" list.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    filter: DeadlineFilter,
) -> ApiResult<Vec<Noted>> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ListDeadlines,
        Target::of(EntityType::Deadline),
    );
    op.authorize(policy::ensure_can_list_children(&caller.actor))
        .await?;
    let kids = children::Entity::find()
        .filter(policy::visible_children(&caller.actor, caller.now))
        .order_by_asc(children::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = kids.iter().map(|c| c.id).collect();
    audit::record_child_reads(db, caller, &ids).await?;
    let timelines = timelines(db, config, &kids).await?;
    let deadlines = timelines
        .iter()
        .flat_map(|t| derive(t, &config.timescales.deadlines, &config.timescales.calendar))
        .filter(|d| {
            filter
                .agency_id
                .is_none_or(|agency| d.responsible_agency == Some(agency))
        })
        .filter(|d| filter.due_before.is_none_or(|before| d.due_at < before))
        .collect();
    let mut all = noted(db, caller, deadlines).await?;
    all.retain(|n| filter.status.is_none_or(|status| n.status == status));
    all.sort_by_key(|n| (n.deadline.due_at, n.deadline.kind));
    Ok(all)
}

/// Finds one deadline of a child the caller may read.
pub async fn find(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    child_id: Uuid,
    deadline_id: Uuid,
) -> ApiResult<(children::Model, Noted)> {
    let child = super::visible::read_child_audited(db, caller, child_id).await?;
    let found = of_child(db, caller, config, &child)
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
