//! `agencies`: the partner organisations of the safeguarding partnership.

use sea_orm::entity::prelude::*;

use crate::enums::AgencyKind;

/// One agency, known to tokens by its `code`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Agencies are referenced by involvements, plans and everything recorded.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::involvements::Entity")]
    Involvements,
    #[sea_orm(has_many = "super::plan_members::Entity")]
    PlanMembers,
}

impl Related<super::involvements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Involvements.def()
    }
}

impl Related<super::plan_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PlanMembers.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
