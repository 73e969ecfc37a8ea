//! Corrections with history: `updateChild`, `amendBehaviour`, `amendChronologyEntry`,
//! `markEnteredInError` (the other records' amendments are in `plan_amendment` and
//! `record_amendment`; the `history` every corrected record lists is in `history`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::{ContactType, Continuum, Indicator, Sensitivity, Setting, TrafficLight};
use uuid::Uuid;

use super::behaviour::Behaviour;
use super::child::Child;
use super::chronology::ChronologyEntry;
use super::limits::{MaxChars, MaxItems};
use super::node::Node;
use super::scalars::{Date, DateTime};
use super::{agency_ids, caller, config, db, ids};
use crate::domain;
use crate::domain::amendments::{self, EntryKind, Marked};
use crate::domain::masked::Masked;
use crate::error::{ApiError, ApiResult, IntoGql};

pub use super::history::{HistoryLoader, RecordVersion, amended, entry_history, readable_history};

/// Input of `updateChild`: the corrections to a child's identity and flags. Every field
/// but `childId`, `reason` and `expectedVersion` is optional; absent means unchanged, and
/// an empty identifier or reference clears it.
#[derive(InputObject)]
pub struct UpdateChildInput {
    /// The global id of the child to correct.
    pub child_id: ID,
    /// The corrected given name (at most 100 characters).
    #[graphql(validator(custom = "MaxChars::new(\"givenName\", 100)"))]
    pub given_name: Option<String>,
    /// The corrected family name (at most 100 characters).
    #[graphql(validator(custom = "MaxChars::new(\"familyName\", 100)"))]
    pub family_name: Option<String>,
    /// The corrected date of birth (the child must be under 18).
    pub date_of_birth: Option<Date>,
    /// The corrected gender (free text, at most 50 characters).
    #[graphql(validator(custom = "MaxChars::new(\"gender\", 50)"))]
    pub gender: Option<String>,
    /// The corrected NHS number (check digit verified; empty clears it).
    #[graphql(validator(custom = "MaxChars::new(\"nhsNumber\", 20)"))]
    pub nhs_number: Option<String>,
    /// The corrected unique pupil number (check letter verified; empty clears it).
    #[graphql(validator(custom = "MaxChars::new(\"uniquePupilNumber\", 20)"))]
    pub unique_pupil_number: Option<String>,
    /// The corrected local authority reference (at most 100 characters; empty clears it).
    #[graphql(validator(custom = "MaxChars::new(\"localAuthorityRef\", 100)"))]
    pub local_authority_ref: Option<String>,
    /// The corrected police reference (at most 100 characters; empty clears it).
    #[graphql(validator(custom = "MaxChars::new(\"policeRef\", 100)"))]
    pub police_ref: Option<String>,
    /// Whether the child has special educational needs and disabilities.
    pub send: Option<bool>,
    /// Whether the child is looked after by the local authority.
    pub looked_after: Option<bool>,
    /// Why the record is corrected (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The child's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `updateChild`.
#[derive(SimpleObject)]
pub struct UpdateChildPayload {
    /// The child as corrected (`amended` true, the old values in `history`).
    pub child: Child,
}

/// Input of `amendBehaviour`: the corrections to a behaviour. Every field but
/// `behaviourId`, `reason` and `expectedVersion` is optional; absent means unchanged.
#[derive(InputObject)]
pub struct AmendBehaviourInput {
    /// The global id of the behaviour to amend.
    pub behaviour_id: ID,
    /// The corrected day it happened.
    pub occurred_on: Option<Date>,
    /// The corrected time it was disclosed to a professional.
    pub disclosed_at: Option<DateTime>,
    /// The corrected setting.
    pub setting: Option<Setting>,
    /// The corrected contact type.
    pub contact_type: Option<ContactType>,
    /// The corrected account of what happened (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"description\", 10000)"))]
    pub description: Option<String>,
    /// The corrected place on Hackett's continuum.
    pub continuum: Option<Continuum>,
    /// The corrected Brook traffic light.
    pub traffic_light: Option<TrafficLight>,
    /// The corrected indicators, the whole list (at most 50).
    #[graphql(validator(custom = "MaxItems::new(\"indicators\", 50)"))]
    pub indicators: Option<Vec<Indicator>>,
    /// Why the light is lower than the suggestion (at most 2,000 characters; empty
    /// clears it); required when it is.
    #[graphql(validator(custom = "MaxChars::new(\"classificationRationale\", 2000)"))]
    pub classification_rationale: Option<String>,
    /// The corrected sensitivity.
    pub sensitivity: Option<Sensitivity>,
    /// The agencies that may also read restricted content, the whole list (at most 50).
    #[graphql(validator(custom = "MaxItems::new(\"sharedWith\", 50)"))]
    pub shared_with: Option<Vec<ID>>,
    /// Why the behaviour is amended (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The behaviour's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `amendBehaviour`.
#[derive(SimpleObject)]
pub struct AmendBehaviourPayload {
    /// The behaviour as amended.
    pub behaviour: Behaviour,
    /// Whether this amendment escalated the case (it had not escalated before).
    pub escalated: bool,
}

/// Input of `amendChronologyEntry`: the corrections to an entry (its kind never
/// changes). Every field but `entryId`, `reason` and `expectedVersion` is optional.
#[derive(InputObject)]
pub struct AmendChronologyEntryInput {
    /// The global id of the chronology entry to amend.
    pub entry_id: ID,
    /// The corrected time the event happened.
    pub occurred_at: Option<DateTime>,
    /// The corrected summary (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"summary\", 10000)"))]
    pub summary: Option<String>,
    /// The corrected sensitivity.
    pub sensitivity: Option<Sensitivity>,
    /// The agencies that may also read restricted content, the whole list (at most 50).
    #[graphql(validator(custom = "MaxItems::new(\"sharedWith\", 50)"))]
    pub shared_with: Option<Vec<ID>>,
    /// Why the entry is amended (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The entry's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `amendChronologyEntry`.
#[derive(SimpleObject)]
pub struct AmendChronologyEntryPayload {
    /// The chronology entry as amended.
    pub entry: ChronologyEntry,
}

/// Input of `markEnteredInError`: the entry recorded by mistake and why.
#[derive(InputObject)]
pub struct MarkEnteredInErrorInput {
    /// The global id of a `Behaviour` or `ChronologyEntry` the caller's agency recorded.
    pub entry_id: ID,
    /// Why it was entered in error (10 to 2,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The entry's `version` as read; when given, a stale one is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

/// Result of `markEnteredInError`.
#[derive(SimpleObject)]
pub struct MarkEnteredInErrorPayload {
    /// The entry, now `enteredInError` (a `Behaviour` or a `ChronologyEntry`).
    pub entry: Node,
}

fn optional_ids(ids: Option<Vec<ID>>) -> async_graphql::Result<Option<Vec<Uuid>>> {
    ids.map(|ids| agency_ids(&ids, "sharedWith")).transpose()
}

fn entry_ref(id: &ID) -> ApiResult<(EntryKind, Uuid)> {
    match ids::decode(id) {
        Some((kind, uuid)) if kind == "Behaviour" => Ok((EntryKind::Behaviour, uuid)),
        Some((kind, uuid)) if kind == "ChronologyEntry" => Ok((EntryKind::ChronologyEntry, uuid)),
        _ => Err(ApiError::validation(
            "entryId",
            "is not the id of a behaviour or chronology entry",
        )),
    }
}

/// Correction mutations.
#[derive(Default)]
pub struct AmendmentMutation;

#[Object]
impl AmendmentMutation {
    /// Corrects a child's identity or flags, by an agency lead or coordinator of the
    /// child's lead agency; the replaced values are kept in the child's `history` with
    /// the reason.
    async fn update_child(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: UpdateChildInput,
    ) -> async_graphql::Result<UpdateChildPayload> {
        let changes = amendments::ChildChanges {
            child_id: ids::decode_as(&input.child_id, "Child", "childId").gql()?,
            given_name: input.given_name,
            family_name: input.family_name,
            date_of_birth: input.date_of_birth.map(Into::into),
            gender: input.gender,
            nhs_number: input.nhs_number,
            unique_pupil_number: input.unique_pupil_number,
            local_authority_ref: input.local_authority_ref,
            police_ref: input.police_ref,
            send: input.send,
            looked_after: input.looked_after,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let child =
            domain::retry::transient(|| amendments::update_child(db, caller, changes.clone()))
                .await
                .gql()?;
        Ok(UpdateChildPayload {
            child: Child(child),
        })
    }

    /// Amends a behaviour, by a case role of the agency that recorded it; the
    /// classification rules run again (an amendment that escalates escalates the case;
    /// none withdraws an escalation), and the replaced values are kept in its `history`.
    async fn amend_behaviour(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: AmendBehaviourInput,
    ) -> async_graphql::Result<AmendBehaviourPayload> {
        let changes = amendments::BehaviourChanges {
            behaviour_id: ids::decode_as(&input.behaviour_id, "Behaviour", "behaviourId").gql()?,
            occurred_on: input.occurred_on.map(Into::into),
            disclosed_at: input.disclosed_at.map(Into::into),
            setting: input.setting,
            contact_type: input.contact_type,
            description: input.description,
            continuum: input.continuum,
            traffic_light: input.traffic_light,
            indicators: input.indicators,
            classification_rationale: input.classification_rationale,
            sensitivity: input.sensitivity,
            shared_with: optional_ids(input.shared_with)?,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller, config) = (db(ctx)?, caller(ctx)?, config(ctx)?);
        let amended = domain::retry::transient(|| {
            amendments::amend_behaviour(db, caller, config, changes.clone())
        })
        .await
        .gql()?;
        Ok(AmendBehaviourPayload {
            behaviour: Behaviour(Masked::recorded(amended.behaviour)),
            escalated: amended.escalated,
        })
    }

    /// Amends a chronology entry's time, summary or sensitivity, by a case role of the
    /// agency that recorded it; the replaced values are kept in its `history`. Assessment
    /// milestones are written by the assessment mutations and cannot be amended.
    async fn amend_chronology_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: AmendChronologyEntryInput,
    ) -> async_graphql::Result<AmendChronologyEntryPayload> {
        let changes = amendments::EntryChanges {
            entry_id: ids::decode_as(&input.entry_id, "ChronologyEntry", "entryId").gql()?,
            occurred_at: input.occurred_at.map(Into::into),
            summary: input.summary,
            sensitivity: input.sensitivity,
            shared_with: optional_ids(input.shared_with)?,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let entry = domain::retry::transient(|| {
            amendments::amend_chronology_entry(db, caller, changes.clone())
        })
        .await
        .gql()?;
        Ok(AmendChronologyEntryPayload {
            entry: ChronologyEntry(Masked::recorded(entry)),
        })
    }

    /// Marks a behaviour or chronology entry entered in error, by a case role of the
    /// agency that recorded it. The entry stays, struck through: its content is withheld
    /// from every other agency, and it no longer counts for deadlines, escalation, the
    /// history alert or the strategic report.
    async fn mark_entered_in_error(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entry and why it was entered in error.")]
        input: MarkEnteredInErrorInput,
    ) -> async_graphql::Result<MarkEnteredInErrorPayload> {
        let (kind, id) = entry_ref(&input.entry_id).gql()?;
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let marked = domain::retry::transient(|| {
            amendments::mark_entered_in_error(
                db,
                caller,
                kind,
                id,
                &input.reason,
                input.expected_version,
            )
        })
        .await
        .gql()?;
        let entry = match marked {
            Marked::Behaviour(b) => Node::Behaviour(Behaviour(Masked::recorded(b))),
            Marked::ChronologyEntry(e) => {
                Node::ChronologyEntry(ChronologyEntry(Masked::recorded(e)))
            }
        };
        Ok(MarkEnteredInErrorPayload { entry })
    }
}
