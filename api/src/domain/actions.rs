//! Plan actions and the consultation rule (DESIGN §4.3).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::enums::{ActionKind, ActionStatus, ConsultationStatus, PlanStatus};
use entity::{agencies, consultations, joint_plans, plan_actions};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::outbox::{self, Event, EventKind};
use super::plans::{find_visible_plan, plan_facts};
use super::versioned::{Versioned, check};
use super::{Caller, new_id, required_text, tx};
use crate::error::{ApiError, ApiResult};
use crate::policy::{self, sector, sector_to_consult};

const ACTION: Versioned<plan_actions::Entity> = Versioned {
    id: plan_actions::Column::Id,
    version: plan_actions::Column::Version,
    updated_at: plan_actions::Column::UpdatedAt,
    version_of: |action| action.version,
};

const CONSULTATION: Versioned<consultations::Entity> = Versioned {
    id: consultations::Column::Id,
    version: consultations::Column::Version,
    updated_at: consultations::Column::UpdatedAt,
    version_of: |consultation| consultation.version,
};

/// Whether every consultation lets the action start.
pub fn all_settled(consultations: &[consultations::Model]) -> bool {
    consultations.iter().all(|c| {
        matches!(
            c.status,
            ConsultationStatus::Agreed | ConsultationStatus::Overridden
        )
    })
}

/// The status an action moves to by itself after its consultations change: `BLOCKED` on
/// an objection, `AGREED` once all are settled, back to awaiting when an objection was
/// overridden but others are still open.
pub fn status_after_consultation(
    current: ActionStatus,
    statuses: &[ConsultationStatus],
) -> Option<ActionStatus> {
    if !matches!(
        current,
        ActionStatus::AwaitingConsultation | ActionStatus::Blocked | ActionStatus::Proposed
    ) {
        return None;
    }
    let next = if statuses.contains(&ConsultationStatus::Objected) {
        ActionStatus::Blocked
    } else if statuses.contains(&ConsultationStatus::Requested) {
        ActionStatus::AwaitingConsultation
    } else if current == ActionStatus::Proposed {
        return None;
    } else {
        ActionStatus::Agreed
    };
    (next != current).then_some(next)
}

/// Whether a client may move an action from `from` to `to` (consultations aside).
pub fn transition_allowed(from: ActionStatus, to: ActionStatus) -> bool {
    use ActionStatus::*;
    matches!(
        (from, to),
        (
            Proposed | AwaitingConsultation | Blocked,
            Agreed | InProgress | Cancelled
        ) | (Agreed, InProgress | Cancelled)
            | (InProgress, Done | Cancelled)
    )
}

fn unchanged_action() -> plan_actions::ActiveModel {
    plan_actions::ActiveModel::default()
}

fn unchanged_consultation() -> consultations::ActiveModel {
    consultations::ActiveModel::default()
}

/// The consultations of an action.
pub async fn consultations_of<C: ConnectionTrait>(
    db: &C,
    action_id: Uuid,
) -> ApiResult<Vec<consultations::Model>> {
    Ok(consultations::Entity::find()
        .filter(consultations::Column::ActionId.eq(action_id))
        .order_by_asc(consultations::Column::Id)
        .all(db)
        .await?)
}

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
}

/// What `addPlanAction` returns.
#[derive(Clone, Debug)]
pub struct AddedAction {
    /// The action.
    pub action: plan_actions::Model,
    /// The consultations it opened.
    pub consultations: Vec<consultations::Model>,
}

fn action_event(
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
    let plan = find_visible_plan(db, caller, input.plan_id).await?;
    let facts = plan_facts(db, &plan).await?;
    let subject = Subject {
        action: "ADD_PLAN_ACTION",
        entity_type: "PlanAction",
        entity_id: None,
        child_id: Some(plan.child_id),
    };
    if let Err(error) =
        policy::ensure_can_handle_action(&caller.actor, &facts, input.assigned_agency_id)
    {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
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
    let description = required_text("description", &input.description, 5000)?;
    if input
        .due_on
        .is_some_and(|due| due < caller.now.date_naive())
    {
        return Err(ApiError::validation("dueOn", "must not be in the past"));
    }
    let members = agencies::Entity::find()
        .filter(agencies::Column::Id.is_in(facts.members.clone()))
        .all(db)
        .await?;
    let mut consulted: BTreeSet<Uuid> = match sector_to_consult(input.kind) {
        Some(other) => members
            .iter()
            .filter(|a| sector(a.kind) == other)
            .map(|a| a.id)
            .collect(),
        None => BTreeSet::new(),
    };
    consulted.extend(input.consult.iter().copied());
    consulted.remove(&input.assigned_agency_id);

    let txn = tx::begin(db).await?;
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
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    })
    .exec_with_returning(&*txn)
    .await?;
    audit::mutation(
        &*txn,
        caller,
        Subject {
            entity_id: Some(action.id),
            ..subject
        },
    )
    .await?;
    let payload = json!({ "planId": plan.id, "actionId": action.id, "kind": action.kind, "status": action.status });
    outbox::record(
        &*txn,
        caller,
        action_event(
            EventKind::ActionAdded,
            &plan,
            vec![],
            "An action was added to the plan",
            payload,
        ),
    )
    .await?;
    let mut opened = Vec::new();
    for agency in consulted {
        let consultation = consultations::Entity::insert(consultations::ActiveModel {
            id: Set(new_id()),
            action_id: Set(action.id),
            agency_id: Set(agency),
            status: Set(ConsultationStatus::Requested),
            response_note: Set(None),
            responded_by: Set(None),
            responded_at: Set(None),
            override_reason: Set(None),
            overridden_by: Set(None),
            overridden_at: Set(None),
            version: Set(1),
            created_at: Set(caller.now),
            updated_at: Set(caller.now),
        })
        .exec_with_returning(&*txn)
        .await?;
        let payload = json!({ "planId": plan.id, "actionId": action.id, "consultationId": consultation.id, "agencyId": agency });
        let event = action_event(
            EventKind::ConsultationRequested,
            &plan,
            vec![agency],
            "Your agency is consulted on an action",
            payload,
        );
        outbox::record(&*txn, caller, event).await?;
        opened.push(consultation);
    }
    txn.commit().await?;
    Ok(AddedAction {
        action,
        consultations: opened,
    })
}

/// Loads an action with its visible plan.
async fn visible_action(
    db: &DatabaseConnection,
    caller: &Caller,
    action_id: Uuid,
) -> ApiResult<(plan_actions::Model, joint_plans::Model)> {
    let action = plan_actions::Entity::find_by_id(action_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let plan = find_visible_plan(db, caller, action.plan_id).await?;
    Ok((action, plan))
}

/// An action for `node(id:)`, when its plan is visible.
pub async fn read_node(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<plan_actions::Model>> {
    match visible_action(db, caller, id).await {
        Ok((action, _)) => Ok(Some(action)),
        Err(ApiError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
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
    let (action, plan) = visible_action(db, caller, action_id).await?;
    let subject = Subject {
        action: "UPDATE_PLAN_ACTION_STATUS",
        entity_type: "PlanAction",
        entity_id: Some(action.id),
        child_id: Some(plan.child_id),
    };
    if let Err(error) = policy::ensure_can_handle_action(
        &caller.actor,
        &plan_facts(db, &plan).await?,
        action.assigned_agency_id,
    ) {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
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
    let txn = tx::begin(db).await?;
    let mut changes = unchanged_action();
    changes.status = Set(status);
    let saved = ACTION
        .save(&*txn, action.id, expected_version, caller.now, changes)
        .await?;
    audit::mutation(&*txn, caller, subject).await?;
    let payload =
        json!({ "planId": plan.id, "actionId": action.id, "from": action.status, "to": status });
    outbox::record(
        &*txn,
        caller,
        action_event(
            EventKind::ActionStatusChanged,
            &plan,
            vec![],
            "An action changed status",
            payload,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Applies the automatic status change after a consultation changed.
async fn settle_action<C: ConnectionTrait>(
    txn: &C,
    caller: &Caller,
    plan: &joint_plans::Model,
    action_id: Uuid,
) -> ApiResult<()> {
    let action = plan_actions::Entity::find_by_id(action_id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let statuses: Vec<_> = consultations_of(txn, action.id)
        .await?
        .iter()
        .map(|c| c.status)
        .collect();
    if let Some(next) = status_after_consultation(action.status, &statuses) {
        let mut changes = unchanged_action();
        changes.status = Set(next);
        ACTION
            .save(txn, action.id, action.version, caller.now, changes)
            .await?;
        let payload =
            json!({ "planId": plan.id, "actionId": action.id, "from": action.status, "to": next });
        outbox::record(
            txn,
            caller,
            action_event(
                EventKind::ActionStatusChanged,
                plan,
                vec![],
                "An action changed status",
                payload,
            ),
        )
        .await?;
    }
    Ok(())
}

/// Loads a consultation with its action and visible plan.
async fn visible_consultation(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<(
    consultations::Model,
    plan_actions::Model,
    joint_plans::Model,
)> {
    let consultation = consultations::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (action, plan) = visible_action(db, caller, consultation.action_id).await?;
    Ok((consultation, action, plan))
}

/// A consultation for `node(id:)`, when its plan is visible.
pub async fn read_consultation(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<consultations::Model>> {
    match visible_consultation(db, caller, id).await {
        Ok((consultation, _, _)) => Ok(Some(consultation)),
        Err(ApiError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
}

/// `respondToConsultation`: the consulted agency agrees or objects, with a note.
#[tracing::instrument(skip_all, fields(%consultation_id, ?response))]
pub async fn respond(
    db: &DatabaseConnection,
    caller: &Caller,
    consultation_id: Uuid,
    response: ConsultationStatus,
    note: Option<String>,
    expected_version: i32,
) -> ApiResult<consultations::Model> {
    let (consultation, action, plan) = visible_consultation(db, caller, consultation_id).await?;
    let subject = Subject {
        action: "RESPOND_TO_CONSULTATION",
        entity_type: "Consultation",
        entity_id: Some(consultation.id),
        child_id: Some(plan.child_id),
    };
    if let Err(error) =
        policy::ensure_can_answer_consultation(&caller.actor, consultation.agency_id)
    {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    check(expected_version, consultation.version)?;
    if !matches!(
        response,
        ConsultationStatus::Agreed | ConsultationStatus::Objected
    ) {
        return Err(ApiError::validation(
            "response",
            "answer AGREED or OBJECTED",
        ));
    }
    if plan.status == PlanStatus::Closed {
        return Err(ApiError::validation("consultationId", "the plan is closed"));
    }
    if consultation.status != ConsultationStatus::Requested {
        return Err(ApiError::validation(
            "consultationId",
            "the consultation has already been answered",
        ));
    }
    let note = super::optional_text(note);
    if response == ConsultationStatus::Objected && note.is_none() {
        return Err(ApiError::validation(
            "note",
            "an objection needs a note saying why",
        ));
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 5000) {
        return Err(ApiError::validation(
            "note",
            "must be at most 5000 characters",
        ));
    }
    let txn = tx::begin(db).await?;
    let mut changes = unchanged_consultation();
    changes.status = Set(response);
    changes.response_note = Set(note);
    changes.responded_by = Set(Some(caller.actor.subject.clone()));
    changes.responded_at = Set(Some(caller.now));
    let saved = CONSULTATION
        .save(
            &*txn,
            consultation.id,
            expected_version,
            caller.now,
            changes,
        )
        .await?;
    audit::mutation(&*txn, caller, subject).await?;
    let payload = json!({ "planId": plan.id, "actionId": action.id, "consultationId": saved.id, "response": response });
    outbox::record(
        &*txn,
        caller,
        action_event(
            EventKind::ConsultationAnswered,
            &plan,
            vec![],
            "A consulted agency answered",
            payload,
        ),
    )
    .await?;
    settle_action(&*txn, caller, &plan, action.id).await?;
    txn.commit().await?;
    Ok(saved)
}

/// `overrideConsultation`: the lead coordinator overrides, with a recorded reason.
#[tracing::instrument(skip_all, fields(%consultation_id))]
pub async fn override_consultation(
    db: &DatabaseConnection,
    caller: &Caller,
    consultation_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> ApiResult<consultations::Model> {
    let (consultation, action, plan) = visible_consultation(db, caller, consultation_id).await?;
    let subject = Subject {
        action: "OVERRIDE_CONSULTATION",
        entity_type: "Consultation",
        entity_id: Some(consultation.id),
        child_id: Some(plan.child_id),
    };
    if let Err(error) = policy::ensure_can_override(&caller.actor, &plan_facts(db, &plan).await?) {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    check(expected_version, consultation.version)?;
    let reason = required_text("reason", reason, 5000)?;
    if plan.status == PlanStatus::Closed {
        return Err(ApiError::validation("consultationId", "the plan is closed"));
    }
    if !matches!(
        consultation.status,
        ConsultationStatus::Requested | ConsultationStatus::Objected
    ) {
        return Err(ApiError::validation(
            "consultationId",
            "only an open or objected consultation can be overridden",
        ));
    }
    let txn = tx::begin(db).await?;
    let mut changes = unchanged_consultation();
    changes.status = Set(ConsultationStatus::Overridden);
    changes.override_reason = Set(Some(reason.clone()));
    changes.overridden_by = Set(Some(caller.actor.subject.clone()));
    changes.overridden_at = Set(Some(caller.now));
    let saved = CONSULTATION
        .save(
            &*txn,
            consultation.id,
            expected_version,
            caller.now,
            changes,
        )
        .await?;
    audit::mutation_with_reason(&*txn, caller, subject, &reason).await?;
    let payload = json!({ "planId": plan.id, "actionId": action.id, "consultationId": saved.id });
    let event = action_event(
        EventKind::ConsultationOverridden,
        &plan,
        vec![consultation.agency_id],
        "A coordinator overrode a consultation",
        payload,
    );
    outbox::record(&*txn, caller, event).await?;
    settle_action(&*txn, caller, &plan, action.id).await?;
    txn.commit().await?;
    Ok(saved)
}

/// `myConsultations`: consultations of the caller's agency, on plans it is a member of.
pub async fn mine(
    db: &DatabaseConnection,
    caller: &Caller,
    status: Option<ConsultationStatus>,
) -> ApiResult<Vec<consultations::Model>> {
    policy::ensure_case_role(&caller.actor)?;
    let visible_actions = Query::select()
        .column(plan_actions::Column::Id)
        .from(plan_actions::Entity)
        // A cancelled or finished action asks nothing of anyone any more.
        .and_where(
            plan_actions::Column::Status.is_not_in([ActionStatus::Cancelled, ActionStatus::Done]),
        )
        .and_where(
            plan_actions::Column::PlanId.in_subquery(
                Query::select()
                    .column(joint_plans::Column::Id)
                    .from(joint_plans::Entity)
                    .cond_where(policy::visible_plans(&caller.actor))
                    .and_where(joint_plans::Column::Status.ne(PlanStatus::Closed))
                    .to_owned(),
            ),
        )
        .to_owned();
    let mut query = consultations::Entity::find()
        .filter(consultations::Column::AgencyId.eq(caller.actor.agency_id))
        .filter(consultations::Column::ActionId.in_subquery(visible_actions));
    if let Some(status) = status {
        query = query.filter(consultations::Column::Status.eq(status));
    }
    Ok(query
        .order_by_asc(consultations::Column::Id)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionStatus::*;
    use ConsultationStatus as C;

    #[test]
    fn an_objection_blocks_and_settling_agrees() {
        assert_eq!(
            status_after_consultation(AwaitingConsultation, &[C::Objected, C::Requested]),
            Some(Blocked)
        );
        assert_eq!(
            status_after_consultation(AwaitingConsultation, &[C::Agreed, C::Requested]),
            None
        );
        assert_eq!(
            status_after_consultation(AwaitingConsultation, &[C::Agreed, C::Overridden]),
            Some(Agreed)
        );
        assert_eq!(
            status_after_consultation(Blocked, &[C::Overridden]),
            Some(Agreed)
        );
        assert_eq!(
            status_after_consultation(Blocked, &[C::Overridden, C::Requested]),
            Some(AwaitingConsultation)
        );
        assert_eq!(status_after_consultation(InProgress, &[C::Objected]), None);
        assert_eq!(status_after_consultation(Proposed, &[]), None);
    }

    #[test]
    fn transitions_follow_the_life_of_an_action() {
        assert!(transition_allowed(Proposed, InProgress));
        assert!(transition_allowed(Agreed, InProgress));
        assert!(transition_allowed(InProgress, Done));
        assert!(!transition_allowed(Proposed, Done));
        assert!(!transition_allowed(Done, InProgress));
        assert!(!transition_allowed(Cancelled, Proposed));
        assert!(!transition_allowed(Proposed, Blocked));
        assert!(!transition_allowed(Agreed, AwaitingConsultation));
    }
}
