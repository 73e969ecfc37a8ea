//! Deadline lists for dashboards: filtered, scoped by the policy and paged in SQL over the
//! stored deadlines, with the read audited in one statement whatever the page's size.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::{children, deadlines, involvements};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::super::audit::{self, AuditAction, EntityType, Target};
use super::super::op::Operation;
use super::super::{Caller, DomainConfig};
use super::{DeadlineFilter, Noted, noted, stored_of_child};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::timescales::deadlines::DeadlineStatus;

/// Where a page of `deadlines` starts: after this row, in due order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlineCursor {
    /// The row's due time.
    pub due_at: DateTime<Utc>,
    /// The row's id.
    pub id: Uuid,
}

/// One page of `deadlines`.
#[derive(Debug)]
pub struct DeadlinePage {
    /// The deadlines, soonest first, each with its child.
    pub items: Vec<Noted>,
    /// Whether more follow.
    pub has_next: bool,
}

/// The SQL form of [`Deadline::status`] at `now`.
fn status_condition(status: DeadlineStatus, now: DateTime<Utc>) -> Condition {
    let met_at = || Expr::col((deadlines::Entity, deadlines::Column::MetAt));
    let due_at = || Expr::col((deadlines::Entity, deadlines::Column::DueAt));
    // A milestone recorded after `now` does not count yet.
    let met_by_now = Condition::all()
        .add(deadlines::Column::MetAt.is_not_null())
        .add(deadlines::Column::MetAt.lte(now));
    let open_now = Condition::any()
        .add(deadlines::Column::MetAt.is_null())
        .add(deadlines::Column::MetAt.gt(now));
    match status {
        DeadlineStatus::Met => met_by_now.add(met_at().lt(due_at())),
        DeadlineStatus::MetLate => met_by_now.add(met_at().gte(due_at())),
        DeadlineStatus::Overdue => Condition::all()
            .add(open_now)
            .add(deadlines::Column::DueAt.lte(now)),
        DeadlineStatus::Due => Condition::all()
            .add(open_now)
            .add(deadlines::Column::DueAt.gt(now)),
    }
}

/// Caseloads up to this many children are read child by child on PostgreSQL (see
/// [`visibility`]).
const SMALL_CASELOAD: u64 = 2_000;

/// Which deadlines the caller may see, as a condition on `deadlines`: the policy's own
/// rule, never a parameter list that grows with the caseload.
///
/// Pages are read in due order. For an agency that sees many children, PostgreSQL reads
/// the due-order index and checks each row against two hashes built once
/// ([`policy::visible_child_id`]). For a small caseload that walk would pass over almost
/// every deadline of the partnership before it found a page, so there the visible
/// children are gathered first (`= ANY(ARRAY(…))`, one array built inside the statement)
/// and only their deadlines are read and sorted.
async fn visibility(db: &DatabaseConnection, caller: &Caller) -> ApiResult<Condition> {
    let by_row = policy::visible_child_id(
        &caller.actor,
        caller.now(),
        (deadlines::Entity, deadlines::Column::ChildId),
    );
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(by_row);
    }
    let caseload = involvements::Entity::find()
        .filter(involvements::Column::AgencyId.eq(caller.actor.agency_id))
        .filter(involvements::Column::EndedOn.is_null())
        .count(db)
        .await?;
    if caseload > SMALL_CASELOAD {
        return Ok(by_row);
    }
    let visible = sea_orm::sea_query::Query::select()
        .column((children::Entity, children::Column::Id))
        .from(children::Entity)
        .cond_where(policy::visible_children(&caller.actor, caller.now()))
        .to_owned();
    Ok(Condition::all().add(Expr::cust_with_exprs(
        "$1 = ANY(ARRAY $2)",
        [
            Expr::col((deadlines::Entity, deadlines::Column::ChildId)),
            Expr::from(visible),
        ],
    )))
}

/// The stored deadlines the caller may see ([`visibility`]), filtered.
fn scoped(
    visible: Condition,
    caller: &Caller,
    filter: &DeadlineFilter,
) -> Select<deadlines::Entity> {
    let mut query = deadlines::Entity::find().filter(visible);
    if let Some(agency) = filter.agency_id {
        query = query.filter(deadlines::Column::ResponsibleAgencyId.eq(agency));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(deadlines::Column::DueAt.lt(before));
    }
    if let Some(status) = filter.status {
        query = query.filter(status_condition(status, caller.now()));
    }
    query
}

/// Refuses (audited) a caller without a case role.
async fn authorize_list(db: &DatabaseConnection, caller: &Caller) -> ApiResult<()> {
    Operation::new(
        db,
        caller,
        AuditAction::ListDeadlines,
        Target::of(EntityType::Deadline),
    )
    .authorize(policy::ensure_can_list_children(&caller.actor))
    .await
}

/// `deadlines(filter:, first:, after:)`: one page of the deadlines of every child the
/// caller may read, filtered, in due order; with `agencyId` it is that agency's "what is
/// due or overdue for us" list. The page's children are read in one statement and their
/// reads audited in one insert.
pub async fn list_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &DeadlineFilter,
    first: u64,
    after: Option<DeadlineCursor>,
) -> ApiResult<DeadlinePage> {
    authorize_list(db, caller).await?;
    let mut query = scoped(visibility(db, caller).await?, caller, filter);
    if let Some(after) = after {
        query = query
            .filter(deadlines::Column::DueAt.gte(after.due_at))
            .filter(
                Condition::any()
                    .add(deadlines::Column::DueAt.gt(after.due_at))
                    .add(deadlines::Column::Id.gt(after.id)),
            );
    }
    let mut rows = query
        .order_by_asc(deadlines::Column::DueAt)
        .order_by_asc(deadlines::Column::Id)
        .limit(first.saturating_add(1))
        .all(db)
        .await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    let mut child_ids: Vec<Uuid> = rows.iter().map(|r| r.child_id).collect();
    child_ids.sort_unstable();
    child_ids.dedup();
    let kids: HashMap<Uuid, Arc<children::Model>> = if child_ids.is_empty() {
        HashMap::new()
    } else {
        children::Entity::find()
            .filter(children::Column::Id.is_in(child_ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, Arc::new(c)))
            .collect()
    };
    audit::record_child_reads(db, caller, &child_ids).await?;
    let deadlines = rows.iter().filter_map(super::stored::deadline_of).collect();
    let items = noted(db, caller, deadlines, |id| kids.get(&id).cloned()).await?;
    Ok(DeadlinePage { items, has_next })
}

/// How many deadlines `deadlines(filter:)` holds in all (for `totalCount`).
pub async fn count(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &DeadlineFilter,
) -> ApiResult<u64> {
    authorize_list(db, caller).await?;
    Ok(scoped(visibility(db, caller).await?, caller, filter)
        .count(db)
        .await?)
}

/// Finds one deadline of a child the caller may read.
pub async fn find(
    db: &DatabaseConnection,
    caller: &Caller,
    _config: &DomainConfig,
    child_id: Uuid,
    deadline_id: Uuid,
) -> ApiResult<(children::Model, Noted)> {
    let child = super::super::visible::read_child_audited(db, caller, child_id).await?;
    let found = stored_of_child(db, caller, &child)
        .await?
        .into_iter()
        .find(|n| n.deadline.id == deadline_id);
    Ok((child, found.ok_or(ApiError::NotFound)?))
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::Query;
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    #[test]
    fn a_small_caseload_is_gathered_into_one_array_inside_the_statement() {
        let visible = Query::select()
            .column((children::Entity, children::Column::Id))
            .from(children::Entity)
            .to_owned();
        let condition = Condition::all().add(Expr::cust_with_exprs(
            "$1 = ANY(ARRAY $2)",
            [
                Expr::col((deadlines::Entity, deadlines::Column::ChildId)),
                Expr::from(visible),
            ],
        ));
        let sql = deadlines::Entity::find()
            .filter(condition)
            .build(DbBackend::Postgres)
            .to_string();
        assert!(
            sql.ends_with(
                r#"WHERE "deadlines"."child_id" = ANY(ARRAY (SELECT "children"."id" FROM "children"))"#
            ),
            "{sql}"
        );
    }
}
