//! Real signed tokens, as an identity provider would issue them to Concord's callers.

use chrono::Utc;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::json;

/// The secret the documented server command uses (`--jwt-secret`); synthetic, for
/// benchmarks only.
pub const DEFAULT_SECRET: &str = "bench-secret-that-is-long-enough-for-hs256-0123456789";
/// The issuer the documented server command requires.
pub const DEFAULT_ISSUER: &str = "concord-bench";
/// The audience the documented server command requires.
pub const DEFAULT_AUDIENCE: &str = "concord-bench";

/// How the server verifies tokens (HS256).
#[derive(Clone, Debug, clap::Args)]
pub struct TokenSettings {
    /// The server's `CONCORD_JWT_SECRET`.
    #[arg(long, env = "CONCORD_JWT_SECRET", default_value = DEFAULT_SECRET, hide_env_values = true)]
    pub jwt_secret: String,
    /// The server's `CONCORD_JWT_ISSUER`.
    #[arg(long, env = "CONCORD_JWT_ISSUER", default_value = DEFAULT_ISSUER)]
    pub jwt_issuer: String,
    /// The server's `CONCORD_JWT_AUDIENCE`.
    #[arg(long, env = "CONCORD_JWT_AUDIENCE", default_value = DEFAULT_AUDIENCE)]
    pub jwt_audience: String,
}

impl Default for TokenSettings {
    fn default() -> Self {
        Self {
            jwt_secret: DEFAULT_SECRET.into(),
            jwt_issuer: DEFAULT_ISSUER.into(),
            jwt_audience: DEFAULT_AUDIENCE.into(),
        }
    }
}

impl TokenSettings {
    /// A token valid for 12 hours for `subject` of `agency` with `roles`.
    pub fn mint(&self, subject: &str, agency: &str, roles: &[&str]) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = json!({
            "sub": subject,
            "name": format!("Bench User {subject}"),
            "agency": agency,
            "roles": roles,
            "iss": self.jwt_issuer,
            "aud": self.jwt_audience,
            "iat": now - 5,
            "exp": now + 12 * 3600,
        });
        Ok(jsonwebtoken::encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(self.jwt_secret.as_bytes()),
        )?)
    }
}
