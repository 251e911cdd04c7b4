//! Where a call stands between two requests of the flow. The engine keeps no
//! state: the provider hands the position back with the caller's input (a
//! Twilio action URL as `?at=menu.1`, the JSON contract as `"at"`), so it is
//! parsed like any input — strictly, and short.

use std::fmt;

/// A point in the flow at which the engine waits for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A new call (or "2, back to the start" from a message).
    Start,
    /// The menu was read out; `tries` earlier attempts gave no valid digit.
    Menu { tries: u8 },
    /// The information message of menu `digit` was played, followed by
    /// "1 to hear again, 2 for the start".
    Info { digit: u8, tries: u8 },
    /// Agents of menu `digit` are busy and a callback was offered.
    BusyOffer { digit: u8 },
    /// The center is closed and a callback was offered.
    ClosedOffer,
}

impl Position {
    /// The longest text a position is written as (`info.9.9`).
    pub const MAX_LEN: usize = 16;

    /// Parses what [`Position`]'s `Display` wrote; anything else is `None`.
    pub fn parse(s: &str) -> Option<Position> {
        if s.len() > Self::MAX_LEN {
            return None;
        }
        let mut parts = s.split('.');
        let name = parts.next()?;
        let mut number = || -> Option<u8> {
            let p = parts.next()?;
            (p.len() == 1).then_some(())?;
            p.parse::<u8>().ok()
        };
        let position = match name {
            "start" => Position::Start,
            "menu" => Position::Menu { tries: number()? },
            "info" => {
                let digit = number()?;
                Position::Info {
                    digit,
                    tries: number()?,
                }
            }
            "busy" => Position::BusyOffer { digit: number()? },
            "closed" => Position::ClosedOffer,
            _ => return None,
        };
        parts.next().is_none().then_some(position)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Start => f.write_str("start"),
            Position::Menu { tries } => write!(f, "menu.{tries}"),
            Position::Info { digit, tries } => write!(f, "info.{digit}.{tries}"),
            Position::BusyOffer { digit } => write!(f, "busy.{digit}"),
            Position::ClosedOffer => f.write_str("closed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_position_reads_back_as_itself() {
        let all = [
            Position::Start,
            Position::Menu { tries: 0 },
            Position::Menu { tries: 2 },
            Position::Info { digit: 3, tries: 1 },
            Position::BusyOffer { digit: 0 },
            Position::ClosedOffer,
        ];
        for p in all {
            assert_eq!(Position::parse(&p.to_string()), Some(p), "{p}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "menu",
            "menu.",
            "menu.x",
            "menu.12",
            "menu.1.2",
            "info.1",
            "busy",
            "start.1",
            "closed.0",
            "MENU.1",
            " menu.1",
            "menu.-1",
            "info.1.1.1",
            "aaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert_eq!(Position::parse(bad), None, "{bad:?}");
        }
    }
}
