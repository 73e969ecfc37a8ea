//! `chronology_entries`: the multi-agency chronology, and the milestones timescales read.

use sea_orm::entity::prelude::*;

use crate::enums::{AgencyIds, ChronologyKind, Sensitivity};

/// One dated entry in a child's chronology.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chronology_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub behaviour_id: Option<Uuid>,
    pub kind: ChronologyKind,
    pub occurred_at: DateTimeUtc,
    pub agency_id: Uuid,
    pub recorded_by: String,
    pub summary: String,
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

/// An entry belongs to a child, its recording agency and maybe a behaviour.
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
    #[sea_orm(
        belongs_to = "super::behaviours::Entity",
        from = "Column::BehaviourId",
        to = "super::behaviours::Column::Id"
    )]
    Behaviour,
}

impl Related<super::children::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Child.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
