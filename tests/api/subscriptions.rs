//! Live plan updates over WebSocket (`docs/integrating.md`): order, replay, scope, expiry, protocol.

use std::time::Duration;

use entity::plan_events;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::plans::{active_plan, add_assessment, seq};
use crate::helpers::{TestActor, TestApp, error_code, sign, spawn_apps, uuid_of};
use crate::ws_client::{GqlSocket, TRANSPORT};

const PLAN_EVENTS: &str = "subscription($plan: ID!, $after: String) { planEvents(planId: $plan, after: $after) { seq kind planId summary } }";
const CASE_TEAM_EVENTS: &str =
    "subscription($after: String) { caseTeamEvents(after: $after) { seq kind planId childId } }";

/// The last `seq` in the outbox (0 when empty).
async fn latest_seq(app: &TestApp) -> i64 {
    plan_events::Entity::find()
        .order_by_desc(plan_events::Column::Seq)
        .one(&app.db)
        .await
        .expect("outbox")
        .map_or(0, |event| event.seq)
}

async fn seqs_of_plan(app: &TestApp, plan: &str, after: i64) -> Vec<i64> {
    plan_events::Entity::find()
        .filter(plan_events::Column::PlanId.eq(uuid_of(plan)))
        .filter(plan_events::Column::Seq.gt(after))
        .order_by_asc(plan_events::Column::Seq)
        .all(&app.db)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.seq)
        .collect()
}

#[tokio::test]
async fn plan_events_arrive_live_in_seq_order() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let mut socket =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        socket
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        // Let the subscription start before writing: it begins at the newest seq.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let start = *seqs_of_plan(&app, &plan, 0)
            .await
            .last()
            .expect("plan events");
        for _ in 0..3 {
            add_assessment(&app, &f, &plan).await;
        }
        let mut received = Vec::new();
        for _ in 0..3 {
            let event = socket.next_data("1").await["planEvents"].clone();
            assert_eq!(event["kind"], "ACTION_ADDED");
            assert_eq!(event["planId"], plan);
            received.push(seq(&event));
        }
        assert_eq!(received, seqs_of_plan(&app, &plan, start).await);
        socket.close().await;
    }
}

#[tokio::test]
async fn replay_then_live_has_no_gap_and_no_duplicate_while_writes_continue() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let from = *seqs_of_plan(&app, &plan, 0)
            .await
            .last()
            .expect("plan events");
        const WRITES: usize = 30;
        let writer = async {
            for _ in 0..WRITES {
                add_assessment(&app, &f, &plan).await;
            }
        };
        let reader = async {
            // Subscribe while the writer is already going: part replay, part live.
            tokio::time::sleep(Duration::from_millis(50)).await;
            let mut socket =
                GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
            socket
                .subscribe(
                    "r",
                    PLAN_EVENTS,
                    json!({ "plan": plan, "after": from.to_string() }),
                )
                .await;
            let mut seen = Vec::new();
            for _ in 0..WRITES {
                seen.push(seq(&socket.next_data("r").await["planEvents"]));
            }
            socket.close().await;
            seen
        };
        let ((), seen) = tokio::join!(writer, reader);
        assert_eq!(
            seen,
            seqs_of_plan(&app, &plan, from).await,
            "every event once, in order"
        );
    }
}

#[tokio::test]
async fn a_reconnect_with_after_gets_exactly_the_events_it_missed() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let token = TestActor::practitioner("school").token();
        let mut socket = GqlSocket::open(&app.ws_url(), &token).await;
        socket
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan, "after": "0" }))
            .await;
        // Replay of the plan's history so far: created, member added, activated.
        let mut last = 0;
        for expected in ["PLAN_CREATED", "PLAN_MEMBER_ADDED", "PLAN_ACTIVATED"] {
            let event = socket.next_data("1").await["planEvents"].clone();
            assert_eq!(event["kind"], expected);
            last = seq(&event);
        }
        socket.close().await;

        const MISSED: usize = 5;
        for _ in 0..MISSED {
            add_assessment(&app, &f, &plan).await;
        }
        let mut socket = GqlSocket::open(&app.ws_url(), &token).await;
        socket
            .subscribe(
                "2",
                PLAN_EVENTS,
                json!({ "plan": plan, "after": last.to_string() }),
            )
            .await;
        let mut resumed = Vec::new();
        for _ in 0..MISSED {
            resumed.push(seq(&socket.next_data("2").await["planEvents"]));
        }
        assert_eq!(resumed, seqs_of_plan(&app, &plan, last).await);
        // And then live, with nothing in between.
        add_assessment(&app, &f, &plan).await;
        let marker = socket.next_data("2").await["planEvents"].clone();
        assert_eq!(
            Some(seq(&marker)),
            seqs_of_plan(&app, &plan, last).await.last().copied()
        );
        socket.close().await;
    }
}

#[tokio::test]
async fn an_agency_never_receives_events_of_a_plan_it_is_not_on() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (alpha_plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let (bravo_plan, _) = active_plan(&app, &f, &f.bravo, &["police"]).await;
        let mut school =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        let mut police =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("police").token()).await;
        school.subscribe("s", CASE_TEAM_EVENTS, json!({})).await;
        police.subscribe("p", CASE_TEAM_EVENTS, json!({})).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        add_assessment(&app, &f, &bravo_plan).await;
        add_assessment(&app, &f, &alpha_plan).await;
        let for_school = school.next_data("s").await["caseTeamEvents"].clone();
        assert_eq!(
            for_school["planId"], alpha_plan,
            "the school's first event is its own plan's"
        );
        let for_police = police.next_data("p").await["caseTeamEvents"].clone();
        assert_eq!(for_police["planId"], bravo_plan);

        // Subscribing to another agency's plan is refused like a missing one.
        school
            .subscribe("x", PLAN_EVENTS, json!({ "plan": bravo_plan }))
            .await;
        let refused = school.next().await.expect("an answer");
        assert_eq!(refused["type"], "next", "{refused}");
        assert_eq!(refused["payload"]["data"], Value::Null);
        assert_eq!(error_code(&refused["payload"]), Some("NOT_FOUND"));
        assert_eq!(
            school.next().await,
            Ok(json!({ "id": "x", "type": "complete" }))
        );
        school.close().await;
        police.close().await;
    }
}

#[tokio::test]
async fn case_team_events_reach_the_designated_agencies_of_an_escalation() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let mut police =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("police").token()).await;
        police.subscribe("p", CASE_TEAM_EVENTS, json!({})).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.ok_as(
            &TestActor::practitioner("csc"),
            "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated } }",
            json!({ "input": { "childId": f.charlie, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-01T12:00:00Z", "setting": "HOME",
                               "contactType": "CONTACT", "description": "Synthetic.", "continuum": "VIOLENT", "trafficLight": "RED" } }),
        )
        .await;
        let event = police.next_data("p").await["caseTeamEvents"].clone();
        assert_eq!(event["kind"], "ESCALATION");
        assert_eq!(event["childId"], f.charlie);
        police.close().await;
    }
}

#[tokio::test]
async fn removal_from_a_plan_ends_the_agencys_stream() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, version) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let mut school =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        school
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        add_assessment(&app, &f, &plan).await;
        assert_eq!(
            school.next_data("1").await["planEvents"]["kind"],
            "ACTION_ADDED"
        );
        app.ok_as(
            &TestActor::coordinator("csc"),
            "mutation($input: RemovePlanMemberInput!) { removePlanMember(input: $input) { jointPlan { id } } }",
            json!({ "input": { "planId": plan, "agencyId": f.agency_gid("school"), "expectedVersion": version } }),
        )
        .await;
        add_assessment(&app, &f, &plan).await;
        let end = school.next().await.expect("a message");
        assert_eq!(
            end,
            json!({ "id": "1", "type": "complete" }),
            "the stream ends without further events"
        );
        school.close().await;
    }
}

#[tokio::test]
async fn the_socket_closes_with_4403_when_the_token_expires() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let mut claims = TestActor::practitioner("school").claims();
        claims.exp = chrono::Utc::now().timestamp() + 3;
        let token = sign(&claims, jsonwebtoken::Algorithm::HS256, None);
        let mut socket = GqlSocket::open(&app.ws_url(), &token).await;
        socket
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        assert_eq!(socket.next().await, Err(Some(4403)));
    }
}

#[tokio::test]
async fn protocol_violations_close_with_the_specified_codes() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let token = TestActor::practitioner("school").token();

        // No connection_init within the (test server's 2 s) timeout.
        let mut silent = GqlSocket::connect(&app.ws_url(), TRANSPORT).await;
        assert_eq!(silent.next().await, Err(Some(4408)));

        // Subscribe before the acknowledgement.
        let mut early = GqlSocket::connect(&app.ws_url(), TRANSPORT).await;
        early
            .subscribe("1", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        assert_eq!(early.next().await, Err(Some(4401)));

        // A duplicate operation id.
        let mut twice = GqlSocket::open(&app.ws_url(), &token).await;
        twice
            .subscribe("same", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        twice
            .subscribe("same", PLAN_EVENTS, json!({ "plan": plan }))
            .await;
        assert_eq!(twice.next().await, Err(Some(4409)));

        // A bad token: refused, no data.
        let mut forged = GqlSocket::connect(&app.ws_url(), TRANSPORT).await;
        forged
            .init(json!({ "Authorization": "Bearer forged.token.here" }))
            .await;
        assert_eq!(forged.next().await, Err(Some(4403)));

        // Nothing but the subscriptions of a case role.
        let mut analyst = GqlSocket::open(&app.ws_url(), &TestActor::analyst("csc").token()).await;
        analyst.subscribe("a", CASE_TEAM_EVENTS, json!({})).await;
        let refused = analyst.next().await.expect("an answer");
        assert_eq!(refused["type"], "next", "{refused}");
        assert_eq!(refused["payload"]["data"], Value::Null);
        assert_eq!(error_code(&refused["payload"]), Some("FORBIDDEN"));
    }
}

#[tokio::test]
async fn a_change_that_fails_writes_no_event_and_every_committed_change_has_one() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, version) = active_plan(&app, &f, &f.alpha, &["school"]).await;
        let before = seqs_of_plan(&app, &plan, 0).await;
        // A stale version is refused: nothing changes and no event is written.
        let stale = app
            .gql_as(
                &TestActor::coordinator("csc"),
                "mutation($input: PlanVersionInput!) { closeJointPlan(input: $input) { jointPlan { id } } }",
                json!({ "input": { "planId": plan, "expectedVersion": version - 1 } }),
            )
            .await;
        assert_eq!(error_code(&stale), Some("CONFLICT"));
        assert_eq!(seqs_of_plan(&app, &plan, 0).await, before);
        // A committed change has exactly one event.
        app.ok_as(
            &TestActor::coordinator("csc"),
            "mutation($input: PlanVersionInput!) { closeJointPlan(input: $input) { jointPlan { id } } }",
            json!({ "input": { "planId": plan, "expectedVersion": version } }),
        )
        .await;
        let after = seqs_of_plan(&app, &plan, *before.last().expect("events")).await;
        assert_eq!(after.len(), 1);
        let closed = plan_events::Entity::find_by_id(after[0])
            .one(&app.db)
            .await
            .expect("query")
            .expect("event");
        assert_eq!(closed.kind, "PLAN_CLOSED");
    }
}

async fn escalate(app: &TestApp, child: &str) {
    app.ok_as(
        &TestActor::practitioner("csc"),
        "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated } }",
        json!({ "input": { "childId": child, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-01T12:00:00Z", "setting": "HOME",
                           "contactType": "CONTACT", "description": "Synthetic.", "continuum": "VIOLENT", "trafficLight": "RED" } }),
    )
    .await;
}

/// Adds `agency` to a child's case team as the social care coordinator; returns the
/// involvement's id and version.
async fn join_team(
    app: &TestApp,
    f: &fixture::Fixture,
    child: &str,
    agency: &str,
) -> (String, i64) {
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            "mutation($input: AddInvolvementInput!) { addInvolvement(input: $input) { involvement { id version } } }",
            json!({ "input": { "childId": child, "agencyId": f.agency_gid(agency), "reason": "Synthetic." } }),
        )
        .await;
    let involvement = &data["addInvolvement"]["involvement"];
    (
        involvement["id"].as_str().expect("id").to_owned(),
        involvement["version"].as_i64().expect("version"),
    )
}

#[tokio::test]
async fn an_agency_hears_of_a_child_once_it_joins_the_case_team_and_not_after_it_leaves() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plan, _) = active_plan(&app, &f, &f.alpha, &["camhs"]).await;
        let mut camhs =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("camhs").token()).await;
        // From the outbox's end as it is now: the server may start the stream after the
        // next write commits, and the stream must still begin with it.
        let from = latest_seq(&app).await;
        camhs
            .subscribe("c", CASE_TEAM_EVENTS, json!({ "after": from.to_string() }))
            .await;
        // Once this arrives the stream has joined, with the reach the agency has now.
        add_assessment(&app, &f, &plan).await;
        assert_eq!(
            camhs.next_data("c").await["caseTeamEvents"]["kind"],
            "ACTION_ADDED"
        );

        // Joining Charlie's team reaches the open stream at once: the next event about
        // Charlie (addressed to others) is the agency's too.
        let (involvement, version) = join_team(&app, &f, &f.charlie, "camhs").await;
        escalate(&app, &f.charlie).await;
        let heard = camhs.next_data("c").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "ESCALATION");
        assert_eq!(heard["childId"], f.charlie);

        // Once it has left, nothing more about Charlie reaches it.
        app.ok_as(
            &TestActor::coordinator("csc"),
            "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) { involvement { id } } }",
            json!({ "input": { "involvementId": involvement, "reason": "Synthetic.", "expectedVersion": version } }),
        )
        .await;
        escalate(&app, &f.charlie).await;
        // A later event it may see, written after: the stream is in `seq` order, so
        // Charlie's second escalation would have come first.
        join_team(&app, &f, &f.bravo, "camhs").await;
        escalate(&app, &f.bravo).await;
        let next = camhs.next_data("c").await["caseTeamEvents"].clone();
        assert_eq!(
            next["childId"], f.bravo,
            "nothing about Charlie after leaving: {next}"
        );
        camhs.close().await;
    }
}
