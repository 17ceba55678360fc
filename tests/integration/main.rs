//! All integration tests build into this one binary (`autotests = false`),
//! which keeps link time down.

mod bad_input;
mod browser;
mod changelog;
mod cli_cases;
mod cli_output;
mod cli_ship;
mod cli_tables;
mod config;
mod confinement;
mod dashboard;
mod docutils;
mod equivalence;
mod every_rule;
mod fix;
mod formats;
mod git;
mod git_layouts;
mod history_rules;
mod hostile_output;
mod json_output;
mod milestone_matching;
mod milestones;
mod new_report;
mod precommit;
mod readme;
mod robustness;
mod scope;
mod staffing;
mod staged;
mod support;
mod suppression;
mod tracking_eval;
mod tracking_rules;
