//! OpenTelemetry export: off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set; then a real
//! `concord serve` posts its spans (HTTP request, GraphQL operation, SQL statements) to
//! the collector over OTLP/HTTP, with no query variables in them. A query over HTTP has no
//! `graphql.validate` span: it ran on the schema without the per-field extension.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::process::{Server, run as concord};
use crate::helpers::{Backend, SECRET, fresh_database};

/// One request the collector received.
struct Received {
    method: String,
    path: String,
    content_type: String,
    body: Vec<u8>,
}

/// A collector that answers every request with an empty 200 and reports what it got.
fn collector() -> (String, Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let (sent, received) = channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let sent = sent.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut stream = stream;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut parts = line.split_whitespace();
                    let method = parts.next().unwrap_or_default().to_owned();
                    let path = parts.next().unwrap_or_default().to_owned();
                    let (mut length, mut content_type) = (0usize, String::new());
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 {
                            return;
                        }
                        let header = header.trim_end();
                        if header.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            match name.to_ascii_lowercase().as_str() {
                                "content-length" => length = value.trim().parse().unwrap_or(0),
                                "content-type" => content_type = value.trim().to_owned(),
                                _ => {}
                            }
                        }
                    }
                    let mut body = vec![0; length.min(16 << 20)];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n",
                    );
                    let _ = sent.send(Received {
                        method,
                        path,
                        content_type,
                        body,
                    });
                }
            });
        }
    });
    (addr, received)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// The answer to one GraphQL request posted to `server` with `token`.
async fn post(server: &Server, token: &str, request: Value) -> Value {
    reqwest::Client::new()
        .post(server.http("/graphql"))
        .bearer_auth(token)
        .json(&request)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn with_an_otlp_endpoint_spans_of_requests_operations_and_statements_are_exported() {
    let (collector_addr, received) = collector();
    let (url, _guard) = fresh_database(&Backend::Sqlite).await;
    let endpoint = format!("http://{collector_addr}");
    let env = [
        ("CONCORD_DATABASE_URL", url.as_str()),
        ("CONCORD_JWT_SECRET", SECRET),
        ("CONCORD_JWT_ISSUER", "https://idp.test.invalid"),
        ("CONCORD_JWT_AUDIENCE", "concord"),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
        ("CONCORD_MIGRATE", "true"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
        ("OTEL_BSP_SCHEDULE_DELAY", "200"),
    ];
    assert!(concord(&["migrate"], &env).status.success());
    let added = concord(
        &[
            "agency", "add", "--code", "ops", "--name", "Ops", "--kind", "other",
        ],
        &env,
    );
    assert!(added.status.success(), "{added:?}");
    let token = concord(
        &[
            "token", "--sub", "tracer", "--agency", "ops", "--role", "AUDITOR",
        ],
        &env,
    );
    let token = String::from_utf8(token.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    let server = Server::start(&env);
    let body = post(
        &server,
        &token,
        json!({
            "query": "query Look($name: String!) { me { subject } __type(name: $name) { name } }",
            "variables": { "name": "SentinelTypeName" },
        }),
    )
    .await;
    assert_eq!(body["data"]["me"]["subject"], "tracer", "{body}");

    let mut exported = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let wanted = [
        "http_request",
        "graphql.execute",
        "graphql.parse",
        "sea_orm.query_one",
    ];
    while Instant::now() < deadline {
        if let Ok(request) = received.recv_timeout(Duration::from_millis(200)) {
            assert_eq!(request.method, "POST");
            assert_eq!(request.path, "/v1/traces");
            assert_eq!(request.content_type, "application/x-protobuf");
            exported.extend(request.body);
        }
        if wanted.iter().all(|name| contains(&exported, name)) {
            break;
        }
    }
    for name in wanted {
        assert!(contains(&exported, name), "no {name} span exported");
    }
    // A query over HTTP runs on the build of the schema without the per-field extension,
    // which validates inside `graphql.execute`; only the extension's build has a
    // `graphql.validate` span, and it ends before `graphql.execute` is exported.
    assert!(
        !contains(&exported, "graphql.validate"),
        "the query ran on the build with the per-field extension"
    );
    // A mutation runs on the extension's build, and its validation is exported.
    let touched = post(
        &server,
        &token,
        json!({ "query": "mutation Touch { __typename }" }),
    )
    .await;
    assert_eq!(touched["data"]["__typename"], "Mutation", "{touched}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline && !contains(&exported, "graphql.validate") {
        if let Ok(request) = received.recv_timeout(Duration::from_millis(200)) {
            exported.extend(request.body);
        }
    }
    assert!(
        contains(&exported, "graphql.validate"),
        "no graphql.validate span exported for a mutation"
    );
    let log = server.stop();
    assert!(
        log.iter()
            .any(|line| line["fields"]["message"] == "exporting traces over OTLP"),
        "{log:#?}"
    );
    assert!(contains(&exported, "concord"), "service name");
    assert!(contains(&exported, "Look"), "operation name");
    assert!(contains(&exported, "db.statement"), "statement attribute");
    assert!(
        !contains(&exported, "SentinelTypeName"),
        "a variable was exported"
    );
    assert!(!contains(&exported, &token), "the token was exported");
}

#[tokio::test]
async fn without_an_endpoint_nothing_is_exported() {
    let (url, _guard) = fresh_database(&Backend::Sqlite).await;
    let env = [
        ("CONCORD_DATABASE_URL", url.as_str()),
        ("CONCORD_JWT_SECRET", SECRET),
        ("CONCORD_JWT_ISSUER", "https://idp.test.invalid"),
        ("CONCORD_JWT_AUDIENCE", "concord"),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
        ("CONCORD_MIGRATE", "true"),
    ];
    let server = Server::start(&env);
    let log = server.stop();
    assert!(
        log.iter()
            .all(|line| line["fields"]["message"] != "exporting traces over OTLP"),
        "{log:#?}"
    );
}
