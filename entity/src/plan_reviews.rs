//! `plan_reviews`: the reviews a joint plan holds.

use sea_orm::entity::prelude::*;

use crate::enums::AgencyIds;

/// One review of a plan, with who attended and when the next is due.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_reviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub held_on: Date,
    pub attending_agencies: AgencyIds,
    pub summary: String,
    pub next_review_due: Option<Date>,
    pub recorded_by: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A review belongs to a plan.
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
