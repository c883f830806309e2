//! ISO dates as people write them in a map: a year, a month or a day.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A date as written in the file ("2023", "2023-03", "2023-03-14"). The text is kept as
/// written so that saving gives back the same bytes; [`IsoDate::parse`] checks it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IsoDate(pub String);

/// A checked date; months and days are optional, and a missing part sorts first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed date \"{text}\": expected YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct DateError {
    pub text: String,
}

impl IsoDate {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn parse(&self) -> Result<Date, DateError> {
        Date::parse(&self.0)
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Date {
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let error = || DateError {
            text: text.to_owned(),
        };
        let mut parts = text.split('-');
        let number = |part: Option<&str>, digits: usize| -> Result<Option<u16>, DateError> {
            match part {
                None => Ok(None),
                Some(part) if part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()) => {
                    part.parse().map(Some).map_err(|_| error())
                }
                Some(_) => Err(error()),
            }
        };
        let year = number(parts.next(), 4)?.ok_or_else(error)?;
        let month = number(parts.next(), 2)?;
        let day = number(parts.next(), 2)?;
        if parts.next().is_some() {
            return Err(error());
        }
        let month = match month {
            Some(m @ 1..=12) => Some(m as u8),
            Some(_) => return Err(error()),
            None => None,
        };
        let day = match (month, day) {
            (_, None) => None,
            (Some(month), Some(day))
                if day >= 1 && day <= u16::from(days_in_month(year, month)) =>
            {
                Some(day as u8)
            }
            _ => return Err(error()),
        };
        Ok(Date { year, month, day })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_accepts_year_month_and_day_precision() {
        assert_eq!(
            Date::parse("2023").map(|d| (d.year, d.month, d.day)),
            Ok((2023, None, None))
        );
        assert_eq!(Date::parse("2023-03").map(|d| d.month), Ok(Some(3)));
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Ok(Some(29)));
    }

    #[test]
    fn date_rejects_malformed_text() {
        for text in [
            "",
            "23",
            "2023-3",
            "2023-13",
            "2023-02-29",
            "2023-03-00",
            "2023/03",
            "2023-03-14-1",
            "２０２３",
        ] {
            assert!(Date::parse(text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn date_orders_coarser_dates_first() {
        let year = Date::parse("2023").ok();
        let month = Date::parse("2023-01").ok();
        assert!(year < month);
    }
}
