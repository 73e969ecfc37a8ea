//! Deadlines met per kind of agency, counted over the stored deadlines in one aggregate
//! statement.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, Value};

use super::{ALL_KINDS, DeadlinePerformance, name};
use crate::domain::{Caller, suppression};
use crate::error::ApiResult;

/// Deadlines that fell due in the period (and by now), met on time or not, per kind of
/// answerable agency. "Met on time" is [`DeadlineStatus::Met`] at now: a milestone
/// recorded after now does not count yet.
///
/// [`DeadlineStatus::Met`]: crate::timescales::deadlines::DeadlineStatus::Met
pub(super) async fn deadline_performance(
    db: &DatabaseConnection,
    caller: &Caller,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<DeadlinePerformance>> {
    let backend = db.get_database_backend();
    let (p_from, p_to, p_now) = match backend {
        DatabaseBackend::Postgres => ("$1", "$2", "$3"),
        _ => ("?1", "?2", "?3"),
    };
    let sql = format!(
        "SELECT a.kind, COUNT(*),
                COUNT(CASE WHEN d.met_at IS NOT NULL AND d.met_at <= {p_now} AND d.met_at < d.due_at
                           THEN 1 END)
           FROM deadlines d JOIN agencies a ON a.id = d.responsible_agency_id
          WHERE d.due_at >= {p_from} AND d.due_at < {p_to} AND d.due_at <= {p_now}
          GROUP BY a.kind"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                Value::from(from),
                Value::from(to),
                Value::from(caller.now()),
            ],
        ))
        .await?;
    let mut tally: HashMap<String, (u64, u64)> = HashMap::new();
    for row in rows {
        let kind: String = row.try_get_by_index(0)?;
        let due: i64 = row.try_get_by_index(1)?;
        let met: i64 = row.try_get_by_index(2)?;
        tally.insert(
            kind,
            (
                u64::try_from(due).unwrap_or_default(),
                u64::try_from(met).unwrap_or_default(),
            ),
        );
    }
    Ok(ALL_KINDS
        .iter()
        .map(|kind| {
            let (due, met) = tally.get(&name(*kind)).copied().unwrap_or_default();
            // The percentage reveals both the met and the missed count: withhold it when
            // either, or the whole, is from 1 to 4.
            let withheld = [due, met, due.saturating_sub(met)]
                .iter()
                .any(|n| suppression::too_small(*n));
            DeadlinePerformance {
                agency_kind: *kind,
                due: suppression::count(due),
                met_percent: (!withheld && due > 0)
                    .then(|| ((met as f64) * 1000.0 / (due as f64)).round() / 10.0),
            }
        })
        .collect())
}
