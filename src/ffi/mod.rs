//! The C ABI (`docs/c-api.md`): a thin, uniform shell over the core.
//!
//! Every export checks its arguments (NULL, empty handles, ranges, aliasing, in that
//! order), converts C handles to Rust values in one place (`handle.rs`), calls the
//! core, and converts back. Every export runs inside the panic boundary
//! (`panic.rs`). No protocol or buffer logic lives here.
//!
//! Conventions (stated once; each function documents only what is its own):
//! * fallible functions return an [`iggy_status`]; `IGGY_OK` is 0;
//! * out-parameters are written only on `IGGY_OK`; on error every argument is left as
//!   it was (validation details are the documented exception);
//! * a consumed or released handle is zeroed, so releasing it again is a no-op;
//! * allocation failure is `IGGY_ERR_OUT_OF_MEMORY`, never an abort.

#![allow(non_camel_case_types)] // C names

mod batch;
mod buf;
mod frozen;
mod handle;
mod names;
mod panic;
mod prefix;
mod reader;
mod status;
mod u128;
mod validate;
mod version;
mod writer;

pub use batch::*;
pub use buf::*;
pub use frozen::*;
pub use handle::{
    HandleWord, IGGY_HANDLE_DATA_WORD, IGGY_HANDLE_LEN_WORD, IGGY_READER_WORDS, IGGY_WRITER_WORDS,
    iggy_buf, iggy_frozen, iggy_prefix, iggy_reader, iggy_writer,
};
pub use names::*;
pub use panic::iggy_quiet_panics;
pub use prefix::*;
pub use reader::*;
pub use status::*;
pub use u128::iggy_u128;
pub use validate::*;
pub use version::*;
pub use writer::*;
