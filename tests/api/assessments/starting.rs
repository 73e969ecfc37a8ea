//! The frameworks, and `startAssessment`: who may start one, what it checks, and what it
//! records.

use serde_json::{Value, json};

use super::{
    START, audit, child, child_events, chronology_kinds, coordinator, ids, latest_seq, op,
    start_input, team,
};
use crate::helpers::plans::days_from_today;
use crate::helpers::refusals::{Audit, Refusal, assert_refused};
use crate::helpers::{TestActor, error_code, id_of, spawn_apps};
use crate::ws_client::GqlSocket;

const FRAMEWORKS: &str = "{ assessmentFrameworks { code version name minAgeYears maxAgeYears
    domains { code name dimensions } } }";

const EVENTS: &str =
    "subscription($after: String) { caseTeamEvents(after: $after) { kind childId } }";

fn framework<'a>(all: &'a Value, code: &str) -> &'a Value {
    all.as_array()
        .and_then(|all| all.iter().find(|f| f["code"] == code))
        .unwrap_or_else(|| panic!("no framework {code} in {all}"))
}

fn sorted_codes(domains: &Value) -> Vec<String> {
    let mut codes: Vec<String> = domains
        .as_array()
        .expect("domains")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_owned())
        .collect();
    codes.sort();
    codes
}

#[tokio::test]
async fn the_frameworks_are_listed_to_any_signed_in_caller_with_their_ages_and_domains() {
    for app in spawn_apps().await {
        team(&app).await;
        let mut seen = Vec::new();
        for actor in [
            TestActor::practitioner("school"),
            TestActor::analyst("partnership"),
            TestActor::auditor("partnership"),
            TestActor::admin("partnership"),
        ] {
            seen.push(app.ok_as(&actor, FRAMEWORKS, json!({})).await);
        }
        assert!(seen.windows(2).all(|w| w[0] == w[1]), "one list for all");
        let all = &seen[0]["assessmentFrameworks"];
        let mut codes: Vec<&str> = all
            .as_array()
            .expect("frameworks")
            .iter()
            .filter_map(|f| f["code"].as_str())
            .collect();
        codes.sort_unstable();
        assert_eq!(codes, ["CIN_AF", "HSB_AIM3", "HSB_AIM_UNDER_12"]);
        for (code, min, max) in [
            ("CIN_AF", 0, 17),
            ("HSB_AIM3", 12, 17),
            ("HSB_AIM_UNDER_12", 0, 11),
        ] {
            let found = framework(all, code);
            assert_eq!(found["version"], "2026-12", "{found}");
            assert_eq!(
                (found["minAgeYears"].clone(), found["maxAgeYears"].clone()),
                (json!(min), json!(max)),
                "{found}"
            );
        }
        let hsb = [
            "DEVELOPMENTAL",
            "ENVIRONMENT",
            "FAMILY",
            "NON_SEXUAL_BEHAVIOURS",
            "SEXUAL_BEHAVIOURS",
        ];
        assert_eq!(sorted_codes(&framework(all, "HSB_AIM3")["domains"]), hsb);
        assert_eq!(
            sorted_codes(&framework(all, "HSB_AIM_UNDER_12")["domains"]),
            hsb
        );
        let cin = framework(all, "CIN_AF");
        assert_eq!(
            sorted_codes(&cin["domains"]),
            [
                "DEVELOPMENTAL_NEEDS",
                "FAMILY_AND_ENVIRONMENT",
                "PARENTING_CAPACITY"
            ]
        );
        let developmental = cin["domains"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["code"] == "DEVELOPMENTAL_NEEDS"))
            .expect("developmental needs");
        assert_eq!(developmental["name"], "Child's developmental needs");
        let mut dimensions: Vec<&str> = developmental["dimensions"]
            .as_array()
            .expect("dimensions")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        dimensions.sort_unstable();
        assert_eq!(
            dimensions,
            [
                "Education",
                "Emotional and behavioural development",
                "Family and social relationships",
                "Health",
                "Identity",
                "Self-care skills",
                "Social presentation"
            ]
        );

        let anonymous = app.gql(FRAMEWORKS, json!({}), None).await;
        assert_eq!(
            error_code(&anonymous),
            Some("UNAUTHENTICATED"),
            "{anonymous}"
        );

        // The names the contract ships.
        for (code, name) in [
            ("CIN_AF", "Assessment Framework for children in need"),
            (
                "HSB_AIM3",
                "Harmful sexual behaviour assessment (AIM3 shape)",
            ),
            (
                "HSB_AIM_UNDER_12",
                "Harmful sexual behaviour assessment for children under 12 (AIM shape)",
            ),
        ] {
            assert_eq!(framework(all, code)["name"], name, "{code}");
        }
    }
}

#[tokio::test]
async fn the_lead_agencys_lead_starts_an_assessment_recorded_in_the_chronology_and_told_to_the_team()
 {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let lead = TestActor::agency_lead("csc");
        let due = days_from_today(45);
        let mut socket =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        let from = latest_seq(&app).await;
        socket
            .subscribe("s", EVENTS, json!({ "after": from.to_string() }))
            .await;
        let input = start_input(&f.alpha, "HSB_AIM3", &f.agency_gid("csc"), due);
        let started =
            app.ok_as(&lead, &op(START), input).await["startAssessment"]["assessment"].clone();
        let id = id_of(&started);
        assert_eq!(started["status"], "IN_PROGRESS");
        assert_eq!(started["child"]["id"], f.alpha);
        assert_eq!(started["leadAgency"]["code"], "csc");
        assert_eq!(started["dueOn"], due.to_string());
        assert!(started["startedAt"].is_string(), "{started}");
        assert_eq!(started["framework"]["code"], "HSB_AIM3");
        assert_eq!(started["framework"]["version"], "2026-12");
        assert_eq!(
            started["framework"]["domains"]
                .as_array()
                .expect("domains")
                .len(),
            5
        );
        for empty in [
            "completedAt",
            "completedWithinTimescale",
            "formulation",
            "hsbConcern",
            "levelOfNeed",
            "recommendedPathway",
            "interventionIntensity",
            "supersedes",
            "supersededBy",
        ] {
            assert!(
                started[empty].is_null(),
                "{empty} before completion: {started}"
            );
        }
        assert_eq!(started["needs"], json!([]));
        assert_eq!(started["contributions"], json!([]));
        assert!(started["version"].is_i64(), "{started}");

        // The chronology shows it to the whole team, recorded by the lead agency, STANDARD.
        let school_view = child(&app, &TestActor::practitioner("school"), &f.alpha).await;
        let entry = school_view["chronology"]["nodes"]
            .as_array()
            .and_then(|n| n.iter().find(|e| e["kind"] == "ASSESSMENT_STARTED"))
            .unwrap_or_else(|| panic!("no ASSESSMENT_STARTED entry: {school_view}"))
            .clone();
        assert_eq!(entry["recordingAgency"]["code"], "csc");
        assert_eq!(entry["restricted"], false);
        assert_eq!(
            chronology_kinds(&school_view)
                .iter()
                .filter(|k| *k == "ASSESSMENT_STARTED")
                .count(),
            1
        );
        assert_eq!(ids(&school_view["assessments"]), std::slice::from_ref(&id));

        // Told to the case team: the school hears it on its live stream.
        let heard = socket.next_data("s").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "ASSESSMENT_STARTED", "{heard}");
        assert_eq!(heard["childId"], f.alpha);
        socket.close().await;
        assert_eq!(
            child_events(&app, "ASSESSMENT_STARTED", &f.alpha)
                .await
                .len(),
            1
        );

        // Audited against the assessment and the child.
        let rows = audit(&app, "START_ASSESSMENT", Some(&f.alpha)).await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0]["outcome"], "ALLOWED");
        assert_eq!(rows[0]["entityType"], "Assessment");
        assert_eq!(rows[0]["entityId"], id);
        assert_eq!(rows[0]["actorSubject"], lead.sub);

        // The coordinator may start one too (for Bravo, under the children-in-need framework).
        let input = start_input(&f.bravo, "CIN_AF", &f.agency_gid("csc"), due);
        let bravo = app.ok_as(&coordinator(), &op(START), input).await;
        assert_eq!(
            bravo["startAssessment"]["assessment"]["framework"]["code"],
            "CIN_AF"
        );
    }
}

#[tokio::test]
async fn starting_is_forbidden_to_practitioners_partners_and_grant_holders_and_not_found_off_the_team()
 {
    for app in spawn_apps().await {
        let f = team(&app).await;
        // Health holds an emergency grant to Alpha: read-only.
        let health = TestActor::coordinator("health");
        app.ok_as(
            &health,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: out-of-hours crisis assessment tonight." } }),
        )
        .await;
        let input = start_input(
            &f.alpha,
            "HSB_AIM3",
            &f.agency_gid("csc"),
            days_from_today(30),
        );
        let operation = op(START);
        let refusals = [
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("school"), "FORBIDDEN"),
            (TestActor::coordinator("school"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            (TestActor::agency_lead("camhs"), "FORBIDDEN"),
            (health, "FORBIDDEN"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
            (TestActor::auditor("partnership"), "NOT_FOUND"),
        ]
        .map(|(actor, code)| Refusal::new(actor, &operation, input.clone(), code));
        assert_refused(&app, Audit::Denied, refusals).await;
        let view = child(&app, &coordinator(), &f.alpha).await;
        assert_eq!(view["assessments"], json!([]), "nothing was started");
        assert!(!chronology_kinds(&view).contains(&"ASSESSMENT_STARTED".to_owned()));
        let rows = audit(&app, "START_ASSESSMENT", None).await;
        assert_eq!(rows.len(), 8, "{rows:?}");
        assert!(rows.iter().all(|r| r["outcome"] == "DENIED"), "{rows:?}");
    }
}

#[tokio::test]
async fn starting_checks_the_framework_the_age_the_due_date_the_lead_agency_and_the_case() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let csc = f.agency_gid("csc");
        let due = days_from_today(30);
        let operation = op(START);
        let invalid = |input: Value, field: &'static str| {
            Refusal::invalid(coordinator(), &operation, input, field)
        };
        // Alpha, born 2013-04-05, is 13: too old for the under-12 framework.
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                invalid(
                    start_input(&f.alpha, "NO_SUCH_FRAMEWORK", &csc, due),
                    "frameworkCode",
                ),
                invalid(
                    start_input(&f.alpha, "HSB_AIM_UNDER_12", &csc, due),
                    "frameworkCode",
                ),
                invalid(
                    start_input(&f.alpha, "HSB_AIM3", &csc, days_from_today(-1)),
                    "dueOn",
                ),
                invalid(
                    start_input(&f.alpha, "HSB_AIM3", &csc, days_from_today(367)),
                    "dueOn",
                ),
                invalid(
                    start_input(&f.alpha, "HSB_AIM3", &f.agency_gid("yjs"), due),
                    "leadAgencyId",
                ),
            ],
        )
        .await;
        assert_eq!(
            child(&app, &coordinator(), &f.alpha).await["assessments"],
            json!([])
        );

        // A partner on the team may lead it, due as late as 366 days ahead.
        let input = start_input(
            &f.alpha,
            "HSB_AIM3",
            &f.agency_gid("school"),
            days_from_today(366),
        );
        let started = app.ok_as(&coordinator(), &operation, input).await;
        assert_eq!(
            started["startAssessment"]["assessment"]["leadAgency"]["code"],
            "school"
        );
        // One in progress already.
        assert_refused(
            &app,
            Audit::Unchecked,
            [invalid(
                start_input(&f.alpha, "CIN_AF", &csc, due),
                "childId",
            )],
        )
        .await;
        assert_eq!(
            child(&app, &coordinator(), &f.alpha).await["assessments"]
                .as_array()
                .expect("assessments")
                .len(),
            1
        );

        // A closed case: Charlie (CSC only, no plan) is closed, then asked about.
        let version = app
            .ok_as(
                &coordinator(),
                "query($id: ID!) { child(id: $id) { version } }",
                json!({ "id": f.charlie }),
            )
            .await["child"]["version"]
            .clone();
        app.ok_as(
            &coordinator(),
            "mutation($input: CloseCaseInput!) { closeCase(input: $input) { child { status } } }",
            json!({ "input": { "childId": f.charlie, "reason": "Synthetic: work complete.", "expectedVersion": version } }),
        )
        .await;
        assert_refused(
            &app,
            Audit::Unchecked,
            [invalid(
                start_input(&f.charlie, "CIN_AF", &csc, due),
                "childId",
            )],
        )
        .await;
    }
}

/// Registers a child born on `born` as the CSC coordinator; returns its id.
async fn born_on(app: &crate::helpers::TestApp, given: &str, born: chrono::NaiveDate) -> String {
    let data = app
        .ok_as(
            &coordinator(),
            "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }",
            json!({ "input": { "givenName": given, "familyName": "Testchild", "dateOfBirth": born.to_string(), "gender": "Not recorded" } }),
        )
        .await;
    id_of(&data["registerChild"]["child"])
}

#[tokio::test]
async fn the_framework_must_fit_the_childs_age_on_the_day_on_either_side_of_a_birthday() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let today = crate::helpers::plans::today();
        let years_ago = |years: u32, days: i64| {
            today
                .checked_sub_months(chrono::Months::new(12 * years))
                .expect("date")
                + chrono::Duration::days(days)
        };
        // Twelve two days ago; twelve in two days; seventeen and a day short of eighteen.
        let just_twelve = born_on(&app, "Twelvea", years_ago(12, -2)).await;
        let nearly_twelve = born_on(&app, "Elevena", years_ago(12, 2)).await;
        let nearly_eighteen = born_on(&app, "Seventeena", years_ago(18, 2)).await;
        let operation = op(START);
        let csc = f.agency_gid("csc");
        let due = days_from_today(30);
        let invalid = |child: &str, framework: &str| {
            Refusal::invalid(
                coordinator(),
                &operation,
                start_input(child, framework, &csc, due),
                "frameworkCode",
            )
        };
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                invalid(&just_twelve, "HSB_AIM_UNDER_12"),
                invalid(&nearly_twelve, "HSB_AIM3"),
                invalid(&nearly_eighteen, "HSB_AIM_UNDER_12"),
            ],
        )
        .await;
        for (child, framework) in [
            (&just_twelve, "HSB_AIM3"),
            (&nearly_twelve, "HSB_AIM_UNDER_12"),
            (&nearly_eighteen, "HSB_AIM3"),
        ] {
            let started = app
                .ok_as(
                    &coordinator(),
                    &operation,
                    start_input(child, framework, &csc, due),
                )
                .await;
            assert_eq!(
                started["startAssessment"]["assessment"]["framework"]["code"],
                framework
            );
        }
    }
}
