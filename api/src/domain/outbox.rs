//! The outbox (`docs/integrating.md`): every plan change, escalation and emergency access writes a
//! `plan_events` row in the same transaction as the change. Payloads hold ids and a short
//! summary only, never personal data.

use entity::enums::AgencyIds;
use entity::plan_events;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement,
};
use serde_json::Value;
use tokio::sync::Notify;
use uuid::Uuid;

use super::{Caller, new_id};
use crate::error::ApiResult;

/// The PostgreSQL notification channel; its payload is a `seq`, never personal data.
pub const CHANNEL: &str = "concord_plan_events";

/// Serialises the transactions that write events, so that `seq` order is commit order
/// and a subscriber reading `seq > n` can never skip a later-committing lower `seq`.
const OUTBOX_LOCK: i64 = 0x00C0_4C0D;

static LOCAL_COMMITS: Notify = Notify::const_new();

/// Tells this process's relay that a write transaction committed (SQLite has no NOTIFY).
pub fn committed() {
    LOCAL_COMMITS.notify_waiters();
}

/// What the relay waits on between outbox reads.
pub fn local_commits() -> &'static Notify {
    &LOCAL_COMMITS
}

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
    /// An agency left a plan.
    PlanMemberRemoved,
    /// A behaviour escalated the case.
    Escalation,
    /// Someone used break-glass access to a child.
    EmergencyAccess,
    /// A child on the case team was referred.
    ReferralReceived,
    /// The lead agency decided a referral (told to the referrer).
    ReferralDecided,
    /// A child's lead agency was deactivated: designated social care must act.
    LeadAgencyDeactivated,
    /// An agency was deactivated (addressed to itself, so its streams end).
    AgencyDeactivated,
    /// An agency asked to see a restricted entry (told to the recording agency).
    DisclosureRequested,
    /// The recording agency decided a disclosure request (told to the requester).
    DisclosureDecided,
    /// A child's case was closed (told to the case team it had).
    CaseClosed,
    /// A closed case was reopened: the child is known again (told to the former case
    /// team's agencies, which get no access from it).
    CaseReopened,
    /// A joint assessment of a child was started (told to the case team).
    AssessmentStarted,
    /// An agency was asked to contribute to an assessment (told to that agency).
    ContributionRequested,
    /// An agency contributed to an assessment (told to its lead agency).
    ContributionRecorded,
    /// An assessment was completed (told to the case team).
    AssessmentCompleted,
    /// An agency joined or left a child's case team. Internal: never delivered; it tells
    /// every instance's relay, in `seq` order, to reload that agency's reach.
    CaseTeamChanged,
    /// A legal hold was placed on a child's record (told to its lead agency).
    LegalHoldPlaced,
    /// A legal hold was released (told to the child's lead agency).
    LegalHoldReleased,
    /// A plan's record, or one of its reviews, was corrected (told to its members).
    PlanAmended,
    /// An action's description or due day was corrected (told to the plan's members).
    ActionAmended,
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
            Self::PlanMemberRemoved => "PLAN_MEMBER_REMOVED",
            Self::Escalation => "ESCALATION",
            Self::EmergencyAccess => "EMERGENCY_ACCESS",
            Self::ReferralReceived => "REFERRAL_RECEIVED",
            Self::ReferralDecided => "REFERRAL_DECIDED",
            Self::LeadAgencyDeactivated => "LEAD_AGENCY_DEACTIVATED",
            Self::AgencyDeactivated => "AGENCY_DEACTIVATED",
            Self::CaseTeamChanged => "CASE_TEAM_CHANGED",
            Self::DisclosureRequested => "DISCLOSURE_REQUESTED",
            Self::DisclosureDecided => "DISCLOSURE_DECIDED",
            Self::CaseClosed => "CASE_CLOSED",
            Self::CaseReopened => "CASE_REOPENED",
            Self::AssessmentStarted => "ASSESSMENT_STARTED",
            Self::ContributionRequested => "CONTRIBUTION_REQUESTED",
            Self::ContributionRecorded => "CONTRIBUTION_RECORDED",
            Self::AssessmentCompleted => "ASSESSMENT_COMPLETED",
            Self::LegalHoldPlaced => "LEGAL_HOLD_PLACED",
            Self::LegalHoldReleased => "LEGAL_HOLD_RELEASED",
            Self::PlanAmended => "PLAN_AMENDED",
            Self::ActionAmended => "ACTION_AMENDED",
        }
    }

    /// Every kind, for parsing a stored name.
    const ALL: [EventKind; 30] = [
        Self::PlanCreated,
        Self::PlanMemberAdded,
        Self::PlanActivated,
        Self::ActionAdded,
        Self::ActionStatusChanged,
        Self::ConsultationRequested,
        Self::ConsultationAnswered,
        Self::ConsultationOverridden,
        Self::PlanReviewed,
        Self::PlanClosed,
        Self::PlanMemberRemoved,
        Self::Escalation,
        Self::EmergencyAccess,
        Self::ReferralReceived,
        Self::ReferralDecided,
        Self::LeadAgencyDeactivated,
        Self::AgencyDeactivated,
        Self::CaseTeamChanged,
        Self::DisclosureRequested,
        Self::DisclosureDecided,
        Self::CaseClosed,
        Self::CaseReopened,
        Self::AssessmentStarted,
        Self::ContributionRequested,
        Self::ContributionRecorded,
        Self::AssessmentCompleted,
        Self::LegalHoldPlaced,
        Self::LegalHoldReleased,
        Self::PlanAmended,
        Self::ActionAmended,
    ];

    /// The kind stored as `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Whether subscribers never see it (it only steers the relays).
    pub fn is_internal(self) -> bool {
        self == Self::CaseTeamChanged
    }

    /// Whether it may change what some agency reaches (its plans, its case teams, whether
    /// it is active), so that the relays reload the reach of the agencies it names.
    pub fn changes_reach(self) -> bool {
        matches!(
            self,
            Self::CaseTeamChanged
                | Self::PlanCreated
                | Self::PlanMemberAdded
                | Self::PlanMemberRemoved
                | Self::AgencyDeactivated
        )
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

impl Event {
    /// The internal marker that `agency` joined or left a case team, written in the same
    /// transaction as the change (see [`EventKind::CaseTeamChanged`]). Ids only.
    pub fn case_team_changed(agency: Uuid) -> Self {
        Self {
            kind: EventKind::CaseTeamChanged,
            plan_id: None,
            child_id: None,
            audience: vec![agency],
            summary: "An agency's case teams changed".into(),
            payload: serde_json::json!({ "agencyId": agency }),
        }
    }
}

/// Writes the event in the caller's transaction; returns its `seq`. On PostgreSQL the
/// new `seq` is notified, which the database delivers only if the transaction commits.
pub async fn record<C: ConnectionTrait>(db: &C, caller: &Caller, event: Event) -> ApiResult<i64> {
    let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
    if postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [OUTBOX_LOCK.into()],
        ))
        .await?;
    }
    let row = plan_events::ActiveModel {
        seq: NotSet,
        id: Set(new_id()),
        plan_id: Set(event.plan_id),
        child_id: Set(event.child_id),
        audience: Set(AgencyIds(event.audience)),
        kind: Set(event.kind.name().to_owned()),
        summary: Set(event.summary),
        payload: Set(event.payload),
        occurred_at: Set(caller.now()),
        actor_subject: Set(caller.actor.subject.clone()),
        actor_agency_id: Set(Some(caller.actor.agency_id)),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    };
    let seq = plan_events::Entity::insert(row)
        .exec(db)
        .await?
        .last_insert_id;
    if postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), seq.to_string().into()],
        ))
        .await?;
    }
    Ok(seq)
}
