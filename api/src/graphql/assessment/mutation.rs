//! The assessment mutations: `startAssessment`, `requestContributions`,
//! `contributeToAssessment` and `completeAssessment`, with their inputs and payloads.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::{ConcernLevel, InterventionIntensity, Pathway, Sensitivity};

use super::super::limits::{MaxChars, MaxItems};
use super::super::scalars::Date;
use super::super::{agency_ids, caller, config, db, ids, lead_agency_id};
use super::{Assessment, AssessmentContribution};
use crate::domain;
use crate::domain::masked::Masked;
use crate::error::IntoGql;

/// Input of `startAssessment`.
#[derive(InputObject)]
pub struct StartAssessmentInput {
    /// The global id of the child to assess (its case open).
    pub child_id: ID,
    /// The code of a framework of `assessmentFrameworks` that fits the child's age.
    #[graphql(validator(custom = "MaxChars::new(\"frameworkCode\", 40)"))]
    pub framework_code: String,
    /// The global id of the agency, on the case team, that leads the assessment.
    pub lead_agency_id: ID,
    /// The day it is due to be completed (from today to 366 days ahead).
    pub due_on: Date,
}

/// Result of `startAssessment`.
#[derive(SimpleObject)]
pub struct StartAssessmentPayload {
    /// The new assessment, `IN_PROGRESS`.
    pub assessment: Assessment,
}

/// Input of `requestContributions`.
#[derive(InputObject)]
pub struct RequestContributionsInput {
    /// The global id of the assessment (in progress).
    pub assessment_id: ID,
    /// Global ids of the case-team agencies asked (1 to 20).
    #[graphql(validator(custom = "MaxItems::new(\"agencyIds\", 20)"))]
    pub agency_ids: Vec<ID>,
    /// Codes of the domains of the assessment's framework they are asked about (1 to 20).
    #[graphql(validator(custom = "MaxItems::new(\"domains\", 20)"))]
    pub domains: Vec<String>,
}

/// Result of `requestContributions`.
#[derive(SimpleObject)]
pub struct RequestContributionsPayload {
    /// The assessment the contributions are for.
    pub assessment: Assessment,
    /// One contribution per agency and domain asked: new ones `REQUESTED`, earlier ones
    /// as they are.
    pub contributions: Vec<AssessmentContribution>,
}

/// Input of `contributeToAssessment`: one agency's knowledge of one domain.
#[derive(InputObject)]
pub struct ContributeToAssessmentInput {
    /// The global id of the contribution asked of the caller's agency.
    pub contribution_id: ID,
    /// What concerns the agency in this domain (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"concerns\", 10000)"))]
    pub concerns: String,
    /// What is going well in this domain (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"strengths\", 10000)"))]
    pub strengths: String,
    /// The agency's level of concern in this domain.
    pub level: ConcernLevel,
    /// Where the knowledge comes from: records, contacts, observations (at most 10,000
    /// characters).
    #[graphql(validator(custom = "MaxChars::new(\"sources\", 10000)"))]
    pub sources: String,
    /// Who may read it: `STANDARD` (the default, the whole case team) or `RESTRICTED`.
    #[graphql(default_with = "Sensitivity::Standard")]
    pub sensitivity: Sensitivity,
    /// Global ids of agencies (at most 50) that may also read a restricted contribution.
    #[graphql(default, validator(custom = "MaxItems::new(\"sharedWith\", 50)"))]
    pub shared_with: Vec<ID>,
    /// Why a contribution already given is amended (10 to 2,000 characters), kept in its
    /// `history` with the answer it replaces; required then, not kept on a first answer.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: Option<String>,
    /// The contribution's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `contributeToAssessment`.
#[derive(SimpleObject)]
pub struct ContributeToAssessmentPayload {
    /// The contribution as saved, `CONTRIBUTED`, with its new `version`.
    pub contribution: AssessmentContribution,
}

/// One need `completeAssessment` records.
#[derive(InputObject)]
pub struct NeedInput {
    /// The code of the framework domain it belongs to.
    #[graphql(validator(custom = "MaxChars::new(\"needs\", 40)"))]
    pub domain: String,
    /// The need, in a short statement (at most 2,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"needs\", 2000)"))]
    pub statement: String,
}

/// Input of `completeAssessment`.
#[derive(InputObject)]
pub struct CompleteAssessmentInput {
    /// The global id of the assessment (in progress).
    pub assessment_id: ID,
    /// The summary across domains (at most 20,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"formulation\", 20000)"))]
    pub formulation: String,
    /// The overall level of concern about harmful sexual behaviour.
    pub hsb_concern: ConcernLevel,
    /// The overall level of need.
    pub level_of_need: ConcernLevel,
    /// The pathway recommended.
    pub recommended_pathway: Pathway,
    /// The intensity of intervention recommended.
    pub intervention_intensity: InterventionIntensity,
    /// The needs identified (at most 50), each in a domain of the framework.
    #[graphql(validator(custom = "MaxItems::new(\"needs\", 50)"))]
    pub needs: Vec<NeedInput>,
    /// The assessment's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `completeAssessment`.
#[derive(SimpleObject)]
pub struct CompleteAssessmentPayload {
    /// The assessment, `COMPLETED`, with its needs.
    pub assessment: Assessment,
}

fn assessment_id(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    ids::decode_as(id, "Assessment", "assessmentId").gql()
}

/// Assessment mutations.
#[derive(Default)]
pub struct AssessmentMutation;

#[Object]
impl AssessmentMutation {
    /// Starts a joint assessment of a child (`AGENCY_LEAD` or `COORDINATOR` of the
    /// child's lead agency): the `ASSESSMENT_STARTED` milestone. The case team is told
    /// (`ASSESSMENT_STARTED`). One assessment per child is in progress at a time.
    async fn start_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child, the framework, the leading agency and the due day.")]
        input: StartAssessmentInput,
    ) -> async_graphql::Result<StartAssessmentPayload> {
        let start = domain::assessments::Start {
            child_id: ids::decode_as(&input.child_id, "Child", "childId").gql()?,
            framework_code: input.framework_code,
            lead_agency_id: ids::decode_as(&input.lead_agency_id, "Agency", "leadAgencyId")
                .gql()?,
            due_on: input.due_on.into(),
        };
        let (db, caller, config) = (db(ctx)?, caller(ctx)?, config(ctx)?);
        let saved = domain::retry::transient(|| {
            domain::assessments::start(db, caller, &config.frameworks, start.clone())
        })
        .await
        .gql()?;
        Ok(StartAssessmentPayload {
            assessment: Assessment(saved),
        })
    }

    /// Asks case-team agencies for their knowledge of named domains (`AGENCY_LEAD` or
    /// `COORDINATOR` of the agency leading the assessment). Each newly asked agency is
    /// told (`CONTRIBUTION_REQUESTED`) and finds the request in `myContributionRequests`.
    async fn request_contributions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment, the agencies asked and the domains.")]
        input: RequestContributionsInput,
    ) -> async_graphql::Result<RequestContributionsPayload> {
        let id = assessment_id(&input.assessment_id)?;
        let agencies = agency_ids(&input.agency_ids, "agencyIds")?;
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let (assessment, rows) = domain::retry::transient(|| {
            domain::assessments::contributions::request(db, caller, id, &agencies, &input.domains)
        })
        .await
        .gql()?;
        let lead = lead_agency_id(ctx, assessment.child_id).await?;
        Ok(RequestContributionsPayload {
            assessment: Assessment(assessment),
            contributions: rows
                .into_iter()
                .map(|row| AssessmentContribution(Masked::for_caller(caller, row, lead)))
                .collect(),
        })
    }

    /// Gives, or amends, the caller's agency's contribution to one domain (any case role
    /// of the agency asked) while the assessment is in progress. An amendment of a given
    /// answer takes a `reason` and must change something; the answer it replaces is kept
    /// in the contribution's `history`. The agency leading the assessment is told
    /// (`CONTRIBUTION_RECORDED`).
    async fn contribute_to_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contribution asked for and what the agency knows.")]
        input: ContributeToAssessmentInput,
    ) -> async_graphql::Result<ContributeToAssessmentPayload> {
        let contribution = domain::assessments::contributions::Contribution {
            contribution_id: ids::decode_as(
                &input.contribution_id,
                "AssessmentContribution",
                "contributionId",
            )
            .gql()?,
            concerns: input.concerns,
            strengths: input.strengths,
            level: input.level,
            sources: input.sources,
            sensitivity: input.sensitivity,
            shared_with: agency_ids(&input.shared_with, "sharedWith")?,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved = domain::retry::transient(|| {
            domain::assessments::contributions::contribute(db, caller, contribution.clone())
        })
        .await
        .gql()?;
        Ok(ContributeToAssessmentPayload {
            contribution: AssessmentContribution(Masked::recorded(saved)),
        })
    }

    /// Completes an assessment (`AGENCY_LEAD` or `COORDINATOR` of the agency leading it)
    /// with its formulation, overall levels, recommended pathway and intensity, and the
    /// needs identified: the `ASSESSMENT_COMPLETED` milestone. Unanswered contributions
    /// lapse; an assessment it supersedes becomes `SUPERSEDED`; the case team is told
    /// (`ASSESSMENT_COMPLETED`). A completed assessment never changes again.
    async fn complete_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment and its conclusions.")] input: CompleteAssessmentInput,
    ) -> async_graphql::Result<CompleteAssessmentPayload> {
        let completion = domain::assessments::Completion {
            assessment_id: assessment_id(&input.assessment_id)?,
            formulation: input.formulation,
            hsb_concern: input.hsb_concern,
            level_of_need: input.level_of_need,
            recommended_pathway: input.recommended_pathway,
            intervention_intensity: input.intervention_intensity,
            needs: input
                .needs
                .into_iter()
                .map(|need| domain::assessments::NewNeed {
                    domain: need.domain,
                    statement: need.statement,
                })
                .collect(),
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved = domain::retry::transient(|| {
            domain::assessments::complete(db, caller, completion.clone())
        })
        .await
        .gql()?;
        Ok(CompleteAssessmentPayload {
            assessment: Assessment(saved),
        })
    }
}
