//! Reading assessments: by id, by child, the one in progress or current, and for
//! `node(id:)` through the child's visibility.

use entity::assessments;
use entity::enums::AssessmentStatus;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::super::audit::EntityType;
use super::super::{Caller, visible};
use crate::error::{ApiError, ApiResult};

/// The assessment with `id`.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> ApiResult<assessments::Model> {
    assessments::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The assessments of `ids`, for the request's loader.
pub async fn by_ids(db: &DatabaseConnection, ids: &[Uuid]) -> ApiResult<Vec<assessments::Model>> {
    Ok(assessments::Entity::find()
        .filter(assessments::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The assessments of several children already found visible, newest first, for the
/// request's loader.
pub async fn of_children(
    db: &DatabaseConnection,
    child_ids: &[Uuid],
) -> ApiResult<Vec<assessments::Model>> {
    Ok(assessments::Entity::find()
        .filter(assessments::Column::ChildId.is_in(child_ids.iter().copied()))
        .order_by_desc(assessments::Column::StartedAt)
        .order_by_desc(assessments::Column::Id)
        .all(db)
        .await?)
}

/// Whether `agency` leads an assessment of the child that is in progress (it may not leave
/// the case team until the assessment completes).
pub async fn led_in_progress<C: ConnectionTrait>(
    db: &C,
    child_id: Uuid,
    agency: Uuid,
) -> ApiResult<bool> {
    Ok(assessments::Entity::find()
        .filter(assessments::Column::ChildId.eq(child_id))
        .filter(assessments::Column::LeadAgencyId.eq(agency))
        .filter(assessments::Column::Status.eq(AssessmentStatus::InProgress))
        .one(db)
        .await?
        .is_some())
}

/// Whether an assessment of the child is in progress (closing a case waits for it).
pub async fn in_progress<C: ConnectionTrait>(db: &C, child_id: Uuid) -> ApiResult<bool> {
    Ok(assessments::Entity::find()
        .filter(assessments::Column::ChildId.eq(child_id))
        .filter(assessments::Column::Status.eq(AssessmentStatus::InProgress))
        .one(db)
        .await?
        .is_some())
}

/// The assessment a child's needs are read from now: the latest completed one that no
/// reassessment has superseded.
pub async fn current<C: ConnectionTrait>(
    db: &C,
    child_id: Uuid,
) -> ApiResult<Option<assessments::Model>> {
    Ok(assessments::Entity::find()
        .filter(assessments::Column::ChildId.eq(child_id))
        .filter(assessments::Column::Status.eq(AssessmentStatus::Completed))
        .order_by_desc(assessments::Column::CompletedAt)
        .one(db)
        .await?)
}

/// An assessment for `node(id:)`: `None` unless its child is readable (audited either
/// way).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<assessments::Model>> {
    visible::read_through_child_audited::<assessments::Entity>(
        db,
        caller,
        EntityType::Assessment,
        id,
        |assessment| assessment.child_id,
    )
    .await
}

/// Whether the assessment was completed by its due day (London time); `None` until it
/// completes.
pub fn completed_within_timescale(assessment: &assessments::Model) -> Option<bool> {
    assessment.completed_on.map(|day| day <= assessment.due_on)
}
