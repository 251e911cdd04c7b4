//! When the center takes calls: business hours (ARS-4), holidays (ARS-5),
//! Korea's national holidays, and the one evaluator that says whether a
//! tenant is open at an instant.
//!
//! Why one evaluator: the call flow (what a caller hears), the callback
//! worker (when it may call back) and the screens all ask "are we open
//! now?". If each answered on its own they would disagree at exactly the
//! edges that matter (midnight, the end of a range, a holiday, a
//! daylight-saving change), so they all call [`status`].
//!
//! Everything here is pure: no clock, no storage. The caller passes the
//! tenant's hours, holidays, time zone and the instant.

mod clock;
mod holiday;
mod hours;
mod korean_holidays;
mod refusals;
mod status;

pub use clock::{ClockTime, TimeRange};
pub use holiday::{Holiday, HolidayInput, HolidayKind, MAX_HOLIDAY_NAME, Repeat};
pub use hours::{
    BusinessHours, BusinessHoursInput, DayHours, DayInput, GroupsInput, MAX_RANGES_PER_DAY,
    RangeInput,
};
pub use korean_holidays::{NATIONAL_HOLIDAY_YEARS, national_holiday_list, national_holidays};
pub use refusals::FieldRefusals;
pub use status::{ClosedReason, NEXT_OPEN_HORIZON_DAYS, Status, next_open, status};
