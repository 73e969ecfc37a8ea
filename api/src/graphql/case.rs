//! `closeCase`: closing a child's case (a new referral or behaviour reopens it).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::child::Child;
use super::limits::MaxChars;
use super::{caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Input of `closeCase`: which child's case closes, and why.
#[derive(InputObject)]
pub struct CloseCaseInput {
    /// The global id of the child whose case closes.
    pub child_id: ID,
    /// Why the case closes (at most 2,000 characters); recorded in the chronology and
    /// as the end reason of every involvement it ends.
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The child's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `closeCase`: the child as saved.
#[derive(SimpleObject)]
pub struct CloseCasePayload {
    /// The child, now `CLOSED`, with only its lead agency left on the case team.
    pub child: Child,
}

/// Case lifecycle mutations.
#[derive(Default)]
pub struct CaseMutation;

#[Object]
impl CaseMutation {
    /// Closes a child's case (`COORDINATOR` of the child's lead agency), once every joint
    /// plan is closed and no assessment is in progress: every involvement but the lead's
    /// ends, the child becomes `CLOSED`, `CASE_CLOSED` is recorded and its open deadlines
    /// stop. A new referral or behaviour for the child reopens the case.
    async fn close_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child whose case closes, why, and the version read.")]
        input: CloseCaseInput,
    ) -> async_graphql::Result<CloseCasePayload> {
        let child_id = ids::decode_as(&input.child_id, "Child", "childId").gql()?;
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let child = domain::retry::transient(|| {
            domain::closure::close(db, caller, child_id, &input.reason, input.expected_version)
        })
        .await
        .gql()?;
        Ok(CloseCasePayload {
            child: Child(child),
        })
    }
}
