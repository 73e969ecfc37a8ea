//! The WebSocket endpoint: protocols and `connection_init` authentication.

use entity::enums::AgencyKind;
use serde_json::json;

use crate::helpers::{TestActor, sign, spawn_apps};
use crate::ws_client::{GqlSocket, LEGACY, TRANSPORT};

#[tokio::test]
async fn connection_init_with_a_valid_token_is_acknowledged_on_both_protocols() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let token = TestActor::coordinator("csc").token();
        for protocol in [TRANSPORT, LEGACY] {
            let mut socket = GqlSocket::connect(&app.ws_url(), protocol).await;
            socket
                .init(json!({ "Authorization": format!("Bearer {token}") }))
                .await;
            assert_eq!(
                socket.next().await.ok().map(|m| m["type"].clone()),
                Some(json!("connection_ack")),
                "{protocol}"
            );
        }
        let mut socket = GqlSocket::connect(&app.ws_url(), TRANSPORT).await;
        socket.init(json!({ "token": token })).await;
        assert_eq!(
            socket.next().await.ok().map(|m| m["type"].clone()),
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
        let expired = sign(&expired, jsonwebtoken::Algorithm::HS256, None);
        for payload in [
            json!({}),
            json!({ "Authorization": "Bearer nonsense" }),
            json!({ "token": expired }),
        ] {
            let mut socket = GqlSocket::connect(&app.ws_url(), TRANSPORT).await;
            socket.init(payload.clone()).await;
            let answer = socket.next().await;
            assert_eq!(
                answer,
                Err(Some(4403)),
                "{payload}: refused with 4403 and no data"
            );
        }
    }
}
