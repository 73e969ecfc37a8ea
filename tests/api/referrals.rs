//! The known child and referrals (`docs/product.md`).

use entity::audit_events;
use entity::enums::ChronologyKind;
use entity::{children, chronology_entries, involvements, plan_events, referrals};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::db::count_where;
use crate::helpers::refusals::{Audit, Refusal, assert_refused, by_each};
use crate::helpers::{TestActor, TestApp, error_code, spawn_apps, uuid_of};

const FIND: &str = "query($input: FindKnownChildInput!) { findKnownChild(input: $input) { known agencyKinds leadAgencyName } }";
const REFER: &str = "mutation($input: ReferChildInput!) { referChild(input: $input) {
    wasKnown referral { id status version }
    child { id leadAgency { code } involvements { role agency { code } } } entry { kind recordingAgency { code } } } }";
const DECIDE: &str = "mutation($input: DecideReferralInput!) { decideReferral(input: $input) {
    referral { id status decisionNote version decidingAgency { code } } } }";
const CHILD: &str = "query($id: ID!) { child(id: $id) { id } }";

fn referral(given: &str, nhs: Option<&str>) -> Value {
    json!({ "input": {
        "child": { "givenName": given, "familyName": "Testchild", "dateOfBirth": "2011-03-04", "gender": "Female", "nhsNumber": nhs },
        "reason": "Synthetic referral for a test."
    }})
}

/// A referral of the fixture's child `given` (registered born 2013-04-05).
fn referral_of_known(given: &str) -> Value {
    let mut input = referral(given, None);
    input["input"]["child"]["dateOfBirth"] = json!("2013-04-05");
    input
}

async fn find(app: &TestApp, actor: &TestActor, input: Value) -> Value {
    app.gql_as(actor, FIND, json!({ "input": input })).await
}

#[tokio::test]
async fn find_known_child_matches_identifiers_and_folded_names_and_reveals_only_what_it_may() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        app.ok_as(
            &coordinator,
            "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }",
            json!({ "input": { "givenName": "Zoë", "familyName": "O'Testchild", "dateOfBirth": "2012-01-02", "gender": "Female", "nhsNumber": "9434765919" } }),
        )
        .await;
        let outsider = TestActor::practitioner("camhs");
        let known = json!({ "known": true, "agencyKinds": ["CHILDRENS_SOCIAL_CARE"], "leadAgencyName": "Test csc" });
        let by_names = find(&app, &outsider, json!({ "familyName": "  o'testCHILD ", "givenName": "ZOE", "dateOfBirth": "2012-01-02" })).await;
        assert_eq!(by_names["data"]["findKnownChild"], known, "{by_names}");
        let by_nhs = find(&app, &outsider, json!({ "nhsNumber": "943 476 5919" })).await;
        assert_eq!(by_nhs["data"]["findKnownChild"], known);
        let wrong_birthday = find(
            &app,
            &outsider,
            json!({ "familyName": "O'Testchild", "givenName": "Zoë", "dateOfBirth": "2012-01-03" }),
        )
        .await;
        assert_eq!(
            wrong_birthday["data"]["findKnownChild"],
            json!({ "known": false, "agencyKinds": [], "leadAgencyName": null })
        );

        let bad = find(&app, &outsider, json!({ "nhsNumber": "9434765918" })).await;
        assert_eq!(bad["errors"][0]["extensions"]["field"], "nhsNumber");
        let vague = find(&app, &outsider, json!({ "familyName": "Testchild" })).await;
        assert_eq!(error_code(&vague), Some("VALIDATION_FAILED"));
        let analyst = find(
            &app,
            &TestActor::analyst("partnership"),
            json!({ "nhsNumber": "9434765919" }),
        )
        .await;
        assert_eq!(error_code(&analyst), Some("FORBIDDEN"));

        let audited = count_where::<audit_events::Entity>(
            &app.db,
            Condition::all()
                .add(audit_events::Column::Action.eq("FIND_KNOWN_CHILD"))
                .add(audit_events::Column::ActorSubject.eq(outsider.sub.as_str())),
        )
        .await;
        assert_eq!(audited, 3, "every successful search is audited");
    }
}

#[tokio::test]
async fn a_referral_of_an_unknown_child_is_led_by_designated_social_care_with_the_referrer_as_partner()
 {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let first = app
            .ok_as(&school, REFER, referral("Whiskey", Some("4010232137")))
            .await;
        let child = &first["referChild"]["child"];
        assert_eq!(first["referChild"]["wasKnown"], false);
        assert_eq!(first["referChild"]["referral"]["status"], "RECEIVED");
        assert_eq!(child["leadAgency"]["code"], "csc");
        assert_eq!(
            child["involvements"],
            json!([{ "role": "PARTNER", "agency": { "code": "school" } }, { "role": "LEAD", "agency": { "code": "csc" } }])
        );
        assert_eq!(
            first["referChild"]["entry"],
            json!({ "kind": "REFERRAL", "recordingAgency": { "code": "school" } })
        );
    }
}

#[tokio::test]
async fn a_referral_of_a_known_child_reaches_the_case_team_and_opens_nothing() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let health = TestActor::practitioner("health");
        let team = || {
            count_where::<involvements::Entity>(
                &app.db,
                involvements::Column::ChildId.eq(uuid_of(&f.alpha)),
            )
        };
        let team_before = team().await;
        let referred = app.ok_as(&health, REFER, referral_of_known("Alpha")).await;
        let referred = &referred["referChild"];
        assert_eq!(referred["wasKnown"], true);
        assert_eq!(referred["child"], Value::Null, "no content of the child");
        assert_eq!(referred["entry"], Value::Null);
        assert_eq!(referred["referral"]["status"], "RECEIVED");
        assert_eq!(team().await, team_before, "the case team is unchanged");
        let child = app.gql_as(&health, CHILD, json!({ "id": f.alpha })).await;
        assert_eq!(error_code(&child), Some("NOT_FOUND"));

        // The case team sees it; the referrer sees its own, without the child.
        const LIST: &str = "{ referrals(status: RECEIVED) { totalCount edges { node { id status child { id } referringAgency { code } } } } }";
        for member in [
            TestActor::coordinator("csc"),
            TestActor::practitioner("school"),
        ] {
            let listed = app.ok_as(&member, LIST, json!({})).await;
            assert_eq!(listed["referrals"]["totalCount"], 1, "{}", member.sub);
            let node = &listed["referrals"]["edges"][0]["node"];
            assert_eq!(node["id"], referred["referral"]["id"]);
            assert_eq!(node["child"]["id"], f.alpha.as_str());
            assert_eq!(node["referringAgency"]["code"], "health");
        }
        let outsider = app
            .ok_as(&TestActor::practitioner("police"), LIST, json!({}))
            .await;
        assert_eq!(outsider["referrals"]["totalCount"], 0);
        let mine = app
            .ok_as(
                &health,
                "{ myReferrals { totalCount edges { node { status child { id } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["myReferrals"],
            json!({ "totalCount": 1, "edges": [{ "node": { "status": "RECEIVED", "child": null } }] })
        );
        let received = count_where::<plan_events::Entity>(
            &app.db,
            Condition::all()
                .add(plan_events::Column::Kind.eq("REFERRAL_RECEIVED"))
                .add(plan_events::Column::ChildId.eq(uuid_of(&f.alpha))),
        )
        .await;
        assert_eq!(received, 1, "the case team is told");
    }
}

#[tokio::test]
async fn the_lead_agency_decides_a_referral_and_the_referrer_is_told() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let health = TestActor::practitioner("health");
        let first = app.ok_as(&health, REFER, referral_of_known("Alpha")).await;
        let first = first["referChild"]["referral"].clone();
        let decide = |referral: &Value, decision: &str, version: &Value| {
            json!({ "input": {
                "referralId": referral["id"], "decision": decision,
                "note": "Synthetic decision note.", "expectedVersion": version
            }})
        };
        let nfa = decide(&first, "NO_FURTHER_ACTION", &first["version"]);
        // Only an agency lead or coordinator of the lead agency decides.
        let cases = vec![
            Refusal::new(
                TestActor::agency_lead("school"),
                DECIDE,
                nfa.clone(),
                "FORBIDDEN",
            ),
            Refusal::new(
                TestActor::practitioner("csc"),
                DECIDE,
                nfa.clone(),
                "FORBIDDEN",
            ),
            Refusal::new(
                TestActor::coordinator("police"),
                DECIDE,
                nfa.clone(),
                "NOT_FOUND",
            ),
        ];
        assert_refused(&app, Audit::Denied, cases).await;

        let lead = TestActor::agency_lead("csc");
        let decided = app.ok_as(&lead, DECIDE, nfa.clone()).await;
        assert_eq!(
            decided["decideReferral"]["referral"]["status"],
            "NO_FURTHER_ACTION"
        );
        assert_eq!(
            decided["decideReferral"]["referral"]["decidingAgency"]["code"],
            "csc"
        );
        let again = app.gql_as(&lead, DECIDE, nfa.clone()).await;
        assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
        let version = &decided["decideReferral"]["referral"]["version"];
        let twice = app
            .gql_as(&lead, DECIDE, decide(&first, "ADD_TO_CASE_TEAM", version))
            .await;
        assert_eq!(error_code(&twice), Some("VALIDATION_FAILED"), "{twice}");
        let milestones = count_where::<chronology_entries::Entity>(
            &app.db,
            Condition::all()
                .add(chronology_entries::Column::ChildId.eq(uuid_of(&f.alpha)))
                .add(chronology_entries::Column::Kind.eq(ChronologyKind::ReferralDecision)),
        )
        .await;
        assert_eq!(
            milestones, 1,
            "the decision is the REFERRAL_DECISION milestone"
        );
        let told = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("REFERRAL_DECIDED"))
            .one(&app.db)
            .await
            .expect("read")
            .expect("an event to the referrer");
        assert_eq!(told.audience.0, vec![f.agency("health")]);
        assert_eq!(
            told.child_id, None,
            "a referrer off the case team is not given the child's id"
        );
        assert_eq!(told.payload["note"], "Synthetic decision note.");
        let mine = app
            .ok_as(
                &health,
                "{ myReferrals { edges { node { status decisionNote } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["myReferrals"]["edges"][0]["node"],
            json!({ "status": "NO_FURTHER_ACTION", "decisionNote": "Synthetic decision note." })
        );

        // A second referral, accepted: now health works the case.
        let second = app.ok_as(&health, REFER, referral_of_known("Alpha")).await;
        let second = second["referChild"]["referral"].clone();
        app.ok_as(
            &TestActor::coordinator("csc"),
            DECIDE,
            decide(&second, "ADD_TO_CASE_TEAM", &second["version"]),
        )
        .await;
        let child = app.ok_as(&health, CHILD, json!({ "id": f.alpha })).await;
        assert_eq!(child["child"]["id"], f.alpha.as_str());
    }
}

#[tokio::test]
async fn break_glass_never_becomes_write_access_through_a_referral() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let camhs = TestActor::practitioner("camhs");
        app.ok_as(
            &camhs,
            "mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { grant { id } } }",
            json!({ "input": { "childId": f.alpha, "reason": "Synthetic: urgent clinical concern tonight." } }),
        )
        .await;
        let referred = app.ok_as(&camhs, REFER, referral_of_known("Alpha")).await;
        assert_eq!(referred["referChild"]["wasKnown"], true);
        let on_team = count_where::<involvements::Entity>(
            &app.db,
            Condition::all()
                .add(involvements::Column::ChildId.eq(uuid_of(&f.alpha)))
                .add(involvements::Column::AgencyId.eq(f.agency("camhs"))),
        )
        .await;
        assert_eq!(on_team, 0, "referring adds no involvement");
        let write = app
            .gql_as(
                &camhs,
                "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
                json!({ "input": { "childId": f.alpha, "kind": "NOTE", "occurredAt": "2026-11-01T10:00:00Z", "summary": "Synthetic." } }),
            )
            .await;
        assert_eq!(error_code(&write), Some("FORBIDDEN"), "{write}");
    }
}

#[tokio::test]
async fn two_referrals_of_the_same_new_child_at_once_create_one_child() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let health = TestActor::practitioner("health");
        let (a, b) = tokio::join!(
            app.gql_as(&school, REFER, referral("Xray", None)),
            app.gql_as(&health, REFER, referral("  xray ", None)),
        );
        assert!(a["errors"].is_null(), "{a}");
        assert!(b["errors"].is_null(), "{b}");
        let known = [&a, &b]
            .iter()
            .filter(|r| r["data"]["referChild"]["wasKnown"] == true)
            .count();
        assert_eq!(known, 1, "exactly one of them found the other");
        let key = api::domain::children::match_key(
            "Testchild",
            "Xray",
            chrono::NaiveDate::from_ymd_opt(2011, 3, 4).expect("date"),
        );
        let xrays =
            count_where::<children::Entity>(&app.db, children::Column::MatchKey.eq(key)).await;
        assert_eq!(xrays, 1);
        let both = referrals::Entity::find().all(&app.db).await.expect("read");
        assert_eq!(both.len(), 2, "both referrals are recorded");
        assert_eq!(both[0].child_id, both[1].child_id, "for the one child");
    }
}

#[tokio::test]
async fn two_referrals_naming_one_child_differently_but_with_one_nhs_number_meet() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let (school, health) = (
            TestActor::practitioner("school"),
            TestActor::practitioner("health"),
        );
        let (a, b) = tokio::join!(
            app.gql_as(&school, REFER, referral("Zebedee", Some("4010232137"))),
            app.gql_as(&health, REFER, referral("Zeb", Some("401 023 2137"))),
        );
        assert!(a["errors"].is_null(), "{a}");
        assert!(b["errors"].is_null(), "{b}");
        let nhs =
            count_where::<children::Entity>(&app.db, children::Column::NhsNumber.eq("4010232137"))
                .await;
        assert_eq!(nhs, 1, "one child");
        assert_eq!(
            referrals::Entity::find()
                .all(&app.db)
                .await
                .map(|r| r.len())
                .ok(),
            Some(2),
            "both referrals are recorded against it"
        );
    }
}

#[tokio::test]
async fn refer_child_refuses_non_case_roles_and_bad_input() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let actors = TestActor::non_case_roles("csc").map(|actor| (actor, "FORBIDDEN"));
        let mut cases = by_each(REFER, &referral("Yankee", None), actors);
        let school = TestActor::practitioner("school");
        let mut no_reason = referral("Yankee", None);
        no_reason["input"]["reason"] = json!(" ");
        cases.push(Refusal::invalid(school.clone(), REFER, no_reason, "reason"));
        cases.push(Refusal::invalid(
            school.clone(),
            REFER,
            referral("Yankee", Some("1234567890")),
            "nhsNumber",
        ));
        assert_refused(&app, Audit::Unchecked, cases).await;
        let yankees =
            count_where::<children::Entity>(&app.db, children::Column::GivenName.eq("Yankee"))
                .await;
        assert_eq!(yankees, 0);
    }
}

#[tokio::test]
async fn reading_a_referral_is_audited_as_a_read_of_its_child() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let health = TestActor::practitioner("health");
        let school = TestActor::practitioner("school");
        let referred = app.ok_as(&health, REFER, referral_of_known("Alpha")).await;
        let id = referred["referChild"]["referral"]["id"].clone();
        let reads = |actor: &TestActor| {
            count_where::<audit_events::Entity>(
                &app.db,
                Condition::all()
                    .add(audit_events::Column::ActorSubject.eq(actor.sub.clone()))
                    .add(audit_events::Column::Action.eq("READ_CHILD"))
                    .add(audit_events::Column::ChildId.eq(uuid_of(&f.alpha)))
                    .add(audit_events::Column::Outcome.eq(entity::enums::AuditOutcome::Allowed)),
            )
        };

        // The reason is about the child, even without `child { … }` in the selection.
        let before = reads(&school).await;
        let listed = app
            .ok_as(
                &school,
                "{ referrals { edges { node { reason } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            listed["referrals"]["edges"].as_array().map(Vec::len),
            Some(1)
        );
        assert_eq!(
            reads(&school).await,
            before + 1,
            "the list's read is audited"
        );
        const NODE: &str = "query($id: ID!) { node(id: $id) { ... on Referral { reason } } }";
        let node = app.ok_as(&school, NODE, json!({ "id": id })).await;
        assert!(node["node"]["reason"].is_string(), "{node}");
        assert_eq!(
            reads(&school).await,
            before + 2,
            "node(id:)'s read is audited"
        );

        // The referrer reads what it wrote; the child it cannot see is not read.
        let before = reads(&health).await;
        let own = app.ok_as(&health, NODE, json!({ "id": id })).await;
        assert!(own["node"]["reason"].is_string(), "{own}");
        assert_eq!(reads(&health).await, before);
    }
}
