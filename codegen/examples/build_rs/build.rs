//! Generates the client from api.yaml into OUT_DIR at each build where the
//! spec changed.

use std::path::Path;

fn main() {
    let spec = "api.yaml";
    println!("cargo:rerun-if-changed={spec}");
    let text = std::fs::read_to_string(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let options = codegen::Options { spec_label: spec.to_string() };
    let generated = codegen::generate(&text, &options).unwrap_or_else(|errors| {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{spec} does not generate:\n{}", errors.join("\n"))
    });
    for warning in &generated.warnings {
        println!("cargo:warning={warning}");
    }
    // a tree of files (mod.rs, models/mod.rs, ...) under OUT_DIR/generated
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("generated");
    let _ = std::fs::remove_dir_all(&out);
    for (path, source) in &generated.files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, source).unwrap();
    }
    // `#[path]` takes a literal, not `concat!(env!("OUT_DIR"), ..)`: the
    // module's declaration goes in a file of its own, that lib.rs includes
    let module = format!("#[path = {:?}]\nmod generated;\n", out.join("mod.rs").display().to_string());
    std::fs::write(out.with_file_name("generated.rs"), module).unwrap();
}
