//! `Agency`, `agencies`, `createAgency`, `deactivateAgency` and `reactivateAgency`.

use super::scalars::DateTime;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::agencies;
use entity::enums::AgencyKind;

use super::limits::MaxChars;
use super::limits::size;
use super::{caller, config, db, ids};
use crate::domain;
use crate::error::IntoGql;
use crate::policy::{self, Sector as PolicySector};

/// The sector of an agency kind: justice or welfare (DESIGN §4.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum Sector {
    /// Police, youth justice, secure estate.
    Justice,
    /// Every other kind.
    Welfare,
}

/// A partner agency of the safeguarding partnership.
pub struct Agency(pub agencies::Model);

#[Object]
impl Agency {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("Agency", self.0.id)
    }
    /// Unique slug that tokens name in their `agency` claim.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the agency is.
    async fn kind(&self) -> AgencyKind {
        self.0.kind
    }
    /// Justice or welfare, derived from the kind.
    async fn sector(&self) -> Sector {
        match policy::sector(self.0.kind) {
            PolicySector::Justice => Sector::Justice,
            PolicySector::Welfare => Sector::Welfare,
        }
    }
    /// Whether tokens of this agency are accepted.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was added.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// Agency queries.
#[derive(Default)]
pub struct AgencyQuery;

#[Object]
impl AgencyQuery {
    /// Every agency of the partnership, by code.
    #[graphql(complexity = "size::AGENCIES * child_complexity")]
    async fn agencies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agency>> {
        caller(ctx)?;
        let rows = domain::agencies::list(db(ctx)?).await.gql()?;
        Ok(rows.into_iter().map(Agency).collect())
    }
}

/// Input of `createAgency`.
#[derive(InputObject)]
pub struct CreateAgencyInput {
    /// Unique lowercase slug, e.g. `sefton-csc`.
    #[graphql(validator(custom = "MaxChars::new(\"code\", 64)"))]
    pub code: String,
    /// Display name.
    #[graphql(validator(custom = "MaxChars::new(\"name\", 200)"))]
    pub name: String,
    /// What the agency is.
    pub kind: AgencyKind,
}

/// Result of `createAgency`.
#[derive(SimpleObject)]
pub struct CreateAgencyPayload {
    /// The new agency.
    pub agency: Agency,
}

/// Input of `deactivateAgency`.
#[derive(InputObject)]
pub struct DeactivateAgencyInput {
    /// The agency.
    pub agency_id: ID,
    /// Why (kept in the audit log).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The version the client read.
    pub expected_version: i32,
}

/// Input of `reactivateAgency`.
#[derive(InputObject)]
pub struct ReactivateAgencyInput {
    /// The agency.
    pub agency_id: ID,
    /// The version the client read.
    pub expected_version: i32,
}

/// Result of `deactivateAgency` and `reactivateAgency`.
#[derive(SimpleObject)]
pub struct AgencyPayload {
    /// The agency as saved.
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
        input: CreateAgencyInput,
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
        input: DeactivateAgencyInput,
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

    /// Lets a deactivated agency back in (`SYSTEM_ADMIN`).
    async fn reactivate_agency(
        &self,
        ctx: &Context<'_>,
        input: ReactivateAgencyInput,
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
