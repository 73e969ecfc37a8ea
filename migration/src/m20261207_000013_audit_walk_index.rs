//! The audit log's walk order as one index: `audit_events (occurred_at, id)`.
//!
//! The sealer reads the log in `(occurred_at, id)` order, each batch continuing after the
//! last row of the one before. With only `occurred_at` indexed, a batch had to read and sort
//! every later row to find its first thousand; under a load writing thousands of audit rows
//! a second the backlog grew, and with it every batch (`BENCHMARKS.md`, "The sealer under
//! load"). The composite index answers the row-value comparison `(occurred_at, id) > (?, ?)`
//! in order. It also serves what the single-column index served (the audit log's time
//! filters, `audit verify`'s oldest unsealed row), which it replaces: one index fewer to
//! write per audit row.

use sea_orm_migration::prelude::*;

/// Replaces `ix_audit_events_occurred_at` with `ix_audit_events_occurred_at_id`.
#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 2] = [
    "CREATE INDEX ix_audit_events_occurred_at_id ON audit_events (occurred_at, id)",
    "DROP INDEX ix_audit_events_occurred_at",
];

const DOWN: [&str; 2] = [
    "CREATE INDEX ix_audit_events_occurred_at ON audit_events (occurred_at)",
    "DROP INDEX ix_audit_events_occurred_at_id",
];

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, &UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, &DOWN).await
    }
}
