//! Corrections with history (`docs/product.md`): every earlier version of a corrected
//! child, behaviour or chronology entry, and the entered-in-error flag of behaviours and
//! chronology entries.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `record_versions` and adds the entered-in-error columns.
#[derive(DeriveMigrationName)]
pub struct Migration;

const FLAGGED: [&str; 2] = ["behaviours", "chronology_entries"];

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("record_versions")
                    .col(pk_uuid("id"))
                    .col(string("entity_type"))
                    .col(uuid("entity_id"))
                    .col(uuid("child_id"))
                    // The version that this row's values were, before the change.
                    .col(integer("version"))
                    .col(json("snapshot"))
                    .col(json("changed_fields"))
                    .col(text("reason"))
                    .col(string("amended_by"))
                    .col(uuid("amended_by_agency_id"))
                    .col(timestamp_with_time_zone("amended_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_record_versions_child_id")
                            .from("record_versions", "child_id")
                            .to("children", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_record_versions_amended_by_agency_id")
                            .from("record_versions", "amended_by_agency_id")
                            .to("agencies", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_record_versions_entity_id")
                    .table("record_versions")
                    .col("entity_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_record_versions_child_id")
                    .table("record_versions")
                    .col("child_id")
                    .to_owned(),
            )
            .await?;
        for table in FLAGGED {
            // One column per statement: SQLite adds one column at a time.
            for column in [
                timestamp_with_time_zone_null("entered_in_error_at"),
                string_null("entered_in_error_by"),
                text_null("entered_in_error_reason"),
            ] {
                let mut column = column;
                manager
                    .alter_table(
                        Table::alter()
                            .table(table)
                            .add_column(&mut column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in FLAGGED {
            for column in [
                "entered_in_error_at",
                "entered_in_error_by",
                "entered_in_error_reason",
            ] {
                manager
                    .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                    .await?;
            }
        }
        manager
            .drop_table(Table::drop().table("record_versions").to_owned())
            .await
    }
}
