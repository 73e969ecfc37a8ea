//! Concord's service library: configuration, identity, the access policy, the rules of
//! the procedure, the GraphQL schema and the HTTP server.
//!
//! Data flows one way: `http` → `graphql` → `domain` → (`policy`, `entity`).

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod policy;
pub mod telemetry;
pub mod timescales;
