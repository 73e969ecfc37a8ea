//! A case that closes and reopens (`docs/product.md`): `closeCase`, and a new referral or
//! behaviour bringing a closed child back.

use std::time::Duration;

use api::domain::deadlines::stored;
use chrono::Utc;
use entity::{audit_events, chronology_entries, involvements, plan_events};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::fixture::{self, Fixture, chronology_entry};
use crate::helpers::db::count_where;
use crate::helpers::plans::{active_plan, close};
use crate::helpers::{TestActor, TestApp, error_code, spawn_apps, uuid_of};
use crate::ws_client::GqlSocket;

const CLOSE_CASE: &str = "mutation($input: CloseCaseInput!) { closeCase(input: $input) {
    child { id status version involvements { role agency { code } } } } }";
const CHILD: &str = "query($id: ID!) { child(id: $id) { id status version leadAgency { code } } }";
const REFER: &str =
    "mutation($input: ReferChildInput!) { referChild(input: $input) { wasKnown child { id } } }";
const CASE_TEAM_EVENTS: &str = "subscription($after: String) {
    caseTeamEvents(after: $after) { seq kind childId child { id } } }";

/// The child's version, as its lead coordinator reads it.
async fn version_of(app: &TestApp, child: &str) -> i64 {
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            CHILD,
            json!({ "id": child }),
        )
        .await;
    data["child"]["version"].as_i64().expect("version")
}

async fn close_case_as(app: &TestApp, actor: &TestActor, child: &str, version: i64) -> Value {
    app.gql_as(
        actor,
        CLOSE_CASE,
        json!({ "input": { "childId": child, "reason": "Synthetic: work complete.", "expectedVersion": version } }),
    )
    .await
}

/// Closes the case of `child` as the CSC coordinator (its lead); returns the child.
async fn close_case(app: &TestApp, child: &str) -> Value {
    let version = version_of(app, child).await;
    let response = close_case_as(app, &TestActor::coordinator("csc"), child, version).await;
    assert!(response["errors"].is_null(), "closeCase: {response}");
    response["data"]["closeCase"]["child"].clone()
}

/// A referral of the fixture child `given` (registered born 2013-04-05) by `agency`.
async fn refer(app: &TestApp, agency: &str, given: &str) -> Value {
    app.ok_as(
        &TestActor::practitioner(agency),
        REFER,
        json!({ "input": {
            "child": { "givenName": given, "familyName": "Testchild", "dateOfBirth": "2013-04-05", "gender": "Female" },
            "reason": "Synthetic: a new concern."
        }}),
    )
    .await["referChild"]
        .clone()
}

async fn record_behaviour(app: &TestApp, child: &str) {
    let today = Utc::now().date_naive().to_string();
    app.ok_as(
        &TestActor::practitioner("csc"),
        "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated } }",
        json!({ "input": { "childId": child, "occurredOn": today, "disclosedAt": Utc::now().to_rfc3339(),
                           "setting": "HOME", "contactType": "NON_CONTACT", "description": "Synthetic.",
                           "continuum": "NORMAL", "trafficLight": "GREEN" } }),
    )
    .await;
}

async fn entries_of_kind(app: &TestApp, child: &str, kind: &str) -> u64 {
    count_where::<chronology_entries::Entity>(
        &app.db,
        Condition::all()
            .add(chronology_entries::Column::ChildId.eq(uuid_of(child)))
            .add(chronology_entries::Column::Kind.eq(kind)),
    )
    .await
}

async fn latest_seq(app: &TestApp) -> i64 {
    plan_events::Entity::find()
        .order_by_desc(plan_events::Column::Seq)
        .one(&app.db)
        .await
        .expect("outbox")
        .map_or(0, |event| event.seq)
}

async fn events_of_kind(app: &TestApp, child: &str, kind: &str) -> Vec<plan_events::Model> {
    plan_events::Entity::find()
        .filter(plan_events::Column::ChildId.eq(uuid_of(child)))
        .filter(plan_events::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .expect("events")
}

/// Alpha (CSC lead, school partner) with its plan closed: ready to close.
async fn closable_alpha(app: &TestApp, f: &Fixture) {
    let (plan, _) = active_plan(app, f, &f.alpha, &["school"]).await;
    close(app, &plan).await;
}

#[tokio::test]
async fn closing_is_refused_while_a_plan_is_open_or_an_assessment_is_in_progress() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let version = version_of(&app, &f.alpha).await;
        let refused = close_case_as(&app, &coordinator, &f.alpha, version).await;
        assert_eq!(error_code(&refused), Some("VALIDATION_FAILED"), "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "childId");
        let message = refused["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("joint plan"), "{message}");

        close(&app, &plan).await;
        let started = app
            .ok_as(
                &coordinator,
                "mutation($input: StartAssessmentInput!) { startAssessment(input: $input) { assessment { id version } } }",
                json!({ "input": { "childId": f.alpha, "frameworkCode": "CIN_AF",
                                   "leadAgencyId": f.agency_gid("csc"),
                                   "dueOn": Utc::now().date_naive().to_string() } }),
            )
            .await;
        let assessment = &started["startAssessment"]["assessment"];
        let refused = close_case_as(&app, &coordinator, &f.alpha, version).await;
        assert_eq!(error_code(&refused), Some("VALIDATION_FAILED"), "{refused}");
        let message = refused["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("assessment in progress"), "{message}");
        assert!(!message.contains("joint plan"), "{message}");

        // Completed, the assessment no longer holds the case open.
        app.ok_as(
            &coordinator,
            "mutation($input: CompleteAssessmentInput!) { completeAssessment(input: $input) { assessment { status } } }",
            json!({ "input": { "assessmentId": assessment["id"], "formulation": "Synthetic formulation.",
                               "hsbConcern": "LOW", "levelOfNeed": "LOW", "recommendedPathway": "EARLY_HELP",
                               "interventionIntensity": "LOW", "needs": [],
                               "expectedVersion": assessment["version"] } }),
        )
        .await;
        let closed = close_case_as(&app, &coordinator, &f.alpha, version).await;
        assert_eq!(
            closed["data"]["closeCase"]["child"]["status"], "CLOSED",
            "{closed}"
        );
    }
}

#[tokio::test]
async fn only_a_coordinator_of_the_lead_agency_closes_a_case_and_only_at_the_version_read() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        closable_alpha(&app, &f).await;
        let version = version_of(&app, &f.alpha).await;
        for actor in [
            TestActor::agency_lead("csc"),
            TestActor::practitioner("csc"),
            TestActor::coordinator("school"),
        ] {
            let refused = close_case_as(&app, &actor, &f.alpha, version).await;
            assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
        }
        // Off the case team, the child reads as missing.
        let refused =
            close_case_as(&app, &TestActor::coordinator("police"), &f.alpha, version).await;
        assert_eq!(error_code(&refused), Some("NOT_FOUND"), "{refused}");
        let denied = count_where::<audit_events::Entity>(
            &app.db,
            Condition::all()
                .add(audit_events::Column::Action.eq("CLOSE_CASE"))
                .add(audit_events::Column::Outcome.eq(entity::enums::AuditOutcome::Denied)),
        )
        .await;
        assert_eq!(denied, 4, "every refusal is audited");

        let stale =
            close_case_as(&app, &TestActor::coordinator("csc"), &f.alpha, version - 1).await;
        assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
        assert_eq!(
            stale["errors"][0]["extensions"]["currentVersion"],
            json!(version)
        );
        let data = app
            .ok_as(
                &TestActor::coordinator("csc"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(data["child"]["status"], "OPEN");
    }
}

#[tokio::test]
async fn closing_ends_the_team_but_the_lead_stops_the_deadlines_and_hides_the_child() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        closable_alpha(&app, &f).await;
        // A disclosure starts a clock that is still running.
        chronology_entry(
            &app,
            &TestActor::practitioner("csc"),
            &f.alpha,
            "DISCLOSURE",
            &Utc::now().to_rfc3339(),
        )
        .await;
        let before = stored::of_child(&app.db, uuid_of(&f.alpha))
            .await
            .expect("deadlines");
        assert!(before.iter().any(|d| d.met_at.is_none()), "{before:?}");

        let version = version_of(&app, &f.alpha).await;
        let child = close_case(&app, &f.alpha).await;
        assert_eq!(child["status"], "CLOSED");
        assert_eq!(child["version"], json!(version + 1));
        assert_eq!(
            child["involvements"],
            json!([{ "role": "LEAD", "agency": { "code": "csc" } }])
        );
        let school = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(uuid_of(&f.alpha)))
            .filter(involvements::Column::AgencyId.eq(f.agency("school")))
            .one(&app.db)
            .await
            .expect("read")
            .expect("school's involvement");
        assert!(school.ended_on.is_some());
        assert!(
            school
                .end_reason
                .as_deref()
                .is_some_and(|r| r.contains("Synthetic: work complete.")),
            "{school:?}"
        );
        assert_eq!(entries_of_kind(&app, &f.alpha, "CASE_CLOSED").await, 1);
        let after = stored::of_child(&app.db, uuid_of(&f.alpha))
            .await
            .expect("deadlines");
        assert!(after.iter().all(|d| d.met_at.is_some()), "{after:?}");
        let told = events_of_kind(&app, &f.alpha, "CASE_CLOSED").await;
        assert_eq!(told.len(), 1);
        assert!(told[0].audience.0.contains(&f.agency("school")));
        let allowed = count_where::<audit_events::Entity>(
            &app.db,
            Condition::all()
                .add(audit_events::Column::Action.eq("CLOSE_CASE"))
                .add(audit_events::Column::Outcome.eq(entity::enums::AuditOutcome::Allowed)),
        )
        .await;
        assert_eq!(allowed, 1);

        // The former partner no longer sees the child; the lead still does.
        let hidden = app
            .gql_as(
                &TestActor::practitioner("school"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"), "{hidden}");
        let seen = app
            .ok_as(
                &TestActor::practitioner("csc"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(seen["child"]["status"], "CLOSED");

        // Closed already: nothing more to close.
        let again =
            close_case_as(&app, &TestActor::coordinator("csc"), &f.alpha, version + 1).await;
        assert_eq!(error_code(&again), Some("VALIDATION_FAILED"), "{again}");
    }
}

#[tokio::test]
async fn a_new_referral_reopens_a_closed_case_and_tells_the_former_team_without_access() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        closable_alpha(&app, &f).await;
        close_case(&app, &f.alpha).await;
        let mut school =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        let from = latest_seq(&app).await;
        school
            .subscribe("s", CASE_TEAM_EVENTS, json!({ "after": from.to_string() }))
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;

        let referred = refer(&app, "health", "Alpha").await;
        assert_eq!(referred["wasKnown"], true);
        assert_eq!(referred["child"], Value::Null);

        let heard = school.next_data("s").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "CASE_REOPENED", "{heard}");
        assert_eq!(heard["childId"], f.alpha);
        assert_eq!(heard["child"], Value::Null, "no access from the event");
        school.close().await;
        let hidden = app
            .gql_as(
                &TestActor::practitioner("school"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"), "{hidden}");

        let reopened = app
            .ok_as(
                &TestActor::coordinator("csc"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(reopened["child"]["status"], "OPEN");
        assert_eq!(reopened["child"]["leadAgency"]["code"], "csc");
        assert_eq!(entries_of_kind(&app, &f.alpha, "CASE_REOPENED").await, 1);
        // The new referral's clocks run again.
        let deadlines = stored::of_child(&app.db, uuid_of(&f.alpha))
            .await
            .expect("deadlines");
        assert!(
            deadlines.iter().any(|d| d.met_at.is_none()),
            "{deadlines:?}"
        );
    }
}

/// The allowed `READ_CHILD` audit rows of `actor` for `child`.
async fn allowed_reads(app: &TestApp, actor: &TestActor, child: &str) -> u64 {
    count_where::<audit_events::Entity>(
        &app.db,
        Condition::all()
            .add(audit_events::Column::ActorSubject.eq(actor.sub.clone()))
            .add(audit_events::Column::Action.eq("READ_CHILD"))
            .add(audit_events::Column::ChildId.eq(uuid_of(child)))
            .add(audit_events::Column::Outcome.eq(entity::enums::AuditOutcome::Allowed)),
    )
    .await
}

/// A subscription's events are decided at their delivery: an emergency grant that ran out
/// while the socket stayed open no longer shows the child, although it was live when the
/// subscription started; each event's reads are audited.
#[tokio::test]
async fn an_event_after_a_grant_ran_out_does_not_show_the_child_through_it() {
    use sea_orm::sea_query::Expr;
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        closable_alpha(&app, &f).await;
        close_case(&app, &f.alpha).await;
        let school = TestActor::practitioner("school");
        let requested = app.ok_as(
            &school,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: safeguarding concern raised at school today." } }),
        )
        .await;
        let grant = requested["requestEmergencyAccess"]["grant"]["id"]
            .as_str()
            .map(uuid_of)
            .expect("the grant's id");
        let granted = app.ok_as(&school, CHILD, json!({ "id": f.alpha })).await;
        assert_eq!(granted["child"]["id"], f.alpha, "the grant shows the child");

        let mut socket = GqlSocket::open(&app.ws_url(), &school.token()).await;
        let from = latest_seq(&app).await;
        socket
            .subscribe("s", CASE_TEAM_EVENTS, json!({ "after": from.to_string() }))
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let reads_before = allowed_reads(&app, &school, &f.alpha).await;

        // While the grant runs, an event shows the child, and its read is audited.
        refer(&app, "health", "Alpha").await;
        let heard = socket.next_data("s").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "CASE_REOPENED", "{heard}");
        assert_eq!(
            heard["child"]["id"], f.alpha,
            "the live grant shows the child"
        );
        assert_eq!(
            allowed_reads(&app, &school, &f.alpha).await,
            reads_before + 1,
            "one audited read for the event"
        );

        // The grant runs out on the same subscription, before the next event.
        entity::access_grants::Entity::update_many()
            .col_expr(
                entity::access_grants::Column::ExpiresAt,
                Expr::value(Utc::now()),
            )
            .filter(entity::access_grants::Column::Id.eq(grant))
            .exec(&app.db)
            .await
            .expect("expire the grant");
        tokio::time::sleep(Duration::from_millis(50)).await;

        close_case(&app, &f.alpha).await;
        refer(&app, "police", "Alpha").await;
        let heard = socket.next_data("s").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "CASE_REOPENED", "{heard}");
        assert_eq!(heard["childId"], f.alpha);
        assert_eq!(
            heard["child"],
            Value::Null,
            "shown through an expired grant"
        );
        assert_eq!(
            allowed_reads(&app, &school, &f.alpha).await,
            reads_before + 1,
            "no read audited as allowed through the expired grant"
        );
        socket.close().await;
    }
}

#[tokio::test]
async fn a_new_behaviour_reopens_a_closed_case() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        closable_alpha(&app, &f).await;
        close_case(&app, &f.alpha).await;
        record_behaviour(&app, &f.alpha).await;
        let reopened = app
            .ok_as(
                &TestActor::coordinator("csc"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(reopened["child"]["status"], "OPEN");
        assert_eq!(reopened["child"]["leadAgency"]["code"], "csc");
        assert_eq!(entries_of_kind(&app, &f.alpha, "CASE_REOPENED").await, 1);
        let told = events_of_kind(&app, &f.alpha, "CASE_REOPENED").await;
        assert_eq!(told.len(), 1);
        assert!(told[0].audience.0.contains(&f.agency("school")));
        // Reopening again needs another closing: a second behaviour changes nothing.
        record_behaviour(&app, &f.alpha).await;
        assert_eq!(entries_of_kind(&app, &f.alpha, "CASE_REOPENED").await, 1);
    }
}

const RECURRENCE: &str = "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) {
    recurrence { plansClosed { value suppressed } followedByNewBehaviour { value suppressed } } } }";

async fn recurrence(app: &TestApp) -> Value {
    let to = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    app.ok_as(
        &TestActor::analyst("partnership"),
        RECURRENCE,
        json!({ "from": "2026-01-01T00:00:00Z", "to": to }),
    )
    .await["strategicReport"]["recurrence"]
        .clone()
}

#[tokio::test]
async fn a_reopened_case_counts_as_a_recurrence_in_the_strategic_report() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        // Five, so that the figures are not suppressed.
        let names = ["Recura", "Recurb", "Recurc", "Recurd", "Recure"];
        let mut kids = Vec::new();
        for name in names {
            let kid = fixture::register(&app, name).await;
            let (plan, _) = active_plan(&app, &f, &kid, &[]).await;
            close(&app, &plan).await;
            close_case(&app, &kid).await;
            kids.push(kid);
        }
        assert_eq!(
            recurrence(&app).await,
            json!({ "plansClosed": { "value": 5, "suppressed": false },
                    "followedByNewBehaviour": { "value": 0, "suppressed": false } })
        );
        // Reopened by referrals alone: no new behaviour, yet each is a recurrence.
        for name in names {
            refer(&app, "school", name).await;
        }
        assert_eq!(
            recurrence(&app).await,
            json!({ "plansClosed": { "value": 5, "suppressed": false },
                    "followedByNewBehaviour": { "value": 5, "suppressed": false } })
        );
        assert_eq!(kids.len(), 5);
    }
}

#[tokio::test]
async fn a_reopened_case_gets_its_last_lead_agency_back_when_its_involvement_had_ended() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        closable_alpha(&app, &f).await;
        close_case(&app, &f.alpha).await;
        // However it came about, a closed case whose lead involvement has ended.
        involvements::Entity::update_many()
            .set(involvements::ActiveModel {
                ended_on: sea_orm::ActiveValue::Set(Some(Utc::now().date_naive())),
                ..Default::default()
            })
            .filter(involvements::Column::ChildId.eq(uuid_of(&f.alpha)))
            .exec(&app.db)
            .await
            .expect("end the lead");
        let hidden = app
            .gql_as(
                &TestActor::coordinator("csc"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"), "{hidden}");

        refer(&app, "health", "Alpha").await;
        let reopened = app
            .ok_as(
                &TestActor::coordinator("csc"),
                CHILD,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(reopened["child"]["status"], "OPEN");
        assert_eq!(reopened["child"]["leadAgency"]["code"], "csc");
        let leads = count_where::<involvements::Entity>(
            &app.db,
            Condition::all()
                .add(involvements::Column::ChildId.eq(uuid_of(&f.alpha)))
                .add(involvements::Column::Role.eq(entity::enums::InvolvementRole::Lead)),
        )
        .await;
        assert_eq!(leads, 2, "a new lead involvement, the old one kept");
    }
}
