//! Units of memory the engine and the catalog share.

/// Bytes in a GB as shown to users (10^9, not GiB).
pub const GB: f64 = 1e9;
/// Bytes in a GiB, for comparing with file sizes that publishers quote in GiB.
pub const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
