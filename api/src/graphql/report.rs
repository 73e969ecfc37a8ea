//! `strategicReport(from, to)` (`docs/product.md`): anonymised, suppressed aggregates.

use super::scalars::DateTime;
use async_graphql::{Context, Object, SimpleObject};
use entity::enums::AgencyKind;

use super::{caller, db};
use crate::domain::{self, report, suppression::Published};
use crate::error::IntoGql;

/// A published count: `value` is `null` and `suppressed` true when the count is from 1
/// to 4 (or must be hidden to protect such a count), so that no child can be singled out.
#[derive(SimpleObject)]
pub struct ReportCount {
    /// The count; `null` when suppressed.
    pub value: Option<u64>,
    /// Whether it was withheld so that no child can be singled out.
    pub suppressed: bool,
}

impl From<Published> for ReportCount {
    fn from(p: Published) -> Self {
        Self {
            value: p.value,
            suppressed: p.suppressed(),
        }
    }
}

/// One cell of a breakdown: one key and its count.
#[derive(SimpleObject)]
pub struct ReportCell {
    /// What the cell counts: an enum value's name (a traffic light, a setting, an agency
    /// kind).
    pub key: String,
    /// The cell's count; `null` when suppressed.
    pub value: Option<u64>,
    /// Whether it was withheld (small, or the complement of a small cell).
    pub suppressed: bool,
}

/// A total with its breakdown, suppressed together: a withheld cell cannot be recovered
/// by subtracting the others from the total.
#[derive(SimpleObject)]
pub struct ReportBreakdown {
    /// The total across every cell.
    pub total: ReportCount,
    /// One cell per key, including zero counts.
    pub cells: Vec<ReportCell>,
}

impl From<report::Breakdown> for ReportBreakdown {
    fn from(b: report::Breakdown) -> Self {
        Self {
            total: b.total.into(),
            cells: b
                .cells
                .into_iter()
                .map(|(key, p)| ReportCell {
                    key,
                    value: p.value,
                    suppressed: p.suppressed(),
                })
                .collect(),
        }
    }
}

/// Days between two milestones of the same cases, over the cases that reached both in
/// the period.
#[derive(SimpleObject)]
pub struct MilestoneDurations {
    /// How many cases were measured.
    pub count: ReportCount,
    /// The median number of days; `null` when nothing was measured or the figures are
    /// suppressed.
    pub median_days: Option<f64>,
    /// The 90th percentile number of days (nearest rank); `null` when nothing was
    /// measured or the figures are suppressed.
    pub p90_days: Option<f64>,
    /// Whether the figures were withheld because too few cases were measured.
    pub suppressed: bool,
}

impl From<report::Durations> for MilestoneDurations {
    fn from(d: report::Durations) -> Self {
        Self {
            suppressed: d.count.suppressed(),
            count: d.count.into(),
            median_days: d.median_days,
            p90_days: d.p90_days,
        }
    }
}

/// Deadlines met on time in the period, for the answerable agencies of one kind.
#[derive(SimpleObject)]
pub struct DeadlinePerformance {
    /// The kind of the agencies answerable for the deadlines.
    pub agency_kind: AgencyKind,
    /// How many of their deadlines fell due in the period.
    pub due: ReportCount,
    /// The percentage (0 to 100) met on time; `null` when none fell due or it is
    /// suppressed.
    pub met_percent: Option<f64>,
    /// Whether the percentage was withheld because the count is small.
    pub suppressed: bool,
}

/// Recurrence: whether children showed new behaviour, or had their closed case reopened,
/// after their joint plan closed.
#[derive(SimpleObject)]
pub struct Recurrence {
    /// How many plans closed in the period.
    pub plans_closed: ReportCount,
    /// Of those, how many saw a new behaviour, or the child's case reopened (by a new
    /// referral or behaviour), within 12 months of closing.
    pub followed_by_new_behaviour: ReportCount,
}

/// Joint assessment across the partnership in the period: how assessments were
/// completed, which agencies contributed, and whether plans answer the needs found.
#[derive(SimpleObject)]
pub struct AssessmentFigures {
    /// Assessments completed in the period, by the leading agency's kind.
    pub completed: ReportBreakdown,
    /// Of those, the ones completed on or before their due day.
    pub completed_within_timescale: ReportCount,
    /// Contributions given to those assessments, by the contributing agency's kind
    /// (divide by `completed` for contributions per assessment).
    pub contributions: ReportBreakdown,
    /// Joint plans active at some time in the period.
    pub plans_active: ReportCount,
    /// Of those, the plans whose actions (not cancelled) are assigned to three or more
    /// kinds of agency: holistic, multi-agency work.
    pub plans_spanning_three_agency_kinds: ReportCount,
    /// Needs identified by the assessments completed in the period.
    pub needs_identified: ReportCount,
    /// Of those, the needs no plan action (not cancelled) addresses.
    pub needs_without_action: ReportCount,
}

/// The partnership's figures for a period. No child is identified anywhere in it.
#[derive(SimpleObject)]
pub struct StrategicReport {
    /// The start of the period covered (inclusive): the first instant (UTC) of the month
    /// `from` fell in.
    pub from: DateTime,
    /// The end of the period covered (exclusive): `to` when it is the first instant of a
    /// month (UTC), otherwise the first instant of the next month.
    pub to: DateTime,
    /// Referrals made in the period, by the referring agency's kind.
    pub referrals: ReportBreakdown,
    /// Behaviours disclosed in the period, by traffic light.
    pub behaviours_by_traffic_light: ReportBreakdown,
    /// The same behaviours, by where they happened.
    pub behaviours_by_setting: ReportBreakdown,
    /// The same behaviours, by the recording agency's kind.
    pub behaviours_by_agency_kind: ReportBreakdown,
    /// Behaviours that escalated a case, by the recording agency's kind.
    pub escalations: ReportBreakdown,
    /// Joint plans activated in the period, by the lead agency's kind.
    pub plans_opened: ReportBreakdown,
    /// Joint plans closed in the period, by the lead agency's kind.
    pub plans_closed: ReportBreakdown,
    /// Consultations objected to, by the consulted agency's kind.
    pub consultations_objected: ReportBreakdown,
    /// Consultations overridden, by the consulted agency's kind.
    pub consultations_overridden: ReportBreakdown,
    /// Days from disclosure (`DISCLOSURE`) to strategy discussion (`STRATEGY_DISCUSSION`).
    pub disclosure_to_strategy_discussion: MilestoneDurations,
    /// Days from a `DISCLOSURE` to its outcome (`OUTCOME`, `OUT_OF_COURT_DISPOSAL` or
    /// `NO_FURTHER_ACTION`).
    pub disclosure_to_outcome: MilestoneDurations,
    /// Days from a `REFERRAL` to `ASSESSMENT_COMPLETED`.
    pub referral_to_assessment_completed: MilestoneDurations,
    /// Deadlines met on time, per kind of answerable agency.
    pub deadlines_met: Vec<DeadlinePerformance>,
    /// Plans closed in the period and how many were followed by new behaviour, or a
    /// reopened case, within 12 months.
    pub recurrence: Recurrence,
    /// Joint assessment: completions within timescale, contributions by agency kind,
    /// plans spanning three or more agency kinds, and needs without an action.
    pub assessments: AssessmentFigures,
}

/// Report queries.
#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// The partnership's anonymised figures for the period `[from, to)`, at most 3,700
    /// days long (`STRATEGIC_ANALYST` only), widened to whole calendar months (UTC) so
    /// that two reports cannot be subtracted to show one record; small counts are
    /// suppressed.
    async fn strategic_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The start of the period (inclusive).")] from: DateTime,
        #[graphql(desc = "The end of the period (exclusive); must be after `from`.")] to: DateTime,
    ) -> async_graphql::Result<StrategicReport> {
        // The check and its audit row go to the primary; the aggregates read the replica.
        let r = domain::report::strategic_report(
            db(ctx)?,
            super::read_db(ctx)?,
            caller(ctx)?,
            from.into(),
            to.into(),
        )
        .await
        .gql()?;
        Ok(StrategicReport {
            from: r.from.into(),
            to: r.to.into(),
            referrals: r.referrals.into(),
            behaviours_by_traffic_light: r.behaviours_by_traffic_light.into(),
            behaviours_by_setting: r.behaviours_by_setting.into(),
            behaviours_by_agency_kind: r.behaviours_by_agency_kind.into(),
            escalations: r.escalations.into(),
            plans_opened: r.plans_opened.into(),
            plans_closed: r.plans_closed.into(),
            consultations_objected: r.consultations_objected.into(),
            consultations_overridden: r.consultations_overridden.into(),
            disclosure_to_strategy_discussion: r.disclosure_to_strategy_discussion.into(),
            disclosure_to_outcome: r.disclosure_to_outcome.into(),
            referral_to_assessment_completed: r.referral_to_assessment_completed.into(),
            deadlines_met: r
                .deadlines_met
                .into_iter()
                .map(|d| DeadlinePerformance {
                    agency_kind: d.agency_kind,
                    suppressed: d.met_percent.is_none() && d.due.value != Some(0),
                    due: d.due.into(),
                    met_percent: d.met_percent,
                })
                .collect(),
            recurrence: Recurrence {
                plans_closed: r.recurrence_plans_closed.into(),
                followed_by_new_behaviour: r.recurrence_followed_by_behaviour.into(),
            },
            assessments: AssessmentFigures {
                completed: r.assessments.completed.into(),
                completed_within_timescale: r.assessments.completed_within_timescale.into(),
                contributions: r.assessments.contributions.into(),
                plans_active: r.assessments.plans_active.into(),
                plans_spanning_three_agency_kinds: r
                    .assessments
                    .plans_spanning_three_agency_kinds
                    .into(),
                needs_identified: r.assessments.needs_identified.into(),
                needs_without_action: r.assessments.needs_without_action.into(),
            },
        })
    }
}
