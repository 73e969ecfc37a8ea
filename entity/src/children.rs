//! `children`: the children and young people whose cases the partnership works.

use sea_orm::entity::prelude::*;

use crate::enums::ChildStatus;

/// One child. The lead agency is derived from the active `LEAD` involvement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "children")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Date,
    pub gender: String,
    /// Family name, given name and date of birth folded for matching a known child.
    pub match_key: String,
    pub nhs_number: Option<String>,
    pub unique_pupil_number: Option<String>,
    pub local_authority_ref: Option<String>,
    pub police_ref: Option<String>,
    pub send: bool,
    pub looked_after: bool,
    pub status: ChildStatus,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A child has a case team, behaviours, a chronology and plans.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::involvements::Entity")]
    Involvements,
    #[sea_orm(has_many = "super::behaviours::Entity")]
    Behaviours,
    #[sea_orm(has_many = "super::chronology_entries::Entity")]
    ChronologyEntries,
    #[sea_orm(has_many = "super::joint_plans::Entity")]
    JointPlans,
    #[sea_orm(has_many = "super::access_grants::Entity")]
    AccessGrants,
}

impl Related<super::involvements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Involvements.def()
    }
}

impl Related<super::behaviours::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Behaviours.def()
    }
}

impl Related<super::chronology_entries::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChronologyEntries.def()
    }
}

impl Related<super::joint_plans::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointPlans.def()
    }
}

impl Related<super::access_grants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AccessGrants.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
