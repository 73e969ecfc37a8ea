//! Stored deadlines (`docs/product.md`): the table is the engine's cache, refreshed in the
//! transaction of every write that changes a fact, and rebuilt when the rules change.

use api::auth::{Actor, Role};
use api::domain::deadlines::stored;
use api::domain::{self, Caller, DomainConfig, Timescales};
use api::timescales::deadlines::Deadline;
use api::timescales::policy_file::Policy;
use chrono::Utc;
use entity::enums::AgencyKind;
use entity::{children, deadlines};
use sea_orm::{ConnectionTrait as _, EntityTrait as _, PaginatorTrait as _};
use serde_json::json;

use crate::fixture::{self, chronology_entry};
use crate::helpers::plans::{REVIEW, activate, close, plan_row};
use crate::helpers::{TestActor, TestApp, id_of, spawn_apps};

/// The rules the test servers run under.
fn server_rules() -> DomainConfig {
    DomainConfig {
        designated_social_care: Some("csc".into()),
        designated_police: Some("police".into()),
        ..DomainConfig::default()
    }
}

fn caller() -> Caller {
    let actor = Actor {
        subject: "deadline-store-test".into(),
        name: "Deadline store test".into(),
        agency_id: uuid::Uuid::nil(),
        agency_code: "none".into(),
        agency_kind: AgencyKind::Other,
        roles: [Role::Practitioner].into(),
        expires_at: Utc::now() + chrono::Duration::hours(1),
    };
    Caller::new(actor, "deadline-store-test".into())
}

fn sorted(mut deadlines: Vec<Deadline>) -> Vec<Deadline> {
    deadlines.sort_by_key(|d| d.id);
    deadlines
}

/// Every child's stored deadlines are exactly what the engine derives now under `rules`.
async fn assert_cache_matches_engine(app: &TestApp, rules: &DomainConfig, step: &str) -> usize {
    let caller = caller();
    let mut total = 0;
    for child in children::Entity::find()
        .all(&app.db)
        .await
        .expect("children")
    {
        let engine = domain::deadlines::of_child(&app.db, &caller, rules, &child)
            .await
            .expect("derive");
        let engine = sorted(engine.into_iter().map(|n| n.deadline).collect());
        let cached = sorted(stored::of_child(&app.db, child.id).await.expect("stored"));
        assert_eq!(cached, engine, "after {step}, child {}", child.given_name);
        total += cached.len();
    }
    total
}

#[tokio::test]
async fn stored_deadlines_follow_every_kind_of_fact_write_in_its_transaction() {
    for app in spawn_apps().await {
        let rules = server_rules();
        let f = fixture::build(&app).await;
        assert_eq!(
            assert_cache_matches_engine(&app, &rules, "registration").await,
            0
        );
        let school = TestActor::practitioner("school");
        let social_worker = TestActor::practitioner("csc");
        let coordinator = TestActor::coordinator("csc");

        // A referral of a new child, then a second referral and its decision.
        let referred = app
            .ok_as(
                &school,
                "mutation($input: ReferChildInput!) { referChild(input: $input) { child { id } } }",
                json!({ "input": {
                    "child": { "givenName": "Zulu", "familyName": "Testchild", "dateOfBirth": "2009-01-15", "gender": "Male" },
                    "reason": "Synthetic referral.", "referredAt": "2026-09-30T10:00:00Z"
                }}),
            )
            .await;
        let zulu = id_of(&referred["referChild"]["child"]);
        assert!(assert_cache_matches_engine(&app, &rules, "referChild").await >= 2);
        let again = app
            .ok_as(
                &TestActor::practitioner("police"),
                "mutation($input: ReferChildInput!) { referChild(input: $input) { referral { id version } } }",
                json!({ "input": {
                    "child": { "givenName": "Zulu", "familyName": "Testchild", "dateOfBirth": "2009-01-15", "gender": "Male" },
                    "reason": "Synthetic referral from police."
                }}),
            )
            .await;
        app.ok_as(
            &coordinator,
            "mutation($input: DecideReferralInput!) { decideReferral(input: $input) { referral { status } } }",
            json!({ "input": {
                "referralId": again["referChild"]["referral"]["id"], "decision": "ADD_TO_CASE_TEAM",
                "note": "Synthetic: police join.", "expectedVersion": again["referChild"]["referral"]["version"]
            }}),
        )
        .await;
        assert_cache_matches_engine(&app, &rules, "decideReferral").await;

        // An escalating behaviour brings in the designated agencies and a strategy discussion.
        app.ok_as(
            &social_worker,
            "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated } }",
            json!({ "input": { "childId": f.alpha, "occurredOn": "2026-10-01", "disclosedAt": "2026-10-02T09:00:00Z",
                               "setting": "SCHOOL", "contactType": "NON_CONTACT", "description": "Synthetic.",
                               "continuum": "NORMAL", "trafficLight": "RED" } }),
        )
        .await;
        assert_cache_matches_engine(&app, &rules, "recordBehaviour").await;

        // Chronology milestones start and meet deadlines; police answer for the outcome.
        for (kind, at) in [
            ("DISCLOSURE", "2026-10-02T10:00:00Z"),
            ("STRATEGY_DISCUSSION", "2026-10-03T10:00:00Z"),
            ("OUTCOME", "2026-10-20T10:00:00Z"),
        ] {
            chronology_entry(&app, &social_worker, &f.alpha, kind, at).await;
            assert_cache_matches_engine(&app, &rules, kind).await;
        }
        let outcome = deadlines::Entity::find()
            .all(&app.db)
            .await
            .expect("rows")
            .into_iter()
            .find(|d| d.kind == "DISCLOSURE_TO_OUTCOME")
            .expect("a disclosure deadline");
        assert!(outcome.met_at.is_some());

        // A child protection plan: activation, review and closure for a 17-year-old.
        let created = app
            .ok_as(
                &coordinator,
                "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) { jointPlan { id } } }",
                json!({ "input": { "childId": zulu, "title": "Synthetic plan", "pathway": "CHILD_PROTECTION" } }),
            )
            .await;
        let plan = id_of(&created["createJointPlan"]["jointPlan"]);
        activate(&app, &plan).await;
        assert_cache_matches_engine(&app, &rules, "activateJointPlan").await;
        let version = plan_row(&app, &plan).await.version;
        app.ok_as(
            &coordinator,
            REVIEW,
            json!({ "input": {
                "planId": plan, "heldOn": Utc::now().date_naive(), "summary": "Synthetic review.",
                "attendingAgencyIds": [], "expectedVersion": version
            }}),
        )
        .await;
        assert_cache_matches_engine(&app, &rules, "recordPlanReview").await;
        close(&app, &plan).await;
        assert_cache_matches_engine(&app, &rules, "closeJointPlan").await;

        // The case team: a new member, then the member leaving.
        fixture::involve(&app, &f.agency_gid("yjs"), &f.alpha, "yjs").await;
        assert_cache_matches_engine(&app, &rules, "addInvolvement").await;
        let police_on_alpha = entity::involvements::Entity::find()
            .all(&app.db)
            .await
            .expect("team")
            .into_iter()
            .find(|i| {
                i.agency_id == f.agency("police")
                    && i.child_id == crate::helpers::uuid_of(&f.alpha)
                    && i.ended_on.is_none()
            })
            .expect("police joined on escalation");
        app.ok_as(
            &coordinator,
            "mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) { involvement { active } } }",
            json!({ "input": {
                "involvementId": crate::helpers::global_id("Involvement", police_on_alpha.id),
                "reason": "Synthetic: no longer needed.", "expectedVersion": police_on_alpha.version
            }}),
        )
        .await;
        let stored = assert_cache_matches_engine(&app, &rules, "endInvolvement").await;

        // The status filter, computed in SQL, agrees with the engine's status of each row.
        let list = "query($filter: DeadlineFilter) { deadlines(filter: $filter, first: 100) {
            totalCount nodes { status } } }";
        let all = app.ok_as(&coordinator, list, json!({})).await;
        assert_eq!(all["deadlines"]["totalCount"], stored);
        let mut counted = 0;
        for status in ["MET", "MET_LATE", "DUE", "OVERDUE"] {
            let some = app
                .ok_as(
                    &coordinator,
                    list,
                    json!({ "filter": { "status": status } }),
                )
                .await;
            let nodes = some["deadlines"]["nodes"].as_array().expect("nodes");
            assert!(
                nodes.iter().all(|n| n["status"] == status),
                "{status}: {nodes:?}"
            );
            assert_eq!(some["deadlines"]["totalCount"], nodes.len());
            counted += nodes.len();
        }
        assert_eq!(counted, stored, "every deadline has exactly one status");
    }
}

#[tokio::test]
async fn a_policy_change_or_rows_written_outside_the_server_are_fixed_by_the_rebuild() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        chronology_entry(
            &app,
            &social_worker,
            &f.charlie,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        let rules = server_rules();
        assert_cache_matches_engine(&app, &rules, "referral").await;

        // Facts written straight into the database are not in the cache until a rebuild.
        app.db
            .execute_unprepared("DELETE FROM deadlines")
            .await
            .expect("delete");
        assert_eq!(
            stored::ensure_current(&app.db, &rules)
                .await
                .expect("first start-up"),
            Some(2),
            "never derived: rebuilt"
        );
        assert_cache_matches_engine(&app, &rules, "first start-up").await;
        assert_eq!(
            stored::ensure_current(&app.db, &rules)
                .await
                .expect("restart"),
            None,
            "the same rules: nothing to do"
        );

        // A new policy: decisions in five working days.
        let mut policy = Policy::default_policy();
        policy.deadlines.referral_decision_working_days = 5;
        let changed = DomainConfig {
            timescales: std::sync::Arc::new(Timescales::from_policy(&policy)),
            ..server_rules()
        };
        let before = stored::of_child(&app.db, crate::helpers::uuid_of(&f.charlie))
            .await
            .expect("stored");
        assert_eq!(
            stored::ensure_current(&app.db, &changed)
                .await
                .expect("policy change"),
            Some(2)
        );
        assert_cache_matches_engine(&app, &changed, "policy change").await;
        let after = stored::of_child(&app.db, crate::helpers::uuid_of(&f.charlie))
            .await
            .expect("stored");
        let decision = |all: &[Deadline]| {
            all.iter()
                .find(|d| d.kind == api::timescales::deadlines::DeadlineKind::ReferralDecision)
                .map(|d| (d.id, d.due_at))
                .expect("decision")
        };
        assert_eq!(
            decision(&before).0,
            decision(&after).0,
            "the same stable id"
        );
        assert!(decision(&after).1 > decision(&before).1, "due later");
        assert_eq!(
            entity::deadline_policy::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            1
        );
    }
}
