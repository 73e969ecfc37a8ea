//! Which actions open consultations, and with whom (`docs/product.md`): justice actions consult
//! each welfare member, placement and education changes each justice member, and the
//! `consult` list adds members on top.

use entity::consultations;
use entity::enums::{ActionStatus, ConsultationStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::fixture;
use crate::helpers::db::{count, count_where};
use crate::helpers::plans::SharedPlan;
use crate::helpers::plans::{
    action_row, add_action, add_member, agency_codes, create_plan, events, shared_plan,
};
use crate::helpers::{TestActor, TestApp, id_of, spawn_apps, uuid_of};

/// The shared plan with YJS on it too: two justice members and two welfare ones.
async fn plan_with_both_sectors(app: &TestApp) -> SharedPlan {
    let shared = shared_plan(app).await;
    add_member(app, &shared.fixture, &shared.plan, "yjs").await;
    shared
}

#[tokio::test]
async fn a_justice_action_for_police_consults_each_welfare_member_and_not_the_police() {
    for app in spawn_apps().await {
        let shared = plan_with_both_sectors(&app).await;
        let fixture = &shared.fixture;
        for kind in [
            "CHARGING_DECISION",
            "POLICE_INVESTIGATION_STEP",
            "COURT_PROCEEDING",
        ] {
            let action = add_action(
                &app,
                &TestActor::practitioner("police"),
                &shared.plan,
                &fixture.agency_gid("police"),
                kind,
                &[],
            )
            .await;
            assert_eq!(
                action["status"], "AWAITING_CONSULTATION",
                "{kind}: {action}"
            );
            // YJS is of the police's own sector: not consulted.
            assert_eq!(
                agency_codes(&action["consultations"]),
                ["csc", "school"],
                "{kind}"
            );
            for consultation in action["consultations"].as_array().expect("list") {
                assert_eq!(consultation["status"], "REQUESTED");
                assert_eq!(consultation["version"], 1);
            }

            let id = id_of(&action);
            assert_eq!(
                action_row(&app, &id).await.status,
                ActionStatus::AwaitingConsultation
            );
            let rows = consultations::Entity::find()
                .filter(consultations::Column::ActionId.eq(uuid_of(&id)))
                .all(&app.db)
                .await
                .expect("query");
            let mut agencies: Vec<Uuid> = rows.iter().map(|c| c.agency_id).collect();
            agencies.sort();
            let mut expected = vec![fixture.agency("csc"), fixture.agency("school")];
            expected.sort();
            assert_eq!(agencies, expected, "{kind}");
            assert!(
                rows.iter()
                    .all(|c| c.status == ConsultationStatus::Requested && c.responded_by.is_none())
            );
        }
        // Each consulted agency is told, by name, in the outbox.
        let requested = events(&app, &shared.plan, "CONSULTATION_REQUESTED").await;
        assert_eq!(requested.len(), 6);
        for event in &requested {
            assert_eq!(event.audience.0.len(), 1, "{event:?}");
            assert!(
                [fixture.agency("csc"), fixture.agency("school")].contains(&event.audience.0[0]),
                "{event:?}"
            );
        }
    }
}

#[tokio::test]
async fn placement_and_education_changes_consult_each_justice_member() {
    for app in spawn_apps().await {
        let shared = plan_with_both_sectors(&app).await;
        let fixture = &shared.fixture;
        let placement = add_action(
            &app,
            &TestActor::coordinator("csc"),
            &shared.plan,
            &fixture.agency_gid("csc"),
            "PLACEMENT_CHANGE",
            &[],
        )
        .await;
        assert_eq!(placement["status"], "AWAITING_CONSULTATION");
        assert_eq!(agency_codes(&placement["consultations"]), ["police", "yjs"]);
        let education = add_action(
            &app,
            &TestActor::practitioner("school"),
            &shared.plan,
            &fixture.agency_gid("school"),
            "EDUCATION_CHANGE",
            &[],
        )
        .await;
        assert_eq!(education["status"], "AWAITING_CONSULTATION");
        assert_eq!(agency_codes(&education["consultations"]), ["police", "yjs"]);
        assert_eq!(count::<consultations::Entity>(&app.db).await, 4);

        // The other kinds concern no other sector.
        for kind in [
            "ASSESSMENT",
            "INTERVENTION",
            "SAFETY_PLAN",
            "THERAPEUTIC_SUPPORT",
            "OTHER",
        ] {
            let action = add_action(
                &app,
                &TestActor::practitioner("school"),
                &shared.plan,
                &fixture.agency_gid("school"),
                kind,
                &[],
            )
            .await;
            assert_eq!(action["status"], "PROPOSED", "{kind}");
            assert_eq!(action["consultations"], json!([]), "{kind}");
        }
        assert_eq!(count::<consultations::Entity>(&app.db).await, 4);
    }
}

#[tokio::test]
async fn a_placement_change_on_a_plan_without_justice_members_needs_no_consultation() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let plan = create_plan(&app, &fixture.charlie).await;
        let action = add_action(
            &app,
            &TestActor::coordinator("csc"),
            &plan,
            &fixture.agency_gid("csc"),
            "PLACEMENT_CHANGE",
            &[],
        )
        .await;
        assert_eq!(action["status"], "PROPOSED");
        assert_eq!(action["consultations"], json!([]));
        assert_eq!(count::<consultations::Entity>(&app.db).await, 0);
    }
}

#[tokio::test]
async fn the_consult_list_adds_member_agencies_to_those_the_rule_names() {
    for app in spawn_apps().await {
        let shared = shared_plan(&app).await;
        let fixture = &shared.fixture;
        add_member(&app, fixture, &shared.plan, "camhs").await;

        // An action the rule leaves alone, with CAMHS asked anyway.
        let assessment = add_action(
            &app,
            &TestActor::practitioner("school"),
            &shared.plan,
            &fixture.agency_gid("school"),
            "ASSESSMENT",
            &[fixture.agency_gid("camhs")],
        )
        .await;
        assert_eq!(assessment["status"], "AWAITING_CONSULTATION");
        assert_eq!(agency_codes(&assessment["consultations"]), ["camhs"]);

        // Added to the rule's list, once each, never the assigned agency itself.
        let charging = add_action(
            &app,
            &TestActor::practitioner("police"),
            &shared.plan,
            &fixture.agency_gid("police"),
            "CHARGING_DECISION",
            &[
                fixture.agency_gid("police"),
                fixture.agency_gid("csc"),
                fixture.agency_gid("camhs"),
                fixture.agency_gid("camhs"),
            ],
        )
        .await;
        assert_eq!(
            agency_codes(&charging["consultations"]),
            ["camhs", "csc", "school"]
        );
        let rows = count_where::<consultations::Entity>(
            &app.db,
            consultations::Column::ActionId.eq(uuid_of(&id_of(&charging))),
        )
        .await;
        assert_eq!(rows, 3);

        // Naming only oneself consults nobody.
        let own = add_action(
            &app,
            &TestActor::practitioner("school"),
            &shared.plan,
            &fixture.agency_gid("school"),
            "INTERVENTION",
            &[fixture.agency_gid("school")],
        )
        .await;
        assert_eq!(own["status"], "PROPOSED");
        assert_eq!(own["consultations"], json!([]));
    }
}
