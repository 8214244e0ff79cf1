//! Criterion benches of the scorer kernel and the aggregation on one million
//! synthetic households (3.6 members each on average), with and without
//! missing values. Run: `cargo bench --bench score`.

use arrow_array::RecordBatch;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dachieu::ingest::build::{hh_index_column, TableBuilder};
use dachieu::ingest::validate::Typed;
use dachieu::schema::{TableKind, HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};

const N: usize = 1_000_000;

/// splitmix64: a tiny deterministic generator, so the bench needs no extra crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

fn idx(kind: TableKind, name: &str) -> usize {
    kind.columns().iter().position(|c| c.name == name).unwrap()
}

/// Households and members like a province's review: incomes around the
/// lines, a mix of deprivations, `missing` = share of blank cells.
fn synth(missing: f64) -> (RecordBatch, RecordBatch) {
    let mut r = Rng(42);
    let provinces = ["01", "11", "30", "79", "89", "91"];
    let mut hh = TableBuilder::new(HOUSEHOLD_COLUMNS);
    let mut mem = TableBuilder::new(MEMBER_COLUMNS);
    let mut hh_idx = Vec::new();
    let h = |n| idx(TableKind::Households, n);
    let m = |n| idx(TableKind::Members, n);
    for i in 0..N {
        let size = 1 + r.below(6) as i64;
        let maybe =
            |v: Typed<'static>, r: &mut Rng| if r.chance(missing) { Typed::Null } else { v };
        let b = |r: &mut Rng, p: f64| Typed::Bool(r.chance(p));
        let row = vec![
            (h("survey_year"), Typed::Int(2020)),
            (h("household_id"), Typed::Str(format!("{i:08}").into())),
            (
                h("province_code"),
                Typed::Str(provinces[i % provinces.len()].into()),
            ),
            (
                h("area"),
                Typed::Str(if r.chance(0.35) { "urban" } else { "rural" }.into()),
            ),
            (h("household_size"), Typed::Int(size)),
            (
                h("income_per_capita_month"),
                maybe(Typed::Int(300_000 + r.below(3_000_000) as i64), &mut r),
            ),
            (h("walls_durable"), {
                let v = b(&mut r, 0.8);
                maybe(v, &mut r)
            }),
            (h("columns_durable"), {
                let v = b(&mut r, 0.8);
                maybe(v, &mut r)
            }),
            (h("roof_durable"), {
                let v = b(&mut r, 0.8);
                maybe(v, &mut r)
            }),
            (
                h("floor_area_m2"),
                maybe(Typed::Float(5.0 + r.below(120) as f64), &mut r),
            ),
            (
                h("water_source"),
                maybe(
                    Typed::Str(["piped", "protected_well", "surface"][r.below(3) as usize].into()),
                    &mut r,
                ),
            ),
            (
                h("latrine"),
                maybe(
                    Typed::Str(["septic_tank", "single_pit", "none"][r.below(3) as usize].into()),
                    &mut r,
                ),
            ),
            (h("has_tv"), {
                let v = b(&mut r, 0.9);
                maybe(v, &mut r)
            }),
            (h("has_radio"), {
                let v = b(&mut r, 0.3);
                maybe(v, &mut r)
            }),
            (h("has_computer"), {
                let v = b(&mut r, 0.4);
                maybe(v, &mut r)
            }),
            (h("hears_loudspeaker"), {
                let v = b(&mut r, 0.7);
                maybe(v, &mut r)
            }),
        ];
        hh.push_row(row);
        for k in 0..size {
            let age = if k == 0 {
                25 + r.below(50) as i64
            } else {
                r.below(80) as i64
            };
            let maybe =
                |v: Typed<'static>, r: &mut Rng| if r.chance(missing) { Typed::Null } else { v };
            let row = vec![
                (m("survey_year"), Typed::Int(2020)),
                (m("household_id"), Typed::Str(format!("{i:08}").into())),
                (m("member_id"), Typed::Str((k + 1).to_string().into())),
                (m("age"), maybe(Typed::Int(age), &mut r)),
                (m("birth_year"), Typed::Int(2020 - age)),
                (m("sick_last_12m"), {
                    let v = Typed::Bool(r.chance(0.1));
                    maybe(v, &mut r)
                }),
                (m("sought_care"), {
                    let v = Typed::Bool(r.chance(0.8));
                    maybe(v, &mut r)
                }),
                (m("has_health_insurance"), {
                    let v = Typed::Bool(r.chance(0.9));
                    maybe(v, &mut r)
                }),
                (
                    m("education_level"),
                    maybe(
                        Typed::Str(
                            ["primary", "lower_secondary", "upper_secondary"][r.below(3) as usize]
                                .into(),
                        ),
                        &mut r,
                    ),
                ),
                (m("in_school"), {
                    let v = Typed::Bool(age < 18 && r.chance(0.9));
                    maybe(v, &mut r)
                }),
                (m("uses_phone"), {
                    let v = Typed::Bool(r.chance(0.8));
                    maybe(v, &mut r)
                }),
                (m("uses_internet"), {
                    let v = Typed::Bool(r.chance(0.6));
                    maybe(v, &mut r)
                }),
            ];
            mem.push_row(row);
            hh_idx.push(i as u32);
        }
    }
    let order: Vec<usize> = (0..hh.len()).collect();
    let morder: Vec<usize> = (0..mem.len()).collect();
    (
        hh.finish(&order, Vec::new()).unwrap(),
        mem.finish(&morder, vec![hh_index_column(hh_idx)]).unwrap(),
    )
}

fn bench(c: &mut Criterion) {
    let st = dachieu::standard::resolve("vn-2016-2020").unwrap();
    let opts = dachieu::score::ScoreOptions::default();
    let mut g = c.benchmark_group("score_1m_households");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    let mut scored = None;
    for (label, missing) in [("complete", 0.0), ("missing_2pct", 0.02)] {
        let (hh, mem) = synth(missing);
        g.bench_with_input(
            BenchmarkId::new("score", label),
            &(hh.clone(), mem.clone()),
            |b, (hh, mem)| b.iter(|| dachieu::score::score_year(&st, hh, mem, &opts).unwrap()),
        );
        scored = Some(dachieu::score::score_year(&st, &hh, &mem, &opts).unwrap());
    }
    let scored = vec![scored.unwrap()];
    g.bench_function("tables_province_district", |b| {
        b.iter(|| {
            dachieu::export::tables::tables(
                &scored,
                &[
                    dachieu::measure::Level::Province,
                    dachieu::measure::Level::District,
                ],
                &Default::default(),
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
