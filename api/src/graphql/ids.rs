//! Opaque global ids (Relay): base64 of `Type:uuid`.

use async_graphql::ID;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// The global id of a row of type `kind`.
pub fn encode(kind: &str, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// The type and row id of a global id, if it is one.
pub fn decode(id: &ID) -> Option<(String, Uuid)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(id.as_str()).ok()?).ok()?;
    let (kind, uuid) = raw.split_once(':')?;
    Some((kind.to_owned(), Uuid::parse_str(uuid).ok()?))
}

/// The row id of a global id that must be of type `kind`, for input field `field`.
pub fn decode_as(id: &ID, kind: &str, field: &str) -> ApiResult<Uuid> {
    match decode(id) {
        Some((found, uuid)) if found == kind => Ok(uuid),
        _ => Err(ApiError::validation(field, format!("is not a {kind} id"))),
    }
}

/// The global id of something named by two ids (a deadline and its child).
pub fn encode_pair(kind: &str, id: Uuid, parent: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}:{parent}")))
}

/// The two ids inside a global id made by [`encode_pair`] of type `kind`.
pub fn decode_pair(id: &ID, kind: &str, field: &str) -> ApiResult<(Uuid, Uuid)> {
    let invalid = || ApiError::validation(field, format!("is not a {kind} id"));
    let raw = URL_SAFE_NO_PAD
        .decode(id.as_str())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid)?;
    let mut parts = raw.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(k), Some(a), Some(b)) if k == kind => Ok((
            Uuid::parse_str(a).map_err(|_| invalid())?,
            Uuid::parse_str(b).map_err(|_| invalid())?,
        )),
        _ => Err(invalid()),
    }
}

/// An opaque list cursor for a row id.
pub fn cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

/// The row id inside a cursor, for argument `after`.
pub fn decode_cursor(cursor: &str) -> ApiResult<Uuid> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| Uuid::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::validation("after", "is not a cursor of this list"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_type() {
        let id = Uuid::now_v7();
        let global = encode("Child", id);
        assert_eq!(decode(&global), Some(("Child".into(), id)));
        assert!(decode_as(&global, "Child", "childId").is_ok());
        assert!(decode_as(&global, "Agency", "agencyId").is_err());
        assert!(decode(&ID("not-an-id".into())).is_none());
        assert_eq!(decode_cursor(&cursor(id)).ok(), Some(id));
    }
}
