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

use client_runtime::{Bytes, Response};

// every field of `powens::models::Transaction`, in order, with its type
// (`SameTypes…`) or a plain one (`Mirror…`), unset optional fields left
// out of the JSON as generated code does: generated from the model
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
struct MirrorPage {
    total: Option<f64>,
    transactions: Vec<MirrorTransaction>,
}

/// The same fields with the client's own field types, derived: what the
/// generated (de)serialization costs beyond serde's derive.
#[derive(Deserialize, Serialize)]
struct SameTypesPage {
    total: Option<i64>,
    transactions: Vec<SameTypesTransaction>,
}

// `MirrorTransaction`, `SameTypesTransaction` and `same_types`, generated
// from the model's source by tests/build.rs
include!(concat!(env!("OUT_DIR"), "/transaction_mirrors.rs"));
// the model's fields were found (not an empty struct from a misread file)
const _: () = assert!(MIRRORED_FIELDS > 30);

/// The mirrors against the client: a page decoded by each encodes to the
/// client's own JSON through the same-types mirror, and every field of the
/// model is mirrored (the model moves into the mirror field by field).
fn check_mirrors() {
    let body = page(3);
    let client: powens::models::TransactionsList = Response::new(200, Default::default(), Bytes::from(body.clone())).json().unwrap();
    let same: SameTypesPage = serde_json::from_slice(&body).unwrap();
    let plain: MirrorPage = serde_json::from_slice(&body).unwrap();
    assert_eq!(serde_json::to_string(&same).unwrap(), serde_json::to_string(&client).unwrap());
    assert_eq!(plain.transactions.len(), client.transactions.len());
    let moved = client.transactions.into_iter().map(same_types).count();
    assert_eq!(moved, 3);
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

/// Milliseconds of one run of `f`, after one run not timed: what a run
/// costs depends on what ran before it (the allocator hands the memory the
/// previous run freed back to the system, and the next run faults it in
/// again), so each timed run follows a run of its own kind.
fn once(f: &mut dyn FnMut()) -> f64 {
    f();
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
        let tp = once(plain);
        let ts = once(same);
        let tc = once(client);
        c.push(tc);
        s.push(ts);
        p.push(tp);
        cs.push(tc / ts);
        cp.push(tc / tp);
    }
    let per_item = |f: &mut dyn FnMut()| allocations(f) as f64 / 10_000.0;
    [median(c), median(s), median(p), median(cs), median(cp), per_item(client), per_item(same), per_item(plain)]
}

/// `cargo test -p tests --example runtime_bench` (which `cargo xtask
/// spec-check` runs): the mirrors are checked without running the bench.
#[test]
fn the_mirrors_match_the_generated_model() {
    check_mirrors();
}

fn main() {
    check_mirrors();
    // `runtime_bench decode-client|decode-same|decode-plain|encode-client|encode-plain N`:
    // only that, N times on a
    // page of 1,000 (for callgrind's instruction counts)
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [what, times] = args.as_slice() {
        let body = page(1_000);
        let response = Response::new(200, Default::default(), Bytes::from(body.clone()));
        let client_page: powens::models::TransactionsList = response.json().unwrap();
        let plain_page: MirrorPage = serde_json::from_slice(&body).unwrap();
        for _ in 0..times.parse::<usize>().unwrap_or(1) {
            match what.as_str() {
                "encode-client" => drop(std::hint::black_box(serde_json::to_vec(&client_page).unwrap())),
                "encode-plain" => drop(std::hint::black_box(serde_json::to_vec(&plain_page).unwrap())),
                "decode-client" => drop(std::hint::black_box(response.json::<powens::models::TransactionsList>().unwrap())),
                "decode-same" => drop(std::hint::black_box(serde_json::from_slice::<SameTypesPage>(&body).unwrap())),
                _ => drop(std::hint::black_box(serde_json::from_slice::<MirrorPage>(&body).unwrap())),
            }
        }
        return;
    }
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
