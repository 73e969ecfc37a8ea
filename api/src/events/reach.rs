//! Loading one agency's reach: whether it is active, its plans and its case teams'
//! children, read through the subscription pool.

use std::time::Instant;

use entity::{agencies, children, joint_plans};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::auth::Actor;
use crate::policy;

/// An agency's reach as last loaded; shared (behind an `Arc`) by every subscriber of the
/// agency, never copied per subscriber.
#[derive(Debug)]
pub(super) struct AgencyReach {
    /// Its plans and its case teams' children.
    pub(super) reach: policy::Reach,
    /// Whether the agency was active; an inactive agency receives nothing.
    pub(super) active: bool,
    /// When it was read, for the safety-net expiry.
    pub(super) loaded_at: Instant,
}

impl AgencyReach {
    /// Whether an event reaches the agency `agency` with this reach.
    pub(super) fn admits(&self, agency: Uuid, event: &entity::plan_events::Model) -> bool {
        self.active
            && self
                .reach
                .admits(agency, event.plan_id, event.child_id, &event.audience.0)
    }
}

/// Reads what `actor`'s agency is on now. The answer depends only on the agency (every
/// subscriber has a case role), so any of its subscribers' actors will do.
pub(super) async fn load(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<AgencyReach, sea_orm::DbErr> {
    let loaded_at = Instant::now();
    let active = agencies::Entity::find_by_id(actor.agency_id)
        .one(db)
        .await?
        .is_some_and(|agency| agency.active);
    if !active {
        return Ok(AgencyReach {
            reach: policy::Reach::default(),
            active,
            loaded_at,
        });
    }
    let plans = joint_plans::Entity::find()
        .select_only()
        .column(joint_plans::Column::Id)
        .filter(policy::visible_plans(actor))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let children = children::Entity::find()
        .select_only()
        .column(children::Column::Id)
        .filter(children::Column::Id.in_subquery(policy::case_team_children(actor.agency_id)))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    Ok(AgencyReach {
        reach: policy::Reach {
            plans: plans.into_iter().collect(),
            children: children.into_iter().collect(),
        },
        active,
        loaded_at,
    })
}
