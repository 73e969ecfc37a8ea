//! `assessment_contributions`: what one agency knows about one domain of an assessment.

use sea_orm::entity::prelude::*;

use crate::enums::{AgencyIds, ConcernLevel, ContributionStatus, Sensitivity};

/// One agency's contribution to one domain: asked for, then given (and amended until the
/// assessment completes).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_contributions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub assessment_id: Uuid,
    pub child_id: Uuid,
    pub agency_id: Uuid,
    pub domain: String,
    pub status: ContributionStatus,
    pub requested_by: String,
    pub requested_at: DateTimeUtc,
    pub concerns: Option<String>,
    pub strengths: Option<String>,
    pub level: Option<ConcernLevel>,
    pub sources: Option<String>,
    pub sensitivity: Sensitivity,
    pub shared_with: AgencyIds,
    pub contributed_by: Option<String>,
    pub contributed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A contribution belongs to an assessment.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::assessments::Entity",
        from = "Column::AssessmentId",
        to = "super::assessments::Column::Id"
    )]
    Assessment,
}

impl Related<super::assessments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Assessment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
