//! A given assessment contribution answered again: the amendment takes a reason, and
//! the answer it replaces is kept in a history masked like the contribution's content.

use serde_json::{Value, json};

use super::super::{REASON, VERSION_FIELDS};
use super::values;
use crate::assessments::{self, CONTRIBUTE, contribute, contribute_input, contribution_of};
use crate::helpers::db::audited;
use crate::helpers::refusals::{Audit, Refusal, assert_refused};
use crate::helpers::{TestActor, id_of, spawn_apps, uuid_of};

fn amend_input(contribution: &str, version: i64, text: &str, sensitivity: &str) -> Value {
    let mut input = contribute_input(contribution, version, text, sensitivity, &[]);
    input["input"]["reason"] = json!(REASON);
    input
}

#[tokio::test]
async fn an_amended_contribution_keeps_the_replaced_answer_masked_like_its_content() {
    for app in spawn_apps().await {
        let f = assessments::team(&app).await;
        let assessment = assessments::start(&app, &f, &f.alpha).await;
        let asked = assessments::ask(&app, &f, &assessment, &["school"], &["FAMILY"]).await;
        let part = id_of(&contribution_of(
            &asked["contributions"],
            "school",
            "FAMILY",
        ));
        let school = TestActor::practitioner("school");
        let first = contribute(&app, &school, &part, "first", "RESTRICTED", &[]).await;
        let given = &first["data"]["contributeToAssessment"]["contribution"];
        assert_eq!(given["version"], 2, "{first}");
        let operation = assessments::op(&format!(
            "{} fragment H on AssessmentContribution {{ amended {VERSION_FIELDS} }}",
            CONTRIBUTE.replace("...C }", "...C ...H }")
        ));

        // Amending a given answer takes a reason and must change something.
        let mut no_reason = amend_input(&part, 2, "second", "RESTRICTED");
        no_reason["input"]["reason"] = Value::Null;
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(school.clone(), &operation, no_reason, "reason"),
                Refusal::invalid(
                    school.clone(),
                    &operation,
                    amend_input(&part, 2, "first", "RESTRICTED"),
                    "input",
                ),
            ],
        )
        .await;
        let amended = app
            .ok_as(
                &school,
                &operation,
                amend_input(&part, 2, "second", "RESTRICTED"),
            )
            .await;
        let amended = &amended["contributeToAssessment"]["contribution"];
        assert_eq!(
            amended["concerns"], "Synthetic concerns: second.",
            "{amended}"
        );
        assert_eq!(amended["amended"], true);
        let history = &amended["history"];
        assert_eq!(history[0]["version"], 2);
        assert_eq!(history[0]["reason"], REASON);
        assert_eq!(
            history[0]["changedFields"],
            json!(["concerns", "strengths", "sources"])
        );
        let old = values(&history[0]);
        assert_eq!(old["concerns"], "Synthetic concerns: first.");
        assert_eq!(old["level"], "MEDIUM");
        assert_eq!(old["sensitivity"], "RESTRICTED");
        assert_eq!(
            audited(&app.db, "CONTRIBUTE_TO_ASSESSMENT", uuid_of(&part))
                .await
                .len(),
            2
        );

        // Police, on the team but not shared with, see that it changed, not what it said;
        // the lead agency reads it all.
        let read = |actor: TestActor| {
            let app = &app;
            let part = part.clone();
            async move {
                app.ok_as(
                    &actor,
                    &format!(
                        "query($id: ID!) {{ node(id: $id) {{ ... on AssessmentContribution {{ restricted concerns amended {VERSION_FIELDS} }} }} }}"
                    ),
                    json!({ "id": part }),
                )
                .await["node"]
                    .clone()
            }
        };
        let hidden = read(TestActor::practitioner("police")).await;
        assert_eq!(hidden["restricted"], true, "{hidden}");
        assert_eq!(hidden["amended"], true);
        assert_eq!(hidden["history"][0]["values"], Value::Null);
        assert_eq!(hidden["history"][0]["reason"], Value::Null);
        assert_eq!(
            hidden["history"][0]["changedFields"],
            json!(["concerns", "strengths", "sources"])
        );
        let lead = read(TestActor::coordinator("csc")).await;
        assert_eq!(
            values(&lead["history"][0])["concerns"],
            "Synthetic concerns: first."
        );

        // Made standard, the current answer is the team's; the restricted one it
        // replaced stays hidden from the police.
        app.ok_as(
            &school,
            &operation,
            amend_input(&part, 3, "second", "STANDARD"),
        )
        .await;
        let partly = read(TestActor::practitioner("police")).await;
        assert_eq!(partly["restricted"], false, "{partly}");
        assert_eq!(partly["history"][0]["values"], Value::Null);
        assert_eq!(partly["history"][1]["values"], Value::Null);
        assert_eq!(
            partly["history"][1]["changedFields"],
            json!(["sensitivity"])
        );

        // A first answer keeps no history, reason or not.
        let asked = assessments::ask(&app, &f, &assessment, &["camhs"], &["FAMILY"]).await;
        let camhs_part = id_of(&contribution_of(&asked["contributions"], "camhs", "FAMILY"));
        let camhs = app
            .ok_as(
                &TestActor::practitioner("camhs"),
                &operation,
                amend_input(&camhs_part, 1, "camhs", "STANDARD"),
            )
            .await;
        let camhs = &camhs["contributeToAssessment"]["contribution"];
        assert_eq!(camhs["amended"], false, "{camhs}");
        assert_eq!(camhs["history"], json!([]));
    }
}
