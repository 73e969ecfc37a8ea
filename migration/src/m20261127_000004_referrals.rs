//! Referrals as records of their own (`docs/product.md`): a referral reaches the case team and
//! waits for the lead agency's decision; it never opens the case team by itself.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `referrals`.
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
                    .table("referrals")
                    .col(pk_uuid("id"))
                    .col(uuid("child_id"))
                    .col(uuid("referring_agency_id"))
                    .col(string("referred_by"))
                    .col(text("reason"))
                    .col(timestamp_with_time_zone("referred_at"))
                    .col(string("status"))
                    .col(text_null("decision_note"))
                    .col(string_null("decided_by"))
                    .col(uuid_null("deciding_agency_id"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_referrals_child_id")
                            .from("referrals", "child_id")
                            .to("children", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_referrals_referring_agency_id")
                            .from("referrals", "referring_agency_id")
                            .to("agencies", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_referrals_deciding_agency_id")
                            .from("referrals", "deciding_agency_id")
                            .to("agencies", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for column in ["child_id", "referring_agency_id"] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("ix_referrals_{column}"))
                        .table("referrals")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("referrals").to_owned())
            .await
    }
}
