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
mod dated;
mod docutils;
mod equivalence;
mod eras;
mod every_rule;
mod fix;
mod formats;
mod git;
mod git_layouts;
mod history_rules;
mod hostile_output;
mod init;
mod json_output;
mod json_schemas;
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
