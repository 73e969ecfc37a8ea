//! `markEnteredInError`: the entry stays, struck through; its content is hidden from all
//! but the recording agency, and it drops out of deadlines, escalation and the report.

use serde_json::{Value, json};

use super::{
    MARK, REASON, add_note, amend_behaviour, amend_entry, behaviour_node, entry_node,
    record_behaviour,
};
use crate::fixture;
use crate::helpers::db::audited;
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
async fn an_entry_entered_in_error_is_hidden_from_the_team_but_not_its_recording_agency() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let teacher = TestActor::practitioner("school");
        let b =
            record_behaviour(&app, &teacher, &f.alpha, "GREEN", &[], "NORMAL", "STANDARD").await;
        let note = add_note(&app, &teacher, &f.alpha, "STANDARD").await;

        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::coordinator("csc"),
                    MARK,
                    json!({ "input": { "entryId": id_of(&b), "reason": REASON } }),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::practitioner("police"),
                    MARK,
                    json!({ "input": { "entryId": id_of(&note), "reason": REASON } }),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;

        for entry in [&b, &note] {
            let data = app
                .ok_as(
                    &teacher,
                    MARK,
                    json!({ "input": { "entryId": id_of(entry), "reason": REASON } }),
                )
                .await;
            let marked = &data["markEnteredInError"]["entry"];
            assert_eq!(marked["enteredInError"], true, "{data}");
            assert_eq!(marked["enteredInErrorReason"], REASON);
            assert_eq!(marked["version"], 2);
            let rows = audited(&app.db, "MARK_ENTERED_IN_ERROR", uuid_of(&id_of(entry))).await;
            assert_eq!(rows.len(), 1);
            // What changed: the mark, and its reason only as changed (free text).
            let changes = rows[0].changes.clone().expect("changes");
            let list = changes.as_array().expect("a list");
            let mark = list
                .iter()
                .find(|c| c["field"] == "enteredInError")
                .expect("the mark");
            assert_eq!(
                mark["new"].to_string().trim_matches('"'),
                "true",
                "{changes}"
            );
            let why = list
                .iter()
                .find(|c| c["field"] == "enteredInErrorReason")
                .expect("the reason");
            assert_eq!(why["restricted"], true, "{changes}");
            assert!(!changes.to_string().contains(REASON), "{changes}");
        }
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    teacher.clone(),
                    MARK,
                    json!({ "input": { "entryId": id_of(&b), "reason": REASON } }),
                    "entryId",
                ),
                Refusal::invalid(
                    teacher.clone(),
                    &amend_behaviour(),
                    json!({ "input": { "behaviourId": id_of(&b), "description": "Synthetic again.", "reason": REASON, "expectedVersion": 2 } }),
                    "behaviourId",
                ),
                Refusal::invalid(
                    teacher.clone(),
                    MARK,
                    json!({ "input": { "entryId": f.alpha, "reason": REASON } }),
                    "entryId",
                ),
            ],
        )
        .await;

        // The lead agency sees that the entries exist and were struck through, not what
        // they said or why.
        let lead = TestActor::coordinator("csc");
        let seen = app
            .ok_as(&lead, &behaviour_node(), json!({ "id": id_of(&b) }))
            .await;
        let node = &seen["node"];
        assert_eq!(node["enteredInError"], true, "{seen}");
        assert_eq!(node["restricted"], true);
        assert_eq!(node["description"], Value::Null);
        assert_eq!(node["enteredInErrorReason"], Value::Null);
        assert_eq!(
            node["history"][0]["changedFields"],
            json!(["enteredInError"])
        );
        assert_eq!(node["history"][0]["values"], Value::Null);
        assert_eq!(node["amended"], false, "marking is not an amendment");
        let seen = app
            .ok_as(&lead, &entry_node(), json!({ "id": id_of(&note) }))
            .await;
        assert_eq!(seen["node"]["enteredInError"], true);
        assert_eq!(seen["node"]["summary"], Value::Null);
        // There is nothing to ask for: a disclosure request is refused.
        let asked = app
            .gql_as(
                &lead,
                "mutation($input: RequestDisclosureInput!) { requestDisclosure(input: $input) { request { id } } }",
                json!({ "input": { "entryId": id_of(&note), "reason": "Synthetic: we need to know what this said." } }),
            )
            .await;
        assert_eq!(
            crate::helpers::error_code(&asked),
            Some("VALIDATION_FAILED"),
            "{asked}"
        );
        assert_eq!(asked["errors"][0]["extensions"]["field"], "entryId");
        let message = asked["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("entered in error"), "{message}");
        // The recording agency still reads everything.
        let own = app
            .ok_as(&teacher, &behaviour_node(), json!({ "id": id_of(&b) }))
            .await;
        assert_eq!(
            own["node"]["description"],
            "Synthetic behaviour for a correction test."
        );
        assert_eq!(own["node"]["enteredInErrorReason"], REASON);
        assert!(own["node"]["history"][0]["values"].is_string());
    }
}

const REPORT: &str =
    "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) {
    behavioursByTrafficLight { total { value suppressed } }
    escalations { total { value suppressed } } } }";

#[tokio::test]
async fn an_entry_entered_in_error_drops_out_of_deadlines_escalation_and_the_report() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        let red = record_behaviour(
            &app,
            &social_worker,
            &f.charlie,
            "RED",
            &["COERCION"],
            "ABUSIVE",
            "STANDARD",
        )
        .await;
        assert_eq!(red["escalated"], true);
        assert!(
            deadline_kinds(&app, &f.charlie)
                .await
                .contains(&"STRATEGY_DISCUSSION".to_owned())
        );
        app.ok_as(
            &social_worker,
            MARK,
            json!({ "input": { "entryId": id_of(&red), "reason": REASON } }),
        )
        .await;
        assert!(
            !deadline_kinds(&app, &f.charlie)
                .await
                .contains(&"STRATEGY_DISCUSSION".to_owned()),
            "the strategy discussion of a behaviour entered in error is not due"
        );
        // The next behaviour's history alert does not count it.
        let next = app
            .ok_as(
                &social_worker,
                "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) {
                    history { priorBehaviours } } }",
                json!({ "input": {
                    "childId": f.charlie, "occurredOn": "2026-11-12", "disclosedAt": "2026-11-12T16:00:00Z",
                    "setting": "HOME", "contactType": "NON_CONTACT", "description": "Synthetic.",
                    "continuum": "NORMAL", "trafficLight": "GREEN"
                }}),
            )
            .await;
        assert_eq!(next["recordBehaviour"]["history"]["priorBehaviours"], 0);

        // Six more behaviours: seven counted, then six once one is entered in error.
        let mut last = Value::Null;
        for _ in 0..6 {
            last = record_behaviour(
                &app,
                &social_worker,
                &f.bravo,
                "GREEN",
                &[],
                "NORMAL",
                "STANDARD",
            )
            .await;
        }
        let analyst = TestActor::analyst("partnership");
        let period = json!({ "from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z" });
        let report = app.ok_as(&analyst, REPORT, period.clone()).await;
        let r = &report["strategicReport"];
        assert_eq!(
            r["behavioursByTrafficLight"]["total"]["value"], 7,
            "{report}"
        );
        assert_eq!(r["escalations"]["total"]["value"], 0, "{report}");
        app.ok_as(
            &social_worker,
            MARK,
            json!({ "input": { "entryId": id_of(&last), "reason": REASON } }),
        )
        .await;
        let report = app.ok_as(&analyst, REPORT, period).await;
        assert_eq!(
            report["strategicReport"]["behavioursByTrafficLight"]["total"]["value"], 6,
            "{report}"
        );
    }
}

#[tokio::test]
async fn marking_at_a_stale_expected_version_is_a_conflict_and_changes_nothing() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let teacher = TestActor::practitioner("school");
        let b =
            record_behaviour(&app, &teacher, &f.alpha, "GREEN", &[], "NORMAL", "STANDARD").await;
        let note = add_note(&app, &teacher, &f.alpha, "STANDARD").await;
        // The note is corrected after the caller read it at version 1.
        app.ok_as(
            &teacher,
            &amend_entry(),
            json!({ "input": { "entryId": id_of(&note), "summary": "Synthetic corrected note.",
                               "reason": REASON, "expectedVersion": 1 } }),
        )
        .await;

        let mark = |entry: &Value, version: i64| json!({ "input": { "entryId": id_of(entry), "reason": REASON, "expectedVersion": version } });
        assert_conflict(&app.gql_as(&teacher, MARK, mark(&b, 7)).await, 1);
        assert_conflict(&app.gql_as(&teacher, MARK, mark(&note, 1)).await, 2);
        for (entry, node) in [(&b, behaviour_node()), (&note, entry_node())] {
            let seen = app
                .ok_as(&teacher, &node, json!({ "id": id_of(entry) }))
                .await;
            assert_eq!(seen["node"]["enteredInError"], false, "{seen}");
            let id = uuid_of(&id_of(entry));
            assert!(
                audited(&app.db, "MARK_ENTERED_IN_ERROR", id)
                    .await
                    .is_empty()
            );
        }

        // At the version read, it is marked.
        let data = app.ok_as(&teacher, MARK, mark(&b, 1)).await;
        assert_eq!(data["markEnteredInError"]["entry"]["enteredInError"], true);
        assert_eq!(data["markEnteredInError"]["entry"]["version"], 2);
        let data = app.ok_as(&teacher, MARK, mark(&note, 2)).await;
        assert_eq!(data["markEnteredInError"]["entry"]["version"], 3);
    }
}
