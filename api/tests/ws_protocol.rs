//! End-to-end tests: a real actix-web server on 127.0.0.1 and a real tokio-tungstenite client.
#![allow(clippy::unwrap_used)]

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use actix_web::{App, HttpRequest, HttpServer, web};
use api::http::ws::{self, InitError, OperationContext, Protocol, Session, WsConfig};
use async_graphql::{Context, Data, Object, Schema, Subscription};
use chrono::Utc;
use futures_util::{SinkExt, Stream, StreamExt, stream};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{self, Message, client::IntoClientRequest},
};

const TRANSPORT: &str = "graphql-transport-ws";
const LEGACY: &str = "graphql-ws";

#[derive(Default)]
struct Stats {
    /// Subscription streams currently alive (not yet dropped).
    live: AtomicUsize,
    /// Items produced by all subscription streams.
    produced: AtomicUsize,
    bumps: AtomicUsize,
}

struct Live(Arc<Stats>);

impl Drop for Live {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::SeqCst);
    }
}

fn live(ctx: &Context<'_>) -> Live {
    let stats = ctx.data_unchecked::<Arc<Stats>>().clone();
    stats.live.fetch_add(1, Ordering::SeqCst);
    Live(stats)
}

struct User(String);

/// Which context this operation got: a number per call of `Session::operation`.
struct OperationNumber(usize);

/// How many operation contexts have been built, in every test.
static CONTEXTS: AtomicUsize = AtomicUsize::new(0);

struct Query;

#[Object]
impl Query {
    async fn hello(&self) -> &str {
        "world"
    }

    async fn operation_number(&self, ctx: &Context<'_>) -> usize {
        ctx.data_unchecked::<OperationNumber>().0
    }

    async fn whoami(&self, ctx: &Context<'_>) -> String {
        ctx.data::<User>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|_| "anonymous".into())
    }
}

struct Mutation;

#[Object]
impl Mutation {
    async fn bump(&self, ctx: &Context<'_>) -> usize {
        ctx.data_unchecked::<Arc<Stats>>()
            .bumps
            .fetch_add(1, Ordering::SeqCst)
            + 1
    }
}

struct Subscription;

#[Subscription]
impl Subscription {
    /// 0, 1, 2, ... every `delay_ms`, stopping after `limit` items when given.
    async fn counter(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] delay_ms: u64,
        limit: Option<usize>,
    ) -> impl Stream<Item = usize> + use<> {
        stream::unfold((0, live(ctx)), move |(n, guard)| async move {
            if limit.is_some_and(|l| n >= l) {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            guard.0.produced.fetch_add(1, Ordering::SeqCst);
            Some((n, (n + 1, guard)))
        })
    }

    /// An endless, undelayed stream of `size`-byte strings, to fill a slow client's buffers.
    async fn blob(&self, ctx: &Context<'_>, size: usize) -> impl Stream<Item = String> + use<> {
        stream::unfold(live(ctx), move |guard| async move {
            guard.0.produced.fetch_add(1, Ordering::SeqCst);
            Some(("x".repeat(size), guard))
        })
    }
}

async fn on_init(payload: Value) -> Result<Session, InitError> {
    let bearer = payload
        .get("Authorization")
        .and_then(Value::as_str)
        .and_then(|h| h.strip_prefix("Bearer "));
    let token = payload.get("token").and_then(Value::as_str).or(bearer);
    let expires_at = match token {
        Some("good") => None,
        Some("slow") => {
            tokio::time::sleep(Duration::from_millis(300)).await;
            None
        }
        Some("short") => Some(Utc::now() + chrono::Duration::milliseconds(400)),
        Some("expired") => Some(Utc::now() - chrono::Duration::seconds(1)),
        Some("unverifiable") => return Err(InitError::Internal),
        _ => return Err(InitError::Forbidden("bad token".into())),
    };
    Ok(Session::new(expires_at, || {
        let number = CONTEXTS.fetch_add(1, Ordering::SeqCst) + 1;
        let mut data = Data::default();
        data.insert(User("alice".into()));
        data.insert(OperationNumber(number));
        OperationContext {
            data,
            request_id: format!("operation-{number}"),
        }
    }))
}

/// Starts a server with its own schema and returns its URL and the schema's stream stats.
async fn serve(config: WsConfig) -> (String, Arc<Stats>) {
    let stats = Arc::new(Stats::default());
    let schema = Schema::build(Query, Mutation, Subscription)
        .data(stats.clone())
        .finish();
    let server = HttpServer::new(move || {
        let schema = schema.clone();
        App::new().route(
            "/ws",
            web::get().to(move |req: HttpRequest, payload: web::Payload| {
                let schema = schema.clone();
                async move { ws::start(&req, payload, schema, config, on_init) }
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .unwrap();
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("ws://{addr}/ws"), stats)
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn try_connect(
    url: &str,
    protocols: Option<&str>,
) -> Result<(Ws, tungstenite::handshake::client::Response), tungstenite::Error> {
    let mut request = url.into_client_request().unwrap();
    if let Some(protocols) = protocols {
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", protocols.parse().unwrap());
    }
    connect_async(request).await
}

async fn connect(url: &str, protocol: &str) -> Ws {
    let (ws, response) = try_connect(url, Some(protocol)).await.unwrap();
    assert_eq!(response.headers()["sec-websocket-protocol"], protocol);
    ws
}

async fn send(ws: &mut Ws, message: Value) {
    ws.send(Message::text(message.to_string())).await.unwrap();
}

/// The next JSON message, skipping keep-alives; panics on close or after 5 s.
async fn recv(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("timed out waiting for a message")
            .expect("socket ended")
            .unwrap();
        match message {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["type"] != "ka" && value["type"] != "ping" {
                    return value;
                }
            }
            Message::Close(frame) => panic!("unexpected close: {frame:?}"),
            _ => {}
        }
    }
}

/// Reads until the server's close frame, skipping results, and returns its code and reason.
async fn expect_close(ws: &mut Ws) -> (u16, String) {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("timed out waiting for close")
            .expect("socket ended without a close frame")
            .unwrap();
        match message {
            Message::Close(Some(frame)) => return (frame.code.into(), frame.reason.to_string()),
            Message::Close(None) => panic!("close frame without a code"),
            Message::Text(text) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                let allowed = ["next", "data", "ka", "ping", "connection_error"];
                assert!(
                    allowed.contains(&value["type"].as_str().unwrap()),
                    "{value}"
                );
            }
            _ => {}
        }
    }
}

/// Connects with graphql-transport-ws and completes the handshake.
async fn acked(url: &str) -> Ws {
    let mut ws = connect(url, TRANSPORT).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "good"}}),
    )
    .await;
    assert_eq!(recv(&mut ws).await, json!({"type": "connection_ack"}));
    ws
}

fn subscribe(id: &str, query: &str) -> Value {
    json!({"id": id, "type": "subscribe", "payload": {"query": query}})
}

/// Sends a ping and collects everything the server sent before the pong; since the server
/// handles messages in order, nothing queued before the ping can arrive after the pong.
async fn drain_until_pong(ws: &mut Ws) -> Vec<Value> {
    send(ws, json!({"type": "ping", "payload": {"marker": 1}})).await;
    let mut before = Vec::new();
    loop {
        let message = recv(ws).await;
        if message["type"] == "pong" {
            return before;
        }
        before.push(message);
    }
}

/// Asserts nothing but keep-alives arrives for `wait`.
async fn assert_silent(ws: &mut Ws, wait: Duration) {
    if let Ok(message) = tokio::time::timeout(wait, recv(ws)).await {
        panic!("unexpected message {message}");
    }
}

async fn wait_for_live(stats: &Stats, expected: usize) {
    for _ in 0..100 {
        if stats.live.load(Ordering::SeqCst) == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "live streams: {} (expected {expected})",
        stats.live.load(Ordering::SeqCst)
    );
}

#[test]
fn protocol_is_picked_from_header() {
    let both = Protocol::from_header("graphql-ws, graphql-transport-ws");
    assert_eq!(both, Some(Protocol::GraphqlTransportWs));
    assert_eq!(
        Protocol::from_header("graphql-ws"),
        Some(Protocol::GraphqlWs)
    );
    assert_eq!(
        Protocol::from_header("foo,graphql-ws"),
        Some(Protocol::GraphqlWs)
    );
    assert_eq!(Protocol::from_header("GRAPHQL-WS"), None);
    assert_eq!(Protocol::from_header(""), None);
    assert_eq!(Protocol::GraphqlWs.name(), "graphql-ws");
    assert_eq!(Protocol::GraphqlTransportWs.name(), "graphql-transport-ws");
}

#[actix_web::test]
async fn upgrade_refused_without_supported_subprotocol() {
    let (url, _) = serve(WsConfig::default()).await;
    for offered in [None, Some("foo, bar")] {
        match try_connect(&url, offered).await {
            Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 400),
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("upgrade accepted for {offered:?}"),
        }
    }
    // Both offered: graphql-transport-ws wins.
    let (_, response) = try_connect(&url, Some("graphql-ws, graphql-transport-ws"))
        .await
        .unwrap();
    assert_eq!(response.headers()["sec-websocket-protocol"], TRANSPORT);
}

#[actix_web::test]
async fn subscription_events_in_order_then_complete() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    send(
        &mut ws,
        subscribe("s1", "subscription { counter(limit: 3) }"),
    )
    .await;
    for n in 0..3 {
        let expected = json!({"id": "s1", "type": "next", "payload": {"data": {"counter": n}}});
        assert_eq!(recv(&mut ws).await, expected);
    }
    assert_eq!(recv(&mut ws).await, json!({"id": "s1", "type": "complete"}));
    wait_for_live(&stats, 0).await;
}

#[actix_web::test]
async fn queries_and_mutations_see_session_data() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    send(&mut ws, subscribe("q", "{ hello whoami }")).await;
    let data = json!({"hello": "world", "whoami": "alice"});
    let expected = json!({"id": "q", "type": "next", "payload": {"data": data}});
    assert_eq!(recv(&mut ws).await, expected);
    assert_eq!(recv(&mut ws).await, json!({"id": "q", "type": "complete"}));
    send(&mut ws, subscribe("m", "mutation { bump }")).await;
    let expected = json!({"id": "m", "type": "next", "payload": {"data": {"bump": 1}}});
    assert_eq!(recv(&mut ws).await, expected);
    assert_eq!(recv(&mut ws).await, json!({"id": "m", "type": "complete"}));
}

#[actix_web::test]
async fn validation_errors_are_sent_as_error_without_complete() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    send(&mut ws, subscribe("bad", "{ nope }")).await;
    let message = recv(&mut ws).await;
    assert_eq!(message["type"], "error");
    assert_eq!(message["id"], "bad");
    let errors = message["payload"].as_array().unwrap();
    assert!(errors[0]["message"].as_str().unwrap().contains("nope"));
    assert_eq!(drain_until_pong(&mut ws).await, Vec::<Value>::new());
    // The id is free again once the operation has ended.
    send(&mut ws, subscribe("bad", "{ hello }")).await;
    assert_eq!(recv(&mut ws).await["type"], "next");
}

#[actix_web::test]
async fn client_complete_stops_only_that_stream() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    send(&mut ws, subscribe("a", "subscription { counter }")).await;
    send(
        &mut ws,
        subscribe("b", "subscription { counter(delayMs: 30) }"),
    )
    .await;
    let mut seen_a = 0;
    while seen_a < 2 {
        if recv(&mut ws).await["id"] == "a" {
            seen_a += 1;
        }
    }
    wait_for_live(&stats, 2).await;
    send(&mut ws, json!({"id": "a", "type": "complete"})).await;
    // Results already queued may precede the pong; none may follow it.
    drain_until_pong(&mut ws).await;
    wait_for_live(&stats, 1).await;
    for _ in 0..5 {
        let message = recv(&mut ws).await;
        assert_eq!(message["id"], "b", "{message}");
        assert_eq!(message["type"], "next");
    }
    // Completing an unknown or finished id is not an error.
    send(&mut ws, json!({"id": "a", "type": "complete"})).await;
    send(&mut ws, json!({"id": "b", "type": "complete"})).await;
    drain_until_pong(&mut ws).await;
    assert_silent(&mut ws, Duration::from_millis(200)).await;
    wait_for_live(&stats, 0).await;
}

#[actix_web::test]
async fn ping_pong_and_server_keepalive() {
    let config = WsConfig {
        keepalive: Some(Duration::from_millis(100)),
        ..WsConfig::default()
    };
    let (url, _) = serve(config).await;
    let mut ws = connect(&url, TRANSPORT).await;
    // Pings are answered even before connection_init.
    send(&mut ws, json!({"type": "ping", "payload": {"at": 42}})).await;
    assert_eq!(
        recv(&mut ws).await,
        json!({"type": "pong", "payload": {"at": 42}})
    );
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(recv(&mut ws).await, json!({"type": "pong"}));
    send(
        &mut ws,
        json!({"type": "pong", "payload": {"ignored": true}}),
    )
    .await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "good"}}),
    )
    .await;
    assert_eq!(recv(&mut ws).await, json!({"type": "connection_ack"}));
    // The server pings on its own once acknowledged.
    let message = tokio::time::timeout(Duration::from_secs(2), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(message, Message::text(r#"{"type":"ping"}"#));
}

#[actix_web::test]
async fn close_4400_on_invalid_messages() {
    let (url, _) = serve(WsConfig::default()).await;
    let cases = [
        (false, Message::text("not json")),
        (false, Message::text(r#"{"type":"bogus"}"#)),
        (false, Message::text(r#"{"payload":{}}"#)),
        (
            false,
            Message::text(r#"{"type":"connection_init","payload":"str"}"#),
        ),
        (
            true,
            Message::text(r#"{"type":"subscribe","payload":{"query":"{ hello }"}}"#),
        ),
        (
            true,
            Message::text(r#"{"type":"subscribe","id":"","payload":{"query":"{ hello }"}}"#),
        ),
        (
            true,
            Message::text(r#"{"type":"subscribe","id":"1","payload":{}}"#),
        ),
        (true, Message::text(r#"{"type":"complete"}"#)),
    ];
    for (after_ack, message) in cases {
        let mut ws = if after_ack {
            acked(&url).await
        } else {
            connect(&url, TRANSPORT).await
        };
        ws.send(message.clone()).await.unwrap();
        let (code, reason) = expect_close(&mut ws).await;
        assert_eq!(code, 4400, "{message:?}: {reason}");
        assert!(reason.starts_with("Invalid message received"), "{reason}");
    }
}

#[actix_web::test]
async fn close_4401_on_subscribe_before_ack() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = connect(&url, TRANSPORT).await;
    send(&mut ws, subscribe("1", "{ hello }")).await;
    assert_eq!(expect_close(&mut ws).await, (4401, "Unauthorized".into()));
    // Also while on_init is still running: initialised is not acknowledged.
    let mut ws = connect(&url, TRANSPORT).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "slow"}}),
    )
    .await;
    send(&mut ws, subscribe("1", "{ hello }")).await;
    assert_eq!(expect_close(&mut ws).await, (4401, "Unauthorized".into()));
}

#[actix_web::test]
async fn close_4403_when_on_init_fails() {
    let (url, _) = serve(WsConfig::default()).await;
    for payload in [
        json!({"token": "bad"}),
        json!({"Authorization": "Bearer nope"}),
        Value::Null,
    ] {
        let mut ws = connect(&url, TRANSPORT).await;
        send(
            &mut ws,
            json!({"type": "connection_init", "payload": payload}),
        )
        .await;
        // Nothing but the close frame may arrive: no ack, no error data.
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let Message::Close(Some(frame)) = message else {
            panic!("expected close, got {message:?}");
        };
        assert_eq!(
            (u16::from(frame.code), frame.reason.as_str()),
            (4403, "Forbidden")
        );
    }
    // Bearer header form is accepted.
    let mut ws = connect(&url, TRANSPORT).await;
    let init = json!({"type": "connection_init", "payload": {"Authorization": "Bearer good"}});
    send(&mut ws, init).await;
    assert_eq!(recv(&mut ws).await, json!({"type": "connection_ack"}));
}

#[actix_web::test]
async fn close_4408_without_connection_init() {
    let config = WsConfig {
        init_timeout: Duration::from_millis(150),
        ..WsConfig::default()
    };
    let (url, _) = serve(config).await;
    let mut ws = connect(&url, TRANSPORT).await;
    let started = std::time::Instant::now();
    let closed = expect_close(&mut ws).await;
    assert_eq!(closed, (4408, "Connection initialisation timeout".into()));
    assert!(started.elapsed() >= Duration::from_millis(100));
    // An initialised connection outlives the timeout.
    let mut ws = acked(&url).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    send(&mut ws, subscribe("1", "{ hello }")).await;
    assert_eq!(recv(&mut ws).await["type"], "next");
}

#[actix_web::test]
async fn close_4409_on_duplicate_operation_id() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    send(&mut ws, subscribe("dup", "subscription { counter }")).await;
    assert_eq!(recv(&mut ws).await["type"], "next");
    send(&mut ws, subscribe("dup", "subscription { counter }")).await;
    let closed = expect_close(&mut ws).await;
    assert_eq!(closed, (4409, "Subscriber for dup already exists".into()));
    wait_for_live(&stats, 0).await;
    // A long multi-byte id: the reason is cut to the 123 bytes a close frame allows, on a char
    // boundary (tungstenite rejects a close frame whose reason is not valid UTF-8).
    let id = "é".repeat(100);
    let mut ws = acked(&url).await;
    send(&mut ws, subscribe(&id, "subscription { counter }")).await;
    send(&mut ws, subscribe(&id, "subscription { counter }")).await;
    let (code, reason) = expect_close(&mut ws).await;
    assert_eq!(code, 4409);
    assert!(
        reason.len() <= 123 && reason.len() >= 120,
        "{}",
        reason.len()
    );
    assert!(format!("Subscriber for {id} already exists").starts_with(&reason));
}

#[actix_web::test]
async fn close_4429_on_second_connection_init() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    send(&mut ws, json!({"type": "connection_init"})).await;
    let closed = expect_close(&mut ws).await;
    assert_eq!(closed, (4429, "Too many initialisation requests".into()));
    // Also while the first one is still being processed.
    let mut ws = connect(&url, TRANSPORT).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "slow"}}),
    )
    .await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "slow"}}),
    )
    .await;
    let closed = expect_close(&mut ws).await;
    assert_eq!(closed, (4429, "Too many initialisation requests".into()));
}

#[actix_web::test]
async fn token_expiry_closes_4403_and_stops_operations() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = connect(&url, TRANSPORT).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "short"}}),
    )
    .await;
    assert_eq!(recv(&mut ws).await, json!({"type": "connection_ack"}));
    send(
        &mut ws,
        subscribe("1", "subscription { counter(delayMs: 50) }"),
    )
    .await;
    assert_eq!(recv(&mut ws).await["type"], "next");
    let closed = expect_close(&mut ws).await;
    assert_eq!(closed, (4403, "Forbidden: token expired".into()));
    wait_for_live(&stats, 0).await;
    // Credentials that are already expired are refused outright, without an ack.
    let mut ws = connect(&url, TRANSPORT).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "expired"}}),
    )
    .await;
    let closed = expect_close(&mut ws).await;
    assert_eq!(closed, (4403, "Forbidden: token expired".into()));
}

#[actix_web::test]
async fn closing_the_socket_drops_every_stream() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    for id in ["1", "2", "3"] {
        send(
            &mut ws,
            subscribe(id, "subscription { counter(delayMs: 100) }"),
        )
        .await;
    }
    wait_for_live(&stats, 3).await;
    ws.close(None).await.unwrap();
    wait_for_live(&stats, 0).await;
    // An abrupt disconnect (no close frame) also drops them.
    let mut ws = acked(&url).await;
    send(
        &mut ws,
        subscribe("1", "subscription { counter(delayMs: 100) }"),
    )
    .await;
    wait_for_live(&stats, 1).await;
    drop(ws);
    wait_for_live(&stats, 0).await;
}

#[actix_web::test]
async fn slow_client_back_pressures_streams() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    send(
        &mut ws,
        subscribe("big", "subscription { blob(size: 262144) }"),
    )
    .await;
    // Stop reading: once the TCP buffers and the small queues fill, the stream must stop
    // being polled, instead of producing (and buffering) items as fast as it can.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stalled = stats.produced.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let later = stats.produced.load(Ordering::SeqCst);
    println!("produced while the client was not reading: {stalled} then {later}");
    assert!(
        stalled < 500,
        "produced {stalled} items for a client that read none"
    );
    assert_eq!(
        stalled, later,
        "stream kept being polled while the client was stalled"
    );
    // Reading again resumes the flow.
    for _ in 0..(later + 10) {
        assert_eq!(recv(&mut ws).await["type"], "next");
    }
    assert!(stats.produced.load(Ordering::SeqCst) > later);
}

#[actix_web::test]
async fn legacy_protocol_ack_keepalive_data_complete() {
    let config = WsConfig {
        keepalive: Some(Duration::from_secs(30)),
        ..WsConfig::default()
    };
    let (url, stats) = serve(config).await;
    let mut ws = connect(&url, LEGACY).await;
    let init = json!({"type": "connection_init", "payload": {"Authorization": "Bearer good"}});
    send(&mut ws, init).await;
    let raw = |message: Option<Result<Message, tungstenite::Error>>| message.unwrap().unwrap();
    assert_eq!(
        raw(ws.next().await),
        Message::text(r#"{"type":"connection_ack"}"#)
    );
    // The first keep-alive follows the ack immediately, as in the reference server.
    assert_eq!(raw(ws.next().await), Message::text(r#"{"type":"ka"}"#));
    let start =
        |id: &str, query: &str| json!({"id": id, "type": "start", "payload": {"query": query}});
    send(&mut ws, start("1", "subscription { counter(limit: 3) }")).await;
    for n in 0..3 {
        let expected = json!({"id": "1", "type": "data", "payload": {"data": {"counter": n}}});
        assert_eq!(recv(&mut ws).await, expected);
    }
    assert_eq!(recv(&mut ws).await, json!({"id": "1", "type": "complete"}));
    // Validation errors arrive as data with errors, then complete (reference behaviour).
    send(&mut ws, start("2", "{ nope }")).await;
    let message = recv(&mut ws).await;
    assert_eq!(
        (&message["type"], &message["id"]),
        (&json!("data"), &json!("2"))
    );
    assert!(message["payload"]["errors"].is_array());
    assert_eq!(recv(&mut ws).await, json!({"id": "2", "type": "complete"}));
    // stop ends a running subscription without further data.
    send(&mut ws, start("3", "subscription { counter }")).await;
    assert_eq!(recv(&mut ws).await["id"], "3");
    send(&mut ws, json!({"id": "3", "type": "stop"})).await;
    wait_for_live(&stats, 0).await;
    // Malformed messages get an error and the socket stays open.
    send(&mut ws, json!({"id": "4", "type": "bogus"})).await;
    let message = recv(&mut ws).await;
    assert_eq!(
        (&message["type"], &message["id"]),
        (&json!("error"), &json!("4"))
    );
    ws.send(Message::text("not json")).await.unwrap();
    assert_eq!(recv(&mut ws).await["type"], "connection_error");
    send(&mut ws, json!({"type": "connection_terminate"})).await;
    assert_eq!(expect_close(&mut ws).await.0, 1000);
}

#[actix_web::test]
async fn close_4500_when_on_init_cannot_check_the_credentials() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = connect(&url, TRANSPORT).await;
    let init = json!({"type": "connection_init", "payload": {"token": "unverifiable"}});
    send(&mut ws, init.clone()).await;
    let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let Message::Close(Some(frame)) = message else {
        panic!("expected close, got {message:?}");
    };
    assert_eq!(
        (u16::from(frame.code), frame.reason.as_str()),
        (4500, "Internal server error")
    );
    // Legacy: connection_error first, then the same close.
    let mut ws = connect(&url, LEGACY).await;
    send(&mut ws, init).await;
    let expected =
        json!({"type": "connection_error", "payload": {"message": "Internal server error"}});
    assert_eq!(recv(&mut ws).await, expected);
    assert_eq!(
        expect_close(&mut ws).await,
        (4500, "Internal server error".into())
    );
}

#[test]
fn init_errors_map_to_the_protocol_close_codes() {
    assert_eq!(
        InitError::Forbidden("bad token".into()).close(),
        (4403, "Forbidden")
    );
    assert_eq!(InitError::Internal.close(), (4500, "Internal server error"));
}

#[actix_web::test]
async fn every_operation_gets_a_context_of_its_own() {
    let (url, _) = serve(WsConfig::default()).await;
    for protocol in [TRANSPORT, LEGACY] {
        let mut ws = connect(&url, protocol).await;
        send(
            &mut ws,
            json!({"type": "connection_init", "payload": {"token": "good"}}),
        )
        .await;
        assert_eq!(recv(&mut ws).await, json!({"type": "connection_ack"}));
        let start = if protocol == TRANSPORT {
            "subscribe"
        } else {
            "start"
        };
        let mut numbers = Vec::new();
        for id in ["1", "2"] {
            let op = json!({"id": id, "type": start, "payload": {"query": "{ operationNumber }"}});
            send(&mut ws, op).await;
            let result = recv(&mut ws).await;
            assert_eq!(result["id"], id, "{result}");
            numbers.push(
                result["payload"]["data"]["operationNumber"]
                    .as_u64()
                    .unwrap(),
            );
            assert_eq!(recv(&mut ws).await["type"], "complete");
        }
        assert_ne!(
            numbers[0], numbers[1],
            "{protocol}: one context per operation"
        );
    }
}

#[actix_web::test]
async fn legacy_protocol_queues_start_behind_init_and_refuses_bad_tokens() {
    let (url, _) = serve(WsConfig::default()).await;
    // A start sent right after init waits for on_init, as in the reference server.
    let mut ws = connect(&url, LEGACY).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "slow"}}),
    )
    .await;
    let start = json!({"id": "1", "type": "start", "payload": {"query": "{ whoami }"}});
    send(&mut ws, start).await;
    assert_eq!(recv(&mut ws).await, json!({"type": "connection_ack"}));
    let expected = json!({"id": "1", "type": "data", "payload": {"data": {"whoami": "alice"}}});
    assert_eq!(recv(&mut ws).await, expected);
    // Refused credentials: connection_error with the reason, then 4403.
    let mut ws = connect(&url, LEGACY).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": "bad"}}),
    )
    .await;
    let expected = json!({"type": "connection_error", "payload": {"message": "bad token"}});
    assert_eq!(recv(&mut ws).await, expected);
    assert_eq!(expect_close(&mut ws).await, (4403, "Forbidden".into()));
    // start without any init: refused like graphql-transport-ws does.
    let mut ws = connect(&url, LEGACY).await;
    let start = json!({"id": "1", "type": "start", "payload": {"query": "{ hello }"}});
    send(&mut ws, start).await;
    assert_eq!(expect_close(&mut ws).await, (4401, "Unauthorized".into()));
}
