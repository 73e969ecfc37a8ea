//! The `Date` and `DateTime` scalars: their formats, their refusals naming the field and
//! the format, and `Deadline.dueOn`.

use serde_json::{Value, json};

use crate::fixture::{self, chronology_entry};
use crate::helpers::{TestActor, error_code, spawn_apps};

const REGISTER: &str = "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { dateOfBirth createdAt } } }";

const ADD_ENTRY: &str = "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { occurredAt } } }";

fn register(date_of_birth: &str) -> Value {
    json!({ "input": { "givenName": "Delta", "familyName": "Testchild",
                       "dateOfBirth": date_of_birth, "gender": "Female" } })
}

fn first_error(response: &Value) -> &Value {
    &response["errors"][0]
}

#[tokio::test]
async fn a_date_in_another_format_is_refused_naming_the_field_and_the_format() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        for bad in [
            "03/02/2012",
            "2012-2-3",
            "2012-02-30",
            "2012-02-03T00:00:00Z",
        ] {
            let refused = app.gql_as(&coordinator, REGISTER, register(bad)).await;
            assert_eq!(error_code(&refused), Some("VALIDATION_FAILED"), "{refused}");
            assert_eq!(first_error(&refused)["extensions"]["field"], "dateOfBirth");
            assert_eq!(
                first_error(&refused)["message"],
                "dateOfBirth: expected a calendar date as YYYY-MM-DD (ISO 8601)",
                "{bad}"
            );
            assert_eq!(refused["data"], Value::Null);
        }
        let saved = app
            .ok_as(&coordinator, REGISTER, register("2012-02-03"))
            .await;
        let child = &saved["registerChild"]["child"];
        assert_eq!(child["dateOfBirth"], "2012-02-03");
        let created = child["createdAt"].as_str().unwrap_or_default();
        assert!(
            created.len() == 20 && created.ends_with('Z'),
            "UTC to the second: {created}"
        );
    }
}

#[tokio::test]
async fn a_date_time_takes_any_offset_answers_in_utc_and_refuses_one_without() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let entry = |at: &str| json!({ "input": { "childId": f.alpha, "kind": "NOTE", "occurredAt": at, "summary": "Synthetic." } });
        let saved = app
            .ok_as(&school, ADD_ENTRY, entry("2026-06-02T10:30:15.250+01:00"))
            .await;
        assert_eq!(
            saved["addChronologyEntry"]["entry"]["occurredAt"],
            "2026-06-02T09:30:15Z"
        );
        let refused = app
            .gql_as(&school, ADD_ENTRY, entry("2026-06-02T10:30:15"))
            .await;
        assert_eq!(error_code(&refused), Some("VALIDATION_FAILED"), "{refused}");
        assert_eq!(first_error(&refused)["extensions"]["field"], "occurredAt");
        let message = first_error(&refused)["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            message.starts_with("occurredAt: expected a date and time")
                && message.contains("RFC 3339"),
            "{message}"
        );
        // A literal argument is refused in the same words.
        let literal = app
            .gql_as(
                &school,
                r#"{ deadlines(filter: { dueBefore: "tomorrow" }) { totalCount } }"#,
                json!({}),
            )
            .await;
        assert_eq!(error_code(&literal), Some("VALIDATION_FAILED"), "{literal}");
        let message = first_error(&literal)["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            message.starts_with("filter.dueBefore: expected a date and time"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn the_schema_names_the_formats_of_its_scalars() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let data = app
            .ok_as(
                &TestActor::coordinator("csc"),
                r#"{ date: __type(name: "Date") { specifiedByURL description }
                     dateTime: __type(name: "DateTime") { specifiedByURL description }
                     naive: __type(name: "NaiveDate") { name } }"#,
                json!({}),
            )
            .await;
        for scalar in ["date", "dateTime"] {
            assert!(
                data[scalar]["specifiedByURL"]
                    .as_str()
                    .is_some_and(|url| url.starts_with("https://")),
                "{data}"
            );
            assert!(
                data[scalar]["description"]
                    .as_str()
                    .is_some_and(|text| text.contains("YYYY-MM-DD") && !text.contains("Implement")),
                "{data}"
            );
        }
        assert_eq!(data["naive"], Value::Null, "no Rust names in the schema");
    }
}

#[tokio::test]
async fn a_deadline_due_at_the_end_of_a_day_names_that_day_and_one_due_at_an_instant_does_not() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        // Thursday 5 March 2026: the decision is due by the end of Friday 6 March.
        chronology_entry(
            &app,
            &social_worker,
            &f.charlie,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        // A disclosure's outcome target is counted in days from the instant.
        chronology_entry(
            &app,
            &social_worker,
            &f.charlie,
            "DISCLOSURE",
            "2026-03-05T10:00:00Z",
        )
        .await;
        let data = app
            .ok_as(
                &social_worker,
                "query($id: ID!) { child(id: $id) { deadlines { kind dueAt dueOn } } }",
                json!({ "id": f.charlie }),
            )
            .await;
        let of_kind = |kind: &str| {
            data["child"]["deadlines"]
                .as_array()
                .and_then(|all| all.iter().find(|d| d["kind"] == kind))
                .cloned()
                .unwrap_or_else(|| panic!("no {kind} in {data}"))
        };
        let decision = of_kind("REFERRAL_DECISION");
        assert_eq!(decision["dueOn"], "2026-03-06");
        assert_eq!(decision["dueAt"], "2026-03-07T00:00:00Z");
        let outcome = of_kind("DISCLOSURE_TO_OUTCOME");
        assert_eq!(outcome["dueOn"], Value::Null, "{outcome}");
        assert!(
            outcome["dueAt"]
                .as_str()
                .is_some_and(|at| at.ends_with('Z'))
        );
    }
}
