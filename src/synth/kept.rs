//! The kept household columns of a synthetic household: whether it is an
//! ethnic-minority household, its village, and a head's name. All three
//! are drawn once per household from a stream of their own (so the
//! contract's columns draw exactly as before) and stay the same in every
//! year. The names are clearly synthetic: a family, a middle and a given
//! name from short lists, put together at random.

use super::household::{Ctx, Household};
use super::record::{Cell, HhRow, H_ETHNIC, H_HEAD, H_VILLAGE};
use super::rng::Rng;

/// The kept columns' random stream ("kept").
const KEPT_STREAM: u64 = 0x6b65_7074;

/// Ethnic minorities' approximate share of the population by region, in
/// `frame::REGIONS` order (Red River Delta, Northern Midlands and
/// Mountains, North Central and Central Coast, Central Highlands,
/// Southeast, Mekong Delta): rounded from the 2019 Population and Housing
/// Census (GSO), whose national share is 14.7 %. Synthetic data: used only
/// so that the column varies as it does across the country.
pub const ETHNIC_SHARE: [f64; 6] = [0.02, 0.56, 0.10, 0.38, 0.05, 0.08];

const FAMILY: [&str; 12] = [
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
];
const FAMILY_MINORITY: [&str; 10] = [
    "Lò", "Quàng", "Giàng", "Sùng", "Vàng", "Hà", "Lường", "Thạch", "Danh", "Triệu",
];
const MIDDLE_MALE: [&str; 4] = ["Văn", "Đức", "Minh", "Hữu"];
const MIDDLE_FEMALE: [&str; 3] = ["Thị", "Ngọc", "Thu"];
const GIVEN_MALE: [&str; 10] = [
    "An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Tuấn", "Sơn", "Nam", "Long",
];
const GIVEN_FEMALE: [&str; 8] = ["Lan", "Hoa", "Mai", "Hương", "Thảo", "Linh", "Trang", "Yến"];

fn pick(rng: &mut Rng, list: &[&'static str]) -> &'static str {
    list[rng.below(list.len() as u32) as usize]
}

/// Fill the kept columns of `h`'s row.
pub fn kept_cells(r: &mut HhRow, h: &Household, ctx: &Ctx) {
    let mut rng = Rng::new(ctx.seed, h.key, KEPT_STREAM);
    let share = ETHNIC_SHARE[h.region.min(5)];
    // Minorities live mostly in rural communes.
    let p = if h.urban {
        share * 0.4
    } else {
        (share * 1.15).min(0.95)
    };
    let minority = rng.chance(p);
    r[H_ETHNIC] = Cell::Bool(minority);
    let kind = match (h.urban, h.region) {
        (true, _) => "Tổ dân phố",
        (false, 1 | 3) => "Bản",
        (false, 4 | 5) => "Ấp",
        _ => "Thôn",
    };
    r[H_VILLAGE] = Cell::Village {
        kind,
        n: 1 + rng.below(12) as u8,
    };
    let male = rng.chance(0.75);
    let family = if minority && rng.chance(0.7) {
        pick(&mut rng, &FAMILY_MINORITY)
    } else {
        pick(&mut rng, &FAMILY)
    };
    let (middle, given) = if male {
        (pick(&mut rng, &MIDDLE_MALE), pick(&mut rng, &GIVEN_MALE))
    } else {
        (
            pick(&mut rng, &MIDDLE_FEMALE),
            pick(&mut rng, &GIVEN_FEMALE),
        )
    };
    r[H_HEAD] = Cell::Name {
        family,
        middle,
        given,
    };
}
