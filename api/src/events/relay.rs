//! Tracks the newest committed outbox `seq`.
//!
//! PostgreSQL: every commit that wrote events `NOTIFY`s the new `seq` on the outbox
//! channel; each instance `LISTEN`s, and after a lost connection reads `max(seq)`
//! to catch up. SQLite (one process): commits wake the relay in memory, with a slow
//! poll as a safety net.

use std::sync::Arc;
use std::time::Duration;

use entity::plan_events;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{DatabaseBackend, DatabaseConnection, EntityTrait, QuerySelect};
use tokio::sync::watch;

use crate::domain::outbox::{CHANNEL, local_commits};

/// The newest committed `seq`, shared by every subscriber of this process.
#[derive(Clone)]
pub struct Relay {
    latest: watch::Receiver<i64>,
    _task: Arc<tokio::task::JoinHandle<()>>,
}

impl Relay {
    /// Starts following the outbox of `db`.
    pub async fn start(db: DatabaseConnection) -> Self {
        let initial = max_seq(&db).await.unwrap_or(0);
        let (tx, rx) = watch::channel(initial);
        let task = match db.get_database_backend() {
            DatabaseBackend::Postgres => tokio::spawn(listen(db, tx)),
            _ => tokio::spawn(poll(db, tx)),
        };
        Self {
            latest: rx,
            _task: Arc::new(task),
        }
    }

    /// A receiver that changes whenever a newer `seq` is committed.
    pub fn watch(&self) -> watch::Receiver<i64> {
        self.latest.clone()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if Arc::strong_count(&self._task) == 1 {
            self._task.abort();
        }
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

fn advance(tx: &watch::Sender<i64>, seq: i64) {
    tx.send_if_modified(|latest| {
        if seq > *latest {
            *latest = seq;
            true
        } else {
            false
        }
    });
}

async fn poll(db: DatabaseConnection, tx: watch::Sender<i64>) {
    loop {
        let woken = local_commits().notified();
        match max_seq(&db).await {
            Ok(seq) => advance(&tx, seq),
            Err(error) => tracing::warn!(%error, "reading the outbox failed"),
        }
        if tx.is_closed() {
            return;
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), woken).await;
    }
}

async fn listen(db: DatabaseConnection, tx: watch::Sender<i64>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        // Nobody listens any more (the server stopped): stop retrying.
        if tx.is_closed() {
            return;
        }
        let mut listener = match PgListener::connect_with(db.get_postgres_connection_pool()).await {
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
        if let Ok(seq) = max_seq(&db).await {
            advance(&tx, seq);
        }
        loop {
            if tx.is_closed() {
                return;
            }
            match listener.try_recv().await {
                Ok(Some(notification)) => match notification.payload().parse::<i64>() {
                    Ok(seq) => advance(&tx, seq),
                    Err(_) => tracing::warn!("ignoring a malformed outbox notification"),
                },
                Ok(None) => {
                    // The connection dropped and is being re-established: catch up.
                    tracing::info!("LISTEN connection lost; catching up from the outbox");
                    if let Ok(seq) = max_seq(&db).await {
                        advance(&tx, seq);
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "LISTEN connection failed; reconnecting");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    break;
                }
            }
        }
    }
}
