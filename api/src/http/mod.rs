//! actix-web routes: `/graphql` (POST, GET, WebSocket), `/graphiql`, `/healthz`, `/readyz`.
//!
//! HTTP follows the GraphQL over HTTP specification: `application/json` requests,
//! `application/graphql-response+json` or `application/json` responses with their
//! status-code rules, `GET` for queries only, no batching.

pub mod logging;
pub mod ws;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Data, ErrorExtensions as _};
use migration::MigratorTrait as _;
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::auth::{Actor, TokenRefusal, TokenVerifier, actor_from_claims};
use crate::config::Mode;
use crate::domain::{Caller, new_id};
use crate::error::ApiError;
use crate::graphql::ConcordSchema;
use crate::graphql::loaders::Loaders;

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
}

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql_post))
        .route("/graphql", web::get().to(graphql_get))
        .route("/graphql", web::route().to(method_not_allowed))
        .route("/graphiql", web::get().to(graphiql))
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz));
}

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The response media type the client accepts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Media {
    GraphqlResponseJson,
    Json,
}

impl Media {
    fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type from `Accept`; `None` when nothing acceptable is named.
/// No `Accept` means `application/json`, as the specification advises for legacy clients.
fn negotiate(req: &HttpRequest) -> Option<Media> {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Some(Media::Json);
    };
    let mut best = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let mime = parts.next().unwrap_or_default().to_ascii_lowercase();
        let refused = parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"));
        if refused {
            continue;
        }
        match mime.as_str() {
            GRAPHQL_RESPONSE_JSON => return Some(Media::GraphqlResponseJson),
            JSON | "application/*" | "*/*" => best = Some(Media::Json),
            _ => {}
        }
    }
    best
}

/// A request-level error (before execution), as a GraphQL response body.
fn request_error(status: StatusCode, media: Media, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
}

async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "GET, POST"))
        .json(json!({ "errors": [{ "message": "use POST, or GET for queries", "extensions": { "code": "METHOD_NOT_ALLOWED" } }] }))
}

/// The caller of an HTTP or WebSocket request: `Ok(None)` without a token.
async fn authenticate(
    state: &AppState,
    authorization: Option<&str>,
) -> Result<Option<Actor>, ApiError> {
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
    match actor_from_claims(&state.db, claims).await {
        Err(ApiError::Unauthenticated(refusal)) => {
            tracing::info!(reason = refusal.reason(), "token's agency refused");
            Err(ApiError::Unauthenticated(refusal))
        }
        other => other.map(Some),
    }
}

async fn graphql_post(
    state: web::Data<Arc<AppState>>,
    req: HttpRequest,
    body: web::Bytes,
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
        let actor = match authenticate(state, authorization).await {
            Ok(actor) => actor,
            Err(ApiError::Unauthenticated(refusal)) => {
                return unauthenticated(media, &request_id, refusal);
            }
            Err(error) => {
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
        let response = state.schema.execute(request).await;
        let request_failed = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty());
        let status = if media == Media::GraphqlResponseJson && request_failed {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        with_request_id(&mut HttpResponse::build(status), &request_id)
            .insert_header((header::CONTENT_TYPE, media.content_type()))
            .json(response)
    }
}

/// 401 with a GraphQL error body, for a missing or refused token, naming why.
fn unauthenticated(media: Media, request_id: &str, refusal: TokenRefusal) -> HttpResponse {
    with_request_id(&mut HttpResponse::Unauthorized(), request_id)
        .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .json(json!({ "errors": [{ "message": "authentication required", "extensions": { "code": "UNAUTHENTICATED", "reason": refusal.reason() } }] }))
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

/// The WebSocket upgrade: `graphql-transport-ws` or `graphql-ws`, authenticated by the
/// token in `connection_init`; the socket closes when the token expires.
async fn websocket(
    state: web::Data<Arc<AppState>>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let app = state.get_ref().clone();
    let config = app.ws;
    let on_init = move |value: serde_json::Value| async move {
        let token = value
            .get("Authorization")
            .or_else(|| value.get("authorization"))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .or_else(|| {
                value
                    .get("token")
                    .and_then(|v| v.as_str())
                    .map(|t| format!("Bearer {t}"))
            });
        let actor = init_outcome(authenticate(&app, token.as_deref()).await)?;
        let expires_at = Some(actor.expires_at);
        // Each operation is a request of its own: a new caller (its own clock, request id
        // and audit set) and new DataLoaders, as an HTTP request gets.
        Ok(ws::Session::new(expires_at, move || {
            let request_id = new_id().to_string();
            let mut data = Data::default();
            data.insert(Loaders::new(&app.db));
            data.insert(Caller::new(actor.clone(), request_id.clone()));
            data.insert(crate::graphql::guard::SocketOperation);
            ws::OperationContext { data, request_id }
        }))
    };
    match ws::start(&req, payload, state.schema.clone(), config, on_init) {
        Ok(response) => response,
        Err(error) => {
            tracing::info!(%error, "websocket upgrade refused");
            HttpResponse::BadRequest().finish()
        }
    }
}

/// How `connection_init` ends for an authentication result: a missing or refused token is a
/// 4403; anything else (the database failed) is logged with its cause and becomes a 4500.
fn init_outcome(result: Result<Option<Actor>, ApiError>) -> Result<Actor, ws::InitError> {
    match result {
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => Err(ws::InitError::Forbidden(
            TokenRefusal::Missing.reason().to_owned(),
        )),
        Err(ApiError::Unauthenticated(refusal)) => {
            Err(ws::InitError::Forbidden(refusal.reason().to_owned()))
        }
        Err(error) => {
            tracing::error!(
                error = %crate::error::cause_chain(&error),
                "authenticating a websocket connection failed"
            );
            Err(ws::InitError::Internal)
        }
    }
}

async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql")
                .title("Concord GraphiQL")
                .finish(),
        )
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
