//! The GraphQL schema: types and thin resolvers that call `domain`.

pub mod agency;
pub mod child;
pub mod ids;
pub mod loaders;
pub mod me;
pub mod node;

use async_graphql::{Context, EmptySubscription, MergedObject, Schema};
use sea_orm::DatabaseConnection;

use crate::domain::Caller;
use crate::error::{ApiError, IntoGql};

/// The query root, merged from one part per domain area.
#[derive(MergedObject, Default)]
pub struct Query(
    me::MeQuery,
    node::NodeQuery,
    agency::AgencyQuery,
    child::ChildQuery,
);

/// The mutation root, merged from one part per domain area.
#[derive(MergedObject, Default)]
pub struct Mutation(agency::AgencyMutation, child::ChildMutation);

/// Concord's schema.
pub type ConcordSchema = Schema<Query, Mutation, EmptySubscription>;

/// Builds the schema once; the database connection is shared by every request.
pub fn build_schema(db: DatabaseConnection) -> ConcordSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(db)
        .limit_depth(16)
        .limit_complexity(5000)
        .finish()
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .finish()
        .sdl()
}

/// The authenticated caller, or `UNAUTHENTICATED`.
pub fn caller<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Caller> {
    ctx.data_opt::<Caller>()
        .ok_or(ApiError::Unauthenticated)
        .gql()
}

/// The shared database connection.
pub fn db<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}
