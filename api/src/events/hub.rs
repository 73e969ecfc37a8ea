//! The in-process fan-out: who subscribes, by agency and by plan, with each agency's
//! reach shared by all its subscribers, and the position of the relay in the outbox.
//!
//! One `std::sync::Mutex` guards it all; nothing awaits while holding it. The relay
//! dispatches a batch and moves `dispatched` under the lock, and a subscriber joins
//! under the same lock, reading `dispatched`: so every event after that point reaches
//! its queue and every event up to it is in the outbox for it to replay, with no gap and
//! no overlap between the two.
//!
//! Keeping each agency's reach current (marking, reloading, installing) is in `reloads`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use entity::plan_events;
use sea_orm::DatabaseConnection;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::Scope;
use super::reach::{self, AgencyReach};
use crate::auth::Actor;
use crate::domain::outbox::EventKind;
use crate::policy;

mod reloads;

/// Events one subscriber may have waiting. A subscriber that falls further behind (its
/// client reads slowly) is dropped from the fan-out and replays from the outbox, so a
/// slow client costs at most this much memory and never holds up the others.
pub(super) const QUEUE: usize = 64;

/// How long a loaded reach is trusted without any sign of change: a safety net under the
/// reloads the outbox triggers (see `events`).
pub(super) const REACH_TTL: Duration = Duration::from_secs(60);

/// One event as every subscriber receives it: one allocation, shared.
pub(super) type Delivery = Arc<plan_events::Model>;

/// The fan-out of one process.
pub(crate) struct Hub {
    /// The subscription pool: the relay's reads, reach loads and replays.
    pub(super) db: DatabaseConnection,
    /// Outbox batches read by the relay, for tests and the benchmark.
    pub(super) reads: AtomicU64,
    /// Subscribers' own reads (reach loads, replays) take a permit, so that they leave
    /// the relay a connection of the subscription pool however many replay at once.
    pub(super) readers: tokio::sync::Semaphore,
    /// One gate per agency whose reach a joining subscriber is loading: the subscribers
    /// of an agency that join together (a burst of reconnections, the start of a run)
    /// wait for one load instead of each reading the same reach again.
    loading: Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<()>>>>,
    /// Reaches loaded by joining subscribers, for tests and the benchmark's diagnosis.
    pub(super) join_loads: AtomicU64,
    registry: Mutex<Registry>,
}

/// Connections of `db`'s pool that subscribers may use for their own reads: all but one.
fn reader_permits(db: &DatabaseConnection) -> usize {
    let max = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => db
            .get_postgres_connection_pool()
            .options()
            .get_max_connections(),
        sea_orm::DatabaseBackend::Sqlite => db
            .get_sqlite_connection_pool()
            .options()
            .get_max_connections(),
        _ => 2,
    };
    usize::try_from(max.saturating_sub(1).max(1)).unwrap_or(1)
}

struct Registry {
    /// The last `seq` dispatched: every later event goes to the queues.
    dispatched: i64,
    next_key: u64,
    /// Bumped whenever the relay learns of a membership change, so that a reach loaded
    /// across such a change is not trusted.
    epoch: u64,
    closed: bool,
    agencies: HashMap<Uuid, AgencySubs>,
}

/// The subscribers of one agency and the reach they share.
struct AgencySubs {
    reach: Arc<AgencyReach>,
    /// One subscriber's actor, to reload the reach with (it depends on the agency only).
    actor: Actor,
    stale: bool,
    /// A reload past [`REACH_TTL`] is under way, off the relay's path.
    refreshing: bool,
    case_team: Vec<Sub>,
    plans: HashMap<Uuid, Vec<Sub>>,
}

impl AgencySubs {
    fn is_empty(&self) -> bool {
        self.case_team.is_empty() && self.plans.is_empty()
    }

    /// Drops the subscribers that may no longer receive: all of them once the agency is
    /// inactive, and those of plans it has left. Their streams see their queue end,
    /// try to join again and are refused.
    fn prune(&mut self) {
        if !self.reach.active {
            self.case_team.clear();
            self.plans.clear();
        } else {
            let plans = &self.reach.reach.plans;
            self.plans.retain(|plan, _| plans.contains(plan));
        }
    }
}

struct Sub {
    key: u64,
    tx: mpsc::Sender<Delivery>,
}

/// Offers `event` to each of `subs`; a full queue (a lagging subscriber) or a closed one
/// (a finished subscriber) drops the subscriber.
fn offer(subs: &mut Vec<Sub>, event: &Delivery) {
    subs.retain(|sub| sub.tx.try_send(Arc::clone(event)).is_ok());
}

/// The turn of one joining subscriber to load its agency's reach; the agency's gate is
/// forgotten when no one else waits on it.
struct Loading<'a> {
    hub: &'a Hub,
    agency: Uuid,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        let Some(guard) = self.guard.take() else {
            return;
        };
        let gate = Arc::clone(tokio::sync::OwnedMutexGuard::mutex(&guard));
        drop(guard);
        let mut loading = self
            .hub
            .loading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The map's and `gate`: no one else holds or waits on it.
        if Arc::strong_count(&gate) <= 2 {
            loading.remove(&self.agency);
        }
    }
}

/// A subscriber's place in the hub: its queue; leaving the hub when dropped.
pub(super) struct Ticket {
    hub: Arc<Hub>,
    agency: Uuid,
    scope: Scope,
    key: u64,
    /// Live events, all after the `dispatched` the join returned.
    pub(super) rx: mpsc::Receiver<Delivery>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut registry = self.hub.lock();
        let Some(subs) = registry.agencies.get_mut(&self.agency) else {
            return;
        };
        let key = self.key;
        match self.scope {
            Scope::CaseTeam => subs.case_team.retain(|sub| sub.key != key),
            Scope::Plan(plan) => {
                if let Some(list) = subs.plans.get_mut(&plan) {
                    list.retain(|sub| sub.key != key);
                    if list.is_empty() {
                        subs.plans.remove(&plan);
                    }
                }
            }
        }
        if subs.is_empty() {
            registry.agencies.remove(&self.agency);
        }
    }
}

impl Hub {
    /// A hub whose relay starts after `dispatched`.
    pub(super) fn new(db: DatabaseConnection, dispatched: i64) -> Self {
        Self {
            readers: tokio::sync::Semaphore::new(reader_permits(&db)),
            db,
            reads: AtomicU64::new(0),
            loading: Mutex::new(HashMap::new()),
            join_loads: AtomicU64::new(0),
            registry: Mutex::new(Registry {
                dispatched,
                next_key: 0,
                epoch: 0,
                closed: false,
                agencies: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // Nothing panics while holding it; if something ever did, the data is still whole.
        self.registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The last `seq` dispatched.
    pub(super) fn dispatched(&self) -> i64 {
        self.lock().dispatched
    }

    /// Subscribers in this process, for tests and the benchmark.
    pub(super) fn subscribers(&self) -> usize {
        let registry = self.lock();
        registry
            .agencies
            .values()
            .map(|subs| subs.case_team.len() + subs.plans.values().map(Vec::len).sum::<usize>())
            .sum()
    }

    /// The current reach of `agency`, while it has subscribers.
    pub(super) fn reach_of(&self, agency: Uuid) -> Option<Arc<AgencyReach>> {
        self.lock()
            .agencies
            .get(&agency)
            .map(|subs| Arc::clone(&subs.reach))
    }

    /// Ends the fan-out: every queue closes and no one may join.
    pub(super) fn close(&self) {
        let mut registry = self.lock();
        registry.closed = true;
        registry.agencies.clear();
    }

    /// Joins `actor` for `scope`, loading its agency's reach first if no fresh one is
    /// held. Returns the queue and the `seq` it starts after, or `None` when the actor
    /// may not (any more) receive this scope.
    pub(super) async fn join(
        self: &Arc<Self>,
        actor: &Actor,
        scope: Scope,
    ) -> Result<Option<(Ticket, i64)>, sea_orm::DbErr> {
        if !policy::has_case_role(actor) {
            return Ok(None);
        }
        let mut attempts = 0;
        // A reach loaded after this instant is as fresh as one this join would load.
        let mut since: Option<Instant> = None;
        loop {
            attempts += 1;
            if let Some(joined) = self.join_held(actor, scope, since) {
                return Ok(joined);
            }
            // Wait for any load of this agency's reach under way, then look again: the
            // subscribers of one agency share one load.
            let waited = Instant::now();
            let _loading = self.loading(actor.agency_id).await;
            if let Some(joined) = self.join_held(actor, scope, Some(waited)) {
                return Ok(joined);
            }
            since = Some(waited);
            let epoch = {
                let registry = self.lock();
                if registry.closed {
                    return Ok(None);
                }
                registry.epoch
            };
            let loaded = {
                let _permit = self.readers.acquire().await.ok();
                self.join_loads.fetch_add(1, Ordering::Relaxed);
                let started = Instant::now();
                let loaded = reach::load(&self.db, actor).await;
                tracing::debug!(
                    agency = %actor.agency_id,
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    "reach loaded for a joining subscriber"
                );
                loaded
            };
            let loaded = loaded?;
            let mut registry = self.lock();
            if registry.closed {
                return Ok(None);
            }
            let changed = registry.epoch != epoch;
            if changed && attempts < 3 {
                continue;
            }
            let loaded = Arc::new(loaded);
            let subs = registry
                .agencies
                .entry(actor.agency_id)
                .or_insert_with(|| AgencySubs {
                    reach: Arc::clone(&loaded),
                    actor: actor.clone(),
                    stale: changed,
                    refreshing: false,
                    case_team: Vec::new(),
                    plans: HashMap::new(),
                });
            // What was just read is at least as fresh as what is held.
            subs.reach = loaded;
            subs.stale = changed;
            subs.prune();
            let joined = self.register(&mut registry, actor, scope);
            if registry
                .agencies
                .get(&actor.agency_id)
                .is_some_and(AgencySubs::is_empty)
            {
                registry.agencies.remove(&actor.agency_id);
            }
            return Ok(joined);
        }
    }

    /// Joins with the reach held for `actor`'s agency, if it will do: fresh (not marked
    /// changed) and active, and either holding the plan or loaded after `since` (a plan
    /// missing from an older reach may have been joined a moment ago: load again rather
    /// than refuse). `Some(None)` when the hub is closed or the held reach refuses.
    fn join_held(
        self: &Arc<Self>,
        actor: &Actor,
        scope: Scope,
        since: Option<Instant>,
    ) -> Option<Option<(Ticket, i64)>> {
        let mut registry = self.lock();
        if registry.closed {
            return Some(None);
        }
        let held = registry.agencies.get(&actor.agency_id).is_some_and(|subs| {
            !subs.stale
                && subs.reach.active
                && match scope {
                    Scope::Plan(plan) => {
                        subs.reach.reach.plans.contains(&plan)
                            || since.is_some_and(|since| subs.reach.loaded_at >= since)
                    }
                    Scope::CaseTeam => true,
                }
        });
        held.then(|| self.register(&mut registry, actor, scope))
    }

    /// Waits for any load of `agency`'s reach by another joining subscriber, and keeps
    /// the others waiting while this one loads.
    async fn loading(&self, agency: Uuid) -> Loading<'_> {
        let gate = {
            let mut loading = self
                .loading
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(loading.entry(agency).or_default())
        };
        Loading {
            hub: self,
            agency,
            guard: Some(gate.lock_owned().await),
        }
    }

    fn register(
        self: &Arc<Self>,
        registry: &mut Registry,
        actor: &Actor,
        scope: Scope,
    ) -> Option<(Ticket, i64)> {
        let Registry {
            dispatched,
            next_key,
            agencies,
            ..
        } = registry;
        let subs = agencies.get_mut(&actor.agency_id)?;
        if !subs.reach.active {
            return None;
        }
        *next_key += 1;
        let key = *next_key;
        let (tx, rx) = mpsc::channel(QUEUE);
        match scope {
            Scope::CaseTeam => subs.case_team.push(Sub { key, tx }),
            Scope::Plan(plan) => {
                if !subs.reach.reach.plans.contains(&plan) {
                    return None;
                }
                subs.plans.entry(plan).or_default().push(Sub { key, tx });
            }
        }
        let ticket = Ticket {
            hub: Arc::clone(self),
            agency: actor.agency_id,
            scope,
            key,
            rx,
        };
        Some((ticket, *dispatched))
    }

    /// Hands a batch read from the outbox, in `seq` order, to every subscriber whose
    /// agency it reaches; internal events go to no one.
    pub(super) fn dispatch(&self, batch: Vec<plan_events::Model>) {
        let mut registry = self.lock();
        for event in batch {
            registry.dispatched = registry.dispatched.max(event.seq);
            if EventKind::from_name(&event.kind).is_some_and(EventKind::is_internal) {
                continue;
            }
            let event = Arc::new(event);
            for (agency, subs) in &mut registry.agencies {
                if !subs.reach.admits(*agency, &event) {
                    continue;
                }
                offer(&mut subs.case_team, &event);
                if let Some(plan) = event.plan_id
                    && let Some(list) = subs.plans.get_mut(&plan)
                {
                    offer(list, &event);
                    if list.is_empty() {
                        subs.plans.remove(&plan);
                    }
                }
            }
        }
        registry.agencies.retain(|_, subs| !subs.is_empty());
    }
}
