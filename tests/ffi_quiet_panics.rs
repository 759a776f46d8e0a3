//! `iggy_quiet_panics`: the panic hook it installs drops the messages of panics raised
//! inside the library and passes every other panic to the hook installed before. A
//! test binary of its own, since the hook is process-wide.
#![cfg(feature = "test-hooks")]

use iggy_consensus::ffi::{iggy_quiet_panics, iggy_test_panic};
use iggy_consensus::status::Status;
use std::panic::catch_unwind;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Panics that reached the hook installed before `iggy_quiet_panics`.
static FORWARDED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn the_library_s_panics_are_dropped_and_others_forwarded() {
    std::panic::set_hook(Box::new(|_| {
        FORWARDED.fetch_add(1, Ordering::SeqCst);
    }));
    for round in 0..2 {
        // The second round: calling it again changes nothing.
        iggy_quiet_panics();
        let before = FORWARDED.load(Ordering::SeqCst);
        assert_eq!(iggy_test_panic(), Status::PANIC.0);
        assert_eq!(
            FORWARDED.load(Ordering::SeqCst),
            before,
            "round {round}: a panic inside the library reached the previous hook"
        );
        assert!(catch_unwind(|| panic!("a panic of the test, not the library")).is_err());
        assert_eq!(
            FORWARDED.load(Ordering::SeqCst),
            before + 1,
            "round {round}: a panic outside the library did not reach the previous hook"
        );
    }
}
