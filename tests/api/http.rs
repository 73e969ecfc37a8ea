//! HTTP behaviour per the GraphQL over HTTP specification, and the plain endpoints.

use entity::enums::AgencyKind;
use serde_json::{Value, json};

use crate::helpers::{TestActor, error_code, spawn_apps};

#[tokio::test]
async fn get_serves_queries_and_refuses_mutations() {
    for app in spawn_apps().await {
        app.add_agency("ops", AgencyKind::Other).await;
        let token = TestActor::admin("ops").token();
        let url = format!("{}/graphql", app.address);

        let response = app
            .client
            .get(&url)
            .query(&[
                (
                    "query",
                    "query Q($n: Boolean!) { me { subject } agencies @include(if: $n) { code } }",
                ),
                ("variables", r#"{"n": true}"#),
            ])
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body["data"]["agencies"],
            json!([{ "code": "ops" }]),
            "{body}"
        );

        let mutation = app
            .client
            .get(&url)
            .query(&[("query", r#"mutation { createAgency(input: {code: "x-y", name: "N", kind: OTHER}) { agency { id } } }"#)])
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(mutation.status().as_u16(), 405);
        assert_eq!(mutation.headers()["allow"], "POST");
        let count = app
            .gql(r#"{ agencies { code } }"#, json!({}), Some(&token))
            .await;
        assert_eq!(
            count["data"]["agencies"].as_array().map(Vec::len),
            Some(1),
            "the mutation did not run"
        );
    }
}

#[tokio::test]
async fn malformed_requests_get_clear_4xx_answers() {
    for app in spawn_apps().await {
        let url = format!("{}/graphql", app.address);
        let batch = app
            .post_graphql(
                json!([{ "query": "{ me { subject } }" }, { "query": "{ me { name } }" }]),
                None,
            )
            .await;
        assert_eq!(batch.status().as_u16(), 400);
        let body: Value = batch.json().await.expect("json");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("batch")),
            "{body}"
        );

        let not_json = app
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body("{ nope")
            .send()
            .await
            .expect("request");
        assert_eq!(not_json.status().as_u16(), 400);

        let no_query = app.post_graphql(json!({ "variables": {} }), None).await;
        assert_eq!(no_query.status().as_u16(), 400);

        let bad_variables = app
            .post_graphql(
                json!({ "query": "{ me { name } }", "variables": [1] }),
                None,
            )
            .await;
        assert_eq!(bad_variables.status().as_u16(), 400);

        let text = app
            .client
            .post(&url)
            .header("content-type", "text/plain")
            .body("{ me { name } }")
            .send()
            .await
            .expect("request");
        assert_eq!(text.status().as_u16(), 415);

        let html_only = app
            .client
            .post(&url)
            .header("accept", "text/html")
            .json(&json!({ "query": "{ me { name } }" }))
            .send()
            .await
            .expect("request");
        assert_eq!(html_only.status().as_u16(), 406);

        let put = app
            .client
            .put(&url)
            .json(&json!({ "query": "{ me { name } }" }))
            .send()
            .await
            .expect("request");
        assert_eq!(put.status().as_u16(), 405);

        let bad_get = app.client.get(&url).send().await.expect("request");
        assert_eq!(bad_get.status().as_u16(), 400);
    }
}

#[tokio::test]
async fn status_codes_follow_the_negotiated_media_type() {
    for app in spawn_apps().await {
        app.add_agency("ops", AgencyKind::Other).await;
        let token = TestActor::admin("ops").token();
        let url = format!("{}/graphql", app.address);
        let send = |accept: &'static str, query: &'static str| {
            app.client
                .post(&url)
                .header("accept", accept)
                .bearer_auth(&token)
                .json(&json!({ "query": query }))
                .send()
        };

        let ok = send("application/graphql-response+json", "{ me { subject } }")
            .await
            .expect("request");
        assert_eq!(ok.status().as_u16(), 200);
        assert!(
            ok.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("application/graphql-response+json")
        );
        assert!(ok.headers().contains_key("x-request-id"));

        // A document that does not parse is a request error: 400 in the new media type…
        let broken = send("application/graphql-response+json", "{ me { ")
            .await
            .expect("request");
        assert_eq!(broken.status().as_u16(), 400);
        // …and one that fails validation, too…
        let invalid = send("application/graphql-response+json", "{ noSuchField }")
            .await
            .expect("request");
        assert_eq!(invalid.status().as_u16(), 400);
        // …but 200 for legacy application/json clients.
        let legacy = send("application/json", "{ me { ").await.expect("request");
        assert_eq!(legacy.status().as_u16(), 200);
        assert!(
            legacy.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("application/json")
        );
        let body: Value = legacy.json().await.expect("json");
        assert!(body["errors"].is_array());

        // A field error with partial data is a 200 in both.
        let partial = send(
            "application/graphql-response+json",
            "{ agencies { code } children { totalCount } }",
        )
        .await
        .expect("request");
        assert_eq!(partial.status().as_u16(), 200);
        let body: Value = partial.json().await.expect("json");
        assert_eq!(error_code(&body), Some("FORBIDDEN"));

        let preferred = send(
            "application/json;q=0.5, application/graphql-response+json",
            "{ me { subject } }",
        )
        .await
        .expect("request");
        assert!(
            preferred.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("application/graphql-response+json")
        );
    }
}

#[tokio::test]
async fn health_readiness_and_graphiql_answer() {
    for app in spawn_apps().await {
        let health = app
            .client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .expect("request");
        assert_eq!(health.status().as_u16(), 200);
        let ready = app
            .client
            .get(format!("{}/readyz", app.address))
            .send()
            .await
            .expect("request");
        assert_eq!(ready.status().as_u16(), 200);
        let body: Value = ready.json().await.expect("json");
        assert_eq!(body["status"], "ready");
        let page = app
            .client
            .get(format!("{}/graphiql", app.address))
            .send()
            .await
            .expect("request");
        assert_eq!(page.status().as_u16(), 200);
        let html = page.text().await.expect("text");
        assert!(
            html.contains("/graphiql/assets/concord-graphiql.js"),
            "GraphiQL and its start-up script (which calls /graphql) served by Concord"
        );
    }
}
