//! `behaviours`: each recorded instance of harmful sexual behaviour, classified.

use sea_orm::entity::prelude::*;

use crate::enums::{
    AgencyIds, ContactType, Continuum, Indicators, Sensitivity, Setting, TrafficLight,
};

/// One behaviour, as recorded by one agency.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "behaviours")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub agency_id: Uuid,
    pub recorded_by: String,
    pub occurred_on: Date,
    pub disclosed_at: DateTimeUtc,
    pub setting: Setting,
    pub contact_type: ContactType,
    pub description: String,
    pub continuum: Continuum,
    pub traffic_light: TrafficLight,
    pub suggested_traffic_light: TrafficLight,
    pub indicators: Indicators,
    pub classification_rationale: Option<String>,
    pub escalated: bool,
    pub sensitivity: Sensitivity,
    pub shared_with: AgencyIds,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When it was marked entered in error (it stays, its content hidden).
    pub entered_in_error_at: Option<DateTimeUtc>,
    /// Who marked it entered in error.
    pub entered_in_error_by: Option<String>,
    /// Why it was marked entered in error.
    pub entered_in_error_reason: Option<String>,
}

/// A behaviour belongs to a child and its recording agency.
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
        from = "Column::AgencyId",
        to = "super::agencies::Column::Id"
    )]
    Agency,
    #[sea_orm(has_many = "super::affected_children::Entity")]
    AffectedChildren,
}

impl Related<super::children::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Child.def()
    }
}

impl Related<super::affected_children::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AffectedChildren.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
