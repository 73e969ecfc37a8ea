//! Corrections with history: `updateChild`, `amendBehaviour`, `amendChronologyEntry`,
//! `markEnteredInError`, and the `RecordVersion` every corrected record lists as its
//! `history`.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::enums::{ContactType, Continuum, Indicator, Sensitivity, Setting, TrafficLight};
use entity::record_versions;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::agency::Agency;
use super::behaviour::Behaviour;
use super::child::Child;
use super::chronology::ChronologyEntry;
use super::limits::{MaxChars, MaxItems};
use super::loaders::{Loaders, loader_error};
use super::node::Node;
use super::scalars::{Date, DateTime};
use super::{agency_by_id, agency_ids, caller, config, db, ids, lead_agency_id};
use crate::domain::amendments::{self, EntryKind, Marked};
use crate::domain::masked::Masked;
use crate::domain::{self, Caller};
use crate::error::{ApiError, ApiResult, IntoGql};
use crate::policy::{self, RestrictedContent};

/// The earlier versions of records, by record id, oldest first.
pub struct HistoryLoader(pub DatabaseConnection);

impl Loader<Uuid> for HistoryLoader {
    type Value = Vec<record_versions::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut by_key: HashMap<Uuid, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for chunk in keys.chunks(super::loaders::KEYS_PER_STATEMENT) {
            let rows = amendments::history_of(&self.0, chunk)
                .await
                .map_err(Arc::new)?;
            for row in rows {
                by_key.entry(row.entity_id).or_default().push(row);
            }
        }
        Ok(by_key)
    }
}

/// The earlier versions of record `id`, oldest first.
async fn versions_of(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Vec<record_versions::Model>> {
    Ok(ctx
        .data::<Loaders>()?
        .history
        .load_one(id)
        .await
        .map_err(loader_error)?
        .unwrap_or_default())
}

/// Whether record `id` was amended (a correction, not only marked entered in error).
pub async fn amended(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<bool> {
    Ok(versions_of(ctx, id)
        .await?
        .iter()
        .any(|v| v.changed_fields.0.iter().any(|f| f != "enteredInError")))
}

/// The history of a record without restricted content (a child's identity, a plan, an
/// action, a review, an involvement, a referral): each version is readable by whoever
/// reads the record itself.
pub async fn readable_history(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Vec<RecordVersion>> {
    Ok(versions_of(ctx, id)
        .await?
        .into_iter()
        .map(|model| RecordVersion {
            model,
            readable: true,
        })
        .collect())
}

/// An earlier version of a restricted-content entry, as the policy asks about it.
struct Snapshot {
    sensitivity: Sensitivity,
    agency: Uuid,
    shared_with: Vec<Uuid>,
}

impl RestrictedContent for Snapshot {
    fn sensitivity(&self) -> Sensitivity {
        self.sensitivity
    }
    fn recording_agency(&self) -> Uuid {
        self.agency
    }
    fn shared_with(&self) -> &[Uuid] {
        &self.shared_with
    }
}

/// An entry's history: each version's values and reason only when the caller may read
/// both the current content and that version's (the stricter sensitivity decides).
pub async fn entry_history<T>(
    ctx: &Context<'_>,
    entry: &Masked<T>,
    id: Uuid,
    child_id: Uuid,
) -> async_graphql::Result<Vec<RecordVersion>>
where
    T: domain::masked::Maskable,
{
    let versions = versions_of(ctx, id).await?;
    if versions.is_empty() {
        return Ok(Vec::new());
    }
    let caller: &Caller = caller(ctx)?;
    let lead = lead_agency_id(ctx, child_id).await?;
    let agency = entry.row().recording_agency();
    Ok(versions
        .into_iter()
        .map(|model| {
            let snapshot = Snapshot {
                sensitivity: amendments::snapshot_sensitivity(&model),
                agency,
                shared_with: amendments::snapshot_shared_with(&model),
            };
            let readable =
                !entry.restricted() && policy::can_read_content(&caller.actor, &snapshot, lead);
            RecordVersion { model, readable }
        })
        .collect())
}

/// An earlier version of a child, behaviour or chronology entry that a correction
/// replaced, with who replaced it, when and why. Under the record's own access rules:
/// the `values` and `reason` of a restricted entry's earlier version are `null` for an
/// agency that may not read its content.
#[derive(Description)]
pub struct RecordVersion {
    model: record_versions::Model,
    readable: bool,
}

#[Object(use_type_description)]
impl RecordVersion {
    /// The version number these values had, before the correction replaced them.
    async fn version(&self) -> i32 {
        self.model.version
    }
    /// When the correction replaced these values.
    async fn amended_at(&self) -> DateTime {
        self.model.amended_at.into()
    }
    /// The agency whose practitioner made the correction.
    async fn amending_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.model.amended_by_agency_id).await
    }
    /// Why the record was corrected; `null` when the caller may not read the content.
    async fn reason(&self) -> Option<&str> {
        self.readable.then_some(self.model.reason.as_str())
    }
    /// The GraphQL names of the fields the correction changed (`enteredInError` when
    /// the entry was marked entered in error).
    async fn changed_fields(&self) -> &[String] {
        &self.model.changed_fields.0
    }
    /// The replaced values as a JSON object keyed by GraphQL field name, enum values by
    /// their GraphQL names and agencies (`sharedWith`) by their global ids; `null` when
    /// the caller may not read the content.
    async fn values(&self) -> Option<String> {
        if !self.readable {
            return None;
        }
        let mut values = self.model.snapshot.clone();
        if let Some(shared) = values.get_mut("sharedWith").and_then(|v| v.as_array_mut()) {
            for agency in shared.iter_mut() {
                if let Some(id) = agency.as_str().and_then(|id| Uuid::parse_str(id).ok()) {
                    *agency = serde_json::Value::String(ids::encode("Agency", id).0);
                }
            }
        }
        Some(values.to_string())
    }
}

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
            amendments::mark_entered_in_error(db, caller, kind, id, &input.reason)
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
