//! Issue 12's case walked end to end: a referral, escalation and strategy discussion, a
//! joint HSB assessment with a restricted CAMHS contribution and a declined disclosure
//! request, completion with three needs, a plan addressing two of them, closing and
//! reopening; asserting each agency's view at each step.

mod views;

use chrono::{Duration, Utc};
use serde_json::json;

use crate::assessments::{
    ASK, COMPLETE, START, complete_input, contribute, contribution_of, events, op, read,
    start_input, told, version_of,
};
use crate::fixture;
use crate::helpers::plans::{add_member, close, days_from_today};
use crate::helpers::{TestActor, error_code, id_of, spawn_apps};
use views::{deadline, has_entry, part_of, team, view};

const REFER: &str =
    "mutation($input: ReferChildInput!) { referChild(input: $input) { wasKnown child { id } } }";
const BEHAVIOUR: &str =
    "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated } }";
const DISCLOSURE: &str = "query($id: ID!) { node(id: $id) { ... on DisclosureRequest {
    status reason decisionReason entryKind entry { ... on AssessmentContribution { restricted concerns } } } } }";
const REPORT: &str = "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) { assessments {
    completed { total { value suppressed } cells { key value suppressed } }
    completedWithinTimescale { value suppressed }
    contributions { total { value suppressed } cells { key value suppressed } }
    plansActive { value suppressed } plansSpanningThreeAgencyKinds { value suppressed }
    needsIdentified { value suppressed } needsWithoutAction { value suppressed } } } }";

#[tokio::test]
async fn a_joint_assessment_runs_from_referral_to_a_reopened_case_with_every_agency_seeing_its_share()
 {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let police = TestActor::practitioner("police");
        let camhs = TestActor::practitioner("camhs");
        let camhs_lead = TestActor::agency_lead("camhs");
        let social_worker = TestActor::practitioner("csc");
        let coordinator = TestActor::coordinator("csc");
        let yjs = TestActor::practitioner("yjs");

        // 1. The school refers a child nobody knows (14 years old): social care leads.
        let referral = json!({ "input": {
            "child": { "givenName": "Yankee", "familyName": "Testchild", "dateOfBirth": "2012-09-09", "gender": "Female" },
            "reason": "Synthetic referral: concerning behaviour at school." } });
        let referred = app.ok_as(&school, REFER, referral.clone()).await;
        let child = id_of(&referred["referChild"]["child"]);
        assert_eq!(
            team(&view(&app, &school, &child).await.expect("school")),
            ["csc", "school"]
        );
        assert!(
            view(&app, &police, &child).await.is_none(),
            "police not yet involved"
        );

        // 2. Two AMBER behaviours at school: the second escalates and brings the police in.
        for (days, escalated) in [(3, false), (1, true)] {
            let when = Utc::now() - Duration::days(days);
            let recorded = app
                .ok_as(&school, BEHAVIOUR, json!({ "input": {
                    "childId": child, "occurredOn": when.date_naive().to_string(), "disclosedAt": when.to_rfc3339(),
                    "setting": "SCHOOL", "contactType": "NON_CONTACT", "description": "Synthetic: sexualised remarks in class.",
                    "continuum": "PROBLEMATIC", "trafficLight": "AMBER" } }))
                .await;
            assert_eq!(recorded["recordBehaviour"]["escalated"], escalated);
        }
        assert_eq!(
            team(&view(&app, &police, &child).await.expect("police")),
            ["csc", "police", "school"]
        );

        // 3. The strategy discussion; social care brings CAMHS onto the team.
        app.ok_as(
            &social_worker,
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
            json!({ "input": { "childId": child, "kind": "STRATEGY_DISCUSSION", "occurredAt": Utc::now().to_rfc3339(),
                               "summary": "Synthetic strategy discussion: a joint HSB assessment is needed." } }),
        )
        .await;
        fixture::involve(&app, &f.agency_gid("camhs"), &child, "camhs").await;

        // 4. Social care starts the HSB assessment (AIM3 shape: 12 to 17; not the under-12 one).
        let under_12 = app
            .gql_as(
                &coordinator,
                &op(START),
                start_input(
                    &child,
                    "HSB_AIM_UNDER_12",
                    &f.agency_gid("csc"),
                    days_from_today(40),
                ),
            )
            .await;
        assert_eq!(
            under_12["errors"][0]["extensions"]["field"], "frameworkCode",
            "{under_12}"
        );
        let started = app
            .ok_as(
                &coordinator,
                &op(START),
                start_input(
                    &child,
                    "HSB_AIM3",
                    &f.agency_gid("csc"),
                    days_from_today(40),
                ),
            )
            .await;
        let assessment = id_of(&started["startAssessment"]["assessment"]);
        for member in [&school, &police, &camhs, &social_worker] {
            let seen = view(&app, member, &child).await.expect("team");
            assert_eq!(
                seen["assessments"][0]["status"], "IN_PROGRESS",
                "{member:?}"
            );
            assert!(has_entry(&seen, "ASSESSMENT_STARTED"), "{member:?}");
        }
        assert!(view(&app, &yjs, &child).await.is_none());
        assert!(
            read(&app, &yjs, &assessment).await.is_null(),
            "YJS is off the team"
        );
        let lead_view = view(&app, &social_worker, &child).await.expect("csc");
        assert_eq!(
            deadline(&lead_view, "ASSESSMENT_COMPLETED"),
            "DUE",
            "{lead_view}"
        );

        // 5. Police, school and CAMHS are asked for one domain each, and answer; CAMHS restricts.
        let mut parts = Vec::new();
        for (agency, domain) in [
            ("police", "SEXUAL_BEHAVIOURS"),
            ("school", "NON_SEXUAL_BEHAVIOURS"),
            ("camhs", "DEVELOPMENTAL"),
        ] {
            let input = json!({ "input": { "assessmentId": assessment, "agencyIds": [f.agency_gid(agency)], "domains": [domain] } });
            let asked = app.ok_as(&coordinator, &op(ASK), input).await;
            parts.push(id_of(&contribution_of(
                &asked["requestContributions"]["contributions"],
                agency,
                domain,
            )));
        }
        let mine = app
            .ok_as(
                &camhs,
                "{ myContributionRequests { nodes { id status } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["myContributionRequests"]["nodes"],
            json!([{ "id": parts[2], "status": "REQUESTED" }])
        );
        for (actor, part, sensitivity) in [
            (&police, &parts[0], "STANDARD"),
            (&school, &parts[1], "STANDARD"),
            (&camhs, &parts[2], "RESTRICTED"),
        ] {
            let answered = contribute(
                &app,
                actor,
                part,
                &format!("{} view", actor.agency),
                sensitivity,
                &[],
            )
            .await;
            assert!(answered["errors"].is_null(), "{answered}");
        }
        // CAMHS content is hidden from police and school, read by CAMHS and by social care as lead.
        for (actor, readable) in [
            (&police, false),
            (&school, false),
            (&camhs, true),
            (&social_worker, true),
            (&coordinator, true),
        ] {
            let seen = view(&app, actor, &child).await.expect("team");
            let part = part_of(&seen, "camhs");
            assert_eq!(part["restricted"], !readable, "{actor:?}: {part}");
            assert_eq!(part["concerns"].is_string(), readable, "{actor:?}: {part}");
            assert_eq!(part["status"], "CONTRIBUTED");
            let police_part = part_of(&seen, "police");
            assert_eq!(
                police_part["concerns"], "Synthetic concerns: police view.",
                "{actor:?}"
            );
        }

        // 6. The police ask CAMHS to disclose; CAMHS declines, with a reason.
        let asked = app
            .ok_as(
                &police,
                "mutation($input: RequestDisclosureInput!) { requestDisclosure(input: $input) { request { id version entryKind } } }",
                json!({ "input": { "entryId": parts[2], "reason": "The police need the clinical view before interviewing." } }),
            )
            .await["requestDisclosure"]["request"]
            .clone();
        assert_eq!(asked["entryKind"], "ASSESSMENT_CONTRIBUTION");
        let request = id_of(&asked);
        let asking = events(&app, "DISCLOSURE_REQUESTED").await;
        assert!(
            asking.len() == 1 && told(&f, &asking[0], "camhs") && !told(&f, &asking[0], "school")
        );
        let why = "Synthetic: clinical detail shared only within the therapeutic relationship.";
        app.ok_as(
            &camhs_lead,
            "mutation($input: DecideDisclosureInput!) { decideDisclosure(input: $input) { request { status } } }",
            json!({ "input": { "requestId": request, "decision": "DECLINE", "reason": why, "expectedVersion": asked["version"] } }),
        )
        .await;
        let seen = app
            .ok_as(&police, DISCLOSURE, json!({ "id": request }))
            .await["node"]
            .clone();
        assert_eq!(seen["status"], "DECLINED");
        assert_eq!(seen["decisionReason"], why);
        assert_eq!(seen["entry"]["restricted"], true);
        assert!(seen["entry"]["concerns"].is_null());
        for outsider in [&school, &social_worker] {
            let hidden = app
                .ok_as(outsider, DISCLOSURE, json!({ "id": request }))
                .await;
            assert!(
                hidden["node"].is_null(),
                "{outsider:?} is no party: {hidden}"
            );
        }
        assert_eq!(
            part_of(&view(&app, &police, &child).await.expect("police"), "camhs")["restricted"],
            true
        );

        // 7. Social care completes the assessment with three needs.
        let version = version_of(&app, &coordinator, &assessment).await;
        let needs_given = [
            (
                "SEXUAL_BEHAVIOURS",
                "Synthetic: understand consent and boundaries.",
            ),
            ("FAMILY", "Synthetic: supervision at home after school."),
            (
                "ENVIRONMENT",
                "Synthetic: safe use of phones and the internet.",
            ),
        ];
        let done = app
            .ok_as(
                &coordinator,
                &op(COMPLETE),
                complete_input(&assessment, version, &needs_given),
            )
            .await;
        let done = &done["completeAssessment"]["assessment"];
        assert_eq!(done["status"], "COMPLETED");
        assert_eq!(done["completedWithinTimescale"], true);
        let needs: Vec<String> = done["needs"]
            .as_array()
            .expect("needs")
            .iter()
            .map(id_of)
            .collect();
        assert_eq!(needs.len(), 3);
        for member in [&school, &police, &camhs] {
            let seen = view(&app, member, &child).await.expect("team");
            assert_eq!(seen["assessments"][0]["status"], "COMPLETED", "{member:?}");
            assert_eq!(
                seen["assessments"][0]["needs"]
                    .as_array()
                    .expect("needs")
                    .len(),
                3
            );
            assert!(has_entry(&seen, "ASSESSMENT_COMPLETED"), "{member:?}");
        }
        let lead_view = view(&app, &social_worker, &child).await.expect("csc");
        assert_eq!(
            deadline(&lead_view, "ASSESSMENT_COMPLETED"),
            "MET",
            "{lead_view}"
        );

        // 8. The plan: school and social care actions address two needs; the third shows unaddressed.
        let created = app
            .ok_as(
                &coordinator,
                "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) { jointPlan { id } } }",
                json!({ "input": { "childId": child, "title": "Synthetic joint plan", "pathway": "CHILD_IN_NEED" } }),
            )
            .await;
        let plan = id_of(&created["createJointPlan"]["jointPlan"]);
        add_member(&app, &f, &plan, "police").await;
        add_member(&app, &f, &plan, "school").await;
        let add = "mutation($input: AddPlanActionInput!) { addPlanAction(input: $input) { action { id } } }";
        let none: Vec<String> = Vec::new();
        for (actor, agency, kind, addressed) in [
            (&school, "school", "INTERVENTION", vec![needs[0].clone()]),
            (&coordinator, "csc", "SAFETY_PLAN", vec![needs[1].clone()]),
            (&police, "police", "INTERVENTION", none),
        ] {
            app.ok_as(actor, add, json!({ "input": { "planId": plan, "assignedAgencyId": f.agency_gid(agency), "kind": kind,
                                                   "description": "Synthetic work on the need.", "addressesNeedIds": addressed } }))
                .await;
        }
        crate::helpers::plans::activate(&app, &plan).await;
        let plan_query = "query($id: ID!) { jointPlan(id: $id) { status needs { need { id } actions { id } } unaddressedNeeds { id statement } } }";
        for member in [&school, &police, &coordinator] {
            let seen =
                app.ok_as(member, plan_query, json!({ "id": plan })).await["jointPlan"].clone();
            assert_eq!(
                seen["needs"].as_array().expect("needs").len(),
                3,
                "{member:?}"
            );
            assert_eq!(
                seen["unaddressedNeeds"],
                json!([{ "id": needs[2], "statement": needs_given[2].1 }]),
                "{member:?}"
            );
        }
        let camhs_plan = app.gql_as(&camhs, plan_query, json!({ "id": plan })).await;
        assert_eq!(
            error_code(&camhs_plan),
            Some("NOT_FOUND"),
            "CAMHS is not on the plan"
        );

        // The strategic report: one assessment, three contributions, three needs (one
        // without action), one plan spanning three agency kinds: every figure from 1 to 4 is
        // withheld, and so is every cell of a withheld total.
        let period = json!({ "from": (Utc::now() - Duration::days(30)).to_rfc3339(), "to": (Utc::now() + Duration::days(1)).to_rfc3339() });
        let report = app
            .ok_as(&TestActor::analyst("partnership"), REPORT, period)
            .await;
        let figures = &report["strategicReport"]["assessments"];
        let withheld = json!({ "value": null, "suppressed": true });
        for count in [
            &figures["completed"]["total"],
            &figures["completedWithinTimescale"],
            &figures["contributions"]["total"],
            &figures["plansActive"],
            &figures["plansSpanningThreeAgencyKinds"],
            &figures["needsIdentified"],
            &figures["needsWithoutAction"],
        ] {
            assert_eq!(count, &withheld, "{figures}");
        }
        for breakdown in [&figures["completed"], &figures["contributions"]] {
            let cells = breakdown["cells"].as_array().expect("cells");
            let keys: Vec<&str> = cells.iter().filter_map(|c| c["key"].as_str()).collect();
            for key in ["CHILDRENS_SOCIAL_CARE", "POLICE", "EDUCATION", "CAMHS"] {
                assert!(keys.contains(&key), "a cell for {key}: {breakdown}");
            }
            assert!(
                cells
                    .iter()
                    .all(|c| c["suppressed"] == true && c["value"].is_null()),
                "{breakdown}"
            );
        }
        assert!(!report.to_string().contains("Yankee"));

        // 9. The plan closes, then the case; the partners lose sight of the child and the assessment.
        close(&app, &plan).await;
        assert_eq!(
            view(&app, &coordinator, &child).await.expect("csc")["status"],
            "OPEN"
        );
        let child_version = app
            .ok_as(
                &coordinator,
                "query($id: ID!) { child(id: $id) { version } }",
                json!({ "id": child }),
            )
            .await["child"]["version"]
            .clone();
        app.ok_as(
            &coordinator,
            "mutation($input: CloseCaseInput!) { closeCase(input: $input) { child { status } } }",
            json!({ "input": { "childId": child, "reason": "Synthetic: plan complete.", "expectedVersion": child_version } }),
        )
        .await;
        for former in [&school, &police, &camhs] {
            assert!(view(&app, former, &child).await.is_none(), "{former:?}");
            assert!(
                read(&app, former, &assessment).await.is_null(),
                "{former:?}"
            );
        }
        let closed = view(&app, &social_worker, &child)
            .await
            .expect("the lead still sees it");
        assert_eq!(closed["status"], "CLOSED");
        assert_eq!(closed["assessments"][0]["status"], "COMPLETED");

        // 10. A new referral reopens the case; the completed assessment is there, and a
        // reassessment supersedes it.
        let again = app.ok_as(&school, REFER, referral).await;
        assert_eq!(again["referChild"]["wasKnown"], true);
        assert!(
            again["referChild"]["child"].is_null(),
            "no access from a referral"
        );
        let reopened = view(&app, &social_worker, &child).await.expect("csc");
        assert_eq!(reopened["status"], "OPEN");
        assert_eq!(reopened["assessments"][0]["id"], assessment);
        assert!(view(&app, &school, &child).await.is_none());
        let restarted = app
            .ok_as(
                &coordinator,
                &op(START),
                start_input(
                    &child,
                    "HSB_AIM3",
                    &f.agency_gid("csc"),
                    days_from_today(40),
                ),
            )
            .await;
        assert_eq!(
            restarted["startAssessment"]["assessment"]["supersedes"]["id"],
            assessment
        );
    }
}
