//! The access rules of `docs/access.md`, in one place.
//!
//! Every access question is a pure function of the actor and the facts, and the same
//! rules are also given as SQL conditions (`scope`), so that lists are filtered in the
//! database.
//! Resolvers and services ask here; they never decide access themselves.

use chrono::{DateTime, Utc};
use entity::enums::{ActionKind, AgencyKind, InvolvementRole};
use entity::{access_grants, involvements};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::Query;
use uuid::Uuid;

use crate::auth::{Actor, Role};
use crate::error::{ApiError, ApiResult};

/// The two sectors whose actions need each other's consultation (`docs/product.md`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Sector {
    /// Police, youth justice, secure estate.
    Justice,
    /// Everyone else.
    Welfare,
}

/// The sector an agency kind belongs to.
pub fn sector(kind: AgencyKind) -> Sector {
    match kind {
        AgencyKind::Police | AgencyKind::YouthJustice | AgencyKind::SecureEstate => Sector::Justice,
        _ => Sector::Welfare,
    }
}

/// Whether the actor works cases (practitioner, agency lead or coordinator).
pub fn has_case_role(actor: &Actor) -> bool {
    actor.has(Role::Practitioner) || actor.has(Role::AgencyLead) || actor.has(Role::Coordinator)
}

/// What the policy needs to know about one child to decide a read.
#[derive(Clone, Debug, Default)]
pub struct ChildFacts {
    /// Agencies with an active involvement.
    pub active_agencies: Vec<Uuid>,
    /// Unexpired-or-not emergency grants: (subject, agency, expiry).
    pub grants: Vec<(String, Uuid, DateTime<Utc>)>,
}

impl ChildFacts {
    /// Collects the facts from a child's involvements and grants.
    pub fn from_rows(
        involvements: &[involvements::Model],
        grants: &[access_grants::Model],
    ) -> Self {
        Self {
            active_agencies: involvements
                .iter()
                .filter(|inv| inv.ended_on.is_none())
                .map(|inv| inv.agency_id)
                .collect(),
            grants: grants
                .iter()
                .map(|g| (g.subject.clone(), g.agency_id, g.expires_at))
                .collect(),
        }
    }
}

/// Whether the actor's own agency is on the child's case team.
pub fn on_case_team(actor: &Actor, facts: &ChildFacts) -> bool {
    facts.active_agencies.contains(&actor.agency_id)
}

/// `docs/access.md`: a case role and an active involvement of the actor's agency, or an
/// unexpired grant to this actor.
pub fn can_read_child(actor: &Actor, facts: &ChildFacts, now: DateTime<Utc>) -> bool {
    has_case_role(actor)
        && (on_case_team(actor, facts)
            || facts.grants.iter().any(|(subject, agency, expires)| {
                *subject == actor.subject && *agency == actor.agency_id && *expires > now
            }))
}

/// Managing agencies is the system administrator's.
pub fn ensure_can_manage_agencies(actor: &Actor) -> ApiResult<()> {
    require(
        actor.has(Role::SystemAdmin),
        "only a system administrator may manage agencies",
    )
}

/// Registering a child is a coordinator's.
pub fn ensure_can_register_child(actor: &Actor) -> ApiResult<()> {
    require(
        actor.has(Role::Coordinator),
        "only a coordinator may register a child",
    )
}

/// Listing children needs a case role.
pub fn ensure_can_list_children(actor: &Actor) -> ApiResult<()> {
    require(
        has_case_role(actor),
        "this role has no access to case records",
    )
}

/// `docs/access.md`: a coordinator adds any agency to a case team it is on; an agency lead
/// adds its own agency. Either way the actor's agency must be on the team: an
/// emergency grant never gives write access.
pub fn ensure_can_add_involvement(
    actor: &Actor,
    facts: &ChildFacts,
    agency_id: Uuid,
) -> ApiResult<()> {
    let by_role = actor.has(Role::Coordinator)
        || (actor.has(Role::AgencyLead) && agency_id == actor.agency_id);
    require(
        by_role,
        "only a coordinator, or an agency lead for their own agency, may add to a case team",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// The lead agency of a child: the one whose active involvement is `LEAD`. Every
/// question about "the lead agency" is answered here.
pub fn lead_agency(team: &[involvements::Model]) -> Option<Uuid> {
    team.iter()
        .find(|inv| inv.ended_on.is_none() && inv.role == InvolvementRole::Lead)
        .map(|inv| inv.agency_id)
}

/// Only one active `LEAD` per child.
pub fn lead_is_free(team: &[involvements::Model]) -> bool {
    lead_agency(team).is_none()
}

/// The children whose case team `agency` is on (an active involvement), as a subquery
/// selecting `child_id`.
pub fn case_team_children(agency: Uuid) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(involvements::Column::ChildId)
        .from(involvements::Entity)
        .and_where(involvements::Column::AgencyId.eq(agency))
        .and_where(involvements::Column::EndedOn.is_null())
        .to_owned()
}

/// What an agency is on right now: the plans it may read and its case teams' children.
///
/// The subscription relays keep one per agency with subscribers, shared by all of them,
/// and reload it when the outbox says the agency's memberships changed (see `events`).
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Plans visible to the agency ([`visible_plans`]).
    pub plans: std::collections::HashSet<Uuid>,
    /// Children whose case team the agency is on.
    pub children: std::collections::HashSet<Uuid>,
}

impl Reach {
    /// Whether an event about `plan_id` / `child_id`, addressed to `audience`, reaches
    /// `agency` with this reach: its plan is one of the agency's, it is addressed to the
    /// agency, or (an event about a child and no plan) the agency is on the child's case
    /// team. The agency-level half of [`can_receive_event`].
    pub fn admits(
        &self,
        agency: Uuid,
        plan_id: Option<Uuid>,
        child_id: Option<Uuid>,
        audience: &[Uuid],
    ) -> bool {
        plan_id.is_some_and(|plan| self.plans.contains(&plan))
            || audience.contains(&agency)
            || (plan_id.is_none() && child_id.is_some_and(|child| self.children.contains(&child)))
    }
}

/// `docs/access.md`, `docs/integrating.md`: an event reaches a case role whose agency can read its plan now,
/// that it is addressed to, or (for an event about a child and no plan) whose agency is
/// on the child's case team. Checked again at every delivery.
pub fn can_receive_event(
    actor: &Actor,
    reach: &Reach,
    plan_id: Option<Uuid>,
    child_id: Option<Uuid>,
    audience: &[Uuid],
) -> bool {
    has_case_role(actor) && reach.admits(actor.agency_id, plan_id, child_id, audience)
}

/// Working a case (recording, referring into, planning) needs a case role and the
/// actor's agency on the case team: an emergency grant is read-only.
pub fn ensure_can_work_case(actor: &Actor, facts: &ChildFacts) -> ApiResult<()> {
    require(
        has_case_role(actor),
        "this role has no access to case records",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// `docs/product.md`: the lead agency decides a referral, by an agency lead or coordinator
/// whose agency is on the case team.
pub fn ensure_can_decide_referral(
    actor: &Actor,
    facts: &ChildFacts,
    lead: Option<Uuid>,
) -> ApiResult<()> {
    require(
        (actor.has(Role::AgencyLead) || actor.has(Role::Coordinator))
            && lead == Some(actor.agency_id),
        "only an agency lead or coordinator of the lead agency may decide a referral",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// Any case role: referrals and the known-child check.
pub fn ensure_case_role(actor: &Actor) -> ApiResult<()> {
    require(
        has_case_role(actor),
        "this role has no access to case records",
    )
}

/// `docs/access.md`: an agency lead (or coordinator) ends their own agency's involvement; a
/// coordinator on the team ends any.
pub fn ensure_can_end_involvement(
    actor: &Actor,
    facts: &ChildFacts,
    agency_id: Uuid,
) -> ApiResult<()> {
    let by_role = actor.has(Role::Coordinator)
        || (actor.has(Role::AgencyLead) && agency_id == actor.agency_id);
    require(
        by_role,
        "only a coordinator, or an agency lead for their own agency, may end an involvement",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// `docs/access.md`: an involvement is corrected by its own agency (its coordinator or
/// agency lead), or by a coordinator of the child's lead agency, which keeps the case
/// record (an ended partner's too); on the case team. Another partner may end an
/// involvement, never rewrite it.
pub fn ensure_can_amend_involvement(
    actor: &Actor,
    facts: &ChildFacts,
    agency_id: Uuid,
    lead: Option<Uuid>,
) -> ApiResult<()> {
    require(
        agency_id == actor.agency_id
            || (actor.has(Role::Coordinator) && lead == Some(actor.agency_id)),
        "only the agency whose involvement it is, or the child's lead agency, may correct it",
    )?;
    ensure_can_end_involvement(actor, facts, agency_id)
}

/// `docs/product.md`: closing a child's case is for a coordinator of the child's lead
/// agency, whose agency is on the case team.
pub fn ensure_can_close_case(
    actor: &Actor,
    facts: &ChildFacts,
    lead: Option<Uuid>,
) -> ApiResult<()> {
    require(
        actor.has(Role::Coordinator) && lead == Some(actor.agency_id),
        "only a coordinator of the child's lead agency may close the case",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// Whether the actor is an agency lead or coordinator of `agency`.
fn leads_for(actor: &Actor, agency: Uuid) -> bool {
    (actor.has(Role::AgencyLead) || actor.has(Role::Coordinator)) && actor.agency_id == agency
}

/// `docs/access.md`: an assessment of a child is started by an agency lead or coordinator
/// of the child's lead agency, on the case team.
pub fn ensure_can_start_assessment(
    actor: &Actor,
    facts: &ChildFacts,
    lead: Option<Uuid>,
) -> ApiResult<()> {
    require(
        lead.is_some_and(|lead| leads_for(actor, lead)),
        "only an agency lead or coordinator of the child's lead agency may start an assessment",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// `docs/access.md`: contributions are asked for, and the assessment completed, by an
/// agency lead or coordinator of the agency leading the assessment, on the case team.
pub fn ensure_can_run_assessment(
    actor: &Actor,
    facts: &ChildFacts,
    assessment_lead: Uuid,
) -> ApiResult<()> {
    require(
        leads_for(actor, assessment_lead),
        "only an agency lead or coordinator of the agency leading the assessment may do this",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// `docs/access.md`: a contribution is given by a case role of the agency asked for it,
/// while that agency is on the case team.
pub fn ensure_can_contribute(
    actor: &Actor,
    facts: &ChildFacts,
    contributing_agency: Uuid,
) -> ApiResult<()> {
    require(
        has_case_role(actor) && actor.agency_id == contributing_agency,
        "only the agency asked for this contribution may give it",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// `docs/access.md`: a child's identity and flags are corrected by an agency lead or
/// coordinator of the child's lead agency, on the case team.
pub fn ensure_can_update_child(
    actor: &Actor,
    facts: &ChildFacts,
    lead: Option<Uuid>,
) -> ApiResult<()> {
    require(
        (actor.has(Role::AgencyLead) || actor.has(Role::Coordinator))
            && lead == Some(actor.agency_id),
        "only an agency lead or coordinator of the child's lead agency may correct the child's record",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// `docs/access.md`: a behaviour or chronology entry is amended (or marked entered in
/// error) by a case role of the agency that recorded it, on the case team.
pub fn ensure_can_amend_entry(
    actor: &Actor,
    facts: &ChildFacts,
    recording_agency: Uuid,
) -> ApiResult<()> {
    require(
        has_case_role(actor) && actor.agency_id == recording_agency,
        "only the agency that recorded the entry may amend it",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// `docs/access.md`: a referral is corrected by a case role of the agency that made it,
/// on the case team or not: the referrer of a child the partnership already knew sees
/// its referral, never the child.
pub fn ensure_can_amend_referral(actor: &Actor, referring_agency: Uuid) -> ApiResult<()> {
    require(
        has_case_role(actor) && actor.agency_id == referring_agency,
        "only the agency that made the referral may amend it",
    )
}

/// Moving a referral earlier is refused when it would cross a decision or a completed
/// assessment in the child's chronology; whether it would is part of the child's record.
/// So only an agency that may read the child moves a referral earlier: a referrer outside
/// the case team corrects the reason, or moves the time later, and could otherwise learn
/// the dates of the child's milestones by trying.
pub fn ensure_can_move_referral_earlier(child_visible: bool) -> ApiResult<()> {
    require(
        child_visible,
        "only an agency that can read the child may move its referral earlier; ask the child's lead agency",
    )
}

/// What the policy needs to know about one plan.
#[derive(Clone, Debug)]
pub struct PlanFacts {
    /// The plan's lead agency.
    pub lead_agency: Uuid,
    /// Its current member agencies.
    pub members: Vec<Uuid>,
}

/// A coordinator whose agency is on the case team creates a plan, which it then leads.
pub fn ensure_can_create_plan(actor: &Actor, facts: &ChildFacts) -> ApiResult<()> {
    require(
        actor.has(Role::Coordinator),
        "only a coordinator may create a joint plan",
    )?;
    require(on_case_team(actor, facts), "emergency access is read-only")
}

/// Running a plan (members, activation, reviews, closing) is for a coordinator of its
/// lead agency.
pub fn ensure_can_run_plan(actor: &Actor, plan: &PlanFacts) -> ApiResult<()> {
    require(
        actor.has(Role::Coordinator) && actor.agency_id == plan.lead_agency,
        "only a coordinator of the plan's lead agency may do this",
    )
}

/// `docs/access.md`: a plan member's case role adds and moves its own agency's actions; a
/// coordinator of the lead agency does so for any member.
pub fn ensure_can_handle_action(actor: &Actor, plan: &PlanFacts, assigned: Uuid) -> ApiResult<()> {
    let member = plan.members.contains(&actor.agency_id) && has_case_role(actor);
    let own = assigned == actor.agency_id;
    let runs_plan = actor.has(Role::Coordinator) && actor.agency_id == plan.lead_agency;
    require(
        member && (own || runs_plan),
        "only the assigned agency or the plan's lead coordinator may do this",
    )
}

/// Consultations are answered by an agency lead or coordinator of the consulted agency.
pub fn ensure_can_answer_consultation(actor: &Actor, consulted: Uuid) -> ApiResult<()> {
    require(
        (actor.has(Role::AgencyLead) || actor.has(Role::Coordinator))
            && actor.agency_id == consulted,
        "only an agency lead or coordinator of the consulted agency may answer",
    )
}

/// `docs/access.md`: asking for a restricted entry's content is working the case: a case
/// role whose agency is on the case team (an emergency grant is read-only).
pub fn ensure_can_request_disclosure(actor: &Actor, facts: &ChildFacts) -> ApiResult<()> {
    ensure_can_work_case(actor, facts)
}

/// `docs/access.md`: a disclosure request is decided by an agency lead or coordinator of
/// the agency that recorded the entry.
pub fn ensure_can_decide_disclosure(actor: &Actor, recording_agency: Uuid) -> ApiResult<()> {
    require(
        (actor.has(Role::AgencyLead) || actor.has(Role::Coordinator))
            && actor.agency_id == recording_agency,
        "only an agency lead or coordinator of the recording agency may decide",
    )
}

/// `docs/access.md`: a disclosure request is seen by case roles of the agency that asked
/// and of the agency that recorded the entry, and by no one else.
pub fn can_see_disclosure_request(
    actor: &Actor,
    requesting_agency: Uuid,
    recording_agency: Uuid,
) -> bool {
    has_case_role(actor)
        && (actor.agency_id == requesting_agency || actor.agency_id == recording_agency)
}

/// Only a coordinator (of the plan's lead agency) overrides a consultation.
pub fn ensure_can_override(actor: &Actor, plan: &PlanFacts) -> ApiResult<()> {
    require(
        actor.has(Role::Coordinator) && actor.agency_id == plan.lead_agency,
        "only a coordinator of the plan's lead agency may override a consultation",
    )
}

/// Break-glass is for a case role whose agency is not on the case team.
pub fn ensure_can_request_emergency_access(actor: &Actor, facts: &ChildFacts) -> ApiResult<()> {
    require(
        has_case_role(actor),
        "this role has no access to case records",
    )?;
    if on_case_team(actor, facts) {
        return Err(ApiError::validation(
            "childId",
            "your agency is already on the case team",
        ));
    }
    Ok(())
}

/// A late reason comes from a case role of the answerable agency, or a coordinator of
/// the lead agency, on the case team.
pub fn ensure_can_explain_deadline(
    actor: &Actor,
    facts: &ChildFacts,
    responsible: Option<Uuid>,
    lead: Option<Uuid>,
) -> ApiResult<()> {
    ensure_can_work_case(actor, facts)?;
    let answerable = responsible == Some(actor.agency_id);
    let lead_coordinator = actor.has(Role::Coordinator) && lead == Some(actor.agency_id);
    require(
        answerable || lead_coordinator,
        "only the answerable agency or the lead coordinator may explain a deadline",
    )
}

/// The audit log is the auditor's.
pub fn ensure_auditor(actor: &Actor) -> ApiResult<()> {
    require(
        actor.has(Role::Auditor),
        "only an auditor may read the audit log",
    )
}

/// `docs/subject-access.md`: exporting a child's whole record (a subject access request)
/// is information governance's, for any child, and nobody else's.
pub fn ensure_can_export(actor: &Actor) -> ApiResult<()> {
    require(
        actor.has(Role::InformationGovernance),
        "only information governance may export a child's record",
    )
}

/// `docs/access.md`: legal holds are placed and released by information governance, on
/// any existing child, and by nobody else.
pub fn ensure_can_manage_legal_holds(actor: &Actor) -> ApiResult<()> {
    require(
        actor.has(Role::InformationGovernance),
        "only information governance may place or release a legal hold",
    )
}

/// `docs/access.md`: a child's legal holds are seen by information governance and by the
/// case roles of the child's lead agency.
pub fn can_see_legal_holds(actor: &Actor, lead: Option<Uuid>) -> bool {
    actor.has(Role::InformationGovernance)
        || (has_case_role(actor) && lead == Some(actor.agency_id))
}

/// The strategic report is the analyst's.
pub fn ensure_analyst(actor: &Actor) -> ApiResult<()> {
    require(
        actor.has(Role::StrategicAnalyst),
        "only a strategic analyst may read the report",
    )
}

/// `docs/product.md`: the sector an action of this kind must consult, if any.
pub fn sector_to_consult(kind: ActionKind) -> Option<Sector> {
    match kind {
        ActionKind::PoliceInvestigationStep
        | ActionKind::ChargingDecision
        | ActionKind::CourtProceeding => Some(Sector::Welfare),
        ActionKind::PlacementChange | ActionKind::EducationChange => Some(Sector::Justice),
        _ => None,
    }
}

fn require(allowed: bool, message: &str) -> ApiResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(message))
    }
}

mod content;
#[cfg(test)]
mod matrix;
mod scope;
#[cfg(test)]
mod tests;

pub use content::{RestrictedContent, can_read_content, can_see_affected_identity};
pub use scope::{
    on_case_team_of, visible_child_id, visible_child_ids, visible_children, visible_plans,
};
