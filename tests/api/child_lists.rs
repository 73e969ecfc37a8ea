//! A child's growing lists as Relay connections: `behaviours`, `chronology` (also read
//! backwards) and `jointPlans`.

use serde_json::{Value, json};

use crate::fixture::{self, chronology_entry};
use crate::helpers::plans::{activate, close, create_plan};
use crate::helpers::{TestActor, error_code, spawn_apps};

const PAGE: &str = "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    child(id: $id) { chronology(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { occurredAt } } } } }";

fn times(page: &Value) -> Vec<String> {
    page["child"]["chronology"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|edge| {
            edge["node"]["occurredAt"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_chronology_pages_forwards_from_the_start_and_backwards_from_the_newest() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let at = |day: u32| format!("2026-06-{day:02}T10:00:00Z");
        // Written out of order: the list is in the order things happened.
        for day in [3, 1, 5, 2, 4] {
            chronology_entry(&app, &school, &f.alpha, "NOTE", &at(day)).await;
        }
        let page = |variables: Value| {
            let mut variables = variables;
            variables["id"] = json!(f.alpha);
            app.ok_as(&school, PAGE, variables)
        };

        let first = page(json!({ "first": 2 })).await;
        assert_eq!(times(&first), [at(1), at(2)]);
        let info = &first["child"]["chronology"]["pageInfo"];
        assert_eq!(info["hasNextPage"], true);
        assert_eq!(info["hasPreviousPage"], false);
        assert_eq!(first["child"]["chronology"]["totalCount"], 5);
        let next = page(json!({ "first": 2, "after": info["endCursor"] })).await;
        assert_eq!(times(&next), [at(3), at(4)]);

        let newest = page(json!({ "last": 2 })).await;
        assert_eq!(
            times(&newest),
            [at(4), at(5)],
            "the newest, still in time order"
        );
        let info = &newest["child"]["chronology"]["pageInfo"];
        assert_eq!(info["hasNextPage"], false);
        assert_eq!(info["hasPreviousPage"], true);
        let older = page(json!({ "last": 2, "before": info["startCursor"] })).await;
        assert_eq!(times(&older), [at(2), at(3)]);

        let everything = page(json!({})).await;
        assert_eq!(
            times(&everything).len(),
            5,
            "the default page holds them all"
        );

        for (variables, field, code) in [
            (json!({ "first": 101 }), None, "LIMIT_EXCEEDED"),
            (json!({ "last": -1 }), Some("last"), "VALIDATION_FAILED"),
            (
                json!({ "first": 1, "last": 1 }),
                Some("last"),
                "VALIDATION_FAILED",
            ),
            (
                json!({ "after": "bm90LWEtY3Vyc29y" }),
                Some("after"),
                "VALIDATION_FAILED",
            ),
        ] {
            let mut variables = variables;
            variables["id"] = json!(f.alpha);
            let refused = app.gql_as(&school, PAGE, variables.clone()).await;
            assert_eq!(error_code(&refused), Some(code), "{variables}: {refused}");
            if let Some(field) = field {
                assert_eq!(
                    refused["errors"][0]["extensions"]["field"], field,
                    "{refused}"
                );
            }
        }
    }
}

#[tokio::test]
async fn behaviours_and_joint_plans_page_forwards_with_a_total() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        // One plan may be open at a time: close each before drafting the next.
        let mut created = Vec::new();
        for _ in 0..3 {
            let plan = create_plan(&app, &f.alpha).await;
            activate(&app, &plan).await;
            close(&app, &plan).await;
            created.push(json!({ "id": plan }));
        }
        let query = "query($id: ID!, $after: String) { child(id: $id) {
            jointPlans(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } }
            behaviours(first: 1) { totalCount edges { cursor } } } }";
        let first = app
            .ok_as(&coordinator, query, json!({ "id": f.alpha }))
            .await;
        let plans = &first["child"]["jointPlans"];
        assert_eq!(plans["totalCount"], 3, "{first}");
        assert_eq!(plans["nodes"], Value::from(created[..2].to_vec()));
        assert_eq!(plans["pageInfo"]["hasNextPage"], true);
        let rest = app
            .ok_as(
                &coordinator,
                query,
                json!({ "id": f.alpha, "after": plans["pageInfo"]["endCursor"] }),
            )
            .await;
        assert_eq!(
            rest["child"]["jointPlans"]["nodes"],
            Value::from(created[2..].to_vec())
        );
        assert_eq!(
            rest["child"]["jointPlans"]["pageInfo"]["hasNextPage"],
            false
        );
        let behaviours = &first["child"]["behaviours"];
        assert_eq!(
            behaviours["edges"].as_array().map(Vec::len),
            behaviours["totalCount"].as_u64().map(|n| n.min(1) as usize),
            "{behaviours}"
        );
    }
}
