//! The service's one error type, and how it reaches a GraphQL client.
//!
//! Every error carries an explicit `extensions.code`. Internal errors show a generic
//! message; their detail goes to the log with the request id.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// What can go wrong in a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid token, or the token's agency is unknown or inactive; the reason is told
    /// in `extensions.reason`.
    #[error("{}", .0.message())]
    Unauthenticated(crate::auth::TokenRefusal),
    /// The actor's roles do not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Missing, or not visible to the actor: the two are never told apart.
    #[error("not found")]
    NotFound,
    /// Bad input, naming the input field.
    #[error("{field}: {message}")]
    Validation {
        /// The input field at fault, as the schema names it.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The row changed since the client read it.
    #[error("the record was changed by someone else; reload it and try again")]
    Conflict {
        /// The version the row has now.
        current_version: i32,
    },
    /// An action cannot start before its consultations are settled.
    #[error("{0}")]
    ConsultationRequired(String),
    /// A requested size is over the limit.
    #[error("{0}")]
    LimitExceeded(String),
    /// A database error: never shown to the client.
    #[error("internal error")]
    Database(#[from] DbErr),
    /// Any other internal failure: never shown to the client.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The `extensions.code` of `docs/integrating.md`
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::Validation { .. } => "VALIDATION_FAILED",
            Self::Conflict { .. } => "CONFLICT",
            Self::ConsultationRequired(_) => "CONSULTATION_REQUIRED",
            Self::LimitExceeded(_) => "LIMIT_EXCEEDED",
            Self::Database(_) | Self::Internal(_) => "INTERNAL",
        }
    }

    /// A validation error on one input field.
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// A unique-constraint violation as a validation error on `field`; anything else
    /// stays a database error.
    pub fn unique(error: DbErr, field: &str, message: &str) -> Self {
        match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Self::validation(field, message),
            _ => Self::Database(error),
        }
    }

    /// Whether the database gave up on this attempt for a reason that trying again can
    /// cure: a PostgreSQL serialization failure (40001) or deadlock (40P01), or SQLite
    /// busy or locked (5, 6 and their extended codes).
    pub fn is_transient(&self) -> bool {
        let (Self::Database(DbErr::Exec(sea_orm::RuntimeErr::SqlxError(error)))
        | Self::Database(DbErr::Query(sea_orm::RuntimeErr::SqlxError(error)))) = self
        else {
            return false;
        };
        let Some(code) = error.as_database_error().and_then(|e| e.code()) else {
            return false;
        };
        matches!(
            code.as_ref(),
            "40001" | "40P01" | "5" | "6" | "261" | "262" | "517"
        )
    }

    /// A refusal for lack of a role.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        match self {
            Self::Database(error) => tracing::error!(%error, "database error"),
            Self::Internal(error) => tracing::error!(%error, "internal error"),
            _ => {}
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            match self {
                Self::Validation { field, .. } => ext.set("field", field.as_str()),
                Self::Conflict { current_version } => ext.set("currentVersion", *current_version),
                Self::Unauthenticated(refusal) => ext.set("reason", refusal.reason()),
                _ => {}
            }
        })
    }
}

/// Turns a domain result into a GraphQL one with its error code.
pub trait IntoGql<T> {
    /// Maps the error with its `extensions.code`.
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> IntoGql<T> for Result<T, ApiError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|error| error.extend())
    }
}

/// Result of the domain layer.
pub type ApiResult<T> = Result<T, ApiError>;

/// `error` and every `source()` below it, joined with `": "`, for log lines and the command
/// line (an `ApiError`'s own message hides its cause from clients, not from operators).
pub fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // Some errors repeat their source's message in their own; say it once.
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_chain_names_the_database_error_behind_an_internal_error() {
        let error = ApiError::Database(DbErr::Custom("no such table: agencies".into()));
        assert_eq!(
            cause_chain(&error),
            "internal error: Custom Error: no such table: agencies"
        );
        assert_eq!(cause_chain(&ApiError::NotFound), "not found");
    }
}
