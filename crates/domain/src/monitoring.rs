//! The monitoring dashboard's settings (SPEC section 3 and 11; issue 15):
//! the service-level threshold, the contracted lines and a queue's SLA
//! targets, each a number in a checked range.

use crate::Invalid;

/// A whole number in `MIN..=MAX`, refused with the range otherwise.
macro_rules! bounded {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            pub const MIN: i64 = $min;
            pub const MAX: i64 = $max;

            pub fn new(n: i64) -> Result<$name, Invalid> {
                if (Self::MIN..=Self::MAX).contains(&n) {
                    Ok($name(n))
                } else {
                    Err(Invalid::number_range(Self::MIN, Self::MAX))
                }
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }
    };
}

bounded!(
    /// The service-level threshold in seconds (SPEC section 11; default 20).
    SlThreshold,
    1,
    600
);
bounded!(
    /// MON-1's total: the lines (channels) in the contract.
    ContractedLines,
    1,
    100_000
);
bounded!(
    /// An answer-rate or service-level target, in percent.
    RateTarget,
    1,
    100
);
bounded!(
    /// The waiting-callers alarm of a queue.
    WaitingAlarm,
    1,
    10_000
);
bounded!(
    /// The longest-wait alarm of a queue, in seconds (up to a day).
    WaitAlarm,
    1,
    86_400
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bound_is_inclusive_and_one_past_it_is_refused() {
        assert_eq!(SlThreshold::new(20).unwrap().get(), 20);
        assert!(SlThreshold::new(0).is_err());
        assert!(SlThreshold::new(600).is_ok());
        assert!(SlThreshold::new(601).is_err());
        assert!(RateTarget::new(100).is_ok());
        assert!(RateTarget::new(101).is_err());
        assert!(ContractedLines::new(0).is_err());
        assert!(WaitAlarm::new(86_401).is_err());
        assert!(WaitingAlarm::new(1).is_ok());
    }
}
