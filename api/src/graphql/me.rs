//! `me`: who the token says the caller is.

use async_graphql::{Context, Object};

use super::agency::Agency;
use super::{caller, db};
use crate::auth::Role;
use crate::domain;
use crate::error::IntoGql;

/// The authenticated caller.
pub struct Me;

#[Object]
impl Me {
    /// The token's subject.
    async fn subject(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(caller(ctx)?.actor.subject.clone())
    }
    /// Display name.
    async fn name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(caller(ctx)?.actor.name.clone())
    }
    /// The caller's agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        let agency_id = caller(ctx)?.actor.agency_id;
        Ok(Agency(
            domain::agencies::get(db(ctx)?, agency_id).await.gql()?,
        ))
    }
    /// The roles Concord recognised in the token.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        Ok(caller(ctx)?.actor.roles.iter().copied().collect())
    }
}

/// The `me` query.
#[derive(Default)]
pub struct MeQuery;

#[Object]
impl MeQuery {
    /// The authenticated caller.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Me> {
        caller(ctx)?;
        Ok(Me)
    }
}
