//! Disclosure requests (`docs/access.md`, restricted entries): an agency that sees a
//! restricted entry without content asks; the recording agency shares or declines.

use entity::plan_events;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::fixture::{self, Fixture};
use crate::helpers::db::audited;
use crate::helpers::{TestActor, TestApp, error_code, spawn_apps, uuid_of};
use crate::ws_client::GqlSocket;

const REQUEST: &str = "mutation($input: RequestDisclosureInput!) { requestDisclosure(input: $input) {
    request { id status entryKind entryId reason version recordingAgency { code } requestingAgency { code } } } }";

const DECIDE: &str = "mutation($input: DecideDisclosureInput!) { decideDisclosure(input: $input) {
    request { id status decisionReason decidedAt version } } }";

const ENTRY: &str =
    "query($id: ID!) { node(id: $id) { ... on ChronologyEntry { restricted summary } } }";

const REQUEST_NODE: &str = "query($id: ID!) { node(id: $id) { ... on DisclosureRequest {
    id status reason decisionReason entry { ... on ChronologyEntry { restricted summary } } } } }";

const DEADLINES: &str =
    "query($id: ID!) { child(id: $id) { deadlines { kind status responsibleAgency { code } } } }";

const EVENTS: &str = "subscription($after: String) { caseTeamEvents(after: $after) {
    kind childId disclosureRequest { id status reason } } }";

/// Alpha's team (CSC lead, school) with police on it, and a restricted police interview
/// the school sees without content. Returns the entry's global id.
async fn restricted_entry(app: &TestApp, f: &Fixture) -> String {
    fixture::involve(app, &f.agency_gid("police"), &f.alpha, "police").await;
    let data = app
        .ok_as(
            &TestActor::practitioner("police"),
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
            json!({ "input": { "childId": f.alpha, "kind": "POLICE_INTERVIEW", "occurredAt": "2026-11-02T09:00:00Z",
                               "summary": "Synthetic interview notes.", "sensitivity": "RESTRICTED" } }),
        )
        .await;
    data["addChronologyEntry"]["entry"]["id"]
        .as_str()
        .expect("entry id")
        .to_owned()
}

async fn request(app: &TestApp, actor: &TestActor, entry: &str, reason: &str) -> Value {
    app.gql_as(
        actor,
        REQUEST,
        json!({ "input": { "entryId": entry, "reason": reason } }),
    )
    .await
}

async fn decide(
    app: &TestApp,
    actor: &TestActor,
    request: &str,
    decision: &str,
    reason: Option<&str>,
    version: i64,
) -> Value {
    app.gql_as(
        actor,
        DECIDE,
        json!({ "input": { "requestId": request, "decision": decision, "reason": reason, "expectedVersion": version } }),
    )
    .await
}

/// The school's request for the entry, as made.
async fn school_asks(app: &TestApp, entry: &str) -> Value {
    let response = request(
        app,
        &TestActor::practitioner("school"),
        entry,
        "The school needs the account to plan supervision at break times.",
    )
    .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["requestDisclosure"]["request"].clone()
}

fn disclosure_deadline(data: &Value) -> Value {
    data["child"]["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == "DISCLOSURE_DECISION")
        .cloned()
        .unwrap_or(Value::Null)
}

async fn latest_seq(app: &TestApp) -> i64 {
    plan_events::Entity::find()
        .order_by_desc(plan_events::Column::Seq)
        .one(&app.db)
        .await
        .expect("outbox")
        .map_or(0, |event| event.seq)
}

#[tokio::test]
async fn a_shared_entry_becomes_readable_by_the_requester_and_the_decision_deadline_is_met() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let entry = restricted_entry(&app, &f).await;
        let police_lead = TestActor::agency_lead("police");
        let school = TestActor::practitioner("school");
        let mut socket = GqlSocket::open(&app.ws_url(), &police_lead.token()).await;
        let from = latest_seq(&app).await;
        socket
            .subscribe("d", EVENTS, json!({ "after": from.to_string() }))
            .await;

        let asked = school_asks(&app, &entry).await;
        assert_eq!(asked["status"], "REQUESTED");
        assert_eq!(asked["entryKind"], "CHRONOLOGY_ENTRY");
        assert_eq!(asked["entryId"], entry);
        assert_eq!(asked["recordingAgency"]["code"], "police");
        assert_eq!(asked["requestingAgency"]["code"], "school");
        let id = asked["id"].as_str().expect("id").to_owned();

        // The recording agency's lead hears of it over its live stream.
        let heard = socket.next_data("d").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "DISCLOSURE_REQUESTED");
        assert_eq!(heard["disclosureRequest"]["id"], id);
        assert!(
            heard["childId"].is_null(),
            "addressed, not told to the team"
        );
        socket.close().await;

        // Asking again while it is open returns the same request.
        let again = school_asks(&app, &entry).await;
        assert_eq!(again["id"], id);

        // It is a deadline the recording agency answers for.
        let data = app
            .ok_as(&police_lead, DEADLINES, json!({ "id": f.alpha }))
            .await;
        let deadline = disclosure_deadline(&data);
        assert_eq!(deadline["status"], "DUE", "{data}");
        assert_eq!(deadline["responsibleAgency"]["code"], "police");

        // Listed for the recording agency (incoming) and the school (outgoing) only.
        let list = "query($d: DisclosureDirection, $s: DisclosureStatus) { myDisclosureRequests(direction: $d, status: $s) { nodes { id } } }";
        let ids = |data: Value| -> Vec<Value> {
            data["myDisclosureRequests"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["id"].clone())
                .collect()
        };
        let incoming = app
            .ok_as(&police_lead, list, json!({ "s": "REQUESTED" }))
            .await;
        assert_eq!(ids(incoming), vec![json!(id)]);
        let outgoing = app.ok_as(&school, list, json!({ "d": "OUTGOING" })).await;
        assert_eq!(ids(outgoing), vec![json!(id)]);
        let school_incoming = app.ok_as(&school, list, json!({})).await;
        assert!(ids(school_incoming).is_empty());
        // The lead agency, not a party to it, does not see it.
        let csc = app
            .ok_as(
                &TestActor::coordinator("csc"),
                REQUEST_NODE,
                json!({ "id": id }),
            )
            .await;
        assert!(csc["node"].is_null(), "{csc}");

        let shared = decide(&app, &police_lead, &id, "SHARE", None, 1).await;
        assert!(shared["errors"].is_null(), "{shared}");
        let shared = &shared["data"]["decideDisclosure"]["request"];
        assert_eq!(shared["status"], "SHARED");
        assert_eq!(shared["version"], 2);

        let read = app.ok_as(&school, ENTRY, json!({ "id": entry })).await;
        assert_eq!(read["node"]["restricted"], false);
        assert_eq!(read["node"]["summary"], "Synthetic interview notes.");

        let data = app
            .ok_as(&police_lead, DEADLINES, json!({ "id": f.alpha }))
            .await;
        assert_eq!(disclosure_deadline(&data)["status"], "MET", "{data}");

        // Deciding again is a conflict.
        let twice = decide(&app, &police_lead, &id, "SHARE", None, 2).await;
        assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice}");

        // Audited, and the requester was told.
        assert_eq!(
            audited(&app.db, "REQUEST_DISCLOSURE", uuid_of(&id))
                .await
                .len(),
            2
        );
        assert_eq!(
            audited(&app.db, "DECIDE_DISCLOSURE", uuid_of(&id))
                .await
                .len(),
            1
        );
        assert_eq!(
            audited(&app.db, "SHARE_ENTRY", uuid_of(&entry)).await.len(),
            1
        );
        let told = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("DISCLOSURE_DECIDED"))
            .all(&app.db)
            .await
            .expect("events");
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].audience.0, vec![f.agency("school")]);
        assert!(told[0].child_id.is_none());
    }
}

#[tokio::test]
async fn a_declined_request_keeps_the_entry_masked_and_tells_the_requester_why() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let entry = restricted_entry(&app, &f).await;
        let police_lead = TestActor::agency_lead("police");
        let school = TestActor::practitioner("school");
        let asked = school_asks(&app, &entry).await;
        let id = asked["id"].as_str().expect("id").to_owned();

        // A practitioner of the recording agency may not decide.
        let practitioner = decide(
            &app,
            &TestActor::practitioner("police"),
            &id,
            "SHARE",
            None,
            1,
        )
        .await;
        assert_eq!(
            error_code(&practitioner),
            Some("FORBIDDEN"),
            "{practitioner}"
        );
        // Another agency's lead cannot see it at all; the requester's lead may not decide.
        let other = decide(&app, &TestActor::coordinator("csc"), &id, "SHARE", None, 1).await;
        assert_eq!(error_code(&other), Some("NOT_FOUND"), "{other}");
        let requester = decide(
            &app,
            &TestActor::agency_lead("school"),
            &id,
            "SHARE",
            None,
            1,
        )
        .await;
        assert_eq!(error_code(&requester), Some("FORBIDDEN"), "{requester}");
        // Declining needs a reason of at least 20 characters.
        let short = decide(&app, &police_lead, &id, "DECLINE", Some("Not now."), 1).await;
        assert_eq!(error_code(&short), Some("VALIDATION_FAILED"), "{short}");
        let missing = decide(&app, &police_lead, &id, "DECLINE", None, 1).await;
        assert_eq!(error_code(&missing), Some("VALIDATION_FAILED"), "{missing}");
        // A stale version is a conflict carrying the current one.
        let stale = decide(&app, &police_lead, &id, "SHARE", None, 7).await;
        assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
        assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 1);

        let why = "The interview is part of a live investigation before charge.";
        let declined = decide(&app, &police_lead, &id, "DECLINE", Some(why), 1).await;
        assert!(declined["errors"].is_null(), "{declined}");
        assert_eq!(
            declined["data"]["decideDisclosure"]["request"]["status"],
            "DECLINED"
        );

        let seen = app.ok_as(&school, REQUEST_NODE, json!({ "id": id })).await;
        assert_eq!(seen["node"]["status"], "DECLINED");
        assert_eq!(seen["node"]["decisionReason"], why);
        assert_eq!(seen["node"]["entry"]["restricted"], true);
        assert!(seen["node"]["entry"]["summary"].is_null());

        let rows = audited(&app.db, "DECIDE_DISCLOSURE", uuid_of(&id)).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].reason.as_deref(), Some(why));
        assert!(
            audited(&app.db, "SHARE_ENTRY", uuid_of(&entry))
                .await
                .is_empty()
        );
    }
}

#[tokio::test]
async fn only_an_agency_that_sees_the_entry_without_content_may_ask() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let entry = restricted_entry(&app, &f).await;
        let reason = "A reason that is certainly long enough to count.";
        // Off the case team: the entry is not there at all.
        let outsider = request(&app, &TestActor::practitioner("health"), &entry, reason).await;
        assert_eq!(error_code(&outsider), Some("NOT_FOUND"), "{outsider}");
        let missing = request(
            &app,
            &TestActor::practitioner("school"),
            &crate::helpers::global_id("ChronologyEntry", uuid::Uuid::now_v7()),
            reason,
        )
        .await;
        assert_eq!(error_code(&missing), Some("NOT_FOUND"), "{missing}");
        // The recorder and the lead agency already read it.
        for actor in [
            TestActor::practitioner("police"),
            TestActor::coordinator("csc"),
        ] {
            let readable = request(&app, &actor, &entry, reason).await;
            assert_eq!(
                error_code(&readable),
                Some("VALIDATION_FAILED"),
                "{readable}"
            );
            assert_eq!(readable["errors"][0]["extensions"]["field"], "entryId");
        }
        let short = request(&app, &TestActor::practitioner("school"), &entry, "Please.").await;
        assert_eq!(error_code(&short), Some("VALIDATION_FAILED"), "{short}");
        assert_eq!(short["errors"][0]["extensions"]["field"], "reason");
        let wrong_kind = request(&app, &TestActor::practitioner("school"), &f.alpha, reason).await;
        assert_eq!(
            error_code(&wrong_kind),
            Some("VALIDATION_FAILED"),
            "{wrong_kind}"
        );
    }
}
