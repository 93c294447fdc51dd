//! Compile test of the name rules: glob imports of every public module of
//! the generated crates, next to the crate root's, change nothing of what
//! `Client`, `ClientBuilder`, `Error`, `Result`, `Amount`, `Date` or
//! `Secret` mean (a model named `Client` or `Error` would make them
//! ambiguous, one named `Result` would shadow the prelude's: this would not
//! compile).

#![allow(unused_imports)]

mod powens_globs {
    use powens::mock::*;
    use powens::models::*;
    use powens::operations::*;
    use powens::webhooks::*;
    use powens::webview::*;
    use powens::*;

    pub fn root_names(base_url: &str) -> Result<Client, Error> {
        let builder: ClientBuilder = Client::builder(base_url).bearer_token(Secret::new("t"));
        let _amount: Amount = Amount::default();
        let _date: Option<Date> = None;
        let _models: (Option<ClientModel>, Option<ErrorModel>) = (None, None);
        let _mock: Option<MockServer> = None;
        builder.build()
    }
}

mod finapi_globs {
    use finapi::models::*;
    use finapi::operations::*;
    use finapi::*;

    pub fn root_names(base_url: &str) -> Result<Client, Error> {
        Client::builder(base_url).build()
    }
}

#[test]
fn glob_imports_leave_the_root_names_alone() {
    assert!(powens_globs::root_names("http://127.0.0.1:1").is_ok());
    assert!(finapi_globs::root_names("not a url").is_err());
}
