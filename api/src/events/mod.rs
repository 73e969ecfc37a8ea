//! Live plan updates (DESIGN §6.3): the outbox relay and the subscriber streams.
//!
//! Subscribers never receive pushed payloads. The relay only tracks the newest committed
//! `seq` (a `watch` channel holds just that one number); each subscriber remembers the
//! last `seq` it delivered and reads what follows from the outbox, a bounded batch at a
//! time, checking the policy for every event at delivery. So replay and live are one
//! code path (no gap, no duplicate at the seam), and a slow subscriber simply reads
//! from further back in the table rather than holding memory.

mod relay;
mod stream;

pub use relay::{Relay, max_seq};
pub use stream::{Scope, subscribe};
