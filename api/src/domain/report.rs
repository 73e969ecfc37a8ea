//! The strategic report (`docs/product.md`): partnership figures for a period, computed with
//! aggregate SQL, suppressed so that no child can be singled out, and carrying no
//! identifier of any child.

use std::collections::HashMap;

use chrono::{DateTime, Datelike as _, Utc};
use entity::enums::AgencyKind;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, Value};

use super::Caller;
use super::audit::{AuditAction, EntityType, Target};
use super::op::Operation;
use super::suppression::{self, Published};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// A published breakdown: the total and a cell per key.
#[derive(Clone, Debug)]
pub struct Breakdown {
    /// The total.
    pub total: Published,
    /// One cell per key, in a fixed order.
    pub cells: Vec<(String, Published)>,
}

/// Median and 90th percentile days between two milestones.
#[derive(Clone, Debug)]
pub struct Durations {
    /// How many pairs were measured.
    pub count: Published,
    /// Median days (average of the middle two for an even count).
    pub median_days: Option<f64>,
    /// 90th percentile days (nearest rank).
    pub p90_days: Option<f64>,
}

/// Deadlines met on time, for one agency kind.
#[derive(Clone, Debug)]
pub struct DeadlinePerformance {
    /// The kind of the answerable agencies.
    pub agency_kind: AgencyKind,
    /// How many deadlines fell due in the period.
    pub due: Published,
    /// The percentage met on time, unless withheld.
    pub met_percent: Option<f64>,
}

/// The whole report.
#[derive(Clone, Debug)]
pub struct Report {
    /// Start of the period (inclusive): the first instant of the month `from` fell in.
    pub from: DateTime<Utc>,
    /// End of the period (exclusive): `to`, or the first instant of the month after it.
    pub to: DateTime<Utc>,
    /// Referrals, by the referring agency's kind.
    pub referrals: Breakdown,
    /// Behaviours disclosed in the period, by traffic light.
    pub behaviours_by_traffic_light: Breakdown,
    /// The same behaviours by setting.
    pub behaviours_by_setting: Breakdown,
    /// The same behaviours by the recording agency's kind.
    pub behaviours_by_agency_kind: Breakdown,
    /// Escalated behaviours, by the recording agency's kind.
    pub escalations: Breakdown,
    /// Plans activated, by the lead agency's kind.
    pub plans_opened: Breakdown,
    /// Plans closed, by the lead agency's kind.
    pub plans_closed: Breakdown,
    /// Consultations objected to, by the consulted agency's kind.
    pub consultations_objected: Breakdown,
    /// Consultations overridden, by the consulted agency's kind.
    pub consultations_overridden: Breakdown,
    /// Disclosure to strategy discussion.
    pub disclosure_to_strategy_discussion: Durations,
    /// Disclosure to outcome.
    pub disclosure_to_outcome: Durations,
    /// Referral to completed assessment.
    pub referral_to_assessment_completed: Durations,
    /// Deadlines met on time, per agency kind.
    pub deadlines_met: Vec<DeadlinePerformance>,
    /// Plans closed in the period.
    pub recurrence_plans_closed: Published,
    /// Of those, how many saw a new behaviour within 12 months of closing.
    pub recurrence_followed_by_behaviour: Published,
    /// Joint assessment: completions, contributions, plans across agencies, needs.
    pub assessments: assessments::AssessmentFigures,
}

/// Every agency kind, in the design's order.
const ALL_KINDS: [AgencyKind; 11] = [
    AgencyKind::ChildrensSocialCare,
    AgencyKind::Police,
    AgencyKind::YouthJustice,
    AgencyKind::Education,
    AgencyKind::EducationalPsychology,
    AgencyKind::Health,
    AgencyKind::Camhs,
    AgencyKind::SecureEstate,
    AgencyKind::EarlyHelp,
    AgencyKind::SpecialistHsbService,
    AgencyKind::Other,
];

/// The stored name of an enum value.
fn name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Counts by key, published over `keys` (suppressed as [`suppression::breakdown`] says).
fn publish(counts: &HashMap<String, u64>, keys: &[String]) -> Breakdown {
    let values: Vec<u64> = keys
        .iter()
        .map(|k| counts.get(k).copied().unwrap_or_default())
        .collect();
    let (total, cells) = suppression::breakdown(&values);
    Breakdown {
        total,
        cells: keys.iter().cloned().zip(cells).collect(),
    }
}

/// How many of the period's behaviours share a traffic light, setting, recording agency
/// kind and escalation.
struct BehaviourGroup {
    light: String,
    setting: String,
    agency_kind: String,
    escalated: bool,
    count: u64,
}

/// The behaviour groups summed by one key, over those `keep` selects.
fn sum_by(
    groups: &[BehaviourGroup],
    key: impl Fn(&BehaviourGroup) -> &str,
    keep: impl Fn(&BehaviourGroup) -> bool,
) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    for group in groups.iter().filter(|g| keep(g)) {
        *out.entry(key(group).to_owned()).or_default() += group.count;
    }
    out
}

struct Sql<'a> {
    db: &'a DatabaseConnection,
    backend: DatabaseBackend,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Sql<'_> {
    /// Replaces `:from`/`:to` with the backend's numbered placeholders and binds them.
    fn statement(&self, sql: &str) -> Statement {
        let (from, to) = match self.backend {
            DatabaseBackend::Postgres => ("$1", "$2"),
            _ => ("?1", "?2"),
        };
        let sql = sql.replace(":from", from).replace(":to", to);
        Statement::from_sql_and_values(
            self.backend,
            sql,
            [Value::from(self.from), Value::from(self.to)],
        )
    }

    /// Days between two timestamp expressions, as a float.
    fn days(&self, finish: &str, start: &str) -> String {
        match self.backend {
            DatabaseBackend::Postgres => {
                format!(
                    "(CAST(EXTRACT(EPOCH FROM ({finish} - {start})) AS DOUBLE PRECISION) / 86400.0)"
                )
            }
            _ => format!("(julianday({finish}) - julianday({start}))"),
        }
    }

    /// `key, count` rows of a grouped count.
    async fn grouped(&self, sql: &str) -> ApiResult<HashMap<String, u64>> {
        let rows = self.db.query_all_raw(self.statement(sql)).await?;
        let mut out = HashMap::new();
        for row in rows {
            let key: String = row.try_get_by_index(0)?;
            let count: i64 = row.try_get_by_index(1)?;
            out.insert(key, u64::try_from(count).unwrap_or_default());
        }
        Ok(out)
    }

    /// A grouped count, published over `keys`.
    async fn breakdown(&self, sql: &str, keys: &[String]) -> ApiResult<Breakdown> {
        Ok(publish(&self.grouped(sql).await?, keys))
    }

    /// The period's behaviours counted once by every key the report breaks them down by
    /// (a few hundred groups at most), so that the table is read once, not four times.
    async fn behaviour_groups(&self) -> ApiResult<Vec<BehaviourGroup>> {
        let rows = self
            .db
            .query_all_raw(self.statement(
                "SELECT b.traffic_light, b.setting, a.kind, b.escalated, COUNT(*)
                   FROM behaviours b JOIN agencies a ON a.id = b.agency_id
                  WHERE b.disclosed_at >= :from AND b.disclosed_at < :to
                    AND b.entered_in_error_at IS NULL
                  GROUP BY b.traffic_light, b.setting, a.kind, b.escalated",
            ))
            .await?;
        let mut groups = Vec::with_capacity(rows.len());
        for row in rows {
            let count: i64 = row.try_get_by_index(4)?;
            groups.push(BehaviourGroup {
                light: row.try_get_by_index(0)?,
                setting: row.try_get_by_index(1)?,
                agency_kind: row.try_get_by_index(2)?,
                escalated: row.try_get_by_index(3)?,
                count: u64::try_from(count).unwrap_or_default(),
            });
        }
        Ok(groups)
    }

    async fn scalar(&self, sql: &str) -> ApiResult<u64> {
        let row = self.db.query_one_raw(self.statement(sql)).await?;
        let count: i64 = match row {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        Ok(u64::try_from(count).unwrap_or_default())
    }
}

/// The longest period a report may cover.
const MAX_DAYS: i64 = 3700;

/// The first instant (UTC) of the calendar month `at` falls in; with `up`, of the next
/// month unless `at` is that first instant. `None` past the calendar's end.
///
/// A report covers whole months, widened from the period asked for. Suppression hides
/// a count from 1 to 4 in one report, but two reports whose periods differ by a moment
/// would show, by subtraction, the one behaviour (its traffic light, setting, agency
/// kind and time) that fell in between; with whole months, what two reports can differ
/// by is a month's figures.
fn month_start(at: DateTime<Utc>, up: bool) -> Option<DateTime<Utc>> {
    let first = at.date_naive().with_day(1)?.and_hms_opt(0, 0, 0)?.and_utc();
    if up && first < at {
        first.checked_add_months(chrono::Months::new(1))
    } else {
        Some(first)
    }
}

/// `strategicReport(from, to)`: for the strategic analyst only. The check and its audit
/// row use the primary `db`; the aggregates read `read` (a replica, or the primary again).
#[tracing::instrument(skip_all)]
pub async fn strategic_report(
    db: &DatabaseConnection,
    read: &DatabaseConnection,
    caller: &Caller,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Report> {
    Operation::new(
        db,
        caller,
        AuditAction::ReadStrategicReport,
        Target::of(EntityType::StrategicReport),
    )
    .authorize(policy::ensure_analyst(&caller.actor))
    .await?;
    if to <= from {
        return Err(ApiError::validation("to", "must be after from"));
    }
    let Some(from) = month_start(from, false) else {
        return Err(ApiError::validation(
            "from",
            "must be a time in a calendar month",
        ));
    };
    // The answer's `to` must still be a date-time clients can read: year 9999 at most.
    let Some(to) = month_start(to, true).filter(|to| to.year() <= 9999) else {
        return Err(ApiError::validation("to", "must be before December 9999"));
    };
    if (to - from).num_days() > MAX_DAYS {
        return Err(ApiError::LimitExceeded(format!(
            "a report covers at most {MAX_DAYS} days, whole months"
        )));
    }
    let sql = Sql {
        db: read,
        backend: read.get_database_backend(),
        from,
        to,
    };
    let kinds: Vec<String> = ALL_KINDS.iter().map(|k| name(*k)).collect();
    let lights: Vec<String> = ["GREEN", "AMBER", "RED"].map(String::from).to_vec();
    let settings: Vec<String> = [
        "HOME",
        "SCHOOL",
        "COMMUNITY",
        "ONLINE",
        "CARE_PLACEMENT",
        "CUSTODY",
        "OTHER",
    ]
    .map(String::from)
    .to_vec();
    // Two lanes of statements at once, each on its own connection, so a report waits for
    // about half its SQL; at most two connections per report, so a burst of reports cannot
    // take the whole pool from the other callers.
    let (first, second) = tokio::try_join!(
        async {
            let behaviours = sql.behaviour_groups().await?;
            let assessments = assessments::figures(&sql, &kinds).await?;
            let plans_opened = sql
                .breakdown(
                    "SELECT a.kind, COUNT(*) FROM joint_plans p JOIN agencies a ON a.id = p.lead_agency_id
                      WHERE p.activated_at >= :from AND p.activated_at < :to GROUP BY a.kind",
                    &kinds,
                )
                .await?;
            let plans_closed = sql
                .breakdown(
                    "SELECT a.kind, COUNT(*) FROM joint_plans p JOIN agencies a ON a.id = p.lead_agency_id
                      WHERE p.closed_at >= :from AND p.closed_at < :to GROUP BY a.kind",
                    &kinds,
                )
                .await?;
            let consultations_objected = sql
                .breakdown(
                    "SELECT a.kind, COUNT(*) FROM consultations c JOIN agencies a ON a.id = c.agency_id
                      WHERE c.responded_at >= :from AND c.responded_at < :to AND c.status IN ('OBJECTED', 'OVERRIDDEN')
                      GROUP BY a.kind",
                    &kinds,
                )
                .await?;
            let consultations_overridden = sql
                .breakdown(
                    "SELECT a.kind, COUNT(*) FROM consultations c JOIN agencies a ON a.id = c.agency_id
                      WHERE c.overridden_at >= :from AND c.overridden_at < :to GROUP BY a.kind",
                    &kinds,
                )
                .await?;
            let deadlines_met = deadline_performance(db, caller, from, to).await?;
            ApiResult::Ok(FirstLane {
                behaviours,
                assessments,
                plans_opened,
                plans_closed,
                consultations_objected,
                consultations_overridden,
                deadlines_met,
            })
        },
        second_lane(&sql, &kinds),
    )?;
    let (recurrence_total, recurrence_cells) = suppression::breakdown(&[
        second.recurred,
        second.closed - second.recurred.min(second.closed),
    ]);
    Ok(Report {
        from,
        to,
        referrals: second.referrals,
        behaviours_by_traffic_light: publish(
            &sum_by(&first.behaviours, |g| &g.light, |_| true),
            &lights,
        ),
        behaviours_by_setting: publish(
            &sum_by(&first.behaviours, |g| &g.setting, |_| true),
            &settings,
        ),
        behaviours_by_agency_kind: publish(
            &sum_by(&first.behaviours, |g| &g.agency_kind, |_| true),
            &kinds,
        ),
        escalations: publish(
            &sum_by(&first.behaviours, |g| &g.agency_kind, |g| g.escalated),
            &kinds,
        ),
        plans_opened: first.plans_opened,
        plans_closed: first.plans_closed,
        consultations_objected: first.consultations_objected,
        consultations_overridden: first.consultations_overridden,
        disclosure_to_strategy_discussion: second.disclosure_to_strategy_discussion,
        disclosure_to_outcome: second.disclosure_to_outcome,
        referral_to_assessment_completed: second.referral_to_assessment_completed,
        deadlines_met: first.deadlines_met,
        recurrence_plans_closed: recurrence_total,
        recurrence_followed_by_behaviour: recurrence_cells
            .first()
            .copied()
            .unwrap_or(Published { value: None }),
        assessments: first.assessments,
    })
}

/// The figures the report's first lane of statements reads.
struct FirstLane {
    behaviours: Vec<BehaviourGroup>,
    assessments: assessments::AssessmentFigures,
    plans_opened: Breakdown,
    plans_closed: Breakdown,
    consultations_objected: Breakdown,
    consultations_overridden: Breakdown,
    deadlines_met: Vec<DeadlinePerformance>,
}

pub mod assessments;
mod deadlines_met;
mod durations;
mod second_lane;

use deadlines_met::deadline_performance;
use second_lane::second_lane;
