//! `Agency`, `agencies`, `createAgency`, `deactivateAgency` and `reactivateAgency`.

use super::scalars::DateTime;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::agencies;
use entity::enums::AgencyKind;

use super::limits::MaxChars;
use super::limits::size;
use super::{caller, config, db, ids};
use crate::domain;
use crate::error::IntoGql;
use crate::policy::{self, Sector as PolicySector};

/// The sector of an agency, which follows from its kind. The consultation rule makes
/// an action of one sector wait for the plan's agencies of the other sector.
#[derive(Copy, Clone, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum Sector {
    /// The criminal justice agencies: police, youth justice and the secure estate.
    Justice,
    /// Every other kind: social care, education, health, CAMHS, early help, HSB services.
    Welfare,
}

/// An organisation of the safeguarding partnership (social care, police, a school, …).
/// Callers belong to one agency, named by the `agency` claim of their token. Every
/// authenticated caller can see every agency.
#[derive(Description)]
pub struct Agency(pub agencies::Model);

#[Object(use_type_description)]
impl Agency {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("Agency", self.0.id)
    }
    /// The agency's unique lowercase slug (e.g. `sefton-csc`), which tokens name in their
    /// `agency` claim.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The agency's name, for display.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of organisation the agency is.
    async fn kind(&self) -> AgencyKind {
        self.0.kind
    }
    /// Whether the agency is a justice or a welfare agency, derived from its kind.
    async fn sector(&self) -> Sector {
        match policy::sector(self.0.kind) {
            PolicySector::Justice => Sector::Justice,
            PolicySector::Welfare => Sector::Welfare,
        }
    }
    /// Whether the agency takes part: tokens of an inactive agency are refused and it
    /// joins no case team or plan.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the agency was added to Concord.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When the agency's record last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// Agency queries.
#[derive(Default)]
pub struct AgencyQuery;

#[Object]
impl AgencyQuery {
    /// Every agency of the partnership, active or not, ordered by code (any
    /// authenticated caller).
    #[graphql(complexity = "size::AGENCIES * child_complexity")]
    async fn agencies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agency>> {
        caller(ctx)?;
        let rows = domain::agencies::list(db(ctx)?).await.gql()?;
        Ok(rows.into_iter().map(Agency).collect())
    }
}

/// Input of `createAgency`: the new agency's code, name and kind.
#[derive(InputObject)]
pub struct CreateAgencyInput {
    /// A unique lowercase slug, e.g. `sefton-csc` (at most 64 characters); tokens name
    /// it in their `agency` claim.
    #[graphql(validator(custom = "MaxChars::new(\"code\", 64)"))]
    pub code: String,
    /// The agency's name, for display (at most 200 characters).
    #[graphql(validator(custom = "MaxChars::new(\"name\", 200)"))]
    pub name: String,
    /// What kind of organisation the agency is; its sector follows from it.
    pub kind: AgencyKind,
}

/// Result of `createAgency`: the agency as saved.
#[derive(SimpleObject)]
pub struct CreateAgencyPayload {
    /// The new agency, active.
    pub agency: Agency,
}

/// Input of `deactivateAgency`: which agency leaves the partnership, and why.
#[derive(InputObject)]
pub struct DeactivateAgencyInput {
    /// The global id of the agency to deactivate.
    pub agency_id: ID,
    /// Why the agency is deactivated (at most 2,000 characters; kept in the audit log).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The agency's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Input of `reactivateAgency`: which agency comes back.
#[derive(InputObject)]
pub struct ReactivateAgencyInput {
    /// The global id of the agency to reactivate.
    pub agency_id: ID,
    /// The agency's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `deactivateAgency` and `reactivateAgency`: the agency as saved.
#[derive(SimpleObject)]
pub struct AgencyPayload {
    /// The agency as saved, with its new `active` and `version`.
    pub agency: Agency,
}

/// Agency mutations.
#[derive(Default)]
pub struct AgencyMutation;

#[Object]
impl AgencyMutation {
    /// Adds an agency to the partnership (`SYSTEM_ADMIN`).
    async fn create_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new agency's code, name and kind.")] input: CreateAgencyInput,
    ) -> async_graphql::Result<CreateAgencyPayload> {
        let caller = caller(ctx)?;
        let input = domain::agencies::NewAgency {
            code: input.code,
            name: input.name,
            kind: input.kind,
        };
        let agency = domain::agencies::create(db(ctx)?, caller, input)
            .await
            .gql()?;
        Ok(CreateAgencyPayload {
            agency: Agency(agency),
        })
    }

    /// Takes an agency out of the partnership (`SYSTEM_ADMIN`): its tokens are refused and
    /// it joins no case team or plan; what it recorded stays. Designated social care is
    /// told of every open child it led.
    async fn deactivate_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency to deactivate and why.")] input: DeactivateAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let caller = caller(ctx)?;
        let agency_id = ids::decode_as(&input.agency_id, "Agency", "agencyId").gql()?;
        let agency = domain::agencies::deactivate(
            db(ctx)?,
            caller,
            config(ctx)?,
            agency_id,
            &input.reason,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(AgencyPayload {
            agency: Agency(agency),
        })
    }

    /// Lets a deactivated agency back into the partnership (`SYSTEM_ADMIN`); its tokens
    /// are accepted again.
    async fn reactivate_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency to let back in.")] input: ReactivateAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let caller = caller(ctx)?;
        let agency_id = ids::decode_as(&input.agency_id, "Agency", "agencyId").gql()?;
        let agency =
            domain::agencies::reactivate(db(ctx)?, caller, agency_id, input.expected_version)
                .await
                .gql()?;
        Ok(AgencyPayload {
            agency: Agency(agency),
        })
    }
}
