//! The Relay `Node` interface and `node(id:)`.

use async_graphql::{Context, ID, Interface, Object};

use super::agency::Agency;
use super::child::{Child, Involvement};
use super::{caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global id."))]
pub enum Node {
    /// An agency.
    Agency(Agency),
    /// A child.
    Child(Child),
    /// An involvement.
    Involvement(Involvement),
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by global id; `null` when it does not exist or is not visible.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        let caller = caller(ctx)?;
        let db = db(ctx)?;
        let Some((kind, uuid)) = ids::decode(&id) else {
            return Ok(None);
        };
        Ok(match kind.as_str() {
            "Agency" => match domain::agencies::get(db, uuid).await {
                Ok(agency) => Some(Node::Agency(Agency(agency))),
                Err(crate::error::ApiError::NotFound) => None,
                Err(error) => return Err(error).gql(),
            },
            "Child" => domain::children::read_node(db, caller, uuid)
                .await
                .gql()?
                .map(|c| Node::Child(Child(c))),
            "Involvement" => domain::children::read_involvement(db, caller, uuid)
                .await
                .gql()?
                .map(|i| Node::Involvement(Involvement(i))),
            _ => None,
        })
    }
}
