//! `Deadline`, `deadlines(filter)` and `recordLateReason` (`docs/product.md`).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::agency::Agency;
use super::child::Child;
use super::limits::MaxChars;
use super::scalars::{Date, DateTime};
use super::{agency_by_id, caller, config, db, ids};
use crate::domain::deadlines::{DeadlineCursor, Noted};
use crate::domain::{self};
use crate::error::{ApiError, ApiResult, IntoGql};
use crate::timescales::deadlines::{DeadlineKind, DeadlineStatus, london_day};

/// A statutory or procedural deadline of a child's case, computed by Concord from the
/// chronology and the joint plans under the partnership's timescales policy (working
/// days skip weekends and bank holidays). Visible to those who may read the child.
#[derive(Description)]
pub struct Deadline(pub Noted);

#[Object(use_type_description)]
impl Deadline {
    /// A stable global id, derived from what the deadline is computed from, so it stays
    /// the same across reads; `node(id:)` fetches it again.
    pub async fn id(&self) -> ID {
        ids::encode_pair("Deadline", self.0.deadline.id, self.0.deadline.child_id)
    }
    /// What the deadline is for.
    async fn kind(&self) -> DeadlineKind {
        self.0.deadline.kind
    }
    /// When the clock started: the time of the event the deadline runs from.
    async fn started_at(&self) -> DateTime {
        self.0.deadline.started_at.into()
    }
    /// The instant it falls due. For a deadline counted in days (see `dueOn`) this is
    /// the midnight that ends the last permitted day in London, so it reads as the next
    /// day in UTC (`2026-06-02T23:00:00Z` in summer, `2026-12-03T00:00:00Z` in winter);
    /// for one counted in hours (`STRATEGY_DISCUSSION`) or calendar days from an instant
    /// (`DISCLOSURE_TO_OUTCOME`) it is that exact instant.
    async fn due_at(&self) -> DateTime {
        self.0.deadline.due_at.into()
    }
    /// The last permitted day, as the partnership's calendar (Europe/London) counts it,
    /// for deadlines that fall due at the end of a day: `REFERRAL_DECISION`,
    /// `ASSESSMENT_COMPLETED`, `INITIAL_CP_CONFERENCE`, `PLAN_REVIEW` and
    /// `TRANSITION_PLANNING`. The deadline is met by anything done on or before this day.
    /// Null for deadlines that fall due at an exact instant (`STRATEGY_DISCUSSION`,
    /// `DISCLOSURE_TO_OUTCOME`): show `dueAt` for those.
    async fn due_on(&self) -> Option<Date> {
        due_on(&self.0.deadline).map(Date)
    }
    /// When the deadline was met (the time of the event that meets it); `null` while it
    /// is not.
    async fn met_at(&self) -> Option<DateTime> {
        self.0.deadline.met_at.map(Into::into)
    }
    /// Where the deadline stands at the time of the request.
    async fn status(&self) -> DeadlineStatus {
        self.0.status
    }
    /// Why the deadline was missed, once the answerable agency recorded it; `null` before.
    async fn late_reason(&self) -> Option<&str> {
        self.0.note.as_ref().map(|n| n.reason.as_str())
    }
    /// The version of the late reason: 0 before one is recorded, raised by each; pass it
    /// as `expectedVersion` to `recordLateReason`.
    async fn version(&self) -> i32 {
        self.0.note.as_ref().map_or(0, |n| n.version)
    }
    /// The child whose case the deadline belongs to (reading the deadline is audited as a
    /// read of the child).
    async fn child(&self) -> Child {
        Child(self.0.child.as_ref().clone())
    }
    /// The agency answerable for meeting the deadline (usually the lead agency); `null`
    /// when the child has no lead agency.
    async fn responsible_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        match self.0.deadline.responsible_agency {
            Some(id) => Ok(Some(agency_by_id(ctx, id).await?)),
            None => Ok(None),
        }
    }
}

/// The last permitted London day of a deadline that falls due at the end of a day (its
/// due time is the midnight after that day), or `None` for one due at an exact instant.
/// The match is exhaustive so that a new kind has to say which it is.
fn due_on(deadline: &crate::timescales::deadlines::Deadline) -> Option<chrono::NaiveDate> {
    match deadline.kind {
        DeadlineKind::ReferralDecision
        | DeadlineKind::AssessmentCompleted
        | DeadlineKind::InitialCpConference
        | DeadlineKind::PlanReview
        | DeadlineKind::TransitionPlanning
        | DeadlineKind::DisclosureDecision => deadline
            .due_at
            .checked_sub_signed(chrono::Duration::seconds(1))
            .map(london_day),
        DeadlineKind::StrategyDiscussion | DeadlineKind::DisclosureToOutcome => None,
    }
}

/// Filters of `deadlines`; omitted fields do not filter, and given ones all apply.
#[derive(InputObject, Default)]
pub struct DeadlineFilter {
    /// Only deadlines this agency answers for (global id), e.g. "what is overdue for us".
    pub agency_id: Option<ID>,
    /// Only deadlines in this state now.
    pub status: Option<DeadlineStatus>,
    /// Only deadlines falling due strictly before this time.
    pub due_before: Option<DateTime>,
}

/// `totalCount` of a `deadlines` connection, counted only when selected.
pub struct DeadlineTotal {
    filter: domain::deadlines::DeadlineFilter,
}

#[Object]
impl DeadlineTotal {
    /// How many deadlines the whole list has.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let _slot = super::db_slot(ctx).await?;
        Box::pin(domain::deadlines::count(
            db(ctx)?,
            caller(ctx)?,
            &self.filter,
        ))
        .await
        .gql()
    }
}

/// A page of deadlines.
pub type DeadlineConnection = Connection<String, Deadline, DeadlineTotal, EmptyFields>;

/// The cursor of a deadline in the list: its due time and id, the list's order.
fn cursor(deadline: &crate::timescales::deadlines::Deadline) -> String {
    let mut bytes = Vec::with_capacity(24);
    bytes.extend_from_slice(&deadline.due_at.timestamp_micros().to_be_bytes());
    bytes.extend_from_slice(deadline.id.as_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The position inside a cursor made by [`cursor`], for argument `after`.
fn decode_cursor(cursor: &str) -> ApiResult<DeadlineCursor> {
    let invalid = || ApiError::validation("after", "is not a cursor of this list");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let (due, id) = bytes.split_at_checked(8).ok_or_else(invalid)?;
    let due = i64::from_be_bytes(due.try_into().map_err(|_| invalid())?);
    Ok(DeadlineCursor {
        due_at: chrono::DateTime::from_timestamp_micros(due).ok_or_else(invalid)?,
        id: uuid::Uuid::from_slice(id).map_err(|_| invalid())?,
    })
}

/// Deadline queries.
#[derive(Default)]
pub struct DeadlineQuery;

#[Object]
impl DeadlineQuery {
    /// Deadlines of the children the caller may read, soonest due first (then by id), as a
    /// page (case roles).
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which deadlines to list; all visible ones when omitted.")] filter: Option<
            DeadlineFilter,
        >,
        #[graphql(desc = "How many to return: 20 when omitted, at most 100.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<DeadlineConnection> {
        let filter = filter.unwrap_or_default();
        let domain_filter = domain::deadlines::DeadlineFilter {
            agency_id: filter
                .agency_id
                .as_ref()
                .map(|id| ids::decode_as(id, "Agency", "filter.agencyId"))
                .transpose()
                .gql()?,
            status: filter.status,
            due_before: filter.due_before.map(Into::into),
        };
        let request = super::paging::request(ctx, first, None, 20)?;
        let after = after.as_deref().map(decode_cursor).transpose().gql()?;
        let page = {
            let _slot = super::db_slot(ctx).await?;
            domain::deadlines::list_audited(
                db(ctx)?,
                caller(ctx)?,
                &domain_filter,
                request.first,
                after,
            )
            .await
            .gql()?
        };
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            page.has_next,
            DeadlineTotal {
                filter: domain_filter,
            },
        );
        connection.edges.extend(
            page.items
                .into_iter()
                .map(|noted| Edge::new(cursor(&noted.deadline), Deadline(noted))),
        );
        Ok(connection)
    }
}

/// Input of `recordLateReason`: the deadline and why it was missed.
#[derive(InputObject)]
pub struct RecordLateReasonInput {
    /// The global id of a deadline that is `MET_LATE` or `OVERDUE`.
    pub deadline_id: ID,
    /// Why the deadline was missed (at most 2,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The deadline's `version` as the client read it (0 before any reason); a stale one
    /// is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `recordLateReason`: the deadline with its reason.
#[derive(SimpleObject)]
pub struct RecordLateReasonPayload {
    /// The deadline with its late reason and new `version`.
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
        #[graphql(desc = "The deadline and why it was missed.")] input: RecordLateReasonInput,
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

/// The stored deadlines of a child, soonest first, with their late reasons, by child id
/// (asked only about children already found visible).
pub struct DeadlinesLoader(pub DatabaseConnection);

impl Loader<Uuid> for DeadlinesLoader {
    type Value = Vec<domain::deadlines::stored::WithNote>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = super::loaders::chunked(keys, |ids| async move {
            domain::deadlines::stored::with_notes_of_children(&self.0, &ids).await
        })
        .await?;
        Ok(super::loaders::group(keys, rows, |row| {
            row.deadline.child_id
        }))
    }
}
