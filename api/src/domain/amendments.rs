//! Corrections with history (`docs/product.md`): a record is never silently overwritten.
//! `updateChild`, `amendBehaviour`, `amendChronologyEntry` and the amendments of the other
//! records users write (`plans`: plans, actions, reviews; `case_records`: involvements,
//! referrals, contributions) keep every replaced version in `record_versions` (who, when,
//! why, which fields, the old values), written in the same transaction as the change;
//! `markEnteredInError` strikes an entry through without removing it.
//! Involvements, referrals and assessment contributions are corrected the same way
//! (`case_records`).

mod case_records;
mod entries;
mod plans;

use chrono::NaiveDate;
use entity::record_versions::{self, FieldNames};
use entity::{children, enums::Sensitivity};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

pub use case_records::{InvolvementChanges, ReferralChanges, amend_involvement, amend_referral};
pub(crate) use case_records::{contribution_amendment, record_contribution_version};
pub use entries::{
    AmendedBehaviour, BehaviourChanges, EntryChanges, EntryKind, Marked, amend_behaviour,
    amend_chronology_entry, mark_entered_in_error,
};
pub use plans::{
    ActionChanges, PlanChanges, ReviewChanges, amend_joint_plan, amend_plan_action,
    amend_plan_review,
};

use super::audit::{AuditAction, EntityType, Target};
use super::op::{Operation, Write};
use super::versioned::{Versioned, check};
use super::{Caller, case, identifiers, new_id, optional_text, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::timescales::dates;

/// The shortest reason a correction takes, in characters.
pub const MIN_REASON: usize = 10;
/// The longest reason a correction takes, in characters.
pub const MAX_REASON: usize = 2_000;

/// Checks a correction's reason: 10 to 2,000 characters once trimmed.
pub fn reason(value: &str) -> ApiResult<String> {
    let value = required_text("reason", value, MAX_REASON)?;
    if value.chars().count() < MIN_REASON {
        return Err(ApiError::validation(
            "reason",
            format!("must be at least {MIN_REASON} characters"),
        ));
    }
    Ok(value)
}

/// The stored name of an enum value (its GraphQL name).
fn enum_name<E: ActiveEnum<Value = String>>(value: &E) -> String {
    value.to_value()
}

/// The fields of `order` whose values differ between two snapshots, in that order.
fn changed(order: &[&str], before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<String> {
    order
        .iter()
        .filter(|name| before.get(**name) != after.get(**name))
        .map(|name| (*name).to_owned())
        .collect()
}

/// A child's corrected fields, in the order `Child` lists them.
const CHILD_FIELDS: [&str; 10] = [
    "givenName",
    "familyName",
    "dateOfBirth",
    "gender",
    "nhsNumber",
    "uniquePupilNumber",
    "localAuthorityRef",
    "policeRef",
    "send",
    "lookedAfter",
];

/// What a history row records about the replaced version.
pub(crate) struct Replaced<'a> {
    pub entity: EntityType,
    pub entity_id: Uuid,
    pub child_id: Uuid,
    pub version: i32,
    pub snapshot: Map<String, Value>,
    pub changed_fields: Vec<String>,
    pub reason: &'a str,
}

/// Writes the history row of a replaced version, in the operation's transaction.
pub(crate) async fn record_version(write: &Write<'_>, replaced: Replaced<'_>) -> ApiResult<()> {
    let caller = write.caller();
    record_versions::Entity::insert(record_versions::ActiveModel {
        id: Set(new_id()),
        entity_type: Set(replaced.entity.name().to_owned()),
        entity_id: Set(replaced.entity_id),
        child_id: Set(replaced.child_id),
        version: Set(replaced.version),
        snapshot: Set(Value::Object(replaced.snapshot)),
        changed_fields: Set(FieldNames(replaced.changed_fields)),
        reason: Set(replaced.reason.to_owned()),
        amended_by: Set(caller.actor.subject.clone()),
        amended_by_agency_id: Set(caller.actor.agency_id),
        amended_at: Set(caller.now()),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec(write.txn())
    .await?;
    Ok(())
}

/// Every earlier version of the records `ids`, oldest first, for the request's loader.
pub async fn history_of<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> ApiResult<Vec<record_versions::Model>> {
    Ok(record_versions::Entity::find()
        .filter(record_versions::Column::EntityId.is_in(ids.iter().copied()))
        .order_by_asc(record_versions::Column::EntityId)
        .order_by_asc(record_versions::Column::Version)
        .order_by_asc(record_versions::Column::Id)
        .all(db)
        .await?)
}

/// The sensitivity a snapshot recorded (`STANDARD` when it names none).
pub fn snapshot_sensitivity(version: &record_versions::Model) -> Sensitivity {
    match version.snapshot.get("sensitivity").and_then(Value::as_str) {
        Some("RESTRICTED") => Sensitivity::Restricted,
        _ => Sensitivity::Standard,
    }
}

/// The agencies a snapshot recorded as `sharedWith`.
pub fn snapshot_shared_with(version: &record_versions::Model) -> Vec<Uuid> {
    version
        .snapshot
        .get("sharedWith")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .filter_map(|id| Uuid::parse_str(id).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// What `updateChild` takes: every field but the reason and version is optional, and
/// absent means unchanged. An empty identifier or reference clears it.
#[derive(Clone, Debug, Default)]
pub struct ChildChanges {
    /// The child.
    pub child_id: Uuid,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Gender as recorded.
    pub gender: Option<String>,
    /// NHS number (empty clears it).
    pub nhs_number: Option<String>,
    /// Unique pupil number (empty clears it).
    pub unique_pupil_number: Option<String>,
    /// Local authority reference (empty clears it).
    pub local_authority_ref: Option<String>,
    /// Police reference (empty clears it).
    pub police_ref: Option<String>,
    /// Special educational needs.
    pub send: Option<bool>,
    /// In the care of the local authority.
    pub looked_after: Option<bool>,
    /// Why.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// A child's user-facing fields, by GraphQL name.
fn child_snapshot(child: &children::Model) -> Map<String, Value> {
    let Value::Object(map) = json!({
        "givenName": child.given_name,
        "familyName": child.family_name,
        "dateOfBirth": child.date_of_birth,
        "gender": child.gender,
        "nhsNumber": child.nhs_number,
        "uniquePupilNumber": child.unique_pupil_number,
        "localAuthorityRef": child.local_authority_ref,
        "policeRef": child.police_ref,
        "send": child.send,
        "lookedAfter": child.looked_after,
    }) else {
        return Map::new();
    };
    map
}

/// The child with `changes` applied, each changed field checked as `registerChild`
/// checks it.
fn apply_child(
    current: &children::Model,
    changes: ChildChanges,
    today: NaiveDate,
) -> ApiResult<children::Model> {
    let mut child = current.clone();
    if let Some(name) = changes.given_name {
        child.given_name = required_text("givenName", &name, 100)?;
    }
    if let Some(name) = changes.family_name {
        child.family_name = required_text("familyName", &name, 100)?;
    }
    if let Some(gender) = changes.gender {
        child.gender = required_text("gender", &gender, 50)?;
    }
    if let Some(born) = changes.date_of_birth
        && born != current.date_of_birth
    {
        super::bounds::ensure_past_day("dateOfBirth", born, today)?;
        if born > today {
            return Err(ApiError::validation(
                "dateOfBirth",
                "must not be in the future",
            ));
        }
        if !dates::is_under(born, 18, today) {
            return Err(ApiError::validation(
                "dateOfBirth",
                "the child must be under 18",
            ));
        }
        child.date_of_birth = born;
    }
    if changes.nhs_number.is_some() {
        child.nhs_number = identifiers::parse_nhs_number(changes.nhs_number)?;
    }
    if changes.unique_pupil_number.is_some() {
        child.unique_pupil_number =
            identifiers::parse_unique_pupil_number(changes.unique_pupil_number)?;
    }
    for (value, field, target) in [
        (
            changes.local_authority_ref,
            "localAuthorityRef",
            &mut child.local_authority_ref,
        ),
        (changes.police_ref, "policeRef", &mut child.police_ref),
    ] {
        if let Some(value) = value {
            if value.chars().count() > 100 {
                return Err(ApiError::validation(
                    field,
                    "must be at most 100 characters",
                ));
            }
            *target = optional_text(Some(value));
        }
    }
    if let Some(send) = changes.send {
        child.send = send;
    }
    if let Some(looked_after) = changes.looked_after {
        child.looked_after = looked_after;
    }
    child.match_key =
        super::children::match_key(&child.family_name, &child.given_name, child.date_of_birth);
    Ok(child)
}

const CHILD: Versioned<children::Entity> = Versioned {
    id: children::Column::Id,
    version: children::Column::Version,
    updated_at: children::Column::UpdatedAt,
    version_of: |child| child.version,
};

/// `updateChild`: the child's lead agency corrects the child's identity or flags; the
/// replaced values go to the child's history with the reason.
#[tracing::instrument(skip_all, fields(child_id = %changes.child_id))]
pub async fn update_child(
    db: &DatabaseConnection,
    caller: &Caller,
    changes: ChildChanges,
) -> ApiResult<children::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::UpdateChild,
        Target::child(changes.child_id),
    );
    let case = case::visible(&op, changes.child_id).await?;
    op.authorize(policy::ensure_can_update_child(
        &caller.actor,
        &case.facts,
        case.lead_agency(),
    ))
    .await?;
    let current = case.child;
    let why = reason(&changes.reason)?;
    let expected = changes.expected_version;
    let updated = apply_child(&current, changes, caller.now().date_naive())?;
    let (before, after) = (child_snapshot(&current), child_snapshot(&updated));
    let changed_fields = changed(&CHILD_FIELDS, &before, &after);
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(expected, current.version)?;
    let mut write = op.begin().await?;
    // A registration or referral of the same identity at the same moment must not both
    // pass the uniqueness check.
    super::referrals::lock_identity(&write, &updated).await?;
    let identifier_field = if updated.nhs_number != current.nhs_number {
        "nhsNumber"
    } else {
        "uniquePupilNumber"
    };
    let changes = children::ActiveModel {
        given_name: Set(updated.given_name.clone()),
        family_name: Set(updated.family_name.clone()),
        date_of_birth: Set(updated.date_of_birth),
        gender: Set(updated.gender.clone()),
        nhs_number: Set(updated.nhs_number.clone()),
        unique_pupil_number: Set(updated.unique_pupil_number.clone()),
        local_authority_ref: Set(updated.local_authority_ref.clone()),
        police_ref: Set(updated.police_ref.clone()),
        send: Set(updated.send),
        looked_after: Set(updated.looked_after),
        match_key: Set(updated.match_key.clone()),
        ..Default::default()
    };
    let saved = CHILD
        .save(write.txn(), current.id, expected, caller.now(), changes)
        .await
        .map_err(|error| match error {
            ApiError::Database(error) => ApiError::unique(
                error,
                identifier_field,
                "a child with this identifier is already registered",
            ),
            other => other,
        })?;
    record_version(
        &write,
        Replaced {
            entity: EntityType::Child,
            entity_id: current.id,
            child_id: current.id,
            version: current.version,
            snapshot: before,
            changed_fields: changed_fields.clone(),
            reason: &why,
        },
    )
    .await?;
    write.audit_reason(&format!("changed {}", changed_fields.join(", ")));
    write.audit_diff::<children::Entity>(&current, &saved);
    // The child's age decides deadlines' frameworks and the flags their records.
    write.deadlines_changed(current.id);
    write.commit().await?;
    Ok(saved)
}
