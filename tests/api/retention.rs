//! Retention and legal hold (`docs/product.md`): legal holds placed and released by
//! information governance, a child's `retainUntil` and `retentionRule`, and the retention
//! run (the real binary, and the domain function) with the clock set forward by `--as-of`.

use chrono::{Datelike as _, Duration, NaiveDate, Utc};
use entity::enums::{AuditOutcome, ChildStatus};
use entity::{
    access_grants, affected_children, audit_events, behaviours, children, chronology_entries,
    deadlines, erasures, involvements, joint_plans, legal_holds, plan_events, plan_members,
};
use sea_orm::{ColumnTrait as _, Condition, EntityTrait as _, QueryFilter as _};
use serde_json::{Value, json};
use uuid::Uuid;

mod history;
mod outbox;

use crate::fixture::{self, Fixture};
use crate::helpers::db::{audited, count, count_where};
use crate::helpers::plans::{close as close_plan, create_plan};
use crate::helpers::process::run as concord;
use crate::helpers::refusals::{Audit, Refusal, assert_conflict, assert_refused};
use crate::helpers::{TestActor, TestApp, error_code, global_id, id_of, spawn_apps, uuid_of};

const PLACE: &str = "mutation($input: PlaceLegalHoldInput!) { placeLegalHold(input: $input) {
    legalHold { id childId kind reference reason active placedBy placedByAgency { code }
    releasedAt releasedBy releaseReason version } } }";
const RELEASE: &str = "mutation($input: ReleaseLegalHoldInput!) { releaseLegalHold(input: $input) {
    legalHold { id active releasedBy releaseReason version } } }";
const HOLDS: &str =
    "query($id: ID!) { child(id: $id) { legalHolds { id kind active reference } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on LegalHold { reference active } } }";
const RETENTION: &str = "query($id: ID!) { child(id: $id) { status retainUntil retentionRule } }";
const CLOSE_CASE: &str =
    "mutation($input: CloseCaseInput!) { closeCase(input: $input) { child { status } } }";
const CHILD_VERSION: &str = "query($id: ID!) { child(id: $id) { version } }";
const RECORD_BEHAVIOUR: &str = "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { behaviour { id } } }";
const EMERGENCY: &str = "mutation($input: RequestEmergencyAccessInput!) {
    requestEmergencyAccess(input: $input) { grant { id } } }";

fn ig() -> TestActor {
    TestActor::information_governance("partnership")
}

fn hold_input(child: &str) -> Value {
    json!({ "input": {
        "childId": child, "kind": "SAFEGUARDING_PRACTICE_REVIEW", "reference": "SYNTH-CSPR-001",
        "reason": "Synthetic: a practice review of this case has started."
    }})
}

async fn place(app: &TestApp, child: &str) -> Value {
    app.ok_as(&ig(), PLACE, hold_input(child)).await["placeLegalHold"]["legalHold"].clone()
}

async fn release(app: &TestApp, hold: &Value) -> Value {
    app.ok_as(
        &ig(),
        RELEASE,
        json!({ "input": { "legalHoldId": hold["id"], "reason": "Synthetic: the review is published.",
                "expectedVersion": hold["version"] } }),
    )
    .await["releaseLegalHold"]["legalHold"]
        .clone()
}

/// Closes `child`'s case as its lead coordinator.
async fn close_case(app: &TestApp, child: &str) {
    let csc = TestActor::coordinator("csc");
    let version =
        app.ok_as(&csc, CHILD_VERSION, json!({ "id": child })).await["child"]["version"].clone();
    app.ok_as(
        &csc,
        CLOSE_CASE,
        json!({ "input": { "childId": child, "reason": "Synthetic: work complete.", "expectedVersion": version } }),
    )
    .await;
}

/// A behaviour of `child`, recorded by CSC, naming `affected` (another child's record) if given.
async fn record_behaviour(app: &TestApp, child: &str, affected: Option<&str>) -> String {
    let affected: Vec<Value> = affected
        .map(|id| json!({ "childId": id, "relationship": "classmate" }))
        .into_iter()
        .collect();
    let data = app
        .ok_as(
            &TestActor::practitioner("csc"),
            RECORD_BEHAVIOUR,
            json!({ "input": {
                "childId": child, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-02T10:00:00Z",
                "setting": "SCHOOL", "contactType": "CONTACT", "description": "Synthetic behaviour for a test.",
                "continuum": "ABUSIVE", "indicators": ["FORCE"], "trafficLight": "RED",
                "affectedChildren": affected
            }}),
        )
        .await;
    id_of(&data["recordBehaviour"]["behaviour"])
}

fn today() -> NaiveDate {
    api::timescales::deadlines::london_day(Utc::now())
}

/// `today` moved `years` on.
fn years_on(years: i32) -> NaiveDate {
    let day = today();
    day.with_year(day.year() + years)
        .unwrap_or_else(|| day + Duration::days(i64::from(years) * 366))
}

/// Runs `concord retention run` on the app's database.
fn retention_output(app: &TestApp, args: &[&str]) -> std::process::Output {
    let mut all = vec!["retention", "run"];
    all.extend_from_slice(args);
    concord(&all, &[("CONCORD_DATABASE_URL", app.database_url.as_str())])
}

fn retention_run(app: &TestApp, args: &[&str]) -> String {
    let output = retention_output(app, args);
    let all = args;
    assert!(
        output.status.success(),
        "concord {all:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[tokio::test]
async fn legal_holds_are_information_governance_s_alone_and_every_refusal_is_audited() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let mut refused: Vec<(TestActor, &str)> = Vec::new();
        for agency in ["csc", "school"] {
            for actor in TestActor::case_roles(agency) {
                refused.push((actor, "FORBIDDEN"));
            }
        }
        for actor in TestActor::non_case_roles("partnership") {
            if actor.roles[0] != "INFORMATION_GOVERNANCE" {
                refused.push((actor, "FORBIDDEN"));
            }
        }
        let input = hold_input(&f.alpha);
        assert_refused(
            &app,
            Audit::Denied,
            refused
                .iter()
                .cloned()
                .map(|(actor, code)| Refusal::new(actor, PLACE, input.clone(), code)),
        )
        .await;

        // Any existing child; one that does not exist is NOT_FOUND, audited.
        let missing = global_id("Child", Uuid::now_v7());
        let mut bad = hold_input(&missing);
        assert_refused(
            &app,
            Audit::Denied,
            [Refusal::new(ig(), PLACE, bad.clone(), "NOT_FOUND")],
        )
        .await;
        bad = hold_input(&f.alpha);
        bad["input"]["reference"] = json!("  ");
        let mut short = hold_input(&f.alpha);
        short["input"]["reason"] = json!("too short");
        let mut long = hold_input(&f.alpha);
        long["input"]["reason"] = json!("x".repeat(2001));
        assert_refused(
            &app,
            Audit::Unchecked,
            [
                Refusal::invalid(ig(), PLACE, bad, "reference"),
                Refusal::invalid(ig(), PLACE, short, "reason"),
            ],
        )
        .await;
        assert_eq!(
            error_code(&app.gql_as(&ig(), PLACE, long).await),
            Some("VALIDATION_FAILED")
        );
        assert_eq!(count::<legal_holds::Entity>(&app.db).await, 0);

        // Placed: audited, told to the lead agency alone.
        let hold = place(&app, &f.alpha).await;
        assert_eq!(hold["active"], true);
        assert_eq!(hold["childId"], json!(f.alpha));
        assert_eq!(hold["kind"], "SAFEGUARDING_PRACTICE_REVIEW");
        assert_eq!(hold["placedBy"], ig().sub);
        assert_eq!(hold["placedByAgency"]["code"], "partnership");
        let hold_id = uuid_of(hold["id"].as_str().expect("id"));
        let rows = audited(&app.db, "PLACE_LEGAL_HOLD", hold_id).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].child_id, Some(uuid_of(&f.alpha)));
        let events = plan_events::Entity::find_kind(&app.db, "LEGAL_HOLD_PLACED").await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].audience.0, vec![f.agency("csc")]);
        assert_eq!(events[0].child_id, None, "the case team is not told");

        // Releasing is information governance's too, versioned, with a reason.
        let release_input = json!({ "input": { "legalHoldId": hold["id"],
            "reason": "Synthetic: the review is published.", "expectedVersion": hold["version"] } });
        assert_refused(
            &app,
            Audit::Denied,
            [
                Refusal::new(
                    TestActor::coordinator("csc"),
                    RELEASE,
                    release_input.clone(),
                    "FORBIDDEN",
                ),
                Refusal::new(
                    TestActor::auditor("partnership"),
                    RELEASE,
                    release_input.clone(),
                    "FORBIDDEN",
                ),
            ],
        )
        .await;
        let mut stale = release_input.clone();
        stale["input"]["expectedVersion"] = json!(7);
        assert_conflict(&app.gql_as(&ig(), RELEASE, stale).await, 1);
        let released = release(&app, &hold).await;
        assert_eq!(released["active"], false);
        assert_eq!(released["releasedBy"], ig().sub);
        assert_eq!(
            released["releaseReason"],
            "Synthetic: the review is published."
        );
        assert_eq!(
            audited(&app.db, "RELEASE_LEGAL_HOLD", hold_id).await.len(),
            1
        );
        let mut again = release_input;
        again["input"]["expectedVersion"] = released["version"].clone();
        assert_refused(
            &app,
            Audit::Unchecked,
            [Refusal::invalid(ig(), RELEASE, again, "legalHoldId")],
        )
        .await;
        // A released hold stays on record.
        assert_eq!(count::<legal_holds::Entity>(&app.db).await, 1);
        assert_eq!(
            plan_events::Entity::find_kind(&app.db, "LEGAL_HOLD_RELEASED")
                .await
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn a_child_s_legal_holds_are_seen_by_its_lead_agency_s_case_roles_and_no_other_agency() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let hold = place(&app, &f.alpha).await;
        for actor in TestActor::case_roles("csc") {
            let data = app.ok_as(&actor, HOLDS, json!({ "id": f.alpha })).await;
            assert_eq!(
                data["child"]["legalHolds"],
                json!([{ "id": hold["id"], "kind": "SAFEGUARDING_PRACTICE_REVIEW",
                         "active": true, "reference": "SYNTH-CSPR-001" }]),
                "{actor:?}"
            );
            let node = app.ok_as(&actor, NODE, json!({ "id": hold["id"] })).await;
            assert_eq!(node["node"]["reference"], "SYNTH-CSPR-001", "{actor:?}");
        }
        // The school is on the case team but is not the lead agency.
        for actor in TestActor::case_roles("school") {
            let data = app.ok_as(&actor, HOLDS, json!({ "id": f.alpha })).await;
            assert_eq!(data["child"]["legalHolds"], Value::Null, "{actor:?}");
            let node = app.ok_as(&actor, NODE, json!({ "id": hold["id"] })).await;
            assert_eq!(node["node"], Value::Null, "{actor:?}");
        }
        // A child with no hold: an empty list for the lead agency.
        let data = app
            .ok_as(
                &TestActor::coordinator("csc"),
                HOLDS,
                json!({ "id": f.bravo }),
            )
            .await;
        assert_eq!(data["child"]["legalHolds"], json!([]));
        // Information governance reads the hold by id; others outside the lead agency do not.
        let node = app.ok_as(&ig(), NODE, json!({ "id": hold["id"] })).await;
        assert_eq!(node["node"]["active"], true);
        for actor in [
            TestActor::auditor("partnership"),
            TestActor::coordinator("police"),
        ] {
            let node = app.ok_as(&actor, NODE, json!({ "id": hold["id"] })).await;
            assert_eq!(node["node"], Value::Null, "{actor:?}");
        }
    }
}

#[tokio::test]
async fn retain_until_and_the_rule_follow_the_record_class() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let csc = TestActor::coordinator("csc");
        let read = |child: String| {
            let app = &app;
            let csc = csc.clone();
            async move { app.ok_as(&csc, RETENTION, json!({ "id": child })).await["child"].clone() }
        };
        let alpha = read(f.alpha.clone()).await;
        assert_eq!(
            alpha["retentionRule"],
            "CASE_RECORD: 35 years after last contact"
        );
        let until: NaiveDate = alpha["retainUntil"]
            .as_str()
            .expect("day")
            .parse()
            .expect("day");
        assert!(until.year() >= today().year() + 34, "{alpha}");
        // A partner on the case team does not see the class: it would tell of plans it is
        // not on.
        let school = app
            .ok_as(
                &TestActor::practitioner("school"),
                RETENTION,
                json!({ "id": f.alpha }),
            )
            .await;
        assert_eq!(school["child"]["retainUntil"], Value::Null, "{school}");
        assert_eq!(school["child"]["retentionRule"], Value::Null, "{school}");

        fixture::chronology_entry(
            &app,
            &csc,
            &f.bravo,
            "OUT_OF_COURT_DISPOSAL",
            "2026-10-01T10:00:00Z",
        )
        .await;
        // Social care works on Bravo's case: an out-of-court disposal does not shorten it.
        let bravo = read(f.bravo.clone()).await;
        assert_eq!(
            bravo["retentionRule"],
            "CASE_RECORD: 35 years after last contact"
        );
        fixture::chronology_entry(
            &app,
            &csc,
            &f.bravo,
            "SECTION_47_STARTED",
            "2026-10-02T10:00:00Z",
        )
        .await;
        let bravo = read(f.bravo.clone()).await;
        assert_eq!(
            bravo["retentionRule"],
            "CHILD_PROTECTION: 35 years after last contact"
        );

        children::Entity::update_many()
            .col_expr(
                children::Column::LookedAfter,
                sea_orm::sea_query::Expr::value(true),
            )
            .filter(children::Column::Id.eq(uuid_of(&f.charlie)))
            .exec(&app.db)
            .await
            .expect("looked after");
        let charlie = read(f.charlie.clone()).await;
        assert_eq!(
            charlie["retentionRule"],
            "LOOKED_AFTER: 75 years after date of birth"
        );
        assert_eq!(charlie["retainUntil"], "2088-04-05", "born 2013-04-05");
    }
}

/// Rows about `child` (or its plans) in every table the erasure empties.
async fn rows_about(app: &TestApp, child: Uuid, plans: &[Uuid]) -> u64 {
    count_where::<children::Entity>(&app.db, children::Column::Id.eq(child)).await
        + count_where::<involvements::Entity>(&app.db, involvements::Column::ChildId.eq(child))
            .await
        + count_where::<behaviours::Entity>(&app.db, behaviours::Column::ChildId.eq(child)).await
        + count_where::<chronology_entries::Entity>(
            &app.db,
            chronology_entries::Column::ChildId.eq(child),
        )
        .await
        + count_where::<joint_plans::Entity>(&app.db, joint_plans::Column::ChildId.eq(child)).await
        + count_where::<plan_members::Entity>(
            &app.db,
            plan_members::Column::PlanId.is_in(plans.to_vec()),
        )
        .await
        + count_where::<access_grants::Entity>(&app.db, access_grants::Column::ChildId.eq(child))
            .await
        + count_where::<deadlines::Entity>(&app.db, deadlines::Column::ChildId.eq(child)).await
        + count_where::<legal_holds::Entity>(&app.db, legal_holds::Column::ChildId.eq(child)).await
        + count_where::<plan_events::Entity>(
            &app.db,
            Condition::any()
                .add(plan_events::Column::ChildId.eq(child))
                .add(plan_events::Column::PlanId.is_in(plans.to_vec())),
        )
        .await
}

/// Alpha: a closed child protection case with a behaviour, a chronology entry, a closed
/// plan, an emergency grant and a released hold. Bravo: an open case whose behaviour
/// names Alpha. Charlie: a closed case under an active hold.
async fn scenario(app: &TestApp, f: &Fixture) -> (Vec<Uuid>, Value) {
    record_behaviour(app, &f.alpha, None).await;
    record_behaviour(app, &f.bravo, Some(&f.alpha)).await;
    let csc = TestActor::coordinator("csc");
    fixture::chronology_entry(
        app,
        &csc,
        &f.alpha,
        "SECTION_47_STARTED",
        "2026-11-03T10:00:00Z",
    )
    .await;
    app.ok_as(
        &TestActor::practitioner("camhs"),
        EMERGENCY,
        json!({ "input": { "childId": f.alpha, "reason": "Synthetic: out-of-hours crisis assessment tonight." } }),
    )
    .await;
    let plan = create_plan(app, &f.alpha).await;
    close_plan(app, &plan).await;
    let released = place(app, &f.alpha).await;
    release(app, &released).await;
    close_case(app, &f.alpha).await;
    close_case(app, &f.charlie).await;
    let hold = place(app, &f.charlie).await;
    (vec![uuid_of(&plan)], hold)
}

#[tokio::test]
async fn the_retention_run_erases_exactly_what_is_due_keeps_what_is_held_and_is_idempotent() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let (plans, hold) = scenario(&app, &f).await;
        let (alpha, bravo, charlie) = (uuid_of(&f.alpha), uuid_of(&f.bravo), uuid_of(&f.charlie));
        let alpha_rows = rows_about(&app, alpha, &plans).await;
        let bravo_rows = rows_about(&app, bravo, &[]).await;
        let charlie_rows = rows_about(&app, charlie, &[]).await;
        assert!(
            alpha_rows > 8,
            "the scenario wrote {alpha_rows} rows about Alpha"
        );

        // Today nothing is due.
        let now = retention_run(&app, &[]);
        assert!(
            now.contains("would erase 0 record(s); 0 due record(s)"),
            "{now}"
        );

        // Forty years on: Alpha is due, Charlie held, Bravo (open) never. A dry run
        // changes nothing and prints what --apply then erases.
        let as_of = years_on(40).to_string();
        let dry = retention_run(&app, &["--as-of", &as_of]);
        assert!(
            dry.contains("would erase 1 record(s); 1 due record(s) under legal hold"),
            "{dry}"
        );
        let alpha_line = format!(
            "child {alpha} class CHILD_PROTECTION rule \"CHILD_PROTECTION: 35 years after last contact\""
        );
        assert!(dry.contains(&format!("would erase: {alpha_line}")), "{dry}");
        assert!(
            dry.contains(&format!("held: child {charlie} class CASE_RECORD")),
            "{dry}"
        );
        assert!(!dry.contains(&bravo.to_string()), "{dry}");
        assert_eq!(
            rows_about(&app, alpha, &plans).await,
            alpha_rows,
            "a dry run erases nothing"
        );
        assert_eq!(count::<erasures::Entity>(&app.db).await, 0);

        // Forward in time, --apply needs the operator to say so.
        let refused = retention_output(&app, &["--apply", "--as-of", &as_of]);
        assert!(!refused.status.success());
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("--clock-forward"),
            "{refused:?}"
        );
        let applied = retention_run(&app, &["--apply", "--clock-forward", "--as-of", &as_of]);
        assert!(
            applied.contains(&format!("erased: {alpha_line}")),
            "{applied}"
        );
        assert!(
            applied.contains(&format!("held: child {charlie}")),
            "{applied}"
        );
        assert_eq!(
            rows_about(&app, alpha, &plans).await,
            0,
            "everything about Alpha is gone"
        );
        assert_eq!(
            rows_about(&app, bravo, &[]).await,
            bravo_rows,
            "Bravo is untouched"
        );
        assert_eq!(
            rows_about(&app, charlie, &[]).await,
            charlie_rows,
            "Charlie is held"
        );
        // Bravo's behaviour keeps its affected child, without the link to Alpha's record.
        let affected = affected_children::Entity::find_all(&app.db).await;
        assert_eq!(affected.len(), 1);
        assert_eq!(affected[0].child_id, None);
        assert_eq!(affected[0].relationship, "classmate");

        // The tombstone and the audit row.
        let tomb = erasures::Entity::find_all(&app.db).await;
        assert_eq!(tomb.len(), 1);
        assert_eq!(tomb[0].id, alpha);
        assert_eq!(tomb[0].record_class, "CHILD_PROTECTION");
        assert_eq!(
            tomb[0].rule,
            "CHILD_PROTECTION: 35 years after last contact"
        );
        assert_eq!(tomb[0].erased_by, "retention-run");
        let audit = audited(&app.db, "ERASE_RECORD", alpha).await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor_subject, "retention-run");
        assert_eq!(audit[0].entity_type, "Child");
        assert_eq!(audit[0].outcome, AuditOutcome::Allowed);

        // Idempotent: a second run finds nothing new to erase.
        let again = retention_run(&app, &["--apply", "--clock-forward", "--as-of", &as_of]);
        assert!(
            again.contains("erased 0 record(s); 1 due record(s) under legal hold"),
            "{again}"
        );
        assert_eq!(count::<erasures::Entity>(&app.db).await, 1);

        // Once the hold is released, Charlie goes too (through the domain function).
        release(&app, &hold).await;
        let policy = api::timescales::policy_file::RetentionPolicy::default();
        let day: NaiveDate = as_of.parse().expect("day");
        let done = api::domain::retention::run::apply(&app.db, &policy, day)
            .await
            .expect("apply");
        assert_eq!(done.erased.len(), 1);
        assert_eq!(done.erased[0].child_id, charlie);
        assert_eq!(rows_about(&app, charlie, &[]).await, 0);
        assert_eq!(
            count_where::<children::Entity>(&app.db, children::Column::Id.eq(bravo)).await,
            1
        );
        let erase_rows = count_where::<audit_events::Entity>(
            &app.db,
            audit_events::Column::Action.eq("ERASE_RECORD"),
        )
        .await;
        assert_eq!(erase_rows, 2);
    }
}

#[tokio::test]
async fn an_open_case_is_never_due_whatever_the_dates() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let csc = TestActor::coordinator("csc");
        fixture::chronology_entry(
            &app,
            &csc,
            &f.alpha,
            "OUT_OF_COURT_DISPOSAL",
            "2026-01-01T10:00:00Z",
        )
        .await;
        let policy = api::timescales::policy_file::RetentionPolicy::default();
        let due = api::domain::retention::run::due(&app.db, &policy, years_on(200))
            .await
            .expect("due");
        assert!(due.erase.is_empty() && due.held.is_empty(), "{due:?}");
        let applied = api::domain::retention::run::apply(&app.db, &policy, years_on(200))
            .await
            .expect("apply");
        assert!(applied.erased.is_empty());
        assert_eq!(
            count_where::<children::Entity>(
                &app.db,
                children::Column::Status.eq(ChildStatus::Open)
            )
            .await,
            3
        );
        // Closed, the same record is due once its period has passed: 35 years, since
        // social care and the school worked on it (the out-of-court disposal does not
        // shorten it to 3).
        close_case(&app, &f.alpha).await;
        let due = api::domain::retention::run::due(&app.db, &policy, years_on(36))
            .await
            .expect("due");
        assert_eq!(due.erase.len(), 1);
        assert_eq!(due.erase[0].child_id, uuid_of(&f.alpha));
        assert_eq!(due.erase[0].retention.class.name(), "CASE_RECORD");
        let due = api::domain::retention::run::due(&app.db, &policy, years_on(4))
            .await
            .expect("due");
        assert!(due.erase.is_empty(), "not after 3 years");
    }
}

/// Small readers for this file's assertions.
trait Rows: sea_orm::EntityTrait {
    async fn find_all(db: &sea_orm::DatabaseConnection) -> Vec<Self::Model> {
        Self::find().all(db).await.expect("rows")
    }
}
impl<E: sea_orm::EntityTrait> Rows for E {}

trait EventRows {
    async fn find_kind(db: &sea_orm::DatabaseConnection, kind: &str) -> Vec<plan_events::Model>;
}
impl EventRows for plan_events::Entity {
    async fn find_kind(db: &sea_orm::DatabaseConnection, kind: &str) -> Vec<plan_events::Model> {
        plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq(kind))
            .all(db)
            .await
            .expect("events")
    }
}

#[tokio::test]
async fn the_run_prunes_the_audit_log_older_than_its_retention_and_never_what_is_recent() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let before = count::<audit_events::Entity>(&app.db).await;
        assert!(before > 0);
        // One audit row written eight years ago.
        let actor = api::auth::Actor {
            subject: "synthetic-old".into(),
            name: "Synthetic old".into(),
            agency_id: f.agency("csc"),
            agency_code: "csc".into(),
            agency_kind: entity::enums::AgencyKind::ChildrensSocialCare,
            roles: Default::default(),
            expires_at: Utc::now(),
        };
        let old = api::domain::Caller::new(actor, "synthetic".into())
            .with_now(Utc::now() - Duration::days(8 * 366));
        api::domain::audit::record(
            &app.db,
            &old,
            api::domain::audit::AuditAction::ReadChild,
            api::domain::audit::Target::child(uuid_of(&f.alpha)),
            AuditOutcome::Allowed,
            None,
        )
        .await
        .expect("old row");
        let policy = api::timescales::policy_file::RetentionPolicy::default();
        // A clock set far forward prunes against today: the recent log stays.
        let applied = api::domain::retention::run::apply(&app.db, &policy, years_on(50))
            .await
            .expect("apply");
        assert_eq!(applied.audit_rows_pruned, 1);
        assert_eq!(count::<audit_events::Entity>(&app.db).await, before);
        assert_eq!(
            count_where::<audit_events::Entity>(
                &app.db,
                audit_events::Column::ActorSubject.eq("synthetic-old")
            )
            .await,
            0
        );
    }
}

#[tokio::test]
async fn the_lead_agency_alone_hears_of_a_hold_and_reads_it_from_the_event() {
    use crate::ws_client::GqlSocket;
    use sea_orm::QueryOrder as _;
    const EVENTS: &str = "subscription($after: String) {
        caseTeamEvents(after: $after) { kind childId legalHold { reference active } } }";
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let from = plan_events::Entity::find()
            .order_by_desc(plan_events::Column::Seq)
            .one(&app.db)
            .await
            .expect("seq")
            .map_or(0, |event| event.seq);
        let after = json!({ "after": from.to_string() });
        let mut lead =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("csc").token()).await;
        lead.subscribe("l", EVENTS, after.clone()).await;
        let mut partner =
            GqlSocket::open(&app.ws_url(), &TestActor::practitioner("school").token()).await;
        partner.subscribe("p", EVENTS, after).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;

        let hold = place(&app, &f.alpha).await;
        let heard = lead.next_data("l").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "LEGAL_HOLD_PLACED", "{heard}");
        assert_eq!(heard["childId"], Value::Null);
        assert_eq!(
            heard["legalHold"],
            json!({ "reference": "SYNTH-CSPR-001", "active": true })
        );
        release(&app, &hold).await;
        let heard = lead.next_data("l").await["caseTeamEvents"].clone();
        assert_eq!(heard["kind"], "LEGAL_HOLD_RELEASED", "{heard}");
        assert_eq!(heard["legalHold"]["active"], false);
        partner
            .assert_silent(std::time::Duration::from_millis(800))
            .await;
        lead.close().await;
        partner.close().await;
    }
}

#[tokio::test]
async fn serve_runs_the_retention_schedule_on_its_interval_when_asked_and_logs_it() {
    use crate::helpers::process::Server;
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        close_case(&app, &f.alpha).await;
        // Alpha's last contact was years ago; the local schedule keeps a case record a year.
        chronology_entries::Entity::update_many()
            .col_expr(
                chronology_entries::Column::OccurredAt,
                sea_orm::sea_query::Expr::value(
                    "2020-01-01T10:00:00Z"
                        .parse::<chrono::DateTime<Utc>>()
                        .expect("instant"),
                ),
            )
            .filter(chronology_entries::Column::ChildId.eq(uuid_of(&f.alpha)))
            .exec(&app.db)
            .await
            .expect("backdate");
        let dir = std::env::temp_dir().join(format!("concord-retention-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let policy = dir.join("policy.toml");
        std::fs::write(
            &policy,
            "[retention]\ncase_record_years_after_last_contact = 1\n",
        )
        .expect("policy");
        let policy = policy.display().to_string();
        let mut server = Server::start(&[
            ("CONCORD_DATABASE_URL", app.database_url.as_str()),
            ("CONCORD_JWT_SECRET", crate::helpers::SECRET),
            ("CONCORD_JWT_ISSUER", "i"),
            ("CONCORD_JWT_AUDIENCE", "a"),
            ("CONCORD_LISTEN", "127.0.0.1:0"),
            ("CONCORD_POLICY_FILE", policy.as_str()),
            ("CONCORD_RETENTION_INTERVAL_HOURS", "24"),
        ]);
        // The run logs its summary after it has committed every erasure.
        let run = server.wait_for_log(std::time::Duration::from_secs(30), |line| {
            line["fields"]["message"] == "retention run"
        });
        let log = server.stop();
        let run = run.unwrap_or_else(|| panic!("no retention run logged: {log:?}"));
        let tomb = erasures::Entity::find_all(&app.db).await;
        assert_eq!(tomb.len(), 1, "{log:?}");
        assert_eq!(tomb[0].id, uuid_of(&f.alpha));
        assert_eq!(tomb[0].rule, "CASE_RECORD: 1 year after last contact");
        assert_eq!(count::<children::Entity>(&app.db).await, 2);
        assert_eq!(run["fields"]["erased"], 1, "{run}");
        assert!(
            run["fields"]["erased_children"]
                .as_str()
                .is_some_and(|ids| ids.contains(&uuid_of(&f.alpha).to_string())),
            "{run}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
