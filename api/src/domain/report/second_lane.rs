//! The report's second lane of statements (`strategic_report` runs it beside the first):
//! referrals, the milestone durations and the plans followed by a recurrence.

use sea_orm::DatabaseBackend;

use super::{Breakdown, Durations, Sql};
use crate::error::{ApiError, ApiResult};

/// The figures the report's second lane reads: referrals, the durations and recurrence.
pub(super) struct SecondLane {
    pub(super) referrals: Breakdown,
    pub(super) disclosure_to_strategy_discussion: Durations,
    pub(super) disclosure_to_outcome: Durations,
    pub(super) referral_to_assessment_completed: Durations,
    pub(super) closed: u64,
    pub(super) recurred: u64,
}

/// Reads the second lane's figures, one statement after another.
pub(super) async fn second_lane(sql: &Sql<'_>, kinds: &[String]) -> ApiResult<SecondLane> {
    let mut from_disclosure = sql
        .durations(
            "DISCLOSURE",
            &[
                &["STRATEGY_DISCUSSION"],
                &["OUTCOME", "OUT_OF_COURT_DISPOSAL", "NO_FURTHER_ACTION"],
            ],
        )
        .await?
        .into_iter();
    let (Some(disclosure_to_strategy_discussion), Some(disclosure_to_outcome)) =
        (from_disclosure.next(), from_disclosure.next())
    else {
        return Err(ApiError::Internal("missing duration figures".into()));
    };
    let referral_to_assessment_completed = sql
        .durations("REFERRAL", &[&["ASSESSMENT_COMPLETED"]])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("missing duration figures".into()))?;
    // Recurrence: a new behaviour, or the case reopening (by a new referral or behaviour),
    // within 12 months of the plan closing.
    let within_12_months = |at: &str| match sql.backend {
        DatabaseBackend::Postgres => {
            format!("{at} > p.closed_at AND {at} <= p.closed_at + INTERVAL '12 months'")
        }
        _ => format!(
            "julianday({at}) > julianday(p.closed_at) AND julianday({at}) <= julianday(p.closed_at, '+12 months')"
        ),
    };
    let recurrence_window = format!(
        "(EXISTS (SELECT 1 FROM behaviours b WHERE b.child_id = p.child_id
                  AND b.entered_in_error_at IS NULL AND {})
          OR EXISTS (SELECT 1 FROM chronology_entries r WHERE r.child_id = p.child_id
                     AND r.entered_in_error_at IS NULL AND r.kind = 'CASE_REOPENED' AND {}))",
        within_12_months("b.disclosed_at"),
        within_12_months("r.occurred_at"),
    );
    let closed = sql
        .scalar(
            "SELECT COUNT(*) FROM joint_plans p WHERE p.closed_at >= :from AND p.closed_at < :to",
        )
        .await?;
    let recurred = sql
        .scalar(&format!(
            "SELECT COUNT(*) FROM joint_plans p WHERE p.closed_at >= :from AND p.closed_at < :to
               AND {recurrence_window}"
        ))
        .await?;
    let referrals = sql
        .breakdown(
            "SELECT a.kind, COUNT(*) FROM chronology_entries e JOIN agencies a ON a.id = e.agency_id
              WHERE e.kind = 'REFERRAL' AND e.occurred_at >= :from AND e.occurred_at < :to
                AND e.entered_in_error_at IS NULL GROUP BY a.kind",
            kinds,
        )
        .await?;
    Ok(SecondLane {
        referrals,
        disclosure_to_strategy_discussion,
        disclosure_to_outcome,
        referral_to_assessment_completed,
        closed,
        recurred,
    })
}
