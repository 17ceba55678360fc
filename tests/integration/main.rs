//! All integration tests build into this one binary (`autotests = false`),
//! which keeps link time down.

mod bad_input;
mod cli_cases;
mod config;
mod docutils;
mod equivalence;
mod formats;
mod git;
mod history_rules;
mod hostile_output;
mod json_output;
mod milestones;
mod precommit;
mod robustness;
mod staffing;
mod support;
mod suppression;
