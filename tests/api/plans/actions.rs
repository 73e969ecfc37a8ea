//! `addPlanAction` and `updatePlanActionStatus`: members add actions for their agencies
//! and move them through their life.

use entity::enums::{ActionKind, ActionStatus};
use entity::{consultations, plan_actions};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::db::{audited, count};
use crate::helpers::plans::{
    ADD_ACTION, MOVE_ACTION, SharedPlan, action_row, add_action, days_from_today, events,
    move_action, shared_plan,
};
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused, by_each, changed};
use crate::helpers::{TestActor, TestApp, global_id, id_of, spawn_apps, uuid_of};

/// Adds an intervention the school proposes for itself to the shared plan; returns its id.
async fn school_intervention(app: &TestApp, shared: &SharedPlan) -> String {
    let action = add_action(
        app,
        &TestActor::practitioner("school"),
        &shared.plan,
        &shared.fixture.agency_gid("school"),
        "INTERVENTION",
        &[],
    )
    .await;
    id_of(&action)
}

#[tokio::test]
async fn a_member_adds_an_action_for_its_own_agency_and_it_is_proposed_without_consultation() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let due = days_from_today(30);
        let data = app
            .ok_as(
                &school,
                ADD_ACTION,
                json!({ "input": {
                    "planId": plan, "assignedAgencyId": fixture.agency_gid("school"),
                    "kind": "SAFETY_PLAN", "description": "  A supervision plan for breaks ",
                    "dueOn": due
                }}),
            )
            .await;
        let action = &data["addPlanAction"]["action"];
        let id = id_of(action);
        assert_eq!(action["kind"], "SAFETY_PLAN");
        assert_eq!(action["description"], "A supervision plan for breaks");
        assert_eq!(action["dueOn"], due.to_string());
        assert_eq!(action["status"], "PROPOSED");
        assert_eq!(action["version"], 1);
        assert_eq!(action["plan"]["id"], plan);
        assert_eq!(action["assignedAgency"]["code"], "school");
        assert_eq!(action["consultations"], json!([]));

        let row = action_row(&app, &id).await;
        assert_eq!(row.plan_id, uuid_of(&plan));
        assert_eq!(row.assigned_agency_id, fixture.agency("school"));
        assert_eq!(row.kind, ActionKind::SafetyPlan);
        assert_eq!(row.status, ActionStatus::Proposed);
        assert_eq!(row.due_on, Some(due));
        assert_eq!(row.created_by, school.sub);
        assert_eq!(count::<consultations::Entity>(&app.db).await, 0);
        assert_eq!(audited(&app.db, "ADD_PLAN_ACTION", row.id).await.len(), 1);
        let added = events(&app, &plan, "ACTION_ADDED").await;
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].payload["actionId"], row.id.to_string());

        // The lead coordinator adds one for another member.
        let other = add_action(
            &app,
            &TestActor::coordinator("csc"),
            &plan,
            &fixture.agency_gid("police"),
            "INTERVENTION",
            &[],
        )
        .await;
        assert_eq!(other["assignedAgency"]["code"], "police");
        assert_eq!(other["status"], "PROPOSED");

        // Every member sees both on the plan.
        let seen = app
            .ok_as(
                &TestActor::practitioner("police"),
                "query($id: ID!) { node(id: $id) { ... on JointPlan { actions { id kind assignedAgency { code } } } } }",
                json!({ "id": plan }),
            )
            .await;
        assert_eq!(
            seen["node"]["actions"],
            json!([
                { "id": id, "kind": "SAFETY_PLAN", "assignedAgency": { "code": "school" } },
                { "id": other["id"], "kind": "INTERVENTION", "assignedAgency": { "code": "police" } }
            ])
        );
    }
}

#[tokio::test]
async fn adding_an_action_is_refused_to_those_who_may_not_handle_it() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let mut actors = vec![
            // Members, but the action is another agency's.
            (TestActor::practitioner("school"), "police", "FORBIDDEN"),
            (TestActor::agency_lead("police"), "school", "FORBIDDEN"),
            (TestActor::coordinator("police"), "csc", "FORBIDDEN"),
            (TestActor::practitioner("csc"), "school", "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "police", "FORBIDDEN"),
            // Not members.
            (TestActor::coordinator("camhs"), "csc", "NOT_FOUND"),
            (TestActor::practitioner("yjs"), "csc", "NOT_FOUND"),
        ];
        for actor in TestActor::non_case_roles("csc") {
            actors.push((actor, "csc", "NOT_FOUND"));
        }
        let cases = actors.into_iter().map(|(actor, assigned, code)| {
            let input = json!({ "input": {
                "planId": plan, "assignedAgencyId": fixture.agency_gid(assigned),
                "kind": "ASSESSMENT", "description": "Assess"
            }});
            Refusal::new(actor, ADD_ACTION, input, code)
        });
        assert_refused(&app, Audit::Denied, cases).await;
        assert_eq!(count::<plan_actions::Entity>(&app.db).await, 0);
    }
}

#[tokio::test]
async fn bad_action_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let base = json!({
            "planId": plan, "assignedAgencyId": fixture.agency_gid("school"),
            "kind": "ASSESSMENT", "description": "Assess", "dueOn": days_from_today(10)
        });
        let cases = [
            (json!({ "planId": "garbage" }), "planId"),
            (json!({ "planId": fixture.alpha }), "planId"),
            // CAMHS is on the case team but not on the plan.
            (
                json!({ "assignedAgencyId": fixture.agency_gid("camhs") }),
                "assignedAgencyId",
            ),
            (
                json!({ "assignedAgencyId": fixture.alpha }),
                "assignedAgencyId",
            ),
            (
                json!({ "consult": [fixture.agency_gid("camhs")] }),
                "consult",
            ),
            (json!({ "consult": [fixture.alpha] }), "consult"),
            (json!({ "description": "   " }), "description"),
            (json!({ "description": "x".repeat(10_001) }), "description"),
            (json!({ "dueOn": days_from_today(-2) }), "dueOn"),
        ];
        let mut refusals: Vec<Refusal<'_>> = cases
            .iter()
            .map(|(change, field)| {
                let input = json!({ "input": changed(&base, change) });
                Refusal::invalid(coordinator.clone(), ADD_ACTION, input, field)
            })
            .collect();
        // A well-formed id of no plan is not found.
        refusals.push(Refusal::new(
            coordinator.clone(),
            ADD_ACTION,
            json!({ "input": {
                "planId": global_id("JointPlan", Uuid::now_v7()),
                "assignedAgencyId": fixture.agency_gid("csc"), "kind": "ASSESSMENT", "description": "Assess"
            }}),
            "NOT_FOUND",
        ));
        assert_refused(&app, Audit::Unchecked, refusals).await;
        assert_eq!(count::<plan_actions::Entity>(&app.db).await, 0);
    }
}

#[tokio::test]
async fn an_action_moves_through_its_life_and_every_step_bumps_its_version() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let SharedPlan { fixture, plan } = &shared;
        let school = TestActor::practitioner("school");
        let id = school_intervention(&app, &shared).await;
        for (status, version) in [("IN_PROGRESS", 2), ("DONE", 3)] {
            let response = move_action(&app, &school, &id, status).await;
            assert_eq!(
                response["data"]["updatePlanActionStatus"]["action"],
                json!({ "id": id, "status": status, "version": version }),
                "{response}"
            );
            let row = action_row(&app, &id).await;
            assert_eq!(row.version, version);
            assert_eq!(
                serde_json::to_value(row.status).expect("status"),
                json!(status)
            );
        }
        let row = action_row(&app, &id).await;
        assert_eq!(
            audited(&app.db, "UPDATE_PLAN_ACTION_STATUS", row.id)
                .await
                .len(),
            2
        );
        let changes: Vec<(Value, Value)> = events(&app, plan, "ACTION_STATUS_CHANGED")
            .await
            .into_iter()
            .map(|e| (e.payload["from"].clone(), e.payload["to"].clone()))
            .collect();
        assert_eq!(
            changes,
            [
                (json!("PROPOSED"), json!("IN_PROGRESS")),
                (json!("IN_PROGRESS"), json!("DONE"))
            ]
        );

        // The lead coordinator moves another member's action on.
        let police_action = add_action(
            &app,
            &TestActor::practitioner("police"),
            plan,
            &fixture.agency_gid("police"),
            "OTHER",
            &[],
        )
        .await;
        let police_id = id_of(&police_action);
        let coordinator = TestActor::coordinator("csc");
        for (status, version) in [("AGREED", 2), ("CANCELLED", 3)] {
            let response = move_action(&app, &coordinator, &police_id, status).await;
            assert_eq!(
                response["data"]["updatePlanActionStatus"]["action"]["status"], status,
                "{response}"
            );
            assert_eq!(action_row(&app, &police_id).await.version, version);
        }
        assert_eq!(
            action_row(&app, &police_id).await.status,
            ActionStatus::Cancelled
        );
        // Members read the outcome.
        let seen = app
            .ok_as(
                &TestActor::practitioner("csc"),
                "query($id: ID!) { node(id: $id) { ... on PlanAction { status version } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(seen["node"], json!({ "status": "DONE", "version": 3 }));
    }
}

#[tokio::test]
async fn moving_an_action_is_refused_to_those_who_may_not_handle_it() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let id = school_intervention(&app, &shared).await;
        let before = action_row(&app, &id).await;
        let mut actors = vec![
            (TestActor::practitioner("police"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::practitioner("yjs"), "NOT_FOUND"),
        ];
        actors.extend(TestActor::non_case_roles("school").map(|actor| (actor, "NOT_FOUND")));
        // At the action's current version, which no refusal changes.
        let input = json!({ "input": { "actionId": id, "status": "IN_PROGRESS", "expectedVersion": before.version } });
        assert_refused(&app, Audit::Denied, by_each(MOVE_ACTION, &input, actors)).await;
        assert_eq!(action_row(&app, &id).await, before);
        // Every case role of the assigned agency may.
        let response = move_action(&app, &TestActor::agency_lead("school"), &id, "AGREED").await;
        assert_eq!(
            response["data"]["updatePlanActionStatus"]["action"]["status"], "AGREED",
            "{response}"
        );
    }
}

#[tokio::test]
async fn impossible_status_changes_and_bad_ids_are_refused_naming_the_field() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let id = school_intervention(&app, &shared).await;
        let to = |status: &str, version: i32| json!({ "input": { "actionId": id, "status": status, "expectedVersion": version } });
        assert_refused(
            &app,
            Audit::Unchecked,
            ["DONE", "BLOCKED", "AWAITING_CONSULTATION", "PROPOSED"].map(|status| {
                Refusal::invalid(school.clone(), MOVE_ACTION, to(status, 1), "status")
            }),
        )
        .await;
        assert_eq!(action_row(&app, &id).await.version, 1);
        // Once done, it stays done.
        move_action(&app, &school, &id, "IN_PROGRESS").await;
        move_action(&app, &school, &id, "DONE").await;
        assert_refused(
            &app,
            Audit::Unchecked,
            ["IN_PROGRESS", "CANCELLED", "AGREED"].map(|status| {
                Refusal::invalid(school.clone(), MOVE_ACTION, to(status, 3), "status")
            }),
        )
        .await;
        let row = action_row(&app, &id).await;
        assert_eq!(row.status, ActionStatus::Done);
        assert_eq!(row.version, 3);

        let with_id = |action: &str| json!({ "input": { "actionId": action, "status": "IN_PROGRESS", "expectedVersion": 1 } });
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(school.clone(), MOVE_ACTION, with_id("garbage"), "actionId"),
                Refusal::invalid(
                    school.clone(),
                    MOVE_ACTION,
                    with_id(&shared.plan),
                    "actionId",
                ),
                Refusal::new(
                    school.clone(),
                    MOVE_ACTION,
                    with_id(&global_id("PlanAction", Uuid::now_v7())),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn a_stale_action_version_is_a_conflict_that_carries_the_current_one_and_changes_nothing() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let id = school_intervention(&app, &shared).await;
        move_action(&app, &school, &id, "AGREED").await;
        let before = action_row(&app, &id).await;
        assert_eq!(before.version, 2);
        for stale in [1, 3] {
            let response = app
                .gql_as(
                    &school,
                    MOVE_ACTION,
                    json!({ "input": { "actionId": id, "status": "IN_PROGRESS", "expectedVersion": stale } }),
                )
                .await;
            assert_conflict(&response, 2);
        }
        assert_eq!(action_row(&app, &id).await, before);
        assert_eq!(
            audited(&app.db, "UPDATE_PLAN_ACTION_STATUS", before.id)
                .await
                .len(),
            1
        );
    }
}
