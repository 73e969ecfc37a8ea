//! The suite's one WebSocket client: a real tokio-tungstenite connection speaking
//! graphql-transport-ws (or legacy graphql-ws) as a test drives it, message by message.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::handshake::client::Response;
use tokio_tungstenite::tungstenite::{self, Message};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The current protocol.
pub const TRANSPORT: &str = "graphql-transport-ws";
/// The legacy (subscriptions-transport-ws) protocol.
pub const LEGACY: &str = "graphql-ws";

/// How long the client waits for the server before failing the test.
const PATIENCE: Duration = Duration::from_secs(15);

/// What arrived next: a protocol message, or the close code.
pub type Received = Result<Value, Option<u16>>;

/// One client connection.
pub struct GqlSocket {
    socket: Socket,
}

impl GqlSocket {
    /// Attempts the upgrade, offering `protocols` (a `Sec-WebSocket-Protocol` value, or no
    /// header at all); returns the handshake's error as it is.
    pub async fn try_connect(
        url: &str,
        protocols: Option<&str>,
    ) -> Result<(Self, Response), tungstenite::Error> {
        let mut request = url.into_client_request().expect("request");
        if let Some(protocols) = protocols {
            request
                .headers_mut()
                .insert("sec-websocket-protocol", protocols.parse().expect("header"));
        }
        let (socket, response) = tokio_tungstenite::connect_async(request).await?;
        Ok((Self { socket }, response))
    }

    /// Connects offering `protocol` and asserts the server chose it.
    pub async fn connect(url: &str, protocol: &str) -> Self {
        let (socket, response) = Self::try_connect(url, Some(protocol))
            .await
            .expect("upgrade");
        assert_eq!(response.headers()["sec-websocket-protocol"], protocol);
        socket
    }

    /// Connects with graphql-transport-ws and authenticates with a bearer token.
    pub async fn open(url: &str, token: &str) -> Self {
        Self::open_with(url, json!({ "Authorization": format!("Bearer {token}") })).await
    }

    /// Connects with graphql-transport-ws, sends `connection_init` with `payload` and
    /// asserts the acknowledgement.
    pub async fn open_with(url: &str, payload: Value) -> Self {
        let mut socket = Self::connect(url, TRANSPORT).await;
        socket.init(payload).await;
        let ack = socket.next().await;
        assert_eq!(
            ack.as_ref().ok().map(|m| m["type"].clone()),
            Some(json!("connection_ack")),
            "{ack:?}"
        );
        socket
    }

    /// Sends `connection_init` with `payload`.
    pub async fn init(&mut self, payload: Value) {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
    }

    /// Sends one protocol message.
    pub async fn send(&mut self, message: Value) {
        self.send_frame(Message::text(message.to_string())).await;
    }

    /// Sends one frame as it is, malformed or not.
    pub async fn send_frame(&mut self, frame: Message) {
        self.socket.send(frame).await.expect("send");
    }

    /// Starts an operation.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } })).await;
    }

    /// The next message, or the close code; `ping`s are answered and skipped, as are
    /// legacy `ka`s. Fails after 15 s.
    pub async fn next(&mut self) -> Received {
        loop {
            match self.frame().await {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("json");
                    match value["type"].as_str() {
                        Some("ping") => self.send(json!({ "type": "pong" })).await,
                        Some("ka") => {}
                        _ => return Ok(value),
                    }
                }
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(other)) => panic!("unexpected frame {other:?}"),
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// The next message or the close code, keep-alive messages (`ping`, `ka`) included
    /// and left unanswered. Fails after 15 s.
    pub async fn next_any(&mut self) -> Received {
        loop {
            match self.frame().await {
                Some(Ok(Message::Text(text))) => {
                    return Ok(serde_json::from_str(&text).expect("json"));
                }
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(other)) => panic!("unexpected frame {other:?}"),
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// The next message, failing the test if the socket closes instead.
    pub async fn recv(&mut self) -> Value {
        self.next()
            .await
            .unwrap_or_else(|code| panic!("unexpected close: {code:?}"))
    }

    /// The next `next` payload's data for operation `id`.
    pub async fn next_data(&mut self, id: &str) -> Value {
        let message = self.recv().await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        assert!(message["payload"]["errors"].is_null(), "{message}");
        message["payload"]["data"].clone()
    }

    /// The next frame as it came, keep-alives included; fails after `wait`.
    pub async fn raw_within(&mut self, wait: Duration) -> Message {
        tokio::time::timeout(wait, self.socket.next())
            .await
            .expect("a frame in time")
            .expect("the socket is open")
            .expect("a frame")
    }

    /// The next frame as it came, keep-alives included; fails after 15 s.
    pub async fn raw(&mut self) -> Message {
        self.raw_within(PATIENCE).await
    }

    /// Reads until the server's close frame and returns its code and reason; only results,
    /// keep-alives and a legacy `connection_error` may come before it.
    pub async fn expect_close(&mut self) -> (u16, String) {
        loop {
            match self.raw().await {
                Message::Close(Some(frame)) => {
                    return (frame.code.into(), frame.reason.to_string());
                }
                Message::Close(None) => panic!("close frame without a code"),
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text).expect("json");
                    let allowed = ["next", "data", "ka", "ping", "connection_error"];
                    assert!(
                        allowed.contains(&value["type"].as_str().expect("a type")),
                        "{value}"
                    );
                }
                _ => {}
            }
        }
    }

    /// Sends a ping and returns everything the server sent before the pong: as the server
    /// handles messages in order, nothing queued before the ping can come after the pong.
    pub async fn drain_until_pong(&mut self) -> Vec<Value> {
        self.send(json!({ "type": "ping", "payload": { "marker": 1 } }))
            .await;
        let mut before = Vec::new();
        loop {
            let message = self.recv().await;
            if message["type"] == "pong" {
                return before;
            }
            before.push(message);
        }
    }

    /// Asserts that nothing but keep-alives arrives for `wait`.
    pub async fn assert_silent(&mut self, wait: Duration) {
        if let Ok(message) = tokio::time::timeout(wait, self.next()).await {
            panic!("unexpected message {message:?}");
        }
    }

    /// Sends a close frame, asserting that it went out.
    pub async fn send_close(&mut self) {
        self.socket.close(None).await.expect("close");
    }

    /// Closes the connection from the client side.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }

    /// The next frame, or the end of the stream; fails after 15 s.
    async fn frame(&mut self) -> Option<Result<Message, tungstenite::Error>> {
        tokio::time::timeout(PATIENCE, self.socket.next())
            .await
            .expect("the server answers within 15 s")
    }
}
