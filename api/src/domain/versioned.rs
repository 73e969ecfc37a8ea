//! Optimistic concurrency: an update names the version it read; a stale one is a
//! `CONFLICT` carrying the current version, and the row is left unchanged.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Value};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// The columns the guarded update needs.
pub struct Versioned<E: EntityTrait> {
    /// Primary key column.
    pub id: E::Column,
    /// `version` column.
    pub version: E::Column,
    /// `updated_at` column.
    pub updated_at: E::Column,
    /// Reads the version of a row.
    pub version_of: fn(&E::Model) -> i32,
}

impl<E> Versioned<E>
where
    E: EntityTrait,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    /// Applies `changes` to row `id` only if its version is still `expected`, bumping the
    /// version; returns the row as saved.
    pub async fn save<C: ConnectionTrait>(
        &self,
        db: &C,
        id: Uuid,
        expected: i32,
        now: chrono::DateTime<chrono::Utc>,
        mut changes: E::ActiveModel,
    ) -> ApiResult<E::Model> {
        changes.set(self.version, Value::from(expected + 1));
        changes.set(self.updated_at, Value::from(now));
        let result = E::update_many()
            .set(changes)
            .filter(self.id.eq(id))
            .filter(self.version.eq(expected))
            .exec(db)
            .await?;
        let current = E::find()
            .filter(self.id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound)?;
        if result.rows_affected == 0 {
            return Err(ApiError::Conflict {
                current_version: (self.version_of)(&current),
            });
        }
        Ok(current)
    }
}

/// Fails with `CONFLICT` unless the client's version is the row's.
pub fn check(expected: i32, current: i32) -> ApiResult<()> {
    if expected == current {
        Ok(())
    } else {
        Err(ApiError::Conflict {
            current_version: current,
        })
    }
}
