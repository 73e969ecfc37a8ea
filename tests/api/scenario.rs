//! One case walked the way the procedure runs it, asserting each agency's view at each step.

use entity::plan_events;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::{TestActor, TestApp, error_code, spawn_apps, uuid_of};

const CHILD: &str = "query($id: ID!) { child(id: $id) {
    givenName
    involvements { role agency { code } }
    behaviours { nodes { trafficLight restricted description escalated recordingAgency { code } } }
    chronology { nodes { kind restricted summary recordingAgency { code } } }
    jointPlans { nodes { id status actions { kind status consultations { status agency { code } } } } }
} }";

/// What `actor` sees of the child: `None` when it is not visible at all.
async fn view(app: &TestApp, actor: &TestActor, child: &str) -> Option<Value> {
    let response = app.gql_as(actor, CHILD, json!({ "id": child })).await;
    match error_code(&response) {
        Some("NOT_FOUND") => None,
        None => Some(response["data"]["child"].clone()),
        Some(other) => panic!("{actor:?}: unexpected {other}: {response}"),
    }
}

fn team(view: &Value) -> Vec<String> {
    let mut codes: Vec<String> = view["involvements"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["agency"]["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    codes.sort();
    codes
}

#[tokio::test]
async fn a_case_runs_from_referral_to_a_closed_plan_with_every_agency_seeing_its_share() {
    for app in spawn_apps().await {
        let fixture = fixture::build(&app).await;
        let school = TestActor::practitioner("school");
        let school_lead = TestActor::agency_lead("school");
        let police = TestActor::practitioner("police");
        let social_worker = TestActor::practitioner("csc");
        let csc_lead = TestActor::agency_lead("csc");
        let coordinator = TestActor::coordinator("csc");
        let camhs = TestActor::practitioner("camhs");

        // 1. The school refers a child nobody knows: social care leads, the school is on the team.
        let referred = app
            .ok_as(
                &school,
                "mutation($input: ReferChildInput!) { referChild(input: $input) { wasKnown child { id } entry { kind } } }",
                json!({ "input": {
                    "child": { "givenName": "Zulu", "familyName": "Testchild", "dateOfBirth": "2012-09-09", "gender": "Male" },
                    "reason": "Synthetic referral: concerning behaviour at school.",
                    "referredAt": "2026-09-30T10:00:00Z"
                }}),
            )
            .await;
        assert_eq!(referred["referChild"]["wasKnown"], false);
        assert_eq!(referred["referChild"]["entry"]["kind"], "REFERRAL");
        let child = referred["referChild"]["child"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let seen = view(&app, &school, &child)
            .await
            .expect("school sees the child");
        assert_eq!(team(&seen), ["csc", "school"]);
        assert!(
            view(&app, &social_worker, &child).await.is_some(),
            "social care leads"
        );
        assert!(
            view(&app, &police, &child).await.is_none(),
            "police are not yet involved"
        );
        assert!(view(&app, &camhs, &child).await.is_none());

        // 2. The school records a first AMBER, restricted to itself.
        let first = app
            .ok_as(
                &school,
                "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) { escalated suggestedTrafficLight history { priorBehaviours } } }",
                json!({ "input": {
                    "childId": child, "occurredOn": "2026-10-01", "disclosedAt": "2026-10-02T09:00:00Z",
                    "setting": "SCHOOL", "contactType": "NON_CONTACT", "description": "Synthetic: secretive behaviour in class.",
                    "continuum": "PROBLEMATIC", "indicators": ["SECRECY"], "trafficLight": "AMBER", "sensitivity": "RESTRICTED"
                }}),
            )
            .await;
        assert_eq!(
            first["recordBehaviour"],
            json!({ "escalated": false, "suggestedTrafficLight": "AMBER", "history": { "priorBehaviours": 0 } })
        );

        // 3. The police check, find the child known, refer, and record a second AMBER.
        let known = app
            .ok_as(
                &police,
                "{ findKnownChild(input: { familyName: \" testchild \", givenName: \"ZULU\", dateOfBirth: \"2012-09-09\" }) { known agencyKinds leadAgencyName } }",
                json!({}),
            )
            .await;
        assert_eq!(
            known["findKnownChild"],
            json!({ "known": true, "agencyKinds": ["CHILDRENS_SOCIAL_CARE", "EDUCATION"], "leadAgencyName": "Test csc" })
        );
        let again = app
            .ok_as(
                &police,
                "mutation($input: ReferChildInput!) { referChild(input: $input) { wasKnown child { id } referral { id status version } } }",
                json!({ "input": {
                    "child": { "givenName": "Zulu", "familyName": "Testchild", "dateOfBirth": "2012-09-09", "gender": "Male" },
                    "reason": "Synthetic referral from police.",
                    "referredAt": "2026-11-02T12:00:00Z"
                }}),
            )
            .await;
        assert_eq!(again["referChild"]["wasKnown"], true, "no duplicate child");
        assert_eq!(
            again["referChild"]["child"],
            Value::Null,
            "a referral does not open the case team"
        );
        assert!(view(&app, &police, &child).await.is_none());
        // Social care, the lead, brings the police in.
        let decided = app
            .ok_as(
                &coordinator,
                "mutation($input: DecideReferralInput!) { decideReferral(input: $input) { referral { status } } }",
                json!({ "input": {
                    "referralId": again["referChild"]["referral"]["id"], "decision": "ADD_TO_CASE_TEAM",
                    "note": "Synthetic: police join the case team.",
                    "expectedVersion": again["referChild"]["referral"]["version"]
                }}),
            )
            .await;
        assert_eq!(
            decided["decideReferral"]["referral"]["status"],
            "ADD_TO_CASE_TEAM"
        );
        let second = app
            .ok_as(
                &police,
                "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) {
                    escalated behaviour { trafficLight }
                    history { priorBehaviours worstTrafficLight agencies { code } } } }",
                json!({ "input": {
                    "childId": child, "occurredOn": "2026-11-01", "disclosedAt": "2026-11-02T10:00:00Z",
                    "setting": "ONLINE", "contactType": "ONLINE", "description": "Synthetic: images shared online.",
                    "continuum": "PROBLEMATIC", "indicators": ["IMAGES_OR_ONLINE"], "trafficLight": "AMBER"
                }}),
            )
            .await;
        assert_eq!(
            second["recordBehaviour"],
            json!({ "escalated": true, "behaviour": { "trafficLight": "AMBER" },
                    "history": { "priorBehaviours": 1, "worstTrafficLight": "AMBER", "agencies": [{ "code": "school" }] } })
        );
        // 4. Escalation: social care and police are on the team and told.
        let police_view = view(&app, &police, &child)
            .await
            .expect("police now see the child");
        assert_eq!(team(&police_view), ["csc", "police", "school"]);
        let behaviours = police_view["behaviours"]["nodes"]
            .as_array()
            .expect("behaviours")
            .clone();
        assert_eq!(behaviours.len(), 2);
        assert_eq!(
            behaviours[0]["restricted"], true,
            "the school's restricted entry is withheld from police"
        );
        assert_eq!(behaviours[0]["description"], Value::Null);
        assert_eq!(behaviours[1]["escalated"], true);
        let csc_view = view(&app, &social_worker, &child)
            .await
            .expect("social care");
        assert_eq!(
            csc_view["behaviours"]["nodes"][0]["restricted"], false,
            "the lead agency reads restricted entries"
        );
        let events = plan_events::Entity::find()
            .filter(plan_events::Column::Kind.eq("ESCALATION"))
            .filter(plan_events::Column::ChildId.eq(uuid_of(&child)))
            .all(&app.db)
            .await
            .expect("events");
        assert_eq!(events.len(), 1);
        let mut audience = events[0].audience.0.clone();
        audience.sort();
        let mut expected = vec![fixture.agency("csc"), fixture.agency("police")];
        expected.sort();
        assert_eq!(audience, expected);

        // 5. Social care records the strategy discussion.
        app.ok_as(
            &social_worker,
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { kind } } }",
            json!({ "input": { "childId": child, "kind": "STRATEGY_DISCUSSION", "occurredAt": "2026-11-03T14:00:00Z",
                               "summary": "Synthetic strategy discussion: police investigate, social care assess." } }),
        )
        .await;

        // 6. The coordinator drafts, staffs and activates the plan.
        let created = app
            .ok_as(
                &coordinator,
                "mutation($input: CreateJointPlanInput!) { createJointPlan(input: $input) { jointPlan { id version status } } }",
                json!({ "input": { "childId": child, "title": "Synthetic joint plan", "pathway": "BOTH", "riskSummary": "Synthetic." } }),
            )
            .await;
        let plan = created["createJointPlan"]["jointPlan"]["id"]
            .as_str()
            .expect("plan")
            .to_owned();
        let mut version = created["createJointPlan"]["jointPlan"]["version"]
            .as_i64()
            .expect("version");
        for member in ["police", "school"] {
            let added = app
                .ok_as(
                    &coordinator,
                    "mutation($input: AddPlanMemberInput!) { addPlanMember(input: $input) { jointPlan { version } } }",
                    json!({ "input": { "planId": plan, "agencyId": fixture.agency_gid(member), "expectedVersion": version } }),
                )
                .await;
            version = added["addPlanMember"]["jointPlan"]["version"]
                .as_i64()
                .expect("version");
        }
        let active = app
            .ok_as(
                &coordinator,
                "mutation($input: PlanVersionInput!) { activateJointPlan(input: $input) { jointPlan { status version nextReviewDue } } }",
                json!({ "input": { "planId": plan, "expectedVersion": version } }),
            )
            .await;
        assert_eq!(active["activateJointPlan"]["jointPlan"]["status"], "ACTIVE");
        assert!(active["activateJointPlan"]["jointPlan"]["nextReviewDue"].is_string());
        version = active["activateJointPlan"]["jointPlan"]["version"]
            .as_i64()
            .expect("version");
        for member in [&police, &school] {
            let seen = view(&app, member, &child).await.expect("member");
            assert_eq!(
                seen["jointPlans"]["nodes"][0]["status"], "ACTIVE",
                "{member:?}"
            );
        }

        // 7. The police add a charging decision: social care and the school are consulted.
        let action = app
            .ok_as(
                &police,
                "mutation($input: AddPlanActionInput!) { addPlanAction(input: $input) { action { id status version
                    consultations { id version agency { code } } } } }",
                json!({ "input": { "planId": plan, "assignedAgencyId": fixture.agency_gid("police"), "kind": "CHARGING_DECISION",
                                   "description": "Synthetic: decide on charge." } }),
            )
            .await;
        let action = &action["addPlanAction"]["action"];
        assert_eq!(action["status"], "AWAITING_CONSULTATION");
        let action_id = action["id"].as_str().expect("id").to_owned();
        let consultation = |code: &str| {
            action["consultations"]
                .as_array()
                .and_then(|all| all.iter().find(|c| c["agency"]["code"] == code).cloned())
                .unwrap_or_else(|| panic!("{code} consulted: {action}"))
        };
        let csc_consultation = consultation("csc");
        let school_consultation = consultation("school");
        let early = app
            .gql_as(
                &police,
                "mutation($input: UpdatePlanActionStatusInput!) { updatePlanActionStatus(input: $input) { action { status } } }",
                json!({ "input": { "actionId": action_id, "status": "IN_PROGRESS", "expectedVersion": action["version"] } }),
            )
            .await;
        assert_eq!(error_code(&early), Some("CONSULTATION_REQUIRED"));

        // 8. Social care objects; the school agrees; the action is blocked.
        let awaiting = app
            .ok_as(&csc_lead, "{ myConsultations { id } }", json!({}))
            .await;
        assert_eq!(
            awaiting["myConsultations"],
            json!([{ "id": csc_consultation["id"] }])
        );
        app.ok_as(
            &csc_lead,
            "mutation($input: RespondToConsultationInput!) { respondToConsultation(input: $input) { consultation { status } } }",
            json!({ "input": { "consultationId": csc_consultation["id"], "response": "OBJECTED",
                               "note": "Synthetic: a charge now would derail the assessment.", "expectedVersion": csc_consultation["version"] } }),
        )
        .await;
        app.ok_as(
            &school_lead,
            "mutation($input: RespondToConsultationInput!) { respondToConsultation(input: $input) { consultation { status } } }",
            json!({ "input": { "consultationId": school_consultation["id"], "response": "AGREED", "expectedVersion": school_consultation["version"] } }),
        )
        .await;
        let seen = view(&app, &school, &child).await.expect("school");
        assert_eq!(
            seen["jointPlans"]["nodes"][0]["actions"][0]["status"],
            "BLOCKED"
        );

        // 9. The coordinator overrides with a reason; the action is agreed and the police start it.
        let overridden = app
            .ok_as(
                &coordinator,
                "mutation($input: OverrideConsultationInput!) { overrideConsultation(input: $input) { consultation { status overrideReason } } }",
                json!({ "input": { "consultationId": csc_consultation["id"], "reason": "Synthetic: risk to other children outweighs delay.",
                                   "expectedVersion": csc_consultation["version"].as_i64().expect("v") + 1 } }),
            )
            .await;
        assert_eq!(
            overridden["overrideConsultation"]["consultation"]["status"],
            "OVERRIDDEN"
        );
        let action_now = app
            .ok_as(
                &police,
                "query($id: ID!) { node(id: $id) { ... on PlanAction { status version } } }",
                json!({ "id": action_id }),
            )
            .await;
        assert_eq!(action_now["node"]["status"], "AGREED");
        let started = app
            .ok_as(
                &police,
                "mutation($input: UpdatePlanActionStatusInput!) { updatePlanActionStatus(input: $input) { action { status } } }",
                json!({ "input": { "actionId": action_id, "status": "IN_PROGRESS", "expectedVersion": action_now["node"]["version"] } }),
            )
            .await;
        assert_eq!(
            started["updatePlanActionStatus"]["action"]["status"],
            "IN_PROGRESS"
        );

        // 10. A review is recorded; 11. the plan is closed.
        let today = chrono::Utc::now().date_naive();
        let reviewed = app
            .ok_as(
                &coordinator,
                "mutation($input: RecordPlanReviewInput!) { recordPlanReview(input: $input) { jointPlan { version nextReviewDue } review { summary } } }",
                json!({ "input": { "planId": plan, "heldOn": today.to_string(), "summary": "Synthetic review.",
                                   "attendingAgencyIds": [fixture.agency_gid("csc"), fixture.agency_gid("police"), fixture.agency_gid("school")],
                                   "expectedVersion": version } }),
            )
            .await;
        let due = today
            .checked_add_months(chrono::Months::new(3))
            .expect("date");
        assert_eq!(
            reviewed["recordPlanReview"]["jointPlan"]["nextReviewDue"],
            due.to_string()
        );
        version = reviewed["recordPlanReview"]["jointPlan"]["version"]
            .as_i64()
            .expect("version");
        let closed = app
            .ok_as(
                &coordinator,
                "mutation($input: PlanVersionInput!) { closeJointPlan(input: $input) { jointPlan { status closedAt } } }",
                json!({ "input": { "planId": plan, "expectedVersion": version } }),
            )
            .await;
        assert_eq!(closed["closeJointPlan"]["jointPlan"]["status"], "CLOSED");

        // The final views: the chronology runs across agencies in time order; CAMHS never saw any of it.
        let seen = view(&app, &police, &child).await.expect("police");
        let kinds: Vec<&str> = seen["chronology"]["nodes"]
            .as_array()
            .expect("chronology")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(kinds.first(), Some(&"REFERRAL"));
        assert!(
            kinds.contains(&"STRATEGY_DISCUSSION") && kinds.contains(&"PLAN_REVIEW"),
            "{kinds:?}"
        );
        assert_eq!(seen["jointPlans"]["nodes"][0]["status"], "CLOSED");
        assert!(view(&app, &camhs, &child).await.is_none());
        let plan_for_camhs = app
            .gql_as(
                &camhs,
                "query($id: ID!) { jointPlan(id: $id) { id } }",
                json!({ "id": plan }),
            )
            .await;
        assert_eq!(error_code(&plan_for_camhs), Some("NOT_FOUND"));
    }
}
