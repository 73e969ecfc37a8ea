//! The strategic report's figures on joint assessment (`docs/product.md`): assessments
//! completed and how many within their timescale, the agencies' contributions to them,
//! plans whose actions span three or more kinds of agency, and identified needs that no
//! action addresses. Aggregate SQL, suppressed like every other figure.

use super::{Breakdown, Sql};
use crate::domain::suppression::{self, Published};
use crate::error::ApiResult;

/// The assessment figures of a period.
#[derive(Clone, Debug)]
pub struct AssessmentFigures {
    /// Assessments completed in the period, by the leading agency's kind.
    pub completed: Breakdown,
    /// Of those, the ones completed on or before their due day.
    pub completed_within_timescale: Published,
    /// Contributions given to those assessments, by the contributing agency's kind.
    pub contributions: Breakdown,
    /// Plans active at some time in the period.
    pub plans_active: Published,
    /// Of those, the ones whose actions (not cancelled) are assigned to three or more
    /// kinds of agency.
    pub plans_spanning_three_agency_kinds: Published,
    /// Needs identified by the assessments completed in the period (withheld, with the
    /// contributions, while those assessments number one to four).
    pub needs_identified: Published,
    /// Of those, the ones no action (not cancelled) addresses.
    pub needs_without_action: Published,
}

/// A count and the part of it a figure publishes, suppressed together as a breakdown of
/// two cells (the part and the rest), so a withheld part cannot be recovered from the
/// whole: the whole and the published part.
fn part_of(whole: u64, part: u64) -> (Published, Published) {
    let (total, cells) = suppression::breakdown(&[part, whole.saturating_sub(part)]);
    (
        total,
        cells.first().copied().unwrap_or(Published { value: None }),
    )
}

const COMPLETED_IN_PERIOD: &str = "s.completed_at >= :from AND s.completed_at < :to";
const ACTIVE_IN_PERIOD: &str =
    "p.activated_at < :to AND (p.closed_at IS NULL OR p.closed_at >= :from)";

/// The figures, read through `sql` (the report's period and connection).
pub(super) async fn figures(sql: &Sql<'_>, kinds: &[String]) -> ApiResult<AssessmentFigures> {
    let completed = sql
        .breakdown(
            &format!(
                "SELECT a.kind, COUNT(*) FROM assessments s JOIN agencies a ON a.id = s.lead_agency_id
                  WHERE {COMPLETED_IN_PERIOD} GROUP BY a.kind"
            ),
            kinds,
        )
        .await?;
    let completed_count = sql
        .scalar(&format!(
            "SELECT COUNT(*) FROM assessments s WHERE {COMPLETED_IN_PERIOD}"
        ))
        .await?;
    let within = sql
        .scalar(&format!(
            "SELECT COUNT(*) FROM assessments s WHERE {COMPLETED_IN_PERIOD}
               AND s.completed_on <= s.due_on"
        ))
        .await?;
    let contributions = sql
        .breakdown(
            &format!(
                "SELECT a.kind, COUNT(*) FROM assessment_contributions c
                   JOIN assessments s ON s.id = c.assessment_id
                   JOIN agencies a ON a.id = c.agency_id
                  WHERE c.status = 'CONTRIBUTED' AND {COMPLETED_IN_PERIOD} GROUP BY a.kind"
            ),
            kinds,
        )
        .await?;
    let plans_active = sql
        .scalar(&format!(
            "SELECT COUNT(*) FROM joint_plans p WHERE {ACTIVE_IN_PERIOD}"
        ))
        .await?;
    let plans_spanning = sql
        .scalar(&format!(
            "SELECT COUNT(*) FROM joint_plans p WHERE {ACTIVE_IN_PERIOD}
               AND (SELECT COUNT(DISTINCT a.kind) FROM plan_actions x
                      JOIN agencies a ON a.id = x.assigned_agency_id
                     WHERE x.plan_id = p.id AND x.status <> 'CANCELLED') >= 3"
        ))
        .await?;
    let needs = sql
        .scalar(&format!(
            "SELECT COUNT(*) FROM assessment_needs n JOIN assessments s ON s.id = n.assessment_id
              WHERE {COMPLETED_IN_PERIOD}"
        ))
        .await?;
    let unaddressed = sql
        .scalar(&format!(
            "SELECT COUNT(*) FROM assessment_needs n JOIN assessments s ON s.id = n.assessment_id
              WHERE {COMPLETED_IN_PERIOD}
                AND NOT EXISTS (SELECT 1 FROM plan_action_needs l
                                  JOIN plan_actions x ON x.id = l.action_id
                                 WHERE l.need_id = n.id AND x.status <> 'CANCELLED')"
        ))
        .await?;
    let (_, completed_within_timescale) = part_of(completed_count, within);
    let (plans_active, plans_spanning_three_agency_kinds) = part_of(plans_active, plans_spanning);
    let (mut needs_identified, mut needs_without_action) = part_of(needs, unaddressed);
    let mut contributions = contributions;
    // Needs and contributions count parts of assessments, not children: from one to four
    // assessments, they would describe those children's assessments, so they are withheld
    // with the count of assessments itself.
    if suppression::too_small(completed_count) {
        let withheld = Published { value: None };
        needs_identified = withheld;
        needs_without_action = withheld;
        contributions.total = withheld;
        for (_, cell) in &mut contributions.cells {
            *cell = withheld;
        }
    }
    Ok(AssessmentFigures {
        completed,
        completed_within_timescale,
        contributions,
        plans_active,
        plans_spanning_three_agency_kinds,
        needs_identified,
        needs_without_action,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_part_is_withheld_and_so_is_the_rest_of_a_small_whole() {
        let (whole, part) = part_of(12, 3);
        assert_eq!((whole.value, part.value), (Some(12), None));
        let (whole, part) = part_of(12, 7);
        assert_eq!((whole.value, part.value), (Some(12), Some(7)));
        let (whole, part) = part_of(3, 3);
        assert_eq!((whole.value, part.value), (None, None));
        let (whole, part) = part_of(9, 0);
        assert_eq!((whole.value, part.value), (Some(9), Some(0)));
    }
}
