//! `updateChild`: the lead agency corrects a child's identity and flags.

use serde_json::json;

use super::{REASON, update_child};
use crate::fixture;
use crate::helpers::db::audited;
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, spawn_apps, uuid_of};

#[tokio::test]
async fn the_lead_agency_corrects_a_child_and_the_old_values_stay_in_its_history() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let data = app
            .ok_as(
                &coordinator,
                &update_child(),
                json!({ "input": {
                    "childId": f.alpha, "givenName": "Alphie", "nhsNumber": "943 476 5919",
                    "lookedAfter": true, "reason": REASON, "expectedVersion": 1
                }}),
            )
            .await;
        let child = &data["updateChild"]["child"];
        assert_eq!(child["givenName"], "Alphie", "{data}");
        assert_eq!(child["nhsNumber"], "9434765919");
        assert_eq!(child["lookedAfter"], true);
        assert_eq!(child["version"], 2);
        assert_eq!(child["amended"], true);
        let history = child["history"].as_array().expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0]["version"], 1);
        assert_eq!(history[0]["amendingAgency"]["code"], "csc");
        assert_eq!(history[0]["reason"], REASON);
        assert_eq!(
            history[0]["changedFields"],
            json!(["givenName", "nhsNumber", "lookedAfter"])
        );
        let values: serde_json::Value =
            serde_json::from_str(history[0]["values"].as_str().expect("values")).expect("json");
        assert_eq!(values["givenName"], "Alpha");
        assert_eq!(values["nhsNumber"], serde_json::Value::Null);
        assert_eq!(values["lookedAfter"], false);
        assert_eq!(
            audited(&app.db, "UPDATE_CHILD", uuid_of(&f.alpha))
                .await
                .len(),
            1
        );

        // The school on the team reads the same history; a second correction adds to it.
        let school = TestActor::practitioner("school");
        let read = app
            .ok_as(
                &school,
                &format!(
                    "query($id: ID!) {{ child(id: $id) {{ amended {} }} }}",
                    super::VERSION_FIELDS
                ),
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(read["child"]["history"][0]["reason"], REASON);
        let again = app
            .ok_as(
                &TestActor::agency_lead("csc"),
                &update_child(),
                json!({ "input": {
                    "childId": f.alpha, "familyName": "Testchild-Corrected",
                    "reason": REASON, "expectedVersion": 2
                }}),
            )
            .await;
        let history = &again["updateChild"]["child"]["history"];
        assert_eq!(history.as_array().map(Vec::len), Some(2));
        assert_eq!(history[1]["version"], 2);
        assert_eq!(history[1]["changedFields"], json!(["familyName"]));
        // A child never corrected is not `amended`.
        let bravo = app
            .ok_as(
                &coordinator,
                "query($id: ID!) { child(id: $id) { amended history { version } } }",
                json!({ "id": f.bravo }),
            )
            .await;
        assert_eq!(bravo["child"], json!({ "amended": false, "history": [] }));
    }
}

#[tokio::test]
async fn update_child_refuses_other_agencies_roles_stale_versions_and_bad_input() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let holder = TestActor::coordinator("camhs");
        app.ok_as(
            &holder,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: out-of-hours crisis assessment tonight." } }),
        )
        .await;
        let op = update_child();
        let input = |extra: serde_json::Value| {
            let mut input = json!({
                "childId": f.alpha, "givenName": "Alphie", "reason": REASON, "expectedVersion": 1
            });
            for (key, value) in extra.as_object().expect("object") {
                input[key] = value.clone();
            }
            json!({ "input": input })
        };
        assert_refused(
            &app,
            Audit::Denied,
            [
                // A practitioner of the lead agency, a coordinator of another agency on
                // the team, a grant holder: refused. Off the team: as if missing.
                Refusal::new(
                    TestActor::practitioner("csc"),
                    &op,
                    input(json!({})),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::coordinator("school"),
                    &op,
                    input(json!({})),
                    "FORBIDDEN",
                ),
                Refusal::new(holder.clone(), &op, input(json!({})), "FORBIDDEN"),
                Refusal::new(
                    TestActor::coordinator("police"),
                    &op,
                    input(json!({})),
                    "NOT_FOUND",
                ),
                Refusal::new(
                    TestActor::analyst("partnership"),
                    &op,
                    input(json!({})),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        // Another child already holds this NHS number.
        let coordinator = TestActor::coordinator("csc");
        app.ok_as(
            &coordinator,
            &update_child(),
            json!({ "input": {
                "childId": f.bravo, "nhsNumber": "9434765870", "reason": REASON, "expectedVersion": 1
            }}),
        )
        .await;
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "nhsNumber": "9434765918" })),
                    "nhsNumber",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "nhsNumber": "9434765870" })),
                    "nhsNumber",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "uniquePupilNumber": "T201345678901" })),
                    "uniquePupilNumber",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "dateOfBirth": "2000-01-01" })),
                    "dateOfBirth",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "givenName": "  " })),
                    "givenName",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "reason": "too short" })),
                    "reason",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "reason": "x".repeat(2001) })),
                    "reason",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    input(json!({ "givenName": "Alpha" })),
                    "input",
                ),
            ],
        )
        .await;
        let stale = app
            .gql_as(&coordinator, &op, input(json!({ "expectedVersion": 7 })))
            .await;
        assert_conflict(&stale, 1);
        // Nothing changed: no history.
        let read = app
            .ok_as(
                &coordinator,
                "query($id: ID!) { child(id: $id) { givenName version amended } }",
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(
            read["child"],
            json!({ "givenName": "Alpha", "version": 1, "amended": false })
        );
    }
}
