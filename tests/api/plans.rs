//! Joint plans and their actions (DESIGN §3, §5.2, §6.2), by subject. The plans are built
//! with [`crate::helpers::plans`].

mod actions;
mod drafting;
mod lifecycle;
mod members;
mod reviews;
mod visibility;
