//! Relay connections, written once for every paginated list (DESIGN §6.2).

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, SimpleObject};
use uuid::Uuid;

use super::ids;
use crate::domain::paging::{Page, PageRequest};
use crate::error::{ApiError, IntoGql};

/// Extra fields of every connection.
#[derive(SimpleObject)]
pub struct ConnectionFields {
    /// How many nodes the whole list has.
    pub total_count: u64,
}

/// A page request from `first` (default `default_first`) and an `after` cursor. The
/// list is counted only when the client selected `totalCount`.
pub fn request(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    default_first: u64,
) -> async_graphql::Result<PageRequest> {
    let first = match first {
        None => default_first,
        Some(first) => u64::try_from(first)
            .map_err(|_| ApiError::validation("first", "must not be negative"))
            .gql()?,
    };
    let after = after.as_deref().map(ids::decode_cursor).transpose().gql()?;
    let count_total = ctx.look_ahead().field("totalCount").exists();
    Ok(PageRequest::new(first, after).gql()?.counting(count_total))
}

/// A domain page as a connection of `N`, with cursors from each row's id.
pub fn connection<T, N: async_graphql::OutputType>(
    request: PageRequest,
    page: Page<T>,
    id_of: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
) -> Connection<String, N, ConnectionFields, EmptyFields> {
    let mut connection = Connection::with_additional_fields(
        request.after.is_some(),
        page.has_next,
        ConnectionFields {
            total_count: page.total,
        },
    );
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|row| Edge::new(ids::cursor(id_of(&row)), node(row))),
    );
    connection
}
