//! The WebSocket transport of `api::http::ws` on a server of its own, with a small schema
//! whose streams count themselves: protocol choice, messages, close codes, keep-alives,
//! back-pressure and the legacy protocol, through the suite's client.

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
use futures_util::{Stream, stream};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{self, Message};

use crate::ws_client::{GqlSocket, LEGACY, TRANSPORT};

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
    .expect("bind");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("ws://{addr}/ws"), stats)
}

/// Connects with graphql-transport-ws and completes the handshake with a good token.
async fn acked(url: &str) -> GqlSocket {
    let mut ws = GqlSocket::connect(url, TRANSPORT).await;
    ws.init(json!({"token": "good"})).await;
    assert_eq!(ws.recv().await, json!({"type": "connection_ack"}));
    ws
}

fn subscribe(id: &str, query: &str) -> Value {
    json!({"id": id, "type": "subscribe", "payload": {"query": query}})
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
fn the_subprotocol_is_picked_from_the_offered_header() {
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
async fn an_upgrade_without_a_supported_subprotocol_is_refused_with_400() {
    let (url, _) = serve(WsConfig::default()).await;
    for offered in [None, Some("foo, bar")] {
        match GqlSocket::try_connect(&url, offered).await {
            Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 400),
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("upgrade accepted for {offered:?}"),
        }
    }
    // Both offered: graphql-transport-ws wins.
    let (_, response) = GqlSocket::try_connect(&url, Some("graphql-ws, graphql-transport-ws"))
        .await
        .expect("upgrade");
    assert_eq!(response.headers()["sec-websocket-protocol"], TRANSPORT);
}

#[actix_web::test]
async fn a_subscription_sends_its_events_in_order_then_completes() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(subscribe("s1", "subscription { counter(limit: 3) }"))
        .await;
    for n in 0..3 {
        let expected = json!({"id": "s1", "type": "next", "payload": {"data": {"counter": n}}});
        assert_eq!(ws.recv().await, expected);
    }
    assert_eq!(ws.recv().await, json!({"id": "s1", "type": "complete"}));
    wait_for_live(&stats, 0).await;
}

#[actix_web::test]
async fn queries_and_mutations_over_the_socket_see_the_session_data() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(subscribe("q", "{ hello whoami }")).await;
    let data = json!({"hello": "world", "whoami": "alice"});
    let expected = json!({"id": "q", "type": "next", "payload": {"data": data}});
    assert_eq!(ws.recv().await, expected);
    assert_eq!(ws.recv().await, json!({"id": "q", "type": "complete"}));
    ws.send(subscribe("m", "mutation { bump }")).await;
    let expected = json!({"id": "m", "type": "next", "payload": {"data": {"bump": 1}}});
    assert_eq!(ws.recv().await, expected);
    assert_eq!(ws.recv().await, json!({"id": "m", "type": "complete"}));
}

#[actix_web::test]
async fn a_validation_error_is_sent_as_an_error_without_a_complete() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(subscribe("bad", "{ nope }")).await;
    let message = ws.recv().await;
    assert_eq!(message["type"], "error");
    assert_eq!(message["id"], "bad");
    let errors = message["payload"].as_array().expect("errors");
    assert!(
        errors[0]["message"]
            .as_str()
            .expect("message")
            .contains("nope")
    );
    assert_eq!(ws.drain_until_pong().await, Vec::<Value>::new());
    // The id is free again once the operation has ended.
    ws.send(subscribe("bad", "{ hello }")).await;
    assert_eq!(ws.recv().await["type"], "next");
}

#[actix_web::test]
async fn a_client_complete_stops_only_that_stream() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(subscribe("a", "subscription { counter }")).await;
    ws.send(subscribe("b", "subscription { counter(delayMs: 30) }"))
        .await;
    let mut seen_a = 0;
    while seen_a < 2 {
        if ws.recv().await["id"] == "a" {
            seen_a += 1;
        }
    }
    wait_for_live(&stats, 2).await;
    ws.send(json!({"id": "a", "type": "complete"})).await;
    // Results already queued may precede the pong; none may follow it.
    ws.drain_until_pong().await;
    wait_for_live(&stats, 1).await;
    for _ in 0..5 {
        let message = ws.recv().await;
        assert_eq!(message["id"], "b", "{message}");
        assert_eq!(message["type"], "next");
    }
    // Completing an unknown or finished id is not an error.
    ws.send(json!({"id": "a", "type": "complete"})).await;
    ws.send(json!({"id": "b", "type": "complete"})).await;
    ws.drain_until_pong().await;
    ws.assert_silent(Duration::from_millis(200)).await;
    wait_for_live(&stats, 0).await;
}

#[actix_web::test]
async fn pings_are_answered_and_the_server_pings_once_acknowledged() {
    let config = WsConfig {
        keepalive: Some(Duration::from_millis(100)),
        ..WsConfig::default()
    };
    let (url, _) = serve(config).await;
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    // Pings are answered even before connection_init.
    ws.send(json!({"type": "ping", "payload": {"at": 42}}))
        .await;
    assert_eq!(
        ws.recv().await,
        json!({"type": "pong", "payload": {"at": 42}})
    );
    ws.send(json!({"type": "ping"})).await;
    assert_eq!(ws.recv().await, json!({"type": "pong"}));
    ws.send(json!({"type": "pong", "payload": {"ignored": true}}))
        .await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "good"}}))
        .await;
    assert_eq!(ws.recv().await, json!({"type": "connection_ack"}));
    // The server pings on its own once acknowledged.
    let message = ws.raw_within(Duration::from_secs(2)).await;
    assert_eq!(message, Message::text(r#"{"type":"ping"}"#));
}

#[actix_web::test]
async fn an_invalid_message_closes_the_socket_with_4400() {
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
            GqlSocket::connect(&url, TRANSPORT).await
        };
        ws.send_frame(message.clone()).await;
        let (code, reason) = ws.expect_close().await;
        assert_eq!(code, 4400, "{message:?}: {reason}");
        assert!(reason.starts_with("Invalid message received"), "{reason}");
    }
}

#[actix_web::test]
async fn a_subscribe_before_the_ack_closes_the_socket_with_4401() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    ws.send(subscribe("1", "{ hello }")).await;
    assert_eq!(ws.expect_close().await, (4401, "Unauthorized".into()));
    // Also while on_init is still running: initialised is not acknowledged.
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "slow"}}))
        .await;
    ws.send(subscribe("1", "{ hello }")).await;
    assert_eq!(ws.expect_close().await, (4401, "Unauthorized".into()));
}

#[actix_web::test]
async fn refused_credentials_close_the_socket_with_4403_and_nothing_else() {
    let (url, _) = serve(WsConfig::default()).await;
    for payload in [
        json!({"token": "bad"}),
        json!({"Authorization": "Bearer nope"}),
        Value::Null,
    ] {
        let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
        ws.send(json!({"type": "connection_init", "payload": payload}))
            .await;
        // Nothing but the close frame may arrive: no ack, no error data.
        let message = ws.raw_within(Duration::from_secs(5)).await;
        let Message::Close(Some(frame)) = message else {
            panic!("expected close, got {message:?}");
        };
        assert_eq!(
            (u16::from(frame.code), frame.reason.as_str()),
            (4403, "Forbidden: bad token")
        );
    }
    // Bearer header form is accepted.
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    let init = json!({"type": "connection_init", "payload": {"Authorization": "Bearer good"}});
    ws.send(init).await;
    assert_eq!(ws.recv().await, json!({"type": "connection_ack"}));
}

#[actix_web::test]
async fn a_socket_without_connection_init_closes_with_4408() {
    let config = WsConfig {
        init_timeout: Duration::from_millis(150),
        ..WsConfig::default()
    };
    let (url, _) = serve(config).await;
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    let started = std::time::Instant::now();
    let closed = ws.expect_close().await;
    assert_eq!(closed, (4408, "Connection initialisation timeout".into()));
    assert!(started.elapsed() >= Duration::from_millis(100));
    // An initialised connection outlives the timeout.
    let mut ws = acked(&url).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    ws.send(subscribe("1", "{ hello }")).await;
    assert_eq!(ws.recv().await["type"], "next");
}

#[actix_web::test]
async fn a_duplicate_operation_id_closes_the_socket_with_4409() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(subscribe("dup", "subscription { counter }")).await;
    assert_eq!(ws.recv().await["type"], "next");
    ws.send(subscribe("dup", "subscription { counter }")).await;
    let closed = ws.expect_close().await;
    assert_eq!(closed, (4409, "Subscriber for dup already exists".into()));
    wait_for_live(&stats, 0).await;
    // A long multi-byte id: the reason is cut to the 123 bytes a close frame allows, on a char
    // boundary (tungstenite rejects a close frame whose reason is not valid UTF-8).
    let id = "é".repeat(100);
    let mut ws = acked(&url).await;
    ws.send(subscribe(&id, "subscription { counter }")).await;
    ws.send(subscribe(&id, "subscription { counter }")).await;
    let (code, reason) = ws.expect_close().await;
    assert_eq!(code, 4409);
    assert!(
        reason.len() <= 123 && reason.len() >= 120,
        "{}",
        reason.len()
    );
    assert!(format!("Subscriber for {id} already exists").starts_with(&reason));
}

#[actix_web::test]
async fn a_second_connection_init_closes_the_socket_with_4429() {
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(json!({"type": "connection_init"})).await;
    let closed = ws.expect_close().await;
    assert_eq!(closed, (4429, "Too many initialisation requests".into()));
    // Also while the first one is still being processed.
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "slow"}}))
        .await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "slow"}}))
        .await;
    let closed = ws.expect_close().await;
    assert_eq!(closed, (4429, "Too many initialisation requests".into()));
}

#[actix_web::test]
async fn an_expiring_token_closes_the_socket_with_4403_and_stops_its_operations() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "short"}}))
        .await;
    assert_eq!(ws.recv().await, json!({"type": "connection_ack"}));
    ws.send(subscribe("1", "subscription { counter(delayMs: 50) }"))
        .await;
    assert_eq!(ws.recv().await["type"], "next");
    let closed = ws.expect_close().await;
    assert_eq!(closed, (4403, "Forbidden: token expired".into()));
    wait_for_live(&stats, 0).await;
    // Credentials that are already expired are refused outright, without an ack.
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "expired"}}))
        .await;
    let closed = ws.expect_close().await;
    assert_eq!(closed, (4403, "Forbidden: token expired".into()));
}

#[actix_web::test]
async fn closing_the_socket_drops_every_stream() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    for id in ["1", "2", "3"] {
        ws.send(subscribe(id, "subscription { counter(delayMs: 100) }"))
            .await;
    }
    wait_for_live(&stats, 3).await;
    ws.send_close().await;
    wait_for_live(&stats, 0).await;
    // An abrupt disconnect (no close frame) also drops them.
    let mut ws = acked(&url).await;
    ws.send(subscribe("1", "subscription { counter(delayMs: 100) }"))
        .await;
    wait_for_live(&stats, 1).await;
    drop(ws);
    wait_for_live(&stats, 0).await;
}

#[actix_web::test]
async fn a_slow_client_back_pressures_its_streams() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(subscribe("big", "subscription { blob(size: 262144) }"))
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
        assert_eq!(ws.recv().await["type"], "next");
    }
    assert!(stats.produced.load(Ordering::SeqCst) > later);
}

/// Waits up to ten seconds for `check` to hold.
async fn eventually(what: &str, check: impl Fn() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("never happened: {what}");
}

#[actix_web::test]
async fn a_mutation_runs_to_its_end_while_its_client_is_not_reading() {
    let (url, stats) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    ws.send(subscribe("big", "subscription { blob(size: 262144) }"))
        .await;
    // The client reads nothing: its queue fills and the subscription is held back. A
    // mutation sent now must still run (on SQLite it would hold the one writer, and every
    // other caller's writes, until it did).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    ws.send(subscribe("m", "mutation { bump }")).await;
    eventually("the mutation ran", || {
        stats.bumps.load(Ordering::SeqCst) == 1
    })
    .await;
}

#[actix_web::test]
async fn a_client_that_stops_reading_is_closed_once_its_queue_stays_full() {
    let config = WsConfig {
        write_stall: Duration::from_secs(1),
        ..WsConfig::default()
    };
    let (url, stats) = serve(config).await;
    // One socket only stops reading; the other also pings, whose pong finds no room.
    let mut quiet = acked(&url).await;
    quiet
        .send(subscribe("big", "subscription { blob(size: 262144) }"))
        .await;
    let mut pinging = acked(&url).await;
    pinging
        .send(subscribe("big", "subscription { blob(size: 262144) }"))
        .await;
    wait_for_live(&stats, 2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for _ in 0..20 {
        pinging.send(json!({"type": "ping"})).await;
    }
    // Each socket closes, dropping its stream, instead of waiting on its client forever.
    eventually("both sockets closed", || {
        stats.live.load(Ordering::SeqCst) == 0
    })
    .await;
}

#[actix_web::test]
async fn a_message_larger_than_a_request_body_closes_the_socket_with_1009() {
    use tokio_tungstenite::tungstenite::protocol::frame::{
        Frame,
        coding::{Data, OpCode},
    };
    let (url, _) = serve(WsConfig::default()).await;
    let mut ws = acked(&url).await;
    // 300 KiB of a `ping` in 60 KiB frames: each frame is small, the message is not.
    let text = format!(
        r#"{{"type":"ping","payload":{{"p":"{}"}}}}"#,
        "a".repeat(300 * 1024)
    );
    let chunks: Vec<&[u8]> = text.as_bytes().chunks(60 * 1024).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let opcode = if i == 0 { Data::Text } else { Data::Continue };
        let last = i + 1 == chunks.len();
        let frame = Frame::message(chunk.to_vec(), OpCode::Data(opcode), last);
        ws.send_frame(Message::Frame(frame)).await;
    }
    assert_eq!(ws.next().await, Err(Some(1009)));
}

#[actix_web::test]
async fn the_legacy_protocol_acknowledges_keeps_alive_sends_data_and_completes() {
    let config = WsConfig {
        keepalive: Some(Duration::from_secs(30)),
        ..WsConfig::default()
    };
    let (url, stats) = serve(config).await;
    let mut ws = GqlSocket::connect(&url, LEGACY).await;
    let init = json!({"type": "connection_init", "payload": {"Authorization": "Bearer good"}});
    ws.send(init).await;
    assert_eq!(
        ws.raw().await,
        Message::text(r#"{"type":"connection_ack"}"#)
    );
    // The first keep-alive follows the ack immediately, as in the reference server.
    assert_eq!(ws.raw().await, Message::text(r#"{"type":"ka"}"#));
    let start =
        |id: &str, query: &str| json!({"id": id, "type": "start", "payload": {"query": query}});
    ws.send(start("1", "subscription { counter(limit: 3) }"))
        .await;
    for n in 0..3 {
        let expected = json!({"id": "1", "type": "data", "payload": {"data": {"counter": n}}});
        assert_eq!(ws.recv().await, expected);
    }
    assert_eq!(ws.recv().await, json!({"id": "1", "type": "complete"}));
    // Validation errors arrive as data with errors, then complete (reference behaviour).
    ws.send(start("2", "{ nope }")).await;
    let message = ws.recv().await;
    assert_eq!(
        (&message["type"], &message["id"]),
        (&json!("data"), &json!("2"))
    );
    assert!(message["payload"]["errors"].is_array());
    assert_eq!(ws.recv().await, json!({"id": "2", "type": "complete"}));
    // stop ends a running subscription without further data.
    ws.send(start("3", "subscription { counter }")).await;
    assert_eq!(ws.recv().await["id"], "3");
    ws.send(json!({"id": "3", "type": "stop"})).await;
    wait_for_live(&stats, 0).await;
    // Malformed messages get an error and the socket stays open.
    ws.send(json!({"id": "4", "type": "bogus"})).await;
    let message = ws.recv().await;
    assert_eq!(
        (&message["type"], &message["id"]),
        (&json!("error"), &json!("4"))
    );
    ws.send_frame(Message::text("not json")).await;
    assert_eq!(ws.recv().await["type"], "connection_error");
    ws.send(json!({"type": "connection_terminate"})).await;
    assert_eq!(ws.expect_close().await.0, 1000);
}

#[actix_web::test]
async fn a_socket_whose_credentials_cannot_be_checked_closes_with_4500() {
    let (url, _) = serve(WsConfig::default()).await;
    let init = json!({"type": "connection_init", "payload": {"token": "unverifiable"}});
    let mut ws = GqlSocket::connect(&url, TRANSPORT).await;
    ws.send(init.clone()).await;
    assert_eq!(
        ws.expect_close().await,
        (4500, "Internal server error".into())
    );
    // Legacy: connection_error first, then the same close.
    let mut ws = GqlSocket::connect(&url, LEGACY).await;
    ws.send(init).await;
    let expected =
        json!({"type": "connection_error", "payload": {"message": "Internal server error"}});
    assert_eq!(ws.recv().await, expected);
    assert_eq!(
        ws.expect_close().await,
        (4500, "Internal server error".into())
    );
}

#[test]
fn init_errors_map_to_the_protocol_close_codes() {
    assert_eq!(
        InitError::Forbidden("EXPIRED".into()).close(),
        (4403, "Forbidden: EXPIRED".to_owned())
    );
    assert_eq!(
        InitError::Internal.close(),
        (4500, "Internal server error".to_owned())
    );
}

#[actix_web::test]
async fn every_operation_gets_a_context_of_its_own() {
    let (url, _) = serve(WsConfig::default()).await;
    for protocol in [TRANSPORT, LEGACY] {
        let mut ws = GqlSocket::connect(&url, protocol).await;
        ws.send(json!({"type": "connection_init", "payload": {"token": "good"}}))
            .await;
        assert_eq!(ws.recv().await, json!({"type": "connection_ack"}));
        let start = if protocol == TRANSPORT {
            "subscribe"
        } else {
            "start"
        };
        let mut numbers = Vec::new();
        for id in ["1", "2"] {
            let op = json!({"id": id, "type": start, "payload": {"query": "{ operationNumber }"}});
            ws.send(op).await;
            let result = ws.recv().await;
            assert_eq!(result["id"], id, "{result}");
            numbers.push(
                result["payload"]["data"]["operationNumber"]
                    .as_u64()
                    .expect("a number"),
            );
            assert_eq!(ws.recv().await["type"], "complete");
        }
        assert_ne!(
            numbers[0], numbers[1],
            "{protocol}: one context per operation"
        );
    }
}

#[actix_web::test]
async fn the_legacy_protocol_queues_a_start_behind_init_and_refuses_bad_tokens() {
    let (url, _) = serve(WsConfig::default()).await;
    // A start sent right after init waits for on_init, as in the reference server.
    let mut ws = GqlSocket::connect(&url, LEGACY).await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "slow"}}))
        .await;
    let start = json!({"id": "1", "type": "start", "payload": {"query": "{ whoami }"}});
    ws.send(start).await;
    assert_eq!(ws.recv().await, json!({"type": "connection_ack"}));
    let expected = json!({"id": "1", "type": "data", "payload": {"data": {"whoami": "alice"}}});
    assert_eq!(ws.recv().await, expected);
    // Refused credentials: connection_error with the reason, then 4403.
    let mut ws = GqlSocket::connect(&url, LEGACY).await;
    ws.send(json!({"type": "connection_init", "payload": {"token": "bad"}}))
        .await;
    let expected = json!({"type": "connection_error", "payload": {"message": "bad token"}});
    assert_eq!(ws.recv().await, expected);
    assert_eq!(
        ws.expect_close().await,
        (4403, "Forbidden: bad token".into())
    );
    // start without any init: refused like graphql-transport-ws does.
    let mut ws = GqlSocket::connect(&url, LEGACY).await;
    let start = json!({"id": "1", "type": "start", "payload": {"query": "{ hello }"}});
    ws.send(start).await;
    assert_eq!(ws.expect_close().await, (4401, "Unauthorized".into()));
}
