//! Concurrency never loses a disclosure: many writers at once, every acknowledged
//! write present exactly once with its audit row and its event.

use std::collections::HashSet;

use entity::enums::AuditOutcome;
use entity::{audit_events, behaviours, chronology_entries, involvements, plan_events};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::db::count_where;
use crate::helpers::plans::active_plan;
use crate::helpers::{TestActor, spawn_apps, uuid_of};

const RECORD: &str = "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated behaviour { id } } }";

fn behaviour(child: &str, red: bool, n: usize) -> Value {
    let (continuum, indicators, light) = if red {
        ("ABUSIVE", json!(["COERCION"]), "RED")
    } else {
        ("INAPPROPRIATE", json!([]), "GREEN")
    };
    json!({ "input": {
        "childId": child, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-02T10:00:00Z",
        "setting": "SCHOOL", "contactType": "NON_CONTACT",
        "description": format!("Synthetic concurrent disclosure {n}."),
        "continuum": continuum, "indicators": indicators, "trafficLight": light
    }})
}

#[tokio::test]
async fn twenty_disclosures_at_once_from_five_agencies_are_all_acknowledged_and_escalate_once_each()
{
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        // Five agencies on Charlie's case team; the designated police are not yet.
        for agency in ["school", "camhs", "health", "yjs"] {
            fixture::involve(&app, &f.agency_gid(agency), &f.charlie, agency).await;
        }
        let agencies = ["csc", "school", "camhs", "health", "yjs"];
        let calls = (0..20).map(|n| {
            let actor = TestActor::practitioner(agencies[n % agencies.len()]);
            let input = behaviour(&f.charlie, n % 2 == 0, n);
            let app = &app;
            async move { app.gql_as(&actor, RECORD, input).await }
        });
        let answers = futures_util::future::join_all(calls).await;
        let mut recorded = HashSet::new();
        for (n, answer) in answers.iter().enumerate() {
            assert!(answer["errors"].is_null(), "call {n}: {answer}");
            let result = &answer["data"]["recordBehaviour"];
            assert_eq!(
                result["escalated"],
                n % 2 == 0,
                "call {n}: only RED escalates"
            );
            recorded.insert(
                result["behaviour"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
        assert_eq!(recorded.len(), 20, "twenty distinct behaviours");
        let charlie = uuid_of(&f.charlie);
        let stored = behaviours::Entity::find()
            .filter(behaviours::Column::ChildId.eq(charlie))
            .all(&app.db)
            .await
            .expect("read");
        assert_eq!(stored.len(), 20);
        let police_on_team = count_where::<involvements::Entity>(
            &app.db,
            Condition::all()
                .add(involvements::Column::ChildId.eq(charlie))
                .add(involvements::Column::AgencyId.eq(f.agency("police"))),
        )
        .await;
        assert_eq!(police_on_team, 1, "the designated police join exactly once");
        let escalations = count_where::<plan_events::Entity>(
            &app.db,
            Condition::all()
                .add(plan_events::Column::Kind.eq("ESCALATION"))
                .add(plan_events::Column::ChildId.eq(charlie)),
        )
        .await;
        assert_eq!(escalations, 10, "one escalation event per RED behaviour");
        for row in stored {
            let audited = count_where::<audit_events::Entity>(
                &app.db,
                Condition::all()
                    .add(audit_events::Column::Action.eq("RECORD_BEHAVIOUR"))
                    .add(audit_events::Column::EntityId.eq(row.id))
                    .add(audit_events::Column::Outcome.eq(AuditOutcome::Allowed)),
            )
            .await;
            assert_eq!(audited, 1, "each behaviour has its audit row");
        }
    }
}

#[tokio::test]
async fn writers_at_once_leave_every_acknowledged_write_exactly_once_with_its_audit_row_and_event()
{
    const WRITERS: usize = 4;
    const OPERATIONS: usize = 5;
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        // Joining the plan puts each member on the case team too.
        let members = ["school", "camhs", "health"];
        let (plan, _) = active_plan(&app, &f, &f.alpha, &members).await;
        let writers = ["csc", "school", "camhs", "health"];
        let calls = (0..WRITERS * OPERATIONS).map(|n| {
            let agency = writers[n % WRITERS];
            let actor = TestActor::practitioner(agency);
            let (app, plan, f) = (&app, plan.clone(), &f);
            async move {
                let action = app
                    .gql_as(
                        &actor,
                        "mutation($input: AddPlanActionInput!) { addPlanAction(input: $input) { action { id } } }",
                        json!({ "input": { "planId": plan, "assignedAgencyId": f.agency_gid(agency),
                                           "kind": "INTERVENTION", "description": format!("Synthetic action {n}.") } }),
                    )
                    .await;
                let entry = app
                    .gql_as(
                        &actor,
                        "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
                        json!({ "input": { "childId": f.alpha, "kind": "NOTE",
                                           "occurredAt": "2026-11-01T10:00:00Z", "summary": format!("Synthetic note {n}.") } }),
                    )
                    .await;
                (action, entry)
            }
        });
        let answers = futures_util::future::join_all(calls).await;
        let events = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("ACTION_ADDED"))
            .all(&app.db)
            .await
            .expect("read");
        for (n, (action, entry)) in answers.iter().enumerate() {
            assert!(action["errors"].is_null(), "action {n}: {action}");
            assert!(entry["errors"].is_null(), "entry {n}: {entry}");
            let action_id = uuid_of(
                action["data"]["addPlanAction"]["action"]["id"]
                    .as_str()
                    .unwrap_or_default(),
            );
            let entry_id = uuid_of(
                entry["data"]["addChronologyEntry"]["entry"]["id"]
                    .as_str()
                    .unwrap_or_default(),
            );
            for (action_name, id) in [
                ("ADD_PLAN_ACTION", action_id),
                ("ADD_CHRONOLOGY_ENTRY", entry_id),
            ] {
                let audited = count_where::<audit_events::Entity>(
                    &app.db,
                    Condition::all()
                        .add(audit_events::Column::Action.eq(action_name))
                        .add(audit_events::Column::EntityId.eq(id)),
                )
                .await;
                assert_eq!(audited, 1, "{action_name} {n} audited once");
            }
            let told = events
                .iter()
                .filter(|e| e.payload["actionId"] == json!(action_id.to_string()))
                .count();
            assert_eq!(told, 1, "action {n} has exactly one event");
            let stored = chronology_entries::Entity::find_by_id(entry_id)
                .one(&app.db)
                .await
                .expect("read");
            assert!(stored.is_some(), "entry {n} stored");
        }
        assert_eq!(events.len(), WRITERS * OPERATIONS, "no extra events");
        let seqs: HashSet<i64> = events.iter().map(|e| e.seq).collect();
        assert_eq!(seqs.len(), events.len(), "no duplicated seq");
    }
}
