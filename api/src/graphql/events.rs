//! `PlanEvent` and the subscription root (DESIGN §6.3).

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Subscription};
use chrono::{DateTime, Utc};
use entity::plan_events;
use futures_util::{Stream, StreamExt as _};

use super::{caller, db, ids};
use crate::domain;
use crate::error::{ApiError, IntoGql};
use crate::events::{Relay, Scope, subscribe};

/// One change to a plan or case: ids and a short summary, never personal data. Shared
/// by every subscriber it reaches.
pub struct PlanEvent(pub Arc<plan_events::Model>);

#[Object]
impl PlanEvent {
    /// The outbox sequence number, in decimal (it can outgrow a GraphQL `Int`); pass the
    /// last one seen as `after` to resume.
    async fn seq(&self) -> String {
        self.0.seq.to_string()
    }
    /// What happened (`ACTION_ADDED`, `CONSULTATION_REQUESTED`, `ESCALATION`, …).
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// When.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The plan concerned, if any.
    async fn plan_id(&self) -> Option<ID> {
        self.0.plan_id.map(|id| ids::encode("JointPlan", id))
    }
    /// The child concerned, if any, as a global id.
    async fn child_id(&self) -> Option<ID> {
        self.0.child_id.map(|id| ids::encode("Child", id))
    }
    /// A short summary.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// Ids of what changed, as JSON.
    async fn payload(&self) -> String {
        self.0.payload.to_string()
    }
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

/// The subscription root.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Events of one plan the caller's agency is a member of: first those after `after`
    /// from the outbox, then live, in `seq` order. Ends when the agency leaves the plan.
    async fn plan_events(
        &self,
        ctx: &Context<'_>,
        plan_id: ID,
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
        after: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = PlanEvent> + use<>> {
        Box::pin(start(ctx, Scope::CaseTeam, after)).await
    }
}
