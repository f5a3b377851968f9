//! Independent work spread over the machine's cores, with results in input order: the
//! generator's output must not depend on which thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to every item, on up to as many threads as there are cores, the results in
/// the order of `items`. Items are taken in the order of `cost`, highest first, so that a big
/// one is not left for the end while the other threads idle.
pub fn map<T, R, W>(items: &[T], cost: impl Fn(&T) -> usize, work: W) -> Vec<R>
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
{
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(cost(&items[index])));
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        done.push((index, work(&items[index])));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..200).collect();
        // Cheap items first by cost, so the threads finish out of order.
        let squares = super::map(&items, |n| (*n % 7) as usize, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u64], |_| 0, |n| *n).is_empty());
    }
}
