//! What one caller may send: query cost counting list sizes, aliases, mutation fields,
//! depth, input lengths and dates; every refusal before any resolver runs, with its code.

use entity::{chronology_entries, referrals};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::db::count_where;
use api::app::ServerOptions;
use api::graphql::limits::Limits;

use crate::helpers::{
    Backend, Keys, TestActor, backends, error_code, spawn_app_with, spawn_apps, uuid_of,
};

const HEAVY: &str =
    "children(first: 100) { edges { node { behaviours { nodes { id description } } chronology { nodes { id summary } }
    jointPlans { nodes { actions { consultations { id status } } } } deadlines { id status } } } }";

fn extensions(response: &Value) -> &Value {
    &response["errors"][0]["extensions"]
}

#[tokio::test]
async fn too_many_aliases_or_too_costly_or_too_deep_a_query_is_refused_before_it_runs() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let school = TestActor::practitioner("school");

        let aliased: String = (0..50)
            .map(|i| format!("a{i}: children(first: 100) {{ totalCount }} "))
            .collect();
        let refused = app
            .gql_as(&school, &format!("{{ {aliased} }}"), json!({}))
            .await;
        assert_eq!(error_code(&refused), Some("LIMIT_EXCEEDED"), "{refused}");
        assert_eq!(extensions(&refused)["limit"], 30);
        assert_eq!(extensions(&refused)["aliases"], 50);
        assert_eq!(refused["data"], Value::Null, "nothing ran");

        // Three of the heaviest page: well under the alias limit, over the cost.
        let heavy = app
            .gql_as(
                &school,
                &format!("{{ a: {HEAVY} b: {HEAVY} c: {HEAVY} }}"),
                json!({}),
            )
            .await;
        assert_eq!(error_code(&heavy), Some("LIMIT_EXCEEDED"), "{heavy}");
        assert_eq!(extensions(&heavy)["limit"], 50_000);
        assert!(extensions(&heavy)["cost"].as_u64().unwrap_or(0) > 50_000);

        let mut deep = String::from("id");
        for _ in 0..6 {
            deep = format!("behaviours {{ nodes {{ child {{ {deep} }} }} }}");
        }
        let deep = app
            .gql_as(
                &school,
                &format!("{{ children(first: 1) {{ edges {{ node {{ {deep} }} }} }} }}"),
                json!({}),
            )
            .await;
        assert_eq!(error_code(&deep), Some("LIMIT_EXCEEDED"), "{deep}");
        assert_eq!(extensions(&deep)["limit"], 16);
        assert!(
            extensions(&deep)["depth"].as_u64().unwrap_or(0) > 16,
            "{deep}"
        );
        assert!(deep.get("data").is_none(), "nothing ran: {deep}");

        // A caseload a front end needs stays well inside.
        let caseload = app
            .gql_as(
                &school,
                "{ children(first: 50) { totalCount edges { node { id givenName
                    involvements { role agency { name } } behaviours { nodes { id trafficLight } }
                    jointPlans { nodes { id status actions { id status consultations { status } } } } } } } }",
                json!({}),
            )
            .await;
        assert!(caseload["errors"].is_null(), "{caseload}");
    }
}

#[tokio::test]
async fn a_mutation_repeated_without_aliases_runs_at_most_ten_writes() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let add = "addChronologyEntry(input: $input) { entry { id } } ";
        let input = json!({ "input": { "childId": f.alpha, "kind": "NOTE",
            "occurredAt": "2026-11-02T10:00:00Z", "summary": "Synthetic." } });
        let entries = || {
            count_where::<chronology_entries::Entity>(
                &app.db,
                chronology_entries::Column::ChildId.eq(uuid_of(&f.alpha)),
            )
        };
        let before = entries().await;

        // Eleven copies of one field, no alias: GraphQL merges them into one answer, but
        // each would run (and commit) on its own.
        let repeated = app
            .gql_as(
                &school,
                &format!(
                    "mutation($input: AddChronologyEntryInput!) {{ {} }}",
                    add.repeat(11)
                ),
                input.clone(),
            )
            .await;
        assert_eq!(error_code(&repeated), Some("LIMIT_EXCEEDED"), "{repeated}");
        assert_eq!(extensions(&repeated)["limit"], 10);
        assert_eq!(extensions(&repeated)["mutations"], 11);

        // The same through a fragment spread twice, and through a fragment that spreads
        // itself (which the validator refuses on its own).
        let spread = app
            .gql_as(
                &school,
                &format!(
                    "mutation($input: AddChronologyEntryInput!) {{ ...Six ...Six }} \
                     fragment Six on Mutation {{ {} }}",
                    add.repeat(6)
                ),
                input.clone(),
            )
            .await;
        assert_eq!(extensions(&spread)["mutations"], 12, "{spread}");
        let cycle = app
            .gql_as(
                &school,
                "mutation { ...Loop } fragment Loop on Mutation { __typename ...Loop }",
                json!({}),
            )
            .await;
        assert!(cycle["data"].is_null(), "{cycle}");
        assert_eq!(entries().await, before, "nothing was written");

        let ten = app
            .gql_as(
                &school,
                &format!(
                    "mutation($input: AddChronologyEntryInput!) {{ {} }}",
                    add.repeat(10)
                ),
                input,
            )
            .await;
        assert!(ten["errors"].is_null(), "{ten}");
        assert_eq!(entries().await, before + 10, "each copy is a write");
    }
}

#[tokio::test]
async fn text_with_a_nul_character_is_refused_before_it_reaches_the_database() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let entries = || {
            count_where::<chronology_entries::Entity>(
                &app.db,
                chronology_entries::Column::ChildId.eq(uuid_of(&f.alpha)),
            )
        };
        let before = entries().await;
        // PostgreSQL cannot store U+0000 in text: without the check this was `INTERNAL`
        // there (and stored on SQLite).
        let in_variable = app
            .gql_as(
                &coordinator,
                "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
                json!({ "input": { "childId": f.alpha, "kind": "NOTE",
                    "occurredAt": "2026-11-02T10:00:00Z", "summary": "Synthetic \u{0} note." } }),
            )
            .await;
        assert_eq!(
            error_code(&in_variable),
            Some("VALIDATION_FAILED"),
            "{in_variable}"
        );
        assert_eq!(extensions(&in_variable)["field"], "input");
        let in_literal = app
            .gql_as(
                &coordinator,
                r#"mutation { registerChild(input: { givenName: "A\u0000", familyName: "Testchild",
                    dateOfBirth: "2013-04-05", gender: "Not recorded" }) { child { id } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(extensions(&in_literal)["field"], "input", "{in_literal}");
        let in_query = app
            .gql_as(
                &coordinator,
                "query($name: String!) { findKnownChild(input: { familyName: $name, givenName: \"A\", dateOfBirth: \"2013-04-05\" }) { known } }",
                json!({ "name": "Test\u{0}child" }),
            )
            .await;
        assert_eq!(extensions(&in_query)["field"], "name", "{in_query}");
        assert_eq!(entries().await, before, "nothing was written");
    }
}

#[tokio::test]
async fn fragments_spread_many_times_or_chained_deep_are_refused_before_they_are_walked() {
    use crate::ws_client::GqlSocket;
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        // Each fragment spreads the next twice: about 2^24 fields from a few hundred bytes.
        let doubling = |operation: &str, on: &str| {
            let mut text = format!("{operation} {{ ...F0 }}");
            for n in 0..24 {
                text.push_str(&format!(
                    " fragment F{n} on {on} {{ ...F{m} ...F{m} }}",
                    m = n + 1
                ));
            }
            text + &format!(" fragment F24 on {on} {{ __typename }}")
        };
        for document in [doubling("query", "Query"), doubling("mutation", "Mutation")] {
            let refused = app.gql_as(&school, &document, json!({})).await;
            assert_eq!(error_code(&refused), Some("LIMIT_EXCEEDED"), "{refused}");
            assert_eq!(extensions(&refused)["limit"], 20_000);
            assert!(extensions(&refused)["size"].as_u64() > Some(1 << 24));
        }
        // A fragment that is not there, spread from the last of them: refused as such,
        // before it is looked for a few million times.
        let missing = doubling("query", "Query").replace("{ __typename }", "{ ...Nowhere }");
        let refused = app.gql_as(&school, &missing, json!({})).await;
        assert_eq!(error_code(&refused), Some("VALIDATION_FAILED"), "{refused}");
        // A value nested sixteen hundred deep: never parsed (its parse would overflow
        // the worker's stack).
        let nested = format!(
            "{{ me(x: {}1{}) {{ subject }} }}",
            "[".repeat(1600),
            "]".repeat(1600)
        );
        let refused = app.gql_as(&school, &nested, json!({})).await;
        assert_eq!(extensions(&refused)["nesting"], 129, "{refused}");
        let mut socket = GqlSocket::open(&app.ws_url(), &school.token()).await;
        socket
            .subscribe("q", &doubling("query", "Query"), json!({}))
            .await;
        let refused = socket.recv().await;
        assert_eq!(refused["type"], "error", "{refused}");
        assert_eq!(
            refused["payload"][0]["extensions"]["code"],
            "LIMIT_EXCEEDED"
        );
        socket.subscribe("n", &nested, json!({})).await;
        let refused = socket.recv().await;
        assert_eq!(
            refused["payload"][0]["extensions"]["nesting"], 129,
            "{refused}"
        );
        socket.close().await;

        // A chain of 9,000 fragments under a mutation the request does not even run.
        let mut chain = String::from("query Q{__typename}mutation M{...a0}");
        for n in 0..9_000 {
            chain.push_str(&format!("fragment a{n} on M{{...a{}}}", n + 1));
        }
        chain.push_str("fragment a9000 on M{__typename}");
        let body = json!({ "query": chain, "operationName": "Q" });
        let refused: Value = app
            .post_graphql(body, Some(&school.token()))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(extensions(&refused)["fragmentDepth"], 33, "{refused}");
        let fine = app.gql_as(&school, "{ me { subject } }", json!({})).await;
        assert!(fine["errors"].is_null(), "the server still answers: {fine}");
    }
}

#[tokio::test]
async fn the_query_limits_are_the_operators_to_set() {
    for backend in backends() {
        let options = ServerOptions {
            limits: Limits {
                max_cost: 200,
                max_aliases: 2,
                max_mutations: 10,
                max_depth: 4,
            },
            ..ServerOptions::default()
        };
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let aliases = app
            .gql_as(
                &school,
                "{ a: me { subject } b: me { subject } c: me { subject } }",
                json!({}),
            )
            .await;
        assert_eq!(extensions(&aliases)["limit"], 2, "{aliases}");
        let cost = app
            .gql_as(
                &school,
                "{ children(first: 100) { totalCount edges { node { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(extensions(&cost)["limit"], 200, "{cost}");
        let depth = app
            .gql_as(
                &school,
                "{ children(first: 1) { edges { node { behaviours { nodes { child { id } } } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(extensions(&depth)["limit"], 4, "{depth}");
        let fine = app.gql_as(&school, "{ me { subject } }", json!({})).await;
        assert!(fine["errors"].is_null(), "{fine}");
    }
}

#[tokio::test]
async fn parse_and_input_errors_carry_a_code_and_name_the_field() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let unknown = app.gql_as(&school, "{ nonsense }", json!({})).await;
        assert_eq!(error_code(&unknown), Some("VALIDATION_FAILED"), "{unknown}");
        let syntax = app.gql_as(&school, "{ children( }", json!({})).await;
        assert_eq!(error_code(&syntax), Some("VALIDATION_FAILED"), "{syntax}");

        const ENTRY: &str = "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }";
        let entry = |summary: Value, occurred: &str, shared: Value| {
            json!({ "input": { "childId": f.alpha, "kind": "NOTE", "occurredAt": occurred,
                               "summary": summary, "sharedWith": shared } })
        };
        let long = app
            .gql_as(
                &school,
                ENTRY,
                entry(json!("x".repeat(10_001)), "2026-11-01T10:00:00Z", json!([])),
            )
            .await;
        assert_eq!(error_code(&long), Some("VALIDATION_FAILED"), "{long}");
        assert_eq!(extensions(&long)["field"], "summary", "{long}");
        let many = vec![f.agency_gid("csc"); 51];
        let listed = app
            .gql_as(
                &school,
                ENTRY,
                entry(json!("Synthetic."), "2026-11-01T10:00:00Z", json!(many)),
            )
            .await;
        assert_eq!(error_code(&listed), Some("VALIDATION_FAILED"), "{listed}");
        assert_eq!(extensions(&listed)["field"], "sharedWith");
        for (occurred, why) in [
            ("-262143-01-01T00:00:00Z", "the earliest time chrono holds"),
            ("1899-12-31T23:59:59Z", "before 1900"),
            ("2999-01-01T00:00:00Z", "the future"),
        ] {
            let refused = app
                .gql_as(
                    &school,
                    ENTRY,
                    entry(json!("Synthetic."), occurred, json!([])),
                )
                .await;
            assert_eq!(
                error_code(&refused),
                Some("VALIDATION_FAILED"),
                "{why}: {refused}"
            );
            assert_eq!(extensions(&refused)["field"], "occurredAt", "{why}");
        }
        let referred = app
            .gql_as(
                &school,
                "mutation($input: ReferChildInput!) { referChild(input: $input) { wasKnown } }",
                json!({ "input": {
                    "child": { "givenName": "Echo", "familyName": "Testchild", "dateOfBirth": "2012-01-01", "gender": "Male" },
                    "reason": "Synthetic.", "referredAt": "-262143-01-01T00:00:00Z" } }),
            )
            .await;
        assert_eq!(
            error_code(&referred),
            Some("VALIDATION_FAILED"),
            "{referred}"
        );
        assert_eq!(extensions(&referred)["field"], "referredAt");
    }
}

#[tokio::test]
async fn extreme_times_written_straight_to_the_database_break_no_deadline_or_report() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        // The earliest and latest times PostgreSQL stores (SQLite stores text, and the
        // deadline engine's own tests cover all of chrono's range).
        let instant = |y| {
            chrono::NaiveDate::from_ymd_opt(y, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("date")
                .and_utc()
        };
        let now = chrono::Utc::now();
        use entity::enums::ChronologyKind::{Disclosure, Referral, StrategyDiscussion};
        let mut rows = vec![
            (Referral, instant(-4000)),
            (Disclosure, instant(200_000)),
            (StrategyDiscussion, instant(-4000)),
            (Disclosure, instant(-4000)),
        ];
        if matches!(app.backend, Backend::Sqlite) {
            // SQLite stores any time chrono holds, the very edges included.
            rows.push((Referral, chrono::DateTime::<chrono::Utc>::MIN_UTC));
            rows.push((Disclosure, chrono::DateTime::<chrono::Utc>::MAX_UTC));
        }
        for (kind, extreme) in rows {
            chronology_entries::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                child_id: Set(uuid_of(&f.alpha)),
                behaviour_id: Set(None),
                kind: Set(kind),
                occurred_at: Set(extreme),
                agency_id: Set(f.agency("csc")),
                recorded_by: Set("direct-write".into()),
                summary: Set("Synthetic row written around the API.".into()),
                sensitivity: Set(entity::enums::Sensitivity::Standard),
                shared_with: Set(entity::enums::AgencyIds(vec![])),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                entered_in_error_at: Set(None),
                entered_in_error_by: Set(None),
                entered_in_error_reason: Set(None),
            }
            .insert(&app.db)
            .await
            .expect("insert an extreme row");
        }
        assert_eq!(
            referrals::Entity::find()
                .all(&app.db)
                .await
                .map(|r| r.len())
                .ok(),
            Some(0)
        );
        // Rows written around the API are derived when the server next starts.
        let rules = api::domain::DomainConfig {
            designated_social_care: Some("csc".into()),
            designated_police: Some("police".into()),
            ..Default::default()
        };
        let stored = api::domain::deadlines::stored::rebuild_all(&app.db, &rules)
            .await
            .expect("derive the extreme rows");
        assert!(stored > 0);
        let child = app
            .gql_as(
                &coordinator,
                "query($id: ID!) { child(id: $id) { deadlines { kind status } } }",
                json!({ "id": f.alpha }),
            )
            .await;
        assert!(child["errors"].is_null(), "{child}");
        let listed = app
            .gql_as(
                &coordinator,
                "{ deadlines { nodes { kind status } } }",
                json!({}),
            )
            .await;
        assert!(listed["errors"].is_null(), "{listed}");
        let report = app
            .gql_as(
                &TestActor::new("STRATEGIC_ANALYST", "partnership"),
                "{ strategicReport(from: \"2026-01-01T00:00:00Z\", to: \"2026-12-31T00:00:00Z\") { __typename } }",
                json!({}),
            )
            .await;
        assert!(report["errors"].is_null(), "{report}");
    }
}
