//! `Behaviour`, `AffectedChild` and `recordBehaviour`.

use super::scalars::{Date, DateTime};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
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

/// A recorded instance of harmful sexual behaviour. When it is `RESTRICTED` and the
/// caller is not entitled to its content, the content fields are `null` and
/// `restricted` is true (DESIGN §5.3).
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

#[Object]
impl Behaviour {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("Behaviour", self.row().id)
    }
    /// The child.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        super::visible_child(ctx, self.row().child_id).await
    }
    /// The agency that recorded it.
    async fn recording_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.row().agency_id).await
    }
    /// When it happened.
    async fn occurred_on(&self) -> Date {
        self.row().occurred_on.into()
    }
    /// When it was disclosed.
    async fn disclosed_at(&self) -> DateTime {
        self.row().disclosed_at.into()
    }
    /// The practitioner's classification.
    async fn traffic_light(&self) -> TrafficLight {
        self.row().traffic_light
    }
    /// The service's suggestion from the indicators and continuum.
    async fn suggested_traffic_light(&self) -> TrafficLight {
        self.row().suggested_traffic_light
    }
    /// Whether it escalated the case (DESIGN §4.1).
    async fn escalated(&self) -> bool {
        self.row().escalated
    }
    /// `STANDARD` or `RESTRICTED`.
    async fn sensitivity(&self) -> Sensitivity {
        self.row().sensitivity
    }
    /// True when the content is withheld from the caller: ask the recording agency.
    async fn restricted(&self) -> bool {
        self.0.restricted()
    }
    /// Where it happened.
    async fn setting(&self) -> Option<Setting> {
        self.content(|b| b.setting)
    }
    /// Contact or not.
    async fn contact_type(&self) -> Option<ContactType> {
        self.content(|b| b.contact_type)
    }
    /// What happened.
    async fn description(&self) -> Option<&str> {
        self.content(|b| b.description.as_str())
    }
    /// Hackett continuum.
    async fn continuum(&self) -> Option<Continuum> {
        self.content(|b| b.continuum)
    }
    /// Observed indicators.
    async fn indicators(&self) -> Option<Vec<Indicator>> {
        self.content(|b| b.indicators.0.clone())
    }
    /// Why the classification is lower than the suggestion.
    async fn classification_rationale(&self) -> Option<&str> {
        self.content(|b| b.classification_rationale.as_deref())
            .flatten()
    }
    /// Agencies a restricted behaviour is shared with.
    #[graphql(complexity = "size::SHARED_WITH * child_complexity")]
    async fn shared_with(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<Agency>>> {
        let Some(shared) = self.content(|b| b.shared_with.0.clone()) else {
            return Ok(None);
        };
        Ok(Some(agencies_by_ids(ctx, &shared).await?))
    }
    /// The other children involved; their identity is protected (DESIGN §5.3).
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
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.row().version
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        self.row().created_at.into()
    }
}

/// Another child involved in a behaviour. Name and record link are shown only to
/// children's social care, police and the recording agency.
pub struct AffectedChild {
    model: affected_children::Model,
    identity: bool,
}

#[Object]
impl AffectedChild {
    /// Global id.
    async fn id(&self) -> ID {
        ids::encode("AffectedChild", self.model.id)
    }
    /// Age at the time.
    async fn age_at_time(&self) -> Option<i32> {
        self.model.age_at_time
    }
    /// Relationship to the child.
    async fn relationship(&self) -> &str {
        &self.model.relationship
    }
    /// Whether the caller may see who the child is.
    async fn identity_visible(&self) -> bool {
        self.identity
    }
    /// Given name, for those who may see it.
    async fn given_name(&self) -> Option<&str> {
        self.model.given_name.as_deref().filter(|_| self.identity)
    }
    /// Family name, for those who may see it.
    async fn family_name(&self) -> Option<&str> {
        self.model.family_name.as_deref().filter(|_| self.identity)
    }
    /// Their own record, when linked, for those who may see it and read it.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        let _slot = super::db_slot(ctx).await?;
        let Some(id) = self.model.child_id.filter(|_| self.identity) else {
            return Ok(None);
        };
        Ok(
            domain::children::read_node_audited(db(ctx)?, caller(ctx)?, id)
                .await
                .gql()?
                .map(Child),
        )
    }
}

/// An affected child as recorded.
#[derive(InputObject)]
pub struct AffectedChildInput {
    /// Their own record, if they have one.
    pub child_id: Option<ID>,
    /// Given name, if known.
    #[graphql(validator(custom = "MaxChars::new(\"givenName\", 100)"))]
    pub given_name: Option<String>,
    /// Family name, if known.
    #[graphql(validator(custom = "MaxChars::new(\"familyName\", 100)"))]
    pub family_name: Option<String>,
    /// Age at the time.
    pub age_at_time: Option<i32>,
    /// Relationship to the child (sibling, classmate, …).
    #[graphql(validator(custom = "MaxChars::new(\"relationship\", 200)"))]
    pub relationship: String,
}

/// Input of `recordBehaviour`.
#[derive(InputObject)]
pub struct RecordBehaviourInput {
    /// The child.
    pub child_id: ID,
    /// When it happened.
    pub occurred_on: Date,
    /// When it was disclosed.
    pub disclosed_at: DateTime,
    /// Where.
    pub setting: Setting,
    /// Contact or not.
    pub contact_type: ContactType,
    /// What happened.
    #[graphql(validator(custom = "MaxChars::new(\"description\", 10000)"))]
    pub description: String,
    /// Hackett continuum.
    pub continuum: Continuum,
    /// Observed indicators.
    #[graphql(default, validator(custom = "MaxItems::new(\"indicators\", 50)"))]
    pub indicators: Vec<Indicator>,
    /// The practitioner's classification.
    pub traffic_light: TrafficLight,
    /// Required when the classification is lower than the suggestion.
    #[graphql(validator(custom = "MaxChars::new(\"classificationRationale\", 2000)"))]
    pub classification_rationale: Option<String>,
    /// Who may read the content.
    #[graphql(default_with = "Sensitivity::Standard")]
    pub sensitivity: Sensitivity,
    /// Agencies a restricted behaviour is shared with.
    #[graphql(default, validator(custom = "MaxItems::new(\"sharedWith\", 50)"))]
    pub shared_with: Vec<ID>,
    /// The other children involved.
    #[graphql(default, validator(custom = "MaxItems::new(\"affectedChildren\", 50)"))]
    pub affected_children: Vec<AffectedChildInput>,
}

/// What came before (DESIGN §4.2): counts and agencies, never the details.
#[derive(SimpleObject)]
pub struct BehaviourHistory {
    /// Earlier behaviours of the child, by any agency.
    pub prior_behaviours: u64,
    /// The worst traffic light among them.
    pub worst_traffic_light: Option<TrafficLight>,
    /// When the first was recorded.
    pub first_recorded_on: Option<Date>,
    /// The agencies that hold them.
    pub agencies: Vec<Agency>,
}

/// Result of `recordBehaviour`.
#[derive(SimpleObject)]
pub struct RecordBehaviourPayload {
    /// The saved behaviour.
    pub behaviour: Behaviour,
    /// The service's suggestion.
    pub suggested_traffic_light: TrafficLight,
    /// Whether it escalated the case.
    pub escalated: bool,
    /// The history alert.
    pub history: BehaviourHistory,
}

/// Behaviour mutations.
#[derive(Default)]
pub struct BehaviourMutation;

#[Object]
impl BehaviourMutation {
    /// Records a behaviour on a child of the caller's case team (any case role).
    async fn record_behaviour(
        &self,
        ctx: &Context<'_>,
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
