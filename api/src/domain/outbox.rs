//! The outbox (DESIGN §6.3): every plan change, escalation and emergency access writes a
//! `plan_events` row in the same transaction as the change. Payloads hold ids and a short
//! summary only, never personal data.

use entity::enums::AgencyIds;
use entity::plan_events;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::Value;
use uuid::Uuid;

use super::{Caller, new_id};
use crate::error::ApiResult;

/// What happened, as subscribers see it in `kind`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A plan was created (draft).
    PlanCreated,
    /// An agency joined a plan.
    PlanMemberAdded,
    /// A plan went live.
    PlanActivated,
    /// An action was added.
    ActionAdded,
    /// An action changed status.
    ActionStatusChanged,
    /// An agency was asked to agree an action.
    ConsultationRequested,
    /// A consulted agency answered.
    ConsultationAnswered,
    /// A coordinator overrode a consultation.
    ConsultationOverridden,
    /// A review was recorded.
    PlanReviewed,
    /// A plan was closed.
    PlanClosed,
    /// A behaviour escalated the case.
    Escalation,
    /// Someone used break-glass access to a child.
    EmergencyAccess,
}

impl EventKind {
    /// The name stored and sent.
    pub fn name(self) -> &'static str {
        match self {
            Self::PlanCreated => "PLAN_CREATED",
            Self::PlanMemberAdded => "PLAN_MEMBER_ADDED",
            Self::PlanActivated => "PLAN_ACTIVATED",
            Self::ActionAdded => "ACTION_ADDED",
            Self::ActionStatusChanged => "ACTION_STATUS_CHANGED",
            Self::ConsultationRequested => "CONSULTATION_REQUESTED",
            Self::ConsultationAnswered => "CONSULTATION_ANSWERED",
            Self::ConsultationOverridden => "CONSULTATION_OVERRIDDEN",
            Self::PlanReviewed => "PLAN_REVIEWED",
            Self::PlanClosed => "PLAN_CLOSED",
            Self::Escalation => "ESCALATION",
            Self::EmergencyAccess => "EMERGENCY_ACCESS",
        }
    }
}

/// One event to write.
#[derive(Debug)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The plan concerned, if any.
    pub plan_id: Option<Uuid>,
    /// The child concerned, if any.
    pub child_id: Option<Uuid>,
    /// Agencies told besides the plan's members.
    pub audience: Vec<Uuid>,
    /// A short summary without personal data.
    pub summary: String,
    /// Ids of what changed.
    pub payload: Value,
}

/// Writes the event in the caller's transaction; returns its `seq`.
pub async fn record<C: ConnectionTrait>(db: &C, caller: &Caller, event: Event) -> ApiResult<i64> {
    let row = plan_events::ActiveModel {
        seq: NotSet,
        id: Set(new_id()),
        plan_id: Set(event.plan_id),
        child_id: Set(event.child_id),
        audience: Set(AgencyIds(event.audience)),
        kind: Set(event.kind.name().to_owned()),
        summary: Set(event.summary),
        payload: Set(event.payload),
        occurred_at: Set(caller.now),
        actor_subject: Set(caller.actor.subject.clone()),
        actor_agency_id: Set(Some(caller.actor.agency_id)),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    };
    Ok(plan_events::Entity::insert(row)
        .exec(db)
        .await?
        .last_insert_id)
}
