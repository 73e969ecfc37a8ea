//! Request logging with `tracing-actix-web`.
//!
//! Every HTTP request runs in an `http_request` span carrying its request id (the one the
//! `Caller` writes to audit rows and the `x-request-id` header returns), method, route and
//! the client's address (the TCP peer: behind a proxy, the proxy's); a GraphQL request adds
//! its operation type and name. When the response is ready one `request finished` line, the
//! access log, records the status and the latency in milliseconds with the span's fields.
//! The same moment counts the request in the HTTP metrics (`crate::metrics`).
//!
//! Nothing a client sent is logged beyond that: not the query string (a `GET /graphql` carries
//! the query and its variables there), not the body, not headers. WebSocket operations get
//! spans of their own (see `ws`).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage as _};
use tracing::{Span, field::Empty};
use tracing_actix_web::{RequestId, RootSpanBuilder, TracingLogger};

/// The request-logging middleware.
pub fn middleware() -> TracingLogger<RequestSpan> {
    TracingLogger::new()
}

/// Builds the `http_request` span of each request.
pub struct RequestSpan;

/// When the request arrived, for its latency.
#[derive(Clone, Copy)]
struct Started(Instant);

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(Started(Instant::now()));
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        // The route's pattern, never the path as sent: unknown paths are not echoed either.
        let route = request.match_pattern();
        tracing::info_span!(
            "http_request",
            request_id = %request_id,
            method = %request.method(),
            route = route.as_deref().unwrap_or("unmatched"),
            client_address = %request.peer_addr().map(|peer| peer.ip().to_string()).unwrap_or_default(),
            operation_type = Empty,
            operation_name = Empty,
            status = Empty,
            latency_ms = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, started, method, route) = match outcome {
            Ok(response) => {
                let request = response.request();
                (
                    response.status(),
                    request.extensions().get::<Started>().copied(),
                    crate::metrics::method_label(request.method()),
                    request.match_pattern(),
                )
            }
            Err(error) => (error.as_response_error().status_code(), None, "OTHER", None),
        };
        let elapsed = started.map(|Started(at)| at.elapsed());
        let latency_ms =
            elapsed.map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX));
        crate::metrics::http_request(
            method,
            route.as_deref().unwrap_or("unmatched"),
            status.as_u16(),
            elapsed.map(|elapsed| elapsed.as_secs_f64()),
        );
        span.record("status", status.as_u16());
        if let Some(latency_ms) = latency_ms {
            span.record("latency_ms", latency_ms);
        }
        span.in_scope(|| {
            tracing::info!(status = status.as_u16(), latency_ms, "request finished");
        });
    }
}
