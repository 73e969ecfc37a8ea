//! `JointPlan`, `PlanMember`, `PlanReview`, `jointPlan` and the plan mutations.

mod review;

pub use review::PlanReview;

use super::scalars::{Date, DateTime};
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::enums::{Pathway, PlanStatus};
use entity::{joint_plans, plan_members};

use super::action::PlanAction;
use super::agency::Agency;
use super::amendment::{RecordVersion, amended, readable_history};
use super::child::Child;
use super::limits::size;
use super::limits::{MaxChars, MaxItems};
use super::{agency_by_id, agency_ids, caller, config, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// A multi-agency plan for a child: its member agencies, their actions and its reviews.
/// Only the member agencies can see it; the lead agency's coordinator runs it.
#[derive(Description)]
pub struct JointPlan(pub joint_plans::Model);

#[Object(use_type_description)]
impl JointPlan {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("JointPlan", self.0.id)
    }
    /// The child the plan is for; `null` when the caller may not read the child's record.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        super::visible_child_or_none(ctx, self.0.child_id).await
    }
    /// The plan's title, as its coordinator wrote it.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Where the plan is in its life: `DRAFT`, `ACTIVE` or `CLOSED`.
    async fn status(&self) -> PlanStatus {
        self.0.status
    }
    /// The statutory route the plan follows.
    async fn pathway(&self) -> Pathway {
        self.0.pathway
    }
    /// The agency that leads the plan: its coordinators run the plan and settle
    /// consultations.
    async fn lead_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.lead_agency_id).await
    }
    /// The plan's summary of the risks, for member agencies only; `null` when none was
    /// written.
    async fn risk_summary(&self) -> Option<&str> {
        self.0.risk_summary.as_deref()
    }
    /// The day the next review is due: by default three months after activation, then
    /// after each review; `null` while the plan is a draft or once it is closed.
    async fn next_review_due(&self) -> Option<Date> {
        self.0.next_review_due.map(Into::into)
    }
    /// When the plan was activated; `null` while it is a draft.
    async fn activated_at(&self) -> Option<DateTime> {
        self.0.activated_at.map(Into::into)
    }
    /// When the plan was closed; `null` while it is open.
    async fn closed_at(&self) -> Option<DateTime> {
        self.0.closed_at.map(Into::into)
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the plan was drafted.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// Whether the plan's title, pathway, risk summary or next review date was ever
    /// corrected (`amendJointPlan`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        amended(ctx, self.0.id).await
    }
    /// Every earlier version of the plan's amendable fields, oldest first, with who
    /// corrected them, when and why; readable by every member agency, as the plan is.
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RecordVersion>> {
        readable_history(ctx, self.0.id).await
    }
    /// The member agencies, including the lead agency.
    #[graphql(complexity = "size::MEMBERS * child_complexity")]
    async fn members(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PlanMember>> {
        let rows = ctx
            .data::<super::loaders::Loaders>()?
            .members
            .load_one(self.0.id)
            .await
            .map_err(super::loaders::loader_error)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(PlanMember).collect())
    }
    /// The plan's actions: what each member agency will do.
    #[graphql(complexity = "size::ACTIONS * child_complexity")]
    async fn actions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PlanAction>> {
        let rows = ctx
            .data::<super::loaders::Loaders>()?
            .actions
            .load_one(self.0.id)
            .await
            .map_err(super::loaders::loader_error)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(PlanAction).collect())
    }
    /// The plan's reviews, oldest first.
    #[graphql(complexity = "size::REVIEWS * child_complexity")]
    async fn reviews(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PlanReview>> {
        let _slot = super::db_slot(ctx).await?;
        let rows = Box::pin(domain::plans::reviews_of(db(ctx)?, self.0.id))
            .await
            .gql()?;
        Ok(rows.into_iter().map(PlanReview).collect())
    }
    /// The needs the plan answers to, each with this plan's actions (not cancelled) that
    /// address it: the needs of the child's current assessment (the latest completed),
    /// and any earlier need one of its actions addresses.
    #[graphql(complexity = "size::NEEDS * child_complexity")]
    async fn needs(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::assessment::PlanNeed>> {
        let _slot = super::db_slot(ctx).await?;
        let rows = Box::pin(domain::assessments::needs::of_plan(db(ctx)?, &self.0))
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|(need, actions)| super::assessment::PlanNeed {
                need: super::assessment::AssessmentNeed(need),
                actions: actions.into_iter().map(PlanAction).collect(),
            })
            .collect())
    }
    /// The needs of `needs` that no action of this plan (not cancelled) addresses.
    #[graphql(complexity = "size::NEEDS * child_complexity")]
    async fn unaddressed_needs(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::assessment::AssessmentNeed>> {
        let _slot = super::db_slot(ctx).await?;
        let rows = Box::pin(domain::assessments::needs::of_plan(db(ctx)?, &self.0))
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .filter(|(_, actions)| actions.is_empty())
            .map(|(need, _)| super::assessment::AssessmentNeed(need))
            .collect())
    }
}

/// An agency's membership of a joint plan: members see the plan, its actions and its
/// events, and are on the child's case team.
#[derive(Description)]
pub struct PlanMember(pub plan_members::Model);

#[Object(use_type_description)]
impl PlanMember {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("PlanMember", self.0.id)
    }
    /// The member agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// When the agency joined the plan.
    async fn added_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

/// Plan queries.
#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// One joint plan the caller's agency is a member of (case roles); `NOT_FOUND` when it
    /// does not exist or the agency is not a member.
    async fn joint_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's global id.")] id: ID,
    ) -> async_graphql::Result<JointPlan> {
        let caller = caller(ctx)?;
        let uuid = match ids::decode(&id) {
            Some((kind, uuid)) if kind == "JointPlan" => uuid,
            _ => return Err(crate::error::ApiError::NotFound).gql(),
        };
        Ok(JointPlan(
            domain::plans::read_audited(db(ctx)?, caller, uuid)
                .await
                .gql()?,
        ))
    }
}

/// Input of `createJointPlan`: the new plan's child, title, pathway and risk summary.
#[derive(InputObject)]
pub struct CreateJointPlanInput {
    /// The global id of the child the plan is for.
    pub child_id: ID,
    /// The plan's title (at most 200 characters).
    #[graphql(validator(custom = "MaxChars::new(\"title\", 200)"))]
    pub title: String,
    /// The statutory route the plan follows.
    pub pathway: Pathway,
    /// A summary of the risks, for member agencies only (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"riskSummary\", 10000)"))]
    pub risk_summary: Option<String>,
}

/// Input of `addPlanMember`: the plan and the agency joining it.
#[derive(InputObject)]
pub struct AddPlanMemberInput {
    /// The global id of the joint plan.
    pub plan_id: ID,
    /// The global id of the agency joining the plan (it must be active).
    pub agency_id: ID,
    /// The plan's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Input of `removePlanMember`: the plan and the agency leaving it.
#[derive(InputObject)]
pub struct RemovePlanMemberInput {
    /// The global id of the joint plan.
    pub plan_id: ID,
    /// The global id of the member agency leaving the plan (not the lead agency).
    pub agency_id: ID,
    /// The plan's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Input of `activateJointPlan` and `closeJointPlan`: the plan and its version.
#[derive(InputObject)]
pub struct PlanVersionInput {
    /// The global id of the joint plan.
    pub plan_id: ID,
    /// The plan's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Input of `recordPlanReview`: the review as it was held.
#[derive(InputObject)]
pub struct RecordPlanReviewInput {
    /// The global id of the joint plan.
    pub plan_id: ID,
    /// The day the review was held (not before the plan was activated, nor more than a
    /// day ahead).
    pub held_on: Date,
    /// Global ids of the agencies that attended (at most 50).
    #[graphql(
        default,
        validator(custom = "MaxItems::new(\"attendingAgencyIds\", 50)")
    )]
    pub attending_agency_ids: Vec<ID>,
    /// What the review found and decided (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"summary\", 10000)"))]
    pub summary: String,
    /// The day the next review is due; by default three months after this one when
    /// omitted.
    pub next_review_due: Option<Date>,
    /// The plan's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of the plan mutations: the plan as saved.
#[derive(SimpleObject)]
pub struct JointPlanPayload {
    /// The plan as saved, with its new `version`.
    pub joint_plan: JointPlan,
}

/// Result of `recordPlanReview`: the review and the plan.
#[derive(SimpleObject)]
pub struct RecordPlanReviewPayload {
    /// The review as recorded.
    pub review: PlanReview,
    /// The plan, with its new next review date and `version`.
    pub joint_plan: JointPlan,
}

/// Plan mutations.
#[derive(Default)]
pub struct PlanMutation;

fn plan_id(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    ids::decode_as(id, "JointPlan", "planId").gql()
}

#[Object]
impl PlanMutation {
    /// Drafts a joint plan for a child (`COORDINATOR` of an agency on the case team; their
    /// agency leads the plan and is its first member).
    async fn create_joint_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child, title, pathway and risk summary of the new plan.")]
        input: CreateJointPlanInput,
    ) -> async_graphql::Result<JointPlanPayload> {
        let new = domain::plans::NewPlan {
            child_id: ids::decode_as(&input.child_id, "Child", "childId").gql()?,
            title: input.title,
            pathway: input.pathway,
            risk_summary: input.risk_summary,
        };
        let plan = domain::plans::create(db(ctx)?, caller(ctx)?, new)
            .await
            .gql()?;
        Ok(JointPlanPayload {
            joint_plan: JointPlan(plan),
        })
    }

    /// Adds a member agency to a plan (`COORDINATOR` of the lead agency); it joins the
    /// child's case team too if it was not on it.
    async fn add_plan_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and the agency to add to it.")] input: AddPlanMemberInput,
    ) -> async_graphql::Result<JointPlanPayload> {
        let agency = ids::decode_as(&input.agency_id, "Agency", "agencyId").gql()?;
        let (db, caller, plan) = (db(ctx)?, caller(ctx)?, plan_id(&input.plan_id)?);
        let plan = domain::retry::transient(|| {
            domain::plan_members::add_member(db, caller, plan, agency, input.expected_version)
        })
        .await
        .gql()?;
        Ok(JointPlanPayload {
            joint_plan: JointPlan(plan),
        })
    }

    /// Removes a member agency from a plan (`COORDINATOR` of the lead agency); it stops
    /// seeing the plan and its events.
    async fn remove_plan_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and the agency to remove from it.")]
        input: RemovePlanMemberInput,
    ) -> async_graphql::Result<JointPlanPayload> {
        let agency = ids::decode_as(&input.agency_id, "Agency", "agencyId").gql()?;
        let (db, caller, plan) = (db(ctx)?, caller(ctx)?, plan_id(&input.plan_id)?);
        let plan = domain::retry::transient(|| {
            domain::plan_members::remove_member(db, caller, plan, agency, input.expected_version)
        })
        .await
        .gql()?;
        Ok(JointPlanPayload {
            joint_plan: JointPlan(plan),
        })
    }

    /// Puts a draft plan in force (`COORDINATOR` of the lead agency); its first review
    /// falls due, by default, three months later.
    async fn activate_joint_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and the version the client read.")] input: PlanVersionInput,
    ) -> async_graphql::Result<JointPlanPayload> {
        let plan = domain::plans::activate(
            db(ctx)?,
            caller(ctx)?,
            config(ctx)?,
            plan_id(&input.plan_id)?,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(JointPlanPayload {
            joint_plan: JointPlan(plan),
        })
    }

    /// Records a review of an active plan (`COORDINATOR` of the lead agency), which meets
    /// the review deadline and sets the next one. Adds a `PLAN_REVIEW` entry to the child's
    /// chronology, restricted to the plan's member agencies.
    async fn record_plan_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review as held: when, who attended and what was decided.")]
        input: RecordPlanReviewInput,
    ) -> async_graphql::Result<RecordPlanReviewPayload> {
        let review = domain::plans::NewReview {
            held_on: input.held_on.into(),
            attending_agencies: agency_ids(&input.attending_agency_ids, "attendingAgencyIds")?,
            summary: input.summary,
            next_review_due: input.next_review_due.map(Into::into),
        };
        let (plan, review) = domain::plans::record_review(
            db(ctx)?,
            caller(ctx)?,
            config(ctx)?,
            plan_id(&input.plan_id)?,
            review,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(RecordPlanReviewPayload {
            review: PlanReview(review),
            joint_plan: JointPlan(plan),
        })
    }

    /// Closes a plan (`COORDINATOR` of the lead agency); a closed plan no longer changes,
    /// though its record can still be corrected (`amendJointPlan`, `amendPlanReview`).
    async fn close_joint_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and the version the client read.")] input: PlanVersionInput,
    ) -> async_graphql::Result<JointPlanPayload> {
        let plan = domain::plans::close(
            db(ctx)?,
            caller(ctx)?,
            plan_id(&input.plan_id)?,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(JointPlanPayload {
            joint_plan: JointPlan(plan),
        })
    }
}
