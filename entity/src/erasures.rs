//! `erasures`: the tombstone of a child's record that the retention run erased.

use sea_orm::entity::prelude::*;

/// One erased record: its id is the erased child's id. No personal data, only which
/// rule erased it and when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "erasures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The record class, e.g. `CHILD_PROTECTION`.
    pub record_class: String,
    /// The rule that set the retention, e.g. `CHILD_PROTECTION: 35 years after last contact`.
    pub rule: String,
    pub retain_until: Date,
    pub erased_at: DateTimeUtc,
    pub erased_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A tombstone relates to nothing: what it stood for is gone.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
