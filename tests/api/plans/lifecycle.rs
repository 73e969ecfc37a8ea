//! A plan's life: `activateJointPlan` and `closeJointPlan`, who may run a plan, and stale
//! versions.

use chrono::{Months, Utc};
use entity::enums::{ActionStatus, PlanStatus};
use entity::{involvements, plan_actions, plan_reviews};
use sea_orm::ColumnTrait;
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::db::{audited, count, count_where};
use crate::helpers::plans::{
    ACTIVATE, ADD_ACTION, ADD_MEMBER, CLOSE, MOVE_ACTION, REVIEW, SharedPlan, action_row, activate,
    activated_at, add_action, create_plan, events, member_codes, plan_row, shared_plan, today,
};
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, id_of, spawn_apps};

#[tokio::test]
async fn activating_a_draft_plan_makes_the_first_review_due_three_months_on() {
    for app in spawn_apps().await {
        let SharedPlan { fixture: _, plan } = shared_plan(&app).await;
        let saved = activate(&app, &plan).await;
        assert_eq!(saved["id"], plan);
        assert_eq!(saved["status"], "ACTIVE");
        assert_eq!(saved["version"], 4);
        let activated = activated_at(&saved);
        assert!((Utc::now() - activated).num_minutes().abs() < 5);
        let due = activated
            .date_naive()
            .checked_add_months(Months::new(3))
            .expect("date");
        assert_eq!(saved["nextReviewDue"], due.to_string());

        let row = plan_row(&app, &plan).await;
        assert_eq!(row.status, PlanStatus::Active);
        assert_eq!(row.version, 4);
        assert_eq!(row.next_review_due, Some(due));
        assert!(row.activated_at.is_some());
        assert_eq!(
            audited(&app.db, "ACTIVATE_JOINT_PLAN", row.id).await.len(),
            1
        );
        assert_eq!(events(&app, &plan, "PLAN_ACTIVATED").await.len(), 1);

        // Members see it live.
        let seen = app
            .ok_as(
                &TestActor::practitioner("school"),
                "query($id: ID!) { node(id: $id) { ... on JointPlan { status nextReviewDue } } }",
                json!({ "id": plan }),
            )
            .await;
        assert_eq!(
            seen["node"],
            json!({ "status": "ACTIVE", "nextReviewDue": due.to_string() })
        );

        // Only a draft is activated.
        let coordinator = TestActor::coordinator("csc");
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    coordinator.clone(),
                    ACTIVATE,
                    json!({ "input": { "planId": plan, "expectedVersion": 4 } }),
                    "planId",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    ACTIVATE,
                    json!({ "input": { "planId": "garbage", "expectedVersion": 4 } }),
                    "planId",
                ),
            ],
        )
        .await;
        assert_eq!(plan_row(&app, &plan).await.version, 4);
    }
}

#[tokio::test]
async fn closing_a_plan_ends_it_and_the_child_may_then_have_a_new_one() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        activate(&app, &plan).await;
        let school = TestActor::practitioner("school");
        let action = add_action(
            &app,
            &school,
            &plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[],
        )
        .await;
        let action_id = id_of(&action);

        let data = app
            .ok_as(
                &TestActor::coordinator("csc"),
                CLOSE,
                json!({ "input": { "planId": plan, "expectedVersion": 4 } }),
            )
            .await;
        let saved = &data["closeJointPlan"]["jointPlan"];
        assert_eq!(saved["status"], "CLOSED");
        assert_eq!(saved["version"], 5);
        assert_eq!(saved["nextReviewDue"], Value::Null);
        assert!(saved["closedAt"].is_string(), "{saved}");
        let row = plan_row(&app, &plan).await;
        assert_eq!(row.status, PlanStatus::Closed);
        assert!(row.closed_at.is_some());
        assert_eq!(row.next_review_due, None);
        assert_eq!(audited(&app.db, "CLOSE_JOINT_PLAN", row.id).await.len(), 1);
        assert_eq!(events(&app, &plan, "PLAN_CLOSED").await.len(), 1);

        // Members still read it, closed.
        let seen = app
            .ok_as(
                &school,
                "query($id: ID!) { child(id: $id) { jointPlans { nodes { id status } } } }",
                json!({ "id": fixture.alpha }),
            )
            .await;
        assert_eq!(
            seen["child"]["jointPlans"]["nodes"],
            json!([{ "id": plan, "status": "CLOSED" }])
        );

        // Nothing more happens on it.
        let coordinator = TestActor::coordinator("csc");
        let input = |input: Value| json!({ "input": input });
        let attempts = [
            Refusal::invalid(
                coordinator.clone(),
                CLOSE,
                input(json!({ "planId": plan, "expectedVersion": 5 })),
                "planId",
            ),
            Refusal::invalid(
                coordinator.clone(),
                ACTIVATE,
                input(json!({ "planId": plan, "expectedVersion": 5 })),
                "planId",
            ),
            Refusal::invalid(
                coordinator.clone(),
                REVIEW,
                input(
                    json!({ "planId": plan, "heldOn": today(), "summary": "Late", "expectedVersion": 5 }),
                ),
                "planId",
            ),
            Refusal::invalid(
                school.clone(),
                ADD_ACTION,
                input(
                    json!({ "planId": plan, "assignedAgencyId": fixture.agency_gid("school"),
                              "kind": "ASSESSMENT", "description": "After closing" }),
                ),
                "planId",
            ),
            Refusal::invalid(
                school.clone(),
                MOVE_ACTION,
                input(
                    json!({ "actionId": action_id, "status": "IN_PROGRESS", "expectedVersion": 1 }),
                ),
                "actionId",
            ),
        ];
        assert_refused(&app, Audit::Unchecked, attempts).await;
        assert_eq!(plan_row(&app, &plan).await.version, 5);
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::Proposed
        );
        assert_eq!(count::<plan_actions::Entity>(&app.db).await, 1);

        // The child may have a new plan now.
        let next = create_plan(&app, &fixture.alpha).await;
        assert_ne!(next, plan);
        assert_eq!(plan_row(&app, &next).await.status, PlanStatus::Draft);
    }
}

#[tokio::test]
async fn a_draft_plan_may_be_closed_without_ever_going_live() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.charlie).await;
        let data = app
            .ok_as(
                &TestActor::coordinator("csc"),
                CLOSE,
                json!({ "input": { "planId": plan, "expectedVersion": 1 } }),
            )
            .await;
        assert_eq!(data["closeJointPlan"]["jointPlan"]["status"], "CLOSED");
        let row = plan_row(&app, &plan).await;
        assert_eq!(row.status, PlanStatus::Closed);
        assert_eq!(row.activated_at, None);
    }
}

#[tokio::test]
async fn only_a_coordinator_of_the_lead_agency_may_run_a_plan() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        activate(&app, &plan).await;
        let before = plan_row(&app, &plan).await;
        let version = before.version;
        let mutations = [
            (
                ADD_MEMBER,
                json!({ "planId": plan, "agencyId": fixture.agency_gid("camhs"), "expectedVersion": version }),
            ),
            (
                ACTIVATE,
                json!({ "planId": plan, "expectedVersion": version }),
            ),
            (
                REVIEW,
                json!({ "planId": plan, "heldOn": today(), "summary": "Review", "expectedVersion": version }),
            ),
            (CLOSE, json!({ "planId": plan, "expectedVersion": version })),
        ];
        let mut actors = vec![
            // Members of the plan without the right to run it.
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            (TestActor::agency_lead("school"), "FORBIDDEN"),
            (TestActor::coordinator("school"), "FORBIDDEN"),
            // Not members: the plan is not there for them.
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
        ];
        actors.extend(TestActor::non_case_roles("csc").map(|actor| (actor, "NOT_FOUND")));
        let cases = mutations.iter().flat_map(|(mutation, input)| {
            actors.iter().map(move |(actor, code)| {
                Refusal::new(actor.clone(), mutation, json!({ "input": input }), code)
            })
        });
        assert_refused(&app, Audit::Denied, cases).await;
        let after = plan_row(&app, &plan).await;
        assert_eq!(after, before);
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );
        assert_eq!(count::<plan_reviews::Entity>(&app.db).await, 0);
    }
}

#[tokio::test]
async fn a_stale_plan_version_is_a_conflict_that_carries_the_current_one_and_changes_nothing() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        // Created at 1, two members added: 3.
        let before = plan_row(&app, &plan).await;
        assert_eq!(before.version, 3);
        for stale in [2, 4] {
            let response = app
                .gql_as(
                    &coordinator,
                    ADD_MEMBER,
                    json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid("yjs"), "expectedVersion": stale } }),
                )
                .await;
            assert_conflict(&response, 3);
            let response = app
                .gql_as(
                    &coordinator,
                    ACTIVATE,
                    json!({ "input": { "planId": plan, "expectedVersion": stale } }),
                )
                .await;
            assert_conflict(&response, 3);
        }
        assert_eq!(plan_row(&app, &plan).await, before);
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );
        let yjs_on_team = count_where::<involvements::Entity>(
            &app.db,
            involvements::Column::AgencyId.eq(fixture.agency("yjs")),
        )
        .await;
        assert_eq!(yjs_on_team, 0);

        activate(&app, &plan).await;
        let before = plan_row(&app, &plan).await;
        assert_eq!(before.version, 4);
        let response = app
            .gql_as(
                &coordinator,
                REVIEW,
                json!({ "input": { "planId": plan, "heldOn": today(), "summary": "Review", "expectedVersion": 3 } }),
            )
            .await;
        assert_conflict(&response, 4);
        let response = app
            .gql_as(
                &coordinator,
                CLOSE,
                json!({ "input": { "planId": plan, "expectedVersion": 3 } }),
            )
            .await;
        assert_conflict(&response, 4);
        assert_eq!(plan_row(&app, &plan).await, before);
        assert_eq!(count::<plan_reviews::Entity>(&app.db).await, 0);
    }
}
