//! What the retention run deletes when it erases a record: the child, everything
//! attached to it, and every outbox row that names any of it.

use entity::{
    access_grants, affected_children, assessment_contributions, assessment_needs, assessments,
    behaviours, children, chronology_entries, consultations, deadline_notes, deadlines,
    disclosure_requests, involvements, joint_plans, legal_holds, plan_action_needs, plan_actions,
    plan_events, plan_members, plan_reviews, record_versions, referrals,
};
use sea_orm::sea_query::{Expr, ExprTrait as _, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::ApiResult;

/// The ids of the child's plans.
fn plans(child_id: Uuid) -> SelectStatement {
    Query::select()
        .column(joint_plans::Column::Id)
        .from(joint_plans::Entity)
        .and_where(joint_plans::Column::ChildId.eq(child_id))
        .to_owned()
}

/// The ids of the actions of the child's plans.
fn actions(child_id: Uuid) -> SelectStatement {
    Query::select()
        .column(plan_actions::Column::Id)
        .from(plan_actions::Entity)
        .and_where(plan_actions::Column::PlanId.in_subquery(plans(child_id)))
        .to_owned()
}

/// The value of the outbox payload's `key` as text, in the form [`id_text`] gives an id
/// (payloads hold ids as hyphenated text; SQLite stores a UUID column as 16 bytes).
fn payload_id(backend: DatabaseBackend, key: &str) -> Expr {
    match backend {
        DatabaseBackend::Postgres => {
            Expr::cust(format!(r#"("plan_events"."payload" ->> '{key}')"#))
        }
        _ => Expr::cust(format!(
            r#"replace(json_extract("plan_events"."payload", '$.{key}'), '-', '')"#
        )),
    }
}

/// A table's `id` as text, in the form [`payload_id`] reads.
fn id_text(backend: DatabaseBackend, table: &str) -> Expr {
    match backend {
        DatabaseBackend::Postgres => Expr::cust(format!(r#"CAST("{table}"."id" AS TEXT)"#)),
        _ => Expr::cust(format!(r#"lower(hex("{table}"."id"))"#)),
    }
}

/// The ids, as text, of the rows of `E` that `condition` picks.
fn ids_of<E: EntityTrait>(
    backend: DatabaseBackend,
    condition: impl sea_orm::sea_query::IntoCondition,
) -> SelectStatement {
    let table = E::default();
    Query::select()
        .expr(id_text(backend, table.table_name()))
        .from(table)
        .cond_where(condition)
        .to_owned()
}

/// Deletes every outbox row about the record: those whose `child_id` or `plan_id` names
/// it, and those addressed to one agency without a child id (a legal hold, a disclosure
/// request, a contribution, a referral decided) whose payload names one of its rows. Each
/// set of ids is a subquery on the child's id, so no parameter list grows with the data.
async fn delete_events<C: ConnectionTrait>(db: &C, child_id: Uuid) -> ApiResult<()> {
    use entity::{
        access_grants as grants, assessment_contributions as contributions,
        disclosure_requests as requests,
    };
    let b = db.get_database_backend();
    let named: [(&str, SelectStatement); 12] = [
        (
            "childId",
            ids_of::<children::Entity>(b, children::Column::Id.eq(child_id)),
        ),
        (
            "planId",
            ids_of::<joint_plans::Entity>(b, joint_plans::Column::ChildId.eq(child_id)),
        ),
        (
            "actionId",
            ids_of::<plan_actions::Entity>(
                b,
                plan_actions::Column::PlanId.in_subquery(plans(child_id)),
            ),
        ),
        (
            "consultationId",
            ids_of::<consultations::Entity>(
                b,
                consultations::Column::ActionId.in_subquery(actions(child_id)),
            ),
        ),
        (
            "reviewId",
            ids_of::<plan_reviews::Entity>(
                b,
                plan_reviews::Column::PlanId.in_subquery(plans(child_id)),
            ),
        ),
        (
            "behaviourId",
            ids_of::<behaviours::Entity>(b, behaviours::Column::ChildId.eq(child_id)),
        ),
        (
            "grantId",
            ids_of::<grants::Entity>(b, grants::Column::ChildId.eq(child_id)),
        ),
        (
            "referralId",
            ids_of::<referrals::Entity>(b, referrals::Column::ChildId.eq(child_id)),
        ),
        (
            "legalHoldId",
            ids_of::<legal_holds::Entity>(b, legal_holds::Column::ChildId.eq(child_id)),
        ),
        (
            "disclosureRequestId",
            ids_of::<requests::Entity>(b, requests::Column::ChildId.eq(child_id)),
        ),
        (
            "assessmentId",
            ids_of::<assessments::Entity>(b, assessments::Column::ChildId.eq(child_id)),
        ),
        (
            "contributionId",
            ids_of::<contributions::Entity>(b, contributions::Column::ChildId.eq(child_id)),
        ),
    ];
    // An event with a child id is about that child (a plan's events carry it too): only
    // those without one need their payload read.
    let mut in_payload = Condition::any();
    for (key, ids) in named {
        in_payload = in_payload.add(payload_id(b, key).in_subquery(ids));
    }
    let about = Condition::any()
        .add(plan_events::Column::ChildId.eq(child_id))
        .add(plan_events::Column::PlanId.in_subquery(plans(child_id)))
        .add(
            Condition::all()
                .add(plan_events::Column::ChildId.is_null())
                .add(in_payload),
        );
    plan_events::Entity::delete_many()
        .filter(about)
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the child and everything attached to it, children of each table first: the
/// outbox rows about any of it before the rows they name. The child's tombstone must be
/// in `erasures` already: the triggers refuse to delete its history (`record_versions`)
/// otherwise.
pub(super) async fn delete_record<C: ConnectionTrait>(db: &C, child_id: Uuid) -> ApiResult<()> {
    delete_events(db, child_id).await?;
    let needs = || {
        Query::select()
            .column(assessment_needs::Column::Id)
            .from(assessment_needs::Entity)
            .and_where(assessment_needs::Column::ChildId.eq(child_id))
            .to_owned()
    };
    let child_behaviours = || {
        Query::select()
            .column(behaviours::Column::Id)
            .from(behaviours::Entity)
            .and_where(behaviours::Column::ChildId.eq(child_id))
            .to_owned()
    };

    // Plans and what hangs off them.
    plan_action_needs::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(plan_action_needs::Column::PlanId.in_subquery(plans(child_id)))
                .add(plan_action_needs::Column::NeedId.in_subquery(needs()))
                .add(plan_action_needs::Column::ActionId.in_subquery(actions(child_id))),
        )
        .exec(db)
        .await?;
    consultations::Entity::delete_many()
        .filter(consultations::Column::ActionId.in_subquery(actions(child_id)))
        .exec(db)
        .await?;
    plan_actions::Entity::delete_many()
        .filter(plan_actions::Column::PlanId.in_subquery(plans(child_id)))
        .exec(db)
        .await?;
    plan_members::Entity::delete_many()
        .filter(plan_members::Column::PlanId.in_subquery(plans(child_id)))
        .exec(db)
        .await?;
    plan_reviews::Entity::delete_many()
        .filter(plan_reviews::Column::PlanId.in_subquery(plans(child_id)))
        .exec(db)
        .await?;
    joint_plans::Entity::delete_many()
        .filter(joint_plans::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;

    // Assessments: needs and contributions, then the assessments (unlinked from each
    // other first).
    assessment_needs::Entity::delete_many()
        .filter(assessment_needs::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    assessment_contributions::Entity::delete_many()
        .filter(assessment_contributions::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    assessments::Entity::update_many()
        .col_expr(
            assessments::Column::SupersedesId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(assessments::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    assessments::Entity::delete_many()
        .filter(assessments::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;

    // Entries, deadlines and requests.
    disclosure_requests::Entity::delete_many()
        .filter(disclosure_requests::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    deadline_notes::Entity::delete_many()
        .filter(deadline_notes::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    deadlines::Entity::delete_many()
        .filter(deadlines::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    affected_children::Entity::delete_many()
        .filter(affected_children::Column::BehaviourId.in_subquery(child_behaviours()))
        .exec(db)
        .await?;
    // Another child's behaviour that named this child keeps its row, without the link.
    affected_children::Entity::update_many()
        .col_expr(
            affected_children::Column::ChildId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(affected_children::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    chronology_entries::Entity::delete_many()
        .filter(chronology_entries::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    behaviours::Entity::delete_many()
        .filter(behaviours::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;

    // The child's own rows, then the child.
    access_grants::Entity::delete_many()
        .filter(access_grants::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    referrals::Entity::delete_many()
        .filter(referrals::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    involvements::Entity::delete_many()
        .filter(involvements::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    legal_holds::Entity::delete_many()
        .filter(legal_holds::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    // The history last: a correction committed while the erasure ran has written its
    // version by now, or its row (which the child's foreign key protects) stops the
    // erasure, to be retried by the next run.
    record_versions::Entity::delete_many()
        .filter(record_versions::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    children::Entity::delete_many()
        .filter(children::Column::Id.eq(child_id))
        .exec(db)
        .await?;
    Ok(())
}
