//! Stored deadlines: the deadline engine's output kept per child, refreshed in the
//! transaction of every write that changes a fact it reads, so that dashboards and the
//! strategic report filter, page and count deadlines in SQL. `deadline_policy` holds the
//! fingerprint of the rules the stored set was derived under; a server whose rules differ
//! rebuilds the set at start-up.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `deadlines`, `deadline_policy` and the indexes the report reads through.
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
                    .table("deadlines")
                    .col(pk_uuid("id"))
                    .col(uuid("child_id"))
                    .col(string_len("kind", 32))
                    .col(uuid_null("responsible_agency_id"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(timestamp_with_time_zone_null("met_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_deadlines_child_id")
                            .from("deadlines", "child_id")
                            .to("children", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes = [
            // One child's deadlines (the child view, the refresh).
            ("ix_deadlines_child_id", vec!["child_id", "due_at"]),
            // Every page is in due order; the report counts by due time.
            ("ix_deadlines_due_at_id", vec!["due_at", "id"]),
            // "What is due or overdue for us".
            (
                "ix_deadlines_agency_due_at_id",
                vec!["responsible_agency_id", "due_at", "id"],
            ),
            // The report's durations: a child's first milestone of a kind after a time.
            (
                "ix_chronology_entries_child_kind_occurred",
                vec!["child_id", "kind", "occurred_at"],
            ),
        ];
        for (name, cols) in indexes {
            let table = if name.starts_with("ix_deadlines") {
                "deadlines"
            } else {
                "chronology_entries"
            };
            let mut index = Index::create();
            index.name(name).table(table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("deadline_policy")
                    .col(integer("id").primary_key())
                    .col(text("fingerprint"))
                    .col(timestamp_with_time_zone("derived_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_chronology_entries_child_kind_occurred")
                    .table("chronology_entries")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("deadline_policy").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("deadlines").to_owned())
            .await
    }
}
