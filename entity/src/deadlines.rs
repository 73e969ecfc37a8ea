//! `deadlines`: the deadline engine's output, stored per child and refreshed in the
//! transaction of every write that changes a fact it is derived from (`docs/product.md`).
//!
//! A cache: the engine stays the only source of the rules, and the server rebuilds the
//! table when the rules change (`deadline_policy`).

use sea_orm::entity::prelude::*;

/// One derived deadline.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadlines")]
pub struct Model {
    /// The engine's stable id (late reasons are recorded against it).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    /// The engine's kind, as its GraphQL name (`REFERRAL_DECISION`, …).
    pub kind: String,
    pub responsible_agency_id: Option<Uuid>,
    pub started_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub met_at: Option<DateTimeUtc>,
}

/// A deadline belongs to a child.
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
