//! Agencies: listing and `createAgency`.

use entity::agencies;
use entity::enums::AgencyKind;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{TestActor, error_code, spawn_apps};

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
        for role in [
            "PRACTITIONER",
            "AGENCY_LEAD",
            "COORDINATOR",
            "STRATEGIC_ANALYST",
            "AUDITOR",
        ] {
            let response = app
                .gql_as(
                    &TestActor::new(role, "ops"),
                    CREATE,
                    json!({ "input": { "code": "sneaky", "name": "Sneaky", "kind": "OTHER" } }),
                )
                .await;
            assert_eq!(error_code(&response), Some("FORBIDDEN"), "{role}");
        }
        let count = agencies::Entity::find()
            .filter(agencies::Column::Code.eq("sneaky"))
            .count(&app.db)
            .await;
        assert_eq!(count.expect("count"), 0);
    }
}

#[tokio::test]
async fn agency_codes_must_be_slugs_and_unique() {
    for app in spawn_apps().await {
        app.add_agency("ops", AgencyKind::Other).await;
        let admin = TestActor::admin("ops");
        for code in ["Has Spaces", "UPPER", "-edge", "x", "ops"] {
            let response = app
                .gql_as(
                    &admin,
                    CREATE,
                    json!({ "input": { "code": code, "name": "Name", "kind": "OTHER" } }),
                )
                .await;
            assert_eq!(
                error_code(&response),
                Some("VALIDATION_FAILED"),
                "{code}: {response}"
            );
            assert_eq!(response["errors"][0]["extensions"]["field"], "code");
        }
        let blank = app
            .gql_as(
                &admin,
                CREATE,
                json!({ "input": { "code": "fine", "name": " ", "kind": "OTHER" } }),
            )
            .await;
        assert_eq!(blank["errors"][0]["extensions"]["field"], "name");
        let unknown_kind = app
            .gql_as(
                &admin,
                CREATE,
                json!({ "input": { "code": "fine", "name": "N", "kind": "BAKERY" } }),
            )
            .await;
        assert!(unknown_kind["errors"].is_array());
        assert_eq!(
            agencies::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            1
        );
    }
}
