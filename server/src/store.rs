//! The store lives in `app::ssr::store` (server functions of the saved-scenario pages need it
//! too); the server re-exports it.

pub use app::ssr::store::*;
