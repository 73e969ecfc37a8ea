//! GraphiQL, served by Concord alone, in a real browser: headless Chromium (driven by
//! `tests/browser/graphiql.mjs`) may reach nothing but 127.0.0.1, pastes a token into the
//! Headers pane, runs a query and watches a subscription's event arrive.

use std::time::Duration;

use entity::plan_events;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, BufReader};

use crate::fixture;
use crate::helpers::plans::{active_plan, add_assessment};
use crate::helpers::{TestActor, TestApp, spawn_apps};
use crate::node;

/// The last `seq` in the outbox (0 when empty).
async fn latest_seq(app: &TestApp) -> i64 {
    plan_events::Entity::find()
        .order_by_desc(plan_events::Column::Seq)
        .one(&app.db)
        .await
        .expect("outbox")
        .map_or(0, |event| event.seq)
}

#[tokio::test]
async fn graphiql_runs_a_query_and_a_subscription_in_chromium_without_any_other_host() {
    let chromium = node::chromium();
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let actor = TestActor::practitioner("school");
        // From the outbox's end: the event the test writes once the page is subscribed is
        // the first the page can show.
        let after = latest_seq(&app).await;
        let query = "query WhoAmI { me { subject agency { code } } }";
        let subscription = format!(
            "subscription Watch {{ planEvents(planId: \"{plan}\", after: \"{after}\") {{ seq kind planId }} }}"
        );
        let mut child = node::script("graphiql.mjs")
            .env("CONCORD_URL", &app.address)
            .env("CONCORD_TOKEN", actor.token())
            .env("CONCORD_QUERY", query)
            .env("CONCORD_SUBSCRIPTION", &subscription)
            .env("CONCORD_EXPECT_EVENT", "ACTION_ADDED")
            .env("CONCORD_CHROMIUM", &chromium)
            .spawn()
            .expect("start node graphiql.mjs");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut report = None;
        let mut written = false;
        let reading = async {
            while let Some(line) = lines.next_line().await.expect("read the script's output") {
                if line == "SUBSCRIBED" && !written {
                    add_assessment(&app, &f, &plan).await;
                    written = true;
                } else if let Some(json) = line.strip_prefix("REPORT ") {
                    report = Some(serde_json::from_str::<Value>(json).expect("report JSON"));
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(120), reading)
            .await
            .expect("the browser finished within 2 minutes");
        let output = child.wait_with_output().await.expect("the script ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let report = report.unwrap_or_else(|| panic!("no report from the browser:\n{stderr}"));
        assert!(
            report["failure"].is_null(),
            "on {:?}: {}\n{report:#}\n{stderr}",
            app.backend,
            report["failure"]
        );
        assert!(output.status.success(), "{stderr}");
        assert!(written, "the page never subscribed");

        // Nothing but Concord was asked for anything.
        assert_eq!(report["blocked"], json!([]), "requests to other hosts");
        let requests: Vec<&str> = report["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for asset in ["graphiql-3.9.0.min.js", "react-18.3.1.production.min.js"] {
            assert!(
                requests
                    .iter()
                    .any(|url| url.ends_with(&format!("/graphiql/assets/{asset}"))),
                "{asset} not loaded: {requests:?}"
            );
        }
        let local = format!("{}/", app.address);
        assert!(
            requests.iter().all(|url| url.starts_with(&local)),
            "{requests:?}"
        );
        let socket = format!("ws://127.0.0.1:{}/graphql", app.port);
        assert_eq!(report["websockets"], json!([socket]));
        assert_eq!(report["violations"], json!([]), "CSP violations");
        assert_eq!(report["pageErrors"], json!([]), "script errors");
        let csp = report["csp"].as_str().unwrap_or_default();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(csp.contains("script-src 'self';"), "{csp}");

        // The editor opens with how to paste a token (production mode: no example).
        let opening = report["defaultQuery"].as_str().unwrap_or_default();
        assert!(
            opening.contains(r#"{"Authorization": "Bearer <your token>"}"#),
            "{opening}"
        );
        assert!(!opening.contains("query WhoAmI"), "{opening}");

        // The query's result and the subscription's event, as the page showed them.
        let result: Value =
            serde_json::from_str(report["queryResult"].as_str().unwrap_or_default())
                .expect("the result pane holds JSON");
        assert_eq!(result["data"]["me"]["subject"], actor.sub.as_str());
        assert_eq!(result["data"]["me"]["agency"]["code"], "school");
        let event: Value = serde_json::from_str(report["eventResult"].as_str().unwrap_or_default())
            .expect("the result pane holds JSON");
        assert_eq!(event["data"]["planEvents"]["kind"], "ACTION_ADDED");
        assert_eq!(event["data"]["planEvents"]["planId"], plan.as_str());
        let seq: i64 = event["data"]["planEvents"]["seq"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("decimal seq");
        assert!(seq > after, "{seq} after {after}");

        // GraphiQL's history and tabs lived in memory: the token never reached the
        // browser's storage, nor did anything else.
        assert_eq!(report["tokenStored"], json!(false));
        assert_eq!(report["storedKeys"], json!([]), "stored in the browser");
    }
}

#[tokio::test]
async fn graphiql_assets_are_served_with_their_types_and_cache_rules() {
    let app = spawn_apps().await.remove(0);
    let page = app
        .client
        .get(format!("{}/graphiql", app.address))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.contains("connect-src 'self';"), "{csp}");
    let html = page.text().await.expect("html");
    assert!(!html.contains("<script>"), "no inline script: {html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    for (path, kind, cache) in [
        ("graphiql-3.9.0.min.js", "text/javascript", "immutable"),
        ("graphiql-3.9.0.min.css", "text/css", "immutable"),
        (
            "react-dom-18.3.1.production.min.js",
            "text/javascript",
            "immutable",
        ),
        ("concord-graphiql.js", "text/javascript", "no-cache"),
    ] {
        assert!(html.contains(&format!("/graphiql/assets/{path}")), "{path}");
        let response = app
            .client
            .get(format!("{}/graphiql/assets/{path}", app.address))
            .send()
            .await
            .expect("asset");
        assert_eq!(response.status(), 200, "{path}");
        let header = |name: &str| response.headers()[name].to_str().expect("ascii").to_owned();
        assert!(header("content-type").starts_with(kind), "{path}");
        assert!(header("cache-control").contains(cache), "{path}");
    }
    let missing = app
        .client
        .get(format!("{}/graphiql/assets/unknown.js", app.address))
        .send()
        .await
        .expect("missing");
    assert_eq!(missing.status(), 404);
}
