//! The agency lifecycle: `deactivateAgency` and `reactivateAgency`. A deactivated agency's
//! tokens are refused and its streams end, it joins no case team or plan, its rows stay,
//! and the children it led are flagged to designated social care.

use std::time::Duration;

use entity::{agencies, involvements, plan_events};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture::{self, Fixture};
use crate::helpers::db::{audited, count_where};
use crate::helpers::plans::{ADD_MEMBER, create_plan, plan_row};
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused, by_each};
use crate::helpers::{TestActor, TestApp, global_id, spawn_apps, uuid_of};
use crate::ws_client::GqlSocket;

const DEACTIVATE: &str = "mutation($input: DeactivateAgencyInput!) {
    deactivateAgency(input: $input) { agency { id code active version } } }";
const REACTIVATE: &str = "mutation($input: ReactivateAgencyInput!) {
    reactivateAgency(input: $input) { agency { id code active version } } }";
const CASE_TEAM_EVENTS: &str =
    "subscription { caseTeamEvents { seq kind planId childId summary } }";
const ADD_INVOLVEMENT: &str = "mutation($input: AddInvolvementInput!) {
    addInvolvement(input: $input) { involvement { id } } }";

fn admin() -> TestActor {
    TestActor::admin("partnership")
}

fn deactivation(agency: &str, version: i64) -> Value {
    json!({ "input": { "agencyId": agency, "reason": "Synthetic: service decommissioned.", "expectedVersion": version } })
}

fn reactivation(agency: &str, version: i64) -> Value {
    json!({ "input": { "agencyId": agency, "expectedVersion": version } })
}

async fn deactivate(app: &TestApp, f: &Fixture, code: &str) -> Value {
    let version = agency_row(app, f.agency(code)).await.version;
    app.ok_as(
        &admin(),
        DEACTIVATE,
        deactivation(&f.agency_gid(code), version.into()),
    )
    .await["deactivateAgency"]["agency"]
        .clone()
}

async fn agency_row(app: &TestApp, id: Uuid) -> agencies::Model {
    agencies::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("agency")
}

/// The status and `extensions.reason` of `{ me }` with `actor`'s token.
async fn me(app: &TestApp, actor: &TestActor) -> (u16, Value) {
    let response = app
        .post_graphql(
            json!({ "query": "{ me { subject } }" }),
            Some(&actor.token()),
        )
        .await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("json");
    (status, body["errors"][0]["extensions"]["reason"].clone())
}

#[tokio::test]
async fn a_deactivated_agencys_tokens_are_refused_until_it_is_reactivated() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let team_before = count_where::<involvements::Entity>(
            &app.db,
            involvements::Column::AgencyId.eq(f.agency("school")),
        )
        .await;
        assert_eq!(me(&app, &school).await.0, 200);

        let agency = deactivate(&app, &f, "school").await;
        assert_eq!(agency["active"], false, "{agency}");
        assert_eq!(agency["version"], 2);
        assert_eq!(
            me(&app, &school).await,
            (401, json!("INACTIVE_AGENCY")),
            "its tokens are refused"
        );
        let audit = audited(&app.db, "DEACTIVATE_AGENCY", f.agency("school")).await;
        assert_eq!(audit.len(), 1);
        assert_eq!(
            audit[0].reason.as_deref(),
            Some("Synthetic: service decommissioned.")
        );
        // Its history stays: the case team rows are untouched.
        let school_rows = involvements::Entity::find()
            .filter(involvements::Column::AgencyId.eq(f.agency("school")))
            .all(&app.db)
            .await
            .expect("involvements");
        assert_eq!(school_rows.len() as u64, team_before);
        assert!(school_rows.iter().all(|row| row.ended_on.is_none()));

        let back = app
            .ok_as(
                &admin(),
                REACTIVATE,
                reactivation(&f.agency_gid("school"), 2),
            )
            .await;
        assert_eq!(back["reactivateAgency"]["agency"]["active"], true);
        assert_eq!(back["reactivateAgency"]["agency"]["version"], 3);
        assert_eq!(
            audited(&app.db, "REACTIVATE_AGENCY", f.agency("school"))
                .await
                .len(),
            1
        );
        assert_eq!(me(&app, &school).await.0, 200, "its tokens work again");
    }
}

#[tokio::test]
async fn a_deactivated_agency_joins_no_case_team_and_no_plan() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let plan = create_plan(&app, &f.alpha).await;
        deactivate(&app, &f, "camhs").await;
        let coordinator = TestActor::coordinator("csc");
        let version = plan_row(&app, &plan).await.version;
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    coordinator.clone(),
                    ADD_INVOLVEMENT,
                    json!({ "input": { "childId": f.alpha, "agencyId": f.agency_gid("camhs"), "reason": "test" } }),
                    "agencyId",
                ),
                Refusal::invalid(
                    coordinator,
                    ADD_MEMBER,
                    json!({ "input": { "planId": plan, "agencyId": f.agency_gid("camhs"), "expectedVersion": version } }),
                    "agencyId",
                ),
            ],
        )
        .await;
        let camhs_rows = count_where::<involvements::Entity>(
            &app.db,
            involvements::Column::AgencyId.eq(f.agency("camhs")),
        )
        .await;
        assert_eq!(camhs_rows, 0);
    }
}

#[tokio::test]
async fn children_led_by_a_deactivated_agency_are_flagged_to_designated_social_care() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        // Delta is led by the youth justice service; Alpha only has it as a partner.
        let delta = app
            .ok_as(
                &TestActor::coordinator("yjs"),
                "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }",
                json!({ "input": { "givenName": "Delta", "familyName": "Testchild",
                                   "dateOfBirth": "2012-02-03", "gender": "Not recorded" } }),
            )
            .await["registerChild"]["child"]["id"]
            .as_str()
            .expect("child id")
            .to_owned();
        fixture::involve(&app, &f.agency_gid("yjs"), &f.alpha, "yjs").await;

        let mut csc = GqlSocket::open(&app.ws_url(), &TestActor::practitioner("csc").token()).await;
        csc.subscribe("c", CASE_TEAM_EVENTS, json!({})).await;
        let mut police =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("police").token()).await;
        police.subscribe("p", CASE_TEAM_EVENTS, json!({})).await;
        tokio::time::sleep(Duration::from_millis(500)).await;

        deactivate(&app, &f, "yjs").await;

        let flag = csc.next_data("c").await["caseTeamEvents"].clone();
        assert_eq!(flag["kind"], "LEAD_AGENCY_DEACTIVATED", "{flag}");
        assert_eq!(flag["childId"], delta.as_str());
        assert_eq!(flag["planId"], Value::Null);
        assert_eq!(flag["summary"], "The child's lead agency was deactivated");

        let flags = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("LEAD_AGENCY_DEACTIVATED"))
            .all(&app.db)
            .await
            .expect("events");
        assert_eq!(
            flags.len(),
            1,
            "one flag per open child it led, none for Alpha"
        );
        assert_eq!(flags[0].child_id, Some(uuid_of(&delta)));
        assert_eq!(flags[0].audience.0, vec![f.agency("csc")]);

        // The police are neither on Delta's team nor told: nothing reaches them.
        police.assert_silent(Duration::from_millis(500)).await;
        csc.close().await;
        police.close().await;
    }
}

#[tokio::test]
async fn a_deactivated_agencys_open_streams_end() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let mut school =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        school.subscribe("1", CASE_TEAM_EVENTS, json!({})).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        deactivate(&app, &f, "school").await;
        assert_eq!(
            school.next().await,
            Ok(json!({ "id": "1", "type": "complete" })),
            "the stream ends without further events"
        );
        school.close().await;
    }
}

#[tokio::test]
async fn only_a_system_admin_may_deactivate_or_reactivate_and_each_refusal_is_audited() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = f.agency_gid("school");
        let actors = || {
            TestActor::case_roles("csc")
                .into_iter()
                .chain([TestActor::analyst("csc"), TestActor::auditor("csc")])
                .map(|actor| (actor, "FORBIDDEN"))
        };
        assert_refused(
            &app,
            Audit::Denied,
            by_each(DEACTIVATE, &deactivation(&school, 1), actors()),
        )
        .await;
        let row = agency_row(&app, f.agency("school")).await;
        assert!(row.active);
        assert_eq!(row.version, 1);

        deactivate(&app, &f, "school").await;
        assert_refused(
            &app,
            Audit::Denied,
            by_each(REACTIVATE, &reactivation(&school, 2), actors()),
        )
        .await;
        assert!(!agency_row(&app, f.agency("school")).await.active);
    }
}

#[tokio::test]
async fn a_stale_expected_version_is_a_conflict_and_changes_nothing() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = f.agency_gid("school");
        let stale = app
            .gql_as(&admin(), DEACTIVATE, deactivation(&school, 7))
            .await;
        assert_conflict(&stale, 1);
        assert!(agency_row(&app, f.agency("school")).await.active);

        deactivate(&app, &f, "school").await;
        let stale = app
            .gql_as(&admin(), REACTIVATE, reactivation(&school, 1))
            .await;
        assert_conflict(&stale, 2);
        assert!(!agency_row(&app, f.agency("school")).await.active);
    }
}

#[tokio::test]
async fn bad_input_names_its_field_and_an_unknown_agency_is_not_found() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = f.agency_gid("school");
        let blank_reason =
            json!({ "input": { "agencyId": school, "reason": "  ", "expectedVersion": 1 } });
        let not_an_agency = deactivation(&f.alpha, 1);
        let own = deactivation(&f.agency_gid("partnership"), 1);
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(admin(), DEACTIVATE, blank_reason, "reason"),
                Refusal::invalid(admin(), DEACTIVATE, not_an_agency, "agencyId"),
                Refusal::invalid(admin(), DEACTIVATE, own, "agencyId"),
                Refusal::invalid(admin(), REACTIVATE, reactivation(&school, 1), "agencyId"),
            ],
        )
        .await;
        deactivate(&app, &f, "school").await;
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(
                admin(),
                DEACTIVATE,
                deactivation(&school, 2),
                "agencyId",
            )],
        )
        .await;

        let nowhere = global_id("Agency", Uuid::now_v7());
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(admin(), DEACTIVATE, deactivation(&nowhere, 1), "NOT_FOUND"),
                Refusal::new(admin(), REACTIVATE, reactivation(&nowhere, 1), "NOT_FOUND"),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn a_deactivated_agencys_open_socket_answers_nothing_more() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let mut socket = GqlSocket::open(&app.ws_url(), &school.token()).await;
        let query = json!({ "id": f.alpha });
        socket
            .subscribe(
                "1",
                "query($id: ID!) { child(id: $id) { id } }",
                query.clone(),
            )
            .await;
        assert_eq!(
            socket.next_data("1").await["child"]["id"],
            f.alpha.as_str(),
            "allowed while active"
        );
        assert_eq!(
            socket.next().await,
            Ok(json!({ "id": "1", "type": "complete" }))
        );
        deactivate(&app, &f, "school").await;
        socket
            .subscribe("2", "query($id: ID!) { child(id: $id) { id } }", query)
            .await;
        // A refused operation is an `error` message; a refused stream a `next` with errors.
        let extensions = |message: &Value| {
            let errors = if message["type"] == "error" {
                message["payload"].clone()
            } else {
                message["payload"]["errors"].clone()
            };
            errors[0]["extensions"].clone()
        };
        let refused = socket.next().await.expect("an answer");
        assert_eq!(
            extensions(&refused),
            json!({ "code": "UNAUTHENTICATED", "reason": "INACTIVE_AGENCY" }),
            "{refused}"
        );
        socket.subscribe("3", CASE_TEAM_EVENTS, json!({})).await;
        let stream = socket.next().await.expect("an answer");
        assert_eq!(
            extensions(&stream),
            json!({ "code": "UNAUTHENTICATED", "reason": "INACTIVE_AGENCY" }),
            "{stream}"
        );
    }
}
