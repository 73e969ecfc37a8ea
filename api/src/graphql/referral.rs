//! `findKnownChild`, `referChild`, `requestEmergencyAccess` and `AccessGrant`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::access_grants;
use entity::enums::AgencyKind;

use super::agency::Agency;
use super::child::{Child, RegisterChildInput};
use super::chronology::ChronologyEntry;
use super::{agency_by_id, caller, config, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Input of `findKnownChild`: an identifier, or names and date of birth.
#[derive(InputObject, Default)]
pub struct FindKnownChildInput {
    /// NHS number.
    pub nhs_number: Option<String>,
    /// Unique pupil number.
    pub unique_pupil_number: Option<String>,
    /// Family name (with given name and date of birth).
    pub family_name: Option<String>,
    /// Given name (with family name and date of birth).
    pub given_name: Option<String>,
    /// Date of birth (with the names).
    pub date_of_birth: Option<NaiveDate>,
}

/// Whether the partnership knows a child, and nothing more (DESIGN §4.2).
#[derive(SimpleObject)]
pub struct KnownChild {
    /// Whether the child is known.
    pub known: bool,
    /// The kinds of the agencies involved.
    pub agency_kinds: Vec<AgencyKind>,
    /// The lead agency's name.
    pub lead_agency_name: Option<String>,
}

/// Break-glass read access to one child for one practitioner (DESIGN §5.4).
pub struct AccessGrant(pub access_grants::Model);

#[Object]
impl AccessGrant {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("AccessGrant", self.0.id)
    }
    /// The child, readable until the grant expires.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        Ok(
            domain::children::read_node_audited(db(ctx)?, caller(ctx)?, self.0.child_id)
                .await
                .gql()?
                .map(Child),
        )
    }
    /// The grantee's agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// The grantee.
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// Why access was needed.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When it was granted.
    async fn granted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it ends.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
}

/// Referral queries.
#[derive(Default)]
pub struct ReferralQuery;

#[Object]
impl ReferralQuery {
    /// Whether the partnership already knows a child (any case role; audited).
    async fn find_known_child(
        &self,
        ctx: &Context<'_>,
        input: FindKnownChildInput,
    ) -> async_graphql::Result<KnownChild> {
        let identity = domain::referrals::Identity {
            nhs_number: input.nhs_number,
            unique_pupil_number: input.unique_pupil_number,
            family_name: input.family_name,
            given_name: input.given_name,
            date_of_birth: input.date_of_birth,
        };
        let known = domain::referrals::find_known(db(ctx)?, caller(ctx)?, identity)
            .await
            .gql()?;
        Ok(KnownChild {
            known: known.known,
            agency_kinds: known.agency_kinds,
            lead_agency_name: known.lead_agency_name,
        })
    }
}

/// Input of `referChild`.
#[derive(InputObject)]
pub struct ReferChildInput {
    /// Who the child is.
    pub child: RegisterChildInput,
    /// Why the child is referred.
    pub reason: String,
    /// When the referral was made (defaults to now).
    pub referred_at: Option<DateTime<Utc>>,
}

/// Result of `referChild`.
#[derive(SimpleObject)]
pub struct ReferChildPayload {
    /// The child, known or new; the referrer's agency is now on the case team.
    pub child: Child,
    /// Whether the partnership already knew the child.
    pub was_known: bool,
    /// The `REFERRAL` chronology entry.
    pub entry: ChronologyEntry,
}

/// Input of `requestEmergencyAccess`.
#[derive(InputObject)]
pub struct RequestEmergencyAccessInput {
    /// The child.
    pub child_id: ID,
    /// Why (at least 20 characters; audited and told to the lead agency).
    pub reason: String,
}

/// Result of `requestEmergencyAccess`.
#[derive(SimpleObject)]
pub struct RequestEmergencyAccessPayload {
    /// The grant: read-only, 24 hours.
    pub grant: AccessGrant,
}

/// Referral mutations.
#[derive(Default)]
pub struct ReferralMutation;

#[Object]
impl ReferralMutation {
    /// Refers a child (any case role): a known child gains the referrer's agency on its
    /// team; an unknown one is created, led by the designated children's social care.
    async fn refer_child(
        &self,
        ctx: &Context<'_>,
        input: ReferChildInput,
    ) -> async_graphql::Result<ReferChildPayload> {
        let referral = domain::referrals::Referral {
            child: input.child.into_domain(),
            reason: input.reason,
            referred_at: input.referred_at,
        };
        let referred = domain::referrals::refer(db(ctx)?, caller(ctx)?, config(ctx)?, referral)
            .await
            .gql()?;
        Ok(ReferChildPayload {
            child: Child(referred.child),
            was_known: referred.was_known,
            entry: ChronologyEntry(crate::domain::masked::Masked::recorded(referred.entry)),
        })
    }

    /// Break-glass: 24 hours' read access to a child outside the caller's case teams.
    async fn request_emergency_access(
        &self,
        ctx: &Context<'_>,
        input: RequestEmergencyAccessInput,
    ) -> async_graphql::Result<RequestEmergencyAccessPayload> {
        let child = ids::decode_as(&input.child_id, "Child", "childId").gql()?;
        let grant = domain::grants::request(db(ctx)?, caller(ctx)?, child, &input.reason)
            .await
            .gql()?;
        Ok(RequestEmergencyAccessPayload {
            grant: AccessGrant(grant),
        })
    }
}
