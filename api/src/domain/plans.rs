//! Joint plans (`docs/product.md`, `docs/access.md`): creation, activation, reviews, closing, reads.

use chrono::NaiveDate;
use entity::enums::{AgencyIds, ChronologyKind, Pathway, PlanStatus, Sensitivity};
use entity::{joint_plans, plan_reviews};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::agencies::ensure_agencies_exist;
use super::audit::{AuditAction, EntityType, Target};
use super::case;
use super::chronology::{self, NewEntry};
use super::op::Operation;
use super::outbox::{Event, EventKind};
use super::plan_members::{insert_member, plan_facts};
use super::versioned::{Versioned, check};
use super::{Caller, DomainConfig, new_id, optional_text, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::timescales::dates;

pub(super) const PLAN: Versioned<joint_plans::Entity> = Versioned {
    id: joint_plans::Column::Id,
    version: joint_plans::Column::Version,
    updated_at: joint_plans::Column::UpdatedAt,
    version_of: |plan| plan.version,
};

/// The audit target of an operation on a plan.
fn target(plan: &joint_plans::Model) -> Target {
    Target::for_child(EntityType::JointPlan, plan.child_id).with_id(plan.id)
}

/// A plan the caller's agency is a member of, or `NOT_FOUND`; the read of its child, or
/// the denial, is audited.
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<joint_plans::Model> {
    visible::read_plan_audited(db, caller, id).await
}

/// A plan for `node(id:)`: `None` when missing or not visible (audited).
pub async fn read_node_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<joint_plans::Model>> {
    match visible::read_plan_audited(db, caller, id).await {
        Ok(plan) => Ok(Some(plan)),
        Err(ApiError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
}

/// The plans of a child that the caller's agency is a member of.
pub async fn of_child(
    db: &DatabaseConnection,
    caller: &Caller,
    child_id: Uuid,
) -> ApiResult<Vec<joint_plans::Model>> {
    Ok(joint_plans::Entity::find()
        .filter(joint_plans::Column::ChildId.eq(child_id))
        .filter(policy::visible_plans(&caller.actor))
        .order_by_asc(joint_plans::Column::Id)
        .all(db)
        .await?)
}

/// The plans of several children that `actor`'s agency may read ([`policy::visible_plans`]),
/// for the request's loader.
pub async fn of_children(
    db: &DatabaseConnection,
    actor: &crate::auth::Actor,
    child_ids: &[Uuid],
) -> ApiResult<Vec<joint_plans::Model>> {
    Ok(entity::by_index::all(
        joint_plans::Entity::find()
            .filter(joint_plans::Column::ChildId.is_in(child_ids.iter().copied()))
            .filter(policy::visible_plans(actor))
            .order_by_asc(joint_plans::Column::Id),
        db,
    )
    .await?)
}

/// The current members of several plans already found visible, for the request's loader
/// (as `plan_members::members_of` reads one plan's).
pub async fn members_of_plans(
    db: &DatabaseConnection,
    plan_ids: &[Uuid],
) -> ApiResult<Vec<entity::plan_members::Model>> {
    Ok(entity::plan_members::Entity::find()
        .filter(entity::plan_members::Column::PlanId.is_in(plan_ids.iter().copied()))
        .filter(entity::plan_members::Column::RemovedAt.is_null())
        .order_by_asc(entity::plan_members::Column::Id)
        .all(db)
        .await?)
}

/// A plan's reviews, oldest first.
pub async fn reviews_of(
    db: &DatabaseConnection,
    plan_id: Uuid,
) -> ApiResult<Vec<plan_reviews::Model>> {
    Ok(plan_reviews::Entity::find()
        .filter(plan_reviews::Column::PlanId.eq(plan_id))
        .order_by_asc(plan_reviews::Column::HeldOn)
        .order_by_asc(plan_reviews::Column::Id)
        .all(db)
        .await?)
}

/// Loads a visible plan and checks the caller runs it; refusals are audited. Returns
/// the operation, aimed at the plan.
pub(super) async fn plan_to_run<'a>(
    db: &'a DatabaseConnection,
    caller: &'a Caller,
    id: Uuid,
    action: AuditAction,
) -> ApiResult<(Operation<'a>, joint_plans::Model)> {
    let plan = read_audited(db, caller, id).await?;
    let op = Operation::new(db, caller, action, target(&plan));
    op.authorize(policy::ensure_can_run_plan(
        &caller.actor,
        &plan_facts(db, &plan).await?,
    ))
    .await?;
    Ok((op, plan))
}

/// An event about a plan, for its members.
pub(super) fn plan_event(
    kind: EventKind,
    plan: &joint_plans::Model,
    summary: &str,
    payload: serde_json::Value,
) -> Event {
    Event {
        kind,
        plan_id: Some(plan.id),
        child_id: Some(plan.child_id),
        audience: vec![],
        summary: summary.into(),
        payload,
    }
}

pub(super) fn unchanged_plan() -> joint_plans::ActiveModel {
    joint_plans::ActiveModel::default()
}

pub(super) fn ensure_open(plan: &joint_plans::Model) -> ApiResult<()> {
    if plan.status == PlanStatus::Closed {
        return Err(ApiError::validation("planId", "the plan is closed"));
    }
    Ok(())
}

/// What `createJointPlan` takes.
#[derive(Clone, Debug)]
pub struct NewPlan {
    /// The child.
    pub child_id: Uuid,
    /// Title.
    pub title: String,
    /// Statutory route.
    pub pathway: Pathway,
    /// Risk summary (sensitive).
    pub risk_summary: Option<String>,
}

/// `createJointPlan`: a coordinator on the case team drafts the child's one plan.
#[tracing::instrument(skip_all, fields(child_id = %input.child_id))]
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewPlan,
) -> ApiResult<joint_plans::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::CreateJointPlan,
        Target::for_child(EntityType::JointPlan, input.child_id),
    );
    let case = case::visible(&op, input.child_id).await?;
    op.authorize(policy::ensure_can_create_plan(&caller.actor, &case.facts))
        .await?;
    let title = required_text("title", &input.title, 200)?;
    let mut write = op.begin().await?;
    // Two coordinators drafting at once must not both find no open plan.
    write.lock(&format!("plan:{}", case.child.id)).await?;
    let open = joint_plans::Entity::find()
        .filter(joint_plans::Column::ChildId.eq(case.child.id))
        .filter(joint_plans::Column::Status.ne(PlanStatus::Closed))
        .one(write.txn())
        .await?;
    if open.is_some() {
        return Err(ApiError::validation(
            "childId",
            "the child already has an open joint plan",
        ));
    }
    let plan = joint_plans::Entity::insert(joint_plans::ActiveModel {
        id: Set(new_id()),
        child_id: Set(case.child.id),
        title: Set(title),
        status: Set(PlanStatus::Draft),
        pathway: Set(input.pathway),
        lead_agency_id: Set(caller.actor.agency_id),
        risk_summary: Set(optional_text(input.risk_summary)),
        next_review_due: Set(None),
        activated_at: Set(None),
        closed_at: Set(None),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec_with_returning(write.txn())
    .await?;
    insert_member(write.txn(), caller, plan.id, caller.actor.agency_id).await?;
    write.audit_row(plan.id);
    write.audit_created::<joint_plans::Entity>(&plan);
    write
        .emit(plan_event(
            EventKind::PlanCreated,
            &plan,
            "A joint plan was drafted",
            json!({ "planId": plan.id }),
        ))
        .await?;
    write.commit().await?;
    Ok(plan)
}

/// The review due after `from`, at the policy's review interval (`docs/product.md`).
pub fn review_due(config: &DomainConfig, from: NaiveDate) -> NaiveDate {
    dates::add_months(from, config.timescales.deadlines.plan_review_months)
}

/// `activateJointPlan`: a draft goes live; the first review falls due one review
/// interval later.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn activate(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    plan_id: Uuid,
    expected_version: i32,
) -> ApiResult<joint_plans::Model> {
    let (op, plan) = plan_to_run(db, caller, plan_id, AuditAction::ActivateJointPlan).await?;
    check(expected_version, plan.version)?;
    if plan.status != PlanStatus::Draft {
        return Err(ApiError::validation(
            "planId",
            "only a draft plan can be activated",
        ));
    }
    let mut write = op.begin().await?;
    let now = caller.now();
    let mut changes = unchanged_plan();
    changes.status = Set(PlanStatus::Active);
    changes.activated_at = Set(Some(now));
    changes.next_review_due = Set(Some(review_due(config, now.date_naive())));
    let saved = PLAN
        .save(write.txn(), plan.id, expected_version, now, changes)
        .await?;
    write.deadlines_changed(saved.child_id);
    write.audit_diff::<joint_plans::Entity>(&plan, &saved);
    write
        .emit(plan_event(
            EventKind::PlanActivated,
            &saved,
            "The joint plan is active",
            json!({ "planId": plan.id }),
        ))
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// What `recordPlanReview` takes.
#[derive(Clone, Debug)]
pub struct NewReview {
    /// When it was held.
    pub held_on: NaiveDate,
    /// Who attended.
    pub attending_agencies: Vec<Uuid>,
    /// What was decided.
    pub summary: String,
    /// When the next is due (defaults to one review interval on).
    pub next_review_due: Option<NaiveDate>,
}

/// `recordPlanReview`: records a review of an active plan and sets the next one.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn record_review(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    plan_id: Uuid,
    input: NewReview,
    expected_version: i32,
) -> ApiResult<(joint_plans::Model, plan_reviews::Model)> {
    let (op, plan) = plan_to_run(db, caller, plan_id, AuditAction::RecordPlanReview).await?;
    let op = op.on(Target::for_child(EntityType::PlanReview, plan.child_id));
    check(expected_version, plan.version)?;
    if plan.status != PlanStatus::Active {
        return Err(ApiError::validation(
            "planId",
            "only an active plan is reviewed",
        ));
    }
    let summary = required_text("summary", &input.summary, 10_000)?;
    super::bounds::ensure_past_day("heldOn", input.held_on, caller.now().date_naive())?;
    if plan
        .activated_at
        .is_some_and(|at| input.held_on < at.date_naive())
    {
        return Err(ApiError::validation(
            "heldOn",
            "must not be before the plan went live",
        ));
    }
    let next = input
        .next_review_due
        .unwrap_or_else(|| review_due(config, input.held_on));
    if next <= input.held_on {
        return Err(ApiError::validation(
            "nextReviewDue",
            "must be after the review",
        ));
    }
    super::bounds::ensure_due_day("nextReviewDue", next, input.held_on)?;
    ensure_agencies_exist(db, &input.attending_agencies, "attendingAgencyIds").await?;
    let mut write = op.begin().await?;
    // `amendPlanReview` keeps the plan's reviews in order under this lock.
    write.lock(&format!("plan-reviews:{}", plan.id)).await?;
    let now = caller.now();
    let mut changes = unchanged_plan();
    changes.next_review_due = Set(Some(next));
    let saved = PLAN
        .save(write.txn(), plan.id, expected_version, now, changes)
        .await?;
    write.deadlines_changed(saved.child_id);
    let review = plan_reviews::Entity::insert(plan_reviews::ActiveModel {
        id: Set(new_id()),
        plan_id: Set(plan.id),
        held_on: Set(input.held_on),
        attending_agencies: Set(AgencyIds(input.attending_agencies)),
        summary: Set(summary.clone()),
        next_review_due: Set(Some(next)),
        recorded_by: Set(caller.actor.subject.clone()),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec_with_returning(write.txn())
    .await?;
    let held_at = input
        .held_on
        .and_hms_opt(12, 0, 0)
        .map_or(caller.now(), |t| t.and_utc());
    let entry = NewEntry {
        child_id: plan.child_id,
        behaviour_id: None,
        kind: ChronologyKind::PlanReview,
        occurred_at: held_at,
        summary: format!("Joint plan review: {summary}"),
        // The review is the plan's: its members, and the child's lead agency, read it.
        sensitivity: Sensitivity::Restricted,
        shared_with: plan_facts(write.txn(), &plan).await?.members,
    };
    chronology::insert(&write, entry).await?;
    write.audit_row(review.id);
    write.audit_diff::<joint_plans::Entity>(&plan, &saved);
    write.audit_created::<plan_reviews::Entity>(&review);
    let payload = json!({ "planId": plan.id, "reviewId": review.id, "nextReviewDue": next });
    write
        .emit(plan_event(
            EventKind::PlanReviewed,
            &saved,
            "The joint plan was reviewed",
            payload,
        ))
        .await?;
    write.commit().await?;
    Ok((saved, review))
}

/// `closeJointPlan`: the lead coordinator closes a draft or active plan.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn close(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
    expected_version: i32,
) -> ApiResult<joint_plans::Model> {
    let (op, plan) = plan_to_run(db, caller, plan_id, AuditAction::CloseJointPlan).await?;
    check(expected_version, plan.version)?;
    ensure_open(&plan)?;
    let mut write = op.begin().await?;
    let now = caller.now();
    let mut changes = unchanged_plan();
    changes.status = Set(PlanStatus::Closed);
    changes.closed_at = Set(Some(now));
    changes.next_review_due = Set(None);
    let saved = PLAN
        .save(write.txn(), plan.id, expected_version, now, changes)
        .await?;
    write.deadlines_changed(saved.child_id);
    write.audit_diff::<joint_plans::Entity>(&plan, &saved);
    write
        .emit(plan_event(
            EventKind::PlanClosed,
            &saved,
            "The joint plan was closed",
            json!({ "planId": plan.id }),
        ))
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// A review for `node(id:)`, when its plan is visible (audited).
pub async fn read_review_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<plan_reviews::Model>> {
    Ok(visible::read_through_plan_audited::<plan_reviews::Entity>(
        db,
        caller,
        EntityType::PlanReview,
        id,
        |review| review.plan_id,
    )
    .await?
    .map(|(review, _)| review))
}
