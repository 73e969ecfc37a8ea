//! `exportChildRecord(childId)` (`docs/subject-access.md`): the subject access export.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::scalars::DateTime;
use super::{caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Everything held about one child, as one JSON document, for information governance to
/// review and disclose in answer to a subject access request. Every other child's
/// identity is removed; free text and restricted entries are marked
/// `reviewBeforeDisclosure` for a person to read first.
#[derive(SimpleObject)]
pub struct ChildRecordExport {
    /// The document's schema name and version, `concord.child-record/1`; its keys are
    /// described in `docs/subject-access.md`.
    pub format: String,
    /// When the export was made.
    pub generated_at: DateTime,
    /// The export itself: one JSON document, as text.
    pub document: String,
}

/// The subject access export.
#[derive(Default)]
pub struct ExportQuery;

#[Object]
impl ExportQuery {
    /// Exports everything held about a child as one JSON document (`INFORMATION_GOVERNANCE`
    /// only, any child); audited as `EXPORT_CHILD_RECORD`.
    async fn export_child_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child's global id.")] child_id: ID,
    ) -> async_graphql::Result<ChildRecordExport> {
        let child = ids::decode_as(&child_id, "Child", "childId").gql()?;
        let export = domain::export::export_child_record(db(ctx)?, caller(ctx)?, child)
            .await
            .gql()?;
        Ok(ChildRecordExport {
            format: export.format.to_owned(),
            generated_at: export.generated_at.into(),
            document: export.document,
        })
    }
}
