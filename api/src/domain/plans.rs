//! Joint plans (DESIGN §3, §5.2): creation, members, activation, reviews, closing, reads.

use chrono::{Months, NaiveDate};
use entity::enums::{AgencyIds, ChronologyKind, InvolvementRole, Pathway, PlanStatus, Sensitivity};
use entity::{joint_plans, plan_members, plan_reviews};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::behaviours::ensure_agencies_exist;
use super::children::{NewInvolvement, facts, find_visible, insert_involvement, involvements_of};
use super::chronology::{self, NewEntry};
use super::outbox::{self, Event, EventKind};
use super::versioned::{Versioned, check};
use super::{Caller, new_id, optional_text, required_text, tx};
use crate::error::{ApiError, ApiResult};
use crate::policy::{self, PlanFacts};

/// Months between plan reviews (DESIGN §4.4 default).
pub const REVIEW_MONTHS: u32 = 3;

const PLAN: Versioned<joint_plans::Entity> = Versioned {
    id: joint_plans::Column::Id,
    version: joint_plans::Column::Version,
    updated_at: joint_plans::Column::UpdatedAt,
    version_of: |plan| plan.version,
};

fn subject(action: &'static str, plan: &joint_plans::Model) -> Subject<'static> {
    Subject {
        action,
        entity_type: "JointPlan",
        entity_id: Some(plan.id),
        child_id: Some(plan.child_id),
    }
}

/// A plan's current member agencies.
pub async fn members_of<C: ConnectionTrait>(
    db: &C,
    plan_id: Uuid,
) -> ApiResult<Vec<plan_members::Model>> {
    Ok(plan_members::Entity::find()
        .filter(plan_members::Column::PlanId.eq(plan_id))
        .filter(plan_members::Column::RemovedAt.is_null())
        .order_by_asc(plan_members::Column::Id)
        .all(db)
        .await?)
}

/// What the policy needs about a plan.
pub async fn plan_facts<C: ConnectionTrait>(
    db: &C,
    plan: &joint_plans::Model,
) -> ApiResult<PlanFacts> {
    let members = members_of(db, plan.id)
        .await?
        .into_iter()
        .map(|m| m.agency_id)
        .collect();
    Ok(PlanFacts {
        lead_agency: plan.lead_agency_id,
        members,
    })
}

/// A plan the caller's agency is a member of, or `NOT_FOUND`; the read of its child is audited.
pub async fn find_visible_plan(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<joint_plans::Model> {
    let plan = joint_plans::Entity::find_by_id(id)
        .filter(policy::visible_plans(&caller.actor))
        .one(db)
        .await?;
    match plan {
        Some(plan) => {
            audit::child_reads(db, caller, &[plan.child_id]).await?;
            Ok(plan)
        }
        None => {
            let subject = Subject {
                action: "READ_JOINT_PLAN",
                entity_type: "JointPlan",
                entity_id: Some(id),
                child_id: None,
            };
            audit::denial(db, caller, subject, "not found or not a member").await?;
            Err(ApiError::NotFound)
        }
    }
}

/// A plan for `node(id:)`: `None` when missing or not visible.
pub async fn read_node(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<joint_plans::Model>> {
    match find_visible_plan(db, caller, id).await {
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

/// Loads a visible plan and checks the caller runs it; refusals are audited.
async fn plan_to_run(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    action: &'static str,
) -> ApiResult<joint_plans::Model> {
    let plan = find_visible_plan(db, caller, id).await?;
    if let Err(error) = policy::ensure_can_run_plan(&caller.actor, &plan_facts(db, &plan).await?) {
        audit::denial(db, caller, subject(action, &plan), &error.to_string()).await?;
        return Err(error);
    }
    Ok(plan)
}

fn plan_event(
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
    let denied = Subject {
        action: "CREATE_JOINT_PLAN",
        entity_type: "JointPlan",
        entity_id: None,
        child_id: Some(input.child_id),
    };
    let child = match find_visible(db, caller, input.child_id).await {
        Ok(child) => child,
        Err(error) => {
            audit::denial(db, caller, denied, "child not visible").await?;
            return Err(error);
        }
    };
    let team = involvements_of(db, child.id).await?;
    if let Err(error) =
        policy::ensure_can_create_plan(&caller.actor, &facts(db, child.id, &team).await?)
    {
        audit::denial(db, caller, denied, &error.to_string()).await?;
        return Err(error);
    }
    let title = required_text("title", &input.title, 200)?;
    let txn = tx::begin(db).await?;
    // Two coordinators drafting at once must not both find no open plan.
    tx::lock_key(&txn, &format!("plan:{}", child.id)).await?;
    let open = joint_plans::Entity::find()
        .filter(joint_plans::Column::ChildId.eq(child.id))
        .filter(joint_plans::Column::Status.ne(PlanStatus::Closed))
        .one(&*txn)
        .await?;
    if open.is_some() {
        return Err(ApiError::validation(
            "childId",
            "the child already has an open joint plan",
        ));
    }
    let plan = joint_plans::Entity::insert(joint_plans::ActiveModel {
        id: Set(new_id()),
        child_id: Set(child.id),
        title: Set(title),
        status: Set(PlanStatus::Draft),
        pathway: Set(input.pathway),
        lead_agency_id: Set(caller.actor.agency_id),
        risk_summary: Set(optional_text(input.risk_summary)),
        next_review_due: Set(None),
        activated_at: Set(None),
        closed_at: Set(None),
        version: Set(1),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    })
    .exec_with_returning(&*txn)
    .await?;
    insert_member(&*txn, caller, plan.id, caller.actor.agency_id).await?;
    audit::mutation(&*txn, caller, subject("CREATE_JOINT_PLAN", &plan)).await?;
    outbox::record(
        &*txn,
        caller,
        plan_event(
            EventKind::PlanCreated,
            &plan,
            "A joint plan was drafted",
            json!({ "planId": plan.id }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(plan)
}

async fn insert_member<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    plan_id: Uuid,
    agency_id: Uuid,
) -> ApiResult<plan_members::Model> {
    plan_members::Entity::insert(plan_members::ActiveModel {
        id: Set(new_id()),
        plan_id: Set(plan_id),
        agency_id: Set(agency_id),
        removed_at: Set(None),
        version: Set(1),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    })
    .exec_with_returning(db)
    .await
    .map_err(|e| ApiError::unique(e, "agencyId", "the agency is already a member of the plan"))
}

fn unchanged_plan() -> joint_plans::ActiveModel {
    joint_plans::ActiveModel::default()
}

fn ensure_open(plan: &joint_plans::Model) -> ApiResult<()> {
    if plan.status == PlanStatus::Closed {
        return Err(ApiError::validation("planId", "the plan is closed"));
    }
    Ok(())
}

/// `addPlanMember`: the lead coordinator adds an agency, which joins the case team too.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn add_member(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
    agency_id: Uuid,
    expected_version: i32,
) -> ApiResult<joint_plans::Model> {
    let plan = plan_to_run(db, caller, plan_id, "ADD_PLAN_MEMBER").await?;
    check(expected_version, plan.version)?;
    ensure_open(&plan)?;
    let agency = super::agencies::active(db, agency_id, "agencyId").await?;
    if plan_facts(db, &plan).await?.members.contains(&agency.id) {
        return Err(ApiError::validation(
            "agencyId",
            "the agency is already a member of the plan",
        ));
    }
    let txn = tx::begin(db).await?;
    let saved = PLAN
        .save(
            &*txn,
            plan.id,
            expected_version,
            caller.now,
            unchanged_plan(),
        )
        .await?;
    insert_member(&*txn, caller, plan.id, agency.id).await?;
    let team = involvements_of(&*txn, plan.child_id).await?;
    if !team
        .iter()
        .any(|i| i.ended_on.is_none() && i.agency_id == agency.id)
    {
        let involvement = NewInvolvement {
            agency_id: agency.id,
            role: InvolvementRole::Partner,
            lead_practitioner: None,
            reason: Some("added to the joint plan".into()),
        };
        let added = insert_involvement(&*txn, caller, plan.child_id, involvement).await?;
        let subject = Subject {
            action: "ADD_INVOLVEMENT",
            entity_type: "Involvement",
            entity_id: Some(added.id),
            child_id: Some(plan.child_id),
        };
        audit::mutation(&*txn, caller, subject).await?;
    }
    audit::mutation(&*txn, caller, subject("ADD_PLAN_MEMBER", &saved)).await?;
    let payload = json!({ "planId": plan.id, "agencyId": agency.id });
    outbox::record(
        &*txn,
        caller,
        plan_event(
            EventKind::PlanMemberAdded,
            &saved,
            "An agency joined the plan",
            payload,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// `removePlanMember`: the lead coordinator removes an agency from a plan; it stops
/// seeing the plan and receiving its events. The lead agency cannot be removed.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn remove_member(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
    agency_id: Uuid,
    expected_version: i32,
) -> ApiResult<joint_plans::Model> {
    let plan = plan_to_run(db, caller, plan_id, "REMOVE_PLAN_MEMBER").await?;
    check(expected_version, plan.version)?;
    ensure_open(&plan)?;
    if agency_id == plan.lead_agency_id {
        return Err(ApiError::validation(
            "agencyId",
            "the lead agency cannot leave its own plan",
        ));
    }
    let member = members_of(db, plan.id)
        .await?
        .into_iter()
        .find(|m| m.agency_id == agency_id)
        .ok_or_else(|| {
            ApiError::validation("agencyId", "the agency is not a member of the plan")
        })?;
    let txn = tx::begin(db).await?;
    let saved = PLAN
        .save(
            &*txn,
            plan.id,
            expected_version,
            caller.now,
            unchanged_plan(),
        )
        .await?;
    end_membership(&*txn, caller, &saved, &member, "An agency left the plan").await?;
    audit::mutation(&*txn, caller, subject("REMOVE_PLAN_MEMBER", &saved)).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Ends one membership and tells the agency that left.
async fn end_membership<C: ConnectionTrait>(
    txn: &C,
    caller: &Caller,
    plan: &joint_plans::Model,
    member: &plan_members::Model,
    summary: &str,
) -> ApiResult<()> {
    plan_members::Entity::update(plan_members::ActiveModel {
        id: Set(member.id),
        removed_at: Set(Some(caller.now)),
        updated_at: Set(caller.now),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    let mut event = plan_event(
        EventKind::PlanMemberRemoved,
        plan,
        summary,
        json!({ "planId": plan.id, "agencyId": member.agency_id }),
    );
    event.audience = vec![member.agency_id];
    outbox::record(txn, caller, event).await?;
    Ok(())
}

/// Removes an agency that left the case team from the child's open plans, with an event each.
pub async fn leave_open_plans<C: ConnectionTrait>(
    txn: &C,
    caller: &Caller,
    child_id: Uuid,
    agency_id: Uuid,
) -> ApiResult<()> {
    let plans = joint_plans::Entity::find()
        .filter(joint_plans::Column::ChildId.eq(child_id))
        .filter(joint_plans::Column::Status.ne(PlanStatus::Closed))
        .all(txn)
        .await?;
    for plan in plans {
        let Some(member) = members_of(txn, plan.id)
            .await?
            .into_iter()
            .find(|m| m.agency_id == agency_id)
        else {
            continue;
        };
        end_membership(
            txn,
            caller,
            &plan,
            &member,
            "An agency left the plan with the case team",
        )
        .await?;
    }
    Ok(())
}

/// The review due `months` after a date.
pub fn review_due(from: NaiveDate, months: u32) -> NaiveDate {
    from.checked_add_months(Months::new(months)).unwrap_or(from)
}

/// `activateJointPlan`: a draft goes live; the first review falls due in three months.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn activate(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
    expected_version: i32,
) -> ApiResult<joint_plans::Model> {
    let plan = plan_to_run(db, caller, plan_id, "ACTIVATE_JOINT_PLAN").await?;
    check(expected_version, plan.version)?;
    if plan.status != PlanStatus::Draft {
        return Err(ApiError::validation(
            "planId",
            "only a draft plan can be activated",
        ));
    }
    let txn = tx::begin(db).await?;
    let mut changes = unchanged_plan();
    changes.status = Set(PlanStatus::Active);
    changes.activated_at = Set(Some(caller.now));
    changes.next_review_due = Set(Some(review_due(caller.now.date_naive(), REVIEW_MONTHS)));
    let saved = PLAN
        .save(&*txn, plan.id, expected_version, caller.now, changes)
        .await?;
    audit::mutation(&*txn, caller, subject("ACTIVATE_JOINT_PLAN", &saved)).await?;
    outbox::record(
        &*txn,
        caller,
        plan_event(
            EventKind::PlanActivated,
            &saved,
            "The joint plan is active",
            json!({ "planId": plan.id }),
        ),
    )
    .await?;
    txn.commit().await?;
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
    /// When the next is due (defaults to three months on).
    pub next_review_due: Option<NaiveDate>,
}

/// `recordPlanReview`: records a review of an active plan and sets the next one.
#[tracing::instrument(skip_all, fields(%plan_id))]
pub async fn record_review(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: Uuid,
    input: NewReview,
    expected_version: i32,
) -> ApiResult<(joint_plans::Model, plan_reviews::Model)> {
    let plan = plan_to_run(db, caller, plan_id, "RECORD_PLAN_REVIEW").await?;
    check(expected_version, plan.version)?;
    if plan.status != PlanStatus::Active {
        return Err(ApiError::validation(
            "planId",
            "only an active plan is reviewed",
        ));
    }
    let summary = required_text("summary", &input.summary, 10_000)?;
    if input.held_on > caller.now.date_naive() {
        return Err(ApiError::validation("heldOn", "must not be in the future"));
    }
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
        .unwrap_or_else(|| review_due(input.held_on, REVIEW_MONTHS));
    if next <= input.held_on {
        return Err(ApiError::validation(
            "nextReviewDue",
            "must be after the review",
        ));
    }
    ensure_agencies_exist(db, &input.attending_agencies, "attendingAgencyIds").await?;
    let txn = tx::begin(db).await?;
    let mut changes = unchanged_plan();
    changes.next_review_due = Set(Some(next));
    let saved = PLAN
        .save(&*txn, plan.id, expected_version, caller.now, changes)
        .await?;
    let review = plan_reviews::Entity::insert(plan_reviews::ActiveModel {
        id: Set(new_id()),
        plan_id: Set(plan.id),
        held_on: Set(input.held_on),
        attending_agencies: Set(AgencyIds(input.attending_agencies)),
        summary: Set(summary.clone()),
        next_review_due: Set(Some(next)),
        recorded_by: Set(caller.actor.subject.clone()),
        version: Set(1),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    })
    .exec_with_returning(&*txn)
    .await?;
    let held_at = input
        .held_on
        .and_hms_opt(12, 0, 0)
        .map_or(caller.now, |t| t.and_utc());
    let entry = NewEntry {
        child_id: plan.child_id,
        behaviour_id: None,
        kind: ChronologyKind::PlanReview,
        occurred_at: held_at,
        summary: format!("Joint plan review: {summary}"),
        sensitivity: Sensitivity::Standard,
        shared_with: vec![],
    };
    chronology::insert(&*txn, caller, entry).await?;
    audit::mutation(
        &*txn,
        caller,
        Subject {
            action: "RECORD_PLAN_REVIEW",
            entity_type: "PlanReview",
            entity_id: Some(review.id),
            child_id: Some(plan.child_id),
        },
    )
    .await?;
    let payload = json!({ "planId": plan.id, "reviewId": review.id, "nextReviewDue": next });
    outbox::record(
        &*txn,
        caller,
        plan_event(
            EventKind::PlanReviewed,
            &saved,
            "The joint plan was reviewed",
            payload,
        ),
    )
    .await?;
    txn.commit().await?;
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
    let plan = plan_to_run(db, caller, plan_id, "CLOSE_JOINT_PLAN").await?;
    check(expected_version, plan.version)?;
    ensure_open(&plan)?;
    let txn = tx::begin(db).await?;
    let mut changes = unchanged_plan();
    changes.status = Set(PlanStatus::Closed);
    changes.closed_at = Set(Some(caller.now));
    changes.next_review_due = Set(None);
    let saved = PLAN
        .save(&*txn, plan.id, expected_version, caller.now, changes)
        .await?;
    audit::mutation(&*txn, caller, subject("CLOSE_JOINT_PLAN", &saved)).await?;
    outbox::record(
        &*txn,
        caller,
        plan_event(
            EventKind::PlanClosed,
            &saved,
            "The joint plan was closed",
            json!({ "planId": plan.id }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A member row for `node(id:)`, when its plan is visible.
pub async fn read_member(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<plan_members::Model>> {
    let Some(member) = plan_members::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(read_node(db, caller, member.plan_id).await?.map(|_| member))
}

/// A review for `node(id:)`, when its plan is visible.
pub async fn read_review(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<plan_reviews::Model>> {
    let Some(review) = plan_reviews::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(read_node(db, caller, review.plan_id).await?.map(|_| review))
}
