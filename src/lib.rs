//! milepost keeps a team's weekly status reports honest: it checks each
//! report against a schema, and (in later layers) follows items from week to
//! week, holds milestones against them and reads git for when reports were
//! really published.
//!
//! The library never prints and never knows about the command line: the
//! binary parses arguments, calls [`check::run`], and renders the outcome
//! with [`render`].

#![forbid(unsafe_code)]

pub mod baseline;
pub mod boundary;
pub mod cadence;
pub mod changelog;
pub mod check;
pub mod config;
pub mod dated;
pub mod dates;
pub mod diagnostic;
pub mod error;
pub mod fix;
pub mod git;
pub mod hash;
pub mod init;
pub mod memory;
pub mod milestones;
pub mod provenance;
pub mod registry;
pub mod render;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod sealed;
pub mod source;
pub mod staffing;
pub mod suppress;
pub mod temp_files;
pub mod text;
pub mod tracking;
pub mod workspace;
pub mod yaml;
pub mod yaml_pos;
