//! `amendBehaviour`: the recording agency corrects a behaviour; the classification rules
//! run again, an amendment may escalate but never withdraws an escalation, and restricted
//! content stays restricted in the history.

use entity::{involvements, plan_events};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::{REASON, amend_behaviour, behaviour_node, record_behaviour};
use crate::fixture;
use crate::helpers::db::{audited, count_where};
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, TestApp, id_of, spawn_apps, uuid_of};

async fn deadline_kinds(app: &TestApp, child: &str) -> Vec<String> {
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            "query($id: ID!) { child(id: $id) { deadlines { kind } } }",
            json!({ "id": child }),
        )
        .await;
    data["child"]["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .filter_map(|d| d["kind"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_recording_agency_amends_a_behaviour_and_a_red_amendment_escalates() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let teacher = TestActor::practitioner("school");
        let green =
            record_behaviour(&app, &teacher, &f.alpha, "GREEN", &[], "NORMAL", "STANDARD").await;
        assert_eq!(green["escalated"], false);
        assert!(
            !deadline_kinds(&app, &f.alpha)
                .await
                .contains(&"STRATEGY_DISCUSSION".to_owned())
        );

        // A plain correction: the description.
        let data = app
            .ok_as(
                &teacher,
                &amend_behaviour(),
                json!({ "input": {
                    "behaviourId": id_of(&green), "description": "Synthetic corrected account.",
                    "reason": REASON, "expectedVersion": 1
                }}),
            )
            .await;
        let amended = &data["amendBehaviour"];
        assert_eq!(amended["escalated"], false, "{data}");
        assert_eq!(
            amended["behaviour"]["description"],
            "Synthetic corrected account."
        );
        assert_eq!(amended["behaviour"]["version"], 2);
        assert_eq!(amended["behaviour"]["amended"], true);
        let history = &amended["behaviour"]["history"];
        assert_eq!(history[0]["changedFields"], json!(["description"]));
        assert!(
            history[0]["values"]
                .as_str()
                .is_some_and(|v| v.contains("Synthetic behaviour for a correction test."))
        );
        assert_eq!(
            audited(&app.db, "AMEND_BEHAVIOUR", uuid_of(&id_of(&green)))
                .await
                .len(),
            1
        );

        // Now RED with a red indicator: the case escalates as recordBehaviour would.
        let data = app
            .ok_as(
                &teacher,
                &amend_behaviour(),
                json!({ "input": {
                    "behaviourId": id_of(&green), "trafficLight": "RED", "continuum": "ABUSIVE",
                    "indicators": ["COERCION"], "reason": REASON, "expectedVersion": 2
                }}),
            )
            .await;
        let amended = &data["amendBehaviour"];
        assert_eq!(amended["escalated"], true, "{data}");
        assert_eq!(amended["behaviour"]["escalated"], true);
        assert_eq!(amended["behaviour"]["suggestedTrafficLight"], "RED");
        assert_eq!(
            amended["behaviour"]["history"][1]["changedFields"],
            json!(["trafficLight", "continuum", "indicators"])
        );
        let police_on_team = count_where::<involvements::Entity>(
            &app.db,
            Condition::all()
                .add(involvements::Column::ChildId.eq(uuid_of(&f.alpha)))
                .add(involvements::Column::AgencyId.eq(f.agency("police"))),
        )
        .await;
        assert_eq!(police_on_team, 1, "the designated police joined the team");
        let events = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("ESCALATION"))
            .all(&app.db)
            .await
            .expect("events");
        assert_eq!(events.len(), 1);
        assert!(
            deadline_kinds(&app, &f.alpha)
                .await
                .contains(&"STRATEGY_DISCUSSION".to_owned())
        );

        // Lowering it again: a rationale is needed, and the escalation stands, recorded.
        let lower = json!({
            "behaviourId": id_of(&green), "trafficLight": "GREEN", "continuum": "NORMAL",
            "indicators": [], "reason": REASON, "expectedVersion": 3
        });
        let refused = app
            .gql_as(
                &teacher,
                &amend_behaviour(),
                json!({ "input": {
                    "behaviourId": id_of(&green), "trafficLight": "GREEN",
                    "reason": REASON, "expectedVersion": 3
                }}),
            )
            .await;
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], "classificationRationale",
            "{refused}"
        );
        let data = app
            .ok_as(&teacher, &amend_behaviour(), json!({ "input": lower }))
            .await;
        let amended = &data["amendBehaviour"];
        assert_eq!(amended["escalated"], false);
        assert_eq!(
            amended["behaviour"]["escalated"], true,
            "never un-escalated"
        );
        let reason = amended["behaviour"]["history"][2]["reason"]
            .as_str()
            .unwrap_or_default();
        assert!(reason.starts_with(REASON), "{reason}");
        assert!(reason.contains("(escalation stands:"), "{reason}");
        assert_eq!(events.len(), 1);
        assert!(
            deadline_kinds(&app, &f.alpha)
                .await
                .contains(&"STRATEGY_DISCUSSION".to_owned())
        );
    }
}

#[tokio::test]
async fn amend_behaviour_is_for_the_recording_agency_on_the_team_at_the_current_version() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let teacher = TestActor::practitioner("school");
        let b =
            record_behaviour(&app, &teacher, &f.alpha, "GREEN", &[], "NORMAL", "STANDARD").await;
        let holder = TestActor::practitioner("camhs");
        app.ok_as(
            &holder,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: out-of-hours crisis assessment tonight." } }),
        )
        .await;
        let op = amend_behaviour();
        let input = |extra: Value| {
            let mut input = json!({
                "behaviourId": id_of(&b), "description": "Synthetic corrected account.",
                "reason": REASON, "expectedVersion": 1
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
                // The lead agency did not record it; a grant is read-only; off the team
                // the behaviour does not exist.
                Refusal::new(
                    TestActor::coordinator("csc"),
                    &op,
                    input(json!({})),
                    "FORBIDDEN",
                ),
                Refusal::new(holder.clone(), &op, input(json!({})), "FORBIDDEN"),
                Refusal::new(
                    TestActor::practitioner("police"),
                    &op,
                    input(json!({})),
                    "NOT_FOUND",
                ),
                Refusal::new(
                    TestActor::auditor("partnership"),
                    &op,
                    input(json!({})),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(teacher.clone(), &op, input(json!({ "reason": "short" })), "reason"),
                Refusal::invalid(teacher.clone(), &op, input(json!({ "description": " " })), "description"),
                Refusal::invalid(teacher.clone(), &op, input(json!({ "occurredOn": "2026-11-11", "disclosedAt": "2026-11-10T10:00:00Z" })), "disclosedAt"),
                Refusal::invalid(teacher.clone(), &op, input(json!({ "description": "Synthetic behaviour for a correction test." })), "input"),
            ],
        )
        .await;
        assert_conflict(
            &app.gql_as(&teacher, &op, input(json!({ "expectedVersion": 5 })))
                .await,
            1,
        );
    }
}

#[tokio::test]
async fn a_restricted_behaviours_history_stays_restricted() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        fixture::involve(&app, &f.agency_gid("police"), &f.alpha, "police").await;
        let teacher = TestActor::practitioner("school");
        let b = record_behaviour(
            &app,
            &teacher,
            &f.alpha,
            "GREEN",
            &[],
            "NORMAL",
            "RESTRICTED",
        )
        .await;
        // Corrected and, at the same time, made standard: the new content is for the
        // whole team, the old restricted version is not.
        app.ok_as(
            &teacher,
            &amend_behaviour(),
            json!({ "input": {
                "behaviourId": id_of(&b), "description": "Synthetic account safe to share.",
                "sensitivity": "STANDARD", "reason": REASON, "expectedVersion": 1
            }}),
        )
        .await;
        let police = app
            .ok_as(
                &TestActor::practitioner("police"),
                &behaviour_node(),
                json!({ "id": id_of(&b) }),
            )
            .await;
        let node = &police["node"];
        assert_eq!(node["restricted"], false, "{police}");
        assert_eq!(node["description"], "Synthetic account safe to share.");
        assert_eq!(node["amended"], true);
        assert_eq!(node["history"][0]["values"], Value::Null);
        assert_eq!(node["history"][0]["reason"], Value::Null);
        assert_eq!(
            node["history"][0]["changedFields"],
            json!(["sensitivity", "description"])
        );
        // The lead agency and the recording agency read it.
        for reader in [TestActor::practitioner("csc"), teacher.clone()] {
            let data = app
                .ok_as(&reader, &behaviour_node(), json!({ "id": id_of(&b) }))
                .await;
            assert!(
                data["node"]["history"][0]["values"]
                    .as_str()
                    .is_some_and(|v| v.contains("RESTRICTED")),
                "{reader:?}: {data}"
            );
            assert_eq!(data["node"]["history"][0]["reason"], REASON);
        }
    }
}
