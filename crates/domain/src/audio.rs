//! Uploaded prompt audio (ARS-2): what kind of file it really is.
//!
//! An upload's name and `Content-Type` are whatever the browser or the user
//! made of them: a PNG renamed `greeting.wav` arrives as `audio/wav`. The
//! file is played to every caller by the telephony provider and in admins'
//! browsers, so it is judged by its content: the first bytes must be a WAV
//! (RIFF/WAVE with a format chunk and sound data) or an MP3 (an ID3 tag
//! followed by, or directly, an MPEG Layer III frame header). What is found
//! there is reported (sample rate, channels, and for WAV the duration), so
//! the UI can show it and a later check can ask for telephone-friendly
//! audio.
//!
//! Only the headers are read: no decoding, and the cost does not grow with
//! the file. The size limit is a separate check, [`check_audio_size`], so a
//! handler can refuse an oversized upload from its `Content-Length` before
//! reading it.

use crate::{FieldCode, Invalid};
use serde::Serialize;

/// The largest prompt file accepted: 5 MiB, about 5 minutes of 8 kHz
/// 16-bit mono WAV or of 128 kbit/s MP3 — far more than any prompt needs.
pub const AUDIO_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// A company's storage for uploaded prompts (ARS-2): how many files, and
/// how many bytes in all. The platform operator sets it per company; until
/// then [`AudioQuota::DEFAULT`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AudioQuota {
    files: u32,
    bytes: u64,
}

impl AudioQuota {
    /// 50 files, 100 MiB: twenty times what a full menu with every prompt
    /// recorded needs.
    pub const DEFAULT: AudioQuota = AudioQuota {
        files: 50,
        bytes: 100 * 1024 * 1024,
    };
    pub const MAX_FILES: u32 = 1000;
    /// 2 GiB.
    pub const MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;

    /// Checks an operator's quota: 1 to [`Self::MAX_FILES`] files, and room
    /// for at least one file of the largest size up to [`Self::MAX_BYTES`].
    /// Errors name the field.
    pub fn parse(files: i64, bytes: i64) -> Result<AudioQuota, Vec<(&'static str, Invalid)>> {
        let mut errors = Vec::new();
        let files = u32::try_from(files)
            .ok()
            .filter(|f| (1..=Self::MAX_FILES).contains(f));
        if files.is_none() {
            errors.push((
                "files",
                Invalid::number_range(1, i64::from(Self::MAX_FILES)),
            ));
        }
        let bytes = u64::try_from(bytes)
            .ok()
            .filter(|b| (AUDIO_MAX_BYTES..=Self::MAX_BYTES).contains(b));
        if bytes.is_none() {
            errors.push((
                "bytes",
                Invalid::number_range(AUDIO_MAX_BYTES as i64, Self::MAX_BYTES as i64),
            ));
        }
        match (files, bytes) {
            (Some(files), Some(bytes)) => Ok(AudioQuota { files, bytes }),
            _ => Err(errors),
        }
    }

    /// A stored quota (checked when saved); `None` columns are the default.
    pub fn from_stored(files: Option<i64>, bytes: Option<i64>) -> AudioQuota {
        AudioQuota {
            files: files
                .and_then(|f| u32::try_from(f).ok())
                .unwrap_or(Self::DEFAULT.files),
            bytes: bytes
                .and_then(|b| u64::try_from(b).ok())
                .unwrap_or(Self::DEFAULT.bytes),
        }
    }

    pub const fn files(self) -> u32 {
        self.files
    }

    pub const fn bytes(self) -> u64 {
        self.bytes
    }
}

/// Refuses a file larger than [`AUDIO_MAX_BYTES`]. The `{max}` parameter is
/// in mebibytes, as the UI shows it.
pub fn check_audio_size(len: u64) -> Result<(), Invalid> {
    if len > AUDIO_MAX_BYTES {
        let mb = AUDIO_MAX_BYTES / (1024 * 1024);
        return Err(Invalid::new(
            FieldCode::FileTooLarge,
            format!("Upload a file of at most {mb} MB."),
        )
        .with("max", mb));
    }
    Ok(())
}

/// What a WAV file's format chunk says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WavInfo {
    /// The codec tag: 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law, 0xFFFE
    /// extensible.
    pub codec: u16,
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    /// Length of the sound data at the stated byte rate, in milliseconds
    /// (of the data present, if the file is cut short).
    pub duration_ms: u64,
}

/// What the first MPEG frame header of an MP3 file says. (Its duration
/// would need every frame read for variable-bit-rate files, so it is not
/// reported.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mp3Info {
    pub sample_rate: u32,
    pub channels: u16,
    /// 0 for "free format" streams.
    pub bitrate_kbps: u32,
}

/// The kind of an uploaded audio file, found from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum AudioFormat {
    Wav(WavInfo),
    Mp3(Mp3Info),
}

fn not_audio(message: &str) -> Invalid {
    Invalid::new(FieldCode::AudioFormat, message).with("formats", "WAV, MP3")
}

impl AudioFormat {
    /// Looks at the content and says whether it is a WAV or an MP3 file.
    pub fn sniff(bytes: &[u8]) -> Result<AudioFormat, Invalid> {
        if bytes.is_empty() {
            return Err(Invalid::required("Choose an audio file."));
        }
        if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WAVE") {
            return wav(bytes).map(AudioFormat::Wav);
        }
        if bytes.starts_with(b"ID3") || frame_header(bytes).is_some() {
            return mp3(bytes).map(AudioFormat::Mp3);
        }
        Err(not_audio("Upload a WAV or MP3 file."))
    }

    /// The media type to serve the file with.
    pub const fn mime_type(&self) -> &'static str {
        match self {
            AudioFormat::Wav(_) => "audio/wav",
            AudioFormat::Mp3(_) => "audio/mpeg",
        }
    }

    /// The file extension to store and serve it under.
    pub const fn extension(&self) -> &'static str {
        match self {
            AudioFormat::Wav(_) => "wav",
            AudioFormat::Mp3(_) => "mp3",
        }
    }
}

fn u16le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Walks the RIFF chunks for `fmt ` and `data`.
fn wav(bytes: &[u8]) -> Result<WavInfo, Invalid> {
    let damaged = || not_audio("This WAV file is damaged or has no sound.");
    let mut format = None;
    let mut data_len = None;
    let mut at = 12usize;
    while let (Some(id), Some(size)) = (bytes.get(at..at + 4), u32le(bytes, at + 4)) {
        let body = at + 8;
        let size = size as usize;
        match id {
            b"fmt " => {
                let fmt = bytes.get(body..body + 16).ok_or_else(damaged)?;
                format = Some((
                    u16le(fmt, 0).ok_or_else(damaged)?,
                    u16le(fmt, 2).ok_or_else(damaged)?,
                    u32le(fmt, 4).ok_or_else(damaged)?,
                    u32le(fmt, 8).ok_or_else(damaged)?,
                    u16le(fmt, 14).ok_or_else(damaged)?,
                ));
            }
            b"data" => {
                // A file cut short (or streamed with an unknown size) has
                // less data than its header says: count what is there.
                data_len = Some(size.min(bytes.len().saturating_sub(body)));
                break;
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        at = match body.checked_add(size).and_then(|e| e.checked_add(size & 1)) {
            Some(next) => next,
            None => break,
        };
    }
    let (codec, channels, sample_rate, byte_rate, bits_per_sample) =
        format.ok_or_else(|| not_audio("This WAV file has no format description."))?;
    if !matches!(codec, 1 | 3 | 6 | 7 | 0xFFFE) {
        return Err(not_audio(
            "This WAV file uses a compressed codec; save it as PCM WAV or MP3.",
        ));
    }
    if channels == 0 || sample_rate == 0 || byte_rate == 0 {
        return Err(damaged());
    }
    let data_len = match data_len {
        Some(n) if n > 0 => n as u64,
        _ => return Err(damaged()),
    };
    Ok(WavInfo {
        codec,
        sample_rate,
        channels,
        bits_per_sample,
        duration_ms: data_len * 1000 / u64::from(byte_rate),
    })
}

/// Skips an ID3v2 tag if there is one, then reads the first frame header.
fn mp3(bytes: &[u8]) -> Result<Mp3Info, Invalid> {
    let mut at = 0usize;
    if bytes.starts_with(b"ID3") {
        // ID3v2: "ID3", version (2), flags (1), size as 4 bytes of 7 bits.
        let header = bytes
            .get(..10)
            .ok_or_else(|| not_audio("This MP3 file is damaged."))?;
        if header[6..10].iter().any(|b| b & 0x80 != 0) {
            return Err(not_audio("This MP3 file is damaged."));
        }
        let size = header[6..10]
            .iter()
            .fold(0usize, |n, &b| (n << 7) | usize::from(b));
        let footer = if header[5] & 0x10 != 0 { 10 } else { 0 };
        at = 10 + size + footer;
        // Some encoders pad after the tag.
        while bytes.get(at) == Some(&0) {
            at += 1;
        }
    }
    let rest = bytes.get(at..).unwrap_or_default();
    frame_header(rest).ok_or_else(|| not_audio("This MP3 file has no sound."))
}

/// An MPEG-1/2/2.5 Layer III frame header at the start of `b`: 11 set sync
/// bits, then a version, layer, bit rate and sample rate that are not the
/// reserved values. Checking all of them, not only the sync bits, keeps
/// random data starting with 0xFF from passing.
fn frame_header(b: &[u8]) -> Option<Mp3Info> {
    let h = b.get(..4)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 0b11; // 00 2.5, 01 reserved, 10 2, 11 1
    let layer = (h[1] >> 1) & 0b11; // 01 Layer III
    let bitrate_index = usize::from(h[2] >> 4);
    let rate_index = usize::from((h[2] >> 2) & 0b11);
    if version == 0b01 || layer != 0b01 || bitrate_index == 0b1111 || rate_index == 0b11 {
        return None;
    }
    const MPEG1_KBPS: [u32; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const MPEG2_KBPS: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    const MPEG1_RATES: [u32; 3] = [44100, 48000, 32000];
    let (kbps, base) = if version == 0b11 {
        (MPEG1_KBPS, MPEG1_RATES[rate_index])
    } else {
        let divisor = if version == 0b10 { 2 } else { 4 };
        (MPEG2_KBPS, MPEG1_RATES[rate_index] / divisor)
    };
    let mono = (h[3] >> 6) == 0b11;
    Some(Mp3Info {
        sample_rate: base,
        channels: if mono { 1 } else { 2 },
        bitrate_kbps: kbps[bitrate_index],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WAV file with a `fmt ` chunk and `samples` bytes of silence,
    /// optionally with a `LIST` chunk before the format.
    fn wav_bytes(
        codec: u16,
        rate: u32,
        channels: u16,
        bits: u16,
        data: usize,
        list: bool,
    ) -> Vec<u8> {
        let block = channels * bits / 8;
        let mut fmt = Vec::new();
        fmt.extend(codec.to_le_bytes());
        fmt.extend(channels.to_le_bytes());
        fmt.extend(rate.to_le_bytes());
        fmt.extend((rate * u32::from(block)).to_le_bytes());
        fmt.extend(block.to_le_bytes());
        fmt.extend(bits.to_le_bytes());
        let mut body = b"WAVE".to_vec();
        if list {
            body.extend(b"LIST");
            body.extend(5u32.to_le_bytes());
            body.extend(b"INFO!\0"); // odd size, padded
        }
        body.extend(b"fmt ");
        body.extend((fmt.len() as u32).to_le_bytes());
        body.extend(&fmt);
        body.extend(b"data");
        body.extend((data as u32).to_le_bytes());
        body.extend(vec![0u8; data]);
        let mut file = b"RIFF".to_vec();
        file.extend((body.len() as u32).to_le_bytes());
        file.extend(body);
        file
    }

    /// An MPEG-1 Layer III frame header: 128 kbit/s, 44.1 kHz, joint stereo.
    const FRAME: [u8; 4] = [0xFF, 0xFB, 0x90, 0x64];

    fn id3(size: usize) -> Vec<u8> {
        let mut tag = b"ID3\x04\x00\x00".to_vec();
        tag.extend([
            ((size >> 21) & 0x7F) as u8,
            ((size >> 14) & 0x7F) as u8,
            ((size >> 7) & 0x7F) as u8,
            (size & 0x7F) as u8,
        ]);
        tag.extend(vec![b'T'; size]);
        tag
    }

    #[test]
    fn a_pcm_wav_is_recognised_with_its_duration() {
        // One second of 8 kHz 16-bit mono is 16,000 bytes.
        let file = wav_bytes(1, 8000, 1, 16, 16_000, false);
        let AudioFormat::Wav(info) = AudioFormat::sniff(&file).unwrap() else {
            panic!("not a WAV");
        };
        assert_eq!(
            info,
            WavInfo {
                codec: 1,
                sample_rate: 8000,
                channels: 1,
                bits_per_sample: 16,
                duration_ms: 1000
            }
        );
        let f = AudioFormat::sniff(&file).unwrap();
        assert_eq!((f.mime_type(), f.extension()), ("audio/wav", "wav"));
    }

    #[test]
    fn wav_chunks_before_the_format_are_skipped() {
        let file = wav_bytes(7, 8000, 1, 8, 4000, true); // µ-law, half a second
        let AudioFormat::Wav(info) = AudioFormat::sniff(&file).unwrap() else {
            panic!("not a WAV");
        };
        assert_eq!((info.codec, info.duration_ms), (7, 500));
        let stereo = wav_bytes(1, 44100, 2, 16, 44100 * 4 * 2, false);
        let AudioFormat::Wav(info) = AudioFormat::sniff(&stereo).unwrap() else {
            panic!("not a WAV");
        };
        assert_eq!((info.channels, info.duration_ms), (2, 2000));
    }

    #[test]
    fn a_wav_cut_short_counts_the_data_present() {
        let mut file = wav_bytes(1, 8000, 1, 16, 16_000, false);
        file.truncate(file.len() - 8000);
        let AudioFormat::Wav(info) = AudioFormat::sniff(&file).unwrap() else {
            panic!("not a WAV");
        };
        assert_eq!(info.duration_ms, 500);
    }

    #[test]
    fn broken_or_unplayable_wavs_are_refused() {
        let no_data = wav_bytes(1, 8000, 1, 16, 0, false);
        let compressed = wav_bytes(2, 8000, 1, 4, 100, false); // MS ADPCM
        let zero_rate = wav_bytes(1, 0, 1, 16, 100, false);
        let mut no_fmt = b"RIFF\x10\0\0\0WAVEdata\x04\0\0\0\0\0\0\0".to_vec();
        let header_only = b"RIFF\x04\0\0\0WAVE".to_vec();
        let mut cut_fmt = wav_bytes(1, 8000, 1, 16, 100, false);
        cut_fmt.truncate(30);
        let huge_chunk = b"RIFF\xff\xff\xff\xffWAVEJUNK\xff\xff\xff\xff".to_vec();
        no_fmt.push(0);
        for (name, bytes) in [
            ("no data", no_data),
            ("compressed", compressed),
            ("zero rate", zero_rate),
            ("no fmt", no_fmt),
            ("header only", header_only),
            ("cut fmt", cut_fmt),
            ("huge chunk", huge_chunk),
        ] {
            let err = AudioFormat::sniff(&bytes).expect_err(name);
            assert_eq!(err.code, FieldCode::AudioFormat, "{name}");
        }
    }

    #[test]
    fn an_mp3_is_recognised_by_frame_sync_or_id3() {
        let mut bare = FRAME.to_vec();
        bare.extend([0u8; 100]);
        let expected = Mp3Info {
            sample_rate: 44100,
            channels: 2,
            bitrate_kbps: 128,
        };
        assert_eq!(
            AudioFormat::sniff(&bare).unwrap(),
            AudioFormat::Mp3(expected)
        );

        let mut tagged = id3(300);
        tagged.extend([0, 0, 0]); // padding after the tag
        tagged.extend(FRAME);
        tagged.extend([0u8; 100]);
        let f = AudioFormat::sniff(&tagged).unwrap();
        assert_eq!(f, AudioFormat::Mp3(expected));
        assert_eq!((f.mime_type(), f.extension()), ("audio/mpeg", "mp3"));

        // MPEG-2 Layer III, 22.05 kHz mono 64 kbit/s: a typical voice prompt.
        let voice = [0xFF, 0xF3, 0x80, 0xC4];
        assert_eq!(
            AudioFormat::sniff(&voice).unwrap(),
            AudioFormat::Mp3(Mp3Info {
                sample_rate: 22050,
                channels: 1,
                bitrate_kbps: 64
            })
        );
    }

    #[test]
    fn other_files_are_refused_whatever_their_name() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF".to_vec();
        let avi = b"RIFF\x10\0\0\0AVI LIST\0\0\0\0".to_vec();
        let ogg = b"OggS\0\x02\0\0\0\0\0\0\0\0".to_vec();
        let text = "안녕하세요, 인사말입니다.".as_bytes().to_vec();
        let layer2 = vec![0xFF, 0xFD, 0x90, 0x64]; // MPEG-1 Layer II
        let reserved_rate = vec![0xFF, 0xFB, 0x9C, 0x64];
        let bad_bitrate = vec![0xFF, 0xFB, 0xF0, 0x64];
        let reserved_version = vec![0xFF, 0xEB, 0x90, 0x64];
        let mut tag_without_audio = id3(20);
        tag_without_audio.extend(b"not audio");
        let tag_too_short = b"ID3\x04\0\0\0\0".to_vec();
        let mut tag_bad_size = id3(0);
        tag_bad_size[6] = 0x80;
        for (name, bytes) in [
            ("png", png),
            ("jpeg", jpeg),
            ("avi", avi),
            ("ogg", ogg),
            ("text", text),
            ("layer 2", layer2),
            ("reserved rate", reserved_rate),
            ("bad bitrate", bad_bitrate),
            ("reserved version", reserved_version),
            ("tag without audio", tag_without_audio),
            ("tag too short", tag_too_short),
            ("tag bad size", tag_bad_size),
            ("one byte", vec![0xFF]),
        ] {
            let err = AudioFormat::sniff(&bytes).expect_err(name);
            assert_eq!(err.code, FieldCode::AudioFormat, "{name}");
            assert_eq!(err.params, vec![("formats", "WAV, MP3".to_owned())]);
        }
        assert_eq!(
            AudioFormat::sniff(&[]).unwrap_err().code,
            FieldCode::Required
        );
    }

    #[test]
    fn the_size_limit_is_checked_separately() {
        assert!(check_audio_size(0).is_ok());
        assert!(check_audio_size(AUDIO_MAX_BYTES).is_ok());
        let err = check_audio_size(AUDIO_MAX_BYTES + 1).unwrap_err();
        assert_eq!(err.code, FieldCode::FileTooLarge);
        assert_eq!(err.params, vec![("max", "5".to_owned())]);
    }

    #[test]
    fn the_format_serialises_with_its_details() {
        let f = AudioFormat::sniff(&wav_bytes(1, 8000, 1, 16, 1600, false)).unwrap();
        assert_eq!(
            serde_json::to_value(f).unwrap(),
            serde_json::json!({"format": "wav", "codec": 1, "sample_rate": 8000, "channels": 1,
                "bits_per_sample": 16, "duration_ms": 100})
        );
    }
}
