//! The erasure leaves no outbox row behind that names the erased record: neither those
//! about the child or its plans, nor those addressed to one agency that carry only the
//! id of a legal hold, a disclosure request, an assessment, a contribution or a referral.

use std::collections::HashSet;

use entity::{
    assessment_contributions, assessments, behaviours, children, disclosure_requests, joint_plans,
    legal_holds, plan_events, referrals,
};
use sea_orm::{EntityTrait as _, QueryFilter as _};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{close_case, place, release, years_on};
use crate::assessments::{ask, complete, contribute, contribution_of, start, team};
use crate::fixture::Fixture;
use crate::helpers::plans::{close as close_plan, create_plan};
use crate::helpers::{TestActor, TestApp, id_of, spawn_apps, uuid_of};

/// The ids of the rows of `E` whose `column` is `child`.
async fn ids_where<E, C>(
    app: &TestApp,
    column: C,
    child: Uuid,
    id: fn(&E::Model) -> Uuid,
) -> Vec<Uuid>
where
    E: sea_orm::EntityTrait,
    C: sea_orm::ColumnTrait,
{
    E::find()
        .filter(column.eq(child))
        .all(&app.db)
        .await
        .expect("rows")
        .iter()
        .map(id)
        .collect()
}

/// Every id of Alpha's record: the child, its plans, legal holds, disclosure requests,
/// assessments, contributions, referrals and behaviours.
async fn record_ids(app: &TestApp, child: Uuid) -> HashSet<Uuid> {
    let mut ids = HashSet::from([child]);
    ids.extend(
        ids_where::<joint_plans::Entity, _>(app, joint_plans::Column::ChildId, child, |r| r.id)
            .await,
    );
    ids.extend(
        ids_where::<legal_holds::Entity, _>(app, legal_holds::Column::ChildId, child, |r| r.id)
            .await,
    );
    ids.extend(
        ids_where::<disclosure_requests::Entity, _>(
            app,
            disclosure_requests::Column::ChildId,
            child,
            |r| r.id,
        )
        .await,
    );
    ids.extend(
        ids_where::<assessments::Entity, _>(app, assessments::Column::ChildId, child, |r| r.id)
            .await,
    );
    ids.extend(
        ids_where::<assessment_contributions::Entity, _>(
            app,
            assessment_contributions::Column::ChildId,
            child,
            |r| r.id,
        )
        .await,
    );
    ids.extend(
        ids_where::<referrals::Entity, _>(app, referrals::Column::ChildId, child, |r| r.id).await,
    );
    ids.extend(
        ids_where::<behaviours::Entity, _>(app, behaviours::Column::ChildId, child, |r| r.id).await,
    );
    ids
}

/// Every id an outbox row names: its child, its plan, and every id in its payload.
fn named_by(event: &plan_events::Model) -> HashSet<Uuid> {
    fn walk(value: &Value, into: &mut HashSet<Uuid>) {
        match value {
            Value::String(s) => into.extend(Uuid::parse_str(s).ok()),
            Value::Array(list) => list.iter().for_each(|v| walk(v, into)),
            Value::Object(map) => map.values().for_each(|v| walk(v, into)),
            _ => {}
        }
    }
    let mut ids: HashSet<Uuid> = event.child_id.into_iter().chain(event.plan_id).collect();
    walk(&event.payload, &mut ids);
    ids
}

/// Alpha's record with every kind of event addressed to one agency: a disclosure
/// request decided, a referral decided without joining the team, an assessment with
/// contributions asked for and made, a legal hold placed and released; a closed plan;
/// then the case closed. Bravo gets a hold of its own, which must outlive Alpha's erasure.
async fn scenario(app: &TestApp, f: &Fixture) -> Uuid {
    // A restricted police entry the school asks to see; police shares it.
    let police = TestActor::practitioner("police");
    let entry = app
        .ok_as(
            &police,
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) { entry { id } } }",
            json!({ "input": { "childId": f.alpha, "kind": "POLICE_INTERVIEW", "occurredAt": "2026-11-02T09:00:00Z",
                               "summary": "Synthetic interview notes.", "sensitivity": "RESTRICTED" } }),
        )
        .await;
    let asked = app
        .ok_as(
            &TestActor::practitioner("school"),
            "mutation($input: RequestDisclosureInput!) { requestDisclosure(input: $input) { request { id version } } }",
            json!({ "input": { "entryId": id_of(&entry["addChronologyEntry"]["entry"]),
                               "reason": "Synthetic: the school needs it to plan supervision." } }),
        )
        .await;
    let request = &asked["requestDisclosure"]["request"];
    app.ok_as(
        &TestActor::agency_lead("police"),
        "mutation($input: DecideDisclosureInput!) { decideDisclosure(input: $input) { request { status } } }",
        json!({ "input": { "requestId": request["id"], "decision": "SHARE", "expectedVersion": request["version"] } }),
    )
    .await;

    // A referral the lead agency decides without adding the referrer to the team.
    let referred = app
        .ok_as(
            &TestActor::practitioner("health"),
            "mutation($input: ReferChildInput!) { referChild(input: $input) { referral { id version } } }",
            json!({ "input": {
                "child": { "givenName": "Alpha", "familyName": "Testchild", "dateOfBirth": "2013-04-05", "gender": "Female" },
                "reason": "Synthetic referral for a test."
            }}),
        )
        .await;
    let referral = &referred["referChild"]["referral"];
    app.ok_as(
        &TestActor::agency_lead("csc"),
        "mutation($input: DecideReferralInput!) { decideReferral(input: $input) { referral { status } } }",
        json!({ "input": { "referralId": referral["id"], "decision": "NO_FURTHER_ACTION",
                           "note": "Synthetic decision note.", "expectedVersion": referral["version"] } }),
    )
    .await;

    // A joint assessment: contributions asked of the school and police, the school's made.
    let assessment = start(app, f, &f.alpha).await;
    let asked = ask(app, f, &assessment, &["school", "police"], &["FAMILY"]).await;
    let part = id_of(&contribution_of(
        &asked["contributions"],
        "school",
        "FAMILY",
    ));
    let made = contribute(
        app,
        &TestActor::practitioner("school"),
        &part,
        "home",
        "STANDARD",
        &[],
    )
    .await;
    assert!(made["errors"].is_null(), "{made}");
    complete(app, &assessment, &[]).await;

    let plan = create_plan(app, &f.alpha).await;
    close_plan(app, &plan).await;
    let hold = place(app, &f.alpha).await;
    release(app, &hold).await;
    close_case(app, &f.alpha).await;
    let bravo_hold = place(app, &f.bravo).await;
    uuid_of(bravo_hold["id"].as_str().expect("id"))
}

#[tokio::test]
async fn no_outbox_row_naming_any_part_of_an_erased_record_survives() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let bravo_hold = scenario(&app, &f).await;
        let alpha = uuid_of(&f.alpha);
        let erased = record_ids(&app, alpha).await;
        let events = plan_events::Entity::find()
            .all(&app.db)
            .await
            .expect("events");
        // The scenario wrote the events this is about: addressed to one agency, no child.
        let kinds: HashSet<&str> = events
            .iter()
            .filter(|e| e.child_id.is_none() && !named_by(e).is_disjoint(&erased))
            .map(|e| e.kind.as_str())
            .collect();
        for kind in [
            "LEGAL_HOLD_PLACED",
            "LEGAL_HOLD_RELEASED",
            "DISCLOSURE_REQUESTED",
            "DISCLOSURE_DECIDED",
            "CONTRIBUTION_REQUESTED",
            "CONTRIBUTION_RECORDED",
            "REFERRAL_DECIDED",
        ] {
            assert!(
                kinds.contains(kind),
                "no {kind} event about Alpha: {kinds:?}"
            );
        }

        let policy = api::timescales::policy_file::RetentionPolicy::default();
        let applied = api::domain::retention::run::apply(&app.db, &policy, years_on(40))
            .await
            .expect("apply");
        assert_eq!(applied.erased.len(), 1, "{:?}", applied.due);
        assert_eq!(applied.erased[0].child_id, alpha);
        assert!(
            children::Entity::find_by_id(alpha)
                .one(&app.db)
                .await
                .expect("query")
                .is_none()
        );

        let left = plan_events::Entity::find()
            .all(&app.db)
            .await
            .expect("events");
        for event in &left {
            let named = named_by(event);
            assert!(
                named.is_disjoint(&erased),
                "{} (seq {}) still names the erased record: {}",
                event.kind,
                event.seq,
                event.payload
            );
        }
        // Nothing else went: Bravo's hold is still told of, and the rest of the outbox stays.
        assert!(
            left.iter().any(|e| named_by(e).contains(&bravo_hold)),
            "Bravo's hold event was erased too"
        );
        let still: HashSet<i64> = left.iter().map(|e| e.seq).collect();
        for event in events.iter().filter(|e| named_by(e).is_disjoint(&erased)) {
            assert!(
                still.contains(&event.seq),
                "{} (seq {}) named nothing of Alpha's and went: {}",
                event.kind,
                event.seq,
                event.payload
            );
        }
    }
}
