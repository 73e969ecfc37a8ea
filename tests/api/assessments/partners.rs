//! Who answers for a contribution: an assessment led by a partner agency rather than the
//! child's lead, and an asked agency that has since left the case team.

use serde_json::json;

use super::{
    ASK, CONTRIBUTE, START, ask, ask_input, contribute, contribute_input, contribution_of,
    coordinator, events, op, read, start, start_input, team, told,
};
use crate::helpers::plans::days_from_today;
use crate::helpers::{TestActor, error_code, id_of, spawn_apps};

const MINE: &str = "{ myContributionRequests { nodes { id } } }";

#[tokio::test]
async fn an_assessment_led_by_a_partner_is_run_by_that_partner_and_not_by_the_childs_lead() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let input = start_input(
            &f.alpha,
            "HSB_AIM3",
            &f.agency_gid("camhs"),
            days_from_today(30),
        );
        let started = app.ok_as(&coordinator(), &op(START), input).await;
        let assessment = id_of(&started["startAssessment"]["assessment"]);
        let operation = op(ASK);
        let request = ask_input(&f, &assessment, &["police"], &["SEXUAL_BEHAVIOURS"]);
        let refused = app
            .gql_as(&coordinator(), &operation, request.clone())
            .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
        let asked = app
            .ok_as(&TestActor::agency_lead("camhs"), &operation, request)
            .await;
        let contribution = id_of(&contribution_of(
            &asked["requestContributions"]["contributions"],
            "police",
            "SEXUAL_BEHAVIOURS",
        ));
        let police = TestActor::practitioner("police");
        let answered = contribute(
            &app,
            &police,
            &contribution,
            "police intelligence",
            "RESTRICTED",
            &[],
        )
        .await;
        assert!(answered["errors"].is_null(), "{answered}");
        // The contribution is told to the assessment's lead (CAMHS).
        let recorded = events(&app, "CONTRIBUTION_RECORDED").await;
        assert_eq!(recorded.len(), 1);
        assert!(told(&f, &recorded[0], "camhs"));
        // Restricted content: the contributor and the child's lead read it; the
        // assessment's lead, not the child's lead and not shared with, does not.
        for reader in [police, coordinator()] {
            let seen = read(&app, &reader, &contribution).await;
            assert_eq!(seen["restricted"], false, "{reader:?}: {seen}");
            assert_eq!(seen["concerns"], "Synthetic concerns: police intelligence.");
        }
        let camhs = read(&app, &TestActor::agency_lead("camhs"), &contribution).await;
        assert_eq!(camhs["restricted"], true, "{camhs}");
        assert!(camhs["concerns"].is_null(), "{camhs}");
    }
}

#[tokio::test]
async fn an_agency_that_left_the_team_can_no_longer_contribute_and_a_grant_does_not_let_it() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let asked = ask(&app, &f, &assessment, &["school"], &["FAMILY"]).await;
        let part = contribution_of(&asked["contributions"], "school", "FAMILY");
        let (id, version) = (id_of(&part), part["version"].as_i64().expect("version"));
        let team_now = app
            .ok_as(
                &coordinator(),
                "query($id: ID!) { child(id: $id) { involvements { id version agency { code } } } }",
                json!({ "id": f.alpha }),
            )
            .await;
        let school_involvement = team_now["child"]["involvements"]
            .as_array()
            .and_then(|all| all.iter().find(|i| i["agency"]["code"] == "school"))
            .cloned()
            .expect("school on the team");
        app.ok_as(
            &TestActor::agency_lead("school"),
            "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) { involvement { id } } }",
            json!({ "input": { "involvementId": school_involvement["id"], "reason": "Synthetic: school work done.",
                               "expectedVersion": school_involvement["version"] } }),
        )
        .await;

        let school = TestActor::practitioner("school");
        let operation = op(CONTRIBUTE);
        let input = contribute_input(&id, version, "after leaving", "STANDARD", &[]);
        let gone = app.gql_as(&school, &operation, input.clone()).await;
        assert_eq!(error_code(&gone), Some("NOT_FOUND"), "{gone}");
        let mine = app.ok_as(&school, MINE, json!({})).await;
        assert_eq!(
            mine["myContributionRequests"]["nodes"],
            json!([]),
            "only children of its teams"
        );

        // Breaking the glass gives read access only.
        app.ok_as(
            &school,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: safeguarding incident at school today." } }),
        )
        .await;
        assert_eq!(read(&app, &school, &id).await["status"], "REQUESTED");
        let read_only = app.gql_as(&school, &operation, input).await;
        assert_eq!(error_code(&read_only), Some("FORBIDDEN"), "{read_only}");
        let kept = read(&app, &coordinator(), &id).await;
        assert_eq!(
            (kept["status"].clone(), kept["version"].clone()),
            (json!("REQUESTED"), json!(version))
        );
    }
}

#[tokio::test]
async fn the_agency_leading_an_assessment_stays_on_the_team_until_it_completes() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let input = start_input(
            &f.alpha,
            "HSB_AIM3",
            &f.agency_gid("camhs"),
            days_from_today(30),
        );
        let started = app.ok_as(&coordinator(), &op(START), input).await;
        let assessment = &started["startAssessment"]["assessment"];
        let involvement = |team: &serde_json::Value| {
            team["child"]["involvements"]
                .as_array()
                .and_then(|all| {
                    all.iter()
                        .find(|i| i["agency"]["code"] == "camhs" && i["active"] == true)
                })
                .cloned()
                .expect("camhs on the team")
        };
        let team_query = "query($id: ID!) { child(id: $id) { involvements { id version active agency { code } } } }";
        let end = "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) { involvement { active } } }";
        let camhs = involvement(
            &app.ok_as(&coordinator(), team_query, json!({ "id": f.alpha }))
                .await,
        );
        let leave = json!({ "input": { "involvementId": camhs["id"], "reason": "Synthetic: leaving the team.",
                                       "expectedVersion": camhs["version"] } });
        // Neither CAMHS itself nor the lead's coordinator can strand the assessment.
        for actor in [TestActor::agency_lead("camhs"), coordinator()] {
            let refused = app.gql_as(&actor, end, leave.clone()).await;
            assert_eq!(error_code(&refused), Some("VALIDATION_FAILED"), "{refused}");
            assert_eq!(refused["errors"][0]["extensions"]["field"], "involvementId");
        }
        // Once CAMHS completes it, CAMHS may leave.
        let id = id_of(assessment);
        let version = assessment["version"].as_i64().expect("version");
        app.ok_as(
            &TestActor::agency_lead("camhs"),
            &op(super::COMPLETE),
            super::complete_input(&id, version, &[]),
        )
        .await;
        let left = app
            .ok_as(&TestActor::agency_lead("camhs"), end, leave)
            .await;
        assert_eq!(left["endInvolvement"]["involvement"]["active"], false);
    }
}

#[tokio::test]
async fn a_contribution_is_shared_only_with_agencies_on_the_case_team() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let asked = ask(&app, &f, &assessment, &["school"], &["FAMILY"]).await;
        let part = id_of(&contribution_of(
            &asked["contributions"],
            "school",
            "FAMILY",
        ));
        let school = TestActor::practitioner("school");
        let off_team = contribute(
            &app,
            &school,
            &part,
            "shared off the team",
            "RESTRICTED",
            &[f.agency_gid("yjs")],
        )
        .await;
        assert_eq!(
            error_code(&off_team),
            Some("VALIDATION_FAILED"),
            "{off_team}"
        );
        assert_eq!(off_team["errors"][0]["extensions"]["field"], "sharedWith");
        let on_team = contribute(
            &app,
            &school,
            &part,
            "shared with CAMHS",
            "RESTRICTED",
            &[f.agency_gid("camhs")],
        )
        .await;
        assert!(on_team["errors"].is_null(), "{on_team}");
        let camhs = read(&app, &TestActor::practitioner("camhs"), &part).await;
        assert_eq!(camhs["restricted"], false, "{camhs}");
    }
}
