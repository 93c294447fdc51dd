//! Test support crate: the generated code of every fixture spec lives in
//! `fixtures/` (written by `cargo xtask codegen`) so that it all compiles
//! in one crate; the tests themselves are in `tests/it/`.

#[rustfmt::skip]
pub mod fixtures;
