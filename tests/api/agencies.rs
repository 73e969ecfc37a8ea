//! Agencies: listing and `createAgency`.

use entity::agencies;
use entity::enums::AgencyKind;
use sea_orm::ColumnTrait;
use serde_json::json;

use crate::helpers::db::{count, count_where};
use crate::helpers::refusals::{Audit, Refusal, assert_refused, by_each};
use crate::helpers::{TestActor, spawn_apps};

const CREATE: &str = "mutation($input: CreateAgencyInput!) { createAgency(input: $input) {
    agency { id code name kind sector active version } } }";

#[tokio::test]
async fn a_system_admin_creates_an_agency_that_every_actor_can_list() {
    for app in spawn_apps().await {
        app.add_agency("ops", AgencyKind::Other).await;
        let response = app
            .gql_as(
                &TestActor::admin("ops"),
                CREATE,
                json!({ "input": { "code": "test-yjs", "name": "Test Youth Justice", "kind": "YOUTH_JUSTICE" } }),
            )
            .await;
        let agency = &response["data"]["createAgency"]["agency"];
        assert_eq!(agency["code"], "test-yjs", "{response}");
        assert_eq!(agency["sector"], "JUSTICE");
        assert_eq!(agency["active"], true);
        assert_eq!(agency["version"], 1);

        // The new agency's own tokens now work, and it lists every agency, by code.
        let listed = app
            .gql_as(
                &TestActor::practitioner("test-yjs"),
                "{ agencies { code kind } }",
                json!({}),
            )
            .await;
        assert_eq!(
            listed["data"]["agencies"],
            json!([{ "code": "ops", "kind": "OTHER" }, { "code": "test-yjs", "kind": "YOUTH_JUSTICE" }])
        );
    }
}

#[tokio::test]
async fn only_a_system_admin_may_create_an_agency() {
    for app in spawn_apps().await {
        app.add_agency("ops", AgencyKind::Other).await;
        let input = json!({ "input": { "code": "sneaky", "name": "Sneaky", "kind": "OTHER" } });
        let actors = [
            TestActor::practitioner("ops"),
            TestActor::agency_lead("ops"),
            TestActor::coordinator("ops"),
            TestActor::analyst("ops"),
            TestActor::auditor("ops"),
        ];
        let refused = actors.map(|actor| (actor, "FORBIDDEN"));
        assert_refused(&app, Audit::Unchecked, by_each(CREATE, &input, refused)).await;
        let sneaky =
            count_where::<agencies::Entity>(&app.db, agencies::Column::Code.eq("sneaky")).await;
        assert_eq!(sneaky, 0);
    }
}

#[tokio::test]
async fn agency_codes_must_be_slugs_and_unique() {
    for app in spawn_apps().await {
        app.add_agency("ops", AgencyKind::Other).await;
        let admin = TestActor::admin("ops");
        let input = |code: &str, name: &str| json!({ "input": { "code": code, "name": name, "kind": "OTHER" } });
        let mut cases: Vec<Refusal<'_>> = ["Has Spaces", "UPPER", "-edge", "x", "ops"]
            .into_iter()
            .map(|code| Refusal::invalid(admin.clone(), CREATE, input(code, "Name"), "code"))
            .collect();
        cases.push(Refusal::invalid(
            admin.clone(),
            CREATE,
            input("fine", " "),
            "name",
        ));
        assert_refused(&app, Audit::Unchecked, cases).await;
        let unknown_kind = app
            .gql_as(
                &admin,
                CREATE,
                json!({ "input": { "code": "fine", "name": "N", "kind": "BAKERY" } }),
            )
            .await;
        assert!(unknown_kind["errors"].is_array());
        assert_eq!(count::<agencies::Entity>(&app.db).await, 1);
    }
}
