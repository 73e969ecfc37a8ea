//! Children: role-scoped reads, registration and case teams.

use entity::enums::AuditOutcome;
use entity::{audit_events, children, involvements};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture;
use crate::helpers::db::{count, count_where, denials};
use crate::helpers::refusals::{Audit, Refusal, assert_refused, by_each, changed};
use crate::helpers::{TestActor, TestApp, error_code, global_id, spawn_apps, uuid_of};

const CHILDREN: &str = "{ children(first: 100) { totalCount edges { node { id givenName } } } }";
const REGISTER: &str =
    "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }";

async fn visible_names(app: &TestApp, actor: &TestActor) -> Value {
    let response = app.gql_as(actor, CHILDREN, json!({})).await;
    let mut names: Vec<String> = response["data"]["children"]["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .filter_map(|e| e["node"]["givenName"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    json!({ "names": names, "code": error_code(&response) })
}

#[tokio::test]
async fn each_role_sees_exactly_the_children_of_its_agencys_case_teams() {
    for app in spawn_apps().await {
        let _fixture = fixture::build(&app).await;
        let table: [(TestActor, &[&str], Option<&str>); 10] = [
            (
                TestActor::practitioner("csc"),
                &["Alpha", "Bravo", "Charlie"],
                None,
            ),
            (
                TestActor::coordinator("csc"),
                &["Alpha", "Bravo", "Charlie"],
                None,
            ),
            (TestActor::practitioner("school"), &["Alpha"], None),
            (TestActor::agency_lead("police"), &["Bravo"], None),
            (TestActor::practitioner("camhs"), &[], None),
            (TestActor::coordinator("yjs"), &[], None),
            (TestActor::analyst("csc"), &[], Some("FORBIDDEN")),
            (TestActor::auditor("csc"), &[], Some("FORBIDDEN")),
            (TestActor::admin("csc"), &[], Some("FORBIDDEN")),
            (
                TestActor::new("SOMETHING_ELSE", "csc"),
                &[],
                Some("FORBIDDEN"),
            ),
        ];
        for (actor, names, code) in table {
            let seen = visible_names(&app, &actor).await;
            assert_eq!(
                seen,
                json!({ "names": names, "code": code }),
                "{actor:?} on {:?}",
                app.backend
            );
        }
    }
}

#[tokio::test]
async fn an_invisible_child_is_indistinguishable_from_a_missing_one() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let outsider = TestActor::practitioner("camhs");
        let missing = global_id("Child", Uuid::now_v7());
        let by_child = "query($id: ID!) { child(id: $id) { id givenName } }";
        let hidden = app
            .gql_as(&outsider, by_child, json!({ "id": fixture.alpha }))
            .await;
        let absent = app
            .gql_as(&outsider, by_child, json!({ "id": missing }))
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"));
        assert_eq!(
            hidden, absent,
            "child(id) must answer the same for hidden and missing"
        );

        let by_node = "query($id: ID!) { node(id: $id) { id ... on Child { givenName } } }";
        let hidden = app
            .gql_as(&outsider, by_node, json!({ "id": fixture.alpha }))
            .await;
        let absent = app
            .gql_as(&outsider, by_node, json!({ "id": missing }))
            .await;
        assert_eq!(hidden, json!({ "data": { "node": null } }));
        assert_eq!(hidden, absent);

        let listed = app.gql_as(&outsider, CHILDREN, json!({})).await;
        assert_eq!(listed["data"]["children"]["totalCount"], 0);

        // The same child through an involvement's node is hidden too.
        let involvement = involvements::Entity::find()
            .one(&app.db)
            .await
            .expect("query")
            .expect("a row");
        let through = app
            .gql_as(
                &outsider,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": global_id("Involvement", involvement.id) }),
            )
            .await;
        assert_eq!(through, json!({ "data": { "node": null } }));

        // And the team member sees it.
        let member = app
            .gql_as(
                &TestActor::practitioner("school"),
                by_child,
                json!({ "id": fixture.alpha }),
            )
            .await;
        assert_eq!(member["data"]["child"]["givenName"], "Alpha");
    }
}

#[tokio::test]
async fn registering_a_child_makes_the_coordinators_agency_the_lead_and_is_audited() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let response = app
            .gql_as(
                &coordinator,
                "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child {
                    id givenName familyName nhsNumber uniquePupilNumber version status
                    leadAgency { code } involvements { role agency { code } } } } }",
                json!({ "input": {
                    "givenName": " Delta ", "familyName": "Testchild", "dateOfBirth": "2012-02-03",
                    "gender": "Female", "nhsNumber": "943 476 5919", "uniquePupilNumber": "U201345678901"
                }}),
            )
            .await;
        let child = &response["data"]["registerChild"]["child"];
        assert_eq!(child["givenName"], "Delta", "{response}");
        assert_eq!(child["nhsNumber"], "9434765919");
        assert_eq!(child["uniquePupilNumber"], "U201345678901");
        assert_eq!(child["version"], 1);
        assert_eq!(child["status"], "OPEN");
        assert_eq!(child["leadAgency"]["code"], "csc");
        assert_eq!(
            child["involvements"],
            json!([{ "role": "LEAD", "agency": { "code": "csc" } }])
        );

        let id = uuid_of(child["id"].as_str().expect("id"));
        let audited = audit_events::Entity::find()
            .filter(audit_events::Column::Action.eq("REGISTER_CHILD"))
            .filter(audit_events::Column::EntityId.eq(id))
            .all(&app.db)
            .await
            .expect("audit query");
        assert_eq!(audited.len(), 1);
        assert_eq!(audited[0].actor_subject, coordinator.sub);
        assert_eq!(audited[0].outcome, AuditOutcome::Allowed);
        assert_eq!(audited[0].actor_agency_code.as_deref(), Some("csc"));
        assert!(audited[0].request_id.is_some());
    }
}

#[tokio::test]
async fn only_a_coordinator_may_register_a_child_and_refusals_are_audited() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let before = count::<children::Entity>(&app.db).await;
        let mut actors = vec![
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
        ];
        actors.extend(TestActor::non_case_roles("partnership").map(|actor| (actor, "FORBIDDEN")));
        let input = json!({ "input": { "givenName": "Echo", "familyName": "Testchild", "dateOfBirth": "2013-01-01", "gender": "Male" } });
        assert_refused(&app, Audit::Denied, by_each(REGISTER, &input, actors)).await;
        assert_eq!(count::<children::Entity>(&app.db).await, before);
    }
}

#[tokio::test]
async fn bad_registration_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let cases = [
            (json!({ "nhsNumber": "9434765918" }), "nhsNumber"),
            (
                json!({ "uniquePupilNumber": "T201345678901" }),
                "uniquePupilNumber",
            ),
            (json!({ "givenName": "   " }), "givenName"),
            (json!({ "dateOfBirth": "2099-01-01" }), "dateOfBirth"),
            (json!({ "dateOfBirth": "1990-01-01" }), "dateOfBirth"),
        ];
        let base = json!({ "givenName": "Foxtrot", "familyName": "Testchild", "dateOfBirth": "2013-01-01", "gender": "Male" });
        assert_refused(
            &app,
            Audit::Unchecked,
            cases.iter().map(|(change, field)| {
                let input = json!({ "input": changed(&base, change) });
                Refusal::invalid(TestActor::coordinator("csc"), REGISTER, input, field)
            }),
        )
        .await;
        let foxtrots =
            count_where::<children::Entity>(&app.db, children::Column::GivenName.eq("Foxtrot"))
                .await;
        assert_eq!(foxtrots, 0);
    }
}

const ADD: &str = "mutation($input: AddInvolvementInput!) { addInvolvement(input: $input) {
    involvement { id role active version agency { code } child { givenName } } } }";

#[tokio::test]
async fn adding_an_involvement_puts_the_agency_on_the_case_team() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let camhs = TestActor::practitioner("camhs");
        let by_child = "query($id: ID!) { child(id: $id) { givenName } }";
        assert_eq!(
            error_code(
                &app.gql_as(&camhs, by_child, json!({ "id": fixture.charlie }))
                    .await
            ),
            Some("NOT_FOUND")
        );

        let response = app
            .gql_as(
                &TestActor::coordinator("csc"),
                ADD,
                json!({ "input": { "childId": fixture.charlie, "agencyId": fixture.agency_gid("camhs"), "leadPractitioner": "Dr Test" } }),
            )
            .await;
        let involvement = &response["data"]["addInvolvement"]["involvement"];
        assert_eq!(involvement["role"], "PARTNER", "{response}");
        assert_eq!(involvement["active"], true);
        assert_eq!(involvement["version"], 1);
        assert_eq!(involvement["agency"]["code"], "camhs");
        assert_eq!(involvement["child"]["givenName"], "Charlie");

        let seen = app
            .gql_as(&camhs, by_child, json!({ "id": fixture.charlie }))
            .await;
        assert_eq!(seen["data"]["child"]["givenName"], "Charlie");
        let audited = count_where::<audit_events::Entity>(
            &app.db,
            Condition::all()
                .add(audit_events::Column::Action.eq("ADD_INVOLVEMENT"))
                .add(audit_events::Column::Outcome.eq(AuditOutcome::Allowed)),
        )
        .await;
        // Two from the fixture, one here.
        assert_eq!(audited, 3);
    }
}

#[tokio::test]
async fn add_involvement_refuses_the_wrong_roles_and_bad_input() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let input = |child: &str, agency: &str| json!({ "input": { "childId": child, "agencyId": agency } });
        let cases = [
            // A practitioner may not build case teams.
            Refusal::new(
                TestActor::practitioner("csc"),
                ADD,
                input(&fixture.charlie, &fixture.agency_gid("camhs")),
                "FORBIDDEN",
            ),
            // An agency lead may add only their own agency.
            Refusal::new(
                TestActor::agency_lead("school"),
                ADD,
                input(&fixture.alpha, &fixture.agency_gid("camhs")),
                "FORBIDDEN",
            ),
            // A coordinator off the team cannot even see the child.
            Refusal::new(
                TestActor::coordinator("yjs"),
                ADD,
                input(&fixture.charlie, &fixture.agency_gid("yjs")),
                "NOT_FOUND",
            ),
            // Already on the team.
            Refusal::invalid(
                TestActor::coordinator("csc"),
                ADD,
                input(&fixture.alpha, &fixture.agency_gid("school")),
                "agencyId",
            ),
            // Not an agency.
            Refusal::invalid(
                TestActor::coordinator("csc"),
                ADD,
                input(&fixture.alpha, &global_id("Agency", Uuid::now_v7())),
                "agencyId",
            ),
            // Not an agency id at all.
            Refusal::invalid(
                TestActor::coordinator("csc"),
                ADD,
                input(&fixture.alpha, &fixture.charlie),
                "agencyId",
            ),
            Refusal::invalid(
                TestActor::coordinator("csc"),
                ADD,
                input("garbage", &fixture.agency_gid("camhs")),
                "childId",
            ),
            // A second lead.
            Refusal::invalid(
                TestActor::coordinator("csc"),
                ADD,
                json!({ "input": { "childId": fixture.alpha, "agencyId": fixture.agency_gid("camhs"), "role": "LEAD" } }),
                "role",
            ),
        ];
        let before = count::<involvements::Entity>(&app.db).await;
        assert_refused(&app, Audit::Unchecked, cases).await;
        assert_eq!(count::<involvements::Entity>(&app.db).await, before);

        // An agency lead may name their own agency, though here it is on the team already.
        let lead_adds_own = app
            .gql_as(
                &TestActor::agency_lead("school"),
                ADD,
                input(&fixture.alpha, &fixture.agency_gid("school")),
            )
            .await;
        assert_eq!(error_code(&lead_adds_own), Some("VALIDATION_FAILED"));
    }
}

#[tokio::test]
async fn pages_walk_every_visible_child_once_and_first_is_limited() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        for i in 0..4 {
            fixture::register(&app, &format!("Page{i}")).await;
        }
        let coordinator = TestActor::coordinator("csc");
        let page = "query($after: String) { children(first: 3, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }";
        let mut after = Value::Null;
        let mut seen = Vec::new();
        loop {
            let response = app
                .gql_as(&coordinator, page, json!({ "after": after }))
                .await;
            let children = &response["data"]["children"];
            assert_eq!(children["totalCount"], 7, "{response}");
            for edge in children["edges"].as_array().expect("edges") {
                seen.push(edge["node"]["id"].as_str().expect("id").to_owned());
            }
            if children["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = children["pageInfo"]["endCursor"].clone();
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(seen.len(), 7);
        assert_eq!(unique.len(), 7);
        assert!(seen.contains(&fixture.alpha));

        let too_many = app
            .gql_as(
                &coordinator,
                "{ children(first: 101) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(error_code(&too_many), Some("LIMIT_EXCEEDED"));
        let bad_cursor = app
            .gql_as(
                &coordinator,
                "{ children(after: \"nope\") { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(error_code(&bad_cursor), Some("VALIDATION_FAILED"));
    }
}

#[tokio::test]
async fn a_child_read_is_audited_once_per_request_however_often_it_is_reached() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let actor = TestActor::practitioner("school");
        let query = "query($id: ID!) { child(id: $id) { id involvements { child { id } } }
            node(id: $id) { id } children { edges { node { id } } } }";
        let response = app
            .gql_as(&actor, query, json!({ "id": fixture.alpha }))
            .await;
        assert!(response["errors"].is_null(), "{response}");
        let reads = audit_events::Entity::find()
            .filter(audit_events::Column::Action.eq("READ_CHILD"))
            .filter(audit_events::Column::ActorSubject.eq(actor.sub.as_str()))
            .all(&app.db)
            .await
            .expect("query");
        assert_eq!(reads.len(), 1, "{reads:?}");
        assert_eq!(reads[0].outcome, AuditOutcome::Allowed);

        let outsider = TestActor::practitioner("camhs");
        app.gql_as(
            &outsider,
            "query($id: ID!) { child(id: $id) { id } }",
            json!({ "id": fixture.alpha }),
        )
        .await;
        assert_eq!(denials(&app.db, &outsider).await, 1);
    }
}

#[tokio::test]
async fn every_demo_role_sees_what_its_agency_is_involved_in() {
    for app in spawn_apps().await {
        assert!(api::demo::seed(&app.db).await.expect("seed"));
        assert!(
            !api::demo::seed(&app.db).await.expect("seed twice"),
            "seeds only once"
        );
        let total = count::<children::Entity>(&app.db).await;
        assert!(total >= 20);
        for demo in &api::demo::ACTORS {
            let actor = TestActor {
                sub: demo.sub.into(),
                agency: demo.agency.into(),
                roles: vec![demo.role.name().into()],
            };
            let response = app
                .gql_as(
                    &actor,
                    "{ me { agency { code } } children(first: 100) { totalCount } }",
                    json!({}),
                )
                .await;
            let agency = api::domain::agencies::by_code(&app.db, demo.agency)
                .await
                .expect("query")
                .expect("agency");
            let expected = count_where::<involvements::Entity>(
                &app.db,
                Condition::all()
                    .add(involvements::Column::AgencyId.eq(agency.id))
                    .add(involvements::Column::EndedOn.is_null()),
            )
            .await;
            if api::policy::has_case_role(&api_actor(&actor, &agency)) {
                assert!(expected > 0, "{} should have cases", demo.sub);
                assert_eq!(
                    response["data"]["children"]["totalCount"], expected,
                    "{}: {response}",
                    demo.sub
                );
            } else {
                assert_eq!(error_code(&response), Some("FORBIDDEN"), "{}", demo.sub);
            }
        }
    }
}

fn api_actor(actor: &TestActor, agency: &entity::agencies::Model) -> api::auth::Actor {
    api::auth::Actor {
        subject: actor.sub.clone(),
        name: actor.sub.clone(),
        agency_id: agency.id,
        agency_code: agency.code.clone(),
        agency_kind: agency.kind,
        roles: actor
            .roles
            .iter()
            .filter_map(|r| api::auth::Role::parse(r))
            .collect(),
        expires_at: chrono::Utc::now(),
    }
}
