//! Guards around the execution of every request, run by `graphql::hooks`.
//!
//! - [`answer_panics`]: a panic while executing one request becomes an `INTERNAL` error for
//!   that request only: the worker, its other requests and every other caller carry on. A
//!   panic is always a bug, so it is logged as an error with the request's span.
//! - [`refuse_stale_socket`]: an operation sent over a WebSocket was authenticated when the
//!   socket opened; before each one runs, its agency must still be active, so that a
//!   deactivated agency's open socket stops answering at once (HTTP requests check this
//!   when they authenticate).

use std::future::Future;
use std::panic::AssertUnwindSafe;

use async_graphql::extensions::ExtensionContext;
use async_graphql::{Response, ServerError};
use futures_util::FutureExt as _;

use crate::auth::TokenRefusal;

fn internal() -> Response {
    let mut error = ServerError::new("internal error", None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "INTERNAL");
    error.extensions = Some(extensions);
    Response::from_errors(vec![error])
}

/// Runs one request's execution; a panic inside it is answered `INTERNAL` and logged.
pub async fn answer_panics(execution: impl Future<Output = Response>) -> Response {
    match AssertUnwindSafe(execution).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %what, "a request panicked; answered INTERNAL");
            internal()
        }
    }
}

/// Marks an operation that arrived over a WebSocket.
#[derive(Clone, Copy, Debug)]
pub struct SocketOperation;

fn unauthenticated(refusal: TokenRefusal) -> Response {
    let mut error = ServerError::new(refusal.message(), None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "UNAUTHENTICATED");
    extensions.set("reason", refusal.reason());
    error.extensions = Some(extensions);
    Response::from_errors(vec![error])
}

/// The answer to a WebSocket operation whose agency was deactivated (or removed) since
/// the socket opened; `None` for every other operation.
pub async fn refuse_stale_socket(ctx: &ExtensionContext<'_>) -> Option<Response> {
    let from_socket = ctx.data_opt::<SocketOperation>().is_some();
    let (true, Some(caller), Some(db)) = (
        from_socket,
        ctx.data_opt::<crate::domain::Caller>(),
        ctx.data_opt::<sea_orm::DatabaseConnection>(),
    ) else {
        return None;
    };
    match crate::domain::agencies::get(db, caller.actor.agency_id).await {
        Ok(agency) if agency.active => None,
        Ok(_) => Some(unauthenticated(TokenRefusal::InactiveAgency)),
        Err(crate::error::ApiError::NotFound) => Some(unauthenticated(TokenRefusal::UnknownAgency)),
        Err(error) => {
            tracing::error!(%error, "checking the agency of a websocket operation");
            Some(internal())
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};

    struct Query;

    #[Object]
    impl Query {
        async fn fine(&self) -> i32 {
            1
        }
        async fn broken(&self) -> i32 {
            let empty: Vec<i32> = Vec::new();
            // A bug reachable from a request: the guard must contain it.
            #[allow(clippy::indexing_slicing)]
            empty[0]
        }
    }

    #[tokio::test]
    async fn a_panicking_request_is_answered_internal_and_the_next_one_is_served() {
        let schema = Schema::build(Query, EmptyMutation, EmptySubscription)
            .extension(crate::graphql::hooks::Hooks::default())
            .finish();
        let broken = schema.execute("{ broken }").await;
        assert_eq!(broken.errors.len(), 1);
        let code = broken.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| e.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("INTERNAL")));
        let fine = schema.execute("{ fine }").await;
        assert!(fine.errors.is_empty());
    }
}
