//! Identity: which tokens are accepted and which refused (`docs/integrating.md`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::agencies;
use entity::enums::AgencyKind;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::helpers::{Backend, Keys, TestActor, TestApp, error_code, sign, spawn_app, spawn_apps};

const ME: &str = "{ me { subject name roles agency { code } } }";

async fn me_with(app: &TestApp, token: &str) -> (u16, Value) {
    let response = app.post_graphql(json!({ "query": ME }), Some(token)).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

fn assert_refused(status: u16, body: &Value, what: &str) {
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(error_code(body), Some("UNAUTHENTICATED"), "{what}: {body}");
    assert!(
        body.get("data").is_none_or(Value::is_null),
        "{what}: no data may leak: {body}"
    );
}

#[tokio::test]
async fn a_valid_token_identifies_the_actor() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let actor = TestActor {
            roles: vec![
                "COORDINATOR".into(),
                "AGENCY_LEAD".into(),
                "NOT_OURS".into(),
            ],
            ..TestActor::coordinator("csc")
        };
        let (status, body) = me_with(&app, &actor.token()).await;
        assert_eq!(status, 200);
        assert_eq!(
            body["data"]["me"],
            json!({ "subject": actor.sub, "name": format!("Test {}", actor.sub), "roles": ["AGENCY_LEAD", "COORDINATOR"], "agency": { "code": "csc" } })
        );
    }
}

#[tokio::test]
async fn a_missing_token_is_unauthenticated_and_may_not_even_introspect_in_production() {
    for app in spawn_apps().await {
        for query in [ME, "{ __schema { queryType { name } } }"] {
            let response = app.post_graphql(json!({ "query": query }), None).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("json");
            assert_refused(status, &body, query);
        }
    }
}

#[tokio::test]
async fn expired_wrong_audience_wrong_issuer_and_wrong_key_tokens_are_refused() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let actor = TestActor::coordinator("csc");
        let now = chrono::Utc::now().timestamp();

        let mut expired = actor.claims();
        expired.exp = now - 3600;
        let mut audience = actor.claims();
        audience.aud = "someone-else".into();
        let mut issuer = actor.claims();
        issuer.iss = "https://evil.example.invalid".into();
        for (what, claims) in [
            ("expired", expired),
            ("audience", audience),
            ("issuer", issuer),
        ] {
            let (status, body) = me_with(&app, &sign(&claims, Algorithm::HS256, None)).await;
            assert_refused(status, &body, what);
        }

        let other_key =
            EncodingKey::from_secret(b"another-secret-that-is-long-enough-0123456789abcdef");
        let forged =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &actor.claims(), &other_key)
                .expect("sign");
        let (status, body) = me_with(&app, &forged).await;
        assert_refused(status, &body, "wrong key");

        let mut tampered = actor.token();
        tampered.push('x');
        let (status, body) = me_with(&app, &tampered).await;
        assert_refused(status, &body, "tampered");

        let (status, body) = me_with(&app, "not-a-jwt").await;
        assert_refused(status, &body, "garbage");

        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("authorization", format!("Basic {}", actor.token()))
            .json(&json!({ "query": ME }))
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status().as_u16(),
            401,
            "a non-bearer scheme is refused"
        );
    }
}

/// A token with `alg: none` and no signature, as an attacker would craft it.
fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

#[tokio::test]
async fn alg_none_tokens_and_tokens_missing_required_claims_are_refused() {
    for app in spawn_apps().await {
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        let claims = serde_json::to_value(TestActor::coordinator("csc").claims()).expect("claims");
        let (status, body) = me_with(&app, &unsigned(&claims)).await;
        assert_refused(status, &body, "alg none");

        for missing in ["sub", "exp", "iss", "aud"] {
            let mut partial = claims.clone();
            partial.as_object_mut().expect("object").remove(missing);
            let (status, body) = me_with(&app, &sign(&partial, Algorithm::HS256, None)).await;
            assert_refused(status, &body, missing);
        }
    }
}

#[tokio::test]
async fn unknown_and_inactive_agencies_are_unauthenticated() {
    for app in spawn_apps().await {
        let id = app.add_agency("closed-down", AgencyKind::Health).await;
        let (status, body) =
            me_with(&app, &TestActor::practitioner("no-such-agency").token()).await;
        assert_refused(status, &body, "unknown agency");

        let actor = TestActor::practitioner("closed-down");
        assert_eq!(me_with(&app, &actor.token()).await.0, 200);
        let agency = agencies::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("row");
        let mut agency: agencies::ActiveModel = agency.into();
        agency.active = Set(false);
        agency.update(&app.db).await.expect("deactivate");
        let (status, body) = me_with(&app, &actor.token()).await;
        assert_refused(status, &body, "inactive agency");
    }
}

#[tokio::test]
async fn rs256_with_a_public_key_file_accepts_only_rs256_tokens_signed_by_its_key() {
    let app = spawn_app(Backend::Sqlite, Keys::Rs256).await;
    app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
    let claims = TestActor::coordinator("csc").claims();
    let (status, body) = me_with(&app, &sign(&claims, Algorithm::RS256, None)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"]["agency"]["code"], "csc");

    // Algorithm confusion: an HS256 token keyed with the public key's own bytes.
    let public = crate::helpers::read_key("rsa-public.pem");
    let confused = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&public),
    )
    .expect("sign");
    let (status, body) = me_with(&app, &confused).await;
    assert_refused(status, &body, "HS256 against an RS256 server");

    let (status, body) = me_with(&app, &sign(&claims, Algorithm::ES256, None)).await;
    assert_refused(status, &body, "ES256 against an RS256 server");

    let other =
        EncodingKey::from_rsa_pem(&crate::helpers::read_key("rsa-other-private.pem")).expect("key");
    let forged =
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &other).expect("sign");
    let (status, body) = me_with(&app, &forged).await;
    assert_refused(status, &body, "RS256 by another key");
}

#[tokio::test]
async fn es256_with_a_public_key_file_verifies_es256_tokens() {
    let app = spawn_app(Backend::Sqlite, Keys::Es256).await;
    app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
    let claims = TestActor::coordinator("csc").claims();
    let (status, body) = me_with(&app, &sign(&claims, Algorithm::ES256, None)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = me_with(&app, &sign(&claims, Algorithm::RS256, None)).await;
    assert_refused(status, &body, "RS256 against an ES256 server");
}

#[tokio::test]
async fn a_jwks_file_chooses_the_key_by_kid() {
    let app = spawn_app(Backend::Sqlite, Keys::Jwks).await;
    app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
    let claims = TestActor::coordinator("csc").claims();
    let (status, body) = me_with(&app, &sign(&claims, Algorithm::RS256, Some("test-key-1"))).await;
    assert_eq!(status, 200, "{body}");

    for (what, kid) in [
        ("no kid", None),
        ("unknown kid", Some("nobody")),
        ("another key's kid", Some("other-key")),
    ] {
        let (status, body) = me_with(&app, &sign(&claims, Algorithm::RS256, kid)).await;
        assert_refused(status, &body, what);
    }
}
