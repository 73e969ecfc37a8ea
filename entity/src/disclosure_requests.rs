//! `disclosure_requests`: an agency asks the recording agency to share a restricted entry.

use sea_orm::entity::prelude::*;

use crate::enums::{DisclosureEntryKind, DisclosureStatus};

/// One request by one agency to read one restricted entry, and the decision on it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub entry_kind: DisclosureEntryKind,
    pub entry_id: Uuid,
    pub recording_agency_id: Uuid,
    pub requesting_agency_id: Uuid,
    pub requested_by: String,
    pub reason: String,
    pub requested_at: DateTimeUtc,
    pub status: DisclosureStatus,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A request belongs to a child and names two agencies.
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
