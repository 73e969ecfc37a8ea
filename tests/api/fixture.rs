//! A small partnership built the way it is in production: agencies added by the
//! operator, children registered and case teams built through GraphQL.

use entity::enums::AgencyKind;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{TestActor, TestApp, global_id};

/// The shared fixture's agencies and children.
pub struct Fixture {
    /// Agency ids by code.
    pub agencies: Vec<(String, Uuid)>,
    /// Team: CSC (lead) and school.
    pub alpha: String,
    /// Team: CSC (lead) and police.
    pub bravo: String,
    /// Team: CSC (lead) only.
    pub charlie: String,
}

impl Fixture {
    /// The id of an agency by code.
    pub fn agency(&self, code: &str) -> Uuid {
        self.agencies
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| *id)
            .expect("fixture agency")
    }

    /// The global id of an agency by code.
    pub fn agency_gid(&self, code: &str) -> String {
        global_id("Agency", self.agency(code))
    }
}

/// The agencies of the fixture.
pub const AGENCIES: [(&str, AgencyKind); 7] = [
    ("csc", AgencyKind::ChildrensSocialCare),
    ("police", AgencyKind::Police),
    ("school", AgencyKind::Education),
    ("camhs", AgencyKind::Camhs),
    ("yjs", AgencyKind::YouthJustice),
    ("health", AgencyKind::Health),
    ("partnership", AgencyKind::Other),
];

/// Registers a child as the CSC coordinator and returns its global id.
pub async fn register(app: &TestApp, given: &str) -> String {
    let response = app
        .gql_as(
            &TestActor::coordinator("csc"),
            "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }",
            json!({ "input": {
                "givenName": given, "familyName": "Testchild", "dateOfBirth": "2013-04-05",
                "gender": "Not recorded"
            }}),
        )
        .await;
    response["data"]["registerChild"]["child"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("register {given}: {response}"))
        .to_owned()
}

/// Adds `agency` to a child's team as the CSC coordinator.
pub async fn involve(app: &TestApp, fixture_agency: &str, child: &str, agency_code: &str) {
    let response = app
        .gql_as(
            &TestActor::coordinator("csc"),
            "mutation($input: AddInvolvementInput!) { addInvolvement(input: $input) { involvement { id } } }",
            json!({ "input": { "childId": child, "agencyId": fixture_agency, "reason": "test" } }),
        )
        .await;
    assert!(
        response["errors"].is_null(),
        "involve {agency_code}: {response}"
    );
}

/// Records a chronology entry of `kind` for `child` as `actor`, failing on any error.
pub async fn chronology_entry(
    app: &TestApp,
    actor: &TestActor,
    child: &str,
    kind: &str,
    occurred_at: &str,
) {
    app.ok_as(
        actor,
        "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
        json!({ "input": { "childId": child, "kind": kind, "occurredAt": occurred_at, "summary": "Synthetic." } }),
    )
    .await;
}

/// Builds the fixture on `app`.
pub async fn build(app: &TestApp) -> Fixture {
    let mut agencies = Vec::new();
    for (code, kind) in AGENCIES {
        agencies.push((code.to_owned(), app.add_agency(code, kind).await));
    }
    let mut fixture = Fixture {
        agencies,
        alpha: String::new(),
        bravo: String::new(),
        charlie: String::new(),
    };
    fixture.alpha = register(app, "Alpha").await;
    fixture.bravo = register(app, "Bravo").await;
    fixture.charlie = register(app, "Charlie").await;
    involve(app, &fixture.agency_gid("school"), &fixture.alpha, "school").await;
    involve(app, &fixture.agency_gid("police"), &fixture.bravo, "police").await;
    fixture
}
