//! Reading rows through the access policy: a row is visible when its child (or its
//! plan) is. Readers whose name ends in `_audited` write the audit row themselves: a
//! read of the child, or a denial when nothing the caller may see was found, whether or
//! not the row exists.

use entity::enums::AuditOutcome;
use entity::{children, joint_plans};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PrimaryKeyTrait, QueryFilter};
use uuid::Uuid;

use super::Caller;
use super::audit::{self, AuditAction, EntityType, Target};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// A child the caller may read, without auditing (the operation asking audits).
pub async fn child(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<children::Model>> {
    Ok(children::Entity::find_by_id(id)
        .filter(policy::visible_children(&caller.actor, caller.now()))
        .one(db)
        .await?)
}

/// A plan the caller's agency may read, without auditing.
pub async fn plan(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<joint_plans::Model>> {
    Ok(joint_plans::Entity::find_by_id(id)
        .filter(policy::visible_plans(&caller.actor))
        .one(db)
        .await?)
}

/// Audits a lookup by id that found nothing the caller may see.
pub async fn record_miss(
    db: &DatabaseConnection,
    caller: &Caller,
    entity: EntityType,
    id: Uuid,
) -> ApiResult<()> {
    denied(db, caller, AuditAction::ReadChild, Target::row(entity, id)).await
}

async fn denied(
    db: &DatabaseConnection,
    caller: &Caller,
    action: AuditAction,
    target: Target,
) -> ApiResult<()> {
    audit::record(
        db,
        caller,
        action,
        target,
        AuditOutcome::Denied,
        Some("not found or not visible"),
    )
    .await
}

/// The children of `ids` that `actor` may read at `now`, without auditing: the batched
/// form of [`child`], for the request's loader (the caller audits each use through
/// [`audit_child_lookup`]).
pub async fn children_of(
    db: &DatabaseConnection,
    actor: &crate::auth::Actor,
    now: chrono::DateTime<chrono::Utc>,
    ids: &[Uuid],
) -> ApiResult<Vec<children::Model>> {
    Ok(children::Entity::find()
        .filter(children::Column::Id.is_in(ids.iter().copied()))
        .filter(policy::visible_children(actor, now))
        .all(db)
        .await?)
}

/// `child(id)`: a visible child, audited as read; otherwise an audited denial and
/// `NOT_FOUND`, the same whether the child exists or not.
pub async fn read_child_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<children::Model> {
    let found = child(db, caller, id).await?;
    audit_child_lookup(db, caller, id, found).await
}

/// [`read_child_audited`], with `alongside` (the query's reads under the child, given a
/// copy of it) run while the read's audit row is written rather than after it: one
/// round trip fewer. Both finish before anything is returned, and a failed audit fails
/// the whole read, so nothing read alongside reaches the caller unaudited. A miss is
/// audited as in [`read_child_audited`], and `alongside` does not run.
pub async fn read_child_audited_with<F, Fut>(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    alongside: F,
) -> ApiResult<(children::Model, Fut::Output)>
where
    F: FnOnce(children::Model) -> Fut,
    Fut: Future,
{
    let Some(found) = child(db, caller, id).await?.filter(|child| child.id == id) else {
        denied(db, caller, AuditAction::ReadChild, Target::child(id)).await?;
        return Err(ApiError::NotFound);
    };
    let ids = [found.id];
    let (audited, read) = futures_util::join!(
        audit::record_child_reads(db, caller, &ids),
        alongside(found.clone()),
    );
    audited?;
    Ok((found, read))
}

/// [`read_child_audited`] for a lookup of `id` already made through the policy (the
/// request's loader): audits the read, or the miss and answers `NOT_FOUND`.
pub async fn audit_child_lookup(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    found: Option<children::Model>,
) -> ApiResult<children::Model> {
    match found.filter(|child| child.id == id) {
        Some(child) => {
            audit::record_child_reads(db, caller, &[child.id]).await?;
            Ok(child)
        }
        None => {
            denied(db, caller, AuditAction::ReadChild, Target::child(id)).await?;
            Err(ApiError::NotFound)
        }
    }
}

/// A visible plan, its child's read audited; otherwise an audited denial and `NOT_FOUND`.
pub async fn read_plan_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<joint_plans::Model> {
    match plan(db, caller, id).await? {
        Some(plan) => {
            audit::record_child_reads(db, caller, &[plan.child_id]).await?;
            Ok(plan)
        }
        None => {
            let target = Target::row(EntityType::JointPlan, id);
            denied(db, caller, AuditAction::ReadJointPlan, target).await?;
            Err(ApiError::NotFound)
        }
    }
}

/// A row of `E` that is visible when its child is (`child_of`): `None` when it is
/// missing or its child is not visible, audited either way.
pub async fn read_through_child_audited<E>(
    db: &DatabaseConnection,
    caller: &Caller,
    entity: EntityType,
    id: Uuid,
    child_of: fn(&E::Model) -> Uuid,
) -> ApiResult<Option<E::Model>>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let row = E::find_by_id(id).one(db).await?;
    let child_id = row.as_ref().map(child_of);
    let visible = match child_id {
        Some(child_id) => child(db, caller, child_id).await?.is_some(),
        None => false,
    };
    match (row, child_id) {
        (Some(row), Some(child_id)) if visible => {
            audit::record_child_reads(db, caller, &[child_id]).await?;
            Ok(Some(row))
        }
        _ => {
            denied(db, caller, AuditAction::ReadChild, Target::row(entity, id)).await?;
            Ok(None)
        }
    }
}

/// A row of `E` that is visible when its plan is (`plan_of`), with that plan: `None`
/// when it is missing or its plan is not visible, audited either way.
pub async fn read_through_plan_audited<E>(
    db: &DatabaseConnection,
    caller: &Caller,
    entity: EntityType,
    id: Uuid,
    plan_of: fn(&E::Model) -> Uuid,
) -> ApiResult<Option<(E::Model, joint_plans::Model)>>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let row = E::find_by_id(id).one(db).await?;
    let plan = match row.as_ref().map(plan_of) {
        Some(plan_id) => plan(db, caller, plan_id).await?,
        None => None,
    };
    match (row, plan) {
        (Some(row), Some(plan)) => {
            audit::record_child_reads(db, caller, &[plan.child_id]).await?;
            Ok(Some((row, plan)))
        }
        _ => {
            let target = Target::row(entity, id);
            denied(db, caller, AuditAction::ReadJointPlan, target).await?;
            Ok(None)
        }
    }
}
