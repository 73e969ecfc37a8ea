//! Amending joint plans, plan actions and plan reviews (`docs/product.md`, corrections):
//! the same history as the other corrections, under the rules that already govern each
//! record (running the plan, handling the action).
//!
//! A closed plan's record can still be corrected (its title, pathway and risk summary, its
//! reviews): a correction says what the plan was, it does not carry the plan on. Its
//! actions cannot, as no action mutation touches a closed plan's actions. The next review
//! date is only amended on an active plan, and is kept in step with the review that set
//! it, which the deadline engine reads.

use chrono::NaiveDate;
use entity::enums::{ConsultationStatus, Pathway, PlanStatus};
use entity::{consultations, joint_plans, plan_actions, plan_reviews};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{Replaced, changed, enum_name, reason, record_version};
use crate::domain::actions::{ACTION, action_event, read_with_plan_audited};
use crate::domain::audit::{AuditAction, EntityType, Target};
use crate::domain::op::{Operation, Write};
use crate::domain::outbox::EventKind;
use crate::domain::plan_members::plan_facts;
use crate::domain::plans::{PLAN, plan_event, plan_to_run};
use crate::domain::versioned::check;
use crate::domain::{Caller, bounds, optional_text, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;

mod review;

pub use review::{ReviewChanges, amend_plan_review};

/// What `amendJointPlan` takes: absent means unchanged.
#[derive(Clone, Debug, Default)]
pub struct PlanChanges {
    /// The plan.
    pub plan_id: Uuid,
    /// Title.
    pub title: Option<String>,
    /// Statutory route.
    pub pathway: Option<Pathway>,
    /// Risk summary (empty clears it).
    pub risk_summary: Option<String>,
    /// When the next review is due (an active plan with a review only).
    pub next_review_due: Option<NaiveDate>,
    /// Why.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// What `amendPlanAction` takes: absent means unchanged.
#[derive(Clone, Debug, Default)]
pub struct ActionChanges {
    /// The action.
    pub action_id: Uuid,
    /// What exactly is to be done.
    pub description: Option<String>,
    /// By when.
    pub due_on: Option<NaiveDate>,
    /// Why.
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// A plan's amendable fields, in the order `JointPlan` lists them.
const PLAN_FIELDS: [&str; 4] = ["title", "pathway", "riskSummary", "nextReviewDue"];

/// An action's amendable fields, in the order `PlanAction` lists them.
const ACTION_FIELDS: [&str; 2] = ["description", "dueOn"];

/// The longest risk summary, as `createJointPlan`'s input bounds it.
const MAX_RISK_SUMMARY: usize = 10_000;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A plan's amendable fields, by GraphQL name.
fn plan_snapshot(p: &joint_plans::Model) -> Map<String, Value> {
    object(json!({
        "title": p.title,
        "pathway": enum_name(&p.pathway),
        "riskSummary": p.risk_summary,
        "nextReviewDue": p.next_review_due,
    }))
}

/// An action's amendable fields, by GraphQL name.
fn action_snapshot(a: &plan_actions::Model) -> Map<String, Value> {
    object(json!({
        "description": a.description,
        "dueOn": a.due_on,
    }))
}

/// The plan with `changes` applied, each changed field checked as `createJointPlan`
/// checks it; the next review date is checked against its review in the transaction.
fn apply_plan(
    current: &joint_plans::Model,
    changes: &PlanChanges,
) -> ApiResult<joint_plans::Model> {
    let mut plan = current.clone();
    if let Some(title) = &changes.title {
        plan.title = required_text("title", title, 200)?;
    }
    if let Some(pathway) = changes.pathway {
        plan.pathway = pathway;
    }
    if let Some(summary) = &changes.risk_summary {
        if summary.chars().count() > MAX_RISK_SUMMARY {
            return Err(ApiError::validation(
                "riskSummary",
                format!("must be at most {MAX_RISK_SUMMARY} characters"),
            ));
        }
        plan.risk_summary = optional_text(Some(summary.clone()));
    }
    if let Some(next) = changes.next_review_due
        && Some(next) != current.next_review_due
    {
        if current.status != PlanStatus::Active {
            return Err(ApiError::validation(
                "nextReviewDue",
                "only an active plan has a next review",
            ));
        }
        plan.next_review_due = Some(next);
    }
    Ok(plan)
}

/// The review whose `nextReviewDue` the deadline engine reads for `plan` (the last held),
/// read in the transaction.
async fn latest_review(
    write: &Write<'_>,
    plan: &joint_plans::Model,
) -> ApiResult<Option<plan_reviews::Model>> {
    Ok(plan_reviews::Entity::find()
        .filter(plan_reviews::Column::PlanId.eq(plan.id))
        .order_by_desc(plan_reviews::Column::HeldOn)
        .order_by_desc(plan_reviews::Column::Id)
        .one(write.txn())
        .await?)
}

/// Sets the next review date on the review that set it, as `recordPlanReview` checks it,
/// with that review's own history row.
async fn move_next_review(
    write: &Write<'_>,
    plan: &joint_plans::Model,
    next: NaiveDate,
    why: &str,
) -> ApiResult<()> {
    let Some(latest) = latest_review(write, plan).await? else {
        return Err(ApiError::validation(
            "nextReviewDue",
            "the first review falls due one review interval after the plan went live; \
             recording a review sets the next",
        ));
    };
    if next <= latest.held_on {
        return Err(ApiError::validation(
            "nextReviewDue",
            "must be after the last review",
        ));
    }
    bounds::ensure_due_day("nextReviewDue", next, latest.held_on)?;
    let caller = write.caller();
    let saved = review::REVIEW
        .save(
            write.txn(),
            latest.id,
            latest.version,
            caller.now(),
            plan_reviews::ActiveModel {
                next_review_due: Set(Some(next)),
                ..Default::default()
            },
        )
        .await?;
    record_version(
        write,
        Replaced {
            entity: EntityType::PlanReview,
            entity_id: latest.id,
            child_id: plan.child_id,
            version: latest.version,
            snapshot: review::review_snapshot(&latest),
            changed_fields: vec!["nextReviewDue".to_owned()],
            reason: &format!("{why} (with the joint plan's next review date)"),
        },
    )
    .await?;
    let target = Target::for_child(EntityType::PlanReview, plan.child_id).with_id(saved.id);
    write
        .record_also(AuditAction::AmendPlanReview, target)
        .await
}

/// Refuses a new description for an action another sector has already answered on
/// (agreed, objected, or overridden): what it agreed to would no longer be what is done.
/// A wrong action is cancelled and added again, which consults afresh.
async fn ensure_unanswered(write: &Write<'_>, action_id: Uuid) -> ApiResult<()> {
    let answered = consultations::Entity::find()
        .filter(consultations::Column::ActionId.eq(action_id))
        .filter(consultations::Column::Status.ne(ConsultationStatus::Requested))
        .count(write.txn())
        .await?;
    if answered > 0 {
        return Err(ApiError::validation(
            "description",
            "a consulted agency has answered on this description; cancel the action and add it again",
        ));
    }
    Ok(())
}

/// `amendJointPlan`: a coordinator of the lead agency corrects the plan's title, pathway,
/// risk summary or next review date; the replaced values go to its history.
#[tracing::instrument(skip_all, fields(plan_id = %changes.plan_id))]
pub async fn amend_joint_plan(
    db: &DatabaseConnection,
    caller: &Caller,
    changes: PlanChanges,
) -> ApiResult<joint_plans::Model> {
    let (op, current) =
        plan_to_run(db, caller, changes.plan_id, AuditAction::AmendJointPlan).await?;
    let why = reason(&changes.reason)?;
    let amended = apply_plan(&current, &changes)?;
    let before = plan_snapshot(&current);
    let changed_fields = changed(&PLAN_FIELDS, &before, &plan_snapshot(&amended));
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(changes.expected_version, current.version)?;
    let mut write = op.begin().await?;
    // `amendPlanReview` moves a review's date under this lock; the last review is read
    // under it below.
    write.lock(&format!("plan-reviews:{}", current.id)).await?;
    let saved = PLAN
        .save(
            write.txn(),
            current.id,
            changes.expected_version,
            caller.now(),
            joint_plans::ActiveModel {
                title: Set(amended.title.clone()),
                pathway: Set(amended.pathway),
                risk_summary: Set(amended.risk_summary.clone()),
                next_review_due: Set(amended.next_review_due),
                ..Default::default()
            },
        )
        .await?;
    if saved.next_review_due != current.next_review_due
        && let Some(next) = saved.next_review_due
    {
        // Saved first: a review recorded meanwhile has changed the plan's version.
        move_next_review(&write, &saved, next, &why).await?;
    }
    record_version(
        &write,
        Replaced {
            entity: EntityType::JointPlan,
            entity_id: current.id,
            child_id: current.child_id,
            version: current.version,
            snapshot: before,
            changed_fields: changed_fields.clone(),
            reason: &why,
        },
    )
    .await?;
    write.audit_reason(&format!("changed {}", changed_fields.join(", ")));
    write.audit_diff::<joint_plans::Entity>(&current, &saved);
    if saved.pathway != current.pathway || saved.next_review_due != current.next_review_due {
        // The pathway decides the initial conference; the review date the next review.
        write.deadlines_changed(current.child_id);
    }
    let payload = json!({ "planId": saved.id, "changedFields": changed_fields });
    write
        .emit(plan_event(
            EventKind::PlanAmended,
            &saved,
            "The joint plan was corrected",
            payload,
        ))
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// `amendPlanAction`: the assigned agency's case role, or a coordinator of the lead agency,
/// corrects what an action is and when it is due. Its kind and assigned agency are not
/// amended: they decide its consultations.
#[tracing::instrument(skip_all, fields(action_id = %changes.action_id))]
pub async fn amend_plan_action(
    db: &DatabaseConnection,
    caller: &Caller,
    changes: ActionChanges,
) -> ApiResult<plan_actions::Model> {
    let Some((current, plan)) = read_with_plan_audited(db, caller, changes.action_id).await? else {
        return Err(ApiError::NotFound);
    };
    let target = Target::for_child(EntityType::PlanAction, plan.child_id).with_id(current.id);
    let op = Operation::new(db, caller, AuditAction::AmendPlanAction, target);
    op.authorize(policy::ensure_can_handle_action(
        &caller.actor,
        &plan_facts(db, &plan).await?,
        current.assigned_agency_id,
    ))
    .await?;
    if plan.status == PlanStatus::Closed {
        return Err(ApiError::validation("actionId", "the plan is closed"));
    }
    let why = reason(&changes.reason)?;
    let mut amended = current.clone();
    if let Some(description) = &changes.description {
        amended.description = required_text("description", description, 10_000)?;
    }
    if let Some(due) = changes.due_on
        && Some(due) != current.due_on
    {
        bounds::ensure_due_day("dueOn", due, caller.now().date_naive())?;
        amended.due_on = Some(due);
    }
    let before = action_snapshot(&current);
    let changed_fields = changed(&ACTION_FIELDS, &before, &action_snapshot(&amended));
    if changed_fields.is_empty() {
        return Err(ApiError::validation("input", "nothing to change"));
    }
    check(changes.expected_version, current.version)?;
    let mut write = op.begin().await?;
    if amended.description != current.description {
        ensure_unanswered(&write, current.id).await?;
    }
    let saved = ACTION
        .save(
            write.txn(),
            current.id,
            changes.expected_version,
            caller.now(),
            plan_actions::ActiveModel {
                description: Set(amended.description.clone()),
                due_on: Set(amended.due_on),
                ..Default::default()
            },
        )
        .await?;
    record_version(
        &write,
        Replaced {
            entity: EntityType::PlanAction,
            entity_id: current.id,
            child_id: plan.child_id,
            version: current.version,
            snapshot: before,
            changed_fields: changed_fields.clone(),
            reason: &why,
        },
    )
    .await?;
    write.audit_reason(&format!("changed {}", changed_fields.join(", ")));
    write.audit_diff::<plan_actions::Entity>(&current, &saved);
    let payload = json!({
        "planId": plan.id,
        "actionId": saved.id,
        "changedFields": changed_fields,
    });
    write
        .emit(action_event(
            EventKind::ActionAmended,
            &plan,
            vec![],
            "An action was corrected",
            payload,
        ))
        .await?;
    write.commit().await?;
    Ok(saved)
}
