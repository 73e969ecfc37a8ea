//! The multi-agency chronology (DESIGN §3): entries in time order across agencies.

use chrono::{DateTime, Utc};
use entity::chronology_entries;
use entity::enums::{AgencyIds, ChronologyKind, Sensitivity};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::audit::{self, Subject};
use super::behaviours::ensure_agencies_exist;
use super::children::{facts, find_visible, involvements_of};
use super::{Caller, new_id, required_text, tx};
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
pub fn row(caller: &Caller, entry: NewEntry, summary: String) -> chronology_entries::ActiveModel {
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
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    }
}

/// Inserts an entry and its audit row in the caller's transaction.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    entry: NewEntry,
) -> ApiResult<chronology_entries::Model> {
    let summary = required_text("summary", &entry.summary, 10_000)?;
    let saved = chronology_entries::Entity::insert(row(caller, entry, summary))
        .exec_with_returning(db)
        .await?;
    let subject = Subject {
        action: "ADD_CHRONOLOGY_ENTRY",
        entity_type: "ChronologyEntry",
        entity_id: Some(saved.id),
        child_id: Some(saved.child_id),
    };
    audit::mutation(db, caller, subject).await?;
    Ok(saved)
}

/// `addChronologyEntry`: a case team member adds to the child's chronology.
#[tracing::instrument(skip_all, fields(child_id = %entry.child_id))]
pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    entry: NewEntry,
) -> ApiResult<chronology_entries::Model> {
    let subject = Subject {
        action: "ADD_CHRONOLOGY_ENTRY",
        entity_type: "ChronologyEntry",
        entity_id: None,
        child_id: Some(entry.child_id),
    };
    let child = match find_visible(db, caller, entry.child_id).await {
        Ok(child) => child,
        Err(error) => {
            audit::denial(db, caller, subject, "child not visible").await?;
            return Err(error);
        }
    };
    let team = involvements_of(db, child.id).await?;
    if let Err(error) =
        policy::ensure_can_work_case(&caller.actor, &facts(db, child.id, &team).await?)
    {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    if entry.occurred_at > caller.now + chrono::Duration::minutes(5) {
        return Err(ApiError::validation(
            "occurredAt",
            "must not be in the future",
        ));
    }
    if let Some(behaviour_id) = entry.behaviour_id {
        let belongs = entity::behaviours::Entity::find_by_id(behaviour_id)
            .one(db)
            .await?
            .is_some_and(|b| b.child_id == child.id);
        if !belongs {
            return Err(ApiError::validation(
                "behaviourId",
                "is not a behaviour of this child",
            ));
        }
    }
    ensure_agencies_exist(db, &entry.shared_with, "sharedWith").await?;
    let txn = tx::begin(db).await?;
    let saved = insert(&*txn, caller, entry).await?;
    txn.commit().await?;
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

/// An entry for `node(id:)`: `None` unless its child is readable (the read is audited).
pub async fn read_node(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<chronology_entries::Model>> {
    let Some(entry) = chronology_entries::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(super::children::read_node(db, caller, entry.child_id)
        .await?
        .map(|_| entry))
}

/// Whether the caller reads this entry's content (DESIGN §5.3).
pub fn content_readable(
    caller: &Caller,
    entry: &chronology_entries::Model,
    lead_agency: Option<Uuid>,
) -> bool {
    policy::can_read_content(
        &caller.actor,
        entry.sensitivity,
        entry.agency_id,
        &entry.shared_with.0,
        lead_agency,
    )
}
