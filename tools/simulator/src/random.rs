//! Seeded randomness: one ChaCha8 stream per run (`rand_chacha`), so the
//! same seed gives the same traffic on every machine, and the few
//! distributions the model needs, each a line of textbook maths on a uniform
//! draw.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub struct Random(ChaCha8Rng);

impl Random {
    pub fn new(seed: u64) -> Self {
        Random(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform whole number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        self.0.random_range(lo..=hi)
    }

    /// Uniform index below `n` (`n` > 0).
    pub fn index(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.0.random_range(0..n)
    }

    /// Exponential with the given mean (inverse transform): the gaps of a
    /// Poisson process and memoryless patience.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    /// Log-normal with the given median and shape σ (Box–Muller for the
    /// normal draw): talk and after-call-work times are right-skewed.
    pub fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        median * (sigma * z).exp()
    }

    /// An index drawn with the given weights (not all zero).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// Seconds to whole milliseconds, at least `min_ms`.
pub fn ms(seconds: f64, min_ms: i64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let v = (seconds * 1000.0).round() as i64;
    v.max(min_ms)
}
