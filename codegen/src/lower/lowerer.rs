//! The state of lowering one spec, which the stages of `lower` (its
//! components, schemas and operations) share: a module of its own below
//! them, so that none of them imports the module that drives them.

use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use crate::names;
use openapiv3::OpenAPI;
use std::collections::BTreeMap;

pub struct Lowerer<'a> {
    pub(super) spec: &'a OpenAPI,
    /// Component schema wire name -> Rust type name, registered up front.
    pub(super) component_names: BTreeMap<String, String>,
    pub(super) model_scope: names::Scope,
    pub(super) models: BTreeMap<String, Model>,
    pub(super) diags: Vec<Diagnostic>,
    /// The inline models being lowered one inside another: where each
    /// starts and the components it takes in through `allOf` (an inline
    /// `allOf` that takes in its own parent would nest without end).
    pub(super) inline_stack: Vec<(String, Vec<String>)>,
    /// Inline models made so far, and how many may be made.
    pub(super) inline_models: usize,
    pub(super) inline_budget: usize,
    /// The inline enums so far, by their values: the name and place of the
    /// first (the same enum written twice becomes two Rust types).
    pub(super) inline_enums: BTreeMap<Vec<String>, (String, String)>,
}
