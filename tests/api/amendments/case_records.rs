//! `amendInvolvement`, `amendReferral`, and a given assessment contribution answered
//! again (`contributions`): each correction keeps the replaced version in the record's
//! history.

mod contributions;

use serde_json::{Value, json};

use super::{REASON, VERSION_FIELDS};
use crate::fixture;
use crate::helpers::db::audited;
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, TestApp, global_id, id_of, spawn_apps, uuid_of};

fn amend_involvement() -> String {
    format!(
        "mutation($input: AmendInvolvementInput!) {{ amendInvolvement(input: $input) {{
            involvement {{ id leadPractitioner startedOn reason version amended {VERSION_FIELDS} }} }} }}"
    )
}

fn amend_referral() -> String {
    format!(
        "mutation($input: AmendReferralInput!) {{ amendReferral(input: $input) {{
            referral {{ id reason referredAt version amended {VERSION_FIELDS} }} }} }}"
    )
}

const REFER: &str = "mutation($input: ReferChildInput!) { referChild(input: $input) {
    wasKnown referral { id version referredAt } } }";

/// `input` with the keys of `extra` set to its values.
fn with(input: &Value, extra: Value) -> Value {
    let mut out = input.clone();
    for (key, value) in extra.as_object().expect("object") {
        out["input"][key] = value.clone();
    }
    out
}

/// The replaced values of a history row.
pub fn values(version: &Value) -> Value {
    serde_json::from_str(version["values"].as_str().expect("values")).expect("json")
}

/// The involvement of agency `code` on `child`'s case team, as the CSC coordinator reads it.
async fn involvement_of(app: &TestApp, child: &str, code: &str) -> Value {
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            "query($id: ID!) { child(id: $id) { involvements(activeOnly: false) {
                id version startedOn endedOn agency { code } } } }",
            json!({ "id": child }),
        )
        .await;
    data["child"]["involvements"]
        .as_array()
        .and_then(|all| all.iter().find(|i| i["agency"]["code"] == code))
        .cloned()
        .unwrap_or_else(|| panic!("no involvement of {code}: {data}"))
}

#[tokio::test]
async fn an_involvement_is_corrected_by_its_agency_or_the_lead_agency_with_history() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = involvement_of(&app, &f.alpha, "school").await;
        let started = school["startedOn"].clone();
        let coordinator = TestActor::coordinator("csc");
        let data = app
            .ok_as(
                &coordinator,
                &amend_involvement(),
                json!({ "input": {
                    "involvementId": id_of(&school), "leadPractitioner": "Sam Teacher (synthetic)",
                    "startedOn": "2026-09-01", "involvementReason": "Synthetic: the child attends the school.",
                    "reason": REASON, "expectedVersion": 1
                }}),
            )
            .await;
        let amended = &data["amendInvolvement"]["involvement"];
        assert_eq!(
            amended["leadPractitioner"], "Sam Teacher (synthetic)",
            "{data}"
        );
        assert_eq!(amended["startedOn"], "2026-09-01");
        assert_eq!(
            amended["reason"],
            "Synthetic: the child attends the school."
        );
        assert_eq!(amended["version"], 2);
        assert_eq!(amended["amended"], true);
        let history = &amended["history"];
        assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
        assert_eq!(history[0]["version"], 1);
        assert_eq!(history[0]["amendingAgency"]["code"], "csc");
        assert_eq!(history[0]["reason"], REASON);
        assert_eq!(
            history[0]["changedFields"],
            json!(["leadPractitioner", "startedOn", "reason"])
        );
        assert_eq!(
            values(&history[0]),
            json!({ "leadPractitioner": null, "startedOn": started, "reason": "test" })
        );
        let involvement = uuid_of(&id_of(&school));
        assert_eq!(
            audited(&app.db, "AMEND_INVOLVEMENT", involvement)
                .await
                .len(),
            1
        );

        // The school's agency lead corrects its own involvement: an empty name clears it.
        let again = app
            .ok_as(
                &TestActor::agency_lead("school"),
                &amend_involvement(),
                json!({ "input": {
                    "involvementId": id_of(&school), "leadPractitioner": "",
                    "reason": REASON, "expectedVersion": 2
                }}),
            )
            .await;
        let again = &again["amendInvolvement"]["involvement"];
        assert_eq!(again["leadPractitioner"], Value::Null);
        assert_eq!(
            again["history"][1]["changedFields"],
            json!(["leadPractitioner"])
        );
        assert_eq!(again["history"][1]["amendingAgency"]["code"], "school");
        // A partner on the team reads the same history through the child.
        let read = app
            .ok_as(
                &TestActor::practitioner("school"),
                &format!(
                    "query($id: ID!) {{ child(id: $id) {{ involvements {{ agency {{ code }} amended {VERSION_FIELDS} }} }} }}"
                ),
                json!({ "id": f.alpha }),
            )
            .await;
        let listed = &read["child"]["involvements"];
        let csc = listed
            .as_array()
            .and_then(|all| all.iter().find(|i| i["agency"]["code"] == "csc"))
            .expect("csc");
        assert_eq!(csc["amended"], false);
        assert_eq!(csc["history"], json!([]));
    }
}

#[tokio::test]
async fn amend_involvement_refuses_other_roles_bad_days_nothing_and_stale_versions() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = involvement_of(&app, &f.alpha, "school").await;
        let lead = involvement_of(&app, &f.alpha, "csc").await;
        let op = amend_involvement();
        let input = json!({ "input": {
            "involvementId": id_of(&school), "leadPractitioner": "Synthetic name",
            "reason": REASON, "expectedVersion": 1
        }});
        let on_lead = with(&input, json!({ "involvementId": id_of(&lead) }));
        let missing = with(
            &input,
            json!({ "involvementId": global_id("Involvement", uuid::Uuid::now_v7()) }),
        );
        assert_refused(
            &app,
            Audit::Denied,
            [
                // A practitioner ends no involvement; an agency lead only its own agency's.
                Refusal::new(
                    TestActor::practitioner("school"),
                    &op,
                    input.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::agency_lead("school"),
                    &op,
                    on_lead.clone(),
                    "FORBIDDEN",
                ),
                // A partner's coordinator may end the lead's involvement, never rewrite it.
                Refusal::new(TestActor::coordinator("school"), &op, on_lead, "FORBIDDEN"),
                Refusal::new(
                    TestActor::coordinator("police"),
                    &op,
                    input.clone(),
                    "NOT_FOUND",
                ),
                Refusal::new(
                    TestActor::analyst("partnership"),
                    &op,
                    input.clone(),
                    "NOT_FOUND",
                ),
                Refusal::new(TestActor::coordinator("csc"), &op, missing, "NOT_FOUND"),
            ],
        )
        .await;
        let coordinator = TestActor::coordinator("csc");
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    with(&input, json!({ "startedOn": "2099-01-01" })),
                    "startedOn",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    with(&input, json!({ "startedOn": "2013-04-04" })),
                    "startedOn",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    with(&input, json!({ "leadPractitioner": "x".repeat(101) })),
                    "leadPractitioner",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    with(&input, json!({ "reason": "too short" })),
                    "reason",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    &op,
                    with(
                        &input,
                        json!({ "leadPractitioner": null, "involvementReason": " test " }),
                    ),
                    "input",
                ),
            ],
        )
        .await;
        assert_conflict(
            &app.gql_as(
                &coordinator,
                &op,
                with(&input, json!({ "expectedVersion": 3 })),
            )
            .await,
            1,
        );

        // An ended involvement is corrected too, but never to start after it ended.
        let police = involvement_of(&app, &f.bravo, "police").await;
        let ended = app
            .ok_as(
                &coordinator,
                "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) {
                    involvement { endedOn version } } }",
                json!({ "input": { "involvementId": id_of(&police), "reason": "Synthetic: work done.", "expectedVersion": 1 } }),
            )
            .await;
        let ended_on = ended["endInvolvement"]["involvement"]["endedOn"]
            .as_str()
            .expect("endedOn")
            .to_owned();
        let day_after = (chrono::NaiveDate::parse_from_str(&ended_on, "%Y-%m-%d").expect("day")
            + chrono::Duration::days(1))
        .to_string();
        let ended_input = json!({ "input": {
            "involvementId": id_of(&police), "startedOn": day_after, "reason": REASON, "expectedVersion": 2
        }});
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(
                coordinator.clone(),
                &op,
                ended_input.clone(),
                "startedOn",
            )],
        )
        .await;
        let corrected = app
            .ok_as(
                &coordinator,
                &op,
                with(&ended_input, json!({ "startedOn": "2026-10-01" })),
            )
            .await;
        assert_eq!(
            corrected["amendInvolvement"]["involvement"]["startedOn"],
            "2026-10-01"
        );
        // Nothing changed on the refused tries: the school's involvement has no history.
        let school = involvement_of(&app, &f.alpha, "school").await;
        assert_eq!(school["version"], 1);
    }
}

/// Police (not on Alpha's case team) refer Alpha, a child the partnership knows.
async fn police_refer_alpha(app: &TestApp) -> Value {
    let data = app
        .ok_as(
            &TestActor::practitioner("police"),
            REFER,
            json!({ "input": {
                "child": { "givenName": "Alpha", "familyName": "Testchild", "dateOfBirth": "2013-04-05", "gender": "Not recorded" },
                "reason": "Synthetic referral for a correction test.",
                "referredAt": "2026-11-20T09:00:00Z"
            }}),
        )
        .await;
    assert_eq!(data["referChild"]["wasKnown"], true, "{data}");
    data["referChild"]["referral"].clone()
}

/// Alpha's `REFERRAL` chronology entry and the start of its referral decision deadline,
/// as the lead agency reads them.
async fn referral_entry(app: &TestApp, child: &str) -> (Value, Value) {
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            &format!(
                "query($id: ID!) {{ child(id: $id) {{
                    chronology {{ nodes {{ id kind summary occurredAt version amended {VERSION_FIELDS} }} }}
                    deadlines {{ kind startedAt }} }} }}"
            ),
            json!({ "id": child }),
        )
        .await;
    let entry = data["child"]["chronology"]["nodes"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["kind"] == "REFERRAL"))
        .cloned()
        .unwrap_or_else(|| panic!("no REFERRAL entry: {data}"));
    let started = data["child"]["deadlines"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["kind"] == "REFERRAL_DECISION"))
        .map(|d| d["startedAt"].clone())
        .unwrap_or_else(|| panic!("no referral decision deadline: {data}"));
    (entry, started)
}

#[tokio::test]
async fn the_referring_agency_corrects_its_referral_and_the_chronology_follows() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let referral = police_refer_alpha(&app).await;
        let police = TestActor::practitioner("police");
        let data = app
            .ok_as(
                &police,
                &amend_referral(),
                json!({ "input": {
                    "referralId": id_of(&referral), "referralReason": "Synthetic referral, corrected.",
                    "referredAt": "2026-11-20T15:30:00Z", "reason": REASON, "expectedVersion": 1
                }}),
            )
            .await;
        let amended = &data["amendReferral"]["referral"];
        assert_eq!(
            amended["reason"], "Synthetic referral, corrected.",
            "{data}"
        );
        assert_eq!(amended["referredAt"], "2026-11-20T15:30:00Z");
        assert_eq!(amended["version"], 2);
        assert_eq!(amended["amended"], true);
        let history = &amended["history"];
        assert_eq!(history[0]["amendingAgency"]["code"], "police");
        assert_eq!(history[0]["reason"], REASON);
        assert_eq!(history[0]["changedFields"], json!(["reason", "referredAt"]));
        assert_eq!(
            values(&history[0]),
            json!({ "reason": "Synthetic referral for a correction test.", "referredAt": "2026-11-20T09:00:00Z" })
        );
        assert_eq!(
            audited(&app.db, "AMEND_REFERRAL", uuid_of(&id_of(&referral)))
                .await
                .len(),
            1
        );

        // The REFERRAL entry follows, with a history row of its own, and so does the
        // referral decision deadline.
        let (entry, started) = referral_entry(&app, &f.alpha).await;
        assert_eq!(
            entry["summary"], "Synthetic referral, corrected.",
            "{entry}"
        );
        assert_eq!(entry["occurredAt"], "2026-11-20T15:30:00Z");
        assert_eq!(entry["version"], 2);
        assert_eq!(
            entry["history"][0]["changedFields"],
            json!(["occurredAt", "summary"])
        );
        assert_eq!(entry["history"][0]["amendingAgency"]["code"], "police");
        assert_eq!(
            values(&entry["history"][0])["summary"],
            "Synthetic referral for a correction test."
        );
        assert_eq!(started, "2026-11-20T15:30:00Z");
        assert_eq!(
            audited(&app.db, "AMEND_CHRONOLOGY_ENTRY", uuid_of(&id_of(&entry)))
                .await
                .len(),
            1
        );

        // The case team reads the referral's history as the referrer does.
        let node = app
            .ok_as(
                &TestActor::practitioner("school"),
                &format!("query($id: ID!) {{ node(id: $id) {{ ... on Referral {{ amended {VERSION_FIELDS} }} }} }}"),
                json!({ "id": id_of(&referral) }),
            )
            .await;
        assert_eq!(node["node"]["history"][0]["reason"], REASON, "{node}");
    }
}

#[tokio::test]
async fn amend_referral_refuses_other_agencies_bad_input_and_stale_versions() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let referral = police_refer_alpha(&app).await;
        let op = amend_referral();
        let input = json!({ "input": {
            "referralId": id_of(&referral), "referralReason": "Synthetic referral, corrected.",
            "reason": REASON, "expectedVersion": 1
        }});
        assert_refused(
            &app,
            Audit::Denied,
            [
                // The case team sees the referral but did not make it.
                Refusal::new(
                    TestActor::coordinator("csc"),
                    &op,
                    input.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::practitioner("school"),
                    &op,
                    input.clone(),
                    "FORBIDDEN",
                ),
                // Neither referrer nor on the team: as if there were no referral.
                Refusal::new(
                    TestActor::practitioner("camhs"),
                    &op,
                    input.clone(),
                    "NOT_FOUND",
                ),
                Refusal::new(
                    TestActor::analyst("police"),
                    &op,
                    input.clone(),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        let police = TestActor::agency_lead("police");
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    police.clone(),
                    &op,
                    with(&input, json!({ "referralReason": "  " })),
                    "referralReason",
                ),
                Refusal::invalid(
                    police.clone(),
                    &op,
                    with(&input, json!({ "referredAt": "2099-01-01T00:00:00Z" })),
                    "referredAt",
                ),
                Refusal::invalid(
                    police.clone(),
                    &op,
                    with(&input, json!({ "reason": "short" })),
                    "reason",
                ),
                Refusal::invalid(
                    police.clone(),
                    &op,
                    with(
                        &input,
                        json!({ "referralReason": "Synthetic referral for a correction test.", "referredAt": "2026-11-20T09:00:00Z" }),
                    ),
                    "input",
                ),
            ],
        )
        .await;
        assert_conflict(
            &app.gql_as(&police, &op, with(&input, json!({ "expectedVersion": 2 })))
                .await,
            1,
        );

        // A referral is not moved back past a decision already recorded for the child:
        // the decision would then meet this referral's deadline.
        fixture::chronology_entry(
            &app,
            &TestActor::coordinator("csc"),
            &f.alpha,
            "REFERRAL_DECISION",
            "2026-11-18T10:00:00Z",
        )
        .await;
        // Whether a move would cross one is the child's record: a referrer that cannot
        // read the child moves its referral later only, whatever the chronology holds,
        // and each refusal is audited.
        assert_refused(
            &app,
            Audit::Denied,
            ["2026-11-17T09:00:00Z", "2026-11-19T09:00:00Z"].map(|earlier| {
                Refusal::new(
                    police.clone(),
                    &op,
                    with(&input, json!({ "referredAt": earlier })),
                    "FORBIDDEN",
                )
            }),
        )
        .await;
        fixture::involve(&app, &f.agency_gid("police"), &f.alpha, "police").await;
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(
                police.clone(),
                &op,
                with(&input, json!({ "referredAt": "2026-11-17T09:00:00Z" })),
                "referredAt",
            )],
        )
        .await;

        // Decided: the reason is still corrected, but the referral was made before it.
        let decided = app
            .ok_as(
                &TestActor::coordinator("csc"),
                "mutation($input: DecideReferralInput!) { decideReferral(input: $input) { referral { version decidedAt } } }",
                json!({ "input": {
                    "referralId": id_of(&referral), "decision": "NO_FURTHER_ACTION",
                    "note": "Synthetic: already known, nothing new.", "expectedVersion": 1
                }}),
            )
            .await;
        let decided_at = decided["decideReferral"]["referral"]["decidedAt"]
            .as_str()
            .expect("decidedAt");
        let after = chrono::DateTime::parse_from_rfc3339(decided_at).expect("time")
            + chrono::Duration::hours(1);
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(
                police.clone(),
                &op,
                with(
                    &input,
                    json!({ "referredAt": after.to_rfc3339(), "expectedVersion": 2 }),
                ),
                "referredAt",
            )],
        )
        .await;
        let corrected = app
            .ok_as(&police, &op, with(&input, json!({ "expectedVersion": 2 })))
            .await;
        assert_eq!(corrected["amendReferral"]["referral"]["version"], 3);
    }
}

#[tokio::test]
async fn an_entry_corrected_on_its_own_is_not_overwritten_by_its_referral() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        // The school refers a child not yet known: it joins the new case team, and may
        // correct the REFERRAL entry on its own.
        let school = TestActor::practitioner("school");
        let data = app
            .ok_as(
                &school,
                "mutation($input: ReferChildInput!) { referChild(input: $input) {
                    referral { id version } entry { id version } } }",
                json!({ "input": {
                    "child": { "givenName": "Delta", "familyName": "Testchild", "dateOfBirth": "2012-02-03", "gender": "Not recorded" },
                    "reason": "Synthetic referral of a new child."
                }}),
            )
            .await;
        let referral = &data["referChild"]["referral"];
        let entry = &data["referChild"]["entry"];
        app.ok_as(
            &school,
            &super::amend_entry(),
            json!({ "input": {
                "entryId": id_of(entry), "summary": "Synthetic referral, the school's own words.",
                "reason": REASON, "expectedVersion": 1
            }}),
        )
        .await;
        let amended = app
            .ok_as(
                &school,
                &amend_referral(),
                json!({ "input": {
                    "referralId": id_of(referral), "referralReason": "Synthetic referral, corrected.",
                    "reason": REASON, "expectedVersion": 1
                }}),
            )
            .await;
        assert_eq!(amended["amendReferral"]["referral"]["version"], 2);
        let node = app
            .ok_as(
                &school,
                "query($id: ID!) { node(id: $id) { ... on ChronologyEntry { summary version } } }",
                json!({ "id": id_of(entry) }),
            )
            .await;
        assert_eq!(
            node["node"],
            json!({ "summary": "Synthetic referral, the school's own words.", "version": 2 })
        );
    }
}
