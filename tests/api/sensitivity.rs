//! Restricted content and affected children's identity (`docs/access.md`), agency by agency.

use serde_json::{Value, json};

use crate::fixture::{self, Fixture};
use crate::helpers::{TestActor, TestApp, spawn_apps};

/// Alpha's team grows to csc (lead), school, police, camhs and health.
async fn widen_alpha(app: &TestApp, f: &Fixture) {
    for code in ["police", "camhs", "health"] {
        fixture::involve(app, &f.agency_gid(code), &f.alpha, code).await;
    }
}

const VIEW: &str = "query($id: ID!) { child(id: $id) {
    behaviours { nodes { restricted occurredOn recordingAgency { code } description setting indicators sharedWith { code }
                 affectedChildren { ageAtTime relationship identityVisible givenName familyName } } }
    chronology { nodes { kind restricted occurredAt recordingAgency { code } summary } } } }";

#[tokio::test]
async fn restricted_entries_show_their_content_only_to_the_recorder_the_shared_and_the_lead() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        widen_alpha(&app, &f).await;
        let police = TestActor::practitioner("police");
        app.ok_as(
            &police,
            "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { behaviour { id } } }",
            json!({ "input": {
                "childId": f.alpha, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-01T18:00:00Z",
                "setting": "COMMUNITY", "contactType": "CONTACT", "description": "Synthetic intelligence before charge.",
                "continuum": "INAPPROPRIATE", "trafficLight": "GREEN", "sensitivity": "RESTRICTED", "sharedWith": [f.agency_gid("camhs")]
            }}),
        )
        .await;
        app.ok_as(
            &police,
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
            json!({ "input": { "childId": f.alpha, "kind": "POLICE_INTERVIEW", "occurredAt": "2026-11-02T09:00:00Z",
                               "summary": "Synthetic interview notes.", "sensitivity": "RESTRICTED", "sharedWith": [f.agency_gid("camhs")] } }),
        )
        .await;
        for (agency, readable) in [
            ("police", true),
            ("camhs", true),
            ("csc", true),
            ("school", false),
            ("health", false),
        ] {
            let data = app
                .ok_as(
                    &TestActor::practitioner(agency),
                    VIEW,
                    json!({ "id": f.alpha }),
                )
                .await;
            let behaviour = &data["child"]["behaviours"]["nodes"][0];
            let entry = &data["child"]["chronology"]["nodes"][0];
            // Date, kind and recording agency always show, so others know to ask.
            assert_eq!(behaviour["occurredOn"], "2026-11-01", "{agency}");
            assert_eq!(behaviour["recordingAgency"]["code"], "police", "{agency}");
            assert_eq!(entry["kind"], "POLICE_INTERVIEW", "{agency}");
            assert_eq!(entry["recordingAgency"]["code"], "police", "{agency}");
            assert_eq!(behaviour["restricted"], !readable, "{agency}");
            assert_eq!(entry["restricted"], !readable, "{agency}");
            if readable {
                assert_eq!(
                    behaviour["description"], "Synthetic intelligence before charge.",
                    "{agency}"
                );
                assert_eq!(behaviour["sharedWith"], json!([{ "code": "camhs" }]));
                assert_eq!(entry["summary"], "Synthetic interview notes.", "{agency}");
            } else {
                for field in [
                    "description",
                    "setting",
                    "indicators",
                    "sharedWith",
                    "affectedChildren",
                ] {
                    assert_eq!(
                        behaviour[field],
                        Value::Null,
                        "{agency} must not see {field}"
                    );
                }
                assert_eq!(entry["summary"], Value::Null, "{agency}");
            }
        }
    }
}

#[tokio::test]
async fn an_affected_childs_identity_is_for_social_care_police_and_the_recorder_only() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        widen_alpha(&app, &f).await;
        app.ok_as(
            &TestActor::practitioner("school"),
            "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { behaviour { id } } }",
            json!({ "input": {
                "childId": f.alpha, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-01T18:00:00Z",
                "setting": "SCHOOL", "contactType": "NON_CONTACT", "description": "Synthetic.",
                "continuum": "INAPPROPRIATE", "trafficLight": "GREEN",
                "affectedChildren": [{ "givenName": "Yankee", "familyName": "Testchild", "ageAtTime": 9, "relationship": "classmate" }]
            }}),
        )
        .await;
        for (agency, identity) in [
            ("csc", true),
            ("police", true),
            ("school", true),
            ("camhs", false),
            ("health", false),
        ] {
            let data = app
                .ok_as(
                    &TestActor::practitioner(agency),
                    VIEW,
                    json!({ "id": f.alpha }),
                )
                .await;
            let affected = &data["child"]["behaviours"]["nodes"][0]["affectedChildren"][0];
            assert_eq!(affected["ageAtTime"], 9, "{agency}");
            assert_eq!(affected["relationship"], "classmate", "{agency}");
            assert_eq!(affected["identityVisible"], identity, "{agency}");
            let expected = if identity {
                json!("Yankee")
            } else {
                Value::Null
            };
            assert_eq!(affected["givenName"], expected, "{agency}");
            assert_eq!(affected["familyName"].is_null(), !identity, "{agency}");
        }
    }
}
