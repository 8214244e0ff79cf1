//! Exact fractions for Alkire–Foster identification. Weights written in TOML
//! as decimals (0.1, 0.16666666666666666) are recovered as the fractions they
//! mean (1/10, 1/6), and a household is poor when its weighted score c ≥ k,
//! compared in integers: a cut-off of 1/3 must never be missed by rounding.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    pub num: i64,
    pub den: i64,
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

pub fn lcm(a: i64, b: i64) -> i64 {
    a / gcd(a, b) * b
}

impl Ratio {
    pub fn new(num: i64, den: i64) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den) * den.signum();
        Some(Ratio {
            num: num / g,
            den: den / g,
        })
    }

    /// The simplest fraction within 1e-13 of `x` with a denominator up to
    /// 1,000,000 (continued fractions), or None when there is none.
    pub fn from_f64(x: f64) -> Option<Ratio> {
        if !x.is_finite() || x.abs() > 1e9 {
            return None;
        }
        let (mut h0, mut h1, mut k0, mut k1) = (0i64, 1i64, 1i64, 0i64);
        let mut v = x;
        for _ in 0..40 {
            let a = v.floor();
            let ai = a as i64;
            (h0, h1) = (h1, ai.checked_mul(h1)?.checked_add(h0)?);
            (k0, k1) = (k1, ai.checked_mul(k1)?.checked_add(k0)?);
            if k1 > 1_000_000 {
                return None;
            }
            if (x - h1 as f64 / k1 as f64).abs() < 1e-13 {
                return Ratio::new(h1, k1);
            }
            let frac = v - a;
            if frac.abs() < 1e-15 {
                break;
            }
            v = 1.0 / frac;
        }
        let _ = (h0, k0);
        None
    }

    /// `3/10`, `1/3`, `0.3`, `1`: decimals are read exactly (0.3 = 3/10).
    pub fn parse(s: &str) -> Option<Ratio> {
        let s = s.trim();
        if let Some((n, d)) = s.split_once('/') {
            return Ratio::new(n.trim().parse().ok()?, d.trim().parse().ok()?);
        }
        match s.split_once('.') {
            None => Ratio::new(s.parse().ok()?, 1),
            Some((int, frac)) => {
                if frac.is_empty() || frac.len() > 12 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let den = 10i64.pow(frac.len() as u32);
                let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
                Ratio::new(
                    int.checked_mul(den)?
                        .checked_add(frac.parse::<i64>().ok()?)?,
                    den,
                )
            }
        }
    }

    pub fn value(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// `self + other`, or None on overflow.
    pub fn checked_add(self, other: Ratio) -> Option<Ratio> {
        let den = self.den.checked_mul(other.den)?;
        let num = self
            .num
            .checked_mul(other.den)?
            .checked_add(other.num.checked_mul(self.den)?)?;
        Ratio::new(num, den)
    }

    /// Exact comparison by cross-multiplication (denominators are positive).
    pub fn cmp_exact(self, other: Ratio) -> std::cmp::Ordering {
        (self.num as i128 * other.den as i128).cmp(&(other.num as i128 * self.den as i128))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_the_fractions_weights_mean() {
        assert_eq!(Ratio::from_f64(0.1), Ratio::new(1, 10));
        assert_eq!(Ratio::from_f64(1.0 / 6.0), Ratio::new(1, 6));
        assert_eq!(Ratio::from_f64(1.0 / 18.0), Ratio::new(1, 18));
        assert_eq!(Ratio::from_f64(0.16666666666666666), Ratio::new(1, 6));
        assert_eq!(Ratio::from_f64(std::f64::consts::PI), None);
    }

    #[test]
    fn parses_fractions_and_exact_decimals() {
        assert_eq!(Ratio::parse("3/10"), Ratio::new(3, 10));
        assert_eq!(Ratio::parse("0.3"), Ratio::new(3, 10));
        assert_eq!(Ratio::parse(" 1/3 "), Ratio::new(1, 3));
        assert_eq!(Ratio::parse("1"), Ratio::new(1, 1));
        assert_eq!(Ratio::parse("x"), None);
        assert_eq!(Ratio::parse("1/0"), None);
        assert_eq!(Ratio::new(6, 18).unwrap().to_string(), "1/3");
    }

    #[test]
    fn adds_and_compares_exactly() {
        let r = |n, d| Ratio::new(n, d).unwrap();
        let third = r(1, 6).checked_add(r(1, 18)).unwrap();
        let third = third.checked_add(r(1, 18)).unwrap().checked_add(r(1, 18));
        assert_eq!(third, Some(r(1, 3)));
        assert_eq!(r(1, 3).cmp_exact(r(2, 6)), std::cmp::Ordering::Equal);
        assert_eq!(r(5, 18).cmp_exact(r(1, 3)), std::cmp::Ordering::Less);
        assert_eq!(r(-1, 2), Ratio::new(1, -2).unwrap());
    }
}
