//! Token checks and the reason a refused token is told (`extensions.reason`): `MISSING`,
//! `EXPIRED`, `NOT_YET_VALID`, `BAD_SIGNATURE`, `UNKNOWN_AGENCY`, `INACTIVE_AGENCY`, and
//! nothing more.

use entity::agencies;
use entity::enums::AgencyKind;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::helpers::{TestActor, TestApp, sign, spawn_apps};
use crate::ws_client::{GqlSocket, LEGACY, TRANSPORT};

const ME: &str = "{ me { subject agency { code } } }";

async fn me_with(app: &TestApp, token: Option<&str>) -> (u16, Value) {
    let response = app.post_graphql(json!({ "query": ME }), token).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// The message that goes with each reason: what was wrong and what to do.
fn message_of(reason: &str) -> &'static str {
    match reason {
        "MISSING" => "authentication required: send a bearer token in the Authorization header",
        "EXPIRED" => "the token has expired: get a new one from your identity provider",
        "NOT_YET_VALID" => {
            "the token is not valid yet: check the clocks of the identity provider and the client"
        }
        "BAD_SIGNATURE" => {
            "the token could not be verified (signature, issuer, audience or claims): \
             get a token issued for this service"
        }
        "UNKNOWN_AGENCY" => {
            "the token's agency is not known to this service: ask an administrator to add it"
        }
        "INACTIVE_AGENCY" => "the token's agency has been deactivated",
        other => panic!("no such reason {other}"),
    }
}

/// 401, one error, `UNAUTHENTICATED` with `reason` and its message, and nothing else in
/// the body.
fn assert_reason(status: u16, body: &Value, reason: &str, what: &str) {
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(
        body,
        &json!({ "errors": [{
            "message": message_of(reason),
            "extensions": { "code": "UNAUTHENTICATED", "reason": reason },
        }] }),
        "{what}"
    );
}

/// The claims of a valid coordinator token of `csc`, as JSON to bend.
fn claims() -> Value {
    serde_json::to_value(TestActor::coordinator("csc").claims()).expect("claims")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn hs256(claims: &Value) -> String {
    sign(claims, Algorithm::HS256, None)
}

fn with(claim: &str, value: Value) -> Value {
    let mut claims = claims();
    claims[claim] = value;
    claims
}

#[tokio::test]
async fn no_token_is_missing() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let (status, body) = me_with(&app, None).await;
        assert_reason(status, &body, "MISSING", "no header");
        for header in ["Basic abc", "Bearer ", "Bearer    "] {
            let response = app
                .client
                .post(format!("{}/graphql", app.address))
                .header("authorization", header)
                .json(&json!({ "query": ME }))
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("json");
            assert_reason(status, &body, "MISSING", header);
        }
    }
}

#[tokio::test]
async fn an_expired_token_is_expired() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let (status, body) = me_with(&app, Some(&hs256(&with("exp", json!(now() - 3600))))).await;
        assert_reason(status, &body, "EXPIRED", "an hour ago");
    }
}

#[tokio::test]
async fn a_token_not_yet_valid_or_issued_in_the_future_is_not_yet_valid() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        for (what, claims) in [
            ("nbf in an hour", with("nbf", json!(now() + 3600))),
            ("iat in ten minutes", with("iat", json!(now() + 600))),
        ] {
            let (status, body) = me_with(&app, Some(&hs256(&claims))).await;
            assert_reason(status, &body, "NOT_YET_VALID", what);
        }
        // Within the leeway (clock skew), and in the past, both are fine.
        for (what, claims) in [
            ("nbf just past", with("nbf", json!(now() - 5))),
            ("nbf a few seconds ahead", with("nbf", json!(now() + 10))),
            ("iat a few seconds ahead", with("iat", json!(now() + 20))),
        ] {
            let (status, body) = me_with(&app, Some(&hs256(&claims))).await;
            assert_eq!(status, 200, "{what}: {body}");
            assert_eq!(body["data"]["me"]["agency"]["code"], "csc", "{what}");
        }
    }
}

#[tokio::test]
async fn forged_malformed_or_foreign_tokens_are_bad_signature() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let other_key =
            EncodingKey::from_secret(b"another-secret-that-is-long-enough-0123456789abcdef");
        let forged = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims(), &other_key)
            .expect("sign");
        // An expired or immature token under the wrong key tells nothing about its times.
        let forged_expired = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &with("exp", json!(now() - 3600)),
            &other_key,
        )
        .expect("sign");
        let forged_immature = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &with("nbf", json!(now() + 3600)),
            &other_key,
        )
        .expect("sign");
        let mut tampered = hs256(&claims());
        tampered.push('x');
        let mut no_sub = claims();
        no_sub.as_object_mut().expect("object").remove("sub");
        let cases = [
            ("wrong key", forged),
            ("wrong key, expired", forged_expired),
            ("wrong key, not yet valid", forged_immature),
            ("tampered", tampered),
            ("garbage", "not-a-jwt".to_owned()),
            (
                "wrong issuer",
                hs256(&with("iss", json!("https://evil.example.invalid"))),
            ),
            ("wrong audience", hs256(&with("aud", json!("someone-else")))),
            ("empty sub", hs256(&with("sub", json!("")))),
            ("blank sub", hs256(&with("sub", json!("  \t ")))),
            ("no sub", hs256(&no_sub)),
            ("malformed nbf", hs256(&with("nbf", json!("tomorrow")))),
        ];
        for (what, token) in cases {
            let (status, body) = me_with(&app, Some(&token)).await;
            assert_reason(status, &body, "BAD_SIGNATURE", what);
        }
    }
}

#[tokio::test]
async fn an_unknown_agency_and_an_inactive_agency_are_told_apart() {
    for app in spawn_apps().await {
        let id = app.add_agency("closed-down", AgencyKind::Health).await;
        let unknown = TestActor::practitioner("no-such-agency").token();
        let (status, body) = me_with(&app, Some(&unknown)).await;
        assert_reason(status, &body, "UNKNOWN_AGENCY", "unknown agency");

        let token = TestActor::practitioner("closed-down").token();
        assert_eq!(me_with(&app, Some(&token)).await.0, 200);
        let agency = agencies::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("row");
        let mut agency: agencies::ActiveModel = agency.into();
        agency.active = Set(false);
        agency.update(&app.db).await.expect("deactivate");
        let (status, body) = me_with(&app, Some(&token)).await;
        assert_reason(status, &body, "INACTIVE_AGENCY", "inactive agency");
    }
}

#[tokio::test]
async fn a_refused_websocket_init_closes_with_4403_and_the_reason() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let expired = hs256(&with("exp", json!(now() - 3600)));
        let unknown = TestActor::practitioner("no-such-agency").token();
        for (payload, reason) in [
            (json!({}), "MISSING"),
            (
                json!({ "Authorization": "Bearer nonsense" }),
                "BAD_SIGNATURE",
            ),
            (json!({ "token": expired }), "EXPIRED"),
            (json!({ "token": unknown }), "UNKNOWN_AGENCY"),
        ] {
            let mut socket = GqlSocket::connect(&app.ws_url(), TRANSPORT).await;
            socket.init(payload.clone()).await;
            assert_eq!(
                socket.expect_close().await,
                (4403, format!("Forbidden: {reason}")),
                "{payload}"
            );
        }
        // The legacy protocol tells the same reason in its connection_error first.
        let mut socket = GqlSocket::connect(&app.ws_url(), LEGACY).await;
        socket.init(json!({ "token": expired })).await;
        assert_eq!(
            socket.next().await,
            Ok(json!({ "type": "connection_error", "payload": { "message": "EXPIRED" } }))
        );
        assert_eq!(
            socket.expect_close().await,
            (4403, "Forbidden: EXPIRED".to_owned())
        );
    }
}
