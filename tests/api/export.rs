//! `exportChildRecord` (`docs/subject-access.md`): the subject access export, for
//! information governance only; every section there, every other child's identity
//! absent, restricted entries marked, audited, and a bounded number of statements.
//!
//! The record is written straight into the database (the rows the mutations would
//! write), so that every section has content without walking every mutation.

use chrono::{Duration, NaiveDate, Utc};
use entity::enums::{
    ActionKind, ActionStatus, AgencyIds, AgencyKind, AssessmentStatus, ChildStatus, ChronologyKind,
    ConcernLevel, ConsultationStatus, ContactType, Continuum, ContributionStatus,
    DisclosureEntryKind, DisclosureStatus, DomainEntry, DomainList, Indicator, Indicators,
    InvolvementRole, LegalHoldKind, Pathway, PlanStatus, ReferralStatus, Sensitivity, Setting,
    TrafficLight,
};
use entity::{
    affected_children, assessment_contributions, assessment_needs, assessments, audit_events,
    behaviours, children, chronology_entries, consultations, deadline_notes, deadlines,
    disclosure_requests, involvements, joint_plans, legal_holds, plan_actions, plan_members,
    plan_reviews, record_versions, referrals,
};
use sea_orm::{ActiveModelTrait, ColumnTrait as _, EntityTrait, IntoActiveModel, QueryFilter as _};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestActor, TestApp, error_code, global_id, spawn_apps};

const EXPORT: &str = "query($id: ID!) { exportChildRecord(childId: $id) {
    format generatedAt document } }";

/// The most statements one export may take, however long the record.
const EXPORT_MAX: u64 = 30;

/// The other child's identity: none of it may appear in the first child's export.
const OTHER_GIVEN: &str = "Zephyrine";
const OTHER_FAMILY: &str = "Quillbrook";
const OTHER_NHS: &str = "9990000026";
const OTHER_UPN: &str = "Z999000000026";

struct Agencies {
    csc: Uuid,
    police: Uuid,
    school: Uuid,
}

struct Seeded {
    child: Uuid,
    other: Uuid,
    behaviour: Uuid,
    restricted_behaviour: Uuid,
    restricted_entry: Uuid,
    plan: Uuid,
    assessment: Uuid,
    restricted_contribution: Uuid,
}

fn ts(days_ago: i64) -> chrono::DateTime<Utc> {
    Utc::now() - Duration::days(days_ago)
}

fn child_row(given: &str, family: &str, nhs: &str, upn: &str) -> children::Model {
    let dob = NaiveDate::from_ymd_opt(2013, 4, 5).unwrap_or_default();
    children::Model {
        id: Uuid::now_v7(),
        match_key: api::domain::children::match_key(family, given, dob),
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: dob,
        gender: "Not recorded".into(),
        nhs_number: Some(nhs.into()),
        unique_pupil_number: Some(upn.into()),
        local_authority_ref: Some("LA-SYNTH-1".into()),
        police_ref: None,
        send: true,
        looked_after: false,
        status: ChildStatus::Open,
        version: 1,
        created_at: ts(40),
        updated_at: ts(40),
    }
}

fn involvement(child: Uuid, agency: Uuid, role: InvolvementRole) -> involvements::Model {
    involvements::Model {
        id: Uuid::now_v7(),
        child_id: child,
        agency_id: agency,
        role,
        lead_practitioner: Some("Synthetic Worker".into()),
        started_on: ts(40).date_naive(),
        ended_on: None,
        reason: Some("Synthetic involvement reason.".into()),
        end_reason: None,
        version: 1,
        created_at: ts(40),
        updated_at: ts(40),
    }
}

fn behaviour(
    child: Uuid,
    agency: Uuid,
    sensitivity: Sensitivity,
    description: &str,
) -> behaviours::Model {
    behaviours::Model {
        id: Uuid::now_v7(),
        child_id: child,
        agency_id: agency,
        recorded_by: "synthetic-recorder".into(),
        occurred_on: ts(30).date_naive(),
        disclosed_at: ts(29),
        setting: Setting::School,
        contact_type: ContactType::NonContact,
        description: description.into(),
        continuum: Continuum::Problematic,
        traffic_light: TrafficLight::Amber,
        suggested_traffic_light: TrafficLight::Amber,
        indicators: Indicators(vec![Indicator::Secrecy]),
        classification_rationale: Some("Synthetic rationale.".into()),
        escalated: false,
        sensitivity,
        shared_with: AgencyIds(vec![]),
        version: 1,
        created_at: ts(29),
        updated_at: ts(29),
        entered_in_error_at: None,
        entered_in_error_by: None,
        entered_in_error_reason: None,
    }
}

fn entry(
    child: Uuid,
    agency: Uuid,
    sensitivity: Sensitivity,
    summary: &str,
) -> chronology_entries::Model {
    chronology_entries::Model {
        id: Uuid::now_v7(),
        child_id: child,
        behaviour_id: None,
        kind: ChronologyKind::Note,
        occurred_at: ts(20),
        agency_id: agency,
        recorded_by: "synthetic-recorder".into(),
        summary: summary.into(),
        sensitivity,
        shared_with: AgencyIds(vec![]),
        version: 1,
        created_at: ts(20),
        updated_at: ts(20),
        entered_in_error_at: None,
        entered_in_error_by: None,
        entered_in_error_reason: None,
    }
}

async fn put<A, M>(app: &TestApp, row: M)
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    let row: A = row.into_active_model().reset_all();
    <A::Entity as EntityTrait>::insert(row)
        .exec_without_returning(&app.db)
        .await
        .expect("seed row");
}

async fn agencies(app: &TestApp) -> Agencies {
    Agencies {
        csc: app.add_agency("csc", AgencyKind::ChildrensSocialCare).await,
        police: app.add_agency("police", AgencyKind::Police).await,
        school: app.add_agency("school", AgencyKind::Education).await,
    }
}

/// A child with a full record, and a second child linked to it as an affected child
/// (and naming the first child as affected in one of its own behaviours).
async fn seed(app: &TestApp, a: &Agencies, n: u32) -> Seeded {
    // Identifiers are unique: record `n` varies them (record 0 has the constants).
    let vary = |text: &str| {
        if n == 0 {
            text.to_owned()
        } else {
            format!("{}{n}", &text[..text.len() - 1])
        }
    };
    let first = child_row(
        "Exportia",
        "Testchild",
        &vary("9990000018"),
        &vary("A999000000018"),
    );
    let other = child_row(
        OTHER_GIVEN,
        OTHER_FAMILY,
        &vary(OTHER_NHS),
        &vary(OTHER_UPN),
    );
    let (child, other_id) = (first.id, other.id);
    put(app, first).await;
    put(app, other).await;
    put(app, involvement(child, a.csc, InvolvementRole::Lead)).await;
    put(app, involvement(child, a.police, InvolvementRole::Partner)).await;
    put(app, involvement(other_id, a.csc, InvolvementRole::Lead)).await;

    // A behaviour of the first child that affected the second, linked to its record.
    let shared = behaviour(
        child,
        a.csc,
        Sensitivity::Standard,
        "Synthetic standard behaviour.",
    );
    let behaviour_id = shared.id;
    put(app, shared).await;
    put(
        app,
        affected_children::Model {
            id: Uuid::now_v7(),
            behaviour_id,
            child_id: Some(other_id),
            given_name: Some(OTHER_GIVEN.into()),
            family_name: Some(OTHER_FAMILY.into()),
            age_at_time: Some(9),
            relationship: "Cousin (synthetic)".into(),
            version: 1,
            created_at: ts(29),
            updated_at: ts(29),
        },
    )
    .await;
    let secret = behaviour(
        child,
        a.police,
        Sensitivity::Restricted,
        "Synthetic restricted police intelligence.",
    );
    let restricted_behaviour = secret.id;
    put(app, secret).await;
    // The second child's own behaviour, naming the first child as affected.
    let theirs = behaviour(
        other_id,
        a.csc,
        Sensitivity::Standard,
        "Synthetic other behaviour.",
    );
    let theirs_id = theirs.id;
    put(app, theirs).await;
    put(
        app,
        affected_children::Model {
            id: Uuid::now_v7(),
            behaviour_id: theirs_id,
            child_id: Some(child),
            given_name: Some("Exportia".into()),
            family_name: Some("Testchild".into()),
            age_at_time: Some(12),
            relationship: "Classmate (synthetic)".into(),
            version: 1,
            created_at: ts(28),
            updated_at: ts(28),
        },
    )
    .await;

    let restricted = entry(
        child,
        a.police,
        Sensitivity::Restricted,
        "Synthetic restricted chronology note.",
    );
    let restricted_entry = restricted.id;
    put(app, restricted).await;
    let mut struck = entry(
        child,
        a.csc,
        Sensitivity::Standard,
        "Synthetic standard note.",
    );
    struck.entered_in_error_at = Some(ts(2));
    struck.entered_in_error_by = Some("synthetic-worker".into());
    struck.entered_in_error_reason = Some("Synthetic: wrong child's file.".into());
    put(app, struck).await;

    let plan = joint_plans::Model {
        id: Uuid::now_v7(),
        child_id: child,
        title: "Synthetic plan".into(),
        status: PlanStatus::Active,
        pathway: Pathway::ChildInNeed,
        lead_agency_id: a.csc,
        risk_summary: Some("Synthetic risk summary.".into()),
        next_review_due: Some(ts(-20).date_naive()),
        activated_at: Some(ts(15)),
        closed_at: None,
        version: 2,
        created_at: ts(16),
        updated_at: ts(15),
    };
    let plan_id = plan.id;
    put(app, plan).await;
    for agency in [a.csc, a.police] {
        put(
            app,
            plan_members::Model {
                id: Uuid::now_v7(),
                plan_id,
                agency_id: agency,
                removed_at: None,
                version: 1,
                created_at: ts(16),
                updated_at: ts(16),
            },
        )
        .await;
    }
    let action = plan_actions::Model {
        id: Uuid::now_v7(),
        plan_id,
        assigned_agency_id: a.police,
        kind: ActionKind::Intervention,
        description: "Synthetic action.".into(),
        due_on: None,
        status: ActionStatus::AwaitingConsultation,
        created_by: "synthetic-coordinator".into(),
        version: 1,
        created_at: ts(14),
        updated_at: ts(14),
    };
    let action_id = action.id;
    put(app, action).await;
    put(
        app,
        consultations::Model {
            id: Uuid::now_v7(),
            action_id,
            agency_id: a.csc,
            status: ConsultationStatus::Requested,
            response_note: None,
            responded_by: None,
            responded_at: None,
            override_reason: None,
            overridden_by: None,
            overridden_at: None,
            version: 1,
            created_at: ts(14),
            updated_at: ts(14),
        },
    )
    .await;
    put(
        app,
        plan_reviews::Model {
            id: Uuid::now_v7(),
            plan_id,
            held_on: ts(5).date_naive(),
            attending_agencies: AgencyIds(vec![a.csc, a.police]),
            summary: "Synthetic review summary.".into(),
            next_review_due: None,
            recorded_by: "synthetic-coordinator".into(),
            version: 1,
            created_at: ts(5),
            updated_at: ts(5),
        },
    )
    .await;

    let assessment = assessments::Model {
        id: Uuid::now_v7(),
        child_id: child,
        framework_code: "SYNTH".into(),
        framework_version: "1".into(),
        framework_name: "Synthetic framework".into(),
        framework_min_age: 5,
        framework_max_age: 17,
        domains: DomainList(vec![DomainEntry {
            code: "FAMILY".into(),
            name: "Family".into(),
            dimensions: vec![],
        }]),
        lead_agency_id: a.csc,
        started_by: "synthetic-lead".into(),
        started_at: ts(12),
        due_on: ts(-18).date_naive(),
        status: AssessmentStatus::InProgress,
        supersedes_id: None,
        formulation: None,
        hsb_concern: None,
        level_of_need: None,
        recommended_pathway: None,
        intervention_intensity: None,
        completed_by: None,
        completed_at: None,
        completed_on: None,
        version: 1,
        created_at: ts(12),
        updated_at: ts(12),
    };
    let assessment_id = assessment.id;
    put(app, assessment).await;
    let contribution = assessment_contributions::Model {
        id: Uuid::now_v7(),
        assessment_id,
        child_id: child,
        agency_id: a.police,
        domain: "FAMILY".into(),
        status: ContributionStatus::Contributed,
        requested_by: "synthetic-lead".into(),
        requested_at: ts(11),
        concerns: Some("Synthetic restricted concerns.".into()),
        strengths: Some("Synthetic strengths.".into()),
        level: Some(ConcernLevel::Medium),
        sources: None,
        sensitivity: Sensitivity::Restricted,
        shared_with: AgencyIds(vec![]),
        contributed_by: Some("synthetic-officer".into()),
        contributed_at: Some(ts(10)),
        version: 2,
        created_at: ts(11),
        updated_at: ts(10),
    };
    let restricted_contribution = contribution.id;
    put(app, contribution).await;
    put(
        app,
        assessment_needs::Model {
            id: Uuid::now_v7(),
            assessment_id,
            child_id: child,
            domain: "FAMILY".into(),
            statement: "Synthetic need.".into(),
            position: 1,
            created_at: ts(10),
            updated_at: ts(10),
        },
    )
    .await;

    put(
        app,
        referrals::Model {
            id: Uuid::now_v7(),
            child_id: child,
            referring_agency_id: a.school,
            referred_by: "synthetic-teacher".into(),
            reason: "Synthetic referral reason.".into(),
            referred_at: ts(35),
            status: ReferralStatus::NoFurtherAction,
            decision_note: Some("Synthetic decision.".into()),
            decided_by: Some("synthetic-lead".into()),
            deciding_agency_id: Some(a.csc),
            decided_at: Some(ts(34)),
            version: 2,
            created_at: ts(35),
            updated_at: ts(34),
        },
    )
    .await;
    put(
        app,
        disclosure_requests::Model {
            id: Uuid::now_v7(),
            child_id: child,
            entry_kind: DisclosureEntryKind::ChronologyEntry,
            entry_id: restricted_entry,
            recording_agency_id: a.police,
            requesting_agency_id: a.csc,
            requested_by: "synthetic-worker".into(),
            reason: "Synthetic disclosure reason.".into(),
            requested_at: ts(8),
            status: DisclosureStatus::Requested,
            decision_reason: None,
            decided_by: None,
            decided_at: None,
            version: 1,
            created_at: ts(8),
            updated_at: ts(8),
        },
    )
    .await;
    let deadline = deadlines::Model {
        id: Uuid::now_v7(),
        child_id: child,
        kind: "STRATEGY_DISCUSSION".into(),
        responsible_agency_id: Some(a.csc),
        started_at: ts(29),
        due_at: ts(26),
        met_at: None,
    };
    let deadline_id = deadline.id;
    put(app, deadline).await;
    put(
        app,
        deadline_notes::Model {
            id: Uuid::now_v7(),
            deadline_id,
            child_id: child,
            agency_id: a.csc,
            reason: "Synthetic late reason.".into(),
            recorded_by: "synthetic-lead".into(),
            version: 1,
            created_at: ts(25),
            updated_at: ts(25),
        },
    )
    .await;
    // A correction of the child's name and of the restricted behaviour (slice: record
    // history), and a legal hold.
    let versions = [
        (
            "Child",
            child,
            json!({ "givenName": "Exporta", "familyName": "Testchild" }),
            vec!["givenName".to_owned()],
        ),
        (
            "Behaviour",
            restricted_behaviour,
            json!({ "description": "Synthetic earlier wording.", "sensitivity": "RESTRICTED",
                    "sharedWith": [a.csc.to_string()] }),
            vec!["description".to_owned()],
        ),
    ];
    for (entity_type, entity_id, snapshot, changed) in versions {
        put(
            app,
            record_versions::Model {
                id: Uuid::now_v7(),
                entity_type: entity_type.into(),
                entity_id,
                child_id: child,
                version: 1,
                snapshot,
                changed_fields: record_versions::FieldNames(changed),
                reason: "Synthetic correction reason.".into(),
                amended_by: "synthetic-lead".into(),
                amended_by_agency_id: a.csc,
                amended_at: ts(4),
                created_at: ts(4),
                updated_at: ts(4),
            },
        )
        .await;
    }
    put(
        app,
        legal_holds::Model {
            id: Uuid::now_v7(),
            child_id: child,
            kind: LegalHoldKind::Litigation,
            reference: "SYNTH-LIT-1".into(),
            reason: "Synthetic hold reason.".into(),
            placed_by: "information_governance-csc".into(),
            placed_by_agency_id: a.csc,
            placed_at: ts(3),
            released_at: None,
            released_by: None,
            release_reason: None,
            version: 1,
            created_at: ts(3),
            updated_at: ts(3),
        },
    )
    .await;
    Seeded {
        child,
        other: other_id,
        behaviour: behaviour_id,
        restricted_behaviour,
        restricted_entry,
        plan: plan_id,
        assessment: assessment_id,
        restricted_contribution,
    }
}

/// Exports `child` as information governance; the document, parsed, and its text.
async fn export(app: &TestApp, child: Uuid) -> (Value, String, u64) {
    let ig = TestActor::information_governance("csc");
    let (data, statements) = app
        .ok_counted(&ig, EXPORT, json!({ "id": global_id("Child", child) }))
        .await;
    let export = &data["exportChildRecord"];
    assert_eq!(export["format"], "concord.child-record/1");
    assert!(export["generatedAt"].is_string(), "{export}");
    let text = export["document"].as_str().expect("document").to_owned();
    let document: Value = serde_json::from_str(&text).expect("one JSON document");
    (document, text, statements)
}

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .and_then(|items| items.iter().find(|item| item["id"] == id))
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

#[tokio::test]
async fn information_governance_exports_everything_held_with_other_children_redacted() {
    for app in spawn_apps().await {
        let a = agencies(&app).await;
        let s = seed(&app, &a, 0).await;
        // A read by the case team, for the access report.
        app.ok_as(
            &TestActor::practitioner("police"),
            "query($id: ID!) { child(id: $id) { id } }",
            json!({ "id": global_id("Child", s.child) }),
        )
        .await;

        let (doc, text, _) = export(&app, s.child).await;
        let backend = format!("{:?}", app.backend);

        // The record.
        assert_eq!(doc["format"], "concord.child-record/1", "{backend}");
        assert_eq!(doc["child"]["id"], global_id("Child", s.child));
        assert_eq!(doc["child"]["givenName"], "Exportia");
        assert_eq!(doc["child"]["identifiers"]["nhsNumber"], "9990000018");
        assert_eq!(
            doc["child"]["identifiers"]["uniquePupilNumber"],
            "A999000000018"
        );
        assert_eq!(doc["child"]["flags"]["send"], true);
        assert_eq!(doc["child"]["status"], "OPEN");
        assert_eq!(doc["generatedBy"]["subject"], "information_governance-csc");

        // Involvements, with agency names and kinds.
        let team = doc["involvements"].as_array().cloned().unwrap_or_default();
        assert_eq!(team.len(), 2, "{backend}: {team:?}");
        assert_eq!(team[0]["agency"]["code"], "csc");
        assert_eq!(team[0]["agency"]["kind"], "CHILDRENS_SOCIAL_CARE");
        assert_eq!(team[0]["role"], "LEAD");
        assert_eq!(team[1]["agency"]["name"], "Test police");

        // Behaviours: all fields, the affected child reduced to age and relationship.
        let behaviour = find(&doc["behaviours"], &global_id("Behaviour", s.behaviour));
        assert_eq!(behaviour["description"], "Synthetic standard behaviour.");
        assert_eq!(behaviour["indicators"], json!(["SECRECY"]));
        assert_eq!(behaviour["trafficLight"], "AMBER");
        assert_eq!(behaviour["continuum"], "PROBLEMATIC");
        assert_eq!(behaviour["restricted"], false);
        assert_eq!(behaviour["reviewBeforeDisclosure"], true, "free text");
        let affected = &behaviour["affectedChildren"][0];
        assert_eq!(affected["ageAtTime"], 9);
        assert_eq!(affected["relationship"], "Cousin (synthetic)");
        assert_eq!(affected["identityRedacted"], true);
        let keys: Vec<&String> = affected
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        for forbidden in ["givenName", "familyName", "childId", "child"] {
            assert!(!keys.iter().any(|k| *k == forbidden), "{affected}");
        }

        // Restricted entries: in full, marked for the recording agency's review.
        for (section, id) in [
            ("behaviours", global_id("Behaviour", s.restricted_behaviour)),
            (
                "chronology",
                global_id("ChronologyEntry", s.restricted_entry),
            ),
        ] {
            let entry = find(&doc[section], &id);
            assert_eq!(entry["restricted"], true, "{section}: {entry}");
            assert_eq!(entry["reviewBeforeDisclosure"], true, "{section}: {entry}");
            assert_eq!(
                entry["recordingAgency"]["code"], "police",
                "{section}: {entry}"
            );
            assert_eq!(entry["recordingAgency"]["name"], "Test police");
        }
        let secret = find(
            &doc["behaviours"],
            &global_id("Behaviour", s.restricted_behaviour),
        );
        assert_eq!(
            secret["description"],
            "Synthetic restricted police intelligence."
        );
        let chronology = doc["chronology"].as_array().cloned().unwrap_or_default();
        assert_eq!(chronology.len(), 2, "{backend}");
        let standard = chronology
            .iter()
            .find(|e| e["restricted"] == false)
            .expect("standard entry");
        assert_eq!(standard["summary"], "Synthetic standard note.");

        assert_eq!(
            standard["enteredInError"]["reason"],
            "Synthetic: wrong child's file."
        );
        assert!(
            find(
                &doc["chronology"],
                &global_id("ChronologyEntry", s.restricted_entry)
            )["enteredInError"]
                .is_null()
        );

        // History: the child's earlier name, the restricted behaviour's earlier wording
        // (restricted in its history too), and the legal hold.
        let history = &doc["child"]["history"];
        assert_eq!(
            history[0]["values"]["givenName"], "Exporta",
            "{backend}: {history}"
        );
        assert_eq!(history[0]["changedFields"], json!(["givenName"]));
        assert_eq!(history[0]["reason"], "Synthetic correction reason.");
        assert_eq!(history[0]["amendingAgency"]["code"], "csc");
        let earlier = &secret["history"][0];
        assert_eq!(
            earlier["values"]["description"],
            "Synthetic earlier wording."
        );
        assert_eq!(earlier["values"]["sharedWith"][0]["code"], "csc");
        assert_eq!(earlier["restricted"], true);
        assert_eq!(earlier["reviewBeforeDisclosure"], true);
        assert_eq!(doc["legalHolds"][0]["kind"], "LITIGATION");
        assert_eq!(doc["legalHolds"][0]["reference"], "SYNTH-LIT-1");
        assert!(doc["legalHolds"][0]["releasedAt"].is_null());

        // Where the child is named as affected by another child: no behaviour, no child.
        let named = doc["namedAsAffectedChild"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(named.len(), 1, "{backend}");
        assert_eq!(named[0]["relationship"], "Classmate (synthetic)");
        assert_eq!(named[0]["givenNameAsRecorded"], "Exportia");

        // The plan, with members, actions, consultations and reviews.
        let plan = find(&doc["jointPlans"], &global_id("JointPlan", s.plan));
        assert_eq!(plan["status"], "ACTIVE");
        assert_eq!(plan["leadAgency"]["code"], "csc");
        assert_eq!(plan["riskSummary"], "Synthetic risk summary.");
        assert_eq!(plan["members"].as_array().map(Vec::len), Some(2));
        assert_eq!(plan["actions"][0]["description"], "Synthetic action.");
        assert_eq!(plan["actions"][0]["assignedAgency"]["code"], "police");
        assert_eq!(
            plan["actions"][0]["consultations"][0]["agency"]["code"],
            "csc"
        );
        assert_eq!(
            plan["actions"][0]["consultations"][0]["status"],
            "REQUESTED"
        );
        assert_eq!(plan["reviews"][0]["summary"], "Synthetic review summary.");
        assert_eq!(
            plan["reviews"][0]["attendingAgencies"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );

        // The assessment, its framework, contributions (one restricted) and needs.
        let assessment = find(&doc["assessments"], &global_id("Assessment", s.assessment));
        assert_eq!(assessment["framework"]["code"], "SYNTH");
        assert_eq!(assessment["framework"]["domains"][0]["code"], "FAMILY");
        assert_eq!(assessment["status"], "IN_PROGRESS");
        let part = find(
            &assessment["contributions"],
            &global_id("AssessmentContribution", s.restricted_contribution),
        );
        assert_eq!(part["concerns"], "Synthetic restricted concerns.");
        assert_eq!(part["level"], "MEDIUM");
        assert_eq!(part["restricted"], true);
        assert_eq!(part["reviewBeforeDisclosure"], true);
        assert_eq!(part["recordingAgency"]["code"], "police");
        assert_eq!(assessment["needs"][0]["statement"], "Synthetic need.");

        // Referrals, disclosure requests, deadlines with late reasons.
        assert_eq!(doc["referrals"][0]["reason"], "Synthetic referral reason.");
        assert_eq!(doc["referrals"][0]["referringAgency"]["code"], "school");
        assert_eq!(doc["referrals"][0]["status"], "NO_FURTHER_ACTION");
        let request = &doc["disclosureRequests"][0];
        assert_eq!(request["entryKind"], "CHRONOLOGY_ENTRY");
        assert_eq!(
            request["entryId"],
            global_id("ChronologyEntry", s.restricted_entry)
        );
        assert_eq!(request["requestingAgency"]["code"], "csc");
        assert_eq!(doc["deadlines"][0]["kind"], "STRATEGY_DISCUSSION");
        assert_eq!(
            doc["deadlines"][0]["lateReasons"][0]["reason"],
            "Synthetic late reason."
        );

        // The access report: the practitioner's read.
        let report = doc["accessReport"].as_array().cloned().unwrap_or_default();
        assert!(
            report.iter().any(|row| row["action"] == "READ_CHILD"
                && row["actorSubject"] == "practitioner-police"
                && row["actorAgencyCode"] == "police"
                && row["outcome"] == "ALLOWED"
                && row["occurredAt"].is_string()),
            "{backend}: {report:?}"
        );

        // Nothing of the other child's identity, anywhere in the text.
        let lower = text.to_lowercase();
        for needle in [
            OTHER_GIVEN.to_owned(),
            OTHER_FAMILY.to_owned(),
            OTHER_NHS.to_owned(),
            OTHER_UPN.to_owned(),
            s.other.to_string(),
            s.other.simple().to_string(),
            global_id("Child", s.other),
        ] {
            assert!(
                !lower.contains(&needle.to_lowercase()),
                "{backend}: the export names the other child ({needle})"
            );
        }

        // The export is audited on the child, and shows in the child's access report.
        let audited = audit_events::Entity::find()
            .filter(audit_events::Column::Action.eq("EXPORT_CHILD_RECORD"))
            .filter(audit_events::Column::ChildId.eq(s.child))
            .all(&app.db)
            .await
            .expect("audit rows");
        assert_eq!(audited.len(), 1, "{backend}");
        assert_eq!(audited[0].entity_id, Some(s.child));
        assert_eq!(audited[0].actor_subject, "information_governance-csc");
        let access = app
            .ok_as(
                &TestActor::auditor("csc"),
                "query($id: ID!) { childAccessReport(childId: $id) { events { action actorSubject outcome } } }",
                json!({ "id": global_id("Child", s.child) }),
            )
            .await;
        let events = access["childAccessReport"]["events"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            events.iter().any(|e| e["action"] == "EXPORT_CHILD_RECORD"
                && e["actorSubject"] == "information_governance-csc"
                && e["outcome"] == "ALLOWED"),
            "{backend}: {events:?}"
        );
        // A second export lists the first in its access report.
        let (again, _, _) = export(&app, s.child).await;
        assert!(
            again["accessReport"]
                .as_array()
                .is_some_and(|rows| rows.iter().any(|r| r["action"] == "EXPORT_CHILD_RECORD")),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn every_other_role_is_refused_and_audited_and_a_missing_child_is_not_found() {
    for app in spawn_apps().await {
        let a = agencies(&app).await;
        let s = seed(&app, &a, 0).await;
        let variables = json!({ "id": global_id("Child", s.child) });
        let others = TestActor::case_roles("csc").into_iter().chain([
            TestActor::analyst("csc"),
            TestActor::auditor("csc"),
            TestActor::admin("csc"),
        ]);
        for actor in others {
            let response = app.gql_as(&actor, EXPORT, variables.clone()).await;
            assert_eq!(
                error_code(&response),
                Some("FORBIDDEN"),
                "{:?} {actor:?}: {response}",
                app.backend
            );
            assert!(response["data"].is_null() || response["data"]["exportChildRecord"].is_null());
            let denied = audit_events::Entity::find()
                .filter(audit_events::Column::Action.eq("EXPORT_CHILD_RECORD"))
                .filter(audit_events::Column::ActorSubject.eq(actor.sub.as_str()))
                .filter(audit_events::Column::ChildId.eq(s.child))
                .filter(audit_events::Column::Outcome.eq(entity::enums::AuditOutcome::Denied))
                .all(&app.db)
                .await
                .expect("audit rows");
            assert_eq!(denied.len(), 1, "{:?} {actor:?}", app.backend);
        }

        let missing = Uuid::now_v7();
        let ig = TestActor::information_governance("csc");
        let response = app
            .gql_as(&ig, EXPORT, json!({ "id": global_id("Child", missing) }))
            .await;
        assert_eq!(error_code(&response), Some("NOT_FOUND"), "{response}");
        let denied = audit_events::Entity::find()
            .filter(audit_events::Column::Action.eq("EXPORT_CHILD_RECORD"))
            .filter(audit_events::Column::ChildId.eq(missing))
            .filter(audit_events::Column::Outcome.eq(entity::enums::AuditOutcome::Denied))
            .all(&app.db)
            .await
            .expect("audit rows");
        assert_eq!(denied.len(), 1, "{:?}", app.backend);
        let none_allowed = audit_events::Entity::find()
            .filter(audit_events::Column::Action.eq("EXPORT_CHILD_RECORD"))
            .filter(audit_events::Column::Outcome.eq(entity::enums::AuditOutcome::Allowed))
            .all(&app.db)
            .await
            .expect("audit rows");
        assert!(none_allowed.is_empty(), "{:?}", app.backend);
    }
}

#[tokio::test]
async fn an_export_takes_the_same_few_statements_however_long_the_record() {
    for app in spawn_apps().await {
        let a = agencies(&app).await;
        let small = seed(&app, &a, 1).await;
        let large = seed(&app, &a, 2).await;
        // The second record grows: many more behaviours (each with an affected child),
        // chronology entries, plans with members, actions and consultations.
        for n in 0..40 {
            let sensitivity = if n % 2 == 0 {
                Sensitivity::Restricted
            } else {
                Sensitivity::Standard
            };
            let more = behaviour(large.child, a.police, sensitivity, "Synthetic more.");
            let more_id = more.id;
            put(&app, more).await;
            put(
                &app,
                affected_children::Model {
                    id: Uuid::now_v7(),
                    behaviour_id: more_id,
                    child_id: None,
                    given_name: None,
                    family_name: None,
                    age_at_time: Some(10),
                    relationship: "Neighbour (synthetic)".into(),
                    version: 1,
                    created_at: ts(3),
                    updated_at: ts(3),
                },
            )
            .await;
            put(
                &app,
                entry(large.child, a.csc, sensitivity, "Synthetic more."),
            )
            .await;
        }
        for _ in 0..5 {
            let plan = joint_plans::Model {
                id: Uuid::now_v7(),
                child_id: large.child,
                title: "Synthetic extra plan".into(),
                status: PlanStatus::Draft,
                pathway: Pathway::EarlyHelp,
                lead_agency_id: a.csc,
                risk_summary: None,
                next_review_due: None,
                activated_at: None,
                closed_at: None,
                version: 1,
                created_at: ts(2),
                updated_at: ts(2),
            };
            let plan_id = plan.id;
            put(&app, plan).await;
            put(
                &app,
                plan_members::Model {
                    id: Uuid::now_v7(),
                    plan_id,
                    agency_id: a.csc,
                    removed_at: None,
                    version: 1,
                    created_at: ts(2),
                    updated_at: ts(2),
                },
            )
            .await;
        }
        let (_, _, few) = export(&app, small.child).await;
        let (doc, _, many) = export(&app, large.child).await;
        assert_eq!(doc["behaviours"].as_array().map(Vec::len), Some(42));
        assert_eq!(doc["chronology"].as_array().map(Vec::len), Some(42));
        assert_eq!(doc["jointPlans"].as_array().map(Vec::len), Some(6));
        eprintln!("{:?}: export statements {few} and {many}", app.backend);
        assert!(
            few <= EXPORT_MAX && many <= EXPORT_MAX,
            "{:?}: {few}, {many}",
            app.backend
        );
        assert_eq!(
            few, many,
            "{:?}: statements grow with the record",
            app.backend
        );
    }
}
