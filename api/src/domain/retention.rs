//! Retention (`docs/product.md`, "Retention and legal hold"): each child's record is in
//! one record class, which with the policy file's `[retention]` schedule sets the day
//! until which it is kept (`retainUntil`). The retention run ([`run`]) erases the closed
//! records whose day has passed and that no active legal hold keeps.
//!
//! The class and the day are a pure function of a few facts about the record
//! ([`RetentionFacts`] → [`retention`]); [`facts_of`] reads those facts for many
//! children at once.

pub mod run;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{ChildStatus, ChronologyKind, Pathway};
use entity::{
    agencies, behaviours, children, chronology_entries, involvements, joint_plans, record_versions,
};
use sea_orm::{ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::ApiResult;
use crate::timescales::dates;
use crate::timescales::deadlines::london_day;
use crate::timescales::policy_file::RetentionPolicy;

/// The class of a child's record, which decides how long it is kept.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecordClass {
    /// The child is looked after: kept for years after the child's date of birth.
    LookedAfter,
    /// A child protection record: a child protection plan (or one on both pathways), a
    /// section 47 enquiry or an initial child protection conference.
    ChildProtection,
    /// A youth justice record whose only criminal outcome is an out-of-court disposal.
    YouthJusticeOutOfCourt,
    /// Any other case record (the default class).
    CaseRecord,
}

impl RecordClass {
    /// The name stored on a tombstone and shown in a rule.
    pub fn name(self) -> &'static str {
        match self {
            Self::LookedAfter => "LOOKED_AFTER",
            Self::ChildProtection => "CHILD_PROTECTION",
            Self::YouthJusticeOutOfCourt => "YOUTH_JUSTICE_OUT_OF_COURT",
            Self::CaseRecord => "CASE_RECORD",
        }
    }
}

/// What a record's class and retention depend on.
#[derive(Clone, Debug)]
pub struct RetentionFacts {
    /// Whether the child is looked after.
    pub looked_after: bool,
    /// The child's date of birth.
    pub date_of_birth: NaiveDate,
    /// When the child was registered: the last contact of a record with nothing else.
    pub registered_at: DateTime<Utc>,
    /// Each chronology entry's kind and when it happened (entries marked entered in error
    /// left out).
    pub chronology: Vec<(ChronologyKind, DateTime<Utc>)>,
    /// When each behaviour was disclosed (behaviours marked entered in error left out).
    pub disclosures: Vec<DateTime<Utc>>,
    /// Each joint plan's pathway and when it closed, if it has.
    pub plans: Vec<(Pathway, Option<DateTime<Utc>>)>,
    /// Whether a welfare agency (anything but police, youth justice and the secure
    /// estate) has ever been on the case team: the record is then a case record at least.
    pub welfare_involved: bool,
}

impl RetentionFacts {
    /// The facts of a child with no chronology, behaviours or plans yet.
    pub fn of_child(child: &children::Model) -> Self {
        Self {
            looked_after: child.looked_after,
            date_of_birth: child.date_of_birth,
            registered_at: child.created_at,
            chronology: Vec::new(),
            disclosures: Vec::new(),
            plans: Vec::new(),
            // Until the case team is read, assume the longer-kept case.
            welfare_involved: true,
        }
    }
}

/// How long a record is kept, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    /// The record's class.
    pub class: RecordClass,
    /// The last day the record is kept; the retention run erases it from the day after.
    pub retain_until: NaiveDate,
    /// The rule that set `retain_until`, e.g. `CHILD_PROTECTION: 35 years after last contact`.
    pub rule: String,
}

/// The classes a record belongs to: looked after if the child is or ever was; child
/// protection if any plan is on the child protection pathway (or both) or the chronology
/// has a section 47 enquiry or an initial conference; youth justice out-of-court if the
/// chronology has an out-of-court disposal and no other criminal outcome (charge, first
/// court hearing, outcome); and a case record whenever a welfare agency has been on the
/// case team, or when no other class applies.
pub fn classes(facts: &RetentionFacts) -> Vec<RecordClass> {
    let has = |kinds: &[ChronologyKind]| facts.chronology.iter().any(|(k, _)| kinds.contains(k));
    let mut classes = Vec::new();
    if facts.looked_after {
        classes.push(RecordClass::LookedAfter);
    }
    if facts
        .plans
        .iter()
        .any(|(pathway, _)| matches!(pathway, Pathway::ChildProtection | Pathway::Both))
        || has(&[
            ChronologyKind::Section47Started,
            ChronologyKind::InitialCpConference,
        ])
    {
        classes.push(RecordClass::ChildProtection);
    }
    if has(&[ChronologyKind::OutOfCourtDisposal])
        && !has(&[
            ChronologyKind::Outcome,
            ChronologyKind::FirstCourtHearing,
            ChronologyKind::Charge,
        ])
    {
        classes.push(RecordClass::YouthJusticeOutOfCourt);
    }
    if facts.welfare_involved || classes.is_empty() {
        classes.push(RecordClass::CaseRecord);
    }
    classes
}

/// The class that sets the record's retention: of [`classes`], the one kept longest, so
/// that no entry any agency adds can shorten how long the whole record is kept.
pub fn classify(facts: &RetentionFacts, policy: &RetentionPolicy) -> RecordClass {
    // On a tie, the first class listed names the rule (child protection before a case
    // record, say).
    classes(facts)
        .into_iter()
        .enumerate()
        .max_by_key(|(order, class)| {
            (
                kept_until(*class, facts, policy).0,
                std::cmp::Reverse(*order),
            )
        })
        .map_or(RecordClass::CaseRecord, |(_, class)| class)
}

/// The last contact: the latest of the chronology entries (the `CASE_CLOSED` entry among
/// them), the behaviours' disclosures and the plans' closures; the registration when
/// there is none of these.
pub fn last_contact(facts: &RetentionFacts) -> DateTime<Utc> {
    facts
        .chronology
        .iter()
        .map(|(_, at)| *at)
        .chain(facts.disclosures.iter().copied())
        .chain(facts.plans.iter().filter_map(|(_, closed)| *closed))
        .max()
        .unwrap_or(facts.registered_at)
}

/// The day a record of `class` is kept until, with the period and what it runs from.
fn kept_until(
    class: RecordClass,
    facts: &RetentionFacts,
    policy: &RetentionPolicy,
) -> (NaiveDate, u32, &'static str) {
    let (years, from, start) = match class {
        RecordClass::LookedAfter => (
            policy.looked_after_years_after_birth,
            "date of birth",
            facts.date_of_birth,
        ),
        RecordClass::ChildProtection => (
            policy.child_protection_years_after_last_contact,
            "last contact",
            london_day(last_contact(facts)),
        ),
        RecordClass::YouthJusticeOutOfCourt => (
            policy.youth_justice_out_of_court_years_after_last_contact,
            "last contact",
            london_day(last_contact(facts)),
        ),
        RecordClass::CaseRecord => (
            policy.case_record_years_after_last_contact,
            "last contact",
            london_day(last_contact(facts)),
        ),
    };
    // The anniversary (29 February's is 1 March in a common year, never earlier).
    let until = dates::birthday(start, years).unwrap_or(NaiveDate::MAX);
    (until, years, from)
}

/// The record's class, the day until which it is kept, and the rule that set it.
pub fn retention(facts: &RetentionFacts, policy: &RetentionPolicy) -> Retention {
    let class = classify(facts, policy);
    let (retain_until, years, from) = kept_until(class, facts, policy);
    let unit = if years == 1 { "year" } else { "years" };
    Retention {
        class,
        retain_until,
        rule: format!("{}: {years} {unit} after {from}", class.name()),
    }
}

/// Whether a record with this status and retention is due for erasure on `as_of`: its
/// case is closed and its `retain_until` is before `as_of`. An open case is never due,
/// whatever the dates. (Legal holds are checked by the run.)
pub fn is_due(status: ChildStatus, retention: &Retention, as_of: NaiveDate) -> bool {
    status == ChildStatus::Closed && retention.retain_until < as_of
}

/// The most children one statement asks about.
const CHUNK: usize = 500;

/// The retention facts of each of `children`, read in a few statements per 500 children.
pub async fn facts_of<C: ConnectionTrait>(
    db: &C,
    children: &[children::Model],
) -> ApiResult<HashMap<Uuid, RetentionFacts>> {
    let mut facts: HashMap<Uuid, RetentionFacts> = children
        .iter()
        .map(|child| (child.id, RetentionFacts::of_child(child)))
        .collect();
    for chunk in children.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|child| child.id).collect();
        let entries = chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.is_in(ids.clone()))
            .all(db)
            .await?;
        // Entries and behaviours marked entered in error still count: striking an entry
        // out never shortens how long the record is kept.
        for entry in entries {
            if let Some(f) = facts.get_mut(&entry.child_id) {
                f.chronology.push((entry.kind, entry.occurred_at));
            }
        }
        let behaviours = behaviours::Entity::find()
            .filter(behaviours::Column::ChildId.is_in(ids.clone()))
            .all(db)
            .await?;
        for behaviour in behaviours {
            if let Some(f) = facts.get_mut(&behaviour.child_id) {
                f.disclosures.push(behaviour.disclosed_at);
            }
        }
        let plans = joint_plans::Entity::find()
            .filter(joint_plans::Column::ChildId.is_in(ids.clone()))
            .all(db)
            .await?;
        // Who has ever been on the case team, by kind.
        let team = involvements::Entity::find()
            .filter(involvements::Column::ChildId.is_in(ids.clone()))
            .find_also_related(agencies::Entity)
            .all(db)
            .await?;
        let mut welfare: HashMap<Uuid, bool> = ids.iter().map(|id| (*id, false)).collect();
        for (involvement, agency) in team {
            let is_welfare = agency.is_none_or(|agency| {
                crate::policy::sector(agency.kind) == crate::policy::Sector::Welfare
            });
            if is_welfare {
                welfare.insert(involvement.child_id, true);
            }
        }
        for (child, involved) in welfare {
            if let Some(f) = facts.get_mut(&child) {
                f.welfare_involved = involved;
            }
        }
        // A child who was ever looked after stays in that class, and a plan that was ever
        // on a pathway counts as on it: an earlier version of the record that said so
        // counts, so a correction never shortens what the record held.
        let versions = record_versions::Entity::find()
            .filter(record_versions::Column::ChildId.is_in(ids))
            .filter(record_versions::Column::EntityType.is_in(["Child", "JointPlan"]))
            .all(db)
            .await?;
        let closed: HashMap<Uuid, Option<DateTime<Utc>>> =
            plans.iter().map(|plan| (plan.id, plan.closed_at)).collect();
        for version in versions {
            let Some(f) = facts.get_mut(&version.child_id) else {
                continue;
            };
            let earlier = |field: &str| version.snapshot.get(field).cloned();
            if version.entity_type == "Child" {
                if earlier("lookedAfter").and_then(|v| v.as_bool()) == Some(true) {
                    f.looked_after = true;
                }
            } else if let Some(serde_json::Value::String(name)) = earlier("pathway")
                && let Ok(pathway) = Pathway::try_from_value(&name)
                && let Some(closed_at) = closed.get(&version.entity_id)
            {
                f.plans.push((pathway, *closed_at));
            }
        }
        for plan in plans {
            if let Some(f) = facts.get_mut(&plan.child_id) {
                f.plans.push((plan.pathway, plan.closed_at));
            }
        }
    }
    Ok(facts)
}

/// The retention of each of `children`.
pub async fn of_children<C: ConnectionTrait>(
    db: &C,
    policy: &RetentionPolicy,
    children: &[children::Model],
) -> ApiResult<HashMap<Uuid, Retention>> {
    Ok(facts_of(db, children)
        .await?
        .into_iter()
        .map(|(id, facts)| (id, retention(&facts, policy)))
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
