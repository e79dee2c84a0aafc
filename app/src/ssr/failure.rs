//! Failures on our side (500s): the cause goes to the server's log under a reference, the
//! answer says only that something failed and quotes the reference. The reference is the
//! request's id (`x-request-id`) when the server's request layer set one for this task, so the
//! log line, the response header and what the user quotes are the same string.

use std::future::Future;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `f` with `id` as the request id its failures are logged under.
pub async fn with_request_id<F: Future>(id: String, f: F) -> F::Output {
    REQUEST_ID.scope(id, f).await
}

/// A fresh request id: 48 random bits, hex.
pub fn new_request_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// Writes `cause` to the log and returns the reference to quote: the request's id, or a fresh
/// one where no request layer set it (work spawned off the request's task).
pub fn logged(kind: &str, cause: &dyn std::fmt::Display) -> String {
    let reference = REQUEST_ID
        .try_with(|id| id.clone())
        .unwrap_or_else(|_| new_request_id());
    tracing::error!(reference = %reference, kind, %cause, "failure on our side");
    reference
}

/// The message a store error shows: its own text for the user's mistakes; for a failure of
/// the database, a logged cause and the reference.
pub fn store_message(e: &store::StoreError) -> String {
    match e.cause() {
        Some(cause) => format!("{e} (reference {})", logged("store", &cause)),
        None => e.to_string(),
    }
}
