//! The sample's charts as a People's Committee would paste them: both maps
//! carry Hoàng Sa and Trường Sa, the 2021 → 2022 change says the standard
//! changed, PNGs are twice the drawing's size, no label is split inside a
//! word, and a class has one colour in every chart.

use crate::common::*;
use std::path::Path;

/// The texts of an SVG's `<text>` elements.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.to_string()))
        .collect()
}

/// The drawing's width and height from the root's viewBox.
fn view_box(svg: &str) -> (u32, u32) {
    let v = svg
        .split_once("viewBox=\"")
        .unwrap()
        .1
        .split('"')
        .next()
        .unwrap();
    let n: Vec<u32> = v.split(' ').map(|x| x.parse().unwrap()).collect();
    (n[2], n[3])
}

fn png_size(b: &[u8]) -> (u32, u32) {
    assert!(b.starts_with(b"\x89PNG\r\n\x1a\n") && &b[12..16] == b"IHDR");
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

fn fill_colours(svg: &str) -> usize {
    svg.matches("fill=\"#").count()
}

#[test]
fn sample_charts_carry_islands_caveats_print_size_and_one_colour_per_class() {
    let tmp = tempfile::tempdir().unwrap();
    let o = dachieu(
        tmp.path(),
        &["run", p(&sample_dir()), "--out", "out", "--format", "csv"],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    for (lang, hs, ts, change) in [
        ("vi", "Quần đảo Hoàng Sa", "Quần đảo Trường Sa", "Đổi chuẩn nghèo: năm 2021 phân loại theo chuẩn nghèo tiếp cận đa chiều"),
        ("en", "Hoang Sa archipelago", "Truong Sa archipelago", "Change of standard: 2021 classified under the multidimensional poverty standard for 2016–2020"),
    ] {
        let dir = tmp.path().join("out/report/charts").join(lang);
        let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
        for map in ["map_provinces_63.svg", "map_units_34.svg"] {
            let t = texts(&read(map)).join("\n");
            assert!(t.contains(hs) && t.contains(ts), "{lang} {map}: no islands");
            let parents = if lang == "vi" { ["(Đà Nẵng)", "(Khánh Hòa)"] } else { ["(Da Nang)", "(Khanh Hoa)"] };
            assert!(parents.iter().all(|p| t.contains(p)), "{lang} {map}: {t}");
        }
        let t = texts(&read("poor_change_by_province.svg")).join(" ");
        assert!(t.contains(change), "{lang}: no change-of-standard caveat in {t}");
        assert!(!t.contains("vn-20"), "{lang}: an internal id in the chart");
        let mut n = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "svg") {
                n += 1;
                let svg = std::fs::read_to_string(&path).unwrap();
                assert!(svg.starts_with("<svg width=\"100%\""), "{}", path.display());
                let (w, h) = view_box(&svg);
                let png = std::fs::read(path.with_extension("png")).unwrap();
                assert_eq!(png_size(&png), (2 * w, 2 * h), "{}", path.display());
                no_word_split(&svg, &path);
            }
        }
        assert!(n >= 6, "{lang}: {n} charts");
        // Poor households: vermillion in the bars by province and by indicator;
        // near-poor: orange, and only where near-poor households are shown.
        let (bars, ind) = (read("poor_by_province.svg"), read("deprivation_by_indicator.svg"));
        assert!(bars.contains("fill=\"#D55E00\"") && ind.contains("fill=\"#D55E00\""));
        assert!(bars.contains("fill=\"#E69F00\"") && !ind.contains("fill=\"#E69F00\""));
        assert!(fill_colours(&ind) > 0);
    }
}

/// No text ends in a hyphen after a letter ("Employm-"): labels wrap at
/// spaces only.
fn no_word_split(svg: &str, path: &Path) {
    for t in texts(svg) {
        let t = t.trim_end();
        let mut end = t.chars().rev();
        if let (Some('-'), Some(c)) = (end.next(), end.next()) {
            assert!(
                !c.is_alphabetic(),
                "{}: \"{t}\" splits a word",
                path.display()
            );
        }
    }
}
