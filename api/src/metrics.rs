//! What an operator watches the service by: counters, gauges and histograms, rendered in
//! the Prometheus text format at `/metrics` (see `http::metrics` for who may read it).
//!
//! Metrics are recorded with the `metrics` crate's macros into one process-wide recorder
//! from `metrics-exporter-prometheus`, installed the first time a server is built; the
//! exporter opens no listener of its own. What the recorder cannot see by itself (the
//! outbox lag, the database pools, the subscriptions the relay feeds) is measured when
//! `/metrics` is read.
//!
//! No label carries anything a client chose except the GraphQL operation name, and that
//! only as a name the GraphQL grammar allows, at most [`MAX_NAME_LEN`] characters, and
//! among the first [`MAX_OPERATION_NAMES`] names seen; any other is counted as `other`.
//! Nothing about a child, a case or a caller is ever a label.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{DatabaseBackend, DatabaseConnection};

use crate::events::Relay;

/// GraphQL operations run (queries and mutations), by `operation`, `type` and `outcome`.
pub const OPERATIONS: &str = "concord_graphql_operations_total";
/// Seconds a GraphQL operation took, by `operation` and `type`.
pub const OPERATION_SECONDS: &str = "concord_graphql_operation_duration_seconds";
/// HTTP requests answered, by `method`, `route` and `status`.
pub const HTTP_REQUESTS: &str = "concord_http_requests_total";
/// Seconds an HTTP request took, by `route`.
pub const HTTP_SECONDS: &str = "concord_http_request_duration_seconds";
/// Open GraphQL WebSocket connections.
pub const WS_CONNECTIONS: &str = "concord_websocket_connections";
/// Subscriptions the outbox relay of this process feeds.
pub const SUBSCRIPTIONS: &str = "concord_subscriptions";
/// The newest outbox `seq` less the last one this process's relay delivered.
pub const OUTBOX_LAG: &str = "concord_outbox_lag_events";
/// Database connections of a `pool` by `state` (`in_use`, `idle`, `max`).
pub const DB_CONNECTIONS: &str = "concord_db_pool_connections";
/// Requests and connections refused by a limit, by `limit` (`subject`, `address`,
/// `connections`).
pub const RATE_LIMITED: &str = "concord_rate_limited_total";

/// How many distinct operation names are counted under their own name.
pub const MAX_OPERATION_NAMES: usize = 200;
/// The longest operation name counted under its own name.
pub const MAX_NAME_LEN: usize = 64;

/// Latency buckets, in seconds: a few milliseconds up to the request timeout.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's recorder, installed on first use; `None` if something else installed a
/// global recorder first (then nothing is rendered).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &BUCKETS);
            match builder.and_then(PrometheusBuilder::install_recorder) {
                Ok(handle) => {
                    describe();
                    Some(handle)
                }
                Err(error) => {
                    tracing::warn!(%error, "metrics recorder not installed; /metrics stays empty");
                    None
                }
            }
        })
        .as_ref()
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        OPERATIONS,
        "GraphQL queries and mutations run, by operation name, type and outcome (ok or the error code)"
    );
    describe_histogram!(
        OPERATION_SECONDS,
        Unit::Seconds,
        "Time to run a GraphQL query or mutation"
    );
    describe_counter!(HTTP_REQUESTS, "HTTP requests answered, by route and status");
    describe_histogram!(
        HTTP_SECONDS,
        Unit::Seconds,
        "Time to answer an HTTP request"
    );
    describe_gauge!(WS_CONNECTIONS, "Open GraphQL WebSocket connections");
    describe_gauge!(
        SUBSCRIPTIONS,
        "Subscriptions the outbox relay of this process feeds"
    );
    describe_gauge!(
        OUTBOX_LAG,
        "Outbox events written but not yet delivered by this process"
    );
    describe_gauge!(
        DB_CONNECTIONS,
        "Database connections by pool and state (in_use, idle, max)"
    );
    describe_counter!(
        RATE_LIMITED,
        "Requests and connections refused by a limit, by limit"
    );
}

/// Counts a refusal by the rate or connection limit `limit`.
pub fn rate_limited(limit: &'static str) {
    metrics::counter!(RATE_LIMITED, "limit" => limit).increment(1);
}

/// Holds one open WebSocket connection in [`WS_CONNECTIONS`] until dropped.
pub struct OpenSocket(());

impl OpenSocket {
    /// Counts a connection as open.
    pub fn open() -> Self {
        metrics::gauge!(WS_CONNECTIONS).increment(1.0);
        Self(())
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        metrics::gauge!(WS_CONNECTIONS).decrement(1.0);
    }
}

/// The label of an HTTP method: the common ones by name, anything else `OTHER`.
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::OPTIONS => "OPTIONS",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

/// Records one answered HTTP request.
pub fn http_request(method: &'static str, route: &str, status: u16, seconds: Option<f64>) {
    let route = route.to_owned();
    metrics::counter!(
        HTTP_REQUESTS,
        "method" => method,
        "route" => route.clone(),
        "status" => status.to_string()
    )
    .increment(1);
    if let Some(seconds) = seconds {
        metrics::histogram!(HTTP_SECONDS, "route" => route).record(seconds);
    }
}

/// The names counted under their own name so far.
fn known_names() -> &'static Mutex<HashSet<String>> {
    static NAMES: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    NAMES.get_or_init(|| Mutex::new(HashSet::new()))
}

/// The label of a client's operation name: `anonymous` without one, the name itself when
/// it is a GraphQL name of at most [`MAX_NAME_LEN`] characters and among the first
/// [`MAX_OPERATION_NAMES`] seen, `other` otherwise.
pub fn operation_label(name: Option<&str>) -> String {
    let Some(name) = name else {
        return "anonymous".to_owned();
    };
    let well_formed = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !well_formed {
        return "other".to_owned();
    }
    let mut names = known_names()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if names.contains(name) {
        return name.to_owned();
    }
    if names.len() < MAX_OPERATION_NAMES {
        names.insert(name.to_owned());
        return name.to_owned();
    }
    "other".to_owned()
}

/// Whether `name` is a GraphQL name of at most [`MAX_NAME_LEN`] characters.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// The outcome of a GraphQL response: `ok`, or the `extensions.code` of its first error
/// (codes are the service's own, a closed set).
fn outcome(response: &Response) -> String {
    let Some(error) = response.errors.first() else {
        return "ok".to_owned();
    };
    let code = error
        .extensions
        .as_ref()
        .and_then(|extensions| extensions.get("code"))
        .and_then(|code| match code {
            async_graphql::Value::String(code) => Some(code.as_str()),
            async_graphql::Value::Enum(code) => Some(code.as_str()),
            _ => None,
        });
    match code {
        Some(code)
            if code.len() <= 32 && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') =>
        {
            code.to_owned()
        }
        _ => "ERROR".to_owned(),
    }
}

/// One request's name and type, as learned while it is prepared and parsed; counted and
/// timed when it has been answered (`graphql::hooks`, the schema's extension).
#[derive(Default)]
pub struct OperationRecord {
    seen: Mutex<(Option<String>, Option<OperationType>)>,
}

impl OperationRecord {
    fn seen(&self) -> std::sync::MutexGuard<'_, (Option<String>, Option<OperationType>)> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Notes the operation name the request gives.
    pub fn note_request(&self, request: &Request) {
        self.seen().0.clone_from(&request.operation_name);
    }

    /// Notes the type (and, when the request named none, the name) of the operation the
    /// parsed document runs.
    pub fn note_document(&self, document: &ExecutableDocument) {
        let mut seen = self.seen();
        let (name, ty) = &mut *seen;
        match &document.operations {
            DocumentOperations::Single(op) => *ty = Some(op.node.ty),
            DocumentOperations::Multiple(ops) => {
                let chosen = match name.as_deref() {
                    Some(wanted) => ops.iter().find(|(n, _)| n.as_str() == wanted),
                    None if ops.len() == 1 => ops.iter().next(),
                    None => None,
                };
                if let Some((chosen_name, op)) = chosen {
                    *name = Some(chosen_name.to_string());
                    *ty = Some(op.node.ty);
                }
            }
        }
    }

    /// Counts the answered request by outcome and records how long it took since `started`.
    pub fn record(&self, response: &Response, started: Instant) {
        let (name, ty) = self.seen().clone();
        let ty = match ty {
            Some(ty) => crate::http::operation_type_name(ty),
            None => "unknown",
        };
        let operation = operation_label(name.as_deref());
        metrics::counter!(
            OPERATIONS,
            "operation" => operation.clone(),
            "type" => ty,
            "outcome" => outcome(response)
        )
        .increment(1);
        metrics::histogram!(OPERATION_SECONDS, "operation" => operation, "type" => ty)
            .record(started.elapsed().as_secs_f64());
    }
}

/// What `/metrics` measures when it is read.
#[derive(Clone)]
pub struct Sources {
    /// This process's outbox relay.
    pub relay: Relay,
    /// The pool the relay reads the outbox from.
    pub outbox: DatabaseConnection,
    /// Each database pool, by name.
    pub pools: Vec<(&'static str, DatabaseConnection)>,
}

impl Sources {
    /// Measures the gauges the recorder cannot see by itself.
    pub async fn measure(&self) {
        metrics::gauge!(SUBSCRIPTIONS).set(to_f64(self.relay.subscribers()));
        match crate::events::max_seq(&self.outbox).await {
            Ok(newest) => {
                let lag = newest.saturating_sub(self.relay.dispatched()).max(0);
                #[allow(clippy::cast_precision_loss)]
                metrics::gauge!(OUTBOX_LAG).set(lag as f64);
            }
            Err(error) => tracing::warn!(%error, "reading the outbox for /metrics failed"),
        }
        for (name, pool) in &self.pools {
            let (size, idle, max) = pool_use(pool);
            let in_use = size.saturating_sub(idle);
            for (state, value) in [("in_use", in_use), ("idle", idle), ("max", max)] {
                metrics::gauge!(DB_CONNECTIONS, "pool" => *name, "state" => state)
                    .set(to_f64(value));
            }
        }
    }
}

/// Connections open, idle, and the most allowed, of a pool.
fn pool_use(db: &DatabaseConnection) -> (usize, usize, usize) {
    fn widen(n: u32) -> usize {
        usize::try_from(n).unwrap_or(usize::MAX)
    }
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                widen(pool.size()),
                pool.num_idle(),
                widen(pool.options().get_max_connections()),
            )
        }
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (
                widen(pool.size()),
                pool.num_idle(),
                widen(pool.options().get_max_connections()),
            )
        }
        _ => (0, 0, 0),
    }
}

#[allow(clippy::cast_precision_loss)]
fn to_f64(n: usize) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_bounded_in_form_and_number() {
        assert_eq!(operation_label(None), "anonymous");
        assert_eq!(operation_label(Some("Caseload")), "Caseload");
        assert_eq!(
            operation_label(Some(&"A".repeat(MAX_NAME_LEN + 1))),
            "other"
        );
        assert_eq!(operation_label(Some("9lives")), "other");
        assert_eq!(operation_label(Some("child name")), "other");
        assert_eq!(operation_label(Some("")), "other");
        for n in 0..MAX_OPERATION_NAMES {
            operation_label(Some(&format!("Op{n}")));
        }
        assert_eq!(operation_label(Some("OneTooMany")), "other");
        assert_eq!(operation_label(Some("Caseload")), "Caseload");
    }
}
