//! `amendReferral`: the referring agency corrects what it said, or when; the `REFERRAL`
//! chronology entry `referChild` wrote with the same text and time follows, with a
//! history row of its own, in the same transaction.

use chrono::{DateTime, Utc};
use entity::enums::{AuditOutcome, ChronologyKind};
use entity::{chronology_entries, referrals};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::super::{Replaced, changed, enum_name, reason, record_version};
use super::{ids_json, object};
use crate::domain::audit::{self, AuditAction, EntityType, Target};
use crate::domain::op::{Operation, Write};
use crate::domain::versioned::{Versioned, check};
use crate::domain::{
    Caller, bounds, changes, referrals as referral_records, required_text, visible,
};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// What `amendReferral` takes: absent means unchanged.
#[derive(Clone, Debug, Default)]
pub struct ReferralChanges {
    /// The referral.
    pub referral_id: Uuid,
    /// Why the child was referred, the referral's own `reason`.
    pub referral_reason: Option<String>,
    /// When the referral was made.
    pub referred_at: Option<DateTime<Utc>>,
    /// Why the record is corrected.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// A referral's amendable fields, in the order `Referral` lists them. The decision is
/// the lead agency's, and is not among them.
const REFERRAL_FIELDS: [&str; 2] = ["reason", "referredAt"];

/// A chronology entry's amendable fields, as `amendChronologyEntry` names them, so that
/// the entry's history reads the same whichever mutation changed it.
const ENTRY_FIELDS: [&str; 4] = ["occurredAt", "sensitivity", "summary", "sharedWith"];

/// A referral's amendable fields, by GraphQL name.
fn referral_snapshot(r: &referrals::Model) -> Map<String, Value> {
    object(json!({
        "reason": r.reason,
        "referredAt": r.referred_at,
    }))
}

/// A chronology entry's user-facing fields, by GraphQL name: the snapshot
/// `amendChronologyEntry` keeps, which `entry_history` reads the sensitivity from.
fn entry_snapshot(e: &chronology_entries::Model) -> Map<String, Value> {
    object(json!({
        "occurredAt": e.occurred_at,
        "summary": e.summary,
        "sensitivity": enum_name(&e.sensitivity),
        "sharedWith": ids_json(&e.shared_with.0),
    }))
}

const REFERRAL: Versioned<referrals::Entity> = Versioned {
    id: referrals::Column::Id,
    version: referrals::Column::Version,
    updated_at: referrals::Column::UpdatedAt,
    version_of: |r| r.version,
};

const ENTRY: Versioned<chronology_entries::Entity> = Versioned {
    id: chronology_entries::Column::Id,
    version: chronology_entries::Column::Version,
    updated_at: chronology_entries::Column::UpdatedAt,
    version_of: |e| e.version,
};

/// The referral with `changes` applied, checked as `referChild` checks it; a referral
/// already decided was made before its decision.
fn apply(
    current: &referrals::Model,
    changes: &ReferralChanges,
    now: DateTime<Utc>,
) -> ApiResult<referrals::Model> {
    let mut amended = current.clone();
    if let Some(text) = &changes.referral_reason {
        amended.reason = required_text("referralReason", text, referral_records::MAX_TEXT)?;
    }
    if let Some(at) = changes.referred_at {
        bounds::ensure_past_event("referredAt", at, now)?;
        if current.decided_at.is_some_and(|decided| at > decided) {
            return Err(ApiError::validation(
                "referredAt",
                "must not be after the referral was decided",
            ));
        }
        amended.referred_at = at;
    }
    Ok(amended)
}

/// `amendReferral`: a case role of the agency that made a referral corrects its reason
/// or the time it was made, whether or not that agency is on the child's case team (a
/// referrer of a known child never is). The replaced values go to the referral's
/// history, and the `REFERRAL` chronology entry follows.
#[tracing::instrument(skip_all, fields(referral_id = %changes.referral_id))]
pub async fn amend_referral(
    db: &DatabaseConnection,
    caller: &Caller,
    changes: ReferralChanges,
) -> ApiResult<referrals::Model> {
    let target = Target::row(EntityType::Referral, changes.referral_id);
    let op = Operation::new(db, caller, AuditAction::AmendReferral, target);
    // Visible to its referring agency and to whoever may read its child; a miss is
    // audited by the read, as for `decideReferral`.
    let Some(current) = referral_records::read_audited(db, caller, changes.referral_id).await?
    else {
        return Err(ApiError::NotFound);
    };
    let op = op.on(Target::for_child(target.entity, current.child_id).with_id(current.id));
    op.authorize(policy::ensure_can_amend_referral(
        &caller.actor,
        current.referring_agency_id,
    ))
    .await?;
    let why = reason(&changes.reason)?;
    let amended = apply(&current, &changes, caller.now())?;
    let before = referral_snapshot(&current);
    let changed_fields = changed(&REFERRAL_FIELDS, &before, &referral_snapshot(&amended));
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(changes.expected_version, current.version)?;
    if amended.referred_at < current.referred_at {
        let visible = visible::child(db, caller, current.child_id).await?;
        op.authorize(policy::ensure_can_move_referral_earlier(visible.is_some()))
            .await?;
    }
    let mut write = op.begin().await?;
    if amended.referred_at < current.referred_at {
        ensure_no_later_milestone(&write, &current, amended.referred_at).await?;
    }
    let saved = REFERRAL
        .save(
            write.txn(),
            current.id,
            changes.expected_version,
            caller.now(),
            referrals::ActiveModel {
                reason: Set(amended.reason.clone()),
                referred_at: Set(amended.referred_at),
                ..Default::default()
            },
        )
        .await?;
    record_version(
        &write,
        Replaced {
            entity: EntityType::Referral,
            entity_id: current.id,
            child_id: current.child_id,
            version: current.version,
            snapshot: before,
            changed_fields: changed_fields.clone(),
            reason: &why,
        },
    )
    .await?;
    keep_entry_in_step(&write, &current, &saved, &why).await?;
    write.audit_reason(&format!("changed {}", changed_fields.join(", ")));
    write.audit_diff::<referrals::Entity>(&current, &saved);
    write.commit().await?;
    Ok(saved)
}

/// Refuses moving a referral back past a decision or a completed assessment already
/// recorded for the child: the referral's deadlines are met by the first such entry after
/// it, so the move would meet them with another referral's milestone.
async fn ensure_no_later_milestone(
    write: &Write<'_>,
    current: &referrals::Model,
    moved_to: DateTime<Utc>,
) -> ApiResult<()> {
    let between = chronology_entries::Entity::find()
        .filter(chronology_entries::Column::ChildId.eq(current.child_id))
        .filter(chronology_entries::Column::Kind.is_in([
            ChronologyKind::ReferralDecision,
            ChronologyKind::AssessmentCompleted,
        ]))
        .filter(chronology_entries::Column::OccurredAt.gte(moved_to))
        .filter(chronology_entries::Column::OccurredAt.lt(current.referred_at))
        .filter(chronology_entries::Column::EnteredInErrorAt.is_null())
        .count(write.txn())
        .await?;
    if between > 0 {
        return Err(ApiError::validation(
            "referredAt",
            "must not move before a referral decision or completed assessment already recorded for the child",
        ));
    }
    Ok(())
}

/// The `REFERRAL` entry `referChild` wrote for `referral`: the one its agency's
/// practitioner recorded for the child in the same transaction (so at the same instant).
/// Two referrals of the child by the same practitioner in one request share that
/// instant; then neither entry is taken (each keeps what it says, corrected on its own).
async fn entry_of(
    write: &Write<'_>,
    referral: &referrals::Model,
) -> ApiResult<Option<chronology_entries::Model>> {
    let mut found = chronology_entries::Entity::find()
        .filter(chronology_entries::Column::ChildId.eq(referral.child_id))
        .filter(chronology_entries::Column::Kind.eq(ChronologyKind::Referral))
        .filter(chronology_entries::Column::AgencyId.eq(referral.referring_agency_id))
        .filter(chronology_entries::Column::RecordedBy.eq(referral.referred_by.as_str()))
        .filter(chronology_entries::Column::CreatedAt.eq(referral.created_at))
        .order_by_asc(chronology_entries::Column::Id)
        .limit(2)
        .all(write.txn())
        .await?;
    Ok(match found.len() {
        1 => found.pop(),
        _ => None,
    })
}

/// Brings the referral's `REFERRAL` entry in step: its summary takes the new reason,
/// and its time the new `referredAt` (the referral decision deadline runs from it),
/// each only where the entry still says what the referral said. An entry corrected on
/// its own since (`amendChronologyEntry`), or marked entered in error, keeps what its
/// recording agency made it say.
async fn keep_entry_in_step(
    write: &Write<'_>,
    before: &referrals::Model,
    after: &referrals::Model,
    why: &str,
) -> ApiResult<()> {
    let Some(found) = entry_of(write, before).await? else {
        return Ok(());
    };
    // A disclosure decision sharing the entry, and `amendChronologyEntry`, write it under
    // this lock; read it again under it.
    write.lock(&format!("disclosure:{}", found.id)).await?;
    let Some(entry) = chronology_entries::Entity::find_by_id(found.id)
        .one(write.txn())
        .await?
    else {
        return Ok(());
    };
    if entry.entered_in_error_at.is_some() {
        return Ok(());
    }
    let mut next = entry.clone();
    if entry.summary == before.reason {
        next.summary = after.reason.clone();
    }
    if entry.occurred_at == before.referred_at {
        next.occurred_at = after.referred_at;
    }
    let snapshot = entry_snapshot(&entry);
    let changed_fields = changed(&ENTRY_FIELDS, &snapshot, &entry_snapshot(&next));
    if changed_fields.is_empty() {
        return Ok(());
    }
    let caller = write.caller();
    let saved = ENTRY
        .save(
            write.txn(),
            entry.id,
            entry.version,
            caller.now(),
            chronology_entries::ActiveModel {
                summary: Set(next.summary.clone()),
                occurred_at: Set(next.occurred_at),
                ..Default::default()
            },
        )
        .await
        .map_err(|error| match error {
            // Only a write that does not take the lock (`markEnteredInError`) can get
            // here first; the whole amendment rolls back, and the client reads again.
            ApiError::Conflict { .. } => ApiError::Conflict {
                current_version: before.version,
            },
            other => other,
        })?;
    record_version(
        write,
        Replaced {
            entity: EntityType::ChronologyEntry,
            entity_id: entry.id,
            child_id: entry.child_id,
            version: entry.version,
            snapshot,
            changed_fields: changed_fields.clone(),
            reason: why,
        },
    )
    .await?;
    let target = Target::for_child(EntityType::ChronologyEntry, entry.child_id).with_id(entry.id);
    audit::record_changes(
        write.txn(),
        caller,
        AuditAction::AmendChronologyEntry,
        target,
        AuditOutcome::Allowed,
        Some(&format!(
            "changed {} with referral {}",
            changed_fields.join(", "),
            before.id
        )),
        &changes::diff::<chronology_entries::Entity>(&entry, &saved),
    )
    .await?;
    if saved.occurred_at != entry.occurred_at {
        write.deadlines_changed(entry.child_id);
    }
    Ok(())
}
