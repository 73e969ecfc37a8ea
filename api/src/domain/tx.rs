//! Write transactions.
//!
//! SQLite allows one writer at a time and fails, rather than waits, when two deferred
//! transactions that both read try to write; so on SQLite (one process, `docs/integrating.md`)
//! writers queue on an in-process lock before they begin, and begin `IMMEDIATE`: they take
//! SQLite's write lock at `BEGIN`, waiting for it (the busy timeout) while a request's
//! audit rows are being written. A deferred transaction that had read first failed at its
//! first write whenever such an insert committed in between ("database is locked",
//! `SQLITE_BUSY_SNAPSHOT`): under the benchmark's caseload, the audit sealer failed on every
//! pass (`BENCHMARKS.md`, "The sealer under load"). So, while a write transaction is open,
//! write nothing through the pool: on SQLite that write would wait for the lock this
//! transaction holds, then fail. Drop the transaction first, as `legal_holds` does before it
//! audits a refusal. On PostgreSQL, rules that read before
//! they write (a known child, a second behaviour) take an advisory lock on what they read,
//! held until commit.

use std::ops::Deref;

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::ApiResult;

static SQLITE_WRITER: Mutex<()> = Mutex::const_new(());

/// A write transaction, holding the SQLite writer lock while it lives.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _writer: Option<MutexGuard<'static, ()>>,
}

impl Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    /// Commits; the writer lock is released after the commit.
    pub async fn commit(self) -> ApiResult<()> {
        self.txn.commit().await?;
        super::outbox::committed();
        Ok(())
    }
}

/// Begins a write transaction.
pub async fn begin(db: &DatabaseConnection) -> ApiResult<WriteTxn> {
    let (txn, writer) = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let writer = SQLITE_WRITER.lock().await;
            let immediate = TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            };
            (db.begin_with_options(immediate).await?, Some(writer))
        }
        _ => (db.begin().await?, None),
    };
    Ok(WriteTxn {
        txn,
        _writer: writer,
    })
}

/// Serialises transactions that read and then write on behalf of the same `key` (a
/// child, a match key), until this transaction ends.
pub async fn lock_key(txn: &WriteTxn, key: &str) -> ApiResult<()> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}
