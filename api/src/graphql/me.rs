//! `me`: who the token says the caller is.

use async_graphql::{Context, Description, Object};

use super::agency::Agency;
use super::{caller, db};
use crate::auth::Role;
use crate::domain;
use crate::error::IntoGql;

/// The authenticated caller, as their token describes them.
#[derive(Description)]
pub struct Me;

#[Object(use_type_description)]
impl Me {
    /// The token's subject (`sub` claim): the caller's stable identifier, as audited.
    async fn subject(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(caller(ctx)?.actor.subject.clone())
    }
    /// The caller's display name (`name` claim).
    async fn name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(caller(ctx)?.actor.name.clone())
    }
    /// The caller's agency (`agency` claim), which decides what they can see.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        let agency_id = caller(ctx)?.actor.agency_id;
        Ok(Agency(
            domain::agencies::get(db(ctx)?, agency_id).await.gql()?,
        ))
    }
    /// The roles Concord recognised in the token's `roles` claim; unknown names are
    /// ignored.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        Ok(caller(ctx)?.actor.roles.iter().copied().collect())
    }
}

/// The `me` query.
#[derive(Default)]
pub struct MeQuery;

#[Object]
impl MeQuery {
    /// The authenticated caller: who the token says they are, their agency and roles.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Me> {
        caller(ctx)?;
        Ok(Me)
    }
}
