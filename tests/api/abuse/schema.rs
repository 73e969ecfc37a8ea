//! What the schema tells about itself: no field suggestions in production, introspection
//! only for callers with a valid token, and for nobody when switched off.

use api::app::ServerOptions;
use api::events::Relay;
use api::graphql::build_schema_with;
use api::graphql::introspection::SchemaOptions;
use entity::enums::AgencyKind;
use serde_json::{Value, json};

use crate::helpers::{Keys, TestActor, TestApp, backends, error_code, spawn_app_with, spawn_apps};
use crate::ws_client::GqlSocket;

const MISSPELT: &str = "{ me { nme } }";
const SCHEMA: &str = "{ __schema { types { name } } }";

fn messages(response: &Value) -> String {
    response["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["message"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn production_errors_do_not_suggest_field_names() {
    for app in spawn_apps().await {
        app.add_agency("school", AgencyKind::Education).await;
        let actor = TestActor::practitioner("school");
        let response = app.gql_as(&actor, MISSPELT, json!({})).await;
        assert_eq!(
            error_code(&response),
            Some("VALIDATION_FAILED"),
            "{response}"
        );
        let text = messages(&response);
        assert!(text.contains("nme"), "{text}");
        assert!(!text.contains("Did you mean"), "{text}");
        let argument = app
            .gql_as(&actor, "{ children(frst: 1) { totalCount } }", json!({}))
            .await;
        assert!(!messages(&argument).contains("Did you mean"), "{argument}");

        // The same schema with suggestions on, as development mode builds it, does suggest:
        // the difference is the setting, not the misspelling.
        let development = build_schema_with(
            app.db.clone(),
            api::domain::DomainConfig::default(),
            Relay::start(app.db.clone()).await,
            SchemaOptions::default(),
        );
        let suggested = development.execute(MISSPELT).await;
        assert!(
            suggested
                .errors
                .iter()
                .any(|e| e.message.contains("Did you mean \"name\"")),
            "{:?}",
            suggested.errors
        );
    }
}

async fn introspect(app: &TestApp, token: Option<&str>) -> (u16, Value) {
    let response = app.post_graphql(json!({ "query": SCHEMA }), token).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[tokio::test]
async fn production_introspection_needs_a_valid_token() {
    for app in spawn_apps().await {
        app.add_agency("school", AgencyKind::Education).await;
        let (status, body) = introspect(&app, None).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
        let (status, body) = introspect(&app, Some("not-a-token")).await;
        assert_eq!(status, 401, "{body}");

        let token = TestActor::practitioner("school").token();
        let (status, body) = introspect(&app, Some(&token)).await;
        assert_eq!(status, 200);
        assert!(body["errors"].is_null(), "{body}");
        let types = body["data"]["__schema"]["types"].as_array().expect("types");
        assert!(types.iter().any(|t| t["name"] == "Child"));
    }
}

#[tokio::test]
async fn with_introspection_off_nobody_may_introspect_but_typename_still_answers() {
    let options = ServerOptions {
        introspection: false,
        ..ServerOptions::default()
    };
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        app.add_agency("school", AgencyKind::Education).await;
        let actor = TestActor::practitioner("school");
        let token = actor.token();
        let (status, body) = introspect(&app, Some(&token)).await;
        assert_eq!(status, 200);
        assert_eq!(error_code(&body), Some("INTROSPECTION_DISABLED"), "{body}");
        assert_eq!(body["data"], Value::Null, "{body}");

        for query in [
            "{ __type(name: \"Child\") { fields { name } } }",
            "query { me { name } ...F } fragment F on Query { __schema { queryType { name } } }",
        ] {
            let response = app.gql_as(&actor, query, json!({})).await;
            assert_eq!(
                error_code(&response),
                Some("INTROSPECTION_DISABLED"),
                "{query}: {response}"
            );
        }
        let typename = app
            .ok_as(&actor, "{ __typename me { __typename name } }", json!({}))
            .await;
        assert_eq!(typename["__typename"], "Query");
        assert_eq!(typename["me"]["name"], "Test practitioner-school");

        // Over a WebSocket too.
        let mut socket = GqlSocket::open(&app.ws_url(), &token).await;
        socket.subscribe("1", SCHEMA, json!({})).await;
        let refused = socket.recv().await;
        assert_eq!(refused["type"], "error", "{refused}");
        assert_eq!(
            refused["payload"][0]["extensions"]["code"],
            "INTROSPECTION_DISABLED"
        );
        socket.close().await;
    }
}
