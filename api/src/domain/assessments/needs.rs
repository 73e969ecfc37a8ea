//! The needs a completed assessment identified, and the plan actions that address them:
//! a plan shows the child's current needs with the actions addressing each, so a need
//! that nothing addresses stands out.

use entity::enums::{ActionStatus, AssessmentStatus};
use entity::{assessment_needs, assessments, joint_plans, plan_action_needs, plan_actions};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::super::audit::EntityType;
use super::super::op::Write;
use super::super::{Caller, new_id, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// The most needs one action may address.
pub const MAX_PER_ACTION: usize = 20;

/// The needs of several assessments already found visible, each in the order it listed
/// them, for the request's loader.
pub async fn of_assessments(
    db: &DatabaseConnection,
    assessment_ids: &[Uuid],
) -> ApiResult<Vec<assessment_needs::Model>> {
    Ok(assessment_needs::Entity::find()
        .filter(assessment_needs::Column::AssessmentId.is_in(assessment_ids.iter().copied()))
        .order_by_asc(assessment_needs::Column::AssessmentId)
        .order_by_asc(assessment_needs::Column::Position)
        .all(db)
        .await?)
}

/// A need for `node(id:)`: `None` unless its child is readable (audited either way).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<assessment_needs::Model>> {
    visible::read_through_child_audited::<assessment_needs::Entity>(
        db,
        caller,
        EntityType::AssessmentNeed,
        id,
        |need| need.child_id,
    )
    .await
}

/// The links from `action_ids` to the needs they address.
async fn links_of_actions(
    db: &DatabaseConnection,
    action_ids: &[Uuid],
) -> ApiResult<Vec<plan_action_needs::Model>> {
    Ok(plan_action_needs::Entity::find()
        .filter(plan_action_needs::Column::ActionId.is_in(action_ids.iter().copied()))
        .all(db)
        .await?)
}

/// The needs each of several actions (already found visible) addresses, as (action id,
/// need) pairs, for the request's loader.
pub async fn addressed_by_actions(
    db: &DatabaseConnection,
    action_ids: &[Uuid],
) -> ApiResult<Vec<(Uuid, assessment_needs::Model)>> {
    let links = links_of_actions(db, action_ids).await?;
    let needs = assessment_needs::Entity::find()
        .filter(
            assessment_needs::Column::Id.in_subquery(
                Query::select()
                    .column(plan_action_needs::Column::NeedId)
                    .from(plan_action_needs::Entity)
                    .and_where(
                        plan_action_needs::Column::ActionId.is_in(action_ids.iter().copied()),
                    )
                    .to_owned(),
            ),
        )
        .order_by_asc(assessment_needs::Column::Position)
        .all(db)
        .await?;
    Ok(links
        .iter()
        .flat_map(|link| {
            needs
                .iter()
                .filter(move |need| need.id == link.need_id)
                .map(move |need| (link.action_id, need.clone()))
        })
        .collect())
}

/// The actions (not cancelled, of the plans `actor` reads) addressing each of several
/// needs, as (need id, action) pairs, for the request's loader.
pub async fn actions_addressing_needs(
    db: &DatabaseConnection,
    actor: &crate::auth::Actor,
    need_ids: &[Uuid],
) -> ApiResult<Vec<(Uuid, plan_actions::Model)>> {
    let links = plan_action_needs::Entity::find()
        .filter(plan_action_needs::Column::NeedId.is_in(need_ids.iter().copied()))
        .all(db)
        .await?;
    let actions = plan_actions::Entity::find()
        .filter(
            plan_actions::Column::Id.in_subquery(
                Query::select()
                    .column(plan_action_needs::Column::ActionId)
                    .from(plan_action_needs::Entity)
                    .and_where(plan_action_needs::Column::NeedId.is_in(need_ids.iter().copied()))
                    .to_owned(),
            ),
        )
        .filter(plan_actions::Column::Status.ne(ActionStatus::Cancelled))
        .filter(
            plan_actions::Column::PlanId.in_subquery(
                Query::select()
                    .column(joint_plans::Column::Id)
                    .from(joint_plans::Entity)
                    .cond_where(policy::visible_plans(actor))
                    .to_owned(),
            ),
        )
        .order_by_asc(plan_actions::Column::Id)
        .all(db)
        .await?;
    Ok(links
        .iter()
        .flat_map(|link| {
            actions
                .iter()
                .filter(move |action| action.id == link.action_id)
                .map(move |action| (link.need_id, action.clone()))
        })
        .collect())
}

/// A plan's needs, each with the plan's actions (not cancelled) that address it: the
/// needs of the child's current assessment, and any earlier need an action of the plan
/// addresses. The plan has been found visible by the caller.
pub async fn of_plan(
    db: &DatabaseConnection,
    plan: &joint_plans::Model,
) -> ApiResult<Vec<(assessment_needs::Model, Vec<plan_actions::Model>)>> {
    let links = plan_action_needs::Entity::find()
        .filter(plan_action_needs::Column::PlanId.eq(plan.id))
        .all(db)
        .await?;
    let linked = assessment_needs::Column::Id.in_subquery(
        Query::select()
            .column(plan_action_needs::Column::NeedId)
            .from(plan_action_needs::Entity)
            .and_where(plan_action_needs::Column::PlanId.eq(plan.id))
            .to_owned(),
    );
    let current = super::current(db, plan.child_id).await?.map(|a| a.id);
    let mut query = assessment_needs::Entity::find();
    query = match current {
        Some(current) => query.filter(
            sea_orm::Condition::any()
                .add(assessment_needs::Column::AssessmentId.eq(current))
                .add(linked),
        ),
        None => query.filter(linked),
    };
    let needs = query
        .order_by_asc(assessment_needs::Column::CreatedAt)
        .order_by_asc(assessment_needs::Column::Position)
        .all(db)
        .await?;
    let actions = plan_actions::Entity::find()
        .filter(plan_actions::Column::PlanId.eq(plan.id))
        .filter(plan_actions::Column::Status.ne(ActionStatus::Cancelled))
        .order_by_asc(plan_actions::Column::Id)
        .all(db)
        .await?;
    Ok(needs
        .into_iter()
        .map(|need| {
            let addressing = actions
                .iter()
                .filter(|action| {
                    links
                        .iter()
                        .any(|link| link.need_id == need.id && link.action_id == action.id)
                })
                .cloned()
                .collect();
            (need, addressing)
        })
        .collect())
}

/// Checks that each of `need_ids` is a need a completed assessment of the plan's child
/// identified, then links the action to them, in the action's transaction.
pub async fn link_action(
    write: &Write<'_>,
    plan: &joint_plans::Model,
    action_id: Uuid,
    need_ids: &[Uuid],
) -> ApiResult<()> {
    let mut ids = need_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    if ids.len() > MAX_PER_ACTION {
        return Err(ApiError::validation(
            "addressesNeedIds",
            format!("at most {MAX_PER_ACTION} needs"),
        ));
    }
    let found = needs_of_child(write.txn(), plan.child_id, &ids).await?;
    if found.len() != ids.len() {
        return Err(ApiError::validation(
            "addressesNeedIds",
            "every need must be one a completed assessment of the plan's child identified",
        ));
    }
    let now = write.caller().now();
    let rows = ids
        .into_iter()
        .map(|need_id| plan_action_needs::ActiveModel {
            id: Set(new_id()),
            action_id: Set(action_id),
            need_id: Set(need_id),
            plan_id: Set(plan.id),
            created_at: Set(now),
            updated_at: Set(now),
        });
    plan_action_needs::Entity::insert_many(rows)
        .exec_without_returning(write.txn())
        .await?;
    Ok(())
}

/// Of `ids`, the needs of completed (or superseded) assessments of `child_id`.
async fn needs_of_child<C: ConnectionTrait>(
    db: &C,
    child_id: Uuid,
    ids: &[Uuid],
) -> ApiResult<Vec<assessment_needs::Model>> {
    Ok(assessment_needs::Entity::find()
        .filter(assessment_needs::Column::Id.is_in(ids.iter().copied()))
        .filter(assessment_needs::Column::ChildId.eq(child_id))
        .filter(
            assessment_needs::Column::AssessmentId.in_subquery(
                Query::select()
                    .column(assessments::Column::Id)
                    .from(assessments::Entity)
                    .and_where(assessments::Column::ChildId.eq(child_id))
                    .and_where(assessments::Column::Status.ne(AssessmentStatus::InProgress))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?)
}
