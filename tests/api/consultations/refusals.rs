//! What is refused around consultations: answers and overrides by the wrong people, bad
//! input, stale versions, and anything on a closed plan.

use entity::enums::{ActionStatus, ConsultationStatus};
use entity::plan_actions;
use sea_orm::ColumnTrait;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::db::count_where;
use crate::helpers::plans::{
    OVERRIDE, RESPOND, action_row, charging_decision, close, consultation_for, consultation_row,
    events, override_consultation, respond, shared_plan,
};
use crate::helpers::refusals::{
    Audit, Refusal, assert_conflict, assert_refused, by_each, changed, refusal,
};
use crate::helpers::{TestActor, global_id, id_of, spawn_apps};

#[tokio::test]
async fn only_an_agency_lead_or_coordinator_of_the_consulted_agency_may_answer() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let consultation = consultation_for(&action, "school");
        let before = consultation_row(&app, &consultation).await;
        let mut actors = vec![
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
        actors.extend(TestActor::non_case_roles("school").map(|actor| (actor, "NOT_FOUND")));
        // At the consultation's current version, which no refusal changes.
        let answer = json!({ "input": {
            "consultationId": consultation, "response": "AGREED", "note": null,
            "expectedVersion": before.version
        }});
        assert_refused(&app, Audit::Denied, by_each(RESPOND, &answer, actors)).await;
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
        let base = json!({
            "consultationId": consultation, "response": "AGREED", "expectedVersion": 1
        });
        assert_refused(
            &app,
            Audit::Unchecked,
            cases.iter().map(|(change, field)| {
                let input = json!({ "input": changed(&base, change) });
                Refusal::invalid(lead.clone(), RESPOND, input, field)
            }),
        )
        .await;
        let row = consultation_row(&app, &consultation).await;
        assert_eq!(row.status, ConsultationStatus::Requested);
        assert_eq!(row.version, 1);
        assert_eq!(row.responded_by, None);

        let missing = json!({ "consultationId": global_id("Consultation", Uuid::now_v7()) });
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::new(
                lead.clone(),
                RESPOND,
                json!({ "input": changed(&base, &missing) }),
                "NOT_FOUND",
            )],
        )
        .await;

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
        let mut actors = vec![
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            (TestActor::coordinator("school"), "FORBIDDEN"),
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
        ];
        actors.extend(TestActor::non_case_roles("csc").map(|actor| (actor, "NOT_FOUND")));
        // At the consultation's current version, which no refusal changes.
        let overriding = json!({ "input": {
            "consultationId": consultation, "reason": "Overriding anyway",
            "expectedVersion": before.version
        }});
        assert_refused(&app, Audit::Denied, by_each(OVERRIDE, &overriding, actors)).await;
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
        let base =
            json!({ "consultationId": school, "reason": "Cannot wait", "expectedVersion": 1 });
        assert_refused(
            &app,
            Audit::Unchecked,
            cases.iter().map(|(change, field)| {
                let input = json!({ "input": changed(&base, change) });
                Refusal::invalid(coordinator.clone(), OVERRIDE, input, field)
            }),
        )
        .await;
        let row = consultation_row(&app, &school).await;
        assert_eq!(row.status, ConsultationStatus::Requested);
        assert_eq!(row.version, 1);

        let missing = json!({ "consultationId": global_id("Consultation", Uuid::now_v7()) });
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::new(
                coordinator.clone(),
                OVERRIDE,
                json!({ "input": changed(&base, &missing) }),
                "NOT_FOUND",
            )],
        )
        .await;

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
        let response = app
            .gql_as(
                &lead,
                RESPOND,
                json!({ "input": { "consultationId": consultation, "response": "AGREED", "expectedVersion": 2 } }),
            )
            .await;
        assert_conflict(&response, 1);
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
        assert_conflict(&response, 2);
        let response = app
            .gql_as(
                &lead,
                RESPOND,
                json!({ "input": { "consultationId": consultation, "response": "AGREED", "expectedVersion": 1 } }),
            )
            .await;
        assert_conflict(&response, 2);
        assert_eq!(consultation_row(&app, &consultation).await, before);
        assert_eq!(
            action_row(&app, &id_of(&action)).await.status,
            ActionStatus::Blocked
        );
    }
}

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
            count_where::<plan_actions::Entity>(
                &app.db,
                plan_actions::Column::Status.ne(ActionStatus::AwaitingConsultation),
            )
            .await,
            0
        );
    }
}
