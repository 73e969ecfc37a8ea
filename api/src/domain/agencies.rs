//! Agencies: the partnership's members, managed by the system administrator.

use entity::agencies;
use entity::enums::AgencyKind;
use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::audit::{AuditAction, EntityType, Target};
use super::op::Operation;
use super::{Caller, new_id, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy;

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
    agencies::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|agency| agency.active)
        .ok_or_else(|| ApiError::validation(field, "no such active agency"))
}

/// Agencies by id, for the per-request loader.
pub async fn by_ids(db: &DatabaseConnection, ids: &[Uuid]) -> ApiResult<Vec<agencies::Model>> {
    Ok(agencies::Entity::find()
        .filter(agencies::Column::Id.is_in(ids.iter().copied()))
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
