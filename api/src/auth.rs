//! Identity: JWT verification into an [`Actor`] (`docs/integrating.md`), and development signing.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use entity::{agencies, enums::AgencyKind};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{DEV_AUDIENCE, DEV_ISSUER};
use crate::error::{ApiError, ApiResult};

mod verifier;

pub use verifier::{KeyError, TokenVerifier};

/// What a caller may do, as named in the `roles` claim of their token (see
/// `docs/access.md` for the full matrix).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, async_graphql::Enum)]
pub enum Role {
    /// A social worker, YOT officer, police officer, school safeguarding lead or
    /// clinician: reads the children their agency is involved with, refers children,
    /// records behaviours and chronology entries, moves their agency's plan actions on.
    Practitioner,
    /// An agency's team manager: all a practitioner may, plus adding or ending their own
    /// agency's involvements and answering consultations for it.
    AgencyLead,
    /// A multi-agency case coordinator: all an agency lead may, plus registering
    /// children, adding any agency to a case team, running joint plans, overriding
    /// consultations with a reason and closing the case of a child their agency leads.
    Coordinator,
    /// A partnership analyst: the anonymised strategic report only, never a child's
    /// identity.
    StrategicAnalyst,
    /// Information governance: the audit log and per-child access reports, no case
    /// content.
    Auditor,
    /// The service operator: manages agencies (create, deactivate, reactivate), no case
    /// content.
    SystemAdmin,
    /// The data protection or records officer: subject access exports, legal holds and
    /// retention, every action audited; no case work.
    InformationGovernance,
}

impl Role {
    /// Every role, in the order of the design.
    pub const ALL: [Role; 7] = [
        Role::Practitioner,
        Role::AgencyLead,
        Role::Coordinator,
        Role::StrategicAnalyst,
        Role::Auditor,
        Role::SystemAdmin,
        Role::InformationGovernance,
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
            Role::InformationGovernance => "INFORMATION_GOVERNANCE",
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

/// The claims Concord reads (`docs/integrating.md`). `nbf`, when present, is checked by the
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

    /// The message sent to the client: what was wrong, and what to do about it; never
    /// which check of a bad token failed beyond what [`TokenRefusal::reason`] tells.
    pub fn message(self) -> &'static str {
        match self {
            Self::Missing => {
                "authentication required: send a bearer token in the Authorization header"
            }
            Self::Expired => "the token has expired: get a new one from your identity provider",
            Self::NotYetValid => {
                "the token is not valid yet: check the clocks of the identity provider and the client"
            }
            Self::BadSignature => {
                "the token could not be verified (signature, issuer, audience or claims): \
                 get a token issued for this service"
            }
            Self::UnknownAgency => {
                "the token's agency is not known to this service: ask an administrator to add it"
            }
            Self::InactiveAgency => "the token's agency has been deactivated",
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

/// The file in the data folder that holds the development signing secret.
pub const DEV_SECRET_FILE: &str = "dev-signing-secret";

/// Reads the development signing secret from the data folder, creating it on first use.
pub fn dev_secret(data_dir: &Path) -> std::io::Result<SecretString> {
    use base64::Engine as _;
    use rand::RngCore as _;
    let path = data_dir.join(DEV_SECRET_FILE);
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
