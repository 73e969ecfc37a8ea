//! The Relay `Node` interface and `node(id:)`.

use async_graphql::{Context, ID, Interface, Object};

use super::action::{Consultation, PlanAction};
use super::agency::Agency;
use super::assessment::{Assessment, AssessmentContribution, AssessmentNeed};
use super::audit::AuditEvent;
use super::behaviour::Behaviour;
use super::child::Child;
use super::chronology::ChronologyEntry;
use super::deadline::Deadline;
use super::disclosure::DisclosureRequest;
use super::grant::AccessGrant;
use super::involvement::Involvement;
use super::plan::{JointPlan, PlanMember, PlanReview};
use super::referral::Referral;
use super::{caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Anything with an opaque global id, which `node(id:)` fetches again.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The opaque global id; `node(id:)` fetches the object again by it."
))]
pub enum Node {
    /// An agency.
    Agency(Agency),
    /// A child.
    Child(Child),
    /// An involvement.
    Involvement(Involvement),
    /// A behaviour.
    Behaviour(Behaviour),
    /// A chronology entry.
    ChronologyEntry(ChronologyEntry),
    /// A joint plan.
    JointPlan(JointPlan),
    /// A plan member.
    PlanMember(PlanMember),
    /// A plan action.
    PlanAction(PlanAction),
    /// A consultation.
    Consultation(Consultation),
    /// A plan review.
    PlanReview(PlanReview),
    /// An emergency access grant.
    AccessGrant(AccessGrant),
    /// A referral.
    Referral(Referral),
    /// An audit event (auditors only).
    AuditEvent(AuditEvent),
    /// A deadline.
    Deadline(Deadline),
    /// A disclosure request.
    DisclosureRequest(DisclosureRequest),
    /// A joint assessment.
    Assessment(Assessment),
    /// An agency's contribution to an assessment.
    AssessmentContribution(AssessmentContribution),
    /// A need an assessment identified.
    AssessmentNeed(AssessmentNeed),
    /// A legal hold on a child's record.
    LegalHold(super::legal_hold::LegalHold),
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by global id, under the caller's access; `null` when it does not exist
    /// or the caller may not see it (the two are indistinguishable).
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id, as an `id` field returned it.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let caller = caller(ctx)?;
        let db = db(ctx)?;
        if let Ok((deadline, child)) = ids::decode_pair(&id, "Deadline", "id") {
            let config = super::config(ctx)?;
            return match domain::deadlines::find(db, caller, config, child, deadline).await {
                Ok((_, noted)) => Ok(Some(Node::Deadline(Deadline(noted)))),
                Err(crate::error::ApiError::NotFound) => Ok(None),
                Err(error) => Err(error).gql(),
            };
        }
        let Some((kind, uuid)) = ids::decode(&id) else {
            return Ok(None);
        };
        resolve(ctx, &kind, uuid).await
    }
}

/// The object of type `kind` with id `uuid` as `node(id:)` finds it: through the same
/// policy, with the same audit, `None` when missing or not visible. Deadlines, whose ids
/// are pairs, are not found here.
pub async fn resolve(
    ctx: &Context<'_>,
    kind: &str,
    uuid: uuid::Uuid,
) -> async_graphql::Result<Option<Node>> {
    let caller = caller(ctx)?;
    let db = db(ctx)?;
    Ok(match kind {
        "Agency" => match domain::agencies::get(db, uuid).await {
            Ok(agency) => Some(Node::Agency(Agency(agency))),
            Err(crate::error::ApiError::NotFound) => None,
            Err(error) => return Err(error).gql(),
        },
        "Child" => domain::children::read_node_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|c| Node::Child(Child(c))),
        "Involvement" => domain::involvements::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|i| Node::Involvement(Involvement(i))),
        "Behaviour" => match domain::behaviours::read_audited(db, caller, uuid)
            .await
            .gql()?
        {
            Some(model) => Some(Node::Behaviour(Behaviour::for_caller(ctx, model).await?)),
            None => None,
        },
        "ChronologyEntry" => match domain::chronology::read_audited(db, caller, uuid)
            .await
            .gql()?
        {
            Some(model) => Some(Node::ChronologyEntry(
                ChronologyEntry::for_caller(ctx, model).await?,
            )),
            None => None,
        },
        "JointPlan" => domain::plans::read_node_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|p| Node::JointPlan(JointPlan(p))),
        "PlanMember" => domain::plan_members::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|m| Node::PlanMember(PlanMember(m))),
        "PlanReview" => domain::plans::read_review_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|r| Node::PlanReview(PlanReview(r))),
        "PlanAction" => domain::actions::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|a| Node::PlanAction(PlanAction(a))),
        "Consultation" => domain::consultations::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|c| Node::Consultation(Consultation(c))),
        "AccessGrant" => domain::grants::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|g| Node::AccessGrant(AccessGrant(g))),
        "Referral" => domain::referrals::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|r| Node::Referral(Referral(r))),
        "DisclosureRequest" => domain::disclosures::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|r| Node::DisclosureRequest(DisclosureRequest(r))),
        "Assessment" => domain::assessments::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|a| Node::Assessment(Assessment(a))),
        "AssessmentContribution" => {
            match domain::assessments::contributions::read_audited(db, caller, uuid)
                .await
                .gql()?
            {
                Some(row) => {
                    let lead = super::lead_agency_id(ctx, row.child_id).await?;
                    Some(Node::AssessmentContribution(AssessmentContribution(
                        crate::domain::masked::Masked::for_caller(caller, row, lead),
                    )))
                }
                None => None,
            }
        }
        "AssessmentNeed" => domain::assessments::needs::read_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|n| Node::AssessmentNeed(AssessmentNeed(n))),
        "AuditEvent" => domain::audit_log::read_node_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|e| Node::AuditEvent(AuditEvent(e))),
        "LegalHold" => domain::legal_holds::read_node_audited(db, caller, uuid)
            .await
            .gql()?
            .map(|h| Node::LegalHold(super::legal_hold::LegalHold(h))),
        _ => None,
    })
}
