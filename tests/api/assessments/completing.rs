//! `completeAssessment`: needs, lapsed requests, the chronology, never an edit afterwards;
//! reassessment; and what the chronology and the case no longer allow meanwhile.

use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
use serde_json::{Value, json};

use super::{
    COMPLETE, ask, audit, child, child_events, chronology_kinds, complete, complete_input,
    contribute, contribution_of, coordinator, ids, latest_seq, op, read, start, team, version_of,
};
use crate::fixture::chronology_entry;
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, error_code, id_of, spawn_apps};
use crate::ws_client::GqlSocket;

const EVENTS: &str =
    "subscription($after: String) { caseTeamEvents(after: $after) { kind childId } }";

const NEEDS: [(&str, &str); 3] = [
    (
        "SEXUAL_BEHAVIOURS",
        "Synthetic: understand consent and boundaries.",
    ),
    ("FAMILY", "Synthetic: supervision at home after school."),
    ("ENVIRONMENT", "Synthetic: a safe route to and from school."),
];

#[tokio::test]
async fn completing_records_the_needs_lapses_unanswered_requests_and_writes_the_chronology() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let asked = ask(&app, &f, &assessment, &["school", "police"], &["FAMILY"]).await;
        let school_part = id_of(&contribution_of(
            &asked["contributions"],
            "school",
            "FAMILY",
        ));
        let police_part = id_of(&contribution_of(
            &asked["contributions"],
            "police",
            "FAMILY",
        ));
        let answered = contribute(
            &app,
            &TestActor::practitioner("school"),
            &school_part,
            "home",
            "STANDARD",
            &[],
        )
        .await;
        assert!(answered["errors"].is_null(), "{answered}");

        let lead = TestActor::agency_lead("csc");
        let version = version_of(&app, &lead, &assessment).await;
        let mut socket =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("police").token()).await;
        let from = latest_seq(&app).await;
        socket
            .subscribe("p", EVENTS, json!({ "after": from.to_string() }))
            .await;
        let done = app
            .ok_as(
                &lead,
                &op(COMPLETE),
                complete_input(&assessment, version, &NEEDS),
            )
            .await["completeAssessment"]["assessment"]
            .clone();
        assert_eq!(done["status"], "COMPLETED");
        assert!(
            done["version"].as_i64().expect("version") > version,
            "{done}"
        );
        assert!(done["completedAt"].is_string(), "{done}");
        assert_eq!(done["completedWithinTimescale"], true, "due in 30 days");
        assert_eq!(
            done["formulation"],
            "Synthetic formulation of the joint assessment."
        );
        assert_eq!(done["hsbConcern"], "MEDIUM");
        assert_eq!(done["levelOfNeed"], "HIGH");
        assert_eq!(done["recommendedPathway"], "CHILD_IN_NEED");
        assert_eq!(done["interventionIntensity"], "MEDIUM");
        let needs: Vec<(Value, Value)> = done["needs"]
            .as_array()
            .expect("needs")
            .iter()
            .map(|n| (n["domain"]["code"].clone(), n["statement"].clone()))
            .collect();
        let expected: Vec<(Value, Value)> =
            NEEDS.iter().map(|(d, s)| (json!(d), json!(s))).collect();
        assert_eq!(needs, expected, "the needs as given, in order");
        assert_eq!(done["needs"][1]["domain"]["name"], "Family");
        assert_eq!(done["needs"][0]["assessment"]["id"], assessment);
        assert_eq!(done["needs"][0]["addressedBy"], json!([]));
        assert_eq!(
            contribution_of(&done["contributions"], "school", "FAMILY")["status"],
            "CONTRIBUTED"
        );
        assert_eq!(
            contribution_of(&done["contributions"], "police", "FAMILY")["status"],
            "LAPSED"
        );
        assert_eq!(
            read(&app, &TestActor::practitioner("police"), &police_part).await["status"],
            "LAPSED"
        );

        // The chronology shows the completion to the team; the team is told.
        let view = child(&app, &TestActor::practitioner("school"), &f.alpha).await;
        let kinds = chronology_kinds(&view);
        assert_eq!(
            kinds
                .iter()
                .filter(|k| *k == "ASSESSMENT_COMPLETED")
                .count(),
            1,
            "{kinds:?}"
        );
        assert_eq!(
            kinds.iter().filter(|k| *k == "ASSESSMENT_STARTED").count(),
            1,
            "{kinds:?}"
        );
        let heard = socket.next_data("p").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "ASSESSMENT_COMPLETED", "{heard}");
        assert_eq!(heard["childId"], f.alpha);
        socket.close().await;
        assert_eq!(
            child_events(&app, "ASSESSMENT_COMPLETED", &f.alpha)
                .await
                .len(),
            1
        );
        let rows = audit(&app, "COMPLETE_ASSESSMENT", Some(&f.alpha)).await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0]["outcome"], "ALLOWED");
        assert_eq!(rows[0]["entityType"], "Assessment");
        assert_eq!(rows[0]["entityId"], assessment);
        assert_eq!(rows[0]["actorSubject"], lead.sub);
    }
}

#[tokio::test]
async fn a_completed_assessment_is_never_edited_and_completion_checks_role_version_and_needs() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let version = version_of(&app, &coordinator(), &assessment).await;
        let operation = op(COMPLETE);
        let fine = complete_input(&assessment, version, &NEEDS);
        let mut long = fine.clone();
        long["input"]["formulation"] = json!("x".repeat(20_001));
        let many: Vec<(&str, &str)> = vec![("FAMILY", "Synthetic: one of many needs."); 51];
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::practitioner("csc"),
                    &operation,
                    fine.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::coordinator("school"),
                    &operation,
                    fine.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::agency_lead("police"),
                    &operation,
                    fine.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::coordinator("yjs"),
                    &operation,
                    fine.clone(),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    coordinator(),
                    &operation,
                    complete_input(
                        &assessment,
                        version,
                        &[("PARENTING_CAPACITY", "Synthetic: not this framework.")],
                    ),
                    "needs",
                ),
                Refusal::invalid(
                    coordinator(),
                    &operation,
                    complete_input(&assessment, version, &[("FAMILY", "")]),
                    "needs",
                ),
                Refusal::invalid(coordinator(), &operation, long, "formulation"),
                Refusal::invalid(
                    coordinator(),
                    &operation,
                    complete_input(&assessment, version, &many),
                    "needs",
                ),
            ],
        )
        .await;
        let stale = app
            .gql_as(
                &coordinator(),
                &operation,
                complete_input(&assessment, version - 1, &NEEDS),
            )
            .await;
        assert_conflict(&stale, version);
        assert_eq!(
            read(&app, &coordinator(), &assessment).await["status"],
            "IN_PROGRESS"
        );

        let done =
            app.ok_as(&coordinator(), &operation, fine).await["completeAssessment"]["assessment"]
                .clone();
        let after = done["version"].as_i64().expect("version");
        // Never again, whatever the version.
        let mut other = complete_input(
            &assessment,
            after,
            &[("FAMILY", "Synthetic: a different need.")],
        );
        other["input"]["formulation"] = json!("Synthetic: rewritten.");
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(
                coordinator(),
                &operation,
                other,
                "assessmentId",
            )],
        )
        .await;
        let kept = read(&app, &coordinator(), &assessment).await;
        assert_eq!(
            kept["formulation"],
            "Synthetic formulation of the joint assessment."
        );
        assert_eq!(kept["needs"].as_array().expect("needs").len(), 3);
        assert_eq!(kept["version"], after);
        assert_eq!(
            chronology_kinds(&child(&app, &coordinator(), &f.alpha).await)
                .iter()
                .filter(|k| *k == "ASSESSMENT_COMPLETED")
                .count(),
            1
        );
    }
}

#[tokio::test]
async fn a_reassessment_supersedes_the_last_completed_one_and_both_stay_readable() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let first = start(&app, &f, &f.alpha).await;
        complete(&app, &first, &NEEDS[..1]).await;
        let second = start(&app, &f, &f.alpha).await;
        let school = TestActor::practitioner("school");
        let reading = read(&app, &school, &second).await;
        assert_eq!(
            reading["supersedes"],
            json!({ "id": first, "status": "COMPLETED" })
        );
        // Until the reassessment completes, the first one stands.
        assert_eq!(read(&app, &school, &first).await["status"], "COMPLETED");

        complete(&app, &second, &NEEDS[1..]).await;
        let old = read(&app, &school, &first).await;
        assert_eq!(old["status"], "SUPERSEDED");
        assert_eq!(old["supersededBy"]["id"], second);
        assert_eq!(old["supersedes"], Value::Null);
        assert_eq!(
            old["needs"].as_array().expect("needs").len(),
            1,
            "its needs are kept"
        );
        let new = read(&app, &school, &second).await;
        assert_eq!(new["status"], "COMPLETED");
        assert_eq!(
            new["supersedes"],
            json!({ "id": first, "status": "SUPERSEDED" })
        );
        assert_eq!(new["supersededBy"], Value::Null);
        // Newest first.
        assert_eq!(
            ids(&child(&app, &school, &f.alpha).await["assessments"]),
            [second.clone(), first.clone()]
        );
        // A third one supersedes the latest completed one, not the first.
        let third = start(&app, &f, &f.alpha).await;
        assert_eq!(
            read(&app, &school, &third).await["supersedes"]["id"],
            second
        );
    }
}

#[tokio::test]
async fn assessment_milestones_can_no_longer_be_added_to_the_chronology_by_hand() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let add = "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }";
        let entry = |kind: &str| json!({ "input": { "childId": f.alpha, "kind": kind, "occurredAt": "2026-11-02T09:00:00Z", "summary": "Synthetic." } });
        assert_refused(
            &app,
            Audit::Unchecked,
            ["ASSESSMENT_STARTED", "ASSESSMENT_COMPLETED"].map(|kind| {
                Refusal::invalid(TestActor::practitioner("csc"), add, entry(kind), "kind")
            }),
        )
        .await;
        assert!(
            chronology_kinds(&child(&app, &coordinator(), &f.alpha).await)
                .iter()
                .all(|k| !k.starts_with("ASSESSMENT_"))
        );
        // Other kinds are still recorded.
        chronology_entry(
            &app,
            &TestActor::practitioner("csc"),
            &f.alpha,
            "STRATEGY_DISCUSSION",
            "2026-11-02T09:00:00Z",
        )
        .await;
    }
}

#[tokio::test]
async fn a_case_cannot_close_while_an_assessment_is_in_progress() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.charlie).await;
        let close =
            "mutation($input: CloseCaseInput!) { closeCase(input: $input) { child { status } } }";
        let input = |version: Value| json!({ "input": { "childId": f.charlie, "reason": "Synthetic: work complete.", "expectedVersion": version } });
        let refused = app
            .gql_as(
                &coordinator(),
                close,
                input(child_version(&app, &f.charlie).await),
            )
            .await;
        assert_eq!(error_code(&refused), Some("VALIDATION_FAILED"), "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "childId");
        assert_eq!(
            child(&app, &coordinator(), &f.charlie).await["assessments"][0]["status"],
            "IN_PROGRESS"
        );

        complete(&app, &assessment, &[]).await;
        let closed = app
            .ok_as(
                &coordinator(),
                close,
                input(child_version(&app, &f.charlie).await),
            )
            .await;
        assert_eq!(closed["closeCase"]["child"]["status"], "CLOSED");
    }
}

async fn child_version(app: &crate::helpers::TestApp, child: &str) -> Value {
    app.ok_as(
        &coordinator(),
        "query($id: ID!) { child(id: $id) { version } }",
        json!({ "id": child }),
    )
    .await["child"]["version"]
        .clone()
}

#[tokio::test]
async fn an_assessment_completed_after_its_due_day_is_not_within_timescale() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        // However it came about (the clock moved on), the due day has passed.
        let yesterday = crate::helpers::plans::days_from_today(-1);
        entity::assessments::Entity::update_many()
            .col_expr(
                entity::assessments::Column::DueOn,
                sea_orm::sea_query::Expr::value(yesterday),
            )
            .filter(entity::assessments::Column::Id.eq(crate::helpers::uuid_of(&assessment)))
            .exec(&app.db)
            .await
            .expect("move the due day");
        let late = complete(&app, &assessment, &[]).await;
        assert_eq!(late["dueOn"], yesterday.to_string());
        assert_eq!(late["status"], "COMPLETED");
        assert_eq!(late["completedWithinTimescale"], false, "{late}");
    }
}
