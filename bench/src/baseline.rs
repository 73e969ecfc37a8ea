//! The hand-written SQL baseline: the caseload page and one child's view with Concord's
//! scoping (an active involvement of the caller's agency or the caller's unexpired access
//! grant; plans only where the agency is a current member and still on the case team),
//! one statement per level, assembled into the same nested JSON, optionally writing the
//! read-audit rows Concord must write (one `audit_events` row per child read).
//!
//! The answer is built as a hand-written service would build it: typed structures
//! serialised by serde, not a tree of `serde_json::Value` (whose maps and copies had cost
//! this process 9.5 ms of CPU per caseload, more than the server spent on one).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement, Value as DbValue};
use serde::Serialize;
use uuid::Uuid;

use crate::ops::placeholders;

/// Who reads.
#[derive(Clone, Debug)]
pub struct Reader {
    /// The caller's agency.
    pub agency_id: Uuid,
    /// Its code.
    pub agency_code: String,
    /// The token subject (for access grants and the audit rows).
    pub subject: String,
}

type Rows = anyhow::Result<Vec<QueryResult>>;

/// `{ "code": … }`: an agency as the pages show it.
#[derive(Serialize)]
pub struct Code {
    code: String,
}

/// The caseload page's answer.
#[derive(Serialize)]
pub struct CaseloadPage {
    children: Edges,
}

#[derive(Serialize)]
struct Edges {
    edges: Vec<Edge>,
}

#[derive(Serialize)]
struct Edge {
    node: CaseloadChild,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CaseloadChild {
    id: Uuid,
    given_name: String,
    involvements: Vec<CaseloadInvolvement>,
    behaviours: Vec<IdTrafficLight>,
    joint_plans: Vec<CaseloadPlan>,
}

#[derive(Serialize)]
struct CaseloadInvolvement {
    role: String,
    agency: Code,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdTrafficLight {
    id: Uuid,
    traffic_light: String,
}

#[derive(Serialize)]
struct IdStatus {
    id: Uuid,
    status: String,
}

#[derive(Serialize)]
struct CaseloadPlan {
    id: Uuid,
    status: String,
    actions: Vec<IdStatus>,
}

/// One child's view's answer.
#[derive(Serialize)]
pub struct ChildViewAnswer {
    child: ChildView,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChildView {
    id: Uuid,
    given_name: String,
    family_name: String,
    date_of_birth: NaiveDate,
    status: String,
    lead_agency: Option<LeadAgency>,
    involvements: Vec<ViewInvolvement>,
    chronology: Vec<Entry>,
    behaviours: Vec<ViewBehaviour>,
    joint_plans: Vec<ViewPlan>,
}

#[derive(Serialize)]
struct LeadAgency {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct ViewInvolvement {
    role: String,
    active: bool,
    agency: Code,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    id: Uuid,
    kind: String,
    occurred_at: DateTime<Utc>,
    restricted: bool,
    summary: Option<String>,
    recording_agency: Code,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewBehaviour {
    id: Uuid,
    traffic_light: String,
    escalated: bool,
    restricted: bool,
    description: Option<String>,
    occurred_on: NaiveDate,
}

#[derive(Serialize)]
struct Member {
    agency: Code,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewAction {
    id: Uuid,
    kind: String,
    status: String,
    due_on: Option<NaiveDate>,
    consultations: Vec<ViewConsultation>,
}

#[derive(Serialize)]
struct ViewConsultation {
    id: Uuid,
    status: String,
    agency: Code,
}

#[derive(Serialize)]
struct ViewPlan {
    id: Uuid,
    title: String,
    status: String,
    members: Vec<Member>,
    actions: Vec<ViewAction>,
}

async fn query(db: &DatabaseConnection, text: &str, values: Vec<DbValue>) -> Rows {
    Ok(db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            placeholders(db, text),
            values,
        ))
        .await?)
}

/// `$from, $from+1, …` for `n` values.
fn list(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The visibility condition on `c.id` for parameters `$1` agency, `$2` subject, `$3` now.
const VISIBLE: &str = "(EXISTS (SELECT 1 FROM involvements i WHERE i.child_id = c.id \
    AND i.agency_id = $1 AND i.ended_on IS NULL) OR EXISTS (SELECT 1 FROM access_grants g \
    WHERE g.child_id = c.id AND g.agency_id = $1 AND g.subject = $2 AND g.expires_at > $3))";

/// Plans of the children in `$4…` visible to agency `$1`.
fn visible_plans(n: usize, columns: &str) -> String {
    format!(
        "SELECT {columns} FROM joint_plans p WHERE p.child_id IN ({}) \
         AND EXISTS (SELECT 1 FROM plan_members m WHERE m.plan_id = p.id AND m.agency_id = $1 \
           AND m.removed_at IS NULL) \
         AND EXISTS (SELECT 1 FROM involvements i WHERE i.child_id = p.child_id \
           AND i.agency_id = $1 AND i.ended_on IS NULL) ORDER BY p.id",
        list(2, n)
    )
}

fn ids(values: &[Uuid]) -> Vec<DbValue> {
    values.iter().map(|id| (*id).into()).collect()
}

fn with_agency(agency: Uuid, rest: &[Uuid]) -> Vec<DbValue> {
    let mut all = vec![agency.into()];
    all.extend(ids(rest));
    all
}

/// Writes one read-audit row per child, as Concord does for every child it returns.
pub async fn audit_reads(
    db: &DatabaseConnection,
    reader: &Reader,
    children: &[Uuid],
) -> anyhow::Result<()> {
    let now = Utc::now();
    let rows: Vec<audit_events::Model> = children
        .iter()
        .map(|child| audit_events::Model {
            id: Uuid::now_v7(),
            occurred_at: now,
            actor_subject: reader.subject.clone(),
            actor_agency_id: Some(reader.agency_id),
            actor_agency_code: Some(reader.agency_code.clone()),
            actor_roles: "PRACTITIONER".into(),
            action: "READ_CHILD".into(),
            entity_type: "Child".into(),
            entity_id: Some(*child),
            child_id: Some(*child),
            outcome: AuditOutcome::Allowed,
            reason: None,
            request_id: Some(Uuid::new_v4().to_string()),
            created_at: now,
            updated_at: now,
            changes: None,
        })
        .collect();
    if !rows.is_empty() {
        sea_orm::InsertMany::<audit_events::ActiveModel>::many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Whether a row's content is `RESTRICTED`, and its text `column` as the reader sees it:
/// withheld (`None`) when restricted and recorded by another agency.
fn masked_text(
    row: &QueryResult,
    reader: &Reader,
    column: &str,
) -> anyhow::Result<(bool, Option<String>)> {
    let restricted = row.try_get::<String>("", "sensitivity")? == "RESTRICTED";
    let own = row.try_get::<Uuid>("", "agency_id")? == reader.agency_id;
    let text = if restricted && !own {
        None
    } else {
        Some(row.try_get("", column)?)
    };
    Ok((restricted, text))
}

fn group<T>(rows: Vec<(Uuid, T)>) -> HashMap<Uuid, Vec<T>> {
    let mut map: HashMap<Uuid, Vec<T>> = HashMap::new();
    for (key, value) in rows {
        map.entry(key).or_default().push(value);
    }
    map
}

/// The caseload page: the first `first` visible children with involvements, behaviours,
/// visible plans and their actions (5 statements, plus one insert with `audit`).
pub async fn caseload(
    db: &DatabaseConnection,
    reader: &Reader,
    first: usize,
    audit: bool,
) -> anyhow::Result<CaseloadPage> {
    let now = Utc::now();
    let children = query(
        db,
        &format!(
            // The page as a join: the first `first` of each source by the index on
            // (agency_id, child_id), never the agency's whole caseload.
            "SELECT c.id, c.given_name FROM children c JOIN ( \
               SELECT child_id FROM (SELECT i.child_id FROM involvements i \
                 WHERE i.agency_id = $1 AND i.ended_on IS NULL ORDER BY i.child_id LIMIT {first}) AS a \
               UNION SELECT child_id FROM (SELECT g.child_id FROM access_grants g \
                 WHERE g.agency_id = $1 AND g.subject = $2 AND g.expires_at > $3 \
                 ORDER BY g.child_id LIMIT {first}) AS b) v ON v.child_id = c.id \
             ORDER BY c.id LIMIT {first}"
        ),
        vec![
            reader.agency_id.into(),
            reader.subject.clone().into(),
            now.into(),
        ],
    )
    .await?;
    let mut page = Vec::new();
    for row in children {
        page.push((
            row.try_get::<Uuid>("", "id")?,
            row.try_get::<String>("", "given_name")?,
        ));
    }
    let child_ids: Vec<Uuid> = page.iter().map(|(id, _)| *id).collect();
    if child_ids.is_empty() {
        return Ok(CaseloadPage {
            children: Edges { edges: Vec::new() },
        });
    }
    let n = child_ids.len();
    let mut involvements = Vec::new();
    for row in query(
        db,
        &format!(
            "SELECT i.child_id, i.role, a.code FROM involvements i JOIN agencies a ON a.id = i.agency_id \
             WHERE i.child_id IN ({}) AND i.ended_on IS NULL ORDER BY i.id",
            list(1, n)
        ),
        ids(&child_ids),
    )
    .await?
    {
        involvements.push((
            row.try_get::<Uuid>("", "child_id")?,
            CaseloadInvolvement {
                role: row.try_get("", "role")?,
                agency: Code {
                    code: row.try_get("", "code")?,
                },
            },
        ));
    }
    let mut behaviours = Vec::new();
    for row in query(
        db,
        &format!(
            "SELECT child_id, id, traffic_light FROM behaviours WHERE child_id IN ({}) \
             ORDER BY disclosed_at, id",
            list(1, n)
        ),
        ids(&child_ids),
    )
    .await?
    {
        behaviours.push((
            row.try_get::<Uuid>("", "child_id")?,
            IdTrafficLight {
                id: row.try_get("", "id")?,
                traffic_light: row.try_get("", "traffic_light")?,
            },
        ));
    }
    let mut plans = Vec::new();
    for row in query(
        db,
        &visible_plans(n, "p.id, p.child_id, p.status"),
        with_agency(reader.agency_id, &child_ids),
    )
    .await?
    {
        plans.push((
            row.try_get::<Uuid>("", "child_id")?,
            row.try_get::<Uuid>("", "id")?,
            row.try_get::<String>("", "status")?,
        ));
    }
    let plan_ids: Vec<Uuid> = plans.iter().map(|p| p.1).collect();
    let mut actions = Vec::new();
    if !plan_ids.is_empty() {
        for row in query(
            db,
            &format!(
                "SELECT plan_id, id, status FROM plan_actions WHERE plan_id IN ({}) ORDER BY id",
                list(1, plan_ids.len())
            ),
            ids(&plan_ids),
        )
        .await?
        {
            actions.push((
                row.try_get::<Uuid>("", "plan_id")?,
                IdStatus {
                    id: row.try_get("", "id")?,
                    status: row.try_get("", "status")?,
                },
            ));
        }
    }
    if audit {
        audit_reads(db, reader, &child_ids).await?;
    }
    let mut involvements = group(involvements);
    let mut behaviours = group(behaviours);
    let mut actions = group(actions);
    let mut plans_of: HashMap<Uuid, Vec<CaseloadPlan>> = HashMap::new();
    for (child, plan, status) in plans {
        plans_of.entry(child).or_default().push(CaseloadPlan {
            id: plan,
            status,
            actions: actions.remove(&plan).unwrap_or_default(),
        });
    }
    let edges = page
        .into_iter()
        .map(|(id, given_name)| Edge {
            node: CaseloadChild {
                id,
                given_name,
                involvements: involvements.remove(&id).unwrap_or_default(),
                behaviours: behaviours.remove(&id).unwrap_or_default(),
                joint_plans: plans_of.remove(&id).unwrap_or_default(),
            },
        })
        .collect();
    Ok(CaseloadPage {
        children: Edges { edges },
    })
}

/// One child's view: the child, involvements (and so the lead agency), chronology,
/// behaviours, visible plans with members, actions and consultations (8 statements, plus
/// one insert with `audit`). Deadlines are left out: Concord derives them in Rust.
pub async fn child_view(
    db: &DatabaseConnection,
    reader: &Reader,
    child: Uuid,
    audit: bool,
) -> anyhow::Result<ChildViewAnswer> {
    let now = Utc::now();
    let found = query(
        db,
        &format!(
            "SELECT c.id, c.given_name, c.family_name, c.date_of_birth, c.status FROM children c \
             WHERE c.id = $4 AND {VISIBLE}"
        ),
        vec![
            reader.agency_id.into(),
            reader.subject.clone().into(),
            now.into(),
            child.into(),
        ],
    )
    .await?;
    let Some(row) = found.into_iter().next() else {
        anyhow::bail!("child {child} not visible to {}", reader.agency_code);
    };
    let mut view = ChildView {
        id: child,
        given_name: row.try_get("", "given_name")?,
        family_name: row.try_get("", "family_name")?,
        date_of_birth: row.try_get("", "date_of_birth")?,
        status: row.try_get("", "status")?,
        lead_agency: None,
        involvements: Vec::new(),
        chronology: Vec::new(),
        behaviours: Vec::new(),
        joint_plans: Vec::new(),
    };
    for row in query(
        db,
        "SELECT i.role, i.ended_on, a.code, a.name FROM involvements i \
         JOIN agencies a ON a.id = i.agency_id WHERE i.child_id = $1 AND i.ended_on IS NULL \
         ORDER BY i.id",
        vec![child.into()],
    )
    .await?
    {
        let role: String = row.try_get("", "role")?;
        let active = row.try_get::<Option<NaiveDate>>("", "ended_on")?.is_none();
        let code: String = row.try_get("", "code")?;
        if active && role == "LEAD" {
            view.lead_agency = Some(LeadAgency {
                code: code.clone(),
                name: row.try_get("", "name")?,
            });
        }
        view.involvements.push(ViewInvolvement {
            role,
            active,
            agency: Code { code },
        });
    }
    for row in query(
        db,
        "SELECT e.id, e.kind, e.occurred_at, e.sensitivity, e.summary, e.agency_id, a.code \
         FROM chronology_entries e JOIN agencies a ON a.id = e.agency_id \
         WHERE e.child_id = $1 ORDER BY e.occurred_at, e.id",
        vec![child.into()],
    )
    .await?
    {
        let (restricted, summary) = masked_text(&row, reader, "summary")?;
        view.chronology.push(Entry {
            id: row.try_get("", "id")?,
            kind: row.try_get("", "kind")?,
            occurred_at: row.try_get("", "occurred_at")?,
            restricted,
            summary,
            recording_agency: Code {
                code: row.try_get("", "code")?,
            },
        });
    }
    for row in query(
        db,
        "SELECT id, traffic_light, escalated, sensitivity, description, occurred_on, agency_id \
         FROM behaviours WHERE child_id = $1 ORDER BY disclosed_at, id",
        vec![child.into()],
    )
    .await?
    {
        let (restricted, description) = masked_text(&row, reader, "description")?;
        view.behaviours.push(ViewBehaviour {
            id: row.try_get("", "id")?,
            traffic_light: row.try_get("", "traffic_light")?,
            escalated: row.try_get("", "escalated")?,
            restricted,
            description,
            occurred_on: row.try_get("", "occurred_on")?,
        });
    }
    let mut plans = Vec::new();
    for row in query(
        db,
        &visible_plans(1, "p.id, p.title, p.status"),
        with_agency(reader.agency_id, &[child]),
    )
    .await?
    {
        plans.push((
            row.try_get::<Uuid>("", "id")?,
            row.try_get::<String>("", "title")?,
            row.try_get::<String>("", "status")?,
        ));
    }
    let plan_ids: Vec<Uuid> = plans.iter().map(|p| p.0).collect();
    let mut members = Vec::new();
    let mut actions = Vec::new();
    let mut consultations = Vec::new();
    if !plan_ids.is_empty() {
        let p = plan_ids.len();
        for row in query(
            db,
            &format!(
                "SELECT m.plan_id, a.code FROM plan_members m JOIN agencies a ON a.id = m.agency_id \
                 WHERE m.plan_id IN ({}) AND m.removed_at IS NULL ORDER BY m.id",
                list(1, p)
            ),
            ids(&plan_ids),
        )
        .await?
        {
            members.push((
                row.try_get::<Uuid>("", "plan_id")?,
                Member {
                    agency: Code {
                        code: row.try_get("", "code")?,
                    },
                },
            ));
        }
        let mut action_ids = Vec::new();
        for row in query(
            db,
            &format!(
                "SELECT plan_id, id, kind, status, due_on FROM plan_actions \
                 WHERE plan_id IN ({}) ORDER BY id",
                list(1, p)
            ),
            ids(&plan_ids),
        )
        .await?
        {
            let id: Uuid = row.try_get("", "id")?;
            action_ids.push(id);
            actions.push((
                row.try_get::<Uuid>("", "plan_id")?,
                ViewAction {
                    id,
                    kind: row.try_get("", "kind")?,
                    status: row.try_get("", "status")?,
                    due_on: row.try_get("", "due_on")?,
                    consultations: Vec::new(),
                },
            ));
        }
        if !action_ids.is_empty() {
            for row in query(
                db,
                &format!(
                    "SELECT k.action_id, k.id, k.status, a.code FROM consultations k \
                     JOIN agencies a ON a.id = k.agency_id WHERE k.action_id IN ({}) ORDER BY k.id",
                    list(1, action_ids.len())
                ),
                ids(&action_ids),
            )
            .await?
            {
                consultations.push((
                    row.try_get::<Uuid>("", "action_id")?,
                    ViewConsultation {
                        id: row.try_get("", "id")?,
                        status: row.try_get("", "status")?,
                        agency: Code {
                            code: row.try_get("", "code")?,
                        },
                    },
                ));
            }
        }
    }
    if audit {
        audit_reads(db, reader, &[child]).await?;
    }
    let mut members = group(members);
    let mut actions = group(actions);
    let mut consultations = group(consultations);
    view.joint_plans = plans
        .into_iter()
        .map(|(id, title, status)| ViewPlan {
            id,
            title,
            status,
            members: members.remove(&id).unwrap_or_default(),
            actions: actions
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .map(|mut action| {
                    action.consultations = consultations.remove(&action.id).unwrap_or_default();
                    action
                })
                .collect(),
        })
        .collect();
    Ok(ChildViewAnswer { child: view })
}
