//! `LegalHold`, `placeLegalHold`, `releaseLegalHold`, and the loaders behind a child's
//! `legalHolds`, `retainUntil` and `retentionRule` (`docs/product.md`, "Retention and
//! legal hold").

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};
use entity::enums::LegalHoldKind;
use entity::{children, legal_holds};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::agency::Agency;
use super::limits::MaxChars;
use super::scalars::DateTime;
use super::{agency_by_id, caller, db, ids};
use crate::domain;
use crate::domain::retention::RetentionFacts;
use crate::error::{ApiError, IntoGql};

/// A legal hold on a child's record (litigation, a safeguarding practice review, an
/// inquiry): while it is active, the retention run never erases the record. A released
/// hold stays on record. Visible to information governance and to the case roles of the
/// child's lead agency.
#[derive(Description)]
pub struct LegalHold(pub legal_holds::Model);

#[Object(use_type_description)]
impl LegalHold {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("LegalHold", self.0.id)
    }
    /// The global id of the child whose record is held, for `node(id:)` (which answers
    /// only callers who may read the child).
    async fn child_id(&self) -> ID {
        ids::encode("Child", self.0.child_id)
    }
    /// Why the record is held, in a word.
    async fn kind(&self) -> LegalHoldKind {
        self.0.kind
    }
    /// The case, review or inquiry reference the hold is for.
    async fn reference(&self) -> &str {
        &self.0.reference
    }
    /// Why the record must be kept, as information governance recorded it.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// Whether the hold is active (placed and not released).
    async fn active(&self) -> bool {
        self.0.released_at.is_none()
    }
    /// The subject of the information governance officer who placed it.
    async fn placed_by(&self) -> &str {
        &self.0.placed_by
    }
    /// The agency of the officer who placed it.
    async fn placed_by_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.placed_by_agency_id).await
    }
    /// When it was placed.
    async fn placed_at(&self) -> DateTime {
        self.0.placed_at.into()
    }
    /// When it was released; null while it is active.
    async fn released_at(&self) -> Option<DateTime> {
        self.0.released_at.map(Into::into)
    }
    /// The subject of the officer who released it; null while it is active.
    async fn released_by(&self) -> Option<&str> {
        self.0.released_by.as_deref()
    }
    /// Why it was released; null while it is active.
    async fn release_reason(&self) -> Option<&str> {
        self.0.release_reason.as_deref()
    }
    /// The hold's version, raised by every change; `releaseLegalHold` takes the value
    /// read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Input of `placeLegalHold`.
#[derive(InputObject)]
pub struct PlaceLegalHoldInput {
    /// The global id of the child whose record is to be held (any existing child).
    pub child_id: ID,
    /// Why the record is held, in a word.
    pub kind: LegalHoldKind,
    /// The case, review or inquiry reference: 1 to 200 characters.
    #[graphql(validator(custom = "MaxChars::new(\"reference\", 200)"))]
    pub reference: String,
    /// Why the record must be kept: 10 to 2,000 characters.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
}

/// Result of `placeLegalHold`.
#[derive(SimpleObject)]
pub struct PlaceLegalHoldPayload {
    /// The hold as placed (active).
    pub legal_hold: LegalHold,
}

/// Input of `releaseLegalHold`.
#[derive(InputObject)]
pub struct ReleaseLegalHoldInput {
    /// The global id of the active hold to release.
    pub legal_hold_id: ID,
    /// Why the hold is released: 10 to 2,000 characters.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The hold's `version` as read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `releaseLegalHold`.
#[derive(SimpleObject)]
pub struct ReleaseLegalHoldPayload {
    /// The hold as released (no longer active, kept on record).
    pub legal_hold: LegalHold,
}

/// Legal hold mutations.
#[derive(Default)]
pub struct LegalHoldMutation;

#[Object]
impl LegalHoldMutation {
    /// Places a legal hold on a child's record (`INFORMATION_GOVERNANCE` only): while it
    /// is active, the retention run never erases the record. The child's lead agency is
    /// told (`LEGAL_HOLD_PLACED`).
    async fn place_legal_hold(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child, the kind of hold, its reference and the reason.")]
        input: PlaceLegalHoldInput,
    ) -> async_graphql::Result<PlaceLegalHoldPayload> {
        let hold = domain::legal_holds::NewHold {
            child_id: ids::decode_as(&input.child_id, "Child", "childId").gql()?,
            kind: input.kind,
            reference: input.reference,
            reason: input.reason,
        };
        let saved = domain::legal_holds::place(db(ctx)?, caller(ctx)?, hold)
            .await
            .gql()?;
        Ok(PlaceLegalHoldPayload {
            legal_hold: LegalHold(saved),
        })
    }

    /// Releases an active legal hold with a reason (`INFORMATION_GOVERNANCE` only); the
    /// hold stays on record, released. The child's lead agency is told
    /// (`LEGAL_HOLD_RELEASED`).
    async fn release_legal_hold(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The hold, the reason and the version read.")]
        input: ReleaseLegalHoldInput,
    ) -> async_graphql::Result<ReleaseLegalHoldPayload> {
        let id = ids::decode_as(&input.legal_hold_id, "LegalHold", "legalHoldId").gql()?;
        let saved = domain::legal_holds::release(
            db(ctx)?,
            caller(ctx)?,
            id,
            &input.reason,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(ReleaseLegalHoldPayload {
            legal_hold: LegalHold(saved),
        })
    }
}

/// The legal holds of a child, oldest first, by child id (asked only about children
/// already found visible; `Child.legalHolds` shows them only where the policy allows).
pub struct LegalHoldsLoader(pub DatabaseConnection);

impl Loader<Uuid> for LegalHoldsLoader {
    type Value = Vec<legal_holds::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut by_child: HashMap<Uuid, Self::Value> =
            keys.iter().map(|key| (*key, Vec::new())).collect();
        for chunk in keys.chunks(super::loaders::KEYS_PER_STATEMENT) {
            let rows = domain::legal_holds::of_children(&self.0, chunk)
                .await
                .map_err(Arc::new)?;
            for row in rows {
                by_child.entry(row.child_id).or_default().push(row);
            }
        }
        Ok(by_child)
    }
}

/// The facts a child's retention is computed from, by child id (asked only about
/// children already found visible).
pub struct RetentionLoader(pub DatabaseConnection);

impl Loader<Uuid> for RetentionLoader {
    type Value = RetentionFacts;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for chunk in keys.chunks(super::loaders::KEYS_PER_STATEMENT) {
            let rows = children::Entity::find()
                .filter(children::Column::Id.is_in(chunk.iter().copied()))
                .all(&self.0)
                .await
                .map_err(|error| Arc::new(ApiError::from(error)))?;
            out.extend(
                domain::retention::facts_of(&self.0, &rows)
                    .await
                    .map_err(Arc::new)?,
            );
        }
        Ok(out)
    }
}
