//! `AccessGrant` and `requestEmergencyAccess` (break-glass, `docs/access.md`).

use super::scalars::DateTime;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::access_grants;

use super::agency::Agency;
use super::child::Child;
use super::limits::MaxChars;
use super::{agency_by_id, caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Break-glass: read-only access to one child for 24 hours, given to a caller with a
/// case role whose agency is not on the child's case team, with an audited reason. It
/// never allows writing. Visible to those who may read the child.
#[derive(Description)]
pub struct AccessGrant(pub access_grants::Model);

#[Object(use_type_description)]
impl AccessGrant {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("AccessGrant", self.0.id)
    }
    /// The child the grant is for; `null` once the caller can no longer read the child
    /// (for example after the grant expired).
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        super::readable_child(ctx, self.0.child_id).await
    }
    /// The agency of the caller who was granted access.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// The token subject of the caller who was granted access.
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// Why the grantee needed access, as they gave it (audited and told to the lead
    /// agency).
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When the grant was made.
    async fn granted_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When read access ends: 24 hours after it was granted.
    async fn expires_at(&self) -> DateTime {
        self.0.expires_at.into()
    }
}

/// Input of `requestEmergencyAccess`: the child and the reason.
#[derive(InputObject)]
pub struct RequestEmergencyAccessInput {
    /// The global id of the child to read (found, for example, with `findKnownChild`).
    pub child_id: ID,
    /// Why access is needed now (from 20 to 2,000 characters); audited and told to the
    /// child's lead agency.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
}

/// Result of `requestEmergencyAccess`: the grant made.
#[derive(SimpleObject)]
pub struct RequestEmergencyAccessPayload {
    /// The grant: read-only access to the child for 24 hours.
    pub grant: AccessGrant,
}

/// Break-glass mutations.
#[derive(Default)]
pub struct GrantMutation;

#[Object]
impl GrantMutation {
    /// Break-glass: 24 hours' read-only access to a child whose case team the caller's
    /// agency is not on (any case role). Audited, and an event tells the lead agency.
    async fn request_emergency_access(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child and why emergency access is needed.")]
        input: RequestEmergencyAccessInput,
    ) -> async_graphql::Result<RequestEmergencyAccessPayload> {
        let child = ids::decode_as(&input.child_id, "Child", "childId").gql()?;
        let grant = domain::grants::request(db(ctx)?, caller(ctx)?, child, &input.reason)
            .await
            .gql()?;
        Ok(RequestEmergencyAccessPayload {
            grant: AccessGrant(grant),
        })
    }
}
