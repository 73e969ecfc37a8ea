//! The known child and referrals (DESIGN §4.2).

use entity::audit_events;
use entity::{children, involvements};
use sea_orm::{ColumnTrait, Condition};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::db::count_where;
use crate::helpers::refusals::{Audit, Refusal, assert_refused, by_each};
use crate::helpers::{TestActor, TestApp, error_code, id_of, spawn_apps, uuid_of};

const FIND: &str = "query($input: FindKnownChildInput!) { findKnownChild(input: $input) { known agencyKinds leadAgencyName } }";
const REFER: &str = "mutation($input: ReferChildInput!) { referChild(input: $input) {
    wasKnown child { id leadAgency { code } involvements { role agency { code } } } entry { kind recordingAgency { code } } } }";

fn referral(given: &str, nhs: Option<&str>) -> Value {
    json!({ "input": {
        "child": { "givenName": given, "familyName": "Testchild", "dateOfBirth": "2011-03-04", "gender": "Female", "nhsNumber": nhs },
        "reason": "Synthetic referral for a test."
    }})
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
async fn a_referral_of_an_unknown_child_is_led_by_designated_social_care_and_a_known_one_gains_the_referrer()
 {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let first = app
            .ok_as(&school, REFER, referral("Whiskey", Some("4010232137")))
            .await;
        let child = &first["referChild"]["child"];
        assert_eq!(first["referChild"]["wasKnown"], false);
        assert_eq!(child["leadAgency"]["code"], "csc");
        assert_eq!(
            child["involvements"],
            json!([{ "role": "PARTNER", "agency": { "code": "school" } }, { "role": "LEAD", "agency": { "code": "csc" } }])
        );
        assert_eq!(
            first["referChild"]["entry"],
            json!({ "kind": "REFERRAL", "recordingAgency": { "code": "school" } })
        );

        let health = TestActor::practitioner("health");
        let second = app
            .ok_as(&health, REFER, referral("Whiskey", Some("4010232137")))
            .await;
        assert_eq!(second["referChild"]["wasKnown"], true);
        assert_eq!(second["referChild"]["child"]["id"], child["id"]);
        let on_team = || {
            count_where::<involvements::Entity>(
                &app.db,
                involvements::Column::ChildId.eq(uuid_of(&id_of(child))),
            )
        };
        let team = on_team().await;
        assert_eq!(team, 3);
        // A referral by the same agency again adds no second involvement but is recorded.
        let third = app.ok_as(&health, REFER, referral("Whiskey", None)).await;
        assert_eq!(third["referChild"]["wasKnown"], true);
        let team_after = on_team().await;
        assert_eq!(team_after, 3);
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
        assert_eq!(
            a["data"]["referChild"]["child"]["id"],
            b["data"]["referChild"]["child"]["id"]
        );
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
