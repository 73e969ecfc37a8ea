//! `requestContributions`, `contributeToAssessment` and `myContributionRequests`: the lead
//! asks agencies of the team by domain; each asked agency answers, and amends, its own.

use serde_json::{Value, json};

use super::{
    ASK, CONTRIBUTE, ask, ask_input, audit, complete, contribute, contribute_input,
    contribution_of, coordinator, events, ids, latest_seq, op, read, start, team, told, version_of,
};
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, error_code, id_of, spawn_apps};
use crate::ws_client::GqlSocket;

const MINE: &str =
    "query($status: ContributionStatus) { myContributionRequests(status: $status, first: 50) {
    nodes { id status agency { code } domain { code } } } }";
const EVENTS: &str =
    "subscription($after: String) { caseTeamEvents(after: $after) { kind childId } }";

#[tokio::test]
async fn requested_contributions_reach_the_asked_agency_and_a_repeat_returns_them_as_they_are() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let school = TestActor::practitioner("school");
        let mut socket = GqlSocket::open(&app.ws_url(), &school.token()).await;
        let from = latest_seq(&app).await;
        socket
            .subscribe("s", EVENTS, json!({ "after": from.to_string() }))
            .await;

        let asked = ask(
            &app,
            &f,
            &assessment,
            &["school", "camhs"],
            &["FAMILY", "ENVIRONMENT"],
        )
        .await;
        let contributions = &asked["contributions"];
        assert_eq!(contributions.as_array().expect("list").len(), 4, "{asked}");
        for c in contributions.as_array().expect("list") {
            assert_eq!(c["status"], "REQUESTED", "{c}");
            assert_eq!(c["assessment"]["id"], assessment);
            assert!(
                c["contributedAt"].is_null() && c["concerns"].is_null(),
                "{c}"
            );
            assert!(c["requestedAt"].is_string(), "{c}");
        }
        contribution_of(contributions, "camhs", "ENVIRONMENT");
        assert_eq!(
            asked["assessment"]["contributions"]
                .as_array()
                .expect("list")
                .len(),
            4
        );

        // The asked school hears of it on its live stream; police, not asked, are not told.
        let heard = socket.next_data("s").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "CONTRIBUTION_REQUESTED", "{heard}");
        assert!(
            heard["childId"].is_null(),
            "addressed, not told to the team: {heard}"
        );
        socket.close().await;
        let requested = events(&app, "CONTRIBUTION_REQUESTED").await;
        assert!(requested.iter().any(|e| told(&f, e, "school")));
        assert!(requested.iter().any(|e| told(&f, e, "camhs")));
        assert!(
            !requested.iter().any(|e| told(&f, e, "police")),
            "police were not asked"
        );

        // The school answers one; asking again returns it as it is, and adds only what is new.
        let family = id_of(&contribution_of(contributions, "school", "FAMILY"));
        let answered = contribute(&app, &school, &family, "family", "STANDARD", &[]).await;
        assert!(answered["errors"].is_null(), "{answered}");
        let version = answered["data"]["contributeToAssessment"]["contribution"]["version"].clone();
        let again = ask(
            &app,
            &f,
            &assessment,
            &["school"],
            &["FAMILY", "SEXUAL_BEHAVIOURS"],
        )
        .await;
        let same = contribution_of(&again["contributions"], "school", "FAMILY");
        assert_eq!(id_of(&same), family);
        assert_eq!(same["status"], "CONTRIBUTED");
        assert_eq!(same["version"], version);
        assert_eq!(same["concerns"], "Synthetic concerns: family.");
        let new = id_of(&contribution_of(
            &again["contributions"],
            "school",
            "SEXUAL_BEHAVIOURS",
        ));
        assert_eq!(
            read(&app, &coordinator(), &assessment).await["contributions"]
                .as_array()
                .expect("list")
                .len(),
            5
        );

        // The school lists its own requests, oldest first, and by status; listing reads Alpha once.
        let school_reads = |rows: Vec<Value>| {
            rows.iter()
                .filter(|r| r["actorSubject"] == school.sub)
                .count()
        };
        let reads_before = school_reads(audit(&app, "READ_CHILD", Some(&f.alpha)).await);
        let mine = app.ok_as(&school, MINE, json!({})).await;
        assert_eq!(
            school_reads(audit(&app, "READ_CHILD", Some(&f.alpha)).await),
            reads_before + 1
        );
        let listed = ids(&mine["myContributionRequests"]["nodes"]);
        assert_eq!(listed.len(), 3, "{mine}");
        assert_eq!(listed.last(), Some(&new));
        assert!(
            mine["myContributionRequests"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .all(|n| n["agency"]["code"] == "school")
        );
        let done = app
            .ok_as(&school, MINE, json!({ "status": "CONTRIBUTED" }))
            .await;
        assert_eq!(
            ids(&done["myContributionRequests"]["nodes"]),
            std::slice::from_ref(&family)
        );
        let camhs = app
            .ok_as(&TestActor::practitioner("camhs"), MINE, json!({}))
            .await;
        assert_eq!(ids(&camhs["myContributionRequests"]["nodes"]).len(), 2);
        let nobody = app
            .gql_as(&TestActor::auditor("partnership"), MINE, json!({}))
            .await;
        assert_eq!(error_code(&nobody), Some("FORBIDDEN"), "{nobody}");

        // One row per request, and one per contribution it created (four, then the one
        // new domain; asking again for the family domain created nothing).
        let rows = audit(&app, "REQUEST_CONTRIBUTIONS", Some(&f.alpha)).await;
        let of = |entity: &str| rows.iter().filter(|r| r["entityType"] == entity).count();
        assert_eq!(of("Assessment"), 2, "{rows:?}");
        assert_eq!(of("AssessmentContribution"), 5, "{rows:?}");
        assert_eq!(rows.len(), 7, "{rows:?}");
        // The refusal is audited under the listing's own action.
        let refused = audit(&app, "LIST_CONTRIBUTION_REQUESTS", None).await;
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0]["outcome"], "DENIED");
        assert_eq!(refused[0]["actorSubject"], "auditor-partnership");
    }
}

#[tokio::test]
async fn asking_is_refused_off_the_team_outside_the_framework_and_to_anyone_but_the_assessments_lead()
 {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let operation = op(ASK);
        let input =
            |agencies: &[&str], domains: &[&str]| ask_input(&f, &assessment, agencies, domains);
        let invalid = |input: Value, field: &'static str| {
            Refusal::invalid(coordinator(), &operation, input, field)
        };
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                invalid(input(&["yjs"], &["FAMILY"]), "agencyIds"),
                invalid(input(&["school", "health"], &["FAMILY"]), "agencyIds"),
                invalid(input(&[], &["FAMILY"]), "agencyIds"),
                invalid(input(&["school"], &["NO_SUCH_DOMAIN"]), "domains"),
                invalid(input(&["school"], &["PARENTING_CAPACITY"]), "domains"),
                invalid(input(&["school"], &[]), "domains"),
            ],
        )
        .await;
        let fine = input(&["school"], &["FAMILY"]);
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::practitioner("csc"),
                    &operation,
                    fine.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::agency_lead("school"),
                    &operation,
                    fine.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::coordinator("police"),
                    &operation,
                    fine.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::coordinator("yjs"),
                    &operation,
                    fine.clone(),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        assert_eq!(
            read(&app, &coordinator(), &assessment).await["contributions"],
            json!([])
        );
    }
}

#[tokio::test]
async fn only_the_asked_agency_contributes_and_amends_at_the_version_it_read_until_completion() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let asked = ask(&app, &f, &assessment, &["school", "police"], &["FAMILY"]).await;
        let school_part = id_of(&contribution_of(
            &asked["contributions"],
            "school",
            "FAMILY",
        ));
        let police_part = id_of(&contribution_of(
            &asked["contributions"],
            "police",
            "FAMILY",
        ));
        let school = TestActor::practitioner("school");
        let first = version_of(&app, &school, &school_part).await;
        let operation = op(CONTRIBUTE);
        let input = contribute_input(&school_part, first, "first account", "STANDARD", &[]);

        // Another agency's contribution is not theirs; off the team it is not there.
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::practitioner("police"),
                    &operation,
                    input.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::agency_lead("csc"),
                    &operation,
                    input.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::practitioner("yjs"),
                    &operation,
                    input.clone(),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        let mut empty = input.clone();
        empty["input"]["concerns"] = json!("   ");
        let mut long = input.clone();
        long["input"]["strengths"] = json!("x".repeat(10_001));
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(school.clone(), &operation, empty, "concerns"),
                Refusal::invalid(school.clone(), &operation, long, "strengths"),
            ],
        )
        .await;

        let done = app.ok_as(&school, &operation, input.clone()).await["contributeToAssessment"]["contribution"].clone();
        assert_eq!(done["status"], "CONTRIBUTED");
        assert_eq!(done["version"], first + 1);
        assert_eq!(done["level"], "MEDIUM");
        assert_eq!(done["sources"], "Synthetic sources: first account.");
        assert!(done["contributedAt"].is_string(), "{done}");
        let recorded = events(&app, "CONTRIBUTION_RECORDED").await;
        assert_eq!(recorded.len(), 1);
        assert!(
            told(&f, &recorded[0], "csc"),
            "the assessment's lead is told"
        );

        // The version read before is stale now.
        let stale = app.gql_as(&school, &operation, input).await;
        assert_conflict(&stale, first + 1);
        // Amending at the new version, with a reason.
        let mut amend =
            contribute_input(&school_part, first + 1, "amended account", "STANDARD", &[]);
        amend["input"]["reason"] = json!("Synthetic: the first account named the wrong term.");
        let amended = app
            .ok_as(&TestActor::agency_lead("school"), &operation, amend)
            .await["contributeToAssessment"]["contribution"]
            .clone();
        assert_eq!(amended["status"], "CONTRIBUTED");
        assert_eq!(amended["version"], first + 2);
        assert_eq!(amended["concerns"], "Synthetic concerns: amended account.");
        assert_eq!(
            audit(&app, "CONTRIBUTE_TO_ASSESSMENT", Some(&f.alpha))
                .await
                .iter()
                .filter(|r| r["outcome"] == "ALLOWED"
                    && r["entityType"] == "AssessmentContribution"
                    && r["entityId"] == school_part)
                .count(),
            2
        );

        // Completed: the police's unanswered request lapses, and nothing more is taken.
        complete(&app, &assessment, &[]).await;
        assert_eq!(
            read(&app, &coordinator(), &police_part).await["status"],
            "LAPSED"
        );
        assert_eq!(
            read(&app, &coordinator(), &school_part).await["status"],
            "CONTRIBUTED"
        );
        let late = contribute_input(&school_part, first + 2, "too late", "STANDARD", &[]);
        let police_late = contribute_input(
            &police_part,
            version_of(&app, &coordinator(), &police_part).await,
            "too late",
            "STANDARD",
            &[],
        );
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(school.clone(), &operation, late, "contributionId"),
                Refusal::invalid(
                    TestActor::practitioner("police"),
                    &operation,
                    police_late,
                    "contributionId",
                ),
                Refusal::invalid(
                    coordinator(),
                    &op(ASK),
                    ask_input(&f, &assessment, &["camhs"], &["FAMILY"]),
                    "assessmentId",
                ),
            ],
        )
        .await;
        let kept = read(&app, &school, &school_part).await;
        assert_eq!(kept["concerns"], "Synthetic concerns: amended account.");
        assert_eq!(kept["version"], first + 2);
    }
}
