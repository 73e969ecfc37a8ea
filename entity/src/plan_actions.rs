//! `plan_actions`: the work a plan assigns to its member agencies.

use sea_orm::entity::prelude::*;

use crate::enums::{ActionKind, ActionStatus};

/// One action of a plan, assigned to one agency.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_actions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub assigned_agency_id: Uuid,
    pub kind: ActionKind,
    pub description: String,
    pub due_on: Option<Date>,
    pub status: ActionStatus,
    pub created_by: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// An action belongs to a plan and has consultations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::joint_plans::Entity",
        from = "Column::PlanId",
        to = "super::joint_plans::Column::Id"
    )]
    Plan,
    #[sea_orm(
        belongs_to = "super::agencies::Entity",
        from = "Column::AssignedAgencyId",
        to = "super::agencies::Column::Id"
    )]
    AssignedAgency,
    #[sea_orm(has_many = "super::consultations::Entity")]
    Consultations,
}

impl Related<super::joint_plans::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl Related<super::consultations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Consultations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
