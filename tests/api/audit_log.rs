//! The audit log (`docs/access.md`): exactly the expected rows, and the auditor's views.

use std::collections::HashSet;

use entity::audit_events;
use sea_orm::EntityTrait;
use serde_json::json;
use uuid::Uuid;

use crate::fixture;
use crate::helpers::refusals::{Audit, Refusal, assert_refused};
use crate::helpers::{Backend, TestActor, TestApp, error_code, spawn_apps, uuid_of};

async fn ids(app: &TestApp) -> HashSet<Uuid> {
    audit_events::Entity::find()
        .all(&app.db)
        .await
        .expect("rows")
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[tokio::test]
async fn a_scripted_sequence_writes_exactly_the_expected_audit_rows() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let before = ids(&app).await;
        let school = TestActor::practitioner("school");
        let camhs = TestActor::practitioner("camhs");
        let coordinator = TestActor::coordinator("csc");
        let admin = TestActor::admin("partnership");
        let police = TestActor::practitioner("police");
        let analyst = TestActor::analyst("partnership");

        // One request reaching the same child three ways: one read.
        app.ok_as(
            &school,
            "query($id: ID!) { child(id: $id) { id involvements { child { id } } } node(id: $id) { id } }",
            json!({ "id": f.alpha }),
        )
        .await;
        // An outsider's attempt: one denial.
        app.gql_as(
            &camhs,
            "query($id: ID!) { child(id: $id) { id } }",
            json!({ "id": f.alpha }),
        )
        .await;
        // A list: one read per child listed.
        app.ok_as(
            &coordinator,
            "{ children(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
        let register = "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }";
        let input = json!({ "input": { "givenName": "Oscar", "familyName": "Testchild", "dateOfBirth": "2014-01-01", "gender": "Male" } });
        let registered = app.ok_as(&coordinator, register, input.clone()).await;
        let oscar = uuid_of(
            registered["registerChild"]["child"]["id"]
                .as_str()
                .expect("id"),
        );
        app.gql_as(&admin, register, input).await;
        app.ok_as(
            &school,
            "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { behaviour { id } } }",
            json!({ "input": { "childId": f.alpha, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-01T12:00:00Z", "setting": "SCHOOL",
                               "contactType": "NON_CONTACT", "description": "Synthetic.", "continuum": "NORMAL", "trafficLight": "GREEN" } }),
        )
        .await;
        app.ok_as(
            &police,
            "{ findKnownChild(input: { familyName: \"Testchild\", givenName: \"Alpha\", dateOfBirth: \"2013-04-05\" }) { known } }",
            json!({}),
        )
        .await;
        app.gql_as(&analyst, "{ children { totalCount } }", json!({}))
            .await;
        app.gql_as(
            &school,
            "mutation($input: AddInvolvementInput!) { addInvolvement(input: $input) { involvement { id } } }",
            json!({ "input": { "childId": f.alpha, "agencyId": f.agency_gid("camhs") } }),
        )
        .await;

        let alpha = Some(uuid_of(&f.alpha));
        let mut expected: Vec<(String, &str, &str, Option<Uuid>)> = vec![
            (school.sub.clone(), "READ_CHILD", "ALLOWED", alpha),
            (camhs.sub.clone(), "READ_CHILD", "DENIED", alpha),
            (coordinator.sub.clone(), "READ_CHILD", "ALLOWED", alpha),
            (
                coordinator.sub.clone(),
                "READ_CHILD",
                "ALLOWED",
                Some(uuid_of(&f.bravo)),
            ),
            (
                coordinator.sub.clone(),
                "READ_CHILD",
                "ALLOWED",
                Some(uuid_of(&f.charlie)),
            ),
            (
                coordinator.sub.clone(),
                "REGISTER_CHILD",
                "ALLOWED",
                Some(oscar),
            ),
            (admin.sub.clone(), "REGISTER_CHILD", "DENIED", None),
            (school.sub.clone(), "RECORD_BEHAVIOUR", "ALLOWED", alpha),
            (police.sub.clone(), "FIND_KNOWN_CHILD", "ALLOWED", alpha),
            (analyst.sub.clone(), "LIST_CHILDREN", "DENIED", None),
            (school.sub.clone(), "ADD_INVOLVEMENT", "DENIED", alpha),
        ];
        let rows = audit_events::Entity::find()
            .all(&app.db)
            .await
            .expect("rows");
        let mut written: Vec<(String, &str, &str, Option<Uuid>)> = rows
            .iter()
            .filter(|r| !before.contains(&r.id))
            .map(|r| {
                let outcome = match r.outcome {
                    entity::enums::AuditOutcome::Allowed => "ALLOWED",
                    entity::enums::AuditOutcome::Denied => "DENIED",
                };
                (
                    r.actor_subject.clone(),
                    r.action.as_str(),
                    outcome,
                    r.child_id,
                )
            })
            .collect();
        expected.sort();
        written.sort();
        assert_eq!(written, expected, "nothing missing, nothing extra");
        assert!(
            rows.iter()
                .filter(|r| !before.contains(&r.id))
                .all(|r| r.request_id.is_some())
        );
    }
}

#[tokio::test]
async fn only_the_auditor_reads_the_log_and_the_child_access_report() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        for _ in 0..2 {
            app.ok_as(
                &school,
                "query($id: ID!) { child(id: $id) { id } }",
                json!({ "id": f.alpha }),
            )
            .await;
        }
        let auditor = TestActor::auditor("partnership");
        let report = app
            .ok_as(
                &auditor,
                "query($id: ID!) { childAccessReport(childId: $id) { childId readers { actorSubject agencyCode reads } events { action } } }",
                json!({ "id": f.alpha }),
            )
            .await;
        let readers = &report["childAccessReport"]["readers"];
        assert_eq!(
            readers,
            &json!([{ "actorSubject": school.sub, "agencyCode": "school", "reads": 2 }])
        );
        assert!(
            report["childAccessReport"]["events"]
                .as_array()
                .expect("events")
                .len()
                >= 3
        );

        let log = app
            .ok_as(
                &auditor,
                "query($id: ID!) { auditEvents(filter: { childId: $id, action: \"READ_CHILD\" }, first: 1) {
                    totalCount pageInfo { hasNextPage } edges { node { actorSubject outcome childId entityType } } } }",
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(log["auditEvents"]["totalCount"], 2);
        assert_eq!(log["auditEvents"]["pageInfo"]["hasNextPage"], true);
        assert_eq!(log["auditEvents"]["edges"][0]["node"]["childId"], f.alpha);

        for actor in [
            TestActor::coordinator("csc"),
            TestActor::admin("partnership"),
            TestActor::analyst("partnership"),
        ] {
            let refusals = [
                Refusal::new(
                    actor.clone(),
                    "{ auditEvents { totalCount } }",
                    json!({}),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    actor,
                    "query($id: ID!) { childAccessReport(childId: $id) { childId } }",
                    json!({ "id": f.alpha }),
                    "FORBIDDEN",
                ),
            ];
            assert_refused(&app, Audit::Unchecked, refusals).await;
        }
        // The auditor sees no case content.
        let content = app
            .gql_as(
                &auditor,
                "query($id: ID!) { child(id: $id) { givenName } }",
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(error_code(&content), Some("NOT_FOUND"));
    }
}

/// From now on, refuses to write any audit row for `subject` (a trigger on
/// `audit_events`), as a full disk or a lost connection would.
async fn refuse_audit_rows_of(app: &TestApp, subject: &str) {
    use sea_orm::ConnectionTrait as _;
    let statements = match app.backend {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events \
             WHEN NEW.actor_subject = '{subject}' \
             BEGIN SELECT RAISE(ABORT, 'synthetic audit failure'); END"
        )],
        Backend::Postgres(_) => vec![
            format!(
                "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF NEW.actor_subject = '{subject}' THEN \
                 RAISE EXCEPTION 'synthetic audit failure'; END IF; RETURN NEW; END $$"
            ),
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events \
             FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
                .to_owned(),
        ],
    };
    for statement in statements {
        app.db
            .execute_unprepared(&statement)
            .await
            .expect("the trigger");
    }
}

#[tokio::test]
async fn a_read_whose_audit_row_cannot_be_written_shows_nothing() {
    // The reads under a child run while its read is being audited: none of what they
    // found may reach the caller when the audit row is not written.
    const VIEW: &str = "query($id: ID!) { child(id: $id) { id givenName \
        involvements { role agency { code } } chronology { nodes { id summary } } \
        behaviours { nodes { id } } deadlines { id status } jointPlans { nodes { id } } } }";
    const CASELOAD: &str = "{ children(first: 10) { edges { node { id givenName \
        involvements { role } chronology { nodes { id summary } } deadlines { id } } } } }";
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        fixture::chronology_entry(&app, &school, &f.alpha, "NOTE", "2026-11-02T10:00:00Z").await;
        let seen = app.ok_as(&school, VIEW, json!({ "id": f.alpha })).await;
        assert_eq!(seen["child"]["givenName"], "Alpha");
        assert_eq!(
            seen["child"]["chronology"]["nodes"][0]["summary"],
            "Synthetic."
        );

        refuse_audit_rows_of(&app, &school.sub).await;
        for (query, variables) in [(VIEW, json!({ "id": f.alpha })), (CASELOAD, json!({}))] {
            let response = app.gql_as(&school, query, variables).await;
            assert_eq!(error_code(&response), Some("INTERNAL"), "{response}");
            assert!(response["data"].is_null(), "{response}");
            let text = response.to_string();
            // Neither the child nor the database's own message reaches the client.
            assert!(
                !text.contains("Alpha")
                    && !text.contains("Synthetic.")
                    && !text.contains("synthetic audit failure"),
                "{:?}: {text}",
                app.backend
            );
        }
        // Another caller is unaffected: the refusal is the school's audit row alone.
        let police = app
            .ok_as(
                &TestActor::practitioner("police"),
                VIEW,
                json!({ "id": f.bravo }),
            )
            .await;
        assert_eq!(police["child"]["givenName"], "Bravo");
    }
}
