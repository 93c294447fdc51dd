//! A client for the Notes API of `api.yaml`, generated at build time (see
//! build.rs).

include!(concat!(env!("OUT_DIR"), "/generated.rs"));

pub use client_runtime::{ApiError, Error, RetryPolicy, Secret};
pub use generated::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_types_and_client_are_there() {
        let note: models::Note = serde_json::from_str(r#"{"id": 7, "text": "milk", "tags": ["shopping"]}"#).unwrap();
        assert_eq!((note.id, note.text.as_str()), (7, "milk"));
        let body = models::NewNote::new("eggs".to_string());
        assert_eq!(serde_json::to_value(&body).unwrap(), serde_json::json!({"text": "eggs"}));
        let client = Client::new(DEFAULT_SERVER_URL).unwrap();
        let _request = client.list_notes().limit(10);
    }
}
