//! actix-web routes: `/graphql` (POST, GET, WebSocket), `/graphiql`, `/healthz`, `/readyz`.
//!
//! HTTP follows the GraphQL over HTTP specification: `application/json` requests,
//! `application/graphql-response+json` or `application/json` responses with their
//! status-code rules, `GET` for queries only, no batching. Browsers on other origins are
//! let in by [`cors`].

mod admission;
pub mod cors;
pub mod deadline;
mod graphiql;
pub mod logging;
mod media;
pub mod metrics;
mod socket;
pub mod throttle;
pub mod ws;

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse, web};
use async_graphql::ErrorExtensions as _;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use migration::MigratorTrait as _;
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::auth::{Actor, TokenRefusal, TokenVerifier, actor_from_claims};
use crate::config::Mode;
use crate::domain::{Caller, new_id};
use crate::error::ApiError;
use crate::graphql::ConcordSchema;
use crate::graphql::loaders::Loaders;

use media::{JSON, Media, negotiate, request_error};
use socket::websocket;

/// What every handler shares.
pub struct AppState {
    /// The database.
    pub db: DatabaseConnection,
    /// The schema, built once.
    pub schema: ConcordSchema,
    /// The token verifier.
    pub verifier: TokenVerifier,
    /// Development or production.
    pub mode: Mode,
    /// WebSocket timing: the `connection_init` timeout and the keep-alive interval.
    pub ws: ws::WsConfig,
    /// Requests per subject and per client address.
    pub rate_limits: Arc<throttle::RateLimits>,
    /// Subscriptions per subject, over every socket.
    pub subscription_slots: Arc<throttle::SubscriptionSlots>,
    /// Subscriptions per socket.
    pub max_subscriptions_per_connection: usize,
    /// How long a client may take to send a request body.
    pub body_timeout: Duration,
    /// How long one request may run.
    pub request_timeout: Duration,
    /// The origins whose pages may call Concord (CORS, and WebSocket upgrades).
    pub cors: cors::AllowedOrigins,
}

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql_post))
        .route("/graphql", web::get().to(graphql_get))
        .route("/graphql", web::route().to(method_not_allowed))
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .configure(graphiql::routes);
}

async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "GET, POST"))
        .json(json!({ "errors": [{ "message": "use POST, or GET for queries", "extensions": { "code": "METHOD_NOT_ALLOWED" } }] }))
}

/// Why a request was not let through to the schema.
enum Refused {
    /// A refused token, or a failure checking it.
    Api(ApiError),
    /// The token's subject is over its rate limit.
    RateLimited(throttle::RetryAfter),
}

impl From<ApiError> for Refused {
    fn from(error: ApiError) -> Self {
        Refused::Api(error)
    }
}

/// The caller of an HTTP or WebSocket request: `Ok(None)` without a token. With
/// `count_subject`, the request counts against its subject's rate limit once the token's
/// signature is verified, and before its agency is looked at: a refused agency counts too.
async fn authenticate(
    state: &AppState,
    authorization: Option<&str>,
    count_subject: bool,
) -> Result<Option<Actor>, Refused> {
    let Some(value) = authorization else {
        return Ok(None);
    };
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthenticated(TokenRefusal::Missing))?;
    let claims = state.verifier.verify(token).map_err(|error| {
        tracing::info!(%error, "token refused");
        ApiError::Unauthenticated(error.refusal())
    })?;
    if count_subject && let Err(retry) = state.rate_limits.check_subject(&claims.sub) {
        tracing::info!(
            subject = %claims.sub,
            retry_after = retry.seconds(),
            "request rate limited by subject"
        );
        return Err(Refused::RateLimited(retry));
    }
    match actor_from_claims(&state.db, claims).await {
        Err(ApiError::Unauthenticated(refusal)) => {
            tracing::info!(reason = refusal.reason(), "token's agency refused");
            Err(ApiError::Unauthenticated(refusal).into())
        }
        other => Ok(Some(other?)),
    }
}

async fn graphql_post(
    state: web::Data<Arc<AppState>>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            Media::Json,
            "NOT_ACCEPTABLE",
            "accept application/graphql-response+json or application/json",
        );
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if content_type.as_deref() != Some(JSON) {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the request as application/json",
        );
    }
    let content_length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    let body = match deadline::read_body(payload, content_length, state.body_timeout).await {
        Ok(body) => body,
        Err(error) => {
            tracing::info!(?error, "request body refused");
            return error.response();
        }
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(_) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_REQUEST",
                "the body is not valid JSON",
            );
        }
    };
    if value.is_array() {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            "BAD_REQUEST",
            "batched requests are not supported",
        );
    }
    let valid_shape = value.get("query").is_some_and(serde_json::Value::is_string)
        && value
            .get("variables")
            .is_none_or(|v| v.is_object() || v.is_null())
        && value
            .get("operationName")
            .is_none_or(|v| v.is_string() || v.is_null());
    let request: async_graphql::Request = match serde_json::from_value(value) {
        Ok(request) if valid_shape => request,
        _ => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_REQUEST",
                "expected {\"query\": string, \"variables\"?: object, \"operationName\"?: string}",
            );
        }
    };
    execute(&state, &req, media, request).await
}

async fn graphql_get(
    state: web::Data<Arc<AppState>>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    if req
        .headers()
        .get(header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
    {
        return websocket(state, req, payload).await;
    }
    let Some(media) = negotiate(&req) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            Media::Json,
            "NOT_ACCEPTABLE",
            "accept application/graphql-response+json or application/json",
        );
    };
    let mut request = match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(request) if !request.query.trim().is_empty() => request,
        _ => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_REQUEST",
                "expected ?query=…&variables=…&operationName=…",
            );
        }
    };
    let (operation, _) = operation_of(&mut request);
    if operation.is_some_and(|ty| ty != OperationType::Query) {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "POST"))
            .insert_header((header::CONTENT_TYPE, media.content_type()))
            .json(json!({ "errors": [{ "message": "only queries may use GET; send mutations with POST", "extensions": { "code": "METHOD_NOT_ALLOWED" } }] }));
    }
    execute(&state, &req, media, request).await
}

/// The type and name of the operation a request runs, when its document parses and names
/// one unambiguously. Parsing here costs nothing extra: the request keeps the parsed document
/// for execution.
pub(crate) fn operation_of(
    request: &mut async_graphql::Request,
) -> (Option<OperationType>, Option<String>) {
    let operation_name = request.operation_name.clone();
    // Never parsed: `ConcordSchema::execute` and the sockets refuse it.
    if crate::graphql::nesting::too_deep(&request.query) {
        return (None, None);
    }
    let Ok(document) = request.parsed_query() else {
        return (None, None);
    };
    match &document.operations {
        DocumentOperations::Single(op) => (Some(op.node.ty), None),
        DocumentOperations::Multiple(ops) => match operation_name {
            Some(name) => match ops.iter().find(|(n, _)| n.as_str() == name) {
                Some((_, op)) => (Some(op.node.ty), Some(name)),
                None => (None, None),
            },
            None if ops.len() == 1 => match ops.iter().next() {
                Some((name, op)) => (Some(op.node.ty), Some(name.to_string())),
                None => (None, None),
            },
            None => (None, None),
        },
    }
}

/// `query`, `mutation` or `subscription`, as logged.
pub(crate) fn operation_type_name(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

/// The id of this request: the one the request-logging middleware put on the request's span
/// (a new one only when the middleware is not installed). It is also the `Caller`'s, so audit
/// rows, log lines and the `x-request-id` response header agree.
fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<tracing_actix_web::RequestId>()
        .map_or_else(|| new_id().to_string(), ToString::to_string)
}

/// Runs one GraphQL request with its caller, loaders and request id.
async fn execute(
    state: &AppState,
    req: &HttpRequest,
    media: Media,
    mut request: async_graphql::Request,
) -> HttpResponse {
    let request_id = request_id(req);
    // The request's span is the middleware's (see `logging`): add what the operation is.
    let (operation_type, operation_name) = operation_of(&mut request);
    let span = tracing::Span::current();
    if let Some(ty) = operation_type {
        span.record("operation_type", operation_type_name(ty));
    }
    if let Some(name) = &operation_name {
        span.record("operation_name", name.as_str());
    }
    {
        let authorization = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let actor = match authenticate(state, authorization, true).await {
            Ok(actor) => actor,
            Err(Refused::RateLimited(retry)) => {
                return throttle::too_many_requests(retry, Some(&request_id));
            }
            Err(Refused::Api(ApiError::Unauthenticated(refusal))) => {
                return unauthenticated(media, &request_id, refusal);
            }
            Err(Refused::Api(error)) => {
                let error = error.extend();
                return request_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    media,
                    "INTERNAL",
                    &error.message,
                );
            }
        };
        let mut request = request.data(Loaders::new(&state.db));
        match actor {
            Some(actor) => request = request.data(Caller::new(actor, request_id.clone())),
            // Without a token only development mode may introspect (every resolver
            // still answers UNAUTHENTICATED); production refuses the request outright.
            None if state.mode == Mode::Production => {
                return unauthenticated(media, &request_id, TokenRefusal::Missing);
            }
            None => {}
        }
        let limit = state.request_timeout;
        let (response, timed_out) =
            match deadline::run_within(limit, state.schema.execute(request)).await {
                Ok(response) => (response, false),
                Err(deadline::TimedOut) => {
                    tracing::warn!(timeout_ms = limit.as_millis(), "request timed out");
                    (deadline::timed_out_response(limit), true)
                }
            };
        let request_failed = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty());
        // application/json is always 200; under graphql-response+json a request that ran
        // out of time is the server's failure, not the client's.
        let status = match media {
            Media::GraphqlResponseJson if timed_out => StatusCode::SERVICE_UNAVAILABLE,
            Media::GraphqlResponseJson if request_failed => StatusCode::BAD_REQUEST,
            _ => StatusCode::OK,
        };
        let mut builder = HttpResponse::build(status);
        with_request_id(&mut builder, &request_id)
            .insert_header((header::CONTENT_TYPE, media.content_type()));
        if request_failed {
            // Nothing ran (the document did not parse or validate, or time ran out before
            // it could): the response has no `data` entry at all, not `"data": null`.
            builder.json(json!({ "errors": response.errors }))
        } else {
            builder.json(response)
        }
    }
}

/// 401 with a GraphQL error body, for a missing or refused token, naming why.
fn unauthenticated(media: Media, request_id: &str, refusal: TokenRefusal) -> HttpResponse {
    with_request_id(&mut HttpResponse::Unauthorized(), request_id)
        .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .json(json!({ "errors": [{ "message": refusal.message(), "extensions": { "code": "UNAUTHENTICATED", "reason": refusal.reason() } }] }))
}

fn with_request_id<'a>(
    builder: &'a mut actix_web::HttpResponseBuilder,
    request_id: &str,
) -> &'a mut actix_web::HttpResponseBuilder {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        builder.insert_header(("x-request-id", value));
    }
    builder
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "up" }))
}

async fn readyz(state: web::Data<Arc<AppState>>) -> HttpResponse {
    if let Err(error) = state.db.ping().await {
        tracing::warn!(%error, "database unreachable");
        return HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "database unreachable" }));
    }
    match migration::Migrator::get_pending_migrations_read_only(&state.db).await {
        Ok(pending) if pending.is_empty() => HttpResponse::Ok().json(json!({ "status": "ready" })),
        Ok(pending) => HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "migrations pending", "pending": pending.len() })),
        Err(error) => {
            tracing::warn!(%error, "cannot read migration state");
            HttpResponse::ServiceUnavailable().json(json!({ "status": "migration state unknown" }))
        }
    }
}
