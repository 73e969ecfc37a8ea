//! `findKnownChild`, `Referral`, `referChild`, `decideReferral`, `referrals` and
//! `myReferrals`; corrections are `amendReferral` (`graphql::record_amendment`).

use super::scalars::{Date, DateTime};
use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
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

/// Input of `findKnownChild`: an identifier (NHS number or unique pupil number), or
/// both names with the date of birth.
#[derive(InputObject, Default)]
pub struct FindKnownChildInput {
    /// The child's NHS number (10 digits); matched exactly.
    #[graphql(validator(custom = "MaxChars::new(\"nhsNumber\", 20)"))]
    pub nhs_number: Option<String>,
    /// The child's unique pupil number (13 characters); matched exactly.
    #[graphql(validator(custom = "MaxChars::new(\"uniquePupilNumber\", 20)"))]
    pub unique_pupil_number: Option<String>,
    /// The child's family name; used with the given name and date of birth.
    #[graphql(validator(custom = "MaxChars::new(\"familyName\", 100)"))]
    pub family_name: Option<String>,
    /// The child's given name; used with the family name and date of birth.
    #[graphql(validator(custom = "MaxChars::new(\"givenName\", 100)"))]
    pub given_name: Option<String>,
    /// The child's date of birth; used with both names.
    pub date_of_birth: Option<Date>,
}

/// Whether the partnership already knows a child, and nothing more: no identity, no
/// record, so that a referral can reach the agencies who know the child.
#[derive(SimpleObject)]
pub struct KnownChild {
    /// Whether a child matching the input is already on Concord.
    pub known: bool,
    /// The kinds of the agencies on the child's case team; empty when not known.
    pub agency_kinds: Vec<AgencyKind>,
    /// The name of the child's lead agency, to contact; `null` when not known.
    pub lead_agency_name: Option<String>,
}

/// Referral queries.
#[derive(Default)]
pub struct ReferralQuery;

#[Object]
impl ReferralQuery {
    /// Whether the partnership already knows a child, matched on an identifier or on
    /// names and date of birth (any case role; audited). Answers only `known`, agency
    /// kinds and the lead agency's name.
    async fn find_known_child(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An identifier, or names and date of birth, to match on.")]
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

    /// Referrals of children whose case team the caller's agency is on, oldest first, as
    /// a page (case roles).
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only referrals in this state; all when omitted.")] status: Option<
            ReferralStatus,
        >,
        #[graphql(desc = "How many to return: 20 when omitted, at most 100.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Referral, ConnectionFields, EmptyFields>> {
        let request = paging::request(ctx, first, after, 20)?;
        let page = domain::referrals::list_for_case_teams(db(ctx)?, caller(ctx)?, status, request)
            .await
            .gql()?;
        Ok(paging::connection(request, page, |r| r.id, Referral))
    }

    /// The referrals the caller's agency made, with their status, oldest first, as a
    /// page (case roles). The referrer sees its referral, not the child's record.
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn my_referrals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 when omitted, at most 100.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Referral, ConnectionFields, EmptyFields>> {
        let request = paging::request(ctx, first, after, 20)?;
        let page = domain::referrals::list_mine(db(ctx)?, caller(ctx)?, request)
            .await
            .gql()?;
        Ok(paging::connection(request, page, |r| r.id, Referral))
    }
}

/// A referral of a child by an agency: what the referrer said and what the child's lead
/// agency decided. A referral reaches the case team but never opens it. Visible to the
/// referring agency and to the child's case team.
#[derive(Description)]
pub struct Referral(pub referrals::Model);

#[Object(use_type_description)]
impl Referral {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("Referral", self.0.id)
    }
    /// `RECEIVED` while it waits for the lead agency, then the decision.
    async fn status(&self) -> ReferralStatus {
        self.0.status
    }
    /// The child, for callers who may read the child's record; `null` otherwise.
    async fn child(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Child>> {
        super::readable_child(ctx, self.0.child_id).await
    }
    /// The agency that made the referral.
    async fn referring_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.referring_agency_id).await
    }
    /// Why the child was referred, in the referrer's words (`amendReferral` corrects it
    /// as `referralReason`).
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When the referral was made; the referral decision deadline runs from here.
    async fn referred_at(&self) -> DateTime {
        self.0.referred_at.into()
    }
    /// The lead agency's note on its decision, as sent to the referrer; `null` before
    /// the decision.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// When the lead agency decided; `null` before the decision.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
    /// The agency that decided; `null` before the decision.
    async fn deciding_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        match self.0.deciding_agency_id {
            Some(id) => Ok(Some(agency_by_id(ctx, id).await?)),
            None => Ok(None),
        }
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Whether the referral was ever corrected (`amendReferral`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        super::amendment::amended(ctx, self.0.id).await
    }
    /// Every earlier version of the referral's reason and time, oldest first, with who
    /// corrected it, when and why; readable by whoever reads the referral, as its
    /// reason is.
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::amendment::RecordVersion>> {
        super::amendment::readable_history(ctx, self.0.id).await
    }
}

/// Input of `referChild`: who the child is and why they are referred.
#[derive(InputObject)]
pub struct ReferChildInput {
    /// Who the child is; matched against children already known, or registered.
    pub child: RegisterChildInput,
    /// Why the child is referred (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 10000)"))]
    pub reason: String,
    /// When the referral was made; now when omitted (at most a day ahead of now).
    pub referred_at: Option<DateTime>,
}

/// Result of `referChild`: the referral and, for a new child, the child's record.
#[derive(SimpleObject)]
pub struct ReferChildPayload {
    /// The referral, `RECEIVED` and waiting for the lead agency's decision.
    pub referral: Referral,
    /// Whether the partnership already knew the child before this referral.
    pub was_known: bool,
    /// The child, only when the referral created it (the referrer's agency is then a
    /// partner); a child the partnership already knew stays behind its case team.
    pub child: Option<Child>,
    /// The `REFERRAL` chronology entry, on the same terms as `child`.
    pub entry: Option<ChronologyEntry>,
}

/// Input of `decideReferral`: the lead agency's decision and note.
#[derive(InputObject)]
pub struct DecideReferralInput {
    /// The global id of the referral to decide.
    pub referral_id: ID,
    /// What the lead agency decided about the referral.
    pub decision: ReferralDecision,
    /// Why, in a note sent to the referring agency (at most 2,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"note\", 2000)"))]
    pub note: String,
    /// The referral's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `decideReferral`: the referral as decided.
#[derive(SimpleObject)]
pub struct DecideReferralPayload {
    /// The referral with its decision, note and new `version`.
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
        #[graphql(desc = "Who the child is and why they are referred.")] input: ReferChildInput,
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
        #[graphql(desc = "The referral, the decision and the note sent to the referrer.")]
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
