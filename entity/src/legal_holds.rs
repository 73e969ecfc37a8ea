//! `legal_holds`: a hold on a child's record that the retention run never erases past.

use sea_orm::entity::prelude::*;

use crate::enums::LegalHoldKind;

/// One legal hold, from when it was placed until (and after) it is released: a released
/// hold stays on record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legal_holds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub kind: LegalHoldKind,
    pub reference: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_by_agency_id: Uuid,
    pub placed_at: DateTimeUtc,
    pub released_at: Option<DateTimeUtc>,
    pub released_by: Option<String>,
    pub release_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A hold belongs to a child.
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
