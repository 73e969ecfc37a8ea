//! `addChronologyEntry` and `endInvolvement`: refusals, bad input and stale versions.

use entity::{chronology_entries, involvements};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::db::count;
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused, by_each};
use crate::helpers::{TestActor, error_code, global_id, spawn_apps, uuid_of};

const ADD: &str = "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) {
    entry { kind occurredAt summary sensitivity recordingAgency { code } } } }";

#[tokio::test]
async fn chronology_entries_are_added_by_the_case_team_in_time_order_and_bad_ones_are_refused() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let input = |kind: &str, at: &str, summary: &str| json!({ "input": { "childId": f.alpha, "kind": kind, "occurredAt": at, "summary": summary } });
        let later = app
            .ok_as(
                &school,
                ADD,
                input("NOTE", "2026-06-02T10:00:00Z", "Synthetic later note."),
            )
            .await;
        assert_eq!(
            later["addChronologyEntry"]["entry"]["recordingAgency"]["code"],
            "school"
        );
        app.ok_as(
            &TestActor::practitioner("csc"),
            ADD,
            input(
                "DISCLOSURE",
                "2026-06-01T10:00:00Z",
                "Synthetic disclosure.",
            ),
        )
        .await;
        let listed = app
            .ok_as(&school, "query($id: ID!) { child(id: $id) { chronology { nodes { kind recordingAgency { code } } } } }", json!({ "id": f.alpha }))
            .await;
        assert_eq!(
            listed["child"]["chronology"]["nodes"],
            json!([{ "kind": "DISCLOSURE", "recordingAgency": { "code": "csc" } }, { "kind": "NOTE", "recordingAgency": { "code": "school" } }]),
            "time order across agencies"
        );

        let before = count::<chronology_entries::Entity>(&app.db).await;
        let outsiders = [
            (TestActor::practitioner("police"), "NOT_FOUND"),
            (TestActor::auditor("school"), "NOT_FOUND"),
            (TestActor::admin("school"), "NOT_FOUND"),
        ];
        let note = input("NOTE", "2026-06-02T10:00:00Z", "Synthetic.");
        assert_refused(&app, Audit::Unchecked, by_each(ADD, &note, outsiders)).await;
        let bad: [(Value, &str); 4] = [
            (input("NOTE", "2026-06-02T10:00:00Z", " "), "summary"),
            (
                input("NOTE", "2099-01-01T00:00:00Z", "Synthetic."),
                "occurredAt",
            ),
            (
                json!({ "input": { "childId": f.alpha, "kind": "NOTE", "occurredAt": "2026-06-02T10:00:00Z", "summary": "S.",
                                 "behaviourId": global_id("Behaviour", uuid::Uuid::now_v7()) } }),
                "behaviourId",
            ),
            (
                json!({ "input": { "childId": f.alpha, "kind": "NOTE", "occurredAt": "2026-06-02T10:00:00Z", "summary": "S.",
                                 "sharedWith": [global_id("Agency", uuid::Uuid::now_v7())] } }),
                "sharedWith",
            ),
        ];
        assert_refused(
            &app,
            Audit::Unchecked,
            bad.map(|(variables, field)| Refusal::invalid(school.clone(), ADD, variables, field)),
        )
        .await;
        assert_eq!(count::<chronology_entries::Entity>(&app.db).await, before);
    }
}

const END: &str = "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) {
    involvement { active endedOn endReason version } } }";

#[tokio::test]
async fn ending_an_involvement_takes_the_agency_off_the_team_with_its_rules() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let team = involvements::Entity::find()
            .filter(involvements::Column::ChildId.eq(uuid_of(&f.alpha)))
            .all(&app.db)
            .await
            .expect("team");
        let school = team
            .iter()
            .find(|i| i.agency_id == f.agency("school"))
            .expect("school involvement");
        let lead = team
            .iter()
            .find(|i| i.agency_id == f.agency("csc"))
            .expect("lead involvement");
        let id = global_id("Involvement", school.id);
        let input = |reason: &str, version: i64| json!({ "input": { "involvementId": id, "reason": reason, "expectedVersion": version } });

        let actors = [
            (TestActor::practitioner("school"), "FORBIDDEN"),
            (TestActor::agency_lead("csc"), "FORBIDDEN"),
            (TestActor::coordinator("camhs"), "NOT_FOUND"),
        ];
        let mut refusals = by_each(END, &input("Synthetic.", 1), actors);
        let school_lead = TestActor::agency_lead("school");
        refusals.push(Refusal::invalid(
            school_lead.clone(),
            END,
            input(" ", 1),
            "reason",
        ));
        // The lead agency does not leave its own case.
        refusals.push(Refusal::invalid(
            TestActor::coordinator("csc"),
            END,
            json!({ "input": { "involvementId": global_id("Involvement", lead.id), "reason": "S.", "expectedVersion": 1 } }),
            "involvementId",
        ));
        assert_refused(&app, Audit::Unchecked, refusals).await;
        let stale = app.gql_as(&school_lead, END, input("Synthetic.", 7)).await;
        assert_conflict(&stale, 1);

        let ended = app
            .ok_as(
                &school_lead,
                END,
                input("Synthetic: the pupil left the school.", 1),
            )
            .await;
        assert_eq!(ended["endInvolvement"]["involvement"]["active"], false);
        assert_eq!(ended["endInvolvement"]["involvement"]["version"], 2);
        assert_eq!(
            ended["endInvolvement"]["involvement"]["endReason"],
            "Synthetic: the pupil left the school."
        );
        let gone = app
            .gql_as(
                &TestActor::practitioner("school"),
                "query($id: ID!) { child(id: $id) { id } }",
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(
            error_code(&gone),
            Some("NOT_FOUND"),
            "the school no longer sees the child"
        );
        // The agency can be added again later: one active involvement at a time.
        fixture::involve(&app, &f.agency_gid("school"), &f.alpha, "school").await;
    }
}
