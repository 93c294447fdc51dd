//! Offset/limit list endpoints consumed as a `Stream`.

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;

use crate::Error;

/// Where a pagination stream stands between polls.
struct Pages<T, F, S> {
    fetch: F,
    split: S,
    offset: i64,
    page_size: i64,
    buffered: VecDeque<T>,
    done: bool,
}

/// Streams every item of an offset/limit list endpoint.
///
/// `fetch(offset, limit)` returns one page, and `split` takes from it the
/// items and, when the API says, the total number of items (generated code
/// passes its `send` and a field accessor, so it holds no async code of its
/// own). A page is fetched only when the consumer has used up the
/// previous one. The stream ends after a short or empty page, or when the
/// offset reaches the total; after an error it yields that error once and
/// ends. A `page_size` below 1 yields [`Error::InvalidRequest`].
///
/// The stream is `Send` when `fetch`, its future and `T` are, so it can be
/// driven from `tokio::spawn`.
pub fn paginate<P, T, F, Fut, S>(
    start_offset: i64,
    page_size: i64,
    fetch: F,
    split: S,
) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<P, Error>>,
    S: FnMut(P) -> (Vec<T>, Option<i64>),
{
    let pages = Pages {
        fetch,
        split,
        offset: start_offset,
        page_size,
        buffered: VecDeque::new(),
        done: false,
    };
    futures_util::stream::unfold(pages, |mut pages| async move {
        loop {
            if let Some(item) = pages.buffered.pop_front() {
                return Some((Ok(item), pages));
            }
            if pages.done {
                return None;
            }
            if pages.page_size < 1 {
                pages.done = true;
                let error = Error::invalid_request("the page size must be at least 1");
                return Some((Err(error), pages));
            }
            match (pages.fetch)(pages.offset, pages.page_size).await {
                Err(error) => {
                    pages.done = true;
                    return Some((Err(error), pages));
                }
                Ok(page) => {
                    let (items, total) = (pages.split)(page);
                    let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    pages.offset = pages.offset.saturating_add(count);
                    pages.done = count < pages.page_size
                        || total.is_some_and(|total| pages.offset >= total)
                        || pages.offset == i64::MAX;
                    pages.buffered.extend(items);
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    type Page = std::future::Ready<Result<(Vec<i64>, Option<i64>), Error>>;

    /// A fake endpoint over `0..len` that records each (offset, limit) call.
    fn endpoint(
        len: i64,
        report_total: bool,
        calls: Arc<Mutex<Vec<(i64, i64)>>>,
    ) -> impl FnMut(i64, i64) -> Page {
        move |offset, limit| {
            calls.lock().unwrap().push((offset, limit));
            let items = (offset..len.min(offset + limit)).collect();
            std::future::ready(Ok((items, report_total.then_some(len))))
        }
    }

    #[tokio::test]
    async fn fetches_lazily() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let stream = paginate(0, 2, endpoint(10, false, calls.clone()), |page| page);
        let mut stream = std::pin::pin!(stream);
        assert!(
            calls.lock().unwrap().is_empty(),
            "nothing before the first poll"
        );
        let first: Vec<_> = stream.as_mut().take(3).collect().await;
        assert_eq!(first.len(), 3);
        assert_eq!(*calls.lock().unwrap(), vec![(0, 2), (2, 2)]);
    }

    #[tokio::test]
    async fn stops_after_a_short_page() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<i64> = paginate(0, 3, endpoint(7, false, calls.clone()), |page| page)
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        assert_eq!(*calls.lock().unwrap(), vec![(0, 3), (3, 3), (6, 3)]);
    }

    #[tokio::test]
    async fn stops_at_total_without_an_extra_request() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<i64> = paginate(2, 4, endpoint(10, true, calls.clone()), |page| page)
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(items, (2..10).collect::<Vec<_>>());
        assert_eq!(*calls.lock().unwrap(), vec![(2, 4), (6, 4)]);
    }

    #[tokio::test]
    async fn stops_after_an_empty_page() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let count = paginate(0, 5, endpoint(10, false, calls.clone()), |page| page)
            .count()
            .await;
        assert_eq!(count, 10);
        assert_eq!(calls.lock().unwrap().last(), Some(&(10, 5)));
    }

    #[tokio::test]
    async fn an_error_is_yielded_once_and_ends_the_stream() {
        let mut calls = 0;
        let results: Vec<Result<i64, Error>> = paginate(0, 2, |offset, _| {
            calls += 1;
            std::future::ready(if offset == 0 {
                Ok((vec![1, 2], None))
            } else {
                Err(Error::invalid_request("boom"))
            })
        }, |page| page)
        .collect()
        .await;
        assert_eq!(results.len(), 3);
        assert!(results[2].is_err());
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn bad_page_size_is_an_error() {
        let results: Vec<_> = paginate(0, 0, endpoint(3, false, Arc::default()), |page| page)
            .collect()
            .await;
        assert!(matches!(
            results.as_slice(),
            [Err(Error::InvalidRequest { .. })]
        ));
    }

    #[tokio::test]
    async fn is_send_when_its_inputs_are() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let stream = paginate(0, 2, endpoint(5, false, calls), |page| page);
        let total = tokio::spawn(async move { stream.count().await })
            .await
            .unwrap();
        assert_eq!(total, 5);
    }
}
