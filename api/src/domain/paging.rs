//! Keyset paging, written once for every list: a page is the rows after a cursor (the
//! last row's id) in id order, one more row read to know whether more follow.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// The largest page a client may ask for.
pub const MAX_PAGE: u64 = 100;

/// Which page a client asked for.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    /// How many rows.
    pub first: u64,
    /// The id of the last row of the previous page.
    pub after: Option<Uuid>,
    /// Whether to count the whole list (only when the client asked for `totalCount`).
    pub count_total: bool,
}

impl PageRequest {
    /// A request for `first` rows after `after`; over [`MAX_PAGE`] is `LIMIT_EXCEEDED`.
    pub fn new(first: u64, after: Option<Uuid>) -> ApiResult<Self> {
        if first > MAX_PAGE {
            return Err(ApiError::LimitExceeded(format!(
                "first must be at most {MAX_PAGE}"
            )));
        }
        Ok(Self {
            first,
            after,
            count_total: true,
        })
    }

    /// The same request, counting the whole list only when `count_total`.
    pub fn counting(self, count_total: bool) -> Self {
        Self {
            count_total,
            ..self
        }
    }
}

/// One page of a list, in id (creation) order.
#[derive(Debug)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Whether rows follow.
    pub has_next: bool,
    /// How many rows the whole list has (0 when the request did not ask).
    pub total: u64,
}

/// Reads one page of `query` keyed on `id_column`, with the list's total when asked.
pub async fn fetch<E, C>(
    db: &C,
    query: Select<E>,
    id_column: E::Column,
    request: PageRequest,
) -> ApiResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    fetch_narrowed(db, query.clone(), query, id_column, request).await
}

/// [`fetch`], reading the page's rows from `rows`: the same list as `query`, narrowed
/// to what this page can hold (so that the database need not walk the whole list), while
/// the total still counts `query`.
pub async fn fetch_narrowed<E, C>(
    db: &C,
    query: Select<E>,
    rows: Select<E>,
    id_column: E::Column,
    request: PageRequest,
) -> ApiResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    let total = if request.count_total {
        query.count(db).await?
    } else {
        0
    };
    let mut query = rows;
    if let Some(after) = request.after {
        query = query.filter(id_column.gt(after));
    }
    let mut items = query
        .order_by_asc(id_column)
        .limit(request.first + 1)
        .all(db)
        .await?;
    let has_next = items.len() as u64 > request.first;
    items.truncate(usize::try_from(request.first).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next,
        total,
    })
}
