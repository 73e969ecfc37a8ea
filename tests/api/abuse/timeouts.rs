//! The per-request time limit, over HTTP and WebSocket. The slow request is made slow for
//! certain: the test holds a lock on the audit log from a connection of its own, so the
//! request's audit write (a denied `children` list) waits behind it; the server stops the
//! request at its limit, and serves the next one once the lock is gone.

use std::time::{Duration, Instant};

use api::app::ServerOptions;
use entity::enums::AgencyKind;
use sea_orm::{ConnectionTrait as _, DatabaseTransaction, TransactionTrait as _};
use serde_json::{Value, json};

use super::unlimited;
use crate::helpers::{Backend, Keys, TestActor, TestApp, backends, error_code, spawn_app_with};
use crate::ws_client::GqlSocket;

/// Denied to an analyst, so its audit row must be written before it is answered.
const AUDITED: &str = "{ children(first: 1) { totalCount } }";

/// A transaction that keeps every other writer of the audit log waiting until it ends, on
/// a connection of the test's own (`app.db` is the server's pool).
async fn hold_the_audit_log(app: &TestApp) -> DatabaseTransaction {
    let own = api::app::connect(&app.database_url).await.expect("connect");
    let txn = own.begin().await.expect("begin");
    let statement = match app.backend {
        // The first write takes SQLite's one write lock.
        Backend::Sqlite => "DELETE FROM audit_events WHERE 1 = 0",
        Backend::Postgres(_) => "LOCK TABLE audit_events IN EXCLUSIVE MODE",
    };
    txn.execute_unprepared(statement).await.expect("lock");
    txn
}

#[tokio::test]
async fn a_request_running_longer_than_the_limit_is_stopped_with_timeout_and_the_next_is_served() {
    let options = ServerOptions {
        request_timeout: Duration::from_millis(500),
        ..unlimited()
    };
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let analyst = TestActor::analyst("csc");
        let lock = hold_the_audit_log(&app).await;

        let started = Instant::now();
        let response = app.gql_as(&analyst, AUDITED, json!({})).await;
        assert_eq!(error_code(&response), Some("TIMEOUT"), "{response}");
        assert_eq!(response["data"], Value::Null);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "answered in time"
        );

        // Under graphql-response+json, the server's failure: 503.
        let strict = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(analyst.token())
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": AUDITED }))
            .send()
            .await
            .expect("request");
        assert_eq!(strict.status(), 503);
        assert!(strict.headers().contains_key("x-request-id"));

        // A query over a WebSocket is stopped the same way; the socket stays open.
        let mut socket = GqlSocket::open(&app.ws_url(), &analyst.token()).await;
        socket.subscribe("1", AUDITED, json!({})).await;
        let stopped = socket.recv().await;
        assert_eq!(stopped["type"], "error", "{stopped}");
        assert_eq!(stopped["id"], "1");
        assert_eq!(stopped["payload"][0]["extensions"]["code"], "TIMEOUT");
        assert!(socket.drain_until_pong().await.is_empty());

        lock.rollback().await.expect("release the lock");
        let served = app.gql_as(&analyst, AUDITED, json!({})).await;
        assert_eq!(error_code(&served), Some("FORBIDDEN"), "{served}");
        socket.subscribe("2", "{ me { name } }", json!({})).await;
        assert_eq!(
            socket.next_data("2").await["me"]["name"],
            "Test strategic_analyst-csc"
        );
        socket.close().await;
    }
}
