//! Corrections with history of a joint plan's records: `amendJointPlan`,
//! `amendPlanAction` and `amendPlanReview`. Each replaced version is listed in the
//! record's `history` (`RecordVersion`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::Pathway;

use super::action::PlanAction;
use super::limits::{MaxChars, MaxItems};
use super::plan::{JointPlan, PlanReview};
use super::scalars::Date;
use super::{agency_ids, caller, db, ids};
use crate::domain::{self, amendments};
use crate::error::IntoGql;

/// Input of `amendJointPlan`: the corrections to a plan. Every field but `planId`,
/// `reason` and `expectedVersion` is optional; absent means unchanged.
#[derive(InputObject)]
pub struct AmendJointPlanInput {
    /// The global id of the joint plan to amend (a closed plan too).
    pub plan_id: ID,
    /// The corrected title (at most 200 characters).
    #[graphql(validator(custom = "MaxChars::new(\"title\", 200)"))]
    pub title: Option<String>,
    /// The corrected statutory route; the deadlines follow it.
    pub pathway: Option<Pathway>,
    /// The corrected risk summary (at most 10,000 characters; empty clears it).
    #[graphql(validator(custom = "MaxChars::new(\"riskSummary\", 10000)"))]
    pub risk_summary: Option<String>,
    /// The corrected day the next review is due: only for an active plan that has held a
    /// review, after that review and within ten years of it; the review that set the date
    /// is corrected with it.
    pub next_review_due: Option<Date>,
    /// Why the plan is corrected (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The plan's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `amendJointPlan`.
#[derive(SimpleObject)]
pub struct AmendJointPlanPayload {
    /// The plan as amended (`amended` true, the old values in `history`).
    pub joint_plan: JointPlan,
}

/// Input of `amendPlanAction`: the corrections to an action (its kind and assigned agency
/// never change). Every field but `actionId`, `reason` and `expectedVersion` is optional.
#[derive(InputObject)]
pub struct AmendPlanActionInput {
    /// The global id of the plan action to amend (its plan not closed).
    pub action_id: ID,
    /// The corrected account of what is to be done (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"description\", 10000)"))]
    pub description: Option<String>,
    /// The corrected day by which it should be done (from today to ten years ahead).
    pub due_on: Option<Date>,
    /// Why the action is amended (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The action's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `amendPlanAction`.
#[derive(SimpleObject)]
pub struct AmendPlanActionPayload {
    /// The action as amended.
    pub action: PlanAction,
}

/// Input of `amendPlanReview`: the corrections to a review. Every field but `reviewId`,
/// `reason` and `expectedVersion` is optional; absent means unchanged.
#[derive(InputObject)]
pub struct AmendPlanReviewInput {
    /// The global id of the plan review to amend.
    pub review_id: ID,
    /// The corrected day the review was held (not before the plan went live, before the
    /// next review it set, and in its place among the plan's reviews).
    pub held_on: Option<Date>,
    /// The corrected account of what the review found and decided (at most 10,000
    /// characters).
    #[graphql(validator(custom = "MaxChars::new(\"summary\", 10000)"))]
    pub summary: Option<String>,
    /// Global ids of the agencies that attended, the whole list (at most 50).
    #[graphql(validator(custom = "MaxItems::new(\"attendingAgencyIds\", 50)"))]
    pub attending_agency_ids: Option<Vec<ID>>,
    /// Why the review is amended (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The review's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `amendPlanReview`.
#[derive(SimpleObject)]
pub struct AmendPlanReviewPayload {
    /// The review as amended.
    pub review: PlanReview,
}

/// Corrections of a joint plan's records.
#[derive(Default)]
pub struct PlanAmendmentMutation;

#[Object]
impl PlanAmendmentMutation {
    /// Corrects a plan's title, pathway, risk summary or next review date (`COORDINATOR`
    /// of the plan's lead agency), a closed plan's too; the replaced values are kept in
    /// its `history` with the reason.
    async fn amend_joint_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: AmendJointPlanInput,
    ) -> async_graphql::Result<AmendJointPlanPayload> {
        let changes = amendments::PlanChanges {
            plan_id: ids::decode_as(&input.plan_id, "JointPlan", "planId").gql()?,
            title: input.title,
            pathway: input.pathway,
            risk_summary: input.risk_summary,
            next_review_due: input.next_review_due.map(Into::into),
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let plan =
            domain::retry::transient(|| amendments::amend_joint_plan(db, caller, changes.clone()))
                .await
                .gql()?;
        Ok(AmendJointPlanPayload {
            joint_plan: JointPlan(plan),
        })
    }

    /// Corrects an action's description or due date (a case role of the assigned agency,
    /// or a `COORDINATOR` of the plan's lead agency); its kind and assigned agency, which
    /// decide its consultations, never change. The replaced values are kept in its
    /// `history`.
    async fn amend_plan_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: AmendPlanActionInput,
    ) -> async_graphql::Result<AmendPlanActionPayload> {
        let changes = amendments::ActionChanges {
            action_id: ids::decode_as(&input.action_id, "PlanAction", "actionId").gql()?,
            description: input.description,
            due_on: input.due_on.map(Into::into),
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let action =
            domain::retry::transient(|| amendments::amend_plan_action(db, caller, changes.clone()))
                .await
                .gql()?;
        Ok(AmendPlanActionPayload {
            action: PlanAction(action),
        })
    }

    /// Corrects when a review was held, what it found or who attended (`COORDINATOR` of
    /// the plan's lead agency); the review's `PLAN_REVIEW` chronology entry is corrected
    /// with it, and the replaced values of both are kept in their `history`.
    async fn amend_plan_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: AmendPlanReviewInput,
    ) -> async_graphql::Result<AmendPlanReviewPayload> {
        let changes = amendments::ReviewChanges {
            review_id: ids::decode_as(&input.review_id, "PlanReview", "reviewId").gql()?,
            held_on: input.held_on.map(Into::into),
            summary: input.summary,
            attending_agencies: input
                .attending_agency_ids
                .map(|ids| agency_ids(&ids, "attendingAgencyIds"))
                .transpose()?,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let review =
            domain::retry::transient(|| amendments::amend_plan_review(db, caller, changes.clone()))
                .await
                .gql()?;
        Ok(AmendPlanReviewPayload {
            review: PlanReview(review),
        })
    }
}
