//! Disclosure requests (`docs/product.md`): an agency on the case team that sees a
//! restricted entry without its content asks the recording agency to share it, and the
//! recording agency's decision, either way, is recorded.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `disclosure_requests`.
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
                    .table("disclosure_requests")
                    .col(pk_uuid("id"))
                    .col(uuid("child_id"))
                    // The kind of entry asked about and its id: an entry kind is added
                    // without a schema change (assessment contributions, say).
                    .col(string("entry_kind"))
                    .col(uuid("entry_id"))
                    .col(uuid("recording_agency_id"))
                    .col(uuid("requesting_agency_id"))
                    .col(string("requested_by"))
                    .col(text("reason"))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(string("status"))
                    .col(text_null("decision_reason"))
                    .col(string_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosure_requests_child_id")
                            .from("disclosure_requests", "child_id")
                            .to("children", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosure_requests_recording_agency_id")
                            .from("disclosure_requests", "recording_agency_id")
                            .to("agencies", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosure_requests_requesting_agency_id")
                            .from("disclosure_requests", "requesting_agency_id")
                            .to("agencies", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for column in ["child_id", "recording_agency_id", "requesting_agency_id"] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("ix_disclosure_requests_{column}"))
                        .table("disclosure_requests")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // At most one open request per entry and requesting agency; the service checks
        // first under a lock, this is the backstop. Both backends take a partial index.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_disclosure_requests_open \
                 ON disclosure_requests (entry_id, requesting_agency_id) \
                 WHERE status = 'REQUESTED'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("disclosure_requests").to_owned())
            .await
    }
}
