//! Late reasons for derived deadlines.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `deadline_notes`.
#[derive(DeriveMigrationName)]
pub struct Migration;

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("deadline_notes")
                    .col(pk_uuid("id"))
                    .col(uuid_uniq("deadline_id"))
                    .col(uuid("child_id"))
                    .col(uuid("agency_id"))
                    .col(text("reason"))
                    .col(string("recorded_by"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_deadline_notes_child_id")
                            .from("deadline_notes", "child_id")
                            .to("children", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_deadline_notes_agency_id")
                            .from("deadline_notes", "agency_id")
                            .to("agencies", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_deadline_notes_child_id")
                    .table("deadline_notes")
                    .col("child_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("deadline_notes").to_owned())
            .await
    }
}
