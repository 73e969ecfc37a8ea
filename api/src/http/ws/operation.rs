//! One operation running on a socket: its bookkeeping (generation, abort handle, span,
//! outcome), the stream polled inside its span, and the deadline and task of a query or
//! mutation.

use std::pin::Pin;
use std::time::Duration;

use async_graphql::{ErrorExtensionValues, Response, ServerError};
use futures_util::{
    StreamExt,
    stream::{self, AbortHandle, BoxStream},
    task::{Context, Poll},
};
use tokio::time::Instant;
use tracing::Span;

use super::Ticket;

/// One item from an operation stream, tagged so stale items of completed operations can be dropped.
pub(super) struct OpEvent {
    pub(super) id: String,
    pub(super) generation: u64,
    /// `Some((is_first, response))`, or `None` once the stream has ended.
    pub(super) item: Option<(bool, Response)>,
}

/// A running operation.
pub(super) struct Active {
    pub(super) generation: u64,
    pub(super) abort: AbortHandle,
    /// The operation's span: request id, operation type and name, outcome.
    pub(super) span: Span,
    /// Whether a response carried errors.
    pub(super) errors: bool,
    /// Whether the operation failed before execution (parse or validation).
    pub(super) rejected: bool,
    /// Whether it is a subscription, for the per-socket count.
    pub(super) subscription: bool,
    /// What admission gave it to hold while it runs (a subscription's slot).
    pub(super) _ticket: Option<Ticket>,
}

impl Active {
    /// Records how the operation ended, on its span and in one log line.
    pub(super) fn finish(self, outcome: &'static str) {
        self.span.record("outcome", outcome);
        self.span
            .in_scope(|| tracing::info!(outcome, "graphql websocket operation finished"));
    }

    /// How a stream that ended by itself went.
    pub(super) fn completed(&self) -> &'static str {
        if self.rejected {
            "rejected"
        } else if self.errors {
            "errors"
        } else {
            "ok"
        }
    }
}

/// An operation stream polled inside the operation's span, so that what its resolvers log
/// carries the operation's request id.
pub(super) struct InSpan<S> {
    pub(super) inner: S,
    pub(super) span: Span,
}

impl<S: futures_util::Stream + Unpin> futures_util::Stream for InSpan<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = &mut *self;
        let _entered = this.span.enter();
        this.inner.poll_next_unpin(cx)
    }
}

/// Ends a query's or mutation's stream with a `TIMEOUT` error once it has run for `limit`.
pub(super) fn with_deadline(
    inner: BoxStream<'static, Response>,
    limit: Duration,
) -> BoxStream<'static, Response> {
    let deadline = Instant::now() + limit;
    stream::unfold(Some(inner), move |state| async move {
        let mut inner = state?;
        match tokio::time::timeout_at(deadline, inner.next()).await {
            Ok(Some(response)) => Some((response, Some(inner))),
            Ok(None) => None,
            Err(_) => {
                tracing::warn!(
                    timeout_ms = limit.as_millis(),
                    "graphql websocket operation timed out"
                );
                Some((crate::http::deadline::timed_out_response(limit), None))
            }
        }
    })
    .boxed()
}

/// Runs a query's or mutation's stream to its end on a task of its own, and yields what
/// it answered.
///
/// A subscription's stream is polled only when the socket has room for its next event
/// (`connection::next_result`), which holds back a client that reads slowly. A query or
/// mutation must not be held back that way: its transaction (and on SQLite the one
/// writer) would wait on a client that stopped reading, and every other caller's writes
/// with it. So it runs to its end (or its deadline) whether or not the socket is read, and
/// only its answer, one response, waits for room. A `complete` from the client, or the
/// socket closing, drops the answer; the write still commits or rolls back whole.
pub(super) fn detached(
    inner: impl futures_util::Stream<Item = Response> + Send + 'static,
) -> BoxStream<'static, Response> {
    let task = tokio::spawn(inner.collect::<Vec<Response>>());
    stream::once(task)
        .flat_map(|answered| {
            let responses = answered.unwrap_or_else(|error| {
                tracing::error!(%error, "a graphql websocket operation's task failed");
                let mut internal = ServerError::new("internal error", None);
                let mut extensions = ErrorExtensionValues::default();
                extensions.set("code", "INTERNAL");
                internal.extensions = Some(extensions);
                vec![Response::from_errors(vec![internal])]
            });
            stream::iter(responses)
        })
        .boxed()
}
