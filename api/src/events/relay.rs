//! The one task per process that reads the outbox and hands new events to the hub.
//!
//! PostgreSQL: every commit that wrote events `NOTIFY`s its `seq` on the outbox channel;
//! the relay `LISTEN`s (one connection of its own) and reads what follows the last `seq`
//! it dispatched, once, for every subscriber. A notification it has already read past is
//! skipped, so there is at most one read per commit however many subscribers there are.
//! After a lost connection it reads whatever it missed. SQLite (one process): commits wake
//! the relay in memory, with a one-second check of `max(seq)` as a safety net.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use entity::plan_events;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::hub::Hub;
use super::reach;
use crate::domain::outbox::{CHANNEL, EventKind, local_commits};

/// How many events the relay reads at a time.
const BATCH: u64 = 500;

/// The outbox relay of this process, shared by every subscription.
#[derive(Clone)]
pub struct Relay {
    hub: Arc<Hub>,
    _task: Arc<Task>,
}

struct Task {
    handle: tokio::task::JoinHandle<()>,
    hub: Arc<Hub>,
}

impl Drop for Task {
    fn drop(&mut self) {
        self.handle.abort();
        self.hub.close();
    }
}

impl Relay {
    /// Starts following the outbox of `db` (the subscription pool) from its newest `seq`.
    pub async fn start(db: DatabaseConnection) -> Self {
        let initial = max_seq(&db).await.unwrap_or(0);
        let backend = db.get_database_backend();
        let hub = Arc::new(Hub::new(db, initial));
        let handle = match backend {
            DatabaseBackend::Postgres => tokio::spawn(listen(Arc::clone(&hub))),
            _ => tokio::spawn(poll(Arc::clone(&hub))),
        };
        Self {
            hub: Arc::clone(&hub),
            _task: Arc::new(Task { handle, hub }),
        }
    }

    pub(super) fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// How many batches the relay has read from the outbox so far.
    pub fn outbox_reads(&self) -> u64 {
        self.hub.reads.load(Ordering::Relaxed)
    }

    /// The last `seq` this process has delivered to its subscribers.
    pub fn dispatched(&self) -> i64 {
        self.hub.dispatched()
    }

    /// How many subscribers this process is feeding.
    pub fn subscribers(&self) -> usize {
        self.hub.subscribers()
    }
}

/// The newest `seq` in the outbox.
pub async fn max_seq(db: &DatabaseConnection) -> Result<i64, sea_orm::DbErr> {
    let max: Option<Option<i64>> = plan_events::Entity::find()
        .select_only()
        .column_as(
            Expr::from(Func::max(Expr::col(plan_events::Column::Seq))),
            "max",
        )
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

/// The agencies an event about memberships names: those it is addressed to, the one that
/// acted (a plan's creator becomes its lead member) and the one in its payload.
fn named_agencies(event: &plan_events::Model) -> impl Iterator<Item = Uuid> + '_ {
    let in_payload = event
        .payload
        .get("agencyId")
        .and_then(serde_json::Value::as_str)
        .and_then(|id| Uuid::parse_str(id).ok());
    event
        .audience
        .0
        .iter()
        .copied()
        .chain(event.actor_agency_id)
        .chain(in_payload)
}

/// Reads and dispatches everything after the last dispatched `seq`, reloading first the
/// reaches that the events read (or the safety-net expiry) call for.
async fn catch_up(hub: &Arc<Hub>) -> Result<(), sea_orm::DbErr> {
    loop {
        let after = hub.dispatched();
        hub.reads.fetch_add(1, Ordering::Relaxed);
        let batch = plan_events::Entity::find()
            .filter(plan_events::Column::Seq.gt(after))
            .order_by_asc(plan_events::Column::Seq)
            .limit(BATCH)
            .all(&hub.db)
            .await?;
        let Some(last) = batch.last().map(|event| event.seq) else {
            return Ok(());
        };
        let full = u64::try_from(batch.len()).unwrap_or(u64::MAX) >= BATCH;
        let changed: HashSet<Uuid> = batch
            .iter()
            .filter(|event| EventKind::from_name(&event.kind).is_some_and(EventKind::changes_reach))
            .flat_map(named_agencies)
            .collect();
        if !changed.is_empty() {
            hub.mark_changed(&changed);
        }
        for (agency, actor) in hub.due_reloads() {
            // On failure nothing is dispatched: the reach stays due and the next wake-up
            // tries again from the same `seq`.
            let loaded = reach::load(&hub.db, &actor).await?;
            hub.install(agency, loaded);
        }
        refresh_expired(hub);
        hub.dispatch(batch);
        tracing::trace!(last, "outbox batch dispatched");
        if !full {
            return Ok(());
        }
    }
}

/// Reloads, off the dispatch path and one at a time through the subscribers' share of
/// the pool, the reaches older than the safety-net expiry.
fn refresh_expired(hub: &Arc<Hub>) {
    let (epoch, due) = hub.expired_reloads();
    if due.is_empty() {
        return;
    }
    let hub = Arc::clone(hub);
    tokio::spawn(async move {
        for (agency, actor) in due {
            let loaded = {
                let _permit = hub.readers.acquire().await.ok();
                reach::load(&hub.db, &actor).await
            };
            let loaded = match loaded {
                Ok(loaded) => Some(loaded),
                Err(error) => {
                    tracing::warn!(%error, "reloading an agency's reach failed");
                    None
                }
            };
            hub.refresh(agency, epoch, loaded);
        }
    });
}

async fn catch_up_logged(hub: &Arc<Hub>) -> bool {
    match catch_up(hub).await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "reading the outbox failed; retrying");
            false
        }
    }
}

async fn poll(hub: Arc<Hub>) {
    let mut behind = true;
    loop {
        let woken = local_commits().notified();
        if behind {
            behind = !catch_up_logged(&hub).await;
        }
        tokio::select! {
            () = woken => behind = true,
            () = tokio::time::sleep(Duration::from_secs(1)) => {
                // Another process (a `concord` command) may have written: look cheaply.
                behind |= match max_seq(&hub.db).await {
                    Ok(max) => max > hub.dispatched(),
                    Err(error) => {
                        tracing::warn!(%error, "reading the outbox failed");
                        true
                    }
                };
            }
        }
    }
}

async fn listen(hub: Arc<Hub>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let mut listener =
            match PgListener::connect_with(hub.db.get_postgres_connection_pool()).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!(%error, "LISTEN connection failed; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            };
        if let Err(error) = listener.listen(CHANNEL).await {
            tracing::warn!(%error, "LISTEN failed; retrying");
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        }
        // Whatever committed while we were not listening.
        let mut behind = !catch_up_logged(&hub).await;
        loop {
            // While behind (a read failed), try again every second even without news.
            let wait = if behind {
                Duration::from_secs(1)
            } else {
                Duration::from_secs(3600)
            };
            match tokio::time::timeout(wait, listener.try_recv()).await {
                Err(_elapsed) => {}
                Ok(Ok(Some(notification))) => match notification.payload().parse::<i64>() {
                    // Read already, with an earlier notification's batch.
                    Ok(seq) if seq <= hub.dispatched() => continue,
                    Ok(_) => {}
                    Err(_) => {
                        tracing::warn!("ignoring a malformed outbox notification");
                        continue;
                    }
                },
                Ok(Ok(None)) => {
                    // The connection dropped and is being re-established: catch up.
                    tracing::info!("LISTEN connection lost; catching up from the outbox");
                }
                Ok(Err(error)) => {
                    tracing::warn!(%error, "LISTEN connection failed; reconnecting");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    break;
                }
            }
            behind = !catch_up_logged(&hub).await;
        }
    }
}
