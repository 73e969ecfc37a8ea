//! The audit log (`docs/access.md`): reads of children, denials and mutations.
//!
//! Actions and entity types are enums, so a row can only name something the service
//! does; [`record`] writes every row, allowed or denied.

use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::{Caller, new_id};
use crate::error::ApiResult;

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The name stored in the audit log.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }
    };
}

named_enum! {
    /// What an actor did or tried to do.
    AuditAction {
        /// Read a child's record.
        ReadChild => "READ_CHILD",
        /// Listed children.
        ListChildren => "LIST_CHILDREN",
        /// Registered a child.
        RegisterChild => "REGISTER_CHILD",
        /// Put an agency on a case team.
        AddInvolvement => "ADD_INVOLVEMENT",
        /// Took an agency off a case team.
        EndInvolvement => "END_INVOLVEMENT",
        /// Asked whether a child is known.
        FindKnownChild => "FIND_KNOWN_CHILD",
        /// Referred a child.
        ReferChild => "REFER_CHILD",
        /// Decided a referral.
        DecideReferral => "DECIDE_REFERRAL",
        /// Listed referrals.
        ListReferrals => "LIST_REFERRALS",
        /// Recorded a behaviour.
        RecordBehaviour => "RECORD_BEHAVIOUR",
        /// Added a chronology entry.
        AddChronologyEntry => "ADD_CHRONOLOGY_ENTRY",
        /// Read a joint plan.
        ReadJointPlan => "READ_JOINT_PLAN",
        /// Drafted a joint plan.
        CreateJointPlan => "CREATE_JOINT_PLAN",
        /// Added an agency to a plan.
        AddPlanMember => "ADD_PLAN_MEMBER",
        /// Removed an agency from a plan.
        RemovePlanMember => "REMOVE_PLAN_MEMBER",
        /// Activated a plan.
        ActivateJointPlan => "ACTIVATE_JOINT_PLAN",
        /// Recorded a plan review.
        RecordPlanReview => "RECORD_PLAN_REVIEW",
        /// Closed a plan.
        CloseJointPlan => "CLOSE_JOINT_PLAN",
        /// Added an action to a plan.
        AddPlanAction => "ADD_PLAN_ACTION",
        /// Moved an action on.
        UpdatePlanActionStatus => "UPDATE_PLAN_ACTION_STATUS",
        /// Listed the consultations put to the agency.
        ListMyConsultations => "LIST_MY_CONSULTATIONS",
        /// Answered a consultation.
        RespondToConsultation => "RESPOND_TO_CONSULTATION",
        /// Overrode a consultation.
        OverrideConsultation => "OVERRIDE_CONSULTATION",
        /// Asked for break-glass access.
        RequestEmergencyAccess => "REQUEST_EMERGENCY_ACCESS",
        /// Listed deadlines.
        ListDeadlines => "LIST_DEADLINES",
        /// Explained a late deadline.
        RecordLateReason => "RECORD_LATE_REASON",
        /// Read the strategic report.
        ReadStrategicReport => "READ_STRATEGIC_REPORT",
        /// Read the audit log.
        ReadAuditLog => "READ_AUDIT_LOG",
        /// Read a child's access report.
        ReadChildAccessReport => "READ_CHILD_ACCESS_REPORT",
        /// Subscribed to a stream of events.
        Subscribe => "SUBSCRIBE",
        /// Created an agency.
        CreateAgency => "CREATE_AGENCY",
        /// Deactivated an agency.
        DeactivateAgency => "DEACTIVATE_AGENCY",
        /// Reactivated an agency.
        ReactivateAgency => "REACTIVATE_AGENCY",
        /// Asked the recording agency to share a restricted entry.
        RequestDisclosure => "REQUEST_DISCLOSURE",
        /// Decided a disclosure request (shared or declined).
        DecideDisclosure => "DECIDE_DISCLOSURE",
        /// Shared a restricted entry with another agency (added to its `sharedWith`).
        ShareEntry => "SHARE_ENTRY",
        /// Listed the agency's disclosure requests.
        ListDisclosureRequests => "LIST_DISCLOSURE_REQUESTS",
        /// Closed a child's case.
        CloseCase => "CLOSE_CASE",
        /// Reopened a closed case (by a new referral or behaviour).
        ReopenCase => "REOPEN_CASE",
        /// Started a joint assessment.
        StartAssessment => "START_ASSESSMENT",
        /// Asked agencies for contributions to an assessment.
        RequestContributions => "REQUEST_CONTRIBUTIONS",
        /// Contributed to an assessment (or amended a contribution).
        ContributeToAssessment => "CONTRIBUTE_TO_ASSESSMENT",
        /// Completed an assessment.
        CompleteAssessment => "COMPLETE_ASSESSMENT",
        /// Listed the agency's contribution requests.
        ListContributionRequests => "LIST_CONTRIBUTION_REQUESTS",
        /// Corrected a child's identity or flags.
        UpdateChild => "UPDATE_CHILD",
        /// Amended a behaviour.
        AmendBehaviour => "AMEND_BEHAVIOUR",
        /// Amended a chronology entry.
        AmendChronologyEntry => "AMEND_CHRONOLOGY_ENTRY",
        /// Corrected an involvement's practitioner, start day or reason.
        AmendInvolvement => "AMEND_INVOLVEMENT",
        /// Corrected a referral's reason or time.
        AmendReferral => "AMEND_REFERRAL",
        /// Marked a behaviour or chronology entry entered in error.
        MarkEnteredInError => "MARK_ENTERED_IN_ERROR",
        /// Amended a joint plan's title, pathway, risk summary or next review date.
        AmendJointPlan => "AMEND_JOINT_PLAN",
        /// Amended a plan action's description or due date.
        AmendPlanAction => "AMEND_PLAN_ACTION",
        /// Amended a plan review.
        AmendPlanReview => "AMEND_PLAN_REVIEW",
        /// Exported a child's whole record (a subject access request).
        ExportChildRecord => "EXPORT_CHILD_RECORD",
        /// Placed a legal hold on a child's record.
        PlaceLegalHold => "PLACE_LEGAL_HOLD",
        /// Released a legal hold.
        ReleaseLegalHold => "RELEASE_LEGAL_HOLD",
        /// Erased a child's record whose retention period had passed (the retention run).
        EraseRecord => "ERASE_RECORD",
    }
}

named_enum! {
    /// The kind of thing an audit row is about.
    EntityType {
        /// A child's record.
        Child => "Child",
        /// An agency.
        Agency => "Agency",
        /// A case team membership.
        Involvement => "Involvement",
        /// A behaviour.
        Behaviour => "Behaviour",
        /// A chronology entry.
        ChronologyEntry => "ChronologyEntry",
        /// A joint plan.
        JointPlan => "JointPlan",
        /// A plan action.
        PlanAction => "PlanAction",
        /// A consultation.
        Consultation => "Consultation",
        /// A plan review.
        PlanReview => "PlanReview",
        /// A break-glass grant.
        AccessGrant => "AccessGrant",
        /// A referral.
        Referral => "Referral",
        /// A deadline.
        Deadline => "Deadline",
        /// The strategic report.
        StrategicReport => "StrategicReport",
        /// The audit log itself.
        AuditEvent => "AuditEvent",
        /// A stream of events.
        PlanEvent => "PlanEvent",
        /// A disclosure request.
        DisclosureRequest => "DisclosureRequest",
        /// A joint assessment.
        Assessment => "Assessment",
        /// An agency's contribution to an assessment.
        AssessmentContribution => "AssessmentContribution",
        /// A need an assessment identified.
        AssessmentNeed => "AssessmentNeed",
        /// A legal hold on a child's record.
        LegalHold => "LegalHold",
    }
}

/// What an audit row is about.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The kind of thing.
    pub entity: EntityType,
    /// The row concerned, when there is one.
    pub id: Option<Uuid>,
    /// The child concerned, for the per-child access report.
    pub child_id: Option<Uuid>,
}

impl Target {
    /// A kind of thing, no row in particular.
    pub fn of(entity: EntityType) -> Self {
        Self {
            entity,
            id: None,
            child_id: None,
        }
    }

    /// A row of no particular child.
    pub fn row(entity: EntityType, id: Uuid) -> Self {
        Self {
            id: Some(id),
            ..Self::of(entity)
        }
    }

    /// Something about a child.
    pub fn for_child(entity: EntityType, child_id: Uuid) -> Self {
        Self {
            child_id: Some(child_id),
            ..Self::of(entity)
        }
    }

    /// A child's record itself.
    pub fn child(child_id: Uuid) -> Self {
        Self {
            entity: EntityType::Child,
            id: Some(child_id),
            child_id: Some(child_id),
        }
    }

    /// The same target, naming its row.
    pub fn with_id(self, id: Uuid) -> Self {
        Self {
            id: Some(id),
            ..self
        }
    }
}

/// One audit row for `caller`.
fn row(
    caller: &Caller,
    action: AuditAction,
    target: Target,
    outcome: AuditOutcome,
    reason: Option<String>,
) -> audit_events::ActiveModel {
    let actor = &caller.actor;
    audit_events::ActiveModel {
        id: Set(new_id()),
        occurred_at: Set(caller.now()),
        actor_subject: Set(actor.subject.clone()),
        actor_agency_id: Set(Some(actor.agency_id)),
        actor_agency_code: Set(Some(actor.agency_code.clone())),
        actor_roles: Set(actor.roles_text()),
        action: Set(action.name().to_owned()),
        entity_type: Set(target.entity.name().to_owned()),
        entity_id: Set(target.id),
        child_id: Set(target.child_id),
        outcome: Set(outcome),
        reason: Set(reason),
        request_id: Set(Some(caller.request_id.clone())),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
        changes: Set(None),
    }
}

/// Writes one audit row, allowed or denied. Mutations pass their transaction, so that
/// the change and its row commit together (or neither does).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: AuditAction,
    target: Target,
    outcome: AuditOutcome,
    reason: Option<&str>,
) -> ApiResult<()> {
    record_changes(db, caller, action, target, outcome, reason, &[]).await
}

/// [`record`], with what the operation changed (`audit_events.changes`; none is `NULL`).
pub async fn record_changes<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: AuditAction,
    target: Target,
    outcome: AuditOutcome,
    reason: Option<&str>,
    changes: &[super::changes::Change],
) -> ApiResult<()> {
    let mut audit_row = row(caller, action, target, outcome, reason.map(str::to_owned));
    if !changes.is_empty() {
        audit_row.changes = Set(Some(super::changes::to_json(changes)));
    }
    audit_events::Entity::insert(audit_row).exec(db).await?;
    Ok(())
}

/// How many audit rows one insert carries: each binds 15 parameters, and a statement
/// may bind at most 65,535 (PostgreSQL) or 32,766 (SQLite).
pub const READS_PER_INSERT: usize = 500;

/// Records reads of these children, once per child per request. A page (at most 100
/// children) is one statement; a longer list is written [`READS_PER_INSERT`] rows at a
/// time, so no statement's parameter list grows with the data.
pub async fn record_child_reads<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[Uuid],
) -> ApiResult<()> {
    let fresh = caller.first_reads(ids);
    for chunk in fresh.chunks(READS_PER_INSERT) {
        let rows = chunk.iter().map(|id| {
            row(
                caller,
                AuditAction::ReadChild,
                Target::child(*id),
                AuditOutcome::Allowed,
                None,
            )
        });
        audit_events::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_action_and_entity_type_has_its_own_name() {
        let actions: HashSet<_> = AuditAction::ALL.iter().map(|a| a.name()).collect();
        assert_eq!(actions.len(), AuditAction::ALL.len());
        let types: HashSet<_> = EntityType::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(types.len(), EntityType::ALL.len());
        assert!(
            AuditAction::ALL
                .iter()
                .all(|a| a.name().chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        );
    }
}
