//! Needs and the joint plan: actions address needs of the child's completed assessments;
//! the plan shows each need with its actions, and the needs no action addresses.

use serde_json::{Value, json};

use super::{complete, coordinator, start, team};
use crate::fixture::Fixture;
use crate::helpers::plans::{add_member, create_plan, move_action};
use crate::helpers::refusals::{Audit, Refusal, assert_refused};
use crate::helpers::{TestActor, TestApp, global_id, id_of, spawn_apps};

const ADD: &str = "mutation($input: AddPlanActionInput!) { addPlanAction(input: $input) {
    action { id status addressesNeeds { id statement } } } }";
const PLAN: &str = "query($id: ID!) { jointPlan(id: $id) {
    needs { need { id statement } actions { id } }
    unaddressedNeeds { id }
    actions { id } } }";

/// Alpha's completed assessment with three needs, and a draft plan with school and police;
/// returns the plan and the need ids in order.
async fn plan_and_needs(app: &TestApp, f: &Fixture) -> (String, Vec<String>) {
    let assessment = start(app, f, &f.alpha).await;
    let done = complete(
        app,
        &assessment,
        &[
            ("SEXUAL_BEHAVIOURS", "Synthetic: consent work."),
            ("FAMILY", "Synthetic: supervision at home."),
            ("ENVIRONMENT", "Synthetic: a safe route to school."),
        ],
    )
    .await;
    let needs = done["needs"]
        .as_array()
        .expect("needs")
        .iter()
        .map(id_of)
        .collect();
    let plan = create_plan(app, &f.alpha).await;
    add_member(app, f, &plan, "school").await;
    add_member(app, f, &plan, "police").await;
    (plan, needs)
}

fn add_input(f: &Fixture, plan: &str, agency: &str, kind: &str, needs: &[&String]) -> Value {
    json!({ "input": { "planId": plan, "assignedAgencyId": f.agency_gid(agency), "kind": kind,
                       "description": format!("Synthetic {kind}."), "addressesNeedIds": needs } })
}

async fn add(app: &TestApp, actor: &TestActor, input: Value) -> Value {
    app.ok_as(actor, ADD, input).await["addPlanAction"]["action"].clone()
}

fn sorted(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list.as_array().expect("list").iter().map(id_of).collect();
    ids.sort();
    ids
}

fn sorted_of(ids: &[&String]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| (*id).clone()).collect();
    ids.sort();
    ids
}

/// The action ids a plan shows for `need`.
fn actions_for(plan: &Value, need: &str) -> Vec<String> {
    let entry = plan["needs"]
        .as_array()
        .and_then(|all| all.iter().find(|n| n["need"]["id"] == need))
        .unwrap_or_else(|| panic!("need {need} not in {plan}"));
    sorted(&entry["actions"])
}

async fn plan_view(app: &TestApp, actor: &TestActor, plan: &str) -> Value {
    app.ok_as(actor, PLAN, json!({ "id": plan })).await["jointPlan"].clone()
}

#[tokio::test]
async fn plan_actions_address_needs_and_the_plan_shows_the_needs_no_action_addresses() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let (plan, needs) = plan_and_needs(&app, &f).await;
        let before = plan_view(&app, &coordinator(), &plan).await;
        assert_eq!(
            before["needs"].as_array().expect("needs").len(),
            3,
            "{before}"
        );
        assert_eq!(
            sorted(&before["unaddressedNeeds"]),
            sorted_of(&needs.iter().collect::<Vec<_>>())
        );

        let school = TestActor::practitioner("school");
        let by_school = add(
            &app,
            &school,
            add_input(&f, &plan, "school", "INTERVENTION", &[&needs[0]]),
        )
        .await;
        assert_eq!(sorted(&by_school["addressesNeeds"]), [needs[0].clone()]);
        assert_eq!(
            by_school["addressesNeeds"][0]["statement"],
            "Synthetic: consent work."
        );
        let by_csc = add(
            &app,
            &coordinator(),
            add_input(&f, &plan, "csc", "SAFETY_PLAN", &[&needs[0], &needs[1]]),
        )
        .await;
        assert_eq!(
            sorted(&by_csc["addressesNeeds"]),
            sorted_of(&[&needs[0], &needs[1]])
        );
        // Without the field, an action addresses nothing.
        let plain = app
            .ok_as(
                &coordinator(),
                ADD,
                json!({ "input": { "planId": plan, "assignedAgencyId": f.agency_gid("csc"), "kind": "OTHER", "description": "Synthetic." } }),
            )
            .await;
        assert_eq!(
            plain["addPlanAction"]["action"]["addressesNeeds"],
            json!([])
        );

        let (school_action, csc_action) = (id_of(&by_school), id_of(&by_csc));
        for viewer in [
            coordinator(),
            school.clone(),
            TestActor::practitioner("police"),
        ] {
            let seen = plan_view(&app, &viewer, &plan).await;
            assert_eq!(
                actions_for(&seen, &needs[0]),
                sorted_of(&[&school_action, &csc_action]),
                "{viewer:?}"
            );
            assert_eq!(
                actions_for(&seen, &needs[1]),
                std::slice::from_ref(&csc_action)
            );
            assert_eq!(actions_for(&seen, &needs[2]), Vec::<String>::new());
            assert_eq!(
                sorted(&seen["unaddressedNeeds"]),
                [needs[2].clone()],
                "{viewer:?}"
            );
        }
        let need = app
            .ok_as(&school, "query($id: ID!) { node(id: $id) { ... on AssessmentNeed { addressedBy { id } } } }", json!({ "id": needs[0] }))
            .await;
        assert_eq!(
            sorted(&need["node"]["addressedBy"]),
            sorted_of(&[&school_action, &csc_action])
        );
        // CAMHS, on the team but not on the plan, sees the need but none of the plan's actions.
        let camhs = app
            .ok_as(
                &TestActor::practitioner("camhs"),
                "query($id: ID!) { node(id: $id) { ... on AssessmentNeed { id addressedBy { id } } } }",
                json!({ "id": needs[0] }),
            )
            .await;
        assert_eq!(camhs["node"]["id"], needs[0]);
        assert_eq!(camhs["node"]["addressedBy"], json!([]));

        // A cancelled action addresses nothing any more.
        let cancelled = move_action(&app, &coordinator(), &csc_action, "CANCELLED").await;
        assert!(cancelled["errors"].is_null(), "{cancelled}");
        let seen = plan_view(&app, &coordinator(), &plan).await;
        assert_eq!(
            actions_for(&seen, &needs[0]),
            std::slice::from_ref(&school_action)
        );
        assert_eq!(
            sorted(&seen["unaddressedNeeds"]),
            sorted_of(&[&needs[1], &needs[2]])
        );
        let need = app
            .ok_as(&school, "query($id: ID!) { node(id: $id) { ... on AssessmentNeed { statement addressedBy { id } } } }", json!({ "id": needs[1] }))
            .await;
        assert_eq!(need["node"]["statement"], "Synthetic: supervision at home.");
        assert_eq!(
            need["node"]["addressedBy"],
            json!([]),
            "a cancelled action addresses nothing"
        );
    }
}

#[tokio::test]
async fn an_action_may_address_only_needs_of_completed_assessments_of_the_plans_child() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let (plan, needs) = plan_and_needs(&app, &f).await;
        // Bravo's completed assessment has a need of its own.
        let bravo = start(&app, &f, &f.bravo).await;
        let bravo_done = complete(&app, &bravo, &[("FAMILY", "Synthetic: Bravo's need.")]).await;
        let bravo_need = id_of(&bravo_done["needs"][0]);
        let unknown = global_id("AssessmentNeed", uuid::Uuid::now_v7());
        let invalid = |ids: &[&String]| {
            Refusal::invalid(
                coordinator(),
                ADD,
                add_input(&f, &plan, "csc", "OTHER", ids),
                "addressesNeedIds",
            )
        };
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                invalid(&[&bravo_need]),
                invalid(&[&needs[0], &bravo_need]),
                invalid(&[&unknown]),
                invalid(&[&f.alpha]),
            ],
        )
        .await;
        assert_eq!(
            plan_view(&app, &coordinator(), &plan).await["actions"],
            json!([]),
            "nothing added"
        );
    }
}

#[tokio::test]
async fn after_a_reassessment_the_plan_lists_the_new_needs_and_those_its_actions_still_address() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let (plan, old_needs) = plan_and_needs(&app, &f).await;
        let action = add(
            &app,
            &coordinator(),
            add_input(&f, &plan, "csc", "SAFETY_PLAN", &[&old_needs[1]]),
        )
        .await;
        let second = start(&app, &f, &f.alpha).await;
        let done = complete(
            &app,
            &second,
            &[("DEVELOPMENTAL", "Synthetic: a new need.")],
        )
        .await;
        let new_need = id_of(&done["needs"][0]);

        let seen = plan_view(&app, &coordinator(), &plan).await;
        let mut listed: Vec<String> = seen["needs"]
            .as_array()
            .expect("needs")
            .iter()
            .map(|n| id_of(&n["need"]))
            .collect();
        listed.sort();
        assert_eq!(listed, sorted_of(&[&new_need, &old_needs[1]]), "{seen}");
        assert_eq!(actions_for(&seen, &old_needs[1]), [id_of(&action)]);
        assert_eq!(
            sorted(&seen["unaddressedNeeds"]),
            std::slice::from_ref(&new_need)
        );
        // The new need may be addressed; it then leaves the unaddressed list.
        add(
            &app,
            &TestActor::practitioner("school"),
            add_input(&f, &plan, "school", "INTERVENTION", &[&new_need]),
        )
        .await;
        assert_eq!(
            plan_view(&app, &coordinator(), &plan).await["unaddressedNeeds"],
            json!([])
        );
    }
}
