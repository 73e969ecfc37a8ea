//! Amending behaviours and chronology entries, and marking them entered in error.

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    AgencyIds, ChronologyKind, ContactType, Continuum, Indicator, Indicators, Sensitivity, Setting,
    TrafficLight,
};
use entity::{behaviours, chronology_entries};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{Replaced, changed, enum_name, reason, record_version};
use crate::domain::agencies::ensure_agencies_exist;
use crate::domain::audit::{AuditAction, EntityType, Target};
use crate::domain::classification::{escalates, needs_rationale, suggested_traffic_light};
use crate::domain::op::Operation;
use crate::domain::versioned::{Versioned, check};
use crate::domain::{Caller, DomainConfig, bounds, case, optional_text, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;

mod marking;

pub use marking::{EntryKind, Marked, mark_entered_in_error};

/// What `amendBehaviour` takes: absent means unchanged.
#[derive(Clone, Debug, Default)]
pub struct BehaviourChanges {
    /// The behaviour.
    pub behaviour_id: Uuid,
    /// When it happened.
    pub occurred_on: Option<NaiveDate>,
    /// When it was disclosed.
    pub disclosed_at: Option<DateTime<Utc>>,
    /// Where.
    pub setting: Option<Setting>,
    /// Contact or not.
    pub contact_type: Option<ContactType>,
    /// What happened.
    pub description: Option<String>,
    /// Hackett continuum.
    pub continuum: Option<Continuum>,
    /// The practitioner's classification.
    pub traffic_light: Option<TrafficLight>,
    /// Observed indicators (the whole list).
    pub indicators: Option<Vec<Indicator>>,
    /// Why the light is lower than the suggestion (empty clears it).
    pub classification_rationale: Option<String>,
    /// Who may read the content.
    pub sensitivity: Option<Sensitivity>,
    /// Agencies a restricted entry is shared with (the whole list).
    pub shared_with: Option<Vec<Uuid>>,
    /// Why.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// What `amendBehaviour` returns.
#[derive(Clone, Debug)]
pub struct AmendedBehaviour {
    /// The behaviour as saved.
    pub behaviour: behaviours::Model,
    /// Whether this amendment escalated the case.
    pub escalated: bool,
}

/// What `amendChronologyEntry` takes: absent means unchanged.
#[derive(Clone, Debug, Default)]
pub struct EntryChanges {
    /// The entry.
    pub entry_id: Uuid,
    /// When it happened.
    pub occurred_at: Option<DateTime<Utc>>,
    /// What happened.
    pub summary: Option<String>,
    /// Who may read the summary.
    pub sensitivity: Option<Sensitivity>,
    /// Agencies a restricted entry is shared with (the whole list).
    pub shared_with: Option<Vec<Uuid>>,
    /// Why.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// A behaviour's amendable fields, in the order `Behaviour` lists them.
const BEHAVIOUR_FIELDS: [&str; 11] = [
    "occurredOn",
    "disclosedAt",
    "trafficLight",
    "sensitivity",
    "setting",
    "contactType",
    "description",
    "continuum",
    "indicators",
    "classificationRationale",
    "sharedWith",
];

/// A chronology entry's amendable fields, in the order `ChronologyEntry` lists them.
const ENTRY_FIELDS: [&str; 4] = ["occurredAt", "sensitivity", "summary", "sharedWith"];

fn ids_json(ids: &[Uuid]) -> Value {
    Value::Array(ids.iter().map(|id| Value::String(id.to_string())).collect())
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A behaviour's user-facing fields, by GraphQL name.
fn behaviour_snapshot(b: &behaviours::Model) -> Map<String, Value> {
    object(json!({
        "occurredOn": b.occurred_on,
        "disclosedAt": b.disclosed_at,
        "setting": enum_name(&b.setting),
        "contactType": enum_name(&b.contact_type),
        "description": b.description,
        "continuum": enum_name(&b.continuum),
        "trafficLight": enum_name(&b.traffic_light),
        "indicators": b.indicators.0.iter().map(enum_name).collect::<Vec<_>>(),
        "classificationRationale": b.classification_rationale,
        "sensitivity": enum_name(&b.sensitivity),
        "sharedWith": ids_json(&b.shared_with.0),
    }))
}

/// A chronology entry's user-facing fields, by GraphQL name.
fn entry_snapshot(e: &chronology_entries::Model) -> Map<String, Value> {
    object(json!({
        "occurredAt": e.occurred_at,
        "summary": e.summary,
        "sensitivity": enum_name(&e.sensitivity),
        "sharedWith": ids_json(&e.shared_with.0),
    }))
}

const BEHAVIOUR: Versioned<behaviours::Entity> = Versioned {
    id: behaviours::Column::Id,
    version: behaviours::Column::Version,
    updated_at: behaviours::Column::UpdatedAt,
    version_of: |b| b.version,
};

const ENTRY: Versioned<chronology_entries::Entity> = Versioned {
    id: chronology_entries::Column::Id,
    version: chronology_entries::Column::Version,
    updated_at: chronology_entries::Column::UpdatedAt,
    version_of: |e| e.version,
};

/// Entries an operation writes as part of a record of its own (an assessment, the case's
/// status): they are corrected through that record, never by hand.
fn is_milestone(kind: ChronologyKind) -> bool {
    matches!(
        kind,
        ChronologyKind::AssessmentStarted
            | ChronologyKind::AssessmentCompleted
            | ChronologyKind::CaseClosed
            | ChronologyKind::CaseReopened
    )
}

fn not_in_error(at: Option<DateTime<Utc>>, field: &str) -> ApiResult<()> {
    match at {
        Some(_) => Err(ApiError::validation(
            field,
            "the entry was marked entered in error and cannot be amended",
        )),
        None => Ok(()),
    }
}

/// The behaviour with `changes` applied and checked as `recordBehaviour` checks it.
async fn apply_behaviour(
    db: &DatabaseConnection,
    caller: &Caller,
    current: &behaviours::Model,
    changes: &BehaviourChanges,
) -> ApiResult<behaviours::Model> {
    let mut b = current.clone();
    if let Some(day) = changes.occurred_on {
        bounds::ensure_past_day("occurredOn", day, caller.now().date_naive())?;
        b.occurred_on = day;
    }
    if let Some(at) = changes.disclosed_at {
        bounds::ensure_past_event("disclosedAt", at, caller.now())?;
        b.disclosed_at = at;
    }
    if b.disclosed_at.date_naive() < b.occurred_on {
        return Err(ApiError::validation(
            "disclosedAt",
            "must not be before the behaviour occurred",
        ));
    }
    if let Some(setting) = changes.setting {
        b.setting = setting;
    }
    if let Some(contact) = changes.contact_type {
        b.contact_type = contact;
    }
    if let Some(description) = &changes.description {
        b.description = required_text("description", description, 10_000)?;
    }
    if let Some(continuum) = changes.continuum {
        b.continuum = continuum;
    }
    if let Some(light) = changes.traffic_light {
        b.traffic_light = light;
    }
    if let Some(indicators) = &changes.indicators {
        let mut indicators = indicators.clone();
        indicators.sort();
        indicators.dedup();
        b.indicators = Indicators(indicators);
    }
    if let Some(rationale) = &changes.classification_rationale {
        b.classification_rationale = optional_text(Some(rationale.clone()));
    }
    if let Some(sensitivity) = changes.sensitivity {
        b.sensitivity = sensitivity;
    }
    if let Some(shared) = &changes.shared_with {
        ensure_agencies_exist(db, shared, "sharedWith").await?;
        b.shared_with = AgencyIds(shared.clone());
    }
    // The classification rules of `recordBehaviour`, re-run on the amended behaviour.
    b.suggested_traffic_light = suggested_traffic_light(&b.indicators.0, b.continuum);
    if needs_rationale(b.traffic_light, b.suggested_traffic_light)
        && b.classification_rationale.is_none()
    {
        return Err(ApiError::validation(
            "classificationRationale",
            format!(
                "a classification lower than the suggested {:?} needs a rationale",
                b.suggested_traffic_light
            ),
        ));
    }
    Ok(b)
}

/// `amendBehaviour`: the recording agency corrects a behaviour. The classification rules
/// run again: an amendment that makes it escalate escalates the case as `recordBehaviour`
/// does; one that would no longer escalate leaves the escalation standing, and says so in
/// the history.
#[tracing::instrument(skip_all, fields(behaviour_id = %changes.behaviour_id))]
pub async fn amend_behaviour(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    changes: BehaviourChanges,
) -> ApiResult<AmendedBehaviour> {
    let target = Target::row(EntityType::Behaviour, changes.behaviour_id);
    let op = Operation::new(db, caller, AuditAction::AmendBehaviour, target);
    let Some(current) = behaviours::Entity::find_by_id(changes.behaviour_id)
        .one(db)
        .await?
    else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let op = op.on(Target::for_child(target.entity, current.child_id).with_id(current.id));
    let case = case::visible(&op, current.child_id).await?;
    op.authorize(policy::ensure_can_amend_entry(
        &caller.actor,
        &case.facts,
        current.agency_id,
    ))
    .await?;
    not_in_error(current.entered_in_error_at, "behaviourId")?;
    let mut why = reason(&changes.reason)?;
    let amended = apply_behaviour(db, caller, &current, &changes).await?;
    let before = behaviour_snapshot(&current);
    let changed_fields = changed(&BEHAVIOUR_FIELDS, &before, &behaviour_snapshot(&amended));
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(changes.expected_version, current.version)?;
    let designated = config.designated_agencies(db).await?;

    let mut write = op.begin().await?;
    // As `recordBehaviour`: the child's behaviours are read under their lock.
    write
        .lock(&format!("behaviours:{}", current.child_id))
        .await?;
    // A disclosure decision sharing this entry writes its `sharedWith` under this lock.
    write.lock(&format!("disclosure:{}", current.id)).await?;
    let others: Vec<_> = behaviours::Entity::find()
        .filter(behaviours::Column::ChildId.eq(current.child_id))
        .filter(behaviours::Column::Id.ne(current.id))
        .filter(behaviours::Column::EnteredInErrorAt.is_null())
        .all(write.txn())
        .await?
        .iter()
        .map(|b| (b.occurred_on, b.traffic_light))
        .collect();
    let would_escalate = escalates(amended.traffic_light, amended.occurred_on, &others);
    let newly_escalated = would_escalate && !current.escalated;
    if current.escalated && !would_escalate {
        why.push_str(
            " (escalation stands: the amended behaviour would not escalate the case on its own, \
             and an amendment never withdraws an escalation)",
        );
    }
    let saved = BEHAVIOUR
        .save(
            write.txn(),
            current.id,
            changes.expected_version,
            caller.now(),
            behaviours::ActiveModel {
                occurred_on: Set(amended.occurred_on),
                disclosed_at: Set(amended.disclosed_at),
                setting: Set(amended.setting),
                contact_type: Set(amended.contact_type),
                description: Set(amended.description.clone()),
                continuum: Set(amended.continuum),
                traffic_light: Set(amended.traffic_light),
                suggested_traffic_light: Set(amended.suggested_traffic_light),
                indicators: Set(amended.indicators.clone()),
                classification_rationale: Set(amended.classification_rationale.clone()),
                escalated: Set(current.escalated || would_escalate),
                sensitivity: Set(amended.sensitivity),
                shared_with: Set(amended.shared_with.clone()),
                ..Default::default()
            },
        )
        .await?;
    record_version(
        &write,
        Replaced {
            entity: EntityType::Behaviour,
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
    write.audit_diff::<behaviours::Entity>(&current, &saved);
    // The disclosure time and the escalation are facts the deadlines are derived from.
    write.deadlines_changed(current.child_id);
    if newly_escalated {
        crate::domain::behaviours::escalate(&write, &case.child, &designated, &saved).await?;
    }
    write.commit().await?;
    Ok(AmendedBehaviour {
        behaviour: saved,
        escalated: newly_escalated,
    })
}

/// `amendChronologyEntry`: the recording agency corrects an entry's date, summary or
/// sensitivity; its kind never changes, and assessment milestones are the assessment
/// mutations' own.
#[tracing::instrument(skip_all, fields(entry_id = %changes.entry_id))]
pub async fn amend_chronology_entry(
    db: &DatabaseConnection,
    caller: &Caller,
    changes: EntryChanges,
) -> ApiResult<chronology_entries::Model> {
    let target = Target::row(EntityType::ChronologyEntry, changes.entry_id);
    let op = Operation::new(db, caller, AuditAction::AmendChronologyEntry, target);
    let Some(current) = chronology_entries::Entity::find_by_id(changes.entry_id)
        .one(db)
        .await?
    else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let op = op.on(Target::for_child(target.entity, current.child_id).with_id(current.id));
    let case = case::visible(&op, current.child_id).await?;
    op.authorize(policy::ensure_can_amend_entry(
        &caller.actor,
        &case.facts,
        current.agency_id,
    ))
    .await?;
    if is_milestone(current.kind) {
        return Err(ApiError::validation(
            "entryId",
            "this entry is written by an operation of its own (an assessment, closing or reopening the case) and is corrected through it",
        ));
    }
    not_in_error(current.entered_in_error_at, "entryId")?;
    let why = reason(&changes.reason)?;
    let mut amended = current.clone();
    if let Some(at) = changes.occurred_at {
        bounds::ensure_past_event("occurredAt", at, caller.now())?;
        amended.occurred_at = at;
    }
    if let Some(summary) = &changes.summary {
        amended.summary = required_text("summary", summary, 10_000)?;
    }
    if let Some(sensitivity) = changes.sensitivity {
        amended.sensitivity = sensitivity;
    }
    if let Some(shared) = &changes.shared_with {
        ensure_agencies_exist(db, shared, "sharedWith").await?;
        amended.shared_with = AgencyIds(shared.clone());
    }
    let before = entry_snapshot(&current);
    let changed_fields = changed(&ENTRY_FIELDS, &before, &entry_snapshot(&amended));
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(changes.expected_version, current.version)?;
    let mut write = op.begin().await?;
    // A disclosure decision sharing this entry writes its `sharedWith` under this lock.
    write.lock(&format!("disclosure:{}", current.id)).await?;
    let saved = ENTRY
        .save(
            write.txn(),
            current.id,
            changes.expected_version,
            caller.now(),
            chronology_entries::ActiveModel {
                occurred_at: Set(amended.occurred_at),
                summary: Set(amended.summary.clone()),
                sensitivity: Set(amended.sensitivity),
                shared_with: Set(amended.shared_with.clone()),
                ..Default::default()
            },
        )
        .await?;
    record_version(
        &write,
        Replaced {
            entity: EntityType::ChronologyEntry,
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
    write.audit_diff::<chronology_entries::Entity>(&current, &saved);
    write.deadlines_changed(current.child_id);
    write.commit().await?;
    Ok(saved)
}
