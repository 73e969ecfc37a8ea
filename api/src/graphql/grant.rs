//! `AccessGrant` and `requestEmergencyAccess` (break-glass, DESIGN §5.4).

use super::scalars::DateTime;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::access_grants;

use super::agency::Agency;
use super::child::Child;
use super::limits::MaxChars;
use super::{agency_by_id, caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Break-glass read access to one child for one practitioner (DESIGN §5.4).
pub struct AccessGrant(pub access_grants::Model);

#[Object]
impl AccessGrant {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("AccessGrant", self.0.id)
    }
    /// The child, readable until the grant expires.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        let _slot = super::db_slot(ctx).await?;
        Ok(
            domain::children::read_node_audited(db(ctx)?, caller(ctx)?, self.0.child_id)
                .await
                .gql()?
                .map(Child),
        )
    }
    /// The grantee's agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// The grantee.
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// Why access was needed.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When it was granted.
    async fn granted_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When it ends.
    async fn expires_at(&self) -> DateTime {
        self.0.expires_at.into()
    }
}

/// Input of `requestEmergencyAccess`.
#[derive(InputObject)]
pub struct RequestEmergencyAccessInput {
    /// The child.
    pub child_id: ID,
    /// Why (at least 20 characters; audited and told to the lead agency).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
}

/// Result of `requestEmergencyAccess`.
#[derive(SimpleObject)]
pub struct RequestEmergencyAccessPayload {
    /// The grant: read-only, 24 hours.
    pub grant: AccessGrant,
}

/// Break-glass mutations.
#[derive(Default)]
pub struct GrantMutation;

#[Object]
impl GrantMutation {
    /// Break-glass: 24 hours' read access to a child outside the caller's case teams.
    async fn request_emergency_access(
        &self,
        ctx: &Context<'_>,
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
