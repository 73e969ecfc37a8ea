//! Joint plans and their actions (`docs/product.md`, `docs/access.md`, `docs/integrating.md`), by subject. The plans are built
//! with [`crate::helpers::plans`].

mod actions;
mod drafting;
mod lifecycle;
mod members;
mod reviews;
mod visibility;
