//! Indexes for the read paths at partnership scale (issue 10): the visibility checks,
//! now correlated `EXISTS` subqueries, and the per-request loaders that read a page's
//! relations in one statement per level.
//!
//! Already there from the first migration and used as they are: the partial unique
//! `involvements(child_id, agency_id) WHERE ended_on IS NULL` (one child's check) and
//! `plan_members(plan_id, agency_id) WHERE removed_at IS NULL` (one plan's check),
//! `involvements(child_id)`, `behaviours(child_id, disclosed_at)`,
//! `chronology_entries(child_id, occurred_at)`, `joint_plans(child_id)`,
//! `plan_actions(plan_id)` and `consultations(action_id)`.

use sea_orm_migration::prelude::*;

/// The partial and composite indexes of the read paths.
#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 2] = [
    // "Which children is this agency's case team on now?" (the caseload, from the agency
    // side): only active involvements, which is all the visibility condition asks about.
    "CREATE INDEX ix_involvements_active_agency_child ON involvements (agency_id, child_id) \
     WHERE ended_on IS NULL",
    // "Does this subject hold a grant from this agency to this child?".
    "CREATE INDEX ix_access_grants_subject_agency_id_child_id \
     ON access_grants (subject, agency_id, child_id)",
];

const DOWN: [&str; 2] = [
    "DROP INDEX ix_involvements_active_agency_child",
    "DROP INDEX ix_access_grants_subject_agency_id_child_id",
];

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in UP {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in DOWN {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
