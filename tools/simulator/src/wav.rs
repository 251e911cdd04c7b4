//! Recording files: a valid PCM WAV (RIFF header, 8 kHz, 16-bit mono) of a
//! given length, computed byte by byte so any range of a long recording is
//! served without building the whole file.

/// Samples per second.
pub const RATE: u32 = 8000;
pub const HEADER_LEN: u64 = 44;
/// Longest recording served (an hour).
pub const MAX_MS: u64 = 3_600_000;

/// Total file size for a recording of `duration_ms`.
pub fn size(duration_ms: u64) -> u64 {
    HEADER_LEN + data_len(duration_ms)
}

fn data_len(duration_ms: u64) -> u64 {
    duration_ms.min(MAX_MS) * u64::from(RATE) / 1000 * 2
}

fn header(duration_ms: u64) -> [u8; 44] {
    let data = u32::try_from(data_len(duration_ms)).unwrap_or(u32::MAX - 36);
    let mut h = [0u8; 44];
    let mut put = |at: usize, bytes: &[u8]| h[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, b"RIFF");
    put(4, &(36 + data).to_le_bytes());
    put(8, b"WAVEfmt ");
    put(16, &16u32.to_le_bytes());
    put(20, &1u16.to_le_bytes()); // PCM
    put(22, &1u16.to_le_bytes()); // mono
    put(24, &RATE.to_le_bytes());
    put(28, &(RATE * 2).to_le_bytes()); // bytes per second
    put(32, &2u16.to_le_bytes()); // block align
    put(34, &16u16.to_le_bytes()); // bits per sample
    put(36, b"data");
    put(40, &data.to_le_bytes());
    h
}

/// Sample `i`: a quiet two-tone hum (a "call" to listen to), pausing every
/// other second so it sounds like speech turns.
fn sample(i: u64) -> i16 {
    #[allow(clippy::cast_precision_loss)]
    let t = i as f64 / f64::from(RATE);
    if (i / u64::from(RATE)) % 2 == 1 {
        return 0;
    }
    let v = 0.25 * (2.0 * std::f64::consts::PI * 330.0 * t).sin()
        + 0.15 * (2.0 * std::f64::consts::PI * 495.0 * t).sin();
    #[allow(clippy::cast_possible_truncation)]
    let s = (v * f64::from(i16::MAX)) as i16;
    s
}

/// Bytes `start..end` of the file for a recording of `duration_ms`
/// (`end` is clamped to the file's size).
pub fn bytes(duration_ms: u64, start: u64, end: u64) -> Vec<u8> {
    let end = end.min(size(duration_ms));
    let h = header(duration_ms);
    (start..end)
        .map(|o| {
            if o < HEADER_LEN {
                h[usize::try_from(o).unwrap_or(0)]
            } else {
                let k = o - HEADER_LEN;
                let s = sample(k / 2).to_le_bytes();
                s[usize::try_from(k % 2).unwrap_or(0)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_a_riff_wave_of_the_right_length() {
        let all = bytes(1500, 0, u64::MAX);
        assert_eq!(all.len() as u64, size(1500));
        assert_eq!(all.len(), 44 + 1500 * 16);
        assert_eq!(&all[0..4], b"RIFF");
        assert_eq!(&all[8..16], b"WAVEfmt ");
        assert_eq!(
            u32::from_le_bytes([all[4], all[5], all[6], all[7]]) as usize,
            all.len() - 8
        );
        assert_eq!(&all[36..40], b"data");
        assert_eq!(
            u32::from_le_bytes([all[40], all[41], all[42], all[43]]) as usize,
            all.len() - 44
        );
        // Not silence.
        assert!(all[44..].iter().any(|b| *b != 0));
    }

    #[test]
    fn a_range_is_the_same_bytes_as_the_whole() {
        let all = bytes(2000, 0, u64::MAX);
        assert_eq!(bytes(2000, 40, 100), all[40..100]);
        assert_eq!(bytes(2000, 30_000, 40_000), all[30_000..]);
    }
}
