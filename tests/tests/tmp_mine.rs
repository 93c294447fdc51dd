// TEMPORARY (removed before hand-off): runs snapshots + diagnostics while
// other modules of tests/it are being written.
#[path = "it/diagnostics.rs"]
mod diagnostics;
#[path = "it/snapshots.rs"]
mod snapshots;
