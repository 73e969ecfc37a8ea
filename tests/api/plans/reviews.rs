//! `recordPlanReview`: reviews set the next due date and join the child's chronology.

use chrono::Months;
use entity::enums::ChronologyKind;
use entity::{chronology_entries, plan_reviews};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::db::{audited, count, count_where, row};
use crate::helpers::plans::{
    REVIEW, SharedPlan, activate, activated_at, days_from_today, events, plan_row, shared_plan,
    today,
};
use crate::helpers::refusals::{Audit, Refusal, assert_refused, changed, refusal};
use crate::helpers::{TestActor, global_id, id_of, spawn_apps, uuid_of};

#[tokio::test]
async fn recording_a_review_sets_the_next_due_date_and_adds_to_the_chronology() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let held_on = activated_at(&activate(&app, &plan).await).date_naive();
        let coordinator = TestActor::coordinator("csc");
        let data = app
            .ok_as(
                &coordinator,
                REVIEW,
                json!({ "input": {
                    "planId": plan, "heldOn": held_on, "summary": " Progress is good ",
                    "attendingAgencyIds": [fixture.agency_gid("police"), fixture.agency_gid("csc")],
                    "expectedVersion": 4
                }}),
            )
            .await;
        let default_next = held_on.checked_add_months(Months::new(3)).expect("date");
        let review = &data["recordPlanReview"]["review"];
        let review_id = id_of(review);
        assert_eq!(review["heldOn"], held_on.to_string());
        assert_eq!(review["summary"], "Progress is good");
        assert_eq!(review["nextReviewDue"], default_next.to_string());
        assert_eq!(review["recordedBy"], coordinator.sub);
        assert_eq!(
            review["attendingAgencies"],
            json!([{ "code": "police" }, { "code": "csc" }])
        );
        let saved = &data["recordPlanReview"]["jointPlan"];
        assert_eq!(saved["version"], 5);
        assert_eq!(saved["nextReviewDue"], default_next.to_string());
        assert_eq!(saved["reviews"], json!([{ "id": review_id }]));

        let plan_now = plan_row(&app, &plan).await;
        assert_eq!(plan_now.version, 5);
        assert_eq!(plan_now.next_review_due, Some(default_next));
        let stored = row::<plan_reviews::Entity>(&app.db, &review_id).await;
        assert_eq!(stored.plan_id, plan_now.id);
        assert_eq!(stored.summary, "Progress is good");
        assert_eq!(
            stored.attending_agencies.0,
            [fixture.agency("police"), fixture.agency("csc")]
        );
        let entries = chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.eq(uuid_of(&fixture.alpha)))
            .filter(chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview))
            .all(&app.db)
            .await
            .expect("query");
        assert_eq!(entries.len(), 1);
        assert!(
            entries[0].summary.contains("Progress is good"),
            "{:?}",
            entries[0]
        );
        assert_eq!(entries[0].occurred_at.date_naive(), held_on);
        assert_eq!(
            audited(&app.db, "RECORD_PLAN_REVIEW", stored.id)
                .await
                .len(),
            1
        );
        assert_eq!(events(&app, &plan, "PLAN_REVIEWED").await.len(), 1);

        // A second review names its own next date.
        let next = held_on.checked_add_months(Months::new(1)).expect("date");
        let data = app
            .ok_as(
                &coordinator,
                REVIEW,
                json!({ "input": {
                    "planId": plan, "heldOn": held_on, "summary": "Interim review",
                    "nextReviewDue": next, "expectedVersion": 5
                }}),
            )
            .await;
        assert_eq!(
            data["recordPlanReview"]["jointPlan"]["nextReviewDue"],
            next.to_string()
        );
        assert_eq!(plan_row(&app, &plan).await.next_review_due, Some(next));

        // Every member sees both, oldest first.
        let seen = app
            .ok_as(
                &TestActor::practitioner("police"),
                "query($id: ID!) { node(id: $id) { ... on JointPlan { nextReviewDue reviews { summary } } } }",
                json!({ "id": plan }),
            )
            .await;
        assert_eq!(
            seen["node"],
            json!({ "nextReviewDue": next.to_string(),
                    "reviews": [{ "summary": "Progress is good" }, { "summary": "Interim review" }] })
        );
    }
}

#[tokio::test]
async fn bad_review_input_is_refused_naming_the_field() {
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let held_on = today();
        let base = json!({
            "planId": plan, "heldOn": held_on, "summary": "Review", "expectedVersion": 3
        });
        // A draft is not reviewed.
        let response = app
            .gql_as(&coordinator, REVIEW, json!({ "input": base }))
            .await;
        assert_eq!(
            refusal(&response),
            (Some("VALIDATION_FAILED"), Some("planId")),
            "{response}"
        );
        activate(&app, &plan).await;
        let base = changed(&base, &json!({ "expectedVersion": 4 }));
        let cases = [
            (json!({ "planId": "garbage" }), "planId"),
            (json!({ "summary": "  " }), "summary"),
            (json!({ "heldOn": days_from_today(2) }), "heldOn"),
            (json!({ "nextReviewDue": held_on }), "nextReviewDue"),
            (
                json!({ "nextReviewDue": days_from_today(-1) }),
                "nextReviewDue",
            ),
            (
                json!({ "attendingAgencyIds": [fixture.alpha] }),
                "attendingAgencyIds",
            ),
            (
                json!({ "attendingAgencyIds": [global_id("Agency", Uuid::now_v7())] }),
                "attendingAgencyIds",
            ),
        ];
        assert_refused(
            &app,
            Audit::Unchecked,
            cases.iter().map(|(change, field)| {
                let input = json!({ "input": changed(&base, change) });
                Refusal::invalid(coordinator.clone(), REVIEW, input, field)
            }),
        )
        .await;
        assert_eq!(count::<plan_reviews::Entity>(&app.db).await, 0);
        assert_eq!(plan_row(&app, &plan).await.version, 4);
        assert_eq!(
            count_where::<chronology_entries::Entity>(
                &app.db,
                chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview),
            )
            .await,
            0
        );
    }
}

const CHRONOLOGY: &str = "query($id: ID!) { child(id: $id) {
    chronology(last: 20) { nodes { kind restricted summary } } } }";

/// The `PLAN_REVIEW` entries of the alpha child as `actor` reads them.
async fn review_entries(
    app: &crate::helpers::TestApp,
    actor: &TestActor,
    child: &str,
) -> Vec<serde_json::Value> {
    let data = app.ok_as(actor, CHRONOLOGY, json!({ "id": child })).await;
    data["child"]["chronology"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|entry| entry["kind"] == "PLAN_REVIEW")
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_reviews_chronology_entry_is_read_by_the_plans_members_only() {
    use migration::MigratorTrait as _;
    use sea_orm::ActiveValue::Set;
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    for app in spawn_apps().await {
        let SharedPlan { fixture, plan } = shared_plan(&app).await;
        let held_on = activated_at(&activate(&app, &plan).await).date_naive();
        app.ok_as(
            &TestActor::coordinator("csc"),
            REVIEW,
            json!({ "input": {
                "planId": plan, "heldOn": held_on, "summary": "Synthetic: for the plan's members.",
                "attendingAgencyIds": [fixture.agency_gid("police")], "expectedVersion": 4
            }}),
        )
        .await;
        // CAMHS is on the child's case team, not on the plan.
        let camhs = TestActor::practitioner("camhs");
        let outside = review_entries(&app, &camhs, &fixture.alpha).await;
        assert_eq!(
            outside,
            [json!({ "kind": "PLAN_REVIEW", "restricted": true, "summary": null })]
        );
        for member in [
            TestActor::practitioner("police"),
            TestActor::practitioner("school"),
        ] {
            let read = review_entries(&app, &member, &fixture.alpha).await;
            assert_eq!(read.len(), 1);
            assert_eq!(
                read[0]["summary"], "Joint plan review: Synthetic: for the plan's members.",
                "{}",
                member.sub
            );
        }

        // An entry written before the change, and one a practitioner added by hand: the
        // migration restricts the first to the plan's members and leaves the second.
        let entry = chronology_entries::Entity::find()
            .filter(chronology_entries::Column::ChildId.eq(uuid_of(&fixture.alpha)))
            .filter(chronology_entries::Column::Kind.eq(ChronologyKind::PlanReview))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the review's entry");
        let mut old = entry.clone().into_active_model();
        old.sensitivity = Set(entity::enums::Sensitivity::Standard);
        old.shared_with = Set(entity::enums::AgencyIds(vec![]));
        old.update(&app.db).await.expect("as written before");
        app.ok_as(
            &camhs,
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
            json!({ "input": { "childId": fixture.alpha, "kind": "PLAN_REVIEW",
                "occurredAt": "2026-11-02T10:00:00Z", "summary": "Synthetic: a note of CAMHS's own." } }),
        )
        .await;
        migration::Migrator::down(&app.db, Some(1))
            .await
            .expect("down");
        migration::Migrator::up(&app.db, None).await.expect("up");
        let migrated = chronology_entries::Entity::find_by_id(entry.id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("entry");
        assert_eq!(migrated.sensitivity, entry.sensitivity);
        let mut members = migrated.shared_with.0.clone();
        members.sort();
        let mut expected = vec![
            fixture.agency("csc"),
            fixture.agency("police"),
            fixture.agency("school"),
        ];
        expected.sort();
        assert_eq!(members, expected);
        let outside = review_entries(&app, &camhs, &fixture.alpha).await;
        assert_eq!(outside.len(), 2);
        assert!(
            outside
                .contains(&json!({ "kind": "PLAN_REVIEW", "restricted": true, "summary": null })),
            "{outside:?}"
        );
        assert!(
            outside.contains(&json!({ "kind": "PLAN_REVIEW", "restricted": false,
                "summary": "Synthetic: a note of CAMHS's own." })),
            "{outside:?}"
        );
    }
}
