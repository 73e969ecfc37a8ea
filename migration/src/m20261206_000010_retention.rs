//! Retention and legal hold (`docs/product.md`): legal holds on a child's record, and the
//! tombstones the retention run leaves for each record it erased.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `legal_holds` and `erasures`.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .to_owned()
}

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("legal_holds")
                    .col(pk_uuid("id"))
                    .col(uuid("child_id"))
                    .col(string("kind"))
                    .col(string("reference"))
                    .col(text("reason"))
                    .col(string("placed_by"))
                    .col(uuid("placed_by_agency_id"))
                    .col(timestamp_with_time_zone("placed_at"))
                    .col(timestamp_with_time_zone_null("released_at"))
                    .col(string_null("released_by"))
                    .col(text_null("release_reason"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("legal_holds", "child_id", "children"))
                    .foreign_key(&mut fk("legal_holds", "placed_by_agency_id", "agencies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_legal_holds_child_id")
                    .table("legal_holds")
                    .col("child_id")
                    .to_owned(),
            )
            .await?;

        // A tombstone per erased record: its id is the erased child's id, and it holds no
        // personal data, only why and when the record went.
        manager
            .create_table(
                Table::create()
                    .table("erasures")
                    .col(pk_uuid("id"))
                    .col(string("record_class"))
                    .col(string("rule"))
                    .col(date("retain_until"))
                    .col(timestamp_with_time_zone("erased_at"))
                    .col(string("erased_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["erasures", "legal_holds"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
