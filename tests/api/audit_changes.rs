//! What the operations that write several rows record in the audit log's `changes`
//! (`docs/access.md`): the consultations `addPlanAction` opens, the case team a closing
//! ends, and what a new referral or behaviour changes when it reopens a closed case.

use chrono::Utc;
use entity::{audit_events, involvements};
use sea_orm::{ActiveValue::Set, ColumnTrait as _, EntityTrait as _, QueryFilter as _};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture::{self, Fixture};
use crate::helpers::db::audited;
use crate::helpers::plans::{SharedPlan, active_plan, charging_decision, close, shared_plan};
use crate::helpers::{TestActor, TestApp, id_of, spawn_apps, uuid_of};

/// The change of `field` in an audit row's `changes`.
fn change<'a>(row: &'a audit_events::Model, field: &str) -> &'a Value {
    row.changes
        .as_ref()
        .and_then(Value::as_array)
        .and_then(|list| list.iter().find(|c| c["field"] == field))
        .unwrap_or_else(|| panic!("no change of {field} in {:?}", row.changes))
}

/// The allowed audit rows of `action` on `entity`, oldest first.
async fn rows_of(app: &TestApp, action: &str, entity: Uuid) -> Vec<audit_events::Model> {
    let mut rows = audited(&app.db, action, entity).await;
    rows.sort_by_key(|row| (row.occurred_at, row.id));
    rows
}

#[tokio::test]
async fn adding_an_action_audits_each_consultation_it_opens_with_its_fields() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let SharedPlan {
            fixture: f,
            plan: _,
        } = &shared;
        let action = charging_decision(&app, &shared).await;
        let action_id = uuid_of(&id_of(&action));

        // The action's own row: its fields.
        let added = rows_of(&app, "ADD_PLAN_ACTION", action_id).await;
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].entity_type, "PlanAction");
        assert_eq!(
            change(&added[0], "kind"),
            &json!({ "field": "kind", "old": null, "new": "CHARGING_DECISION" })
        );
        assert_eq!(change(&added[0], "status")["new"], "AWAITING_CONSULTATION");

        // One row per consultation opened, about the consultation, with its fields.
        let opened = action["consultations"].as_array().expect("consultations");
        assert_eq!(opened.len(), 2, "{action}");
        for consultation in opened {
            let id = uuid_of(&id_of(consultation));
            let code = consultation["agency"]["code"].as_str().expect("code");
            let rows = rows_of(&app, "ADD_PLAN_ACTION", id).await;
            assert_eq!(rows.len(), 1, "{code}");
            let row = &rows[0];
            assert_eq!(row.entity_type, "Consultation");
            assert_eq!(row.child_id, Some(uuid_of(&f.alpha)));
            assert_eq!(row.request_id, added[0].request_id, "the same request");
            assert_eq!(
                change(row, "actionId"),
                &json!({ "field": "actionId", "old": null, "new": action_id.to_string() })
            );
            assert_eq!(change(row, "agencyId")["new"], f.agency(code).to_string());
            assert_eq!(change(row, "status")["new"], "REQUESTED");
            let fields: Vec<&str> = row
                .changes
                .as_ref()
                .and_then(Value::as_array)
                .expect("changes")
                .iter()
                .filter_map(|c| c["field"].as_str())
                .collect();
            assert!(
                !fields.contains(&"version") && !fields.contains(&"responseNote"),
                "bookkeeping and empty fields are left out: {fields:?}"
            );
        }
    }
}

const CHILD_VERSION: &str = "query($id: ID!) { child(id: $id) { version } }";

/// Closes `child`'s case as its lead coordinator, at the version read.
async fn close_case(app: &TestApp, child: &str) {
    let csc = TestActor::coordinator("csc");
    let version =
        app.ok_as(&csc, CHILD_VERSION, json!({ "id": child })).await["child"]["version"].clone();
    app.ok_as(
        &csc,
        "mutation($input: CloseCaseInput!) { closeCase(input: $input) { child { status } } }",
        json!({ "input": { "childId": child, "reason": "Synthetic: work complete.",
                           "expectedVersion": version } }),
    )
    .await;
}

/// A referral of the fixture child `given` (born 2013-04-05) by `agency`.
async fn refer(app: &TestApp, agency: &str, given: &str) {
    app.ok_as(
        &TestActor::practitioner(agency),
        "mutation($input: ReferChildInput!) { referChild(input: $input) { wasKnown } }",
        json!({ "input": {
            "child": { "givenName": given, "familyName": "Testchild", "dateOfBirth": "2013-04-05",
                       "gender": "Not recorded" },
            "reason": "Synthetic: a new concern."
        }}),
    )
    .await;
}

async fn record_behaviour(app: &TestApp, child: &str) {
    app.ok_as(
        &TestActor::practitioner("csc"),
        "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated } }",
        json!({ "input": { "childId": child, "occurredOn": Utc::now().date_naive().to_string(),
                           "disclosedAt": Utc::now().to_rfc3339(), "setting": "HOME",
                           "contactType": "NON_CONTACT", "description": "Synthetic.",
                           "continuum": "NORMAL", "trafficLight": "GREEN" } }),
    )
    .await;
}

/// Alpha (CSC lead, school partner) with its one plan closed: ready to close.
async fn closable_alpha(app: &TestApp, f: &Fixture) {
    let (plan, _) = active_plan(app, f, &f.alpha, &["school"]).await;
    close(app, &plan).await;
}

#[tokio::test]
async fn closing_and_reopening_a_case_record_what_they_changed() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let alpha = uuid_of(&f.alpha);
        closable_alpha(&app, &f).await;
        close_case(&app, &f.alpha).await;

        // The school's involvement ended with the case: when, and that a reason was given
        // (the closing reason, kept as a chronology entry's summary: restricted).
        let school = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(alpha))
            .filter(involvements::Column::AgencyId.eq(f.agency("school")))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the school's involvement");
        let ended = rows_of(&app, "END_INVOLVEMENT", school.id).await;
        assert_eq!(ended.len(), 1);
        let ended_on = school.ended_on.expect("ended").to_string();
        assert_eq!(
            change(&ended[0], "endedOn"),
            &json!({ "field": "endedOn", "old": null, "new": ended_on })
        );
        assert_eq!(
            change(&ended[0], "endReason"),
            &json!({ "field": "endReason", "restricted": true })
        );
        assert!(
            !ended[0]
                .changes
                .as_ref()
                .is_some_and(|c| c.to_string().contains("work complete")),
            "{:?}",
            ended[0].changes
        );

        // A referral reopens it: the child's status, and what reopened it.
        refer(&app, "school", "Alpha").await;
        let reopened = rows_of(&app, "REOPEN_CASE", alpha).await;
        assert_eq!(reopened.len(), 1);
        assert_eq!(reopened[0].entity_type, "Child");
        assert_eq!(
            change(&reopened[0], "status"),
            &json!({ "field": "status", "old": "CLOSED", "new": "OPEN" })
        );
        assert_eq!(
            change(&reopened[0], "reopenedBy"),
            &json!({ "field": "reopenedBy", "old": null, "new": "REFERRAL" })
        );

        // Closed again, a behaviour reopens it.
        close_case(&app, &f.alpha).await;
        record_behaviour(&app, &f.alpha).await;
        let reopened = rows_of(&app, "REOPEN_CASE", alpha).await;
        assert_eq!(reopened.len(), 2);
        assert_eq!(change(&reopened[1], "status")["new"], "OPEN");
        assert_eq!(change(&reopened[1], "reopenedBy")["new"], "BEHAVIOUR");
        // The child's identity is never among them.
        for row in &reopened {
            assert!(
                !row.changes
                    .as_ref()
                    .is_some_and(|c| c.to_string().contains("Alpha")),
                "{:?}",
                row.changes
            );
        }
    }
}

#[tokio::test]
async fn a_lead_agency_put_back_by_a_reopening_is_audited_with_its_fields() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let alpha = uuid_of(&f.alpha);
        closable_alpha(&app, &f).await;
        close_case(&app, &f.alpha).await;
        // However it came about, a closed case whose lead involvement has ended.
        involvements::Entity::update_many()
            .set(involvements::ActiveModel {
                ended_on: Set(Some(Utc::now().date_naive())),
                ..Default::default()
            })
            .filter(involvements::Column::ChildId.eq(alpha))
            .exec(&app.db)
            .await
            .expect("end the lead");

        refer(&app, "health", "Alpha").await;
        let lead = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(alpha))
            .filter(involvements::Column::EndedOn.is_null())
            .one(&app.db)
            .await
            .expect("query")
            .expect("the lead, back on");
        let added = rows_of(&app, "ADD_INVOLVEMENT", lead.id).await;
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].child_id, Some(alpha));
        assert_eq!(change(&added[0], "role")["new"], "LEAD");
        assert_eq!(
            change(&added[0], "agencyId")["new"],
            f.agency("csc").to_string()
        );
        let reopened = rows_of(&app, "REOPEN_CASE", alpha).await;
        assert_eq!(reopened.len(), 1);
        assert_eq!(change(&reopened[0], "status")["new"], "OPEN");
    }
}

#[tokio::test]
async fn asking_for_contributions_audits_each_contribution_it_creates_with_its_fields() {
    use crate::assessments::{ask, start, team};
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let asked = ask(&app, &f, &assessment, &["school"], &["FAMILY"]).await;
        let contribution = &asked["contributions"][0];
        let rows = rows_of(&app, "REQUEST_CONTRIBUTIONS", uuid_of(&id_of(contribution))).await;
        assert_eq!(rows.len(), 1, "{asked}");
        assert_eq!(rows[0].entity_type, "AssessmentContribution");
        assert_eq!(rows[0].child_id, Some(uuid_of(&f.alpha)));
        assert_eq!(change(&rows[0], "domain")["new"], "FAMILY");
        assert_eq!(change(&rows[0], "status")["new"], "REQUESTED");
        assert_eq!(
            change(&rows[0], "agencyId")["new"],
            f.agency("school").to_string()
        );
        // Asking again creates nothing, and audits nothing more about it.
        ask(&app, &f, &assessment, &["school"], &["FAMILY"]).await;
        assert_eq!(
            rows_of(&app, "REQUEST_CONTRIBUTIONS", uuid_of(&id_of(contribution)))
                .await
                .len(),
            1
        );
    }
}
