//! `referrals`: a referral of a child to the partnership, waiting for (or carrying) the
//! lead agency's decision.

use sea_orm::entity::prelude::*;

use crate::enums::ReferralStatus;

/// One referral.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub referring_agency_id: Uuid,
    pub referred_by: String,
    pub reason: String,
    pub referred_at: DateTimeUtc,
    pub status: ReferralStatus,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub deciding_agency_id: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A referral concerns a child.
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
