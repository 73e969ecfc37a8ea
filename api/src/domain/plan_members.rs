//! Plan membership (`docs/access.md`): who is on a joint plan. Joining a plan puts the
//! agency on the case team; leaving the case team leaves its plans.

use entity::enums::PlanStatus;
use entity::{joint_plans, plan_members};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType};
use super::involvements::join_as_partner;
use super::op::Write;
use super::outbox::EventKind;
use super::plans::{PLAN, ensure_open, plan_event, plan_to_run, unchanged_plan};
use super::versioned::check;
use super::{Caller, new_id, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy::PlanFacts;

/// A plan's current member agencies.
pub async fn members_of<C: ConnectionTrait>(
    db: &C,
    plan_id: Uuid,
) -> ApiResult<Vec<plan_members::Model>> {
    Ok(plan_members::Entity::find()
        .filter(plan_members::Column::PlanId.eq(plan_id))
        .filter(plan_members::Column::RemovedAt.is_null())
        .order_by_asc(plan_members::Column::Id)
        .all(db)
        .await?)
}

/// What the policy needs about a plan.
pub async fn plan_facts<C: ConnectionTrait>(
    db: &C,
    plan: &joint_plans::Model,
) -> ApiResult<PlanFacts> {
    let members = members_of(db, plan.id)
        .await?
        .into_iter()
        .map(|m| m.agency_id)
        .collect();
    Ok(PlanFacts {
        lead_agency: plan.lead_agency_id,
        members,
    })
}

/// Inserts a membership; the operation writing it audits it.
pub async fn insert_member<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    plan_id: Uuid,
    agency_id: Uuid,
) -> ApiResult<plan_members::Model> {
    plan_members::Entity::insert(plan_members::ActiveModel {
        id: Set(new_id()),
        plan_id: Set(plan_id),
        agency_id: Set(agency_id),
        removed_at: Set(None),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec_with_returning(db)
    .await
    .map_err(|e| ApiError::unique(e, "agencyId", "the agency is already a member of the plan"))
}

/// `addPlanMember`: the lead coordinator adds an agency, which joins the case team too.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn add_member(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
    agency_id: Uuid,
    expected_version: i32,
) -> ApiResult<joint_plans::Model> {
    let (op, plan) = plan_to_run(db, caller, plan_id, AuditAction::AddPlanMember).await?;
    check(expected_version, plan.version)?;
    ensure_open(&plan)?;
    let agency = super::agencies::active(db, agency_id, "agencyId").await?;
    if plan_facts(db, &plan).await?.members.contains(&agency.id) {
        return Err(ApiError::validation(
            "agencyId",
            "the agency is already a member of the plan",
        ));
    }
    let mut write = op.begin().await?;
    super::agencies::ensure_still_active(&write, agency.id, "agencyId").await?;
    let saved = PLAN
        .save(
            write.txn(),
            plan.id,
            expected_version,
            caller.now(),
            unchanged_plan(),
        )
        .await?;
    let member = insert_member(write.txn(), caller, plan.id, agency.id).await?;
    write.audit_created::<plan_members::Entity>(&member);
    join_as_partner(&write, plan.child_id, agency.id, "added to the joint plan").await?;
    let payload = json!({ "planId": plan.id, "agencyId": agency.id });
    write
        .emit(plan_event(
            EventKind::PlanMemberAdded,
            &saved,
            "An agency joined the plan",
            payload,
        ))
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// `removePlanMember`: the lead coordinator removes an agency from a plan; it stops
/// seeing the plan and receiving its events. The lead agency cannot be removed.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn remove_member(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
    agency_id: Uuid,
    expected_version: i32,
) -> ApiResult<joint_plans::Model> {
    let (op, plan) = plan_to_run(db, caller, plan_id, AuditAction::RemovePlanMember).await?;
    check(expected_version, plan.version)?;
    ensure_open(&plan)?;
    if agency_id == plan.lead_agency_id {
        return Err(ApiError::validation(
            "agencyId",
            "the lead agency cannot leave its own plan",
        ));
    }
    let member = members_of(db, plan.id)
        .await?
        .into_iter()
        .find(|m| m.agency_id == agency_id)
        .ok_or_else(|| {
            ApiError::validation("agencyId", "the agency is not a member of the plan")
        })?;
    let mut write = op.begin().await?;
    let saved = PLAN
        .save(
            write.txn(),
            plan.id,
            expected_version,
            caller.now(),
            unchanged_plan(),
        )
        .await?;
    end_membership(&write, &saved, &member, "An agency left the plan").await?;
    write.audit_changes(vec![super::changes::Change::values(
        "removedAt",
        &member.removed_at,
        &Some(caller.now()),
    )]);
    write.commit().await?;
    Ok(saved)
}

/// Ends one membership and tells the agency that left.
async fn end_membership(
    write: &Write<'_>,
    plan: &joint_plans::Model,
    member: &plan_members::Model,
    summary: &str,
) -> ApiResult<()> {
    let now = write.caller().now();
    plan_members::Entity::update(plan_members::ActiveModel {
        id: Set(member.id),
        removed_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(write.txn())
    .await?;
    let mut event = plan_event(
        EventKind::PlanMemberRemoved,
        plan,
        summary,
        json!({ "planId": plan.id, "agencyId": member.agency_id }),
    );
    event.audience = vec![member.agency_id];
    write.emit(event).await?;
    Ok(())
}

/// Removes an agency that left the case team from the child's open plans, with an event each.
pub async fn leave_open_plans(write: &Write<'_>, child_id: Uuid, agency_id: Uuid) -> ApiResult<()> {
    let plans = joint_plans::Entity::find()
        .filter(joint_plans::Column::ChildId.eq(child_id))
        .filter(joint_plans::Column::Status.ne(PlanStatus::Closed))
        .all(write.txn())
        .await?;
    for plan in plans {
        let Some(member) = members_of(write.txn(), plan.id)
            .await?
            .into_iter()
            .find(|m| m.agency_id == agency_id)
        else {
            continue;
        };
        end_membership(
            write,
            &plan,
            &member,
            "An agency left the plan with the case team",
        )
        .await?;
    }
    Ok(())
}

/// A member row for `node(id:)`, when its plan is visible (audited).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<plan_members::Model>> {
    Ok(visible::read_through_plan_audited::<plan_members::Entity>(
        db,
        caller,
        EntityType::JointPlan,
        id,
        |member| member.plan_id,
    )
    .await?
    .map(|(member, _)| member))
}
