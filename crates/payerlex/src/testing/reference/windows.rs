//! Time windows the naive way: day differences and month arithmetic written out case by
//! case, independent of the engine's `Date` window helpers.

use crate::facts::Date;
use crate::ir::Window;

/// Whether `date` falls in `window` around `anchor`, written out case by case.
pub(super) fn in_window(window: Window, anchor: Date, date: Date) -> bool {
    let diff = i64::from(date.days_since_epoch()) - i64::from(anchor.days_since_epoch());
    match window {
        Window::Anytime => true,
        Window::SameDate => diff == 0,
        Window::CalendarYear => date.ymd().0 == anchor.ymd().0,
        Window::Days { days, direction } => {
            let n = i64::from(days);
            match direction {
                Some(crate::ir::Direction::Before) => (-n..=-1).contains(&diff),
                Some(crate::ir::Direction::After) => (1..=n).contains(&diff),
                None => (-n..=n).contains(&diff),
            }
        }
        Window::Months { months, direction } => {
            let n = i64::from(months);
            let lo = naive_add_months(anchor, -n).unwrap_or(Date::MIN);
            let hi = naive_add_months(anchor, n).unwrap_or(Date::MAX);
            match direction {
                Some(crate::ir::Direction::Before) => lo <= date && diff < 0,
                Some(crate::ir::Direction::After) => diff > 0 && date <= hi,
                None => lo <= date && date <= hi,
            }
        }
    }
}

/// Calendar months added by counting months, clamping the day to the target month's length.
pub(super) fn naive_add_months(date: Date, months: i64) -> Option<Date> {
    let (y, m, d) = date.ymd();
    let total = i64::from(y) * 12 + i64::from(m) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = u32::try_from(total.rem_euclid(12) + 1).ok()?;
    let mut day = d;
    loop {
        if let Some(date) = Date::from_ymd(year, month, day) {
            return Some(date);
        }
        if day <= 28 {
            return None;
        }
        day -= 1;
    }
}
