//! `consultations`: one agency of the other sector asked before an action starts.

use sea_orm::entity::prelude::*;

use crate::enums::ConsultationStatus;

/// One consultation of one agency on one action.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub action_id: Uuid,
    pub agency_id: Uuid,
    pub status: ConsultationStatus,
    pub response_note: Option<String>,
    pub responded_by: Option<String>,
    pub responded_at: Option<DateTimeUtc>,
    pub override_reason: Option<String>,
    pub overridden_by: Option<String>,
    pub overridden_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A consultation belongs to an action and names the consulted agency.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::plan_actions::Entity",
        from = "Column::ActionId",
        to = "super::plan_actions::Column::Id"
    )]
    Action,
    #[sea_orm(
        belongs_to = "super::agencies::Entity",
        from = "Column::AgencyId",
        to = "super::agencies::Column::Id"
    )]
    Agency,
}

impl Related<super::plan_actions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Action.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
