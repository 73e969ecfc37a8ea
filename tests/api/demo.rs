//! The development demo shows something to every demo role at once: plan events to replay,
//! consultations waiting for each agency on a plan, an overdue deadline for each agency on a
//! case, and a referral waiting for a decision.

use serde_json::{Value, json};

use crate::helpers::process::{Server, run as concord};
use crate::helpers::{TestActor, TestApp, spawn_apps};
use crate::ws_client::GqlSocket;

fn demo_actor(demo: &api::demo::DemoActor) -> TestActor {
    TestActor {
        sub: demo.sub.into(),
        agency: demo.agency.into(),
        roles: vec![demo.role.name().into()],
    }
}

fn has_case_role(demo: &api::demo::DemoActor) -> bool {
    use api::auth::Role;
    matches!(
        demo.role,
        Role::Practitioner | Role::AgencyLead | Role::Coordinator
    )
}

async fn ok(app: &TestApp, actor: &TestActor, query: &str, variables: Value) -> Value {
    let response = app.gql_as(actor, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "{} {query}: {response}",
        actor.sub
    );
    response["data"].clone()
}

fn count(list: &Value) -> usize {
    list.as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn every_demo_role_has_something_to_see_at_once() {
    for app in spawn_apps().await {
        assert!(api::demo::seed(&app.db).await.expect("seed"));
        for demo in api::demo::ACTORS.iter().filter(|demo| has_case_role(demo)) {
            let actor = demo_actor(demo);
            let data = ok(
                &app,
                &actor,
                "query Waiting { \
                   deadlines(filter: { status: OVERDUE }, first: 100) { nodes { kind status } } \
                   myConsultations { id status } }",
                json!({}),
            )
            .await;
            let overdue = &data["deadlines"]["nodes"];
            assert!(count(overdue) > 0, "{}: no overdue deadline", demo.sub);
            assert!(
                overdue
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|d| d["status"] == "OVERDUE"),
                "{overdue}"
            );
            let consultations = &data["myConsultations"];
            assert!(
                count(consultations) > 0,
                "{} at {}: no consultation waiting",
                demo.sub,
                demo.agency
            );
            assert!(
                consultations
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|c| c["status"] == "REQUESTED"),
                "{consultations}"
            );

            // The case team's events replay from the start of the outbox at once.
            let mut socket = GqlSocket::open(&app.ws_url(), &actor.token()).await;
            socket
                .subscribe(
                    "1",
                    "subscription Replay { caseTeamEvents(after: \"0\") { seq kind planId } }",
                    json!({}),
                )
                .await;
            let event =
                tokio::time::timeout(std::time::Duration::from_secs(10), socket.next_data("1"))
                    .await
                    .unwrap_or_else(|_| panic!("{}: no event replayed", demo.sub));
            assert!(
                event["caseTeamEvents"]["seq"].is_string()
                    || event["caseTeamEvents"]["seq"].is_number(),
                "{event}"
            );
            socket.close().await;
        }

        // A referral waits for social care, the lead of the child it names.
        let coordinator = demo_actor(&api::demo::ACTORS[0]);
        assert_eq!(coordinator.agency, api::demo::DESIGNATED_SOCIAL_CARE);
        let referrals = ok(
            &app,
            &coordinator,
            "{ referrals(status: RECEIVED, first: 10) { nodes { status } } }",
            json!({}),
        )
        .await;
        assert_eq!(count(&referrals["referrals"]["nodes"]), 1, "{referrals}");
    }
}

/// Development mode as a developer starts it: the demo's designated police answer for the
/// outcomes of the disclosures on their cases, and `concord token` in the same folder mints
/// tokens the server accepts.
#[tokio::test]
async fn in_development_mode_social_care_and_the_police_each_have_their_own_overdue_deadline() {
    let dir = std::env::temp_dir().join(format!("concord-demo-{}", uuid::Uuid::new_v4().simple()));
    let data = dir.display().to_string();
    let env = [
        ("CONCORD_DATA_DIR", data.as_str()),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
        ("CONCORD_LOG_FORMAT", "json"),
    ];
    let server = Server::start(&env);
    let client = reqwest::Client::new();
    for (sub, agency, role) in [
        ("demo-coordinator", "demo-csc", "COORDINATOR"),
        ("demo-police-officer", "demo-police", "PRACTITIONER"),
    ] {
        let minted = concord(
            &["token", "--sub", sub, "--agency", agency, "--role", role],
            &env,
        );
        assert!(minted.status.success(), "{minted:?}");
        let stderr = String::from_utf8_lossy(&minted.stderr);
        assert!(
            stderr.contains("signed with the development secret in"),
            "{stderr}"
        );
        let token = String::from_utf8(minted.stdout)
            .expect("utf-8")
            .trim()
            .to_owned();
        let post = |query: &str, variables: Value| {
            client
                .post(server.http("/graphql"))
                .bearer_auth(&token)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
        };
        let me: Value = post("{ me { agency { id } } }", json!({}))
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        let agency_id = me["data"]["me"]["agency"]["id"].clone();
        assert!(agency_id.is_string(), "{me}");
        let mine: Value = post(
            "query Mine($agency: ID!) { deadlines(filter: { status: OVERDUE, agencyId: $agency }, first: 100) { nodes { kind } } }",
            json!({ "agency": agency_id }),
        )
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
        assert!(
            count(&mine["data"]["deadlines"]["nodes"]) > 0,
            "{sub}: none of its own overdue: {mine}"
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
