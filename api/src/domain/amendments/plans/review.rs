//! `amendPlanReview`, and the `PLAN_REVIEW` chronology entry `recordPlanReview` wrote with
//! it, kept in step: the entry says when the review was held and what it found, so a
//! correction of either corrects the entry too (where it still says what the review said),
//! with a history row of its own.

use chrono::NaiveDate;
use entity::enums::{AgencyIds, ChronologyKind};
use entity::{chronology_entries, joint_plans, plan_reviews};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::super::{Replaced, changed, enum_name, reason, record_version};
use super::object;
use crate::domain::agencies::ensure_agencies_exist;
use crate::domain::audit::{AuditAction, EntityType, Target};
use crate::domain::op::{Operation, Write};
use crate::domain::outbox::EventKind;
use crate::domain::plan_members::plan_facts;
use crate::domain::plans::plan_event;
use crate::domain::versioned::{Versioned, check};
use crate::domain::{Caller, bounds, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// What `amendPlanReview` takes: absent means unchanged.
#[derive(Clone, Debug, Default)]
pub struct ReviewChanges {
    /// The review.
    pub review_id: Uuid,
    /// When it was held.
    pub held_on: Option<NaiveDate>,
    /// What it found and decided.
    pub summary: Option<String>,
    /// Who attended (the whole list).
    pub attending_agencies: Option<Vec<Uuid>>,
    /// Why.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

pub(super) const REVIEW: Versioned<plan_reviews::Entity> = Versioned {
    id: plan_reviews::Column::Id,
    version: plan_reviews::Column::Version,
    updated_at: plan_reviews::Column::UpdatedAt,
    version_of: |review| review.version,
};

const ENTRY: Versioned<chronology_entries::Entity> = Versioned {
    id: chronology_entries::Column::Id,
    version: chronology_entries::Column::Version,
    updated_at: chronology_entries::Column::UpdatedAt,
    version_of: |entry| entry.version,
};

/// A review's fields, in the order `PlanReview` lists them (`nextReviewDue` is amended
/// through the plan).
const REVIEW_FIELDS: [&str; 4] = ["heldOn", "attendingAgencies", "summary", "nextReviewDue"];

/// A chronology entry's amendable fields, as `amendChronologyEntry` records them.
const ENTRY_FIELDS: [&str; 4] = ["occurredAt", "sensitivity", "summary", "sharedWith"];

fn ids_json(ids: &[Uuid]) -> Value {
    Value::Array(ids.iter().map(|id| Value::String(id.to_string())).collect())
}

/// A review's fields, by GraphQL name (agencies by id).
pub(super) fn review_snapshot(r: &plan_reviews::Model) -> Map<String, Value> {
    object(json!({
        "heldOn": r.held_on,
        "attendingAgencies": ids_json(&r.attending_agencies.0),
        "summary": r.summary,
        "nextReviewDue": r.next_review_due,
    }))
}

/// A chronology entry's fields, by GraphQL name, as `amendChronologyEntry` keeps them: its
/// sensitivity decides who may read the history.
fn entry_snapshot(e: &chronology_entries::Model) -> Map<String, Value> {
    object(json!({
        "occurredAt": e.occurred_at,
        "summary": e.summary,
        "sensitivity": enum_name(&e.sensitivity),
        "sharedWith": ids_json(&e.shared_with.0),
    }))
}

/// The chronology summary `recordPlanReview` writes for a review's summary.
fn entry_summary(summary: &str) -> String {
    format!("Joint plan review: {summary}")
}

/// The time `recordPlanReview` gives a review's chronology entry.
fn held_at(held_on: NaiveDate, caller: &Caller) -> chrono::DateTime<chrono::Utc> {
    held_on
        .and_hms_opt(12, 0, 0)
        .map_or(caller.now(), |t| t.and_utc())
}

/// The review with `changes` applied, checked as `recordPlanReview` checks it.
async fn apply(
    db: &DatabaseConnection,
    caller: &Caller,
    plan: &joint_plans::Model,
    current: &plan_reviews::Model,
    changes: &ReviewChanges,
) -> ApiResult<plan_reviews::Model> {
    let mut review = current.clone();
    if let Some(summary) = &changes.summary {
        review.summary = required_text("summary", summary, 10_000)?;
    }
    if let Some(held_on) = changes.held_on
        && held_on != current.held_on
    {
        bounds::ensure_past_day("heldOn", held_on, caller.now().date_naive())?;
        if plan
            .activated_at
            .is_some_and(|at| held_on < at.date_naive())
        {
            return Err(ApiError::validation(
                "heldOn",
                "must not be before the plan went live",
            ));
        }
        if plan.closed_at.is_some_and(|at| held_on > at.date_naive()) {
            return Err(ApiError::validation(
                "heldOn",
                "must not be after the plan closed",
            ));
        }
        if current.next_review_due.is_some_and(|next| held_on >= next) {
            return Err(ApiError::validation(
                "heldOn",
                "must be before the next review this review set",
            ));
        }
        review.held_on = held_on;
    }
    if let Some(agencies) = &changes.attending_agencies {
        ensure_agencies_exist(db, agencies, "attendingAgencyIds").await?;
        review.attending_agencies = AgencyIds(agencies.clone());
    }
    Ok(review)
}

/// Refuses a new date that would move the review past another of the plan's reviews: the
/// last one held sets the plan's next review, for the plan and the deadline engine alike.
async fn ensure_same_place(write: &Write<'_>, amended: &plan_reviews::Model) -> ApiResult<()> {
    let reviews = plan_reviews::Entity::find()
        .filter(plan_reviews::Column::PlanId.eq(amended.plan_id))
        .order_by_asc(plan_reviews::Column::HeldOn)
        .order_by_asc(plan_reviews::Column::Id)
        .all(write.txn())
        .await?;
    let before: Vec<Uuid> = reviews.iter().map(|r| r.id).collect();
    let mut after: Vec<(NaiveDate, Uuid)> = reviews
        .iter()
        .map(|r| {
            let held_on = if r.id == amended.id {
                amended.held_on
            } else {
                r.held_on
            };
            (held_on, r.id)
        })
        .collect();
    after.sort();
    if after.iter().map(|(_, id)| *id).ne(before) {
        return Err(ApiError::validation(
            "heldOn",
            "must keep the review in its place among the plan's reviews",
        ));
    }
    Ok(())
}

/// Brings the review's chronology entry in step with the amended review, with a history
/// row for the entry; an entry marked entered in error, or corrected on its own, is left
/// as it is.
async fn amend_entry(
    write: &Write<'_>,
    child_id: Uuid,
    current: &plan_reviews::Model,
    saved: &plan_reviews::Model,
) -> ApiResult<()> {
    // The entry was written in the review's own transaction, by the same coordinator.
    // Two reviews the same coordinator recorded for the child in one request share that
    // instant: then neither entry is taken (each is corrected on its own).
    let mut found = chronology_entries::Entity::find()
        .filter(chronology_entries::Column::ChildId.eq(child_id))
        .filter(chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview))
        .filter(chronology_entries::Column::RecordedBy.eq(current.recorded_by.clone()))
        .filter(chronology_entries::Column::CreatedAt.eq(current.created_at))
        .order_by_asc(chronology_entries::Column::Id)
        .limit(2)
        .all(write.txn())
        .await?;
    let (Some(found), true) = (found.pop(), found.is_empty()) else {
        tracing::warn!(review_id = %current.id, "no single chronology entry for the amended review");
        return Ok(());
    };
    // A disclosure decision or an amendment of the entry writes it under this lock.
    write.lock(&format!("disclosure:{}", found.id)).await?;
    let Some(entry) = chronology_entries::Entity::find_by_id(found.id)
        .one(write.txn())
        .await?
    else {
        return Ok(());
    };
    if entry.entered_in_error_at.is_some() {
        return Ok(());
    }
    // Only where the entry still says what the review said: a correction the recording
    // agency made to the entry itself stands.
    let caller = write.caller();
    let mut amended = entry.clone();
    if entry.summary == entry_summary(&current.summary) {
        amended.summary = entry_summary(&saved.summary);
    }
    if entry.occurred_at == held_at(current.held_on, caller) {
        amended.occurred_at = held_at(saved.held_on, caller);
    }
    let before = entry_snapshot(&entry);
    let changed_fields = changed(&ENTRY_FIELDS, &before, &entry_snapshot(&amended));
    if changed_fields.is_empty() {
        return Ok(());
    }
    ENTRY
        .save(
            write.txn(),
            entry.id,
            entry.version,
            caller.now(),
            chronology_entries::ActiveModel {
                occurred_at: Set(amended.occurred_at),
                summary: Set(amended.summary.clone()),
                ..Default::default()
            },
        )
        .await
        .map_err(|error| match error {
            // Only a write that does not take the lock (`markEnteredInError`) can get here
            // first; the amendment rolls back, and the client reads the review again.
            ApiError::Conflict { .. } => ApiError::Conflict {
                current_version: current.version,
            },
            other => other,
        })?;
    record_version(
        write,
        Replaced {
            entity: EntityType::ChronologyEntry,
            entity_id: entry.id,
            child_id,
            version: entry.version,
            snapshot: before,
            changed_fields,
            // The entry is read by the whole case team, the review's reason only by the
            // plan's members.
            reason: "corrected with the joint plan review it records",
        },
    )
    .await?;
    let target = Target::for_child(EntityType::ChronologyEntry, child_id).with_id(entry.id);
    write
        .record_also(AuditAction::AmendChronologyEntry, target)
        .await
}

/// `amendPlanReview`: a coordinator of the plan's lead agency corrects when a review was
/// held, what it found or who attended; the review's chronology entry follows.
#[tracing::instrument(skip_all, fields(review_id = %changes.review_id))]
pub async fn amend_plan_review(
    db: &DatabaseConnection,
    caller: &Caller,
    changes: ReviewChanges,
) -> ApiResult<plan_reviews::Model> {
    let Some((current, plan)) = visible::read_through_plan_audited::<plan_reviews::Entity>(
        db,
        caller,
        EntityType::PlanReview,
        changes.review_id,
        |review| review.plan_id,
    )
    .await?
    else {
        return Err(ApiError::NotFound);
    };
    let target = Target::for_child(EntityType::PlanReview, plan.child_id).with_id(current.id);
    let op = Operation::new(db, caller, AuditAction::AmendPlanReview, target);
    op.authorize(policy::ensure_can_run_plan(
        &caller.actor,
        &plan_facts(db, &plan).await?,
    ))
    .await?;
    let why = reason(&changes.reason)?;
    let amended = apply(db, caller, &plan, &current, &changes).await?;
    let before = review_snapshot(&current);
    let changed_fields = changed(&REVIEW_FIELDS, &before, &review_snapshot(&amended));
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(changes.expected_version, current.version)?;
    let mut write = op.begin().await?;
    // The plan's reviews keep their order while this one's date moves.
    write.lock(&format!("plan-reviews:{}", plan.id)).await?;
    if amended.held_on != current.held_on {
        ensure_same_place(&write, &amended).await?;
    }
    let saved = REVIEW
        .save(
            write.txn(),
            current.id,
            changes.expected_version,
            caller.now(),
            plan_reviews::ActiveModel {
                held_on: Set(amended.held_on),
                attending_agencies: Set(amended.attending_agencies.clone()),
                summary: Set(amended.summary.clone()),
                ..Default::default()
            },
        )
        .await?;
    record_version(
        &write,
        Replaced {
            entity: EntityType::PlanReview,
            entity_id: current.id,
            child_id: plan.child_id,
            version: current.version,
            snapshot: before,
            changed_fields: changed_fields.clone(),
            reason: &why,
        },
    )
    .await?;
    if saved.summary != current.summary || saved.held_on != current.held_on {
        amend_entry(&write, plan.child_id, &current, &saved).await?;
    }
    write.audit_reason(&format!("changed {}", changed_fields.join(", ")));
    write.audit_diff::<plan_reviews::Entity>(&current, &saved);
    if saved.held_on != current.held_on {
        // When a review was held meets its deadline and starts the next.
        write.deadlines_changed(plan.child_id);
    }
    let payload = json!({
        "planId": plan.id,
        "reviewId": saved.id,
        "changedFields": changed_fields,
    });
    write
        .emit(plan_event(
            EventKind::PlanAmended,
            &plan,
            "A joint plan review was corrected",
            payload,
        ))
        .await?;
    write.commit().await?;
    Ok(saved)
}
