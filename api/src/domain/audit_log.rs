//! Reading the audit log (DESIGN §5.5): for the auditor only, ids and no case content.

use chrono::{DateTime, Utc};
use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::Caller;
use super::audit::{self, Subject};
use super::children::{MAX_PAGE, Page};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// Filters of `auditEvents`.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only this actor.
    pub actor_subject: Option<String>,
    /// Only this actor agency.
    pub agency_id: Option<Uuid>,
    /// Only rows about this child.
    pub child_id: Option<Uuid>,
    /// Only this action (`READ_CHILD`, `REGISTER_CHILD`, …).
    pub action: Option<String>,
    /// Only this outcome.
    pub outcome: Option<AuditOutcome>,
    /// From this time on.
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub to: Option<DateTime<Utc>>,
}

async fn ensure_auditor(db: &DatabaseConnection, caller: &Caller, action: &str) -> ApiResult<()> {
    if let Err(error) = policy::ensure_auditor(&caller.actor) {
        let subject = Subject {
            action,
            entity_type: "AuditEvent",
            entity_id: None,
            child_id: None,
        };
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    Ok(())
}

/// `auditEvents(filter, first, after)`: the log, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: AuditFilter,
    first: u64,
    after: Option<Uuid>,
) -> ApiResult<Page<audit_events::Model>> {
    ensure_auditor(db, caller, "READ_AUDIT_LOG").await?;
    if first > MAX_PAGE {
        return Err(ApiError::LimitExceeded(format!(
            "first must be at most {MAX_PAGE}"
        )));
    }
    let mut scope = Condition::all();
    if let Some(subject) = filter.actor_subject {
        scope = scope.add(audit_events::Column::ActorSubject.eq(subject));
    }
    if let Some(agency) = filter.agency_id {
        scope = scope.add(audit_events::Column::ActorAgencyId.eq(agency));
    }
    if let Some(child) = filter.child_id {
        scope = scope.add(audit_events::Column::ChildId.eq(child));
    }
    if let Some(action) = filter.action {
        scope = scope.add(audit_events::Column::Action.eq(action));
    }
    if let Some(outcome) = filter.outcome {
        scope = scope.add(audit_events::Column::Outcome.eq(outcome));
    }
    if let Some(from) = filter.from {
        scope = scope.add(audit_events::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        scope = scope.add(audit_events::Column::OccurredAt.lt(to));
    }
    let total = audit_events::Entity::find()
        .filter(scope.clone())
        .count(db)
        .await?;
    let mut query = audit_events::Entity::find().filter(scope);
    if let Some(after) = after {
        query = query.filter(audit_events::Column::Id.gt(after));
    }
    let mut items = query
        .order_by_asc(audit_events::Column::Id)
        .limit(first + 1)
        .all(db)
        .await?;
    let has_next = items.len() as u64 > first;
    items.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next,
        total,
    })
}

/// One line of a child's access report: one actor's reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessLine {
    /// Who.
    pub actor_subject: String,
    /// Of which agency.
    pub agency_code: Option<String>,
    /// How many requests read the record.
    pub reads: u64,
    /// First read.
    pub first_read_at: DateTime<Utc>,
    /// Last read.
    pub last_read_at: DateTime<Utc>,
}

/// `childAccessReport(childId)`: who saw this record and when, plus every audited row
/// about the child.
pub async fn child_access_report(
    db: &DatabaseConnection,
    caller: &Caller,
    child_id: Uuid,
) -> ApiResult<(Vec<AccessLine>, Vec<audit_events::Model>)> {
    ensure_auditor(db, caller, "READ_CHILD_ACCESS_REPORT").await?;
    let rows = audit_events::Entity::find()
        .filter(audit_events::Column::ChildId.eq(child_id))
        .order_by_asc(audit_events::Column::OccurredAt)
        .order_by_asc(audit_events::Column::Id)
        .all(db)
        .await?;
    let mut lines: Vec<AccessLine> = Vec::new();
    for row in rows
        .iter()
        .filter(|r| r.action == "READ_CHILD" && r.outcome == AuditOutcome::Allowed)
    {
        match lines.iter_mut().find(|l| {
            l.actor_subject == row.actor_subject && l.agency_code == row.actor_agency_code
        }) {
            Some(line) => {
                line.reads += 1;
                line.last_read_at = row.occurred_at;
            }
            None => lines.push(AccessLine {
                actor_subject: row.actor_subject.clone(),
                agency_code: row.actor_agency_code.clone(),
                reads: 1,
                first_read_at: row.occurred_at,
                last_read_at: row.occurred_at,
            }),
        }
    }
    Ok((lines, rows))
}

/// An audit row for `node(id:)`: auditors only.
pub async fn read_node(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<audit_events::Model>> {
    if policy::ensure_auditor(&caller.actor).is_err() {
        return Ok(None);
    }
    Ok(audit_events::Entity::find_by_id(id).one(db).await?)
}
