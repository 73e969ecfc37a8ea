//! One child per NHS number and per unique pupil number, so a referral or registration
//! can never create a second record for a child already known by an identifier.

use sea_orm_migration::prelude::*;

/// Partial unique indexes on the identifiers that are present.
#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 2] = [
    "CREATE UNIQUE INDEX ux_children_nhs_number ON children (nhs_number) WHERE nhs_number IS NOT NULL",
    "CREATE UNIQUE INDEX ux_children_upn ON children (unique_pupil_number) WHERE unique_pupil_number IS NOT NULL",
];

const DOWN: [&str; 2] = [
    "DROP INDEX ux_children_nhs_number",
    "DROP INDEX ux_children_upn",
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
