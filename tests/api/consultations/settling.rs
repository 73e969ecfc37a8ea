//! Settling consultations (`docs/product.md`): agreements let an action start, an objection
//! blocks it until the lead coordinator overrides with a reason.

use entity::enums::{ActionStatus, ConsultationStatus};
use serde_json::{Value, json};

use crate::helpers::db::audited;
use crate::helpers::plans::{
    MOVE_ACTION, action_row, charging_decision, consultation_for, consultation_row, events,
    move_action, override_consultation, respond, shared_plan,
};
use crate::helpers::refusals::{Audit, Refusal, assert_refused};
use crate::helpers::{TestActor, error_code, id_of, spawn_apps};

#[tokio::test]
async fn an_action_cannot_start_until_every_consultation_is_agreed_or_overridden() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let action_id = id_of(&action);
        let police = TestActor::practitioner("police");

        let to = |status: &str| json!({ "input": { "actionId": action_id, "status": status, "expectedVersion": 1 } });
        let required = "CONSULTATION_REQUIRED";
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::new(police.clone(), MOVE_ACTION, to("IN_PROGRESS"), required),
                Refusal::new(police.clone(), MOVE_ACTION, to("AGREED"), required),
                // Not even the lead coordinator can skip it.
                Refusal::new(
                    TestActor::coordinator("csc"),
                    MOVE_ACTION,
                    to("IN_PROGRESS"),
                    required,
                ),
            ],
        )
        .await;
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
            audited(&app.db, "RESPOND_TO_CONSULTATION", stored.id)
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
        let audit = audited(&app.db, "OVERRIDE_CONSULTATION", stored.id).await;
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
