//! GraphQL over WebSocket with the close codes the protocols require.
//!
//! async-graphql's own handler closes with 1002/1011/3008, has no `connection_init` timeout and
//! silently replaces a duplicate operation id, so this module drives both subprotocols itself:
//! `graphql-transport-ws` per <https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>
//! and the legacy `graphql-ws` (subscriptions-transport-ws) the way its reference server does.
//!
//! Close codes (both protocols unless noted):
//! - 4400 `Invalid message received: <detail>` (graphql-transport-ws only; legacy answers bad
//!   messages with `connection_error`/`error` and stays open, like its reference server)
//! - 4401 `Unauthorized`: `subscribe`/`start` before `connection_ack`
//! - 4403 `Forbidden: <reason>`: `on_init` refused the credentials, saying why (`EXPIRED`,
//!   `BAD_SIGNATURE`, …; legacy: after a `connection_error` with the reason)
//! - 4500 `Internal server error`: `on_init` could not check them, e.g. the database failed
//!   (legacy: after a `connection_error`), as the graphql-ws reference server does
//! - 4403 `Forbidden: token expired`: `Session::expires_at` passed
//! - 4408 `Connection initialisation timeout`
//! - 4409 `Subscriber for <id> already exists` (graphql-transport-ws only; legacy replaces the
//!   operation, like its reference server)
//! - 4429 `Too many initialisation requests`
//! - 1000 on legacy `connection_terminate`, 1009/1002 on oversized or broken frames, 1011 if a
//!   message cannot be serialized; a client's close frame is echoed.
//!
//! Layout: this file has the public API, the upgrade and the socket writer; `connection` drives
//! one socket; `transport_ws` and `legacy` hold each protocol's wire messages.
//!
//! Each socket gets one task that reads frames and polls every operation stream, and one writer
//! task behind a bounded queue. Operations are plain streams owned by the first task, so when
//! the socket closes they are all dropped with it and nothing outlives the connection.
//!
//! Every operation is a request of its own: [`Session::operation`] builds its data afresh (for
//! Concord: a new caller with its own clock, request id and audit set, and new DataLoaders), and
//! it runs in a `graphql_ws_operation` span with its request id, operation type and name, ending
//! with one `graphql websocket operation finished` line that records the outcome.
//!
//! Before an operation runs, the session's admission ([`Session::with_admission`]) may refuse
//! it (a rate limit, too many subscriptions): the refusal is the protocol's `error` for that
//! id and the socket stays open. What admission returns for an admitted operation (a
//! subscription's slot) is held while it runs and dropped when it ends, however it ends. A
//! query or mutation is stopped with a `TIMEOUT` error once it has run for
//! [`WsConfig::operation_timeout`]; a subscription runs until it completes.

mod connection;
mod legacy;
mod operation;
mod transport_ws;

use std::future::Future;

use actix_web::{
    HttpMessage as _, HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
    web::{self, Bytes},
};
use actix_ws::{CloseCode, CloseReason};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, ServerError};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use serde_json::{Map, Value};
use tokio::{sync::mpsc, time::Duration};
use tracing::Instrument as _;

use connection::Connection;

/// Frames queued between the operations and the socket writer; small, because a full queue is
/// what stops the operation streams from being polled (see `connection::next_result`). Frames
/// are queued boxed, so that an idle socket's queue (allocated whole) stays small.
const OUTBOUND_CAPACITY: usize = 16;
/// How long a closing socket may take to flush before its writer is aborted.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// Which subprotocol the client chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `graphql-transport-ws`, spoken by the `graphql-ws` client library.
    GraphqlTransportWs,
    /// Legacy subscriptions-transport-ws, whose subprotocol name is `graphql-ws`.
    GraphqlWs,
}

impl Protocol {
    /// Picks from a comma-separated `Sec-WebSocket-Protocol` list, preferring `graphql-transport-ws`.
    pub fn from_header(value: &str) -> Option<Protocol> {
        // Compared exactly: clients check the echoed name byte for byte against what they sent.
        let offered: Vec<&str> = value.split(',').map(str::trim).collect();
        [Protocol::GraphqlTransportWs, Protocol::GraphqlWs]
            .into_iter()
            .find(|p| offered.contains(&p.name()))
    }

    /// The subprotocol name echoed in the response's `Sec-WebSocket-Protocol`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::GraphqlTransportWs => "graphql-transport-ws",
            Protocol::GraphqlWs => "graphql-ws",
        }
    }
}

/// What a successful `connection_init` yields: how to set up each operation, and when the
/// credentials expire.
pub struct Session {
    /// Builds the context of one operation; called afresh for every `subscribe` (`start`).
    pub operation: Box<dyn Fn() -> OperationContext>,
    /// When the credentials stop being valid; the socket is closed at that moment.
    pub expires_at: Option<DateTime<Utc>>,
    /// Decides whether each operation may start; every operation may when `None`.
    pub admit: Option<AdmitFn>,
}

impl Session {
    /// A session whose operations each get the context `operation` builds.
    pub fn new(
        expires_at: Option<DateTime<Utc>>,
        operation: impl Fn() -> OperationContext + 'static,
    ) -> Self {
        Self {
            operation: Box::new(operation),
            expires_at,
            admit: None,
        }
    }

    /// The same session, asking `admit` before each operation starts.
    pub fn with_admission(
        mut self,
        admit: impl Fn(&Starting<'_>) -> Result<Option<Ticket>, ServerError> + 'static,
    ) -> Self {
        self.admit = Some(Box::new(admit));
        self
    }
}

/// What is known of an operation when a client starts it, for admission.
#[derive(Debug)]
pub struct Starting<'a> {
    /// The operation's request id.
    pub request_id: &'a str,
    /// Its type, when its document names one operation unambiguously.
    pub operation_type: Option<OperationType>,
    /// Subscriptions running on this socket, not counting this operation.
    pub socket_subscriptions: usize,
    /// Its document, when it parsed, for checks that must come before async-graphql
    /// prepares it.
    pub document: Option<&'a async_graphql::parser::types::ExecutableDocument>,
    /// Its variables.
    pub variables: &'a async_graphql::Variables,
}

/// Held while an admitted operation runs (a subscription's slot); dropped when it ends.
pub type Ticket = Box<dyn std::any::Any>;

/// Admission: `Ok` with what to hold while the operation runs, or the error to refuse it with.
pub type AdmitFn = Box<dyn Fn(&Starting<'_>) -> Result<Option<Ticket>, ServerError>>;

/// The context of one operation.
pub struct OperationContext {
    /// What the operation's resolvers see through `Context::data`.
    pub data: Data,
    /// The operation's request id, on its span and its log lines.
    pub request_id: String,
}

/// Why `on_init` did not accept a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InitError {
    /// The credentials were refused, with the reason the server can name (`EXPIRED`,
    /// `BAD_SIGNATURE`, …): 4403 `Forbidden: <reason>` (legacy clients first get a
    /// `connection_error` with the reason).
    Forbidden(String),
    /// They could not be checked (the database failed; the caller has logged why): 4500
    /// `Internal server error`.
    Internal,
}

impl InitError {
    /// The close code and reason the protocols use for this refusal.
    pub fn close(&self) -> (u16, String) {
        match self {
            InitError::Forbidden(reason) => (4403, format!("Forbidden: {reason}")),
            InitError::Internal => (4500, "Internal server error".to_owned()),
        }
    }
}

/// Timing settings for a socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WsConfig {
    /// How long a client may take to send `connection_init` before a 4408 close.
    pub init_timeout: Duration,
    /// Interval of legacy `ka` messages or `graphql-transport-ws` `ping`s after the ack; off when `None`.
    pub keepalive: Option<Duration>,
    /// How long a query or mutation may run before it is stopped with `TIMEOUT`; no limit
    /// when `None`. Subscriptions are not timed.
    pub operation_timeout: Option<Duration>,
    /// How long the outbound queue may stay full, the client reading nothing, before the
    /// socket is closed (its operations dropped); also how long a reply waits for room.
    pub write_stall: Duration,
}

/// The default of [`WsConfig::write_stall`]: long enough for a slow network to drain a
/// full queue, short enough that a client that stopped reading holds nothing for long.
pub const WRITE_STALL: Duration = Duration::from_secs(15);

impl Default for WsConfig {
    fn default() -> Self {
        Self {
            init_timeout: Duration::from_secs(10),
            keepalive: None,
            operation_timeout: None,
            write_stall: WRITE_STALL,
        }
    }
}

/// Upgrades the request and runs the chosen protocol on a spawned local task until the socket closes.
///
/// Answers 400 without upgrading when neither subprotocol is offered. `on_init` receives the
/// `connection_init` payload (`null` when absent) and runs at most once per socket.
pub fn start<E, F, Fut>(
    req: &HttpRequest,
    payload: web::Payload,
    executor: E,
    config: WsConfig,
    on_init: F,
) -> Result<HttpResponse, actix_web::Error>
where
    E: Executor,
    F: FnOnce(Value) -> Fut + 'static,
    Fut: Future<Output = Result<Session, InitError>> + 'static,
{
    let offered: Vec<&str> = req
        .headers()
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|v| v.to_str().ok())
        .collect();
    let Some(protocol) = Protocol::from_header(&offered.join(",")) else {
        return Ok(HttpResponse::BadRequest()
            .body("Sec-WebSocket-Protocol must offer graphql-transport-ws or graphql-ws"));
    };
    let (mut response, session, frames) = actix_ws::handle(req, payload)?;
    response.headers_mut().insert(
        header::SEC_WEBSOCKET_PROTOCOL,
        HeaderValue::from_static(protocol.name()),
    );
    let on_init: InitFn = Box::new(move |payload| Box::pin(on_init(payload)));
    // A span of its own, not a child of the upgrade request's (which ends with the 101); it
    // names that request as `connection_id`. Each operation's span is a child of this one.
    let connection_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(ToString::to_string);
    let span = tracing::info_span!(
        parent: None,
        "graphql_ws",
        protocol = protocol.name(),
        connection_id = connection_id.as_deref().unwrap_or_default(),
    );
    // actix-ws sessions are !Send, hence a local task on the worker that accepted the socket.
    let task = async move {
        let _open = crate::metrics::OpenSocket::open();
        let (out, queue) = mpsc::channel(OUTBOUND_CAPACITY);
        let mut writer = actix_web::rt::spawn(write_frames(session, queue));
        Connection::new(protocol, executor, config, out, on_init)
            // A message as large as an HTTP request's body at most, however it is split
            // into frames (each frame at most 64 KiB, actix-http's own limit).
            .run(
                frames
                    .aggregate_continuations()
                    .max_continuation_size(crate::http::deadline::MAX_BODY),
            )
            .await;
        // The connection (and with it every operation stream and the queue's sender) is gone;
        // let the writer flush, but not forever if the client stopped reading.
        if tokio::time::timeout(CLOSE_GRACE, &mut writer)
            .await
            .is_err()
        {
            writer.abort();
        }
    };
    actix_web::rt::spawn(task.instrument(span));
    Ok(response)
}

type InitFn = Box<dyn FnOnce(Value) -> LocalBoxFuture<'static, Result<Session, InitError>>>;

/// A frame for the writer task.
enum Out {
    Text(String),
    Pong(Bytes),
    Close(Option<CloseReason>),
}

/// Owns the actix-ws session; ends after a close frame or when the connection drops the queue.
async fn write_frames(mut session: actix_ws::Session, mut queue: mpsc::Receiver<Box<Out>>) {
    while let Some(frame) = queue.recv().await {
        let sent = match *frame {
            Out::Text(text) => session.text(text).await,
            Out::Pong(bytes) => session.pong(&bytes).await,
            Out::Close(reason) => {
                let _ = session.close(reason).await;
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
    let _ = session.close(Some(CloseCode::Normal.into())).await;
}

/// A client message, common to both protocols.
#[expect(
    clippy::large_enum_variant,
    reason = "one short-lived value per frame; boxing would only add an allocation"
)]
enum Incoming {
    Init(Value),
    Subscribe {
        id: String,
        request: async_graphql::Request,
    },
    /// `complete` in graphql-transport-ws, `stop` in the legacy protocol.
    Complete(String),
    Ping(Option<Map<String, Value>>),
    Pong,
    Terminate,
}

/// Why a text frame was not a valid client message.
enum Rejection {
    NotJson(String),
    Malformed { id: Option<String>, reason: String },
}

/// Builds the operation request; both protocols require `query`, which async-graphql would default to "".
fn parse_request(payload: Value) -> Result<async_graphql::Request, String> {
    if !payload.get("query").is_some_and(Value::is_string) {
        return Err("subscribe payload needs a string \"query\"".to_owned());
    }
    serde_json::from_value(payload).map_err(|e| format!("invalid operation payload: {e}"))
}
