//! The consultation rule (DESIGN §4.3): actions with implications for the other sector
//! wait for it to agree, or for the lead coordinator to override with a reason.

use entity::enums::{ActionStatus, ConsultationStatus};
use entity::{consultations, plan_actions};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestActor, TestApp, error_code, global_id, spawn_apps, uuid_of};
use crate::plans::{
    SharedPlan, action_row, add_action, add_member, agency_codes, audited, case_roles, close,
    create_plan, denials, events, move_action, non_case_roles, refusal, shared_plan,
};

const RESPOND: &str = "mutation($input: RespondToConsultationInput!) {
    respondToConsultation(input: $input) { consultation {
        id status responseNote respondedBy respondedAt overrideReason overriddenBy overriddenAt
        version agency { code } action { id status } } } }";
const OVERRIDE: &str = "mutation($input: OverrideConsultationInput!) {
    overrideConsultation(input: $input) { consultation {
        id status responseNote respondedBy respondedAt overrideReason overriddenBy overriddenAt
        version agency { code } action { id status } } } }";

/// The shared plan with YJS on it too: two justice members and two welfare ones.
async fn plan_with_both_sectors(app: &TestApp) -> SharedPlan {
    let shared = shared_plan(app).await;
    add_member(app, &shared.fixture, &shared.plan, "yjs").await;
    shared
}

/// The id of the consultation of agency `code` in an action.
fn consultation_for(action: &Value, code: &str) -> String {
    action["consultations"]
        .as_array()
        .expect("consultations")
        .iter()
        .find(|c| c["agency"]["code"] == code)
        .unwrap_or_else(|| panic!("{code} is not consulted: {action}"))["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

async fn consultation_row(app: &TestApp, id: &str) -> consultations::Model {
    consultations::Entity::find_by_id(uuid_of(id))
        .one(&app.db)
        .await
        .expect("query")
        .expect("consultation row")
}

/// Answers at the consultation's current version.
async fn respond(
    app: &TestApp,
    actor: &TestActor,
    consultation: &str,
    response: &str,
    note: Option<&str>,
) -> Value {
    let version = consultation_row(app, consultation).await.version;
    app.gql_as(
        actor,
        RESPOND,
        json!({ "input": {
            "consultationId": consultation, "response": response, "note": note,
            "expectedVersion": version
        }}),
    )
    .await
}

/// Overrides at the consultation's current version.
async fn override_consultation(
    app: &TestApp,
    actor: &TestActor,
    consultation: &str,
    reason: &str,
) -> Value {
    let version = consultation_row(app, consultation).await.version;
    app.gql_as(
        actor,
        OVERRIDE,
        json!({ "input": { "consultationId": consultation, "reason": reason, "expectedVersion": version } }),
    )
    .await
}

/// A police charging decision on the shared plan: CSC and school are consulted.
async fn charging_decision(app: &TestApp, shared: &SharedPlan) -> Value {
    add_action(
        app,
        &TestActor::practitioner("police"),
        &shared.plan,
        &shared.fixture.agency_gid("police"),
        "CHARGING_DECISION",
        &[],
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Opening consultations

#[tokio::test]
async fn a_justice_action_for_police_consults_each_welfare_member_and_not_the_police() {
    for app in spawn_apps().await {
        let shared = plan_with_both_sectors(&app).await;
        let fixture = &shared.fixture;
        for kind in [
            "CHARGING_DECISION",
            "POLICE_INVESTIGATION_STEP",
            "COURT_PROCEEDING",
        ] {
            let action = add_action(
                &app,
                &TestActor::practitioner("police"),
                &shared.plan,
                &fixture.agency_gid("police"),
                kind,
                &[],
            )
            .await;
            assert_eq!(
                action["status"], "AWAITING_CONSULTATION",
                "{kind}: {action}"
            );
            // YJS is of the police's own sector: not consulted.
            assert_eq!(
                agency_codes(&action["consultations"]),
                ["csc", "school"],
                "{kind}"
            );
            for consultation in action["consultations"].as_array().expect("list") {
                assert_eq!(consultation["status"], "REQUESTED");
                assert_eq!(consultation["version"], 1);
            }

            let id = id_of(&action);
            assert_eq!(
                action_row(&app, &id).await.status,
                ActionStatus::AwaitingConsultation
            );
            let rows = consultations::Entity::find()
                .filter(consultations::Column::ActionId.eq(uuid_of(&id)))
                .all(&app.db)
                .await
                .expect("query");
            let mut agencies: Vec<Uuid> = rows.iter().map(|c| c.agency_id).collect();
            agencies.sort();
            let mut expected = vec![fixture.agency("csc"), fixture.agency("school")];
            expected.sort();
            assert_eq!(agencies, expected, "{kind}");
            assert!(
                rows.iter()
                    .all(|c| c.status == ConsultationStatus::Requested && c.responded_by.is_none())
            );
        }
        // Each consulted agency is told, by name, in the outbox.
        let requested = events(&app, &shared.plan, "CONSULTATION_REQUESTED").await;
        assert_eq!(requested.len(), 6);
        for event in &requested {
            assert_eq!(event.audience.0.len(), 1, "{event:?}");
            assert!(
                [fixture.agency("csc"), fixture.agency("school")].contains(&event.audience.0[0]),
                "{event:?}"
            );
        }
    }
}

#[tokio::test]
async fn placement_and_education_changes_consult_each_justice_member() {
    for app in spawn_apps().await {
        let shared = plan_with_both_sectors(&app).await;
        let fixture = &shared.fixture;
        let placement = add_action(
            &app,
            &TestActor::coordinator("csc"),
            &shared.plan,
            &fixture.agency_gid("csc"),
            "PLACEMENT_CHANGE",
            &[],
        )
        .await;
        assert_eq!(placement["status"], "AWAITING_CONSULTATION");
        assert_eq!(agency_codes(&placement["consultations"]), ["police", "yjs"]);
        let education = add_action(
            &app,
            &TestActor::practitioner("school"),
            &shared.plan,
            &fixture.agency_gid("school"),
            "EDUCATION_CHANGE",
            &[],
        )
        .await;
        assert_eq!(education["status"], "AWAITING_CONSULTATION");
        assert_eq!(agency_codes(&education["consultations"]), ["police", "yjs"]);
        assert_eq!(
            consultations::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            4
        );

        // The other kinds concern no other sector.
        for kind in [
            "ASSESSMENT",
            "INTERVENTION",
            "SAFETY_PLAN",
            "THERAPEUTIC_SUPPORT",
            "OTHER",
        ] {
            let action = add_action(
                &app,
                &TestActor::practitioner("school"),
                &shared.plan,
                &fixture.agency_gid("school"),
                kind,
                &[],
            )
            .await;
            assert_eq!(action["status"], "PROPOSED", "{kind}");
            assert_eq!(action["consultations"], json!([]), "{kind}");
        }
        assert_eq!(
            consultations::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            4
        );
    }
}

#[tokio::test]
async fn a_placement_change_on_a_plan_without_justice_members_needs_no_consultation() {
    for app in spawn_apps().await {
        let fixture = crate::fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.charlie).await;
        let action = add_action(
            &app,
            &TestActor::coordinator("csc"),
            &plan,
            &fixture.agency_gid("csc"),
            "PLACEMENT_CHANGE",
            &[],
        )
        .await;
        assert_eq!(action["status"], "PROPOSED");
        assert_eq!(action["consultations"], json!([]));
        assert_eq!(
            consultations::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

#[tokio::test]
async fn the_consult_list_adds_member_agencies_to_those_the_rule_names() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let fixture = &shared.fixture;
        add_member(&app, fixture, &shared.plan, "camhs").await;

        // An action the rule leaves alone, with CAMHS asked anyway.
        let assessment = add_action(
            &app,
            &TestActor::practitioner("school"),
            &shared.plan,
            &fixture.agency_gid("school"),
            "ASSESSMENT",
            &[fixture.agency_gid("camhs")],
        )
        .await;
        assert_eq!(assessment["status"], "AWAITING_CONSULTATION");
        assert_eq!(agency_codes(&assessment["consultations"]), ["camhs"]);

        // Added to the rule's list, once each, never the assigned agency itself.
        let charging = add_action(
            &app,
            &TestActor::practitioner("police"),
            &shared.plan,
            &fixture.agency_gid("police"),
            "CHARGING_DECISION",
            &[
                fixture.agency_gid("police"),
                fixture.agency_gid("csc"),
                fixture.agency_gid("camhs"),
                fixture.agency_gid("camhs"),
            ],
        )
        .await;
        assert_eq!(
            agency_codes(&charging["consultations"]),
            ["camhs", "csc", "school"]
        );
        let rows = consultations::Entity::find()
            .filter(consultations::Column::ActionId.eq(uuid_of(&id_of(&charging))))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(rows, 3);

        // Naming only oneself consults nobody.
        let own = add_action(
            &app,
            &TestActor::practitioner("school"),
            &shared.plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[fixture.agency_gid("school")],
        )
        .await;
        assert_eq!(own["status"], "PROPOSED");
        assert_eq!(own["consultations"], json!([]));
    }
}

// ---------------------------------------------------------------------------------------
// Answering, starting, objecting, overriding

#[tokio::test]
async fn an_action_cannot_start_until_every_consultation_is_agreed_or_overridden() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let action_id = id_of(&action);
        let police = TestActor::practitioner("police");

        for (actor, status) in [
            (&police, "IN_PROGRESS"),
            (&police, "AGREED"),
            // Not even the lead coordinator can skip it.
            (&TestActor::coordinator("csc"), "IN_PROGRESS"),
        ] {
            let response = move_action(&app, actor, &action_id, status).await;
            assert_eq!(
                error_code(&response),
                Some("CONSULTATION_REQUIRED"),
                "{actor:?} to {status}: {response}"
            );
        }
        let row = action_row(&app, &action_id).await;
        assert_eq!(row.status, ActionStatus::AwaitingConsultation);
        assert_eq!(row.version, 1);

        // CSC agrees: school is still awaited.
        let csc_lead = TestActor::agency_lead("csc");
        let csc_consultation = consultation_for(&action, "csc");
        let response = respond(&app, &csc_lead, &csc_consultation, "AGREED", None).await;
        let answered = &response["data"]["respondToConsultation"]["consultation"];
        assert_eq!(answered["status"], "AGREED", "{response}");
        assert_eq!(answered["responseNote"], Value::Null);
        assert_eq!(answered["respondedBy"], csc_lead.sub);
        assert!(answered["respondedAt"].is_string());
        assert_eq!(answered["overrideReason"], Value::Null);
        assert_eq!(answered["version"], 2);
        assert_eq!(answered["agency"]["code"], "csc");
        assert_eq!(
            answered["action"],
            json!({ "id": action_id, "status": "AWAITING_CONSULTATION" })
        );
        let stored = consultation_row(&app, &csc_consultation).await;
        assert_eq!(stored.status, ConsultationStatus::Agreed);
        assert_eq!(stored.responded_by.as_deref(), Some(csc_lead.sub.as_str()));
        assert!(stored.responded_at.is_some());
        assert_eq!(stored.version, 2);
        assert_eq!(
            audited(&app, "RESPOND_TO_CONSULTATION", stored.id)
                .await
                .len(),
            1
        );
        assert_eq!(
            events(&app, &shared.plan, "CONSULTATION_ANSWERED")
                .await
                .len(),
            1
        );
        let response = move_action(&app, &police, &action_id, "IN_PROGRESS").await;
        assert_eq!(
            error_code(&response),
            Some("CONSULTATION_REQUIRED"),
            "{response}"
        );

        // The school's coordinator agrees too: the action is agreed by itself.
        let response = respond(
            &app,
            &TestActor::coordinator("school"),
            &consultation_for(&action, "school"),
            "AGREED",
            Some("  No concerns for school  "),
        )
        .await;
        let answered = &response["data"]["respondToConsultation"]["consultation"];
        assert_eq!(
            answered["responseNote"], "No concerns for school",
            "{response}"
        );
        assert_eq!(
            answered["action"],
            json!({ "id": action_id, "status": "AGREED" })
        );
        let row = action_row(&app, &action_id).await;
        assert_eq!(row.status, ActionStatus::Agreed);
        assert_eq!(row.version, 2);
        let changed = events(&app, &shared.plan, "ACTION_STATUS_CHANGED").await;
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].payload["from"], "AWAITING_CONSULTATION");
        assert_eq!(changed[0].payload["to"], "AGREED");

        // And now it can start.
        let response = move_action(&app, &police, &action_id, "IN_PROGRESS").await;
        assert_eq!(
            response["data"]["updatePlanActionStatus"]["action"],
            json!({ "id": action_id, "status": "IN_PROGRESS", "version": 3 }),
            "{response}"
        );
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::InProgress
        );
    }
}

#[tokio::test]
async fn an_objection_blocks_the_action_until_the_lead_coordinator_overrides_it_with_a_reason() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let action_id = id_of(&action);
        let school_consultation = consultation_for(&action, "school");
        let police = TestActor::practitioner("police");

        let school_lead = TestActor::agency_lead("school");
        let response = respond(
            &app,
            &school_lead,
            &school_consultation,
            "OBJECTED",
            Some("The child sits exams next week"),
        )
        .await;
        let objected = &response["data"]["respondToConsultation"]["consultation"];
        assert_eq!(objected["status"], "OBJECTED", "{response}");
        assert_eq!(objected["responseNote"], "The child sits exams next week");
        assert_eq!(objected["respondedBy"], school_lead.sub);
        assert_eq!(
            objected["action"],
            json!({ "id": action_id, "status": "BLOCKED" })
        );
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::Blocked
        );
        let response = move_action(&app, &police, &action_id, "IN_PROGRESS").await;
        assert_eq!(
            error_code(&response),
            Some("CONSULTATION_REQUIRED"),
            "{response}"
        );

        // Another agreement does not lift the block.
        respond(
            &app,
            &TestActor::agency_lead("csc"),
            &consultation_for(&action, "csc"),
            "AGREED",
            None,
        )
        .await;
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::Blocked
        );

        // The lead coordinator overrides, with a reason.
        let coordinator = TestActor::coordinator("csc");
        let response = override_consultation(
            &app,
            &coordinator,
            &school_consultation,
            "  Risk to other children cannot wait  ",
        )
        .await;
        let overridden = &response["data"]["overrideConsultation"]["consultation"];
        assert_eq!(overridden["status"], "OVERRIDDEN", "{response}");
        assert_eq!(
            overridden["overrideReason"],
            "Risk to other children cannot wait"
        );
        assert_eq!(overridden["overriddenBy"], coordinator.sub);
        assert!(overridden["overriddenAt"].is_string());
        // The objection stays on the record.
        assert_eq!(overridden["responseNote"], "The child sits exams next week");
        assert_eq!(overridden["respondedBy"], school_lead.sub);
        assert_eq!(overridden["version"], 3);
        assert_eq!(
            overridden["action"],
            json!({ "id": action_id, "status": "AGREED" })
        );

        let stored = consultation_row(&app, &school_consultation).await;
        assert_eq!(stored.status, ConsultationStatus::Overridden);
        assert_eq!(
            stored.override_reason.as_deref(),
            Some("Risk to other children cannot wait")
        );
        assert_eq!(
            stored.overridden_by.as_deref(),
            Some(coordinator.sub.as_str())
        );
        let audit = audited(&app, "OVERRIDE_CONSULTATION", stored.id).await;
        assert_eq!(audit.len(), 1);
        assert_eq!(
            audit[0].reason.as_deref(),
            Some("Risk to other children cannot wait")
        );
        let emitted = events(&app, &shared.plan, "CONSULTATION_OVERRIDDEN").await;
        assert_eq!(emitted.len(), 1);
        assert_eq!(emitted[0].audience.0, [shared.fixture.agency("school")]);
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::Agreed
        );

        // Now it can start.
        let response = move_action(&app, &police, &action_id, "IN_PROGRESS").await;
        assert_eq!(
            response["data"]["updatePlanActionStatus"]["action"]["status"], "IN_PROGRESS",
            "{response}"
        );
    }
}

#[tokio::test]
async fn overriding_one_objection_while_another_consultation_is_open_keeps_the_action_waiting() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let action_id = id_of(&action);
        let coordinator = TestActor::coordinator("csc");
        respond(
            &app,
            &TestActor::agency_lead("school"),
            &consultation_for(&action, "school"),
            "OBJECTED",
            Some("Not now"),
        )
        .await;
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::Blocked
        );
        let response = override_consultation(
            &app,
            &coordinator,
            &consultation_for(&action, "school"),
            "Cannot wait",
        )
        .await;
        assert_eq!(
            response["data"]["overrideConsultation"]["consultation"]["action"]["status"],
            "AWAITING_CONSULTATION",
            "{response}"
        );
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::AwaitingConsultation
        );
        let response = move_action(
            &app,
            &TestActor::practitioner("police"),
            &action_id,
            "IN_PROGRESS",
        )
        .await;
        assert_eq!(
            error_code(&response),
            Some("CONSULTATION_REQUIRED"),
            "{response}"
        );

        // An unanswered consultation may be overridden too; then all are settled.
        let response = override_consultation(
            &app,
            &coordinator,
            &consultation_for(&action, "csc"),
            "Agreed at the strategy meeting",
        )
        .await;
        assert_eq!(
            response["data"]["overrideConsultation"]["consultation"]["status"], "OVERRIDDEN",
            "{response}"
        );
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::Agreed
        );
    }
}

#[tokio::test]
async fn only_an_agency_lead_or_coordinator_of_the_consulted_agency_may_answer() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let consultation = consultation_for(&action, "school");
        let before = consultation_row(&app, &consultation).await;
        let mut cases = vec![
            (TestActor::practitioner("school"), "FORBIDDEN"),
            // Members of the plan, but not the consulted agency.
            (TestActor::coordinator("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("police"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            // Not members: the consultation is not there for them.
            (TestActor::agency_lead("camhs"), "NOT_FOUND"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
        ];
        for actor in non_case_roles("school") {
            cases.push((actor, "NOT_FOUND"));
        }
        for (actor, code) in cases {
            let denied = denials(&app, &actor).await;
            let response = respond(&app, &actor, &consultation, "AGREED", None).await;
            assert_eq!(
                error_code(&response),
                Some(code),
                "{actor:?} on {:?}: {response}",
                app.backend
            );
            assert_eq!(denials(&app, &actor).await, denied + 1, "{actor:?}");
        }
        assert_eq!(consultation_row(&app, &consultation).await, before);
        assert_eq!(
            action_row(&app, &id_of(&action)).await.status,
            ActionStatus::AwaitingConsultation
        );

        let response = respond(
            &app,
            &TestActor::agency_lead("school"),
            &consultation,
            "AGREED",
            None,
        )
        .await;
        assert_eq!(
            response["data"]["respondToConsultation"]["consultation"]["status"], "AGREED",
            "{response}"
        );
    }
}

#[tokio::test]
async fn bad_answers_are_refused_naming_the_field() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let consultation = consultation_for(&action, "school");
        let lead = TestActor::agency_lead("school");
        let long = "x".repeat(5001);
        let cases = [
            // An objection says why.
            (json!({ "response": "OBJECTED" }), "note"),
            (json!({ "response": "OBJECTED", "note": "   " }), "note"),
            (json!({ "note": long }), "note"),
            (json!({ "consultationId": "garbage" }), "consultationId"),
            (
                json!({ "consultationId": id_of(&action) }),
                "consultationId",
            ),
        ];
        for (change, field) in cases {
            let mut input = json!({
                "consultationId": consultation, "response": "AGREED", "expectedVersion": 1
            });
            for (key, value) in change.as_object().expect("object") {
                input[key] = value.clone();
            }
            let response = app.gql_as(&lead, RESPOND, json!({ "input": input })).await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some(field)),
                "{input}: {response}"
            );
        }
        let row = consultation_row(&app, &consultation).await;
        assert_eq!(row.status, ConsultationStatus::Requested);
        assert_eq!(row.version, 1);
        assert_eq!(row.responded_by, None);

        let response = app
            .gql_as(
                &lead,
                RESPOND,
                json!({ "input": {
                    "consultationId": global_id("Consultation", Uuid::now_v7()),
                    "response": "AGREED", "expectedVersion": 1
                }}),
            )
            .await;
        assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");

        // An answer is given once.
        respond(&app, &lead, &consultation, "AGREED", None).await;
        let again = respond(
            &app,
            &lead,
            &consultation,
            "OBJECTED",
            Some("Changed our mind"),
        )
        .await;
        assert_eq!(
            refusal(&again),
            (Some("VALIDATION_FAILED"), Some("consultationId")),
            "{again}"
        );
        let row = consultation_row(&app, &consultation).await;
        assert_eq!(row.status, ConsultationStatus::Agreed);
        assert_eq!(row.version, 2);
    }
}

#[tokio::test]
async fn only_a_coordinator_of_the_lead_agency_may_override() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let consultation = consultation_for(&action, "school");
        respond(
            &app,
            &TestActor::agency_lead("school"),
            &consultation,
            "OBJECTED",
            Some("Not now"),
        )
        .await;
        let before = consultation_row(&app, &consultation).await;
        let mut cases = vec![
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            (TestActor::coordinator("school"), "FORBIDDEN"),
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
        ];
        for actor in non_case_roles("csc") {
            cases.push((actor, "NOT_FOUND"));
        }
        for (actor, code) in cases {
            let denied = denials(&app, &actor).await;
            let response =
                override_consultation(&app, &actor, &consultation, "Overriding anyway").await;
            assert_eq!(
                error_code(&response),
                Some(code),
                "{actor:?} on {:?}: {response}",
                app.backend
            );
            assert_eq!(denials(&app, &actor).await, denied + 1, "{actor:?}");
        }
        assert_eq!(consultation_row(&app, &consultation).await, before);
        assert_eq!(
            action_row(&app, &id_of(&action)).await.status,
            ActionStatus::Blocked
        );
        assert_eq!(
            events(&app, &shared.plan, "CONSULTATION_OVERRIDDEN")
                .await
                .len(),
            0
        );
    }
}

#[tokio::test]
async fn bad_overrides_are_refused_naming_the_field() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let school = consultation_for(&action, "school");
        let coordinator = TestActor::coordinator("csc");
        let long = "x".repeat(5001);
        let cases = [
            (json!({ "reason": "   " }), "reason"),
            (json!({ "reason": long }), "reason"),
            (json!({ "consultationId": "garbage" }), "consultationId"),
            (json!({ "consultationId": shared.plan }), "consultationId"),
        ];
        for (change, field) in cases {
            let mut input =
                json!({ "consultationId": school, "reason": "Cannot wait", "expectedVersion": 1 });
            for (key, value) in change.as_object().expect("object") {
                input[key] = value.clone();
            }
            let response = app
                .gql_as(&coordinator, OVERRIDE, json!({ "input": input }))
                .await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some(field)),
                "{change}: {response}"
            );
        }
        let row = consultation_row(&app, &school).await;
        assert_eq!(row.status, ConsultationStatus::Requested);
        assert_eq!(row.version, 1);

        let response = app
            .gql_as(
                &coordinator,
                OVERRIDE,
                json!({ "input": {
                    "consultationId": global_id("Consultation", Uuid::now_v7()),
                    "reason": "Cannot wait", "expectedVersion": 1
                }}),
            )
            .await;
        assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");

        // An agreed consultation has nothing to override, nor has an overridden one.
        let csc = consultation_for(&action, "csc");
        respond(&app, &TestActor::agency_lead("csc"), &csc, "AGREED", None).await;
        let response = override_consultation(&app, &coordinator, &csc, "Cannot wait").await;
        assert_eq!(
            refusal(&response),
            (Some("VALIDATION_FAILED"), Some("consultationId")),
            "{response}"
        );
        override_consultation(&app, &coordinator, &school, "Cannot wait").await;
        let response = override_consultation(&app, &coordinator, &school, "Again").await;
        assert_eq!(
            refusal(&response),
            (Some("VALIDATION_FAILED"), Some("consultationId")),
            "{response}"
        );
        let row = consultation_row(&app, &school).await;
        assert_eq!(row.override_reason.as_deref(), Some("Cannot wait"));
        assert_eq!(row.version, 2);
    }
}

#[tokio::test]
async fn a_stale_consultation_version_is_a_conflict_that_carries_the_current_one_and_changes_nothing()
 {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let consultation = consultation_for(&action, "school");
        let lead = TestActor::agency_lead("school");
        let coordinator = TestActor::coordinator("csc");
        let conflict = |response: &Value, current: i32| {
            assert_eq!(error_code(response), Some("CONFLICT"), "{response}");
            assert_eq!(
                response["errors"][0]["extensions"]["currentVersion"], current,
                "{response}"
            );
        };

        let response = app
            .gql_as(
                &lead,
                RESPOND,
                json!({ "input": { "consultationId": consultation, "response": "AGREED", "expectedVersion": 2 } }),
            )
            .await;
        conflict(&response, 1);
        assert_eq!(
            consultation_row(&app, &consultation).await.status,
            ConsultationStatus::Requested
        );

        respond(&app, &lead, &consultation, "OBJECTED", Some("Not now")).await;
        let before = consultation_row(&app, &consultation).await;
        assert_eq!(before.version, 2);
        let response = app
            .gql_as(
                &coordinator,
                OVERRIDE,
                json!({ "input": { "consultationId": consultation, "reason": "Cannot wait", "expectedVersion": 1 } }),
            )
            .await;
        conflict(&response, 2);
        let response = app
            .gql_as(
                &lead,
                RESPOND,
                json!({ "input": { "consultationId": consultation, "response": "AGREED", "expectedVersion": 1 } }),
            )
            .await;
        conflict(&response, 2);
        assert_eq!(consultation_row(&app, &consultation).await, before);
        assert_eq!(
            action_row(&app, &id_of(&action)).await.status,
            ActionStatus::Blocked
        );
    }
}

// ---------------------------------------------------------------------------------------
// myConsultations

const MINE: &str = "{ myConsultations { id status agency { code } action { id } } }";
const MINE_AGREED: &str =
    "{ myConsultations(status: AGREED) { id status agency { code } action { id } } }";

fn ids_in(response: &Value) -> Vec<String> {
    let mut ids: Vec<String> = response["data"]["myConsultations"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {response}"))
        .iter()
        .map(id_of)
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn my_consultations_lists_only_those_awaiting_the_callers_agency() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let fixture = &shared.fixture;
        let first = charging_decision(&app, &shared).await;
        let second = add_action(
            &app,
            &TestActor::practitioner("police"),
            &shared.plan,
            &fixture.agency_gid("police"),
            "POLICE_INVESTIGATION_STEP",
            &[],
        )
        .await;
        respond(
            &app,
            &TestActor::agency_lead("school"),
            &consultation_for(&second, "school"),
            "AGREED",
            None,
        )
        .await;
        // Bravo's plan has CSC and police only: school is never asked there.
        let bravo = create_plan(&app, &fixture.bravo).await;
        add_member(&app, fixture, &bravo, "police").await;
        let third = add_action(
            &app,
            &TestActor::practitioner("police"),
            &bravo,
            &fixture.agency_gid("police"),
            "CHARGING_DECISION",
            &[],
        )
        .await;

        for actor in case_roles("school") {
            let response = app.gql_as(&actor, MINE, json!({})).await;
            assert_eq!(
                ids_in(&response),
                [consultation_for(&first, "school")],
                "{actor:?}: {response}"
            );
            let listed = &response["data"]["myConsultations"][0];
            assert_eq!(listed["status"], "REQUESTED");
            assert_eq!(listed["agency"]["code"], "school");
            assert_eq!(listed["action"]["id"], first["id"]);

            let response = app.gql_as(&actor, MINE_AGREED, json!({})).await;
            assert_eq!(
                ids_in(&response),
                [consultation_for(&second, "school")],
                "{actor:?}: {response}"
            );
        }
        for actor in case_roles("csc") {
            let response = app.gql_as(&actor, MINE, json!({})).await;
            assert_eq!(
                ids_in(&response),
                sorted(vec![
                    consultation_for(&first, "csc"),
                    consultation_for(&second, "csc"),
                    consultation_for(&third, "csc"),
                ]),
                "{actor:?}: {response}"
            );
        }
        // The police are consulted on nothing; CAMHS and YJS are on no plan.
        for agency in ["police", "camhs", "yjs"] {
            for actor in case_roles(agency) {
                let response = app.gql_as(&actor, MINE, json!({})).await;
                assert_eq!(
                    response,
                    json!({ "data": { "myConsultations": [] } }),
                    "{actor:?}"
                );
            }
        }
        for actor in non_case_roles("school") {
            let response = app.gql_as(&actor, MINE, json!({})).await;
            assert_eq!(
                error_code(&response),
                Some("FORBIDDEN"),
                "{actor:?}: {response}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Closed plans

#[tokio::test]
async fn a_consultation_on_a_closed_plan_can_no_longer_be_answered_or_overridden() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let school = consultation_for(&action, "school");
        let csc = consultation_for(&action, "csc");
        close(&app, &shared.plan).await;
        let before_school = consultation_row(&app, &school).await;
        let before_csc = consultation_row(&app, &csc).await;
        let before_action = action_row(&app, &id_of(&action)).await;

        let answered = respond(
            &app,
            &TestActor::agency_lead("school"),
            &school,
            "OBJECTED",
            Some("Too late"),
        )
        .await;
        assert_eq!(
            refusal(&answered),
            (Some("VALIDATION_FAILED"), Some("consultationId")),
            "{answered}"
        );
        let overridden =
            override_consultation(&app, &TestActor::coordinator("csc"), &csc, "Cannot wait").await;
        assert_eq!(
            refusal(&overridden),
            (Some("VALIDATION_FAILED"), Some("consultationId")),
            "{overridden}"
        );
        assert_eq!(consultation_row(&app, &school).await, before_school);
        assert_eq!(consultation_row(&app, &csc).await, before_csc);
        assert_eq!(action_row(&app, &id_of(&action)).await, before_action);
        assert_eq!(
            plan_actions::Entity::find()
                .filter(plan_actions::Column::Status.ne(ActionStatus::AwaitingConsultation))
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

#[tokio::test]
async fn the_consultations_of_a_closed_plan_no_longer_await_anyone() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        charging_decision(&app, &shared).await;
        let school = TestActor::agency_lead("school");
        let response = app.gql_as(&school, MINE, json!({})).await;
        assert_eq!(ids_in(&response).len(), 1, "{response}");
        close(&app, &shared.plan).await;
        let response = app.gql_as(&school, MINE, json!({})).await;
        assert_eq!(
            response,
            json!({ "data": { "myConsultations": [] } }),
            "a closed plan asks nothing of anyone"
        );
    }
}
