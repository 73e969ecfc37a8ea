//! The fan-out against a real (SQLite) outbox: a subscriber that falls behind its queue
//! still gets every event once, in order; a deactivated agency's stream ends.

use std::time::Duration;

use chrono::Utc;
use entity::enums::{AgencyIds, AgencyKind};
use entity::{agencies, plan_events};
use futures_util::StreamExt as _;
use migration::MigratorTrait as _;
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

use super::hub::QUEUE;
use super::{Relay, Scope, subscribe};
use crate::auth::{Actor, Role};
use crate::domain::outbox::committed;

struct Outbox {
    db: DatabaseConnection,
    path: std::path::PathBuf,
}

impl Drop for Outbox {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

async fn outbox() -> Outbox {
    let path = std::env::temp_dir().join(format!("concord-events-{}.db", Uuid::new_v4()));
    let db = crate::app::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .expect("database");
    migration::Migrator::up(&db, None).await.expect("migrate");
    Outbox { db, path }
}

async fn agency(db: &DatabaseConnection) -> Uuid {
    let id = Uuid::now_v7();
    agencies::ActiveModel {
        id: Set(id),
        code: Set(format!("a{}", id.simple())),
        name: Set("Synthetic agency".into()),
        kind: Set(AgencyKind::Education),
        active: Set(true),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
    }
    .insert(db)
    .await
    .expect("agency");
    id
}

fn practitioner(agency: Uuid) -> Actor {
    Actor {
        subject: "practitioner".into(),
        name: "Synthetic practitioner".into(),
        agency_id: agency,
        agency_code: "a".into(),
        agency_kind: AgencyKind::Education,
        roles: [Role::Practitioner].into_iter().collect(),
        expires_at: Utc::now() + chrono::Duration::hours(1),
    }
}

/// Writes `count` events addressed to `agency` and wakes the relay; returns their `seq`s.
async fn write(db: &DatabaseConnection, agency: Uuid, kind: &str, count: usize) -> Vec<i64> {
    let mut seqs = Vec::new();
    for _ in 0..count {
        let row = plan_events::ActiveModel {
            seq: NotSet,
            id: Set(Uuid::now_v7()),
            plan_id: Set(None),
            child_id: Set(None),
            audience: Set(AgencyIds(vec![agency])),
            kind: Set(kind.into()),
            summary: Set("Synthetic".into()),
            payload: Set(serde_json::json!({ "agencyId": agency })),
            occurred_at: Set(Utc::now()),
            actor_subject: Set("writer".into()),
            actor_agency_id: Set(None),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
        };
        seqs.push(row.insert(db).await.expect("event").seq);
    }
    committed();
    seqs
}

/// Waits until the relay has dispatched `seq`.
async fn dispatched(relay: &Relay, seq: i64) {
    for _ in 0..500 {
        if relay.hub().dispatched() >= seq {
            return;
        }
        committed();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the relay did not reach {seq}");
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_its_queue_still_gets_every_event_once_in_order() {
    let outbox = outbox().await;
    let agency = agency(&outbox.db).await;
    let relay = Relay::start(outbox.db.clone()).await;
    let mut stream = Box::pin(subscribe(&relay, practitioner(agency), Scope::CaseTeam, 0));
    let first = write(&outbox.db, agency, "ACTION_ADDED", 1).await;
    let event = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("in time")
        .expect("an event");
    assert_eq!(event.seq, first[0]);

    // Far more than its queue holds, while nobody reads the stream.
    let burst = write(&outbox.db, agency, "ACTION_ADDED", QUEUE * 3).await;
    dispatched(&relay, *burst.last().expect("events")).await;
    assert_eq!(
        relay.subscribers(),
        0,
        "the lagging subscriber left the fan-out"
    );
    let mut received = Vec::new();
    while received.len() < burst.len() {
        let event = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .unwrap_or_else(|_| panic!("in time: {} {:?}", received.len(), received.last()))
            .expect("an event");
        received.push(event.seq);
    }
    assert_eq!(
        received, burst,
        "replayed from the outbox: all, once, in order"
    );
    assert_eq!(relay.subscribers(), 1, "and back in the fan-out");

    // Live again, and internal events never reach it.
    write(&outbox.db, agency, "CASE_TEAM_CHANGED", 1).await;
    let live = write(&outbox.db, agency, "ACTION_ADDED", 1).await;
    let event = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("in time")
        .expect("an event");
    assert_eq!(event.seq, live[0]);
}

#[tokio::test]
async fn a_stream_ends_when_its_agency_is_deactivated() {
    let outbox = outbox().await;
    let agency = agency(&outbox.db).await;
    let relay = Relay::start(outbox.db.clone()).await;
    let mut stream = Box::pin(subscribe(&relay, practitioner(agency), Scope::CaseTeam, 0));
    let first = write(&outbox.db, agency, "ACTION_ADDED", 1).await;
    let event = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("in time")
        .expect("an event");
    assert_eq!(event.seq, first[0]);

    let mut deactivated: agencies::ActiveModel = agencies::ActiveModel {
        id: Set(agency),
        ..Default::default()
    };
    deactivated.active = Set(false);
    deactivated.update(&outbox.db).await.expect("deactivate");
    write(&outbox.db, agency, "AGENCY_DEACTIVATED", 1).await;
    let end = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("in time");
    assert!(end.is_none(), "the stream ends without the event: {end:?}");
    assert_eq!(relay.subscribers(), 0);
}

#[tokio::test]
async fn subscribers_of_one_agency_joining_together_share_one_reach_load() {
    let outbox = outbox().await;
    let agency = agency(&outbox.db).await;
    let relay = Relay::start(outbox.db.clone()).await;
    let seqs = write(&outbox.db, agency, "ACTION_ADDED", 1).await;
    let mut streams: Vec<_> = (0..20)
        .map(|_| Box::pin(subscribe(&relay, practitioner(agency), Scope::CaseTeam, 0)))
        .collect();
    let firsts = tokio::time::timeout(
        Duration::from_secs(10),
        futures_util::future::join_all(streams.iter_mut().map(|stream| stream.next())),
    )
    .await
    .expect("in time");
    for event in firsts {
        assert_eq!(event.expect("an event").seq, seqs[0]);
    }
    assert_eq!(relay.subscribers(), 20);
    assert_eq!(
        relay
            .hub()
            .join_loads
            .load(std::sync::atomic::Ordering::Relaxed),
        1,
        "one load of the agency's reach for all of them"
    );
}
