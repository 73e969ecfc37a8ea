//! `registerChild`: a coordinator registers a child, and the coordinator's agency becomes
//! its lead.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use super::Child;
use crate::domain;
use crate::error::IntoGql;
use crate::graphql::limits::MaxChars;
use crate::graphql::scalars::Date;
use crate::graphql::{caller, db};

/// Input of `registerChild`.
#[derive(InputObject)]
pub struct RegisterChildInput {
    /// The child's given (first) name; at most 100 characters.
    #[graphql(validator(custom = "MaxChars::new(\"givenName\", 100)"))]
    pub given_name: String,
    /// The child's family name (surname); at most 100 characters.
    #[graphql(validator(custom = "MaxChars::new(\"familyName\", 100)"))]
    pub family_name: String,
    /// The child's date of birth; the child must be under 18 today.
    pub date_of_birth: Date,
    /// The child's gender as the agency records it (free text, at most 50 characters).
    #[graphql(validator(custom = "MaxChars::new(\"gender\", 50)"))]
    pub gender: String,
    /// NHS number (10 digits; spaces and hyphens are ignored); its check digit is verified.
    #[graphql(validator(custom = "MaxChars::new(\"nhsNumber\", 20)"))]
    pub nhs_number: Option<String>,
    /// Unique pupil number (13 characters); its check letter is verified.
    #[graphql(validator(custom = "MaxChars::new(\"uniquePupilNumber\", 20)"))]
    pub unique_pupil_number: Option<String>,
    /// The local authority's own case reference (at most 100 characters).
    #[graphql(validator(custom = "MaxChars::new(\"localAuthorityRef\", 100)"))]
    pub local_authority_ref: Option<String>,
    /// The police's own reference for the child (at most 100 characters).
    #[graphql(validator(custom = "MaxChars::new(\"policeRef\", 100)"))]
    pub police_ref: Option<String>,
    /// Whether the child has special educational needs and disabilities (SEND).
    #[graphql(default)]
    pub send: bool,
    /// Whether the child is looked after (in the care of the local authority).
    #[graphql(default)]
    pub looked_after: bool,
}

impl RegisterChildInput {
    /// The domain's form of the input.
    pub fn into_domain(self) -> domain::children::NewChild {
        domain::children::NewChild {
            given_name: self.given_name,
            family_name: self.family_name,
            date_of_birth: Some(self.date_of_birth.into()),
            gender: self.gender,
            nhs_number: self.nhs_number,
            unique_pupil_number: self.unique_pupil_number,
            local_authority_ref: self.local_authority_ref,
            police_ref: self.police_ref,
            send: self.send,
            looked_after: self.looked_after,
        }
    }
}

/// Result of `registerChild`.
#[derive(SimpleObject)]
pub struct RegisterChildPayload {
    /// The newly registered child, with the caller's agency as its lead.
    pub child: Child,
}

/// Child mutations.
#[derive(Default)]
pub struct ChildMutation;

#[Object]
impl ChildMutation {
    /// Registers a child (`COORDINATOR`); the coordinator's agency becomes the lead.
    async fn register_child(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who the child is: names, date of birth and identifiers.")]
        input: RegisterChildInput,
    ) -> async_graphql::Result<RegisterChildPayload> {
        let caller = caller(ctx)?;
        let input = input.into_domain();
        let child = domain::children::register(db(ctx)?, caller, input)
            .await
            .gql()?;
        Ok(RegisterChildPayload {
            child: Child(child),
        })
    }
}
