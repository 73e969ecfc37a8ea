//! The shapes of responses clients are written against, as reviewed insta snapshots in
//! `snapshots/`: the `me` query, a refusal of each kind and a freshly drafted plan. Ids and
//! timestamps are redacted; every backend must answer the same snapshot.
//!
//! A changed shape fails here: review it and, if it is meant, write the new snapshot with
//! `INSTA_UPDATE=always cargo test --test api response_shapes::` and commit the `.snap`.

use serde_json::json;

use crate::fixture;
use crate::helpers::plans::{CREATE, create_plan};
use crate::helpers::{TestActor, spawn_apps};

#[tokio::test]
async fn me_answers_with_the_callers_identity_agency_and_roles() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let response = app
            .gql_as(
                &TestActor::coordinator("csc"),
                "{ me { subject name roles agency { id code name kind sector active } } }",
                json!({}),
            )
            .await;
        insta::assert_json_snapshot!("me", response, { ".**.id" => "[id]" });
    }
}

#[tokio::test]
async fn refusals_answer_with_a_message_a_path_and_an_extensions_code() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let forbidden = app
            .gql_as(
                &TestActor::analyst("csc"),
                "{ children(first: 10) { totalCount } }",
                json!({}),
            )
            .await;
        insta::assert_json_snapshot!("forbidden", forbidden);

        let coordinator = TestActor::coordinator("csc");
        let invalid = app
            .gql_as(
                &coordinator,
                CREATE,
                json!({ "input": { "childId": fixture.charlie, "title": "   ", "pathway": "BOTH" } }),
            )
            .await;
        insta::assert_json_snapshot!("validation_failed", invalid);

        let plan = create_plan(&app, &fixture.charlie).await;
        let stale = app
            .gql_as(
                &coordinator,
                "mutation($input: PlanVersionInput!) { activateJointPlan(input: $input) { jointPlan { id } } }",
                json!({ "input": { "planId": plan, "expectedVersion": 7 } }),
            )
            .await;
        insta::assert_json_snapshot!("conflict", stale);
    }
}

#[tokio::test]
async fn a_drafted_plan_answers_in_the_shape_clients_read() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let response = app
            .gql_as(
                &TestActor::coordinator("csc"),
                "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) { jointPlan {
                    id title status pathway riskSummary nextReviewDue activatedAt closedAt version
                    createdAt leadAgency { id code } members { id agency { code } }
                    actions { id } reviews { id } child { id givenName } } } }",
                json!({ "input": {
                    "childId": fixture.charlie, "title": "Charlie's safety plan",
                    "pathway": "CHILD_PROTECTION", "riskSummary": "Risk to younger cousins"
                }}),
            )
            .await;
        insta::assert_json_snapshot!("drafted_plan", response, {
            ".**.id" => "[id]",
            ".**.createdAt" => "[timestamp]",
        });
    }
}
