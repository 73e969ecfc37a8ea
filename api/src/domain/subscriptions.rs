//! Who may open a stream of events (`docs/integrating.md`). Each delivery is checked again by
//! `policy::can_receive_event`; this is the check when the stream starts, audited
//! like every other refusal.

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::op::Operation;
use super::{Caller, visible};
use crate::auth::TokenRefusal;
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// `planEvents(planId)`: the caller's agency must be a member of the plan; otherwise an
/// audited `NOT_FOUND`, as for a plan that does not exist.
pub async fn authorize_plan_events(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
) -> ApiResult<()> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::Subscribe,
        Target::row(EntityType::JointPlan, plan_id),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    ensure_agency_active(db, caller).await?;
    match visible::plan(db, caller, plan_id).await? {
        Some(_) => Ok(()),
        None => Err(op.deny(ApiError::NotFound).await),
    }
}

/// `caseTeamEvents`: any case role; others are refused, audited.
pub async fn authorize_case_team_events(db: &DatabaseConnection, caller: &Caller) -> ApiResult<()> {
    Operation::new(
        db,
        caller,
        AuditAction::Subscribe,
        Target::of(EntityType::PlanEvent),
    )
    .authorize(policy::ensure_case_role(&caller.actor))
    .await?;
    ensure_agency_active(db, caller).await
}

/// A stream opened on a socket whose agency has since been deactivated is refused, as
/// its token would be.
async fn ensure_agency_active(db: &DatabaseConnection, caller: &Caller) -> ApiResult<()> {
    match super::agencies::get(db, caller.actor.agency_id).await {
        Ok(agency) if agency.active => Ok(()),
        Ok(_) => Err(ApiError::Unauthenticated(TokenRefusal::InactiveAgency)),
        Err(ApiError::NotFound) => Err(ApiError::Unauthenticated(TokenRefusal::UnknownAgency)),
        Err(error) => Err(error),
    }
}
