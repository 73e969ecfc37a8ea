//! `amendChronologyEntry`: the recording agency corrects an entry; its kind never
//! changes, and assessment milestones are refused.

use entity::chronology_entries;
use entity::enums::{AgencyIds, ChronologyKind, Sensitivity};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;

use super::{MARK, REASON, add_note, amend_entry};
use crate::fixture;
use crate::helpers::db::audited;
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, global_id, id_of, spawn_apps, uuid_of};

#[tokio::test]
async fn the_recording_agency_amends_a_chronology_entry_with_history() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let teacher = TestActor::practitioner("school");
        let note = add_note(&app, &teacher, &f.alpha, "STANDARD").await;
        let data = app
            .ok_as(
                &teacher,
                &amend_entry(),
                json!({ "input": {
                    "entryId": id_of(&note), "summary": "Synthetic corrected note.",
                    "occurredAt": "2026-11-11T09:30:00Z", "reason": REASON, "expectedVersion": 1
                }}),
            )
            .await;
        let entry = &data["amendChronologyEntry"]["entry"];
        assert_eq!(entry["summary"], "Synthetic corrected note.", "{data}");
        assert_eq!(entry["kind"], "NOTE");
        assert_eq!(entry["version"], 2);
        assert_eq!(entry["amended"], true);
        assert_eq!(
            entry["history"][0]["changedFields"],
            json!(["occurredAt", "summary"])
        );
        assert!(
            entry["history"][0]["values"]
                .as_str()
                .is_some_and(|v| v.contains("Synthetic note for a correction test."))
        );
        assert_eq!(
            audited(&app.db, "AMEND_CHRONOLOGY_ENTRY", uuid_of(&id_of(&note)))
                .await
                .len(),
            1
        );

        let op = amend_entry();
        let input = |extra: serde_json::Value| {
            let mut input = json!({
                "entryId": id_of(&note), "summary": "Another synthetic note.",
                "reason": REASON, "expectedVersion": 2
            });
            for (key, value) in extra.as_object().expect("object") {
                input[key] = value.clone();
            }
            json!({ "input": input })
        };
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::coordinator("csc"),
                    &op,
                    input(json!({})),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::practitioner("police"),
                    &op,
                    input(json!({})),
                    "NOT_FOUND",
                ),
            ],
        )
        .await;
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    teacher.clone(),
                    &op,
                    input(json!({ "summary": "" })),
                    "summary",
                ),
                Refusal::invalid(
                    teacher.clone(),
                    &op,
                    input(json!({ "reason": "short" })),
                    "reason",
                ),
                Refusal::invalid(
                    teacher.clone(),
                    &op,
                    input(json!({ "summary": "Synthetic corrected note." })),
                    "input",
                ),
            ],
        )
        .await;
        assert_conflict(
            &app.gql_as(&teacher, &op, input(json!({ "expectedVersion": 1 })))
                .await,
            2,
        );
    }
}

#[tokio::test]
async fn assessment_milestones_can_be_neither_amended_nor_marked() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let now = chrono::Utc::now();
        let milestone = chronology_entries::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            child_id: Set(uuid_of(&f.alpha)),
            behaviour_id: Set(None),
            kind: Set(ChronologyKind::AssessmentStarted),
            occurred_at: Set(now),
            agency_id: Set(f.agency("csc")),
            recorded_by: Set("direct-write".into()),
            summary: Set("Synthetic milestone written around the API.".into()),
            sensitivity: Set(Sensitivity::Standard),
            shared_with: Set(AgencyIds(vec![])),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            entered_in_error_at: Set(None),
            entered_in_error_by: Set(None),
            entered_in_error_reason: Set(None),
        }
        .insert(&app.db)
        .await
        .expect("milestone");
        let id = global_id("ChronologyEntry", milestone.id);
        let coordinator = TestActor::coordinator("csc");
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(
                    coordinator.clone(),
                    &amend_entry(),
                    json!({ "input": { "entryId": id, "summary": "Synthetic change.", "reason": REASON, "expectedVersion": 1 } }),
                    "entryId",
                ),
                Refusal::invalid(
                    coordinator.clone(),
                    MARK,
                    json!({ "input": { "entryId": id, "reason": REASON } }),
                    "entryId",
                ),
            ],
        )
        .await;
    }
}
