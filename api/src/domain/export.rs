//! The subject access export (`docs/subject-access.md`): everything held about one child,
//! as one JSON document, for information governance to review and disclose.
//!
//! The export reads each table once, by the child's id or through a subquery on it
//! (never one statement per row), inside one read transaction so that the document is
//! one consistent picture; [`document`] then builds the JSON, with every other child's
//! identity removed and the entries that need a person's review marked.

mod document;

use chrono::{DateTime, Utc};
use entity::{
    access_grants, affected_children, agencies, assessment_contributions, assessment_needs,
    assessments, audit_events, behaviours, children, chronology_entries, consultations,
    deadline_notes, deadlines, disclosure_requests, involvements, joint_plans, legal_holds,
    plan_action_needs, plan_actions, plan_members, plan_reviews, record_versions, referrals,
};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    AccessMode, ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, IsolationLevel,
    QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::Caller;
use super::audit::{AuditAction, Target};
use super::op::Operation;
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// The name and version of the document's schema, also its `format` key.
pub const FORMAT: &str = "concord.child-record/1";

/// One export: when it was made and the document.
#[derive(Clone, Debug)]
pub struct Export {
    /// The document's schema ([`FORMAT`]).
    pub format: &'static str,
    /// When the export was made (the request's clock).
    pub generated_at: DateTime<Utc>,
    /// The JSON document.
    pub document: String,
}

/// Everything held about one child, as read from the database.
pub(crate) struct Held {
    pub child: children::Model,
    pub agencies: Vec<agencies::Model>,
    pub involvements: Vec<involvements::Model>,
    pub behaviours: Vec<behaviours::Model>,
    pub affected: Vec<affected_children::Model>,
    pub named_as_affected: Vec<affected_children::Model>,
    pub chronology: Vec<chronology_entries::Model>,
    pub plans: Vec<joint_plans::Model>,
    pub members: Vec<plan_members::Model>,
    pub actions: Vec<plan_actions::Model>,
    pub action_needs: Vec<plan_action_needs::Model>,
    pub consultations: Vec<consultations::Model>,
    pub reviews: Vec<plan_reviews::Model>,
    pub assessments: Vec<assessments::Model>,
    pub contributions: Vec<assessment_contributions::Model>,
    pub needs: Vec<assessment_needs::Model>,
    pub referrals: Vec<referrals::Model>,
    pub disclosures: Vec<disclosure_requests::Model>,
    pub deadlines: Vec<deadlines::Model>,
    pub late_reasons: Vec<deadline_notes::Model>,
    pub grants: Vec<access_grants::Model>,
    pub audit: Vec<audit_events::Model>,
    pub versions: Vec<record_versions::Model>,
    pub holds: Vec<legal_holds::Model>,
}

/// `exportChildRecord(childId)`: information governance only, any existing child.
///
/// A caller without the role is refused (`FORBIDDEN`) before the child is looked up, so
/// the refusal says nothing about whether the child exists; a child that does not exist
/// is `NOT_FOUND`. Both are audited. The export itself is audited as
/// `EXPORT_CHILD_RECORD` on the child once the document is built, so it appears in the
/// child's access report (and in the next export's).
pub async fn export_child_record(
    db: &DatabaseConnection,
    caller: &Caller,
    child_id: Uuid,
) -> ApiResult<Export> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ExportChildRecord,
        Target::child(child_id),
    );
    op.authorize(policy::ensure_can_export(&caller.actor))
        .await?;
    let Some(held) = read(db, child_id).await? else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let document = document::build(&held, caller)?;
    op.record_allowed().await?;
    Ok(Export {
        format: FORMAT,
        generated_at: caller.now(),
        document,
    })
}

/// `SELECT <id> FROM <entity> WHERE <child> = child_id`: the ids of a child's rows, as a
/// subquery, so that reading their children binds one parameter however many there are.
fn ids_of_child<E: EntityTrait>(
    entity: E,
    id: E::Column,
    child: E::Column,
    child_id: Uuid,
) -> SelectStatement {
    Query::select()
        .column(id)
        .from(entity)
        .and_where(child.eq(child_id))
        .to_owned()
}

/// Reads everything held about the child, one statement per table, in one read
/// transaction (a repeatable-read snapshot on PostgreSQL); `None` when there is no such
/// child.
async fn read(db: &DatabaseConnection, child_id: Uuid) -> ApiResult<Option<Held>> {
    let txn = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
        _ => db.begin().await?,
    };
    let Some(child) = children::Entity::find_by_id(child_id).one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let plans_of_child = || {
        ids_of_child(
            joint_plans::Entity,
            joint_plans::Column::Id,
            joint_plans::Column::ChildId,
            child_id,
        )
    };
    let actions_of_child = Query::select()
        .column(plan_actions::Column::Id)
        .from(plan_actions::Entity)
        .and_where(plan_actions::Column::PlanId.in_subquery(plans_of_child()))
        .to_owned();
    let held = Held {
        agencies: agencies::Entity::find()
            .order_by_asc(agencies::Column::Code)
            .all(&txn)
            .await?,
        involvements: involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(child_id))
            .order_by_asc(involvements::Column::StartedOn)
            .order_by_asc(involvements::Column::Id)
            .all(&txn)
            .await?,
        behaviours: behaviours::Entity::find()
            .filter(behaviours::Column::ChildId.eq(child_id))
            .order_by_asc(behaviours::Column::DisclosedAt)
            .order_by_asc(behaviours::Column::Id)
            .all(&txn)
            .await?,
        affected: affected_children::Entity::find()
            .filter(
                affected_children::Column::BehaviourId.in_subquery(ids_of_child(
                    behaviours::Entity,
                    behaviours::Column::Id,
                    behaviours::Column::ChildId,
                    child_id,
                )),
            )
            .order_by_asc(affected_children::Column::Id)
            .all(&txn)
            .await?,
        named_as_affected: affected_children::Entity::find()
            .filter(affected_children::Column::ChildId.eq(child_id))
            .order_by_asc(affected_children::Column::Id)
            .all(&txn)
            .await?,
        chronology: chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.eq(child_id))
            .order_by_asc(chronology_entries::Column::OccurredAt)
            .order_by_asc(chronology_entries::Column::Id)
            .all(&txn)
            .await?,
        plans: joint_plans::Entity::find()
            .filter(joint_plans::Column::ChildId.eq(child_id))
            .order_by_asc(joint_plans::Column::Id)
            .all(&txn)
            .await?,
        members: plan_members::Entity::find()
            .filter(plan_members::Column::PlanId.in_subquery(plans_of_child()))
            .order_by_asc(plan_members::Column::Id)
            .all(&txn)
            .await?,
        actions: plan_actions::Entity::find()
            .filter(plan_actions::Column::PlanId.in_subquery(plans_of_child()))
            .order_by_asc(plan_actions::Column::Id)
            .all(&txn)
            .await?,
        action_needs: plan_action_needs::Entity::find()
            .filter(plan_action_needs::Column::PlanId.in_subquery(plans_of_child()))
            .order_by_asc(plan_action_needs::Column::Id)
            .all(&txn)
            .await?,
        consultations: consultations::Entity::find()
            .filter(consultations::Column::ActionId.in_subquery(actions_of_child))
            .order_by_asc(consultations::Column::Id)
            .all(&txn)
            .await?,
        reviews: plan_reviews::Entity::find()
            .filter(plan_reviews::Column::PlanId.in_subquery(plans_of_child()))
            .order_by_asc(plan_reviews::Column::HeldOn)
            .order_by_asc(plan_reviews::Column::Id)
            .all(&txn)
            .await?,
        assessments: assessments::Entity::find()
            .filter(assessments::Column::ChildId.eq(child_id))
            .order_by_asc(assessments::Column::StartedAt)
            .order_by_asc(assessments::Column::Id)
            .all(&txn)
            .await?,
        contributions: assessment_contributions::Entity::find()
            .filter(assessment_contributions::Column::ChildId.eq(child_id))
            .order_by_asc(assessment_contributions::Column::Id)
            .all(&txn)
            .await?,
        needs: assessment_needs::Entity::find()
            .filter(assessment_needs::Column::ChildId.eq(child_id))
            .order_by_asc(assessment_needs::Column::Position)
            .order_by_asc(assessment_needs::Column::Id)
            .all(&txn)
            .await?,
        referrals: referrals::Entity::find()
            .filter(referrals::Column::ChildId.eq(child_id))
            .order_by_asc(referrals::Column::ReferredAt)
            .order_by_asc(referrals::Column::Id)
            .all(&txn)
            .await?,
        disclosures: disclosure_requests::Entity::find()
            .filter(disclosure_requests::Column::ChildId.eq(child_id))
            .order_by_asc(disclosure_requests::Column::RequestedAt)
            .order_by_asc(disclosure_requests::Column::Id)
            .all(&txn)
            .await?,
        deadlines: deadlines::Entity::find()
            .filter(deadlines::Column::ChildId.eq(child_id))
            .order_by_asc(deadlines::Column::DueAt)
            .order_by_asc(deadlines::Column::Id)
            .all(&txn)
            .await?,
        late_reasons: deadline_notes::Entity::find()
            .filter(deadline_notes::Column::ChildId.eq(child_id))
            .order_by_asc(deadline_notes::Column::CreatedAt)
            .order_by_asc(deadline_notes::Column::Id)
            .all(&txn)
            .await?,
        grants: access_grants::Entity::find()
            .filter(access_grants::Column::ChildId.eq(child_id))
            .order_by_asc(access_grants::Column::CreatedAt)
            .order_by_asc(access_grants::Column::Id)
            .all(&txn)
            .await?,
        audit: audit_events::Entity::find()
            .filter(audit_events::Column::ChildId.eq(child_id))
            .order_by_asc(audit_events::Column::OccurredAt)
            .order_by_asc(audit_events::Column::Id)
            .all(&txn)
            .await?,
        versions: record_versions::Entity::find()
            .filter(record_versions::Column::ChildId.eq(child_id))
            .order_by_asc(record_versions::Column::AmendedAt)
            .order_by_asc(record_versions::Column::Id)
            .all(&txn)
            .await?,
        holds: legal_holds::Entity::find()
            .filter(legal_holds::Column::ChildId.eq(child_id))
            .order_by_asc(legal_holds::Column::PlacedAt)
            .order_by_asc(legal_holds::Column::Id)
            .all(&txn)
            .await?,
        child,
    };
    txn.commit().await?;
    Ok(Some(held))
}
