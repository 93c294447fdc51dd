//! The client's own decode and encode paths against plain serde, side by
//! side in one run, on one page of 10,000 transactions (about 5 MB):
//! `Response::json::<TransactionsList>` (exact amounts, JSON paths of failing
//! fields) against `serde_json::from_slice` into `#[derive(Deserialize)]`
//! structs of the same shape (amounts as `f64`, dates as `String`), and
//! `serde_json::to_vec` of each. Run by `cargo xtask bench` (release build);
//! it prints figures, it does not pass or fail.

use std::time::{Duration, Instant};

use client_runtime::{Bytes, Response};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
struct MirrorPage {
    total: Option<f64>,
    transactions: Vec<MirrorTransaction>,
}

#[derive(Deserialize, Serialize)]
struct MirrorTransaction {
    active: bool,
    application_date: Option<String>,
    coming: bool,
    commission: Option<f64>,
    date: String,
    date_scraped: String,
    deleted: Option<String>,
    gross_value: Option<f64>,
    id: i64,
    id_account: i64,
    id_category: Option<i64>,
    last_update: Option<String>,
    nature: Option<String>,
    original_value: Option<f64>,
    original_wording: String,
    rdate: String,
    simplified_wording: String,
    state: String,
    stemmed_wording: String,
    value: Option<f64>,
    vdate: Option<String>,
    wording: Option<String>,
}

fn page(items: usize) -> Vec<u8> {
    let mut out = String::from(r#"{"transactions":["#);
    for i in 0..items {
        if i > 0 {
            out.push(',');
        }
        let cents = (i as i64 * 7919) % 1_000_000 - 500_000;
        out.push_str(&format!(
            r#"{{"active":true,"application_date":"2015-06-18","coming":false,"commission":null,"date":"2015-06-18","date_scraped":"2015-07-04 15:17:30","deleted":null,"gross_value":{v}.{c:02},"id":{i},"id_account":17,"id_category":9998,"last_update":"2015-07-04 15:17:30","nature":"card","original_value":null,"original_wording":"FACTURE CARTE DU 160615 CARREFOUR {i}","rdate":"2015-06-16","simplified_wording":"CARREFOUR","state":"parsed","stemmed_wording":"carrefour","value":{v}.{c:02},"vdate":"2015-06-18","wording":"Carrefour"}}"#,
            v = cents / 100,
            c = (cents % 100).abs(),
        ));
    }
    out.push_str(r#"],"total":10000}"#);
    out.into_bytes()
}

fn median(mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..15).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let body = page(10_000);
    let response = Response::new(200, Default::default(), Bytes::from(body.clone()));
    let client_page: powens::models::TransactionsList = response.json().expect("decodes");
    let mirror_page: MirrorPage = serde_json::from_slice(&body).expect("decodes");
    let decode_client = median(|| {
        let start = Instant::now();
        std::hint::black_box(response.json::<powens::models::TransactionsList>().unwrap());
        start.elapsed()
    });
    let decode_plain = median(|| {
        let start = Instant::now();
        std::hint::black_box(serde_json::from_slice::<MirrorPage>(&body).unwrap());
        start.elapsed()
    });
    let encode_client = median(|| {
        let start = Instant::now();
        std::hint::black_box(serde_json::to_vec(&client_page).unwrap());
        start.elapsed()
    });
    let encode_plain = median(|| {
        let start = Instant::now();
        std::hint::black_box(serde_json::to_vec(&mirror_page).unwrap());
        start.elapsed()
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("runtime, one page of 10,000 transactions ({:.1} MB), median of 15:", body.len() as f64 / 1e6);
    println!(
        "  decode: client {:.1} ms, plain serde {:.1} ms: {:.2}x",
        ms(decode_client),
        ms(decode_plain),
        ms(decode_client) / ms(decode_plain)
    );
    println!(
        "  encode: client {:.1} ms, plain serde {:.1} ms: {:.2}x",
        ms(encode_client),
        ms(encode_plain),
        ms(encode_client) / ms(encode_plain)
    );
}
