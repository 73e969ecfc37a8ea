//! Concord's database migrations: the same steps on SQLite and PostgreSQL.
//!
//! A migration is never edited after it has landed: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_create_tables;
mod m20261127_000002_unique_identifiers;
mod m20261127_000003_deadline_notes;
mod m20261127_000004_referrals;
mod m20261127_000005_read_indexes;
mod m20261127_000006_stored_deadlines;
mod m20261127_000007_disclosure_requests;
mod m20261206_000008_assessments;
mod m20261206_000009_record_history;
mod m20261206_000010_retention;
mod m20261206_000011_audit_chain;
mod m20261206_000012_history_append_only;
mod m20261207_000013_audit_walk_index;
mod m20261207_000014_plan_review_entries;

/// Every migration, in order.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_tables::Migration),
            Box::new(m20261127_000002_unique_identifiers::Migration),
            Box::new(m20261127_000003_deadline_notes::Migration),
            Box::new(m20261127_000004_referrals::Migration),
            Box::new(m20261127_000005_read_indexes::Migration),
            Box::new(m20261127_000006_stored_deadlines::Migration),
            Box::new(m20261127_000007_disclosure_requests::Migration),
            Box::new(m20261206_000008_assessments::Migration),
            Box::new(m20261206_000009_record_history::Migration),
            Box::new(m20261206_000010_retention::Migration),
            Box::new(m20261206_000011_audit_chain::Migration),
            Box::new(m20261206_000012_history_append_only::Migration),
            Box::new(m20261207_000013_audit_walk_index::Migration),
            Box::new(m20261207_000014_plan_review_entries::Migration),
        ]
    }
}

/// Runs `statements` in order, as they are: for the migrations that are plain SQL on both
/// databases (new ones use it; those that landed before it keep their own loop).
async fn execute_all(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    for sql in statements {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}
