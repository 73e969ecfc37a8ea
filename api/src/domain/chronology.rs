//! The multi-agency chronology (`docs/product.md`): entries in time order across agencies.

use chrono::{DateTime, Utc};
use entity::chronology_entries;
use entity::enums::{AgencyIds, ChronologyKind, Sensitivity};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::agencies::ensure_agencies_exist;
use super::audit::{AuditAction, EntityType, Target};
use super::case;
use super::masked::Masked;
use super::op::{Operation, Write};
use super::{Caller, new_id, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// What `addChronologyEntry` takes.
#[derive(Clone, Debug)]
pub struct NewEntry {
    /// The child.
    pub child_id: Uuid,
    /// The behaviour it concerns, if any.
    pub behaviour_id: Option<Uuid>,
    /// What it records.
    pub kind: ChronologyKind,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// What happened.
    pub summary: String,
    /// Who may read the summary.
    pub sensitivity: Sensitivity,
    /// Agencies a restricted entry is shared with.
    pub shared_with: Vec<Uuid>,
}

/// Builds an entry row recorded by the caller's agency.
fn row(caller: &Caller, entry: NewEntry, summary: String) -> chronology_entries::ActiveModel {
    chronology_entries::ActiveModel {
        id: Set(new_id()),
        child_id: Set(entry.child_id),
        behaviour_id: Set(entry.behaviour_id),
        kind: Set(entry.kind),
        occurred_at: Set(entry.occurred_at),
        agency_id: Set(caller.actor.agency_id),
        recorded_by: Set(caller.actor.subject.clone()),
        summary: Set(summary),
        sensitivity: Set(entry.sensitivity),
        shared_with: Set(AgencyIds(entry.shared_with)),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
        entered_in_error_at: Set(None),
        entered_in_error_by: Set(None),
        entered_in_error_reason: Set(None),
    }
}

async fn insert_row(write: &Write<'_>, entry: NewEntry) -> ApiResult<chronology_entries::Model> {
    let summary = required_text("summary", &entry.summary, 10_000)?;
    write.deadlines_changed(entry.child_id);
    Ok(
        chronology_entries::Entity::insert(row(write.caller(), entry, summary))
            .exec_with_returning(write.txn())
            .await?,
    )
}

/// Adds an entry as part of another operation (a referral, a plan review), audited as
/// `ADD_CHRONOLOGY_ENTRY` in that operation's transaction.
pub async fn insert(write: &Write<'_>, entry: NewEntry) -> ApiResult<chronology_entries::Model> {
    let saved = insert_row(write, entry).await?;
    let target = Target::for_child(EntityType::ChronologyEntry, saved.child_id).with_id(saved.id);
    write
        .record_also(AuditAction::AddChronologyEntry, target)
        .await?;
    Ok(saved)
}

/// `addChronologyEntry`: a case team member adds to the child's chronology.
#[tracing::instrument(skip_all, fields(child_id = %entry.child_id))]
pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    entry: NewEntry,
) -> ApiResult<chronology_entries::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::AddChronologyEntry,
        Target::for_child(EntityType::ChronologyEntry, entry.child_id),
    );
    let case = case::visible(&op, entry.child_id).await?;
    op.authorize(policy::ensure_can_work_case(&caller.actor, &case.facts))
        .await?;
    super::bounds::ensure_past_event("occurredAt", entry.occurred_at, caller.now())?;
    if matches!(
        entry.kind,
        ChronologyKind::AssessmentStarted | ChronologyKind::AssessmentCompleted
    ) {
        return Err(ApiError::validation(
            "kind",
            "assessment milestones are recorded by startAssessment and completeAssessment",
        ));
    }
    if let Some(behaviour_id) = entry.behaviour_id {
        let belongs = entity::behaviours::Entity::find_by_id(behaviour_id)
            .one(db)
            .await?
            .is_some_and(|b| b.child_id == case.child.id);
        if !belongs {
            return Err(ApiError::validation(
                "behaviourId",
                "is not a behaviour of this child",
            ));
        }
    }
    ensure_agencies_exist(db, &entry.shared_with, "sharedWith").await?;
    let mut write = op.begin().await?;
    let saved = insert_row(&write, entry).await?;
    write.audit_row(saved.id);
    write.audit_created::<chronology_entries::Entity>(&saved);
    write.commit().await?;
    Ok(saved)
}

/// A child's chronology in time order, for a caller who may read the child.
pub async fn of_child(
    db: &DatabaseConnection,
    child_id: Uuid,
) -> ApiResult<Vec<chronology_entries::Model>> {
    Ok(chronology_entries::Entity::find()
        .filter(chronology_entries::Column::ChildId.eq(child_id))
        .order_by_asc(chronology_entries::Column::OccurredAt)
        .order_by_asc(chronology_entries::Column::Id)
        .all(db)
        .await?)
}

/// The chronologies of several children already found visible, in time order, for the
/// request's loader.
pub async fn of_children(
    db: &DatabaseConnection,
    child_ids: &[Uuid],
) -> ApiResult<Vec<chronology_entries::Model>> {
    Ok(entity::by_index::all(
        chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.is_in(child_ids.iter().copied()))
            .order_by_asc(chronology_entries::Column::OccurredAt)
            .order_by_asc(chronology_entries::Column::Id),
        db,
    )
    .await?)
}

/// An entry for `node(id:)`: `None` unless its child is readable (audited either way).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<chronology_entries::Model>> {
    visible::read_through_child_audited::<chronology_entries::Entity>(
        db,
        caller,
        EntityType::ChronologyEntry,
        id,
        |entry| entry.child_id,
    )
    .await
}

/// The entry as the caller may see it (`docs/access.md`).
pub fn masked(
    caller: &Caller,
    entry: chronology_entries::Model,
    lead_agency: Option<Uuid>,
) -> Masked<chronology_entries::Model> {
    Masked::for_caller(caller, entry, lead_agency)
}
