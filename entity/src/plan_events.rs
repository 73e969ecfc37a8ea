//! `plan_events`: the outbox that subscriptions replay and relay.
//!
//! `seq` is the primary key rather than a UUID, because the outbox is read in
//! `seq` order and SQLite can only auto-increment its primary key; `id` is
//! still a UUID v7, unique, for references from elsewhere.

use sea_orm::entity::prelude::*;

use crate::enums::AgencyIds;

/// One event: ids and a short summary only, never personal data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    #[sea_orm(unique)]
    pub id: Uuid,
    pub plan_id: Option<Uuid>,
    pub child_id: Option<Uuid>,
    /// Agencies told of it besides the plan's members (escalation, emergency access).
    pub audience: AgencyIds,
    pub kind: String,
    pub summary: String,
    pub payload: Json,
    pub occurred_at: DateTimeUtc,
    pub actor_subject: String,
    pub actor_agency_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// An event may concern a plan.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::joint_plans::Entity",
        from = "Column::PlanId",
        to = "super::joint_plans::Column::Id"
    )]
    Plan,
}

impl Related<super::joint_plans::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
