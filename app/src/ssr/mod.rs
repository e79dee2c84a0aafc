//! Server-only code: the query string as a scenario, the plan as page data, charts, and the
//! catalog and article pages' data. Compiled with the `ssr` feature only.

pub mod article;
pub mod bottom_line;
pub mod build;
pub mod catalog_view;
pub mod charts;
pub mod csp;
pub mod failure;
pub mod query;
pub mod saved;
pub mod saved_cookie;
pub mod work;
