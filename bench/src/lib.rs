//! Concord's benchmark: a synthetic partnership generator and a load runner (BENCHMARKS.md).

pub mod baseline;
pub mod client;
pub mod explain;
pub mod fake;
pub mod generate;
pub mod load;
pub mod ops;
pub mod partnership;
pub mod run;
pub mod settle;
pub mod subs;
pub mod tokens;
