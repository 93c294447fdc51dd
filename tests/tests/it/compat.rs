//! The README's promise that adding an optional parameter to the spec does
//! not break callers: every operation of the Powens spec gets a new optional
//! query parameter, and every public function signature of the crate
//! generated before is still there, word for word, in the crate generated
//! after (the new parameter only adds setters).

use std::collections::BTreeSet;

/// Every `pub fn` signature of the generated files, whitespace collapsed,
/// with the `impl` it is in (not the file: a tag that grows is split into
/// a file per operation, which moves no public path).
fn signatures(files: &std::collections::BTreeMap<String, String>) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for text in files.values() {
        let mut current: Option<String> = None;
        let mut owner = String::new();
        for line in text.lines() {
            if line.starts_with("impl") {
                owner = line.trim_end_matches('{').trim().to_owned();
            }
            let line = line.trim();
            if current.is_none() && line.starts_with("pub fn ") {
                current = Some(String::new());
            }
            if let Some(signature) = &mut current {
                signature.push_str(line);
                signature.push(' ');
                if line.ends_with('{') || line.ends_with(';') {
                    let collapsed = signature.split_whitespace().collect::<Vec<_>>().join(" ");
                    found.insert((owner.clone(), collapsed));
                    current = None;
                }
            }
        }
    }
    found
}

#[test]
fn a_new_optional_parameter_changes_no_existing_signature() {
    let text = std::fs::read_to_string(xtask::root().join("spec/powens.yaml")).unwrap();
    let mut spec: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let mut added = 0;
    for item in spec["paths"].as_object_mut().unwrap().values_mut() {
        for (method, operation) in item.as_object_mut().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let parameters = operation.as_object_mut().unwrap().entry("parameters").or_insert(serde_json::json!([]));
            parameters.as_array_mut().unwrap().push(serde_json::json!({
                "name": "brand_new_filter", "in": "query", "required": false,
                "description": "A filter added by a later version of the docs.",
                "schema": {"type": "string"}
            }));
            added += 1;
        }
    }
    assert!(added > 150, "{added} operations");
    let options = codegen::Options { spec_label: "spec/powens.yaml".into() };
    let before = codegen::generate(&text, &options).unwrap().files;
    let after = codegen::generate(&serde_json::to_string(&spec).unwrap(), &options).unwrap().files;
    let setters: usize = after.values().map(|text| text.matches("pub fn brand_new_filter(").count()).sum();
    assert_eq!(setters, added, "one setter per operation");
    let (before, after) = (signatures(&before), signatures(&after));
    assert!(before.len() > 1000, "{} signatures", before.len());
    let broken: Vec<_> = before.difference(&after).collect();
    assert!(broken.is_empty(), "{} signatures changed, e.g. {:#?}", broken.len(), &broken[..broken.len().min(5)]);
}
