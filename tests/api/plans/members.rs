//! `addPlanMember`: a member agency joins the plan and the child's case team.

use entity::enums::InvolvementRole;
use entity::involvements;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::fixture;
use crate::helpers::db::{audited, count_where};
use crate::helpers::plans::{
    ADD_MEMBER, SharedPlan, add_member, agency_codes, close, create_plan, events, member_codes,
    plan_row, shared_plan,
};
use crate::helpers::refusals::{Audit, Refusal, assert_refused, changed, refusal};
use crate::helpers::{TestActor, error_code, global_id, spawn_apps, uuid_of};

#[tokio::test]
async fn adding_a_member_puts_the_agency_on_the_plan_and_on_the_case_team() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.charlie).await;
        let camhs = TestActor::practitioner("camhs");
        let by_child =
            "query($id: ID!) { child(id: $id) { givenName jointPlans { nodes { id } } } }";
        assert_eq!(
            error_code(
                &app.gql_as(&camhs, by_child, json!({ "id": fixture.charlie }))
                    .await
            ),
            Some("NOT_FOUND")
        );

        let data = app
            .ok_as(
                &TestActor::coordinator("csc"),
                ADD_MEMBER,
                json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid("camhs"), "expectedVersion": 1 } }),
            )
            .await;
        let saved = &data["addPlanMember"]["jointPlan"];
        assert_eq!(saved["id"], plan);
        assert_eq!(saved["version"], 2);
        assert_eq!(agency_codes(&saved["members"]), ["camhs", "csc"]);

        assert_eq!(plan_row(&app, &plan).await.version, 2);
        assert_eq!(member_codes(&app, &fixture, &plan).await, ["camhs", "csc"]);
        let team = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(uuid_of(&fixture.charlie)))
            .filter(involvements::Column::AgencyId.eq(fixture.agency("camhs")))
            .all(&app.db)
            .await
            .expect("query");
        assert_eq!(team.len(), 1);
        assert_eq!(team[0].role, InvolvementRole::Partner);
        assert!(team[0].ended_on.is_none());
        assert_eq!(
            audited(&app.db, "ADD_INVOLVEMENT", team[0].id).await.len(),
            1
        );
        assert_eq!(
            audited(&app.db, "ADD_PLAN_MEMBER", uuid_of(&plan))
                .await
                .len(),
            1
        );
        let added = events(&app, &plan, "PLAN_MEMBER_ADDED").await;
        assert_eq!(added.len(), 1);
        assert_eq!(
            added[0].payload["agencyId"],
            fixture.agency("camhs").to_string()
        );

        // CAMHS now sees the child and the plan.
        let seen = app
            .ok_as(&camhs, by_child, json!({ "id": fixture.charlie }))
            .await;
        assert_eq!(
            seen["child"],
            json!({ "givenName": "Charlie", "jointPlans": { "nodes": [{ "id": plan }] } })
        );
    }
}

#[tokio::test]
async fn adding_a_member_already_on_the_case_team_does_not_involve_it_twice() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.alpha).await;
        add_member(&app, &fixture, &plan, "school").await;
        let school_involvements = count_where::<involvements::Entity>(
            &app.db,
            Condition::all()
                .add(involvements::Column::ChildId.eq(uuid_of(&fixture.alpha)))
                .add(involvements::Column::AgencyId.eq(fixture.agency("school"))),
        )
        .await;
        assert_eq!(school_involvements, 1);
        assert_eq!(member_codes(&app, &fixture, &plan).await, ["csc", "school"]);
    }
}

#[tokio::test]
async fn bad_member_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        // An agency the operator has switched off.
        let mut health: entity::agencies::ActiveModel =
            entity::agencies::Entity::find_by_id(fixture.agency("health"))
                .one(&app.db)
                .await
                .expect("query")
                .expect("health")
                .into();
        health.active = Set(false);
        health.update(&app.db).await.expect("deactivate");

        let base =
            json!({ "planId": plan, "agencyId": fixture.agency_gid("yjs"), "expectedVersion": 3 });
        let cases = [
            (json!({ "planId": "garbage" }), "planId"),
            (json!({ "planId": fixture.alpha }), "planId"),
            (json!({ "agencyId": fixture.alpha }), "agencyId"),
            (
                json!({ "agencyId": global_id("Agency", Uuid::now_v7()) }),
                "agencyId",
            ),
            (
                json!({ "agencyId": fixture.agency_gid("police") }),
                "agencyId",
            ),
            (json!({ "agencyId": fixture.agency_gid("csc") }), "agencyId"),
            (
                json!({ "agencyId": fixture.agency_gid("health") }),
                "agencyId",
            ),
        ];
        assert_refused(
            &app,
            Audit::Unchecked,
            cases.iter().map(|(change, field)| {
                let input = json!({ "input": changed(&base, change) });
                Refusal::invalid(coordinator.clone(), ADD_MEMBER, input, field)
            }),
        )
        .await;
        assert_eq!(plan_row(&app, &plan).await.version, 3);
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );

        // A closed plan takes no new members.
        close(&app, &plan).await;
        let response = app
            .gql_as(
                &coordinator,
                ADD_MEMBER,
                json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid("yjs"), "expectedVersion": 4 } }),
            )
            .await;
        assert_eq!(
            refusal(&response),
            (Some("VALIDATION_FAILED"), Some("planId")),
            "{response}"
        );
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );
    }
}
