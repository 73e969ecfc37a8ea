//! Break-glass access (DESIGN §5.4): read-only, 24 hours, audited, the lead agency told.

use entity::access_grants;
use entity::enums::InvolvementRole;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::children::{facts, involvements_of};
use super::outbox::{self, Event, EventKind};
use super::{Caller, new_id, tx};
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
    let subject = Subject {
        action: "REQUEST_EMERGENCY_ACCESS",
        entity_type: "AccessGrant",
        entity_id: None,
        child_id: Some(child_id),
    };
    let Some(child) = entity::children::Entity::find_by_id(child_id)
        .one(db)
        .await?
    else {
        audit::denial(db, caller, subject, "no such child").await?;
        return Err(ApiError::NotFound);
    };
    let team = involvements_of(db, child.id).await?;
    if let Err(error) = policy::ensure_can_request_emergency_access(
        &caller.actor,
        &facts(db, child.id, &team).await?,
    ) {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    let reason = reason.trim();
    if reason.chars().count() < MIN_REASON {
        return Err(ApiError::validation(
            "reason",
            format!("must be at least {MIN_REASON} characters"),
        ));
    }
    let lead = team
        .iter()
        .find(|inv| inv.ended_on.is_none() && inv.role == InvolvementRole::Lead)
        .map(|inv| inv.agency_id);
    let txn = tx::begin(db).await?;
    let grant = access_grants::Entity::insert(access_grants::ActiveModel {
        id: Set(new_id()),
        child_id: Set(child.id),
        agency_id: Set(caller.actor.agency_id),
        subject: Set(caller.actor.subject.clone()),
        reason: Set(reason.to_owned()),
        expires_at: Set(caller.now + chrono::Duration::hours(GRANT_HOURS)),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    })
    .exec_with_returning(&*txn)
    .await?;
    audit::mutation(
        &*txn,
        caller,
        Subject {
            entity_id: Some(grant.id),
            ..subject
        },
    )
    .await?;
    let event = Event {
        kind: EventKind::EmergencyAccess,
        plan_id: None,
        child_id: Some(child.id),
        audience: lead.into_iter().collect(),
        summary: "Emergency read access was granted to an agency outside the case team".into(),
        payload: json!({ "childId": child.id, "grantId": grant.id, "agencyId": caller.actor.agency_id, "expiresAt": grant.expires_at }),
    };
    outbox::record(&*txn, caller, event).await?;
    txn.commit().await?;
    Ok(grant)
}

/// A grant for `node(id:)`: its holder, or a caller who may read its child.
pub async fn read_node(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<access_grants::Model>> {
    let Some(grant) = access_grants::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(super::children::read_node(db, caller, grant.child_id)
        .await?
        .map(|_| grant))
}
