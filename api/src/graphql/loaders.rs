//! DataLoaders, made anew for every request so no cache is shared between users.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::{agencies, involvements};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::domain;
use crate::error::ApiError;

/// Agencies by id.
pub struct AgencyLoader(pub DatabaseConnection);

impl Loader<Uuid> for AgencyLoader {
    type Value = agencies::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = domain::agencies::by_ids(&self.0, keys)
            .await
            .map_err(Arc::new)?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// The involvements of a child, by child id. Only ever asked for children already
/// found visible.
pub struct InvolvementsLoader(pub DatabaseConnection);

impl Loader<Uuid> for InvolvementsLoader {
    type Value = Vec<involvements::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = domain::involvements::of_children(&self.0, keys)
            .await
            .map_err(Arc::new)?;
        let mut by_child: HashMap<Uuid, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            by_child.entry(row.child_id).or_default().push(row);
        }
        Ok(by_child)
    }
}

/// The loaders of one request.
pub struct Loaders {
    /// Agencies by id.
    pub agencies: DataLoader<AgencyLoader>,
    /// Involvements by child id.
    pub involvements: DataLoader<InvolvementsLoader>,
}

impl Loaders {
    /// Fresh loaders for one request.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            agencies: DataLoader::new(AgencyLoader(db.clone()), tokio::spawn),
            involvements: DataLoader::new(InvolvementsLoader(db.clone()), tokio::spawn),
        }
    }
}

/// Maps a loader error to a GraphQL error with its code.
pub fn loader_error(error: Arc<ApiError>) -> async_graphql::Error {
    use async_graphql::ErrorExtensions as _;
    error.extend()
}
