//! Consultations (`docs/product.md`): the other sector's agreement before an action goes
//! ahead, answered by the consulted agency or overridden by the lead coordinator.

use entity::enums::{ActionStatus, ConsultationStatus, PlanStatus};
use entity::{consultations, joint_plans, plan_actions};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::actions::{ACTION, action_event, emit_status_change, read_with_plan_audited};
use super::audit::{AuditAction, EntityType, Target};
use super::consultation_rule::status_after_consultation;
use super::op::{Operation, Write};
use super::outbox::EventKind;
use super::plan_members::plan_facts;
use super::versioned::{Versioned, check};
use super::{Caller, optional_text, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

const CONSULTATION: Versioned<consultations::Entity> = Versioned {
    id: consultations::Column::Id,
    version: consultations::Column::Version,
    updated_at: consultations::Column::UpdatedAt,
    version_of: |consultation| consultation.version,
};

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

/// Opens a consultation of each of `agencies` on a new action of `plan`, inside
/// `addPlanAction`'s transaction: each is audited on a row of its own (`ADD_PLAN_ACTION`
/// on the consultation, with its fields as changes) and told to the agency consulted.
pub(super) async fn open(
    write: &Write<'_>,
    plan: &joint_plans::Model,
    action_id: Uuid,
    agencies: impl IntoIterator<Item = Uuid>,
) -> ApiResult<Vec<consultations::Model>> {
    let now = write.caller().now();
    let mut opened = Vec::new();
    for agency in agencies {
        let consultation = consultations::Entity::insert(consultations::ActiveModel {
            id: Set(super::new_id()),
            action_id: Set(action_id),
            agency_id: Set(agency),
            status: Set(ConsultationStatus::Requested),
            response_note: Set(None),
            responded_by: Set(None),
            responded_at: Set(None),
            override_reason: Set(None),
            overridden_by: Set(None),
            overridden_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_with_returning(write.txn())
        .await?;
        super::changes::record_also(
            write,
            AuditAction::AddPlanAction,
            Target::for_child(EntityType::Consultation, plan.child_id).with_id(consultation.id),
            &super::changes::created::<consultations::Entity>(&consultation),
        )
        .await?;
        let payload = json!({ "planId": plan.id, "actionId": action_id, "consultationId": consultation.id, "agencyId": agency });
        write
            .emit(action_event(
                EventKind::ConsultationRequested,
                plan,
                vec![agency],
                "Your agency is consulted on an action",
                payload,
            ))
            .await?;
        opened.push(consultation);
    }
    Ok(opened)
}

/// The consultations of several actions already found visible, for the request's loader.
pub async fn of_actions<C: ConnectionTrait>(
    db: &C,
    action_ids: &[Uuid],
) -> ApiResult<Vec<consultations::Model>> {
    Ok(entity::by_index::all(
        consultations::Entity::find()
            .filter(consultations::Column::ActionId.is_in(action_ids.iter().copied()))
            .order_by_asc(consultations::Column::Id),
        db,
    )
    .await?)
}

/// A consultation with its action and plan, when the plan is visible (audited).
async fn read_with_plan_audited_full(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<
    Option<(
        consultations::Model,
        plan_actions::Model,
        joint_plans::Model,
    )>,
> {
    let Some(consultation) = consultations::Entity::find_by_id(id).one(db).await? else {
        // Audited as a miss like any other lookup by id.
        visible::record_miss(db, caller, EntityType::Consultation, id).await?;
        return Ok(None);
    };
    Ok(read_with_plan_audited(db, caller, consultation.action_id)
        .await?
        .map(|(action, plan)| (consultation, action, plan)))
}

/// A visible consultation with its action and plan, and the operation on it.
async fn consultation_op<'a>(
    db: &'a DatabaseConnection,
    caller: &'a Caller,
    id: Uuid,
    action: AuditAction,
) -> ApiResult<(
    Operation<'a>,
    consultations::Model,
    plan_actions::Model,
    joint_plans::Model,
)> {
    let (consultation, action_row, plan) = read_with_plan_audited_full(db, caller, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let target =
        Target::for_child(EntityType::Consultation, plan.child_id).with_id(consultation.id);
    let op = Operation::new(db, caller, action, target);
    Ok((op, consultation, action_row, plan))
}

/// A consultation for `node(id:)`, when its plan is visible (audited).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<consultations::Model>> {
    Ok(read_with_plan_audited_full(db, caller, id)
        .await?
        .map(|(consultation, _, _)| consultation))
}

/// Applies the automatic status change after a consultation changed.
async fn settle_action(
    write: &Write<'_>,
    plan: &joint_plans::Model,
    action_id: Uuid,
) -> ApiResult<()> {
    let action = super::actions::find(write.txn(), action_id).await?;
    let statuses: Vec<_> = consultations_of(write.txn(), action.id)
        .await?
        .iter()
        .map(|c| c.status)
        .collect();
    if let Some(next) = status_after_consultation(action.status, &statuses) {
        let changes = plan_actions::ActiveModel {
            status: Set(next),
            ..Default::default()
        };
        let now = write.caller().now();
        ACTION
            .save(write.txn(), action.id, action.version, now, changes)
            .await?;
        emit_status_change(write, plan, action.id, action.status, next).await?;
    }
    Ok(())
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
    let (op, consultation, action, plan) = consultation_op(
        db,
        caller,
        consultation_id,
        AuditAction::RespondToConsultation,
    )
    .await?;
    op.authorize(policy::ensure_can_answer_consultation(
        &caller.actor,
        consultation.agency_id,
    ))
    .await?;
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
    let note = optional_text(note);
    if response == ConsultationStatus::Objected && note.is_none() {
        return Err(ApiError::validation(
            "note",
            "an objection needs a note saying why",
        ));
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(ApiError::validation(
            "note",
            "must be at most 2000 characters",
        ));
    }
    let mut write = op.begin().await?;
    let changes = consultations::ActiveModel {
        status: Set(response),
        response_note: Set(note),
        responded_by: Set(Some(caller.actor.subject.clone())),
        responded_at: Set(Some(caller.now())),
        ..Default::default()
    };
    let saved = CONSULTATION
        .save(
            write.txn(),
            consultation.id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<consultations::Entity>(&consultation, &saved);
    let payload = json!({ "planId": plan.id, "actionId": action.id, "consultationId": saved.id, "response": response });
    write
        .emit(action_event(
            EventKind::ConsultationAnswered,
            &plan,
            vec![],
            "A consulted agency answered",
            payload,
        ))
        .await?;
    settle_action(&write, &plan, action.id).await?;
    write.commit().await?;
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
    let (op, consultation, action, plan) = consultation_op(
        db,
        caller,
        consultation_id,
        AuditAction::OverrideConsultation,
    )
    .await?;
    op.authorize(policy::ensure_can_override(
        &caller.actor,
        &plan_facts(db, &plan).await?,
    ))
    .await?;
    check(expected_version, consultation.version)?;
    let reason = required_text("reason", reason, 2000)?;
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
    let mut write = op.begin().await?;
    write.audit_reason(&reason);
    let changes = consultations::ActiveModel {
        status: Set(ConsultationStatus::Overridden),
        override_reason: Set(Some(reason)),
        overridden_by: Set(Some(caller.actor.subject.clone())),
        overridden_at: Set(Some(caller.now())),
        ..Default::default()
    };
    let saved = CONSULTATION
        .save(
            write.txn(),
            consultation.id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<consultations::Entity>(&consultation, &saved);
    let payload = json!({ "planId": plan.id, "actionId": action.id, "consultationId": saved.id });
    write
        .emit(action_event(
            EventKind::ConsultationOverridden,
            &plan,
            vec![consultation.agency_id],
            "A coordinator overrode a consultation",
            payload,
        ))
        .await?;
    settle_action(&write, &plan, action.id).await?;
    write.commit().await?;
    Ok(saved)
}

/// `myConsultations`: consultations of the caller's agency, on plans it is a member of.
pub async fn mine(
    db: &DatabaseConnection,
    caller: &Caller,
    status: Option<ConsultationStatus>,
) -> ApiResult<Vec<consultations::Model>> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ListMyConsultations,
        Target::of(EntityType::Consultation),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
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
