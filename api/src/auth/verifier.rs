//! Verifying tokens: the configured key and algorithm (HS256 secret, RS256/ES256 key
//! file or JWKS by `kid`), never the token's own choice; the checks of `exp`, `nbf`,
//! `iss`, `aud` and the claims Concord requires.

use std::collections::HashMap;
use std::path::Path;

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use secrecy::{ExposeSecret, SecretString};

use super::{Claims, IAT_LEEWAY_SECONDS, TokenError};
use crate::config::{JwtAlgorithm, Settings};

enum Keys {
    Single(DecodingKey),
    Set(HashMap<String, DecodingKey>),
}

/// Verifies tokens with the configured key and algorithm, never the token's own choice.
pub struct TokenVerifier {
    keys: Keys,
    validation: Validation,
}

/// Why the verifier could not be built from the settings.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A key file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A key could not be parsed.
    #[error("invalid key in {path}: {reason}")]
    Parse {
        /// The file.
        path: String,
        /// What was wrong.
        reason: String,
    },
    /// Settings that do not fit together.
    #[error("{0}")]
    Settings(String),
}

fn read(path: &Path) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(|source| KeyError::Read {
        path: path.display().to_string(),
        source,
    })
}

fn parse_error(path: &Path, reason: impl ToString) -> KeyError {
    KeyError::Parse {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

impl TokenVerifier {
    /// Builds the verifier of production mode from the settings.
    pub fn from_settings(settings: &Settings) -> Result<Self, KeyError> {
        let issuer = settings
            .jwt_issuer
            .clone()
            .ok_or_else(|| KeyError::Settings("CONCORD_JWT_ISSUER is required".into()))?;
        let audience = settings
            .jwt_audience
            .clone()
            .ok_or_else(|| KeyError::Settings("CONCORD_JWT_AUDIENCE is required".into()))?;
        let configured = [
            settings.jwt_secret.is_some(),
            settings.jwt_public_key_file.is_some(),
            settings.jwks_file.is_some(),
        ];
        if configured.iter().filter(|set| **set).count() != 1 {
            return Err(KeyError::Settings(
                "set exactly one of CONCORD_JWT_SECRET, CONCORD_JWT_PUBLIC_KEY_FILE, CONCORD_JWKS_FILE"
                    .into(),
            ));
        }
        if let Some(secret) = &settings.jwt_secret {
            if settings
                .jwt_algorithm
                .is_some_and(|alg| alg != JwtAlgorithm::Hs256)
            {
                return Err(KeyError::Settings(
                    "a shared secret verifies HS256 only".into(),
                ));
            }
            return Ok(Self::hs256(secret, &issuer, &audience));
        }
        let algorithm = settings.jwt_algorithm.unwrap_or(JwtAlgorithm::Rs256);
        if algorithm == JwtAlgorithm::Hs256 {
            return Err(KeyError::Settings("HS256 needs CONCORD_JWT_SECRET".into()));
        }
        let keys = if let Some(path) = &settings.jwt_public_key_file {
            let pem = read(path)?;
            let key = match algorithm {
                JwtAlgorithm::Es256 => DecodingKey::from_ec_pem(&pem),
                _ => DecodingKey::from_rsa_pem(&pem),
            }
            .map_err(|e| parse_error(path, e))?;
            Keys::Single(key)
        } else if let Some(path) = &settings.jwks_file {
            let set: JwkSet =
                serde_json::from_slice(&read(path)?).map_err(|e| parse_error(path, e))?;
            let mut keys = HashMap::new();
            for jwk in &set.keys {
                let Some(kid) = jwk.common.key_id.clone() else {
                    continue;
                };
                keys.insert(
                    kid,
                    DecodingKey::from_jwk(jwk).map_err(|e| parse_error(path, e))?,
                );
            }
            if keys.is_empty() {
                return Err(parse_error(path, "no key with a kid"));
            }
            Keys::Set(keys)
        } else {
            return Err(KeyError::Settings("no token key configured".into()));
        };
        Ok(Self {
            keys,
            validation: validation(algorithm.into(), &issuer, &audience),
        })
    }

    /// A verifier for HS256 tokens (production secret or development secret).
    pub fn hs256(secret: &SecretString, issuer: &str, audience: &str) -> Self {
        Self {
            keys: Keys::Single(DecodingKey::from_secret(secret.expose_secret().as_bytes())),
            validation: validation(Algorithm::HS256, issuer, audience),
        }
    }

    /// Checks signature, algorithm, expiry, not-before, issuer, audience and required
    /// claims, then that `sub` is not blank and `iat` is not in the future.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let key = match &self.keys {
            Keys::Single(key) => key,
            Keys::Set(keys) => {
                let kid = jsonwebtoken::decode_header(token)?.kid;
                match kid.as_ref().and_then(|kid| keys.get(kid)) {
                    Some(key) => key,
                    None => return Err(TokenError::UnknownKey(kid)),
                }
            }
        };
        let claims = jsonwebtoken::decode::<Claims>(token, key, &self.validation)?.claims;
        if claims.sub.trim().is_empty() {
            return Err(TokenError::EmptySubject);
        }
        if let Some(iat) = claims.iat
            && iat > Utc::now().timestamp().saturating_add(IAT_LEEWAY_SECONDS)
        {
            return Err(TokenError::IssuedInFuture(iat));
        }
        Ok(claims)
    }
}

fn validation(algorithm: Algorithm, issuer: &str, audience: &str) -> Validation {
    let mut validation = Validation::new(algorithm);
    validation.algorithms = vec![algorithm];
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.validate_nbf = true;
    validation.leeway = 30;
    validation
}
