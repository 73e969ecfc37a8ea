//! `Involvement` (the case team), `addInvolvement` and `endInvolvement`.

use super::scalars::Date;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::InvolvementRole;
use entity::involvements;

use super::agency::Agency;
use super::child::Child;
use super::limits::MaxChars;
use super::{agency_by_id, caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// One agency's involvement with a child: the case team.
pub struct Involvement(pub involvements::Model);

#[Object]
impl Involvement {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("Involvement", self.0.id)
    }
    /// The child.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        super::visible_child(ctx, self.0.child_id).await
    }
    /// The agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// `LEAD` or `PARTNER`.
    async fn role(&self) -> InvolvementRole {
        self.0.role
    }
    /// The named practitioner.
    async fn lead_practitioner(&self) -> Option<&str> {
        self.0.lead_practitioner.as_deref()
    }
    /// When the involvement started.
    async fn started_on(&self) -> Date {
        self.0.started_on.into()
    }
    /// When it ended, if it has.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Into::into)
    }
    /// Why the agency is involved.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Why it ended.
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
    /// Whether it is current.
    async fn active(&self) -> bool {
        self.0.ended_on.is_none()
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Input of `addInvolvement`.
#[derive(InputObject)]
pub struct AddInvolvementInput {
    /// The child.
    pub child_id: ID,
    /// The agency joining the case team.
    pub agency_id: ID,
    /// `LEAD` or `PARTNER`.
    #[graphql(default_with = "InvolvementRole::Partner")]
    pub role: InvolvementRole,
    /// The named practitioner.
    #[graphql(validator(custom = "MaxChars::new(\"leadPractitioner\", 100)"))]
    pub lead_practitioner: Option<String>,
    /// Why the agency is involved.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: Option<String>,
}

/// Result of `addInvolvement`.
#[derive(SimpleObject)]
pub struct AddInvolvementPayload {
    /// The new involvement.
    pub involvement: Involvement,
}

/// Input of `endInvolvement`.
#[derive(InputObject)]
pub struct EndInvolvementInput {
    /// The involvement.
    pub involvement_id: ID,
    /// Why the agency leaves the case team.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The involvement version the client read.
    pub expected_version: i32,
}

/// Result of `endInvolvement`.
#[derive(SimpleObject)]
pub struct EndInvolvementPayload {
    /// The ended involvement.
    pub involvement: Involvement,
}

/// Case team mutations.
#[derive(Default)]
pub struct InvolvementMutation;

#[Object]
impl InvolvementMutation {
    /// Puts an agency on a child's case team (`COORDINATOR`, or `AGENCY_LEAD` for their own).
    async fn add_involvement(
        &self,
        ctx: &Context<'_>,
        input: AddInvolvementInput,
    ) -> async_graphql::Result<AddInvolvementPayload> {
        let caller = caller(ctx)?;
        let child_id = ids::decode_as(&input.child_id, "Child", "childId").gql()?;
        let agency_id = ids::decode_as(&input.agency_id, "Agency", "agencyId").gql()?;
        let new = domain::involvements::NewInvolvement {
            agency_id,
            role: input.role,
            lead_practitioner: input.lead_practitioner,
            reason: input.reason,
        };
        let db = db(ctx)?;
        let involvement = domain::retry::transient(|| {
            domain::involvements::add_involvement(db, caller, child_id, new.clone())
        })
        .await
        .gql()?;
        Ok(AddInvolvementPayload {
            involvement: Involvement(involvement),
        })
    }

    /// Ends an involvement (`COORDINATOR`, or `AGENCY_LEAD` for their own agency).
    async fn end_involvement(
        &self,
        ctx: &Context<'_>,
        input: EndInvolvementInput,
    ) -> async_graphql::Result<EndInvolvementPayload> {
        let id = ids::decode_as(&input.involvement_id, "Involvement", "involvementId").gql()?;
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved = domain::retry::transient(|| {
            domain::involvements::end_involvement(
                db,
                caller,
                id,
                &input.reason,
                input.expected_version,
            )
        })
        .await
        .gql()?;
        Ok(EndInvolvementPayload {
            involvement: Involvement(saved),
        })
    }
}
