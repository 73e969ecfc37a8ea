//! Joint assessment (`docs/product.md`): assessments under a framework, the agencies'
//! contributions per domain, the needs a completed assessment identified, and the plan
//! actions that address them.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `assessments`, `assessment_contributions`, `assessment_needs` and
/// `plan_action_needs`.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    let mut index = Index::create()
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table)
        .to_owned();
    for column in columns {
        index.col(*column);
    }
    manager.create_index(index).await
}

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("assessments")
                    .col(pk_uuid("id"))
                    .col(uuid("child_id"))
                    // The framework as it was when the assessment started: a later
                    // policy file does not change an assessment's domains.
                    .col(string("framework_code"))
                    .col(string("framework_version"))
                    .col(string("framework_name"))
                    .col(integer("framework_min_age"))
                    .col(integer("framework_max_age"))
                    .col(json("domains"))
                    .col(uuid("lead_agency_id"))
                    .col(string("started_by"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(date("due_on"))
                    .col(string("status"))
                    .col(uuid_null("supersedes_id"))
                    .col(text_null("formulation"))
                    .col(string_null("hsb_concern"))
                    .col(string_null("level_of_need"))
                    .col(string_null("recommended_pathway"))
                    .col(string_null("intervention_intensity"))
                    .col(string_null("completed_by"))
                    .col(timestamp_with_time_zone_null("completed_at"))
                    // The London day of `completed_at`, so that "within timescale" is a
                    // comparison of days on either database.
                    .col(date_null("completed_on"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("assessments", "child_id", "children"))
                    .foreign_key(&mut fk("assessments", "lead_agency_id", "agencies"))
                    .foreign_key(&mut fk("assessments", "supersedes_id", "assessments"))
                    .to_owned(),
            )
            .await?;
        index(manager, "assessments", &["child_id"]).await?;
        index(manager, "assessments", &["completed_at"]).await?;
        // At most one assessment in progress per child; the service checks first under a
        // lock, this is the backstop.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_assessments_in_progress \
                 ON assessments (child_id) WHERE status = 'IN_PROGRESS'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("assessment_contributions")
                    .col(pk_uuid("id"))
                    .col(uuid("assessment_id"))
                    .col(uuid("child_id"))
                    .col(uuid("agency_id"))
                    .col(string("domain"))
                    .col(string("status"))
                    .col(string("requested_by"))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(text_null("concerns"))
                    .col(text_null("strengths"))
                    .col(string_null("level"))
                    .col(text_null("sources"))
                    .col(string("sensitivity"))
                    .col(json("shared_with"))
                    .col(string_null("contributed_by"))
                    .col(timestamp_with_time_zone_null("contributed_at"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "assessment_contributions",
                        "assessment_id",
                        "assessments",
                    ))
                    .foreign_key(&mut fk("assessment_contributions", "child_id", "children"))
                    .foreign_key(&mut fk("assessment_contributions", "agency_id", "agencies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_assessment_contributions_agency_domain")
                    .table("assessment_contributions")
                    .col("assessment_id")
                    .col("agency_id")
                    .col("domain")
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "assessment_contributions",
            &["agency_id", "status"],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("assessment_needs")
                    .col(pk_uuid("id"))
                    .col(uuid("assessment_id"))
                    .col(uuid("child_id"))
                    .col(string("domain"))
                    .col(text("statement"))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("assessment_needs", "assessment_id", "assessments"))
                    .foreign_key(&mut fk("assessment_needs", "child_id", "children"))
                    .to_owned(),
            )
            .await?;
        index(manager, "assessment_needs", &["assessment_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("plan_action_needs")
                    .col(pk_uuid("id"))
                    .col(uuid("action_id"))
                    .col(uuid("need_id"))
                    .col(uuid("plan_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("plan_action_needs", "action_id", "plan_actions"))
                    .foreign_key(&mut fk("plan_action_needs", "need_id", "assessment_needs"))
                    .foreign_key(&mut fk("plan_action_needs", "plan_id", "joint_plans"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_plan_action_needs_action_need")
                    .table("plan_action_needs")
                    .col("action_id")
                    .col("need_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(manager, "plan_action_needs", &["need_id"]).await?;
        index(manager, "plan_action_needs", &["plan_id"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "plan_action_needs",
            "assessment_needs",
            "assessment_contributions",
            "assessments",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
