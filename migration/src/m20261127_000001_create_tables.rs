//! Every table of `docs/product.md`, with keys, constraints and the indexes the queries use.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the whole data model.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// `created_at`, `updated_at` and `version`, which every edited row carries.
fn stamped(mut table: TableCreateStatement, versioned: bool) -> TableCreateStatement {
    if versioned {
        table.col(integer("version").default(1));
    }
    table
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .to_owned()
}

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", cols.join("_")))
        .table(table);
    for col in cols {
        stmt.col(*col);
    }
    stmt.to_owned()
}

/// The tables, parents before children, so foreign keys can be declared inline.
fn tables() -> Vec<TableCreateStatement> {
    vec![
        stamped(
            Table::create()
                .table("agencies")
                .col(pk_uuid("id"))
                .col(string_uniq("code"))
                .col(string("name"))
                .col(string("kind"))
                .col(boolean("active").default(true))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("children")
                .col(pk_uuid("id"))
                .col(string("given_name"))
                .col(string("family_name"))
                .col(date("date_of_birth"))
                .col(string("gender"))
                .col(string("match_key"))
                .col(string_null("nhs_number"))
                .col(string_null("unique_pupil_number"))
                .col(string_null("local_authority_ref"))
                .col(string_null("police_ref"))
                .col(boolean("send").default(false))
                .col(boolean("looked_after").default(false))
                .col(string("status"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("involvements")
                .col(pk_uuid("id"))
                .col(uuid("child_id"))
                .col(uuid("agency_id"))
                .col(string("role"))
                .col(string_null("lead_practitioner"))
                .col(date("started_on"))
                .col(date_null("ended_on"))
                .col(text_null("reason"))
                .col(text_null("end_reason"))
                .foreign_key(&mut fk("involvements", "child_id", "children"))
                .foreign_key(&mut fk("involvements", "agency_id", "agencies"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("behaviours")
                .col(pk_uuid("id"))
                .col(uuid("child_id"))
                .col(uuid("agency_id"))
                .col(string("recorded_by"))
                .col(date("occurred_on"))
                .col(timestamp_with_time_zone("disclosed_at"))
                .col(string("setting"))
                .col(string("contact_type"))
                .col(text("description"))
                .col(string("continuum"))
                .col(string("traffic_light"))
                .col(string("suggested_traffic_light"))
                .col(json("indicators"))
                .col(text_null("classification_rationale"))
                .col(boolean("escalated").default(false))
                .col(string("sensitivity"))
                .col(json("shared_with"))
                .foreign_key(&mut fk("behaviours", "child_id", "children"))
                .foreign_key(&mut fk("behaviours", "agency_id", "agencies"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("affected_children")
                .col(pk_uuid("id"))
                .col(uuid("behaviour_id"))
                .col(uuid_null("child_id"))
                .col(string_null("given_name"))
                .col(string_null("family_name"))
                .col(integer_null("age_at_time"))
                .col(string("relationship"))
                .foreign_key(&mut fk("affected_children", "behaviour_id", "behaviours"))
                .foreign_key(&mut fk("affected_children", "child_id", "children"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("chronology_entries")
                .col(pk_uuid("id"))
                .col(uuid("child_id"))
                .col(uuid_null("behaviour_id"))
                .col(string("kind"))
                .col(timestamp_with_time_zone("occurred_at"))
                .col(uuid("agency_id"))
                .col(string("recorded_by"))
                .col(text("summary"))
                .col(string("sensitivity"))
                .col(json("shared_with"))
                .foreign_key(&mut fk("chronology_entries", "child_id", "children"))
                .foreign_key(&mut fk("chronology_entries", "behaviour_id", "behaviours"))
                .foreign_key(&mut fk("chronology_entries", "agency_id", "agencies"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("joint_plans")
                .col(pk_uuid("id"))
                .col(uuid("child_id"))
                .col(string("title"))
                .col(string("status"))
                .col(string("pathway"))
                .col(uuid("lead_agency_id"))
                .col(text_null("risk_summary"))
                .col(date_null("next_review_due"))
                .col(timestamp_with_time_zone_null("activated_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .foreign_key(&mut fk("joint_plans", "child_id", "children"))
                .foreign_key(&mut fk("joint_plans", "lead_agency_id", "agencies"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("plan_members")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(uuid("agency_id"))
                .col(timestamp_with_time_zone_null("removed_at"))
                .foreign_key(&mut fk("plan_members", "plan_id", "joint_plans"))
                .foreign_key(&mut fk("plan_members", "agency_id", "agencies"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("plan_actions")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(uuid("assigned_agency_id"))
                .col(string("kind"))
                .col(text("description"))
                .col(date_null("due_on"))
                .col(string("status"))
                .col(string("created_by"))
                .foreign_key(&mut fk("plan_actions", "plan_id", "joint_plans"))
                .foreign_key(&mut fk("plan_actions", "assigned_agency_id", "agencies"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("consultations")
                .col(pk_uuid("id"))
                .col(uuid("action_id"))
                .col(uuid("agency_id"))
                .col(string("status"))
                .col(text_null("response_note"))
                .col(string_null("responded_by"))
                .col(timestamp_with_time_zone_null("responded_at"))
                .col(text_null("override_reason"))
                .col(string_null("overridden_by"))
                .col(timestamp_with_time_zone_null("overridden_at"))
                .foreign_key(&mut fk("consultations", "action_id", "plan_actions"))
                .foreign_key(&mut fk("consultations", "agency_id", "agencies"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("plan_reviews")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(date("held_on"))
                .col(json("attending_agencies"))
                .col(text("summary"))
                .col(date_null("next_review_due"))
                .col(string("recorded_by"))
                .foreign_key(&mut fk("plan_reviews", "plan_id", "joint_plans"))
                .to_owned(),
            true,
        ),
        stamped(
            Table::create()
                .table("access_grants")
                .col(pk_uuid("id"))
                .col(uuid("child_id"))
                .col(uuid("agency_id"))
                .col(string("subject"))
                .col(text("reason"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk("access_grants", "child_id", "children"))
                .foreign_key(&mut fk("access_grants", "agency_id", "agencies"))
                .to_owned(),
            false,
        ),
        stamped(
            Table::create()
                .table("plan_events")
                .col(big_pk_auto("seq"))
                .col(uuid_uniq("id"))
                .col(uuid_null("plan_id"))
                .col(uuid_null("child_id"))
                .col(json("audience"))
                .col(string("kind"))
                .col(text("summary"))
                .col(json("payload"))
                .col(timestamp_with_time_zone("occurred_at"))
                .col(string("actor_subject"))
                .col(uuid_null("actor_agency_id"))
                .foreign_key(&mut fk("plan_events", "plan_id", "joint_plans"))
                .to_owned(),
            false,
        ),
        stamped(
            Table::create()
                .table("audit_events")
                .col(pk_uuid("id"))
                .col(timestamp_with_time_zone("occurred_at"))
                .col(string("actor_subject"))
                .col(uuid_null("actor_agency_id"))
                .col(string_null("actor_agency_code"))
                .col(string("actor_roles"))
                .col(string("action"))
                .col(string("entity_type"))
                .col(uuid_null("entity_id"))
                .col(uuid_null("child_id"))
                .col(string("outcome"))
                .col(text_null("reason"))
                .col(string_null("request_id"))
                .to_owned(),
            false,
        ),
    ]
}

/// Indexes for the visibility conditions, the per-child lists and the reports.
fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index("children", &["match_key"]),
        index("children", &["nhs_number"]),
        index("children", &["unique_pupil_number"]),
        index("involvements", &["agency_id", "child_id"]),
        index("involvements", &["child_id"]),
        index("behaviours", &["child_id", "disclosed_at"]),
        index("affected_children", &["behaviour_id"]),
        index("chronology_entries", &["child_id", "occurred_at"]),
        index("chronology_entries", &["kind", "occurred_at"]),
        index("joint_plans", &["child_id"]),
        index("plan_members", &["agency_id"]),
        index("plan_actions", &["plan_id"]),
        index("consultations", &["action_id"]),
        index("consultations", &["agency_id", "status"]),
        index("plan_reviews", &["plan_id"]),
        index("access_grants", &["subject", "child_id", "expires_at"]),
        index("plan_events", &["plan_id", "seq"]),
        index("audit_events", &["occurred_at"]),
        index("audit_events", &["child_id", "occurred_at"]),
        index("audit_events", &["actor_subject", "occurred_at"]),
    ]
}

/// Uniqueness that holds only for current rows: partial indexes, in SQL both databases accept.
const PARTIAL_UNIQUE: [&str; 3] = [
    "CREATE UNIQUE INDEX ux_involvements_active ON involvements (child_id, agency_id) WHERE ended_on IS NULL",
    "CREATE UNIQUE INDEX ux_involvements_one_lead ON involvements (child_id) WHERE ended_on IS NULL AND role = 'LEAD'",
    "CREATE UNIQUE INDEX ux_plan_members_current ON plan_members (plan_id, agency_id) WHERE removed_at IS NULL",
];

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        let db = manager.get_connection();
        for sql in PARTIAL_UNIQUE {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables().into_iter().rev() {
            let name = table
                .get_table_name()
                .cloned()
                .ok_or_else(|| DbErr::Migration("table without a name".into()))?;
            manager
                .drop_table(Table::drop().table(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
