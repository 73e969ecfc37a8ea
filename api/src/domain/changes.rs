//! What an operation changed, as its audit row records it (`audit_events.changes`).
//!
//! A change names the field by its GraphQL name and carries the old and the new value as
//! text (`null` when absent). Restricted content (a behaviour's description, indicators
//! and rationale, a chronology entry's summary, a contribution's concerns, strengths,
//! sources and level, a plan's risk summary, and the same text where it is also kept: a
//! referral's reason, a plan review's summary) is recorded only as having changed: the
//! audit log is read by roles that may not read the content itself. So is a child's
//! identity (names, date of birth, gender, identifiers): the audit log names a child by
//! id only.
//!
//! A mutation that saved a new version of a row calls `write.audit_diff::<E>(&old,
//! &saved)`, one that inserted a row `write.audit_created::<E>(&row)` (or
//! `audit_created_active(&active_model)` before an insert that returns nothing); both read
//! the columns generically, naming each field by its column in camel case. Anything
//! else builds its list with [`Changes`] and hands it to `Write::audit_changes` before
//! `commit()`:
//!
//! ```text
//! let changes = Changes::new()
//!     .field("status", &plan.status, &next.status)
//!     .restricted("riskSummary", &plan.risk_summary, &next.risk_summary);
//! write.audit_changes(changes.into_vec());
//! ```
//!
//! A further row written on the way (a consultation opened with a new action, a case
//! reopened by a referral) gets an audit row of its own, with its changes, through
//! [`record_also`].

use chrono::SecondsFormat;
use sea_orm::{ActiveModelTrait, EntityName as _, EntityTrait, Iterable as _, ModelTrait as _};
use serde::Serialize;
use serde_json::{Map, Value};

/// Restricted content, by table and column: recorded only as having changed.
const RESTRICTED: [(&str, &str); 28] = [
    // Every field a restricted behaviour's masking blanks, and what is derived from them.
    ("behaviours", "description"),
    ("behaviours", "indicators"),
    ("behaviours", "classification_rationale"),
    ("behaviours", "setting"),
    ("behaviours", "contact_type"),
    ("behaviours", "continuum"),
    ("behaviours", "suggested_traffic_light"),
    ("behaviours", "shared_with"),
    ("chronology_entries", "summary"),
    ("chronology_entries", "behaviour_id"),
    ("chronology_entries", "shared_with"),
    ("assessment_contributions", "shared_with"),
    ("assessment_contributions", "concerns"),
    ("assessment_contributions", "strengths"),
    ("assessment_contributions", "sources"),
    ("assessment_contributions", "level"),
    ("joint_plans", "risk_summary"),
    // The same text as a chronology entry's summary.
    ("referrals", "reason"),
    ("plan_reviews", "summary"),
    // The audit log names a child by id only, never by identity.
    ("children", "given_name"),
    ("children", "family_name"),
    ("children", "date_of_birth"),
    ("children", "gender"),
    ("children", "match_key"),
    ("children", "nhs_number"),
    ("children", "unique_pupil_number"),
    ("children", "local_authority_ref"),
    ("children", "police_ref"),
];

/// Columns that are bookkeeping, not content: never listed.
const BOOKKEEPING: [&str; 4] = ["id", "version", "created_at", "updated_at"];

/// Whether `column` of `table` is restricted content.
pub fn is_restricted(table: &str, column: &str) -> bool {
    RESTRICTED.contains(&(table, column))
}

/// A column's name as the schema spells fields: `risk_summary` is `riskSummary`.
pub fn field_name(column: &str) -> String {
    let mut name = String::with_capacity(column.len());
    let mut upper = false;
    for c in column.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            name.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            name.push(c);
        }
    }
    name
}

/// A stored value as text (see [`text`]); absent for `NULL`.
fn value_text(value: &sea_orm::Value) -> Option<String> {
    use sea_orm::Value as V;
    match value {
        V::ChronoDateTimeUtc(Some(at)) => Some(at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        V::ChronoDateTimeWithTimeZone(Some(at)) => {
            Some(at.to_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
        }
        V::ChronoDate(Some(day)) => Some(day.to_string()),
        V::Uuid(Some(id)) => Some(id.to_string()),
        V::String(Some(s)) => Some(s.clone()),
        V::Bytes(_) => None,
        other => match sea_orm::sea_query::sea_value_to_json_value(other) {
            Value::Null => None,
            Value::String(s) => Some(s),
            json => Some(json.to_string()),
        },
    }
}

/// The changes from `old` to `new`, two versions of one row of `E`, column by column
/// (bookkeeping columns left out, restricted content without its values).
pub fn diff<E: EntityTrait>(old: &E::Model, new: &E::Model) -> Vec<Change> {
    let table = E::default().table_name().to_owned();
    let mut changes = Vec::new();
    for column in E::Column::iter() {
        let name = sea_orm::IdenStatic::as_str(&column);
        if BOOKKEEPING.contains(&name) {
            continue;
        }
        let (before, after) = (value_text(&old.get(column)), value_text(&new.get(column)));
        if before == after {
            continue;
        }
        changes.push(if is_restricted(&table, name) {
            Change::restricted(&field_name(name))
        } else {
            Change {
                field: field_name(name),
                old: before,
                new: after,
                restricted: false,
            }
        });
    }
    changes
}

/// The fields of a new row of `E`: every column with a value (bookkeeping columns left
/// out, restricted content without its value).
pub fn created<E: EntityTrait>(new: &E::Model) -> Vec<Change> {
    let table = E::default().table_name().to_owned();
    let mut changes = Vec::new();
    for column in E::Column::iter() {
        let name = sea_orm::IdenStatic::as_str(&column);
        if BOOKKEEPING.contains(&name) {
            continue;
        }
        let Some(value) = value_text(&new.get(column)) else {
            continue;
        };
        changes.push(if is_restricted(&table, name) {
            Change::restricted(&field_name(name))
        } else {
            Change::created(&field_name(name), &value)
        });
    }
    changes
}

/// One changed field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The field's GraphQL name.
    pub field: String,
    /// The value before (absent for a new row or an empty field).
    pub old: Option<String>,
    /// The value after (absent when the field was emptied).
    pub new: Option<String>,
    /// Restricted content: that it changed is recorded, never the values.
    pub restricted: bool,
}

impl Change {
    /// A field that went from `old` to `new`.
    pub fn values<T: Serialize + ?Sized>(field: &str, old: &T, new: &T) -> Self {
        Self {
            field: field.to_owned(),
            old: text(old),
            new: text(new),
            restricted: false,
        }
    }

    /// A field of a new row.
    pub fn created<T: Serialize + ?Sized>(field: &str, new: &T) -> Self {
        Self {
            field: field.to_owned(),
            old: None,
            new: text(new),
            restricted: false,
        }
    }

    /// Restricted content that changed (or was set): no values.
    pub fn restricted(field: &str) -> Self {
        Self {
            field: field.to_owned(),
            old: None,
            new: None,
            restricted: true,
        }
    }
}

/// A value as the audit log keeps it: strings as they are, enums by their public name,
/// dates and times in ISO 8601, anything else as JSON; `None`/`null` is absent.
pub fn text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(Value::Null) | Err(_) => None,
        Ok(Value::String(s)) => Some(s),
        Ok(other) => Some(other.to_string()),
    }
}

/// A list of changes, built field by field; a field whose value did not change is left
/// out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes(Vec<Change>);

impl Changes {
    /// No changes yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `field` if `old` and `new` differ.
    #[must_use]
    pub fn field<T: Serialize + PartialEq + ?Sized>(
        mut self,
        field: &str,
        old: &T,
        new: &T,
    ) -> Self {
        if old != new {
            self.0.push(Change::values(field, old, new));
        }
        self
    }

    /// Records restricted `field` as changed if `old` and `new` differ, without values.
    #[must_use]
    pub fn restricted<T: PartialEq + ?Sized>(mut self, field: &str, old: &T, new: &T) -> Self {
        if old != new {
            self.0.push(Change::restricted(field));
        }
        self
    }

    /// Records a field of a new row (left out when it is absent).
    #[must_use]
    pub fn created<T: Serialize + ?Sized>(mut self, field: &str, new: &T) -> Self {
        let change = Change::created(field, new);
        if change.new.is_some() {
            self.0.push(change);
        }
        self
    }

    /// Records restricted content of a new row as set, without its value (left out
    /// when it is absent).
    #[must_use]
    pub fn created_restricted<T: Serialize + ?Sized>(mut self, field: &str, new: &T) -> Self {
        if text(new).is_some() {
            self.0.push(Change::restricted(field));
        }
        self
    }

    /// Adds a change as it is.
    #[must_use]
    pub fn with(mut self, change: Change) -> Self {
        self.0.push(change);
        self
    }

    /// The list.
    pub fn into_vec(self) -> Vec<Change> {
        self.0
    }
}

/// [`created`], from the row about to be inserted (for an insert that returns nothing).
pub fn created_active<A: ActiveModelTrait>(new: &A) -> Vec<Change> {
    let table = <A::Entity as Default>::default().table_name().to_owned();
    let mut changes = Vec::new();
    for column in <A::Entity as EntityTrait>::Column::iter() {
        let name = sea_orm::IdenStatic::as_str(&column);
        if BOOKKEEPING.contains(&name) {
            continue;
        }
        let Some(value) = new.get(column).into_value().as_ref().and_then(value_text) else {
            continue;
        };
        changes.push(if is_restricted(&table, name) {
            Change::restricted(&field_name(name))
        } else {
            Change::created(&field_name(name), &value)
        });
    }
    changes
}

/// Audits a further row an operation writes on the way, with what that row changed, in
/// the operation's transaction: `Write::record_also` with `changes` on its row.
pub async fn record_also(
    write: &super::op::Write<'_>,
    action: super::audit::AuditAction,
    target: super::audit::Target,
    changes: &[Change],
) -> crate::error::ApiResult<()> {
    super::audit::record_changes(
        write.txn(),
        write.caller(),
        action,
        target,
        entity::enums::AuditOutcome::Allowed,
        None,
        changes,
    )
    .await
}

/// The JSON `audit_events.changes` holds.
pub fn to_json(changes: &[Change]) -> Value {
    Value::Array(
        changes
            .iter()
            .map(|change| {
                let mut object = Map::new();
                object.insert("field".into(), Value::String(change.field.clone()));
                if change.restricted {
                    object.insert("restricted".into(), Value::Bool(true));
                } else {
                    object.insert(
                        "old".into(),
                        change.old.clone().map_or(Value::Null, Value::String),
                    );
                    object.insert(
                        "new".into(),
                        change.new.clone().map_or(Value::Null, Value::String),
                    );
                }
                Value::Object(object)
            })
            .collect(),
    )
}

/// The changes stored in `audit_events.changes` (an entry that does not read as one is
/// left out).
pub fn from_json(value: &Value) -> Vec<Change> {
    let Some(entries) = value.as_array() else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let field = entry.get("field")?.as_str()?.to_owned();
            let restricted = entry
                .get("restricted")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let value_of = |key: &str| match entry.get(key) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            };
            Some(Change {
                field,
                old: if restricted { None } else { value_of("old") },
                new: if restricted { None } else { value_of("new") },
                restricted,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_fields_are_left_out_and_restricted_ones_carry_no_values() {
        let changes = Changes::new()
            .field("status", "DRAFT", "ACTIVE")
            .field("title", "Same", "Same")
            .restricted("riskSummary", &Some("old text"), &Some("new text"))
            .restricted("description", "same", "same")
            .into_vec();
        assert_eq!(
            to_json(&changes),
            serde_json::json!([
                {"field": "status", "old": "DRAFT", "new": "ACTIVE"},
                {"field": "riskSummary", "restricted": true},
            ])
        );
        assert_eq!(from_json(&to_json(&changes)), changes);
    }

    #[test]
    fn times_read_the_same_from_a_row_and_from_a_value() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-06T03:04:05.123456Z")
            .expect("time")
            .to_utc();
        assert_eq!(value_text(&sea_orm::Value::from(at)), text(&at),);
        assert_eq!(text(&at), Some("2026-12-06T03:04:05.123456Z".to_owned()));
    }

    #[test]
    fn values_read_as_text() {
        assert_eq!(text(&None::<String>), None);
        assert_eq!(text(&Some(3)), Some("3".to_owned()));
        assert_eq!(
            text(&chrono::NaiveDate::from_ymd_opt(2026, 12, 6)),
            Some("2026-12-06".to_owned())
        );
        assert_eq!(
            text(&entity::enums::AuditOutcome::Allowed),
            Some("ALLOWED".to_owned())
        );
    }
}
