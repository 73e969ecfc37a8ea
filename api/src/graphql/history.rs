//! The history every corrected record lists: `RecordVersion`, the request's loader of
//! earlier versions, and the rules that decide whose earlier values a caller may read
//! (a record's own access rules, the stricter sensitivity for restricted content).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Description, Object};
use entity::enums::Sensitivity;
use entity::record_versions;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::agency::Agency;
use super::loaders::{Loaders, loader_error};
use super::scalars::DateTime;
use super::{agency_by_id, caller, ids, lead_agency_id};
use crate::domain::amendments;
use crate::domain::masked::Masked;
use crate::domain::{self, Caller};
use crate::error::ApiError;
use crate::policy::{self, RestrictedContent};

/// The earlier versions of records, by record id, oldest first.
pub struct HistoryLoader(pub DatabaseConnection);

impl Loader<Uuid> for HistoryLoader {
    type Value = Vec<record_versions::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut by_key: HashMap<Uuid, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for chunk in keys.chunks(super::loaders::KEYS_PER_STATEMENT) {
            let rows = amendments::history_of(&self.0, chunk)
                .await
                .map_err(Arc::new)?;
            for row in rows {
                by_key.entry(row.entity_id).or_default().push(row);
            }
        }
        Ok(by_key)
    }
}

/// The earlier versions of record `id`, oldest first.
async fn versions_of(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Vec<record_versions::Model>> {
    Ok(ctx
        .data::<Loaders>()?
        .history
        .load_one(id)
        .await
        .map_err(loader_error)?
        .unwrap_or_default())
}

/// Whether record `id` was amended (a correction, not only marked entered in error).
pub async fn amended(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<bool> {
    Ok(versions_of(ctx, id)
        .await?
        .iter()
        .any(|v| v.changed_fields.0.iter().any(|f| f != "enteredInError")))
}

/// The history of a record without restricted content (a child's identity, a plan, an
/// action, a review, an involvement, a referral): each version is readable by whoever
/// reads the record itself.
pub async fn readable_history(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Vec<RecordVersion>> {
    Ok(versions_of(ctx, id)
        .await?
        .into_iter()
        .map(|model| RecordVersion {
            model,
            readable: true,
        })
        .collect())
}

/// An earlier version of a restricted-content entry, as the policy asks about it.
struct Snapshot {
    sensitivity: Sensitivity,
    agency: Uuid,
    shared_with: Vec<Uuid>,
}

impl RestrictedContent for Snapshot {
    fn sensitivity(&self) -> Sensitivity {
        self.sensitivity
    }
    fn recording_agency(&self) -> Uuid {
        self.agency
    }
    fn shared_with(&self) -> &[Uuid] {
        &self.shared_with
    }
}

/// An entry's history: each version's values and reason only when the caller may read
/// both the current content and that version's (the stricter sensitivity decides).
pub async fn entry_history<T>(
    ctx: &Context<'_>,
    entry: &Masked<T>,
    id: Uuid,
    child_id: Uuid,
) -> async_graphql::Result<Vec<RecordVersion>>
where
    T: domain::masked::Maskable,
{
    let versions = versions_of(ctx, id).await?;
    if versions.is_empty() {
        return Ok(Vec::new());
    }
    let caller: &Caller = caller(ctx)?;
    let lead = lead_agency_id(ctx, child_id).await?;
    let agency = entry.row().recording_agency();
    Ok(versions
        .into_iter()
        .map(|model| {
            let snapshot = Snapshot {
                sensitivity: amendments::snapshot_sensitivity(&model),
                agency,
                shared_with: amendments::snapshot_shared_with(&model),
            };
            let readable =
                !entry.restricted() && policy::can_read_content(&caller.actor, &snapshot, lead);
            RecordVersion { model, readable }
        })
        .collect())
}

/// An earlier version of a record (a child, an entry, a plan, …) that a correction
/// replaced, with who replaced it, when and why. Under the record's own access rules:
/// the `values` and `reason` of a restricted entry's earlier version are `null` for an
/// agency that may not read its content.
#[derive(Description)]
pub struct RecordVersion {
    model: record_versions::Model,
    readable: bool,
}

#[Object(use_type_description)]
impl RecordVersion {
    /// The version number these values had, before the correction replaced them.
    async fn version(&self) -> i32 {
        self.model.version
    }
    /// When the correction replaced these values.
    async fn amended_at(&self) -> DateTime {
        self.model.amended_at.into()
    }
    /// The agency whose practitioner made the correction.
    async fn amending_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.model.amended_by_agency_id).await
    }
    /// Why the record was corrected; `null` when the caller may not read the content.
    async fn reason(&self) -> Option<&str> {
        self.readable.then_some(self.model.reason.as_str())
    }
    /// The GraphQL names of the fields the correction changed (`enteredInError` when
    /// the entry was marked entered in error).
    async fn changed_fields(&self) -> &[String] {
        &self.model.changed_fields.0
    }
    /// The replaced values as a JSON object keyed by GraphQL field name, enum values by
    /// their GraphQL names and agencies (`sharedWith`, `attendingAgencies`) by their
    /// global ids; `null` when the caller may not read the content.
    async fn values(&self) -> Option<String> {
        if !self.readable {
            return None;
        }
        let mut values = self.model.snapshot.clone();
        // The lists of agencies a snapshot keeps (an entry's sharing, a review's attendance).
        for key in ["sharedWith", "attendingAgencies"] {
            let Some(agencies) = values.get_mut(key).and_then(|v| v.as_array_mut()) else {
                continue;
            };
            for agency in agencies.iter_mut() {
                if let Some(id) = agency.as_str().and_then(|id| Uuid::parse_str(id).ok()) {
                    *agency = serde_json::Value::String(ids::encode("Agency", id).0);
                }
            }
        }
        Some(values.to_string())
    }
}
