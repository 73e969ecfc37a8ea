//! Black-box tests: a real server on port 0, a fresh database, real tokens, HTTP and
//! WebSocket clients. One binary for the whole suite.

mod abuse;
mod agencies;
mod agency_lifecycle;
mod analyst;
mod audit_log;
mod auth;
mod backbone;
mod behaviours;
mod children;
mod chronology;
mod cli;
mod concurrency;
mod consultations;
mod deadlines;
mod fanout;
mod fixture;
mod grants;
mod helpers;
mod http;
mod instances;
mod limits;
mod plans;
mod referrals;
mod replica;
mod report;
mod response_shapes;
mod scenario;
mod security;
mod sensitivity;
mod subscriptions;
mod tokens;
mod transport;
mod websocket;
mod ws_client;
mod ws_protocol;
