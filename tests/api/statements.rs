//! SQL statements per request stay constant in the size of the answer (issue 10): the
//! caseload and one child's full view read each relation in one statement per level,
//! never one per row. The server counts every statement it runs ([`TestApp::statements`]);
//! these tests compare one request's count at several sizes, on every backend.
//!
//! The partnership is written straight into the database (registering a hundred children
//! through GraphQL would only slow the suite down); the rows are those the mutations
//! would write.

use chrono::{Duration, NaiveDate, Utc};
use entity::enums::{
    ActionKind, ActionStatus, AgencyIds, AgencyKind, ChildStatus, ChronologyKind,
    ConsultationStatus, ContactType, Continuum, Indicators, InvolvementRole, Pathway, PlanStatus,
    Sensitivity, Setting, TrafficLight,
};
use entity::{
    behaviours, children, chronology_entries, consultations, involvements, joint_plans,
    plan_actions, plan_members,
};
use sea_orm::{ColumnTrait as _, EntityTrait, QueryFilter as _};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestActor, TestApp, global_id, spawn_apps};

/// The most statements the caseload may take, at any page size.
const CASELOAD_MAX: u64 = 10;
/// The most statements one child's full view may take, deadlines included, however
/// long its record.
const CHILD_VIEW_MAX: u64 = 15;

const CASELOAD: &str = "query($first: Int) { children(first: $first) { edges { node {
    id givenName
    involvements { role agency { code } }
    behaviours { nodes { id trafficLight sensitivity restricted description } }
    jointPlans { nodes { id status actions { id status consultations { id status } } } }
    leadAgency { code }
} } } }";

const CHILD_VIEW_TEMPLATE: &str = "query($id: ID!) { child(id: $id) {
    id givenName
    leadAgency { code }
    involvements { role agency { code } }
    chronology(last: 100) { nodes { id kind occurredAt summary restricted recordingAgency { code } child { id } } }
    behaviours(first: 100) { totalCount edges { cursor node { id trafficLight restricted description recordingAgency { code }
        affectedChildren { id relationship } } } }
    jointPlans { nodes { id status leadAgency { code } members { agency { code } }
        actions { id status assignedAgency { code } consultations { id status agency { code } } } } }
    DEADLINES
} }";

/// The child view, with or without its deadlines.
fn child_view(deadlines: bool) -> String {
    let field = if deadlines {
        "deadlines { id kind dueAt status }"
    } else {
        ""
    };
    CHILD_VIEW_TEMPLATE.replace("DEADLINES", field)
}

/// The agencies of the seeded partnership.
struct Agencies {
    csc: Uuid,
    police: Uuid,
    school: Uuid,
}

async fn agencies(app: &TestApp) -> Agencies {
    Agencies {
        csc: app.add_agency("csc", AgencyKind::ChildrensSocialCare).await,
        police: app.add_agency("police", AgencyKind::Police).await,
        school: app.add_agency("school", AgencyKind::Education).await,
    }
}

fn child(n: usize) -> children::Model {
    let now = Utc::now();
    let dob = NaiveDate::from_ymd_opt(2013, 4, 5).unwrap_or_default();
    let given = format!("Seeded{n}");
    children::Model {
        id: Uuid::now_v7(),
        match_key: api::domain::children::match_key("Testchild", &given, dob),
        given_name: given,
        family_name: "Testchild".into(),
        date_of_birth: dob,
        gender: "Not recorded".into(),
        nhs_number: None,
        unique_pupil_number: None,
        local_authority_ref: None,
        police_ref: None,
        send: false,
        looked_after: false,
        status: ChildStatus::Open,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn involvement(child: Uuid, agency: Uuid, role: InvolvementRole) -> involvements::Model {
    let now = Utc::now();
    involvements::Model {
        id: Uuid::now_v7(),
        child_id: child,
        agency_id: agency,
        role,
        lead_practitioner: None,
        started_on: now.date_naive(),
        ended_on: None,
        reason: Some("seeded".into()),
        end_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn behaviour(child: Uuid, agency: Uuid, sensitivity: Sensitivity) -> behaviours::Model {
    let now = Utc::now();
    behaviours::Model {
        id: Uuid::now_v7(),
        child_id: child,
        agency_id: agency,
        recorded_by: "seeded".into(),
        occurred_on: now.date_naive() - Duration::days(3),
        disclosed_at: now - Duration::days(2),
        setting: Setting::School,
        contact_type: ContactType::NonContact,
        description: "Synthetic.".into(),
        continuum: Continuum::Inappropriate,
        traffic_light: TrafficLight::Amber,
        suggested_traffic_light: TrafficLight::Amber,
        indicators: Indicators(vec![]),
        classification_rationale: None,
        escalated: false,
        sensitivity,
        shared_with: AgencyIds(vec![]),
        version: 1,
        created_at: now,
        updated_at: now,
        entered_in_error_at: None,
        entered_in_error_by: None,
        entered_in_error_reason: None,
    }
}

fn plan(child: Uuid, lead: Uuid) -> joint_plans::Model {
    let now = Utc::now();
    joint_plans::Model {
        id: Uuid::now_v7(),
        child_id: child,
        title: "Seeded plan".into(),
        status: PlanStatus::Active,
        pathway: Pathway::ChildInNeed,
        lead_agency_id: lead,
        risk_summary: None,
        next_review_due: None,
        activated_at: Some(now),
        closed_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn member(plan: Uuid, agency: Uuid) -> plan_members::Model {
    let now = Utc::now();
    plan_members::Model {
        id: Uuid::now_v7(),
        plan_id: plan,
        agency_id: agency,
        removed_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn action(plan: Uuid, agency: Uuid) -> plan_actions::Model {
    let now = Utc::now();
    plan_actions::Model {
        id: Uuid::now_v7(),
        plan_id: plan,
        assigned_agency_id: agency,
        kind: ActionKind::Intervention,
        description: "Seeded action.".into(),
        due_on: None,
        status: ActionStatus::AwaitingConsultation,
        created_by: "seeded".into(),
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn consultation(action: Uuid, agency: Uuid) -> consultations::Model {
    let now = Utc::now();
    consultations::Model {
        id: Uuid::now_v7(),
        action_id: action,
        agency_id: agency,
        status: ConsultationStatus::Requested,
        response_note: None,
        responded_by: None,
        responded_at: None,
        override_reason: None,
        overridden_by: None,
        overridden_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn entry(child: Uuid, agency: Uuid, n: i64, sensitivity: Sensitivity) -> chronology_entries::Model {
    let now = Utc::now();
    chronology_entries::Model {
        id: Uuid::now_v7(),
        child_id: child,
        behaviour_id: None,
        kind: ChronologyKind::Note,
        occurred_at: now - Duration::hours(200 - n),
        agency_id: agency,
        recorded_by: "seeded".into(),
        summary: "Synthetic.".into(),
        sensitivity,
        shared_with: AgencyIds(vec![]),
        version: 1,
        created_at: now,
        updated_at: now,
        entered_in_error_at: None,
        entered_in_error_by: None,
        entered_in_error_reason: None,
    }
}

/// Inserts `rows` in slices small enough for any backend's parameter limit.
async fn insert<A, M>(app: &TestApp, rows: Vec<M>)
where
    M: sea_orm::IntoActiveModel<A>,
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows: Vec<A> = rows
        .into_iter()
        .map(|row| row.into_active_model().reset_all())
        .collect();
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(50));
        <A::Entity as EntityTrait>::insert_many(std::mem::replace(&mut rows, rest))
            .exec(&app.db)
            .await
            .expect("seed rows");
    }
}

/// `count` children on the case teams of CSC (lead) and the police, each with a standard
/// and a restricted behaviour, a plan both are members of with two actions and a
/// consultation each, and a plan only CSC is a member of (which the police never see).
async fn seed_caseload(app: &TestApp, agencies: &Agencies, count: usize) -> Vec<Uuid> {
    let kids: Vec<_> = (0..count).map(child).collect();
    let ids: Vec<Uuid> = kids.iter().map(|c| c.id).collect();
    let (mut team, mut found, mut plans, mut members, mut actions, mut asked) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for id in &ids {
        team.push(involvement(*id, agencies.csc, InvolvementRole::Lead));
        team.push(involvement(*id, agencies.police, InvolvementRole::Partner));
        found.push(behaviour(*id, agencies.csc, Sensitivity::Standard));
        found.push(behaviour(*id, agencies.csc, Sensitivity::Restricted));
        let shared = plan(*id, agencies.csc);
        let private = plan(*id, agencies.csc);
        members.push(member(shared.id, agencies.csc));
        members.push(member(shared.id, agencies.police));
        members.push(member(private.id, agencies.csc));
        for _ in 0..2 {
            let work = action(shared.id, agencies.police);
            asked.push(consultation(work.id, agencies.csc));
            actions.push(work);
        }
        actions.push(action(private.id, agencies.csc));
        plans.push(shared);
        plans.push(private);
    }
    insert(app, kids).await;
    insert(app, team).await;
    insert(app, found).await;
    insert(app, plans).await;
    insert(app, members).await;
    insert(app, actions).await;
    insert(app, asked).await;
    ids
}

fn nodes(data: &Value) -> Vec<Value> {
    data["children"]["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_caseload_takes_the_same_few_statements_at_any_page_size() {
    for app in spawn_apps().await {
        let agencies = agencies(&app).await;
        seed_caseload(&app, &agencies, 110).await;
        let police = TestActor::practitioner("police");
        let mut counts = Vec::new();
        for first in [5, 50, 100] {
            let (data, statements) = app
                .ok_counted(&police, CASELOAD, json!({ "first": first }))
                .await;
            let page = nodes(&data);
            assert_eq!(page.len(), first, "{:?}", app.backend);
            for node in &page {
                assert_eq!(node["leadAgency"]["code"], "csc");
                assert_eq!(node["involvements"].as_array().map(Vec::len), Some(2));
                let plans = node["jointPlans"]["nodes"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                assert_eq!(plans.len(), 1, "the CSC-only plan stays hidden: {node}");
                let actions = plans[0]["actions"].as_array().cloned().unwrap_or_default();
                assert_eq!(actions.len(), 2);
                assert_eq!(actions[0]["consultations"][0]["status"], "REQUESTED");
                let behaviours = node["behaviours"]["nodes"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                assert_eq!(behaviours.len(), 2);
                for behaviour in behaviours {
                    let restricted = behaviour["sensitivity"] == "RESTRICTED";
                    assert_eq!(behaviour["restricted"], restricted);
                    assert_eq!(behaviour["description"].is_null(), restricted);
                }
            }
            counts.push(statements);
        }
        eprintln!(
            "{:?}: caseload statements at first 5, 50, 100: {counts:?}",
            app.backend
        );
        assert!(
            counts.iter().all(|c| *c <= CASELOAD_MAX),
            "{:?}: caseload statements at first 5, 50, 100: {counts:?}",
            app.backend
        );
        assert!(
            counts.windows(2).all(|w| w[0] == w[1]),
            "{:?}: caseload statements grow with the page: {counts:?}",
            app.backend
        );
    }
}

#[tokio::test]
async fn a_childs_full_view_takes_the_same_few_statements_however_long_its_record() {
    for app in spawn_apps().await {
        let agencies = agencies(&app).await;
        let ids = seed_caseload(&app, &agencies, 2).await;
        insert(
            &app,
            vec![
                involvement(ids[0], agencies.school, InvolvementRole::Partner),
                involvement(ids[1], agencies.school, InvolvementRole::Partner),
            ],
        )
        .await;
        let mut counts = Vec::new();
        for (child, entries) in [(ids[0], 5), (ids[1], 100)] {
            let rows: Vec<_> = (0..entries)
                .map(|n| {
                    let (agency, sensitivity) = match n % 3 {
                        0 => (agencies.police, Sensitivity::Restricted),
                        1 => (agencies.school, Sensitivity::Standard),
                        _ => (agencies.csc, Sensitivity::Restricted),
                    };
                    entry(child, agency, n, sensitivity)
                })
                .collect();
            insert(&app, rows).await;
            let police = TestActor::practitioner("police");
            let variables = json!({ "id": global_id("Child", child) });
            let (data, statements) = app
                .ok_counted(&police, &child_view(false), variables.clone())
                .await;
            let chronology = data["child"]["chronology"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert_eq!(chronology.len(), usize::try_from(entries).unwrap_or(0));
            for entry in chronology {
                // The police read their own restricted entries, not CSC's.
                let withheld = entry["recordingAgency"]["code"] == "csc";
                assert_eq!(entry["restricted"], withheld, "{entry}");
                assert_eq!(entry["summary"].is_null(), withheld, "{entry}");
            }
            assert_eq!(
                data["child"]["jointPlans"]["nodes"]
                    .as_array()
                    .map(Vec::len),
                Some(1)
            );
            let (_, with_deadlines) = app.ok_counted(&police, &child_view(true), variables).await;
            counts.push((statements, with_deadlines));
        }
        eprintln!(
            "{:?}: child view statements at 5 and 100 entries (without, with deadlines): {counts:?}",
            app.backend
        );
        assert!(
            counts
                .iter()
                .all(|(c, d)| *c <= CHILD_VIEW_MAX && *d <= CHILD_VIEW_MAX),
            "{:?}: child view statements at 5 and 100 entries: {counts:?}",
            app.backend
        );
        assert_eq!(
            counts[0], counts[1],
            "{:?}: child view statements grow with the record",
            app.backend
        );
    }
}

/// The agencies a child's record names are read beside the record when they are on its
/// case team, and in one more statement after it only when one is not.
#[tokio::test]
async fn only_agencies_off_the_case_team_are_read_after_the_record() {
    const VIEW: &str = "query($id: ID!) { child(id: $id) {
        chronology(last: 10) { nodes { id recordingAgency { code } } } } }";
    for app in spawn_apps().await {
        let agencies = agencies(&app).await;
        let ids = seed_caseload(&app, &agencies, 2).await;
        // The school is on neither child's case team.
        let standard = Sensitivity::Standard;
        let rows = vec![
            entry(ids[0], agencies.police, 0, standard),
            entry(ids[1], agencies.school, 0, standard),
        ];
        insert(&app, rows).await;
        let police = TestActor::practitioner("police");
        let mut counts = Vec::new();
        for (child, recorder) in [(ids[0], "police"), (ids[1], "school")] {
            let variables = json!({ "id": global_id("Child", child) });
            let (data, statements) = app.ok_counted(&police, VIEW, variables).await;
            let nodes = data["child"]["chronology"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let codes: Vec<&Value> = nodes
                .iter()
                .map(|e| &e["recordingAgency"]["code"])
                .collect();
            assert_eq!(codes, [recorder], "{:?}", app.backend);
            counts.push(statements);
        }
        assert_eq!(counts[1], counts[0] + 1, "{:?}: {counts:?}", app.backend);
    }
}

#[tokio::test]
async fn total_count_is_counted_only_when_asked_for() {
    for app in spawn_apps().await {
        let agencies = agencies(&app).await;
        seed_caseload(&app, &agencies, 3).await;
        let police = TestActor::practitioner("police");
        let (_, without) = app
            .ok_counted(
                &police,
                "{ children(first: 2) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        let (data, with) = app
            .ok_counted(
                &police,
                "{ children(first: 2) { ...Counted edges { node { id } } } }
                 fragment Counted on ChildConnection { totalCount }",
                json!({}),
            )
            .await;
        assert_eq!(data["children"]["totalCount"], 3);
        assert_eq!(with, without + 1, "{:?}", app.backend);
    }
}

#[tokio::test]
async fn caseload_pages_walk_team_and_grants_in_id_order_with_or_without_a_filter() {
    for app in spawn_apps().await {
        let agencies = agencies(&app).await;
        let kids: Vec<_> = (0..40)
            .map(|n| {
                let mut kid = child(n);
                if n % 4 == 0 {
                    kid.status = ChildStatus::Closed;
                }
                kid
            })
            .collect();
        let ids: Vec<Uuid> = kids.iter().map(|c| c.id).collect();
        let mut team = Vec::new();
        let mut grants = Vec::new();
        let mut open_visible = Vec::new();
        let mut all_visible = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            team.push(involvement(*id, agencies.csc, InvolvementRole::Lead));
            let on_team = n % 3 == 0;
            if on_team {
                team.push(involvement(*id, agencies.police, InvolvementRole::Partner));
            }
            // Grants to this practitioner; every fifth has expired, and one is another
            // officer's.
            let granted = n % 3 == 1 && n % 2 == 0;
            let expired = n % 5 == 0;
            if granted {
                let subject = if n == 4 {
                    "someone-else"
                } else {
                    "practitioner-police"
                };
                grants.push(grant(*id, agencies.police, subject, expired));
                // Asked again and again: more live grants of one child than a page holds.
                if n == 28 {
                    grants.extend((0..6).map(|_| grant(*id, agencies.police, subject, false)));
                }
            }
            let visible = on_team || (granted && !expired && n != 4);
            if visible {
                all_visible.push(*id);
                if n % 4 != 0 {
                    open_visible.push(*id);
                }
            }
        }
        insert(&app, kids).await;
        insert(&app, team).await;
        insert(&app, grants).await;
        let police = TestActor::practitioner("police");
        for (filter, expected) in [("null", all_visible), ("{ status: OPEN }", open_visible)] {
            let mut seen = Vec::new();
            let mut after = Value::Null;
            loop {
                let query = format!(
                    "query($after: String) {{ children(first: 4, after: $after, filter: {filter}) {{
                        totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id }} }} }} }}"
                );
                let data = app.ok_as(&police, &query, json!({ "after": after })).await;
                assert_eq!(data["children"]["totalCount"], expected.len());
                seen.extend(
                    nodes(&data)
                        .iter()
                        .map(|node| crate::helpers::uuid_of(node["id"].as_str().unwrap_or(""))),
                );
                if data["children"]["pageInfo"]["hasNextPage"] != true {
                    break;
                }
                after = data["children"]["pageInfo"]["endCursor"].clone();
            }
            let mut sorted = expected.clone();
            sorted.sort();
            assert_eq!(seen, sorted, "{:?} with filter {filter}", app.backend);
        }
    }
}

fn grant(child: Uuid, agency: Uuid, subject: &str, expired: bool) -> entity::access_grants::Model {
    let now = Utc::now();
    entity::access_grants::Model {
        id: Uuid::now_v7(),
        child_id: child,
        agency_id: agency,
        subject: subject.into(),
        reason: "Synthetic emergency access for a test".into(),
        expires_at: if expired {
            now - Duration::hours(1)
        } else {
            now + Duration::hours(1)
        },
        created_at: now,
        updated_at: now,
    }
}

#[tokio::test]
async fn a_later_mutation_field_never_reads_what_an_earlier_one_cached() {
    for app in spawn_apps().await {
        let agencies = agencies(&app).await;
        let ids = seed_caseload(&app, &agencies, 1).await;
        let police = entity::involvements::Entity::find()
            .filter(entity::involvements::Column::ChildId.eq(ids[0]))
            .filter(entity::involvements::Column::AgencyId.eq(agencies.police))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the police involvement");
        let data = app
            .ok_as(
                &TestActor::coordinator("csc"),
                "mutation($add: AddInvolvementInput!, $end: EndInvolvementInput!) {
                    add: addInvolvement(input: $add) {
                        involvement { child { involvements { agency { code } } } } }
                    end: endInvolvement(input: $end) {
                        involvement { child { involvements { agency { code } } } } }
                }",
                json!({
                    "add": {
                        "childId": global_id("Child", ids[0]),
                        "agencyId": global_id("Agency", agencies.school),
                        "reason": "test",
                    },
                    "end": {
                        "involvementId": global_id("Involvement", police.id),
                        "reason": "test",
                        "expectedVersion": police.version,
                    },
                }),
            )
            .await;
        let codes = |field: &str| {
            let mut codes: Vec<String> = data[field]["involvement"]["child"]["involvements"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|inv| inv["agency"]["code"].as_str().map(str::to_owned))
                .collect();
            codes.sort();
            codes
        };
        // The second field sees the police gone, although the first read the case team.
        assert_eq!(
            codes("add"),
            ["csc", "police", "school"],
            "{:?}",
            app.backend
        );
        assert_eq!(codes("end"), ["csc", "school"], "{:?}", app.backend);
    }
}
