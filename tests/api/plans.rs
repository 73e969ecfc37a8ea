//! Joint plans and their actions: drafting, members, activation, reviews, closing,
//! actions and who sees any of it (DESIGN §3, §5.2, §6.2).

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use entity::enums::{
    ActionKind, ActionStatus, AuditOutcome, ChronologyKind, InvolvementRole, Pathway, PlanStatus,
};
use entity::{
    audit_events, chronology_entries, consultations, involvements, joint_plans, plan_actions,
    plan_events, plan_members, plan_reviews,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture::{self, Fixture};
use crate::helpers::{TestActor, TestApp, error_code, global_id, spawn_apps, uuid_of};

// ---------------------------------------------------------------------------------------
// Operations and helpers, shared with `consultations.rs`.

pub(crate) const CREATE: &str = "mutation($input: CreateJointPlanInput!) {
    createJointPlan(input: $input) { jointPlan { id version status } } }";
pub(crate) const ADD_MEMBER: &str = "mutation($input: AddPlanMemberInput!) {
    addPlanMember(input: $input) { jointPlan { id version members { agency { code } } } } }";
pub(crate) const ACTIVATE: &str = "mutation($input: PlanVersionInput!) {
    activateJointPlan(input: $input) { jointPlan { id status version activatedAt nextReviewDue } } }";
pub(crate) const REVIEW: &str = "mutation($input: RecordPlanReviewInput!) {
    recordPlanReview(input: $input) {
        review { id heldOn summary nextReviewDue recordedBy attendingAgencies { code } }
        jointPlan { id version nextReviewDue reviews { id } } } }";
pub(crate) const CLOSE: &str = "mutation($input: PlanVersionInput!) {
    closeJointPlan(input: $input) { jointPlan { id status version closedAt nextReviewDue } } }";
pub(crate) const ADD_ACTION: &str = "mutation($input: AddPlanActionInput!) {
    addPlanAction(input: $input) { action {
        id kind description dueOn status version createdAt updatedAt
        plan { id } assignedAgency { code }
        consultations { id status version agency { code } } } } }";
pub(crate) const MOVE_ACTION: &str = "mutation($input: UpdatePlanActionStatusInput!) {
    updatePlanActionStatus(input: $input) { action { id status version } } }";

/// The roles that work cases.
pub(crate) fn case_roles(agency: &str) -> [TestActor; 3] {
    [
        TestActor::practitioner(agency),
        TestActor::agency_lead(agency),
        TestActor::coordinator(agency),
    ]
}

/// The roles that never see case content.
pub(crate) fn non_case_roles(agency: &str) -> [TestActor; 3] {
    [
        TestActor::new("STRATEGIC_ANALYST", agency),
        TestActor::new("AUDITOR", agency),
        TestActor::admin(agency),
    ]
}

/// The date today, by the test's clock.
pub(crate) fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// `today` moved by `days` (negative: into the past).
pub(crate) fn days_from_today(days: i64) -> NaiveDate {
    let magnitude = Days::new(days.unsigned_abs());
    if days < 0 {
        today() - magnitude
    } else {
        today() + magnitude
    }
}

/// Runs `query` as `actor` and returns `data`, failing on any error.
pub(crate) async fn ok(app: &TestApp, actor: &TestActor, query: &str, variables: Value) -> Value {
    let response = app.gql_as(actor, query, variables).await;
    assert!(
        response["errors"].is_null(),
        "{actor:?} on {:?}: {response}",
        app.backend
    );
    response["data"].clone()
}

/// The error code and field of a response that must have failed.
pub(crate) fn refusal(response: &Value) -> (Option<&str>, Option<&str>) {
    (
        error_code(response),
        response["errors"][0]["extensions"]["field"].as_str(),
    )
}

/// A plan's row.
pub(crate) async fn plan_row(app: &TestApp, plan: &str) -> joint_plans::Model {
    joint_plans::Entity::find_by_id(uuid_of(plan))
        .one(&app.db)
        .await
        .expect("query")
        .expect("plan row")
}

/// An action's row.
pub(crate) async fn action_row(app: &TestApp, action: &str) -> plan_actions::Model {
    plan_actions::Entity::find_by_id(uuid_of(action))
        .one(&app.db)
        .await
        .expect("query")
        .expect("action row")
}

/// The codes of a plan's member agencies, sorted.
pub(crate) async fn member_codes(app: &TestApp, fixture: &Fixture, plan: &str) -> Vec<String> {
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
pub(crate) fn code_of(fixture: &Fixture, id: Uuid) -> String {
    fixture
        .agencies
        .iter()
        .find(|(_, agency)| *agency == id)
        .map(|(code, _)| code.clone())
        .expect("fixture agency")
}

/// The sorted agency codes of a list of objects with `agency { code }`.
pub(crate) fn agency_codes(list: &Value) -> Vec<String> {
    let mut codes: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["agency"]["code"].as_str().expect("code").to_owned())
        .collect();
    codes.sort();
    codes
}

/// How many refusals of `actor` the audit log holds.
pub(crate) async fn denials(app: &TestApp, actor: &TestActor) -> u64 {
    audit_events::Entity::find()
        .filter(audit_events::Column::ActorSubject.eq(actor.sub.as_str()))
        .filter(audit_events::Column::Outcome.eq(AuditOutcome::Denied))
        .count(&app.db)
        .await
        .expect("count")
}

/// The allowed audit rows of `action` on `entity`.
pub(crate) async fn audited(app: &TestApp, action: &str, entity: Uuid) -> Vec<audit_events::Model> {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(action))
        .filter(audit_events::Column::EntityId.eq(entity))
        .filter(audit_events::Column::Outcome.eq(AuditOutcome::Allowed))
        .all(&app.db)
        .await
        .expect("audit query")
}

/// The outbox events of one kind for a plan, in `seq` order.
pub(crate) async fn events(app: &TestApp, plan: &str, kind: &str) -> Vec<plan_events::Model> {
    let mut rows = plan_events::Entity::find()
        .filter(plan_events::Column::PlanId.eq(uuid_of(plan)))
        .filter(plan_events::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .expect("events query");
    rows.sort_by_key(|e| e.seq);
    rows
}

/// Drafts a plan for `child` as the CSC coordinator; returns its global id.
pub(crate) async fn create_plan(app: &TestApp, child: &str) -> String {
    let data = ok(
        app,
        &TestActor::coordinator("csc"),
        CREATE,
        json!({ "input": {
            "childId": child, "title": "Joint plan", "pathway": "BOTH",
            "riskSummary": "Sexualised behaviour towards younger children"
        }}),
    )
    .await;
    data["createJointPlan"]["jointPlan"]["id"]
        .as_str()
        .expect("plan id")
        .to_owned()
}

/// Adds `code` to a plan as the CSC coordinator.
pub(crate) async fn add_member(app: &TestApp, fixture: &Fixture, plan: &str, code: &str) {
    let version = plan_row(app, plan).await.version;
    ok(
        app,
        &TestActor::coordinator("csc"),
        ADD_MEMBER,
        json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid(code), "expectedVersion": version } }),
    )
    .await;
}

/// Activates a plan as the CSC coordinator.
pub(crate) async fn activate(app: &TestApp, plan: &str) -> Value {
    let version = plan_row(app, plan).await.version;
    let data = ok(
        app,
        &TestActor::coordinator("csc"),
        ACTIVATE,
        json!({ "input": { "planId": plan, "expectedVersion": version } }),
    )
    .await;
    data["activateJointPlan"]["jointPlan"].clone()
}

/// When a plan returned by [`activate`] went live.
fn activated_at(plan: &Value) -> DateTime<Utc> {
    plan["activatedAt"]
        .as_str()
        .expect("activatedAt")
        .parse()
        .expect("a date-time")
}

/// Closes a plan as the CSC coordinator.
pub(crate) async fn close(app: &TestApp, plan: &str) {
    let version = plan_row(app, plan).await.version;
    ok(
        app,
        &TestActor::coordinator("csc"),
        CLOSE,
        json!({ "input": { "planId": plan, "expectedVersion": version } }),
    )
    .await;
}

/// Adds an action as `actor` and returns it.
pub(crate) async fn add_action(
    app: &TestApp,
    actor: &TestActor,
    plan: &str,
    assigned: &str,
    kind: &str,
    consult: &[String],
) -> Value {
    let data = ok(
        app,
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

/// Moves an action as `actor` at its current version.
pub(crate) async fn move_action(
    app: &TestApp,
    actor: &TestActor,
    action: &str,
    status: &str,
) -> Value {
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
pub(crate) struct SharedPlan {
    /// The partnership.
    pub fixture: Fixture,
    /// The plan's global id.
    pub plan: String,
}

/// Builds [`SharedPlan`] on `app`; the plan is a draft at version 3.
pub(crate) async fn shared_plan(app: &TestApp) -> SharedPlan {
    let fixture = fixture::build(app).await;
    fixture::involve(app, &fixture.agency_gid("camhs"), &fixture.alpha, "camhs").await;
    let plan = create_plan(app, &fixture.alpha).await;
    add_member(app, &fixture, &plan, "police").await;
    add_member(app, &fixture, &plan, "school").await;
    SharedPlan { fixture, plan }
}

// ---------------------------------------------------------------------------------------
// createJointPlan

#[tokio::test]
async fn a_coordinator_on_the_case_team_drafts_a_plan_that_their_agency_leads() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let data = ok(
            &app,
            &coordinator,
            "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) { jointPlan {
                id title status pathway riskSummary nextReviewDue activatedAt closedAt version
                createdAt leadAgency { code } members { agency { code } } actions { id }
                reviews { id } child { givenName } } } }",
            json!({ "input": {
                "childId": fixture.charlie, "title": "  Charlie's safety plan ",
                "pathway": "CHILD_PROTECTION", "riskSummary": " Risk to younger cousins "
            }}),
        )
        .await;
        let plan = &data["createJointPlan"]["jointPlan"];
        let id = plan["id"].as_str().expect("id").to_owned();
        assert!(plan["createdAt"].is_string(), "{plan}");
        let mut shown = plan.clone();
        shown["id"] = Value::Null;
        shown["createdAt"] = Value::Null;
        assert_eq!(
            shown,
            json!({
                "id": null, "createdAt": null,
                "title": "Charlie's safety plan", "status": "DRAFT", "pathway": "CHILD_PROTECTION",
                "riskSummary": "Risk to younger cousins", "nextReviewDue": null,
                "activatedAt": null, "closedAt": null, "version": 1,
                "leadAgency": { "code": "csc" }, "members": [{ "agency": { "code": "csc" } }],
                "actions": [], "reviews": [], "child": { "givenName": "Charlie" }
            })
        );

        let row = plan_row(&app, &id).await;
        assert_eq!(row.child_id, uuid_of(&fixture.charlie));
        assert_eq!(row.lead_agency_id, fixture.agency("csc"));
        assert_eq!(row.status, PlanStatus::Draft);
        assert_eq!(row.pathway, Pathway::ChildProtection);
        assert_eq!(row.title, "Charlie's safety plan");
        assert_eq!(row.version, 1);
        assert_eq!(member_codes(&app, &fixture, &id).await, ["csc"]);

        let audit = audited(&app, "CREATE_JOINT_PLAN", row.id).await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor_subject, coordinator.sub);
        assert_eq!(audit[0].child_id, Some(row.child_id));
        assert_eq!(events(&app, &id, "PLAN_CREATED").await.len(), 1);

        // The child's record now lists it, for every role of the lead agency.
        for actor in case_roles("csc") {
            let data = ok(
                &app,
                &actor,
                "query($id: ID!) { child(id: $id) { jointPlans { id status } } }",
                json!({ "id": fixture.charlie }),
            )
            .await;
            assert_eq!(
                data["child"]["jointPlans"],
                json!([{ "id": id, "status": "DRAFT" }]),
                "{actor:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_coordinator_of_a_partner_agency_on_the_case_team_may_draft_a_plan_it_then_leads() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let data = ok(
            &app,
            &TestActor::coordinator("police"),
            "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) {
                jointPlan { id leadAgency { code } members { agency { code } } } } }",
            json!({ "input": { "childId": fixture.bravo, "title": "Bravo plan", "pathway": "CRIMINAL_JUSTICE" } }),
        )
        .await;
        let plan = &data["createJointPlan"]["jointPlan"];
        assert_eq!(plan["leadAgency"]["code"], "police");
        assert_eq!(plan["members"], json!([{ "agency": { "code": "police" } }]));
        let id = plan["id"].as_str().expect("id");
        assert_eq!(
            plan_row(&app, id).await.lead_agency_id,
            fixture.agency("police")
        );
        // CSC leads the case but is not on this plan until added.
        let seen = app
            .gql_as(
                &TestActor::coordinator("csc"),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(seen, json!({ "data": { "node": null } }));
    }
}

#[tokio::test]
async fn creating_a_plan_is_refused_to_other_roles_and_to_agencies_off_the_case_team() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let mut cases = vec![
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            // Off Charlie's case team: the child is not there for them.
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::coordinator("police"), "NOT_FOUND"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
        ];
        for actor in non_case_roles("csc") {
            cases.push((actor, "NOT_FOUND"));
        }
        for (actor, code) in cases {
            let before = denials(&app, &actor).await;
            let response = app
                .gql_as(
                    &actor,
                    CREATE,
                    json!({ "input": { "childId": fixture.charlie, "title": "Plan", "pathway": "BOTH" } }),
                )
                .await;
            assert_eq!(
                error_code(&response),
                Some(code),
                "{actor:?} on {:?}: {response}",
                app.backend
            );
            assert_eq!(
                denials(&app, &actor).await,
                before + 1,
                "{actor:?}: refusal audited"
            );
        }
        assert_eq!(
            joint_plans::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

#[tokio::test]
async fn bad_plan_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        create_plan(&app, &fixture.alpha).await;
        let long = "x".repeat(201);
        let cases = [
            (json!({ "childId": "garbage" }), "childId"),
            (json!({ "childId": fixture.agency_gid("csc") }), "childId"),
            (json!({ "title": "   " }), "title"),
            (json!({ "title": long }), "title"),
            // One open plan per child.
            (json!({ "childId": fixture.alpha }), "childId"),
        ];
        for (change, field) in cases {
            let mut input =
                json!({ "childId": fixture.charlie, "title": "Plan", "pathway": "BOTH" });
            for (key, value) in change.as_object().expect("object") {
                input[key] = value.clone();
            }
            let response = app
                .gql_as(&coordinator, CREATE, json!({ "input": input }))
                .await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some(field)),
                "{input}: {response}"
            );
        }
        // A well-formed id of no child is simply not found.
        let response = app
            .gql_as(
                &coordinator,
                CREATE,
                json!({ "input": { "childId": global_id("Child", Uuid::now_v7()), "title": "Plan", "pathway": "BOTH" } }),
            )
            .await;
        assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");
        assert_eq!(
            joint_plans::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            1
        );
    }
}

// ---------------------------------------------------------------------------------------
// addPlanMember

#[tokio::test]
async fn adding_a_member_puts_the_agency_on_the_plan_and_on_the_case_team() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.charlie).await;
        let camhs = TestActor::practitioner("camhs");
        let by_child = "query($id: ID!) { child(id: $id) { givenName jointPlans { id } } }";
        assert_eq!(
            error_code(
                &app.gql_as(&camhs, by_child, json!({ "id": fixture.charlie }))
                    .await
            ),
            Some("NOT_FOUND")
        );

        let data = ok(
            &app,
            &TestActor::coordinator("csc"),
            ADD_MEMBER,
            json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid("camhs"), "expectedVersion": 1 } }),
        )
        .await;
        let saved = &data["addPlanMember"]["jointPlan"];
        assert_eq!(saved["id"], plan);
        assert_eq!(saved["version"], 2);
        assert_eq!(agency_codes(&saved["members"]), ["camhs", "csc"]);

        assert_eq!(plan_row(&app, &plan).await.version, 2);
        assert_eq!(member_codes(&app, &fixture, &plan).await, ["camhs", "csc"]);
        let team = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(uuid_of(&fixture.charlie)))
            .filter(involvements::Column::AgencyId.eq(fixture.agency("camhs")))
            .all(&app.db)
            .await
            .expect("query");
        assert_eq!(team.len(), 1);
        assert_eq!(team[0].role, InvolvementRole::Partner);
        assert!(team[0].ended_on.is_none());
        assert_eq!(audited(&app, "ADD_INVOLVEMENT", team[0].id).await.len(), 1);
        assert_eq!(
            audited(&app, "ADD_PLAN_MEMBER", uuid_of(&plan)).await.len(),
            1
        );
        let added = events(&app, &plan, "PLAN_MEMBER_ADDED").await;
        assert_eq!(added.len(), 1);
        assert_eq!(
            added[0].payload["agencyId"],
            fixture.agency("camhs").to_string()
        );

        // CAMHS now sees the child and the plan.
        let seen = ok(&app, &camhs, by_child, json!({ "id": fixture.charlie })).await;
        assert_eq!(
            seen["child"],
            json!({ "givenName": "Charlie", "jointPlans": [{ "id": plan }] })
        );
    }
}

#[tokio::test]
async fn adding_a_member_already_on_the_case_team_does_not_involve_it_twice() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.alpha).await;
        add_member(&app, &fixture, &plan, "school").await;
        let school_involvements = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(uuid_of(&fixture.alpha)))
            .filter(involvements::Column::AgencyId.eq(fixture.agency("school")))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(school_involvements, 1);
        assert_eq!(member_codes(&app, &fixture, &plan).await, ["csc", "school"]);
    }
}

#[tokio::test]
async fn bad_member_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        // An agency the operator has switched off.
        let mut health: entity::agencies::ActiveModel =
            entity::agencies::Entity::find_by_id(fixture.agency("health"))
                .one(&app.db)
                .await
                .expect("query")
                .expect("health")
                .into();
        health.active = Set(false);
        health.update(&app.db).await.expect("deactivate");

        let cases = [
            (json!({ "planId": "garbage" }), "planId"),
            (json!({ "planId": fixture.alpha }), "planId"),
            (json!({ "agencyId": fixture.alpha }), "agencyId"),
            (
                json!({ "agencyId": global_id("Agency", Uuid::now_v7()) }),
                "agencyId",
            ),
            (
                json!({ "agencyId": fixture.agency_gid("police") }),
                "agencyId",
            ),
            (json!({ "agencyId": fixture.agency_gid("csc") }), "agencyId"),
            (
                json!({ "agencyId": fixture.agency_gid("health") }),
                "agencyId",
            ),
        ];
        for (change, field) in cases {
            let mut input = json!({ "planId": plan, "agencyId": fixture.agency_gid("yjs"), "expectedVersion": 3 });
            for (key, value) in change.as_object().expect("object") {
                input[key] = value.clone();
            }
            let response = app
                .gql_as(&coordinator, ADD_MEMBER, json!({ "input": input }))
                .await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some(field)),
                "{input}: {response}"
            );
        }
        assert_eq!(plan_row(&app, &plan).await.version, 3);
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );

        // A closed plan takes no new members.
        close(&app, &plan).await;
        let response = app
            .gql_as(
                &coordinator,
                ADD_MEMBER,
                json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid("yjs"), "expectedVersion": 4 } }),
            )
            .await;
        assert_eq!(
            refusal(&response),
            (Some("VALIDATION_FAILED"), Some("planId")),
            "{response}"
        );
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );
    }
}

// ---------------------------------------------------------------------------------------
// activateJointPlan

#[tokio::test]
async fn activating_a_draft_plan_makes_the_first_review_due_three_months_on() {
    for app in spawn_apps().await {
        let SharedPlan { fixture: _, plan } = shared_plan(&app).await;
        let saved = activate(&app, &plan).await;
        assert_eq!(saved["id"], plan);
        assert_eq!(saved["status"], "ACTIVE");
        assert_eq!(saved["version"], 4);
        let activated = activated_at(&saved);
        assert!((Utc::now() - activated).num_minutes().abs() < 5);
        let due = activated
            .date_naive()
            .checked_add_months(Months::new(3))
            .expect("date");
        assert_eq!(saved["nextReviewDue"], due.to_string());

        let row = plan_row(&app, &plan).await;
        assert_eq!(row.status, PlanStatus::Active);
        assert_eq!(row.version, 4);
        assert_eq!(row.next_review_due, Some(due));
        assert!(row.activated_at.is_some());
        assert_eq!(audited(&app, "ACTIVATE_JOINT_PLAN", row.id).await.len(), 1);
        assert_eq!(events(&app, &plan, "PLAN_ACTIVATED").await.len(), 1);

        // Members see it live.
        let seen = ok(
            &app,
            &TestActor::practitioner("school"),
            "query($id: ID!) { node(id: $id) { ... on JointPlan { status nextReviewDue } } }",
            json!({ "id": plan }),
        )
        .await;
        assert_eq!(
            seen["node"],
            json!({ "status": "ACTIVE", "nextReviewDue": due.to_string() })
        );

        // Only a draft is activated.
        let again = app
            .gql_as(
                &TestActor::coordinator("csc"),
                ACTIVATE,
                json!({ "input": { "planId": plan, "expectedVersion": 4 } }),
            )
            .await;
        assert_eq!(
            refusal(&again),
            (Some("VALIDATION_FAILED"), Some("planId")),
            "{again}"
        );
        let bad_id = app
            .gql_as(
                &TestActor::coordinator("csc"),
                ACTIVATE,
                json!({ "input": { "planId": "garbage", "expectedVersion": 4 } }),
            )
            .await;
        assert_eq!(
            refusal(&bad_id),
            (Some("VALIDATION_FAILED"), Some("planId"))
        );
        assert_eq!(plan_row(&app, &plan).await.version, 4);
    }
}

// ---------------------------------------------------------------------------------------
// recordPlanReview

#[tokio::test]
async fn recording_a_review_sets_the_next_due_date_and_adds_to_the_chronology() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let held_on = activated_at(&activate(&app, &plan).await).date_naive();
        let coordinator = TestActor::coordinator("csc");
        let data = ok(
            &app,
            &coordinator,
            REVIEW,
            json!({ "input": {
                "planId": plan, "heldOn": held_on, "summary": " Progress is good ",
                "attendingAgencyIds": [fixture.agency_gid("police"), fixture.agency_gid("csc")],
                "expectedVersion": 4
            }}),
        )
        .await;
        let default_next = held_on.checked_add_months(Months::new(3)).expect("date");
        let review = &data["recordPlanReview"]["review"];
        let review_id = review["id"].as_str().expect("review id").to_owned();
        assert_eq!(review["heldOn"], held_on.to_string());
        assert_eq!(review["summary"], "Progress is good");
        assert_eq!(review["nextReviewDue"], default_next.to_string());
        assert_eq!(review["recordedBy"], coordinator.sub);
        assert_eq!(
            review["attendingAgencies"],
            json!([{ "code": "police" }, { "code": "csc" }])
        );
        let saved = &data["recordPlanReview"]["jointPlan"];
        assert_eq!(saved["version"], 5);
        assert_eq!(saved["nextReviewDue"], default_next.to_string());
        assert_eq!(saved["reviews"], json!([{ "id": review_id }]));

        let row = plan_row(&app, &plan).await;
        assert_eq!(row.version, 5);
        assert_eq!(row.next_review_due, Some(default_next));
        let stored = plan_reviews::Entity::find_by_id(uuid_of(&review_id))
            .one(&app.db)
            .await
            .expect("query")
            .expect("review row");
        assert_eq!(stored.plan_id, row.id);
        assert_eq!(stored.summary, "Progress is good");
        assert_eq!(
            stored.attending_agencies.0,
            [fixture.agency("police"), fixture.agency("csc")]
        );
        let entries = chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.eq(uuid_of(&fixture.alpha)))
            .filter(chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview))
            .all(&app.db)
            .await
            .expect("query");
        assert_eq!(entries.len(), 1);
        assert!(
            entries[0].summary.contains("Progress is good"),
            "{:?}",
            entries[0]
        );
        assert_eq!(entries[0].occurred_at.date_naive(), held_on);
        assert_eq!(
            audited(&app, "RECORD_PLAN_REVIEW", stored.id).await.len(),
            1
        );
        assert_eq!(events(&app, &plan, "PLAN_REVIEWED").await.len(), 1);

        // A second review names its own next date.
        let next = held_on.checked_add_months(Months::new(1)).expect("date");
        let data = ok(
            &app,
            &coordinator,
            REVIEW,
            json!({ "input": {
                "planId": plan, "heldOn": held_on, "summary": "Interim review",
                "nextReviewDue": next, "expectedVersion": 5
            }}),
        )
        .await;
        assert_eq!(
            data["recordPlanReview"]["jointPlan"]["nextReviewDue"],
            next.to_string()
        );
        assert_eq!(plan_row(&app, &plan).await.next_review_due, Some(next));

        // Every member sees both, oldest first.
        let seen = ok(
            &app,
            &TestActor::practitioner("police"),
            "query($id: ID!) { node(id: $id) { ... on JointPlan { nextReviewDue reviews { summary } } } }",
            json!({ "id": plan }),
        )
        .await;
        assert_eq!(
            seen["node"],
            json!({ "nextReviewDue": next.to_string(),
                    "reviews": [{ "summary": "Progress is good" }, { "summary": "Interim review" }] })
        );
    }
}

#[tokio::test]
async fn bad_review_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let held_on = today();
        let review = |change: Value| {
            let mut input = json!({
                "planId": plan, "heldOn": held_on, "summary": "Review", "expectedVersion": 3
            });
            for (key, value) in change.as_object().expect("object") {
                input[key] = value.clone();
            }
            json!({ "input": input })
        };
        // A draft is not reviewed.
        let response = app.gql_as(&coordinator, REVIEW, review(json!({}))).await;
        assert_eq!(
            refusal(&response),
            (Some("VALIDATION_FAILED"), Some("planId")),
            "{response}"
        );
        activate(&app, &plan).await;
        let cases = [
            (json!({ "planId": "garbage" }), "planId"),
            (json!({ "summary": "  " }), "summary"),
            (json!({ "heldOn": days_from_today(2) }), "heldOn"),
            (json!({ "nextReviewDue": held_on }), "nextReviewDue"),
            (
                json!({ "nextReviewDue": days_from_today(-1) }),
                "nextReviewDue",
            ),
            (
                json!({ "attendingAgencyIds": [fixture.alpha] }),
                "attendingAgencyIds",
            ),
            (
                json!({ "attendingAgencyIds": [global_id("Agency", Uuid::now_v7())] }),
                "attendingAgencyIds",
            ),
        ];
        for (change, field) in cases {
            let mut variables = review(change.clone());
            variables["input"]["expectedVersion"] = json!(4);
            let response = app.gql_as(&coordinator, REVIEW, variables).await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some(field)),
                "{change}: {response}"
            );
        }
        assert_eq!(
            plan_reviews::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
        let row = plan_row(&app, &plan).await;
        assert_eq!(row.version, 4);
        assert_eq!(
            chronology_entries::Entity::find()
                .filter(chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview))
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

// ---------------------------------------------------------------------------------------
// closeJointPlan

#[tokio::test]
async fn closing_a_plan_ends_it_and_the_child_may_then_have_a_new_one() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        activate(&app, &plan).await;
        let school = TestActor::practitioner("school");
        let action = add_action(
            &app,
            &school,
            &plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[],
        )
        .await;
        let action_id = action["id"].as_str().expect("id").to_owned();

        let data = ok(
            &app,
            &TestActor::coordinator("csc"),
            CLOSE,
            json!({ "input": { "planId": plan, "expectedVersion": 4 } }),
        )
        .await;
        let saved = &data["closeJointPlan"]["jointPlan"];
        assert_eq!(saved["status"], "CLOSED");
        assert_eq!(saved["version"], 5);
        assert_eq!(saved["nextReviewDue"], Value::Null);
        assert!(saved["closedAt"].is_string(), "{saved}");
        let row = plan_row(&app, &plan).await;
        assert_eq!(row.status, PlanStatus::Closed);
        assert!(row.closed_at.is_some());
        assert_eq!(row.next_review_due, None);
        assert_eq!(audited(&app, "CLOSE_JOINT_PLAN", row.id).await.len(), 1);
        assert_eq!(events(&app, &plan, "PLAN_CLOSED").await.len(), 1);

        // Members still read it, closed.
        let seen = ok(
            &app,
            &school,
            "query($id: ID!) { child(id: $id) { jointPlans { id status } } }",
            json!({ "id": fixture.alpha }),
        )
        .await;
        assert_eq!(
            seen["child"]["jointPlans"],
            json!([{ "id": plan, "status": "CLOSED" }])
        );

        // Nothing more happens on it.
        let coordinator = TestActor::coordinator("csc");
        let attempts = [
            (
                &coordinator,
                CLOSE,
                json!({ "planId": plan, "expectedVersion": 5 }),
                "planId",
            ),
            (
                &coordinator,
                ACTIVATE,
                json!({ "planId": plan, "expectedVersion": 5 }),
                "planId",
            ),
            (
                &coordinator,
                REVIEW,
                json!({ "planId": plan, "heldOn": today(), "summary": "Late", "expectedVersion": 5 }),
                "planId",
            ),
            (
                &school,
                ADD_ACTION,
                json!({ "planId": plan, "assignedAgencyId": fixture.agency_gid("school"),
                        "kind": "ASSESSMENT", "description": "After closing" }),
                "planId",
            ),
            (
                &school,
                MOVE_ACTION,
                json!({ "actionId": action_id, "status": "IN_PROGRESS", "expectedVersion": 1 }),
                "actionId",
            ),
        ];
        for (actor, mutation, input, field) in attempts {
            let response = app.gql_as(actor, mutation, json!({ "input": input })).await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some(field)),
                "{input}: {response}"
            );
        }
        assert_eq!(plan_row(&app, &plan).await.version, 5);
        assert_eq!(
            action_row(&app, &action_id).await.status,
            ActionStatus::Proposed
        );
        assert_eq!(
            plan_actions::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            1
        );

        // The child may have a new plan now.
        let next = create_plan(&app, &fixture.alpha).await;
        assert_ne!(next, plan);
        assert_eq!(plan_row(&app, &next).await.status, PlanStatus::Draft);
    }
}

#[tokio::test]
async fn a_draft_plan_may_be_closed_without_ever_going_live() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.charlie).await;
        let data = ok(
            &app,
            &TestActor::coordinator("csc"),
            CLOSE,
            json!({ "input": { "planId": plan, "expectedVersion": 1 } }),
        )
        .await;
        assert_eq!(data["closeJointPlan"]["jointPlan"]["status"], "CLOSED");
        let row = plan_row(&app, &plan).await;
        assert_eq!(row.status, PlanStatus::Closed);
        assert_eq!(row.activated_at, None);
    }
}

// ---------------------------------------------------------------------------------------
// Running a plan: who, and stale versions.

#[tokio::test]
async fn only_a_coordinator_of_the_lead_agency_may_run_a_plan() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        activate(&app, &plan).await;
        let before = plan_row(&app, &plan).await;
        let version = before.version;
        let mutations = [
            (
                "addPlanMember",
                ADD_MEMBER,
                json!({ "planId": plan, "agencyId": fixture.agency_gid("camhs"), "expectedVersion": version }),
            ),
            (
                "activateJointPlan",
                ACTIVATE,
                json!({ "planId": plan, "expectedVersion": version }),
            ),
            (
                "recordPlanReview",
                REVIEW,
                json!({ "planId": plan, "heldOn": today(), "summary": "Review", "expectedVersion": version }),
            ),
            (
                "closeJointPlan",
                CLOSE,
                json!({ "planId": plan, "expectedVersion": version }),
            ),
        ];
        let mut refusals = vec![
            // Members of the plan without the right to run it.
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            (TestActor::agency_lead("school"), "FORBIDDEN"),
            (TestActor::coordinator("school"), "FORBIDDEN"),
            // Not members: the plan is not there for them.
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::coordinator("yjs"), "NOT_FOUND"),
        ];
        for actor in non_case_roles("csc") {
            refusals.push((actor, "NOT_FOUND"));
        }
        for (name, mutation, input) in &mutations {
            for (actor, code) in &refusals {
                let denied = denials(&app, actor).await;
                let response = app.gql_as(actor, mutation, json!({ "input": input })).await;
                assert_eq!(
                    error_code(&response),
                    Some(*code),
                    "{name} as {actor:?} on {:?}: {response}",
                    app.backend
                );
                assert_eq!(
                    denials(&app, actor).await,
                    denied + 1,
                    "{name} as {actor:?}: refusal audited"
                );
            }
        }
        let after = plan_row(&app, &plan).await;
        assert_eq!(after, before);
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );
        assert_eq!(
            plan_reviews::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

#[tokio::test]
async fn a_stale_plan_version_is_a_conflict_that_carries_the_current_one_and_changes_nothing() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let conflict = |response: &Value, current: i32| {
            assert_eq!(error_code(response), Some("CONFLICT"), "{response}");
            assert_eq!(
                response["errors"][0]["extensions"]["currentVersion"], current,
                "{response}"
            );
        };
        // Created at 1, two members added: 3.
        let before = plan_row(&app, &plan).await;
        assert_eq!(before.version, 3);
        for stale in [2, 4] {
            let response = app
                .gql_as(
                    &coordinator,
                    ADD_MEMBER,
                    json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid("yjs"), "expectedVersion": stale } }),
                )
                .await;
            conflict(&response, 3);
            let response = app
                .gql_as(
                    &coordinator,
                    ACTIVATE,
                    json!({ "input": { "planId": plan, "expectedVersion": stale } }),
                )
                .await;
            conflict(&response, 3);
        }
        assert_eq!(plan_row(&app, &plan).await, before);
        assert_eq!(
            member_codes(&app, &fixture, &plan).await,
            ["csc", "police", "school"]
        );
        let yjs_on_team = involvements::Entity::find()
            .filter(involvements::Column::AgencyId.eq(fixture.agency("yjs")))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(yjs_on_team, 0);

        activate(&app, &plan).await;
        let before = plan_row(&app, &plan).await;
        assert_eq!(before.version, 4);
        let response = app
            .gql_as(
                &coordinator,
                REVIEW,
                json!({ "input": { "planId": plan, "heldOn": today(), "summary": "Review", "expectedVersion": 3 } }),
            )
            .await;
        conflict(&response, 4);
        let response = app
            .gql_as(
                &coordinator,
                CLOSE,
                json!({ "input": { "planId": plan, "expectedVersion": 3 } }),
            )
            .await;
        conflict(&response, 4);
        assert_eq!(plan_row(&app, &plan).await, before);
        assert_eq!(
            plan_reviews::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

// ---------------------------------------------------------------------------------------
// addPlanAction

#[tokio::test]
async fn a_member_adds_an_action_for_its_own_agency_and_it_is_proposed_without_consultation() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let due = days_from_today(30);
        let data = ok(
            &app,
            &school,
            ADD_ACTION,
            json!({ "input": {
                "planId": plan, "assignedAgencyId": fixture.agency_gid("school"),
                "kind": "SAFETY_PLAN", "description": "  A supervision plan for breaks ",
                "dueOn": due
            }}),
        )
        .await;
        let action = &data["addPlanAction"]["action"];
        let id = action["id"].as_str().expect("id").to_owned();
        assert_eq!(action["kind"], "SAFETY_PLAN");
        assert_eq!(action["description"], "A supervision plan for breaks");
        assert_eq!(action["dueOn"], due.to_string());
        assert_eq!(action["status"], "PROPOSED");
        assert_eq!(action["version"], 1);
        assert_eq!(action["plan"]["id"], plan);
        assert_eq!(action["assignedAgency"]["code"], "school");
        assert_eq!(action["consultations"], json!([]));

        let row = action_row(&app, &id).await;
        assert_eq!(row.plan_id, uuid_of(&plan));
        assert_eq!(row.assigned_agency_id, fixture.agency("school"));
        assert_eq!(row.kind, ActionKind::SafetyPlan);
        assert_eq!(row.status, ActionStatus::Proposed);
        assert_eq!(row.due_on, Some(due));
        assert_eq!(row.created_by, school.sub);
        assert_eq!(
            consultations::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
        assert_eq!(audited(&app, "ADD_PLAN_ACTION", row.id).await.len(), 1);
        let added = events(&app, &plan, "ACTION_ADDED").await;
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].payload["actionId"], row.id.to_string());

        // The lead coordinator adds one for another member.
        let other = add_action(
            &app,
            &TestActor::coordinator("csc"),
            &plan,
            &fixture.agency_gid("police"),
            "INTERVENTION",
            &[],
        )
        .await;
        assert_eq!(other["assignedAgency"]["code"], "police");
        assert_eq!(other["status"], "PROPOSED");

        // Every member sees both on the plan.
        let seen = ok(
            &app,
            &TestActor::practitioner("police"),
            "query($id: ID!) { node(id: $id) { ... on JointPlan { actions { id kind assignedAgency { code } } } } }",
            json!({ "id": plan }),
        )
        .await;
        assert_eq!(
            seen["node"]["actions"],
            json!([
                { "id": id, "kind": "SAFETY_PLAN", "assignedAgency": { "code": "school" } },
                { "id": other["id"], "kind": "INTERVENTION", "assignedAgency": { "code": "police" } }
            ])
        );
    }
}

#[tokio::test]
async fn adding_an_action_is_refused_to_those_who_may_not_handle_it() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let mut cases = vec![
            // Members, but the action is another agency's.
            (TestActor::practitioner("school"), "police", "FORBIDDEN"),
            (TestActor::agency_lead("police"), "school", "FORBIDDEN"),
            (TestActor::coordinator("police"), "csc", "FORBIDDEN"),
            (TestActor::practitioner("csc"), "school", "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "police", "FORBIDDEN"),
            // Not members.
            (TestActor::coordinator("camhs"), "csc", "NOT_FOUND"),
            (TestActor::practitioner("yjs"), "csc", "NOT_FOUND"),
        ];
        for actor in non_case_roles("csc") {
            cases.push((actor, "csc", "NOT_FOUND"));
        }
        for (actor, assigned, code) in cases {
            let denied = denials(&app, &actor).await;
            let response = app
                .gql_as(
                    &actor,
                    ADD_ACTION,
                    json!({ "input": {
                        "planId": plan, "assignedAgencyId": fixture.agency_gid(assigned),
                        "kind": "ASSESSMENT", "description": "Assess"
                    }}),
                )
                .await;
            assert_eq!(
                error_code(&response),
                Some(code),
                "{actor:?} for {assigned} on {:?}: {response}",
                app.backend
            );
            assert_eq!(denials(&app, &actor).await, denied + 1, "{actor:?}");
        }
        assert_eq!(
            plan_actions::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

#[tokio::test]
async fn bad_action_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let cases = [
            (json!({ "planId": "garbage" }), "planId"),
            (json!({ "planId": fixture.alpha }), "planId"),
            // CAMHS is on the case team but not on the plan.
            (
                json!({ "assignedAgencyId": fixture.agency_gid("camhs") }),
                "assignedAgencyId",
            ),
            (
                json!({ "assignedAgencyId": fixture.alpha }),
                "assignedAgencyId",
            ),
            (
                json!({ "consult": [fixture.agency_gid("camhs")] }),
                "consult",
            ),
            (json!({ "consult": [fixture.alpha] }), "consult"),
            (json!({ "description": "   " }), "description"),
            (json!({ "description": "x".repeat(5001) }), "description"),
            (json!({ "dueOn": days_from_today(-2) }), "dueOn"),
        ];
        for (change, field) in cases {
            let mut input = json!({
                "planId": plan, "assignedAgencyId": fixture.agency_gid("school"),
                "kind": "ASSESSMENT", "description": "Assess", "dueOn": days_from_today(10)
            });
            for (key, value) in change.as_object().expect("object") {
                input[key] = value.clone();
            }
            let response = app
                .gql_as(&coordinator, ADD_ACTION, json!({ "input": input }))
                .await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some(field)),
                "{change}: {response}"
            );
        }
        // A well-formed id of no plan is not found.
        let response = app
            .gql_as(
                &coordinator,
                ADD_ACTION,
                json!({ "input": {
                    "planId": global_id("JointPlan", Uuid::now_v7()),
                    "assignedAgencyId": fixture.agency_gid("csc"), "kind": "ASSESSMENT", "description": "Assess"
                }}),
            )
            .await;
        assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");
        assert_eq!(
            plan_actions::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
    }
}

// ---------------------------------------------------------------------------------------
// updatePlanActionStatus

#[tokio::test]
async fn an_action_moves_through_its_life_and_every_step_bumps_its_version() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let action = add_action(
            &app,
            &school,
            &plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[],
        )
        .await;
        let id = action["id"].as_str().expect("id").to_owned();
        for (status, version) in [("IN_PROGRESS", 2), ("DONE", 3)] {
            let response = move_action(&app, &school, &id, status).await;
            assert_eq!(
                response["data"]["updatePlanActionStatus"]["action"],
                json!({ "id": id, "status": status, "version": version }),
                "{response}"
            );
            let row = action_row(&app, &id).await;
            assert_eq!(row.version, version);
            assert_eq!(
                serde_json::to_value(row.status).expect("status"),
                json!(status)
            );
        }
        let row = action_row(&app, &id).await;
        assert_eq!(
            audited(&app, "UPDATE_PLAN_ACTION_STATUS", row.id)
                .await
                .len(),
            2
        );
        let changes: Vec<(Value, Value)> = events(&app, &plan, "ACTION_STATUS_CHANGED")
            .await
            .into_iter()
            .map(|e| (e.payload["from"].clone(), e.payload["to"].clone()))
            .collect();
        assert_eq!(
            changes,
            [
                (json!("PROPOSED"), json!("IN_PROGRESS")),
                (json!("IN_PROGRESS"), json!("DONE"))
            ]
        );

        // The lead coordinator moves another member's action on.
        let police_action = add_action(
            &app,
            &TestActor::practitioner("police"),
            &plan,
            &fixture.agency_gid("police"),
            "OTHER",
            &[],
        )
        .await;
        let police_id = police_action["id"].as_str().expect("id").to_owned();
        let coordinator = TestActor::coordinator("csc");
        for (status, version) in [("AGREED", 2), ("CANCELLED", 3)] {
            let response = move_action(&app, &coordinator, &police_id, status).await;
            assert_eq!(
                response["data"]["updatePlanActionStatus"]["action"]["status"], status,
                "{response}"
            );
            assert_eq!(action_row(&app, &police_id).await.version, version);
        }
        assert_eq!(
            action_row(&app, &police_id).await.status,
            ActionStatus::Cancelled
        );
        // Members read the outcome.
        let seen = ok(
            &app,
            &TestActor::practitioner("csc"),
            "query($id: ID!) { node(id: $id) { ... on PlanAction { status version } } }",
            json!({ "id": id }),
        )
        .await;
        assert_eq!(seen["node"], json!({ "status": "DONE", "version": 3 }));
    }
}

#[tokio::test]
async fn moving_an_action_is_refused_to_those_who_may_not_handle_it() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let action = add_action(
            &app,
            &TestActor::practitioner("school"),
            &plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[],
        )
        .await;
        let id = action["id"].as_str().expect("id").to_owned();
        let before = action_row(&app, &id).await;
        let mut cases = vec![
            (TestActor::practitioner("police"), "FORBIDDEN"),
            (TestActor::coordinator("police"), "FORBIDDEN"),
            (TestActor::practitioner("csc"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
            (TestActor::practitioner("yjs"), "NOT_FOUND"),
        ];
        for actor in non_case_roles("school") {
            cases.push((actor, "NOT_FOUND"));
        }
        for (actor, code) in cases {
            let denied = denials(&app, &actor).await;
            let response = move_action(&app, &actor, &id, "IN_PROGRESS").await;
            assert_eq!(
                error_code(&response),
                Some(code),
                "{actor:?} on {:?}: {response}",
                app.backend
            );
            assert_eq!(denials(&app, &actor).await, denied + 1, "{actor:?}");
        }
        assert_eq!(action_row(&app, &id).await, before);
        // Every case role of the assigned agency may.
        let response = move_action(&app, &TestActor::agency_lead("school"), &id, "AGREED").await;
        assert_eq!(
            response["data"]["updatePlanActionStatus"]["action"]["status"], "AGREED",
            "{response}"
        );
    }
}

#[tokio::test]
async fn impossible_status_changes_and_bad_ids_are_refused_naming_the_field() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let action = add_action(
            &app,
            &school,
            &plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[],
        )
        .await;
        let id = action["id"].as_str().expect("id").to_owned();
        for status in ["DONE", "BLOCKED", "AWAITING_CONSULTATION", "PROPOSED"] {
            let response = move_action(&app, &school, &id, status).await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some("status")),
                "PROPOSED to {status}: {response}"
            );
        }
        assert_eq!(action_row(&app, &id).await.version, 1);
        // Once done, it stays done.
        move_action(&app, &school, &id, "IN_PROGRESS").await;
        move_action(&app, &school, &id, "DONE").await;
        for status in ["IN_PROGRESS", "CANCELLED", "AGREED"] {
            let response = move_action(&app, &school, &id, status).await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some("status")),
                "DONE to {status}: {response}"
            );
        }
        let row = action_row(&app, &id).await;
        assert_eq!(row.status, ActionStatus::Done);
        assert_eq!(row.version, 3);

        for bad in ["garbage".to_owned(), plan.clone()] {
            let response = app
                .gql_as(
                    &school,
                    MOVE_ACTION,
                    json!({ "input": { "actionId": bad, "status": "IN_PROGRESS", "expectedVersion": 1 } }),
                )
                .await;
            assert_eq!(
                refusal(&response),
                (Some("VALIDATION_FAILED"), Some("actionId")),
                "{response}"
            );
        }
        let response = app
            .gql_as(
                &school,
                MOVE_ACTION,
                json!({ "input": { "actionId": global_id("PlanAction", Uuid::now_v7()), "status": "IN_PROGRESS", "expectedVersion": 1 } }),
            )
            .await;
        assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");
    }
}

#[tokio::test]
async fn a_stale_action_version_is_a_conflict_that_carries_the_current_one_and_changes_nothing() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let school = TestActor::practitioner("school");
        let action = add_action(
            &app,
            &school,
            &plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[],
        )
        .await;
        let id = action["id"].as_str().expect("id").to_owned();
        move_action(&app, &school, &id, "AGREED").await;
        let before = action_row(&app, &id).await;
        assert_eq!(before.version, 2);
        for stale in [1, 3] {
            let response = app
                .gql_as(
                    &school,
                    MOVE_ACTION,
                    json!({ "input": { "actionId": id, "status": "IN_PROGRESS", "expectedVersion": stale } }),
                )
                .await;
            assert_eq!(error_code(&response), Some("CONFLICT"), "{response}");
            assert_eq!(
                response["errors"][0]["extensions"]["currentVersion"], 2,
                "{response}"
            );
        }
        assert_eq!(action_row(&app, &id).await, before);
        assert_eq!(
            audited(&app, "UPDATE_PLAN_ACTION_STATUS", before.id)
                .await
                .len(),
            1
        );
    }
}

// ---------------------------------------------------------------------------------------
// Who sees a plan, its actions and consultations (DESIGN §5.2).

/// What one actor should see of the shared plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sees {
    /// A member agency with a case role: everything.
    Everything,
    /// On the child's case team but not on the plan: the child, no plan.
    ChildOnly,
    /// Neither the child nor the plan.
    Nothing,
}

/// The table: every case role of every fixture agency, and the roles without case access.
fn visibility_table() -> Vec<(TestActor, Sees)> {
    let mut table = Vec::new();
    for agency in ["csc", "police", "school"] {
        for actor in case_roles(agency) {
            table.push((actor, Sees::Everything));
        }
    }
    for actor in case_roles("camhs") {
        table.push((actor, Sees::ChildOnly));
    }
    for agency in ["yjs", "health"] {
        for actor in case_roles(agency) {
            table.push((actor, Sees::Nothing));
        }
    }
    for agency in ["csc", "police", "school", "partnership"] {
        for actor in non_case_roles(agency) {
            table.push((actor, Sees::Nothing));
        }
    }
    table
}

/// The shared plan, live, with a review, a charging decision and its consultations.
struct Visible {
    shared: SharedPlan,
    member: String,
    review: String,
    action: String,
    consultation: String,
}

async fn visible_plan(app: &TestApp) -> Visible {
    let shared = shared_plan(app).await;
    let fixture = &shared.fixture;
    let held_on = activated_at(&activate(app, &shared.plan).await).date_naive();
    let review = ok(
        app,
        &TestActor::coordinator("csc"),
        REVIEW,
        json!({ "input": {
            "planId": shared.plan, "heldOn": held_on,
            "summary": "First review", "expectedVersion": 4
        }}),
    )
    .await["recordPlanReview"]["review"]["id"]
        .as_str()
        .expect("review id")
        .to_owned();
    let action = add_action(
        app,
        &TestActor::practitioner("police"),
        &shared.plan,
        &fixture.agency_gid("police"),
        "CHARGING_DECISION",
        &[],
    )
    .await;
    let consultation = action["consultations"]
        .as_array()
        .expect("consultations")
        .iter()
        .find(|c| c["agency"]["code"] == "school")
        .expect("school is consulted")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let member = plan_members::Entity::find()
        .filter(plan_members::Column::PlanId.eq(uuid_of(&shared.plan)))
        .filter(plan_members::Column::AgencyId.eq(fixture.agency("school")))
        .one(&app.db)
        .await
        .expect("query")
        .expect("member row");
    Visible {
        member: global_id("PlanMember", member.id),
        review,
        action: action["id"].as_str().expect("id").to_owned(),
        consultation,
        shared,
    }
}

const NODES: &str =
    "query($plan: ID!, $member: ID!, $review: ID!, $action: ID!, $consultation: ID!) {
    plan: node(id: $plan) { id }
    member: node(id: $member) { id }
    review: node(id: $review) { id }
    action: node(id: $action) { id }
    consultation: node(id: $consultation) { id } }";

#[tokio::test]
async fn node_and_child_joint_plans_show_a_plan_to_its_member_agencies_only() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let ids = json!({
            "plan": visible.shared.plan, "member": visible.member, "review": visible.review,
            "action": visible.action, "consultation": visible.consultation
        });
        let child = visible.shared.fixture.alpha.clone();
        for (actor, sees) in visibility_table() {
            let nodes = app.gql_as(&actor, NODES, ids.clone()).await;
            let by_child = app
                .gql_as(
                    &actor,
                    "query($id: ID!) { child(id: $id) { jointPlans { id } } }",
                    json!({ "id": child }),
                )
                .await;
            let seen = json!({
                "nodes": nodes,
                "jointPlans": by_child["data"]["child"]["jointPlans"],
                "childCode": error_code(&by_child),
            });
            let expected = match sees {
                Sees::Everything => json!({
                    "nodes": { "data": {
                        "plan": { "id": ids["plan"] }, "member": { "id": ids["member"] },
                        "review": { "id": ids["review"] }, "action": { "id": ids["action"] },
                        "consultation": { "id": ids["consultation"] } } },
                    "jointPlans": [{ "id": ids["plan"] }],
                    "childCode": null,
                }),
                Sees::ChildOnly => json!({
                    "nodes": { "data": { "plan": null, "member": null, "review": null,
                                         "action": null, "consultation": null } },
                    "jointPlans": [],
                    "childCode": null,
                }),
                Sees::Nothing => json!({
                    "nodes": { "data": { "plan": null, "member": null, "review": null,
                                         "action": null, "consultation": null } },
                    "jointPlans": null,
                    "childCode": "NOT_FOUND",
                }),
            };
            assert_eq!(seen, expected, "{actor:?} on {:?}", app.backend);
        }

        // What is hidden answers exactly as what does not exist.
        let missing = json!({
            "plan": global_id("JointPlan", Uuid::now_v7()),
            "member": global_id("PlanMember", Uuid::now_v7()),
            "review": global_id("PlanReview", Uuid::now_v7()),
            "action": global_id("PlanAction", Uuid::now_v7()),
            "consultation": global_id("Consultation", Uuid::now_v7()),
        });
        let outsider = TestActor::coordinator("camhs");
        assert_eq!(
            app.gql_as(&outsider, NODES, ids.clone()).await,
            app.gql_as(&outsider, NODES, missing).await
        );
    }
}

#[tokio::test]
async fn a_member_reads_the_whole_plan_through_any_of_its_parts() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let data = ok(
            &app,
            &TestActor::practitioner("school"),
            "query($consultation: ID!) { node(id: $consultation) { ... on Consultation {
                status agency { code }
                action { kind status assignedAgency { code }
                    plan { id leadAgency { code } members { agency { code } }
                           child { givenName } reviews { summary } } } } } }",
            json!({ "consultation": visible.consultation }),
        )
        .await;
        let consultation = &data["node"];
        assert_eq!(consultation["status"], "REQUESTED");
        assert_eq!(consultation["agency"]["code"], "school");
        let action = &consultation["action"];
        assert_eq!(action["kind"], "CHARGING_DECISION");
        assert_eq!(action["status"], "AWAITING_CONSULTATION");
        assert_eq!(action["assignedAgency"]["code"], "police");
        let plan = &action["plan"];
        assert_eq!(plan["id"], visible.shared.plan);
        assert_eq!(plan["leadAgency"]["code"], "csc");
        assert_eq!(agency_codes(&plan["members"]), ["csc", "police", "school"]);
        assert_eq!(plan["child"]["givenName"], "Alpha");
        assert_eq!(plan["reviews"], json!([{ "summary": "First review" }]));
    }
}

#[tokio::test]
async fn joint_plan_by_id_is_found_by_member_agencies_only() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let query =
            "query($id: ID!) { jointPlan(id: $id) { id title status leadAgency { code } } }";
        for (actor, sees) in visibility_table() {
            let response = app
                .gql_as(&actor, query, json!({ "id": visible.shared.plan }))
                .await;
            match sees {
                Sees::Everything => assert_eq!(
                    response,
                    json!({ "data": { "jointPlan": {
                        "id": visible.shared.plan, "title": "Joint plan", "status": "ACTIVE",
                        "leadAgency": { "code": "csc" } } } }),
                    "{actor:?} on {:?}",
                    app.backend
                ),
                Sees::ChildOnly | Sees::Nothing => assert_eq!(
                    error_code(&response),
                    Some("NOT_FOUND"),
                    "{actor:?} on {:?}: {response}",
                    app.backend
                ),
            }
        }
        // Hidden and missing answer alike.
        let outsider = TestActor::coordinator("camhs");
        let hidden = app
            .gql_as(&outsider, query, json!({ "id": visible.shared.plan }))
            .await;
        let missing = app
            .gql_as(
                &outsider,
                query,
                json!({ "id": global_id("JointPlan", Uuid::now_v7()) }),
            )
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"), "{hidden}");
        assert_eq!(hidden, missing);
    }
}

#[tokio::test]
async fn an_agency_that_leaves_the_case_team_no_longer_reads_the_childs_plan() {
    for app in spawn_apps().await {
        let visible = visible_plan(&app).await;
        let fixture = &visible.shared.fixture;
        let involvement = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(uuid_of(&fixture.alpha)))
            .filter(involvements::Column::AgencyId.eq(fixture.agency("police")))
            .one(&app.db)
            .await
            .expect("query")
            .expect("police are on Alpha's team through the plan");
        let police = TestActor::agency_lead("police");
        let ended = app
            .gql_as(
                &police,
                "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) { involvement { active } } }",
                json!({ "input": {
                    "involvementId": global_id("Involvement", involvement.id),
                    "reason": "Investigation closed", "expectedVersion": involvement.version
                }}),
            )
            .await;
        if ended["errors"].is_null() {
            // Gone from the case team: the child's plan, its actions and consultations go too.
            let response = app
                .gql_as(
                    &police,
                    "query($id: ID!) { jointPlan(id: $id) { id riskSummary child { id } } }",
                    json!({ "id": visible.shared.plan }),
                )
                .await;
            assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");
            let ids = json!({
                "plan": visible.shared.plan, "member": visible.member, "review": visible.review,
                "action": visible.action, "consultation": visible.consultation
            });
            let nodes = app.gql_as(&police, NODES, ids).await;
            assert_eq!(
                nodes,
                json!({ "data": { "plan": null, "member": null, "review": null,
                                  "action": null, "consultation": null } })
            );
        } else {
            // Or a plan member may not leave the team while the plan is open.
            assert_eq!(error_code(&ended), Some("VALIDATION_FAILED"), "{ended}");
            assert!(
                involvements::Entity::find_by_id(involvement.id)
                    .one(&app.db)
                    .await
                    .expect("query")
                    .expect("row")
                    .ended_on
                    .is_none()
            );
        }
    }
}
