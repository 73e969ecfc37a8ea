//! Reading the audit log (`docs/access.md`): for the auditor only, ids and no case content.

use chrono::{DateTime, Utc};
use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::Caller;
use super::audit::{AuditAction, EntityType, Target};
use super::op::Operation;
use super::paging::{self, Page, PageRequest};
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

async fn ensure_auditor(
    db: &DatabaseConnection,
    caller: &Caller,
    action: AuditAction,
) -> ApiResult<()> {
    Operation::new(db, caller, action, Target::of(EntityType::AuditEvent))
        .authorize(policy::ensure_auditor(&caller.actor))
        .await?;
    Ok(())
}

/// `auditEvents(filter, first, after)`: the log, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: AuditFilter,
    page: PageRequest,
) -> ApiResult<Page<audit_events::Model>> {
    ensure_auditor(db, caller, AuditAction::ReadAuditLog).await?;
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
    let query = audit_events::Entity::find().filter(scope);
    paging::fetch(db, query, audit_events::Column::Id, page).await
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
    ensure_auditor(db, caller, AuditAction::ReadChildAccessReport).await?;
    let rows = audit_events::Entity::find()
        .filter(audit_events::Column::ChildId.eq(child_id))
        .order_by_asc(audit_events::Column::OccurredAt)
        .order_by_asc(audit_events::Column::Id)
        .all(db)
        .await?;
    let mut lines: Vec<AccessLine> = Vec::new();
    for row in rows
        .iter()
        .filter(|r| r.action == AuditAction::ReadChild.name() && r.outcome == AuditOutcome::Allowed)
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
pub async fn read_node_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<audit_events::Model>> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ReadAuditLog,
        Target::row(EntityType::AuditEvent, id),
    );
    if let Err(refused) = policy::ensure_auditor(&caller.actor) {
        // Not an auditor: the same answer as for a row that does not exist.
        return match op.deny(refused).await {
            ApiError::Forbidden(_) => Ok(None),
            audit_failed => Err(audit_failed),
        };
    }
    Ok(audit_events::Entity::find_by_id(id).one(db).await?)
}
