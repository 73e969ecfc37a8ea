//! The one report figure that is not plain SQL: deadlines met per kind of agency.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::children;
use entity::enums::AgencyKind;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder};

use super::{ALL_KINDS, DeadlinePerformance};
use crate::domain::{Caller, DomainConfig, deadlines, suppression};
use crate::error::ApiResult;
use crate::timescales::deadlines::{DeadlineStatus, derive};

/// How many children the deadline engine reads at a time, so memory stays bounded.
const PAGE: u64 = 200;

/// Deadlines that fell due in the period (and by now), met on time or not, per kind of
/// answerable agency. Working days need the calendar, so this one figure runs the
/// deadline engine over the children a page at a time, keeping only the counts.
pub(super) async fn deadline_performance(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<DeadlinePerformance>> {
    let agencies: HashMap<uuid::Uuid, AgencyKind> = entity::agencies::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.kind))
        .collect();
    let mut tally: HashMap<AgencyKind, (u64, u64)> = HashMap::new();
    let mut pages = children::Entity::find()
        .order_by_asc(children::Column::Id)
        .paginate(db, PAGE);
    while let Some(kids) = pages.fetch_and_next().await? {
        for timeline in deadlines::timelines(db, config, &kids).await? {
            for deadline in derive(
                &timeline,
                &config.timescales.deadlines,
                &config.timescales.calendar,
            ) {
                if deadline.due_at < from || deadline.due_at >= to || deadline.due_at > caller.now {
                    continue;
                }
                let Some(kind) = deadline.responsible_agency.and_then(|a| agencies.get(&a)) else {
                    continue;
                };
                let entry = tally.entry(*kind).or_default();
                entry.0 += 1;
                if deadline.status(caller.now) == DeadlineStatus::Met {
                    entry.1 += 1;
                }
            }
        }
    }
    Ok(ALL_KINDS
        .iter()
        .map(|kind| {
            let (due, met) = tally.get(kind).copied().unwrap_or_default();
            // The percentage reveals both the met and the missed count: withhold it when
            // either, or the whole, is from 1 to 4.
            let withheld = [due, met, due - met]
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
