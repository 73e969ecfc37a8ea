//! Break-glass access (`docs/access.md`): read-only, 24 hours, audited, the lead agency told.

use entity::access_grants;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::json;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::case;
use super::op::Operation;
use super::outbox::{Event, EventKind};
use super::{Caller, new_id, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// How long a grant lasts.
pub const GRANT_HOURS: i64 = 24;
/// The shortest acceptable reason.
pub const MIN_REASON: usize = 20;

/// `requestEmergencyAccess`: a case role off the case team gets 24 hours' read access.
#[tracing::instrument(skip_all, fields(%child_id))]
pub async fn request(
    db: &DatabaseConnection,
    caller: &Caller,
    child_id: Uuid,
    reason: &str,
) -> ApiResult<access_grants::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::RequestEmergencyAccess,
        Target::for_child(EntityType::AccessGrant, child_id),
    );
    let case = case::existing(&op, child_id).await?;
    op.authorize(policy::ensure_can_request_emergency_access(
        &caller.actor,
        &case.facts,
    ))
    .await?;
    let reason = super::required_text("reason", reason, 2000)?;
    if reason.chars().count() < MIN_REASON {
        return Err(ApiError::validation(
            "reason",
            format!("must be at least {MIN_REASON} characters"),
        ));
    }
    let lead = case.lead_agency();
    let child = case.child;
    let mut write = op.begin().await?;
    let grant = access_grants::Entity::insert(access_grants::ActiveModel {
        id: Set(new_id()),
        child_id: Set(child.id),
        agency_id: Set(caller.actor.agency_id),
        subject: Set(caller.actor.subject.clone()),
        reason: Set(reason),
        expires_at: Set(caller.now() + chrono::Duration::hours(GRANT_HOURS)),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec_with_returning(write.txn())
    .await?;
    write.audit_row(grant.id);
    write.audit_created::<access_grants::Entity>(&grant);
    let event = Event {
        kind: EventKind::EmergencyAccess,
        plan_id: None,
        child_id: Some(child.id),
        audience: lead.into_iter().collect(),
        summary: "Emergency read access was granted to an agency outside the case team".into(),
        payload: json!({ "childId": child.id, "grantId": grant.id, "agencyId": caller.actor.agency_id, "expiresAt": grant.expires_at }),
    };
    write.emit(event).await?;
    write.commit().await?;
    Ok(grant)
}

/// A grant for `node(id:)`: visible to those who may read its child (audited).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<access_grants::Model>> {
    visible::read_through_child_audited::<access_grants::Entity>(
        db,
        caller,
        EntityType::AccessGrant,
        id,
        |grant| grant.child_id,
    )
    .await
}
