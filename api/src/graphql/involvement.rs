//! `Involvement` (the case team), `addInvolvement` and `endInvolvement`; corrections are
//! `amendInvolvement` (`graphql::record_amendment`).

use super::scalars::Date;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::enums::InvolvementRole;
use entity::involvements;

use super::agency::Agency;
use super::child::Child;
use super::limits::MaxChars;
use super::{agency_by_id, caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// One agency's place on a child's case team, from when it started to when it ended.
/// The agencies with a current involvement can see the child's record.
#[derive(Description)]
pub struct Involvement(pub involvements::Model);

#[Object(use_type_description)]
impl Involvement {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("Involvement", self.0.id)
    }
    /// The child the agency works with.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Child> {
        super::visible_child(ctx, self.0.child_id).await
    }
    /// The agency on the case team.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// Whether the agency leads the case (`LEAD`) or is a `PARTNER`.
    async fn role(&self) -> InvolvementRole {
        self.0.role
    }
    /// The agency's named practitioner for the child (free text); `null` when not named.
    async fn lead_practitioner(&self) -> Option<&str> {
        self.0.lead_practitioner.as_deref()
    }
    /// The day the agency joined the case team.
    async fn started_on(&self) -> Date {
        self.0.started_on.into()
    }
    /// The day the agency left the case team; `null` while it is current.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Into::into)
    }
    /// Why the agency is involved; `null` when not given (`amendInvolvement` corrects it
    /// as `involvementReason`).
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Why the agency left the case team; `null` while it is current.
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
    /// Whether the involvement is current (it has not ended).
    async fn active(&self) -> bool {
        self.0.ended_on.is_none()
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Whether the involvement was ever corrected (`amendInvolvement`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        super::amendment::amended(ctx, self.0.id).await
    }
    /// Every earlier version of the involvement's practitioner, start day and reason,
    /// oldest first, with who corrected it, when and why.
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::amendment::RecordVersion>> {
        super::amendment::readable_history(ctx, self.0.id).await
    }
}

/// Input of `addInvolvement`: which agency joins which child's case team, and how.
#[derive(InputObject)]
pub struct AddInvolvementInput {
    /// The global id of the child.
    pub child_id: ID,
    /// The global id of the agency joining the case team (it must be active).
    pub agency_id: ID,
    /// The agency's role on the case team; `PARTNER` when omitted.
    #[graphql(default_with = "InvolvementRole::Partner")]
    pub role: InvolvementRole,
    /// The agency's named practitioner for the child (at most 100 characters).
    #[graphql(validator(custom = "MaxChars::new(\"leadPractitioner\", 100)"))]
    pub lead_practitioner: Option<String>,
    /// Why the agency is involved (at most 2,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: Option<String>,
}

/// Result of `addInvolvement`: the involvement as saved.
#[derive(SimpleObject)]
pub struct AddInvolvementPayload {
    /// The new, current involvement.
    pub involvement: Involvement,
}

/// Input of `endInvolvement`: which involvement ends, and why.
#[derive(InputObject)]
pub struct EndInvolvementInput {
    /// The global id of the involvement to end.
    pub involvement_id: ID,
    /// Why the agency leaves the case team (at most 2,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The involvement's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `endInvolvement`: the involvement as saved.
#[derive(SimpleObject)]
pub struct EndInvolvementPayload {
    /// The involvement, now ended (`active` false).
    pub involvement: Involvement,
}

/// Case team mutations.
#[derive(Default)]
pub struct InvolvementMutation;

#[Object]
impl InvolvementMutation {
    /// Puts an agency on a child's case team, which lets it see the child's record
    /// (`COORDINATOR`, or an `AGENCY_LEAD` for their own agency).
    async fn add_involvement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which agency joins which child's case team, and in what role.")]
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

    /// Ends an agency's place on a child's case team (`COORDINATOR`, or an `AGENCY_LEAD`
    /// for their own agency).
    async fn end_involvement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement to end and why.")] input: EndInvolvementInput,
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
