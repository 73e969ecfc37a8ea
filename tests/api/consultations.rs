//! The consultation rule (`docs/product.md`): actions with implications for the other sector
//! wait for it to agree, or for the lead coordinator to override with a reason. By subject;
//! the plans and consultations are built with [`crate::helpers::plans`].

mod listing;
mod opening;
mod refusals;
mod settling;
