//! `/metrics`: who may read it, and the series an operator watches, scraped from a real
//! `concord serve` process (the recorder is process-wide, so a process of its own gives
//! exact counts).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::process::{Server, run as concord};
use crate::helpers::{SECRET, backends, fresh_database};
use crate::ws_client::GqlSocket;

const METRICS_TOKEN: &str = "metrics-token-for-tests-0123456789abcdef";

/// The value of the sample of `name` whose labels include every one of `labels`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .find(|line| {
            labels
                .iter()
                .all(|(key, value)| line.contains(&format!("{key}=\"{value}\"")))
        })
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

async fn scrape(client: &reqwest::Client, server: &Server) -> String {
    let response = client
        .get(server.http("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("scrape");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("content type")
            .starts_with("text/plain; version=0.0.4")
    );
    response.text().await.expect("text")
}

fn token(env: &[(&str, &str)], role: &str) -> String {
    let output = concord(
        &[
            "token", "--sub", "watcher", "--agency", "ops", "--role", role,
        ],
        env,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn metrics_need_the_token_and_count_operations_sockets_pools_lag_and_refusals() {
    for backend in backends() {
        let (url, _guard) = fresh_database(&backend).await;
        let env = [
            ("CONCORD_DATABASE_URL", url.as_str()),
            ("CONCORD_JWT_SECRET", SECRET),
            ("CONCORD_JWT_ISSUER", "https://idp.test.invalid"),
            ("CONCORD_JWT_AUDIENCE", "concord"),
            ("CONCORD_LISTEN", "127.0.0.1:0"),
            ("CONCORD_METRICS_TOKEN", METRICS_TOKEN),
            // Five requests, then the subject is refused.
            ("CONCORD_RATE_LIMIT_PER_SUBJECT", "1"),
            ("CONCORD_RATE_LIMIT_PER_SUBJECT_BURST", "5"),
            ("CONCORD_MIGRATE", "true"),
        ];
        assert!(concord(&["migrate"], &env).status.success());
        let added = concord(
            &[
                "agency", "add", "--code", "ops", "--name", "Ops", "--kind", "other",
            ],
            &env,
        );
        assert!(added.status.success(), "{added:?}");
        let token = token(&env, "PRACTITIONER");
        let server = Server::start(&env);
        let client = reqwest::Client::new();

        // Without the token, or with another, nothing is told.
        let anonymous = client
            .get(server.http("/metrics"))
            .send()
            .await
            .expect("get");
        assert_eq!(anonymous.status(), 401);
        let wrong = client
            .get(server.http("/metrics"))
            .bearer_auth("metrics-token-for-tests-0123456789abcdeX")
            .send()
            .await
            .expect("get");
        assert_eq!(wrong.status(), 401);

        let post = |body: Value| {
            client
                .post(server.http("/graphql"))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        for _ in 0..3 {
            let body: Value = post(json!({ "query": "query WhoAmI { me { subject } }" }))
                .await
                .expect("post")
                .json()
                .await
                .expect("json");
            assert_eq!(body["data"]["me"]["subject"], "watcher", "{body}");
        }
        let broken: Value = post(json!({ "query": "query Broken { noSuchField }" }))
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(
            broken["errors"][0]["extensions"]["code"],
            "VALIDATION_FAILED"
        );

        // One socket with one subscription: the fifth request of the subject.
        let mut socket = GqlSocket::open(&server.ws_url(), &token).await;
        socket
            .subscribe(
                "1",
                "subscription Watch { caseTeamEvents { seq } }",
                json!({}),
            )
            .await;
        let deadline = Instant::now() + Duration::from_secs(20);
        let text = loop {
            let text = scrape(&client, &server).await;
            if sample(&text, "concord_subscriptions", &[]) == Some(1.0) || Instant::now() > deadline
            {
                break text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(
            sample(&text, "concord_subscriptions", &[]),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            sample(&text, "concord_websocket_connections", &[]),
            Some(1.0),
            "{text}"
        );

        // The sixth is refused.
        let refused = post(json!({ "query": "query WhoAmI { me { subject } }" }))
            .await
            .expect("post");
        assert_eq!(refused.status(), 429);

        let text = scrape(&client, &server).await;
        let ops = "concord_graphql_operations_total";
        assert_eq!(
            sample(
                &text,
                ops,
                &[
                    ("operation", "WhoAmI"),
                    ("type", "query"),
                    ("outcome", "ok")
                ]
            ),
            Some(3.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                ops,
                &[("operation", "Broken"), ("outcome", "VALIDATION_FAILED")]
            ),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                "concord_graphql_operation_duration_seconds_count",
                &[("operation", "WhoAmI")]
            ),
            Some(3.0),
            "{text}"
        );
        let buckets = text
            .lines()
            .filter(|l| l.starts_with("concord_graphql_operation_duration_seconds_bucket"))
            .count();
        assert!(buckets > 10, "{text}");
        assert_eq!(
            sample(
                &text,
                "concord_http_requests_total",
                &[("route", "/graphql"), ("method", "POST"), ("status", "200")]
            ),
            Some(4.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                "concord_http_requests_total",
                &[("route", "/metrics"), ("status", "401")]
            ),
            Some(2.0),
            "{text}"
        );
        assert_eq!(
            sample(&text, "concord_rate_limited_total", &[("limit", "subject")]),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            sample(&text, "concord_outbox_lag_events", &[]),
            Some(0.0),
            "{text}"
        );
        for pool in ["request", "subscriptions"] {
            let max = sample(
                &text,
                "concord_db_pool_connections",
                &[("pool", pool), ("state", "max")],
            )
            .unwrap_or_else(|| panic!("no max for {pool}: {text}"));
            let in_use = sample(
                &text,
                "concord_db_pool_connections",
                &[("pool", pool), ("state", "in_use")],
            )
            .unwrap_or_else(|| panic!("no in_use for {pool}: {text}"));
            let idle = sample(
                &text,
                "concord_db_pool_connections",
                &[("pool", pool), ("state", "idle")],
            )
            .unwrap_or_else(|| panic!("no idle for {pool}: {text}"));
            assert!(max >= 1.0 && in_use + idle <= max, "{pool}: {text}");
        }
        assert!(
            !text.contains(&token) && !text.contains("watcher"),
            "no caller in the metrics"
        );

        socket.close().await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = scrape(&client, &server).await;
            let open = sample(&text, "concord_websocket_connections", &[]);
            if open == Some(0.0) {
                break;
            }
            assert!(Instant::now() < deadline, "socket still counted: {text}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn production_without_a_metrics_token_serves_no_metrics() {
    let (url, _guard) = fresh_database(&backends()[0]).await;
    let env = [
        ("CONCORD_DATABASE_URL", url.as_str()),
        ("CONCORD_JWT_SECRET", SECRET),
        ("CONCORD_JWT_ISSUER", "https://idp.test.invalid"),
        ("CONCORD_JWT_AUDIENCE", "concord"),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
        ("CONCORD_MIGRATE", "true"),
    ];
    let server = Server::start(&env);
    let response = reqwest::get(server.http("/metrics")).await.expect("get");
    assert_eq!(response.status(), 404);
}
