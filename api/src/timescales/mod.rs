//! Timescales (`docs/product.md`): the working-day calendar, the policy file, and the
//! deadlines derived from a child's chronology and plans.

pub mod calendar;
pub mod dates;
pub mod deadlines;
pub mod policy_file;
