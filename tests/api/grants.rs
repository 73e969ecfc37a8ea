//! Break-glass access (`docs/access.md`).

use chrono::{Duration, Utc};
use entity::{access_grants, plan_events};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::fixture;
use crate::helpers::db::count;
use crate::helpers::refusals::{Audit, Refusal, assert_refused};
use crate::helpers::{TestActor, error_code, global_id, spawn_apps};
use uuid::Uuid;

const REQUEST: &str =
    "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) {
    grant { id reason expiresAt agency { code } child { givenName } } } }";
const READ: &str = "query($id: ID!) { child(id: $id) { givenName } }";
const REASON: &str = "Synthetic: out-of-hours CAMHS crisis assessment tonight.";

#[tokio::test]
async fn emergency_access_grants_its_holder_a_day_of_read_only_access_and_tells_the_lead() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let clinician = TestActor::practitioner("camhs");
        assert_eq!(
            error_code(&app.gql_as(&clinician, READ, json!({ "id": f.alpha })).await),
            Some("NOT_FOUND")
        );

        let granted = app
            .ok_as(
                &clinician,
                REQUEST,
                json!({ "input": { "childId": f.alpha, "reason": REASON } }),
            )
            .await;
        let grant = &granted["requestEmergencyAccess"]["grant"];
        assert_eq!(grant["agency"]["code"], "camhs");
        assert_eq!(grant["child"]["givenName"], "Alpha");
        let expires: chrono::DateTime<Utc> = grant["expiresAt"]
            .as_str()
            .expect("time")
            .parse()
            .expect("rfc3339");
        let hours = (expires - Utc::now()).num_minutes();
        assert!(
            (23 * 60..=24 * 60).contains(&hours),
            "about 24 hours: {hours} minutes"
        );

        assert_eq!(
            app.ok_as(&clinician, READ, json!({ "id": f.alpha })).await["child"]["givenName"],
            "Alpha"
        );
        // Another practitioner of the same agency has no grant.
        let colleague = TestActor {
            sub: "someone-else".into(),
            ..clinician.clone()
        };
        assert_eq!(
            error_code(&app.gql_as(&colleague, READ, json!({ "id": f.alpha })).await),
            Some("NOT_FOUND")
        );
        // Read-only: no writing with a grant.
        let write = app
            .gql_as(
                &clinician,
                "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
                json!({ "input": { "childId": f.alpha, "kind": "NOTE", "occurredAt": "2026-11-01T10:00:00Z", "summary": "Synthetic." } }),
            )
            .await;
        assert_eq!(error_code(&write), Some("FORBIDDEN"));

        let events = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("EMERGENCY_ACCESS"))
            .all(&app.db)
            .await
            .expect("events");
        assert_eq!(events.len(), 1);
        assert_eq!(
            events[0].audience.0,
            vec![f.agency("csc")],
            "the lead agency is told"
        );

        // Once it expires, the child is hidden again.
        let row = access_grants::Entity::find()
            .one(&app.db)
            .await
            .expect("query")
            .expect("grant");
        let mut row: access_grants::ActiveModel = row.into();
        row.expires_at = Set(Utc::now() - Duration::minutes(1));
        row.update(&app.db).await.expect("expire");
        assert_eq!(
            error_code(&app.gql_as(&clinician, READ, json!({ "id": f.alpha })).await),
            Some("NOT_FOUND")
        );
    }
}

#[tokio::test]
async fn emergency_access_refuses_short_reasons_team_members_other_roles_and_missing_children() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let clinician = TestActor::practitioner("camhs");
        let request =
            |child: &str, reason: &str| json!({ "input": { "childId": child, "reason": reason } });
        let missing = global_id("Child", Uuid::now_v7());
        let mut cases = vec![
            Refusal::invalid(
                clinician.clone(),
                REQUEST,
                request(&f.alpha, "too short, sorry"),
                "reason",
            ),
            // On the team already: nothing to grant.
            Refusal::invalid(
                TestActor::practitioner("school"),
                REQUEST,
                request(&f.alpha, REASON),
                "childId",
            ),
            Refusal::new(
                clinician.clone(),
                REQUEST,
                request(&missing, REASON),
                "NOT_FOUND",
            ),
        ];
        for actor in TestActor::non_case_roles("camhs") {
            cases.push(Refusal::new(
                actor,
                REQUEST,
                request(&f.alpha, REASON),
                "FORBIDDEN",
            ));
        }
        assert_refused(&app, Audit::Unchecked, cases).await;
        assert_eq!(count::<access_grants::Entity>(&app.db).await, 0);
    }
}
