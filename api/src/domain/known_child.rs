//! The known child (`docs/product.md`): matching a child on identifiers or names and date of
//! birth, and `findKnownChild`, which answers only whether the partnership knows them.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::enums::AgencyKind;
use entity::{agencies, children};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::case::involvements_of;
use super::children::match_key;
use super::op::Operation;
use super::{Caller, identifiers, optional_text};
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
pub(super) async fn find_match<C: ConnectionTrait>(
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
