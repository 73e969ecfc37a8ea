//! Corrections with history of the case records besides entries: `amendInvolvement` and
//! `amendReferral`. (A contribution given to an assessment is amended by answering it
//! again, `contributeToAssessment` with a `reason`.)

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::involvement::Involvement;
use super::limits::MaxChars;
use super::referral::Referral;
use super::scalars::{Date, DateTime};
use super::{caller, db, ids};
use crate::domain::{self, amendments};
use crate::error::IntoGql;

/// Input of `amendInvolvement`: the corrections to an involvement. Every field but
/// `involvementId`, `reason` and `expectedVersion` is optional; absent means unchanged.
/// The agency and its role are not corrected: end the involvement and add the right one.
#[derive(InputObject)]
pub struct AmendInvolvementInput {
    /// The global id of the involvement to correct.
    pub involvement_id: ID,
    /// The corrected named practitioner (at most 100 characters; empty clears it).
    #[graphql(validator(custom = "MaxChars::new(\"leadPractitioner\", 100)"))]
    pub lead_practitioner: Option<String>,
    /// The corrected day the agency joined the case team: not in the future, not before
    /// the child was born, not after the involvement ended.
    pub started_on: Option<Date>,
    /// The corrected `Involvement.reason`, why the agency is involved (at most 2,000
    /// characters; empty clears it). Named apart from `reason`, why it is corrected; the
    /// history names the field `reason`, as `Involvement` does.
    #[graphql(validator(custom = "MaxChars::new(\"involvementReason\", 2000)"))]
    pub involvement_reason: Option<String>,
    /// Why the involvement is corrected (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The involvement's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `amendInvolvement`.
#[derive(SimpleObject)]
pub struct AmendInvolvementPayload {
    /// The involvement as corrected (`amended` true, the old values in `history`).
    pub involvement: Involvement,
}

/// Input of `amendReferral`: the corrections to a referral. Every field but
/// `referralId`, `reason` and `expectedVersion` is optional; absent means unchanged.
#[derive(InputObject)]
pub struct AmendReferralInput {
    /// The global id of the referral to correct.
    pub referral_id: ID,
    /// The corrected `Referral.reason`, why the child was referred (at most 10,000
    /// characters). Named apart from `reason`, why it is corrected; the history names
    /// the field `reason`, as `Referral` does.
    #[graphql(validator(custom = "MaxChars::new(\"referralReason\", 10000)"))]
    pub referral_reason: Option<String>,
    /// The corrected time the referral was made (at most a day ahead of now, and not
    /// after the referral was decided).
    pub referred_at: Option<DateTime>,
    /// Why the referral is corrected (10 to 2,000 characters); kept in its history.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The referral's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `amendReferral`.
#[derive(SimpleObject)]
pub struct AmendReferralPayload {
    /// The referral as corrected (`amended` true, the old values in `history`).
    pub referral: Referral,
}

/// Corrections of involvements and referrals.
#[derive(Default)]
pub struct CaseRecordAmendmentMutation;

#[Object]
impl CaseRecordAmendmentMutation {
    /// Corrects an involvement's named practitioner, start day or reason, by its own
    /// agency (a `COORDINATOR` or `AGENCY_LEAD`) or a `COORDINATOR` of the child's lead
    /// agency, on the case team; the replaced values are kept in its `history`.
    async fn amend_involvement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: AmendInvolvementInput,
    ) -> async_graphql::Result<AmendInvolvementPayload> {
        let changes = amendments::InvolvementChanges {
            involvement_id: ids::decode_as(&input.involvement_id, "Involvement", "involvementId")
                .gql()?,
            lead_practitioner: input.lead_practitioner,
            started_on: input.started_on.map(Into::into),
            involvement_reason: input.involvement_reason,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved =
            domain::retry::transient(|| amendments::amend_involvement(db, caller, changes.clone()))
                .await
                .gql()?;
        Ok(AmendInvolvementPayload {
            involvement: Involvement(saved),
        })
    }

    /// Corrects a referral's reason or the time it was made, by a case role of the
    /// agency that made it (on the case team or not; moving it earlier needs the child
    /// readable); the replaced values are kept in its `history`, and the `REFERRAL`
    /// chronology entry follows where it still says what the referral said.
    async fn amend_referral(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections, the reason and the version read.")]
        input: AmendReferralInput,
    ) -> async_graphql::Result<AmendReferralPayload> {
        let changes = amendments::ReferralChanges {
            referral_id: ids::decode_as(&input.referral_id, "Referral", "referralId").gql()?,
            referral_reason: input.referral_reason,
            referred_at: input.referred_at.map(Into::into),
            reason: input.reason,
            expected_version: input.expected_version,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let saved =
            domain::retry::transient(|| amendments::amend_referral(db, caller, changes.clone()))
                .await
                .gql()?;
        Ok(AmendReferralPayload {
            referral: Referral(saved),
        })
    }
}
