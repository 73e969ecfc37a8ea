//! Several `concord` processes on one PostgreSQL (`docs/integrating.md`, `docs/operating.md`): LISTEN/NOTIFY fan-out,
//! restart and resume, and a lost LISTEN connection. These need PostgreSQL, so they run
//! for the `CONCORD_TEST_DATABASE_URL` backend (which `.ci/run` always provides).

use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::plans::{ADD_ACTION, active_plan, add_assessment, seq};
use crate::helpers::process::Server;
use crate::helpers::{AUDIENCE, Backend, ISSUER, Keys, SECRET, TestActor, backends, spawn_app};
use crate::ws_client::GqlSocket;

const PLAN_EVENTS: &str = "subscription($plan: ID!, $after: String) { planEvents(planId: $plan, after: $after) { seq kind } }";

/// A `concord serve` process on the test's database.
struct Instance {
    server: Server,
}

impl Instance {
    fn start(database_url: &str) -> Self {
        let server = Server::start(&[
            ("CONCORD_DATABASE_URL", database_url),
            ("CONCORD_JWT_SECRET", SECRET),
            ("CONCORD_JWT_ISSUER", ISSUER),
            ("CONCORD_JWT_AUDIENCE", AUDIENCE),
            ("CONCORD_LISTEN", "127.0.0.1:0"),
            ("CONCORD_DESIGNATED_SOCIAL_CARE", "csc"),
            ("CONCORD_DESIGNATED_POLICE", "police"),
            ("CONCORD_WORKERS", "1"),
        ]);
        Self { server }
    }

    fn ws_url(&self) -> String {
        format!("ws://{}/graphql", self.server.addr)
    }

    async fn gql(&self, actor: &TestActor, query: &str, variables: Value) -> Value {
        reqwest::Client::new()
            .post(format!("http://{}/graphql", self.server.addr))
            .bearer_auth(actor.token())
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    }

    /// Stops the process at once, as a crash would.
    fn kill(self) {
        drop(self.server);
    }
}

#[tokio::test]
async fn an_event_written_through_one_instance_reaches_a_subscriber_on_another_and_survives_a_restart()
 {
    for backend in backends() {
        let Backend::Postgres(_) = backend else {
            continue;
        };
        let app = spawn_app(backend, Keys::Hs256).await;
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let first = Instance::start(&app.database_url);
        let second = Instance::start(&app.database_url);
        let coordinator = TestActor::coordinator("csc");
        let school = TestActor::practitioner("school");
        let action = |n: usize| json!({ "input": { "planId": plan, "assignedAgencyId": f.agency_gid("csc"), "kind": "ASSESSMENT", "description": format!("Synthetic {n}") } });

        let mut socket = GqlSocket::open(&second.ws_url(), &school.token()).await;
        socket
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let written = first.gql(&coordinator, ADD_ACTION, action(0)).await;
        assert!(written["errors"].is_null(), "{written}");
        let event = socket.next_data("1").await["planEvents"].clone();
        assert_eq!(event["kind"], "ACTION_ADDED");
        let mut last = seq(&event);

        // Instance 2 dies while writes go on through instance 1.
        second.kill();
        const WHILE_DOWN: usize = 6;
        for n in 1..=WHILE_DOWN {
            let written = first.gql(&coordinator, ADD_ACTION, action(n)).await;
            assert!(written["errors"].is_null(), "{written}");
        }
        let restarted = Instance::start(&app.database_url);
        let mut socket = GqlSocket::open(&restarted.ws_url(), &school.token()).await;
        socket
            .subscribe(
                "2",
                PLAN_EVENTS,
                json!({ "plan": plan, "after": last.to_string() }),
            )
            .await;
        for _ in 0..WHILE_DOWN {
            let event = socket.next_data("2").await["planEvents"].clone();
            assert_eq!(event["kind"], "ACTION_ADDED");
            assert!(seq(&event) > last, "in order, no duplicate");
            last = seq(&event);
        }
        // Live again across instances.
        first.gql(&coordinator, ADD_ACTION, action(99)).await;
        let event = socket.next_data("2").await["planEvents"].clone();
        assert!(seq(&event) > last);
        socket.close().await;
        drop(restarted);
        drop(first);
    }
}

#[tokio::test]
async fn a_lost_listen_connection_reconnects_and_catches_up_without_losing_events() {
    for backend in backends() {
        let Backend::Postgres(_) = backend else {
            continue;
        };
        let app = spawn_app(backend, Keys::Hs256).await;
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let mut socket =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        socket
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let killed = app
            .db
            .execute_unprepared(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND query LIKE 'LISTEN%'",
            )
            .await
            .expect("terminate");
        assert!(
            killed.rows_affected() >= 1,
            "the LISTEN connection was found"
        );
        const WRITES: usize = 5;
        for _ in 0..WRITES {
            add_assessment(&app, &f, &plan).await;
        }
        let mut last = 0;
        for _ in 0..WRITES {
            let event = socket.next_data("1").await["planEvents"].clone();
            assert!(seq(&event) > last);
            last = seq(&event);
        }
        socket.close().await;
    }
}
