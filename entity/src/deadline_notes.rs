//! `deadline_notes`: the reason recorded for a deadline met late or overdue.
//!
//! Deadlines themselves are derived, not stored; a note is keyed by the deadline's
//! stable id.

use sea_orm::entity::prelude::*;

/// One recorded late reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub deadline_id: Uuid,
    pub child_id: Uuid,
    pub agency_id: Uuid,
    pub reason: String,
    pub recorded_by: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A note belongs to a child.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::children::Entity",
        from = "Column::ChildId",
        to = "super::children::Column::Id"
    )]
    Child,
}

impl Related<super::children::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Child.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
