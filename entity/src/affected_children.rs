//! `affected_children`: the other children involved in a behaviour, identity protected.

use sea_orm::entity::prelude::*;

/// One affected child; the link to their own record is optional.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "affected_children")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub behaviour_id: Uuid,
    pub child_id: Option<Uuid>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub age_at_time: Option<i32>,
    pub relationship: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// An affected child belongs to a behaviour and may be a known child.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::behaviours::Entity",
        from = "Column::BehaviourId",
        to = "super::behaviours::Column::Id"
    )]
    Behaviour,
    #[sea_orm(
        belongs_to = "super::children::Entity",
        from = "Column::ChildId",
        to = "super::children::Column::Id"
    )]
    Child,
}

impl Related<super::behaviours::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Behaviour.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
