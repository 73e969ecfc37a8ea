//! The security checklist: for each way into a child's record or against the service,
//! the attack and the refusal. Items proved in a module of their own name it here.
//!
//! Referrals reach the case team; they do not open it
//! - a referral of a known child opens nothing: `referrals::a_referral_of_a_known_child_reaches_the_case_team_and_opens_nothing`
//! - only the lead agency decides, and the referrer is told: `referrals::the_lead_agency_decides_a_referral_and_the_referrer_is_told`
//! - break-glass never becomes write access: `referrals::break_glass_never_becomes_write_access_through_a_referral`
//!
//! Every input inside sane bounds
//! - dates from 1900 to a day ahead, lengths and list sizes, named fields: `limits::parse_and_input_errors_carry_a_code_and_name_the_field`
//! - extreme stored times break no deadline or report: `limits::extreme_times_written_straight_to_the_database_break_no_deadline_or_report`
//!
//! - a panic on a request path answers `INTERNAL` for that request only: `api::graphql::guard` unit tests
//!
//! Nothing one caller sends can hurt the others
//! - cost, aliases, depth: `limits::too_many_aliases_or_too_costly_or_too_deep_a_query_is_refused_before_it_runs`,
//!   configurable: `limits::the_query_limits_are_the_operators_to_set`
//! - a request that runs too long is stopped: `abuse::timeouts::a_request_running_longer_than_the_limit_is_stopped_with_timeout_and_the_next_is_served`
//! - one request cannot take the whole pool: `api::domain` unit test `a_request_holds_at_most_its_database_slots_at_once`
//! - rate limits per subject and per address, denials included, 429 with `Retry-After`: `abuse::rate_limits::*`
//! - slow clients, keep-alive, connection caps, body size: `abuse::slow_clients::*`
//! - subscriptions per connection and per subject: `abuse::subscriptions::*`
//! - no field suggestions in production; introspection only with a token, or off: `abuse::schema::*`
//!
//! Tokens
//! - `nbf`, an empty `sub`, a future `iat`; every refusal reason told apart over HTTP and in
//!   the WebSocket close reason, nothing else revealed: `tokens::*`
//!
//! Supply chain
//! - `cargo deny` in `.ci/run` (licences, bans, sources; advisories where the RustSec
//!   database can be fetched)
//!
//! Agencies have a lifecycle
//! - deactivation refuses tokens, ends streams and open sockets, keeps history, flags led
//!   children: `agency_lifecycle::*`
//!
//! Concurrency never loses a disclosure
//! - `concurrency::twenty_disclosures_at_once_from_five_agencies_are_all_acknowledged_and_escalate_once_each`
//! - `concurrency::writers_at_once_leave_every_acknowledged_write_exactly_once_with_its_audit_row_and_event`
//!
//! No side channel: the tests below.

use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::{ColumnTrait, Condition};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture;
use crate::helpers::db::count_where;
use crate::helpers::{TestActor, error_code, global_id, spawn_apps};

async fn denials(app: &crate::helpers::TestApp, actor: &TestActor) -> u64 {
    count_where::<audit_events::Entity>(
        &app.db,
        Condition::all()
            .add(audit_events::Column::ActorSubject.eq(actor.sub.as_str()))
            .add(audit_events::Column::Outcome.eq(AuditOutcome::Denied)),
    )
    .await
}

/// Drops what differs between two answers by design (nothing should).
fn shape(response: &Value) -> Value {
    let mut response = response.clone();
    if let Some(errors) = response["errors"].as_array_mut() {
        for error in errors {
            error.as_object_mut().map(|e| e.remove("locations"));
        }
    }
    response
}

#[tokio::test]
async fn an_invisible_object_and_a_missing_one_get_the_same_answer_and_both_lookups_are_audited() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        // camhs is on no case team: Alpha exists but is invisible to it.
        let camhs = TestActor::practitioner("camhs");
        let missing = global_id("Child", Uuid::now_v7());
        for query in [
            "query($id: ID!) { node(id: $id) { id } }",
            "query($id: ID!) { child(id: $id) { id givenName } }",
        ] {
            let before = denials(&app, &camhs).await;
            let invisible = app.gql_as(&camhs, query, json!({ "id": f.alpha })).await;
            let absent = app.gql_as(&camhs, query, json!({ "id": missing })).await;
            assert_eq!(shape(&invisible), shape(&absent), "{query}");
            assert_eq!(
                denials(&app, &camhs).await,
                before + 2,
                "both lookups are audited as denials: {query}"
            );
        }
    }
}

#[tokio::test]
async fn an_affected_child_the_recorder_cannot_see_is_answered_like_a_missing_one() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        // The school works Alpha's case and cannot see Bravo (police only).
        let school = TestActor::practitioner("school");
        let record = |affected: &str| {
            json!({ "input": {
                "childId": f.alpha, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-02T10:00:00Z",
                "setting": "SCHOOL", "contactType": "NON_CONTACT", "description": "Synthetic.",
                "continuum": "INAPPROPRIATE", "trafficLight": "GREEN",
                "affectedChildren": [{ "childId": affected, "relationship": "classmate" }]
            }})
        };
        const RECORD: &str = "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { behaviour { id } } }";
        let before = denials(&app, &school).await;
        let invisible = app.gql_as(&school, RECORD, record(&f.bravo)).await;
        let missing = app
            .gql_as(&school, RECORD, record(&global_id("Child", Uuid::now_v7())))
            .await;
        assert_eq!(error_code(&invisible), Some("VALIDATION_FAILED"));
        assert_eq!(shape(&invisible), shape(&missing));
        assert_eq!(denials(&app, &school).await, before + 2);
    }
}
