//! Case teams: the involvements that give agencies access to a child (`docs/access.md`).

use entity::enums::InvolvementRole;
use entity::involvements;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::case;
use super::op::{Operation, Write};
use super::versioned::{self, Versioned};
use super::{Caller, new_id, optional_text, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// What `addInvolvement` takes.
#[derive(Clone, Debug)]
pub struct NewInvolvement {
    /// The agency joining the case team.
    pub agency_id: Uuid,
    /// `LEAD` or `PARTNER`.
    pub role: InvolvementRole,
    /// The named practitioner, if any.
    pub lead_practitioner: Option<String>,
    /// Why the agency is involved.
    pub reason: Option<String>,
}

/// Inserts an involvement starting today; the operation writing it audits it.
pub async fn insert_involvement<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    child_id: Uuid,
    input: NewInvolvement,
) -> ApiResult<involvements::Model> {
    let agency_id = input.agency_id;
    let row = involvements::ActiveModel {
        id: Set(new_id()),
        child_id: Set(child_id),
        agency_id: Set(input.agency_id),
        role: Set(input.role),
        lead_practitioner: Set(optional_text(input.lead_practitioner)),
        started_on: Set(caller.now().date_naive()),
        ended_on: Set(None),
        reason: Set(optional_text(input.reason)),
        end_reason: Set(None),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
    };
    let saved = involvements::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map_err(|e| ApiError::unique(e, "agencyId", "the agency is already on the case team"))?;
    // The subscription relays reload this agency's reach when they reach this point of
    // the outbox (see `events`).
    super::outbox::record(
        db,
        caller,
        super::outbox::Event::case_team_changed(agency_id),
    )
    .await?;
    Ok(saved)
}

/// Puts `agency` on the child's case team as a partner, unless it is on it already,
/// inside an operation that decided so (escalation, plan membership), audited as
/// `ADD_INVOLVEMENT`. Reads the team inside the transaction, so that concurrent
/// operations cannot both add the same agency.
pub async fn join_as_partner(
    write: &Write<'_>,
    child_id: Uuid,
    agency: Uuid,
    reason: &str,
) -> ApiResult<Option<involvements::Model>> {
    write.lock(&format!("case-team:{child_id}")).await?;
    let on_team = involvements::Entity::find()
        .filter(involvements::Column::ChildId.eq(child_id))
        .filter(involvements::Column::AgencyId.eq(agency))
        .filter(involvements::Column::EndedOn.is_null())
        .one(write.txn())
        .await?
        .is_some();
    if on_team {
        return Ok(None);
    }
    let involvement = NewInvolvement {
        agency_id: agency,
        role: InvolvementRole::Partner,
        lead_practitioner: None,
        reason: Some(reason.to_owned()),
    };
    let saved = insert_involvement(write.txn(), write.caller(), child_id, involvement).await?;
    write.deadlines_changed(child_id);
    let target = Target::for_child(EntityType::Involvement, child_id).with_id(saved.id);
    write
        .record_also(AuditAction::AddInvolvement, target)
        .await?;
    Ok(Some(saved))
}

/// `addInvolvement`: puts an agency on a child's case team.
#[tracing::instrument(skip_all, fields(%child_id))]
pub async fn add_involvement(
    db: &DatabaseConnection,
    caller: &Caller,
    child_id: Uuid,
    input: NewInvolvement,
) -> ApiResult<involvements::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::AddInvolvement,
        Target::for_child(EntityType::Involvement, child_id),
    );
    let case = case::visible(&op, child_id).await?;
    op.authorize(policy::ensure_can_add_involvement(
        &caller.actor,
        &case.facts,
        input.agency_id,
    ))
    .await?;
    let agency = super::agencies::active(db, input.agency_id, "agencyId").await?;
    let mut write = op.begin().await?;
    super::agencies::ensure_still_active(&write, agency.id, "agencyId").await?;
    write.lock(&format!("case-team:{child_id}")).await?;
    let team = case::involvements_of(write.txn(), child_id).await?;
    if team
        .iter()
        .any(|inv| inv.ended_on.is_none() && inv.agency_id == agency.id)
    {
        return Err(ApiError::validation(
            "agencyId",
            "the agency is already on the case team",
        ));
    }
    if input.role == InvolvementRole::Lead && !policy::lead_is_free(&team) {
        return Err(ApiError::validation(
            "role",
            "the child already has a lead agency",
        ));
    }
    let saved = insert_involvement(write.txn(), caller, child_id, input).await?;
    write.deadlines_changed(child_id);
    write.audit_row(saved.id);
    write.audit_created::<involvements::Entity>(&saved);
    write.commit().await?;
    Ok(saved)
}

const INVOLVEMENT: Versioned<involvements::Entity> = Versioned {
    id: involvements::Column::Id,
    version: involvements::Column::Version,
    updated_at: involvements::Column::UpdatedAt,
    version_of: |involvement| involvement.version,
};

/// `endInvolvement`: an agency leaves a case team. The lead cannot leave an open case.
#[tracing::instrument(skip_all, fields(%involvement_id))]
pub async fn end_involvement(
    db: &DatabaseConnection,
    caller: &Caller,
    involvement_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> ApiResult<involvements::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::EndInvolvement,
        Target::row(EntityType::Involvement, involvement_id),
    );
    // A miss is audited by the read, as for any lookup by id.
    let Some(involvement) = read_audited(db, caller, involvement_id).await? else {
        return Err(ApiError::NotFound);
    };
    let op = op.on(
        Target::for_child(EntityType::Involvement, involvement.child_id).with_id(involvement.id),
    );
    let case = case::visible(&op, involvement.child_id).await?;
    op.authorize(policy::ensure_can_end_involvement(
        &caller.actor,
        &case.facts,
        involvement.agency_id,
    ))
    .await?;
    versioned::check(expected_version, involvement.version)?;
    let reason = required_text("reason", reason, 2000)?;
    if involvement.ended_on.is_some() {
        return Err(ApiError::validation(
            "involvementId",
            "the involvement has already ended",
        ));
    }
    if involvement.role == InvolvementRole::Lead {
        return Err(ApiError::validation(
            "involvementId",
            "the lead agency cannot leave the case team",
        ));
    }
    let mut write = op.begin().await?;
    write
        .lock(&format!("case-team:{}", involvement.child_id))
        .await?;
    if super::assessments::led_in_progress(write.txn(), involvement.child_id, involvement.agency_id)
        .await?
    {
        return Err(ApiError::validation(
            "involvementId",
            "the agency leads an assessment of the child that is in progress: it completes \
             the assessment before it leaves the case team",
        ));
    }
    let changes = involvements::ActiveModel {
        ended_on: Set(Some(caller.now().date_naive())),
        end_reason: Set(Some(reason)),
        ..Default::default()
    };
    let saved = INVOLVEMENT
        .save(
            write.txn(),
            involvement.id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<involvements::Entity>(&involvement, &saved);
    write.deadlines_changed(involvement.child_id);
    write
        .emit(super::outbox::Event::case_team_changed(
            involvement.agency_id,
        ))
        .await?;
    // Leaving the case team is leaving its plans too: they stop seeing them and their events.
    super::plan_members::leave_open_plans(&write, involvement.child_id, involvement.agency_id)
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// The involvements of several children, for the per-request loader.
pub async fn of_children(
    db: &DatabaseConnection,
    child_ids: &[Uuid],
) -> ApiResult<Vec<involvements::Model>> {
    Ok(entity::by_index::all(
        involvements::Entity::find()
            .filter(involvements::Column::ChildId.is_in(child_ids.iter().copied()))
            .order_by_asc(involvements::Column::Id),
        db,
    )
    .await?)
}

/// An involvement whose child the caller may read; `None` otherwise (audited).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<involvements::Model>> {
    visible::read_through_child_audited::<involvements::Entity>(
        db,
        caller,
        EntityType::Involvement,
        id,
        |involvement| involvement.child_id,
    )
    .await
}
