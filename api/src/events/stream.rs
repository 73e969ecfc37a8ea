//! One subscriber's stream: replay from the outbox after `after`, then live, with the
//! policy checked for every event at delivery.

use std::collections::VecDeque;

use chrono::Utc;
use entity::{agencies, children, joint_plans, plan_events};
use futures_util::Stream;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::watch;
use uuid::Uuid;

use super::Relay;
use crate::auth::Actor;
use crate::policy;

/// How many events a subscriber reads from the outbox at a time.
const BATCH: u64 = 100;

/// How long a stream outlives its token, so that the connection's own close comes first.
const EXPIRY_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Which events a subscription wants.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// One plan's events; the stream ends when the agency leaves the plan.
    Plan(Uuid),
    /// Every event of the plans and cases the agency is on, and those addressed to it.
    CaseTeam,
}

struct State {
    db: DatabaseConnection,
    actor: Actor,
    scope: Scope,
    /// The last `seq` delivered or passed over; `None` until the stream starts "from now".
    last: Option<i64>,
    latest: watch::Receiver<i64>,
    ready: VecDeque<plan_events::Model>,
}

/// What the actor's agency is on now, or `None` once the agency has been deactivated.
async fn reach(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Option<policy::Reach>, sea_orm::DbErr> {
    let active = agencies::Entity::find_by_id(actor.agency_id)
        .one(db)
        .await?
        .is_some_and(|agency| agency.active);
    if !active {
        return Ok(None);
    }
    let plans = joint_plans::Entity::find()
        .select_only()
        .column(joint_plans::Column::Id)
        .filter(policy::visible_plans(actor))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let children = children::Entity::find()
        .select_only()
        .column(children::Column::Id)
        .filter(children::Column::Id.in_subquery(policy::case_team_children(actor.agency_id)))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    Ok(Some(policy::Reach {
        plans: plans.into_iter().collect(),
        children: children.into_iter().collect(),
    }))
}

/// The events after `after` (or from now), then live, as `seq` order.
pub fn subscribe(
    db: DatabaseConnection,
    relay: &Relay,
    actor: Actor,
    scope: Scope,
    after: Option<i64>,
) -> impl Stream<Item = plan_events::Model> + Send + 'static + use<> {
    let state = State {
        db,
        actor,
        scope,
        last: after,
        latest: relay.watch(),
        ready: VecDeque::new(),
    };
    futures_util::stream::unfold(state, next)
}

async fn next(mut state: State) -> Option<(plan_events::Model, State)> {
    if state.last.is_none() {
        // "From now" is the outbox as committed now, not the relay's last notification.
        match super::max_seq(&state.db).await {
            Ok(seq) => state.last = Some(seq),
            Err(error) => {
                tracing::warn!(%error, "reading the outbox failed");
                return None;
            }
        }
    }
    loop {
        if state.actor.expires_at <= Utc::now() {
            // The socket closes with 4403 when the token expires; let it say so before
            // this stream ends on its own.
            tokio::time::sleep(EXPIRY_GRACE).await;
            return None;
        }
        if let Some(event) = state.ready.pop_front() {
            return Some((event, state));
        }
        // Mark the current value seen before reading, so a commit during the read
        // wakes us again rather than being missed.
        state.latest.borrow_and_update();
        let reach = match reach(&state.db, &state.actor).await {
            Ok(Some(reach)) => reach,
            // The agency was deactivated: its streams end, as its tokens are refused.
            Ok(None) => return None,
            Err(error) => {
                tracing::warn!(%error, "reading the subscriber's reach failed");
                return None;
            }
        };
        if let Scope::Plan(plan) = state.scope
            && !reach.plans.contains(&plan)
        {
            // The agency left the plan: its stream ends.
            return None;
        }
        let last = state.last.unwrap_or_default();
        let mut query = plan_events::Entity::find().filter(plan_events::Column::Seq.gt(last));
        if let Scope::Plan(plan) = state.scope {
            query = query.filter(plan_events::Column::PlanId.eq(plan));
        }
        let batch = match query
            .order_by_asc(plan_events::Column::Seq)
            .limit(BATCH)
            .all(&state.db)
            .await
        {
            Ok(batch) => batch,
            Err(error) => {
                tracing::warn!(%error, "reading the outbox failed");
                return None;
            }
        };
        if let Some(last) = batch.last() {
            state.last = Some(last.seq);
            state.ready.extend(batch.into_iter().filter(|e| {
                policy::can_receive_event(
                    &state.actor,
                    &reach,
                    e.plan_id,
                    e.child_id,
                    &e.audience.0,
                )
            }));
            continue;
        }
        // Nothing new: wait for a newer commit, or for the token to expire.
        let until_expiry = (state.actor.expires_at - Utc::now())
            .to_std()
            .unwrap_or_default();
        tokio::select! {
            changed = state.latest.changed() => {
                if changed.is_err() {
                    return None;
                }
            }
            () = tokio::time::sleep(until_expiry + EXPIRY_GRACE) => return None,
        }
    }
}
