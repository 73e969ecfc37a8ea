//! The WebSocket upgrade of `/graphql`: authentication in `connection_init`, and the
//! context each operation over the socket gets.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::Data;
use serde_json::json;

use super::{AppState, Refused, admission, authenticate, ws};
use crate::auth::{Actor, TokenRefusal};
use crate::domain::{Caller, new_id};
use crate::error::ApiError;
use crate::graphql::loaders::Loaders;

/// The WebSocket upgrade: `graphql-transport-ws` or `graphql-ws`, authenticated by the
/// token in `connection_init`; the socket closes when the token expires.
pub(super) async fn websocket(
    state: web::Data<Arc<AppState>>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    // Browsers do not preflight a WebSocket: a page on any origin could open one with the
    // token it holds, so the origin is checked before upgrading (see `cors`).
    if !state.cors.allows_websocket(&req) {
        let origin = req.headers().get(header::ORIGIN).map(|o| {
            String::from_utf8_lossy(o.as_bytes())
                .chars()
                .take(200)
                .collect::<String>()
        });
        tracing::warn!(
            origin = origin.as_deref(),
            "websocket upgrade refused: origin not allowed"
        );
        return HttpResponse::Forbidden()
            .json(json!({ "errors": [{ "message": "this origin may not open a WebSocket; add it to CONCORD_CORS_ORIGINS", "extensions": { "code": "FORBIDDEN", "reason": "ORIGIN_NOT_ALLOWED" } }] }));
    }
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
        // The upgrade request counted against the address; each operation counts against
        // the subject as it starts (see `admission`).
        let actor = init_outcome(authenticate(&app, token.as_deref(), false).await)?;
        let expires_at = Some(actor.expires_at);
        let admitting = (app.clone(), actor.clone());
        // Each operation is a request of its own: a new caller (its own clock, request id
        // and audit set) and new DataLoaders, as an HTTP request gets.
        let session = ws::Session::new(expires_at, move || {
            let request_id = new_id().to_string();
            let mut data = Data::default();
            data.insert(Loaders::new(&app.db));
            data.insert(Caller::new(actor.clone(), request_id.clone()));
            data.insert(crate::graphql::guard::SocketOperation);
            ws::OperationContext { data, request_id }
        });
        Ok(session
            .with_admission(move |starting| admission::admit(&admitting.0, &admitting.1, starting)))
    };
    match ws::start(
        &req,
        payload,
        state.schema.hooked().clone(),
        config,
        on_init,
    ) {
        Ok(response) => response,
        Err(error) => {
            tracing::info!(%error, "websocket upgrade refused");
            HttpResponse::BadRequest().finish()
        }
    }
}

/// How `connection_init` ends for an authentication result: a missing or refused token is a
/// 4403; anything else (the database failed) is logged with its cause and becomes a 4500.
fn init_outcome(result: Result<Option<Actor>, Refused>) -> Result<Actor, ws::InitError> {
    match result {
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => Err(ws::InitError::Forbidden(
            TokenRefusal::Missing.reason().to_owned(),
        )),
        Err(Refused::Api(ApiError::Unauthenticated(refusal))) => {
            Err(ws::InitError::Forbidden(refusal.reason().to_owned()))
        }
        // `connection_init` does not count against the subject, so this does not happen.
        Err(Refused::RateLimited(_)) => Err(ws::InitError::Forbidden("RATE_LIMITED".to_owned())),
        Err(Refused::Api(error)) => {
            tracing::error!(
                error = %crate::error::cause_chain(&error),
                "authenticating a websocket connection failed"
            );
            Err(ws::InitError::Internal)
        }
    }
}
