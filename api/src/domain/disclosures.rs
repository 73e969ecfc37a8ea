//! Disclosure requests (`docs/product.md`, `docs/access.md`): an agency on the case team
//! that sees a restricted entry without its content asks the recording agency for it;
//! the recording agency shares it (the requester joins `sharedWith`) or declines with a
//! recorded reason. Both are audited and sent to the requester; the decision is a
//! `DISCLOSURE_DECISION` deadline of the recording agency.

use entity::enums::{AgencyIds, DisclosureDecision, DisclosureEntryKind, DisclosureStatus};
use entity::{assessment_contributions, behaviours, chronology_entries, disclosure_requests};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::grants::MIN_REASON;
use super::op::{Operation, Write};
use super::outbox::{Event, EventKind};
use super::paging::{self, Page, PageRequest};
use super::versioned::{Versioned, check};
use super::{Caller, case, new_id, optional_text, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy::{self, RestrictedContent};

/// The longest reason or decision reason accepted.
pub const MAX_REASON: usize = 2000;

const REQUEST: Versioned<disclosure_requests::Entity> = Versioned {
    id: disclosure_requests::Column::Id,
    version: disclosure_requests::Column::Version,
    updated_at: disclosure_requests::Column::UpdatedAt,
    version_of: |request| request.version,
};

/// A restricted entry of any kind a disclosure request can name.
enum EntryRow {
    Behaviour(behaviours::Model),
    Chronology(chronology_entries::Model),
    Contribution(assessment_contributions::Model),
}

impl EntryRow {
    fn child_id(&self) -> Uuid {
        match self {
            Self::Behaviour(row) => row.child_id,
            Self::Chronology(row) => row.child_id,
            Self::Contribution(row) => row.child_id,
        }
    }

    fn content(&self) -> &dyn RestrictedContentDyn {
        match self {
            Self::Behaviour(row) => row,
            Self::Chronology(row) => row,
            Self::Contribution(row) => row,
        }
    }

    /// Whether the recording agency marked the entry entered in error: its content is
    /// struck out for everyone else, so there is nothing to share.
    fn entered_in_error(&self) -> bool {
        match self {
            Self::Behaviour(row) => row.entered_in_error_at.is_some(),
            Self::Chronology(row) => row.entered_in_error_at.is_some(),
            Self::Contribution(_) => false,
        }
    }
}

/// [`RestrictedContent`] as a trait object, so one entry of either kind is asked the same.
trait RestrictedContentDyn {
    fn recording(&self) -> Uuid;
    fn readable_by(&self, caller: &Caller, lead: Option<Uuid>) -> bool;
}

impl<T: RestrictedContent> RestrictedContentDyn for T {
    fn recording(&self) -> Uuid {
        self.recording_agency()
    }
    fn readable_by(&self, caller: &Caller, lead: Option<Uuid>) -> bool {
        policy::can_read_content(&caller.actor, self, lead)
    }
}

/// The entry of `kind` with id `id`, if it exists.
async fn find_entry<C: ConnectionTrait>(
    db: &C,
    kind: DisclosureEntryKind,
    id: Uuid,
) -> ApiResult<Option<EntryRow>> {
    Ok(match kind {
        DisclosureEntryKind::Behaviour => behaviours::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(EntryRow::Behaviour),
        DisclosureEntryKind::ChronologyEntry => chronology_entries::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(EntryRow::Chronology),
        DisclosureEntryKind::AssessmentContribution => {
            assessment_contributions::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(EntryRow::Contribution)
        }
    })
}

/// Adds `agency` to the entry's `sharedWith` (no change when it is there already),
/// raising the entry's version.
async fn share_entry(write: &Write<'_>, entry: EntryRow, agency: Uuid) -> ApiResult<()> {
    let now = write.caller().now();
    let add = |shared: &AgencyIds| {
        let mut ids = shared.0.clone();
        if !ids.contains(&agency) {
            ids.push(agency);
        }
        AgencyIds(ids)
    };
    match entry {
        EntryRow::Behaviour(row) => {
            behaviours::Entity::update(behaviours::ActiveModel {
                id: Set(row.id),
                shared_with: Set(add(&row.shared_with)),
                version: Set(row.version + 1),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(write.txn())
            .await?;
            write
                .record_also(
                    AuditAction::ShareEntry,
                    Target::for_child(EntityType::Behaviour, row.child_id).with_id(row.id),
                )
                .await
        }
        EntryRow::Chronology(row) => {
            chronology_entries::Entity::update(chronology_entries::ActiveModel {
                id: Set(row.id),
                shared_with: Set(add(&row.shared_with)),
                version: Set(row.version + 1),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(write.txn())
            .await?;
            write
                .record_also(
                    AuditAction::ShareEntry,
                    Target::for_child(EntityType::ChronologyEntry, row.child_id).with_id(row.id),
                )
                .await
        }
        EntryRow::Contribution(row) => {
            assessment_contributions::Entity::update(assessment_contributions::ActiveModel {
                id: Set(row.id),
                shared_with: Set(add(&row.shared_with)),
                version: Set(row.version + 1),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(write.txn())
            .await?;
            write
                .record_also(
                    AuditAction::ShareEntry,
                    Target::for_child(EntityType::AssessmentContribution, row.child_id)
                        .with_id(row.id),
                )
                .await
        }
    }
}

fn lock_key(entry_id: Uuid) -> String {
    format!("disclosure:{entry_id}")
}

/// A reason of at least [`MIN_REASON`] and at most [`MAX_REASON`] characters.
fn reason_text(field: &str, reason: &str) -> ApiResult<String> {
    let reason = required_text(field, reason, MAX_REASON)?;
    if reason.chars().count() < MIN_REASON {
        return Err(ApiError::validation(
            field,
            format!("must be at least {MIN_REASON} characters"),
        ));
    }
    Ok(reason)
}

/// `requestDisclosure`: a case role whose agency is on the case team and sees the entry
/// without its content asks the recording agency to share it. An open request of the
/// same agency for the same entry is returned as it is rather than duplicated.
#[tracing::instrument(skip_all, fields(%entry_id, ?entry_kind))]
pub async fn request(
    db: &DatabaseConnection,
    caller: &Caller,
    entry_kind: DisclosureEntryKind,
    entry_id: Uuid,
    reason: &str,
) -> ApiResult<disclosure_requests::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::RequestDisclosure,
        Target::of(EntityType::DisclosureRequest),
    );
    let Some(entry) = find_entry(db, entry_kind, entry_id).await? else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let op = op.on(Target::for_child(
        EntityType::DisclosureRequest,
        entry.child_id(),
    ));
    let case = case::visible(&op, entry.child_id()).await?;
    op.authorize(policy::ensure_can_request_disclosure(
        &caller.actor,
        &case.facts,
    ))
    .await?;
    if entry.entered_in_error() {
        return Err(ApiError::validation(
            "entryId",
            "the entry was marked entered in error: there is nothing to request",
        ));
    }
    if entry.content().readable_by(caller, case.lead_agency()) {
        return Err(ApiError::validation(
            "entryId",
            "your agency can already read this entry's content: there is nothing to request",
        ));
    }
    let reason = reason_text("reason", reason)?;
    let recording = entry.content().recording();
    let mut write = op.begin().await?;
    write.lock(&lock_key(entry_id)).await?;
    let open = disclosure_requests::Entity::find()
        .filter(disclosure_requests::Column::EntryId.eq(entry_id))
        .filter(disclosure_requests::Column::RequestingAgencyId.eq(caller.actor.agency_id))
        .filter(disclosure_requests::Column::Status.eq(DisclosureStatus::Requested))
        .one(write.txn())
        .await?;
    if let Some(open) = open {
        write.audit_row(open.id);
        write.commit().await?;
        return Ok(open);
    }
    let id = new_id();
    let row = disclosure_requests::ActiveModel {
        id: Set(id),
        child_id: Set(case.child.id),
        entry_kind: Set(entry_kind),
        entry_id: Set(entry_id),
        recording_agency_id: Set(recording),
        requesting_agency_id: Set(caller.actor.agency_id),
        requested_by: Set(caller.actor.subject.clone()),
        reason: Set(reason),
        requested_at: Set(caller.now()),
        status: Set(DisclosureStatus::Requested),
        decision_reason: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    };
    write.audit_created_active(&row);
    disclosure_requests::Entity::insert(row)
        .exec_without_returning(write.txn())
        .await?;
    write
        .emit(Event {
            kind: EventKind::DisclosureRequested,
            plan_id: None,
            // Addressed to the recording agency alone: with a child id the whole case
            // team would be told.
            child_id: None,
            audience: vec![recording],
            summary: "An agency asked to see a restricted entry your agency recorded".into(),
            payload: json!({ "disclosureRequestId": id }),
        })
        .await?;
    write.deadlines_changed(case.child.id);
    write.audit_row(id);
    write.commit().await?;
    find(db, id).await
}

/// What the recording agency decides.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The request decided.
    pub request_id: Uuid,
    /// Share or decline.
    pub decision: DisclosureDecision,
    /// Why: required (at least 20 characters) to decline, optional to share.
    pub reason: Option<String>,
    /// The version the client read.
    pub expected_version: i32,
}

/// `decideDisclosure`: an agency lead or coordinator of the recording agency shares the
/// entry with the requester or declines with a reason; a decided request stays decided.
#[tracing::instrument(skip_all, fields(request_id = %input.request_id, decision = ?input.decision))]
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    input: Decision,
) -> ApiResult<disclosure_requests::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::DecideDisclosure,
        Target::row(EntityType::DisclosureRequest, input.request_id),
    );
    let request = match disclosure_requests::Entity::find_by_id(input.request_id)
        .one(db)
        .await?
    {
        Some(request) if visible_to(caller, &request) => request,
        _ => return Err(op.deny(ApiError::NotFound).await),
    };
    let op = op
        .on(Target::for_child(EntityType::DisclosureRequest, request.child_id).with_id(request.id));
    op.authorize(policy::ensure_can_decide_disclosure(
        &caller.actor,
        request.recording_agency_id,
    ))
    .await?;
    check(input.expected_version, request.version)?;
    if request.status != DisclosureStatus::Requested {
        return Err(ApiError::Conflict {
            current_version: request.version,
        });
    }
    let reason = match input.decision {
        DisclosureDecision::Decline => Some(reason_text(
            "reason",
            input.reason.as_deref().unwrap_or_default(),
        )?),
        DisclosureDecision::Share => match optional_text(input.reason) {
            Some(reason) => Some(required_text("reason", &reason, MAX_REASON)?),
            None => None,
        },
    };
    let mut write = op.begin().await?;
    write.lock(&lock_key(request.entry_id)).await?;
    if request.entry_kind == DisclosureEntryKind::AssessmentContribution {
        // The lock its agency amends it under, so a share and an amendment of its
        // `sharedWith` cannot interleave.
        write
            .lock(&format!("assessment:{}", request.child_id))
            .await?;
    }
    if let Some(reason) = &reason {
        write.audit_reason(reason);
    }
    let status = match input.decision {
        DisclosureDecision::Share => DisclosureStatus::Shared,
        DisclosureDecision::Decline => DisclosureStatus::Declined,
    };
    let saved = REQUEST
        .save(
            write.txn(),
            request.id,
            input.expected_version,
            caller.now(),
            disclosure_requests::ActiveModel {
                status: Set(status),
                decision_reason: Set(reason),
                decided_by: Set(Some(caller.actor.subject.clone())),
                decided_at: Set(Some(caller.now())),
                ..Default::default()
            },
        )
        .await?;
    write.audit_diff::<disclosure_requests::Entity>(&request, &saved);
    if status == DisclosureStatus::Shared {
        let entry = find_entry(write.txn(), request.entry_kind, request.entry_id)
            .await?
            .ok_or_else(|| ApiError::Internal("a disclosure request's entry is gone".into()))?;
        share_entry(&write, entry, request.requesting_agency_id).await?;
    }
    write
        .emit(Event {
            kind: EventKind::DisclosureDecided,
            plan_id: None,
            child_id: None,
            audience: vec![request.requesting_agency_id],
            summary: match status {
                DisclosureStatus::Shared => "A restricted entry your agency asked for was shared",
                _ => "A restricted entry your agency asked for was not shared",
            }
            .into(),
            payload: json!({ "disclosureRequestId": request.id, "status": status }),
        })
        .await?;
    write.deadlines_changed(request.child_id);
    write.commit().await?;
    Ok(saved)
}

/// Whether the caller may see the request: a case role of either agency.
fn visible_to(caller: &Caller, request: &disclosure_requests::Model) -> bool {
    policy::can_see_disclosure_request(
        &caller.actor,
        request.requesting_agency_id,
        request.recording_agency_id,
    )
}

async fn find(db: &DatabaseConnection, id: Uuid) -> ApiResult<disclosure_requests::Model> {
    disclosure_requests::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A request for `node(id:)`, when the caller may see it (a miss is audited).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<disclosure_requests::Model>> {
    match disclosure_requests::Entity::find_by_id(id).one(db).await? {
        Some(request) if visible_to(caller, &request) => Ok(Some(request)),
        _ => {
            visible::record_miss(db, caller, EntityType::DisclosureRequest, id).await?;
            Ok(None)
        }
    }
}

/// Which of the agency's requests `myDisclosureRequests` lists.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Requests for entries the caller's agency recorded: its to decide.
    Incoming,
    /// Requests the caller's agency made.
    Outgoing,
}

/// `myDisclosureRequests`: the agency's incoming or outgoing requests, oldest first.
pub async fn mine(
    db: &DatabaseConnection,
    caller: &Caller,
    direction: Direction,
    status: Option<DisclosureStatus>,
    page: PageRequest,
) -> ApiResult<Page<disclosure_requests::Model>> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ListDisclosureRequests,
        Target::of(EntityType::DisclosureRequest),
    );
    op.authorize(policy::ensure_case_role(&caller.actor))
        .await?;
    let column = match direction {
        Direction::Incoming => disclosure_requests::Column::RecordingAgencyId,
        Direction::Outgoing => disclosure_requests::Column::RequestingAgencyId,
    };
    let mut query = disclosure_requests::Entity::find().filter(column.eq(caller.actor.agency_id));
    if let Some(status) = status {
        query = query.filter(disclosure_requests::Column::Status.eq(status));
    }
    paging::fetch(db, query, disclosure_requests::Column::Id, page).await
}
