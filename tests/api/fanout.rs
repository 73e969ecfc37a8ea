//! Fan-out at partnership scale (DESIGN §6.3): many subscribers over many plans, with
//! writers running concurrently, each get exactly the events they may see, once, in
//! order; and the outbox is read once per commit, not once per subscriber.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use api::app::{Pools, ServerOptions, connect_pool};
use api::http::throttle::Rate;
use entity::plan_events;
use futures_util::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::fixture::{self, Fixture};
use crate::helpers::plans::{active_plan, add_assessment, seq};
use crate::helpers::{Keys, TestActor, TestApp, backends, spawn_app_with_pools, uuid_of};
use crate::ws_client::GqlSocket;

const PLAN_EVENTS: &str = "subscription($plan: ID!, $after: String) { planEvents(planId: $plan, after: $after) { seq kind planId } }";
const CASE_TEAM_EVENTS: &str =
    "subscription($after: String) { caseTeamEvents(after: $after) { seq kind planId } }";

/// How many plans, and the member besides social care (the lead) of each, in turn.
const PLANS: usize = 20;
const MEMBERS: [&str; 5] = ["school", "police", "camhs", "yjs", "health"];
/// `caseTeamEvents` subscribers per agency; "partnership" is on no case team.
const CASE_TEAM: [(&str, usize); 7] = [
    ("csc", 20),
    ("police", 15),
    ("school", 15),
    ("camhs", 10),
    ("yjs", 10),
    ("health", 5),
    ("partnership", 5),
];
/// Concurrent writers, and the actions each adds.
const WRITERS: usize = 4;
const WRITES: usize = 12;

/// What one subscriber asks for.
struct Spec {
    actor: TestActor,
    /// `planEvents` of this plan (an index into the plans), or `caseTeamEvents`.
    plan: Option<usize>,
}

/// Statements run through the subscription pool, by what they read.
#[derive(Default)]
struct Statements {
    /// The relay's reads of new events.
    outbox_reads: AtomicU64,
    /// Subscribers' replays (`seq` up to the relay's position).
    replays: AtomicU64,
    /// Reach loads (the plans an agency reads).
    reach_loads: AtomicU64,
}

impl Statements {
    fn count(&self, sql: &str) {
        if sql.contains("FROM \"plan_events\"") && sql.contains("ORDER BY") {
            if sql.contains("<=") {
                self.replays.fetch_add(1, Ordering::Relaxed);
            } else {
                self.outbox_reads.fetch_add(1, Ordering::Relaxed);
            }
        } else if sql.contains("FROM \"joint_plans\"") {
            self.reach_loads.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn snapshot(&self) -> [u64; 3] {
        [
            self.outbox_reads.load(Ordering::Relaxed),
            self.replays.load(Ordering::Relaxed),
            self.reach_loads.load(Ordering::Relaxed),
        ]
    }
}

fn open_limits() -> ServerOptions {
    ServerOptions {
        rate_per_subject: Rate::OFF,
        rate_per_address: Rate::OFF,
        max_connections_per_address: 0,
        ..ServerOptions::default()
    }
}

fn specs() -> Vec<Spec> {
    let mut specs = Vec::new();
    let mut n = 0;
    let mut actor = |agency: &str| {
        n += 1;
        TestActor {
            sub: format!("fan-{n}-{agency}"),
            agency: agency.into(),
            roles: vec!["PRACTITIONER".into()],
        }
    };
    for plan in 0..PLANS {
        for agency in ["csc", MEMBERS[plan % MEMBERS.len()]] {
            for _ in 0..3 {
                specs.push(Spec {
                    actor: actor(agency),
                    plan: Some(plan),
                });
            }
        }
    }
    for (agency, count) in CASE_TEAM {
        for _ in 0..count {
            specs.push(Spec {
                actor: actor(agency),
                plan: None,
            });
        }
    }
    specs
}

/// Twenty plans, each led by social care with one other member.
async fn plans(app: &TestApp, f: &Fixture) -> Vec<String> {
    let mut plans = Vec::new();
    for n in 0..PLANS {
        let letter = char::from(b'A' + u8::try_from(n).expect("few plans"));
        let child = fixture::register(app, &format!("Fan{letter}")).await;
        let member = MEMBERS[n % MEMBERS.len()];
        plans.push(active_plan(app, f, &child, &[member]).await.0);
    }
    plans
}

/// The `seq`s after `after` that `spec` may see, from the outbox itself.
fn expected(spec: &Spec, plans: &[String], f: &Fixture, events: &[plan_events::Model]) -> Vec<i64> {
    let agency = f.agency(&spec.actor.agency);
    let plan_ids: Vec<Uuid> = plans.iter().map(|plan| uuid_of(plan)).collect();
    let member_of: HashSet<Uuid> = plan_ids
        .iter()
        .enumerate()
        .filter(|(n, _)| {
            spec.actor.agency == "csc" || spec.actor.agency == MEMBERS[n % MEMBERS.len()]
        })
        .map(|(_, id)| *id)
        .collect();
    events
        .iter()
        .filter(|event| match spec.plan {
            Some(n) => event.plan_id == Some(plan_ids[n]),
            None => {
                event.plan_id.is_some_and(|plan| member_of.contains(&plan))
                    || event.audience.0.contains(&agency)
            }
        })
        .map(|event| event.seq)
        .collect()
}

async fn open(app: &TestApp, spec: &Spec, plans: &[String], after: i64) -> GqlSocket {
    let mut socket = GqlSocket::open(&app.ws_url(), &spec.actor.token()).await;
    let after = after.to_string();
    match spec.plan {
        Some(n) => {
            socket
                .subscribe(
                    "s",
                    PLAN_EVENTS,
                    json!({ "plan": plans[n], "after": after }),
                )
                .await;
        }
        None => {
            socket
                .subscribe("s", CASE_TEAM_EVENTS, json!({ "after": after }))
                .await;
        }
    }
    socket
}

/// Reads `count` events, then everything queued before a pong; returns their `seq`s.
async fn receive(mut socket: GqlSocket, count: usize) -> Vec<i64> {
    let mut seqs = Vec::new();
    while seqs.len() < count {
        let data = socket.next_data("s").await;
        let event = data
            .get("planEvents")
            .or_else(|| data.get("caseTeamEvents"))
            .expect("an event");
        seqs.push(seq(event));
    }
    // Anything else already queued is an event it should not have had.
    for extra in socket.drain_until_pong().await {
        let data = &extra["payload"]["data"];
        let event = data
            .get("planEvents")
            .or_else(|| data.get("caseTeamEvents"));
        seqs.push(event.map_or(-1, seq));
    }
    socket.close().await;
    seqs
}

#[tokio::test]
async fn two_hundred_subscribers_over_twenty_plans_each_get_exactly_their_events_once() {
    for backend in backends() {
        let statements = Arc::new(Statements::default());
        let counter = Arc::clone(&statements);
        let app = spawn_app_with_pools(backend, Keys::Hs256, open_limits(), |url| async move {
            let mut subscriptions = connect_pool(&url, 3).await.expect("subscription pool");
            subscriptions.set_metric_callback(move |info| counter.count(&info.statement.sql));
            Pools {
                subscriptions: Some(subscriptions),
                read: None,
            }
        })
        .await;
        let f = fixture::build(&app).await;
        let plans = plans(&app, &f).await;
        let after = api::events::max_seq(&app.db).await.expect("max seq");
        let specs = specs();
        // Four in five subscribe before the writers start; the rest while they write,
        // replaying what they missed and then going live.
        let mut early = Vec::new();
        for spec in specs.iter().enumerate().filter(|(n, _)| n % 5 != 0) {
            early.push((spec.1, open(&app, spec.1, &plans, after).await));
        }
        let [reads_before, _, loads_before] = statements.snapshot();
        let writers = (0..WRITERS).map(|w| {
            let (app, f, plans) = (&app, &f, &plans);
            async move {
                for n in 0..WRITES {
                    add_assessment(app, f, &plans[(w * 7 + n * 3) % PLANS]).await;
                }
            }
        });
        let late_openers = async {
            let mut late = Vec::new();
            for spec in specs.iter().enumerate().filter(|(n, _)| n % 5 == 0) {
                late.push((spec.1, open(&app, spec.1, &plans, after).await));
            }
            late
        };
        let (_, late) = tokio::join!(join_all(writers), late_openers);

        let events: Vec<plan_events::Model> = plan_events::Entity::find()
            .filter(plan_events::Column::Seq.gt(after))
            .filter(plan_events::Column::Kind.ne("CASE_TEAM_CHANGED"))
            .order_by_asc(plan_events::Column::Seq)
            .all(&app.db)
            .await
            .expect("events");
        assert_eq!(events.len(), WRITERS * WRITES, "one event per write");
        let subscribers = early.len() + late.len();
        let received = join_all(early.into_iter().chain(late).map(|(spec, socket)| {
            let want = expected(spec, &plans, &f, &events);
            async move { (spec, want.clone(), receive(socket, want.len()).await) }
        }))
        .await;
        for (spec, want, got) in &received {
            assert_eq!(
                got, want,
                "{} ({:?}) on {:?}: every event it may see, once, in order, and nothing else",
                spec.actor.sub, spec.plan, app.backend
            );
        }
        assert!(
            received.iter().any(|(_, want, _)| want.is_empty()),
            "an agency on no case team is among the subscribers"
        );

        let [reads_after, replays, loads_after] = statements.snapshot();
        let reads = reads_after - reads_before;
        let loads = loads_after - loads_before;
        let writes = u64::try_from(WRITERS * WRITES).expect("small");
        eprintln!(
            "{:?}: {subscribers} subscribers, {writes} commits: {reads} outbox reads, \
             {replays} replays, {loads} reach loads",
            app.backend
        );
        match app.backend {
            // NOTIFY is per database: exactly this test's commits wake the relay.
            crate::helpers::Backend::Postgres(_) => {
                assert!(
                    reads <= writes + 2,
                    "{reads} outbox reads for {writes} commits"
                );
            }
            // Every commit of the test process wakes every SQLite relay in it, so other
            // tests add reads; still nothing like one read per subscriber per commit.
            crate::helpers::Backend::Sqlite => {
                let per_subscriber = writes * u64::try_from(subscribers).expect("small");
                assert!(reads < per_subscriber / 10, "{reads} outbox reads");
            }
        }
        assert!(
            loads <= 2 * u64::try_from(CASE_TEAM.len()).expect("small"),
            "reaches are loaded per agency, not per subscriber or commit: {loads}"
        );
    }
}

/// The resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Measures what one idle subscriber (a WebSocket with one `planEvents` subscription)
/// costs a `concord serve` process: run by hand, it prints and asserts nothing.
///
/// `CONCORD_MEASURE_SUBSCRIBERS` (default 2000) sets how many sockets,
/// `CONCORD_MEASURE_PER_SOCKET` (default 1; 0 for the bare connection) how many
/// subscriptions each runs, and `CONCORD_MEASURE_BINARY` measures another build of
/// `concord` (a release build, or the code before a change).
#[tokio::test]
#[ignore = "a measurement, run by hand"]
async fn measure_idle_subscriber_memory() {
    use crate::helpers::process::Server;
    use crate::helpers::{AUDIENCE, Backend, ISSUER, SECRET, spawn_app};
    let count: usize = std::env::var("CONCORD_MEASURE_SUBSCRIBERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    // Subscriptions per socket: 0 measures the connection alone.
    let per_socket: usize = std::env::var("CONCORD_MEASURE_PER_SOCKET")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let app = spawn_app(Backend::Sqlite, Keys::Hs256).await;
    let f = fixture::build(&app).await;
    let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
    let binary = std::env::var("CONCORD_MEASURE_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_concord").to_owned());
    let mut command = std::process::Command::new(binary);
    command.arg("serve").env_clear();
    for (key, value) in [
        ("CONCORD_DATABASE_URL", app.database_url.as_str()),
        ("CONCORD_JWT_SECRET", SECRET),
        ("CONCORD_JWT_ISSUER", ISSUER),
        ("CONCORD_JWT_AUDIENCE", AUDIENCE),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
        ("CONCORD_WORKERS", "2"),
        ("CONCORD_RATE_LIMIT_PER_SUBJECT", "0"),
        ("CONCORD_RATE_LIMIT_PER_ADDRESS", "0"),
        ("CONCORD_MAX_CONNECTIONS_PER_ADDRESS", "0"),
        ("CONCORD_MAX_CONNECTIONS", "100000"),
        ("CONCORD_MAX_SUBSCRIPTIONS_PER_CONNECTION", "20"),
        ("RUST_LOG", "warn,api::cli=info"),
    ] {
        command.env(key, value);
    }
    let server = Server::spawn(command);
    let url = server.ws_url();
    let open = |n: usize| {
        let (url, plan) = (url.clone(), plan.clone());
        async move {
            let actor = TestActor {
                sub: format!("idle-{n}"),
                agency: "school".into(),
                roles: vec!["PRACTITIONER".into()],
            };
            let mut socket = GqlSocket::open(&url, &actor.token()).await;
            for id in 0..per_socket {
                socket
                    .subscribe(&id.to_string(), PLAN_EVENTS, json!({ "plan": plan }))
                    .await;
            }
            // Everything before the pong has been handled: the subscription runs.
            assert!(socket.drain_until_pong().await.is_empty());
            socket
        }
    };
    // Warm up the allocator, the pools and the hub with a few, then measure the rest.
    let mut sockets = Vec::new();
    for n in 0..50 {
        sockets.push(open(n).await);
    }
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let before = rss_kib(server.pid());
    for chunk in (50..50 + count).collect::<Vec<_>>().chunks(100) {
        sockets.extend(join_all(chunk.iter().map(|n| open(*n))).await);
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let after = rss_kib(server.pid());
    eprintln!(
        "{count} sockets with {per_socket} subscription(s) each: RSS {before} KiB -> {after} KiB, \
         {:.1} KiB per socket",
        (after.saturating_sub(before)) as f64 / count as f64
    );
    for socket in sockets {
        socket.close().await;
    }
}

/// Measures a mutation's p50 alone and with 1,000 live subscribers over 200 plans, and
/// how long events take from the mutation's answer to a subscriber: run by hand, it prints
/// and asserts nothing. PostgreSQL when `CONCORD_TEST_DATABASE_URL` is set; set
/// `CONCORD_MEASURE_BINARY` to measure a release build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, run by hand"]
async fn measure_mutation_latency_with_a_thousand_subscribers() {
    use std::time::Instant;

    use crate::helpers::process::Server;
    use crate::helpers::{AUDIENCE, ISSUER, SECRET};
    const PLANS: usize = 200;
    const PER_PLAN: usize = 5;
    const SAMPLES: usize = 60;
    let backend = backends().pop().expect("a backend");
    let app = crate::helpers::spawn_app_with(backend, Keys::Hs256, open_limits()).await;
    let f = fixture::build(&app).await;
    let mut plans = Vec::new();
    for n in 0..PLANS {
        let child = fixture::register(&app, &format!("Load{}", n_to_letters(n))).await;
        let member = MEMBERS[n % MEMBERS.len()];
        plans.push((active_plan(&app, &f, &child, &[member]).await.0, member));
    }
    let binary = std::env::var("CONCORD_MEASURE_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_concord").to_owned());
    let mut command = std::process::Command::new(binary);
    command.arg("serve").env_clear();
    for (key, value) in [
        ("CONCORD_DATABASE_URL", app.database_url.as_str()),
        ("CONCORD_JWT_SECRET", SECRET),
        ("CONCORD_JWT_ISSUER", ISSUER),
        ("CONCORD_JWT_AUDIENCE", AUDIENCE),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
        ("CONCORD_WORKERS", "2"),
        ("CONCORD_RATE_LIMIT_PER_SUBJECT", "0"),
        ("CONCORD_RATE_LIMIT_PER_ADDRESS", "0"),
        ("CONCORD_MAX_CONNECTIONS_PER_ADDRESS", "0"),
        ("RUST_LOG", "warn,api::cli=info"),
    ] {
        command.env(key, value);
    }
    let server = Server::spawn(command);
    let client = reqwest::Client::new();
    let token = TestActor::coordinator("csc").token();
    let write =
        |plan: String| {
            let (client, url, token, csc) = (
                client.clone(),
                server.http("/graphql"),
                token.clone(),
                f.agency_gid("csc"),
            );
            async move {
                let started = Instant::now();
                let response: serde_json::Value = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": crate::helpers::plans::ADD_ACTION, "variables": { "input": {
                    "planId": plan, "assignedAgencyId": csc, "kind": "ASSESSMENT",
                    "description": "Synthetic load" } } }))
                .send()
                .await
                .expect("request")
                .json()
                .await
                .expect("json");
                assert!(response["errors"].is_null(), "{response}");
                (started.elapsed(), Instant::now())
            }
        };
    let p50 = |mut samples: Vec<std::time::Duration>| {
        samples.sort();
        samples[samples.len() / 2]
    };
    // Warm the server's pools and caches first.
    for n in 0..20 {
        write(plans[n % PLANS].0.clone()).await;
    }
    let mut alone = Vec::new();
    for n in 0..SAMPLES {
        alone.push(write(plans[n % PLANS].0.clone()).await.0);
    }
    // 1,000 subscribers: five per plan, social care's and the member's practitioners.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    let mut readers = Vec::new();
    for (n, (plan, member)) in plans.iter().enumerate() {
        for k in 0..PER_PLAN {
            let agency = if k % 2 == 0 { "csc" } else { *member };
            let actor = TestActor {
                sub: format!("load-{n}-{k}"),
                agency: agency.into(),
                roles: vec!["PRACTITIONER".into()],
            };
            let mut socket = GqlSocket::open(&server.ws_url(), &actor.token()).await;
            socket
                .subscribe("s", PLAN_EVENTS, json!({ "plan": plan }))
                .await;
            assert!(socket.drain_until_pong().await.is_empty());
            let tx = tx.clone();
            readers.push(tokio::spawn(async move {
                // Idle for as long as the measurement runs; ends with the test.
                loop {
                    let frame = socket
                        .raw_within(std::time::Duration::from_secs(3600))
                        .await;
                    let Ok(text) = frame.to_text() else { continue };
                    let Ok(message) = serde_json::from_str::<serde_json::Value>(text) else {
                        continue;
                    };
                    if message["type"] == "ping" {
                        socket.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    let plan = message["payload"]["data"]["planEvents"]["planId"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    if tx.send((plan, Instant::now())).is_err() {
                        return;
                    }
                }
            }));
        }
    }
    let mut loaded = Vec::new();
    let mut delivery = Vec::new();
    for n in 0..SAMPLES {
        let plan = plans[(n * 7) % PLANS].0.clone();
        let (took, answered) = write(plan.clone()).await;
        loaded.push(took);
        // Every subscriber of the plan hears of it; how long after the answer?
        let mut heard = 0;
        while heard < PER_PLAN {
            let (of, at) = rx.recv().await.expect("an event");
            if of == plan {
                heard += 1;
                delivery.push(at.saturating_duration_since(answered));
            }
        }
    }
    for reader in readers {
        reader.abort();
    }
    delivery.sort();
    let p99 = delivery[delivery.len() * 99 / 100];
    eprintln!(
        "{:?}: addPlanAction p50 alone {:?}, with {} subscribers {:?}; delivery after the \
         answer p50 {:?} p99 {:?}",
        app.backend,
        p50(alone),
        PLANS * PER_PLAN,
        p50(loaded),
        delivery[delivery.len() / 2],
        p99
    );
}

/// `n` as letters (names take no digits).
fn n_to_letters(mut n: usize) -> String {
    let mut letters = String::new();
    loop {
        letters.push(char::from(b'a' + u8::try_from(n % 26).expect("below 26")));
        n /= 26;
        if n == 0 {
            return letters;
        }
    }
}
