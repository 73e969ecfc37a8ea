//! `AuditEvent`, `auditEvents` and `childAccessReport`: for the auditor, ids only.

use super::scalars::DateTime;
use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::audit_events;
use entity::enums::AuditOutcome;

use super::limits::MaxChars;
use super::paging::{self, ConnectionFields};
use super::{caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// One audited act: who, when, what, on which record, allowed or denied.
pub struct AuditEvent(pub audit_events::Model);

#[Object]
impl AuditEvent {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("AuditEvent", self.0.id)
    }
    /// When.
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
    /// The actor's subject.
    async fn actor_subject(&self) -> &str {
        &self.0.actor_subject
    }
    /// The actor's agency code.
    async fn actor_agency_code(&self) -> Option<&str> {
        self.0.actor_agency_code.as_deref()
    }
    /// The actor's roles.
    async fn actor_roles(&self) -> Vec<&str> {
        self.0
            .actor_roles
            .split(',')
            .filter(|r| !r.is_empty())
            .collect()
    }
    /// What was done (`READ_CHILD`, `REGISTER_CHILD`, …).
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The kind of record.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    /// The record's global id.
    async fn entity_id(&self) -> Option<ID> {
        self.0
            .entity_id
            .map(|id| ids::encode(&self.0.entity_type, id))
    }
    /// The child concerned, as a global id (never the child's identity).
    async fn child_id(&self) -> Option<ID> {
        self.0.child_id.map(|id| ids::encode("Child", id))
    }
    /// `ALLOWED` or `DENIED`.
    async fn outcome(&self) -> AuditOutcome {
        self.0.outcome
    }
    /// The reason given (a refusal, an override).
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// The request id, also in the logs.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

/// Filters of `auditEvents`.
#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// Only this actor.
    #[graphql(validator(custom = "MaxChars::new(\"actorSubject\", 200)"))]
    pub actor_subject: Option<String>,
    /// Only this actor agency.
    pub agency_id: Option<ID>,
    /// Only rows about this child.
    pub child_id: Option<ID>,
    /// Only this action.
    #[graphql(validator(custom = "MaxChars::new(\"action\", 64)"))]
    pub action: Option<String>,
    /// Only this outcome.
    pub outcome: Option<AuditOutcome>,
    /// From this time on.
    pub from: Option<DateTime>,
    /// Before this time.
    pub to: Option<DateTime>,
}

/// One actor's reads of a child's record.
#[derive(SimpleObject)]
pub struct AccessReportLine {
    /// Who.
    pub actor_subject: String,
    /// Of which agency.
    pub agency_code: Option<String>,
    /// How many requests read the record.
    pub reads: u64,
    /// First read.
    pub first_read_at: DateTime,
    /// Last read.
    pub last_read_at: DateTime,
}

/// Who saw a child's record and when.
#[derive(SimpleObject)]
pub struct ChildAccessReport {
    /// The child, as a global id.
    pub child_id: ID,
    /// One line per reader.
    pub readers: Vec<AccessReportLine>,
    /// Every audited row about the child, oldest first.
    pub events: Vec<AuditEvent>,
}

/// Audit queries.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, oldest first (`AUDITOR`).
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditEventFilter>,
        #[graphql(desc = "At most 100.")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, AuditEvent, ConnectionFields, EmptyFields>> {
        let caller = caller(ctx)?;
        let filter = filter.unwrap_or_default();
        let domain_filter = domain::audit_log::AuditFilter {
            actor_subject: filter.actor_subject,
            agency_id: filter
                .agency_id
                .as_ref()
                .map(|id| ids::decode_as(id, "Agency", "filter.agencyId"))
                .transpose()
                .gql()?,
            child_id: filter
                .child_id
                .as_ref()
                .map(|id| ids::decode_as(id, "Child", "filter.childId"))
                .transpose()
                .gql()?,
            action: filter.action,
            outcome: filter.outcome,
            from: filter.from.map(Into::into),
            to: filter.to.map(Into::into),
        };
        let request = paging::request(ctx, first, after, 50)?;
        let page = domain::audit_log::list(db(ctx)?, caller, domain_filter, request)
            .await
            .gql()?;
        Ok(paging::connection(request, page, |row| row.id, AuditEvent))
    }

    /// Who saw this child's record and when (`AUDITOR`).
    async fn child_access_report(
        &self,
        ctx: &Context<'_>,
        child_id: ID,
    ) -> async_graphql::Result<ChildAccessReport> {
        let child = ids::decode_as(&child_id, "Child", "childId").gql()?;
        let (lines, rows) = domain::audit_log::child_access_report(db(ctx)?, caller(ctx)?, child)
            .await
            .gql()?;
        Ok(ChildAccessReport {
            child_id,
            readers: lines
                .into_iter()
                .map(|l| AccessReportLine {
                    actor_subject: l.actor_subject,
                    agency_code: l.agency_code,
                    reads: l.reads,
                    first_read_at: l.first_read_at.into(),
                    last_read_at: l.last_read_at.into(),
                })
                .collect(),
            events: rows.into_iter().map(AuditEvent).collect(),
        })
    }
}
