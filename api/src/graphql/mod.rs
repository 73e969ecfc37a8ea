//! The GraphQL schema: types and thin resolvers that call `domain`.
//!
//! A field of an object type that reads the database with an audited read (`child`,
//! `plan`, `action`, a node, a count) awaits that read boxed (`Box::pin(…).await`).
//! async-graphql builds one future per field it resolves, as large as the largest field
//! of the object, and moves it into a box: an audited read held inline made every field
//! of `Behaviour`, `JointPlan`, `PlanAction` or `Involvement` (an `id` as much as its
//! `child`) a future of about 6 KB to copy. Copying (`memmove`) was 11 % of the server's
//! samples in a caseload page before, 8 % after (`BENCHMARKS.md`, "Smaller field futures").

pub mod action;
pub mod agency;
pub mod amendment;
pub mod assessment;
pub mod audit;
pub mod behaviour;
pub mod case;
pub mod child;
pub mod chronology;
pub mod deadline;
#[cfg(test)]
mod description_tests;
pub mod disclosure;
pub mod events;
pub mod export;
#[cfg(test)]
mod future_sizes;
pub mod grant;
pub mod guard;
pub mod history;
pub mod hooks;
pub mod ids;
pub mod introspection;
pub mod involvement;
pub mod legal_hold;
pub mod limits;
pub mod loaders;
pub mod me;
pub mod nesting;
pub mod node;
pub mod nul;
pub mod paging;
pub mod plan;
pub mod plan_amendment;
pub mod prefetch;
pub mod record_amendment;
pub mod referral;
pub mod report;
pub mod scalars;
pub mod schemas;

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, MergedObject, ObjectType, Schema, SchemaBuilder, SubscriptionType};
use sea_orm::DatabaseConnection;

use crate::auth::TokenRefusal;
use crate::domain::{Caller, DomainConfig};
use crate::error::{ApiError, IntoGql};
use crate::events::Relay;

/// Every read. Each needs a bearer token; what a caller sees follows from their agency
/// and roles (see `docs/access.md`), and what they may not see reads as not found.
#[derive(MergedObject, Default)]
pub struct Query(
    me::MeQuery,
    node::NodeQuery,
    agency::AgencyQuery,
    child::ChildQuery,
    referral::ReferralQuery,
    plan::PlanQuery,
    action::ActionQuery,
    audit::AuditQuery,
    deadline::DeadlineQuery,
    report::ReportQuery,
    disclosure::DisclosureQuery,
    assessment::AssessmentQuery,
    export::ExportQuery,
);

/// Every change. Each takes one `input` and returns a payload named after what it
/// returns; updates carry `expectedVersion`, and a stale one is a `CONFLICT` error.
#[derive(MergedObject, Default)]
pub struct Mutation(
    agency::AgencyMutation,
    child::ChildMutation,
    involvement::InvolvementMutation,
    referral::ReferralMutation,
    grant::GrantMutation,
    behaviour::BehaviourMutation,
    chronology::ChronologyMutation,
    plan::PlanMutation,
    action::ActionMutation,
    deadline::DeadlineMutation,
    disclosure::DisclosureMutation,
    case::CaseMutation,
    assessment::AssessmentMutation,
    legal_hold::LegalHoldMutation,
    amendment::AmendmentMutation,
    plan_amendment::PlanAmendmentMutation,
    record_amendment::CaseRecordAmendmentMutation,
);

pub use schemas::ConcordSchema;

/// Builds the schema once; the database connection is shared by every request.
pub fn build_schema(db: DatabaseConnection, config: DomainConfig, relay: Relay) -> ConcordSchema {
    build_schema_with(db, config, relay, introspection::SchemaOptions::default())
}

/// Builds the schema with field suggestions, introspection and request limits as
/// `options` say.
pub fn build_schema_with(
    db: DatabaseConnection,
    config: DomainConfig,
    relay: Relay,
    options: introspection::SchemaOptions,
) -> ConcordSchema {
    build_schema_with_read(db.clone(), db, config, relay, options)
}

/// [`build_schema_with`], with `read` (a replica, or the primary again) as [`ReadDb`].
pub fn build_schema_with_read(
    db: DatabaseConnection,
    read: DatabaseConnection,
    config: DomainConfig,
    relay: Relay,
    options: introspection::SchemaOptions,
) -> ConcordSchema {
    // The rules every write's refresh of the stored deadlines derives under.
    crate::domain::deadlines::stored::install(&config);
    let build = || {
        let mut builder = describe_connections(Schema::build(
            Query::default(),
            Mutation::default(),
            events::Subscription,
        ))
        .data(db.clone())
        .data(ReadDb(read.clone()))
        .data(config.clone())
        .data(relay.clone());
        if !options.suggestions {
            builder = builder.disable_suggestions();
        }
        if !options.introspection {
            builder = builder.disable_introspection();
        }
        builder
    };
    let hooks = hooks::Hooks {
        limits: options.limits,
        refuse_introspection: !options.introspection,
    };
    let hooked = build().extension(hooks).finish();
    let plain = build()
        .limit_depth(options.limits.max_depth)
        .limit_complexity(options.limits.max_cost)
        .finish();
    ConcordSchema::new(hooked, plain, hooks)
}

/// The SDL of the schema, as committed in `schema.graphql`, with each scalar's
/// `@specifiedBy` so that code generators and readers find its format.
pub fn sdl() -> String {
    describe_connections(Schema::build(
        Query::default(),
        Mutation::default(),
        events::Subscription,
    ))
    .finish()
    .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}

/// A page of `N`, as the paginated lists return it.
type Page<N> = Connection<String, N, paging::ConnectionFields, EmptyFields>;

/// Describes the connection types, which async-graphql generates without a description.
fn describe_connections<Q, M, S>(builder: SchemaBuilder<Q, M, S>) -> SchemaBuilder<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    builder
        .override_output_type_description::<Page<child::Child>>(
            "A page of children (Relay cursor connection): `edges` or `nodes`, `pageInfo` \
             to fetch the next page, and `totalCount`.",
        )
        .override_output_type_description::<Page<referral::Referral>>(
            "A page of referrals (Relay cursor connection): `edges` or `nodes`, `pageInfo` \
             to fetch the next page, and `totalCount`.",
        )
        .override_output_type_description::<Page<disclosure::DisclosureRequest>>(
            "A page of disclosure requests (Relay cursor connection): `edges` or `nodes`, \
             `pageInfo` to fetch the next page, and `totalCount`.",
        )
        .override_output_type_description::<Page<assessment::AssessmentContribution>>(
            "A page of assessment contributions (Relay cursor connection): `edges` or \
             `nodes`, `pageInfo` to fetch the next page, and `totalCount`.",
        )
        .override_output_type_description::<Page<audit::AuditEvent>>(
            "A page of audit log rows (Relay cursor connection): `edges` or `nodes`, \
             `pageInfo` to fetch the next page, and `totalCount`.",
        )
        .override_output_type_description::<deadline::DeadlineConnection>(
            "A page of deadlines (Relay cursor connection): `edges` or `nodes`, `pageInfo` \
             to fetch the next page, and `totalCount`.",
        )
        .override_output_type_description::<child::BehaviourConnection>(
            "A page of a child's behaviours (Relay cursor connection): `edges` or `nodes`, \
             `pageInfo` to fetch the next page, and `totalCount`.",
        )
        .override_output_type_description::<child::ChronologyEntryConnection>(
            "A page of a child's chronology (Relay cursor connection): `edges` or `nodes`, \
             `pageInfo` to page forwards or backwards, and `totalCount`.",
        )
        .override_output_type_description::<child::JointPlanConnection>(
            "A page of a child's joint plans (Relay cursor connection): `edges` or `nodes`, \
             `pageInfo` to fetch the next page, and `totalCount`.",
        )
}

/// The authenticated caller, or `UNAUTHENTICATED`.
pub fn caller<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Caller> {
    ctx.data_opt::<Caller>()
        .ok_or(ApiError::Unauthenticated(TokenRefusal::Missing))
        .gql()
}

/// One of the request's database slots (`domain::MAX_DB_CONCURRENCY`): a resolver that
/// reads under a list takes one first, so a long list waits its turn instead of taking
/// the whole pool.
pub async fn db_slot<'a>(
    ctx: &'a Context<'_>,
) -> async_graphql::Result<tokio::sync::SemaphorePermit<'a>> {
    caller(ctx)?.db_slot().await.gql()
}

/// The shared database connection.
pub fn db<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}

/// The connection for reads that may lag the primary a little (a replica): reports,
/// dashboards, exports. Never for deciding access or writing.
#[derive(Clone, Debug)]
pub struct ReadDb(pub DatabaseConnection);

/// The read connection ([`ReadDb`]), or the primary when none is set.
pub fn read_db<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a DatabaseConnection> {
    match ctx.data_opt::<ReadDb>() {
        Some(read) => Ok(&read.0),
        None => db(ctx),
    }
}

/// The rules' configuration (designated agencies).
pub fn config<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a DomainConfig> {
    ctx.data::<DomainConfig>()
}

/// An agency by id through the request's loader.
pub async fn agency_by_id(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<agency::Agency> {
    let loaders = ctx.data::<loaders::Loaders>()?;
    loaders
        .agencies
        .load_one(id)
        .await
        .map_err(loaders::loader_error)?
        .map(agency::Agency)
        .ok_or(ApiError::NotFound)
        .gql()
}

/// Agencies by id through the request's loader, in the order given.
pub async fn agencies_by_ids(
    ctx: &Context<'_>,
    ids: &[uuid::Uuid],
) -> async_graphql::Result<Vec<agency::Agency>> {
    let loaders = ctx.data::<loaders::Loaders>()?;
    let found = loaders
        .agencies
        .load_many(ids.iter().copied())
        .await
        .map_err(loaders::loader_error)?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id).cloned().map(agency::Agency))
        .collect())
}

/// The lead agency of a child, through the request's loader.
pub async fn lead_agency_id(
    ctx: &Context<'_>,
    child_id: uuid::Uuid,
) -> async_graphql::Result<Option<uuid::Uuid>> {
    let loaders = ctx.data::<loaders::Loaders>()?;
    let team = loaders
        .involvements
        .load_one(child_id)
        .await
        .map_err(loaders::loader_error)?
        .unwrap_or_default();
    Ok(crate::policy::lead_agency(&team))
}

/// A child the caller may read, looked up through the request's loader (one statement
/// for every child asked for at once) and audited exactly as `child(id)`: the read, or
/// the miss answered `NOT_FOUND`.
pub async fn visible_child(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<child::Child> {
    child_lookup_audited(ctx, id).await?.map(child::Child).gql()
}

/// The child `id` for a nullable field of another object, read as `node(id:)` reads it
/// (audited, holding a slot of the request's connections): `None` when the caller may
/// not read the child's record.
pub async fn readable_child(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<child::Child>> {
    let _slot = db_slot(ctx).await?;
    Ok(Box::pin(crate::domain::children::read_node_audited(
        db(ctx)?,
        caller(ctx)?,
        id,
    ))
    .await
    .gql()?
    .map(child::Child))
}

/// [`visible_child`] for a nullable field: `None` when missing or not visible (audited).
pub async fn visible_child_or_none(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<child::Child>> {
    match child_lookup_audited(ctx, id).await? {
        Ok(found) => Ok(Some(child::Child(found))),
        Err(ApiError::NotFound) => Ok(None),
        Err(error) => Err(error).gql(),
    }
}

async fn child_lookup_audited(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<crate::error::ApiResult<entity::children::Model>> {
    let caller = caller(ctx)?;
    let found = ctx
        .data::<loaders::Loaders>()?
        .visible_children(caller)
        .gql()?
        .load_one(id)
        .await
        .map_err(loaders::loader_error)?;
    Ok(Box::pin(crate::domain::visible::audit_child_lookup(
        db(ctx)?,
        caller,
        id,
        found,
    ))
    .await)
}

/// Decodes an optional list of agency global ids for input field `field`.
pub fn agency_ids(
    ids: &[async_graphql::ID],
    field: &str,
) -> async_graphql::Result<Vec<uuid::Uuid>> {
    ids.iter()
        .map(|id| ids::decode_as(id, "Agency", field))
        .collect::<Result<_, _>>()
        .gql()
}
