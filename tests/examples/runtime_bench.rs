//! The client's own decode and encode paths against plain serde, side by
//! side in one run, on one page of 10,000 transactions (about 5 MB):
//! `Response::json::<TransactionsList>` (exact amounts, JSON paths of failing
//! fields) against `serde_json::from_slice` into `#[derive(Deserialize)]`
//! structs of the same shape, once with the client's own field types
//! (`Amount`, `Date`, `SqlDateTime`, the open enum: what the generated
//! code costs beyond serde's derive) and once with plain types (`f64`
//! amounts, `String` dates: what exactness and typed dates cost too), and
//! `serde_json::to_vec` of each. Run by `cargo xtask bench` (release build);
//! it prints figures, it does not pass or fail.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting allocations (for allocations per item).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by one run of `f`.
fn allocations(f: &mut dyn FnMut()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    f();
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

use client_runtime::{Amount, Bytes, Date, Response, SqlDateTime};
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

/// The same fields with the client's own field types, derived: what the
/// generated (de)serialization costs beyond serde's derive.
#[derive(Deserialize, Serialize)]
struct SameTypesPage {
    total: Option<f64>,
    transactions: Vec<SameTypesTransaction>,
}

#[derive(Deserialize, Serialize)]
struct SameTypesTransaction {
    active: bool,
    application_date: Option<Date>,
    coming: bool,
    commission: Option<Amount>,
    date: Date,
    date_scraped: SqlDateTime,
    deleted: Option<SqlDateTime>,
    gross_value: Option<Amount>,
    id: i64,
    id_account: i64,
    id_category: Option<i64>,
    last_update: Option<SqlDateTime>,
    nature: Option<powens::models::TransactionType>,
    original_value: Option<Amount>,
    original_wording: String,
    rdate: Date,
    simplified_wording: String,
    state: String,
    stemmed_wording: String,
    value: Option<Amount>,
    vdate: Option<Date>,
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

/// Milliseconds of one run of `f`.
fn once(f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64() * 1000.0
}

/// Runs the three in turn 31 times (so a busy moment of the machine falls
/// on all three alike); returns each one's median time and the medians of
/// the client's time over each baseline's, run by run.
fn compare(client: &mut dyn FnMut(), same: &mut dyn FnMut(), plain: &mut dyn FnMut()) -> [f64; 8] {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (mut c, mut s, mut p, mut cs, mut cp) = (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..31 {
        let (tc, ts, tp) = (once(client), once(same), once(plain));
        c.push(tc);
        s.push(ts);
        p.push(tp);
        cs.push(tc / ts);
        cp.push(tc / tp);
    }
    let per_item = |f: &mut dyn FnMut()| allocations(f) as f64 / 10_000.0;
    [median(c), median(s), median(p), median(cs), median(cp), per_item(client), per_item(same), per_item(plain)]
}

fn main() {
    let body = page(10_000);
    let response = Response::new(200, Default::default(), Bytes::from(body.clone()));
    let client_page: powens::models::TransactionsList = response.json().expect("decodes");
    let plain_page: MirrorPage = serde_json::from_slice(&body).expect("decodes");
    let same_page: SameTypesPage = serde_json::from_slice(&body).expect("decodes");
    let decode = compare(
        &mut || drop(std::hint::black_box(response.json::<powens::models::TransactionsList>().unwrap())),
        &mut || drop(std::hint::black_box(serde_json::from_slice::<SameTypesPage>(&body).unwrap())),
        &mut || drop(std::hint::black_box(serde_json::from_slice::<MirrorPage>(&body).unwrap())),
    );
    let encode = compare(
        &mut || drop(std::hint::black_box(serde_json::to_vec(&client_page).unwrap())),
        &mut || drop(std::hint::black_box(serde_json::to_vec(&same_page).unwrap())),
        &mut || drop(std::hint::black_box(serde_json::to_vec(&plain_page).unwrap())),
    );
    println!("runtime, one page of 10,000 transactions ({:.1} MB), medians of 31 alternating runs:", body.len() as f64 / 1e6);
    println!("  {:<8} {:>10} {:>26} {:>30}", "", "client", "derive, same field types", "derive, f64 amounts, String dates");
    for (what, [client, same, plain, over_same, over_plain, ..]) in [("decode", decode), ("encode", encode)] {
        println!("  {what:<8} {client:>7.1} ms {same:>12.1} ms ({over_same:.2}x) {plain:>17.1} ms ({over_plain:.2}x)");
    }
    for (what, [.., client, same, plain]) in [("decode", decode), ("encode", encode)] {
        println!("  {what:<8} allocations per item: client {client:.1}, same types {same:.1}, plain {plain:.1}");
    }
}
