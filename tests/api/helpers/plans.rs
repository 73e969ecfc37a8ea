//! Joint plans, their actions and consultations, built through GraphQL the way the
//! coordinators and members do it; and the operations the tests send.

use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{consultations, joint_plans, plan_actions, plan_events, plan_members};
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture::{self, Fixture};
use crate::helpers::db::row;
use crate::helpers::{TestActor, TestApp, id_of, uuid_of};

pub const CREATE: &str = "mutation($input: CreateJointPlanInput!) {
    createJointPlan(input: $input) { jointPlan { id version status } } }";
pub const ADD_MEMBER: &str = "mutation($input: AddPlanMemberInput!) {
    addPlanMember(input: $input) { jointPlan { id version members { agency { code } } } } }";
pub const ACTIVATE: &str = "mutation($input: PlanVersionInput!) {
    activateJointPlan(input: $input) { jointPlan { id status version activatedAt nextReviewDue } } }";
pub const REVIEW: &str = "mutation($input: RecordPlanReviewInput!) {
    recordPlanReview(input: $input) {
        review { id heldOn summary nextReviewDue recordedBy attendingAgencies { code } }
        jointPlan { id version nextReviewDue reviews { id } } } }";
pub const CLOSE: &str = "mutation($input: PlanVersionInput!) {
    closeJointPlan(input: $input) { jointPlan { id status version closedAt nextReviewDue } } }";
pub const ADD_ACTION: &str = "mutation($input: AddPlanActionInput!) {
    addPlanAction(input: $input) { action {
        id kind description dueOn status version createdAt updatedAt
        plan { id } assignedAgency { code }
        consultations { id status version agency { code } } } } }";
pub const MOVE_ACTION: &str = "mutation($input: UpdatePlanActionStatusInput!) {
    updatePlanActionStatus(input: $input) { action { id status version } } }";
pub const RESPOND: &str = "mutation($input: RespondToConsultationInput!) {
    respondToConsultation(input: $input) { consultation {
        id status responseNote respondedBy respondedAt overrideReason overriddenBy overriddenAt
        version agency { code } action { id status } } } }";
pub const OVERRIDE: &str = "mutation($input: OverrideConsultationInput!) {
    overrideConsultation(input: $input) { consultation {
        id status responseNote respondedBy respondedAt overrideReason overriddenBy overriddenAt
        version agency { code } action { id status } } } }";

/// The date today, by the test's clock.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// `today` moved by `days` (negative: into the past).
pub fn days_from_today(days: i64) -> NaiveDate {
    let magnitude = Days::new(days.unsigned_abs());
    if days < 0 {
        today() - magnitude
    } else {
        today() + magnitude
    }
}

/// A plan's row.
pub async fn plan_row(app: &TestApp, plan: &str) -> joint_plans::Model {
    row::<joint_plans::Entity>(&app.db, plan).await
}

/// An action's row.
pub async fn action_row(app: &TestApp, action: &str) -> plan_actions::Model {
    row::<plan_actions::Entity>(&app.db, action).await
}

/// A consultation's row.
pub async fn consultation_row(app: &TestApp, consultation: &str) -> consultations::Model {
    row::<consultations::Entity>(&app.db, consultation).await
}

/// The codes of a plan's member agencies, sorted.
pub async fn member_codes(app: &TestApp, fixture: &Fixture, plan: &str) -> Vec<String> {
    let rows = plan_members::Entity::find()
        .filter(plan_members::Column::PlanId.eq(uuid_of(plan)))
        .all(&app.db)
        .await
        .expect("query");
    let mut codes: Vec<String> = rows.iter().map(|m| code_of(fixture, m.agency_id)).collect();
    codes.sort();
    codes
}

/// The fixture code of an agency id.
pub fn code_of(fixture: &Fixture, id: Uuid) -> String {
    fixture
        .agencies
        .iter()
        .find(|(_, agency)| *agency == id)
        .map(|(code, _)| code.clone())
        .expect("fixture agency")
}

/// The sorted agency codes of a list of objects with `agency { code }`.
pub fn agency_codes(list: &Value) -> Vec<String> {
    let mut codes: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["agency"]["code"].as_str().expect("code").to_owned())
        .collect();
    codes.sort();
    codes
}

/// The outbox events of one kind for a plan, in `seq` order.
pub async fn events(app: &TestApp, plan: &str, kind: &str) -> Vec<plan_events::Model> {
    let mut rows = plan_events::Entity::find()
        .filter(plan_events::Column::PlanId.eq(uuid_of(plan)))
        .filter(plan_events::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .expect("events query");
    rows.sort_by_key(|e| e.seq);
    rows
}

/// The `seq` of an event as a subscriber receives it (a decimal string).
pub fn seq(event: &Value) -> i64 {
    event["seq"]
        .as_str()
        .expect("seq is a string")
        .parse()
        .expect("decimal")
}

/// Drafts a plan for `child` as the CSC coordinator; returns its global id.
pub async fn create_plan(app: &TestApp, child: &str) -> String {
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            CREATE,
            json!({ "input": {
                "childId": child, "title": "Joint plan", "pathway": "BOTH",
                "riskSummary": "Sexualised behaviour towards younger children"
            }}),
        )
        .await;
    id_of(&data["createJointPlan"]["jointPlan"])
}

/// Adds `code` to a plan as the CSC coordinator.
pub async fn add_member(app: &TestApp, fixture: &Fixture, plan: &str, code: &str) {
    let version = plan_row(app, plan).await.version;
    app.ok_as(
        &TestActor::coordinator("csc"),
        ADD_MEMBER,
        json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid(code), "expectedVersion": version } }),
    )
    .await;
}

/// Activates a plan as the CSC coordinator; returns the plan as `activateJointPlan` did.
pub async fn activate(app: &TestApp, plan: &str) -> Value {
    let version = plan_row(app, plan).await.version;
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            ACTIVATE,
            json!({ "input": { "planId": plan, "expectedVersion": version } }),
        )
        .await;
    data["activateJointPlan"]["jointPlan"].clone()
}

/// When a plan returned by [`activate`] went live.
pub fn activated_at(plan: &Value) -> DateTime<Utc> {
    plan["activatedAt"]
        .as_str()
        .expect("activatedAt")
        .parse()
        .expect("a date-time")
}

/// Closes a plan as the CSC coordinator.
pub async fn close(app: &TestApp, plan: &str) {
    let version = plan_row(app, plan).await.version;
    app.ok_as(
        &TestActor::coordinator("csc"),
        CLOSE,
        json!({ "input": { "planId": plan, "expectedVersion": version } }),
    )
    .await;
}

/// An active child protection plan for `child`, led by CSC, with `members`; returns its id
/// and version.
pub async fn active_plan(
    app: &TestApp,
    fixture: &Fixture,
    child: &str,
    members: &[&str],
) -> (String, i64) {
    let created = app
        .ok_as(
            &TestActor::coordinator("csc"),
            CREATE,
            json!({ "input": { "childId": child, "title": "Synthetic plan", "pathway": "CHILD_PROTECTION" } }),
        )
        .await;
    let plan = id_of(&created["createJointPlan"]["jointPlan"]);
    for member in members {
        add_member(app, fixture, &plan, member).await;
    }
    let version = activate(app, &plan).await["version"]
        .as_i64()
        .expect("version");
    (plan, version)
}

/// Adds an action as `actor` and returns it.
pub async fn add_action(
    app: &TestApp,
    actor: &TestActor,
    plan: &str,
    assigned: &str,
    kind: &str,
    consult: &[String],
) -> Value {
    let data = app
        .ok_as(
            actor,
            ADD_ACTION,
            json!({ "input": {
                "planId": plan, "assignedAgencyId": assigned, "kind": kind,
                "description": format!("{kind} for the plan"), "consult": consult
            }}),
        )
        .await;
    data["addPlanAction"]["action"].clone()
}

/// Adds an assessment for CSC as its coordinator: exactly one `ACTION_ADDED` event, and
/// no consultation.
pub async fn add_assessment(app: &TestApp, fixture: &Fixture, plan: &str) -> Value {
    add_action(
        app,
        &TestActor::coordinator("csc"),
        plan,
        &fixture.agency_gid("csc"),
        "ASSESSMENT",
        &[],
    )
    .await
}

/// Moves an action as `actor` at its current version; returns the whole response.
pub async fn move_action(app: &TestApp, actor: &TestActor, action: &str, status: &str) -> Value {
    let version = action_row(app, action).await.version;
    app.gql_as(
        actor,
        MOVE_ACTION,
        json!({ "input": { "actionId": action, "status": status, "expectedVersion": version } }),
    )
    .await
}

/// The plan most tests work on: Alpha's, led by CSC, with police and school as members.
/// CAMHS is on Alpha's case team but not on the plan; YJS is on neither.
pub struct SharedPlan {
    /// The partnership.
    pub fixture: Fixture,
    /// The plan's global id.
    pub plan: String,
}

/// Builds [`SharedPlan`] on `app`; the plan is a draft at version 3.
pub async fn shared_plan(app: &TestApp) -> SharedPlan {
    let fixture = fixture::build(app).await;
    fixture::involve(app, &fixture.agency_gid("camhs"), &fixture.alpha, "camhs").await;
    let plan = create_plan(app, &fixture.alpha).await;
    add_member(app, &fixture, &plan, "police").await;
    add_member(app, &fixture, &plan, "school").await;
    SharedPlan { fixture, plan }
}

/// A police charging decision on the shared plan: CSC and school are consulted.
pub async fn charging_decision(app: &TestApp, shared: &SharedPlan) -> Value {
    add_action(
        app,
        &TestActor::practitioner("police"),
        &shared.plan,
        &shared.fixture.agency_gid("police"),
        "CHARGING_DECISION",
        &[],
    )
    .await
}

/// The id of the consultation of agency `code` in an action.
pub fn consultation_for(action: &Value, code: &str) -> String {
    let consultation = action["consultations"]
        .as_array()
        .expect("consultations")
        .iter()
        .find(|c| c["agency"]["code"] == code)
        .unwrap_or_else(|| panic!("{code} is not consulted: {action}"));
    id_of(consultation)
}

/// Answers a consultation as `actor` at its current version; returns the whole response.
pub async fn respond(
    app: &TestApp,
    actor: &TestActor,
    consultation: &str,
    response: &str,
    note: Option<&str>,
) -> Value {
    let version = consultation_row(app, consultation).await.version;
    app.gql_as(
        actor,
        RESPOND,
        json!({ "input": {
            "consultationId": consultation, "response": response, "note": note,
            "expectedVersion": version
        }}),
    )
    .await
}

/// Overrides a consultation as `actor` at its current version; returns the whole response.
pub async fn override_consultation(
    app: &TestApp,
    actor: &TestActor,
    consultation: &str,
    reason: &str,
) -> Value {
    let version = consultation_row(app, consultation).await.version;
    app.gql_as(
        actor,
        OVERRIDE,
        json!({ "input": { "consultationId": consultation, "reason": reason, "expectedVersion": version } }),
    )
    .await
}
