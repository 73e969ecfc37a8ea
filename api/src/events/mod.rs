//! Live plan updates (`docs/integrating.md`): the outbox relay, the in-process fan-out and the
//! subscriber streams.
//!
//! - **One read per commit per process.** A single relay task per process reads the
//!   outbox (`plan_events`) after each commit's wake-up (PostgreSQL `LISTEN`/`NOTIFY`,
//!   in-memory on SQLite) and hands each new event, once, to the in-memory queues of the
//!   subscribers it may reach, found by agency and then by plan. Subscribers never query
//!   the database per commit. All of it runs on the subscription pool, apart from the
//!   request pool the writers use; subscribers' own reads (reach loads, replays) share
//!   all but one of its connections, so the relay always has one.
//! - **Replay and live meet exactly.** A subscriber joins the hub under the lock the
//!   relay dispatches under, learning the last `seq` dispatched: everything after it
//!   arrives in its queue, everything up to it (and after the client's `after`) it reads
//!   from the outbox itself. Nothing is skipped and nothing is sent twice.
//! - **Reach, cached per agency and refreshed by the outbox.** Each agency with
//!   subscribers has one reach (is it active, its plans, its case teams' children),
//!   shared by all its subscribers. Every change to it writes an event in the same
//!   transaction (`PLAN_CREATED`, `PLAN_MEMBER_ADDED`, `PLAN_MEMBER_REMOVED`,
//!   `AGENCY_DEACTIVATED`, and the internal, never delivered `CASE_TEAM_CHANGED` for an
//!   involvement that starts or ends). When the relay reads such an event it reloads the
//!   reach of the agencies it names before it dispatches anything after it, so the
//!   reach used for an event is never older than the event (the freshness rule). A reach
//!   older than 60 s is reloaded as well, as a safety net for changes made outside the
//!   service. `policy::can_receive_event` is checked against it when the relay
//!   dispatches an event and again when the stream yields it; a subscriber the reach no
//!   longer allows (a plan left, the agency deactivated) is dropped and its stream ends.
//!   Token expiry ends the stream too (and closes the socket with 4403).
//! - **A slow consumer costs at most its queue.** Each subscriber's queue holds at most
//!   64 events (shared `Arc`s). One that falls further behind is dropped from the
//!   fan-out and replays what it missed from the outbox, a batch at a time, then joins
//!   again: it never holds up the relay or the others, and its client sees every event,
//!   in order, once.

mod hub;
mod reach;
mod relay;
mod stream;
#[cfg(test)]
mod tests;

pub use relay::{Relay, max_seq};
pub use stream::{Scope, subscribe};
