//! Deadlines (DESIGN §4.4): derived, scoped, and explained when late.

use serde_json::{Value, json};

use crate::fixture::{self, chronology_entry};
use crate::helpers::refusals::{Audit, assert_conflict, assert_refused, by_each};
use crate::helpers::{TestActor, error_code, spawn_apps};

const CHILD_DEADLINES: &str = "query($id: ID!) { child(id: $id) { deadlines { id kind status startedAt dueAt metAt lateReason version responsibleAgency { code } } } }";

fn of_kind<'a>(deadlines: &'a Value, kind: &str) -> &'a Value {
    deadlines
        .as_array()
        .and_then(|all| all.iter().find(|d| d["kind"] == kind))
        .unwrap_or_else(|| panic!("no {kind} in {deadlines}"))
}

#[tokio::test]
async fn a_referral_starts_a_decision_and_an_assessment_deadline_that_milestones_meet() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        // Thursday 5 March 2026, 10:00 GMT: decision due by the end of Friday 6 March;
        // the assessment 45 working days later: 18 in March (6th to 31st), 20 in April
        // (skipping Good Friday 3 April and Easter Monday 6 April), then Friday 1 May,
        // and from Tuesday 5 May (the early May bank holiday on the 4th is skipped) to
        // Tuesday 12 May: by the end of 12 May 2026, 23:00 UTC in BST.
        chronology_entry(
            &app,
            &social_worker,
            &f.charlie,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        chronology_entry(
            &app,
            &social_worker,
            &f.charlie,
            "REFERRAL_DECISION",
            "2026-03-06T15:00:00Z",
        )
        .await;
        let data = app
            .ok_as(&social_worker, CHILD_DEADLINES, json!({ "id": f.charlie }))
            .await;
        let deadlines = &data["child"]["deadlines"];
        let decision = of_kind(deadlines, "REFERRAL_DECISION");
        assert_eq!(decision["dueAt"], "2026-03-07T00:00:00+00:00");
        assert_eq!(decision["status"], "MET");
        assert_eq!(decision["responsibleAgency"]["code"], "csc");
        let assessment = of_kind(deadlines, "ASSESSMENT_COMPLETED");
        assert_eq!(assessment["dueAt"], "2026-05-12T23:00:00+00:00");
        assert_eq!(
            assessment["status"], "OVERDUE",
            "it is past 12 May 2026 and no assessment is recorded"
        );
        assert_eq!(assessment["metAt"], Value::Null);

        // The same deadline has the same id on every read.
        let again = app
            .ok_as(&social_worker, CHILD_DEADLINES, json!({ "id": f.charlie }))
            .await;
        assert_eq!(
            of_kind(&again["child"]["deadlines"], "ASSESSMENT_COMPLETED")["id"],
            assessment["id"]
        );
        // And it is reachable as a node.
        let node = app
            .ok_as(
                &social_worker,
                "query($id: ID!) { node(id: $id) { ... on Deadline { kind } } }",
                json!({ "id": assessment["id"] }),
            )
            .await;
        assert_eq!(node["node"]["kind"], "ASSESSMENT_COMPLETED");
    }
}

#[tokio::test]
async fn the_deadline_list_is_scoped_and_filtered_per_agency() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        chronology_entry(
            &app,
            &social_worker,
            &f.alpha,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        chronology_entry(
            &app,
            &social_worker,
            &f.charlie,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        let query = "query($filter: DeadlineFilter) { deadlines(filter: $filter) { kind status child { givenName } } }";
        let overdue = app
            .ok_as(
                &social_worker,
                query,
                json!({ "filter": { "agencyId": f.agency_gid("csc"), "status": "OVERDUE" } }),
            )
            .await;
        let overdue = overdue["deadlines"].as_array().expect("list").clone();
        assert_eq!(
            overdue.len(),
            4,
            "decision and assessment for two children: {overdue:?}"
        );
        assert!(overdue.iter().all(|d| d["status"] == "OVERDUE"));

        // The school sees only Alpha's; the police (on neither) see none.
        let school = app
            .ok_as(&TestActor::practitioner("school"), query, json!({}))
            .await;
        assert!(
            school["deadlines"]
                .as_array()
                .expect("list")
                .iter()
                .all(|d| d["child"]["givenName"] == "Alpha")
        );
        assert_eq!(school["deadlines"].as_array().map(Vec::len), Some(2));
        let police = app
            .ok_as(&TestActor::practitioner("police"), query, json!({}))
            .await;
        assert_eq!(police["deadlines"], json!([]));
        let analyst = app
            .gql_as(&TestActor::analyst("csc"), query, json!({}))
            .await;
        assert_eq!(error_code(&analyst), Some("FORBIDDEN"));
        let due_before = app
            .ok_as(
                &social_worker,
                query,
                json!({ "filter": { "dueBefore": "2026-03-08T00:00:00Z" } }),
            )
            .await;
        assert!(
            due_before["deadlines"]
                .as_array()
                .expect("list")
                .iter()
                .all(|d| d["kind"] == "REFERRAL_DECISION")
        );
    }
}

#[tokio::test]
async fn a_late_reason_is_recorded_by_the_answerable_agency_once_late() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        chronology_entry(
            &app,
            &social_worker,
            &f.alpha,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        chronology_entry(
            &app,
            &social_worker,
            &f.alpha,
            "REFERRAL",
            "2026-11-26T10:00:00Z",
        )
        .await;
        let data = app
            .ok_as(&social_worker, CHILD_DEADLINES, json!({ "id": f.alpha }))
            .await;
        let deadlines = data["child"]["deadlines"].as_array().expect("list").clone();
        let overdue = deadlines
            .iter()
            .find(|d| d["status"] == "OVERDUE")
            .expect("an overdue one")
            .clone();
        let record = "mutation($input: RecordLateReasonInput!) { recordLateReason(input: $input) { deadline { id lateReason version status } } }";
        let input = |id: &Value, reason: &str, version: i64| json!({ "input": { "deadlineId": id, "reason": reason, "expectedVersion": version } });

        let others = [
            (TestActor::practitioner("school"), "FORBIDDEN"),
            (TestActor::practitioner("camhs"), "NOT_FOUND"),
            (TestActor::auditor("csc"), "NOT_FOUND"),
        ];
        let reason = input(&overdue["id"], "Synthetic reason.", 0);
        assert_refused(&app, Audit::Unchecked, by_each(record, &reason, others)).await;
        let saved = app
            .ok_as(
                &social_worker,
                record,
                input(&overdue["id"], "Synthetic: staff sickness.", 0),
            )
            .await;
        let deadline = &saved["recordLateReason"]["deadline"];
        assert_eq!(deadline["lateReason"], "Synthetic: staff sickness.");
        assert_eq!(deadline["version"], 1);
        let stale = app
            .gql_as(
                &social_worker,
                record,
                input(&overdue["id"], "Another reason.", 0),
            )
            .await;
        assert_conflict(&stale, 1);
        let updated = app
            .ok_as(
                &social_worker,
                record,
                input(&overdue["id"], "Synthetic: corrected reason.", 1),
            )
            .await;
        assert_eq!(updated["recordLateReason"]["deadline"]["version"], 2);

        let blank = app
            .gql_as(&social_worker, record, input(&overdue["id"], "  ", 2))
            .await;
        assert_eq!(blank["errors"][0]["extensions"]["field"], "reason");
        if let Some(due) = deadlines.iter().find(|d| d["status"] == "DUE") {
            let early = app
                .gql_as(
                    &social_worker,
                    record,
                    input(&due["id"], "Not late yet.", 0),
                )
                .await;
            assert_eq!(early["errors"][0]["extensions"]["field"], "deadlineId");
        }
        let garbage = app
            .gql_as(
                &social_worker,
                record,
                input(&json!(f.alpha), "Synthetic.", 0),
            )
            .await;
        assert_eq!(garbage["errors"][0]["extensions"]["field"], "deadlineId");
    }
}
