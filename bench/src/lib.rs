//! Concord's benchmark: a synthetic partnership generator and a load runner (BENCHMARKS.md).

pub mod fake;
pub mod generate;
pub mod partnership;
