//! Deadlines (`docs/product.md`): derived, scoped, and explained when late.

use serde_json::{Value, json};

use crate::fixture::{self, chronology_entry};
use crate::helpers::refusals::{Audit, assert_conflict, assert_refused, by_each};
use crate::helpers::{TestActor, error_code, spawn_apps};

const CHILD_DEADLINES: &str = "query($id: ID!) { child(id: $id) { deadlines { id kind status startedAt dueAt dueOn metAt lateReason version responsibleAgency { code } } } }";

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
        assert_eq!(decision["dueAt"], "2026-03-07T00:00:00Z");
        assert_eq!(
            decision["dueOn"], "2026-03-06",
            "the last permitted London day"
        );
        assert_eq!(decision["status"], "MET");
        assert_eq!(decision["responsibleAgency"]["code"], "csc");
        let assessment = of_kind(deadlines, "ASSESSMENT_COMPLETED");
        assert_eq!(assessment["dueAt"], "2026-05-12T23:00:00Z");
        assert_eq!(
            assessment["dueOn"], "2026-05-12",
            "midnight in BST is 23:00 UTC the same day"
        );
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
        let query = "query($filter: DeadlineFilter) { deadlines(filter: $filter) { nodes { kind status child { givenName } } } }";
        let overdue = app
            .ok_as(
                &social_worker,
                query,
                json!({ "filter": { "agencyId": f.agency_gid("csc"), "status": "OVERDUE" } }),
            )
            .await;
        let overdue = overdue["deadlines"]["nodes"]
            .as_array()
            .expect("list")
            .clone();
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
            school["deadlines"]["nodes"]
                .as_array()
                .expect("list")
                .iter()
                .all(|d| d["child"]["givenName"] == "Alpha")
        );
        assert_eq!(
            school["deadlines"]["nodes"].as_array().map(Vec::len),
            Some(2)
        );
        let police = app
            .ok_as(&TestActor::practitioner("police"), query, json!({}))
            .await;
        assert_eq!(police["deadlines"]["nodes"], json!([]));
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
            due_before["deadlines"]["nodes"]
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
        // The child's view reads the reason with its deadline, and on no other one.
        let view = app.ok_as(&social_worker, CHILD_DEADLINES, json!({ "id": f.alpha }));
        for deadline in view.await["child"]["deadlines"].as_array().expect("list") {
            let noted = deadline["id"] == overdue["id"];
            let reason = noted.then_some("Synthetic: corrected reason.");
            assert_eq!(deadline["lateReason"], json!(reason), "{deadline}");
            assert_eq!(deadline["version"], i32::from(noted) * 2, "{deadline}");
        }

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

const PAGE: &str = "query($filter: DeadlineFilter, $first: Int, $after: String) {
    deadlines(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id kind dueAt status child { id givenName } } } } }";

/// How many reads of `child` by `actor` the audit log holds.
async fn child_reads(app: &crate::helpers::TestApp, actor: &TestActor, child: &str) -> u64 {
    use entity::audit_events;
    use sea_orm::{ColumnTrait as _, Condition};
    crate::helpers::db::count_where::<audit_events::Entity>(
        &app.db,
        Condition::all()
            .add(audit_events::Column::ActorSubject.eq(actor.sub.as_str()))
            .add(audit_events::Column::Action.eq("READ_CHILD"))
            .add(audit_events::Column::ChildId.eq(crate::helpers::uuid_of(child))),
    )
    .await
}

#[tokio::test]
async fn the_deadline_list_pages_in_due_order_and_audits_only_the_children_on_the_page() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        for (child, at) in [
            (&f.alpha, "2026-03-02T10:00:00Z"),
            (&f.bravo, "2026-03-03T10:00:00Z"),
            (&f.charlie, "2026-03-04T10:00:00Z"),
        ] {
            chronology_entry(&app, &social_worker, child, "REFERRAL", at).await;
        }
        let reader = TestActor::agency_lead("csc");
        let first = app
            .ok_as(
                &reader,
                PAGE,
                json!({ "first": 2, "filter": { "status": "OVERDUE" } }),
            )
            .await;
        let page = &first["deadlines"];
        assert_eq!(page["totalCount"], 6);
        assert_eq!(page["pageInfo"]["hasNextPage"], true);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
        let edges = page["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), 2);
        // Decisions fall due first, a working day after each referral.
        assert_eq!(edges[0]["node"]["child"]["givenName"], "Alpha");
        assert_eq!(edges[1]["node"]["child"]["givenName"], "Bravo");
        assert_eq!(child_reads(&app, &reader, &f.alpha).await, 1);
        assert_eq!(
            child_reads(&app, &reader, &f.charlie).await,
            0,
            "a child off the page is not read"
        );

        let mut seen: Vec<Value> = edges.iter().map(|e| e["node"].clone()).collect();
        let mut after = page["pageInfo"]["endCursor"].clone();
        loop {
            let next = app
                .ok_as(
                    &reader,
                    PAGE,
                    json!({ "first": 2, "after": after, "filter": { "status": "OVERDUE" } }),
                )
                .await;
            let page = &next["deadlines"];
            assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
            seen.extend(
                page["edges"]
                    .as_array()
                    .expect("edges")
                    .iter()
                    .map(|e| e["node"].clone()),
            );
            if page["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen.len(), 6, "every deadline once: {seen:?}");
        let due: Vec<&str> = seen.iter().filter_map(|d| d["dueAt"].as_str()).collect();
        let mut sorted = due.clone();
        sorted.sort();
        assert_eq!(due, sorted, "soonest first across pages");
        let mut ids: Vec<&str> = seen.iter().filter_map(|d| d["id"].as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 6);

        // Without `totalCount` selected, nothing is counted; the same page comes back.
        let plain = app
            .ok_as(
                &reader,
                "{ deadlines(first: 1) { nodes { kind } } }",
                json!({}),
            )
            .await;
        assert_eq!(plain["deadlines"]["nodes"][0]["kind"], "REFERRAL_DECISION");
        let met = app
            .ok_as(&reader, PAGE, json!({ "filter": { "status": "MET" } }))
            .await;
        assert_eq!(met["deadlines"]["totalCount"], 0);
    }
}

#[tokio::test]
async fn bad_paging_input_is_refused_with_the_field_named() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let reader = TestActor::practitioner("csc");
        for (variables, code, field) in [
            (json!({ "first": -1 }), "VALIDATION_FAILED", Some("first")),
            (json!({ "first": 101 }), "LIMIT_EXCEEDED", None),
            (
                json!({ "after": "not a cursor" }),
                "VALIDATION_FAILED",
                Some("after"),
            ),
            // A child's id is not a cursor of this list.
            (
                json!({ "after": "AAAAAAAAAAAAAAAAAAAAAA" }),
                "VALIDATION_FAILED",
                Some("after"),
            ),
            // Well formed, but a time no date can hold.
            (
                json!({ "after": "f_______________________________" }),
                "VALIDATION_FAILED",
                Some("after"),
            ),
        ] {
            let response = app.gql_as(&reader, PAGE, variables.clone()).await;
            assert_eq!(error_code(&response), Some(code), "{variables}: {response}");
            if let Some(field) = field {
                assert_eq!(
                    response["errors"][0]["extensions"]["field"], field,
                    "{response}"
                );
            }
        }
    }
}

#[tokio::test]
async fn an_emergency_grant_shows_the_childs_deadlines_until_it_expires() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        chronology_entry(
            &app,
            &TestActor::practitioner("csc"),
            &f.alpha,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        let clinician = TestActor::practitioner("camhs");
        let list = "{ deadlines { nodes { child { givenName } } } }";
        let before = app.ok_as(&clinician, list, json!({})).await;
        assert_eq!(before["deadlines"]["nodes"], json!([]));
        app.ok_as(
            &clinician,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: out-of-hours crisis assessment." } }),
        )
        .await;
        let granted = app.ok_as(&clinician, list, json!({})).await;
        assert_eq!(
            granted["deadlines"]["nodes"].as_array().map(Vec::len),
            Some(2)
        );
        use sea_orm::ConnectionTrait as _;
        app.db
            .execute_unprepared("UPDATE access_grants SET expires_at = created_at")
            .await
            .expect("expire");
        let expired = app.ok_as(&clinician, list, json!({})).await;
        assert_eq!(expired["deadlines"]["nodes"], json!([]));
    }
}
