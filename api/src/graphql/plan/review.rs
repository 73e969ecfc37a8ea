//! `PlanReview`: a review of a joint plan, with its corrections' history.

use async_graphql::{Context, Description, ID, Object};
use entity::plan_reviews;

use super::super::agency::Agency;
use super::super::amendment::{RecordVersion, amended, readable_history};
use super::super::limits::size;
use super::super::scalars::{Date, DateTime};
use super::super::{agencies_by_ids, ids};

/// A review of a joint plan, held by its members; recording one sets when the next
/// review is due.
#[derive(Description)]
pub struct PlanReview(pub plan_reviews::Model);

#[Object(use_type_description)]
impl PlanReview {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("PlanReview", self.0.id)
    }
    /// The day the review was held.
    async fn held_on(&self) -> Date {
        self.0.held_on.into()
    }
    /// The agencies that attended the review.
    #[graphql(complexity = "size::MEMBERS * child_complexity")]
    async fn attending_agencies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agency>> {
        agencies_by_ids(ctx, &self.0.attending_agencies.0).await
    }
    /// What the review found and decided.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The day the next review is due, as set by this review.
    async fn next_review_due(&self) -> Option<Date> {
        self.0.next_review_due.map(Into::into)
    }
    /// The token subject of the coordinator who recorded the review.
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by
    }
    /// The record's version, raised by every change; `amendPlanReview` takes the value
    /// read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the review was last changed (recorded, or amended).
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// Whether the review was ever amended (`amendPlanReview`, or the plan's next review
    /// date through `amendJointPlan`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        amended(ctx, self.0.id).await
    }
    /// Every earlier version of the review, oldest first, with who amended it, when and
    /// why (`attendingAgencies` in `values` by global id).
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RecordVersion>> {
        readable_history(ctx, self.0.id).await
    }
}
