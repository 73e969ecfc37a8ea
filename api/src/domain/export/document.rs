//! Builds the export's JSON document from what was read (`docs/subject-access.md` is its
//! schema, key by key).
//!
//! Redaction rules, in one place:
//! - No other child's identity: an affected child keeps only its age at the time and its
//!   relationship (no names, no link to another child's record), and a record in which
//!   this child is named as an affected child gives neither the behaviour nor the other
//!   child.
//! - Free text cannot be redacted by a program: every object carrying free text has
//!   `reviewBeforeDisclosure: true`, so that a person reads it before disclosure.
//! - Restricted entries are included in full, marked `restricted: true` with their
//!   `recordingAgency`, for that agency to review before disclosure.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use entity::agencies;
use entity::enums::Sensitivity;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

mod lifecycle;
mod work;

use self::lifecycle::{access_report, entered_in_error, history, legal_holds};
use self::work::{assessments, deadlines, disclosures, grants, plans, referrals};
use super::{FORMAT, Held};
use crate::domain::Caller;
use crate::error::{ApiError, ApiResult};
use crate::graphql::ids;

/// The global id (as the API gives it) of a row of type `kind`.
fn gid(kind: &str, id: Uuid) -> String {
    ids::encode(kind, id).0
}

/// An enum as its stored name (`RESTRICTED`, `SCHOOL`, …).
fn name<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// An instant, RFC 3339 in UTC with whole seconds, as the API writes it.
fn at(value: DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn at_opt(value: Option<DateTime<Utc>>) -> Value {
    value.map_or(Value::Null, |v| Value::String(at(v)))
}

fn day(value: NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

fn day_opt(value: Option<NaiveDate>) -> Value {
    value.map_or(Value::Null, |v| Value::String(day(v)))
}

/// Whether any of these free-text values holds text.
fn has_text(texts: &[Option<&str>]) -> bool {
    texts.iter().flatten().any(|t| !t.trim().is_empty())
}

/// The agencies of the partnership by id, written `{code, name, kind}`.
struct Agencies<'a>(HashMap<Uuid, &'a agencies::Model>);

impl<'a> Agencies<'a> {
    fn new(rows: &'a [agencies::Model]) -> Self {
        Self(rows.iter().map(|a| (a.id, a)).collect())
    }

    fn of(&self, id: Uuid) -> Value {
        match self.0.get(&id) {
            Some(agency) => json!({
                "code": agency.code,
                "name": agency.name,
                "kind": name(agency.kind),
            }),
            None => Value::Null,
        }
    }

    fn of_opt(&self, id: Option<Uuid>) -> Value {
        id.map_or(Value::Null, |id| self.of(id))
    }

    /// A list of agency ids (`sharedWith`, attending agencies) as agencies.
    fn list(&self, ids: &[Uuid]) -> Value {
        Value::Array(ids.iter().map(|id| self.of(*id)).collect())
    }
}

/// Builds the document.
pub(crate) fn build(held: &Held, caller: &Caller) -> ApiResult<String> {
    let agencies = Agencies::new(&held.agencies);
    let document = json!({
        "format": FORMAT,
        "generatedAt": at(caller.now()),
        "generatedBy": {
            "subject": caller.actor.subject,
            "agencyCode": caller.actor.agency_code,
        },
        "child": child(held),
        "involvements": involvements(held, &agencies),
        "behaviours": behaviours(held, &agencies),
        "namedAsAffectedChild": named_as_affected(held),
        "chronology": chronology(held, &agencies),
        "jointPlans": plans(held, &agencies),
        "assessments": assessments(held, &agencies),
        "referrals": referrals(held, &agencies),
        "disclosureRequests": disclosures(held, &agencies),
        "deadlines": deadlines(held, &agencies),
        "emergencyAccessGrants": grants(held, &agencies),
        "legalHolds": legal_holds(held, &agencies),
        "accessReport": access_report(&held.audit),
    });
    serde_json::to_string_pretty(&document)
        .map_err(|e| ApiError::Internal(format!("export document: {e}")))
}

fn child(held: &Held) -> Value {
    let c = &held.child;
    json!({
        "id": gid("Child", c.id),
        "givenName": c.given_name,
        "familyName": c.family_name,
        "dateOfBirth": day(c.date_of_birth),
        "gender": c.gender,
        "identifiers": {
            "nhsNumber": c.nhs_number,
            "uniquePupilNumber": c.unique_pupil_number,
            "localAuthorityRef": c.local_authority_ref,
            "policeRef": c.police_ref,
        },
        "flags": {
            "send": c.send,
            "lookedAfter": c.looked_after,
        },
        "status": name(c.status),
        "version": c.version,
        "createdAt": at(c.created_at),
        "updatedAt": at(c.updated_at),
        "history": history(held, &Agencies::new(&held.agencies), "Child", c.id),
    })
}

fn involvements(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.involvements
        .iter()
        .map(|i| {
            json!({
                "id": gid("Involvement", i.id),
                "agency": agencies.of(i.agency_id),
                "role": name(i.role),
                "leadPractitioner": i.lead_practitioner,
                "startedOn": day(i.started_on),
                "endedOn": day_opt(i.ended_on),
                "reason": i.reason,
                "endReason": i.end_reason,
                "reviewBeforeDisclosure": has_text(&[i.reason.as_deref(), i.end_reason.as_deref()]),
                "createdAt": at(i.created_at),
                "updatedAt": at(i.updated_at),
                "history": history(held, agencies, "Involvement", i.id),
            })
        })
        .collect()
}

/// The marks every sensitive entry carries: whether it is restricted, whether a person
/// must read it before disclosure, and who recorded it (who reviews it).
fn entry_marks(
    sensitivity: Sensitivity,
    free_text: bool,
    recording_agency: Value,
) -> (bool, bool, Value) {
    let restricted = sensitivity == Sensitivity::Restricted;
    (restricted, restricted || free_text, recording_agency)
}

fn behaviours(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.behaviours
        .iter()
        .map(|b| {
            let affected: Vec<Value> = held
                .affected
                .iter()
                .filter(|a| a.behaviour_id == b.id)
                .map(|a| {
                    // Another child: age and relationship only, never a name or the
                    // link to that child's own record.
                    json!({
                        "id": gid("AffectedChild", a.id),
                        "ageAtTime": a.age_at_time,
                        "relationship": a.relationship,
                        "identityRedacted": true,
                        "reviewBeforeDisclosure": true,
                    })
                })
                .collect();
            let (restricted, review, recording) = entry_marks(
                b.sensitivity,
                has_text(&[Some(&b.description), b.classification_rationale.as_deref()]),
                agencies.of(b.agency_id),
            );
            json!({
                "id": gid("Behaviour", b.id),
                "recordingAgency": recording,
                "recordedBy": b.recorded_by,
                "occurredOn": day(b.occurred_on),
                "disclosedAt": at(b.disclosed_at),
                "setting": name(b.setting),
                "contactType": name(b.contact_type),
                "description": b.description,
                "continuum": name(b.continuum),
                "trafficLight": name(b.traffic_light),
                "suggestedTrafficLight": name(b.suggested_traffic_light),
                "indicators": name(&b.indicators),
                "classificationRationale": b.classification_rationale,
                "escalated": b.escalated,
                "sensitivity": name(b.sensitivity),
                "sharedWith": agencies.list(&b.shared_with.0),
                "restricted": restricted,
                "reviewBeforeDisclosure": review,
                "affectedChildren": affected,
                "enteredInError": entered_in_error(
                    b.entered_in_error_at,
                    b.entered_in_error_by.as_deref(),
                    b.entered_in_error_reason.as_deref(),
                ),
                "history": history(held, agencies, "Behaviour", b.id),
                "version": b.version,
                "createdAt": at(b.created_at),
                "updatedAt": at(b.updated_at),
            })
        })
        .collect()
}

/// Where this child is named as the affected child of another child's behaviour: what was
/// recorded about this child there, never the behaviour or the other child.
fn named_as_affected(held: &Held) -> Value {
    held.named_as_affected
        .iter()
        .map(|a| {
            json!({
                "id": gid("AffectedChild", a.id),
                "givenNameAsRecorded": a.given_name,
                "familyNameAsRecorded": a.family_name,
                "ageAtTime": a.age_at_time,
                "relationship": a.relationship,
                "recordedAt": at(a.created_at),
                "reviewBeforeDisclosure": true,
            })
        })
        .collect()
}

fn chronology(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.chronology
        .iter()
        .map(|e| {
            let (restricted, review, recording) = entry_marks(
                e.sensitivity,
                has_text(&[Some(&e.summary)]),
                agencies.of(e.agency_id),
            );
            json!({
                "id": gid("ChronologyEntry", e.id),
                "kind": name(e.kind),
                "occurredAt": at(e.occurred_at),
                "behaviourId": e.behaviour_id.map(|b| gid("Behaviour", b)),
                "recordingAgency": recording,
                "recordedBy": e.recorded_by,
                "summary": e.summary,
                "sensitivity": name(e.sensitivity),
                "sharedWith": agencies.list(&e.shared_with.0),
                "restricted": restricted,
                "reviewBeforeDisclosure": review,
                "enteredInError": entered_in_error(
                    e.entered_in_error_at,
                    e.entered_in_error_by.as_deref(),
                    e.entered_in_error_reason.as_deref(),
                ),
                "history": history(held, agencies, "ChronologyEntry", e.id),
                "version": e.version,
                "createdAt": at(e.created_at),
                "updatedAt": at(e.updated_at),
            })
        })
        .collect()
}
