//! `AuditEvent`, `auditEvents` and `childAccessReport`: for the auditor, ids only.

use super::scalars::DateTime;
use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::audit_events;
use entity::enums::AuditOutcome;

use super::limits::MaxChars;
use super::paging::{self, ConnectionFields};
use super::{caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// One row of the append-only audit log: who did what, when, on which record, and
/// whether it was allowed. Every read of a child's record, every refusal and every
/// change writes one. Only `AUDITOR`s can see them.
#[derive(Description)]
pub struct AuditEvent(pub audit_events::Model);

#[Object(use_type_description)]
impl AuditEvent {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("AuditEvent", self.0.id)
    }
    /// When the audited act happened.
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
    /// The token subject of whoever acted.
    async fn actor_subject(&self) -> &str {
        &self.0.actor_subject
    }
    /// The code of the actor's agency; `null` when the request carried no known agency.
    async fn actor_agency_code(&self) -> Option<&str> {
        self.0.actor_agency_code.as_deref()
    }
    /// The roles the actor's token carried, by name.
    async fn actor_roles(&self) -> Vec<&str> {
        self.0
            .actor_roles
            .split(',')
            .filter(|r| !r.is_empty())
            .collect()
    }
    /// What was done or attempted, as an action name (`READ_CHILD`, `REGISTER_CHILD`, …).
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The type of record acted on (`Child`, `Behaviour`, `JointPlan`, …).
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    /// The global id of the record acted on; `null` when there is none (a search, a
    /// refusal before any record).
    async fn entity_id(&self) -> Option<ID> {
        self.0
            .entity_id
            .map(|id| ids::encode(&self.0.entity_type, id))
    }
    /// The child concerned, as a global id (never the child's identity); `null` when no
    /// child is concerned.
    async fn child_id(&self) -> Option<ID> {
        self.0.child_id.map(|id| ids::encode("Child", id))
    }
    /// Whether the act was allowed or refused.
    async fn outcome(&self) -> AuditOutcome {
        self.0.outcome
    }
    /// The reason recorded with it (why a request was refused, an override's or a
    /// deactivation's reason); `null` when none.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// The id of the request, also in the service's logs; `null` for acts outside a
    /// request (command line, background work).
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// What the act changed, field by field; `null` when nothing is recorded (a read, a
    /// refusal, or a change made before changes were recorded).
    async fn changes(&self) -> Option<Vec<AuditChange>> {
        self.0.changes.as_ref().map(|changes| {
            domain::changes::from_json(changes)
                .into_iter()
                .map(AuditChange::from)
                .collect()
        })
    }
}

/// One field a change altered, as the audit log keeps it. Restricted content (a
/// behaviour's description, a chronology summary, an assessment contribution, a plan's
/// risk summary) is recorded only as having changed, without its values.
#[derive(SimpleObject)]
pub struct AuditChange {
    /// The field's name, as the schema names it.
    pub field: String,
    /// The value before, as text; `null` for a new record, an empty field or restricted
    /// content.
    pub old: Option<String>,
    /// The value after, as text; `null` when the field was emptied or for restricted
    /// content.
    pub new: Option<String>,
    /// Whether this is restricted content, recorded only as having changed.
    pub restricted: bool,
}

impl From<domain::changes::Change> for AuditChange {
    fn from(change: domain::changes::Change) -> Self {
        Self {
            field: change.field,
            old: change.old,
            new: change.new,
            restricted: change.restricted,
        }
    }
}

/// Filters of `auditEvents`; omitted fields do not filter, and given ones all apply.
#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// Only acts by this token subject (at most 200 characters).
    #[graphql(validator(custom = "MaxChars::new(\"actorSubject\", 200)"))]
    pub actor_subject: Option<String>,
    /// Only acts by members of this agency (global id).
    pub agency_id: Option<ID>,
    /// Only acts concerning this child (global id).
    pub child_id: Option<ID>,
    /// Only this action name, e.g. `READ_CHILD` (at most 64 characters).
    #[graphql(validator(custom = "MaxChars::new(\"action\", 64)"))]
    pub action: Option<String>,
    /// Only allowed, or only refused, acts.
    pub outcome: Option<AuditOutcome>,
    /// Only acts at or after this time.
    pub from: Option<DateTime>,
    /// Only acts strictly before this time.
    pub to: Option<DateTime>,
}

/// One reader's reads of a child's record, summed over the reporting period.
#[derive(SimpleObject)]
pub struct AccessReportLine {
    /// The token subject of the reader.
    pub actor_subject: String,
    /// The code of the reader's agency; `null` when unknown.
    pub agency_code: Option<String>,
    /// How many requests read the record (each request counts once).
    pub reads: u64,
    /// When the reader first read the record.
    pub first_read_at: DateTime,
    /// When the reader last read the record.
    pub last_read_at: DateTime,
}

/// Who saw a child's record and when, from the audit log (for information governance).
#[derive(SimpleObject)]
pub struct ChildAccessReport {
    /// The child reported on, as a global id (never the child's identity).
    pub child_id: ID,
    /// One line per reader of the record.
    pub readers: Vec<AccessReportLine>,
    /// Every audit log row about the child, oldest first.
    pub events: Vec<AuditEvent>,
}

/// Audit queries.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, oldest first, as a page (`AUDITOR` only).
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which rows to list; all when omitted.")] filter: Option<AuditEventFilter>,
        #[graphql(desc = "How many to return: 50 when omitted, at most 100.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before; omit for the first page.")]
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

    /// Who saw a child's record and when (`AUDITOR` only).
    async fn child_access_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child's global id.")] child_id: ID,
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
