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

// every field of `powens::models::Transaction`, in order, with its type
// (`SameTypes…`) or a plain one (`Mirror…`), unset optional fields left
// out of the JSON as generated code does; checked against the generated
// model (`same_types`, `check_mirrors`)
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
struct MirrorPage {
    total: Option<f64>,
    transactions: Vec<MirrorTransaction>,
}

#[derive(Deserialize, Serialize)]
struct MirrorTransaction {
    active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    application_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bdate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<String>,
    coming: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commission: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commission_currency: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterparty: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    date: String,
    date_scraped: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gross_value: Option<f64>,
    id: i64,
    id_account: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_category: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_cluster: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_update: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nature: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_currency: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_gross_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_wording: Option<String>,
    rdate: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    simplified_wording: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stemmed_wording: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vdate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wording: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    r#type: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    formatted_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documents_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bdatetime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    datetime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rdatetime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vdatetime: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    application_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bdate: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<String>,
    coming: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commission: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commission_currency: Option<powens::models::Currency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterparty: Option<powens::models::Counterparty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    date: Date,
    date_scraped: SqlDateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted: Option<SqlDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gross_value: Option<Amount>,
    id: i64,
    id_account: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_category: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_cluster: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_update: Option<SqlDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nature: Option<powens::models::TransactionType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_currency: Option<powens::models::Currency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_gross_value: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_value: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_wording: Option<String>,
    rdate: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    simplified_wording: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stemmed_wording: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vdate: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wording: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    r#type: Option<powens::models::TransactionType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    formatted_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documents_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<powens::models::Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<powens::models::Account>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bdatetime: Option<SqlDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    datetime: Option<SqlDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rdatetime: Option<SqlDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vdatetime: Option<SqlDateTime>,
}

/// The generated model, read as the mirror: a field the mirror lacks or
/// types otherwise does not compile (every mirrored field is read here);
/// one the model has and the mirror lacks fails [`check_mirrors`].
#[allow(dead_code)]
fn same_types(t: powens::models::Transaction) -> SameTypesTransaction {
    SameTypesTransaction {
        active: t.active,
        application_date: t.application_date,
        bdate: t.bdate,
        card: t.card,
        coming: t.coming,
        comment: t.comment,
        commission: t.commission,
        commission_currency: t.commission_currency,
        counterparty: t.counterparty,
        country: t.country,
        date: t.date,
        date_scraped: t.date_scraped,
        deleted: t.deleted,
        gross_value: t.gross_value,
        id: t.id,
        id_account: t.id_account,
        id_category: t.id_category,
        id_cluster: t.id_cluster,
        last_update: t.last_update,
        nature: t.nature,
        original_currency: t.original_currency,
        original_gross_value: t.original_gross_value,
        original_value: t.original_value,
        original_wording: t.original_wording,
        rdate: t.rdate,
        simplified_wording: t.simplified_wording,
        state: t.state,
        stemmed_wording: t.stemmed_wording,
        value: t.value,
        vdate: t.vdate,
        webid: t.webid,
        wording: t.wording,
        r#type: t.r#type,
        formatted_value: t.formatted_value,
        documents_count: t.documents_count,
        new: t.new,
        category: t.category,
        account: t.account,
        bdatetime: t.bdatetime,
        datetime: t.datetime,
        rdatetime: t.rdatetime,
        vdatetime: t.vdatetime,
    }
}

/// The generated model's source, and this file's.
const GENERATED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated-client/powens/src/generated/models/transaction.rs"));
const THIS_FILE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/runtime_bench.rs"));

/// The fields of `struct NAME` in Rust source, in order: (name, type with
/// each path cut to its last segment: `Option<::client_runtime::Date>` is
/// `Option<Date>`, `Option<super::Currency>` and
/// `Option<powens::models::Currency>` are `Option<Currency>`).
fn fields_of(source: &str, name: &str) -> Vec<(String, String)> {
    let start = source.find(&format!("struct {name} {{")).unwrap_or_else(|| panic!("no struct {name}"));
    let body = &source[start..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    let last_segments = |ty: &str| {
        let mut out = String::new();
        let mut path = String::new();
        for c in ty.chars() {
            if c.is_alphanumeric() || c == '_' || c == ':' {
                path.push(c);
            } else {
                out.push_str(path.rsplit("::").next().unwrap_or_default());
                path.clear();
                out.push(c);
            }
        }
        out + path.rsplit("::").next().unwrap_or_default()
    };
    body.lines()
        .skip(1)
        .map(str::trim)
        .filter(|line| !line.starts_with("//") && !line.starts_with('#'))
        .filter_map(|line| line.trim_start_matches("pub ").split_once(": "))
        .map(|(field, ty)| (field.to_owned(), last_segments(ty.trim_end_matches(','))))
        .collect()
}

/// The mirrors against the generated `Transaction`: the same fields in the
/// same order, `SameTypesTransaction` with the same types. A spec change
/// to `Transaction` stops the bench here, naming what to update.
fn check_mirrors() {
    let model = fields_of(GENERATED, "Transaction");
    let same = fields_of(THIS_FILE, "SameTypesTransaction");
    assert_eq!(same, model, "SameTypesTransaction (tests/examples/runtime_bench.rs) no longer mirrors powens::models::Transaction: update it, and MirrorTransaction");
    let names = |fields: Vec<(String, String)>| fields.into_iter().map(|(name, _)| name).collect::<Vec<_>>();
    assert_eq!(names(fields_of(THIS_FILE, "MirrorTransaction")), names(model), "MirrorTransaction (tests/examples/runtime_bench.rs) no longer has the fields of powens::models::Transaction");
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
