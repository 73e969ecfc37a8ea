//! Rate limits: per token subject (after the token is verified) and per client address
//! (before anything else), over HTTP and over WebSocket; refused requests count too.

use std::net::{IpAddr, Ipv4Addr};

use api::app::ServerOptions;
use api::http::throttle::Rate;
use entity::enums::AgencyKind;
use serde_json::{Value, json};

use super::unlimited;
use crate::helpers::{Keys, TestActor, TestApp, backends, error_code, spawn_app_with};
use crate::ws_client::{GqlSocket, LEGACY};

const ME: &str = "{ me { name } }";

/// A burst of `burst`, refilled at one a minute: nothing refills during a test.
fn tight(burst: u32) -> Rate {
    Rate {
        per_minute: 1,
        burst,
    }
}

async fn apps(options: ServerOptions) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        app.add_agency("school", AgencyKind::Education).await;
        apps.push(app);
    }
    apps
}

/// Asserts a 429 with `Retry-After` and a `RATE_LIMITED` GraphQL error.
async fn assert_rate_limited(response: reqwest::Response) {
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After header in seconds");
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["retryAfter"], retry_after);
    assert!(body["errors"][0]["message"].is_string());
}

async fn post(app: &TestApp, client: &reqwest::Client, token: Option<&str>) -> reqwest::Response {
    let mut request = client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": ME }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request")
}

#[tokio::test]
async fn a_burst_beyond_the_subject_limit_is_answered_429_and_other_subjects_are_not_affected() {
    let options = ServerOptions {
        rate_per_subject: tight(3),
        ..unlimited()
    };
    for app in apps(options).await {
        let flooder = TestActor::practitioner("school").token();
        for _ in 0..3 {
            let response = post(&app, &app.client, Some(&flooder)).await;
            assert_eq!(response.status(), 200);
        }
        assert_rate_limited(post(&app, &app.client, Some(&flooder)).await).await;
        assert_rate_limited(post(&app, &app.client, Some(&flooder)).await).await;

        // Same address, another subject: its own budget.
        let other = TestActor::agency_lead("school");
        let data = app.ok_as(&other, ME, json!({})).await;
        assert_eq!(data["me"]["name"], "Test agency_lead-school");

        // Refused requests count once the token is verified: a token naming an agency
        // that does not exist is refused 401 three times, then limited.
        let stranger = TestActor::practitioner("nowhere").token();
        for _ in 0..3 {
            let response = post(&app, &app.client, Some(&stranger)).await;
            assert_eq!(response.status(), 401);
        }
        assert_rate_limited(post(&app, &app.client, Some(&stranger)).await).await;

        // A request without a token has no subject: only the address limit (off) applies.
        let anonymous = post(&app, &app.client, None).await;
        assert_eq!(anonymous.status(), 401);
    }
}

#[tokio::test]
async fn the_address_limit_counts_bad_tokens_before_authentication_and_spares_other_addresses() {
    let options = ServerOptions {
        rate_per_address: tight(5),
        ..unlimited()
    };
    for app in apps(options).await {
        for _ in 0..5 {
            let response = post(&app, &app.client, Some("not-a-token")).await;
            assert_eq!(response.status(), 401);
        }
        // The budget is spent: even a valid token is refused from this address, and
        // refused before authentication (no token is looked at).
        let valid = TestActor::practitioner("school").token();
        assert_rate_limited(post(&app, &app.client, Some(&valid)).await).await;
        let readyz = app
            .client
            .get(format!("{}/readyz", app.address))
            .send()
            .await
            .expect("readyz");
        assert_eq!(readyz.status(), 429, "every route but /healthz counts");

        // A liveness probe is never refused.
        let healthz = app
            .client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .expect("healthz");
        assert_eq!(healthz.status(), 200);

        // Another loopback address has a budget of its own.
        let elsewhere = reqwest::Client::builder()
            .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)))
            .build()
            .expect("client");
        let response = post(&app, &elsewhere, Some(&valid)).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("JSON");
        assert!(body["errors"].is_null(), "{body}");
    }
}

#[tokio::test]
async fn with_the_limits_off_nothing_is_limited() {
    for app in apps(unlimited()).await {
        let token = TestActor::practitioner("school").token();
        // Well beyond the default bursts (100 per subject, 200 per address).
        for _ in 0..250 {
            let response = post(&app, &app.client, Some(&token)).await;
            assert_eq!(response.status(), 200);
        }
        for _ in 0..50 {
            let response = post(&app, &app.client, Some("not-a-token")).await;
            assert_eq!(response.status(), 401);
        }
    }
}

#[tokio::test]
async fn websocket_operations_count_against_the_subject_and_an_over_limit_one_is_refused_on_an_open_socket()
 {
    let options = ServerOptions {
        rate_per_subject: tight(3),
        ..unlimited()
    };
    for app in apps(options).await {
        let actor = TestActor::practitioner("school");
        let mut socket = GqlSocket::open(&app.ws_url(), &actor.token()).await;
        for id in ["1", "2"] {
            socket.subscribe(id, ME, json!({})).await;
            assert_eq!(
                socket.next_data(id).await["me"]["name"],
                "Test practitioner-school"
            );
            assert_eq!(socket.recv().await, json!({ "id": id, "type": "complete" }));
        }
        // The same subject over HTTP spends the same budget.
        assert_eq!(
            app.ok_as(&actor, ME, json!({})).await["me"]["name"],
            "Test practitioner-school"
        );

        socket.subscribe("3", ME, json!({})).await;
        let refused = socket.recv().await;
        assert_eq!(refused["type"], "error", "{refused}");
        assert_eq!(refused["id"], "3");
        assert_eq!(
            refused["payload"][0]["extensions"]["code"], "RATE_LIMITED",
            "{refused}"
        );
        assert!(refused["payload"][0]["extensions"]["retryAfter"].as_u64() >= Some(1));
        // The socket stays open and answers.
        assert!(socket.drain_until_pong().await.is_empty());

        // The legacy protocol answers with its own `error` for the operation.
        let mut legacy = GqlSocket::connect(&app.ws_url(), LEGACY).await;
        legacy
            .init(json!({ "Authorization": format!("Bearer {}", actor.token()) }))
            .await;
        assert_eq!(legacy.recv().await["type"], "connection_ack");
        legacy
            .send(json!({ "id": "a", "type": "start", "payload": { "query": ME } }))
            .await;
        let refused = legacy.recv().await;
        assert_eq!(refused["type"], "error", "{refused}");
        assert_eq!(refused["id"], "a");
        assert_eq!(
            refused["payload"]["extensions"]["code"], "RATE_LIMITED",
            "{refused}"
        );
        assert!(refused["payload"]["message"].is_string());

        // Another subject's operations are not affected.
        let mut other =
            GqlSocket::open(&app.ws_url(), &TestActor::agency_lead("school").token()).await;
        other.subscribe("1", ME, json!({})).await;
        assert_eq!(
            other.next_data("1").await["me"]["name"],
            "Test agency_lead-school"
        );
        socket.close().await;
        legacy.close().await;
        other.close().await;
    }
}
