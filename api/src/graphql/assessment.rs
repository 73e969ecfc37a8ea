//! Joint assessment (`docs/product.md`): `Assessment`, `AssessmentContribution`,
//! `AssessmentNeed`, the frameworks, `myContributionRequests`, and `startAssessment`,
//! `requestContributions`, `contributeToAssessment`, `completeAssessment`.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Description, ID, Object, SimpleObject};
use entity::enums::{
    AssessmentStatus, ConcernLevel, ContributionStatus, DomainEntry, InterventionIntensity, Pathway,
};
use entity::{assessment_needs, assessments};

use super::action::PlanAction;
use super::agency::Agency;
use super::child::Child;
use super::limits::size;
use super::paging::{self, ConnectionFields};
use super::scalars::{Date, DateTime};
use super::{agency_by_id, caller, config, db, ids, lead_agency_id};
use crate::domain;
use crate::domain::masked::Masked;
use crate::error::IntoGql;
use crate::timescales::frameworks;

mod contribution;
mod mutation;

pub use contribution::AssessmentContribution;
pub use mutation::AssessmentMutation;

/// A conceptual model an assessment is built on (reference data of the policy file):
/// its domains, and the ages it is for.
#[derive(SimpleObject)]
pub struct AssessmentFramework {
    /// The code `startAssessment` takes, e.g. `HSB_AIM3`.
    pub code: String,
    /// The version of the framework's definition; an assessment keeps the version it
    /// was started under.
    pub version: String,
    /// The framework's name.
    pub name: String,
    /// The youngest age it is for, in whole years on the day an assessment starts.
    pub min_age_years: i32,
    /// The oldest age it is for, inclusive.
    pub max_age_years: i32,
    /// Its domains, in the order they are presented.
    pub domains: Vec<AssessmentDomain>,
}

/// One domain of a framework: what contributions and needs are grouped by.
#[derive(SimpleObject, Clone)]
pub struct AssessmentDomain {
    /// The code contributions and needs name it by, e.g. `FAMILY`.
    pub code: String,
    /// The domain's name.
    pub name: String,
    /// The names of the dimensions the domain covers.
    pub dimensions: Vec<String>,
}

impl From<&DomainEntry> for AssessmentDomain {
    fn from(entry: &DomainEntry) -> Self {
        Self {
            code: entry.code.clone(),
            name: entry.name.clone(),
            dimensions: entry.dimensions.clone(),
        }
    }
}

impl From<&frameworks::Framework> for AssessmentFramework {
    fn from(framework: &frameworks::Framework) -> Self {
        Self {
            code: framework.code.clone(),
            version: framework.version.clone(),
            name: framework.name.clone(),
            min_age_years: i32::try_from(framework.min_age_years).unwrap_or(0),
            max_age_years: i32::try_from(framework.max_age_years).unwrap_or(0),
            domains: framework
                .domain_list()
                .0
                .iter()
                .map(AssessmentDomain::from)
                .collect(),
        }
    }
}

/// The domain of `code` among an assessment's domains (a placeholder named after the
/// code should a stored code ever be missing from them).
fn domain_of(domains: &[DomainEntry], code: &str) -> AssessmentDomain {
    domains
        .iter()
        .find(|domain| domain.code == code)
        .map(AssessmentDomain::from)
        .unwrap_or_else(|| AssessmentDomain {
            code: code.to_owned(),
            name: code.to_owned(),
            dimensions: vec![],
        })
}

/// An assessment already found visible (through a contribution or need), by id through
/// the request's loader.
async fn assessment_by_id(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<assessments::Model> {
    ctx.data::<super::loaders::Loaders>()?
        .assessment
        .load_one(id)
        .await
        .map_err(super::loaders::loader_error)?
        .ok_or(crate::error::ApiError::NotFound)
        .gql()
}

/// The rows of `key` through one of the request's per-parent loaders.
macro_rules! load_many {
    ($ctx:expr, $loader:ident, $key:expr) => {
        $ctx.data::<super::loaders::Loaders>()?
            .$loader
            .load_one($key)
            .await
            .map_err(super::loaders::loader_error)?
            .unwrap_or_default()
    };
}
pub(super) use load_many;

/// A joint assessment of a child under a framework, led by one agency of the case team:
/// started, fed by the agencies' contributions per domain, then completed with a
/// formulation, overall levels, a recommended pathway and intensity, and the needs it
/// identified. Visible to whoever may read the child; never edited after completion.
#[derive(Description)]
pub struct Assessment(pub assessments::Model);

#[Object(use_type_description)]
impl Assessment {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("Assessment", self.0.id)
    }
    /// The child assessed.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        super::visible_child(ctx, self.0.child_id).await
    }
    /// The framework as it was when the assessment started.
    async fn framework(&self) -> AssessmentFramework {
        AssessmentFramework {
            code: self.0.framework_code.clone(),
            version: self.0.framework_version.clone(),
            name: self.0.framework_name.clone(),
            min_age_years: self.0.framework_min_age,
            max_age_years: self.0.framework_max_age,
            domains: self
                .0
                .domains
                .0
                .iter()
                .map(AssessmentDomain::from)
                .collect(),
        }
    }
    /// The agency leading the assessment: it asks for contributions and completes it.
    async fn lead_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.lead_agency_id).await
    }
    /// `IN_PROGRESS`, `COMPLETED`, or `SUPERSEDED` by a later completed reassessment.
    async fn status(&self) -> AssessmentStatus {
        self.0.status
    }
    /// When it was started: the `ASSESSMENT_STARTED` milestone.
    async fn started_at(&self) -> DateTime {
        self.0.started_at.into()
    }
    /// The day it is due to be completed.
    async fn due_on(&self) -> Date {
        self.0.due_on.into()
    }
    /// When it was completed (the `ASSESSMENT_COMPLETED` milestone); null until then.
    async fn completed_at(&self) -> Option<DateTime> {
        self.0.completed_at.map(Into::into)
    }
    /// Whether it was completed on or before `dueOn` (London time); null until completed.
    async fn completed_within_timescale(&self) -> Option<bool> {
        domain::assessments::completed_within_timescale(&self.0)
    }
    /// The formulation: the lead agency's summary across domains; null until completed.
    async fn formulation(&self) -> Option<&str> {
        self.0.formulation.as_deref()
    }
    /// The overall level of concern about harmful sexual behaviour; null until completed.
    async fn hsb_concern(&self) -> Option<ConcernLevel> {
        self.0.hsb_concern
    }
    /// The overall level of need; null until completed.
    async fn level_of_need(&self) -> Option<ConcernLevel> {
        self.0.level_of_need
    }
    /// The pathway the assessment recommends; null until completed.
    async fn recommended_pathway(&self) -> Option<Pathway> {
        self.0.recommended_pathway
    }
    /// The intensity of intervention it recommends; null until completed.
    async fn intervention_intensity(&self) -> Option<InterventionIntensity> {
        self.0.intervention_intensity
    }
    /// The needs it identified, in its order; empty until completed.
    #[graphql(complexity = "size::NEEDS * child_complexity")]
    async fn needs(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AssessmentNeed>> {
        let rows = load_many!(ctx, needs, self.0.id);
        Ok(rows.into_iter().map(AssessmentNeed).collect())
    }
    /// Every contribution asked for, in the order asked; a restricted one's content is
    /// withheld from agencies that may not read it (`restricted`).
    #[graphql(complexity = "size::CONTRIBUTIONS * child_complexity")]
    async fn contributions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<AssessmentContribution>> {
        let rows = load_many!(ctx, contributions, self.0.id);
        let lead = lead_agency_id(ctx, self.0.child_id).await?;
        let caller = caller(ctx)?;
        Ok(rows
            .into_iter()
            .map(|row| AssessmentContribution(Masked::for_caller(caller, row, lead)))
            .collect())
    }
    /// The earlier completed assessment this one replaces, if any.
    async fn supersedes(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Assessment>> {
        match self.0.supersedes_id {
            Some(id) => Ok(Some(Assessment(assessment_by_id(ctx, id).await?))),
            None => Ok(None),
        }
    }
    /// The later reassessment that replaced this one, once it has completed.
    async fn superseded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Assessment>> {
        if self.0.status != AssessmentStatus::Superseded {
            return Ok(None);
        }
        let later = load_many!(ctx, assessments, self.0.child_id)
            .into_iter()
            .find(|a| a.supersedes_id == Some(self.0.id) && a.completed_at.is_some());
        Ok(later.map(Assessment))
    }
    /// The record's version, raised by every change; `completeAssessment` takes the value
    /// read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A need a completed assessment identified: a short statement in one domain, which plan
/// actions address.
#[derive(Description)]
pub struct AssessmentNeed(pub assessment_needs::Model);

#[Object(use_type_description)]
impl AssessmentNeed {
    /// The opaque global id; `addPlanAction` takes it in `addressesNeedIds`.
    pub async fn id(&self) -> ID {
        ids::encode("AssessmentNeed", self.0.id)
    }
    /// The assessment that identified it.
    async fn assessment(&self, ctx: &Context<'_>) -> async_graphql::Result<Assessment> {
        Ok(Assessment(
            assessment_by_id(ctx, self.0.assessment_id).await?,
        ))
    }
    /// The domain it belongs to.
    async fn domain(&self, ctx: &Context<'_>) -> async_graphql::Result<AssessmentDomain> {
        let assessment = assessment_by_id(ctx, self.0.assessment_id).await?;
        Ok(domain_of(&assessment.domains.0, &self.0.domain))
    }
    /// The need, in the assessment's words.
    async fn statement(&self) -> &str {
        &self.0.statement
    }
    /// The actions addressing it (not cancelled) of the plans the caller's agency reads.
    #[graphql(complexity = "size::ACTIONS * child_complexity")]
    async fn addressed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PlanAction>> {
        let rows = ctx
            .data::<super::loaders::Loaders>()?
            .actions_of_need(&caller(ctx)?.actor)
            .gql()?
            .load_one(self.0.id)
            .await
            .map_err(super::loaders::loader_error)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(PlanAction).collect())
    }
}

/// A need shown on a plan, with the plan's own actions (not cancelled) that address it;
/// an empty `actions` list marks a need the plan does not address.
#[derive(SimpleObject)]
pub struct PlanNeed {
    /// The need the assessment identified.
    pub need: AssessmentNeed,
    /// The actions of this plan that address it.
    pub actions: Vec<PlanAction>,
}

/// Assessment queries.
#[derive(Default)]
pub struct AssessmentQuery;

#[Object]
impl AssessmentQuery {
    /// The assessment frameworks in force (reference data of the policy file), for any
    /// authenticated caller.
    async fn assessment_frameworks(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<AssessmentFramework>> {
        caller(ctx)?;
        Ok(config(ctx)?
            .frameworks
            .0
            .iter()
            .map(AssessmentFramework::from)
            .collect())
    }

    /// The contributions asked of the caller's agency, oldest first, as a page (case
    /// roles), for children whose case team it is on: by default all of them, or only
    /// those in `status` (`REQUESTED` for the ones still to give).
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn my_contribution_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only contributions in this state; all when omitted.")] status: Option<
            ContributionStatus,
        >,
        #[graphql(desc = "How many to return: 20 when omitted, at most 100.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<
        Connection<String, AssessmentContribution, ConnectionFields, EmptyFields>,
    > {
        let request = paging::request(ctx, first, after, 20)?;
        let page =
            domain::assessments::contributions::mine(db(ctx)?, caller(ctx)?, status, request)
                .await
                .gql()?;
        // Every row is the caller's own agency's: it reads its own content.
        Ok(paging::connection(
            request,
            page,
            |c| c.id,
            |row| AssessmentContribution(Masked::recorded(row)),
        ))
    }
}
