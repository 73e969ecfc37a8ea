//! The report's durations: how long from one kind of chronology entry to the first
//! following entry of another, as a median and a 90th percentile, in one statement.

use sea_orm::{ConnectionTrait, DatabaseBackend};

use super::{Durations, Sql, suppression};
use crate::error::{ApiError, ApiResult};

impl Sql<'_> {
    /// For each set of `finishes`, the median and 90th percentile of the days from each
    /// `start_kind` entry in the period to the first following entry of that set for the
    /// same child (at the same instant counts).
    ///
    /// Two shapes of one answer, each the faster on its backend at 20,000 children
    /// (`BENCHMARKS.md`): PostgreSQL reads each child's entries of these kinds from the
    /// period's start once, in time order, and a window carries the earliest finish of each
    /// set at or after every entry (121 ms against 158 ms); SQLite reads the period's starts
    /// once and each finds its first finish of each kind by one seek of the index on
    /// `(child_id, kind, occurred_at)` (the window was most of its report's time).
    pub(super) async fn durations(
        &self,
        start_kind: &str,
        finishes: &[&[&str]],
    ) -> ApiResult<Vec<Durations>> {
        let list = |kinds: &[&str]| {
            kinds
                .iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let first = |kind: &str| {
            format!(
                "(SELECT MIN(f.occurred_at) FROM chronology_entries f
                   WHERE f.child_id = e.child_id AND f.kind = '{kind}'
                     AND f.occurred_at >= e.occurred_at AND f.entered_in_error_at IS NULL)"
            )
        };
        let mut windows = String::new();
        let mut seeks = String::new();
        let mut figures = String::new();
        let mut selects = Vec::new();
        for (n, kinds) in finishes.iter().enumerate() {
            windows.push_str(&format!(
                ", MIN(CASE WHEN e.kind IN ({}) THEN e.occurred_at END) OVER w AS f{n}",
                list(kinds)
            ));
            let earliest = match kinds {
                [kind] => first(kind),
                _ => {
                    let each: Vec<String> = kinds
                        .iter()
                        .map(|kind| format!("SELECT {} AS x", first(kind)))
                        .collect();
                    format!("(SELECT MIN(m.x) FROM ({}) m)", each.join(" UNION ALL "))
                }
            };
            seeks.push_str(&format!(", {earliest} AS f{n}"));
            let days = self.days(&format!("s.f{n}"), "s.start");
            figures.push_str(&format!(
                ", v{n} AS (SELECT {days} AS days FROM s WHERE s.f{n} IS NOT NULL),
                 r{n} AS (SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS rn, COUNT(*) OVER () AS n FROM v{n})"
            ));
            selects.push(format!(
                "(SELECT COUNT(*) FROM v{n}),
                 (SELECT AVG(days) FROM r{n} WHERE rn IN ((n + 1) / 2, (n + 2) / 2)),
                 (SELECT MIN(days) FROM r{n} WHERE rn = (9 * n + 9) / 10)"
            ));
        }
        let starts = match self.backend {
            DatabaseBackend::Postgres => format!(
                "p AS (
                    SELECT e.kind, e.occurred_at AS start{windows}
                      FROM chronology_entries e
                     WHERE e.kind IN ('{start_kind}', {all}) AND e.occurred_at >= :from
                       AND e.entered_in_error_at IS NULL
                    WINDOW w AS (PARTITION BY e.child_id ORDER BY e.occurred_at
                                 RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)),
                 s AS (SELECT * FROM p WHERE p.kind = '{start_kind}' AND p.start < :to)",
                all = list(&finishes.concat()),
            ),
            _ => format!(
                "s AS MATERIALIZED (
                    SELECT e.occurred_at AS start{seeks}
                      FROM chronology_entries e
                     WHERE e.kind = '{start_kind}' AND e.occurred_at >= :from AND e.occurred_at < :to
                       AND e.entered_in_error_at IS NULL)"
            ),
        };
        let selects = selects.join(", ");
        let sql = format!("WITH {starts}{figures} SELECT {selects}");
        let row = self
            .db
            .query_one_raw(self.statement(&sql))
            .await?
            .ok_or_else(|| ApiError::Internal("no duration row".into()))?;
        let round = |v: f64| (v * 10.0).round() / 10.0;
        let mut out = Vec::with_capacity(finishes.len());
        for n in 0..finishes.len() {
            let count: i64 = row.try_get_by_index(3 * n)?;
            let count = suppression::count(u64::try_from(count).unwrap_or_default());
            let median: Option<f64> = row.try_get_by_index(3 * n + 1)?;
            let p90: Option<f64> = row.try_get_by_index(3 * n + 2)?;
            out.push(Durations {
                median_days: median.filter(|_| !count.suppressed()).map(round),
                p90_days: p90.filter(|_| !count.suppressed()).map(round),
                count,
            });
        }
        Ok(out)
    }
}
