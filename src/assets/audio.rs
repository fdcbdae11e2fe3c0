//! Recordings of lessons made at build time: eSpeak NG says the lesson's spoken text, opusenc
//! compresses it for a village's 3G, and the result is cached so an unchanged lesson costs
//! nothing on the next build.
//!
//! Both programs are run as commands (Debian packages `espeak-ng` and `opus-tools`). The text
//! goes to the engine in a file (`-f`), never on the command line, so no lesson text can become
//! an option or need escaping. The encoder writes Ogg Opus at 16 kbit/s mono, tuned for speech:
//! about a third smaller than MP3 (lame) at the same clarity, which at such rates has to drop to
//! 16 kHz and sounds muffled; Chromium, Firefox and Android play it, Safari since version 17.
//! A Rust encoder crate would mean libopus built from C in the build; the command keeps the
//! binary small and comes with the engine's own package manager.
//!
//! The cache lives in `<site>/.hocso-cache/audio/<key>.opus` (+ `<key>.json` with the duration),
//! where the key hashes the spoken text, the voice, the engine's and the encoder's versions and
//! the settings below. A build writes an entry into a temporary folder and renames it into place,
//! so a stopped build never leaves half a recording; entries not used by a successful build are
//! pruned.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

/// Cache folder, under the site root.
pub const CACHE_DIR: &str = ".hocso-cache/audio";
/// Bump when synthesis or encoding changes, so old cache entries are not reused.
const VERSION: &str = "audio-v1";
/// Words a minute: a little slower than eSpeak's 175, for older listeners.
const RATE: &str = "150";
/// What opusenc is asked for: speech at 16 kbit/s (variable, well under 24), one channel,
/// 60 ms frames (less overhead per second at low rates), medium complexity (half the time of
/// the slowest setting, the same size within 3 %).
const OPUSENC_ARGS: [&str; 10] = [
    "--quiet",
    "--bitrate",
    "16",
    "--speech",
    "--downmix-mono",
    "--framesize",
    "60",
    "--comp",
    "5",
    "--discard-comments",
];
/// The environment variable naming the engine's program, for a machine where it is not on
/// `PATH` (and for tests, which count its runs).
pub const ENGINE_VAR: &str = "HOCSO_ESPEAK_NG";
/// The environment variable naming the encoder's program.
pub const ENCODER_VAR: &str = "HOCSO_OPUSENC";

/// A recording in the cache.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// The Ogg Opus file in the cache.
    pub file: PathBuf,
    pub bytes: u64,
    /// Length of the speech.
    pub seconds: f64,
}

/// The cache entry's `<key>.json`.
#[derive(Serialize, Deserialize)]
struct Info {
    seconds: f64,
}

/// The two programs, found and asked for their versions.
#[derive(Clone, Debug)]
pub struct Engine {
    espeak: OsString,
    opusenc: OsString,
    /// Both programs' versions, for the cache key.
    versions: String,
}

impl Engine {
    /// Finds eSpeak NG and opusenc (on `PATH`, or named by [`ENGINE_VAR`] and [`ENCODER_VAR`]);
    /// the program that cannot be run otherwise.
    pub fn find() -> Result<Engine, String> {
        let program = |var: &str, name: &str| std::env::var_os(var).unwrap_or_else(|| name.into());
        let (espeak, opusenc) = (program(ENGINE_VAR, "espeak-ng"), program(ENCODER_VAR, "opusenc"));
        let version = |p: &OsString| {
            let out = Command::new(p).arg("--version").stdin(Stdio::null()).output().ok()?;
            let text = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or_default().to_owned();
            out.status.success().then_some(text)
        };
        let a = version(&espeak).ok_or_else(|| espeak.to_string_lossy().into_owned())?;
        let b = version(&opusenc).ok_or_else(|| opusenc.to_string_lossy().into_owned())?;
        Ok(Engine { espeak, opusenc, versions: format!("{a}\n{b}") })
    }
}

/// Counts of real work, so tests and benchmarks can prove the cache works.
#[derive(Debug, Default)]
pub struct Stats {
    pub synthesised: AtomicUsize,
    pub reused: AtomicUsize,
}

/// Makes recordings through the cache, from any thread.
pub struct Synthesiser {
    engine: Engine,
    cache_root: PathBuf,
    used: Mutex<HashSet<String>>,
    pub stats: Stats,
}

impl Synthesiser {
    pub fn new(root: &Path, engine: Engine) -> Synthesiser {
        Synthesiser {
            engine,
            cache_root: root.join(CACHE_DIR),
            used: Mutex::new(HashSet::new()),
            stats: Stats::default(),
        }
    }

    /// The cache key of `text` said by `voice`.
    fn key(&self, text: &str, voice: &str) -> String {
        let mut h = crate::core::digest::Hasher::new();
        for part in [VERSION, &self.engine.versions, voice, RATE, &OPUSENC_ARGS.join(" "), text] {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        crate::core::digest::hex(&h.finish())[..20].to_string()
    }

    /// The cached recording of `text` said by `voice`, if there is one (nothing is made).
    pub fn cached(&self, text: &str, voice: &str) -> Option<Recording> {
        let key = self.key(text, voice);
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone());
        let file = self.cache_root.join(format!("{key}.opus"));
        let info = std::fs::read_to_string(self.cache_root.join(format!("{key}.json"))).ok()?;
        let info: Info = serde_json::from_str(&info).ok()?;
        let bytes = std::fs::metadata(&file).ok()?.len();
        self.stats.reused.fetch_add(1, Ordering::Relaxed);
        Some(Recording { file, bytes, seconds: info.seconds })
    }

    /// The recording of `text` said by `voice` (an eSpeak voice name: letters, digits, `-`),
    /// from the cache or made now.
    pub fn get(&self, text: &str, voice: &str) -> Result<Recording, String> {
        if let Some(found) = self.cached(text, voice) {
            return Ok(found);
        }
        if voice.is_empty() || !voice.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("voice {voice:?}"));
        }
        let key = self.key(text, voice);
        std::fs::create_dir_all(&self.cache_root).map_err(|e| e.to_string())?;
        let tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempdir_in(&self.cache_root)
            .map_err(|e| e.to_string())?;
        let (text_file, wav, opus) =
            (tmp.path().join("text.txt"), tmp.path().join("speech.wav"), tmp.path().join("speech.opus"));
        std::fs::write(&text_file, text).map_err(|e| e.to_string())?;
        run(Command::new(&self.engine.espeak)
            .args(["-v", voice, "-s", RATE, "-w"])
            .arg(&wav)
            .arg("-f")
            .arg(&text_file))?;
        let seconds = wav_seconds(&std::fs::read(&wav).map_err(|e| e.to_string())?)
            .ok_or_else(|| "espeak-ng: no sound".to_owned())?;
        // A serial number from the key makes the file the same on every machine.
        let serial = u32::from_str_radix(&key[..8], 16).unwrap_or(1).to_string();
        run(Command::new(&self.engine.opusenc)
            .args(OPUSENC_ARGS)
            .args(["--serial", &serial])
            .arg(&wav)
            .arg(&opus))?;
        let bytes = std::fs::metadata(&opus).map_err(|e| e.to_string())?.len();
        let json = serde_json::to_string(&Info { seconds }).map_err(|e| e.to_string())?;
        std::fs::write(tmp.path().join("info.json"), json).map_err(|e| e.to_string())?;
        // The sound first, its description last: an entry is complete once its `.json` exists.
        let file = self.cache_root.join(format!("{key}.opus"));
        std::fs::rename(&opus, &file).map_err(|e| e.to_string())?;
        std::fs::rename(tmp.path().join("info.json"), self.cache_root.join(format!("{key}.json")))
            .map_err(|e| e.to_string())?;
        self.stats.synthesised.fetch_add(1, Ordering::Relaxed);
        Ok(Recording { file, bytes, seconds })
    }

    /// Removes cache entries (and leftovers of stopped builds) this build did not use; call
    /// after a successful build.
    pub fn prune(&self) -> usize {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(&self.cache_root) else { return 0 };
        let mut removed = 0;
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let key = name.split('.').next().unwrap_or_default();
            if used.contains(key) && !key.is_empty() {
                continue;
            }
            let path = entry.path();
            let gone =
                if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            removed += usize::from(gone.is_ok());
        }
        removed
    }
}

/// Runs a program to its end; what it said on failure.
fn run(command: &mut Command) -> Result<(), String> {
    let out = command.stdin(Stdio::null()).output().map_err(|e| e.to_string())?;
    if out.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&out.stderr);
    let program = command.get_program().to_string_lossy().into_owned();
    Err(format!("{program}: {} {}", out.status, said.trim()).trim().to_owned())
}

/// The length of a WAV file's sound in seconds, read from its `fmt ` and `data` chunks (eSpeak
/// writes 16-bit mono at 22,050 Hz, but the header is what says so). `None` when the file is not
/// a WAV file or holds no sound.
pub fn wav_seconds(wav: &[u8]) -> Option<f64> {
    if wav.len() < 12 || &wav[..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return None;
    }
    let u16_at = |i: usize| Some(u16::from_le_bytes(wav.get(i..i + 2)?.try_into().ok()?));
    let u32_at = |i: usize| Some(u32::from_le_bytes(wav.get(i..i + 4)?.try_into().ok()?));
    let (mut at, mut bytes_per_second, mut data) = (12, None, None);
    while at + 8 <= wav.len() {
        let size = u32_at(at + 4)? as usize;
        match &wav[at..at + 4] {
            b"fmt " => {
                let (channels, rate, bits) = (u16_at(at + 10)?, u32_at(at + 12)?, u16_at(at + 22)?);
                bytes_per_second = Some(u64::from(channels) * u64::from(rate) * u64::from(bits / 8));
            }
            // A header written before the length was known says 0 or "as much as possible".
            b"data" => data = Some(size.min(wav.len() - at - 8)),
            _ => {}
        }
        at += 8 + size + (size & 1);
    }
    let (per_second, data) = (bytes_per_second?, data?);
    (per_second > 0 && data > 0).then(|| data as f64 / per_second as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(rate: u32, samples: usize) -> Vec<u8> {
        let data = samples * 2;
        let mut w = Vec::new();
        w.extend_from_slice(b"RIFF");
        w.extend_from_slice(&((36 + data) as u32).to_le_bytes());
        w.extend_from_slice(b"WAVEfmt ");
        w.extend_from_slice(&16u32.to_le_bytes());
        w.extend_from_slice(&1u16.to_le_bytes());
        w.extend_from_slice(&1u16.to_le_bytes());
        w.extend_from_slice(&rate.to_le_bytes());
        w.extend_from_slice(&(rate * 2).to_le_bytes());
        w.extend_from_slice(&2u16.to_le_bytes());
        w.extend_from_slice(&16u16.to_le_bytes());
        w.extend_from_slice(b"data");
        w.extend_from_slice(&(data as u32).to_le_bytes());
        w.resize(44 + data, 0);
        w
    }

    #[test]
    fn wav_length_from_its_header() {
        assert_eq!(wav_seconds(&wav(22_050, 44_100)), Some(2.0));
        // A streamed header claims more than the file holds: the file's own length wins.
        let mut streamed = wav(22_050, 22_050);
        streamed[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(wav_seconds(&streamed), Some(1.0));
        assert_eq!(wav_seconds(&wav(22_050, 0)), None);
        assert_eq!(wav_seconds(b"RIFF\0\0\0\0WAVEdata"), None);
        assert_eq!(wav_seconds(b"not a wav"), None);
    }
}
