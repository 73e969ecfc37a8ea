//! Who reads an assessment and its parts: the case team and emergency grant holders, with a
//! restricted contribution's content withheld except from its agency, those it is shared
//! with and the child's lead; a disclosure request to share it.

use serde_json::{Value, json};

use super::{ask, child, complete, contribute, contribution_of, coordinator, read, start, team};
use crate::helpers::db::audited;
use crate::helpers::{TestActor, error_code, id_of, spawn_apps, uuid_of};

const CONTENT: [&str; 5] = ["concerns", "strengths", "level", "sources", "sharedWith"];

/// Asserts that `seen` is the CAMHS contribution with its content withheld.
fn assert_masked(seen: &Value, who: &str) {
    assert_eq!(seen["restricted"], true, "{who}: {seen}");
    for field in CONTENT {
        assert!(seen[field].is_null(), "{who} must not read {field}: {seen}");
    }
    // That it exists, whose it is and where it stands are not withheld.
    assert_eq!(seen["status"], "CONTRIBUTED", "{who}: {seen}");
    assert_eq!(seen["sensitivity"], "RESTRICTED", "{who}: {seen}");
    assert_eq!(seen["agency"]["code"], "camhs", "{who}: {seen}");
}

/// Asserts that `seen` is the CAMHS contribution with its content.
fn assert_readable(seen: &Value, who: &str) {
    assert_eq!(seen["restricted"], false, "{who}: {seen}");
    assert_eq!(
        seen["concerns"], "Synthetic concerns: clinical detail.",
        "{who}: {seen}"
    );
    assert_eq!(
        seen["strengths"], "Synthetic strengths: clinical detail.",
        "{who}"
    );
    assert_eq!(seen["level"], "MEDIUM", "{who}");
    assert!(seen["sharedWith"].is_array(), "{who}: {seen}");
}

/// Alpha's assessment with a RESTRICTED CAMHS contribution shared with the police, and a
/// STANDARD school one; returns (assessment, CAMHS contribution, school contribution).
async fn restricted_contribution(
    app: &crate::helpers::TestApp,
    f: &crate::fixture::Fixture,
) -> (String, String, String) {
    let assessment = start(app, f, &f.alpha).await;
    let asked = ask(
        app,
        f,
        &assessment,
        &["camhs", "school"],
        &["DEVELOPMENTAL"],
    )
    .await;
    let camhs_part = id_of(&contribution_of(
        &asked["contributions"],
        "camhs",
        "DEVELOPMENTAL",
    ));
    let school_part = id_of(&contribution_of(
        &asked["contributions"],
        "school",
        "DEVELOPMENTAL",
    ));
    let answered = contribute(
        app,
        &TestActor::practitioner("camhs"),
        &camhs_part,
        "clinical detail",
        "RESTRICTED",
        &[f.agency_gid("police")],
    )
    .await;
    assert!(answered["errors"].is_null(), "{answered}");
    let answered = contribute(
        app,
        &TestActor::practitioner("school"),
        &school_part,
        "classroom",
        "STANDARD",
        &[],
    )
    .await;
    assert!(answered["errors"].is_null(), "{answered}");
    (assessment, camhs_part, school_part)
}

#[tokio::test]
async fn a_restricted_contribution_is_masked_for_other_agencies_but_read_by_its_agency_those_shared_with_and_the_childs_lead()
 {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let (assessment, camhs_part, school_part) = restricted_contribution(&app, &f).await;
        for (actor, readable) in [
            (TestActor::practitioner("camhs"), true),
            (TestActor::practitioner("police"), true),
            (TestActor::practitioner("csc"), true),
            (coordinator(), true),
            (TestActor::practitioner("school"), false),
            (TestActor::agency_lead("school"), false),
        ] {
            let who = format!("{actor:?}");
            let by_node = read(&app, &actor, &camhs_part).await;
            let through_assessment = contribution_of(
                &read(&app, &actor, &assessment).await["contributions"],
                "camhs",
                "DEVELOPMENTAL",
            );
            let through_child = contribution_of(
                &child(&app, &actor, &f.alpha).await["assessments"][0]["contributions"],
                "camhs",
                "DEVELOPMENTAL",
            );
            for seen in [by_node, through_assessment, through_child] {
                if readable {
                    assert_readable(&seen, &who);
                } else {
                    assert_masked(&seen, &who);
                }
            }
            // The school's STANDARD one is readable by everyone on the team.
            let standard = read(&app, &actor, &school_part).await;
            assert_eq!(standard["restricted"], false, "{who}: {standard}");
            assert_eq!(standard["concerns"], "Synthetic concerns: classroom.");
        }
        let shared = read(&app, &TestActor::practitioner("camhs"), &camhs_part).await;
        assert_eq!(shared["sharedWith"], json!([{ "code": "police" }]));
    }
}

#[tokio::test]
async fn a_shared_disclosure_request_makes_a_restricted_contribution_readable_to_the_requester() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let (_, camhs_part, _) = restricted_contribution(&app, &f).await;
        let school = TestActor::practitioner("school");
        let asked = app
            .ok_as(
                &school,
                "mutation($input: RequestDisclosureInput!) { requestDisclosure(input: $input) { request {
                    id status entryKind entryId version recordingAgency { code } requestingAgency { code }
                    entry { ... on AssessmentContribution { id restricted concerns } } } } }",
                json!({ "input": { "entryId": camhs_part, "reason": "The school needs the clinical view to plan support." } }),
            )
            .await["requestDisclosure"]["request"]
            .clone();
        assert_eq!(asked["status"], "REQUESTED");
        assert_eq!(asked["entryKind"], "ASSESSMENT_CONTRIBUTION");
        assert_eq!(asked["entryId"], camhs_part);
        assert_eq!(asked["recordingAgency"]["code"], "camhs");
        assert_eq!(asked["requestingAgency"]["code"], "school");
        assert_eq!(asked["entry"]["id"], camhs_part);
        assert_eq!(asked["entry"]["restricted"], true);
        assert!(asked["entry"]["concerns"].is_null());
        // Readable already: the police it is shared with may not ask.
        let needless = app
            .gql_as(
                &TestActor::practitioner("police"),
                "mutation($input: RequestDisclosureInput!) { requestDisclosure(input: $input) { request { id } } }",
                json!({ "input": { "entryId": camhs_part, "reason": "The police would like to read it again." } }),
            )
            .await;
        assert_eq!(
            error_code(&needless),
            Some("VALIDATION_FAILED"),
            "{needless}"
        );

        let decide = "mutation($input: DecideDisclosureInput!) { decideDisclosure(input: $input) { request { status version } } }";
        let input = json!({ "input": { "requestId": asked["id"], "decision": "SHARE", "expectedVersion": asked["version"] } });
        let practitioner = app
            .gql_as(&TestActor::practitioner("camhs"), decide, input.clone())
            .await;
        assert_eq!(
            error_code(&practitioner),
            Some("FORBIDDEN"),
            "{practitioner}"
        );
        let shared = app
            .ok_as(&TestActor::agency_lead("camhs"), decide, input)
            .await;
        assert_eq!(shared["decideDisclosure"]["request"]["status"], "SHARED");

        let seen = read(&app, &school, &camhs_part).await;
        assert_readable(&seen, "school, once shared");
        let mut with: Vec<&str> = seen["sharedWith"]
            .as_array()
            .expect("sharedWith")
            .iter()
            .filter_map(|a| a["code"].as_str())
            .collect();
        with.sort_unstable();
        assert_eq!(with, ["police", "school"]);
        // Nobody else gained anything: YJS is still off the team.
        assert!(
            read(&app, &TestActor::practitioner("yjs"), &camhs_part)
                .await
                .is_null()
        );
        assert_eq!(
            audited(&app.db, "DECIDE_DISCLOSURE", uuid_of(&id_of(&asked)))
                .await
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn an_assessment_and_its_parts_are_null_from_node_off_the_team_and_readable_with_a_grant() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let (assessment, camhs_part, _) = restricted_contribution(&app, &f).await;
        let completed = complete(
            &app,
            &assessment,
            &[("FAMILY", "Synthetic: supervision at home.")],
        )
        .await;
        let need = id_of(&completed["needs"][0]);
        let yjs = TestActor::coordinator("yjs");
        for id in [&assessment, &camhs_part, &need] {
            assert!(
                read(&app, &yjs, id).await.is_null(),
                "{id} is hidden off the team"
            );
            let team_view = read(&app, &TestActor::practitioner("school"), id).await;
            assert_eq!(team_view["id"], json!(id), "the team reads {id}");
        }
        let assessments = app
            .gql_as(
                &yjs,
                "query($id: ID!) { child(id: $id) { assessments { id } } }",
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(error_code(&assessments), Some("NOT_FOUND"), "{assessments}");
        // Non-case roles never see one either.
        assert!(
            read(&app, &TestActor::auditor("partnership"), &assessment)
                .await
                .is_null()
        );

        // YJS breaks the glass: it reads the assessment, but not the restricted content.
        app.ok_as(
            &yjs,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: out-of-hours court appearance tonight." } }),
        )
        .await;
        let seen = read(&app, &yjs, &assessment).await;
        assert_eq!(seen["id"], json!(assessment), "{seen}");
        assert_eq!(seen["status"], "COMPLETED");
        assert_eq!(
            seen["needs"][0]["statement"],
            "Synthetic: supervision at home."
        );
        assert_masked(
            &contribution_of(&seen["contributions"], "camhs", "DEVELOPMENTAL"),
            "yjs with a grant",
        );
    }
}
