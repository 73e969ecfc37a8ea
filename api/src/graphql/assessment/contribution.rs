//! `AssessmentContribution`: one agency's answer for one domain, masked like a
//! restricted entry, with the history of its amendments.

use async_graphql::{Context, Description, ID, Object};
use entity::assessment_contributions;
use entity::enums::{ConcernLevel, ContributionStatus, Sensitivity};

use super::super::agency::Agency;
use super::super::amendment::{self, RecordVersion};
use super::super::limits::size;
use super::super::scalars::DateTime;
use super::super::{agencies_by_ids, agency_by_id, ids};
use super::{Assessment, AssessmentDomain, assessment_by_id, domain_of};
use crate::domain::masked::Masked;

/// What one agency knows about one domain of an assessment: asked for, then given, and
/// amendable by that agency until the assessment completes, each amendment keeping the
/// answer it replaced in `history`. A restricted contribution
/// follows the rule for restricted entries: to agencies other than the contributing
/// agency, those it is shared with and the child's lead agency, its content is `null`
/// and `restricted` is true.
#[derive(Description)]
pub struct AssessmentContribution(pub Masked<assessment_contributions::Model>);

impl AssessmentContribution {
    fn row(&self) -> &assessment_contributions::Model {
        self.0.row()
    }
}

#[Object(use_type_description)]
impl AssessmentContribution {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("AssessmentContribution", self.row().id)
    }
    /// The assessment it contributes to.
    async fn assessment(&self, ctx: &Context<'_>) -> async_graphql::Result<Assessment> {
        Ok(Assessment(
            assessment_by_id(ctx, self.row().assessment_id).await?,
        ))
    }
    /// The agency asked, which records (and always reads) the contribution.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.row().agency_id).await
    }
    /// The domain it is about.
    async fn domain(&self, ctx: &Context<'_>) -> async_graphql::Result<AssessmentDomain> {
        let assessment = assessment_by_id(ctx, self.row().assessment_id).await?;
        Ok(domain_of(&assessment.domains.0, &self.row().domain))
    }
    /// `REQUESTED`, `CONTRIBUTED`, or `LAPSED` when still unanswered at completion.
    async fn status(&self) -> ContributionStatus {
        self.row().status
    }
    /// When it was asked for.
    async fn requested_at(&self) -> DateTime {
        self.row().requested_at.into()
    }
    /// When it was last given or amended; null until given.
    async fn contributed_at(&self) -> Option<DateTime> {
        self.row().contributed_at.map(Into::into)
    }
    /// Who may read the content: the case team (`STANDARD`) or only some agencies
    /// (`RESTRICTED`).
    async fn sensitivity(&self) -> Sensitivity {
        self.row().sensitivity
    }
    /// True when the content is withheld from the caller: ask the contributing agency
    /// with `requestDisclosure`.
    async fn restricted(&self) -> bool {
        self.0.restricted()
    }
    /// What concerns the agency in this domain; null when withheld or not yet given.
    async fn concerns(&self) -> Option<&str> {
        self.0.content().and_then(|c| c.concerns.as_deref())
    }
    /// What is going well in this domain; null when withheld or not yet given.
    async fn strengths(&self) -> Option<&str> {
        self.0.content().and_then(|c| c.strengths.as_deref())
    }
    /// The agency's level of concern in this domain; null when withheld or not yet given.
    async fn level(&self) -> Option<ConcernLevel> {
        self.0.content().and_then(|c| c.level)
    }
    /// Where the agency's knowledge comes from; null when withheld or not yet given.
    async fn sources(&self) -> Option<&str> {
        self.0.content().and_then(|c| c.sources.as_deref())
    }
    /// The agencies besides the contributing and lead agencies that may read a restricted
    /// contribution; null when the content is withheld.
    #[graphql(complexity = "size::SHARED_WITH * child_complexity")]
    async fn shared_with(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<Agency>>> {
        let Some(row) = self.0.content() else {
            return Ok(None);
        };
        Ok(Some(agencies_by_ids(ctx, &row.shared_with.0).await?))
    }
    /// The record's version, raised by every change; `contributeToAssessment` takes the
    /// value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.row().version
    }
    /// Whether the given answer was ever amended (`contributeToAssessment` again, with a
    /// reason).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        amendment::amended(ctx, self.row().id).await
    }
    /// Every earlier answer, oldest first, with who amended it, when and why; the values
    /// and reasons under the contribution's own access rules (`null` when the caller may
    /// not read the content of the current or of that earlier answer).
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RecordVersion>> {
        let row = self.row();
        amendment::entry_history(ctx, &self.0, row.id, row.child_id).await
    }
}
