//! `PlanEvent` and the subscription root (`docs/integrating.md`).

use std::sync::Arc;

use async_graphql::{Context, Description, ID, Object, Subscription};
use entity::plan_events;
use futures_util::{Stream, StreamExt as _};
use uuid::Uuid;

use super::action::{Consultation, PlanAction};
use super::agency::Agency;
use super::assessment::{Assessment, AssessmentContribution};
use super::behaviour::Behaviour;
use super::child::Child;
use super::disclosure::DisclosureRequest;
use super::grant::AccessGrant;
use super::node::{self, Node};
use super::plan::{JointPlan, PlanReview};
use super::referral::Referral;
use super::scalars::DateTime;
use super::{caller, db, ids};
use crate::domain;
use crate::domain::outbox::EventKind;
use crate::error::{ApiError, IntoGql};
use crate::events::{Relay, Scope, subscribe};

mod kind;

pub use kind::PlanEventKind;

/// One change to a plan or a child's case, as a subscriber receives it: what happened
/// (`kind`), when, a short summary without personal data, and the global ids of what it
/// concerns. The typed fields (`plan`, `child`, `action`, …) fetch those objects as
/// `node(id:)` would, under the subscriber's access: each is null when the event does not
/// concern such an object or the subscriber may not see it (the two are never told apart).
/// One event value is shared by every subscriber it reaches; the typed fields are resolved
/// for each subscriber separately.
#[derive(Description)]
pub struct PlanEvent(pub Arc<plan_events::Model>);

/// The payload keys that hold ids, and the type of the object each names.
const PAYLOAD_IDS: [(&str, &str); 13] = [
    ("planId", "JointPlan"),
    ("childId", "Child"),
    ("actionId", "PlanAction"),
    ("consultationId", "Consultation"),
    ("reviewId", "PlanReview"),
    ("behaviourId", "Behaviour"),
    ("referralId", "Referral"),
    ("grantId", "AccessGrant"),
    ("agencyId", "Agency"),
    ("disclosureRequestId", "DisclosureRequest"),
    ("assessmentId", "Assessment"),
    ("contributionId", "AssessmentContribution"),
    ("legalHoldId", "LegalHold"),
];

impl PlanEvent {
    /// The id stored under `key` in the payload, if any.
    fn payload_id(&self, key: &str) -> Option<Uuid> {
        self.0
            .payload
            .get(key)
            .and_then(|value| value.as_str())
            .and_then(|text| Uuid::parse_str(text).ok())
    }

    /// The object the payload names under `key`, as `node(id:)` resolves it.
    async fn related(&self, ctx: &Context<'_>, key: &str) -> async_graphql::Result<Option<Node>> {
        let Some((_, kind)) = PAYLOAD_IDS.iter().find(|(k, _)| *k == key) else {
            return Ok(None);
        };
        let id = match key {
            // The event's own columns: the domain leaves them empty where an event must not
            // point at a plan or child (a referral declined, for instance).
            "planId" => self.0.plan_id,
            "childId" => self.0.child_id,
            _ => self.payload_id(key),
        };
        let Some(id) = id else {
            return Ok(None);
        };
        // A subscription keeps one caller and one set of loaders for its whole life: what
        // they cached for an earlier event (a case team, a lead agency, who an entry is
        // shared with) may have changed since, and the caller's clock would still show when
        // the subscription started (an access grant that expired since would still count).
        // Each event is decided on what is true, and at the time, when it is delivered, and
        // its reads are audited as a request's are.
        if ctx.data::<crate::domain::Caller>()?.start_event(self.0.seq) {
            ctx.data::<super::loaders::Loaders>()?.clear();
        }
        Box::pin(node::resolve(ctx, kind, id)).await
    }
}

#[Object(use_type_description)]
impl PlanEvent {
    /// The outbox sequence number, in decimal (it can outgrow a GraphQL `Int`); pass the
    /// last one seen as `after` to resume.
    async fn seq(&self) -> String {
        self.0.seq.to_string()
    }
    /// What happened: the kind of change this event reports (see `PlanEventKind`).
    async fn kind(&self) -> async_graphql::Result<PlanEventKind> {
        EventKind::from_name(&self.0.kind)
            .and_then(PlanEventKind::of)
            .ok_or_else(|| ApiError::Internal(format!("undeliverable event kind {}", self.0.kind)))
            .gql()
    }
    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
    /// The global id of the joint plan concerned, for `node(id:)`; null for events about a
    /// child's case or an agency rather than a plan.
    async fn plan_id(&self) -> Option<ID> {
        self.0.plan_id.map(|id| ids::encode("JointPlan", id))
    }
    /// The global id of the child concerned, for `node(id:)`; null for events about a plan
    /// or an agency alone.
    async fn child_id(&self) -> Option<ID> {
        self.0.child_id.map(|id| ids::encode("Child", id))
    }
    /// A short summary for display, without personal data.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The joint plan concerned, as the subscriber may see it; null when there is none or
    /// it is not visible.
    async fn plan(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<JointPlan>> {
        Ok(match self.related(ctx, "planId").await? {
            Some(Node::JointPlan(plan)) => Some(plan),
            _ => None,
        })
    }
    /// The child concerned, as the subscriber may see it (reading it is audited, as
    /// `node(id:)` is); null when there is none or it is not visible.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        Ok(match self.related(ctx, "childId").await? {
            Some(Node::Child(child)) => Some(child),
            _ => None,
        })
    }
    /// The plan action concerned (`ACTION_*` and `CONSULTATION_*` events); null when there
    /// is none or it is not visible.
    async fn action(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PlanAction>> {
        Ok(match self.related(ctx, "actionId").await? {
            Some(Node::PlanAction(action)) => Some(action),
            _ => None,
        })
    }
    /// The consultation concerned (`CONSULTATION_*` events); null when there is none or
    /// it is not visible.
    async fn consultation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Consultation>> {
        Ok(match self.related(ctx, "consultationId").await? {
            Some(Node::Consultation(consultation)) => Some(consultation),
            _ => None,
        })
    }
    /// The plan review recorded (`PLAN_REVIEWED`); null when there is none or it is not
    /// visible.
    async fn review(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PlanReview>> {
        Ok(match self.related(ctx, "reviewId").await? {
            Some(Node::PlanReview(review)) => Some(review),
            _ => None,
        })
    }
    /// The behaviour that escalated the case (`ESCALATION`), with restricted content
    /// withheld as everywhere; null when there is none or it is not visible.
    async fn behaviour(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Behaviour>> {
        Ok(match self.related(ctx, "behaviourId").await? {
            Some(Node::Behaviour(behaviour)) => Some(behaviour),
            _ => None,
        })
    }
    /// The referral concerned (`REFERRAL_RECEIVED`, `REFERRAL_DECIDED`); null when there
    /// is none or it is not visible.
    async fn referral(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Referral>> {
        Ok(match self.related(ctx, "referralId").await? {
            Some(Node::Referral(referral)) => Some(referral),
            _ => None,
        })
    }
    /// The emergency access grant used (`EMERGENCY_ACCESS`); null when there is none or
    /// it is not visible.
    async fn access_grant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<AccessGrant>> {
        Ok(match self.related(ctx, "grantId").await? {
            Some(Node::AccessGrant(grant)) => Some(grant),
            _ => None,
        })
    }
    /// The agency the event is about: the one that joined, left, was consulted, used
    /// emergency access or was deactivated, as `kind` says; null for other events.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(match self.related(ctx, "agencyId").await? {
            Some(Node::Agency(agency)) => Some(agency),
            _ => None,
        })
    }
    /// The disclosure request concerned (`DISCLOSURE_*` events); null when there is none
    /// or it is not visible.
    async fn disclosure_request(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DisclosureRequest>> {
        Ok(match self.related(ctx, "disclosureRequestId").await? {
            Some(Node::DisclosureRequest(request)) => Some(request),
            _ => None,
        })
    }
    /// The assessment concerned (`ASSESSMENT_*` and `CONTRIBUTION_*` events); null when
    /// there is none or it is not visible.
    async fn assessment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Assessment>> {
        Ok(match self.related(ctx, "assessmentId").await? {
            Some(Node::Assessment(assessment)) => Some(assessment),
            _ => None,
        })
    }
    /// The contribution given (`CONTRIBUTION_RECORDED`), with restricted content withheld
    /// as everywhere; null when there is none or it is not visible.
    async fn contribution(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<AssessmentContribution>> {
        Ok(match self.related(ctx, "contributionId").await? {
            Some(Node::AssessmentContribution(contribution)) => Some(contribution),
            _ => None,
        })
    }
    /// The legal hold concerned (`LEGAL_HOLD_*` events); null when there is none or it
    /// is not visible.
    async fn legal_hold(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::legal_hold::LegalHold>> {
        Ok(match self.related(ctx, "legalHoldId").await? {
            Some(Node::LegalHold(hold)) => Some(hold),
            _ => None,
        })
    }
    /// What changed, as a JSON object whose ids are global ids (`planId`, `actionId`, …).
    #[graphql(
        deprecation = "Use the typed fields (`plan`, `action`, `consultation`, `referral`, `child`, …) and `node(id:)` instead (since 2026-11-27)."
    )]
    async fn payload(&self) -> String {
        client_payload(&self.0.payload).to_string()
    }
}

/// The stored payload as clients see it: each id replaced by its global id, ids of no
/// known type left out.
fn client_payload(stored: &serde_json::Value) -> serde_json::Value {
    let Some(fields) = stored.as_object() else {
        return serde_json::Value::Object(Default::default());
    };
    let mut out = serde_json::Map::new();
    for (key, value) in fields {
        if key.ends_with("Id") {
            let kind = PAYLOAD_IDS.iter().find(|(k, _)| k == key).map(|(_, t)| *t);
            let id = value.as_str().and_then(|text| Uuid::parse_str(text).ok());
            if let (Some(kind), Some(id)) = (kind, id) {
                out.insert(key.clone(), ids::encode(kind, id).0.into());
            }
        } else {
            out.insert(key.clone(), value.clone());
        }
    }
    serde_json::Value::Object(out)
}

fn parse_after(after: Option<String>) -> async_graphql::Result<Option<i64>> {
    after
        .map(|seq| {
            seq.trim()
                .parse::<i64>()
                .ok()
                .filter(|seq| *seq >= 0)
                .ok_or_else(|| {
                    ApiError::validation(
                        "after",
                        "must be a seq received earlier (a decimal number)",
                    )
                })
        })
        .transpose()
        .gql()
}

/// Where a stream starts: after the client's `seq`, or after what is committed when the
/// subscription is accepted ("from now").
async fn start_after(ctx: &Context<'_>, after: Option<String>) -> async_graphql::Result<i64> {
    match parse_after(after)? {
        Some(seq) => Ok(seq),
        None => crate::events::max_seq(db(ctx)?)
            .await
            .map_err(ApiError::from)
            .gql(),
    }
}

/// Authorizes a subscription and starts its stream. Boxed by the resolvers: the
/// field's stream keeps room for the resolver's future as long as it runs, and this one,
/// with its database reads, is large.
async fn start(
    ctx: &Context<'_>,
    scope: Scope,
    after: Option<String>,
) -> async_graphql::Result<impl Stream<Item = PlanEvent> + use<>> {
    let caller = caller(ctx)?;
    let after = match scope {
        Scope::Plan(plan) => {
            let after = start_after(ctx, after).await?;
            domain::subscriptions::authorize_plan_events(db(ctx)?, caller, plan)
                .await
                .gql()?;
            after
        }
        Scope::CaseTeam => {
            domain::subscriptions::authorize_case_team_events(db(ctx)?, caller)
                .await
                .gql()?;
            start_after(ctx, after).await?
        }
    };
    let relay = ctx.data::<Relay>()?;
    Ok(subscribe(relay, caller.actor.clone(), scope, after).map(PlanEvent))
}

/// Live updates over a WebSocket on `/graphql` (protocol `graphql-transport-ws`). Every
/// stream replays what the client missed after `after`, then goes live, in `seq` order; each
/// event is checked against the subscriber's access as it is delivered.
#[derive(Default, Description)]
pub struct Subscription;

#[Subscription(use_type_description)]
impl Subscription {
    /// Events of one plan the caller's agency is a member of: first those after `after`
    /// from the outbox, then live, in `seq` order. Ends when the agency leaves the plan.
    async fn plan_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the joint plan to follow.")] plan_id: ID,
        #[graphql(
            desc = "The last `seq` the client saw: events after it are replayed first. Omitted, the stream starts with what is committed next."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = PlanEvent> + use<>> {
        caller(ctx)?;
        let plan = ids::decode_as(&plan_id, "JointPlan", "planId").gql()?;
        Box::pin(start(ctx, Scope::Plan(plan), after)).await
    }

    /// Events of every plan and case the caller's agency is on, and those addressed to it
    /// (new consultations, escalations, emergency access to its cases).
    async fn case_team_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The last `seq` the client saw: events after it are replayed first. Omitted, the stream starts with what is committed next."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = PlanEvent> + use<>> {
        Box::pin(start(ctx, Scope::CaseTeam, after)).await
    }
}
