//! Relay connections, written once for every paginated list (`docs/integrating.md`).

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

/// The part of a short list that a client asked for: `first` after the `after` cursor,
/// or `last` before the `before` cursor (`before` alone reads backwards as well). Cursors are those of [`ids::cursor`].
#[derive(Default)]
pub struct Window {
    /// How many from the start (after `after`).
    pub first: Option<i32>,
    /// The cursor the page starts after.
    pub after: Option<String>,
    /// How many from the end (before `before`); not with `first`.
    pub last: Option<i32>,
    /// The cursor the page ends before.
    pub before: Option<String>,
}

/// How many rows a `first` or `last` argument asks for: `default` when absent, refused
/// when negative, `LIMIT_EXCEEDED` over [`MAX_PAGE`](crate::domain::paging::MAX_PAGE).
fn count(argument: &str, value: Option<i32>, default: u64) -> Result<usize, ApiError> {
    let count = match value {
        None => default,
        Some(n) => {
            u64::try_from(n).map_err(|_| ApiError::validation(argument, "must not be negative"))?
        }
    };
    if count > crate::domain::paging::MAX_PAGE {
        return Err(ApiError::LimitExceeded(format!(
            "{argument} must be at most {}",
            crate::domain::paging::MAX_PAGE
        )));
    }
    usize::try_from(count).map_err(|_| ApiError::validation(argument, "is too large"))
}

/// The position of the row a cursor names, for argument `argument`.
fn position<T>(
    rows: &[T],
    id_of: &impl Fn(&T) -> Uuid,
    cursor: &str,
    argument: &str,
) -> Result<usize, ApiError> {
    let id = ids::decode_cursor(cursor).map_err(|_| not_a_cursor(argument))?;
    rows.iter()
        .position(|row| id_of(row) == id)
        .ok_or_else(|| not_a_cursor(argument))
}

fn not_a_cursor(argument: &str) -> ApiError {
    ApiError::validation(argument, "is not a cursor of this list")
}

/// A page of `rows` (the whole list, already in its order, as one statement per level
/// loaded it for every child on the page) as a connection of `N`. `totalCount` is the
/// list's length; `hasPreviousPage` and `hasNextPage` say exactly whether rows lie
/// before and after the page.
pub fn window<T, N: async_graphql::OutputType>(
    rows: Vec<T>,
    window: Window,
    default_size: u64,
    id_of: impl Fn(&T) -> Uuid,
    node: impl FnMut(T) -> N,
) -> async_graphql::Result<Connection<String, N, ConnectionFields, EmptyFields>> {
    page_of(rows, window, default_size, id_of, node).gql()
}

fn page_of<T, N: async_graphql::OutputType>(
    mut rows: Vec<T>,
    window: Window,
    default_size: u64,
    id_of: impl Fn(&T) -> Uuid,
    mut node: impl FnMut(T) -> N,
) -> Result<Connection<String, N, ConnectionFields, EmptyFields>, ApiError> {
    if window.first.is_some() && window.last.is_some() {
        return Err(ApiError::validation(
            "last",
            "cannot be combined with first; page forwards with first and after, or backwards with last and before",
        ));
    }
    let total = rows.len();
    let mut start = match &window.after {
        Some(cursor) => position(&rows, &id_of, cursor, "after")? + 1,
        None => 0,
    };
    let mut end = match &window.before {
        Some(cursor) => position(&rows, &id_of, cursor, "before")?,
        None => total,
    };
    end = end.max(start);
    // `before` alone reads backwards too: the entries just before the cursor.
    let backwards = window.last.is_some() || (window.before.is_some() && window.first.is_none());
    if backwards {
        let size = count("last", window.last, default_size)?;
        start = start.max(end.saturating_sub(size));
    } else {
        let size = count("first", window.first, default_size)?;
        end = end.min(start.saturating_add(size));
    }
    let mut connection = Connection::with_additional_fields(
        start > 0,
        end < total,
        ConnectionFields {
            total_count: u64::try_from(total).unwrap_or(u64::MAX),
        },
    );
    rows.truncate(end);
    connection.edges.extend(
        rows.into_iter()
            .skip(start)
            .map(|row| Edge::new(ids::cursor(id_of(&row)), node(row))),
    );
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    fn page(window: Window) -> Result<(Vec<u128>, bool, bool), ApiError> {
        let connection = page_of(ids(10), window, 3, |id| *id, |id| id.as_u128() as i32)?;
        Ok((
            connection
                .edges
                .iter()
                .map(|edge| edge.node as u128)
                .collect(),
            connection.has_previous_page,
            connection.has_next_page,
        ))
    }

    #[test]
    fn a_window_pages_forwards_from_the_start_and_backwards_from_the_end() {
        assert_eq!(
            page(Window::default()).ok(),
            Some((vec![1, 2, 3], false, true))
        );
        let after = Window {
            first: Some(4),
            after: Some(ids::cursor(Uuid::from_u128(3))),
            ..Window::default()
        };
        assert_eq!(page(after).ok(), Some((vec![4, 5, 6, 7], true, true)));
        let last = Window {
            last: Some(2),
            ..Window::default()
        };
        assert_eq!(page(last).ok(), Some((vec![9, 10], true, false)));
        let before = Window {
            last: Some(5),
            before: Some(ids::cursor(Uuid::from_u128(4))),
            ..Window::default()
        };
        assert_eq!(page(before).ok(), Some((vec![1, 2, 3], false, true)));
        let only_before = Window {
            before: Some(ids::cursor(Uuid::from_u128(9))),
            ..Window::default()
        };
        assert_eq!(page(only_before).ok(), Some((vec![6, 7, 8], true, true)));
    }

    #[test]
    fn a_window_refuses_foreign_cursors_and_oversized_pages() {
        let foreign = Window {
            after: Some(ids::cursor(Uuid::from_u128(99))),
            ..Window::default()
        };
        assert!(
            matches!(page(foreign), Err(ApiError::Validation { field, .. }) if field == "after")
        );
        let huge = Window {
            first: Some(101),
            ..Window::default()
        };
        assert!(matches!(page(huge), Err(ApiError::LimitExceeded(_))));
        let both = Window {
            first: Some(1),
            last: Some(1),
            ..Window::default()
        };
        assert!(matches!(page(both), Err(ApiError::Validation { field, .. }) if field == "last"));
    }
}
