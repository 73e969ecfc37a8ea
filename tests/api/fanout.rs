//! Fan-out at partnership scale (`docs/integrating.md`): many subscribers over many plans, with
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
