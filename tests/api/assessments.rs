//! Joint assessments (issue 12, part 1): a lead agency starts an assessment of a child
//! under a framework, asks partner agencies for contributions by domain, and completes it
//! with needs that the joint plan's actions address. By subject; the operations and the
//! case team they run on are here.

mod completing;
mod contributing;
mod partners;
mod planning;
mod reading;
mod reporting;
mod starting;

use chrono::NaiveDate;
use entity::plan_events;
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _};
use serde_json::{Value, json};

use crate::fixture::{self, Fixture};
use crate::helpers::plans::days_from_today;
use crate::helpers::{TestActor, TestApp, id_of, uuid_of};

/// Every field of an assessment, with its needs and contributions.
const ASSESSMENT_FIELDS: &str = "
fragment A on Assessment {
    id status version dueOn startedAt completedAt completedWithinTimescale formulation
    hsbConcern levelOfNeed recommendedPathway interventionIntensity
    child { id } leadAgency { code }
    framework { code version name minAgeYears maxAgeYears domains { code name dimensions } }
    needs { id statement domain { code name } assessment { id } addressedBy { id } }
    contributions { ...C }
    supersedes { id status } supersededBy { id status }
}";

/// Every field of a contribution.
const CONTRIBUTION_FIELDS: &str = "
fragment C on AssessmentContribution {
    id status version restricted sensitivity concerns strengths level sources
    requestedAt contributedAt agency { code } domain { code } sharedWith { code } assessment { id }
}";

/// `body`, an operation spreading `...A` (an assessment) or `...C` (a contribution), with
/// the fragments it uses.
pub fn op(body: &str) -> String {
    if body.contains("...A") {
        format!("{body}\n{ASSESSMENT_FIELDS}\n{CONTRIBUTION_FIELDS}")
    } else {
        format!("{body}\n{CONTRIBUTION_FIELDS}")
    }
}

pub const START: &str = "mutation($input: StartAssessmentInput!) {
    startAssessment(input: $input) { assessment { ...A } } }";
pub const ASK: &str = "mutation($input: RequestContributionsInput!) {
    requestContributions(input: $input) { assessment { ...A } contributions { ...C } } }";
pub const CONTRIBUTE: &str = "mutation($input: ContributeToAssessmentInput!) {
    contributeToAssessment(input: $input) { contribution { ...C } } }";
pub const COMPLETE: &str = "mutation($input: CompleteAssessmentInput!) {
    completeAssessment(input: $input) { assessment { ...A } } }";
pub const NODE: &str = "query($id: ID!) { node(id: $id) {
    __typename ... on Assessment { ...A } ... on AssessmentContribution { ...C }
    ... on AssessmentNeed { id statement } } }";
pub const CHILD: &str = "query($id: ID!) { child(id: $id) {
    assessments { ...A }
    chronology { nodes { kind restricted recordingAgency { code } } }
    deadlines { kind status } } }";

/// The child's lead agency's coordinator, who runs the assessments in most tests.
pub fn coordinator() -> TestActor {
    TestActor::coordinator("csc")
}

/// The fixture, with police and CAMHS also on Alpha's case team: Alpha's team is CSC
/// (lead), school, police and CAMHS; YJS and health are on no team of Alpha's.
pub async fn team(app: &TestApp) -> Fixture {
    let f = fixture::build(app).await;
    fixture::involve(app, &f.agency_gid("police"), &f.alpha, "police").await;
    fixture::involve(app, &f.agency_gid("camhs"), &f.alpha, "camhs").await;
    f
}

/// The input of `startAssessment`.
pub fn start_input(child: &str, framework: &str, lead: &str, due: NaiveDate) -> Value {
    json!({ "input": { "childId": child, "frameworkCode": framework, "leadAgencyId": lead, "dueOn": due.to_string() } })
}

/// Starts an HSB_AIM3 assessment of `child` led by CSC, due in 30 days, as `actor`;
/// returns the assessment.
pub async fn start_as(app: &TestApp, f: &Fixture, actor: &TestActor, child: &str) -> Value {
    let input = start_input(child, "HSB_AIM3", &f.agency_gid("csc"), days_from_today(30));
    app.ok_as(actor, &op(START), input).await["startAssessment"]["assessment"].clone()
}

/// [`start_as`] by the CSC coordinator; returns the assessment's id.
pub async fn start(app: &TestApp, f: &Fixture, child: &str) -> String {
    id_of(&start_as(app, f, &coordinator(), child).await)
}

/// The input of `requestContributions`.
pub fn ask_input(f: &Fixture, assessment: &str, agencies: &[&str], domains: &[&str]) -> Value {
    let ids: Vec<String> = agencies.iter().map(|code| f.agency_gid(code)).collect();
    json!({ "input": { "assessmentId": assessment, "agencyIds": ids, "domains": domains } })
}

/// Asks `agencies` for `domains` as the CSC coordinator; returns the payload.
pub async fn ask(
    app: &TestApp,
    f: &Fixture,
    assessment: &str,
    agencies: &[&str],
    domains: &[&str],
) -> Value {
    let input = ask_input(f, assessment, agencies, domains);
    app.ok_as(&coordinator(), &op(ASK), input).await["requestContributions"].clone()
}

/// The contribution of agency `code` to `domain` in a list of contributions.
pub fn contribution_of(list: &Value, code: &str, domain: &str) -> Value {
    list.as_array()
        .and_then(|all| {
            all.iter()
                .find(|c| c["agency"]["code"] == code && c["domain"]["code"] == domain)
        })
        .cloned()
        .unwrap_or_else(|| panic!("no contribution of {code} to {domain} in {list}"))
}

/// The input of `contributeToAssessment`, with texts naming `text`.
pub fn contribute_input(
    contribution: &str,
    version: i64,
    text: &str,
    sensitivity: &str,
    shared: &[String],
) -> Value {
    json!({ "input": {
        "contributionId": contribution, "concerns": format!("Synthetic concerns: {text}."),
        "strengths": format!("Synthetic strengths: {text}."), "level": "MEDIUM",
        "sources": format!("Synthetic sources: {text}."), "sensitivity": sensitivity,
        "sharedWith": shared, "expectedVersion": version
    }})
}

/// Contributes as `actor` at the version the actor reads; returns the whole response.
pub async fn contribute(
    app: &TestApp,
    actor: &TestActor,
    contribution: &str,
    text: &str,
    sensitivity: &str,
    shared: &[String],
) -> Value {
    let version = version_of(app, actor, contribution).await;
    let input = contribute_input(contribution, version, text, sensitivity, shared);
    app.gql_as(actor, &op(CONTRIBUTE), input).await
}

/// The input of `completeAssessment`, with `needs` as (domain, statement) pairs.
pub fn complete_input(assessment: &str, version: i64, needs: &[(&str, &str)]) -> Value {
    let needs: Vec<Value> = needs
        .iter()
        .map(|(domain, statement)| json!({ "domain": domain, "statement": statement }))
        .collect();
    json!({ "input": {
        "assessmentId": assessment, "formulation": "Synthetic formulation of the joint assessment.",
        "hsbConcern": "MEDIUM", "levelOfNeed": "HIGH", "recommendedPathway": "CHILD_IN_NEED",
        "interventionIntensity": "MEDIUM", "needs": needs, "expectedVersion": version
    }})
}

/// Completes as the CSC coordinator at the current version; returns the assessment.
pub async fn complete(app: &TestApp, assessment: &str, needs: &[(&str, &str)]) -> Value {
    let version = version_of(app, &coordinator(), assessment).await;
    let input = complete_input(assessment, version, needs);
    app.ok_as(&coordinator(), &op(COMPLETE), input).await["completeAssessment"]["assessment"]
        .clone()
}

/// An assessment, contribution or need as `actor` reads it from `node`; `null` when hidden.
pub async fn read(app: &TestApp, actor: &TestActor, id: &str) -> Value {
    app.ok_as(actor, &op(NODE), json!({ "id": id })).await["node"].clone()
}

/// The `version` of an assessment or contribution as `actor` reads it.
pub async fn version_of(app: &TestApp, actor: &TestActor, id: &str) -> i64 {
    let node = read(app, actor, id).await;
    node["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("no version of {id}: {node}"))
}

/// The child as `actor` reads it: its assessments, chronology and deadlines.
pub async fn child(app: &TestApp, actor: &TestActor, child: &str) -> Value {
    app.ok_as(actor, &op(CHILD), json!({ "id": child })).await["child"].clone()
}

/// The kinds of a child's chronology entries as read by [`child`].
pub fn chronology_kinds(child: &Value) -> Vec<String> {
    child["chronology"]["nodes"]
        .as_array()
        .expect("chronology")
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_owned))
        .collect()
}

/// The outbox events of `kind`, oldest first.
pub async fn events(app: &TestApp, kind: &str) -> Vec<plan_events::Model> {
    plan_events::Entity::find()
        .filter(plan_events::Column::Kind.eq(kind))
        .order_by_asc(plan_events::Column::Seq)
        .all(&app.db)
        .await
        .expect("events")
}

/// The newest outbox `seq`, to subscribe from.
pub async fn latest_seq(app: &TestApp) -> i64 {
    plan_events::Entity::find()
        .order_by_desc(plan_events::Column::Seq)
        .one(&app.db)
        .await
        .expect("outbox")
        .map_or(0, |event| event.seq)
}

/// The audit rows of `action` (for `child`, when given), as the auditor reads them.
pub async fn audit(app: &TestApp, action: &str, child: Option<&str>) -> Vec<Value> {
    let data = app
        .ok_as(
            &TestActor::auditor("partnership"),
            "query($action: String!, $child: ID) { auditEvents(filter: { action: $action, childId: $child }, first: 100) {
                nodes { actorSubject actorAgencyCode outcome entityType entityId childId } } }",
            json!({ "action": action, "child": child }),
        )
        .await;
    data["auditEvents"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone()
}

/// The ids in a list of objects.
pub fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(id_of)
        .collect()
}

/// Whether the audience of an event includes fixture agency `code`.
pub fn told(f: &Fixture, event: &plan_events::Model, code: &str) -> bool {
    event.audience.0.contains(&f.agency(code))
}

/// The events of `kind` about `child`.
pub async fn child_events(app: &TestApp, kind: &str, child: &str) -> Vec<plan_events::Model> {
    events(app, kind)
        .await
        .into_iter()
        .filter(|e| e.child_id == Some(uuid_of(child)))
        .collect()
}
