//! The abuse-limit settings as an operator gives them: documented by `--help`, and taken
//! from the environment by `concord serve`.

use entity::enums::AgencyKind;
use serde_json::{Value, json};

use crate::helpers::process::{Server, command};
use crate::helpers::{AUDIENCE, ISSUER, Keys, SECRET, TestActor, backends, error_code, spawn_app};
use crate::ws_client::GqlSocket;

const SETTINGS: [&str; 18] = [
    "MAX_QUERY_COST",
    "MAX_ALIASES",
    "MAX_QUERY_DEPTH",
    "RATE_LIMIT_PER_SUBJECT",
    "RATE_LIMIT_PER_SUBJECT_BURST",
    "RATE_LIMIT_PER_ADDRESS",
    "RATE_LIMIT_PER_ADDRESS_BURST",
    "REQUEST_HEADER_TIMEOUT",
    "REQUEST_BODY_TIMEOUT",
    "KEEP_ALIVE",
    "CLIENT_DISCONNECT_TIMEOUT",
    "MAX_CONNECTIONS",
    "MAX_CONNECTIONS_PER_ADDRESS",
    "REQUEST_TIMEOUT",
    "MAX_SUBSCRIPTIONS_PER_CONNECTION",
    "MAX_SUBSCRIPTIONS_PER_SUBJECT",
    "INTROSPECTION",
    "SHUTDOWN_TIMEOUT",
];

#[test]
fn help_documents_every_abuse_setting() {
    let output = command(&["--help"], &[]).output().expect("run concord");
    let help = String::from_utf8(output.stdout).expect("utf-8");
    for name in SETTINGS {
        let flag = format!("--{}", name.to_lowercase().replace('_', "-"));
        let env = format!("CONCORD_{name}");
        assert!(help.contains(&flag), "--help does not mention {flag}");
        assert!(help.contains(&env), "--help does not mention {env}");
    }
}

#[tokio::test]
async fn serve_takes_the_limits_from_the_environment() {
    for backend in backends() {
        let app = spawn_app(backend, Keys::Hs256).await;
        app.add_agency("school", AgencyKind::Education).await;
        let server = Server::start(&[
            ("CONCORD_DATABASE_URL", &app.database_url),
            ("CONCORD_JWT_SECRET", SECRET),
            ("CONCORD_JWT_ISSUER", ISSUER),
            ("CONCORD_JWT_AUDIENCE", AUDIENCE),
            ("CONCORD_LISTEN", "127.0.0.1:0"),
            ("CONCORD_WORKERS", "1"),
            ("CONCORD_RATE_LIMIT_PER_SUBJECT", "1"),
            ("CONCORD_RATE_LIMIT_PER_SUBJECT_BURST", "3"),
            ("CONCORD_RATE_LIMIT_PER_ADDRESS", "0"),
            ("CONCORD_REQUEST_HEADER_TIMEOUT", "2"),
            ("CONCORD_REQUEST_BODY_TIMEOUT", "2"),
            ("CONCORD_KEEP_ALIVE", "0"),
            ("CONCORD_CLIENT_DISCONNECT_TIMEOUT", "1"),
            ("CONCORD_MAX_CONNECTIONS", "100"),
            ("CONCORD_MAX_CONNECTIONS_PER_ADDRESS", "0"),
            ("CONCORD_REQUEST_TIMEOUT", "5"),
            ("CONCORD_MAX_SUBSCRIPTIONS_PER_CONNECTION", "1"),
            ("CONCORD_MAX_SUBSCRIPTIONS_PER_SUBJECT", "10"),
            ("CONCORD_INTROSPECTION", "false"),
        ]);
        let actor = TestActor::practitioner("school");
        let token = actor.token();
        let client = reqwest::Client::new();
        let post = |query: &'static str| {
            client
                .post(format!("http://{}/graphql", server.addr))
                .bearer_auth(&token)
                .json(&json!({ "query": query }))
                .send()
        };

        let introspection: Value = post("{ __schema { types { name } } }")
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON");
        assert_eq!(error_code(&introspection), Some("INTROSPECTION_DISABLED"));

        // Over a socket, one subscription at a time.
        let url = format!("ws://{}/graphql", server.addr);
        let mut socket = GqlSocket::open(&url, &token).await;
        let events = "subscription { caseTeamEvents { seq } }";
        socket.subscribe("1", events, json!({})).await;
        socket.subscribe("2", events, json!({})).await;
        let refused = socket.recv().await;
        assert_eq!(refused["id"], "2", "{refused}");
        assert_eq!(refused["payload"][0]["extensions"]["limit"], 1, "{refused}");

        // Three requests of the subject are spent: the next is limited.
        let limited = post("{ me { name } }").await.expect("request");
        assert_eq!(limited.status(), 429);
        assert!(limited.headers().contains_key("retry-after"));
        socket.close().await;
    }
}
