//! Slow clients: connections that send part of their headers or body and stall, or stay
//! idle, are closed after their timeout and never hold up anyone else; the connection cap.
//!
//! These tests open a few hundred sockets to the test server on 127.0.0.1 (about twice as
//! many file descriptors, server side included), well within the usual descriptor limit.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use api::app::ServerOptions;
use entity::enums::AgencyKind;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpSocket, TcpStream};

use super::unlimited;
use crate::helpers::{Keys, TestActor, TestApp, backends, spawn_app_with};
use crate::ws_client::{GqlSocket, TRANSPORT};

/// How the stalled connections behave.
#[derive(Clone, Copy, Debug)]
enum Stall {
    /// Connect and send nothing.
    Silent,
    /// Send part of the request headers.
    PartHeaders,
    /// Send the headers and part of a body.
    PartBody,
}

async fn stalled(app: &TestApp, how: Stall) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", app.port))
        .await
        .expect("connect");
    let text = match how {
        Stall::Silent => String::new(),
        Stall::PartHeaders => "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty".to_owned(),
        Stall::PartBody => "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\": \"{ me"
            .to_owned(),
    };
    stream.write_all(text.as_bytes()).await.expect("write");
    stream
}

/// Reads until the server closes the connection; what it sent first (a 408, say).
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 1024];
    let read = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok()?;
    Some(String::from_utf8_lossy(&received).into_owned())
}

/// A valid GraphQL request and `/healthz`, each answered within a few seconds.
async fn assert_served_promptly(app: &TestApp, token: &str) {
    let started = Instant::now();
    let healthz = app
        .client
        .get(format!("{}/healthz", app.address))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("healthz answered");
    assert_eq!(healthz.status(), 200);
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(&json!({ "query": "{ me { name } }" }))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("query answered");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["data"]["me"]["name"], "Test practitioner-school",
        "{body}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn three_hundred_stalled_connections_do_not_hold_up_others_and_are_closed_after_their_timeout()
 {
    let options = ServerOptions {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..unlimited()
    };
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        app.add_agency("school", AgencyKind::Education).await;
        let token = TestActor::practitioner("school").token();
        let kinds = [Stall::Silent, Stall::PartHeaders, Stall::PartBody];
        let mut slow = Vec::new();
        for i in 0..300 {
            let how = kinds[i % kinds.len()];
            slow.push((how, stalled(&app, how).await));
        }
        assert_served_promptly(&app, &token).await;

        for (how, stream) in &mut slow {
            let sent = read_until_closed(stream, Duration::from_secs(15))
                .await
                .unwrap_or_else(|| panic!("a {how:?} connection was not closed"));
            if let Stall::PartBody = how {
                assert!(sent.starts_with("HTTP/1.1 408"), "{how:?}: {sent}");
                assert!(sent.contains("REQUEST_TIMEOUT"), "{sent}");
            }
        }
        // And the server carries on.
        assert_served_promptly(&app, &token).await;
    }
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_keep_alive_time() {
    let options = ServerOptions {
        keep_alive: Some(Duration::from_secs(1)),
        ..unlimited()
    };
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        let mut stream = TcpStream::connect(("127.0.0.1", app.port))
            .await
            .expect("connect");
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .expect("write");
        let sent = read_until_closed(&mut stream, Duration::from_secs(10))
            .await
            .expect("the idle connection is closed");
        assert!(sent.starts_with("HTTP/1.1 200"), "{sent}");
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_413_without_being_read() {
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, unlimited()).await;
        let mut stream = TcpStream::connect(("127.0.0.1", app.port))
            .await
            .expect("connect");
        stream
            .write_all(
                b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                  Content-Length: 104857600\r\n\r\n{",
            )
            .await
            .expect("write");
        let sent = read_until_closed(&mut stream, Duration::from_secs(10))
            .await
            .expect("the connection is closed");
        assert!(sent.starts_with("HTTP/1.1 413"), "{sent}");
        assert!(sent.contains("PAYLOAD_TOO_LARGE"), "{sent}");
    }
}

#[tokio::test]
async fn at_the_connection_cap_new_clients_wait_for_a_free_slot_and_are_then_served() {
    let options = ServerOptions {
        // The test server has one worker: ten connections in all.
        max_connections: 10,
        header_timeout: Duration::from_secs(2),
        ..unlimited()
    };
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        app.add_agency("school", AgencyKind::Education).await;
        let token = TestActor::practitioner("school").token();
        let mut idle = Vec::new();
        for _ in 0..10 {
            idle.push(stalled(&app, Stall::PartHeaders).await);
        }
        // Let the server accept them all before the next client comes.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        let healthz = app
            .client
            .get(format!("{}/healthz", app.address))
            .timeout(Duration::from_secs(15))
            .send()
            .await
            .expect("answered once a slot is free");
        assert_eq!(healthz.status(), 200);
        // It could only be taken once the stalled ones timed out.
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "served after {:?}: the cap did not hold",
            started.elapsed()
        );
        for stream in &mut idle {
            assert!(
                read_until_closed(stream, Duration::from_secs(10))
                    .await
                    .is_some()
            );
        }
        assert_served_promptly(&app, &token).await;
    }
}

/// A connection from `from` that has had one `/healthz` answered; returns it with the
/// response's head.
async fn served_once(app: &TestApp, from: Ipv4Addr) -> (TcpStream, String) {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(from), 0))
        .expect("bind");
    let mut stream = socket
        .connect(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), app.port))
        .await
        .expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .expect("write");
    let mut head = Vec::new();
    let mut buffer = [0_u8; 1024];
    while !String::from_utf8_lossy(&head).contains("\"up\"") {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(n > 0, "closed before answering");
        head.extend_from_slice(&buffer[..n]);
    }
    (stream, String::from_utf8_lossy(&head).to_ascii_lowercase())
}

#[tokio::test]
async fn beyond_the_per_address_connection_cap_a_connection_serves_one_request_and_closes() {
    let options = ServerOptions {
        max_connections_per_address: 3,
        keep_alive: Some(Duration::from_secs(30)),
        ..unlimited()
    };
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        let mut kept = Vec::new();
        for _ in 0..3 {
            let (stream, head) = served_once(&app, Ipv4Addr::LOCALHOST).await;
            assert!(head.starts_with("http/1.1 200"), "{head}");
            assert!(!head.contains("connection: close"), "{head}");
            kept.push(stream);
        }
        // A fourth is served, then closed: it cannot be held open.
        let (mut fourth, head) = served_once(&app, Ipv4Addr::LOCALHOST).await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("connection: close"), "{head}");
        assert!(
            read_until_closed(&mut fourth, Duration::from_secs(5))
                .await
                .is_some()
        );
        // Nor may it become a WebSocket.
        match GqlSocket::try_connect(&app.ws_url(), Some(TRANSPORT)).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 429);
            }
            Err(other) => panic!("expected a 429, got {other}"),
            Ok(_) => panic!("a WebSocket opened beyond the cap"),
        }

        // Another address is not affected.
        let (_elsewhere, head) = served_once(&app, Ipv4Addr::new(127, 0, 0, 2)).await;
        assert!(!head.contains("connection: close"), "{head}");

        // A closed connection frees its slot once the server has seen it close.
        drop(kept.pop());
        let mut freed = false;
        for _ in 0..50 {
            let (stream, head) = served_once(&app, Ipv4Addr::LOCALHOST).await;
            if !head.contains("connection: close") {
                kept.push(stream);
                freed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(freed, "the closed connection's slot was not freed");
    }
}
