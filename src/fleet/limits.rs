//! Politeness towards forges: pushes and pull-request commands are spaced
//! out, whatever `--jobs` says, as multi-gitter spaces its API calls.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Lets one caller through per interval; others wait their turn.
pub struct Pace {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pace {
    pub fn new(interval: Duration) -> Pace {
        Pace {
            interval,
            next: Mutex::new(None),
        }
    }

    /// `per_minute` calls a minute.
    pub fn per_minute(per_minute: u32) -> Pace {
        Pace::new(Duration::from_secs_f64(60.0 / f64::from(per_minute.max(1))))
    }

    /// Waits until this caller's turn.
    pub fn wait(&self) {
        let slot = {
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_are_spaced_by_the_interval() {
        let pace = Pace::new(Duration::from_millis(50));
        let start = Instant::now();
        for _ in 0..3 {
            pace.wait();
        }
        assert!(start.elapsed() >= Duration::from_millis(100));
    }
}
