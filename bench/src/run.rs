//! `bench run`: every operation at a fixed arrival rate and at saturation, the SQL
//! baseline beside it, the subscription fan-out and the memory measurement.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::StreamExt as _;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::baseline::{self, Reader};
use crate::client::Gql;
use crate::load::{self, Bounds, Call, CallError, Row};
use crate::ops::{self, Op, Targets, global_id};
use crate::partnership::practitioner;
use crate::subs;
use crate::tokens::TokenSettings;

/// How the overdue dashboard is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DeadlinesForm {
    /// Try the connection; use the list if the server does not know it.
    Auto,
    /// `deadlines(filter:, first:) { edges … pageInfo … }`.
    Connection,
    /// `deadlines(filter:) [Deadline!]!`, as on `main` before stored deadlines.
    List,
}

/// What to run and how hard.
#[derive(Clone, Debug, clap::Args)]
pub struct RunOptions {
    /// The server (`http://127.0.0.1:PORT`); give it twice for a two-instance run: the
    /// first serves readers and subscribers, the second the writers.
    #[arg(long = "url", required = true)]
    pub urls: Vec<String>,
    /// The server's database, to find the rows to act on and to run the SQL baseline.
    #[arg(long, env = "BENCH_DATABASE_URL")]
    pub database_url: String,
    /// Requests per second of the fixed-rate phase (0 skips it).
    #[arg(long, default_value_t = 5.0)]
    pub rate: f64,
    /// Seconds of each phase.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Concurrencies of the saturation phases.
    #[arg(long, value_delimiter = ',', default_value = "1,8")]
    pub concurrency: Vec<usize>,
    /// Operations to run (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub operations: Vec<Op>,
    /// The most requests of one phase.
    #[arg(long, default_value_t = 100_000)]
    pub max_requests: u64,
    /// Page size of the caseload.
    #[arg(long, default_value_t = 50)]
    pub first: usize,
    /// Subscribers of the fan-out.
    #[arg(long, default_value_t = 1000)]
    pub subscribers: usize,
    /// Plans the subscribers spread over.
    #[arg(long, default_value_t = 200)]
    pub subscriber_plans: usize,
    /// Concurrent writers of the fan-out.
    #[arg(long, default_value_t = 4)]
    pub writers: usize,
    /// Idle subscriptions of the memory measurement.
    #[arg(long, default_value_t = 10_000)]
    pub idle_subscribers: usize,
    /// The server's pid for RSS (default: the process listening on the first URL's port).
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// PostGraphile serving the same tables (`bench/postgraphile/`), measured beside the
    /// caseload when given.
    #[arg(long)]
    pub postgraphile_url: Option<String>,
    /// How the overdue dashboard is asked for.
    #[arg(long, value_enum, default_value = "auto")]
    pub deadlines_form: DeadlinesForm,
    /// Seconds to wait at most, before each phase, for the audit sealer to catch up and
    /// the database to go quiet (`bench::settle`; 0 does not wait).
    #[arg(long, default_value_t = 300)]
    pub settle: u64,
    /// Token settings of the server.
    #[command(flatten)]
    pub tokens: TokenSettings,
}

impl RunOptions {
    /// Options for a short run of `operations` against `url` (used by the CI test).
    pub fn short(url: &str, database_url: &str) -> Self {
        Self {
            urls: vec![url.into()],
            database_url: database_url.into(),
            rate: 20.0,
            duration: 1,
            concurrency: vec![2],
            operations: Vec::new(),
            max_requests: 3,
            first: 50,
            subscribers: 20,
            subscriber_plans: 5,
            writers: 2,
            idle_subscribers: 50,
            server_pid: None,
            postgraphile_url: None,
            deadlines_form: DeadlinesForm::Auto,
            settle: 30,
            tokens: TokenSettings::default(),
        }
    }
}

/// The results of a run.
pub struct Report {
    /// One row per operation and phase.
    pub rows: Vec<Row>,
    /// Missing deliveries of the fan-out.
    pub missing: u64,
    /// Duplicated deliveries of the fan-out.
    pub duplicated: u64,
    /// Lines printed under the table (ratios, memory).
    pub notes: Vec<String>,
}

impl Report {
    /// The table and the notes, in Markdown.
    pub fn render(&self) -> String {
        let mut out = load::table(&self.rows);
        for note in &self.notes {
            out.push_str(&format!("\n- {note}"));
        }
        out.push('\n');
        out
    }

    /// Errors over every row.
    pub fn errors(&self) -> u64 {
        self.rows.iter().map(|r| r.errors).sum()
    }
}

fn call<F, Fut>(f: F) -> Call
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), CallError>> + Send + 'static,
{
    Arc::new(move |i| Box::pin(f(i)))
}

fn failed(e: impl std::fmt::Display) -> CallError {
    CallError::Failed(e.to_string())
}

/// Tokens of several subjects of one agency, used in turn (as several people would).
struct Tokens(Vec<String>);

impl Tokens {
    fn new(
        settings: &TokenSettings,
        agency: &str,
        roles: &[&str],
        people: usize,
    ) -> anyhow::Result<Self> {
        let tokens = (1..=people.max(1))
            .map(|n| settings.mint(&practitioner(agency, n), agency, roles))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self(tokens))
    }

    fn get(&self, i: u64) -> String {
        self.0[(i as usize) % self.0.len()].clone()
    }
}

const CASE_ROLES: [&str; 3] = ["PRACTITIONER", "AGENCY_LEAD", "COORDINATOR"];

/// Runs the benchmark.
pub async fn run(options: &RunOptions) -> anyhow::Result<Report> {
    let db = api::app::connect(&options.database_url).await?;
    let reader_url = options.urls[0].clone();
    let writer_url = options
        .urls
        .get(1)
        .cloned()
        .unwrap_or_else(|| reader_url.clone());
    let gql = Gql::new(&reader_url)?;
    let writer = Gql::new(&writer_url)?;
    // The server's memory before this run sent it anything (idle, if it was just started).
    let rss_at_start =
        server_pid(options).and_then(|pid| Some((subs::rss_kb(pid)?, subs::rss_anon_kb(pid)?)));
    let targets = Targets::find(&db, options.subscriber_plans).await?;
    let mut ops: Vec<Op> = if options.operations.is_empty() {
        Op::ALL.to_vec()
    } else {
        Op::ALL
            .into_iter()
            .filter(|o| options.operations.contains(o))
            .collect()
    };
    // PostGraphile runs right after the caseload's SQL baseline, when it is given.
    if options.postgraphile_url.is_some()
        && (options.operations.is_empty() || options.operations.contains(&Op::Postgraphile))
    {
        let at = ops
            .iter()
            .position(|o| *o == Op::SqlCaseload)
            .map_or(ops.len(), |p| p + 1);
        ops.insert(at, Op::Postgraphile);
    }
    let bounds = Bounds {
        duration: Duration::from_secs(options.duration),
        max_requests: options.max_requests,
    };
    let mut report = Report {
        rows: Vec::new(),
        missing: 0,
        duplicated: 0,
        notes: vec![format!(
            "busiest agency {}; child view of {} ({} children with long chronologies); {} agreed actions with consultations; {} active plans",
            targets.busiest_agency,
            targets
                .heavy_children
                .first()
                .map(|c| c.0.to_string())
                .unwrap_or_default(),
            targets.heavy_children.len(),
            targets.agreed_actions.len(),
            targets.plans.len()
        )],
    };
    report.notes.push(database_version(&db).await);
    let actions = Arc::new(Mutex::new(
        targets
            .agreed_actions
            .iter()
            .cloned()
            .collect::<VecDeque<_>>(),
    ));
    for op in ops {
        let phase_call = match op {
            Op::Fanout => {
                settle(&db, options, op.name(), &mut report).await;
                fanout(options, &gql, &writer, &targets, &mut report).await?;
                continue;
            }
            Op::Memory => {
                settle(&db, options, op.name(), &mut report).await;
                memory(options, &gql, &targets, rss_at_start, &mut report).await?;
                continue;
            }
            Op::Postgraphile => {
                let url = options.postgraphile_url.clone().unwrap_or_default();
                postgraphile_call(&url, &targets, options.first)?
            }
            Op::SqlCaseload | Op::SqlChildView => {
                for audit in [false, true] {
                    let c = sql_call(op, &db, &targets, options.first, audit)?;
                    let name = format!("{}{}", op.name(), if audit { "+audit" } else { "" });
                    phases(&db, &name, c, options, bounds, &mut report).await;
                }
                continue;
            }
            _ => http_call(op, options, &gql, &writer, &targets, actions.clone()).await?,
        };
        phases(&db, op.name(), phase_call, options, bounds, &mut report).await;
    }
    ratios(&mut report, &options.concurrency);
    Ok(report)
}

/// The database and its version, for the record.
async fn database_version(db: &DatabaseConnection) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Sqlite => "SELECT sqlite_version() AS v",
        _ => "SELECT version() AS v",
    };
    let version = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get::<String>("", "v").ok())
        .unwrap_or_else(|| "unknown".into());
    format!("database: {backend:?} {version}")
}

async fn phases(
    db: &DatabaseConnection,
    name: &str,
    c: Call,
    options: &RunOptions,
    bounds: Bounds,
    report: &mut Report,
) {
    if options.rate > 0.0 {
        settle(
            db,
            options,
            &format!("{name} at {} rps", options.rate),
            report,
        )
        .await;
        report
            .rows
            .push(load::fixed_rate(name, c.clone(), options.rate, bounds, 256).await);
    }
    for conc in &options.concurrency {
        settle(
            db,
            options,
            &format!("{name} at concurrency {conc}"),
            report,
        )
        .await;
        report
            .rows
            .push(load::saturate(name, c.clone(), *conc, bounds).await);
    }
}

/// Waits for the database to go quiet before a phase ([`crate::settle`]), noting a wait.
async fn settle(db: &DatabaseConnection, options: &RunOptions, before: &str, report: &mut Report) {
    let settled = crate::settle::settle(db, Duration::from_secs(options.settle)).await;
    if let Some(note) = settled.note(before) {
        report.notes.push(note);
    }
}

fn postgraphile_call(url: &str, targets: &Targets, first: usize) -> anyhow::Result<Call> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let url = format!("{}/graphql", url.trim_end_matches('/'));
    let agency = targets.busiest_agency_id;
    Ok(call(move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let response = client
                .post(&url)
                .json(&json!({ "query": ops::POSTGRAPHILE_CASELOAD,
                               "variables": { "agency": agency, "first": first } }))
                .send()
                .await
                .map_err(failed)?;
            let status = response.status();
            let body = response.bytes().await.map_err(failed)?;
            crate::client::check(status, &body)
        }
    }))
}

fn ratios(report: &mut Report, concurrency: &[usize]) {
    for (concord, sql) in [
        ("caseload", "sql-caseload+audit"),
        ("caseload", "postgraphile-caseload"),
        ("child-view", "sql-child-view+audit"),
    ] {
        for conc in concurrency {
            let mode = format!("conc {conc}");
            let find = |op: &str| report.rows.iter().find(|r| r.op == op && r.mode == mode);
            if let (Some(a), Some(b)) = (find(concord), find(sql))
                && !a.hist.is_empty()
                && !b.hist.is_empty()
            {
                let line = format!(
                    "{concord} ÷ {sql} at {mode}: p50 {:.1}× ({:.1} ms / {:.1} ms), throughput {:.2}× ({:.1} / {:.1} rps)",
                    a.p50_ms() / b.p50_ms().max(0.001),
                    a.p50_ms(),
                    b.p50_ms(),
                    a.rps() / b.rps().max(0.001),
                    a.rps(),
                    b.rps()
                );
                report.notes.push(line);
            }
        }
    }
}

fn sql_call(
    op: Op,
    db: &DatabaseConnection,
    targets: &Targets,
    first: usize,
    audit: bool,
) -> anyhow::Result<Call> {
    let db = db.clone();
    match op {
        Op::SqlCaseload => {
            let reader = Reader {
                agency_id: targets.busiest_agency_id,
                agency_code: targets.busiest_agency.clone(),
                subject: practitioner(&targets.busiest_agency, 1),
            };
            Ok(call(move |_| {
                let (db, reader) = (db.clone(), reader.clone());
                async move {
                    let page = baseline::caseload(&db, &reader, first, audit)
                        .await
                        .map_err(failed)?;
                    serde_json::to_vec(&page).map_err(failed)?;
                    Ok(())
                }
            }))
        }
        _ => {
            let (child, lead, agency_id) = targets
                .heavy_children
                .first()
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("no child with a chronology"))?;
            let reader = Reader {
                agency_id,
                subject: practitioner(&lead, 1),
                agency_code: lead,
            };
            Ok(call(move |_| {
                let (db, reader) = (db.clone(), reader.clone());
                async move {
                    let view = baseline::child_view(&db, &reader, child, audit)
                        .await
                        .map_err(failed)?;
                    serde_json::to_vec(&view).map_err(failed)?;
                    Ok(())
                }
            }))
        }
    }
}

async fn http_call(
    op: Op,
    options: &RunOptions,
    gql: &Gql,
    writer: &Gql,
    targets: &Targets,
    actions: Arc<Mutex<VecDeque<(Uuid, i32, String)>>>,
) -> anyhow::Result<Call> {
    let settings = &options.tokens;
    let gql = gql.clone();
    Ok(match op {
        Op::Caseload => {
            let tokens = Arc::new(Tokens::new(
                settings,
                &targets.busiest_agency,
                &["PRACTITIONER"],
                16,
            )?);
            let first = options.first;
            call(move |i| {
                let (gql, token) = (gql.clone(), tokens.get(i));
                async move {
                    gql.send_ok(&token, ops::CASELOAD, json!({ "first": first }))
                        .await
                }
            })
        }
        Op::ChildView => {
            let (child, lead, _) = targets
                .heavy_children
                .first()
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("no child with a chronology"))?;
            let tokens = Arc::new(Tokens::new(settings, &lead, &["PRACTITIONER"], 16)?);
            let id = global_id("Child", child);
            call(move |i| {
                let (gql, token, id) = (gql.clone(), tokens.get(i), id.clone());
                async move {
                    gql.send_ok(&token, ops::CHILD_VIEW, json!({ "id": id }))
                        .await
                }
            })
        }
        Op::Overdue => {
            let tokens = Arc::new(Tokens::new(
                settings,
                &targets.busiest_agency,
                &["PRACTITIONER"],
                16,
            )?);
            let form = match options.deadlines_form {
                DeadlinesForm::Auto => {
                    match gql
                        .send(
                            &tokens.get(0),
                            ops::OVERDUE_CONNECTION,
                            json!({ "first": 50 }),
                        )
                        .await
                    {
                        Err(CallError::Failed(e))
                            if e.contains("VALIDATION") || e.contains("Unknown") =>
                        {
                            DeadlinesForm::List
                        }
                        _ => DeadlinesForm::Connection,
                    }
                }
                form => form,
            };
            let query = if form == DeadlinesForm::List {
                ops::OVERDUE_LIST
            } else {
                ops::OVERDUE_CONNECTION
            };
            call(move |i| {
                let (gql, token) = (gql.clone(), tokens.get(i));
                async move { gql.send_ok(&token, query, json!({ "first": 50 })).await }
            })
        }
        Op::RecordBehaviour => {
            let mut by_agency: HashMap<String, Arc<Tokens>> = HashMap::new();
            let mut children = Vec::new();
            for (child, code) in &targets.behaviour_children {
                let tokens = match by_agency.get(code) {
                    Some(t) => t.clone(),
                    None => {
                        let t = Arc::new(Tokens::new(settings, code, &["PRACTITIONER"], 8)?);
                        by_agency.insert(code.clone(), t.clone());
                        t
                    }
                };
                children.push((global_id("Child", *child), tokens));
            }
            anyhow::ensure!(
                !children.is_empty(),
                "no open child to record a behaviour for"
            );
            let children = Arc::new(children);
            let writer = writer.clone();
            call(move |i| {
                let (writer, children) = (writer.clone(), children.clone());
                async move {
                    let (child, tokens) = &children[(i as usize) % children.len()];
                    let now = Utc::now();
                    let input = json!({
                        "childId": child,
                        "occurredOn": now.date_naive().to_string(),
                        "disclosedAt": now.to_rfc3339(),
                        "setting": "COMMUNITY", "contactType": "CONTACT",
                        "description": "Benchmark: synthetic RED behaviour",
                        "continuum": "VIOLENT", "indicators": ["FORCE"], "trafficLight": "RED",
                    });
                    let data = writer
                        .send(
                            &tokens.get(i),
                            ops::RECORD_BEHAVIOUR,
                            json!({ "input": input }),
                        )
                        .await?;
                    if data["recordBehaviour"]["escalated"] != Value::Bool(true) {
                        return Err(CallError::Failed("a RED behaviour did not escalate".into()));
                    }
                    Ok(())
                }
            })
        }
        Op::UpdateAction => {
            let settings = settings.clone();
            let writer = writer.clone();
            call(move |_| {
                let (writer, actions, settings) =
                    (writer.clone(), actions.clone(), settings.clone());
                async move {
                    let next = actions.lock().ok().and_then(|mut q| q.pop_front());
                    let Some((action, version, code)) = next else {
                        return Err(CallError::Exhausted);
                    };
                    let token = settings
                        .mint(&practitioner(&code, 1), &code, &["PRACTITIONER"])
                        .map_err(failed)?;
                    let input = json!({ "actionId": global_id("PlanAction", action),
                                        "status": "IN_PROGRESS", "expectedVersion": version });
                    writer
                        .send_ok(&token, ops::UPDATE_ACTION, json!({ "input": input }))
                        .await
                }
            })
        }
        Op::Report => {
            let tokens = Arc::new(Tokens::new(
                settings,
                &targets.any_agency,
                &["STRATEGIC_ANALYST"],
                16,
            )?);
            call(move |i| {
                let (gql, token) = (gql.clone(), tokens.get(i));
                async move { gql.send_ok(&token, ops::REPORT, ops::report_year()).await }
            })
        }
        Op::Fanout | Op::Memory | Op::SqlCaseload | Op::SqlChildView | Op::Postgraphile => {
            anyhow::bail!("{} is not an HTTP operation", op.name())
        }
    })
}

/// A plan's coordinator token and ids, for the writers.
struct PlanWriter {
    plan: String,
    lead: String,
    token: String,
}

fn plan_writers(options: &RunOptions, targets: &Targets) -> anyhow::Result<Arc<Vec<PlanWriter>>> {
    let writers = targets
        .plans
        .iter()
        .map(|(plan, lead_id, lead, _)| {
            Ok(PlanWriter {
                plan: global_id("JointPlan", *plan),
                lead: global_id("Agency", *lead_id),
                token: options
                    .tokens
                    .mint(&practitioner(lead, 1), lead, &CASE_ROLES)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    anyhow::ensure!(!writers.is_empty(), "no active plan for the fan-out");
    Ok(Arc::new(writers))
}

/// Adds an action to plan `i % plans`; returns its id and when the answer arrived.
async fn add_action(
    writer: &Gql,
    plans: &[PlanWriter],
    i: u64,
) -> Result<(usize, Uuid, Instant), CallError> {
    let p = (i as usize) % plans.len();
    let w = &plans[p];
    let input = json!({ "planId": w.plan, "assignedAgencyId": w.lead, "kind": "OTHER",
                        "description": format!("Benchmark action {i}") });
    let data = writer
        .send(&w.token, ops::ADD_ACTION, json!({ "input": input }))
        .await?;
    let answered = Instant::now();
    let id = data["addPlanAction"]["action"]["id"]
        .as_str()
        .and_then(|id| {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(id)
                .ok()
        })
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|raw| {
            raw.split_once(':')
                .and_then(|(_, id)| Uuid::parse_str(id).ok())
        })
        .ok_or_else(|| CallError::Failed("addPlanAction returned no action id".into()))?;
    Ok((p, id, answered))
}

async fn fanout(
    options: &RunOptions,
    gql: &Gql,
    writer: &Gql,
    targets: &Targets,
    report: &mut Report,
) -> anyhow::Result<()> {
    let _ = gql;
    let plans = plan_writers(options, targets)?;
    let bounds = Bounds {
        duration: Duration::from_secs(options.duration),
        max_requests: options.max_requests,
    };
    // The writers alone.
    let quiet_call = {
        let (writer, plans) = (writer.clone(), plans.clone());
        call(move |i| {
            let (writer, plans) = (writer.clone(), plans.clone());
            async move { add_action(&writer, &plans, i).await.map(|_| ()) }
        })
    };
    let mut quiet = load::saturate("fanout-writers", quiet_call, options.writers, bounds).await;
    quiet.mode = format!("conc {}, no subscribers", options.writers);
    report.rows.push(quiet);
    // Subscribers: each plan's are spread over its member agencies.
    let ws = subs::ws_url(&options.urls[0]);
    let stop = Instant::now() + Duration::from_secs(options.duration * 3 + 120);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let errors = Arc::new(Mutex::new(Vec::new()));
    let p = plans.len();
    let mut subscribers_of: Vec<Vec<usize>> = vec![Vec::new(); p];
    let opened: Vec<anyhow::Result<(usize, _)>> =
        futures_util::stream::iter(0..options.subscribers)
            .map(|s| {
                let plan = &targets.plans[s % p];
                let members = &plan.3;
                let agency = members[(s / p) % members.len().max(1)].clone();
                let token =
                    options
                        .tokens
                        .mint(&format!("bench-sub-{s}"), &agency, &["PRACTITIONER"]);
                let vars = json!({ "planId": global_id("JointPlan", plan.0) });
                let ws = ws.clone();
                async move {
                    let socket = subs::subscribe(&ws, &token?, ops::PLAN_EVENTS, vars).await?;
                    Ok((s, socket))
                }
            })
            .buffer_unordered(50)
            .collect()
            .await;
    let mut tasks = Vec::new();
    let mut open_errors = 0u64;
    let mut first_error = String::new();
    for result in opened {
        match result {
            Ok((s, socket)) => {
                subscribers_of[s % p].push(s);
                tasks.push(subs::drain(s, socket, tx.clone(), errors.clone(), stop));
            }
            Err(e) => {
                open_errors += 1;
                if first_error.is_empty() {
                    first_error = e.to_string();
                }
            }
        }
    }
    drop(tx);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mutations: Arc<Mutex<subs::Mutations>> = Arc::default();
    let busy_call = {
        let (writer, plans, mutations) = (writer.clone(), plans.clone(), mutations.clone());
        let subscribers_of = Arc::new(subscribers_of);
        call(move |i| {
            let (writer, plans, mutations, subscribers_of) = (
                writer.clone(),
                plans.clone(),
                mutations.clone(),
                subscribers_of.clone(),
            );
            async move {
                let (p, id, answered) = add_action(&writer, &plans, i).await?;
                if let Ok(mut m) = mutations.lock() {
                    m.insert(id, (subscribers_of[p].clone(), answered));
                }
                Ok(())
            }
        })
    };
    let mut busy = load::saturate("fanout-writers", busy_call, options.writers, bounds).await;
    busy.mode = format!("conc {}, {} subscribers", options.writers, tasks.len());
    // Wait for the deliveries to stop arriving (at most 30 s).
    let mut deliveries = Vec::new();
    let waited = Instant::now();
    while waited.elapsed() < Duration::from_secs(30) {
        match tokio::time::timeout(Duration::from_secs(3), rx.recv()).await {
            Ok(Some(d)) => deliveries.push(d),
            _ => break,
        }
    }
    for task in &tasks {
        task.abort();
    }
    let mutations = mutations.lock().map(|m| m.clone()).unwrap_or_default();
    let mut delivery = Row::new(
        "fanout-delivery",
        format!("{} subscribers / {p} plans", tasks.len()),
    );
    let result = subs::reconcile(&mutations, &deliveries, &mut delivery.hist);
    delivery.ok = result.expected - result.missing;
    let socket_errors = errors.lock().map(|e| e.clone()).unwrap_or_default();
    delivery.errors = result.missing + result.duplicated + open_errors + socket_errors.len() as u64;
    delivery.seconds = busy.seconds;
    delivery.note = format!(
        "expected {} missing {} duplicated {}; {} sockets failed to open {}{}",
        result.expected,
        result.missing,
        result.duplicated,
        open_errors,
        first_error,
        socket_errors
            .first()
            .map(|e| format!("; {e}"))
            .unwrap_or_default()
    );
    report.missing += result.missing;
    report.duplicated += result.duplicated;
    let (q, b) = (
        report.rows.last().map(|r| r.p50_ms()).unwrap_or_default(),
        busy.p50_ms(),
    );
    report.notes.push(format!(
        "fan-out: writers' p50 {b:.1} ms with subscribers vs {q:.1} ms without ({:.2}×); delivery from the mutation's answer p50 {:.1} ms p99 {:.1} ms",
        b / q.max(0.001),
        delivery.p50_ms(),
        delivery.hist.value_at_quantile(0.99) as f64 / 1000.0
    ));
    report.rows.push(busy);
    report.rows.push(delivery);
    Ok(())
}

fn port_of(url: &str) -> Option<u16> {
    url.rsplit(':').next()?.trim_end_matches('/').parse().ok()
}

/// The server's pid: given, or the process listening on the first URL's port.
fn server_pid(options: &RunOptions) -> Option<u32> {
    options
        .server_pid
        .or_else(|| port_of(&options.urls[0]).and_then(subs::pid_listening_on))
}

/// `VmRSS` and `RssAnon` of the server, in MB, when known.
type Measure = (Option<f64>, Option<f64>);

async fn memory(
    options: &RunOptions,
    gql: &Gql,
    targets: &Targets,
    rss_at_start: Option<(u64, u64)>,
    report: &mut Report,
) -> anyhow::Result<()> {
    let pid = server_pid(options);
    // Both measures of the server's memory, in MB: `VmRSS` and the process's own
    // (`RssAnon`, without the file pages it maps, such as SQLite's database).
    let measure = || -> Measure {
        let mb = |kb: Option<u64>| kb.map(|kb| kb as f64 / 1024.0);
        (
            mb(pid.and_then(subs::rss_kb)),
            mb(pid.and_then(subs::rss_anon_kb)),
        )
    };
    let before = measure();
    // The heaviest requests alone first (what the memory target is about), then again
    // after a burst of subscribers has come and gone.
    let heavy_alone = heaviest_requests(gql, options, targets).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_heavy_alone = measure();
    let ws = subs::ws_url(&options.urls[0]);
    let agencies: Vec<String> = targets
        .plans
        .iter()
        .map(|p| p.2.clone())
        .chain([targets.busiest_agency.clone()])
        .collect();
    let started = Instant::now();
    let opened: Vec<anyhow::Result<_>> = futures_util::stream::iter(0..options.idle_subscribers)
        .map(|s| {
            let agency = agencies[s % agencies.len()].clone();
            let token = options
                .tokens
                .mint(&format!("bench-idle-{s}"), &agency, &["PRACTITIONER"]);
            let ws = ws.clone();
            async move { subs::subscribe(&ws, &token?, ops::CASE_TEAM_EVENTS, json!({})).await }
        })
        .buffer_unordered(100)
        .collect()
        .await;
    let mut row = Row::new(
        "memory",
        format!("{} idle subscriptions", options.idle_subscribers),
    );
    let mut sockets = Vec::new();
    for result in opened {
        match result {
            Ok(socket) => sockets.push(socket),
            Err(e) => {
                row.errors += 1;
                if row.note.is_empty() {
                    row.note = format!("{e}; ");
                }
            }
        }
    }
    row.ok = sockets.len() as u64;
    row.seconds = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let with_subscribers = measure();
    drop(sockets);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let closed = measure();
    let heavy_again = heaviest_requests(gql, options, targets).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_heavy = measure();
    for (failed, first) in [heavy_alone, heavy_again] {
        row.errors += failed;
        if let Some(first) = first {
            row.note.push_str(&format!(
                "{failed} of the heaviest requests failed, so the figures after them are not valid: {first}; "
            ));
        }
    }
    let mb = |v: Option<f64>| {
        v.map(|v| format!("{v:.1} MB"))
            .unwrap_or_else(|| "unknown".into())
    };
    let times = |v: Option<f64>, idle: Option<f64>| match (v, idle) {
        (Some(v), Some(idle)) if idle > 0.0 => format!(" ({:.2}×)", v / idle),
        _ => String::new(),
    };
    let each = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if row.ok > 0 => {
            format!(" ({:.1} KB each)", (b - a) * 1024.0 / row.ok as f64)
        }
        _ => String::new(),
    };
    let line = |pick: fn(Measure) -> Option<f64>| {
        let idle = pick(before);
        format!(
            "{} idle, {} after the heaviest requests{}, {} with {} subscribers{}, {} after they closed, {} after the heaviest requests again{}",
            mb(idle),
            mb(pick(after_heavy_alone)),
            times(pick(after_heavy_alone), idle),
            mb(pick(with_subscribers)),
            row.ok,
            each(pick(after_heavy_alone), pick(with_subscribers)),
            mb(pick(closed)),
            mb(pick(after_heavy)),
            times(pick(after_heavy), idle),
        )
    };
    row.note.push_str(&format!(
        "RSS {} when the run began; {}; of which the process's own (RssAnon): {} (pid {})",
        mb(rss_at_start.map(|(kb, _)| kb as f64 / 1024.0)),
        line(|m| m.0),
        line(|m| m.1),
        pid.map(|p| p.to_string())
            .unwrap_or_else(|| "not found: pass --server-pid".into()),
    ));
    report.notes.push(format!("memory: {}", row.note));
    report.rows.push(row);
    Ok(())
}

/// The heaviest requests: the busiest agency's overdue dashboard (a page of 100), the
/// report over a year and the caseload at its largest page. Returns the first failure's
/// message and how many failed, so that a figure taken after a refused request is not
/// read as one taken after the work.
async fn heaviest_requests(
    gql: &Gql,
    options: &RunOptions,
    targets: &Targets,
) -> anyhow::Result<(u64, Option<String>)> {
    let token = options.tokens.mint(
        &practitioner(&targets.busiest_agency, 1),
        &targets.busiest_agency,
        &["PRACTITIONER"],
    )?;
    let analyst = options.tokens.mint(
        "bench-analyst-1",
        &targets.any_agency,
        &["STRATEGIC_ANALYST"],
    )?;
    let results = [
        gql.send(&token, ops::OVERDUE_CONNECTION, json!({ "first": 100 }))
            .await,
        gql.send(&analyst, ops::REPORT, ops::report_year()).await,
        gql.send(&token, ops::CASELOAD, json!({ "first": 100 }))
            .await,
    ];
    let failed = results.iter().filter(|result| result.is_err()).count() as u64;
    let first = results
        .into_iter()
        .find_map(|result| result.err())
        .map(|error| match error {
            CallError::Failed(message) => message,
            CallError::Exhausted => "nothing left to act on".to_owned(),
        });
    Ok((failed, first))
}
