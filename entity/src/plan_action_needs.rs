//! `plan_action_needs`: which identified needs a plan action addresses.

use sea_orm::entity::prelude::*;

/// One link from an action to a need it addresses.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_action_needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub action_id: Uuid,
    pub need_id: Uuid,
    pub plan_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A link belongs to an action and a need.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::plan_actions::Entity",
        from = "Column::ActionId",
        to = "super::plan_actions::Column::Id"
    )]
    Action,
    #[sea_orm(
        belongs_to = "super::assessment_needs::Entity",
        from = "Column::NeedId",
        to = "super::assessment_needs::Column::Id"
    )]
    Need,
}

impl ActiveModelBehavior for ActiveModel {}
