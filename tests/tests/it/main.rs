//! The one integration-test binary (one link step instead of one per file).

mod api_diff;
mod compat;
mod conformance;
mod constructors;
mod de_differential;
mod diagnostics;
mod freshness;
mod mocks;
mod models;
mod names;
mod real_specs;
mod secrets_oracle;
mod snapshots;
mod wire;

/// The size of a generated-input test: `minimum`, or more from the
/// environment variable `var` (`PROPTEST_CASES`, `MODEL_INSTANCES`) for
/// longer runs. A value below the minimum, or no number, fails the test: a
/// proof cannot be switched off from the environment.
pub(crate) fn size_from_env(var: &str, minimum: u32) -> u32 {
    match std::env::var(var) {
        Err(_) => minimum,
        Ok(text) => match text.trim().parse::<u32>() {
            Ok(size) if size >= minimum => size,
            _ => panic!("{var}={text:?} is refused: this test runs at least {minimum}"),
        },
    }
}
