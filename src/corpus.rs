//! Placeholder until the corpus generator lands.
