//! `amendJointPlan`, `amendPlanAction` and `amendPlanReview`: the plan's records are
//! corrected by whoever runs the plan or handles the action, with history; a review's
//! chronology entry and the review that set the next review date follow.

use chrono::{Duration, Utc};
use entity::enums::ChronologyKind;
use entity::{chronology_entries, deadlines, joint_plans};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::{REASON, VERSION_FIELDS};
use crate::helpers::db::{audited, row};
use crate::helpers::plans::{
    RESPOND, REVIEW, SharedPlan, action_row, activate, add_action, charging_decision, close,
    consultation_for, days_from_today, events, plan_row, shared_plan, today,
};
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused, changed};
use crate::helpers::{TestActor, TestApp, global_id, id_of, spawn_apps, uuid_of};

fn amend_plan() -> String {
    format!(
        "mutation($input: AmendJointPlanInput!) {{ amendJointPlan(input: $input) {{ jointPlan {{
            id title pathway riskSummary nextReviewDue version amended {VERSION_FIELDS}
            reviews {{ id nextReviewDue version amended {VERSION_FIELDS} }} }} }} }}"
    )
}

fn amend_action() -> String {
    format!(
        "mutation($input: AmendPlanActionInput!) {{ amendPlanAction(input: $input) {{ action {{
            id kind description dueOn version amended assignedAgency {{ code }}
            {VERSION_FIELDS} }} }} }}"
    )
}

fn amend_review() -> String {
    format!(
        "mutation($input: AmendPlanReviewInput!) {{ amendPlanReview(input: $input) {{ review {{
            id heldOn summary nextReviewDue version amended attendingAgencies {{ code }}
            {VERSION_FIELDS} }} }} }}"
    )
}

/// The replaced values of a history row, parsed.
fn values(version: &Value) -> Value {
    serde_json::from_str(version["values"].as_str().expect("values")).expect("JSON values")
}

/// `{ "input": base + change }`.
fn input(base: &Value, change: Value) -> Value {
    json!({ "input": changed(base, &change) })
}

/// Puts a plan's go-live date `days` days back, as if it had been activated then.
async fn live_since(app: &TestApp, plan: &str, days: i64) {
    joint_plans::ActiveModel {
        id: Set(uuid_of(plan)),
        activated_at: Set(Some(Utc::now() - Duration::days(days))),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .expect("backdate activation");
}

/// Records a review of an active plan as the CSC coordinator; returns the review.
async fn review(app: &TestApp, shared: &SharedPlan, held_on: chrono::NaiveDate) -> Value {
    let version = plan_row(app, &shared.plan).await.version;
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            REVIEW,
            json!({ "input": {
                "planId": shared.plan, "heldOn": held_on, "summary": "Synthetic review summary.",
                "attendingAgencyIds": [shared.fixture.agency_gid("csc")], "expectedVersion": version
            }}),
        )
        .await;
    data["recordPlanReview"]["review"].clone()
}

#[tokio::test]
async fn the_lead_coordinator_amends_a_joint_plan_with_history() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let base = json!({ "planId": shared.plan, "reason": REASON, "expectedVersion": 3 });
        let data = app
            .ok_as(
                &coordinator,
                &amend_plan(),
                input(
                    &base,
                    json!({ "title": "Synthetic corrected plan", "riskSummary": "", "pathway": "BOTH" }),
                ),
            )
            .await;
        let plan = &data["amendJointPlan"]["jointPlan"];
        assert_eq!(plan["title"], "Synthetic corrected plan", "{data}");
        assert_eq!(plan["riskSummary"], Value::Null);
        assert_eq!(plan["version"], 4);
        assert_eq!(plan["amended"], true);
        let history = plan["history"].as_array().expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0]["version"], 3);
        assert_eq!(history[0]["amendingAgency"]["code"], "csc");
        assert_eq!(history[0]["reason"], REASON);
        assert_eq!(history[0]["changedFields"], json!(["title", "riskSummary"]));
        let old = values(&history[0]);
        assert_eq!(old["title"], "Joint plan");
        assert_eq!(
            old["riskSummary"],
            "Sexualised behaviour towards younger children"
        );
        assert_eq!(old["pathway"], "BOTH");
        assert_eq!(
            audited(&app.db, "AMEND_JOINT_PLAN", uuid_of(&shared.plan))
                .await
                .len(),
            1
        );
        // The members are told at once, with what changed.
        let told = events(&app, &shared.plan, "PLAN_AMENDED").await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(
            told[0].payload["changedFields"],
            json!(["title", "riskSummary"])
        );
        // The subject access export carries the plan's history.
        let export = app
            .ok_as(
                &TestActor::information_governance("csc"),
                "query($id: ID!) { exportChildRecord(childId: $id) { document } }",
                json!({ "id": shared.fixture.alpha }),
            )
            .await;
        let document: Value = serde_json::from_str(
            export["exportChildRecord"]["document"]
                .as_str()
                .expect("document"),
        )
        .expect("one JSON document");
        let exported = &document["jointPlans"][0]["history"][0];
        assert_eq!(exported["changedFields"], json!(["title", "riskSummary"]));
        assert_eq!(exported["values"]["title"], "Joint plan");
        // Every member agency reads the plan's risk summary, and so its history.
        let read = app
            .ok_as(
                &TestActor::practitioner("police"),
                &format!("query($id: ID!) {{ jointPlan(id: $id) {{ amended {VERSION_FIELDS} }} }}"),
                json!({ "id": shared.plan }),
            )
            .await;
        assert_eq!(read["jointPlan"]["history"], plan["history"]);

        let op = amend_plan();
        let next = input(
            &base,
            json!({ "title": "Another title", "expectedVersion": 4 }),
        );
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::coordinator("police"),
                    &op,
                    next.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::agency_lead("csc"),
                    &op,
                    next.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::coordinator("camhs"),
                    &op,
                    next.clone(),
                    "NOT_FOUND",
                ),
                Refusal::new(
                    TestActor::coordinator("yjs"),
                    &op,
                    next.clone(),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        let invalid = |change: Value, field| {
            Refusal::invalid(
                coordinator.clone(),
                &op,
                input(&base, changed(&json!({ "expectedVersion": 4 }), &change)),
                field,
            )
        };
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                invalid(json!({ "title": " " }), "title"),
                invalid(json!({ "title": "x", "reason": "too short" }), "reason"),
                invalid(json!({ "title": " Synthetic corrected plan " }), "input"),
                invalid(json!({ "nextReviewDue": today() }), "nextReviewDue"),
            ],
        )
        .await;
        assert_conflict(
            &app.gql_as(&coordinator, &op, input(&base, json!({ "title": "Stale" })))
                .await,
            4,
        );
        assert_eq!(plan_row(&app, &shared.plan).await.version, 4);
    }
}

#[tokio::test]
async fn a_pathway_corrected_away_from_child_protection_never_shortens_retention() {
    const RULE: &str = "query($id: ID!) { child(id: $id) { retentionRule } }";
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let child = json!({ "id": shared.fixture.alpha });
        let protection = "CHILD_PROTECTION: 35 years after last contact";
        let before = app.ok_as(&coordinator, RULE, child.clone()).await;
        assert_eq!(before["child"]["retentionRule"], protection);
        let base = json!({ "planId": shared.plan, "reason": REASON, "expectedVersion": 3 });
        app.ok_as(
            &coordinator,
            &amend_plan(),
            input(&base, json!({ "pathway": "EARLY_HELP" })),
        )
        .await;
        // The plan was on the child protection pathway: its earlier version still counts.
        let after = app.ok_as(&coordinator, RULE, child).await;
        assert_eq!(after["child"]["retentionRule"], protection);
    }
}

#[tokio::test]
async fn the_next_review_date_is_amended_with_the_review_that_set_it() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        activate(&app, &shared.plan).await;
        let coordinator = TestActor::coordinator("csc");
        let version = plan_row(&app, &shared.plan).await.version;
        let next = days_from_today(40);
        let base = json!({ "planId": shared.plan, "reason": REASON, "expectedVersion": version });
        // Before any review, the first falls due by the policy, not by hand.
        let refused = app
            .gql_as(
                &coordinator,
                &amend_plan(),
                input(&base, json!({ "nextReviewDue": next })),
            )
            .await;
        assert_eq!(
            crate::helpers::refusals::refusal(&refused),
            (Some("VALIDATION_FAILED"), Some("nextReviewDue")),
            "{refused}"
        );
        let held = review(&app, &shared, today()).await;
        let version = plan_row(&app, &shared.plan).await.version;
        let data = app
            .ok_as(
                &coordinator,
                &amend_plan(),
                input(
                    &base,
                    json!({ "nextReviewDue": next, "expectedVersion": version }),
                ),
            )
            .await;
        let plan = &data["amendJointPlan"]["jointPlan"];
        assert_eq!(plan["nextReviewDue"], next.to_string(), "{data}");
        assert_eq!(
            plan["history"][0]["changedFields"],
            json!(["nextReviewDue"])
        );
        let review = &plan["reviews"][0];
        assert_eq!(review["id"], held["id"]);
        assert_eq!(review["nextReviewDue"], next.to_string());
        assert_eq!(review["version"], 2);
        assert_eq!(review["amended"], true);
        assert_eq!(
            review["history"][0]["changedFields"],
            json!(["nextReviewDue"])
        );
        assert_eq!(
            values(&review["history"][0])["nextReviewDue"],
            held["nextReviewDue"]
        );
        assert_eq!(
            audited(&app.db, "AMEND_PLAN_REVIEW", uuid_of(&id_of(&held)))
                .await
                .len(),
            1
        );
        // The stored deadline follows the review that now sets it.
        let owed = deadlines::Entity::find()
            .filter(deadlines::Column::ChildId.eq(uuid_of(&shared.fixture.alpha)))
            .filter(deadlines::Column::Kind.eq("PLAN_REVIEW"))
            .filter(deadlines::Column::MetAt.is_null())
            .all(&app.db)
            .await
            .expect("deadlines");
        assert_eq!(owed.len(), 1, "{owed:?}");
        assert_eq!(owed[0].due_at, api::timescales::deadlines::end_of_day(next));

        // A date not after the last review is refused; a closed plan has no next review,
        // but the rest of its record can still be corrected.
        let version = version + 1;
        let refused = app
            .gql_as(
                &coordinator,
                &amend_plan(),
                input(
                    &base,
                    json!({ "nextReviewDue": today(), "expectedVersion": version }),
                ),
            )
            .await;
        assert_eq!(
            crate::helpers::refusals::refusal(&refused),
            (Some("VALIDATION_FAILED"), Some("nextReviewDue")),
            "{refused}"
        );
        close(&app, &shared.plan).await;
        let version = plan_row(&app, &shared.plan).await.version;
        let closed = json!({ "planId": shared.plan, "reason": REASON, "expectedVersion": version });
        let refused = app
            .gql_as(
                &coordinator,
                &amend_plan(),
                input(&closed, json!({ "nextReviewDue": next })),
            )
            .await;
        assert_eq!(
            crate::helpers::refusals::refusal(&refused),
            (Some("VALIDATION_FAILED"), Some("nextReviewDue")),
            "{refused}"
        );
        let data = app
            .ok_as(
                &coordinator,
                &amend_plan(),
                input(
                    &closed,
                    json!({ "title": "Synthetic plan, title corrected" }),
                ),
            )
            .await;
        assert_eq!(
            data["amendJointPlan"]["jointPlan"]["title"],
            "Synthetic plan, title corrected"
        );
    }
}

#[tokio::test]
async fn an_action_answered_on_keeps_its_description() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let action = charging_decision(&app, &shared).await;
        let school = consultation_for(&action, "school");
        let version = action["consultations"]
            .as_array()
            .and_then(|all| all.iter().find(|c| id_of(c) == school))
            .map(|c| c["version"].clone())
            .expect("school's consultation");
        app.ok_as(
            &TestActor::agency_lead("school"),
            RESPOND,
            json!({ "input": { "consultationId": school, "response": "AGREED", "note": null, "expectedVersion": version } }),
        )
        .await;
        let police = TestActor::practitioner("police");
        let current = action_row(&app, &id_of(&action)).await.version;
        let base =
            json!({ "actionId": id_of(&action), "reason": REASON, "expectedVersion": current });
        // The school agreed to this description: a new one is a new action.
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(
                police.clone(),
                &amend_action(),
                input(
                    &base,
                    json!({ "description": "Something else (synthetic)." }),
                ),
                "description",
            )],
        )
        .await;
        // Its due day is still corrected.
        let due = days_from_today(20);
        let data = app
            .ok_as(
                &police,
                &amend_action(),
                input(&base, json!({ "dueOn": due })),
            )
            .await;
        assert_eq!(data["amendPlanAction"]["action"]["dueOn"], due.to_string());
    }
}

#[tokio::test]
async fn the_assigned_agency_amends_its_action_with_history() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let action = add_action(
            &app,
            &school,
            &shared.plan,
            &shared.fixture.agency_gid("school"),
            "SAFETY_PLAN",
            &[],
        )
        .await;
        let version = action["version"].as_i64().expect("version");
        let due = days_from_today(30);
        let base =
            json!({ "actionId": id_of(&action), "reason": REASON, "expectedVersion": version });
        let data = app
            .ok_as(
                &school,
                &amend_action(),
                input(
                    &base,
                    json!({ "description": "Synthetic corrected safety plan.", "dueOn": due }),
                ),
            )
            .await;
        let amended = &data["amendPlanAction"]["action"];
        assert_eq!(
            amended["description"], "Synthetic corrected safety plan.",
            "{data}"
        );
        assert_eq!(amended["dueOn"], due.to_string());
        assert_eq!(amended["kind"], "SAFETY_PLAN");
        assert_eq!(amended["assignedAgency"]["code"], "school");
        let told = events(&app, &shared.plan, "ACTION_AMENDED").await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(
            told[0].payload["changedFields"],
            json!(["description", "dueOn"])
        );
        assert_eq!(amended["version"], version + 1);
        assert_eq!(amended["amended"], true);
        let history = &amended["history"][0];
        assert_eq!(history["amendingAgency"]["code"], "school");
        assert_eq!(history["changedFields"], json!(["description", "dueOn"]));
        assert_eq!(values(history)["description"], "SAFETY_PLAN for the plan");
        assert_eq!(values(history)["dueOn"], Value::Null);
        assert_eq!(
            audited(&app.db, "AMEND_PLAN_ACTION", uuid_of(&id_of(&action)))
                .await
                .len(),
            1
        );

        // The lead coordinator amends any member's action; other members do not.
        let version = version + 1;
        let op = amend_action();
        let next = input(
            &base,
            json!({ "description": "Synthetic second correction.", "expectedVersion": version }),
        );
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::coordinator("police"),
                    &op,
                    next.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::practitioner("camhs"),
                    &op,
                    next.clone(),
                    "NOT_FOUND",
                ),
                Refusal::new(
                    TestActor::practitioner("yjs"),
                    &op,
                    next.clone(),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        let invalid = |change: Value, field| {
            Refusal::invalid(
                school.clone(),
                &op,
                input(
                    &base,
                    changed(&json!({ "expectedVersion": version }), &change),
                ),
                field,
            )
        };
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                invalid(json!({ "description": "" }), "description"),
                invalid(json!({ "dueOn": days_from_today(-2) }), "dueOn"),
                invalid(json!({ "dueOn": due, "reason": "short" }), "reason"),
                invalid(json!({ "dueOn": due }), "input"),
            ],
        )
        .await;
        assert_conflict(
            &app.gql_as(
                &school,
                &op,
                input(&base, json!({ "dueOn": days_from_today(9) })),
            )
            .await,
            version,
        );
        let data = app
            .ok_as(&TestActor::coordinator("csc"), &op, next.clone())
            .await;
        assert_eq!(
            data["amendPlanAction"]["action"]["history"][1]["amendingAgency"]["code"],
            "csc"
        );

        // A closed plan's actions no longer change.
        close(&app, &shared.plan).await;
        let closed = input(
            &base,
            json!({ "description": "After closing.", "expectedVersion": version + 1 }),
        );
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(school.clone(), &op, closed, "actionId")],
        )
        .await;
    }
}

#[tokio::test]
async fn a_closed_plan_s_review_is_not_moved_past_its_closing() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        activate(&app, &shared.plan).await;
        live_since(&app, &shared.plan, 30).await;
        let held = review(&app, &shared, days_from_today(-20)).await;
        close(&app, &shared.plan).await;
        // Closed ten days ago.
        joint_plans::ActiveModel {
            id: Set(uuid_of(&shared.plan)),
            closed_at: Set(Some(Utc::now() - Duration::days(10))),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .expect("backdate closing");
        let base = json!({ "reviewId": id_of(&held), "reason": REASON, "expectedVersion": 1 });
        let coordinator = TestActor::coordinator("csc");
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(
                coordinator.clone(),
                &amend_review(),
                input(&base, json!({ "heldOn": days_from_today(-5) })),
                "heldOn",
            )],
        )
        .await;
        // Within the plan's life it is still corrected.
        let data = app
            .ok_as(
                &coordinator,
                &amend_review(),
                input(&base, json!({ "heldOn": days_from_today(-15) })),
            )
            .await;
        assert_eq!(
            data["amendPlanReview"]["review"]["heldOn"],
            days_from_today(-15).to_string()
        );
    }
}

#[tokio::test]
async fn a_review_is_amended_with_its_chronology_entry() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        activate(&app, &shared.plan).await;
        live_since(&app, &shared.plan, 30).await;
        let first = review(&app, &shared, days_from_today(-20)).await;
        let second = review(&app, &shared, days_from_today(-10)).await;
        let coordinator = TestActor::coordinator("csc");
        let base = json!({ "reviewId": id_of(&first), "reason": REASON, "expectedVersion": 1 });
        let police = shared.fixture.agency_gid("police");
        let data = app
            .ok_as(
                &coordinator,
                &amend_review(),
                input(
                    &base,
                    json!({
                        "heldOn": days_from_today(-21), "summary": "Synthetic corrected review.",
                        "attendingAgencyIds": [shared.fixture.agency_gid("csc"), police]
                    }),
                ),
            )
            .await;
        let amended = &data["amendPlanReview"]["review"];
        assert_eq!(amended["summary"], "Synthetic corrected review.", "{data}");
        assert_eq!(amended["heldOn"], days_from_today(-21).to_string());
        assert_eq!(
            amended["attendingAgencies"],
            json!([{ "code": "csc" }, { "code": "police" }])
        );
        assert_eq!(amended["version"], 2);
        assert_eq!(amended["amended"], true);
        let history = &amended["history"][0];
        assert_eq!(
            history["changedFields"],
            json!(["heldOn", "attendingAgencies", "summary"])
        );
        let old = values(history);
        assert_eq!(old["summary"], "Synthetic review summary.");
        assert_eq!(old["heldOn"], days_from_today(-20).to_string());
        assert_eq!(
            old["attendingAgencies"],
            json!([shared.fixture.agency_gid("csc")])
        );
        let review_id = uuid_of(&id_of(&first));
        assert_eq!(
            audited(&app.db, "AMEND_PLAN_REVIEW", review_id).await.len(),
            1
        );
        let told = events(&app, &shared.plan, "PLAN_AMENDED").await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].payload["reviewId"], review_id.to_string());
        // The chronology entry the review wrote follows it, with its own history.
        let entries = chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.eq(uuid_of(&shared.fixture.alpha)))
            .filter(chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview))
            .filter(chronology_entries::Column::Version.eq(2))
            .all(&app.db)
            .await
            .expect("entries");
        assert_eq!(entries.len(), 1, "{entries:?}");
        let entry = &entries[0];
        assert_eq!(
            entry.summary,
            "Joint plan review: Synthetic corrected review."
        );
        assert_eq!(entry.occurred_at.date_naive(), days_from_today(-21));
        assert_eq!(
            audited(&app.db, "AMEND_CHRONOLOGY_ENTRY", entry.id)
                .await
                .len(),
            1
        );
        let node = app
            .ok_as(
                &TestActor::practitioner("school"),
                &format!(
                    "query($id: ID!) {{ node(id: $id) {{ ... on ChronologyEntry {{ summary amended
                        {VERSION_FIELDS} }} }} }}"
                ),
                json!({ "id": global_id("ChronologyEntry", entry.id) }),
            )
            .await;
        assert_eq!(node["node"]["amended"], true, "{node}");
        assert_eq!(
            node["node"]["history"][0]["changedFields"],
            json!(["occurredAt", "summary"])
        );
        assert_eq!(
            values(&node["node"]["history"][0])["summary"],
            "Joint plan review: Synthetic review summary."
        );
        // Every member reads the review's history, as it reads the review.
        let read = app
            .ok_as(
                &TestActor::practitioner("police"),
                &format!("query($id: ID!) {{ node(id: $id) {{ ... on PlanReview {{ {VERSION_FIELDS} }} }} }}"),
                json!({ "id": id_of(&first) }),
            )
            .await;
        assert_eq!(read["node"]["history"], amended["history"]);

        let op = amend_review();
        let next = input(
            &base,
            json!({ "summary": "Synthetic second correction.", "expectedVersion": 2 }),
        );
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::coordinator("police"),
                    &op,
                    next.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::coordinator("yjs"),
                    &op,
                    next.clone(),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        let invalid = |change: Value, field| {
            Refusal::invalid(
                coordinator.clone(),
                &op,
                input(&base, changed(&json!({ "expectedVersion": 2 }), &change)),
                field,
            )
        };
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                invalid(json!({ "summary": " " }), "summary"),
                invalid(json!({ "summary": "x", "reason": "too short" }), "reason"),
                invalid(json!({ "summary": "Synthetic corrected review." }), "input"),
                // Before the plan went live, or past the review held after it.
                invalid(json!({ "heldOn": days_from_today(-31) }), "heldOn"),
                invalid(json!({ "heldOn": days_from_today(-5) }), "heldOn"),
                invalid(
                    json!({ "attendingAgencyIds": [global_id("Agency", uuid::Uuid::nil())] }),
                    "attendingAgencyIds",
                ),
            ],
        )
        .await;
        assert_conflict(
            &app.gql_as(
                &coordinator,
                &op,
                input(&base, json!({ "summary": "Stale." })),
            )
            .await,
            2,
        );
        let untouched = row::<entity::plan_reviews::Entity>(&app.db, &id_of(&second)).await;
        assert_eq!(untouched.version, 1);

        // An entry its agency corrected on its own keeps what it says.
        let own = chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.eq(uuid_of(&shared.fixture.alpha)))
            .filter(chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview))
            .filter(chronology_entries::Column::Version.eq(1))
            .one(&app.db)
            .await
            .expect("entry")
            .expect("the second review's entry");
        app.ok_as(
            &coordinator,
            &super::amend_entry(),
            json!({ "input": {
                "entryId": global_id("ChronologyEntry", own.id),
                "summary": "Synthetic entry corrected on its own.",
                "reason": REASON, "expectedVersion": 1
            }}),
        )
        .await;
        app.ok_as(
            &coordinator,
            &op,
            json!({ "input": {
                "reviewId": id_of(&second), "summary": "Synthetic second review, corrected.",
                "reason": REASON, "expectedVersion": 1
            }}),
        )
        .await;
        let kept =
            row::<chronology_entries::Entity>(&app.db, &global_id("ChronologyEntry", own.id)).await;
        assert_eq!(kept.summary, "Synthetic entry corrected on its own.");
        assert_eq!(kept.version, 2);
    }
}
