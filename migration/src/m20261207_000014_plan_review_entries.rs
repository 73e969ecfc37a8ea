//! A plan review's chronology entry becomes restricted to the plan's members.
//!
//! `recordPlanReview` wrote the review's summary into the child's chronology as a
//! `STANDARD` entry ("Joint plan review: …"), which every agency on the case team reads,
//! while the plan and its reviews are for its member agencies only. It now writes the
//! entry `RESTRICTED`, shared with the plan's members (the child's lead agency and the
//! recording agency read restricted entries anyway). This migration does the same to the
//! entries written before: each `PLAN_REVIEW` entry that is still `STANDARD` and was
//! written with a review (same child, same recorder, same instant, as `amendPlanReview`
//! finds it) is shared with the plan's current members. Entries a practitioner added by
//! hand with the kind `PLAN_REVIEW` match no review and keep their own sensitivity.
//!
//! The content of the entries is unchanged, so no version or history row is written: this
//! corrects who may read them, as the rule above now decides. An entry its recording agency
//! had set `STANDARD` again by a correction is restricted too (the migration cannot tell it
//! from one never corrected); the agency may correct it again.
//!
//! Not undone by `down`: which entries were restricted here is not recorded, and making
//! them readable again would undo the correction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// Restricts the reviews' entries.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The review an entry was written with, as a condition on `chronology_entries`.
const REVIEW_OF_ENTRY: &str = "FROM plan_reviews r JOIN joint_plans p ON p.id = r.plan_id \
     WHERE p.child_id = chronology_entries.child_id \
       AND r.recorded_by = chronology_entries.recorded_by \
       AND r.created_at = chronology_entries.created_at";

/// The plan's current members as a JSON array of ids, as `AgencyIds` stores them. When two
/// reviews match one entry (one coordinator reviewing two plans of the child in one
/// request), which plan it belongs to is unknown: it is shared with no one, so only the
/// recording agency and the child's lead agency read it.
fn members(backend: DatabaseBackend) -> String {
    let plan = format!("(SELECT r.plan_id {REVIEW_OF_ENTRY} LIMIT 1)");
    let single = format!("(SELECT COUNT(*) {REVIEW_OF_ENTRY}) = 1");
    match backend {
        DatabaseBackend::Postgres => format!(
            "CASE WHEN {single} THEN COALESCE((SELECT json_agg(m.agency_id ORDER BY m.id) \
             FROM plan_members m WHERE m.plan_id = {plan} AND m.removed_at IS NULL), '[]'::json) \
             ELSE '[]'::json END"
        ),
        // Ids are 16-byte blobs in SQLite; the JSON holds them hyphenated, in lower case.
        _ => format!(
            "CASE WHEN {single} THEN (SELECT json_group_array(lower(substr(h, 1, 8) || '-' \
             || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' \
             || substr(h, 21, 12))) FROM (SELECT hex(m.agency_id) AS h FROM plan_members m \
             WHERE m.plan_id = {plan} AND m.removed_at IS NULL ORDER BY m.id)) ELSE '[]' END"
        ),
    }
}

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let sql = format!(
            "UPDATE chronology_entries SET sensitivity = 'RESTRICTED', shared_with = {} \
             WHERE kind = 'PLAN_REVIEW' AND sensitivity = 'STANDARD' \
               AND EXISTS (SELECT 1 {REVIEW_OF_ENTRY})",
            members(db.get_database_backend())
        );
        db.execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
