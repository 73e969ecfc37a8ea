//! `Deadline`, `deadlines(filter)` and `recordLateReason` (DESIGN §4.4).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::agency::Agency;
use super::child::Child;
use super::limits::MaxChars;
use super::limits::size;
use super::{agency_by_id, caller, config, db, ids};
use crate::domain::{self, deadlines::Noted};
use crate::error::IntoGql;
use crate::timescales::deadlines::{DeadlineKind, DeadlineStatus};

/// A deadline derived from the chronology and plans.
pub struct Deadline(pub Noted);

#[Object]
impl Deadline {
    /// Stable global id, derived from what the deadline is computed from.
    pub async fn id(&self) -> ID {
        ids::encode_pair("Deadline", self.0.deadline.id, self.0.deadline.child_id)
    }
    /// What it is for.
    async fn kind(&self) -> DeadlineKind {
        self.0.deadline.kind
    }
    /// When the clock started.
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.deadline.started_at
    }
    /// When it falls due (the end of the last permitted day).
    async fn due_at(&self) -> DateTime<Utc> {
        self.0.deadline.due_at
    }
    /// When it was met.
    async fn met_at(&self) -> Option<DateTime<Utc>> {
        self.0.deadline.met_at
    }
    /// `MET`, `MET_LATE`, `DUE` or `OVERDUE`, now.
    async fn status(&self) -> DeadlineStatus {
        self.0.status
    }
    /// Why it was late, once recorded.
    async fn late_reason(&self) -> Option<&str> {
        self.0.note.as_ref().map(|n| n.reason.as_str())
    }
    /// Version of the late reason (0 before one is recorded), for `recordLateReason`.
    async fn version(&self) -> i32 {
        self.0.note.as_ref().map_or(0, |n| n.version)
    }
    /// The child.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        let _slot = super::db_slot(ctx).await?;
        Ok(Child(
            domain::children::read_audited(db(ctx)?, caller(ctx)?, self.0.deadline.child_id)
                .await
                .gql()?,
        ))
    }
    /// The agency answerable for it.
    async fn responsible_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        match self.0.deadline.responsible_agency {
            Some(id) => Ok(Some(agency_by_id(ctx, id).await?)),
            None => Ok(None),
        }
    }
}

/// Filters of `deadlines`.
#[derive(InputObject, Default)]
pub struct DeadlineFilter {
    /// Only those this agency answers for ("what is overdue for us").
    pub agency_id: Option<ID>,
    /// Only those in this state.
    pub status: Option<DeadlineStatus>,
    /// Only those due before this time.
    pub due_before: Option<DateTime<Utc>>,
}

/// Deadline queries.
#[derive(Default)]
pub struct DeadlineQuery;

#[Object]
impl DeadlineQuery {
    /// Deadlines of the children the caller may read, soonest first.
    #[graphql(complexity = "size::ALL_DEADLINES * child_complexity")]
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
        filter: Option<DeadlineFilter>,
    ) -> async_graphql::Result<Vec<Deadline>> {
        let filter = filter.unwrap_or_default();
        let domain_filter = domain::deadlines::DeadlineFilter {
            agency_id: filter
                .agency_id
                .as_ref()
                .map(|id| ids::decode_as(id, "Agency", "filter.agencyId"))
                .transpose()
                .gql()?,
            status: filter.status,
            due_before: filter.due_before,
        };
        let rows = domain::deadlines::list(db(ctx)?, caller(ctx)?, config(ctx)?, domain_filter)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Deadline).collect())
    }
}

/// Input of `recordLateReason`.
#[derive(InputObject)]
pub struct RecordLateReasonInput {
    /// The deadline.
    pub deadline_id: ID,
    /// Why it was missed.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The deadline's `version` as read (0 before any reason).
    pub expected_version: i32,
}

/// Result of `recordLateReason`.
#[derive(SimpleObject)]
pub struct RecordLateReasonPayload {
    /// The deadline with its reason.
    pub deadline: Deadline,
}

/// Deadline mutations.
#[derive(Default)]
pub struct DeadlineMutation;

#[Object]
impl DeadlineMutation {
    /// Records why a deadline was met late or is overdue (the answerable agency, or the
    /// lead agency's coordinator).
    async fn record_late_reason(
        &self,
        ctx: &Context<'_>,
        input: RecordLateReasonInput,
    ) -> async_graphql::Result<RecordLateReasonPayload> {
        let (deadline, child) =
            ids::decode_pair(&input.deadline_id, "Deadline", "deadlineId").gql()?;
        let noted = domain::deadlines::record_late_reason(
            db(ctx)?,
            caller(ctx)?,
            config(ctx)?,
            child,
            deadline,
            &input.reason,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(RecordLateReasonPayload {
            deadline: Deadline(noted),
        })
    }
}
