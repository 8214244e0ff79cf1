//! The synthetic population's random numbers, written here rather than taken
//! from a crate so that a seed gives the same bytes for as long as this file
//! does not change (a crate upgrade may change a stream; this cannot).
//!
//! SplitMix64 turns (seed, key, stream) into a state for xoshiro256**; every
//! household draws from its own generator keyed by its index, so the output
//! does not depend on how households are split into blocks or threads.
//! Normal quantiles and the normal distribution function are computed with
//! published rational approximations (Acklam; Cody via erfc) that are far
//! more precise than anything the generator needs.

/// One SplitMix64 step: the state advances, the output is a mixed copy.
#[inline]
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A 64-bit hash of three words (SplitMix64 chained), for keys and streams.
#[inline]
pub fn mix3(a: u64, b: u64, c: u64) -> u64 {
    let mut s = a;
    let x = splitmix64(&mut s);
    let mut s = x ^ b;
    let y = splitmix64(&mut s);
    let mut s = y ^ c.rotate_left(17);
    splitmix64(&mut s)
}

/// xoshiro256** (Blackman & Vigna, 2018).
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// The generator of `stream` for `key` under `seed`.
    pub fn new(seed: u64, key: u64, stream: u64) -> Rng {
        let mut sm = mix3(seed, key, stream);
        let mut s = [0u64; 4];
        for x in &mut s {
            *x = splitmix64(&mut sm);
        }
        // The all-zero state is the one xoshiro cannot leave.
        if s == [0; 4] {
            s[0] = 1;
        }
        Rng { s }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1), 53 bits.
    #[inline]
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1): safe for quantile functions and logarithms.
    #[inline]
    pub fn open01(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Uniform integer in 0..n (n > 0), by multiply-shift (bias below 2^-32
    /// for the small n used here).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * n as u64) >> 32) as u32
    }

    /// Uniform integer in lo..=hi.
    #[inline]
    pub fn range(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u32) as i32
    }

    /// Standard normal, Box–Muller (one of the pair; simplicity over speed).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.open01();
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// An index drawn with the given weights (need not sum to one; at least
    /// one must be positive).
    pub fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        // Rounding left x at the very end: the last positive weight.
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }
}

/// Standard normal distribution function, via erfc (W. J. Cody's rational
/// approximations as given in Numerical Recipes 3rd ed. §6.2, erfccheb;
/// relative error below 1.2e-7 is ample here). Written with an explicit
/// Chebyshev series so it needs nothing beyond exp.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    // Numerical Recipes `erfc` by Chebyshev fit (fractional error < 1.2e-7).
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Standard normal quantile (P. J. Acklam's algorithm, relative error
/// below 1.15e-9), for p in (0, 1); the ends map to ±8.
pub fn norm_ppf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    if p <= 0.0 || p.is_nan() {
        return -8.0;
    }
    if p >= 1.0 {
        return 8.0;
    }
    let low = 0.024_25;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_fixed_by_their_key() {
        // A pinned value: if this changes, every synthetic file changes.
        let mut r = Rng::new(1, 2, 3);
        let first = r.next_u64();
        assert_eq!(first, Rng::new(1, 2, 3).next_u64());
        assert_ne!(first, Rng::new(1, 2, 4).next_u64());
        assert_ne!(first, Rng::new(2, 2, 3).next_u64());
        let mut s = 0u64;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn uniforms_and_normals_look_right() {
        let mut r = Rng::new(7, 0, 0);
        let n = 200_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            sum += z;
            sq += z * z;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.02, "{var}");
        let below: usize = (0..n).filter(|_| r.below(10) == 3).count();
        assert!((below as f64 / n as f64 - 0.1).abs() < 0.005);
        assert_eq!(r.pick(&[0.0, 0.0, 1.0]), 2);
    }

    #[test]
    fn normal_quantile_inverts_the_distribution_function() {
        for p in [1e-6, 0.001, 0.02, 0.1, 0.3, 0.5, 0.8, 0.975, 0.999] {
            let x = norm_ppf(p);
            assert!(
                (norm_cdf(x) - p).abs() < 2e-7 * p.max(1e-3) * 10.0,
                "{p} {x}"
            );
        }
        assert!((norm_ppf(0.975) - 1.959_963_985).abs() < 1e-8);
        assert!((norm_cdf(1.0) - 0.841_344_746).abs() < 1e-7);
    }
}
