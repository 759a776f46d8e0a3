//! The generator (`make gen`; `make check-gen` runs it with `--check`): writes every
//! file that restates the core's protocol tables for another language, so that each
//! fact (a header field, a command, an enum value, a status code and its text) is
//! written once, in `src/`.
//!
//! * `include/iggy_consensus.h`: cbindgen 0.29.4, used as a library, over `src/ffi/`,
//!   with the tables' section and layout assertions added (`c.rs`);
//! * `go/zconstants.go`, `go/zheaders.go`, `go/zcabi.go` (`go.rs`).
//!
//! It links the core without its C layer, so it runs even when a stale generated file
//! would keep the C layer from building. `--check` writes nothing, names each file that
//! differs from what it would write, and exits 1 if there is one.

mod c;
mod go;
mod names;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().skip(1).any(|arg| arg == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("gen/ lies in the repository");
    let files = [
        ("include/iggy_consensus.h", c::header(root)),
        ("go/zconstants.go", go::constants()),
        ("go/zheaders.go", go::headers()),
        ("go/zcabi.go", go::cabi()),
    ];
    let mut stale = 0;
    for (path, contents) in &files {
        let full = root.join(path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current == *contents {
            continue;
        }
        if check {
            eprintln!("{path} is stale: run 'make gen' and commit it");
            stale += 1;
        } else {
            std::fs::write(&full, contents).unwrap_or_else(|e| panic!("{path}: {e}"));
            println!("wrote {path}");
        }
    }
    if stale > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
