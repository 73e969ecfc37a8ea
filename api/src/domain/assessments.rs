//! Joint assessment (`docs/product.md`): the lead agency assesses a child under a
//! framework of the policy file, gathers what the case team's agencies know per domain
//! ([`contributions`]), and completes it with a formulation, overall levels, a
//! recommended pathway and the needs it identified ([`needs`]), which plan actions then
//! address. Starting and completing are the `ASSESSMENT_STARTED` and
//! `ASSESSMENT_COMPLETED` milestones the deadlines read: the chronology entries are
//! written here, never by hand. A completed assessment is never edited; a reassessment
//! supersedes it and both stay readable.

pub mod contributions;
pub mod needs;
mod read;

pub use read::{
    by_ids, completed_within_timescale, current, get, in_progress, led_in_progress, of_children,
    read_audited,
};

use chrono::{Datelike, Duration, NaiveDate};
use entity::enums::{
    AssessmentStatus, ChildStatus, ChronologyKind, ConcernLevel, ContributionStatus,
    InterventionIntensity, Pathway, Sensitivity,
};
use entity::{assessment_contributions, assessment_needs, assessments};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::chronology::{self, NewEntry};
use super::op::{Operation, Write};
use super::outbox::{Event, EventKind};
use super::versioned::{self, Versioned};
use super::{Caller, Frameworks, case, new_id, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::timescales::dates;
use crate::timescales::deadlines::london_day;

const ASSESSMENT: Versioned<assessments::Entity> = Versioned {
    id: assessments::Column::Id,
    version: assessments::Column::Version,
    updated_at: assessments::Column::UpdatedAt,
    version_of: |assessment| assessment.version,
};

/// How far ahead an assessment may be due, in days.
pub const MAX_DUE_DAYS: i64 = 366;
/// The longest formulation.
pub const MAX_FORMULATION: usize = 20_000;
/// The longest need statement.
pub const MAX_NEED: usize = 2_000;
/// The most needs one assessment may identify.
pub const MAX_NEEDS: usize = 50;

/// The lock every write to a child's assessments takes, so that two cannot race.
fn lock_key(child_id: Uuid) -> String {
    format!("assessment:{child_id}")
}

/// A child's age in whole years on `day`.
fn age_on(date_of_birth: NaiveDate, day: NaiveDate) -> u32 {
    let years = u32::try_from(day.year() - date_of_birth.year()).unwrap_or(0);
    if years > 0 && dates::is_under(date_of_birth, years, day) {
        years - 1
    } else {
        years
    }
}

/// What `startAssessment` takes.
#[derive(Clone, Debug)]
pub struct Start {
    /// The child.
    pub child_id: Uuid,
    /// The framework's code.
    pub framework_code: String,
    /// The agency that leads the assessment (on the case team).
    pub lead_agency_id: Uuid,
    /// When it is due.
    pub due_on: NaiveDate,
}

/// `startAssessment`: an agency lead or coordinator of the child's lead agency starts an
/// assessment under a framework that fits the child's age, led by an agency of the case
/// team. It is the `ASSESSMENT_STARTED` milestone; a completed assessment of the child is
/// superseded by it once it completes.
#[tracing::instrument(skip_all, fields(child_id = %input.child_id))]
pub async fn start(
    db: &DatabaseConnection,
    caller: &Caller,
    frameworks: &Frameworks,
    input: Start,
) -> ApiResult<assessments::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::StartAssessment,
        Target::for_child(EntityType::Assessment, input.child_id),
    );
    let case = case::visible(&op, input.child_id).await?;
    op.authorize(policy::ensure_can_start_assessment(
        &caller.actor,
        &case.facts,
        case.lead_agency(),
    ))
    .await?;
    if case.child.status == ChildStatus::Closed {
        return Err(ApiError::validation("childId", "the case is closed"));
    }
    let Some(framework) = frameworks.find(input.framework_code.trim()) else {
        return Err(ApiError::validation(
            "frameworkCode",
            "is not an assessment framework of the policy (see assessmentFrameworks)",
        ));
    };
    let today = london_day(caller.now());
    let age = age_on(case.child.date_of_birth, today);
    if !framework.fits_age(age) {
        return Err(ApiError::validation(
            "frameworkCode",
            format!(
                "is for children aged {} to {}; this child is {age}",
                framework.min_age_years, framework.max_age_years
            ),
        ));
    }
    if !case.has_member(input.lead_agency_id) {
        return Err(ApiError::validation(
            "leadAgencyId",
            "must be an agency on the child's case team",
        ));
    }
    if input.due_on < today || input.due_on > today + Duration::days(MAX_DUE_DAYS) {
        return Err(ApiError::validation(
            "dueOn",
            format!("must be from today to {MAX_DUE_DAYS} days ahead"),
        ));
    }
    let child_id = case.child.id;
    let mut write = op.begin().await?;
    // The case team's lock first, as closing the case and changing the team take it: the
    // case cannot close, nor the leading agency leave, while the assessment starts.
    write.lock(&format!("case-team:{child_id}")).await?;
    write.lock(&lock_key(child_id)).await?;
    let now_case = case::load(write.txn(), case.child.clone()).await?;
    let status = entity::children::Entity::find_by_id(child_id)
        .one(write.txn())
        .await?
        .map(|child| child.status);
    if status != Some(ChildStatus::Open) {
        return Err(ApiError::validation("childId", "the case is closed"));
    }
    if !now_case.has_member(input.lead_agency_id) {
        return Err(ApiError::validation(
            "leadAgencyId",
            "must be an agency on the child's case team",
        ));
    }
    let of_child = assessments::Entity::find()
        .filter(assessments::Column::ChildId.eq(child_id))
        .order_by_desc(assessments::Column::StartedAt)
        .order_by_desc(assessments::Column::Id)
        .all(write.txn())
        .await?;
    if of_child
        .iter()
        .any(|a| a.status == AssessmentStatus::InProgress)
    {
        return Err(ApiError::validation(
            "childId",
            "an assessment of this child is already in progress",
        ));
    }
    let supersedes = of_child
        .iter()
        .find(|a| a.status == AssessmentStatus::Completed)
        .map(|a| a.id);
    let id = new_id();
    let row = assessments::ActiveModel {
        id: Set(id),
        child_id: Set(child_id),
        framework_code: Set(framework.code.clone()),
        framework_version: Set(framework.version.clone()),
        framework_name: Set(framework.name.clone()),
        framework_min_age: Set(i32::try_from(framework.min_age_years).unwrap_or(0)),
        framework_max_age: Set(i32::try_from(framework.max_age_years).unwrap_or(0)),
        domains: Set(framework.domain_list()),
        lead_agency_id: Set(input.lead_agency_id),
        started_by: Set(caller.actor.subject.clone()),
        started_at: Set(caller.now()),
        due_on: Set(input.due_on),
        status: Set(AssessmentStatus::InProgress),
        supersedes_id: Set(supersedes),
        formulation: Set(None),
        hsb_concern: Set(None),
        level_of_need: Set(None),
        recommended_pathway: Set(None),
        intervention_intensity: Set(None),
        completed_by: Set(None),
        completed_at: Set(None),
        completed_on: Set(None),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    };
    write.audit_created_active(&row);
    assessments::Entity::insert(row)
        .exec_without_returning(write.txn())
        .await?;
    milestone(
        &write,
        child_id,
        ChronologyKind::AssessmentStarted,
        format!("Assessment started: {}", framework.name),
    )
    .await?;
    write
        .emit(Event {
            kind: EventKind::AssessmentStarted,
            plan_id: None,
            child_id: Some(child_id),
            audience: vec![],
            summary: "A joint assessment of a child on your case team was started".into(),
            payload: json!({ "assessmentId": id }),
        })
        .await?;
    write.audit_row(id);
    write.commit().await?;
    get(db, id).await
}

/// Records the milestone the deadlines read, as part of the assessment's operation.
async fn milestone(
    write: &Write<'_>,
    child_id: Uuid,
    kind: ChronologyKind,
    summary: String,
) -> ApiResult<()> {
    chronology::insert(
        write,
        NewEntry {
            child_id,
            behaviour_id: None,
            kind,
            occurred_at: write.caller().now(),
            summary,
            sensitivity: Sensitivity::Standard,
            shared_with: vec![],
        },
    )
    .await
    .map(|_| ())
}

/// One need as `completeAssessment` takes it.
#[derive(Clone, Debug)]
pub struct NewNeed {
    /// The domain's code.
    pub domain: String,
    /// The need, in a short statement.
    pub statement: String,
}

/// What `completeAssessment` takes.
#[derive(Clone, Debug)]
pub struct Completion {
    /// The assessment.
    pub assessment_id: Uuid,
    /// The summary across domains.
    pub formulation: String,
    /// Overall concern about harmful sexual behaviour.
    pub hsb_concern: ConcernLevel,
    /// Overall level of need.
    pub level_of_need: ConcernLevel,
    /// The pathway recommended.
    pub recommended_pathway: Pathway,
    /// The intensity of intervention recommended.
    pub intervention_intensity: InterventionIntensity,
    /// The needs identified.
    pub needs: Vec<NewNeed>,
    /// The version the client read.
    pub expected_version: i32,
}

/// An assessment the caller may see (its child is visible), or the audited `NOT_FOUND`
/// of `op`; with the operation aimed at it.
async fn visible_assessment<'a>(
    op: Operation<'a>,
    id: Uuid,
) -> ApiResult<(Operation<'a>, assessments::Model, case::Case)> {
    let found = assessments::Entity::find_by_id(id).one(op.db).await?;
    let Some(assessment) = found else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let op = op.on(Target::for_child(EntityType::Assessment, assessment.child_id).with_id(id));
    let case = case::visible(&op, assessment.child_id).await?;
    Ok((op, assessment, case))
}

/// Refuses a change to an assessment that is no longer in progress.
fn ensure_in_progress(assessment: &assessments::Model, field: &str) -> ApiResult<()> {
    if assessment.status == AssessmentStatus::InProgress {
        Ok(())
    } else {
        Err(ApiError::validation(
            field,
            "the assessment is completed and can no longer change",
        ))
    }
}

/// The codes of an assessment's domains.
fn domain_codes(assessment: &assessments::Model) -> Vec<&str> {
    assessment
        .domains
        .0
        .iter()
        .map(|domain| domain.code.as_str())
        .collect()
}

/// `completeAssessment`: an agency lead or coordinator of the agency leading the
/// assessment writes the formulation, the overall levels, the recommended pathway and
/// intensity, and the needs identified. It is the `ASSESSMENT_COMPLETED` milestone;
/// contributions still unanswered lapse, and an assessment it supersedes is marked so.
#[tracing::instrument(skip_all, fields(assessment_id = %input.assessment_id))]
pub async fn complete(
    db: &DatabaseConnection,
    caller: &Caller,
    input: Completion,
) -> ApiResult<assessments::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::CompleteAssessment,
        Target::row(EntityType::Assessment, input.assessment_id),
    );
    let (op, assessment, case) = visible_assessment(op, input.assessment_id).await?;
    op.authorize(policy::ensure_can_run_assessment(
        &caller.actor,
        &case.facts,
        assessment.lead_agency_id,
    ))
    .await?;
    ensure_in_progress(&assessment, "assessmentId")?;
    versioned::check(input.expected_version, assessment.version)?;
    let formulation = required_text("formulation", &input.formulation, MAX_FORMULATION)?;
    if input.needs.len() > MAX_NEEDS {
        return Err(ApiError::validation(
            "needs",
            format!("at most {MAX_NEEDS} needs"),
        ));
    }
    let codes = domain_codes(&assessment);
    let mut needs = Vec::with_capacity(input.needs.len());
    for need in &input.needs {
        let domain = need.domain.trim();
        if !codes.contains(&domain) {
            return Err(ApiError::validation(
                "needs",
                format!("{domain:?} is not a domain of this assessment's framework"),
            ));
        }
        needs.push((
            domain.to_owned(),
            required_text("needs", &need.statement, MAX_NEED)?,
        ));
    }
    let child_id = assessment.child_id;
    let mut write = op.begin().await?;
    write.lock(&lock_key(child_id)).await?;
    let saved = ASSESSMENT
        .save(
            write.txn(),
            assessment.id,
            input.expected_version,
            caller.now(),
            assessments::ActiveModel {
                status: Set(AssessmentStatus::Completed),
                formulation: Set(Some(formulation)),
                hsb_concern: Set(Some(input.hsb_concern)),
                level_of_need: Set(Some(input.level_of_need)),
                recommended_pathway: Set(Some(input.recommended_pathway)),
                intervention_intensity: Set(Some(input.intervention_intensity)),
                completed_by: Set(Some(caller.actor.subject.clone())),
                completed_at: Set(Some(caller.now())),
                completed_on: Set(Some(london_day(caller.now()))),
                ..Default::default()
            },
        )
        .await?;
    write.audit_diff::<assessments::Entity>(&assessment, &saved);
    // The version guard above passed only if nothing completed it meanwhile.
    if !needs.is_empty() {
        let rows = needs
            .into_iter()
            .enumerate()
            .map(
                |(position, (domain, statement))| assessment_needs::ActiveModel {
                    id: Set(new_id()),
                    assessment_id: Set(assessment.id),
                    child_id: Set(child_id),
                    domain: Set(domain),
                    statement: Set(statement),
                    position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                    created_at: Set(caller.now()),
                    updated_at: Set(caller.now()),
                },
            );
        assessment_needs::Entity::insert_many(rows)
            .exec_without_returning(write.txn())
            .await?;
    }
    assessment_contributions::Entity::update_many()
        .set(assessment_contributions::ActiveModel {
            status: Set(ContributionStatus::Lapsed),
            updated_at: Set(caller.now()),
            ..Default::default()
        })
        .filter(assessment_contributions::Column::AssessmentId.eq(assessment.id))
        .filter(assessment_contributions::Column::Status.eq(ContributionStatus::Requested))
        .exec(write.txn())
        .await?;
    if let Some(earlier) = assessment.supersedes_id {
        assessments::Entity::update_many()
            .set(assessments::ActiveModel {
                status: Set(AssessmentStatus::Superseded),
                updated_at: Set(caller.now()),
                ..Default::default()
            })
            .col_expr(
                assessments::Column::Version,
                Expr::col(assessments::Column::Version).add(1),
            )
            .filter(assessments::Column::Id.eq(earlier))
            .filter(assessments::Column::Status.eq(AssessmentStatus::Completed))
            .exec(write.txn())
            .await?;
    }
    milestone(
        &write,
        child_id,
        ChronologyKind::AssessmentCompleted,
        format!("Assessment completed: {}", assessment.framework_name),
    )
    .await?;
    write
        .emit(Event {
            kind: EventKind::AssessmentCompleted,
            plan_id: None,
            child_id: Some(child_id),
            audience: vec![],
            summary: "A joint assessment of a child on your case team was completed".into(),
            payload: json!({ "assessmentId": assessment.id }),
        })
        .await?;
    write.commit().await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn age_counts_whole_years_and_turns_on_the_birthday() {
        assert_eq!(age_on(day(2012, 6, 15), day(2026, 6, 14)), 13);
        assert_eq!(age_on(day(2012, 6, 15), day(2026, 6, 15)), 14);
        assert_eq!(age_on(day(2008, 2, 29), day(2026, 2, 28)), 17);
        assert_eq!(age_on(day(2008, 2, 29), day(2026, 3, 1)), 18);
        assert_eq!(age_on(day(2026, 1, 1), day(2026, 12, 6)), 0);
        assert_eq!(age_on(day(2027, 1, 1), day(2026, 12, 6)), 0);
    }
}
