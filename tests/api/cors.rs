//! Browsers on other origins: CORS on `/graphql` for the configured origins only, and the
//! same list for the `Origin` of a WebSocket upgrade.

use api::app::ServerOptions;
use reqwest::header::HeaderMap;
use serde_json::json;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest as _};

use crate::helpers::process::{Server, command, run_to_exit};
use crate::helpers::{Keys, TestActor, TestApp, backends, spawn_app_with};
use crate::ws_client::TRANSPORT;

const ALLOWED: &str = "https://app.example.test";
const REFUSED: &str = "https://elsewhere.example.test";

/// One app per backend allowing [`ALLOWED`].
async fn apps() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for backend in backends() {
        let options = ServerOptions {
            cors_origins: vec![ALLOWED.to_owned(), "http://localhost:3000".to_owned()],
            ..ServerOptions::default()
        };
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        app.add_agency("ops", entity::enums::AgencyKind::Other)
            .await;
        apps.push(app);
    }
    apps
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn post_from(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("origin", origin)
        .bearer_auth(TestActor::practitioner("ops").token())
        .json(&json!({ "query": "{ me { subject } }" }))
        .send()
        .await
        .expect("request")
}

async fn preflight_from(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("preflight")
}

#[tokio::test]
async fn a_listed_origin_may_read_responses_and_their_request_id() {
    for app in apps().await {
        let response = post_from(&app, ALLOWED).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some(ALLOWED)
        );
        let exposed = header(&headers, "access-control-expose-headers")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(exposed.contains("x-request-id"), "{exposed}");
        assert!(exposed.contains("retry-after"), "{exposed}");
        assert_eq!(header(&headers, "access-control-allow-credentials"), None);
        assert!(
            header(&headers, "vary")
                .unwrap_or_default()
                .contains("Origin")
        );
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["data"]["me"]["subject"], "practitioner-ops");
    }
}

#[tokio::test]
async fn an_origin_not_listed_gets_no_cors_headers() {
    for app in apps().await {
        for origin in [REFUSED, "null", "https://app.example.test.evil.test"] {
            let response = post_from(&app, origin).await;
            let headers = response.headers();
            assert_eq!(
                header(headers, "access-control-allow-origin"),
                None,
                "{origin}"
            );
        }
    }
}

#[tokio::test]
async fn production_allows_no_origin_unless_configured() {
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, ServerOptions::default()).await;
        app.add_agency("ops", entity::enums::AgencyKind::Other)
            .await;
        let response = post_from(&app, "http://localhost:3000").await;
        assert_eq!(
            header(response.headers(), "access-control-allow-origin"),
            None
        );
        assert_eq!(
            preflight_from(&app, "http://localhost:3000").await.status(),
            400
        );
    }
}

#[tokio::test]
async fn a_preflight_from_a_listed_origin_allows_a_graphql_post() {
    for app in apps().await {
        let response = preflight_from(&app, ALLOWED).await;
        assert!(response.status().is_success(), "{}", response.status());
        let headers = response.headers();
        assert_eq!(
            header(headers, "access-control-allow-origin"),
            Some(ALLOWED)
        );
        let methods = header(headers, "access-control-allow-methods").unwrap_or_default();
        for method in ["GET", "POST", "OPTIONS"] {
            assert!(methods.contains(method), "{methods}");
        }
        let allowed = header(headers, "access-control-allow-headers")
            .unwrap_or_default()
            .to_ascii_lowercase();
        for name in ["authorization", "content-type", "accept"] {
            assert!(allowed.contains(name), "{allowed}");
        }
        assert_eq!(header(headers, "access-control-max-age"), Some("600"));
        assert_eq!(header(headers, "access-control-allow-credentials"), None);
    }
}

#[tokio::test]
async fn a_preflight_from_another_origin_is_refused() {
    for app in apps().await {
        let response = preflight_from(&app, REFUSED).await;
        assert_eq!(response.status(), 400);
        assert_eq!(
            header(response.headers(), "access-control-allow-origin"),
            None
        );
        // A listed origin asking for a header Concord does not take is refused too.
        let odd = app
            .client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
            .header("origin", ALLOWED)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "x-not-allowed")
            .send()
            .await
            .expect("preflight");
        assert_eq!(odd.status(), 400);
    }
}

/// The status of a WebSocket upgrade of `/graphql` with `origin` (none: no header), and the
/// `Host` the client names.
async fn upgrade_status(app: &TestApp, origin: Option<&str>) -> u16 {
    let mut request = format!("ws://127.0.0.1:{}/graphql", app.port)
        .into_client_request()
        .expect("request");
    request
        .headers_mut()
        .insert("sec-websocket-protocol", TRANSPORT.parse().expect("header"));
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().expect("header"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("upgrade failed otherwise: {other}"),
    }
}

#[tokio::test]
async fn a_websocket_upgrade_checks_the_origin_against_the_same_list() {
    for app in apps().await {
        assert_eq!(upgrade_status(&app, Some(ALLOWED)).await, 101);
        assert_eq!(
            upgrade_status(&app, Some("http://localhost:3000")).await,
            101
        );
        // Not a browser: no Origin at all.
        assert_eq!(upgrade_status(&app, None).await, 101);
        // Concord's own GraphiQL: the Origin names the host the request went to.
        let own = format!("http://127.0.0.1:{}", app.port);
        assert_eq!(upgrade_status(&app, Some(&own)).await, 101);
        for origin in [
            REFUSED,
            "null",
            "http://localhost:5173",
            &format!("http://127.0.0.1:{}", app.port + 1),
        ] {
            assert_eq!(upgrade_status(&app, Some(origin)).await, 403, "{origin}");
        }
    }
}

/// A data folder for a development-mode `concord`, removed afterwards.
struct DataDir(std::path::PathBuf);

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Development mode, through the binary and its environment: the local dev servers and the
/// configured origins are allowed, and GraphiQL opens with the example query's mode.
#[tokio::test]
async fn development_mode_allows_the_local_dev_servers_and_configured_origins() {
    let dir = DataDir(
        std::env::temp_dir().join(format!("concord-cors-{}", uuid::Uuid::new_v4().simple())),
    );
    std::fs::create_dir_all(&dir.0).expect("data dir");
    let data = dir.0.display().to_string();
    let mut dev = command(
        &["serve", "--data-dir", &data, "--listen", "127.0.0.1:0"],
        &[
            ("CONCORD_LOG_FORMAT", "json"),
            (
                "CONCORD_CORS_ORIGINS",
                "https://app.example.test, http://localhost:4000",
            ),
        ],
    );
    dev.current_dir(&dir.0);
    let server = Server::spawn(dev);
    let client = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, server.http("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    for origin in [
        "http://localhost:5173",
        "http://127.0.0.1:3000",
        "https://app.example.test",
        "http://localhost:4000",
    ] {
        let response = preflight(origin).await.expect("preflight");
        assert!(
            response.status().is_success(),
            "{origin}: {}",
            response.status()
        );
        assert_eq!(
            header(response.headers(), "access-control-allow-origin"),
            Some(origin)
        );
    }
    let refused = preflight("http://localhost:4001").await.expect("preflight");
    assert_eq!(refused.status(), 400);

    let page = client
        .get(server.http("/graphiql"))
        .send()
        .await
        .expect("graphiql")
        .text()
        .await
        .expect("html");
    assert!(page.contains(r#"data-mode="development""#), "{page}");
    server.stop();
}

#[test]
fn an_origin_that_is_not_one_stops_the_server_starting() {
    let (started, stderr) = run_to_exit(
        &["serve", "--listen", "127.0.0.1:0"],
        &[
            (
                "CONCORD_JWT_SECRET",
                "a-production-secret-that-is-long-enough-0123",
            ),
            ("CONCORD_DATABASE_URL", "sqlite::memory:"),
            ("CONCORD_CORS_ORIGINS", "https://app.example.test/"),
        ],
    );
    assert!(!started);
    assert!(stderr.contains("is not an origin"), "{stderr}");
}

#[tokio::test]
async fn an_allowed_origin_can_read_a_rate_limit_refusal_and_when_to_retry() {
    for backend in backends() {
        let options = ServerOptions {
            cors_origins: vec![ALLOWED.to_owned()],
            rate_per_address: api::http::throttle::Rate {
                per_minute: 1,
                burst: 1,
            },
            ..ServerOptions::default()
        };
        let app = spawn_app_with(backend, Keys::Hs256, options).await;
        app.add_agency("ops", entity::enums::AgencyKind::Other)
            .await;
        let first = post_from(&app, ALLOWED).await;
        assert_eq!(first.status(), 200);
        let refused = post_from(&app, ALLOWED).await;
        assert_eq!(refused.status(), 429);
        assert_eq!(
            header(refused.headers(), "access-control-allow-origin"),
            Some(ALLOWED),
            "the page must be able to read the refusal"
        );
        let exposed = header(refused.headers(), "access-control-expose-headers")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(exposed.contains("retry-after"), "{exposed}");
        assert!(header(refused.headers(), "retry-after").is_some());
    }
}
