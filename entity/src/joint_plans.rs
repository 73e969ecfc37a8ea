//! `joint_plans`: the one multi-agency plan for a child.

use sea_orm::entity::prelude::*;

use crate::enums::{Pathway, PlanStatus};

/// One joint plan, led by one agency, worked by its members.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "joint_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub title: String,
    pub status: PlanStatus,
    pub pathway: Pathway,
    pub lead_agency_id: Uuid,
    pub risk_summary: Option<String>,
    pub next_review_due: Option<Date>,
    pub activated_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A plan belongs to a child and has members, actions and reviews.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::children::Entity",
        from = "Column::ChildId",
        to = "super::children::Column::Id"
    )]
    Child,
    #[sea_orm(
        belongs_to = "super::agencies::Entity",
        from = "Column::LeadAgencyId",
        to = "super::agencies::Column::Id"
    )]
    LeadAgency,
    #[sea_orm(has_many = "super::plan_members::Entity")]
    Members,
    #[sea_orm(has_many = "super::plan_actions::Entity")]
    Actions,
    #[sea_orm(has_many = "super::plan_reviews::Entity")]
    Reviews,
}

impl Related<super::children::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Child.def()
    }
}

impl Related<super::plan_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Members.def()
    }
}

impl Related<super::plan_actions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Actions.def()
    }
}

impl Related<super::plan_reviews::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Reviews.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
