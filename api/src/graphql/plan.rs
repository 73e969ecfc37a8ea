//! `JointPlan`, `PlanMember`, `PlanReview`, `jointPlan` and the plan mutations.

use super::scalars::{Date, DateTime};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::{Pathway, PlanStatus};
use entity::{joint_plans, plan_members, plan_reviews};

use super::action::PlanAction;
use super::agency::Agency;
use super::child::Child;
use super::limits::size;
use super::limits::{MaxChars, MaxItems};
use super::{agencies_by_ids, agency_by_id, agency_ids, caller, config, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// The one multi-agency plan for a child, visible to its member agencies.
pub struct JointPlan(pub joint_plans::Model);

#[Object]
impl JointPlan {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("JointPlan", self.0.id)
    }
    /// The child.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        super::visible_child_or_none(ctx, self.0.child_id).await
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// `DRAFT`, `ACTIVE` or `CLOSED`.
    async fn status(&self) -> PlanStatus {
        self.0.status
    }
    /// The statutory route.
    async fn pathway(&self) -> Pathway {
        self.0.pathway
    }
    /// The agency that leads the plan.
    async fn lead_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.lead_agency_id).await
    }
    /// Risk summary (sensitive: plan members only).
    async fn risk_summary(&self) -> Option<&str> {
        self.0.risk_summary.as_deref()
    }
    /// When the next review is due.
    async fn next_review_due(&self) -> Option<Date> {
        self.0.next_review_due.map(Into::into)
    }
    /// When it went live.
    async fn activated_at(&self) -> Option<DateTime> {
        self.0.activated_at.map(Into::into)
    }
    /// When it was closed.
    async fn closed_at(&self) -> Option<DateTime> {
        self.0.closed_at.map(Into::into)
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// The member agencies.
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
    /// The actions.
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
    /// The reviews, oldest first.
    #[graphql(complexity = "size::REVIEWS * child_complexity")]
    async fn reviews(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PlanReview>> {
        let _slot = super::db_slot(ctx).await?;
        let rows = domain::plans::reviews_of(db(ctx)?, self.0.id).await.gql()?;
        Ok(rows.into_iter().map(PlanReview).collect())
    }
}

/// An agency's membership of a plan.
pub struct PlanMember(pub plan_members::Model);

#[Object]
impl PlanMember {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("PlanMember", self.0.id)
    }
    /// The agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// When it joined.
    async fn added_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

/// A review of a plan.
pub struct PlanReview(pub plan_reviews::Model);

#[Object]
impl PlanReview {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("PlanReview", self.0.id)
    }
    /// When it was held.
    async fn held_on(&self) -> Date {
        self.0.held_on.into()
    }
    /// Who attended.
    #[graphql(complexity = "size::MEMBERS * child_complexity")]
    async fn attending_agencies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agency>> {
        agencies_by_ids(ctx, &self.0.attending_agencies.0).await
    }
    /// What was decided.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// When the next is due.
    async fn next_review_due(&self) -> Option<Date> {
        self.0.next_review_due.map(Into::into)
    }
    /// Who recorded it.
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by
    }
}

/// Plan queries.
#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// A plan the caller's agency is a member of; `NOT_FOUND` otherwise.
    async fn joint_plan(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<JointPlan> {
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

/// Input of `createJointPlan`.
#[derive(InputObject)]
pub struct CreateJointPlanInput {
    /// The child.
    pub child_id: ID,
    /// Title.
    #[graphql(validator(custom = "MaxChars::new(\"title\", 200)"))]
    pub title: String,
    /// The statutory route.
    pub pathway: Pathway,
    /// Risk summary (sensitive).
    #[graphql(validator(custom = "MaxChars::new(\"riskSummary\", 10000)"))]
    pub risk_summary: Option<String>,
}

/// Input of `addPlanMember`.
#[derive(InputObject)]
pub struct AddPlanMemberInput {
    /// The plan.
    pub plan_id: ID,
    /// The agency joining it.
    pub agency_id: ID,
    /// The plan version the client read.
    pub expected_version: i32,
}

/// Input of `removePlanMember`.
#[derive(InputObject)]
pub struct RemovePlanMemberInput {
    /// The plan.
    pub plan_id: ID,
    /// The agency leaving it.
    pub agency_id: ID,
    /// The plan version the client read.
    pub expected_version: i32,
}

/// Input of `activateJointPlan` and `closeJointPlan`.
#[derive(InputObject)]
pub struct PlanVersionInput {
    /// The plan.
    pub plan_id: ID,
    /// The plan version the client read.
    pub expected_version: i32,
}

/// Input of `recordPlanReview`.
#[derive(InputObject)]
pub struct RecordPlanReviewInput {
    /// The plan.
    pub plan_id: ID,
    /// When it was held.
    pub held_on: Date,
    /// Who attended.
    #[graphql(
        default,
        validator(custom = "MaxItems::new(\"attendingAgencyIds\", 50)")
    )]
    pub attending_agency_ids: Vec<ID>,
    /// What was decided.
    #[graphql(validator(custom = "MaxChars::new(\"summary\", 10000)"))]
    pub summary: String,
    /// When the next is due (defaults to three months after this one).
    pub next_review_due: Option<Date>,
    /// The plan version the client read.
    pub expected_version: i32,
}

/// Result of the plan mutations.
#[derive(SimpleObject)]
pub struct JointPlanPayload {
    /// The plan as saved.
    pub joint_plan: JointPlan,
}

/// Result of `recordPlanReview`.
#[derive(SimpleObject)]
pub struct RecordPlanReviewPayload {
    /// The review.
    pub review: PlanReview,
    /// The plan, with its next review date.
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
    /// Drafts the child's joint plan (`COORDINATOR` on the case team; their agency leads it).
    async fn create_joint_plan(
        &self,
        ctx: &Context<'_>,
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

    /// Adds a member agency (lead `COORDINATOR`); it joins the case team too.
    async fn add_plan_member(
        &self,
        ctx: &Context<'_>,
        input: AddPlanMemberInput,
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

    /// Removes a member agency (lead `COORDINATOR`); it stops seeing the plan and its events.
    async fn remove_plan_member(
        &self,
        ctx: &Context<'_>,
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

    /// Activates a draft plan (lead `COORDINATOR`).
    async fn activate_joint_plan(
        &self,
        ctx: &Context<'_>,
        input: PlanVersionInput,
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

    /// Records a review of an active plan (lead `COORDINATOR`).
    async fn record_plan_review(
        &self,
        ctx: &Context<'_>,
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

    /// Closes a plan (lead `COORDINATOR`).
    async fn close_joint_plan(
        &self,
        ctx: &Context<'_>,
        input: PlanVersionInput,
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
