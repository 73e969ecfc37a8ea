//! `Behaviour`, `AffectedChild` and `recordBehaviour`.

use super::scalars::{Date, DateTime};
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::enums::{ContactType, Continuum, Indicator, Sensitivity, Setting, TrafficLight};
use entity::{affected_children, behaviours};

use super::agency::Agency;
use super::child::Child;
use super::limits::size;
use super::limits::{MaxChars, MaxItems};
use super::{agencies_by_ids, agency_by_id, agency_ids, caller, config, db, ids, lead_agency_id};
use crate::domain::masked::Masked;
use crate::domain::{self, behaviours::NewAffectedChild};
use crate::error::IntoGql;
use crate::policy;

/// One recorded instance of sexual behaviour displayed by the child, classified on the
/// Hackett continuum and the Brook traffic light. Every agency on the case team sees it;
/// when it is `RESTRICTED` and the caller may not read its content, the content fields
/// are `null` and `restricted` is true (see `docs/access.md`).
#[derive(Description)]
pub struct Behaviour(pub Masked<behaviours::Model>);

impl Behaviour {
    /// Wraps a row as the caller may see it (the domain masks the content).
    pub async fn for_caller(
        ctx: &Context<'_>,
        model: behaviours::Model,
    ) -> async_graphql::Result<Self> {
        let lead = lead_agency_id(ctx, model.child_id).await?;
        Ok(Self(domain::behaviours::masked(caller(ctx)?, model, lead)))
    }

    /// The fields every case team member sees.
    fn row(&self) -> &behaviours::Model {
        self.0.row()
    }

    /// A content field, when the caller may read the content.
    fn content<'a, T>(&'a self, field: impl FnOnce(&'a behaviours::Model) -> T) -> Option<T> {
        self.0.content().map(field)
    }
}

#[Object(use_type_description)]
impl Behaviour {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("Behaviour", self.row().id)
    }
    /// The child who displayed the behaviour.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        super::visible_child(ctx, self.row().child_id).await
    }
    /// The agency that recorded the behaviour; it always sees the content.
    async fn recording_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.row().agency_id).await
    }
    /// The day the behaviour happened (as far as known).
    async fn occurred_on(&self) -> Date {
        self.row().occurred_on.into()
    }
    /// When the behaviour was disclosed to a professional; the 24-hour strategy
    /// discussion deadline of an escalated behaviour runs from here.
    async fn disclosed_at(&self) -> DateTime {
        self.row().disclosed_at.into()
    }
    /// The recording practitioner's Brook traffic light; it stands even when it differs
    /// from `suggestedTrafficLight`.
    async fn traffic_light(&self) -> TrafficLight {
        self.row().traffic_light
    }
    /// The traffic light Concord suggests from the indicators and the continuum, at the
    /// time of recording.
    async fn suggested_traffic_light(&self) -> TrafficLight {
        self.row().suggested_traffic_light
    }
    /// Whether this behaviour escalated the case: it was `RED`, or the child's second
    /// `AMBER` or worse within 12 months. An escalation puts the designated children's
    /// social care and police on the case team and opens a strategy discussion deadline.
    async fn escalated(&self) -> bool {
        self.row().escalated
    }
    /// Who may read the content: the whole case team (`STANDARD`) or only some agencies
    /// (`RESTRICTED`).
    async fn sensitivity(&self) -> Sensitivity {
        self.row().sensitivity
    }
    /// True when the content is withheld from the caller (the content fields are then
    /// `null`): ask the recording agency.
    async fn restricted(&self) -> bool {
        self.0.restricted()
    }
    /// Where the behaviour happened; `null` when the content is withheld (`restricted`).
    async fn setting(&self) -> Option<Setting> {
        self.content(|b| b.setting)
    }
    /// Whether the behaviour involved physical contact; `null` when the content is
    /// withheld (`restricted`).
    async fn contact_type(&self) -> Option<ContactType> {
        self.content(|b| b.contact_type)
    }
    /// The practitioner's account of what happened; `null` when the content is withheld
    /// (`restricted`).
    async fn description(&self) -> Option<&str> {
        self.content(|b| b.description.as_str())
    }
    /// Where the behaviour sits on Hackett's continuum; `null` when the content is
    /// withheld (`restricted`).
    async fn continuum(&self) -> Option<Continuum> {
        self.content(|b| b.continuum)
    }
    /// The indicators the practitioner observed (possibly none); `null` when the content
    /// is withheld (`restricted`).
    async fn indicators(&self) -> Option<Vec<Indicator>> {
        self.content(|b| b.indicators.0.clone())
    }
    /// Why the practitioner's traffic light is lower than the suggestion; `null` when it
    /// is not, or when the content is withheld.
    async fn classification_rationale(&self) -> Option<&str> {
        self.content(|b| b.classification_rationale.as_deref())
            .flatten()
    }
    /// The agencies besides the recording and lead agencies that may read a restricted
    /// behaviour's content; `null` when the content is withheld (`restricted`).
    #[graphql(complexity = "size::SHARED_WITH * child_complexity")]
    async fn shared_with(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<Agency>>> {
        let Some(shared) = self.content(|b| b.shared_with.0.clone()) else {
            return Ok(None);
        };
        Ok(Some(agencies_by_ids(ctx, &shared).await?))
    }
    /// The other children involved in the behaviour; `null` when the content is withheld
    /// (`restricted`). Their names are shown only to children's social care, police and
    /// the recording agency.
    #[graphql(complexity = "size::AFFECTED_CHILDREN * child_complexity")]
    async fn affected_children(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<AffectedChild>>> {
        if self.0.restricted() {
            return Ok(None);
        }
        let caller = caller(ctx)?;
        let identity = policy::can_see_affected_identity(&caller.actor, self.row().agency_id);
        let rows = ctx
            .data::<super::loaders::Loaders>()?
            .affected
            .load_one(self.row().id)
            .await
            .map_err(super::loaders::loader_error)?
            .unwrap_or_default();
        Ok(Some(
            rows.into_iter()
                .map(|model| AffectedChild { model, identity })
                .collect(),
        ))
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.row().version
    }
    /// When the behaviour was recorded in Concord.
    async fn created_at(&self) -> DateTime {
        self.row().created_at.into()
    }
    /// Whether the behaviour was ever amended (`amendBehaviour`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        super::amendment::amended(ctx, self.row().id).await
    }
    /// Every earlier version of the behaviour, oldest first, with who amended it, when
    /// and why; the values and reasons under the behaviour's own access rules.
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::amendment::RecordVersion>> {
        let row = self.row();
        super::amendment::entry_history(ctx, &self.0, row.id, row.child_id).await
    }
    /// True when the recording agency marked the behaviour entered in error: it stays,
    /// struck through, its content withheld from every other agency, and it no longer
    /// counts for deadlines, escalation or the strategic report.
    async fn entered_in_error(&self) -> bool {
        self.row().entered_in_error_at.is_some()
    }
    /// Why it was marked entered in error; `null` when it was not, or when the content
    /// is withheld from the caller.
    async fn entered_in_error_reason(&self) -> Option<&str> {
        self.content(|b| b.entered_in_error_reason.as_deref())
            .flatten()
    }
}

/// Another child involved in a behaviour (for example the child it was directed at).
/// Their name and record link are shown only to agencies of kind `CHILDRENS_SOCIAL_CARE`
/// or `POLICE` and to the recording agency; others see age and relationship only.
#[derive(Description)]
pub struct AffectedChild {
    model: affected_children::Model,
    identity: bool,
}

#[Object(use_type_description)]
impl AffectedChild {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    async fn id(&self) -> ID {
        ids::encode("AffectedChild", self.model.id)
    }
    /// The child's age in years when the behaviour happened; `null` when not known.
    async fn age_at_time(&self) -> Option<i32> {
        self.model.age_at_time
    }
    /// How they relate to the child who displayed the behaviour (sibling, classmate, …).
    async fn relationship(&self) -> &str {
        &self.model.relationship
    }
    /// Whether the caller may see who the child is (`givenName`, `familyName`, `child`).
    async fn identity_visible(&self) -> bool {
        self.identity
    }
    /// Their given name; `null` when not recorded or when `identityVisible` is false.
    async fn given_name(&self) -> Option<&str> {
        self.model.given_name.as_deref().filter(|_| self.identity)
    }
    /// Their family name; `null` when not recorded or when `identityVisible` is false.
    async fn family_name(&self) -> Option<&str> {
        self.model.family_name.as_deref().filter(|_| self.identity)
    }
    /// Their own child record, when one is linked, the identity is visible to the caller
    /// and the caller may read that record; `null` otherwise.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        let Some(id) = self.model.child_id.filter(|_| self.identity) else {
            return Ok(None);
        };
        super::readable_child(ctx, id).await
    }
}

/// Another child involved in a behaviour, as the recording practitioner knows them.
#[derive(InputObject)]
pub struct AffectedChildInput {
    /// Their own child record's global id, if they have one in Concord.
    pub child_id: Option<ID>,
    /// Their given name, if known (at most 100 characters).
    #[graphql(validator(custom = "MaxChars::new(\"givenName\", 100)"))]
    pub given_name: Option<String>,
    /// Their family name, if known (at most 100 characters).
    #[graphql(validator(custom = "MaxChars::new(\"familyName\", 100)"))]
    pub family_name: Option<String>,
    /// Their age in years when the behaviour happened, if known.
    pub age_at_time: Option<i32>,
    /// How they relate to the child (sibling, classmate, …; at most 200 characters).
    #[graphql(validator(custom = "MaxChars::new(\"relationship\", 200)"))]
    pub relationship: String,
}

/// Input of `recordBehaviour`: one behaviour and how the practitioner classifies it.
#[derive(InputObject)]
pub struct RecordBehaviourInput {
    /// The global id of the child who displayed the behaviour.
    pub child_id: ID,
    /// The day the behaviour happened (from 1900 to at most a day ahead of today).
    pub occurred_on: Date,
    /// When it was disclosed to a professional (from 1900 to at most a day ahead of now).
    pub disclosed_at: DateTime,
    /// Where the behaviour happened.
    pub setting: Setting,
    /// Whether the behaviour involved physical contact.
    pub contact_type: ContactType,
    /// The practitioner's account of what happened (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"description\", 10000)"))]
    pub description: String,
    /// Where the behaviour sits on Hackett's continuum.
    pub continuum: Continuum,
    /// The indicators observed (at most 50); they feed the suggested traffic light.
    #[graphql(default, validator(custom = "MaxItems::new(\"indicators\", 50)"))]
    pub indicators: Vec<Indicator>,
    /// The practitioner's Brook traffic light.
    pub traffic_light: TrafficLight,
    /// Why the traffic light is lower than the one Concord suggests; required then
    /// (`VALIDATION_FAILED` otherwise), at most 2,000 characters.
    #[graphql(validator(custom = "MaxChars::new(\"classificationRationale\", 2000)"))]
    pub classification_rationale: Option<String>,
    /// Who may read the content: `STANDARD` (the default, the whole case team) or
    /// `RESTRICTED`.
    #[graphql(default_with = "Sensitivity::Standard")]
    pub sensitivity: Sensitivity,
    /// Global ids of the agencies (at most 50) that may also read a restricted
    /// behaviour's content, besides the recording and lead agencies.
    #[graphql(default, validator(custom = "MaxItems::new(\"sharedWith\", 50)"))]
    pub shared_with: Vec<ID>,
    /// The other children involved (at most 50).
    #[graphql(default, validator(custom = "MaxItems::new(\"affectedChildren\", 50)"))]
    pub affected_children: Vec<AffectedChildInput>,
}

/// The history alert: what the partnership already recorded about the child, by any
/// agency, as counts and agencies, never the details (those stay behind their own
/// access rules).
#[derive(SimpleObject)]
pub struct BehaviourHistory {
    /// How many earlier behaviours of the child any agency recorded.
    pub prior_behaviours: u64,
    /// The most concerning traffic light among them; `null` when there are none.
    pub worst_traffic_light: Option<TrafficLight>,
    /// The day the first of them was recorded in Concord; `null` when there are none.
    pub first_recorded_on: Option<Date>,
    /// The agencies that recorded them, to ask for details.
    pub agencies: Vec<Agency>,
}

/// Result of `recordBehaviour`: the behaviour, its classification and the history alert.
#[derive(SimpleObject)]
pub struct RecordBehaviourPayload {
    /// The behaviour as saved (the caller's agency recorded it, so it sees the content).
    pub behaviour: Behaviour,
    /// The traffic light Concord suggests from the indicators and the continuum.
    pub suggested_traffic_light: TrafficLight,
    /// Whether the behaviour escalated the case (see `Behaviour.escalated`).
    pub escalated: bool,
    /// What the partnership already recorded about the child, in counts.
    pub history: BehaviourHistory,
}

/// Behaviour mutations.
#[derive(Default)]
pub struct BehaviourMutation;

#[Object]
impl BehaviourMutation {
    /// Records a behaviour of a child whose case team the caller's agency is on (any case
    /// role). Returns the suggested traffic light, whether it escalated, and the history
    /// alert.
    async fn record_behaviour(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The behaviour and how the practitioner classifies it.")]
        input: RecordBehaviourInput,
    ) -> async_graphql::Result<RecordBehaviourPayload> {
        let caller = caller(ctx)?;
        let mut affected = Vec::new();
        for child in input.affected_children {
            affected.push(NewAffectedChild {
                child_id: child
                    .child_id
                    .as_ref()
                    .map(|id| ids::decode_as(id, "Child", "affectedChildren.childId"))
                    .transpose()
                    .gql()?,
                given_name: child.given_name,
                family_name: child.family_name,
                age_at_time: child.age_at_time,
                relationship: child.relationship,
            });
        }
        let new = domain::behaviours::NewBehaviour {
            child_id: ids::decode_as(&input.child_id, "Child", "childId").gql()?,
            occurred_on: input.occurred_on.into(),
            disclosed_at: input.disclosed_at.into(),
            setting: input.setting,
            contact_type: input.contact_type,
            description: input.description,
            continuum: input.continuum,
            indicators: input.indicators,
            traffic_light: input.traffic_light,
            classification_rationale: input.classification_rationale,
            sensitivity: input.sensitivity,
            shared_with: agency_ids(&input.shared_with, "sharedWith")?,
            affected_children: affected,
        };
        let (db, config) = (db(ctx)?, config(ctx)?);
        let recorded = domain::retry::transient(|| {
            domain::behaviours::record(db, caller, config, new.clone())
        })
        .await
        .gql()?;
        let history = BehaviourHistory {
            prior_behaviours: recorded.history.prior_behaviours,
            worst_traffic_light: recorded.history.worst_traffic_light,
            first_recorded_on: recorded.history.first_recorded_on.map(Into::into),
            agencies: agencies_by_ids(ctx, &recorded.history.agencies).await?,
        };
        Ok(RecordBehaviourPayload {
            behaviour: Behaviour(Masked::recorded(recorded.behaviour)),
            suggested_traffic_light: recorded.suggested,
            escalated: recorded.escalated,
            history,
        })
    }
}
