//! `record_versions`: every earlier version of a corrected record (a child, behaviour,
//! chronology entry, involvement, referral, joint plan, plan action, plan review or
//! assessment contribution), with who changed it, when and why.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The GraphQL names of the fields an amendment changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct FieldNames(pub Vec<String>);

/// One replaced version of a record.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "record_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `Child`, `Behaviour` or `ChronologyEntry`.
    pub entity_type: String,
    pub entity_id: Uuid,
    pub child_id: Uuid,
    /// The version the snapshot was, before the amendment replaced it.
    pub version: i32,
    /// The replaced row's user-facing fields.
    pub snapshot: Json,
    pub changed_fields: FieldNames,
    pub reason: String,
    pub amended_by: String,
    pub amended_by_agency_id: Uuid,
    pub amended_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A version belongs to a child.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::children::Entity",
        from = "Column::ChildId",
        to = "super::children::Column::Id"
    )]
    Child,
}

impl ActiveModelBehavior for ActiveModel {}
