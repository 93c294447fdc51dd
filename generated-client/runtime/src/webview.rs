//! Building webview URLs and reading the callback they redirect to.

use serde::de::DeserializeOwned;

use crate::encoding::query_string;
use crate::Error;

/// The URL of a webview page: `base_url` + `path` + the encoded `query`.
///
/// A trailing slash on `base_url` and a leading slash on `path` are merged,
/// and query names and values are percent-encoded (so a `redirect_uri` value
/// keeps its own query intact).
pub fn url(base_url: &str, path: &str, query: &[(&str, String)]) -> String {
    let mut out = base_url.trim_end_matches('/').to_owned();
    let path = path.trim_start_matches('/');
    if !path.is_empty() {
        out.push('/');
        out.push_str(path);
    }
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query_string(
            query.iter().map(|(name, value)| (*name, value.as_str())),
        ));
    }
    out
}

/// Decodes the query of the callback URL a webview redirected to.
///
/// `query` may be the query string (with or without its `?`) or the full
/// URL. With an `error` key it decodes `E` and returns `Ok(Err(e))`;
/// otherwise it decodes `T`. A failure is [`Error::Decode`] with status 0 and
/// an empty `body`: the query holds one-time codes that must not end up in
/// logs.
pub fn parse_callback<T, E>(query: &str) -> Result<Result<T, E>, Error>
where
    T: DeserializeOwned,
    E: DeserializeOwned,
{
    let query = query.split_once('?').map_or(query, |(_, rest)| rest);
    let query = query.split_once('#').map_or(query, |(before, _)| before);
    if form_urlencoded::parse(query.as_bytes()).any(|(name, _)| name == "error") {
        decode(query).map(Err)
    } else {
        decode(query).map(Ok)
    }
}

/// The query's pairs as `T`, a failure naming the failing field (never its
/// value: the query holds one-time codes).
fn decode<T: DeserializeOwned>(query: &str) -> Result<T, Error> {
    let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(pairs).map_err(|error| {
        let path = error.path().to_string();
        Error::Decode { operation: None, status: 0, path, message: error.into_inner().to_string(), body: String::new() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Success {
        code: String,
        connection_id: Option<i64>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Failure {
        error: String,
        error_description: Option<String>,
    }

    #[test]
    fn url_joins_and_encodes() {
        let query = [
            ("client_id", "123".to_owned()),
            ("redirect_uri", "https://app.test/cb?x=1&y=2".to_owned()),
            ("connector_capabilities", "bank,transfer".to_owned()),
        ];
        let expected = "https://demo.biapi.pro/2.0/auth/webview/connect?client_id=123\
            &redirect_uri=https%3A%2F%2Fapp.test%2Fcb%3Fx%3D1%26y%3D2\
            &connector_capabilities=bank,transfer";
        assert_eq!(
            url(
                "https://demo.biapi.pro/2.0/",
                "/auth/webview/connect",
                &query
            ),
            expected
        );
        assert_eq!(
            url("https://demo.biapi.pro/2.0", "auth/webview/connect", &query),
            expected
        );
        assert_eq!(url("https://x.test/", "", &[]), "https://x.test");
    }

    #[test]
    fn callback_success_in_every_form() {
        let expected = Success {
            code: "a b/c".to_owned(),
            connection_id: Some(7),
        };
        for input in [
            "code=a+b%2Fc&connection_id=7",
            "?code=a+b%2Fc&connection_id=7",
            "https://app.test/cb?code=a+b%2Fc&connection_id=7#frag",
        ] {
            let parsed = parse_callback::<Success, Failure>(input).unwrap();
            assert_eq!(parsed, Ok(expected.clone()), "{input}");
        }
    }

    #[test]
    fn callback_error() {
        let parsed =
            parse_callback::<Success, Failure>("?error=access_denied&error_description=No")
                .unwrap();
        assert_eq!(
            parsed,
            Err(Failure {
                error: "access_denied".to_owned(),
                error_description: Some("No".to_owned()),
            })
        );
    }

    #[test]
    fn undecodable_callback_hides_the_code() {
        let error = parse_callback::<Success, Failure>("?code=one_time_code_123&connection_id=x")
            .unwrap_err();
        assert!(matches!(&error, Error::Decode { status: 0, path, .. } if path == "connection_id"), "{error:?}");
        let text = format!("{error} {error:?}");
        assert!(!text.contains("one_time_code_123"), "{text}");
        assert!(text.starts_with("cannot decode at `connection_id`: "), "{text}");
        assert!(parse_callback::<Success, Failure>("").is_err());
    }
}
