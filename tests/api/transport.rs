//! The transport around the schema: WebSocket settings and per-operation contexts, the
//! refusal codes of `connection_init`, the operator's error messages, the migration check
//! of `serve`, and what is logged. Most tests run the `concord` binary itself.

use std::time::{Duration, Instant};

use chrono::Utc;
use entity::enums::{AgencyKind, AuditOutcome};
use entity::{access_grants, audit_events};
use sea_orm::{
    ActiveModelTrait as _, ActiveValue::Set, ColumnTrait as _, ConnectionTrait as _,
    EntityTrait as _, QueryFilter as _, QueryOrder as _,
};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::process::{Server, command, run_to_exit};
use crate::helpers::{AUDIENCE, ISSUER, SECRET, TestActor, spawn_apps, uuid_of};
use crate::ws_client::GqlSocket;

/// A temporary folder, removed when the test ends.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }

    fn sqlite_url(&self, file: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.0.join(file).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Production-mode `concord serve` on `database_url` (already migrated) with the suite's
/// token settings and JSON logs.
fn serve(database_url: &str, args: &[&str], envs: &[(&str, &str)]) -> Server {
    let mut all_envs = vec![
        ("CONCORD_DATABASE_URL", database_url),
        ("CONCORD_JWT_SECRET", SECRET),
        ("CONCORD_JWT_ISSUER", ISSUER),
        ("CONCORD_JWT_AUDIENCE", AUDIENCE),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
        ("CONCORD_LOG_FORMAT", "json"),
        ("CONCORD_SHUTDOWN_TIMEOUT", "1"),
    ];
    all_envs.extend_from_slice(envs);
    let mut full_args = vec!["serve"];
    full_args.extend_from_slice(args);
    Server::spawn(command(&full_args, &all_envs))
}

fn init_message(token: &str) -> Value {
    json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } })
}

#[test]
fn help_documents_the_websocket_settings() {
    let output = command(&["--help"], &[]).output().expect("run concord");
    let help = String::from_utf8(output.stdout).expect("utf-8");
    for name in [
        "--ws-init-timeout",
        "CONCORD_WS_INIT_TIMEOUT",
        "--ws-keepalive",
        "CONCORD_WS_KEEPALIVE",
    ] {
        assert!(help.contains(name), "--help does not mention {name}");
    }
}

/// `--ws-init-timeout` is honoured (the default is 10 s), and `CONCORD_WS_KEEPALIVE` makes
/// the server ping acknowledged sockets: `ping` in graphql-transport-ws, `ka` in graphql-ws.
#[tokio::test]
async fn websocket_settings_close_silent_clients_with_4408_and_keep_idle_ones_alive() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let token = TestActor::coordinator("csc").token();
        let server = serve(
            &app.database_url,
            &["--ws-init-timeout", "1"],
            &[("CONCORD_WS_KEEPALIVE", "1")],
        );

        for protocol in ["graphql-transport-ws", "graphql-ws"] {
            let opened = Instant::now();
            let mut silent = GqlSocket::connect(&server.ws_url(), protocol).await;
            assert_eq!(silent.next_any().await, Err(Some(4408)), "{protocol}");
            let waited = opened.elapsed();
            // Not before the configured second, and well before the 10 s default.
            assert!(
                waited >= Duration::from_secs(1) && waited < Duration::from_secs(9),
                "{protocol}: closed after {waited:?}"
            );
        }

        // graphql-transport-ws: the server pings an idle, acknowledged socket.
        let mut socket = GqlSocket::connect(&server.ws_url(), "graphql-transport-ws").await;
        socket.send(init_message(&token)).await;
        assert_eq!(
            socket.next_any().await,
            Ok(json!({ "type": "connection_ack" }))
        );
        assert_eq!(socket.next_any().await, Ok(json!({ "type": "ping" })));
        socket.send(json!({ "type": "pong" })).await;
        assert_eq!(socket.next_any().await, Ok(json!({ "type": "ping" })));
        socket.close().await;

        // Legacy graphql-ws: `ka`, the first right after the ack, then every interval.
        let mut legacy = GqlSocket::connect(&server.ws_url(), "graphql-ws").await;
        legacy.send(init_message(&token)).await;
        assert_eq!(
            legacy.next_any().await,
            Ok(json!({ "type": "connection_ack" }))
        );
        assert_eq!(legacy.next_any().await, Ok(json!({ "type": "ka" })));
        assert_eq!(legacy.next_any().await, Ok(json!({ "type": "ka" })));
        legacy.close().await;
        server.stop();
    }
}

const REQUEST_ACCESS: &str = "mutation RequestAccess($input: RequestEmergencyAccessInput!) {
    requestEmergencyAccess(input: $input) { grant { id expiresAt } } }";
const READ_CHILD: &str = "query ReadChild($id: ID!) { child(id: $id) { givenName } }";
const REASON: &str = "Synthetic: out-of-hours CAMHS crisis assessment tonight.";

/// Each operation on a socket is a request of its own: its own clock (a grant that expired
/// after the socket opened no longer counts), its own audit set and its own request id.
#[tokio::test]
async fn every_operation_on_a_socket_gets_a_fresh_clock_audit_set_and_request_id() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let clinician = TestActor::practitioner("camhs");
        let mut socket = GqlSocket::open(&app.ws_url(), &clinician.token()).await;
        let acknowledged = Utc::now();
        // The grant's expiry will fall after the acknowledgement: see below.
        tokio::time::sleep(Duration::from_millis(20)).await;

        socket
            .subscribe(
                "grant",
                REQUEST_ACCESS,
                json!({ "input": { "childId": f.alpha, "reason": REASON } }),
            )
            .await;
        let granted = socket.next_data("grant").await;
        assert!(
            granted["requestEmergencyAccess"]["grant"]["id"].is_string(),
            "{granted}"
        );
        assert_eq!(
            socket.next().await,
            Ok(json!({ "id": "grant", "type": "complete" }))
        );

        for id in ["read-1", "read-2"] {
            socket
                .subscribe(id, READ_CHILD, json!({ "id": f.alpha }))
                .await;
            assert_eq!(
                socket.next_data(id).await,
                json!({ "child": { "givenName": "Alpha" } }),
                "{id}: allowed while the grant lasts"
            );
            assert_eq!(
                socket.next().await,
                Ok(json!({ "id": id, "type": "complete" }))
            );
        }

        // Expire the grant at a moment after the socket was acknowledged: a clock frozen
        // at connection_init would still see it as valid.
        let expires_at = Utc::now() - chrono::Duration::milliseconds(10);
        assert!(expires_at > acknowledged);
        let grant = access_grants::Entity::find()
            .one(&app.db)
            .await
            .expect("query")
            .expect("the grant");
        let mut grant: access_grants::ActiveModel = grant.into();
        grant.expires_at = Set(expires_at);
        grant.update(&app.db).await.expect("expire the grant");

        socket
            .subscribe("read-3", READ_CHILD, json!({ "id": f.alpha }))
            .await;
        let refused = socket.next().await.expect("a result");
        assert_eq!(refused["type"], "next", "{refused}");
        assert_eq!(
            refused["payload"]["data"]["child"],
            Value::Null,
            "{refused}"
        );
        assert_eq!(
            refused["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{refused}"
        );
        assert_eq!(
            socket.next().await,
            Ok(json!({ "id": "read-3", "type": "complete" }))
        );
        socket.close().await;

        let rows = audit_events::Entity::find()
            .filter(audit_events::Column::ActorSubject.eq(clinician.sub.as_str()))
            .order_by_asc(audit_events::Column::Id)
            .all(&app.db)
            .await
            .expect("audit rows");
        let summary: Vec<(&str, AuditOutcome)> = rows
            .iter()
            .map(|row| (row.action.as_str(), row.outcome))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("REQUEST_EMERGENCY_ACCESS", AuditOutcome::Allowed),
                // Two operations, two reads audited: no audit set shared across the socket.
                ("READ_CHILD", AuditOutcome::Allowed),
                ("READ_CHILD", AuditOutcome::Allowed),
                ("READ_CHILD", AuditOutcome::Denied),
            ],
            "{rows:#?}"
        );
        let mut request_ids: Vec<&str> = rows
            .iter()
            .map(|row| row.request_id.as_deref().expect("a request id"))
            .collect();
        request_ids.sort_unstable();
        request_ids.dedup();
        assert_eq!(
            request_ids.len(),
            4,
            "one request id per operation: {rows:#?}"
        );
    }
}

/// A database failure while checking a socket's token is logged with its cause and closes
/// the socket with 4500; a bad token is still a 4403.
#[tokio::test]
async fn a_database_failure_in_connection_init_closes_with_4500_and_is_logged() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let token = TestActor::coordinator("csc").token();
        let server = serve(&app.database_url, &[], &[]);
        // Break the database under the running server: the token's agency can no longer be
        // looked up.
        app.db
            .execute_unprepared("ALTER TABLE agencies RENAME TO agencies_gone")
            .await
            .expect("rename the table");

        for protocol in ["graphql-transport-ws", "graphql-ws"] {
            let mut socket = GqlSocket::connect(&server.ws_url(), protocol).await;
            socket.send(init_message(&token)).await;
            if protocol == "graphql-ws" {
                assert_eq!(
                    socket.next_any().await,
                    Ok(
                        json!({ "type": "connection_error", "payload": { "message": "Internal server error" } })
                    )
                );
            }
            assert_eq!(socket.next_any().await, Err(Some(4500)), "{protocol}");
        }
        let mut expired = TestActor::coordinator("csc").claims();
        expired.exp -= 7200;
        let expired = crate::helpers::sign(&expired, jsonwebtoken::Algorithm::HS256, None);
        for bad in ["nonsense", expired.as_str()] {
            let mut socket = GqlSocket::connect(&server.ws_url(), "graphql-transport-ws").await;
            socket.send(init_message(bad)).await;
            assert_eq!(socket.next_any().await, Err(Some(4403)));
        }

        let log = server.stop();
        let failures: Vec<&Value> = log
            .iter()
            .filter(|line| {
                line["fields"]["message"] == "authenticating a websocket connection failed"
            })
            .collect();
        assert_eq!(failures.len(), 2, "{log:#?}");
        for failure in failures {
            assert_eq!(failure["level"], "ERROR", "{failure}");
            let cause = failure["fields"]["error"].as_str().expect("the cause");
            // SQLite: "no such table: agencies"; PostgreSQL: relation "agencies" does not exist.
            assert!(cause.contains("agencies"), "{failure}");
        }
    }
}

/// Operator commands print the cause of a failure, never a bare "internal error", and never
/// the database password.
#[test]
fn operator_commands_print_the_cause_of_a_failure_and_no_secret() {
    let dir = TempDir::new("concord-cli-errors");

    // A database without the tables: the cause is SQLite's own message.
    let empty = dir.sqlite_url("empty.db");
    let (ok, stderr) = run_to_exit(
        &[
            "agency", "add", "--code", "ops", "--name", "Ops", "--kind", "other",
        ],
        &[("CONCORD_DATABASE_URL", empty.as_str())],
    );
    assert!(!ok);
    assert!(stderr.contains("adding agency ops"), "{stderr}");
    assert!(stderr.contains("no such table: agencies"), "{stderr}");

    // An agency code already present.
    let db = dir.sqlite_url("ops.db");
    let env = [("CONCORD_DATABASE_URL", db.as_str())];
    assert!(run_to_exit(&["migrate"], &env).0);
    let add = [
        "agency", "add", "--code", "ops", "--name", "Ops", "--kind", "other",
    ];
    assert!(run_to_exit(&add, &env).0);
    let (ok, stderr) = run_to_exit(&add, &env);
    assert!(!ok);
    assert!(stderr.contains("adding agency ops"), "{stderr}");
    assert!(stderr.contains("code"), "{stderr}");

    // A database that cannot be opened.
    let missing = format!(
        "sqlite://{}?mode=rwc",
        dir.0.join("no-such-folder/c.db").display()
    );
    let (ok, stderr) = run_to_exit(&["migrate"], &[("CONCORD_DATABASE_URL", missing.as_str())]);
    assert!(!ok);
    assert!(stderr.contains("connecting to the database"), "{stderr}");
    assert!(stderr.contains("unable to open database file"), "{stderr}");

    // A URL no driver accepts: the message quotes it, without its password.
    let secret_url = "nosuchdb://operator:hunter2-not-for-logs@db.invalid/concord";
    let (ok, stderr) = run_to_exit(&["migrate"], &[("CONCORD_DATABASE_URL", secret_url)]);
    assert!(!ok);
    assert!(stderr.contains("no supporting driver"), "{stderr}");
    assert!(!stderr.contains("hunter2-not-for-logs"), "{stderr}");
    assert!(stderr.contains("operator:***@db.invalid"), "{stderr}");
}

/// `serve` without `--migrate` refuses a database with pending migrations, naming the
/// commands that fix it; with `--migrate` the same database serves.
#[tokio::test]
async fn serve_refuses_a_database_with_pending_migrations() {
    let dir = TempDir::new("concord-pending");
    let url = dir.sqlite_url("fresh.db");
    let env = [
        ("CONCORD_DATABASE_URL", url.as_str()),
        ("CONCORD_JWT_SECRET", SECRET),
        ("CONCORD_JWT_ISSUER", ISSUER),
        ("CONCORD_JWT_AUDIENCE", AUDIENCE),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
    ];
    let (ok, stderr) = run_to_exit(&["serve"], &env);
    assert!(!ok, "serve started on an unmigrated database");
    assert!(stderr.contains("pending migration"), "{stderr}");
    assert!(stderr.contains("concord migrate"), "{stderr}");
    assert!(stderr.contains("--migrate"), "{stderr}");

    let server = serve(&url, &["--migrate"], &[]);
    let ready = reqwest::get(server.http("/readyz")).await.expect("readyz");
    assert_eq!(ready.status(), 200);
    server.stop();
}

/// Development mode (no configuration) still migrates and seeds by itself.
#[tokio::test]
async fn development_mode_migrates_by_itself_and_serves() {
    let dir = TempDir::new("concord-dev-mode");
    let data = dir.0.display().to_string();
    let mut dev = command(
        &["serve", "--data-dir", &data, "--listen", "127.0.0.1:0"],
        &[("CONCORD_LOG_FORMAT", "json")],
    );
    dev.current_dir(&dir.0);
    let server = Server::spawn(dev);
    let ready: Value = reqwest::get(server.http("/readyz"))
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready, json!({ "status": "ready" }));
    server.stop();
}

/// Every HTTP request and WebSocket operation is logged with the request id written to its
/// audit rows, its operation name, status or outcome; nothing the client sent is logged.
#[tokio::test]
async fn requests_and_operations_are_logged_with_their_audited_request_id_and_no_case_content() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let server = serve(&app.database_url, &[], &[]);
        let coordinator = TestActor::coordinator("csc");
        let client = reqwest::Client::new();

        // A mutation over HTTP, carrying case content in its variables.
        let sentinel = "Quillonsentinel";
        let registered = client
            .post(server.http("/graphql"))
            .bearer_auth(coordinator.token())
            .json(&json!({
                "query": "mutation RegisterSentinel($input: RegisterChildInput!) { registerChild(input: $input) { child { id givenName } } }",
                "variables": { "input": { "givenName": sentinel, "familyName": "Loggedneverfamily",
                    "dateOfBirth": "2013-04-05", "gender": "Not recorded" } },
            }))
            .send()
            .await
            .expect("request");
        let mutation_request_id = registered.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let body: Value = registered.json().await.expect("json");
        let child = body["data"]["registerChild"]["child"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned();

        // A query by GET: its variables travel in the query string.
        let read = client
            .get(server.http("/graphql"))
            .bearer_auth(coordinator.token())
            .query(&[
                ("query", READ_CHILD),
                ("variables", &json!({ "id": child }).to_string()),
                ("operationName", "ReadChild"),
            ])
            .send()
            .await
            .expect("request");
        let read_request_id = read.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let body: Value = read.json().await.expect("json");
        assert_eq!(body["data"]["child"]["givenName"], sentinel, "{body}");

        // Refused without a token: still logged, with the id the response carries.
        let refused = client
            .post(server.http("/graphql"))
            .json(&json!({ "query": "query Anonymous { me { subject } }" }))
            .send()
            .await
            .expect("request");
        assert_eq!(refused.status(), 401);
        let refused_request_id = refused.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();

        // A query over a WebSocket.
        let mut socket = GqlSocket::open(&server.ws_url(), &coordinator.token()).await;
        socket
            .subscribe(
                "1",
                "query SocketRead($id: ID!) { child(id: $id) { givenName familyName } }",
                json!({ "id": child }),
            )
            .await;
        assert_eq!(socket.next_data("1").await["child"]["givenName"], sentinel);
        assert_eq!(
            socket.next().await,
            Ok(json!({ "id": "1", "type": "complete" }))
        );
        socket.close().await;
        // A bad operation: rejected before execution.
        let mut socket = GqlSocket::open(&server.ws_url(), &coordinator.token()).await;
        socket
            .subscribe("2", "query Broken { noSuchField }", json!({}))
            .await;
        assert_eq!(socket.next().await.expect("an error")["type"], "error");
        socket.close().await;

        let child_id = uuid_of(&child);
        let audited = |action: &'static str| {
            let db = app.db.clone();
            async move {
                audit_events::Entity::find()
                    .filter(audit_events::Column::Action.eq(action))
                    .filter(audit_events::Column::ChildId.eq(child_id))
                    .order_by_asc(audit_events::Column::Id)
                    .all(&db)
                    .await
                    .expect("audit rows")
            }
        };
        let registrations = audited("REGISTER_CHILD").await;
        assert_eq!(registrations.len(), 1, "{registrations:#?}");
        assert_eq!(
            registrations[0].request_id.as_deref(),
            Some(mutation_request_id.as_str()),
            "the audit row and the response name the same request"
        );
        let reads = audited("READ_CHILD").await;
        let read_ids: Vec<&str> = reads
            .iter()
            .filter_map(|row| row.request_id.as_deref())
            .collect();
        assert!(read_ids.contains(&read_request_id.as_str()), "{reads:#?}");
        let socket_read_id = read_ids
            .iter()
            .copied()
            .find(|id| *id != read_request_id && *id != mutation_request_id)
            .unwrap_or_else(|| panic!("no read audited for the socket: {reads:#?}"));

        let log = server.stop();
        let finished = |request_id: &str| -> Value {
            log.iter()
                .find(|line| {
                    line["fields"]["message"] == "request finished"
                        && line["span"]["request_id"] == request_id
                })
                .unwrap_or_else(|| panic!("no request line for {request_id}: {log:#?}"))
                .clone()
        };
        let mutation = finished(&mutation_request_id);
        assert_eq!(mutation["span"]["method"], "POST", "{mutation}");
        assert_eq!(mutation["span"]["route"], "/graphql", "{mutation}");
        assert_eq!(
            mutation["span"]["client_address"], "127.0.0.1",
            "{mutation}"
        );
        assert_eq!(mutation["span"]["operation_type"], "mutation", "{mutation}");
        assert_eq!(
            mutation["span"]["operation_name"], "RegisterSentinel",
            "{mutation}"
        );
        assert_eq!(mutation["fields"]["status"], 200, "{mutation}");
        assert!(mutation["fields"]["latency_ms"].is_u64(), "{mutation}");
        let get = finished(&read_request_id);
        assert_eq!(get["span"]["method"], "GET", "{get}");
        assert_eq!(get["span"]["operation_name"], "ReadChild", "{get}");
        assert_eq!(get["fields"]["status"], 200, "{get}");
        let anonymous = finished(&refused_request_id);
        assert_eq!(anonymous["fields"]["status"], 401, "{anonymous}");
        assert_eq!(
            anonymous["span"]["operation_name"], "Anonymous",
            "{anonymous}"
        );

        let operations: Vec<&Value> = log
            .iter()
            .filter(|line| line["fields"]["message"] == "graphql websocket operation finished")
            .collect();
        let socket_read = operations
            .iter()
            .find(|line| line["span"]["request_id"] == socket_read_id)
            .unwrap_or_else(|| panic!("no operation line for {socket_read_id}: {log:#?}"));
        assert_eq!(
            socket_read["span"]["operation_name"], "SocketRead",
            "{socket_read}"
        );
        assert_eq!(
            socket_read["span"]["operation_type"], "query",
            "{socket_read}"
        );
        assert_eq!(socket_read["fields"]["outcome"], "ok", "{socket_read}");
        let broken = operations
            .iter()
            .find(|line| line["span"]["operation_name"] == "Broken")
            .unwrap_or_else(|| panic!("no line for the broken operation: {log:#?}"));
        assert_eq!(broken["fields"]["outcome"], "rejected", "{broken}");
        assert!(broken["span"]["request_id"].is_string(), "{broken}");

        // Nothing the client sent: no names, no variables, no query text, no ids it passed.
        for line in &log {
            let text = line.to_string();
            for secret in [sentinel, "Loggedneverfamily", child.as_str(), "givenName"] {
                assert!(!text.contains(secret), "{secret} logged: {text}");
            }
        }
    }
}
