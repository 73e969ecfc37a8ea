//! What a subscriber can do with an event: a closed `kind`, global ids that `node(id:)`
//! resolves, and typed fields that fetch the objects under the subscriber's access.

use std::time::Duration;

use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::plans::{active_plan, add_assessment};
use crate::helpers::{TestActor, spawn_apps};
use crate::ws_client::GqlSocket;

const PLAN_EVENTS: &str = "subscription($plan: ID!) { planEvents(planId: $plan) {
    kind planId childId plan { id title } child { id } action { id kind }
    consultation { id } referral { id } payload } }";

/// Whether `text` holds anything shaped like a raw UUID.
fn has_raw_uuid(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .any(|word| uuid::Uuid::parse_str(word).is_ok())
}

#[tokio::test]
async fn an_event_carries_global_ids_that_node_resolves_and_the_objects_themselves() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let school = TestActor::practitioner("school");
        let mut socket = GqlSocket::open(&app.ws_url(), &school.token()).await;
        socket
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        // Let the subscription start before writing: it begins at the newest seq.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let action = add_assessment(&app, &f, &plan).await;
        let event = socket.next_data("1").await["planEvents"].clone();
        socket.close().await;

        assert_eq!(event["kind"], "ACTION_ADDED", "{event}");
        assert_eq!(event["planId"], plan);
        assert_eq!(event["plan"]["id"], plan);
        assert_eq!(event["plan"]["title"], "Synthetic plan");
        assert_eq!(event["childId"], json!(f.alpha));
        assert_eq!(event["action"]["id"], action["id"]);
        assert_eq!(event["action"]["kind"], "ASSESSMENT");
        assert_eq!(event["consultation"], Value::Null, "no consultation in it");
        assert_eq!(event["referral"], Value::Null);

        // The deprecated payload names the same objects by global id, never by raw UUID.
        let payload_text = event["payload"].as_str().expect("payload is JSON text");
        assert!(!has_raw_uuid(payload_text), "{payload_text}");
        let payload: Value = serde_json::from_str(payload_text).expect("payload JSON");
        assert_eq!(payload["actionId"], action["id"]);
        assert_eq!(payload["planId"], json!(plan));

        // Every id the event carries resolves with `node(id:)`.
        for (id, typename) in [
            (&event["planId"], "JointPlan"),
            (&event["childId"], "Child"),
            (&payload["actionId"], "PlanAction"),
        ] {
            let node = app
                .ok_as(
                    &school,
                    "query($id: ID!) { node(id: $id) { __typename id } }",
                    json!({ "id": id }),
                )
                .await;
            assert_eq!(node["node"]["__typename"], typename, "{id}");
            assert_eq!(&node["node"]["id"], id);
        }
    }
}

#[tokio::test]
async fn a_referrer_told_of_a_decision_sees_its_referral_and_nothing_of_the_child() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let health = TestActor::practitioner("health");
        let referred = app
            .ok_as(
                &health,
                "mutation($input: ReferChildInput!) { referChild(input: $input) { referral { id version } } }",
                json!({ "input": {
                    "child": { "givenName": "Alpha", "familyName": "Testchild", "dateOfBirth": "2013-04-05", "gender": "Female" },
                    "reason": "Synthetic referral for a test."
                }}),
            )
            .await;
        let referral = referred["referChild"]["referral"].clone();
        let mut socket = GqlSocket::open(&app.ws_url(), &health.token()).await;
        socket
            .subscribe(
                "1",
                "subscription { caseTeamEvents { kind childId child { id } referral { id status } payload } }",
                json!({}),
            )
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.ok_as(
            &TestActor::agency_lead("csc"),
            "mutation($input: DecideReferralInput!) { decideReferral(input: $input) { referral { id } } }",
            json!({ "input": { "referralId": referral["id"], "decision": "NO_FURTHER_ACTION",
                               "note": "Synthetic decision note.", "expectedVersion": referral["version"] } }),
        )
        .await;
        let event = socket.next_data("1").await["caseTeamEvents"].clone();
        socket.close().await;
        assert_eq!(event["kind"], "REFERRAL_DECIDED", "{event}");
        assert_eq!(event["referral"]["id"], referral["id"]);
        assert_eq!(event["referral"]["status"], "NO_FURTHER_ACTION");
        // The referrer is off the case team: no id of the child, no child, and the
        // payload names nothing else.
        assert_eq!(event["childId"], Value::Null, "{event}");
        assert_eq!(event["child"], Value::Null, "{event}");
        let payload = event["payload"].as_str().unwrap_or_default();
        assert!(!has_raw_uuid(payload), "{payload}");
        assert!(!payload.contains(f.alpha.as_str()), "{payload}");
    }
}
