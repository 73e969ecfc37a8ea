//! `myConsultations`: what awaits the caller's agency, and nothing once a plan is closed.

use serde_json::{Value, json};

use crate::helpers::plans::{
    add_action, add_member, charging_decision, close, consultation_for, create_plan, respond,
    shared_plan,
};
use crate::helpers::{TestActor, error_code, id_of, spawn_apps};

const MINE: &str = "{ myConsultations { id status agency { code } action { id } } }";
const MINE_AGREED: &str =
    "{ myConsultations(status: AGREED) { id status agency { code } action { id } } }";

fn ids_in(response: &Value) -> Vec<String> {
    let mut ids: Vec<String> = response["data"]["myConsultations"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {response}"))
        .iter()
        .map(id_of)
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn my_consultations_lists_only_those_awaiting_the_callers_agency() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let fixture = &shared.fixture;
        let first = charging_decision(&app, &shared).await;
        let second = add_action(
            &app,
            &TestActor::practitioner("police"),
            &shared.plan,
            &fixture.agency_gid("police"),
            "POLICE_INVESTIGATION_STEP",
            &[],
        )
        .await;
        respond(
            &app,
            &TestActor::agency_lead("school"),
            &consultation_for(&second, "school"),
            "AGREED",
            None,
        )
        .await;
        // Bravo's plan has CSC and police only: school is never asked there.
        let bravo = create_plan(&app, &fixture.bravo).await;
        add_member(&app, fixture, &bravo, "police").await;
        let third = add_action(
            &app,
            &TestActor::practitioner("police"),
            &bravo,
            &fixture.agency_gid("police"),
            "CHARGING_DECISION",
            &[],
        )
        .await;

        for actor in TestActor::case_roles("school") {
            let response = app.gql_as(&actor, MINE, json!({})).await;
            assert_eq!(
                ids_in(&response),
                [consultation_for(&first, "school")],
                "{actor:?}: {response}"
            );
            let listed = &response["data"]["myConsultations"][0];
            assert_eq!(listed["status"], "REQUESTED");
            assert_eq!(listed["agency"]["code"], "school");
            assert_eq!(listed["action"]["id"], first["id"]);

            let response = app.gql_as(&actor, MINE_AGREED, json!({})).await;
            assert_eq!(
                ids_in(&response),
                [consultation_for(&second, "school")],
                "{actor:?}: {response}"
            );
        }
        for actor in TestActor::case_roles("csc") {
            let response = app.gql_as(&actor, MINE, json!({})).await;
            assert_eq!(
                ids_in(&response),
                sorted(vec![
                    consultation_for(&first, "csc"),
                    consultation_for(&second, "csc"),
                    consultation_for(&third, "csc"),
                ]),
                "{actor:?}: {response}"
            );
        }
        // The police are consulted on nothing; CAMHS and YJS are on no plan.
        for agency in ["police", "camhs", "yjs"] {
            for actor in TestActor::case_roles(agency) {
                let response = app.gql_as(&actor, MINE, json!({})).await;
                assert_eq!(
                    response,
                    json!({ "data": { "myConsultations": [] } }),
                    "{actor:?}"
                );
            }
        }
        for actor in TestActor::non_case_roles("school") {
            let response = app.gql_as(&actor, MINE, json!({})).await;
            assert_eq!(
                error_code(&response),
                Some("FORBIDDEN"),
                "{actor:?}: {response}"
            );
        }
    }
}

#[tokio::test]
async fn the_consultations_of_a_closed_plan_no_longer_await_anyone() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        charging_decision(&app, &shared).await;
        let school = TestActor::agency_lead("school");
        let response = app.gql_as(&school, MINE, json!({})).await;
        assert_eq!(ids_in(&response).len(), 1, "{response}");
        close(&app, &shared.plan).await;
        let response = app.gql_as(&school, MINE, json!({})).await;
        assert_eq!(
            response,
            json!({ "data": { "myConsultations": [] } }),
            "a closed plan asks nothing of anyone"
        );
    }
}
