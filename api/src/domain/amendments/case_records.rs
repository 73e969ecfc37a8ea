//! Corrections with history of the case records users write besides entries: an
//! involvement (`amendInvolvement`), a referral (`amendReferral`, which keeps its
//! `REFERRAL` chronology entry in step) and an assessment contribution answered again
//! (`contributeToAssessment`, whose replaced answer is kept here).

use chrono::NaiveDate;
use entity::enums::ContributionStatus;
use entity::{assessment_contributions, involvements};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{Replaced, changed, enum_name, reason, record_version};
use crate::domain::audit::{AuditAction, EntityType, Target};
use crate::domain::op::{Operation, Write};
use crate::domain::versioned::{Versioned, check};
use crate::domain::{Caller, bounds, case, optional_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;

mod referral;

pub use referral::{ReferralChanges, amend_referral};

/// The longest named practitioner, as `addInvolvement` takes it.
const MAX_PRACTITIONER: usize = 100;
/// The longest reason for an involvement, as `addInvolvement` takes it.
const MAX_INVOLVEMENT_REASON: usize = 2_000;

/// What `amendInvolvement` takes: absent means unchanged, and an empty text clears it.
#[derive(Clone, Debug, Default)]
pub struct InvolvementChanges {
    /// The involvement.
    pub involvement_id: Uuid,
    /// The agency's named practitioner (empty clears it).
    pub lead_practitioner: Option<String>,
    /// The day the agency joined the case team.
    pub started_on: Option<NaiveDate>,
    /// Why the agency is involved, the involvement's own `reason` (empty clears it).
    pub involvement_reason: Option<String>,
    /// Why the record is corrected.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// An involvement's amendable fields, in the order `Involvement` lists them. Its role and
/// agency are not among them: a wrong agency or role is ended and added again, which is
/// what the case team's access follows.
const INVOLVEMENT_FIELDS: [&str; 3] = ["leadPractitioner", "startedOn", "reason"];

/// A contribution's answer, in the order `AssessmentContribution` lists it.
const CONTRIBUTION_FIELDS: [&str; 6] = [
    "sensitivity",
    "concerns",
    "strengths",
    "level",
    "sources",
    "sharedWith",
];

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn ids_json(ids: &[Uuid]) -> Value {
    Value::Array(ids.iter().map(|id| Value::String(id.to_string())).collect())
}

/// An involvement's user-facing amendable fields, by GraphQL name.
fn involvement_snapshot(i: &involvements::Model) -> Map<String, Value> {
    object(json!({
        "leadPractitioner": i.lead_practitioner,
        "startedOn": i.started_on,
        "reason": i.reason,
    }))
}

/// A contribution's answer, by GraphQL name (with when it was given, for the reader of
/// the history); agencies by id, as `amendments::snapshot_shared_with` reads them.
fn contribution_snapshot(c: &assessment_contributions::Model) -> Map<String, Value> {
    object(json!({
        "sensitivity": enum_name(&c.sensitivity),
        "concerns": c.concerns,
        "strengths": c.strengths,
        "level": c.level.as_ref().map(enum_name),
        "sources": c.sources,
        "sharedWith": ids_json(&c.shared_with.0),
        "contributedAt": c.contributed_at,
    }))
}

/// A text that may be cleared: trimmed, empty meaning none, refused when too long.
fn clearable(field: &str, value: &str, max: usize) -> ApiResult<Option<String>> {
    if value.trim().chars().count() > max {
        return Err(ApiError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(optional_text(Some(value.to_owned())))
}

/// The involvement with `changes` applied. A start day is a past day, as the day
/// `addInvolvement` records is; it is never before the child was born nor after the
/// involvement ended.
fn apply_involvement(
    current: &involvements::Model,
    changes: &InvolvementChanges,
    born: NaiveDate,
    today: NaiveDate,
) -> ApiResult<involvements::Model> {
    let mut amended = current.clone();
    if let Some(name) = &changes.lead_practitioner {
        amended.lead_practitioner = clearable("leadPractitioner", name, MAX_PRACTITIONER)?;
    }
    if let Some(why) = &changes.involvement_reason {
        amended.reason = clearable("involvementReason", why, MAX_INVOLVEMENT_REASON)?;
    }
    if let Some(day) = changes.started_on
        && day != current.started_on
    {
        bounds::ensure_past_day("startedOn", day, today)?;
        if day < born {
            return Err(ApiError::validation(
                "startedOn",
                "must not be before the child's date of birth",
            ));
        }
        if current.ended_on.is_some_and(|ended| day > ended) {
            return Err(ApiError::validation(
                "startedOn",
                "must not be after the involvement ended",
            ));
        }
        amended.started_on = day;
    }
    Ok(amended)
}

const INVOLVEMENT: Versioned<involvements::Entity> = Versioned {
    id: involvements::Column::Id,
    version: involvements::Column::Version,
    updated_at: involvements::Column::UpdatedAt,
    version_of: |i| i.version,
};

/// `amendInvolvement`: whoever may end an involvement (a coordinator on the case team,
/// or an agency lead for their own agency) corrects its named practitioner, start day or
/// reason; the replaced values go to its history with the reason.
#[tracing::instrument(skip_all, fields(involvement_id = %changes.involvement_id))]
pub async fn amend_involvement(
    db: &DatabaseConnection,
    caller: &Caller,
    changes: InvolvementChanges,
) -> ApiResult<involvements::Model> {
    let target = Target::row(EntityType::Involvement, changes.involvement_id);
    let op = Operation::new(db, caller, AuditAction::AmendInvolvement, target);
    let Some(current) = involvements::Entity::find_by_id(changes.involvement_id)
        .one(db)
        .await?
    else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let op = op.on(Target::for_child(target.entity, current.child_id).with_id(current.id));
    let case = case::visible(&op, current.child_id).await?;
    op.authorize(policy::ensure_can_amend_involvement(
        &caller.actor,
        &case.facts,
        current.agency_id,
        case.lead_agency(),
    ))
    .await?;
    let why = reason(&changes.reason)?;
    let amended = apply_involvement(
        &current,
        &changes,
        case.child.date_of_birth,
        caller.now().date_naive(),
    )?;
    let before = involvement_snapshot(&current);
    let changed_fields = changed(
        &INVOLVEMENT_FIELDS,
        &before,
        &involvement_snapshot(&amended),
    );
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(changes.expected_version, current.version)?;
    let mut write = op.begin().await?;
    let saved = INVOLVEMENT
        .save(
            write.txn(),
            current.id,
            changes.expected_version,
            caller.now(),
            involvements::ActiveModel {
                lead_practitioner: Set(amended.lead_practitioner.clone()),
                started_on: Set(amended.started_on),
                reason: Set(amended.reason.clone()),
                ..Default::default()
            },
        )
        .await?;
    record_version(
        &write,
        Replaced {
            entity: EntityType::Involvement,
            entity_id: current.id,
            child_id: current.child_id,
            version: current.version,
            snapshot: before,
            changed_fields: changed_fields.clone(),
            reason: &why,
        },
    )
    .await?;
    write.audit_reason(&format!("changed {}", changed_fields.join(", ")));
    write.audit_diff::<involvements::Entity>(&current, &saved);
    // No deadline, retention rule or access decision reads these fields (the case team's
    // access follows the agency, its role and whether it ended), so the stored deadlines
    // stay as they are.
    write.commit().await?;
    Ok(saved)
}

/// A given contribution answered again: the answer it replaces, the fields that change
/// and why.
pub(crate) struct ContributionAmendment {
    before: Map<String, Value>,
    changed_fields: Vec<String>,
    reason: String,
}

/// Checks answering `current` again with `answer`: `None` for a first answer, which
/// takes no reason (one given is not kept); for a given contribution, the reason (10 to
/// 2,000 characters) and at least one changed field are required.
pub(crate) fn contribution_amendment(
    current: &assessment_contributions::Model,
    answer: &assessment_contributions::Model,
    reason_given: Option<&str>,
) -> ApiResult<Option<ContributionAmendment>> {
    if current.status != ContributionStatus::Contributed {
        return Ok(None);
    }
    let why = reason(reason_given.unwrap_or_default())?;
    let before = contribution_snapshot(current);
    let changed_fields = changed(
        &CONTRIBUTION_FIELDS,
        &before,
        &contribution_snapshot(answer),
    );
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    Ok(Some(ContributionAmendment {
        before,
        changed_fields,
        reason: why,
    }))
}

/// Keeps the answer a contribution's amendment replaced in its history, in the
/// operation's transaction, and names the changed fields on its audit row.
pub(crate) async fn record_contribution_version(
    write: &mut Write<'_>,
    current: &assessment_contributions::Model,
    amendment: ContributionAmendment,
) -> ApiResult<()> {
    record_version(
        write,
        Replaced {
            entity: EntityType::AssessmentContribution,
            entity_id: current.id,
            child_id: current.child_id,
            version: current.version,
            snapshot: amendment.before,
            changed_fields: amendment.changed_fields.clone(),
            reason: &amendment.reason,
        },
    )
    .await?;
    write.audit_reason(&format!("changed {}", amendment.changed_fields.join(", ")));
    Ok(())
}
