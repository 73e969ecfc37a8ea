//! Referrals (`docs/product.md`): a referral reaches the case team; it never opens it.
//!
//! `referChild` records a `RECEIVED` referral, the `REFERRAL` chronology entry and an
//! event to the lead agency and the case team. For a child the partnership already
//! knows, the referrer's agency does not join the case team and sees nothing of the
//! child: only its own referral and, later, the decision. The lead agency decides
//! (`decideReferral`), which is the `REFERRAL_DECISION` milestone and is sent to the
//! referrer. A child not yet known is created, led by the designated social care, with
//! the referrer's agency (which supplied the details) as a partner.

use chrono::{DateTime, Utc};
use entity::enums::{
    ChronologyKind, InvolvementRole, ReferralDecision, ReferralStatus, Sensitivity,
};
use entity::{children, referrals};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, AuditAction, EntityType, Target};
use super::children::{NewChild, insert_child};
use super::chronology::{self, NewEntry};
use super::involvements::{NewInvolvement, insert_involvement, join_as_partner};
use super::known_child::{Identity, find_match};
use super::op::Operation;
use super::outbox::{Event, EventKind};
use super::paging::{self, Page, PageRequest};
use super::versioned::{Versioned, check};
use super::{Caller, DomainConfig, case, new_id, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// The longest referral reason (a decision note is a reason: 2,000).
pub const MAX_TEXT: usize = 10_000;

/// The locks that serialise everything matching a child the way [`find_match`] does:
/// its name key and each identifier, in one order, so that two referrals (or a referral
/// and a registration) of one child always meet on at least one of them.
pub(super) async fn lock_identity(
    write: &super::op::Write<'_>,
    child: &entity::children::Model,
) -> ApiResult<()> {
    let mut keys = vec![format!("child-match:{}", child.match_key)];
    if let Some(nhs) = &child.nhs_number {
        keys.push(format!("child-nhs:{nhs}"));
    }
    if let Some(upn) = &child.unique_pupil_number {
        keys.push(format!("child-upn:{upn}"));
    }
    keys.sort();
    for key in keys {
        write.lock(&key).await?;
    }
    Ok(())
}

/// What `referChild` takes: the child's identity and the referral itself.
#[derive(Clone, Debug)]
pub struct Referral {
    /// Who the child is, as for registration.
    pub child: NewChild,
    /// Why the child is referred.
    pub reason: String,
    /// When the referral was made (defaults to now).
    pub referred_at: Option<DateTime<Utc>>,
}

/// What `referChild` returns.
#[derive(Clone, Debug)]
pub struct Referred {
    /// The referral.
    pub referral: referrals::Model,
    /// Whether the partnership already knew the child.
    pub was_known: bool,
    /// The child, only when the referrer may now read it (a child it created).
    pub child: Option<children::Model>,
    /// The `REFERRAL` chronology entry, on the same terms as the child.
    pub entry: Option<entity::chronology_entries::Model>,
}

/// `referChild`: records the referral for the lead agency to decide; a child not yet
/// known is created, led by the designated social care.
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
        Target::of(EntityType::Referral),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    let reason = required_text("reason", &referral.reason, MAX_TEXT)?;
    let new_child = super::children::validate(referral.child.clone(), caller.now().date_naive())?;
    let identity = Identity {
        nhs_number: new_child.nhs_number.clone(),
        unique_pupil_number: new_child.unique_pupil_number.clone(),
        family_name: Some(new_child.family_name.clone()),
        given_name: Some(new_child.given_name.clone()),
        date_of_birth: Some(new_child.date_of_birth),
    };
    let referred_at = referral.referred_at.unwrap_or(caller.now());
    super::bounds::ensure_past_event("referredAt", referred_at, caller.now())?;
    let social_care = config.social_care(db).await?;
    let mut write = op.begin().await?;
    // Two referrals of the same child must find each other, not create two records.
    lock_identity(&write, &new_child).await?;
    let existing = find_match(write.txn(), &identity).await?;
    let was_known = existing.is_some();
    let child = match existing {
        Some(child) => child,
        None => {
            let lead = social_care
                .as_ref()
                .map_or(caller.actor.agency_id, |a| a.id);
            if lead != caller.actor.agency_id {
                // Serialised with a deactivation of social care, so that it either sees
                // this child or this referral sees it inactive.
                super::agencies::ensure_still_active(&write, lead, "child").await?;
            }
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
    if was_known {
        // A new referral of a child whose case closed reopens it.
        super::closure::reopen_if_closed(&write, child.id, super::closure::Reopening::Referral)
            .await?;
    }
    let saved = referrals::Entity::insert(referrals::ActiveModel {
        id: Set(new_id()),
        child_id: Set(child.id),
        referring_agency_id: Set(caller.actor.agency_id),
        referred_by: Set(caller.actor.subject.clone()),
        reason: Set(reason.clone()),
        referred_at: Set(referred_at),
        status: Set(ReferralStatus::Received),
        decision_note: Set(None),
        decided_by: Set(None),
        deciding_agency_id: Set(None),
        decided_at: Set(None),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    })
    .exec_with_returning(write.txn())
    .await?;
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
    let team = case::involvements_of(write.txn(), child.id).await?;
    write
        .emit(Event {
            kind: EventKind::ReferralReceived,
            plan_id: None,
            child_id: Some(child.id),
            audience: policy::lead_agency(&team).into_iter().collect(),
            summary: "A referral was received for a child on your case team".into(),
            payload: json!({ "referralId": saved.id, "childId": child.id }),
        })
        .await?;
    write.audit_target(Target::for_child(EntityType::Referral, child.id).with_id(saved.id));
    write.audit_created::<referrals::Entity>(&saved);
    write.commit().await?;
    // Only a child the referrer's agency now works (one it brought to the partnership)
    // is shown; a known child stays behind its case team.
    let readable = !was_known;
    Ok(Referred {
        referral: saved,
        was_known,
        child: readable.then_some(child),
        entry: readable.then_some(entry),
    })
}

const REFERRAL: Versioned<referrals::Entity> = Versioned {
    id: referrals::Column::Id,
    version: referrals::Column::Version,
    updated_at: referrals::Column::UpdatedAt,
    version_of: |referral| referral.version,
};

/// What `decideReferral` takes.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The referral.
    pub referral_id: Uuid,
    /// What the lead agency decided.
    pub decision: ReferralDecision,
    /// Why, told to the referrer.
    pub note: String,
    /// The version the decider read.
    pub expected_version: i32,
}

fn status_of(decision: ReferralDecision) -> ReferralStatus {
    match decision {
        ReferralDecision::AddToCaseTeam => ReferralStatus::AddToCaseTeam,
        ReferralDecision::NoFurtherAction => ReferralStatus::NoFurtherAction,
        ReferralDecision::AlreadyKnownNoChange => ReferralStatus::AlreadyKnownNoChange,
    }
}

/// `decideReferral`: the lead agency (an agency lead or coordinator) decides; adding to
/// the case team brings the referrer's agency in as a partner.
#[tracing::instrument(skip_all, fields(referral_id = %input.referral_id))]
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    input: Decision,
) -> ApiResult<referrals::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::DecideReferral,
        Target::row(EntityType::Referral, input.referral_id),
    );
    let Some(referral) = read_audited(db, caller, input.referral_id).await? else {
        return Err(ApiError::NotFound);
    };
    let op = op.on(Target::for_child(EntityType::Referral, referral.child_id).with_id(referral.id));
    let case = case::visible(&op, referral.child_id).await?;
    op.authorize(policy::ensure_can_decide_referral(
        &caller.actor,
        &case.facts,
        case.lead_agency(),
    ))
    .await?;
    check(input.expected_version, referral.version)?;
    if referral.status != ReferralStatus::Received {
        return Err(ApiError::validation(
            "referralId",
            "the referral has already been decided",
        ));
    }
    let note = required_text("note", &input.note, 2000)?;
    if input.decision == ReferralDecision::AddToCaseTeam {
        super::agencies::active(db, referral.referring_agency_id, "referralId").await?;
    }
    let mut write = op.begin().await?;
    if input.decision == ReferralDecision::AddToCaseTeam {
        super::agencies::ensure_still_active(&write, referral.referring_agency_id, "referralId")
            .await?;
    }
    let changes = referrals::ActiveModel {
        status: Set(status_of(input.decision)),
        decision_note: Set(Some(note.clone())),
        decided_by: Set(Some(caller.actor.subject.clone())),
        deciding_agency_id: Set(Some(caller.actor.agency_id)),
        decided_at: Set(Some(caller.now())),
        ..Default::default()
    };
    let saved = REFERRAL
        .save(
            write.txn(),
            referral.id,
            input.expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<referrals::Entity>(&referral, &saved);
    if input.decision == ReferralDecision::AddToCaseTeam {
        join_as_partner(
            &write,
            referral.child_id,
            referral.referring_agency_id,
            "referral accepted by the lead agency",
        )
        .await?;
    }
    let entry = NewEntry {
        child_id: referral.child_id,
        behaviour_id: None,
        kind: ChronologyKind::ReferralDecision,
        occurred_at: caller.now(),
        summary: format!(
            "Referral decision: {}. {note}",
            decision_name(input.decision)
        ),
        sensitivity: Sensitivity::Standard,
        shared_with: vec![],
    };
    chronology::insert(&write, entry).await?;
    write
        .emit(Event {
            kind: EventKind::ReferralDecided,
            plan_id: None,
            // The referrer learns the child's id only when it joins the case team: an id
            // would otherwise point a break-glass request at the child.
            child_id: (input.decision == ReferralDecision::AddToCaseTeam)
                .then_some(referral.child_id),
            audience: vec![referral.referring_agency_id],
            summary: format!(
                "Your referral was decided: {}",
                decision_name(input.decision)
            ),
            payload: json!({
                "referralId": referral.id,
                "decision": input.decision,
                "note": note,
            }),
        })
        .await?;
    write.audit_row(saved.id);
    write.commit().await?;
    Ok(saved)
}

fn decision_name(decision: ReferralDecision) -> &'static str {
    match decision {
        ReferralDecision::AddToCaseTeam => "added to the case team",
        ReferralDecision::NoFurtherAction => "no further action",
        ReferralDecision::AlreadyKnownNoChange => "already known, no change",
    }
}

/// Whether the caller may see a referral: its referring agency, or a case role that
/// may read its child.
async fn visible_to(
    db: &DatabaseConnection,
    caller: &Caller,
    referral: &referrals::Model,
) -> ApiResult<bool> {
    if !policy::has_case_role(&caller.actor) {
        return Ok(false);
    }
    if visible::child(db, caller, referral.child_id)
        .await?
        .is_some()
    {
        // Its reason is about the child: the read is the child's, as a behaviour's is.
        audit::record_child_reads(db, caller, &[referral.child_id]).await?;
        return Ok(true);
    }
    // The referring agency reads what it wrote; the child stays hidden from it.
    Ok(referral.referring_agency_id == caller.actor.agency_id)
}

/// A referral for `node(id:)` and decisions: `None` when missing or not visible, the
/// miss audited either way, and the read of a visible child's referral audited as the
/// child's.
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<referrals::Model>> {
    let found = referrals::Entity::find_by_id(id).one(db).await?;
    match found {
        Some(referral) if visible_to(db, caller, &referral).await? => Ok(Some(referral)),
        _ => {
            visible::record_miss(db, caller, EntityType::Referral, id).await?;
            Ok(None)
        }
    }
}

/// `referrals(status)`: referrals of children whose case team the caller's agency is on.
pub async fn list_for_case_teams(
    db: &DatabaseConnection,
    caller: &Caller,
    status: Option<ReferralStatus>,
    page: PageRequest,
) -> ApiResult<Page<referrals::Model>> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ListReferrals,
        Target::of(EntityType::Referral),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    let mut scope = Condition::all().add(
        referrals::Column::ChildId.in_subquery(policy::case_team_children(caller.actor.agency_id)),
    );
    if let Some(status) = status {
        scope = scope.add(referrals::Column::Status.eq(status));
    }
    let query = referrals::Entity::find().filter(scope);
    let page = paging::fetch(db, query, referrals::Column::Id, page).await?;
    // Each listed referral's reason is about its child: the reads are the children's.
    let children: Vec<Uuid> = page.items.iter().map(|r| r.child_id).collect();
    audit::record_child_reads(db, caller, &children).await?;
    Ok(page)
}

/// `myReferrals`: the referrals the caller's agency made, with their status.
pub async fn list_mine(
    db: &DatabaseConnection,
    caller: &Caller,
    page: PageRequest,
) -> ApiResult<Page<referrals::Model>> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ListReferrals,
        Target::of(EntityType::Referral),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    let query = referrals::Entity::find()
        .filter(referrals::Column::ReferringAgencyId.eq(caller.actor.agency_id));
    paging::fetch(db, query, referrals::Column::Id, page).await
}
