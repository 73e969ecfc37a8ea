//! Timescales (`docs/product.md`): the working-day calendar, the policy file, and the
//! deadlines derived from a child's chronology and plans; and the assessment frameworks
//! the policy file also holds.

pub mod calendar;
pub mod dates;
pub mod deadlines;
pub mod frameworks;
pub mod policy_file;
