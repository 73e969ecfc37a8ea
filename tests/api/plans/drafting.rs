//! `createJointPlan`: who drafts a plan, what a draft holds, and what is refused.

use entity::enums::{Pathway, PlanStatus};
use entity::joint_plans;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture;
use crate::helpers::db::{audited, count};
use crate::helpers::plans::{CREATE, create_plan, events, member_codes, plan_row};
use crate::helpers::refusals::{Audit, Refusal, assert_refused, by_each, changed};
use crate::helpers::{TestActor, global_id, id_of, spawn_apps, uuid_of};

#[tokio::test]
async fn a_coordinator_on_the_case_team_drafts_a_plan_that_their_agency_leads() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let data = app
            .ok_as(
                &coordinator,
                "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) { jointPlan {
                    id title status pathway riskSummary nextReviewDue activatedAt closedAt version
                    createdAt leadAgency { code } members { agency { code } } actions { id }
                    reviews { id } child { givenName } } } }",
                json!({ "input": {
                    "childId": fixture.charlie, "title": "  Charlie's safety plan ",
                    "pathway": "CHILD_PROTECTION", "riskSummary": " Risk to younger cousins "
                }}),
            )
            .await;
        let plan = &data["createJointPlan"]["jointPlan"];
        let id = id_of(plan);
        assert!(plan["createdAt"].is_string(), "{plan}");
        let mut shown = plan.clone();
        shown["id"] = Value::Null;
        shown["createdAt"] = Value::Null;
        assert_eq!(
            shown,
            json!({
                "id": null, "createdAt": null,
                "title": "Charlie's safety plan", "status": "DRAFT", "pathway": "CHILD_PROTECTION",
                "riskSummary": "Risk to younger cousins", "nextReviewDue": null,
                "activatedAt": null, "closedAt": null, "version": 1,
                "leadAgency": { "code": "csc" }, "members": [{ "agency": { "code": "csc" } }],
                "actions": [], "reviews": [], "child": { "givenName": "Charlie" }
            })
        );

        let row = plan_row(&app, &id).await;
        assert_eq!(row.child_id, uuid_of(&fixture.charlie));
        assert_eq!(row.lead_agency_id, fixture.agency("csc"));
        assert_eq!(row.status, PlanStatus::Draft);
        assert_eq!(row.pathway, Pathway::ChildProtection);
        assert_eq!(row.title, "Charlie's safety plan");
        assert_eq!(row.version, 1);
        assert_eq!(member_codes(&app, &fixture, &id).await, ["csc"]);

        let audit = audited(&app.db, "CREATE_JOINT_PLAN", row.id).await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor_subject, coordinator.sub);
        assert_eq!(audit[0].child_id, Some(row.child_id));
        assert_eq!(events(&app, &id, "PLAN_CREATED").await.len(), 1);

        // The child's record now lists it, for every role of the lead agency.
        for actor in TestActor::case_roles("csc") {
            let data = app
                .ok_as(
                    &actor,
                    "query($id: ID!) { child(id: $id) { jointPlans { nodes { id status } } } }",
                    json!({ "id": fixture.charlie }),
                )
                .await;
            assert_eq!(
                data["child"]["jointPlans"]["nodes"],
                json!([{ "id": id, "status": "DRAFT" }]),
                "{actor:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_coordinator_of_a_partner_agency_on_the_case_team_may_draft_a_plan_it_then_leads() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let data = app
            .ok_as(
                &TestActor::coordinator("police"),
                "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) {
                    jointPlan { id leadAgency { code } members { agency { code } } } } }",
                json!({ "input": { "childId": fixture.bravo, "title": "Bravo plan", "pathway": "CRIMINAL_JUSTICE" } }),
            )
            .await;
        let plan = &data["createJointPlan"]["jointPlan"];
        assert_eq!(plan["leadAgency"]["code"], "police");
        assert_eq!(plan["members"], json!([{ "agency": { "code": "police" } }]));
        let id = id_of(plan);
        assert_eq!(
            plan_row(&app, &id).await.lead_agency_id,
            fixture.agency("police")
        );
        // CSC leads the case but is not on this plan until added.
        let seen = app
            .gql_as(
                &TestActor::coordinator("csc"),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(seen, json!({ "data": { "node": null } }));
    }
}

#[tokio::test]
async fn creating_a_plan_is_refused_to_other_roles_and_to_agencies_off_the_case_team() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let mut actors = vec![
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            // Off Charlie's case team: the child is not there for them.
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::coordinator("police"), "NOT_FOUND"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
        ];
        actors.extend(TestActor::non_case_roles("csc").map(|actor| (actor, "NOT_FOUND")));
        let input =
            json!({ "input": { "childId": fixture.charlie, "title": "Plan", "pathway": "BOTH" } });
        assert_refused(&app, Audit::Denied, by_each(CREATE, &input, actors)).await;
        assert_eq!(count::<joint_plans::Entity>(&app.db).await, 0);
    }
}

#[tokio::test]
async fn bad_plan_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        create_plan(&app, &fixture.alpha).await;
        let base = json!({ "childId": fixture.charlie, "title": "Plan", "pathway": "BOTH" });
        let long = "x".repeat(201);
        let cases = [
            (json!({ "childId": "garbage" }), "childId"),
            (json!({ "childId": fixture.agency_gid("csc") }), "childId"),
            (json!({ "title": "   " }), "title"),
            (json!({ "title": long }), "title"),
            // One open plan per child.
            (json!({ "childId": fixture.alpha }), "childId"),
        ];
        let mut refusals: Vec<Refusal<'_>> = cases
            .iter()
            .map(|(change, field)| {
                let input = json!({ "input": changed(&base, change) });
                Refusal::invalid(coordinator.clone(), CREATE, input, field)
            })
            .collect();
        // A well-formed id of no child is simply not found.
        let missing = json!({ "childId": global_id("Child", Uuid::now_v7()) });
        refusals.push(Refusal::new(
            coordinator.clone(),
            CREATE,
            json!({ "input": changed(&base, &missing) }),
            "NOT_FOUND",
        ));
        assert_refused(&app, Audit::Unchecked, refusals).await;
        assert_eq!(count::<joint_plans::Entity>(&app.db).await, 1);
    }
}
