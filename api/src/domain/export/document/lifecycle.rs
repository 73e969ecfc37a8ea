//! The lifecycle sections of the export: earlier versions (history), entries entered in
//! error, legal holds and the access report.

use chrono::{DateTime, Utc};
use entity::{audit_events, record_versions};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Agencies, Held, at, at_opt, gid, name};

/// When, by whom and why an entry was marked entered in error; `null` when it was not.
pub(super) fn entered_in_error(
    when: Option<DateTime<Utc>>,
    by: Option<&str>,
    reason: Option<&str>,
) -> Value {
    match when {
        Some(when) => json!({ "at": at(when), "by": by, "reason": reason }),
        None => Value::Null,
    }
}

/// A snapshot's values, with the agency ids of `sharedWith` (an entry) and
/// `attendingAgencies` (a review) written as agencies.
pub(super) fn snapshot_values(snapshot: &Value, agencies: &Agencies<'_>) -> Value {
    let mut values = snapshot.clone();
    for field in ["sharedWith", "attendingAgencies"] {
        let Some(shared) = values.get_mut(field) else {
            continue;
        };
        let ids: Option<Vec<Uuid>> = shared.as_array().map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
                .collect()
        });
        if let Some(ids) = ids {
            *shared = agencies.list(&ids);
        }
    }
    values
}

/// Every earlier version of one record, oldest first: the values it had, what the
/// amendment changed, who amended it, when and why.
pub(super) fn history(held: &Held, agencies: &Agencies<'_>, entity_type: &str, id: Uuid) -> Value {
    held.versions
        .iter()
        .filter(|v| v.entity_type == entity_type && v.entity_id == id)
        .map(|v| version(v, agencies))
        .collect()
}

pub(super) fn version(v: &record_versions::Model, agencies: &Agencies<'_>) -> Value {
    let restricted = v.snapshot.get("sensitivity").and_then(Value::as_str) == Some("RESTRICTED");
    json!({
        "version": v.version,
        "values": snapshot_values(&v.snapshot, agencies),
        "changedFields": v.changed_fields.0,
        "reason": v.reason,
        "amendedBy": v.amended_by,
        "amendingAgency": agencies.of(v.amended_by_agency_id),
        "amendedAt": at(v.amended_at),
        "restricted": restricted,
        "reviewBeforeDisclosure": true,
    })
}

pub(super) fn legal_holds(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.holds
        .iter()
        .map(|h| {
            json!({
                "id": gid("LegalHold", h.id),
                "kind": name(h.kind),
                "reference": h.reference,
                "reason": h.reason,
                "placedBy": h.placed_by,
                "placingAgency": agencies.of(h.placed_by_agency_id),
                "placedAt": at(h.placed_at),
                "releasedAt": at_opt(h.released_at),
                "releasedBy": h.released_by,
                "releaseReason": h.release_reason,
                "reviewBeforeDisclosure": true,
            })
        })
        .collect()
}

/// Who read or acted on the record and when: every audit row about the child, oldest
/// first, without the row's own ids or reasons (which may name other records).
pub(super) fn access_report(rows: &[audit_events::Model]) -> Value {
    rows.iter()
        .map(|r| {
            json!({
                "occurredAt": at(r.occurred_at),
                "actorSubject": r.actor_subject,
                "actorAgencyCode": r.actor_agency_code,
                "action": r.action,
                "entityType": r.entity_type,
                "outcome": name(r.outcome),
            })
        })
        .collect()
}
