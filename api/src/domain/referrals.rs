//! Referrals and the known child (DESIGN §4.2).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::enums::{AgencyKind, ChronologyKind, InvolvementRole, Sensitivity};
use entity::{agencies, children};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::case::involvements_of;
use super::children::{NewChild, insert_child, match_key};
use super::chronology::{self, NewEntry};
use super::involvements::{NewInvolvement, insert_involvement, join_as_partner};
use super::op::Operation;
use super::{Caller, DomainConfig, identifiers, optional_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// What identifies a child for matching.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    /// NHS number.
    pub nhs_number: Option<String>,
    /// Unique pupil number.
    pub unique_pupil_number: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
}

/// What `findKnownChild` answers, and nothing more.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownChild {
    /// Whether the child is known.
    pub known: bool,
    /// The kinds of the agencies involved.
    pub agency_kinds: Vec<AgencyKind>,
    /// The lead agency's name.
    pub lead_agency_name: Option<String>,
}

/// The condition matching a child by identifier, or by names and date of birth.
fn matching(identity: &Identity) -> ApiResult<Option<Condition>> {
    let mut any = Condition::any();
    let mut usable = false;
    if let Some(nhs) = identifiers::parse_nhs_number(identity.nhs_number.clone())? {
        any = any.add(children::Column::NhsNumber.eq(nhs));
        usable = true;
    }
    if let Some(upn) = identifiers::parse_unique_pupil_number(identity.unique_pupil_number.clone())?
    {
        any = any.add(children::Column::UniquePupilNumber.eq(upn));
        usable = true;
    }
    let family = optional_text(identity.family_name.clone());
    let given = optional_text(identity.given_name.clone());
    if let (Some(family), Some(given), Some(dob)) = (&family, &given, identity.date_of_birth) {
        any = any.add(children::Column::MatchKey.eq(match_key(family, given, dob)));
        usable = true;
    }
    Ok(usable.then_some(any))
}

/// The best match: an identifier match first, then the earliest registered.
async fn find_match<C: ConnectionTrait>(
    db: &C,
    identity: &Identity,
) -> ApiResult<Option<children::Model>> {
    let Some(condition) = matching(identity)? else {
        return Ok(None);
    };
    let found = children::Entity::find()
        .filter(condition)
        .order_by_asc(children::Column::Id)
        .all(db)
        .await?;
    let by_identifier = found.iter().find(|child| {
        let nhs = identity
            .nhs_number
            .as_deref()
            .and_then(identifiers::nhs_number);
        let upn = identity
            .unique_pupil_number
            .as_deref()
            .and_then(identifiers::unique_pupil_number);
        (nhs.is_some() && child.nhs_number == nhs)
            || (upn.is_some() && child.unique_pupil_number == upn)
    });
    Ok(by_identifier.or(found.first()).cloned())
}

/// `findKnownChild`: whether the partnership already knows the child; audited.
#[tracing::instrument(skip_all)]
pub async fn find_known(
    db: &DatabaseConnection,
    caller: &Caller,
    identity: Identity,
) -> ApiResult<KnownChild> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::FindKnownChild,
        Target::of(EntityType::Child),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    if matching(&identity)?.is_none() {
        return Err(ApiError::validation(
            "input",
            "give an NHS number, a unique pupil number, or family name, given name and date of birth",
        ));
    }
    let found = find_match(db, &identity).await?;
    let answer = match &found {
        None => KnownChild::default(),
        Some(child) => {
            let team: Vec<_> = involvements_of(db, child.id)
                .await?
                .into_iter()
                .filter(|i| i.ended_on.is_none())
                .collect();
            let ids: Vec<Uuid> = team.iter().map(|i| i.agency_id).collect();
            let agencies = agencies::Entity::find()
                .filter(agencies::Column::Id.is_in(ids))
                .all(db)
                .await?;
            let kinds: BTreeSet<AgencyKind> = agencies.iter().map(|a| a.kind).collect();
            let lead =
                policy::lead_agency(&team).and_then(|lead| agencies.iter().find(|a| a.id == lead));
            KnownChild {
                known: true,
                agency_kinds: kinds.into_iter().collect(),
                lead_agency_name: lead.map(|a| a.name.clone()),
            }
        }
    };
    let op = match found {
        Some(child) => op.on(Target::child(child.id)),
        None => op,
    };
    op.record_allowed().await?;
    Ok(answer)
}

/// What `referChild` takes: the child's identity and the referral itself.
#[derive(Clone, Debug)]
pub struct Referral {
    /// Who the child is, as for registration.
    pub child: NewChild,
    /// Why the child is referred.
    pub reason: String,
    /// When the referral was made (defaults to now).
    pub referred_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What `referChild` returns.
#[derive(Clone, Debug)]
pub struct Referred {
    /// The child, known or new.
    pub child: children::Model,
    /// Whether the partnership already knew the child.
    pub was_known: bool,
    /// The `REFERRAL` chronology entry.
    pub entry: entity::chronology_entries::Model,
}

/// `referChild`: a known child gains the referrer's agency on its team; an unknown one is
/// created with the referrer as first involvement and designated social care as lead.
#[tracing::instrument(skip_all)]
pub async fn refer(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    referral: Referral,
) -> ApiResult<Referred> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ReferChild,
        Target::of(EntityType::Child),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    let reason = super::required_text("reason", &referral.reason, 5000)?;
    let new_child = super::children::validate(referral.child.clone(), caller.now.date_naive())?;
    let identity = Identity {
        nhs_number: new_child.nhs_number.clone(),
        unique_pupil_number: new_child.unique_pupil_number.clone(),
        family_name: Some(new_child.family_name.clone()),
        given_name: Some(new_child.given_name.clone()),
        date_of_birth: Some(new_child.date_of_birth),
    };
    let referred_at = referral.referred_at.unwrap_or(caller.now);
    if referred_at > caller.now + chrono::Duration::minutes(5) {
        return Err(ApiError::validation(
            "referredAt",
            "must not be in the future",
        ));
    }
    let social_care = config.social_care(db).await?;
    let mut write = op.begin().await?;
    // Two referrals of the same child must find each other, not create two records.
    write
        .lock(&format!("referral:{}", new_child.match_key))
        .await?;
    let existing = find_match(write.txn(), &identity).await?;
    let was_known = existing.is_some();
    let child = match existing {
        Some(child) => {
            join_as_partner(
                &write,
                child.id,
                caller.actor.agency_id,
                "referred the child",
            )
            .await?;
            child
        }
        None => {
            let lead = social_care
                .as_ref()
                .map_or(caller.actor.agency_id, |a| a.id);
            let child = insert_child(write.txn(), new_child).await?;
            let referrer_is_lead = lead == caller.actor.agency_id;
            let first = NewInvolvement {
                agency_id: caller.actor.agency_id,
                role: if referrer_is_lead {
                    InvolvementRole::Lead
                } else {
                    InvolvementRole::Partner
                },
                lead_practitioner: Some(caller.actor.name.clone()),
                reason: Some("referred the child".into()),
            };
            insert_involvement(write.txn(), caller, child.id, first).await?;
            if !referrer_is_lead {
                let lead_involvement = NewInvolvement {
                    agency_id: lead,
                    role: InvolvementRole::Lead,
                    lead_practitioner: None,
                    reason: Some("designated children's social care: leads new referrals".into()),
                };
                insert_involvement(write.txn(), caller, child.id, lead_involvement).await?;
            }
            child
        }
    };
    let entry = NewEntry {
        child_id: child.id,
        behaviour_id: None,
        kind: ChronologyKind::Referral,
        occurred_at: referred_at,
        summary: reason,
        sensitivity: Sensitivity::Standard,
        shared_with: vec![],
    };
    let entry = chronology::insert(&write, entry).await?;
    write.audit_target(Target::child(child.id));
    write.commit().await?;
    Ok(Referred {
        child,
        was_known,
        entry,
    })
}
