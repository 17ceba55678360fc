//! milepost's benchmarks (`benches/`, run with `cargo bench` at the
//! workspace root) and what they share: the report corpus, the git
//! repository built from it, and the timing of whole processes with goals
//! judged on paired ratios.
//!
//! A crate of its own, a dev-only member of the workspace, so that 1,100
//! lines of word lists and templates are never compiled into the product,
//! and so that `cargo bench` leaves the product binary as a release build
//! makes it (see [`measure::milepost_binary`]).

pub mod corpus;
pub mod measure;
pub mod repo;
