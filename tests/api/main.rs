//! Black-box tests: a real server on port 0, a fresh database, real tokens, HTTP and
//! WebSocket clients. One binary for the whole suite.

mod agencies;
mod analyst;
mod audit_log;
mod auth;
mod behaviours;
mod children;
mod chronology;
mod cli;
mod consultations;
mod deadlines;
mod fixture;
mod grants;
mod helpers;
mod http;
mod instances;
mod plans;
mod referrals;
mod report;
mod scenario;
mod sensitivity;
mod subscriptions;
mod transport;
mod websocket;
mod ws_client;
