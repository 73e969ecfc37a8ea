//! `PlanEventKind`: the vocabulary of what a `PlanEvent` reports, and how each stored kind
//! maps onto it.

use async_graphql::Enum;

use crate::domain::outbox::EventKind;

/// What happened, for a `PlanEvent`. The set may grow: a client should show an unknown
/// value as a generic change rather than fail.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Enum)]
pub enum PlanEventKind {
    /// A joint plan was created, as a draft (`plan` is set).
    PlanCreated,
    /// An agency joined a plan (`plan` and `agency` are set).
    PlanMemberAdded,
    /// A plan went live (`plan` is set).
    PlanActivated,
    /// An action was added to a plan (`plan` and `action` are set).
    ActionAdded,
    /// An action changed status (`plan` and `action` are set).
    ActionStatusChanged,
    /// An agency was asked to agree an action before it starts (`plan`, `action`,
    /// `consultation` and `agency` are set). Sent to the consulted agency too.
    ConsultationRequested,
    /// A consulted agency answered (`plan`, `action` and `consultation` are set).
    ConsultationAnswered,
    /// The plan's coordinator overrode a consultation (`plan`, `action` and
    /// `consultation` are set).
    ConsultationOverridden,
    /// A plan review was recorded (`plan` and `review` are set).
    PlanReviewed,
    /// A plan was closed (`plan` is set).
    PlanClosed,
    /// An agency left a plan (`plan` and `agency` are set). Sent to the remaining
    /// members; the agency that left gets no more of the plan's events, and its
    /// `planEvents` stream for the plan completes.
    PlanMemberRemoved,
    /// A behaviour escalated a child's case (`child` and `behaviour` are set).
    Escalation,
    /// Someone used break-glass emergency access to a child (`child`, `accessGrant` and
    /// `agency`, the agency that used it, are set).
    EmergencyAccess,
    /// A child on the case team was referred (`child` and `referral` are set).
    ReferralReceived,
    /// The lead agency decided a referral; told to the referring agency (`referral` is
    /// set, and `child` when the decision added the child to the case team).
    ReferralDecided,
    /// A child's lead agency was deactivated, so designated social care must act
    /// (`child` and `agency`, the deactivated agency, are set).
    LeadAgencyDeactivated,
    /// The subscriber's own agency was deactivated; its streams end after this event
    /// (`agency` is set).
    AgencyDeactivated,
    /// An agency on the case team asked to see a restricted entry the subscriber's
    /// agency recorded (`disclosureRequest` is set). Sent to the recording agency only.
    DisclosureRequested,
    /// The recording agency shared or declined a restricted entry the subscriber's agency
    /// asked for (`disclosureRequest` is set). Sent to the requesting agency only.
    DisclosureDecided,
    /// A child's case was closed; sent to the case team it had, including the agencies
    /// that left it (`child` is set while the subscriber may still see it).
    CaseClosed,
    /// A closed case was reopened by a new referral or behaviour: the child is known to
    /// the partnership again. Sent to the agencies that were on the case team; it gives
    /// none of them access (`child` is null unless the subscriber may see the child).
    CaseReopened,
    /// A joint assessment of a child on the subscriber's case team was started
    /// (`assessment` and `child` are set).
    AssessmentStarted,
    /// The subscriber's agency was asked to contribute to an assessment (`assessment` is
    /// set; see `myContributionRequests`). Sent to the agency asked only.
    ContributionRequested,
    /// An agency contributed to an assessment the subscriber's agency leads
    /// (`assessment` and `contribution` are set). Sent to the leading agency only.
    ContributionRecorded,
    /// An assessment of a child on the subscriber's case team was completed
    /// (`assessment` and `child` are set).
    AssessmentCompleted,
    /// Information governance placed a legal hold on a child's record the subscriber's
    /// agency leads (`legalHold` is set). Sent to the child's lead agency only.
    LegalHoldPlaced,
    /// Information governance released a legal hold on a child's record the
    /// subscriber's agency leads (`legalHold` is set). Sent to the child's lead agency only.
    LegalHoldReleased,
    /// A plan's title, pathway, risk summary or next review date, or one of its reviews,
    /// was corrected (`plan` is set, and `review` when a review was).
    PlanAmended,
    /// An action's description or due day was corrected (`plan` and `action` are set).
    ActionAmended,
}

impl PlanEventKind {
    /// The kind clients see for a stored kind; `None` for the internal markers, which
    /// the relay never delivers.
    pub fn of(kind: EventKind) -> Option<Self> {
        Some(match kind {
            EventKind::PlanCreated => Self::PlanCreated,
            EventKind::PlanMemberAdded => Self::PlanMemberAdded,
            EventKind::PlanActivated => Self::PlanActivated,
            EventKind::ActionAdded => Self::ActionAdded,
            EventKind::ActionStatusChanged => Self::ActionStatusChanged,
            EventKind::ConsultationRequested => Self::ConsultationRequested,
            EventKind::ConsultationAnswered => Self::ConsultationAnswered,
            EventKind::ConsultationOverridden => Self::ConsultationOverridden,
            EventKind::PlanReviewed => Self::PlanReviewed,
            EventKind::PlanClosed => Self::PlanClosed,
            EventKind::PlanMemberRemoved => Self::PlanMemberRemoved,
            EventKind::Escalation => Self::Escalation,
            EventKind::EmergencyAccess => Self::EmergencyAccess,
            EventKind::ReferralReceived => Self::ReferralReceived,
            EventKind::ReferralDecided => Self::ReferralDecided,
            EventKind::LeadAgencyDeactivated => Self::LeadAgencyDeactivated,
            EventKind::AgencyDeactivated => Self::AgencyDeactivated,
            EventKind::DisclosureRequested => Self::DisclosureRequested,
            EventKind::DisclosureDecided => Self::DisclosureDecided,
            EventKind::CaseClosed => Self::CaseClosed,
            EventKind::CaseReopened => Self::CaseReopened,
            EventKind::AssessmentStarted => Self::AssessmentStarted,
            EventKind::ContributionRequested => Self::ContributionRequested,
            EventKind::ContributionRecorded => Self::ContributionRecorded,
            EventKind::AssessmentCompleted => Self::AssessmentCompleted,
            EventKind::LegalHoldPlaced => Self::LegalHoldPlaced,
            EventKind::LegalHoldReleased => Self::LegalHoldReleased,
            EventKind::PlanAmended => Self::PlanAmended,
            EventKind::ActionAmended => Self::ActionAmended,
            EventKind::CaseTeamChanged => return None,
        })
    }
}
