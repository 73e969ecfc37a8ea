//! Agencies: the partnership's members, managed by the system administrator, and their
//! lifecycle: a deactivated agency's tokens are refused and it can join no case team or
//! plan, but everything it recorded stays.

use entity::enums::{AgencyKind, ChildStatus, InvolvementRole};
use entity::{agencies, children, involvements};
use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::op::{Operation, Write};
use super::outbox::{Event, EventKind};
use super::versioned::{Versioned, check};
use super::{Caller, DomainConfig, new_id, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;

const AGENCY: Versioned<agencies::Entity> = Versioned {
    id: agencies::Column::Id,
    version: agencies::Column::Version,
    updated_at: agencies::Column::UpdatedAt,
    version_of: |agency| agency.version,
};

/// What `createAgency` takes.
#[derive(Clone, Debug)]
pub struct NewAgency {
    /// Unique slug, e.g. `sefton-csc`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// What it is.
    pub kind: AgencyKind,
}

const CODE_TAKEN: &str = "an agency with this code already exists";

/// Checks an agency code: a lowercase slug of 2 to 64 characters.
pub fn validate_code(code: &str) -> ApiResult<String> {
    let code = code.trim();
    let ok = (2..=64).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-');
    if ok {
        Ok(code.to_owned())
    } else {
        Err(ApiError::validation(
            "code",
            "must be 2 to 64 lowercase letters, digits or inner hyphens",
        ))
    }
}

/// Inserts an agency without an actor: the operator's bootstrap (`concord agency add`).
pub async fn bootstrap(db: &DatabaseConnection, input: NewAgency) -> ApiResult<agencies::Model> {
    let model = new_model(input)?;
    ensure_code_free(db, &model.code).await?;
    Ok(
        agencies::Entity::insert(model.clone().into_active_model().reset_all())
            .exec_with_returning(db)
            .await?,
    )
}

/// `createAgency`: a system administrator adds an agency to the partnership.
#[tracing::instrument(skip_all, fields(code = %input.code))]
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewAgency,
) -> ApiResult<agencies::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::CreateAgency,
        Target::of(EntityType::Agency),
    );
    op.authorize(policy::ensure_can_manage_agencies(&caller.actor))
        .await?;
    let model = new_model(input)?;
    let mut write = op.begin().await?;
    ensure_code_free(write.txn(), &model.code).await?;
    let saved = agencies::Entity::insert(model.clone().into_active_model().reset_all())
        .exec_with_returning(write.txn())
        .await
        .map_err(|e| ApiError::unique(e, "code", CODE_TAKEN))?;
    write.audit_row(saved.id);
    write.audit_created::<agencies::Entity>(&saved);
    write.commit().await?;
    Ok(saved)
}

fn new_model(input: NewAgency) -> ApiResult<agencies::Model> {
    let now = chrono::Utc::now();
    Ok(agencies::Model {
        id: new_id(),
        code: validate_code(&input.code)?,
        name: required_text("name", &input.name, 200)?,
        kind: input.kind,
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

async fn ensure_code_free<C: sea_orm::ConnectionTrait>(db: &C, code: &str) -> ApiResult<()> {
    let taken = agencies::Entity::find()
        .filter(agencies::Column::Code.eq(code))
        .one(db)
        .await?;
    match taken {
        Some(_) => Err(ApiError::validation("code", CODE_TAKEN)),
        None => Ok(()),
    }
}

/// Every agency, by code. Agencies are not case content: any actor may list them.
pub async fn list(db: &DatabaseConnection) -> ApiResult<Vec<agencies::Model>> {
    Ok(agencies::Entity::find()
        .order_by_asc(agencies::Column::Code)
        .all(db)
        .await?)
}

/// One agency by id.
pub async fn get(db: &DatabaseConnection, id: Uuid) -> ApiResult<agencies::Model> {
    agencies::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// An active agency named in input field `field`, or `VALIDATION_FAILED` on it.
pub async fn active(db: &DatabaseConnection, id: Uuid, field: &str) -> ApiResult<agencies::Model> {
    active_in(db, id, field).await
}

async fn active_in<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    field: &str,
) -> ApiResult<agencies::Model> {
    agencies::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|agency| agency.active)
        .ok_or_else(|| ApiError::validation(field, "no such active agency"))
}

fn lock_key(id: Uuid) -> String {
    format!("agency:{id}")
}

/// Inside a write that puts agency `id` on a case team or plan: waits for a concurrent
/// deactivation of it, then checks again that it is active, so that no child gains an
/// inactive lead (or member) that the deactivation did not see. Taken before any other
/// lock of the write (`case-team:…`), so that locks are always taken in one order.
pub async fn ensure_still_active(write: &Write<'_>, id: Uuid, field: &str) -> ApiResult<()> {
    write.lock(&lock_key(id)).await?;
    active_in(write.txn(), id, field).await.map(|_| ())
}

/// Agencies by id, for the per-request loader.
pub async fn by_ids(db: &DatabaseConnection, ids: &[Uuid]) -> ApiResult<Vec<agencies::Model>> {
    Ok(agencies::Entity::find()
        .filter(agencies::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The agencies that are or were on the case teams of `child_ids` (ended involvements
/// too): the agencies a child's record names, almost always, read beside the record
/// itself rather than after it. Any authenticated caller may list every agency, so
/// reading more of them than the answer names shows nothing.
pub async fn of_case_teams(
    db: &DatabaseConnection,
    child_ids: &[Uuid],
) -> ApiResult<Vec<agencies::Model>> {
    let team = sea_orm::sea_query::Query::select()
        .column(involvements::Column::AgencyId)
        .from(involvements::Entity)
        .and_where(involvements::Column::ChildId.is_in(child_ids.iter().copied()))
        .to_owned();
    Ok(agencies::Entity::find()
        .filter(agencies::Column::Id.in_subquery(team))
        .all(db)
        .await?)
}

/// One agency by code.
pub async fn by_code(db: &DatabaseConnection, code: &str) -> ApiResult<Option<agencies::Model>> {
    Ok(agencies::Entity::find()
        .filter(agencies::Column::Code.eq(code))
        .one(db)
        .await?)
}

/// Fails with `VALIDATION_FAILED` on `field` unless every id is an agency.
pub async fn ensure_agencies_exist(
    db: &DatabaseConnection,
    ids: &[Uuid],
    field: &str,
) -> ApiResult<()> {
    let unique: BTreeSet<Uuid> = ids.iter().copied().collect();
    if unique.is_empty() {
        return Ok(());
    }
    let found = agencies::Entity::find()
        .filter(agencies::Column::Id.is_in(unique.iter().copied()))
        .count(db)
        .await?;
    if found as usize != unique.len() {
        return Err(ApiError::validation(
            field,
            "names an agency that does not exist",
        ));
    }
    Ok(())
}

/// `deactivateAgency`: a system administrator takes an agency out of the partnership. Its
/// tokens are refused from then on and its open subscription streams end; its rows stay.
/// Each open child it leads is flagged to the designated social care agency, in the same
/// transaction.
#[tracing::instrument(skip_all, fields(%agency_id))]
pub async fn deactivate(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    agency_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> ApiResult<agencies::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::DeactivateAgency,
        Target::row(EntityType::Agency, agency_id),
    );
    op.authorize(policy::ensure_can_manage_agencies(&caller.actor))
        .await?;
    let reason = required_text("reason", reason, 1000)?;
    let agency = existing(&op, agency_id).await?;
    if agency.id == caller.actor.agency_id {
        // The last administrator could otherwise lock everyone out.
        return Err(ApiError::validation(
            "agencyId",
            "an administrator may not deactivate their own agency",
        ));
    }
    if !agency.active {
        return Err(ApiError::validation("agencyId", "is already inactive"));
    }
    check(expected_version, agency.version)?;
    let social_care = config
        .social_care(db)
        .await?
        .map(|csc| csc.id)
        .filter(|csc| *csc != agency.id);
    let mut write = op.begin().await?;
    write.lock(&lock_key(agency.id)).await?;
    write.audit_reason(&reason);
    let mut changes = unchanged();
    changes.active = Set(false);
    let saved = AGENCY
        .save(
            write.txn(),
            agency.id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<agencies::Entity>(&agency, &saved);
    let led = open_children_led_by(write.txn(), agency.id).await?;
    if !led.is_empty() && social_care.is_none() {
        tracing::warn!(
            children = led.len(),
            "no active designated social care agency to flag children whose lead agency was deactivated"
        );
    }
    for child_id in led {
        write
            .emit(Event {
                kind: EventKind::LeadAgencyDeactivated,
                plan_id: None,
                child_id: Some(child_id),
                audience: social_care.into_iter().collect(),
                summary: "The child's lead agency was deactivated".into(),
                payload: json!({ "childId": child_id, "agencyId": agency.id }),
            })
            .await?;
    }
    // Addressed to the agency itself: every relay wakes, and the agency's open streams
    // re-check it and end rather than wait for its next event.
    write
        .emit(Event {
            kind: EventKind::AgencyDeactivated,
            plan_id: None,
            child_id: None,
            audience: vec![agency.id],
            summary: "The agency was deactivated".into(),
            payload: json!({ "agencyId": agency.id }),
        })
        .await?;
    write.commit().await?;
    Ok(saved)
}

/// `reactivateAgency`: a system administrator lets a deactivated agency back in.
#[tracing::instrument(skip_all, fields(%agency_id))]
pub async fn reactivate(
    db: &DatabaseConnection,
    caller: &Caller,
    agency_id: Uuid,
    expected_version: i32,
) -> ApiResult<agencies::Model> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::ReactivateAgency,
        Target::row(EntityType::Agency, agency_id),
    );
    op.authorize(policy::ensure_can_manage_agencies(&caller.actor))
        .await?;
    let agency = existing(&op, agency_id).await?;
    if agency.active {
        return Err(ApiError::validation("agencyId", "is already active"));
    }
    check(expected_version, agency.version)?;
    let mut write = op.begin().await?;
    let mut changes = unchanged();
    changes.active = Set(true);
    let saved = AGENCY
        .save(
            write.txn(),
            agency.id,
            expected_version,
            caller.now(),
            changes,
        )
        .await?;
    write.audit_diff::<agencies::Entity>(&agency, &saved);
    write.commit().await?;
    Ok(saved)
}

/// The agency an operation names, or its audited `NOT_FOUND`.
async fn existing(op: &Operation<'_>, id: Uuid) -> ApiResult<agencies::Model> {
    match agencies::Entity::find_by_id(id).one(op.db).await? {
        Some(agency) => Ok(agency),
        None => Err(op.deny(ApiError::NotFound).await),
    }
}

fn unchanged() -> agencies::ActiveModel {
    <agencies::ActiveModel as Default>::default()
}

/// The open children whose lead agency ([`policy::lead_agency`]'s active `LEAD`
/// involvement) is `agency`.
async fn open_children_led_by<C: ConnectionTrait>(db: &C, agency: Uuid) -> ApiResult<Vec<Uuid>> {
    Ok(children::Entity::find()
        .select_only()
        .column(children::Column::Id)
        .filter(children::Column::Status.eq(ChildStatus::Open))
        .filter(
            children::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(involvements::Column::ChildId)
                    .from(involvements::Entity)
                    .and_where(involvements::Column::AgencyId.eq(agency))
                    .and_where(involvements::Column::Role.eq(InvolvementRole::Lead))
                    .and_where(involvements::Column::EndedOn.is_null())
                    .to_owned(),
            ),
        )
        .order_by_asc(children::Column::Id)
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}
