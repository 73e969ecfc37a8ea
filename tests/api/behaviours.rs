//! Behaviours: classification, rationale, escalation (`docs/product.md`) and bad input.

use entity::{involvements, plan_events};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::db::{count, count_where};
use crate::helpers::refusals::{Audit, Refusal, assert_refused, by_each};
use crate::helpers::{TestActor, TestApp, error_code, global_id, spawn_apps, uuid_of};

const RECORD: &str = "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) {
    escalated suggestedTrafficLight
    behaviour { id trafficLight suggestedTrafficLight classificationRationale indicators escalated recordingAgency { code } }
    history { priorBehaviours worstTrafficLight agencies { code } } } }";

fn behaviour(
    child: &str,
    occurred_on: &str,
    light: &str,
    indicators: &[&str],
    continuum: &str,
) -> Value {
    json!({
        "childId": child, "occurredOn": occurred_on, "disclosedAt": format!("{occurred_on}T16:00:00Z"),
        "setting": "SCHOOL", "contactType": "NON_CONTACT", "description": "Synthetic behaviour for a test.",
        "continuum": continuum, "indicators": indicators, "trafficLight": light
    })
}

async fn record(app: &TestApp, actor: &TestActor, input: Value) -> Value {
    app.gql_as(actor, RECORD, json!({ "input": input })).await
}

#[tokio::test]
async fn a_classification_below_the_suggestion_needs_a_rationale() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let lower = record(
            &app,
            &school,
            behaviour(
                &f.alpha,
                "2026-11-01",
                "GREEN",
                &["SECRECY"],
                "INAPPROPRIATE",
            ),
        )
        .await;
        assert_eq!(error_code(&lower), Some("VALIDATION_FAILED"), "{lower}");
        assert_eq!(
            lower["errors"][0]["extensions"]["field"],
            "classificationRationale"
        );

        let mut justified = behaviour(
            &f.alpha,
            "2026-11-01",
            "GREEN",
            &["SECRECY"],
            "INAPPROPRIATE",
        );
        justified["classificationRationale"] =
            json!("Synthetic: secrecy here is age-appropriate privacy.");
        let saved = record(&app, &school, justified).await;
        let payload = &saved["data"]["recordBehaviour"];
        assert_eq!(payload["suggestedTrafficLight"], "AMBER", "{saved}");
        assert_eq!(payload["behaviour"]["trafficLight"], "GREEN");
        assert_eq!(payload["behaviour"]["recordingAgency"]["code"], "school");
        assert_eq!(payload["behaviour"]["indicators"], json!(["SECRECY"]));

        let higher = record(
            &app,
            &school,
            behaviour(&f.alpha, "2026-11-02", "RED", &[], "NORMAL"),
        )
        .await;
        assert_eq!(
            higher["data"]["recordBehaviour"]["suggestedTrafficLight"], "GREEN",
            "{higher}"
        );
        assert_eq!(
            higher["data"]["recordBehaviour"]["behaviour"]["trafficLight"],
            "RED"
        );
    }
}

#[tokio::test]
async fn a_red_behaviour_escalates_and_brings_the_designated_agencies_onto_the_team() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        let police = TestActor::practitioner("police");
        let by_child = "query($id: ID!) { child(id: $id) { id } }";
        assert_eq!(
            error_code(
                &app.gql_as(&police, by_child, json!({ "id": f.charlie }))
                    .await
            ),
            Some("NOT_FOUND")
        );

        let red = record(
            &app,
            &social_worker,
            behaviour(&f.charlie, "2026-11-10", "RED", &["COERCION"], "ABUSIVE"),
        )
        .await;
        assert_eq!(red["data"]["recordBehaviour"]["escalated"], true, "{red}");
        assert_eq!(
            red["data"]["recordBehaviour"]["behaviour"]["escalated"],
            true
        );

        assert!(
            app.gql_as(&police, by_child, json!({ "id": f.charlie }))
                .await["errors"]
                .is_null(),
            "police were brought in"
        );
        let police_on_team = count_where::<involvements::Entity>(
            &app.db,
            Condition::all()
                .add(involvements::Column::ChildId.eq(uuid_of(&f.charlie)))
                .add(involvements::Column::AgencyId.eq(f.agency("police"))),
        )
        .await;
        assert_eq!(police_on_team, 1);
        let events = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("ESCALATION"))
            .all(&app.db)
            .await
            .expect("events");
        assert_eq!(events.len(), 1);
        assert!(
            events[0]
                .payload
                .to_string()
                .contains(&uuid_of(&f.charlie).to_string())
        );
        assert!(
            !events[0].summary.contains("Charlie"),
            "no personal data in events"
        );
        assert!(!events[0].payload.to_string().contains("Charlie"));

        // A GREEN one does not escalate, and does not add anyone again.
        let green = record(
            &app,
            &social_worker,
            behaviour(&f.charlie, "2026-11-11", "GREEN", &[], "NORMAL"),
        )
        .await;
        assert_eq!(green["data"]["recordBehaviour"]["escalated"], false);
        assert_eq!(
            green["data"]["recordBehaviour"]["history"]["priorBehaviours"],
            1
        );
        assert_eq!(
            green["data"]["recordBehaviour"]["history"]["worstTrafficLight"],
            "RED"
        );
    }
}

#[tokio::test]
async fn a_second_amber_within_twelve_months_escalates_whichever_agency_recorded_the_first() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let social_worker = TestActor::practitioner("csc");
        let first = record(
            &app,
            &school,
            behaviour(
                &f.alpha,
                "2026-01-10",
                "AMBER",
                &["PLANNING"],
                "PROBLEMATIC",
            ),
        )
        .await;
        assert_eq!(
            first["data"]["recordBehaviour"]["escalated"], false,
            "{first}"
        );
        let second = record(
            &app,
            &social_worker,
            behaviour(
                &f.alpha,
                "2026-11-01",
                "AMBER",
                &["DISTRESS"],
                "PROBLEMATIC",
            ),
        )
        .await;
        assert_eq!(
            second["data"]["recordBehaviour"]["escalated"], true,
            "{second}"
        );
        assert_eq!(
            second["data"]["recordBehaviour"]["history"]["agencies"],
            json!([{ "code": "school" }])
        );

        // More than 12 months apart: no escalation.
        let police = TestActor::practitioner("police");
        let old = record(
            &app,
            &police,
            behaviour(&f.bravo, "2025-01-01", "AMBER", &["SECRECY"], "PROBLEMATIC"),
        )
        .await;
        assert_eq!(old["data"]["recordBehaviour"]["escalated"], false, "{old}");
        let late = record(
            &app,
            &social_worker,
            behaviour(&f.bravo, "2026-11-01", "AMBER", &["SECRECY"], "PROBLEMATIC"),
        )
        .await;
        assert_eq!(
            late["data"]["recordBehaviour"]["escalated"], false,
            "{late}"
        );
    }
}

#[tokio::test]
async fn record_behaviour_refuses_outsiders_and_bad_input() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let good = behaviour(&f.alpha, "2026-11-01", "GREEN", &[], "NORMAL");
        let outsiders = [
            (TestActor::practitioner("camhs"), "NOT_FOUND"),
            (TestActor::analyst("csc"), "NOT_FOUND"),
            (TestActor::auditor("csc"), "NOT_FOUND"),
            (TestActor::admin("school"), "NOT_FOUND"),
        ];
        let mut refusals = by_each(RECORD, &json!({ "input": good }), outsiders);
        let school = TestActor::practitioner("school");
        let cases: [(&str, Value, &str); 7] = [
            ("description", json!("  "), "description"),
            ("occurredOn", json!("2099-01-01"), "occurredOn"),
            ("disclosedAt", json!("2026-10-01T10:00:00Z"), "disclosedAt"),
            (
                "sharedWith",
                json!([global_id("Agency", uuid::Uuid::now_v7())]),
                "sharedWith",
            ),
            ("sharedWith", json!([f.alpha]), "sharedWith"),
            ("childId", json!("nope"), "childId"),
            (
                "affectedChildren",
                json!([{ "relationship": " ", "ageAtTime": 9 }]),
                "affectedChildren.relationship",
            ),
        ];
        for (key, value, field) in cases {
            let mut input = good.clone();
            input[key] = value;
            let variables = json!({ "input": input });
            refusals.push(Refusal::invalid(school.clone(), RECORD, variables, field));
        }
        assert_refused(&app, Audit::Unchecked, refusals).await;
        let stored = count::<entity::behaviours::Entity>(&app.db).await;
        assert_eq!(stored, 0, "nothing was saved");
    }
}
