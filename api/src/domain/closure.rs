//! A case that closes and reopens (`docs/product.md`).
//!
//! `closeCase` ends the case team except its lead, marks the child `CLOSED`, records
//! `CASE_CLOSED` (which stops the child's open deadlines) and tells the case team. A new
//! referral or behaviour for a closed child reopens it inside that operation's
//! transaction ([`reopen_if_closed`]): the child is `OPEN` again with its lead agency on
//! the team, `CASE_REOPENED` is recorded, and the former case team's agencies are told
//! that the child is known again, without being given access to the record.

use std::collections::BTreeSet;

use entity::enums::{ChildStatus, ChronologyKind, InvolvementRole, PlanStatus, Sensitivity};
use entity::{children, involvements, joint_plans};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::chronology::{self, NewEntry};
use super::involvements::{NewInvolvement, insert_involvement};
use super::op::{Operation, Write};
use super::outbox::{Event, EventKind};
use super::versioned::{self, Versioned};
use super::{Caller, case, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;

const CHILD: Versioned<children::Entity> = Versioned {
    id: children::Column::Id,
    version: children::Column::Version,
    updated_at: children::Column::UpdatedAt,
    version_of: |child| child.version,
};

/// The longest closing reason.
const MAX_REASON: usize = 2000;

/// What a new referral or behaviour reopens a case with, for its chronology entry.
#[derive(Copy, Clone, Debug)]
pub enum Reopening {
    /// A new referral of the child.
    Referral,
    /// A new behaviour recorded for the child.
    Behaviour,
}

impl Reopening {
    /// How the audit log names it.
    fn name(self) -> &'static str {
        match self {
            Self::Referral => "REFERRAL",
            Self::Behaviour => "BEHAVIOUR",
        }
    }

    fn summary(self) -> &'static str {
        match self {
            Self::Referral => "The case was reopened by a new referral",
            Self::Behaviour => "The case was reopened by a newly recorded behaviour",
        }
    }
}

/// `closeCase`: a coordinator of the lead agency closes the child's case once every joint
/// plan is closed and no assessment is in progress.
#[tracing::instrument(skip_all, fields(%child_id))]
pub async fn close(
    db: &DatabaseConnection,
    caller: &Caller,
    child_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> ApiResult<children::Model> {
    let op = Operation::new(db, caller, AuditAction::CloseCase, Target::child(child_id));
    let case = case::visible(&op, child_id).await?;
    op.authorize(policy::ensure_can_close_case(
        &caller.actor,
        &case.facts,
        case.lead_agency(),
    ))
    .await?;
    let reason = required_text("reason", reason, MAX_REASON)?;
    versioned::check(expected_version, case.child.version)?;
    if case.child.status == ChildStatus::Closed {
        return Err(ApiError::validation(
            "childId",
            "the case is already closed",
        ));
    }
    let mut write = op.begin().await?;
    // The same order as plan creation (plan, then case team), so neither waits on the other.
    write.lock(&format!("plan:{child_id}")).await?;
    write.lock(&format!("case-team:{child_id}")).await?;
    let open_plans = joint_plans::Entity::find()
        .filter(joint_plans::Column::ChildId.eq(child_id))
        .filter(joint_plans::Column::Status.ne(PlanStatus::Closed))
        .count(write.txn())
        .await?;
    let mut open = Vec::new();
    if open_plans > 0 {
        open.push(format!("{open_plans} joint plan(s) not closed"));
    }
    if super::assessments::in_progress(write.txn(), child_id).await? {
        open.push("an assessment in progress".to_owned());
    }
    if !open.is_empty() {
        return Err(ApiError::validation(
            "childId",
            format!("the case cannot close with {}", open.join(" and ")),
        ));
    }
    let changes = children::ActiveModel {
        status: Set(ChildStatus::Closed),
        ..Default::default()
    };
    let saved = CHILD
        .save(
            write.txn(),
            child_id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<children::Entity>(&case.child, &saved);
    let team = case::involvements_of(write.txn(), child_id).await?;
    let told: Vec<Uuid> = team
        .iter()
        .filter(|inv| inv.ended_on.is_none())
        .map(|inv| inv.agency_id)
        .collect();
    for inv in team
        .iter()
        .filter(|inv| inv.ended_on.is_none() && inv.role != InvolvementRole::Lead)
    {
        end_involvement(&write, inv, &reason).await?;
    }
    chronology::insert(
        &write,
        NewEntry {
            child_id,
            behaviour_id: None,
            kind: ChronologyKind::CaseClosed,
            occurred_at: caller.now(),
            summary: reason.clone(),
            sensitivity: Sensitivity::Standard,
            shared_with: vec![],
        },
    )
    .await?;
    write
        .emit(Event {
            kind: EventKind::CaseClosed,
            plan_id: None,
            child_id: Some(child_id),
            audience: told,
            summary: "A child's case was closed".into(),
            payload: json!({ "childId": child_id }),
        })
        .await?;
    write.deadlines_changed(child_id);
    write.audit_reason(&reason);
    write.commit().await?;
    Ok(saved)
}

/// Ends one involvement as the case closes, audited as `END_INVOLVEMENT`.
async fn end_involvement(
    write: &Write<'_>,
    inv: &involvements::Model,
    reason: &str,
) -> ApiResult<()> {
    let ended_on = Some(write.caller().now().date_naive());
    let end_reason = Some(format!("case closed: {reason}"));
    // The end reason carries the closing reason, which the chronology keeps as an
    // entry's summary: recorded only as changed, as that summary would be.
    let changes = super::changes::Changes::new()
        .field("endedOn", &inv.ended_on, &ended_on)
        .restricted("endReason", &inv.end_reason, &end_reason)
        .into_vec();
    involvements::Entity::update_many()
        .set(involvements::ActiveModel {
            ended_on: Set(ended_on),
            end_reason: Set(end_reason),
            version: Set(inv.version + 1),
            updated_at: Set(write.caller().now()),
            ..Default::default()
        })
        .filter(involvements::Column::Id.eq(inv.id))
        .exec(write.txn())
        .await?;
    write.emit(Event::case_team_changed(inv.agency_id)).await?;
    super::changes::record_also(
        write,
        AuditAction::EndInvolvement,
        Target::for_child(EntityType::Involvement, inv.child_id).with_id(inv.id),
        &changes,
    )
    .await
}

/// Reopens `child_id` if its case is closed, inside the operation (a referral or a
/// behaviour) that brings it back; returns whether it did. Audited as `REOPEN_CASE`.
pub async fn reopen_if_closed(write: &Write<'_>, child_id: Uuid, by: Reopening) -> ApiResult<bool> {
    write.lock(&format!("case-team:{child_id}")).await?;
    let Some(child) = children::Entity::find_by_id(child_id)
        .one(write.txn())
        .await?
    else {
        return Ok(false);
    };
    if child.status != ChildStatus::Closed {
        return Ok(false);
    }
    let caller = write.caller();
    let reopened = CHILD
        .save(
            write.txn(),
            child.id,
            child.version,
            caller.now(),
            children::ActiveModel {
                status: Set(ChildStatus::Open),
                ..Default::default()
            },
        )
        .await?;
    let team = case::involvements_of(write.txn(), child.id).await?;
    let lead = match policy::lead_agency(&team) {
        Some(lead) => Some(lead),
        None => restore_lead(write, &team).await?,
    };
    let active: BTreeSet<Uuid> = team
        .iter()
        .filter(|inv| inv.ended_on.is_none())
        .map(|inv| inv.agency_id)
        .chain(lead)
        .collect();
    let former: BTreeSet<Uuid> = team
        .iter()
        .map(|inv| inv.agency_id)
        .filter(|agency| !active.contains(agency))
        .collect();
    chronology::insert(
        write,
        NewEntry {
            child_id: child.id,
            behaviour_id: None,
            kind: ChronologyKind::CaseReopened,
            occurred_at: caller.now(),
            summary: by.summary().into(),
            sensitivity: Sensitivity::Standard,
            shared_with: vec![],
        },
    )
    .await?;
    write
        .emit(Event {
            kind: EventKind::CaseReopened,
            plan_id: None,
            child_id: Some(child.id),
            audience: former.into_iter().chain(lead).collect(),
            summary: "A child your agency worked with is known to the partnership again".into(),
            payload: json!({ "childId": child.id }),
        })
        .await?;
    write.deadlines_changed(child.id);
    // What changed, on the `REOPEN_CASE` row: the child's status, and what reopened it.
    let mut changes = super::changes::diff::<children::Entity>(&child, &reopened);
    changes.push(super::changes::Change::created("reopenedBy", by.name()));
    super::changes::record_also(
        write,
        AuditAction::ReopenCase,
        Target::child(child.id),
        &changes,
    )
    .await?;
    Ok(true)
}

/// Puts the last lead agency back on as lead when the case has none (its involvement was
/// ended since the case closed), audited as `ADD_INVOLVEMENT`.
async fn restore_lead(write: &Write<'_>, team: &[involvements::Model]) -> ApiResult<Option<Uuid>> {
    let Some(last) = team
        .iter()
        .filter(|inv| inv.role == InvolvementRole::Lead)
        .max_by_key(|inv| (inv.ended_on, inv.id))
    else {
        return Ok(None);
    };
    let involvement = NewInvolvement {
        agency_id: last.agency_id,
        role: InvolvementRole::Lead,
        lead_practitioner: None,
        reason: Some("the lead agency, back on as the case reopened".into()),
    };
    let saved = insert_involvement(write.txn(), write.caller(), last.child_id, involvement).await?;
    super::changes::record_also(
        write,
        AuditAction::AddInvolvement,
        Target::for_child(EntityType::Involvement, saved.child_id).with_id(saved.id),
        &super::changes::created::<involvements::Entity>(&saved),
    )
    .await?;
    Ok(Some(saved.agency_id))
}
