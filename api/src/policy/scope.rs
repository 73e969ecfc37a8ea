//! The access rules of `docs/access.md` as SQL, so that lists are filtered in the database:
//! correlated `EXISTS` conditions for checking rows one by one (an index probe each), and
//! the caseload walked from the agency's side for a page.

use chrono::{DateTime, Utc};
use entity::{access_grants, children, involvements, joint_plans, plan_members};
use sea_orm::sea_query::{Expr, ExprTrait as _, IntoIden as _, IntoTableRef as _, Query};
use sea_orm::{ColumnTrait as _, Condition};
use uuid::Uuid;

use super::has_case_role;
use crate::auth::Actor;

/// The SQL form of [`can_read_child`](super::can_read_child), as a condition on `children`:
/// correlated `EXISTS` subqueries, so that checking one child probes an index instead of reading
/// the agency's whole caseload.
pub fn visible_children(actor: &Actor, now: DateTime<Utc>) -> Condition {
    if !has_case_role(actor) {
        return Condition::all().add(Expr::cust("1 = 0"));
    }
    let child = (children::Entity, children::Column::Id);
    Condition::any()
        .add(on_case_team_of(actor.agency_id, child))
        .add(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(access_grants::Entity)
                .and_where(
                    Expr::col((access_grants::Entity, access_grants::Column::ChildId))
                        .equals(child),
                )
                .and_where(
                    Expr::col((access_grants::Entity, access_grants::Column::Subject))
                        .eq(actor.subject.as_str()),
                )
                .and_where(
                    Expr::col((access_grants::Entity, access_grants::Column::AgencyId))
                        .eq(actor.agency_id),
                )
                .and_where(
                    Expr::col((access_grants::Entity, access_grants::Column::ExpiresAt)).gt(now),
                )
                .to_owned(),
        ))
}

/// The ids of the children `actor` may read ([`can_read_child`](super::can_read_child)) that come
/// after `after` and match `filter` (a condition on `children`), as a subquery selecting
/// `child_id`: the case team's and the grants' children, walked from the agency's side. With a
/// `limit`, only the first `limit` ids in id order, read in the order of the index on active
/// involvements, so a page reads about `limit` index entries instead of the whole caseload. The
/// same rule as [`visible_children`]; a page applies both.
pub fn visible_child_ids(
    actor: &Actor,
    now: DateTime<Utc>,
    after: Option<Uuid>,
    limit: Option<u64>,
    filter: Option<Condition>,
) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, Order, UnionType};
    let first = |table: sea_orm::sea_query::TableRef,
                 child: (sea_orm::sea_query::DynIden, sea_orm::sea_query::DynIden),
                 scope: Condition| {
        let mut branch = Query::select();
        // Distinct: a child may hold several live grants, and a limit counts rows.
        branch
            .distinct()
            .expr_as(Expr::col(child.clone()), Alias::new("child_id"))
            .from(table)
            .cond_where(scope);
        if let Some(after) = after {
            branch.and_where(Expr::col(child.clone()).gt(after));
        }
        if let Some(filter) = filter.clone() {
            branch
                .inner_join(
                    children::Entity,
                    Expr::col((children::Entity, children::Column::Id)).equals(child.clone()),
                )
                .cond_where(filter);
        }
        if let Some(limit) = limit {
            branch.order_by(child, Order::Asc).limit(limit);
        }
        Query::select()
            .column(Alias::new("child_id"))
            .from_subquery(branch.to_owned(), Alias::new("candidates"))
            .to_owned()
    };
    if !has_case_role(actor) {
        return Query::select()
            .column(involvements::Column::ChildId)
            .from(involvements::Entity)
            .and_where(Expr::cust("1 = 0"))
            .to_owned();
    }
    let team = first(
        involvements::Entity.into_table_ref(),
        (
            involvements::Entity.into_iden(),
            involvements::Column::ChildId.into_iden(),
        ),
        Condition::all()
            .add(
                Expr::col((involvements::Entity, involvements::Column::AgencyId))
                    .eq(actor.agency_id),
            )
            .add(Expr::col((involvements::Entity, involvements::Column::EndedOn)).is_null()),
    );
    let granted = first(
        access_grants::Entity.into_table_ref(),
        (
            access_grants::Entity.into_iden(),
            access_grants::Column::ChildId.into_iden(),
        ),
        Condition::all()
            .add(
                Expr::col((access_grants::Entity, access_grants::Column::Subject))
                    .eq(actor.subject.as_str()),
            )
            .add(
                Expr::col((access_grants::Entity, access_grants::Column::AgencyId))
                    .eq(actor.agency_id),
            )
            .add(Expr::col((access_grants::Entity, access_grants::Column::ExpiresAt)).gt(now)),
    );
    let mut union = team;
    union.union(UnionType::Distinct, granted);
    union
}

/// [`case_team_children`](super::case_team_children) as a correlated condition: `agency` has an
/// active involvement with the child whose id is in `child` (a column of the outer query).
pub fn on_case_team_of<C>(agency: Uuid, child: C) -> Expr
where
    C: sea_orm::sea_query::IntoColumnRef,
{
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(involvements::Entity)
            .and_where(
                Expr::col((involvements::Entity, involvements::Column::ChildId)).equals(child),
            )
            .and_where(Expr::col((involvements::Entity, involvements::Column::AgencyId)).eq(agency))
            .and_where(Expr::col((involvements::Entity, involvements::Column::EndedOn)).is_null())
            .to_owned(),
    )
}

/// Which plans an actor reads, as a condition on `joint_plans`: its agency is a current
/// member and still on the child's case team. Correlated `EXISTS`, so that one plan (or
/// one child's plans) is checked through indexes.
pub fn visible_plans(actor: &Actor) -> Condition {
    if !has_case_role(actor) {
        return Condition::all().add(Expr::cust("1 = 0"));
    }
    Condition::all()
        .add(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(plan_members::Entity)
                .and_where(
                    Expr::col((plan_members::Entity, plan_members::Column::PlanId))
                        .equals((joint_plans::Entity, joint_plans::Column::Id)),
                )
                .and_where(
                    Expr::col((plan_members::Entity, plan_members::Column::AgencyId))
                        .eq(actor.agency_id),
                )
                .and_where(
                    Expr::col((plan_members::Entity, plan_members::Column::RemovedAt)).is_null(),
                )
                .to_owned(),
        ))
        // An agency that has left the case team no longer sees the child's plans.
        .add(on_case_team_of(
            actor.agency_id,
            (joint_plans::Entity, joint_plans::Column::ChildId),
        ))
}

/// [`visible_children`] as a condition on `child_id`, a column of a row reached through its
/// child (a stored deadline), for lists that must not join `children`: the same two
/// subqueries, which PostgreSQL checks per row from hashes built once per statement.
pub fn visible_child_id<C>(actor: &Actor, now: DateTime<Utc>, child_id: C) -> Condition
where
    C: sea_orm::sea_query::IntoColumnRef + Clone,
{
    if !has_case_role(actor) {
        return Condition::all().add(Expr::cust("1 = 0"));
    }
    Condition::any()
        .add(Expr::col(child_id.clone()).in_subquery(super::case_team_children(actor.agency_id)))
        .add(
            Expr::col(child_id).in_subquery(
                Query::select()
                    .column(access_grants::Column::ChildId)
                    .from(access_grants::Entity)
                    .and_where(access_grants::Column::Subject.eq(actor.subject.as_str()))
                    .and_where(access_grants::Column::AgencyId.eq(actor.agency_id))
                    .and_where(access_grants::Column::ExpiresAt.gt(now))
                    .to_owned(),
            ),
        )
}
