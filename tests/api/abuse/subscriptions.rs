//! Subscriptions per socket and per subject: over the limit an operation gets the
//! protocol's error for its id, audited, and the socket stays open; a completed or closed
//! subscription frees its slot.

use std::time::Duration;

use api::app::ServerOptions;
use entity::audit_events;
use entity::enums::{AgencyKind, AuditOutcome};
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
use serde_json::{Value, json};

use super::unlimited;
use crate::helpers::{Keys, TestActor, TestApp, backends, spawn_app_with};
use crate::ws_client::{GqlSocket, LEGACY};

const CASE_TEAM_EVENTS: &str = "subscription { caseTeamEvents { seq kind } }";

async fn apps(options: ServerOptions) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for backend in backends() {
        let app = spawn_app_with(backend, Keys::Hs256, options.clone()).await;
        app.add_agency("school", AgencyKind::Education).await;
        apps.push(app);
    }
    apps
}

/// Subscribes and asserts the server takes it: nothing (no error) comes back before a pong.
async fn accepted(socket: &mut GqlSocket, id: &str) {
    socket.subscribe(id, CASE_TEAM_EVENTS, json!({})).await;
    let before = socket.drain_until_pong().await;
    assert!(before.is_empty(), "{id}: {before:?}");
}

/// Subscribes and returns the `error` that refuses it.
async fn refused(socket: &mut GqlSocket, id: &str) -> Value {
    socket.subscribe(id, CASE_TEAM_EVENTS, json!({})).await;
    let message = socket.recv().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(message["id"], id, "{message}");
    message["payload"][0]["extensions"].clone()
}

/// The denied `SUBSCRIBE` rows of `subject`, waiting a little for them: they are written
/// after the answer.
async fn denied_subscribes(
    app: &TestApp,
    subject: &str,
    expected: usize,
) -> Vec<audit_events::Model> {
    for _ in 0..50 {
        let rows = audit_events::Entity::find()
            .filter(audit_events::Column::ActorSubject.eq(subject))
            .filter(audit_events::Column::Action.eq("SUBSCRIBE"))
            .filter(audit_events::Column::Outcome.eq(AuditOutcome::Denied))
            .all(&app.db)
            .await
            .expect("audit rows");
        if rows.len() >= expected {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expected {expected} denied SUBSCRIBE rows for {subject}");
}

#[tokio::test]
async fn a_socket_runs_at_most_its_limit_of_subscriptions_and_a_completed_one_frees_its_slot() {
    let options = ServerOptions {
        max_subscriptions_per_connection: 3,
        ..unlimited()
    };
    for app in apps(options).await {
        let actor = TestActor::practitioner("school");
        let mut socket = GqlSocket::open(&app.ws_url(), &actor.token()).await;
        for id in ["1", "2", "3"] {
            accepted(&mut socket, id).await;
        }
        let extensions = refused(&mut socket, "4").await;
        assert_eq!(extensions["code"], "LIMIT_EXCEEDED", "{extensions}");
        assert_eq!(extensions["limit"], 3);
        assert_eq!(extensions["connectionSubscriptions"], 3);

        // Queries are not subscriptions: they still run on the full socket.
        socket.subscribe("q", "{ me { name } }", json!({})).await;
        assert_eq!(
            socket.next_data("q").await["me"]["name"],
            "Test practitioner-school"
        );
        assert_eq!(socket.recv().await["type"], "complete");

        // Completing one frees its slot.
        socket.send(json!({ "id": "2", "type": "complete" })).await;
        accepted(&mut socket, "5").await;
        refused(&mut socket, "6").await;

        let rows = denied_subscribes(&app, &actor.sub, 2).await;
        assert!(
            rows.iter().all(|r| r
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("subscriptions"))),
            "{rows:?}"
        );

        // Another socket of the same subject has slots of its own.
        let mut second = GqlSocket::open(&app.ws_url(), &actor.token()).await;
        accepted(&mut second, "1").await;
        socket.close().await;
        second.close().await;
    }
}

#[tokio::test]
async fn a_subject_runs_at_most_its_limit_over_all_its_sockets_and_a_closed_socket_frees_its_slots()
{
    let options = ServerOptions {
        max_subscriptions_per_subject: 2,
        ..unlimited()
    };
    for app in apps(options).await {
        let actor = TestActor::practitioner("school");
        let mut first = GqlSocket::open(&app.ws_url(), &actor.token()).await;
        accepted(&mut first, "1").await;
        let mut second = GqlSocket::open(&app.ws_url(), &actor.token()).await;
        accepted(&mut second, "1").await;

        let extensions = refused(&mut second, "2").await;
        assert_eq!(extensions["code"], "LIMIT_EXCEEDED", "{extensions}");
        assert_eq!(extensions["limit"], 2);
        assert_eq!(extensions["subjectSubscriptions"], 2);
        // The legacy protocol refuses with its own `error`, on a socket that stays open.
        let mut legacy = GqlSocket::connect(&app.ws_url(), LEGACY).await;
        legacy
            .init(json!({ "Authorization": format!("Bearer {}", actor.token()) }))
            .await;
        assert_eq!(legacy.recv().await["type"], "connection_ack");
        legacy
            .send(json!({ "id": "a", "type": "start", "payload": { "query": CASE_TEAM_EVENTS } }))
            .await;
        let message = legacy.recv().await;
        assert_eq!(message["type"], "error", "{message}");
        assert_eq!(message["id"], "a");
        assert_eq!(message["payload"]["extensions"]["code"], "LIMIT_EXCEEDED");

        // Another subject is not affected.
        let mut other =
            GqlSocket::open(&app.ws_url(), &TestActor::agency_lead("school").token()).await;
        accepted(&mut other, "1").await;
        accepted(&mut other, "2").await;

        // Closing the first socket frees its subscription's slot (once the server has
        // seen the close).
        first.close().await;
        let mut freed = false;
        for attempt in 0..50 {
            let id = format!("retry-{attempt}");
            second.subscribe(&id, CASE_TEAM_EVENTS, json!({})).await;
            let before = second.drain_until_pong().await;
            if before.is_empty() {
                freed = true;
                break;
            }
            assert_eq!(before[0]["type"], "error", "{before:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(freed, "the closed socket's slot was not freed");
        denied_subscribes(&app, &actor.sub, 2).await;
        second.close().await;
        legacy.close().await;
        other.close().await;
    }
}
