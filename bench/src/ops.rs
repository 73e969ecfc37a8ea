//! The operations the runner sends, their GraphQL documents (all in this one file), and
//! the rows of the generated partnership each one acts on, found in the database.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use uuid::Uuid;

/// An operation of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Op {
    /// (a) The caseload page, `children(first: 50)` with nested relations.
    Caseload,
    /// (b) One child's full view (a child with 100 chronology entries).
    ChildView,
    /// (c) The busiest agency's overdue dashboard.
    Overdue,
    /// (d) `recordBehaviour` with a RED classification, which escalates.
    RecordBehaviour,
    /// (e) `updatePlanActionStatus` on actions whose move checks consultations.
    UpdateAction,
    /// (f) `strategicReport` over one year.
    Report,
    /// (g) Subscription fan-out: subscribers over plans while writers add actions.
    Fanout,
    /// (h) Idle subscribers and the server's memory.
    Memory,
    /// Hand-written SQL for the caseload, in this process, without and with audit rows.
    SqlCaseload,
    /// Hand-written SQL for the child view, in this process, without and with audit rows.
    SqlChildView,
    /// The caseload from PostGraphile 5 (`bench/postgraphile/`), when `--postgraphile-url`
    /// is given.
    Postgraphile,
}

impl Op {
    /// Every operation, in the order of the table.
    pub const ALL: [Op; 10] = [
        Op::Caseload,
        Op::SqlCaseload,
        Op::ChildView,
        Op::SqlChildView,
        Op::Overdue,
        Op::RecordBehaviour,
        Op::UpdateAction,
        Op::Report,
        Op::Fanout,
        Op::Memory,
    ];

    /// The name printed in the table.
    pub fn name(self) -> &'static str {
        match self {
            Op::Caseload => "caseload",
            Op::ChildView => "child-view",
            Op::Overdue => "overdue",
            Op::RecordBehaviour => "record-behaviour",
            Op::UpdateAction => "update-action",
            Op::Report => "report",
            Op::Fanout => "fanout",
            Op::Memory => "memory",
            Op::SqlCaseload => "sql-caseload",
            Op::SqlChildView => "sql-child-view",
            Op::Postgraphile => "postgraphile-caseload",
        }
    }
}

/// (a) The caseload page.
pub const CASELOAD: &str = "query Caseload($first: Int!) { children(first: $first) { edges { node { \
    id givenName involvements { role agency { code } } behaviours { nodes { id trafficLight } } \
    jointPlans { nodes { id status actions { id status } } } } } } }";

/// The caseload from PostGraphile, scoped by `bench/postgraphile/scoping.sql`.
pub const POSTGRAPHILE_CASELOAD: &str = "query Caseload($agency: UUID!, $first: Int!) { \
    benchCaseload(agency: $agency, first: $first) { nodes { rowId givenName \
    involvementsByChildId { nodes { role endedOn agencyByAgencyId { code } } } \
    behavioursByChildId { nodes { rowId trafficLight } } \
    jointPlansByChildId { nodes { rowId status planActionsByPlanId { nodes { rowId status } } } } } } }";

/// (b) One child's full view.
pub const CHILD_VIEW: &str = "query ChildView($id: ID!) { child(id: $id) { id givenName familyName \
    dateOfBirth status leadAgency { code name } \
    involvements { role active agency { code } } \
    chronology { nodes { id kind occurredAt restricted summary recordingAgency { code } } } \
    behaviours { nodes { id trafficLight escalated restricted description occurredOn } } \
    deadlines { kind dueAt status } \
    jointPlans { nodes { id title status members { agency { code } } \
      actions { id kind status dueOn consultations { id status agency { code } } } } } } }";

/// (c) The overdue dashboard as a connection (`deadlines(filter:, first:, after:)`), the
/// form the stored-deadlines work gives it. Adjust here if its shape changes.
pub const OVERDUE_CONNECTION: &str = "query Overdue($first: Int!) { \
    deadlines(filter: { status: OVERDUE }, first: $first) { \
      edges { node { kind dueAt status child { id givenName } responsibleAgency { code } } } \
      pageInfo { hasNextPage endCursor } } }";

/// (c) The overdue dashboard as the plain list of `main` before stored deadlines.
pub const OVERDUE_LIST: &str = "query Overdue { deadlines(filter: { status: OVERDUE }) { \
    kind dueAt status child { id givenName } responsibleAgency { code } } }";

/// (d) A RED behaviour, which escalates.
pub const RECORD_BEHAVIOUR: &str = "mutation Record($input: RecordBehaviourInput!) { \
    recordBehaviour(input: $input) { behaviour { id trafficLight } escalated } }";

/// (e) Moving an agreed action on, which checks its consultations.
pub const UPDATE_ACTION: &str = "mutation Update($input: UpdatePlanActionStatusInput!) { \
    updatePlanActionStatus(input: $input) { action { id status version } } }";

/// (f) The strategic report.
pub const REPORT: &str = "query Report($from: DateTime!, $to: DateTime!) { \
    strategicReport(from: $from, to: $to) { \
      referrals { total { value suppressed } } \
      behavioursByTrafficLight { total { value suppressed } } \
      escalations { total { value suppressed } } \
      plansOpened { total { value suppressed } } \
      consultationsObjected { total { value suppressed } } \
      deadlinesMet { __typename } } }";

/// The report's variables: the twelve whole months (UTC) up to the end of this one, the
/// period Concord covers for them anyway (it widens a report to whole months).
pub fn report_year() -> serde_json::Value {
    use chrono::{Datelike as _, Months, Utc};
    let now = Utc::now();
    let this_month = now
        .date_naive()
        .with_day(1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map_or(now, |start| start.and_utc());
    let to = this_month + Months::new(1);
    let from = to - Months::new(12);
    serde_json::json!({ "from": from.to_rfc3339(), "to": to.to_rfc3339() })
}

/// (g) The writers' mutation: a new action on a plan, which every subscriber of the
/// plan must receive.
pub const ADD_ACTION: &str = "mutation Add($input: AddPlanActionInput!) { \
    addPlanAction(input: $input) { action { id } } }";

/// (g) A subscriber of one plan.
pub const PLAN_EVENTS: &str = "subscription Events($planId: ID!) { \
    planEvents(planId: $planId) { seq kind planId payload occurredAt } }";

/// (h) An idle subscriber.
pub const CASE_TEAM_EVENTS: &str = "subscription { caseTeamEvents { seq kind } }";

/// A global id as Concord encodes it.
pub fn global_id(kind: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// Rows of the generated partnership the operations act on.
#[derive(Clone, Debug, Default)]
pub struct Targets {
    /// The agency seeing the most children (the caseload and the dashboard).
    pub busiest_agency: String,
    /// Its id.
    pub busiest_agency_id: Uuid,
    /// Children with the longest chronologies, with their lead agency's code.
    pub heavy_children: Vec<(Uuid, String, Uuid)>,
    /// Open children and a code of an agency on their case team (for behaviours).
    pub behaviour_children: Vec<(Uuid, String)>,
    /// Agreed actions with consultations on active plans: (action, version, assigned code).
    pub agreed_actions: Vec<(Uuid, i32, String)>,
    /// Active plans: (plan, lead agency id, lead code, member codes).
    pub plans: Vec<(Uuid, Uuid, String, Vec<String>)>,
    /// Any agency, for the analyst's token.
    pub any_agency: String,
}

fn sql(db: &DatabaseConnection, text: &str) -> Statement {
    Statement::from_string(db.get_database_backend(), text.to_owned())
}

impl Targets {
    /// Finds them; `plans` bounds how many active plans are read.
    pub async fn find(db: &DatabaseConnection, plans: usize) -> anyhow::Result<Self> {
        let mut t = Targets::default();
        let busiest = db
            .query_one_raw(sql(
                db,
                "SELECT a.code, a.id FROM involvements i JOIN agencies a ON a.id = i.agency_id \
                 WHERE i.ended_on IS NULL GROUP BY a.code, a.id ORDER BY COUNT(*) DESC, a.code LIMIT 1",
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("no involvements: generate a partnership first"))?;
        t.busiest_agency = busiest.try_get("", "code")?;
        t.busiest_agency_id = busiest.try_get("", "id")?;
        t.any_agency = t.busiest_agency.clone();
        for row in db
            .query_all_raw(sql(
                db,
                "SELECT c.child_id, a.code, a.id FROM (SELECT child_id, COUNT(*) AS n FROM chronology_entries \
                 GROUP BY child_id ORDER BY n DESC, child_id LIMIT 20) c \
                 JOIN involvements i ON i.child_id = c.child_id AND i.role = 'LEAD' AND i.ended_on IS NULL \
                 JOIN agencies a ON a.id = i.agency_id ORDER BY c.n DESC, c.child_id",
            ))
            .await?
        {
            t.heavy_children.push((
                row.try_get("", "child_id")?,
                row.try_get("", "code")?,
                row.try_get("", "id")?,
            ));
        }
        for row in db
            .query_all_raw(sql(
                db,
                "SELECT c.id, a.code FROM children c \
                 JOIN involvements i ON i.child_id = c.id AND i.role = 'LEAD' AND i.ended_on IS NULL \
                 JOIN agencies a ON a.id = i.agency_id WHERE c.status = 'OPEN' ORDER BY c.id LIMIT 500",
            ))
            .await?
        {
            t.behaviour_children
                .push((row.try_get("", "id")?, row.try_get("", "code")?));
        }
        for row in db
            .query_all_raw(sql(
                db,
                "SELECT x.id, x.version, a.code FROM plan_actions x \
                 JOIN joint_plans p ON p.id = x.plan_id AND p.status = 'ACTIVE' \
                 JOIN agencies a ON a.id = x.assigned_agency_id \
                 WHERE x.status = 'AGREED' \
                 AND EXISTS (SELECT 1 FROM consultations k WHERE k.action_id = x.id) \
                 AND EXISTS (SELECT 1 FROM plan_members m WHERE m.plan_id = p.id \
                   AND m.agency_id = x.assigned_agency_id AND m.removed_at IS NULL) \
                 AND EXISTS (SELECT 1 FROM involvements i WHERE i.child_id = p.child_id \
                   AND i.agency_id = x.assigned_agency_id AND i.ended_on IS NULL) \
                 ORDER BY x.id",
            ))
            .await?
        {
            t.agreed_actions.push((
                row.try_get("", "id")?,
                row.try_get("", "version")?,
                row.try_get("", "code")?,
            ));
        }
        let plan_rows = db
            .query_all_raw(sql(
                db,
                &format!(
                    "SELECT p.id, p.lead_agency_id, a.code FROM joint_plans p \
                     JOIN agencies a ON a.id = p.lead_agency_id \
                     WHERE p.status = 'ACTIVE' ORDER BY p.id LIMIT {plans}"
                ),
            ))
            .await?;
        for row in plan_rows {
            let plan: Uuid = row.try_get("", "id")?;
            let members = db
                .query_all_raw(Statement::from_sql_and_values(
                    db.get_database_backend(),
                    placeholders(
                        db,
                        "SELECT a.code FROM plan_members m JOIN agencies a ON a.id = m.agency_id \
                         WHERE m.plan_id = $1 AND m.removed_at IS NULL ORDER BY a.code",
                    ),
                    [plan.into()],
                ))
                .await?
                .into_iter()
                .map(|r| r.try_get::<String>("", "code"))
                .collect::<Result<Vec<_>, _>>()?;
            t.plans.push((
                plan,
                row.try_get("", "lead_agency_id")?,
                row.try_get("", "code")?,
                members,
            ));
        }
        Ok(t)
    }
}

/// `$n` placeholders as the backend spells them (`?n` on SQLite).
pub fn placeholders(db: &DatabaseConnection, text: &str) -> String {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        text.replace('$', "?")
    } else {
        text.to_owned()
    }
}
