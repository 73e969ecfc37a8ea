//! A child's case as the policy sees it: the child, its case team and its grants,
//! read in one place for every operation on a child.

use entity::{access_grants, children, involvements};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::op::Operation;
use super::visible;
use crate::error::{ApiError, ApiResult};
use crate::policy::{self, ChildFacts};

/// A child with the facts its access decisions depend on.
#[derive(Clone, Debug)]
pub struct Case {
    /// The child.
    pub child: children::Model,
    /// Every involvement, current and ended.
    pub team: Vec<involvements::Model>,
    /// What the policy needs to decide.
    pub facts: ChildFacts,
}

impl Case {
    /// The child's lead agency.
    pub fn lead_agency(&self) -> Option<Uuid> {
        policy::lead_agency(&self.team)
    }

    /// Whether `agency` is on the case team now.
    pub fn has_member(&self, agency: Uuid) -> bool {
        self.team
            .iter()
            .any(|inv| inv.ended_on.is_none() && inv.agency_id == agency)
    }
}

/// Reads the case of `child` (inside a transaction when a decision depends on it).
pub async fn load<C: ConnectionTrait>(db: &C, child: children::Model) -> ApiResult<Case> {
    let team = involvements_of(db, child.id).await?;
    let grants = access_grants::Entity::find()
        .filter(access_grants::Column::ChildId.eq(child.id))
        .all(db)
        .await?;
    let facts = ChildFacts::from_rows(&team, &grants);
    Ok(Case { child, team, facts })
}

/// The case of a child the operation's caller may read; otherwise the refusal is
/// audited and answered exactly as for a child that does not exist.
pub async fn visible(op: &Operation<'_>, child_id: Uuid) -> ApiResult<Case> {
    match visible::child(op.db, op.caller, child_id).await? {
        Some(child) => load(op.db, child).await,
        None => Err(op.deny(ApiError::NotFound).await),
    }
}

/// The case of any existing child (break-glass is asked of children off the team); a
/// missing child is an audited `NOT_FOUND`.
pub async fn existing(op: &Operation<'_>, child_id: Uuid) -> ApiResult<Case> {
    match children::Entity::find_by_id(child_id).one(op.db).await? {
        Some(child) => load(op.db, child).await,
        None => Err(op.deny(ApiError::NotFound).await),
    }
}

/// A child's involvements, oldest first.
pub async fn involvements_of<C: ConnectionTrait>(
    db: &C,
    child_id: Uuid,
) -> ApiResult<Vec<involvements::Model>> {
    Ok(involvements::Entity::find()
        .filter(involvements::Column::ChildId.eq(child_id))
        .order_by_asc(involvements::Column::Id)
        .all(db)
        .await?)
}
