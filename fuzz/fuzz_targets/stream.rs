//! Arbitrary bytes as a stream cut into arbitrary chunks through the frame reader (Rust
//! `feed`, `buffer`/`commit`, the C layer), and a script through the frame writer, each
//! against a plain model (checks in `src/stream_check.rs`).

#![no_main]

iggy_consensus_fuzz::model_target!(iggy_consensus_fuzz::stream_check::check);
