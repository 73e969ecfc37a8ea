//! Who sees a plan, its members, reviews, actions and consultations (`docs/access.md`): the
//! member agencies' case roles, and nobody else, with what is hidden answering exactly as
//! what does not exist.

use entity::{involvements, plan_members};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::plans::{
    REVIEW, SharedPlan, activate, activated_at, add_action, agency_codes, consultation_for,
    shared_plan,
};
use crate::helpers::{TestActor, TestApp, error_code, global_id, id_of, spawn_apps, uuid_of};

/// What one actor should see of the shared plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sees {
    /// A member agency with a case role: everything.
    Everything,
    /// On the child's case team but not on the plan: the child, no plan.
    ChildOnly,
    /// Neither the child nor the plan.
    Nothing,
}

/// The table: every case role of every fixture agency, and the roles without case access.
fn visibility_table() -> Vec<(TestActor, Sees)> {
    let mut table = Vec::new();
    for agency in ["csc", "police", "school"] {
        for actor in TestActor::case_roles(agency) {
            table.push((actor, Sees::Everything));
        }
    }
    for actor in TestActor::case_roles("camhs") {
        table.push((actor, Sees::ChildOnly));
    }
    for agency in ["yjs", "health"] {
        for actor in TestActor::case_roles(agency) {
            table.push((actor, Sees::Nothing));
        }
    }
    for agency in ["csc", "police", "school", "partnership"] {
        for actor in TestActor::non_case_roles(agency) {
            table.push((actor, Sees::Nothing));
        }
    }
    table
}

/// The shared plan, live, with a review, a charging decision and its consultations.
struct Visible {
    shared: SharedPlan,
    member: String,
    review: String,
    action: String,
    consultation: String,
}

/// Builds [`Visible`] on `app`.
async fn visible_plan(app: &TestApp) -> Visible {
    let shared = shared_plan(app).await;
    let fixture = &shared.fixture;
    let held_on = activated_at(&activate(app, &shared.plan).await).date_naive();
    let review = app
        .ok_as(
            &TestActor::coordinator("csc"),
            REVIEW,
            json!({ "input": {
                "planId": shared.plan, "heldOn": held_on,
                "summary": "First review", "expectedVersion": 4
            }}),
        )
        .await;
    let review = id_of(&review["recordPlanReview"]["review"]);
    let action = add_action(
        app,
        &TestActor::practitioner("police"),
        &shared.plan,
        &fixture.agency_gid("police"),
        "CHARGING_DECISION",
        &[],
    )
    .await;
    let consultation = consultation_for(&action, "school");
    let member = plan_members::Entity::find()
        .filter(plan_members::Column::PlanId.eq(uuid_of(&shared.plan)))
        .filter(plan_members::Column::AgencyId.eq(fixture.agency("school")))
        .one(&app.db)
        .await
        .expect("query")
        .expect("member row");
    Visible {
        member: global_id("PlanMember", member.id),
        review,
        action: id_of(&action),
        consultation,
        shared,
    }
}

const NODES: &str =
    "query($plan: ID!, $member: ID!, $review: ID!, $action: ID!, $consultation: ID!) {
    plan: node(id: $plan) { id }
    member: node(id: $member) { id }
    review: node(id: $review) { id }
    action: node(id: $action) { id }
    consultation: node(id: $consultation) { id } }";

#[tokio::test]
async fn node_and_child_joint_plans_show_a_plan_to_its_member_agencies_only() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let ids = json!({
            "plan": visible.shared.plan, "member": visible.member, "review": visible.review,
            "action": visible.action, "consultation": visible.consultation
        });
        let child = visible.shared.fixture.alpha.clone();
        for (actor, sees) in visibility_table() {
            let nodes = app.gql_as(&actor, NODES, ids.clone()).await;
            let by_child = app
                .gql_as(
                    &actor,
                    "query($id: ID!) { child(id: $id) { jointPlans { nodes { id } } } }",
                    json!({ "id": child }),
                )
                .await;
            let seen = json!({
                "nodes": nodes,
                "jointPlans": by_child["data"]["child"]["jointPlans"]["nodes"],
                "childCode": error_code(&by_child),
            });
            let expected = match sees {
                Sees::Everything => json!({
                    "nodes": { "data": {
                        "plan": { "id": ids["plan"] }, "member": { "id": ids["member"] },
                        "review": { "id": ids["review"] }, "action": { "id": ids["action"] },
                        "consultation": { "id": ids["consultation"] } } },
                    "jointPlans": [{ "id": ids["plan"] }],
                    "childCode": null,
                }),
                Sees::ChildOnly => json!({
                    "nodes": { "data": { "plan": null, "member": null, "review": null,
                                         "action": null, "consultation": null } },
                    "jointPlans": [],
                    "childCode": null,
                }),
                Sees::Nothing => json!({
                    "nodes": { "data": { "plan": null, "member": null, "review": null,
                                         "action": null, "consultation": null } },
                    "jointPlans": null,
                    "childCode": "NOT_FOUND",
                }),
            };
            assert_eq!(seen, expected, "{actor:?} on {:?}", app.backend);
        }

        // What is hidden answers exactly as what does not exist.
        let missing = json!({
            "plan": global_id("JointPlan", Uuid::now_v7()),
            "member": global_id("PlanMember", Uuid::now_v7()),
            "review": global_id("PlanReview", Uuid::now_v7()),
            "action": global_id("PlanAction", Uuid::now_v7()),
            "consultation": global_id("Consultation", Uuid::now_v7()),
        });
        let outsider = TestActor::coordinator("camhs");
        assert_eq!(
            app.gql_as(&outsider, NODES, ids.clone()).await,
            app.gql_as(&outsider, NODES, missing).await
        );
    }
}

#[tokio::test]
async fn a_member_reads_the_whole_plan_through_any_of_its_parts() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let data = app
            .ok_as(
                &TestActor::practitioner("school"),
                "query($consultation: ID!) { node(id: $consultation) { ... on Consultation {
                status agency { code }
                action { kind status assignedAgency { code }
                    plan { id leadAgency { code } members { agency { code } }
                           child { givenName } reviews { summary } } } } } }",
                json!({ "consultation": visible.consultation }),
            )
            .await;
        let consultation = &data["node"];
        assert_eq!(consultation["status"], "REQUESTED");
        assert_eq!(consultation["agency"]["code"], "school");
        let action = &consultation["action"];
        assert_eq!(action["kind"], "CHARGING_DECISION");
        assert_eq!(action["status"], "AWAITING_CONSULTATION");
        assert_eq!(action["assignedAgency"]["code"], "police");
        let plan = &action["plan"];
        assert_eq!(plan["id"], visible.shared.plan);
        assert_eq!(plan["leadAgency"]["code"], "csc");
        assert_eq!(agency_codes(&plan["members"]), ["csc", "police", "school"]);
        assert_eq!(plan["child"]["givenName"], "Alpha");
        assert_eq!(plan["reviews"], json!([{ "summary": "First review" }]));
    }
}

#[tokio::test]
async fn joint_plan_by_id_is_found_by_member_agencies_only() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let query =
            "query($id: ID!) { jointPlan(id: $id) { id title status leadAgency { code } } }";
        for (actor, sees) in visibility_table() {
            let response = app
                .gql_as(&actor, query, json!({ "id": visible.shared.plan }))
                .await;
            match sees {
                Sees::Everything => assert_eq!(
                    response,
                    json!({ "data": { "jointPlan": {
                        "id": visible.shared.plan, "title": "Joint plan", "status": "ACTIVE",
                        "leadAgency": { "code": "csc" } } } }),
                    "{actor:?} on {:?}",
                    app.backend
                ),
                Sees::ChildOnly | Sees::Nothing => assert_eq!(
                    error_code(&response),
                    Some("NOT_FOUND"),
                    "{actor:?} on {:?}: {response}",
                    app.backend
                ),
            }
        }
        // Hidden and missing answer alike.
        let outsider = TestActor::coordinator("camhs");
        let hidden = app
            .gql_as(&outsider, query, json!({ "id": visible.shared.plan }))
            .await;
        let missing = app
            .gql_as(
                &outsider,
                query,
                json!({ "id": global_id("JointPlan", Uuid::now_v7()) }),
            )
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"), "{hidden}");
        assert_eq!(hidden, missing);
    }
}

#[tokio::test]
async fn an_agency_that_leaves_the_case_team_no_longer_reads_the_childs_plan() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let fixture = &visible.shared.fixture;
        let involvement = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(uuid_of(&fixture.alpha)))
            .filter(involvements::Column::AgencyId.eq(fixture.agency("police")))
            .one(&app.db)
            .await
            .expect("query")
            .expect("police are on Alpha's team through the plan");
        let police = TestActor::agency_lead("police");
        let ended = app
            .gql_as(
                &police,
                "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) { involvement { active } } }",
                json!({ "input": {
                    "involvementId": global_id("Involvement", involvement.id),
                    "reason": "Investigation closed", "expectedVersion": involvement.version
                }}),
            )
            .await;
        if ended["errors"].is_null() {
            // Gone from the case team: the child's plan, its actions and consultations go too.
            let response = app
                .gql_as(
                    &police,
                    "query($id: ID!) { jointPlan(id: $id) { id riskSummary child { id } } }",
                    json!({ "id": visible.shared.plan }),
                )
                .await;
            assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");
            let ids = json!({
                "plan": visible.shared.plan, "member": visible.member, "review": visible.review,
                "action": visible.action, "consultation": visible.consultation
            });
            let nodes = app.gql_as(&police, NODES, ids).await;
            assert_eq!(
                nodes,
                json!({ "data": { "plan": null, "member": null, "review": null,
                                  "action": null, "consultation": null } })
            );
        } else {
            // Or a plan member may not leave the team while the plan is open.
            assert_eq!(error_code(&ended), Some("VALIDATION_FAILED"), "{ended}");
            assert!(
                involvements::Entity::find_by_id(involvement.id)
                    .one(&app.db)
                    .await
                    .expect("query")
                    .expect("row")
                    .ended_on
                    .is_none()
            );
        }
    }
}
