//! `audit_events`: the append-only record of every read of a child, denial and mutation.

use sea_orm::entity::prelude::*;

use crate::enums::AuditOutcome;

/// One audited act. Never updated, never deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_subject: String,
    pub actor_agency_id: Option<Uuid>,
    pub actor_agency_code: Option<String>,
    /// The actor's roles, comma separated.
    pub actor_roles: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    /// The child concerned, for per-child access reports.
    pub child_id: Option<Uuid>,
    pub outcome: AuditOutcome,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// What the operation changed: a list of `{field, old, new}` (or `{field,
    /// restricted: true}` for restricted content), absent when nothing is recorded.
    pub changes: Option<Json>,
}

/// Audit rows stand alone: they outlive what they describe.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
