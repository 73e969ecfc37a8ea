//! The strategic report (`docs/product.md`) on a fixture whose figures are worked out by hand.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::fixture::{self, chronology_entry};
use crate::helpers::plans::active_plan;
use crate::helpers::refusals::{Audit, assert_refused, by_each};
use crate::helpers::{TestActor, TestApp, error_code, spawn_apps};

/// A chronology entry at `at`.
async fn entry(app: &TestApp, actor: &TestActor, child: &str, kind: &str, at: DateTime<Utc>) {
    chronology_entry(app, actor, child, kind, &at.to_rfc3339()).await;
}

/// An `ASSESSMENT_COMPLETED` milestone at `at`, as assessments recorded only in the
/// chronology (before assessments were records of their own) left it: written as a note,
/// then given the milestone's kind in the database, since `addChronologyEntry` no longer
/// takes it. Later writes for the child re-derive its deadlines from it.
async fn legacy_assessment_completed(
    app: &TestApp,
    actor: &TestActor,
    child: &str,
    at: DateTime<Utc>,
) {
    let added = app
        .ok_as(
            actor,
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
            json!({ "input": { "childId": child, "kind": "NOTE", "occurredAt": at.to_rfc3339(), "summary": "Synthetic." } }),
        )
        .await;
    let id = crate::helpers::uuid_of(
        added["addChronologyEntry"]["entry"]["id"]
            .as_str()
            .expect("id"),
    );
    entity::chronology_entries::Entity::update_many()
        .col_expr(
            entity::chronology_entries::Column::Kind,
            sea_orm::sea_query::Expr::value("ASSESSMENT_COMPLETED"),
        )
        .filter(entity::chronology_entries::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .expect("legacy milestone");
}

async fn behaviour(
    app: &TestApp,
    child: &str,
    light: &str,
    setting: &str,
    disclosed: chrono::DateTime<Utc>,
) {
    let continuum = if light == "AMBER" {
        "PROBLEMATIC"
    } else {
        "NORMAL"
    };
    app.ok_as(
        &TestActor::practitioner("csc"),
        "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated } }",
        json!({ "input": { "childId": child, "occurredOn": disclosed.date_naive().to_string(), "disclosedAt": disclosed.to_rfc3339(),
                           "setting": setting, "contactType": "NON_CONTACT", "description": "Synthetic.", "continuum": continuum,
                           "trafficLight": light } }),
    )
    .await;
}

fn at(month: u32, day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0)
        .single()
        .expect("date")
}

const REPORT: &str = "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) {
    referrals { total { value suppressed } cells { key value suppressed } }
    behavioursByTrafficLight { total { value suppressed } cells { key value suppressed } }
    behavioursBySetting { total { value } cells { key value suppressed } }
    behavioursByAgencyKind { total { value } cells { key value } }
    escalations { total { value suppressed } }
    plansOpened { total { value suppressed } }
    plansClosed { total { value suppressed } }
    consultationsObjected { total { value suppressed } }
    consultationsOverridden { total { value suppressed } }
    disclosureToStrategyDiscussion { count { value suppressed } medianDays p90Days suppressed }
    disclosureToOutcome { count { value } medianDays p90Days suppressed }
    referralToAssessmentCompleted { count { value suppressed } medianDays p90Days suppressed }
    deadlinesMet { agencyKind due { value suppressed } metPercent suppressed }
    recurrence { plansClosed { value suppressed } followedByNewBehaviour { value suppressed } } } }";

fn cell<'a>(breakdown: &'a Value, key: &str) -> &'a Value {
    breakdown["cells"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["key"] == key))
        .expect("cell")
}

#[tokio::test]
async fn the_report_gives_hand_worked_figures_with_small_numbers_suppressed() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let social_worker = TestActor::practitioner("csc");
        let mut kids = Vec::new();
        for i in 1..=6 {
            kids.push(fixture::register(&app, &format!("Report{i}")).await);
        }
        for kid in &kids[..2] {
            fixture::involve(&app, &f.agency_gid("school"), kid, "school").await;
        }
        // Referrals: five by social care (11-15 January), two by the school (20 January).
        for (i, kid) in kids[..5].iter().enumerate() {
            entry(
                &app,
                &social_worker,
                kid,
                "REFERRAL",
                at(1, 11 + u32::try_from(i).expect("small"), 9),
            )
            .await;
        }
        for kid in &kids[..2] {
            entry(
                &app,
                &TestActor::practitioner("school"),
                kid,
                "REFERRAL",
                at(1, 20, 9),
            )
            .await;
        }
        // Assessments completed for children 1 and 2 only.
        legacy_assessment_completed(&app, &social_worker, &kids[0], at(2, 1, 9)).await;
        legacy_assessment_completed(&app, &social_worker, &kids[1], at(2, 10, 9)).await;
        // Disclosures on 1-6 February; strategy discussions 1, 2, 2, 3, 5 and 10 days later;
        // outcomes for children 1-5 after 30, 60, 90, 100 and 150 days.
        let to_discussion = [1, 2, 2, 3, 5, 10];
        let to_outcome = [30, 60, 90, 100, 150];
        for (i, kid) in kids.iter().enumerate() {
            let disclosed = at(2, 1 + u32::try_from(i).expect("small"), 10);
            entry(&app, &social_worker, kid, "DISCLOSURE", disclosed).await;
            entry(
                &app,
                &social_worker,
                kid,
                "STRATEGY_DISCUSSION",
                disclosed + Duration::days(to_discussion[i]),
            )
            .await;
            if let Some(days) = to_outcome.get(i) {
                entry(
                    &app,
                    &social_worker,
                    kid,
                    "OUTCOME",
                    disclosed + Duration::days(*days),
                )
                .await;
            }
        }
        // Behaviours: six GREEN at school, two AMBER online.
        for kid in &kids {
            behaviour(&app, kid, "GREEN", "SCHOOL", at(2, 15, 12)).await;
        }
        for kid in &kids[..2] {
            behaviour(&app, kid, "AMBER", "ONLINE", at(3, 1, 12)).await;
        }
        // One plan opened and closed, then a new behaviour at home: recurrence.
        let (plan, version) = active_plan(&app, &f, &kids[0], &[]).await;
        app.ok_as(
            &TestActor::coordinator("csc"),
            "mutation($input: PlanVersionInput!) { closeJointPlan(input: $input) { jointPlan { status } } }",
            json!({ "input": { "planId": plan, "expectedVersion": version } }),
        )
        .await;
        behaviour(
            &app,
            &kids[0],
            "GREEN",
            "HOME",
            Utc::now() + Duration::minutes(1),
        )
        .await;

        let analyst = TestActor::analyst("partnership");
        let to = (Utc::now() + Duration::days(1)).to_rfc3339();
        let data = app
            .ok_as(
                &analyst,
                REPORT,
                json!({ "from": "2026-01-01T00:00:00Z", "to": to }),
            )
            .await;
        let r = &data["strategicReport"];

        // Referrals 5 + 2: the 2 is withheld, and so is its complement, the 5.
        assert_eq!(
            r["referrals"]["total"],
            json!({ "value": 7, "suppressed": false })
        );
        assert_eq!(
            cell(&r["referrals"], "EDUCATION"),
            &json!({ "key": "EDUCATION", "value": null, "suppressed": true })
        );
        assert_eq!(
            cell(&r["referrals"], "CHILDRENS_SOCIAL_CARE")["suppressed"],
            true
        );
        assert_eq!(
            cell(&r["referrals"], "POLICE"),
            &json!({ "key": "POLICE", "value": 0, "suppressed": false })
        );
        // Behaviours: GREEN 7, AMBER 2 (withheld, with GREEN as its complement), RED 0.
        assert_eq!(
            r["behavioursByTrafficLight"]["total"],
            json!({ "value": 9, "suppressed": false })
        );
        assert_eq!(
            cell(&r["behavioursByTrafficLight"], "AMBER")["suppressed"],
            true
        );
        assert_eq!(
            cell(&r["behavioursByTrafficLight"], "GREEN")["suppressed"],
            true
        );
        assert_eq!(cell(&r["behavioursByTrafficLight"], "RED")["value"], 0);
        // Settings: SCHOOL 6, ONLINE 2 and HOME 1 (two small cells protect each other).
        assert_eq!(cell(&r["behavioursBySetting"], "SCHOOL")["value"], 6);
        assert_eq!(
            cell(&r["behavioursBySetting"], "ONLINE")["suppressed"],
            true
        );
        assert_eq!(cell(&r["behavioursBySetting"], "HOME")["suppressed"], true);
        assert_eq!(
            cell(&r["behavioursByAgencyKind"], "CHILDRENS_SOCIAL_CARE")["value"],
            9
        );
        assert_eq!(
            r["escalations"]["total"],
            json!({ "value": 0, "suppressed": false })
        );
        // One plan opened and closed: withheld.
        assert_eq!(
            r["plansOpened"]["total"],
            json!({ "value": null, "suppressed": true })
        );
        assert_eq!(
            r["plansClosed"]["total"],
            json!({ "value": null, "suppressed": true })
        );
        assert_eq!(r["consultationsObjected"]["total"]["value"], 0);
        assert_eq!(r["consultationsOverridden"]["total"]["value"], 0);
        // Disclosure → strategy discussion: 1, 2, 2, 3, 5, 10 days: median of the 3rd and 4th
        // (2 and 3) is 2.5; the 90th percentile is rank ceil(0.9 × 6) = 6, 10 days.
        assert_eq!(
            r["disclosureToStrategyDiscussion"],
            json!({ "count": { "value": 6, "suppressed": false }, "medianDays": 2.5, "p90Days": 10.0, "suppressed": false })
        );
        // Disclosure → outcome: 30, 60, 90, 100, 150: median 90; rank ceil(4.5) = 5, 150.
        assert_eq!(
            r["disclosureToOutcome"],
            json!({ "count": { "value": 5 }, "medianDays": 90.0, "p90Days": 150.0, "suppressed": false })
        );
        // Referral → assessment: four pairs (each referral of children 1 and 2): withheld.
        assert_eq!(
            r["referralToAssessmentCompleted"],
            json!({ "count": { "value": null, "suppressed": true }, "medianDays": null, "p90Days": null, "suppressed": true })
        );
        // Deadlines answerable by social care: 7 referral decisions (none met), 7
        // assessments (4 met: both referrals of children 1 and 2), 6 disclosure targets (4
        // met within 120 days; 150 days is late, and child 6 has none), and one initial
        // conference for child 1, whose plan is on the child protection pathway (none
        // held): 8 of 21 = 38.1%.
        let csc = r["deadlinesMet"]
            .as_array()
            .and_then(|d| {
                d.iter()
                    .find(|d| d["agencyKind"] == "CHILDRENS_SOCIAL_CARE")
            })
            .expect("csc");
        assert_eq!(
            csc,
            &json!({ "agencyKind": "CHILDRENS_SOCIAL_CARE", "due": { "value": 21, "suppressed": false }, "metPercent": 38.1, "suppressed": false })
        );
        let police = r["deadlinesMet"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["agencyKind"] == "POLICE"))
            .expect("police");
        assert_eq!(police["due"]["value"], 0);
        assert_eq!(police["suppressed"], false);
        assert_eq!(r["recurrence"]["plansClosed"]["suppressed"], true);
        assert_eq!(
            r["recurrence"]["followedByNewBehaviour"]["suppressed"],
            true
        );

        // Nothing in the whole report names or identifies a child.
        let text = data.to_string();
        for kid in &kids {
            assert!(!text.contains(kid.as_str()));
        }
        assert!(
            !text.contains("Report1")
                && !text.contains("Testchild")
                && !text.contains("2013-04-05")
        );
    }
}

#[tokio::test]
async fn only_the_strategic_analyst_reads_the_report_and_periods_are_checked() {
    for app in spawn_apps().await {
        fixture::build(&app).await;
        let window = json!({ "from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z" });
        let others = [
            TestActor::coordinator("csc"),
            TestActor::practitioner("police"),
            TestActor::auditor("partnership"),
            TestActor::admin("partnership"),
        ];
        let refused = others.map(|actor| (actor, "FORBIDDEN"));
        assert_refused(&app, Audit::Unchecked, by_each(REPORT, &window, refused)).await;
        let analyst = TestActor::analyst("partnership");
        let backwards = app
            .gql_as(
                &analyst,
                REPORT,
                json!({ "from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z" }),
            )
            .await;
        assert_eq!(backwards["errors"][0]["extensions"]["field"], "to");
        let too_long = app
            .gql_as(
                &analyst,
                REPORT,
                json!({ "from": "2000-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z" }),
            )
            .await;
        assert_eq!(error_code(&too_long), Some("LIMIT_EXCEEDED"));
        let empty = app.ok_as(&analyst, REPORT, window).await;
        assert_eq!(empty["strategicReport"]["referrals"]["total"]["value"], 0);
    }
}

#[tokio::test]
async fn a_report_covers_whole_months_so_two_periods_a_moment_apart_answer_alike() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        // Five behaviours in November, the last at 10:00 on the 10th.
        for day in [2, 3, 4, 5, 10] {
            behaviour(&app, &f.alpha, "RED", "HOME", at(11, day, 10)).await;
        }
        let analyst = TestActor::analyst("partnership");
        let report = |to: &'static str| {
            let analyst = analyst.clone();
            let app = &app;
            async move {
                app.ok_as(
                    &analyst,
                    "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) {
                        from to behavioursByTrafficLight { total { value suppressed } } } }",
                    json!({ "from": "2026-11-01T12:00:00Z", "to": to }),
                )
                .await["strategicReport"]
                    .clone()
            }
        };
        // A second before and a second after the last behaviour: asked as such, the two
        // would differ by that one behaviour.
        let before = report("2026-11-10T09:59:59Z").await;
        let after = report("2026-11-10T10:00:01Z").await;
        assert_eq!(before, after);
        assert_eq!(before["from"], "2026-11-01T00:00:00Z");
        assert_eq!(before["to"], "2026-12-01T00:00:00Z");
        assert_eq!(before["behavioursByTrafficLight"]["total"]["value"], 5);
        // A period that starts and ends on months stays as asked.
        let month = app
            .ok_as(
                &analyst,
                "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) { from to } }",
                json!({ "from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z" }),
            )
            .await;
        assert_eq!(
            month["strategicReport"],
            json!({ "from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z" })
        );
    }
}
