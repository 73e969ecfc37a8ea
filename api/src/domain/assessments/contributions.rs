//! Contributions to a joint assessment: the lead agency asks case-team agencies what they
//! know of named domains (`requestContributions`); each asked agency answers per domain
//! with concerns, strengths, a level and its sources (`contributeToAssessment`), and may
//! amend its answer until the assessment completes: an amendment takes a reason, and
//! the answer it replaces is kept in the contribution's history (`domain::amendments`).
//! A `RESTRICTED` contribution follows the rule for restricted entries (`docs/access.md`).

use entity::enums::{AgencyIds, ConcernLevel, ContributionStatus, Sensitivity};
use entity::{assessment_contributions, assessments};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::super::agencies::ensure_agencies_exist;
use super::super::amendments;
use super::super::audit::{AuditAction, EntityType, Target};
use super::super::op::Operation;
use super::super::outbox::{Event, EventKind};
use super::super::paging::{self, Page, PageRequest};
use super::super::versioned::{self, Versioned};
use super::super::{Caller, case, new_id, required_text, visible};
use super::{domain_codes, ensure_in_progress, lock_key, visible_assessment};
use crate::error::{ApiError, ApiResult};
use crate::policy;

const CONTRIBUTION: Versioned<assessment_contributions::Entity> = Versioned {
    id: assessment_contributions::Column::Id,
    version: assessment_contributions::Column::Version,
    updated_at: assessment_contributions::Column::UpdatedAt,
    version_of: |contribution| contribution.version,
};

/// The most agencies one request may ask.
pub const MAX_AGENCIES: usize = 20;
/// The most domains one request may name.
pub const MAX_DOMAINS: usize = 20;
/// The longest concerns, strengths or sources text.
pub const MAX_TEXT: usize = 10_000;

/// `requestContributions`: an agency lead or coordinator of the agency leading the
/// assessment asks agencies of the case team for their knowledge of named domains. One
/// contribution per agency and domain; one asked for already is returned as it is.
#[tracing::instrument(skip_all, fields(%assessment_id))]
pub async fn request(
    db: &DatabaseConnection,
    caller: &Caller,
    assessment_id: Uuid,
    agency_ids: &[Uuid],
    domains: &[String],
) -> ApiResult<(assessments::Model, Vec<assessment_contributions::Model>)> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::RequestContributions,
        Target::row(EntityType::Assessment, assessment_id),
    );
    let (op, assessment, case) = visible_assessment(op, assessment_id).await?;
    op.authorize(policy::ensure_can_run_assessment(
        &caller.actor,
        &case.facts,
        assessment.lead_agency_id,
    ))
    .await?;
    ensure_in_progress(&assessment, "assessmentId")?;
    let mut agencies: Vec<Uuid> = agency_ids.to_vec();
    agencies.sort_unstable();
    agencies.dedup();
    if agencies.is_empty() || agencies.len() > MAX_AGENCIES {
        return Err(ApiError::validation(
            "agencyIds",
            format!("name 1 to {MAX_AGENCIES} agencies"),
        ));
    }
    if let Some(off) = agencies.iter().find(|agency| !case.has_member(**agency)) {
        return Err(ApiError::validation(
            "agencyIds",
            format!("agency {off} is not on the child's case team"),
        ));
    }
    let codes = domain_codes(&assessment);
    if domains.iter().any(|d| d.chars().count() > 40) {
        return Err(ApiError::validation(
            "domains",
            "a domain code is at most 40 characters",
        ));
    }
    let mut asked: Vec<String> = domains.iter().map(|d| d.trim().to_owned()).collect();
    asked.sort_unstable();
    asked.dedup();
    if asked.is_empty() || asked.len() > MAX_DOMAINS {
        return Err(ApiError::validation(
            "domains",
            format!("name 1 to {MAX_DOMAINS} domains"),
        ));
    }
    if let Some(unknown) = asked.iter().find(|d| !codes.contains(&d.as_str())) {
        return Err(ApiError::validation(
            "domains",
            format!("{unknown:?} is not a domain of this assessment's framework"),
        ));
    }
    let write = op.begin().await?;
    write.lock(&lock_key(assessment.child_id)).await?;
    let current = super::get(write.txn(), assessment.id).await?;
    ensure_in_progress(&current, "assessmentId")?;
    let existing = assessment_contributions::Entity::find()
        .filter(assessment_contributions::Column::AssessmentId.eq(assessment.id))
        .filter(assessment_contributions::Column::AgencyId.is_in(agencies.clone()))
        .all(write.txn())
        .await?;
    let mut newly_asked = Vec::new();
    let mut rows = Vec::new();
    for agency in &agencies {
        for domain in &asked {
            let known = existing
                .iter()
                .any(|c| c.agency_id == *agency && c.domain == *domain);
            if known {
                continue;
            }
            if !newly_asked.contains(agency) {
                newly_asked.push(*agency);
            }
            rows.push(assessment_contributions::ActiveModel {
                id: Set(new_id()),
                assessment_id: Set(assessment.id),
                child_id: Set(assessment.child_id),
                agency_id: Set(*agency),
                domain: Set(domain.clone()),
                status: Set(ContributionStatus::Requested),
                requested_by: Set(caller.actor.subject.clone()),
                requested_at: Set(caller.now()),
                concerns: Set(None),
                strengths: Set(None),
                level: Set(None),
                sources: Set(None),
                sensitivity: Set(Sensitivity::Standard),
                shared_with: Set(AgencyIds(vec![])),
                contributed_by: Set(None),
                contributed_at: Set(None),
                version: Set(1),
                created_at: Set(caller.now()),
                updated_at: Set(caller.now()),
            });
        }
    }
    // Each contribution asked for is audited with its fields, as a row of its own.
    for row in &rows {
        let mut target = Target::for_child(EntityType::AssessmentContribution, assessment.child_id);
        if let Set(id) = row.id {
            target = target.with_id(id);
        }
        let created = super::super::changes::created_active(row);
        super::super::changes::record_also(
            &write,
            AuditAction::RequestContributions,
            target,
            &created,
        )
        .await?;
    }
    if !rows.is_empty() {
        assessment_contributions::Entity::insert_many(rows)
            .exec_without_returning(write.txn())
            .await?;
    }
    for agency in newly_asked {
        write
            .emit(Event {
                kind: EventKind::ContributionRequested,
                plan_id: None,
                // Addressed to the asked agency alone.
                child_id: None,
                audience: vec![agency],
                summary: "Your agency was asked to contribute to a joint assessment".into(),
                payload: json!({ "assessmentId": assessment.id }),
            })
            .await?;
    }
    write.commit().await?;
    let contributions = assessment_contributions::Entity::find()
        .filter(assessment_contributions::Column::AssessmentId.eq(assessment.id))
        .filter(assessment_contributions::Column::AgencyId.is_in(agencies))
        .filter(assessment_contributions::Column::Domain.is_in(asked))
        .order_by_asc(assessment_contributions::Column::Id)
        .all(db)
        .await?;
    Ok((assessment, contributions))
}

/// What `contributeToAssessment` takes.
#[derive(Clone, Debug)]
pub struct Contribution {
    /// The contribution asked for.
    pub contribution_id: Uuid,
    /// What concerns the agency.
    pub concerns: String,
    /// What is going well.
    pub strengths: String,
    /// The level of concern in this domain.
    pub level: ConcernLevel,
    /// Where the knowledge comes from.
    pub sources: String,
    /// Who may read it.
    pub sensitivity: Sensitivity,
    /// Agencies a restricted contribution is shared with.
    pub shared_with: Vec<Uuid>,
    /// Why a given contribution is amended (required then, not kept on a first answer).
    pub reason: Option<String>,
    /// The version the client read.
    pub expected_version: i32,
}

/// `contributeToAssessment`: a case role of the asked agency gives (or amends) its
/// contribution to one domain while the assessment is in progress; the agency leading
/// the assessment is told. Amending a given contribution takes a reason and must change
/// something; the answer it replaces goes to the contribution's history.
#[tracing::instrument(skip_all, fields(contribution_id = %input.contribution_id))]
pub async fn contribute(
    db: &DatabaseConnection,
    caller: &Caller,
    input: Contribution,
) -> ApiResult<assessment_contributions::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ContributeToAssessment,
        Target::row(EntityType::AssessmentContribution, input.contribution_id),
    );
    let found = assessment_contributions::Entity::find_by_id(input.contribution_id)
        .one(db)
        .await?;
    let Some(contribution) = found else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let op = op.on(
        Target::for_child(EntityType::AssessmentContribution, contribution.child_id)
            .with_id(contribution.id),
    );
    let case = case::visible(&op, contribution.child_id).await?;
    op.authorize(policy::ensure_can_contribute(
        &caller.actor,
        &case.facts,
        contribution.agency_id,
    ))
    .await?;
    let assessment = super::get(db, contribution.assessment_id).await?;
    ensure_in_progress(&assessment, "contributionId")?;
    versioned::check(input.expected_version, contribution.version)?;
    let concerns = required_text("concerns", &input.concerns, MAX_TEXT)?;
    let strengths = required_text("strengths", &input.strengths, MAX_TEXT)?;
    let sources = required_text("sources", &input.sources, MAX_TEXT)?;
    ensure_agencies_exist(db, &input.shared_with, "sharedWith").await?;
    if input
        .shared_with
        .iter()
        .any(|agency| !case.has_member(*agency))
    {
        return Err(ApiError::validation(
            "sharedWith",
            "a contribution is shared only with agencies on the child's case team",
        ));
    }
    let answer = assessment_contributions::Model {
        concerns: Some(concerns),
        strengths: Some(strengths),
        level: Some(input.level),
        sources: Some(sources),
        sensitivity: input.sensitivity,
        shared_with: AgencyIds(input.shared_with),
        ..contribution.clone()
    };
    let amendment =
        amendments::contribution_amendment(&contribution, &answer, input.reason.as_deref())?;
    let mut write = op.begin().await?;
    write.lock(&lock_key(contribution.child_id)).await?;
    let current = super::get(write.txn(), assessment.id).await?;
    ensure_in_progress(&current, "contributionId")?;
    let saved = CONTRIBUTION
        .save(
            write.txn(),
            contribution.id,
            input.expected_version,
            caller.now(),
            assessment_contributions::ActiveModel {
                status: Set(ContributionStatus::Contributed),
                concerns: Set(answer.concerns.clone()),
                strengths: Set(answer.strengths.clone()),
                level: Set(answer.level),
                sources: Set(answer.sources.clone()),
                sensitivity: Set(answer.sensitivity),
                shared_with: Set(answer.shared_with.clone()),
                contributed_by: Set(Some(caller.actor.subject.clone())),
                contributed_at: Set(Some(caller.now())),
                ..Default::default()
            },
        )
        .await?;
    if let Some(amendment) = amendment {
        amendments::record_contribution_version(&mut write, &contribution, amendment).await?;
    }
    write.audit_diff::<assessment_contributions::Entity>(&contribution, &saved);
    write
        .emit(Event {
            kind: EventKind::ContributionRecorded,
            plan_id: None,
            child_id: None,
            audience: vec![assessment.lead_agency_id],
            summary: "An agency contributed to a joint assessment your agency leads".into(),
            payload: json!({ "assessmentId": assessment.id, "contributionId": contribution.id }),
        })
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// The contributions to several assessments already found visible, in the order they
/// were asked for, for the request's loader.
pub async fn of_assessments(
    db: &DatabaseConnection,
    assessment_ids: &[Uuid],
) -> ApiResult<Vec<assessment_contributions::Model>> {
    Ok(assessment_contributions::Entity::find()
        .filter(
            assessment_contributions::Column::AssessmentId.is_in(assessment_ids.iter().copied()),
        )
        .order_by_asc(assessment_contributions::Column::Id)
        .all(db)
        .await?)
}

/// A contribution for `node(id:)`: `None` unless its child is readable (audited either
/// way).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<assessment_contributions::Model>> {
    visible::read_through_child_audited::<assessment_contributions::Entity>(
        db,
        caller,
        EntityType::AssessmentContribution,
        id,
        |contribution| contribution.child_id,
    )
    .await
}

/// `myContributionRequests`: the contributions asked of the caller's agency, oldest
/// first, for children whose case team it is still on.
pub async fn mine(
    db: &DatabaseConnection,
    caller: &Caller,
    status: Option<ContributionStatus>,
    page: PageRequest,
) -> ApiResult<Page<assessment_contributions::Model>> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ListContributionRequests,
        Target::of(EntityType::AssessmentContribution),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    let agency = caller.actor.agency_id;
    let mut query = assessment_contributions::Entity::find()
        .filter(assessment_contributions::Column::AgencyId.eq(agency))
        .filter(
            assessment_contributions::Column::ChildId
                .in_subquery(policy::case_team_children(agency)),
        );
    if let Some(status) = status {
        query = query.filter(assessment_contributions::Column::Status.eq(status));
    }
    let page = paging::fetch(db, query, assessment_contributions::Column::Id, page).await?;
    let children: Vec<Uuid> = page.items.iter().map(|c| c.child_id).collect();
    super::super::audit::record_child_reads(db, caller, &children).await?;
    Ok(page)
}
