//! Offset/limit list endpoints consumed as a `Stream`.

use std::collections::{BTreeSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::{Error, Page};

/// The stream of every item of a list ([`paginate`], [`paginate_items`]:
/// what a generated `into_stream` returns), which also tells the list's
/// total as the latest page gave it: `while let Some(item) =
/// stream.next().await { .. }` then `stream.total()` checks that every
/// item came.
pub struct Items<S> {
    inner: Pin<Box<S>>,
    total: Arc<AtomicI64>,
}

/// No total seen yet (a total is never negative).
const NO_TOTAL: i64 = i64::MIN;

impl<S> Items<S> {
    /// The total number of items in the list, as the latest page said
    /// (`None` before the first page, or when the API gives no total).
    pub fn total(&self) -> Option<i64> {
        Some(self.total.load(Ordering::Relaxed)).filter(|total| *total != NO_TOTAL)
    }
}

impl<S: Stream> Stream for Items<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<S> std::fmt::Debug for Items<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("total", &self.total()).finish_non_exhaustive()
    }
}

/// Where a pagination stream stands between polls.
struct Pages<T, K, F, S, I> {
    fetch: F,
    split: S,
    identify: I,
    offset: i64,
    page_size: i64,
    buffered: VecDeque<Result<T, Error>>,
    /// The keys of the items delivered so far (items with an id).
    seen: BTreeSet<K>,
    /// The previous page's items without an id.
    previous: Vec<T>,
    /// The previous page's items that did not decode (their raw JSON).
    previous_errors: Vec<String>,
    /// Whether the previous page brought nothing new (tolerated once).
    repeated: bool,
    done: bool,
}

/// Streams every item of an offset/limit list endpoint.
///
/// `fetch(offset, limit)` returns one page, `split` takes from it the items
/// and, when the API says, the total number of items, and `identify` gives an
/// item's id when it has one (generated code passes its `send` and field
/// accessors, so it holds no async code of its own). A page is fetched only
/// when the consumer has used up the previous one.
///
/// Every item is delivered:
/// - the next page starts where the items received so far end, whatever the
///   page's length: a server that returns fewer items than asked (a page
///   size cap) is paged on, not taken as the end;
/// - when a page says the total, the stream ends once the offset reaches the
///   total of the latest page (so items added while paging are read too);
///   without a total it ends after an empty page (one request more);
/// - an item whose id was already delivered is not delivered again: items
///   added before the current offset while paging shift the list, and the
///   next page repeats the last ones. Items removed meanwhile shift it the
///   other way, and what moves before the offset is not seen: offset paging
///   cannot tell;
/// - a page that brings nothing new (every id already delivered, or, for
///   items without an id, the very same items as the page before) means the
///   server ignores `offset` or the list changed by more than a page: the
///   stream yields [`Error::Pagination`] and ends, rather than loop. Only
///   when the API gives no total is one such page skipped first (items added
///   at the front while the last page was asked for repeat the list's
///   tail, and the next page is empty): two in a row are the error.
///
/// After any error the stream yields it once and ends. A `page_size` below
/// 1 yields [`Error::InvalidRequest`]. [`paginate_items`] is the same for
/// pages decoded item by item, where an item that does not decode does not
/// end the stream.
///
/// The stream is `Send` when `fetch`, its future and `T` are, so it can be
/// driven from `tokio::spawn`.
pub fn paginate<P, T, K, F, Fut, S, I>(
    start_offset: i64,
    page_size: i64,
    fetch: F,
    mut split: S,
    identify: I,
) -> Items<impl Stream<Item = Result<T, Error>>>
where
    T: Clone + PartialEq,
    K: Ord,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<P, Error>>,
    S: FnMut(P) -> (Vec<T>, Option<i64>),
    I: FnMut(&T) -> Option<K>,
{
    let split = move |page: P| {
        let (items, total) = split(page);
        (items.into_iter().map(Ok).collect(), total, None)
    };
    stream(start_offset, page_size, fetch, split, identify)
}

/// Streams every item of an offset/limit list endpoint whose pages are
/// decoded item by item ([`Page`]: a generated `send_items`): what a
/// generated `into_stream` returns.
///
/// As [`paginate`], and an item of a page that does not decode is yielded
/// in its place as its error ([`Error::Item`]) and the stream goes on with
/// the next item, then the next page. The offset advances by every item of
/// a page, decoded or not; only decoded items are recognised by id (an item
/// that did not decode and comes again in the next page, the list having
/// shifted, is yielded again). A page that brings nothing new, its items
/// that did not decode included (the same raw JSON as the page before),
/// ends the stream with [`Error::Pagination`]. A page that cannot be read
/// at all (the response, or the rest of the page beside its items, does not
/// decode) is an error that ends the stream, as with [`paginate`].
pub fn paginate_items<T, K, F, Fut, I>(
    start_offset: i64,
    page_size: i64,
    fetch: F,
    identify: I,
) -> Items<impl Stream<Item = Result<T, Error>>>
where
    T: Clone + PartialEq,
    K: Ord,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
    I: FnMut(&T) -> Option<K>,
{
    stream(start_offset, page_size, fetch, |page: Page<T>| (page.items, page.total, page.operation), identify)
}

/// Every page of an offset/limit list endpoint decoded item by item, as
/// the server sends them: what a generated `into_pages` returns, for an
/// application that works page by page (a progress bar, a batch per page).
///
/// `fetch(offset, limit)` returns one page ([`Page`]: a generated
/// `send_items`); the next page starts after the items received, and the
/// stream ends after a page that reaches its total or an empty page (which
/// is not yielded). Items are not de-duplicated (that is
/// [`paginate_items`]'s job); a non-empty page with the same items as the
/// page before means the server ignores `offset`: [`Error::Pagination`]
/// ends the stream, rather than loop. After any error the stream yields it
/// once and ends. A `page_size` below 1 yields [`Error::InvalidRequest`].
pub fn paginate_pages<T, F, Fut>(start_offset: i64, page_size: i64, fetch: F) -> impl Stream<Item = Result<Page<T>, Error>>
where
    T: Clone + PartialEq,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    struct State<T, F> {
        fetch: F,
        offset: i64,
        /// The previous page's items, errors by their text.
        previous: Vec<Result<T, String>>,
        done: bool,
    }
    let state = State { fetch, offset: start_offset, previous: Vec::new(), done: false };
    futures_util::stream::unfold(state, move |mut state| async move {
        if state.done {
            return None;
        }
        state.done = true;
        if page_size < 1 {
            return Some((Err(Error::invalid_request("the page size must be at least 1")), state));
        }
        let page = match (state.fetch)(state.offset, page_size).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), state)),
        };
        if page.items.is_empty() {
            return None;
        }
        let holds: Vec<Result<T, String>> = page.items.iter().map(|item| item.as_ref().cloned().map_err(ToString::to_string)).collect();
        if holds == state.previous {
            let message = "the page holds the same items as the page before: the server ignores `offset`".to_owned();
            return Some((Err(Error::Pagination { operation: page.operation, offset: state.offset, message }), state));
        }
        state.previous = holds;
        let count = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
        state.offset = state.offset.saturating_add(count);
        state.done = page.total.is_some_and(|total| state.offset >= total) || state.offset == i64::MAX;
        Some((Ok(page), state))
    })
}

fn stream<P, T, K, F, Fut, S, I>(
    start_offset: i64,
    page_size: i64,
    fetch: F,
    mut split: S,
    identify: I,
) -> Items<impl Stream<Item = Result<T, Error>>>
where
    T: Clone + PartialEq,
    K: Ord,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<P, Error>>,
    S: FnMut(P) -> (Vec<Result<T, Error>>, Option<i64>, Option<&'static str>),
    I: FnMut(&T) -> Option<K>,
{
    let total = Arc::new(AtomicI64::new(NO_TOTAL));
    let seen_total = total.clone();
    let split = move |page: P| {
        let (items, total, operation) = split(page);
        if let Some(total) = total {
            seen_total.store(total.max(0), Ordering::Relaxed);
        }
        (items, total, operation)
    };
    let pages = Pages {
        fetch,
        split,
        identify,
        offset: start_offset,
        page_size,
        buffered: VecDeque::new(),
        seen: BTreeSet::new(),
        previous: Vec::new(),
        previous_errors: Vec::new(),
        repeated: false,
        done: false,
    };
    let inner = futures_util::stream::unfold(pages, |mut pages| async move {
        loop {
            if let Some(item) = pages.buffered.pop_front() {
                return Some((item, pages));
            }
            if pages.done {
                return None;
            }
            if pages.page_size < 1 {
                pages.done = true;
                let error = Error::invalid_request("the page size must be at least 1");
                return Some((Err(error), pages));
            }
            let page = match (pages.fetch)(pages.offset, pages.page_size).await {
                Ok(page) => page,
                Err(error) => {
                    pages.done = true;
                    return Some((Err(error), pages));
                }
            };
            let (items, total, operation) = (pages.split)(page);
            if items.is_empty() {
                pages.done = true;
                continue;
            }
            let offset = pages.offset;
            let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
            pages.offset = offset.saturating_add(count);
            pages.done = total.is_some_and(|total| pages.offset >= total) || pages.offset == i64::MAX;
            if let Err(message) = pages.take(items, total.is_none()) {
                pages.done = true;
                return Some((Err(Error::Pagination { operation, offset, message }), pages));
            }
        }
    });
    Items { inner: Box::pin(inner), total }
}

impl<T: Clone + PartialEq, K: Ord, F, S, I: FnMut(&T) -> Option<K>> Pages<T, K, F, S, I> {
    /// Buffers, in order, the items of a non-empty page not delivered yet
    /// and the errors of those that did not decode, or says why the page
    /// cannot be right.
    fn take(&mut self, items: Vec<Result<T, Error>>, untold: bool) -> Result<(), String> {
        let repeated = "the page holds only items already delivered: the server ignores `offset`, or the list changed by more than a page while it was read";
        let mut page = Vec::with_capacity(items.len());
        let mut keyless = Vec::new();
        let mut errors = Vec::new();
        let mut new_keyed = false;
        for item in items {
            match item {
                Ok(item) => match (self.identify)(&item) {
                    Some(key) => {
                        if self.seen.insert(key) {
                            new_keyed = true;
                            page.push(Ok(item));
                        }
                    }
                    None => {
                        keyless.push(item.clone());
                        page.push(Ok(item));
                    }
                },
                Err(error) => {
                    errors.push(match error.item() {
                        Some(item) => item.raw.clone(),
                        None => error.to_string(),
                    });
                    page.push(Err(error));
                }
            }
        }
        let nothing_good = if keyless.is_empty() { !new_keyed } else { keyless == self.previous };
        let nothing_bad = errors.is_empty() || errors == self.previous_errors;
        if nothing_good && nothing_bad {
            // with a total, a repeated page could end the stream at the
            // total with items never read: an error at once
            if self.repeated || !untold {
                return Err(repeated.to_owned());
            }
            self.repeated = true;
            return Ok(());
        }
        self.repeated = false;
        self.buffered.extend(page);
        if !keyless.is_empty() {
            self.previous = keyless;
        }
        self.previous_errors = errors;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ItemError;
    use futures_util::StreamExt;
    use proptest::prelude::*;
    use std::sync::{Arc, Mutex};

    type Page = std::future::Ready<Result<(Vec<Item>, Option<i64>), Error>>;

    /// An item of a fake list: its id when it has one, and a value.
    #[derive(Debug, Clone, PartialEq)]
    struct Item {
        id: Option<i64>,
        value: i64,
    }

    /// A fake list endpoint and what it did.
    #[derive(Clone, Debug)]
    struct Server {
        /// The items, first to last.
        items: Vec<Item>,
        /// The most items it returns in a page, whatever the limit.
        cap: usize,
        report_total: bool,
        ignores_offset: bool,
        /// Items added at the front of the list after this many requests.
        insert_after: Option<(usize, usize)>,
        calls: Vec<(i64, i64)>,
    }

    impl Server {
        fn page(&mut self, offset: i64, limit: i64) -> Result<(Vec<Item>, Option<i64>), Error> {
            if let Some((after, count)) = self.insert_after {
                if self.calls.len() == after {
                    let keyed = self.items.first().is_none_or(|item| item.id.is_some());
                    for n in 0..count as i64 {
                        let id = keyed.then_some(1_000_000 + n);
                        self.items.insert(0, Item { id, value: -1 - n });
                    }
                }
            }
            self.calls.push((offset, limit));
            // a stream that never ends fails here rather than hanging its test
            assert!(self.calls.len() <= 10_000, "more than 10,000 requests: the stream does not end");
            let start = if self.ignores_offset { 0 } else { usize::try_from(offset).unwrap() };
            let len = usize::try_from(limit).unwrap().min(self.cap);
            let items = self.items.iter().skip(start).take(len).cloned().collect();
            Ok((items, self.report_total.then_some(self.items.len() as i64)))
        }
    }

    fn items(len: usize, keyed: bool) -> Vec<Item> {
        (0..len as i64).map(|n| Item { id: keyed.then_some(n), value: n }).collect()
    }

    fn server(items: Vec<Item>, cap: usize, report_total: bool) -> Arc<Mutex<Server>> {
        Arc::new(Mutex::new(Server {
            items,
            cap,
            report_total,
            ignores_offset: false,
            insert_after: None,
            calls: Vec::new(),
        }))
    }

    fn endpoint(server: Arc<Mutex<Server>>) -> impl FnMut(i64, i64) -> Page {
        move |offset, limit| std::future::ready(server.lock().unwrap().page(offset, limit))
    }

    fn stream(
        server: &Arc<Mutex<Server>>,
        start: i64,
        page_size: i64,
    ) -> Items<impl Stream<Item = Result<Item, Error>>> {
        paginate(start, page_size, endpoint(server.clone()), |page| page, |item: &Item| item.id)
    }

    fn block_on<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
    }

    fn collect(stream: impl Stream<Item = Result<Item, Error>>) -> Vec<Result<Item, Error>> {
        block_on(stream.collect())
    }

    #[tokio::test]
    async fn fetches_lazily() {
        let server = server(items(10, true), 100, false);
        let mut stream = std::pin::pin!(stream(&server, 0, 2));
        assert!(server.lock().unwrap().calls.is_empty(), "nothing before the first poll");
        let first: Vec<_> = stream.as_mut().take(3).collect().await;
        assert_eq!(first.len(), 3);
        assert_eq!(server.lock().unwrap().calls, vec![(0, 2), (2, 2)]);
    }

    #[test]
    fn the_total_is_read_from_the_stream() {
        let listed = server(items(10, true), 3, true);
        let mut all = stream(&listed, 0, 5);
        assert_eq!(all.total(), None, "before the first page");
        let got = block_on((&mut all).collect::<Vec<_>>());
        assert_eq!((got.len(), all.total()), (10, Some(10)));
        let untold = server(items(4, true), 3, false);
        let mut all = stream(&untold, 0, 5);
        let got = block_on((&mut all).collect::<Vec<_>>());
        assert_eq!((got.len(), all.total()), (4, None), "the API gives no total");
    }

    /// `Debug` shows the total as the latest page gave it (found missed by
    /// cargo-mutants: a `Debug` that printed nothing passed).
    #[test]
    fn debug_shows_the_total() {
        let listed = server(items(10, true), 3, true);
        let mut all = stream(&listed, 0, 5);
        assert_eq!(format!("{all:?}"), "Items { total: None, .. }");
        block_on((&mut all).collect::<Vec<_>>());
        assert_eq!(format!("{all:?}"), "Items { total: Some(10), .. }");
    }

    fn pages(server: &Arc<Mutex<Server>>, start: i64, page_size: i64) -> Vec<Result<crate::Page<Item>, Error>> {
        let server = server.clone();
        let fetch = move |offset, limit| {
            let page = server.lock().unwrap().page(offset, limit).map(|(items, total)| crate::Page::new(items.into_iter().map(Ok).collect(), total, offset));
            std::future::ready(page)
        };
        block_on(paginate_pages(start, page_size, fetch).collect())
    }

    /// Pages come as the server sends them: in order, each at the offset
    /// after the items before it, all the items once, no error; one
    /// request more only when the server gives no total.
    #[test]
    fn pages_come_as_the_server_sends_them() {
        let inputs = (0usize..60, 1usize..10, 1i64..12, any::<bool>());
        crate::tests::property("pages_come_as_the_server_sends_them", 500, inputs, |(len, cap, page_size, report_total)| {
            let listed = server(items(len, true), cap, report_total);
            let mut offset = 0;
            let mut all = Vec::new();
            for page in pages(&listed, 0, page_size) {
                let page = page.map_err(|error| TestCaseError::fail(error.to_string()))?;
                prop_assert_eq!(page.offset, offset);
                prop_assert!(!page.items.is_empty() && page.items.len() <= cap.min(page_size as usize));
                offset += page.items.len() as i64;
                all.extend(page.items.into_iter().map(Result::unwrap));
            }
            prop_assert_eq!(all, items(len, true));
            let requests = listed.lock().unwrap().calls.len();
            let full = len.div_ceil(cap.min(page_size as usize));
            prop_assert_eq!(requests, if report_total && len > 0 { full } else { full + 1 });
            Ok(())
        });
    }

    #[test]
    fn pages_of_a_server_that_ignores_offset_end_with_an_error() {
        let ignoring = server(items(10, true), 3, true);
        ignoring.lock().unwrap().ignores_offset = true;
        let got = pages(&ignoring, 0, 3);
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        assert!(matches!(&got[1], Err(Error::Pagination { offset: 3, .. })), "{:?}", got[1]);
        assert!(matches!(pages(&ignoring, 0, 0).as_slice(), [Err(Error::InvalidRequest { .. })]));
    }

    #[test]
    fn a_short_page_does_not_end_the_stream() {
        // the server caps pages at 30 items while 100 are asked
        let server = server(items(100, true), 30, true);
        let got = collect(stream(&server, 0, 100));
        assert_eq!(got.len(), 100);
        assert_eq!(server.lock().unwrap().calls, vec![(0, 100), (30, 100), (60, 100), (90, 100)]);
        let server = self::server(items(7, false), 3, false);
        let got: Vec<Item> = collect(stream(&server, 0, 5)).into_iter().map(Result::unwrap).collect();
        assert_eq!(got, items(7, false));
        assert_eq!(server.lock().unwrap().calls.last(), Some(&(7, 5)), "one more request, for the empty page");
    }

    #[test]
    fn stops_at_total_without_an_extra_request() {
        let server = server(items(10, true), 100, true);
        let got: Vec<Item> = collect(stream(&server, 2, 4)).into_iter().map(Result::unwrap).collect();
        assert_eq!(got, items(10, true)[2..]);
        assert_eq!(server.lock().unwrap().calls, vec![(2, 4), (6, 4)]);
    }

    #[test]
    fn an_error_is_yielded_once_and_ends_the_stream() {
        let mut calls = 0;
        let results: Vec<Result<i64, Error>> = block_on(
            paginate(
                0,
                2,
                |offset, _| {
                    calls += 1;
                    std::future::ready(if offset == 0 {
                        Ok((vec![1, 2], None))
                    } else {
                        Err(Error::invalid_request("boom"))
                    })
                },
                |page| page,
                |item: &i64| Some(*item),
            )
            .collect(),
        );
        assert_eq!(results.len(), 3);
        assert!(matches!(results[2], Err(Error::InvalidRequest { .. })));
        assert_eq!(calls, 2);
    }

    /// No total, and items added at the front just before the last page is
    /// asked for: that page repeats the list's tail. Every item was
    /// delivered; the stream ends without an error (it once ended with
    /// `Error::Pagination`).
    #[test]
    fn a_repeated_tail_at_the_end_of_an_untold_list_is_no_error() {
        let listed = server(items(8, true), 4, false);
        listed.lock().unwrap().insert_after = Some((2, 2));
        let got: Vec<Item> = collect(stream(&listed, 0, 4)).into_iter().map(|item| item.expect("no error")).collect();
        assert_eq!(got, items(8, true));
        assert_eq!(listed.lock().unwrap().calls, vec![(0, 4), (4, 4), (8, 4), (10, 4)]);
    }

    #[test]
    fn a_server_that_ignores_offset_is_an_error_not_a_loop() {
        for keyed in [true, false] {
            let server = server(items(10, keyed), 100, keyed);
            server.lock().unwrap().ignores_offset = true;
            let got = collect(stream(&server, 0, 4));
            assert_eq!(got.len(), 5, "one page, then the error");
            // with no total (the keyless list here), one repeated page is skipped first
            let at = if keyed { 4 } else { 8 };
            assert!(
                matches!(&got[4], Err(Error::Pagination { offset, message, .. }) if *offset == at && message.contains("ignores `offset`")),
                "{:?}",
                got[4]
            );
        }
    }

    #[test]
    fn bad_page_size_is_an_error() {
        let server = server(items(3, true), 100, false);
        let results = collect(stream(&server, 0, 0));
        assert!(matches!(results.as_slice(), [Err(Error::InvalidRequest { .. })]));
    }

    #[tokio::test]
    async fn is_send_when_its_inputs_are() {
        let server = server(items(5, true), 100, false);
        let stream = stream(&server, 0, 2);
        let total = tokio::spawn(async move { stream.count().await }).await.unwrap();
        assert_eq!(total, 5);
    }

    /// `stream` with pages decoded item by item: the items whose value is
    /// in `bad` come as item errors.
    fn item_stream(
        server: &Arc<Mutex<Server>>,
        start: i64,
        page_size: i64,
        bad: BTreeSet<i64>,
    ) -> impl Stream<Item = Result<Item, Error>> {
        let mut endpoint = endpoint(server.clone());
        let fetch = move |offset: i64, limit: i64| {
            let bad = bad.clone();
            let page = endpoint(offset, limit);
            async move {
                let (items, total) = page.await?;
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| {
                        if bad.contains(&item.value) {
                            let raw = format!(r#"{{"value": {}, "password": "MARKED"}}"#, item.value);
                            let error = ItemError::new(Some("listItems"), index, offset + index as i64, "items[0].id".into(), "bad".into(), &raw);
                            Err(Error::Item(Box::new(error)))
                        } else {
                            Ok(item)
                        }
                    })
                    .collect();
                Ok(crate::Page::new(items, total, offset))
            }
        };
        paginate_items(start, page_size, fetch, |item: &Item| item.id)
    }

    #[test]
    fn an_item_error_takes_its_place_and_the_stream_goes_on() {
        let server = server(items(10, true), 100, true);
        let got = collect(item_stream(&server, 0, 4, BTreeSet::from([1, 4, 5, 6, 7])));
        let shown: Vec<String> = got
            .iter()
            .map(|item| match item {
                Ok(item) => item.value.to_string(),
                Err(error) => format!("E{}", error.item().unwrap().offset),
            })
            .collect();
        // a page of errors only (4..8) does not end the stream either
        assert_eq!(shown, ["0", "E1", "2", "3", "E4", "E5", "E6", "E7", "8", "9"]);
        assert_eq!(server.lock().unwrap().calls, vec![(0, 4), (4, 4), (8, 4)], "the offset advances by every item");
        let raw = &got[1].as_ref().unwrap_err().item().unwrap().raw;
        assert_eq!(raw, r#"{"value": 1, "password": "[redacted]"}"#);
    }

    #[test]
    fn a_server_that_ignores_offset_is_an_error_even_with_bad_items() {
        for (keyed, bad) in [(true, vec![1]), (false, vec![1]), (true, vec![0, 1, 2, 3]), (false, vec![0, 1, 2, 3])] {
            let server = server(items(10, keyed), 100, keyed);
            server.lock().unwrap().ignores_offset = true;
            let got = collect(item_stream(&server, 0, 4, bad.into_iter().collect()));
            assert_eq!(got.len(), 5, "one page, then the error");
            let (at, calls) = if keyed { (4, 2) } else { (8, 3) };
            assert!(matches!(&got[4], Err(Error::Pagination { offset, .. }) if *offset == at), "{:?}", got[4]);
            assert_eq!(server.lock().unwrap().calls.len(), calls);
        }
    }

    /// Whatever the list length, page cap, limit, start and whether the
    /// total is given, every item from the start is delivered once, in
    /// order, with at most one request more than the pages needed.
    #[test]
    fn every_item_is_delivered() {
        crate::tests::property(
            "every_item_is_delivered",
            2_000,
            (0usize..300, 1usize..60, 1i64..80, 0usize..20, proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>()),
            |(len, cap, limit, start, report_total, keyed)| {
                let server = server(items(len, keyed), cap, report_total);
                let got: Vec<Item> = collect(stream(&server, start as i64, limit))
                    .into_iter()
                    .collect::<Result<_, _>>()
                    .unwrap();
                let expected: Vec<Item> = items(len, keyed).into_iter().skip(start).collect();
                prop_assert_eq!(&got, &expected);
                let per_page = cap.min(limit as usize);
                let pages = expected.len().div_ceil(per_page);
                let calls = server.lock().unwrap().calls.len();
                prop_assert!(calls <= pages + 1, "{} calls for {} pages", calls, pages);
                Ok(())
            },
        );
    }

    /// A server that ignores `offset` ends the stream with an error after
    /// one page, never loops.
    #[test]
    fn ignoring_offset_never_loops() {
        crate::tests::property(
            "ignoring_offset_never_loops",
            2_000,
            (1usize..200, 1usize..60, 1i64..80, proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>()),
            |(len, cap, limit, report_total, keyed)| {
                let server = server(items(len, keyed), cap, report_total);
                server.lock().unwrap().ignores_offset = true;
                let got = collect(stream(&server, 0, limit));
                let first_page = cap.min(limit as usize).min(len);
                let calls = server.lock().unwrap().calls.len();
                // one repeated page is skipped when no total is given
                let most = if report_total { 2 } else { 3 };
                prop_assert!(calls <= most, "{} requests", calls);
                if first_page < len || !report_total {
                    let stopped = matches!(got.last(), Some(Err(Error::Pagination { .. })));
                    prop_assert!(stopped, "no pagination error: {:?}", got.last());
                }
                prop_assert_eq!(got.iter().filter(|item| item.is_ok()).count(), first_page);
                Ok(())
            },
        );
    }

    /// Items added at the front while paging (the newest first, as in a
    /// list of transactions) shift the list: no item is delivered twice,
    /// and when the stream ends without an error, every item is there.
    #[test]
    fn items_added_while_paging_are_not_delivered_twice() {
        crate::tests::property(
            "items_added_while_paging_are_not_delivered_twice",
            2_000,
            (1usize..200, 1usize..40, 1usize..5, 1usize..60, proptest::prelude::any::<bool>()),
            |(len, cap, after, added, report_total)| {
                let server = server(items(len, true), cap, report_total);
                server.lock().unwrap().insert_after = Some((after, added));
                let got = collect(stream(&server, 0, 50));
                let ids: Vec<i64> = got.iter().filter_map(|item| item.as_ref().ok()).map(|item| item.id.unwrap()).collect();
                let unique: BTreeSet<i64> = ids.iter().copied().collect();
                prop_assert_eq!(unique.len(), ids.len(), "an item came twice");
                if got.iter().all(Result::is_ok) {
                    for n in 0..len as i64 {
                        prop_assert!(unique.contains(&n), "item {} lost", n);
                    }
                }
                Ok(())
            },
        );
    }

    /// Items added at the front while paging, fewer than a page: every
    /// later page overlaps the items delivered by less than a page, so it
    /// brings something new. With the total in each page the stream ends
    /// without an error, and every item of the list as it was is delivered
    /// exactly once, in order (the added ones are before the offset: not
    /// seen, as offset paging cannot).
    #[test]
    fn pages_that_overlap_by_less_than_a_page_end_without_error() {
        crate::tests::property(
            "pages_that_overlap_by_less_than_a_page_end_without_error",
            2_000,
            (1usize..200, 2usize..40, 2i64..50, 1usize..6, 1usize..40),
            |(len, cap, limit, after, added)| {
                // 1 to a page less one
                let per_page = cap.min(limit as usize);
                let added = 1 + (added - 1) % (per_page - 1);
                let server = server(items(len, true), cap, true);
                server.lock().unwrap().insert_after = Some((after, added));
                let got = collect(stream(&server, 0, limit));
                let got: Vec<Item> = got.into_iter().collect::<Result<_, _>>().map_err(|error| {
                    proptest::test_runner::TestCaseError::fail(format!("ended with {error}"))
                })?;
                prop_assert_eq!(got, items(len, true));
                Ok(())
            },
        );
    }

    /// Items that do not decode, anywhere: every item from the start
    /// comes once, in order, each bad one as its error at its offset,
    /// with no more requests than for a list of good items.
    #[test]
    fn every_item_or_its_error_is_delivered() {
        crate::tests::property(
            "every_item_or_its_error_is_delivered",
            2_000,
            (0usize..200, 1usize..40, 1i64..50, 0usize..10, proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>(), proptest::collection::btree_set(0i64..200, 0..60)),
            |(len, cap, limit, start, report_total, keyed, bad)| {
                let server = server(items(len, keyed), cap, report_total);
                let got = collect(item_stream(&server, start as i64, limit, bad.clone()));
                let expected: Vec<Item> = items(len, keyed).into_iter().skip(start).collect();
                prop_assert_eq!(got.len(), expected.len());
                for (item, expected) in got.iter().zip(&expected) {
                    match item {
                        Ok(item) => prop_assert_eq!(item, expected),
                        Err(error) => {
                            prop_assert!(bad.contains(&expected.value));
                            prop_assert_eq!(error.item().map(|item| item.offset), Some(expected.value));
                        }
                    }
                }
                let per_page = cap.min(limit as usize);
                let pages = expected.len().div_ceil(per_page);
                let calls = server.lock().unwrap().calls.len();
                prop_assert!(calls <= pages + 1, "{} calls for {} pages", calls, pages);
                Ok(())
            },
        );
    }
    
}
