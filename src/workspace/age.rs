//! Which of two drafts came first: the one published earlier, by the draft's own date field,
//! or by its file's modification time when it has no valid date. Equal ages fall back to the
//! modification time and then to the path, so the order is total and every run agrees on which
//! copy is "the original".

use std::time::SystemTime;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::draft::PubDate;

/// A draft's place in time. Orders older first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Age {
    /// The publication date and time (midnight when only the day is written), or the local
    /// civil time of the last modification. Drafts carry civil dates without a zone, so the
    /// modification time is read on the same local clock the newsroom writes dates in.
    when: DateTime,
    modified: SystemTime,
}

impl Age {
    pub fn new(published: Option<PubDate>, modified: SystemTime) -> Age {
        let when = match published {
            Some(date) => date.date.to_datetime(date.time.unwrap_or_default()),
            None => local_datetime(modified),
        };
        Age { when, modified }
    }
}

/// `modified` on the local clock; a time jiff cannot represent clamps to its range.
pub(crate) fn local_datetime(modified: SystemTime) -> DateTime {
    let timestamp = Timestamp::try_from(modified).unwrap_or_else(|_| {
        if modified < SystemTime::UNIX_EPOCH {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        }
    });
    TimeZone::system().to_datetime(timestamp)
}

/// A date as people read it in a message: `2026-01-14 05:01`, or `2026-01-14` without time.
pub(crate) fn display(date: jiff::civil::Date, time: Option<jiff::civil::Time>) -> String {
    match time {
        Some(time) => format!("{date} {:02}:{:02}", time.hour(), time.minute()),
        None => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use jiff::civil::{date, time};

    use super::*;

    fn published(y: i16, m: i8, d: i8, hm: Option<(i8, i8)>) -> Option<PubDate> {
        Some(PubDate {
            date: date(y, m, d),
            time: hm.map(|(h, mi)| time(h, mi, 0, 0)),
        })
    }

    #[test]
    fn earlier_publication_is_older_whatever_the_files_say() {
        let recent_file = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let old_file = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let first = Age::new(published(2026, 1, 14, Some((5, 1))), recent_file);
        let second = Age::new(published(2026, 1, 14, Some((9, 30))), old_file);
        assert!(first < second);
    }

    #[test]
    fn a_date_without_time_counts_from_midnight() {
        let file = SystemTime::UNIX_EPOCH;
        assert!(
            Age::new(published(2026, 3, 2, None), file)
                < Age::new(published(2026, 3, 2, Some((0, 1))), file)
        );
    }

    #[test]
    fn equal_dates_fall_back_to_modification_time() {
        let day = published(2026, 3, 2, None);
        let earlier = SystemTime::UNIX_EPOCH + Duration::from_secs(10);
        let later = SystemTime::UNIX_EPOCH + Duration::from_secs(20);
        assert!(Age::new(day, earlier) < Age::new(day, later));
    }

    #[test]
    fn without_dates_the_modification_time_decides() {
        let earlier = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let later = earlier + Duration::from_secs(60);
        assert!(Age::new(None, earlier) < Age::new(None, later));
    }

    #[test]
    fn displays_dates_with_and_without_time() {
        assert_eq!(
            display(date(2026, 1, 14), Some(time(5, 1, 0, 0))),
            "2026-01-14 05:01"
        );
        assert_eq!(display(date(2026, 1, 14), None), "2026-01-14");
    }
}
