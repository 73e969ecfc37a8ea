//! Legal holds (`docs/product.md`, "Retention and legal hold"): information governance
//! places a hold on a child's record (litigation, a safeguarding practice review, an
//! inquiry) and releases it; while any hold is active the retention run never erases
//! the record. A released hold stays on record. The child's lead agency is told of
//! both, and its case roles see the child's holds.

use entity::enums::{AuditOutcome, LegalHoldKind};
use entity::legal_holds;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, AuditAction, EntityType, Target};
use super::op::Operation;
use super::outbox::{Event, EventKind};
use super::versioned::{self, Versioned};
use super::{Caller, case, new_id, required_text};
use crate::auth::Role;
use crate::error::{ApiError, ApiResult};
use crate::policy;

const HOLD: Versioned<legal_holds::Entity> = Versioned {
    id: legal_holds::Column::Id,
    version: legal_holds::Column::Version,
    updated_at: legal_holds::Column::UpdatedAt,
    version_of: |hold| hold.version,
};

/// The longest reference (a court, review or inquiry reference).
pub const MAX_REFERENCE: usize = 200;
/// The shortest reason.
pub const MIN_REASON: usize = 10;
/// The longest reason.
pub const MAX_REASON: usize = 2000;

/// The lock that serialises holds on a child with the retention run's erasure of it.
pub fn lock_key(child_id: Uuid) -> String {
    format!("legal-hold:{child_id}")
}

/// What `placeLegalHold` asks for.
#[derive(Clone, Debug)]
pub struct NewHold {
    /// The child whose record is held.
    pub child_id: Uuid,
    /// Why, in a word.
    pub kind: LegalHoldKind,
    /// The case, review or inquiry reference.
    pub reference: String,
    /// Why the record must be kept.
    pub reason: String,
}

/// A reason of [`MIN_REASON`] to [`MAX_REASON`] characters, trimmed.
fn reason_text(field: &str, value: &str) -> ApiResult<String> {
    let value = required_text(field, value, MAX_REASON)?;
    if value.chars().count() < MIN_REASON {
        return Err(ApiError::validation(
            field,
            format!("must be at least {MIN_REASON} characters"),
        ));
    }
    Ok(value)
}

/// The event told to the child's lead agency (alone: without a child id the case team
/// is not told).
fn event(kind: EventKind, hold: &legal_holds::Model, lead: Option<Uuid>, summary: &str) -> Event {
    Event {
        kind,
        plan_id: None,
        child_id: None,
        audience: lead.into_iter().collect(),
        summary: summary.into(),
        payload: json!({ "legalHoldId": hold.id }),
    }
}

/// `placeLegalHold`: information governance holds any existing child's record.
#[tracing::instrument(skip_all, fields(child_id = %input.child_id))]
pub async fn place(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewHold,
) -> ApiResult<legal_holds::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::PlaceLegalHold,
        Target::for_child(EntityType::LegalHold, input.child_id),
    );
    op.authorize(policy::ensure_can_manage_legal_holds(&caller.actor))
        .await?;
    let case = case::existing(&op, input.child_id).await?;
    let reference = required_text("reference", &input.reference, MAX_REFERENCE)?;
    let reason = reason_text("reason", &input.reason)?;
    let mut write = op.begin().await?;
    write.lock(&lock_key(input.child_id)).await?;
    // The child may have been erased since it was read.
    if entity::children::Entity::find_by_id(input.child_id)
        .one(write.txn())
        .await?
        .is_none()
    {
        drop(write);
        return Err(op.deny(ApiError::NotFound).await);
    }
    let hold = legal_holds::Model {
        id: new_id(),
        child_id: input.child_id,
        kind: input.kind,
        reference,
        reason,
        placed_by: caller.actor.subject.clone(),
        placed_by_agency_id: caller.actor.agency_id,
        placed_at: caller.now(),
        released_at: None,
        released_by: None,
        release_reason: None,
        version: 1,
        created_at: caller.now(),
        updated_at: caller.now(),
    };
    legal_holds::Entity::insert(legal_holds::ActiveModel::from(hold.clone()))
        .exec(write.txn())
        .await?;
    write.audit_row(hold.id);
    write
        .emit(event(
            EventKind::LegalHoldPlaced,
            &hold,
            case.lead_agency(),
            "A legal hold was placed on a child's record your agency leads",
        ))
        .await?;
    write.commit().await?;
    Ok(hold)
}

/// `releaseLegalHold`: information governance releases an active hold, with a reason;
/// the hold stays on record, released.
#[tracing::instrument(skip_all, fields(%hold_id))]
pub async fn release(
    db: &DatabaseConnection,
    caller: &Caller,
    hold_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> ApiResult<legal_holds::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ReleaseLegalHold,
        Target::row(EntityType::LegalHold, hold_id),
    );
    op.authorize(policy::ensure_can_manage_legal_holds(&caller.actor))
        .await?;
    let Some(hold) = legal_holds::Entity::find_by_id(hold_id).one(db).await? else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let op = op.on(Target::for_child(EntityType::LegalHold, hold.child_id).with_id(hold.id));
    let reason = reason_text("reason", reason)?;
    versioned::check(expected_version, hold.version)?;
    if hold.released_at.is_some() {
        return Err(ApiError::validation(
            "legalHoldId",
            "the hold is already released",
        ));
    }
    let case = case::existing(&op, hold.child_id).await?;
    let write = op.begin().await?;
    write.lock(&lock_key(hold.child_id)).await?;
    let changes = legal_holds::ActiveModel {
        released_at: Set(Some(caller.now())),
        released_by: Set(Some(caller.actor.subject.clone())),
        release_reason: Set(Some(reason)),
        ..Default::default()
    };
    let saved = HOLD
        .save(
            write.txn(),
            hold.id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write
        .emit(event(
            EventKind::LegalHoldReleased,
            &saved,
            case.lead_agency(),
            "A legal hold on a child's record your agency leads was released",
        ))
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// The legal holds of `children`, oldest first, for the request's loader (asked only
/// about children already found visible, and shown only where the policy allows).
pub async fn of_children<C: ConnectionTrait>(
    db: &C,
    children: &[Uuid],
) -> ApiResult<Vec<legal_holds::Model>> {
    Ok(legal_holds::Entity::find()
        .filter(legal_holds::Column::ChildId.is_in(children.iter().copied()))
        .order_by_asc(legal_holds::Column::PlacedAt)
        .order_by_asc(legal_holds::Column::Id)
        .all(db)
        .await?)
}

/// A hold for `node(id:)`: information governance sees every hold; a case role of the
/// child's lead agency, on its case team, sees the child's. Audited either way (a read of
/// the child, or a miss answered like a hold that does not exist).
pub async fn read_node_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<legal_holds::Model>> {
    let hold = legal_holds::Entity::find_by_id(id).one(db).await?;
    let visible = match &hold {
        Some(_) if caller.actor.has(Role::InformationGovernance) => true,
        Some(hold) => match super::visible::child(db, caller, hold.child_id).await? {
            Some(child) => {
                let team = case::involvements_of(db, child.id).await?;
                policy::can_see_legal_holds(&caller.actor, policy::lead_agency(&team))
            }
            None => false,
        },
        None => false,
    };
    match hold {
        Some(hold) if visible => {
            audit::record(
                db,
                caller,
                AuditAction::ReadChild,
                Target::for_child(EntityType::LegalHold, hold.child_id).with_id(hold.id),
                AuditOutcome::Allowed,
                None,
            )
            .await?;
            Ok(Some(hold))
        }
        _ => {
            super::visible::record_miss(db, caller, EntityType::LegalHold, id).await?;
            Ok(None)
        }
    }
}
