//! Identity: JWT verification into an [`Actor`] (DESIGN §6.1), and development signing.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, Utc};
use entity::{agencies, enums::AgencyKind};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, jwk::JwkSet};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{DEV_AUDIENCE, DEV_ISSUER, JwtAlgorithm, Settings};
use crate::error::{ApiError, ApiResult};

/// What an actor may do, as named in tokens (DESIGN §2).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, async_graphql::Enum)]
pub enum Role {
    /// Reads its agency's children, refers, records behaviours and chronology.
    Practitioner,
    /// A practitioner who also manages its agency's involvements and answers consultations.
    AgencyLead,
    /// Registers children, builds case teams, runs joint plans, overrides consultations.
    Coordinator,
    /// The strategic report only.
    StrategicAnalyst,
    /// The audit log only.
    Auditor,
    /// Agencies only.
    SystemAdmin,
}

impl Role {
    /// Every role, in the order of the design.
    pub const ALL: [Role; 6] = [
        Role::Practitioner,
        Role::AgencyLead,
        Role::Coordinator,
        Role::StrategicAnalyst,
        Role::Auditor,
        Role::SystemAdmin,
    ];

    /// The name used in tokens and the schema.
    pub fn name(self) -> &'static str {
        match self {
            Role::Practitioner => "PRACTITIONER",
            Role::AgencyLead => "AGENCY_LEAD",
            Role::Coordinator => "COORDINATOR",
            Role::StrategicAnalyst => "STRATEGIC_ANALYST",
            Role::Auditor => "AUDITOR",
            Role::SystemAdmin => "SYSTEM_ADMIN",
        }
    }

    /// Parses a token's role name; unknown names are not Concord's and are ignored.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }
}

/// The verified caller of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The token's `sub`.
    pub subject: String,
    /// The token's `name`, or the subject.
    pub name: String,
    /// The actor's agency (active, known).
    pub agency_id: Uuid,
    /// Its code, as in the token.
    pub agency_code: String,
    /// Its kind, which decides sector and some visibility.
    pub agency_kind: AgencyKind,
    /// The roles Concord knows among the token's.
    pub roles: BTreeSet<Role>,
    /// When the token expires.
    pub expires_at: DateTime<Utc>,
}

impl Actor {
    /// Whether the actor holds this role.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The roles, comma separated, as the audit log keeps them.
    pub fn roles_text(&self) -> String {
        self.roles
            .iter()
            .map(|role| role.name())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The claims Concord reads (DESIGN §6.1). `nbf`, when present, is checked by the
/// verifier's validation and not kept.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: who the actor is at their identity provider.
    pub sub: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Agency code.
    pub agency: String,
    /// Role names.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at, seconds since the epoch.
    #[serde(default)]
    pub iat: Option<i64>,
}

/// Why a request is unauthenticated, as the client is told in `extensions.reason` (and in
/// the WebSocket close reason). Only what the caller can already know or fix is named:
/// anything wrong with the token itself is `BAD_SIGNATURE`, and the agency's state is only
/// told once the signature has been verified.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TokenRefusal {
    /// No bearer token where one is required.
    Missing,
    /// The token's `exp` has passed.
    Expired,
    /// The token's `nbf` or `iat` is still in the future.
    NotYetValid,
    /// Malformed, badly signed, or not meant for this service (issuer, audience, claims).
    BadSignature,
    /// A valid token naming an agency Concord does not know.
    UnknownAgency,
    /// A valid token of an agency that has been deactivated.
    InactiveAgency,
}

impl TokenRefusal {
    /// The name sent to the client.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Missing => "MISSING",
            Self::Expired => "EXPIRED",
            Self::NotYetValid => "NOT_YET_VALID",
            Self::BadSignature => "BAD_SIGNATURE",
            Self::UnknownAgency => "UNKNOWN_AGENCY",
            Self::InactiveAgency => "INACTIVE_AGENCY",
        }
    }
}

/// How far in the future a token's `iat` may be, for clock skew between issuer and us.
pub const IAT_LEEWAY_SECONDS: i64 = 60;

/// Why a token was refused, in full; only ever logged. The client sees
/// [`TokenError::refusal`].
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Signature, algorithm, expiry, not-before, issuer or audience check failed.
    #[error("token rejected: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    /// A JWKS token without a `kid` we hold.
    #[error("no key for kid {0:?}")]
    UnknownKey(Option<String>),
    /// `sub` is empty or blank.
    #[error("the subject is empty")]
    EmptySubject,
    /// `iat` is later than now, beyond the leeway.
    #[error("issued in the future (iat {0})")]
    IssuedInFuture(i64),
}

impl TokenError {
    /// What the client is told.
    pub fn refusal(&self) -> TokenRefusal {
        use jsonwebtoken::errors::ErrorKind;
        match self {
            Self::Invalid(error) => match error.kind() {
                ErrorKind::ExpiredSignature => TokenRefusal::Expired,
                ErrorKind::ImmatureSignature => TokenRefusal::NotYetValid,
                _ => TokenRefusal::BadSignature,
            },
            Self::IssuedInFuture(_) => TokenRefusal::NotYetValid,
            Self::UnknownKey(_) | Self::EmptySubject => TokenRefusal::BadSignature,
        }
    }
}

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

/// Turns verified claims into an actor: the agency must be known and active.
pub async fn actor_from_claims(db: &DatabaseConnection, claims: Claims) -> ApiResult<Actor> {
    let agency = agencies::Entity::find()
        .filter(agencies::Column::Code.eq(claims.agency.as_str()))
        .one(db)
        .await?
        .ok_or(ApiError::Unauthenticated(TokenRefusal::UnknownAgency))?;
    if !agency.active {
        return Err(ApiError::Unauthenticated(TokenRefusal::InactiveAgency));
    }
    let expires_at = DateTime::from_timestamp(claims.exp, 0)
        .ok_or(ApiError::Unauthenticated(TokenRefusal::BadSignature))?;
    Ok(Actor {
        name: claims.name.unwrap_or_else(|| claims.sub.clone()),
        subject: claims.sub,
        agency_id: agency.id,
        agency_code: agency.code,
        agency_kind: agency.kind,
        roles: claims
            .roles
            .iter()
            .filter_map(|name| Role::parse(name))
            .collect(),
        expires_at,
    })
}

/// Signs an HS256 token (development mode, `concord token`, tests).
pub fn sign_hs256(
    secret: &SecretString,
    claims: &Claims,
) -> Result<String, jsonwebtoken::errors::Error> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.expose_secret().as_bytes()),
    )
}

/// Claims of a development token for one actor, valid for `hours`.
pub fn dev_claims(sub: &str, name: &str, agency: &str, roles: &[Role], hours: i64) -> Claims {
    let now = Utc::now().timestamp();
    Claims {
        sub: sub.to_owned(),
        name: Some(name.to_owned()),
        agency: agency.to_owned(),
        roles: roles.iter().map(|role| role.name().to_owned()).collect(),
        iss: DEV_ISSUER.to_owned(),
        aud: DEV_AUDIENCE.to_owned(),
        exp: now + hours * 3600,
        iat: Some(now),
    }
}

/// Reads the development signing secret from the data folder, creating it on first use.
pub fn dev_secret(data_dir: &Path) -> std::io::Result<SecretString> {
    use base64::Engine as _;
    use rand::RngCore as _;
    let path = data_dir.join("dev-signing-secret");
    if let Ok(secret) = std::fs::read_to_string(&path) {
        return Ok(SecretString::from(secret.trim().to_owned()));
    }
    std::fs::create_dir_all(data_dir)?;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    std::fs::write(&path, &secret)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(SecretString::from(secret))
}
