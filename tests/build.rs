//! Lists every model of the generated Powens and finAPI crates, so the
//! schema-driven tests (`tests/it/models.rs`) can decode a JSON instance
//! into the model a schema names: `$OUT_DIR/models.rs` holds one function
//! per crate, `fn <crate>_model(name) -> Option<Option<Check>>` (`Some(None)`:
//! a model without serde impls, a multipart body), built from the
//! `pub use` lines of the generated `models/mod.rs` (so a new model is
//! covered without a hand edit). A module's first name is its schema's
//! model; a second is the struct of its required fields (`<Model>Required`,
//! no serde: it is never on the wire).

use std::fmt::Write;

fn main() {
    let mut out = String::new();
    for krate in ["powens", "finapi"] {
        let path = format!("../generated-client/{krate}/src/generated/models/mod.rs");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        writeln!(out, "pub fn {krate}_model(name: &str) -> Option<Option<Check>> {{").unwrap();
        writeln!(out, "    Some(match name {{").unwrap();
        let mut modules = std::collections::BTreeSet::new();
        for line in text.lines() {
            let Some(name) = line.strip_prefix("pub use self::").and_then(|rest| rest.strip_suffix(';')) else { continue };
            let (module, name) = name.split_once("::").unwrap();
            if !modules.insert(module) {
                continue;
            }
            // models of multipart bodies only (file parts) have no serde impls
            let file = format!("../generated-client/{krate}/src/generated/models/{module}.rs");
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
            if text.contains("Deserialize") || text.contains("pub type ") {
                writeln!(out, "        {name:?} => Some(check::<{krate}::models::{name}>),").unwrap();
            } else {
                writeln!(out, "        {name:?} => None,").unwrap();
            }
        }
        writeln!(out, "        _ => return None,\n    }})\n}}").unwrap();
    }
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("models.rs");
    std::fs::write(dest, out).unwrap();
}
