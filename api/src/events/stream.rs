//! One subscriber's stream: replay from the outbox after `after`, then live from its
//! queue in the hub, with the policy checked again for every event it yields.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::Utc;
use entity::plan_events;
use futures_util::Stream;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::Relay;
use super::hub::{Delivery, Hub, Ticket};
use crate::auth::Actor;
use crate::domain::outbox::EventKind;
use crate::policy;

/// How many events a subscriber replays from the outbox at a time.
const BATCH: u64 = 100;

/// How long a stream outlives its token, so that the connection's own close comes first.
const EXPIRY_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Which events a subscription wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One plan's events; the stream ends when the agency leaves the plan.
    Plan(Uuid),
    /// Every event of the plans and cases the agency is on, and those addressed to it.
    CaseTeam,
}

struct Subscriber {
    hub: Arc<Hub>,
    actor: Actor,
    scope: Scope,
    /// The last `seq` yielded or passed over.
    last: i64,
    /// The place in the hub, once joined; `None` again after the hub dropped it.
    ticket: Option<Ticket>,
    /// Replay from the outbox while `last` is below this (the hub's position at joining).
    replay_to: i64,
    /// A replayed batch being yielded.
    ready: VecDeque<Delivery>,
}

/// The events after `after`, then live, in `seq` order.
pub fn subscribe(
    relay: &Relay,
    actor: Actor,
    scope: Scope,
    after: i64,
) -> impl Stream<Item = Delivery> + Send + 'static + use<> {
    let subscriber = Subscriber {
        hub: Arc::clone(relay.hub()),
        actor,
        scope,
        last: after,
        ticket: None,
        replay_to: after,
        ready: VecDeque::new(),
    };
    futures_util::stream::unfold(subscriber, next)
}

/// What to do with an event in front of the subscriber.
enum Verdict {
    /// Yield it.
    Yield,
    /// Pass over it: out of scope, internal, or not for this agency.
    Skip,
    /// The hub holds no reach for the agency any more (the subscriber was dropped): join
    /// again and decide then, after replaying from this event.
    Rejoin,
}

impl Subscriber {
    /// Whether `event` may be yielded now: it is in scope and, with the agency's reach
    /// as the hub holds it now, `policy::can_receive_event` allows it.
    fn verdict(&self, event: &plan_events::Model) -> Verdict {
        if EventKind::from_name(&event.kind).is_some_and(EventKind::is_internal) {
            return Verdict::Skip;
        }
        if let Scope::Plan(plan) = self.scope
            && event.plan_id != Some(plan)
        {
            return Verdict::Skip;
        }
        match self.hub.reach_of(self.actor.agency_id) {
            None => Verdict::Rejoin,
            Some(held)
                if held.active
                    && policy::can_receive_event(
                        &self.actor,
                        &held.reach,
                        event.plan_id,
                        event.child_id,
                        &event.audience.0,
                    ) =>
            {
                Verdict::Yield
            }
            Some(_) => Verdict::Skip,
        }
    }

    /// Leaves the hub and goes back to just before `seq`, to join again and replay.
    fn rejoin_before(&mut self, seq: i64) {
        self.ready.clear();
        self.ticket = None;
        self.last = seq.saturating_sub(1);
    }

    /// Joins (or joins again, after the hub dropped it); `false` when it may not.
    async fn join(&mut self) -> bool {
        // Boxed: the loading future is large and needed once, not by an idle stream.
        match Box::pin(self.hub.join(&self.actor, self.scope)).await {
            Ok(Some((ticket, dispatched))) => {
                self.ticket = Some(ticket);
                self.replay_to = dispatched;
                true
            }
            Ok(None) => false,
            Err(error) => {
                tracing::warn!(%error, "loading the subscriber's reach failed");
                false
            }
        }
    }

    /// Reads the next replay batch into `ready`; `false` on a database failure.
    async fn replay(&mut self) -> bool {
        let mut query = plan_events::Entity::find()
            .filter(plan_events::Column::Seq.gt(self.last))
            .filter(plan_events::Column::Seq.lte(self.replay_to));
        if let Scope::Plan(plan) = self.scope {
            query = query.filter(plan_events::Column::PlanId.eq(plan));
        }
        let hub = Arc::clone(&self.hub);
        let read = async move {
            let _permit = hub.readers.acquire().await.ok();
            query
                .order_by_asc(plan_events::Column::Seq)
                .limit(BATCH)
                .all(&hub.db)
                .await
        };
        let batch = match Box::pin(read).await {
            Ok(batch) => batch,
            Err(error) => {
                tracing::warn!(%error, "replaying from the outbox failed");
                return false;
            }
        };
        let full = u64::try_from(batch.len()).unwrap_or(u64::MAX) >= BATCH;
        self.last = match batch.last() {
            Some(event) if full => event.seq,
            _ => self.replay_to,
        };
        self.ready.extend(batch.into_iter().map(Arc::new));
        true
    }
}

async fn next(mut s: Subscriber) -> Option<(Delivery, Subscriber)> {
    loop {
        if s.actor.expires_at <= Utc::now() {
            // The socket closes with 4403 when the token expires; let it say so before
            // this stream ends on its own.
            tokio::time::sleep(EXPIRY_GRACE).await;
            return None;
        }
        if let Some(event) = s.ready.pop_front() {
            match s.verdict(&event) {
                Verdict::Yield => return Some((event, s)),
                Verdict::Skip => {}
                Verdict::Rejoin => s.rejoin_before(event.seq),
            }
            continue;
        }
        if s.ticket.is_none() && !s.join().await {
            // The agency left the plan, was deactivated, or the server is stopping.
            return None;
        }
        if s.last < s.replay_to {
            if !s.replay().await {
                return None;
            }
            continue;
        }
        let until_expiry = (s.actor.expires_at - Utc::now())
            .to_std()
            .unwrap_or_default();
        let ticket = s.ticket.as_mut()?;
        tokio::select! {
            received = ticket.rx.recv() => match received {
                Some(event) => {
                    // Replayed already (the client's `after` was ahead of the relay).
                    if event.seq <= s.last {
                        continue;
                    }
                    match s.verdict(&event) {
                        Verdict::Yield => {
                            s.last = event.seq;
                            return Some((event, s));
                        }
                        Verdict::Skip => s.last = event.seq,
                        Verdict::Rejoin => s.rejoin_before(event.seq),
                    }
                }
                // Dropped by the hub: fell behind (replay, then back to live) or no
                // longer allowed (joining again is refused).
                None => s.ticket = None,
            },
            () = tokio::time::sleep(until_expiry + EXPIRY_GRACE) => return None,
        }
    }
}
