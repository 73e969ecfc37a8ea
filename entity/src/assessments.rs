//! `assessments`: a joint assessment of a child under a framework, led by one agency.

use sea_orm::entity::prelude::*;

use crate::enums::{AssessmentStatus, ConcernLevel, DomainList, InterventionIntensity, Pathway};

/// One assessment, from its start to its completion (and, later, its supersession).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub framework_code: String,
    pub framework_version: String,
    pub framework_name: String,
    pub framework_min_age: i32,
    pub framework_max_age: i32,
    pub domains: DomainList,
    pub lead_agency_id: Uuid,
    pub started_by: String,
    pub started_at: DateTimeUtc,
    pub due_on: Date,
    pub status: AssessmentStatus,
    pub supersedes_id: Option<Uuid>,
    pub formulation: Option<String>,
    pub hsb_concern: Option<ConcernLevel>,
    pub level_of_need: Option<ConcernLevel>,
    pub recommended_pathway: Option<Pathway>,
    pub intervention_intensity: Option<InterventionIntensity>,
    pub completed_by: Option<String>,
    pub completed_at: Option<DateTimeUtc>,
    pub completed_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// An assessment belongs to a child.
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
