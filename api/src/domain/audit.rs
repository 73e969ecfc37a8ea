//! The audit log (DESIGN §5.5): reads of children, denials and mutations.

use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::{Caller, new_id};
use crate::error::ApiResult;

/// What an audit row is about.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    /// `READ_CHILD`, `REGISTER_CHILD`, …
    pub action: &'a str,
    /// `Child`, `Agency`, …
    pub entity_type: &'a str,
    /// The row concerned, when there is one.
    pub entity_id: Option<Uuid>,
    /// The child concerned, for the per-child access report.
    pub child_id: Option<Uuid>,
}

/// One audit row for `caller`.
pub fn row(
    caller: &Caller,
    subject: Subject<'_>,
    outcome: AuditOutcome,
    reason: Option<String>,
) -> audit_events::ActiveModel {
    let actor = &caller.actor;
    audit_events::ActiveModel {
        id: Set(new_id()),
        occurred_at: Set(caller.now),
        actor_subject: Set(actor.subject.clone()),
        actor_agency_id: Set(Some(actor.agency_id)),
        actor_agency_code: Set(Some(actor.agency_code.clone())),
        actor_roles: Set(actor.roles_text()),
        action: Set(subject.action.to_owned()),
        entity_type: Set(subject.entity_type.to_owned()),
        entity_id: Set(subject.entity_id),
        child_id: Set(subject.child_id),
        outcome: Set(outcome),
        reason: Set(reason),
        request_id: Set(Some(caller.request_id.clone())),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    }
}

/// Records an allowed mutation, inside the mutation's own transaction.
pub async fn mutation<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    subject: Subject<'_>,
) -> ApiResult<()> {
    audit_events::Entity::insert(row(caller, subject, AuditOutcome::Allowed, None))
        .exec(db)
        .await?;
    Ok(())
}

/// Records an allowed mutation with its reason (an override), in its transaction.
pub async fn mutation_with_reason<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    subject: Subject<'_>,
    reason: &str,
) -> ApiResult<()> {
    audit_events::Entity::insert(row(
        caller,
        subject,
        AuditOutcome::Allowed,
        Some(reason.to_owned()),
    ))
    .exec(db)
    .await?;
    Ok(())
}

/// Records a refusal.
pub async fn denial<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    subject: Subject<'_>,
    reason: &str,
) -> ApiResult<()> {
    audit_events::Entity::insert(row(
        caller,
        subject,
        AuditOutcome::Denied,
        Some(reason.to_owned()),
    ))
    .exec(db)
    .await?;
    Ok(())
}

/// Records reads of these children, once per child per request.
pub async fn child_reads<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[Uuid],
) -> ApiResult<()> {
    let fresh = caller.first_reads(ids);
    if fresh.is_empty() {
        return Ok(());
    }
    let rows = fresh.into_iter().map(|id| {
        let subject = Subject {
            action: "READ_CHILD",
            entity_type: "Child",
            entity_id: Some(id),
            child_id: Some(id),
        };
        row(caller, subject, AuditOutcome::Allowed, None)
    });
    audit_events::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}
