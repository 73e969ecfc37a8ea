//! Time limits on what one request may hold: reading its body, and running it.
//!
//! actix-web bounds the time to send a request's headers (`client_request_timeout`) but not
//! its body, so `POST /graphql` reads the body itself, against a deadline and a size limit:
//! a client that sends part of a body and stalls is answered `408` and its connection
//! closed. A GraphQL request (and each query or mutation over a WebSocket) then runs
//! against its own deadline; one that runs longer is ended, which drops its futures (an
//! open transaction rolls back), and answered with `extensions.code` `TIMEOUT`.

use std::future::Future;
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use futures_util::StreamExt as _;
use serde_json::json;

/// The largest request body taken, as actix-web's own default for `web::Bytes`.
pub const MAX_BODY: usize = 256 * 1024;

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// The client did not send it in time.
    TimedOut,
    /// It is larger than [`MAX_BODY`].
    TooLarge,
    /// The connection broke.
    Broken,
}

impl BodyError {
    /// The response: the connection is closed after it, as what is left of the body is
    /// still on it.
    pub fn response(&self) -> HttpResponse {
        let (status, code, message) = match self {
            BodyError::TimedOut => (
                StatusCode::REQUEST_TIMEOUT,
                "REQUEST_TIMEOUT",
                "the request body did not arrive in time",
            ),
            BodyError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "the request body is too large",
            ),
            BodyError::Broken => (
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the request body could not be read",
            ),
        };
        HttpResponse::build(status)
            .force_close()
            .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
            .json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
    }
}

/// Reads the whole body within `limit`, refusing one larger than [`MAX_BODY`] as soon as
/// its `Content-Length` or its bytes say so.
pub async fn read_body(
    mut payload: web::Payload,
    content_length: Option<usize>,
    limit: Duration,
) -> Result<web::Bytes, BodyError> {
    if content_length.is_some_and(|length| length > MAX_BODY) {
        return Err(BodyError::TooLarge);
    }
    let read = async {
        let mut body = web::BytesMut::with_capacity(content_length.unwrap_or(0));
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| BodyError::Broken)?;
            if body.len() + chunk.len() > MAX_BODY {
                return Err(BodyError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    tokio::time::timeout(limit, read)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

/// A request that ran out of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedOut;

/// Runs `work` for at most `limit`; past it, `work` is dropped.
pub async fn run_within<T>(limit: Duration, work: impl Future<Output = T>) -> Result<T, TimedOut> {
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| TimedOut)
}

/// The response of a request that ran out of time: no data, one `TIMEOUT` error.
pub fn timed_out_response(limit: Duration) -> async_graphql::Response {
    let mut error = async_graphql::ServerError::new(
        format!(
            "the request ran longer than {} s and was stopped",
            limit.as_secs_f64()
        ),
        None,
    );
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "TIMEOUT");
    error.extensions = Some(extensions);
    async_graphql::Response::from_errors(vec![error])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_that_runs_longer_than_its_limit_is_stopped_and_dropped() {
        struct Dropped(std::sync::Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Dropped {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let guard = Dropped(dropped.clone());
        let slow = async move {
            let _guard = guard;
            tokio::time::sleep(Duration::from_secs(60)).await;
            1
        };
        assert_eq!(
            run_within(Duration::from_millis(20), slow).await,
            Err(TimedOut)
        );
        assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(run_within(Duration::from_secs(5), async { 2 }).await, Ok(2));
    }

    #[test]
    fn a_timed_out_response_has_no_data_and_one_timeout_error() {
        let response = timed_out_response(Duration::from_secs(30));
        assert_eq!(response.data, async_graphql::Value::Null);
        let code = response.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| e.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("TIMEOUT")));
        assert!(response.errors[0].path.is_empty());
    }
}
