//! A small graphql-transport-ws client over a real WebSocket, for the tests.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What arrived next: a protocol message, or the close code.
pub type Received = Result<Value, Option<u16>>;

/// One client connection.
pub struct GqlSocket {
    socket: Socket,
}

impl GqlSocket {
    /// Connects to `url` with the given subprotocol.
    pub async fn connect(url: &str, protocol: &str) -> Self {
        let mut request = url.into_client_request().expect("request");
        request
            .headers_mut()
            .insert("sec-websocket-protocol", protocol.parse().expect("header"));
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("upgrade");
        Self { socket }
    }

    /// Connects with graphql-transport-ws and authenticates.
    pub async fn open(url: &str, token: &str) -> Self {
        let mut socket = Self::connect(url, "graphql-transport-ws").await;
        socket.send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } })).await;
        let ack = socket.next().await;
        assert_eq!(
            ack.as_ref().ok().map(|m| m["type"].clone()),
            Some(json!("connection_ack")),
            "{ack:?}"
        );
        socket
    }

    /// Sends one protocol message.
    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("send");
    }

    /// Starts an operation.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } })).await;
    }

    /// The next message (pings answered and skipped), or the close code; fails after 15 s.
    pub async fn next(&mut self) -> Received {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(15), self.socket.next())
                .await
                .expect("the server answers within 15 s");
            match message {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("json");
                    if value["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Ok(value);
                }
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(other)) => panic!("unexpected frame {other:?}"),
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// The next `next` payload's data for operation `id`.
    pub async fn next_data(&mut self, id: &str) -> Value {
        let message = self
            .next()
            .await
            .unwrap_or_else(|code| panic!("closed with {code:?}"));
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        assert!(message["payload"]["errors"].is_null(), "{message}");
        message["payload"]["data"].clone()
    }

    /// Closes the connection from the client side.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}
