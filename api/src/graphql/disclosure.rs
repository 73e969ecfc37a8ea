//! `DisclosureRequest`, `requestDisclosure`, `decideDisclosure` and
//! `myDisclosureRequests` (`docs/access.md`, restricted entries).

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Description, Enum, ID, InputObject, Object, SimpleObject};
use entity::disclosure_requests;
use entity::enums::{DisclosureDecision, DisclosureEntryKind, DisclosureStatus};

use super::agency::Agency;
use super::child::Child;
use super::limits::MaxChars;
use super::node::{self, Node};
use super::paging::{self, ConnectionFields};
use super::scalars::DateTime;
use super::{agency_by_id, caller, db, ids};
use crate::domain;
use crate::error::{ApiError, IntoGql};

/// The GraphQL type name of an entry of each kind, as in its global id.
fn type_name(kind: DisclosureEntryKind) -> &'static str {
    match kind {
        DisclosureEntryKind::Behaviour => "Behaviour",
        DisclosureEntryKind::ChronologyEntry => "ChronologyEntry",
        DisclosureEntryKind::AssessmentContribution => "AssessmentContribution",
    }
}

/// A request by an agency on a child's case team to read a restricted entry it sees
/// without content, and the recording agency's decision on it. Visible to case roles of
/// the requesting agency and of the recording agency only.
#[derive(Description)]
pub struct DisclosureRequest(pub disclosure_requests::Model);

#[Object(use_type_description)]
impl DisclosureRequest {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("DisclosureRequest", self.0.id)
    }
    /// `REQUESTED` until the recording agency decides, then `SHARED` or `DECLINED`.
    async fn status(&self) -> DisclosureStatus {
        self.0.status
    }
    /// The kind of entry asked about.
    async fn entry_kind(&self) -> DisclosureEntryKind {
        self.0.entry_kind
    }
    /// The global id of the entry asked about (a `Behaviour`, a `ChronologyEntry` or an
    /// `AssessmentContribution`), for `node(id:)`.
    async fn entry_id(&self) -> ID {
        ids::encode(type_name(self.0.entry_kind), self.0.entry_id)
    }
    /// The entry asked about, as the caller may see it (its content withheld until it is
    /// shared); null when the caller may no longer see the child.
    async fn entry(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        let _slot = super::db_slot(ctx).await?;
        Box::pin(node::resolve(
            ctx,
            type_name(self.0.entry_kind),
            self.0.entry_id,
        ))
        .await
    }
    /// The child whose entry it is, for callers who may read the child's record; null
    /// otherwise.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        super::readable_child(ctx, self.0.child_id).await
    }
    /// The agency that recorded the entry, and decides.
    async fn recording_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.recording_agency_id).await
    }
    /// The agency that asked.
    async fn requesting_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.requesting_agency_id).await
    }
    /// Why the requesting agency needs the content, in its words.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When the request was made; the `DISCLOSURE_DECISION` deadline runs from here.
    async fn requested_at(&self) -> DateTime {
        self.0.requested_at.into()
    }
    /// The recording agency's reason for its decision: always set when `DECLINED`, when
    /// given for `SHARED`; null before the decision.
    async fn decision_reason(&self) -> Option<&str> {
        self.0.decision_reason.as_deref()
    }
    /// When the recording agency decided; null before the decision.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
    /// The record's version, raised by every change; `decideDisclosure` takes the value
    /// read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Which of the agency's disclosure requests to list.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Enum)]
pub enum DisclosureDirection {
    /// Requests about entries the caller's agency recorded, which it decides.
    Incoming,
    /// Requests the caller's agency made.
    Outgoing,
}

/// Disclosure request queries.
#[derive(Default)]
pub struct DisclosureQuery;

#[Object]
impl DisclosureQuery {
    /// The caller's agency's disclosure requests, oldest first, as a page (case roles):
    /// by default those it must decide (`INCOMING`), or those it made (`OUTGOING`).
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn my_disclosure_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "`INCOMING` (entries the agency recorded), the default when omitted, or `OUTGOING` (requests it made)."
        )]
        direction: Option<DisclosureDirection>,
        #[graphql(desc = "Only requests in this state; all when omitted.")] status: Option<
            DisclosureStatus,
        >,
        #[graphql(desc = "How many to return: 20 when omitted, at most 100.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, DisclosureRequest, ConnectionFields, EmptyFields>>
    {
        let request = paging::request(ctx, first, after, 20)?;
        let direction = match direction.unwrap_or(DisclosureDirection::Incoming) {
            DisclosureDirection::Incoming => domain::disclosures::Direction::Incoming,
            DisclosureDirection::Outgoing => domain::disclosures::Direction::Outgoing,
        };
        let page = domain::disclosures::mine(db(ctx)?, caller(ctx)?, direction, status, request)
            .await
            .gql()?;
        Ok(paging::connection(
            request,
            page,
            |r| r.id,
            DisclosureRequest,
        ))
    }
}

/// Input of `requestDisclosure`: the restricted entry and why its content is needed.
#[derive(InputObject)]
pub struct RequestDisclosureInput {
    /// The global id of a restricted `Behaviour`, `ChronologyEntry` or
    /// `AssessmentContribution` the caller sees without content.
    pub entry_id: ID,
    /// Why the content is needed, sent to the recording agency (20 to 2,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
}

/// Result of `requestDisclosure`.
#[derive(SimpleObject)]
pub struct RequestDisclosurePayload {
    /// The request, `REQUESTED`: a new one, or the agency's open request for the same
    /// entry.
    pub request: DisclosureRequest,
}

/// Input of `decideDisclosure`: the recording agency's decision and reason.
#[derive(InputObject)]
pub struct DecideDisclosureInput {
    /// The global id of the disclosure request to decide.
    pub request_id: ID,
    /// Share the entry with the requesting agency, or decline.
    pub decision: DisclosureDecision,
    /// Why: required to decline (20 to 2,000 characters), optional to share; sent to the
    /// requesting agency.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: Option<String>,
    /// The request's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `decideDisclosure`.
#[derive(SimpleObject)]
pub struct DecideDisclosurePayload {
    /// The request as decided, with its new `version`.
    pub request: DisclosureRequest,
}

/// Disclosure request mutations.
#[derive(Default)]
pub struct DisclosureMutation;

#[Object]
impl DisclosureMutation {
    /// Asks the recording agency to share a restricted entry the caller's agency sees
    /// without content (a case role whose agency is on the case team). The recording
    /// agency is told (`DISCLOSURE_REQUESTED`) and owes a decision by the
    /// `DISCLOSURE_DECISION` deadline. Asking again while a request of the agency for the
    /// same entry is open returns that request unchanged.
    async fn request_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The restricted entry and why its content is needed.")]
        input: RequestDisclosureInput,
    ) -> async_graphql::Result<RequestDisclosurePayload> {
        let (kind, entry_id) = match ids::decode(&input.entry_id) {
            Some((kind, id)) if kind == "Behaviour" => (DisclosureEntryKind::Behaviour, id),
            Some((kind, id)) if kind == "ChronologyEntry" => {
                (DisclosureEntryKind::ChronologyEntry, id)
            }
            Some((kind, id)) if kind == "AssessmentContribution" => {
                (DisclosureEntryKind::AssessmentContribution, id)
            }
            _ => {
                return Err(ApiError::validation(
                    "entryId",
                    "is not a Behaviour, ChronologyEntry or AssessmentContribution id",
                ))
                .gql();
            }
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved = domain::retry::transient(|| {
            domain::disclosures::request(db, caller, kind, entry_id, &input.reason)
        })
        .await
        .gql()?;
        Ok(RequestDisclosurePayload {
            request: DisclosureRequest(saved),
        })
    }

    /// Decides a disclosure request (`AGENCY_LEAD` or `COORDINATOR` of the recording
    /// agency): `SHARE` adds the requesting agency to the entry's `sharedWith`; `DECLINE`
    /// records the decision not to share with its reason. Either way the requester is
    /// told (`DISCLOSURE_DECIDED`); a decided request is a `CONFLICT`.
    async fn decide_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request, the decision and its reason.")] input: DecideDisclosureInput,
    ) -> async_graphql::Result<DecideDisclosurePayload> {
        let decision = domain::disclosures::Decision {
            request_id: ids::decode_as(&input.request_id, "DisclosureRequest", "requestId")
                .gql()?,
            decision: input.decision,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved =
            domain::retry::transient(|| domain::disclosures::decide(db, caller, decision.clone()))
                .await
                .gql()?;
        Ok(DecideDisclosurePayload {
            request: DisclosureRequest(saved),
        })
    }
}
