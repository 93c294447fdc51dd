//! The one integration-test binary (one link step instead of one per file).

mod api_diff;
mod compat;
mod conformance;
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
