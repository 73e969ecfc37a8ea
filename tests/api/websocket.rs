//! The WebSocket endpoint: protocols and `connection_init` authentication.

use entity::enums::AgencyKind;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use crate::helpers::{TestActor, TestApp, spawn_apps};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(app: &TestApp, protocol: &str) -> Socket {
    let mut request = app.ws_url().into_client_request().expect("request");
    request
        .headers_mut()
        .insert("sec-websocket-protocol", protocol.parse().expect("header"));
    let (socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade");
    assert_eq!(response.headers()["sec-websocket-protocol"], protocol);
    socket
}

/// The next text message as JSON, or the close frame's code.
async fn next(socket: &mut Socket) -> Result<Value, Option<u16>> {
    let message = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
        .await
        .expect("the server answers within 10 s");
    match message {
        Some(Ok(Message::Text(text))) => Ok(serde_json::from_str(&text).expect("json")),
        Some(Ok(Message::Close(frame))) => Err(frame.map(|f| u16::from(f.code))),
        Some(Ok(other)) => panic!("unexpected frame {other:?}"),
        Some(Err(_)) | None => Err(None),
    }
}

#[tokio::test]
async fn connection_init_with_a_valid_token_is_acknowledged_on_both_protocols() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let token = TestActor::coordinator("csc").token();
        for protocol in ["graphql-transport-ws", "graphql-ws"] {
            let mut socket = connect(&app, protocol).await;
            let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
            socket
                .send(Message::Text(init.to_string().into()))
                .await
                .expect("send");
            assert_eq!(
                next(&mut socket).await.ok().map(|m| m["type"].clone()),
                Some(json!("connection_ack")),
                "{protocol}"
            );
        }
        let mut socket = connect(&app, "graphql-transport-ws").await;
        let init = json!({ "type": "connection_init", "payload": { "token": token } });
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .expect("send");
        assert_eq!(
            next(&mut socket).await.ok().map(|m| m["type"].clone()),
            Some(json!("connection_ack")),
            "{{token}} payload"
        );
    }
}

#[tokio::test]
async fn connection_init_without_a_valid_token_is_refused() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let mut expired = TestActor::coordinator("csc").claims();
        expired.exp -= 7200;
        let expired = crate::helpers::sign(&expired, jsonwebtoken::Algorithm::HS256, None);
        for payload in [
            json!({}),
            json!({ "Authorization": "Bearer nonsense" }),
            json!({ "token": expired }),
        ] {
            let mut socket = connect(&app, "graphql-transport-ws").await;
            let init = json!({ "type": "connection_init", "payload": payload });
            socket
                .send(Message::Text(init.to_string().into()))
                .await
                .expect("send");
            let answer = next(&mut socket).await;
            assert_eq!(
                answer,
                Err(Some(4403)),
                "{payload}: refused with 4403 and no data"
            );
        }
    }
}
