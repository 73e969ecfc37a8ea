//! `ChronologyEntry` and `addChronologyEntry`.

use super::scalars::DateTime;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::chronology_entries;
use entity::enums::{ChronologyKind, Sensitivity};

use super::agency::Agency;
use super::behaviour::Behaviour;
use super::child::Child;
use super::limits::size;
use super::limits::{MaxChars, MaxItems};
use super::{agencies_by_ids, agency_by_id, agency_ids, caller, db, ids, lead_agency_id};
use crate::domain;
use crate::domain::masked::Masked;
use crate::error::IntoGql;

/// An entry of the multi-agency chronology. A restricted entry the caller may not read
/// still shows its date, kind and recording agency, with `summary` null and `restricted`
/// true (DESIGN §5.3).
pub struct ChronologyEntry(pub Masked<chronology_entries::Model>);

impl ChronologyEntry {
    /// Wraps a row as the caller may see it (the domain masks the content).
    pub async fn for_caller(
        ctx: &Context<'_>,
        model: chronology_entries::Model,
    ) -> async_graphql::Result<Self> {
        let lead = lead_agency_id(ctx, model.child_id).await?;
        Ok(Self(domain::chronology::masked(caller(ctx)?, model, lead)))
    }

    /// The fields every case team member sees.
    fn row(&self) -> &chronology_entries::Model {
        self.0.row()
    }
}

#[Object]
impl ChronologyEntry {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("ChronologyEntry", self.row().id)
    }
    /// The child.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        super::visible_child(ctx, self.row().child_id).await
    }
    /// The behaviour it concerns, if any.
    async fn behaviour(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Behaviour>> {
        let _slot = super::db_slot(ctx).await?;
        let Some(id) = self.0.content().and_then(|entry| entry.behaviour_id) else {
            return Ok(None);
        };
        match domain::behaviours::read_audited(db(ctx)?, caller(ctx)?, id)
            .await
            .gql()?
        {
            Some(model) => Ok(Some(Behaviour::for_caller(ctx, model).await?)),
            None => Ok(None),
        }
    }
    /// What it records.
    async fn kind(&self) -> ChronologyKind {
        self.row().kind
    }
    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        self.row().occurred_at.into()
    }
    /// The agency that recorded it.
    async fn recording_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.row().agency_id).await
    }
    /// `STANDARD` or `RESTRICTED`.
    async fn sensitivity(&self) -> Sensitivity {
        self.row().sensitivity
    }
    /// True when the content is withheld from the caller.
    async fn restricted(&self) -> bool {
        self.0.restricted()
    }
    /// What happened.
    async fn summary(&self) -> Option<&str> {
        self.0.content().map(|entry| entry.summary.as_str())
    }
    /// Agencies a restricted entry is shared with.
    #[graphql(complexity = "size::SHARED_WITH * child_complexity")]
    async fn shared_with(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<Agency>>> {
        let Some(entry) = self.0.content() else {
            return Ok(None);
        };
        Ok(Some(agencies_by_ids(ctx, &entry.shared_with.0).await?))
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

/// Input of `addChronologyEntry`.
#[derive(InputObject)]
pub struct AddChronologyEntryInput {
    /// The child.
    pub child_id: ID,
    /// The behaviour it concerns, if any.
    pub behaviour_id: Option<ID>,
    /// What it records.
    pub kind: ChronologyKind,
    /// When it happened.
    pub occurred_at: DateTime,
    /// What happened.
    #[graphql(validator(custom = "MaxChars::new(\"summary\", 10000)"))]
    pub summary: String,
    /// Who may read the summary.
    #[graphql(default_with = "Sensitivity::Standard")]
    pub sensitivity: Sensitivity,
    /// Agencies a restricted entry is shared with.
    #[graphql(default, validator(custom = "MaxItems::new(\"sharedWith\", 50)"))]
    pub shared_with: Vec<ID>,
}

/// Result of `addChronologyEntry`.
#[derive(SimpleObject)]
pub struct AddChronologyEntryPayload {
    /// The new entry.
    pub entry: ChronologyEntry,
}

/// Chronology mutations.
#[derive(Default)]
pub struct ChronologyMutation;

#[Object]
impl ChronologyMutation {
    /// Adds an entry to a child's chronology (any case role on the case team).
    async fn add_chronology_entry(
        &self,
        ctx: &Context<'_>,
        input: AddChronologyEntryInput,
    ) -> async_graphql::Result<AddChronologyEntryPayload> {
        let caller = caller(ctx)?;
        let entry = domain::chronology::NewEntry {
            child_id: ids::decode_as(&input.child_id, "Child", "childId").gql()?,
            behaviour_id: input
                .behaviour_id
                .as_ref()
                .map(|id| ids::decode_as(id, "Behaviour", "behaviourId"))
                .transpose()
                .gql()?,
            kind: input.kind,
            occurred_at: input.occurred_at.into(),
            summary: input.summary,
            sensitivity: input.sensitivity,
            shared_with: agency_ids(&input.shared_with, "sharedWith")?,
        };
        let saved = domain::chronology::add(db(ctx)?, caller, entry)
            .await
            .gql()?;
        Ok(AddChronologyEntryPayload {
            entry: ChronologyEntry(Masked::recorded(saved)),
        })
    }
}
