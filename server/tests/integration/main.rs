//! The server's integration tests, linked as one binary: each test file used to be its own
//! binary, and linking five copies of the whole app filled CI's disk (ld died of SIGBUS).

mod api;
mod common;
mod hardening;
mod page;
mod postgres;
mod query;
mod scenarios;
