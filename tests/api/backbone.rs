//! The operation backbone: every refusal audited at every entry point, one review
//! interval everywhere, leap-day birthdays, and a demo that obeys the rules.

use api::auth::{Actor, Role};
use api::domain::{self, Caller, DomainConfig, Timescales};
use api::timescales::deadlines::DeadlineKind;
use api::timescales::policy_file::Policy;
use chrono::Utc;
use entity::enums::{AgencyKind, AuditOutcome, InvolvementRole, Pathway, TrafficLight};
use entity::{audit_events, behaviours, children, involvements, plan_events, referrals};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture;
use crate::helpers::db::{count, count_where};
use crate::helpers::{TestActor, TestApp, error_code, spawn_apps, uuid_of};
use crate::ws_client::GqlSocket;

/// How many audit rows `action` has with `outcome` for `subject`.
async fn audited(
    db: &DatabaseConnection,
    subject: &str,
    action: &str,
    outcome: AuditOutcome,
) -> u64 {
    count_where::<audit_events::Entity>(
        db,
        Condition::all()
            .add(audit_events::Column::ActorSubject.eq(subject))
            .add(audit_events::Column::Action.eq(action))
            .add(audit_events::Column::Outcome.eq(outcome)),
    )
    .await
}

async fn register(app: &TestApp, date_of_birth: &str) -> Value {
    app.gql_as(
        &TestActor::coordinator("csc"),
        "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id dateOfBirth } } }",
        json!({ "input": {
            "givenName": "Leap", "familyName": "Testchild", "dateOfBirth": date_of_birth,
            "gender": "Not recorded"
        }}),
    )
    .await
}

#[tokio::test]
async fn a_child_born_on_29_february_registers_until_their_18th_birthday() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let leap = register(&app, "2012-02-29").await;
        assert!(leap["errors"].is_null(), "{leap}");
        assert_eq!(
            leap["data"]["registerChild"]["child"]["dateOfBirth"],
            "2012-02-29"
        );
        // Born on 29 February 2008: 18 on 1 March 2026, so an adult by now.
        let adult = register(&app, "2008-02-29").await;
        assert_eq!(error_code(&adult), Some("VALIDATION_FAILED"), "{adult}");
        assert_eq!(adult["errors"][0]["extensions"]["field"], "dateOfBirth");
    }
}

#[tokio::test]
async fn refusals_are_audited_at_every_entry_point() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let analyst = TestActor::new("STRATEGIC_ANALYST", "partnership");

        let mine = app
            .gql_as(&analyst, "{ myConsultations { id } }", json!({}))
            .await;
        assert_eq!(error_code(&mine), Some("FORBIDDEN"), "{mine}");
        assert_eq!(
            audited(
                &app.db,
                &analyst.sub,
                "LIST_MY_CONSULTATIONS",
                AuditOutcome::Denied
            )
            .await,
            1
        );

        let deadlines = app
            .gql_as(&analyst, "{ deadlines { nodes { kind } } }", json!({}))
            .await;
        assert_eq!(error_code(&deadlines), Some("FORBIDDEN"), "{deadlines}");
        assert_eq!(
            audited(
                &app.db,
                &analyst.sub,
                "LIST_DEADLINES",
                AuditOutcome::Denied
            )
            .await,
            1
        );

        let mut socket = GqlSocket::open(&app.ws_url(), &analyst.token()).await;
        socket
            .subscribe("c", "subscription { caseTeamEvents { seq } }", json!({}))
            .await;
        let refused = socket.next().await.expect("an answer");
        assert_eq!(
            error_code(&refused["payload"]),
            Some("FORBIDDEN"),
            "{refused}"
        );
        let missing_plan = api::graphql::ids::encode("JointPlan", Uuid::now_v7());
        let school = TestActor::practitioner("school");
        let mut school_socket = GqlSocket::open(&app.ws_url(), &school.token()).await;
        school_socket
            .subscribe(
                "p",
                "subscription($plan: ID!) { planEvents(planId: $plan) { seq } }",
                json!({ "plan": missing_plan.to_string() }),
            )
            .await;
        let not_found = school_socket.next().await.expect("an answer");
        assert_eq!(
            error_code(&not_found["payload"]),
            Some("NOT_FOUND"),
            "{not_found}"
        );
        socket.close().await;
        school_socket.close().await;
        assert_eq!(
            audited(&app.db, &analyst.sub, "SUBSCRIBE", AuditOutcome::Denied).await,
            1
        );
        assert_eq!(
            audited(&app.db, &school.sub, "SUBSCRIBE", AuditOutcome::Denied).await,
            1
        );

        // An audit row by id is the auditor's: anyone else gets null, audited.
        let row = audit_events::Entity::find()
            .one(&app.db)
            .await
            .expect("read")
            .expect("an audit row");
        let node = app
            .ok_as(
                &school,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": api::graphql::ids::encode("AuditEvent", row.id).to_string() }),
            )
            .await;
        assert_eq!(node["node"], Value::Null);
        assert_eq!(
            audited(&app.db, &school.sub, "READ_AUDIT_LOG", AuditOutcome::Denied).await,
            1
        );
    }
}

fn caller(agency: Uuid, code: &str, kind: AgencyKind, role: Role) -> Caller {
    let actor = Actor {
        subject: format!("backbone-{code}"),
        name: "Backbone test".into(),
        agency_id: agency,
        agency_code: code.into(),
        agency_kind: kind,
        roles: [role].into(),
        expires_at: Utc::now() + chrono::Duration::hours(1),
    };
    Caller::new(actor, "backbone-test".into())
}

#[tokio::test]
async fn the_review_interval_of_the_policy_file_sets_both_the_stored_and_the_derived_review() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let mut policy = Policy::default_policy();
        policy.deadlines.plan_review_months = 6;
        let config = DomainConfig {
            timescales: std::sync::Arc::new(Timescales::from_policy(&policy)),
            ..DomainConfig::default()
        };
        let coordinator = caller(
            f.agency("csc"),
            "csc",
            AgencyKind::ChildrensSocialCare,
            Role::Coordinator,
        );
        let input = domain::plans::NewPlan {
            child_id: uuid_of(&f.alpha),
            title: "Synthetic plan".into(),
            pathway: Pathway::ChildInNeed,
            risk_summary: None,
        };
        let plan = domain::plans::create(&app.db, &coordinator, input)
            .await
            .expect("create");
        let plan = domain::plans::activate(&app.db, &coordinator, &config, plan.id, plan.version)
            .await
            .expect("activate");
        let today = coordinator.now().date_naive();
        let six_months = api::timescales::dates::add_months(today, 6);
        assert_eq!(plan.next_review_due, Some(six_months));

        let child = domain::children::read_audited(&app.db, &coordinator, plan.child_id)
            .await
            .expect("child");
        let deadlines = domain::deadlines::of_child(&app.db, &coordinator, &config, &child)
            .await
            .expect("deadlines");
        let review = deadlines
            .iter()
            .find(|n| n.deadline.kind == DeadlineKind::PlanReview)
            .expect("a plan review deadline");
        assert_eq!(
            // `dueAt` is the end of the day the review is due on.
            api::timescales::deadlines::london_day(
                review.deadline.due_at - chrono::Duration::seconds(1)
            ),
            six_months,
            "the derived deadline agrees with the stored review date"
        );
    }
}

#[tokio::test]
async fn the_demo_is_seeded_through_the_operations_and_obeys_escalation() {
    for app in spawn_apps().await {
        assert!(api::demo::seed(&app.db).await.expect("seed"));
        let registered = audited(
            &app.db,
            "demo-seed-coordinator",
            "REGISTER_CHILD",
            AuditOutcome::Allowed,
        )
        .await;
        assert_eq!(registered, 20, "one audited registration per demo child");
        let events = count::<plan_events::Entity>(&app.db).await;
        assert!(events > 0, "the demo's plan changes reach the outbox");
        assert_eq!(
            count::<children::Entity>(&app.db).await,
            20,
            "the demo's referral found the child it knows"
        );
        let waiting = count_where::<referrals::Entity>(
            &app.db,
            referrals::Column::Status.eq(entity::enums::ReferralStatus::Received),
        )
        .await;
        assert_eq!(waiting, 1, "one referral waits for social care");
        let police = domain::agencies::by_code(&app.db, api::demo::DESIGNATED_POLICE)
            .await
            .expect("read")
            .expect("demo police");
        let red = behaviours::Entity::find()
            .filter(behaviours::Column::TrafficLight.eq(TrafficLight::Red))
            .all(&app.db)
            .await
            .expect("read");
        assert!(!red.is_empty());
        for behaviour in red {
            assert!(behaviour.escalated, "a RED behaviour escalates");
            let on_team = involvements::Entity::find()
                .filter(involvements::Column::ChildId.eq(behaviour.child_id))
                .filter(involvements::Column::AgencyId.eq(police.id))
                .filter(involvements::Column::EndedOn.is_null())
                .one(&app.db)
                .await
                .expect("read");
            assert!(
                on_team.is_some_and(
                    |i| i.role == InvolvementRole::Partner || i.role == InvolvementRole::Lead
                ),
                "the designated police are on every escalated case team"
            );
        }
    }
}
