//! `ChronologyEntry` and `addChronologyEntry`.

use super::scalars::DateTime;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
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

/// An entry of the child's multi-agency chronology: a milestone of the procedure (the
/// deadlines are computed from these) or a note. Every agency on the case team sees it; a
/// restricted entry the caller may not read still shows its date, kind and recording
/// agency, with its content `null` and `restricted` true (see `docs/access.md`).
#[derive(Description)]
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

#[Object(use_type_description)]
impl ChronologyEntry {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("ChronologyEntry", self.row().id)
    }
    /// The child whose chronology this is.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        super::visible_child(ctx, self.row().child_id).await
    }
    /// The behaviour the entry concerns; `null` when none, or when the content is
    /// withheld (`restricted`).
    async fn behaviour(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Behaviour>> {
        let _slot = super::db_slot(ctx).await?;
        let Some(id) = self.0.content().and_then(|entry| entry.behaviour_id) else {
            return Ok(None);
        };
        match Box::pin(domain::behaviours::read_audited(db(ctx)?, caller(ctx)?, id))
            .await
            .gql()?
        {
            Some(model) => Ok(Some(Behaviour::for_caller(ctx, model).await?)),
            None => Ok(None),
        }
    }
    /// What the entry records: which milestone, or a note.
    async fn kind(&self) -> ChronologyKind {
        self.row().kind
    }
    /// When the event it records happened (not when it was recorded).
    async fn occurred_at(&self) -> DateTime {
        self.row().occurred_at.into()
    }
    /// The agency that recorded the entry; it always sees the content.
    async fn recording_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.row().agency_id).await
    }
    /// Who may read the content: the whole case team (`STANDARD`) or only some agencies
    /// (`RESTRICTED`).
    async fn sensitivity(&self) -> Sensitivity {
        self.row().sensitivity
    }
    /// True when the content is withheld from the caller (`summary`, `behaviour` and
    /// `sharedWith` are then `null`): ask the recording agency.
    async fn restricted(&self) -> bool {
        self.0.restricted()
    }
    /// What happened, in the recording practitioner's words; `null` when the content is
    /// withheld.
    async fn summary(&self) -> Option<&str> {
        self.0.content().map(|entry| entry.summary.as_str())
    }
    /// The agencies besides the recording and lead agencies that may read a restricted
    /// entry's content; `null` when the content is withheld.
    #[graphql(complexity = "size::SHARED_WITH * child_complexity")]
    async fn shared_with(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<Agency>>> {
        let Some(entry) = self.0.content() else {
            return Ok(None);
        };
        Ok(Some(agencies_by_ids(ctx, &entry.shared_with.0).await?))
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.row().version
    }
    /// When the entry was recorded in Concord.
    async fn created_at(&self) -> DateTime {
        self.row().created_at.into()
    }
    /// Whether the entry was ever amended (`amendChronologyEntry`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        super::amendment::amended(ctx, self.row().id).await
    }
    /// Every earlier version of the entry, oldest first, with who amended it, when and
    /// why; the values and reasons under the entry's own access rules.
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::amendment::RecordVersion>> {
        let row = self.row();
        super::amendment::entry_history(ctx, &self.0, row.id, row.child_id).await
    }
    /// True when the recording agency marked the entry entered in error: it stays,
    /// struck through, its content withheld from every other agency, and it no longer
    /// counts for deadlines or the strategic report.
    async fn entered_in_error(&self) -> bool {
        self.row().entered_in_error_at.is_some()
    }
    /// Why it was marked entered in error; `null` when it was not, or when the content
    /// is withheld from the caller.
    async fn entered_in_error_reason(&self) -> Option<&str> {
        self.0
            .content()
            .and_then(|entry| entry.entered_in_error_reason.as_deref())
    }
}

/// Input of `addChronologyEntry`: one milestone or note for a child's chronology.
#[derive(InputObject)]
pub struct AddChronologyEntryInput {
    /// The global id of the child whose chronology it goes in.
    pub child_id: ID,
    /// The global id of the behaviour it concerns, if any (a behaviour of the same child).
    pub behaviour_id: Option<ID>,
    /// What the entry records; a milestone kind meets or starts the deadlines that
    /// depend on it.
    pub kind: ChronologyKind,
    /// When the event happened (from 1900 to at most a day ahead of now).
    pub occurred_at: DateTime,
    /// What happened (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"summary\", 10000)"))]
    pub summary: String,
    /// Who may read the summary: `STANDARD` (the default, the whole case team) or
    /// `RESTRICTED`.
    #[graphql(default_with = "Sensitivity::Standard")]
    pub sensitivity: Sensitivity,
    /// Global ids of the agencies (at most 50) that may also read a restricted entry,
    /// besides the recording and lead agencies.
    #[graphql(default, validator(custom = "MaxItems::new(\"sharedWith\", 50)"))]
    pub shared_with: Vec<ID>,
}

/// Result of `addChronologyEntry`: the entry as saved.
#[derive(SimpleObject)]
pub struct AddChronologyEntryPayload {
    /// The new chronology entry.
    pub entry: ChronologyEntry,
}

/// Chronology mutations.
#[derive(Default)]
pub struct ChronologyMutation;

#[Object]
impl ChronologyMutation {
    /// Adds an entry to a child's chronology (any case role of an agency on the case team).
    /// Milestone kinds start or meet deadlines.
    async fn add_chronology_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entry to add to the child's chronology.")]
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
