//! `findKnownChild`, `Referral`, `referChild`, `decideReferral`, `referrals` and
//! `myReferrals`.

use super::scalars::{Date, DateTime};
use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::{AgencyKind, ReferralDecision, ReferralStatus};
use entity::referrals;

use super::agency::Agency;
use super::child::{Child, RegisterChildInput};
use super::chronology::ChronologyEntry;
use super::limits::MaxChars;
use super::paging::{self, ConnectionFields};
use super::{agency_by_id, caller, config, db, ids};
use crate::domain;
use crate::domain::masked::Masked;
use crate::error::IntoGql;

/// Input of `findKnownChild`: an identifier, or names and date of birth.
#[derive(InputObject, Default)]
pub struct FindKnownChildInput {
    /// NHS number.
    #[graphql(validator(custom = "MaxChars::new(\"nhsNumber\", 20)"))]
    pub nhs_number: Option<String>,
    /// Unique pupil number.
    #[graphql(validator(custom = "MaxChars::new(\"uniquePupilNumber\", 20)"))]
    pub unique_pupil_number: Option<String>,
    /// Family name (with given name and date of birth).
    #[graphql(validator(custom = "MaxChars::new(\"familyName\", 100)"))]
    pub family_name: Option<String>,
    /// Given name (with family name and date of birth).
    #[graphql(validator(custom = "MaxChars::new(\"givenName\", 100)"))]
    pub given_name: Option<String>,
    /// Date of birth (with the names).
    pub date_of_birth: Option<Date>,
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
        let identity = domain::known_child::Identity {
            nhs_number: input.nhs_number,
            unique_pupil_number: input.unique_pupil_number,
            family_name: input.family_name,
            given_name: input.given_name,
            date_of_birth: input.date_of_birth.map(Into::into),
        };
        let known = domain::known_child::find_known(db(ctx)?, caller(ctx)?, identity)
            .await
            .gql()?;
        Ok(KnownChild {
            known: known.known,
            agency_kinds: known.agency_kinds,
            lead_agency_name: known.lead_agency_name,
        })
    }

    /// Referrals of children whose case team the caller's agency is on, oldest first.
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
        status: Option<ReferralStatus>,
        #[graphql(desc = "At most 100.")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Referral, ConnectionFields, EmptyFields>> {
        let request = paging::request(ctx, first, after, 20)?;
        let page = domain::referrals::list_for_case_teams(db(ctx)?, caller(ctx)?, status, request)
            .await
            .gql()?;
        Ok(paging::connection(request, page, |r| r.id, Referral))
    }

    /// The referrals the caller's agency made, with their status, oldest first.
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn my_referrals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most 100.")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Referral, ConnectionFields, EmptyFields>> {
        let request = paging::request(ctx, first, after, 20)?;
        let page = domain::referrals::list_mine(db(ctx)?, caller(ctx)?, request)
            .await
            .gql()?;
        Ok(paging::connection(request, page, |r| r.id, Referral))
    }
}

/// A referral of a child (DESIGN §4.2): what the referrer said and what the lead agency
/// decided. Visible to the referring agency and to the child's case team.
pub struct Referral(pub referrals::Model);

#[Object]
impl Referral {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("Referral", self.0.id)
    }
    /// `RECEIVED`, or the decision.
    async fn status(&self) -> ReferralStatus {
        self.0.status
    }
    /// The child, for callers who may read the child's record; `null` otherwise.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        let _slot = super::db_slot(ctx).await?;
        Ok(
            domain::children::read_node_audited(db(ctx)?, caller(ctx)?, self.0.child_id)
                .await
                .gql()?
                .map(Child),
        )
    }
    /// The agency that referred.
    async fn referring_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.referring_agency_id).await
    }
    /// Why the child was referred.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When the referral was made.
    async fn referred_at(&self) -> DateTime {
        self.0.referred_at.into()
    }
    /// The lead agency's note on its decision.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// When it was decided.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
    /// The agency that decided.
    async fn deciding_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        match self.0.deciding_agency_id {
            Some(id) => Ok(Some(agency_by_id(ctx, id).await?)),
            None => Ok(None),
        }
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Input of `referChild`.
#[derive(InputObject)]
pub struct ReferChildInput {
    /// Who the child is.
    pub child: RegisterChildInput,
    /// Why the child is referred.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 10000)"))]
    pub reason: String,
    /// When the referral was made (defaults to now).
    pub referred_at: Option<DateTime>,
}

/// Result of `referChild`.
#[derive(SimpleObject)]
pub struct ReferChildPayload {
    /// The referral, waiting for the lead agency's decision.
    pub referral: Referral,
    /// Whether the partnership already knew the child.
    pub was_known: bool,
    /// The child, only when the referral created it (the referrer's agency is then a
    /// partner); a child the partnership already knew stays behind its case team.
    pub child: Option<Child>,
    /// The `REFERRAL` chronology entry, on the same terms as `child`.
    pub entry: Option<ChronologyEntry>,
}

/// Input of `decideReferral`.
#[derive(InputObject)]
pub struct DecideReferralInput {
    /// The referral.
    pub referral_id: ID,
    /// What the lead agency decided.
    pub decision: ReferralDecision,
    /// Why (told to the referrer).
    #[graphql(validator(custom = "MaxChars::new(\"note\", 2000)"))]
    pub note: String,
    /// The version read.
    pub expected_version: i32,
}

/// Result of `decideReferral`.
#[derive(SimpleObject)]
pub struct DecideReferralPayload {
    /// The decided referral.
    pub referral: Referral,
}

/// Referral mutations.
#[derive(Default)]
pub struct ReferralMutation;

#[Object]
impl ReferralMutation {
    /// Refers a child (any case role). The referral reaches the child's case team and
    /// waits for the lead agency's decision; it never opens the case team. A child not
    /// yet known is created, led by the designated children's social care.
    async fn refer_child(
        &self,
        ctx: &Context<'_>,
        input: ReferChildInput,
    ) -> async_graphql::Result<ReferChildPayload> {
        let referral = domain::referrals::Referral {
            child: input.child.into_domain(),
            reason: input.reason,
            referred_at: input.referred_at.map(Into::into),
        };
        let (db, caller, config) = (db(ctx)?, caller(ctx)?, config(ctx)?);
        let referred = domain::retry::transient(|| {
            domain::referrals::refer(db, caller, config, referral.clone())
        })
        .await
        .gql()?;
        Ok(ReferChildPayload {
            referral: Referral(referred.referral),
            was_known: referred.was_known,
            child: referred.child.map(Child),
            entry: referred
                .entry
                .map(|entry| ChronologyEntry(Masked::recorded(entry))),
        })
    }

    /// Decides a referral (`AGENCY_LEAD` or `COORDINATOR` of the child's lead agency); the
    /// decision is the `REFERRAL_DECISION` milestone and is sent to the referrer.
    async fn decide_referral(
        &self,
        ctx: &Context<'_>,
        input: DecideReferralInput,
    ) -> async_graphql::Result<DecideReferralPayload> {
        let decision = domain::referrals::Decision {
            referral_id: ids::decode_as(&input.referral_id, "Referral", "referralId").gql()?,
            decision: input.decision,
            note: input.note,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved =
            domain::retry::transient(|| domain::referrals::decide(db, caller, decision.clone()))
                .await
                .gql()?;
        Ok(DecideReferralPayload {
            referral: Referral(saved),
        })
    }
}
