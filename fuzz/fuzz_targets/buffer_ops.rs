//! The input as a sequence of buffer operations through the C ABI, checked against a
//! model after every step, with a counting allocator proving that everything is freed
//! (checks in `src/buffer_model.rs`).

#![no_main]

iggy_consensus_fuzz::model_target!(iggy_consensus_fuzz::buffer_model::check);
