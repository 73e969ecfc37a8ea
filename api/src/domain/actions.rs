//! Plan actions (`docs/product.md`): adding them, opening their consultations, moving
//! them on.

use chrono::NaiveDate;
use entity::enums::{ActionKind, ActionStatus, PlanStatus};
use entity::{agencies, consultations, joint_plans, plan_actions};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::consultation_rule::{agencies_to_consult, all_settled, transition_allowed};
use super::consultations::consultations_of;
use super::op::{Operation, Write};
use super::outbox::{Event, EventKind};
use super::plan_members::plan_facts;
use super::plans;
use super::versioned::{Versioned, check};
use super::{Caller, new_id, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

pub(super) const ACTION: Versioned<plan_actions::Entity> = Versioned {
    id: plan_actions::Column::Id,
    version: plan_actions::Column::Version,
    updated_at: plan_actions::Column::UpdatedAt,
    version_of: |action| action.version,
};

/// The actions of a plan.
pub async fn actions_of(
    db: &DatabaseConnection,
    plan_id: Uuid,
) -> ApiResult<Vec<plan_actions::Model>> {
    Ok(plan_actions::Entity::find()
        .filter(plan_actions::Column::PlanId.eq(plan_id))
        .order_by_asc(plan_actions::Column::Id)
        .all(db)
        .await?)
}

/// The actions of several plans already found visible, for the request's loader.
pub async fn of_plans(
    db: &DatabaseConnection,
    plan_ids: &[Uuid],
) -> ApiResult<Vec<plan_actions::Model>> {
    Ok(entity::by_index::all(
        plan_actions::Entity::find()
            .filter(plan_actions::Column::PlanId.is_in(plan_ids.iter().copied()))
            .order_by_asc(plan_actions::Column::Id),
        db,
    )
    .await?)
}

/// What `addPlanAction` takes.
#[derive(Clone, Debug)]
pub struct NewAction {
    /// The plan.
    pub plan_id: Uuid,
    /// The member agency that will do it.
    pub assigned_agency_id: Uuid,
    /// What it is.
    pub kind: ActionKind,
    /// What exactly.
    pub description: String,
    /// By when.
    pub due_on: Option<NaiveDate>,
    /// Member agencies to consult besides those the rule names.
    pub consult: Vec<Uuid>,
    /// Needs of the child's completed assessments the action addresses.
    pub addresses_need_ids: Vec<Uuid>,
}

/// What `addPlanAction` returns.
#[derive(Clone, Debug)]
pub struct AddedAction {
    /// The action.
    pub action: plan_actions::Model,
    /// The consultations it opened.
    pub consultations: Vec<consultations::Model>,
}

/// An event about an action of `plan`.
pub(super) fn action_event(
    kind: EventKind,
    plan: &joint_plans::Model,
    audience: Vec<Uuid>,
    summary: &str,
    payload: serde_json::Value,
) -> Event {
    Event {
        kind,
        plan_id: Some(plan.id),
        child_id: Some(plan.child_id),
        audience,
        summary: summary.into(),
        payload,
    }
}

/// `addPlanAction`: adds an action; one of the other sector opens consultations (§4.3).
#[tracing::instrument(skip_all, fields(plan_id = %input.plan_id))]
pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewAction,
) -> ApiResult<AddedAction> {
    let plan = plans::read_audited(db, caller, input.plan_id).await?;
    let facts = plan_facts(db, &plan).await?;
    let op = Operation::new(
        db,
        caller,
        AuditAction::AddPlanAction,
        Target::for_child(EntityType::PlanAction, plan.child_id),
    );
    op.authorize(policy::ensure_can_handle_action(
        &caller.actor,
        &facts,
        input.assigned_agency_id,
    ))
    .await?;
    if plan.status == PlanStatus::Closed {
        return Err(ApiError::validation("planId", "the plan is closed"));
    }
    if !facts.members.contains(&input.assigned_agency_id) {
        return Err(ApiError::validation(
            "assignedAgencyId",
            "must be a member of the plan",
        ));
    }
    if input.consult.iter().any(|id| !facts.members.contains(id)) {
        return Err(ApiError::validation(
            "consult",
            "every agency consulted must be a member of the plan",
        ));
    }
    let description = required_text("description", &input.description, 10_000)?;
    if let Some(due) = input.due_on {
        super::bounds::ensure_due_day("dueOn", due, caller.now().date_naive())?;
    }
    let members: Vec<_> = agencies::Entity::find()
        .filter(agencies::Column::Id.is_in(facts.members.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|agency| (agency.id, agency.kind))
        .collect();
    let consulted = agencies_to_consult(
        input.kind,
        input.assigned_agency_id,
        &members,
        &input.consult,
    );

    let mut write = op.begin().await?;
    let status = if consulted.is_empty() {
        ActionStatus::Proposed
    } else {
        ActionStatus::AwaitingConsultation
    };
    let action = plan_actions::Entity::insert(plan_actions::ActiveModel {
        id: Set(new_id()),
        plan_id: Set(plan.id),
        assigned_agency_id: Set(input.assigned_agency_id),
        kind: Set(input.kind),
        description: Set(description),
        due_on: Set(input.due_on),
        status: Set(status),
        created_by: Set(caller.actor.subject.clone()),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec_with_returning(write.txn())
    .await?;
    write.audit_row(action.id);
    write.audit_created::<plan_actions::Entity>(&action);
    super::assessments::needs::link_action(&write, &plan, action.id, &input.addresses_need_ids)
        .await?;
    let payload = json!({ "planId": plan.id, "actionId": action.id, "kind": action.kind, "status": action.status });
    write
        .emit(action_event(
            EventKind::ActionAdded,
            &plan,
            vec![],
            "An action was added to the plan",
            payload,
        ))
        .await?;
    let opened = super::consultations::open(&write, &plan, action.id, consulted).await?;
    write.commit().await?;
    Ok(AddedAction {
        action,
        consultations: opened,
    })
}

/// An action with its plan, when the plan is visible (the read or its miss audited).
pub async fn read_with_plan_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<(plan_actions::Model, joint_plans::Model)>> {
    visible::read_through_plan_audited::<plan_actions::Entity>(
        db,
        caller,
        EntityType::PlanAction,
        id,
        |action| action.plan_id,
    )
    .await
}

/// An action for `node(id:)`, when its plan is visible (audited).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<plan_actions::Model>> {
    Ok(read_with_plan_audited(db, caller, id)
        .await?
        .map(|(action, _)| action))
}

/// `updatePlanActionStatus`: moves an action on; it cannot start before its
/// consultations are agreed or overridden.
#[tracing::instrument(skip_all, fields(%action_id, ?status))]
pub async fn update_status(
    db: &DatabaseConnection,
    caller: &Caller,
    action_id: Uuid,
    status: ActionStatus,
    expected_version: i32,
) -> ApiResult<plan_actions::Model> {
    let (action, plan) = read_with_plan_audited(db, caller, action_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let op = Operation::new(
        db,
        caller,
        AuditAction::UpdatePlanActionStatus,
        Target::for_child(EntityType::PlanAction, plan.child_id).with_id(action.id),
    );
    op.authorize(policy::ensure_can_handle_action(
        &caller.actor,
        &plan_facts(db, &plan).await?,
        action.assigned_agency_id,
    ))
    .await?;
    check(expected_version, action.version)?;
    if plan.status == PlanStatus::Closed {
        return Err(ApiError::validation("actionId", "the plan is closed"));
    }
    if !transition_allowed(action.status, status) {
        return Err(ApiError::validation(
            "status",
            format!(
                "an action cannot move from {:?} to {status:?}",
                action.status
            ),
        ));
    }
    let consultations = consultations_of(db, action.id).await?;
    if matches!(status, ActionStatus::InProgress | ActionStatus::Agreed)
        && !all_settled(&consultations)
    {
        return Err(ApiError::ConsultationRequired(
            "every consultation must be agreed or overridden before the action goes ahead".into(),
        ));
    }
    let mut write = op.begin().await?;
    let changes = plan_actions::ActiveModel {
        status: Set(status),
        ..Default::default()
    };
    let saved = ACTION
        .save(
            write.txn(),
            action.id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<plan_actions::Entity>(&action, &saved);
    emit_status_change(&write, &plan, action.id, action.status, status).await?;
    write.commit().await?;
    Ok(saved)
}

/// Tells the plan's members that an action changed status.
pub(super) async fn emit_status_change(
    write: &Write<'_>,
    plan: &joint_plans::Model,
    action_id: Uuid,
    from: ActionStatus,
    to: ActionStatus,
) -> ApiResult<()> {
    let payload = json!({ "planId": plan.id, "actionId": action_id, "from": from, "to": to });
    write
        .emit(action_event(
            EventKind::ActionStatusChanged,
            plan,
            vec![],
            "An action changed status",
            payload,
        ))
        .await?;
    Ok(())
}

/// Reads an action inside a transaction.
pub(super) async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> ApiResult<plan_actions::Model> {
    plan_actions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}
