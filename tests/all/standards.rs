//! Standards: every bundled example passes through the real engine; a broken
//! standard reports all its problems at once, each with file and line.

use crate::common::*;

#[test]
fn bundled_standard_examples_all_pass() {
    let st = dachieu::standard::resolve("vn-2016-2020").unwrap();
    assert_eq!(st.indicators.len(), 10);
    let (failures, n) = dachieu::score::examples::run_examples(&st);
    assert!(n >= 40, "each indicator carries worked examples ({n})");
    assert!(failures.is_empty(), "{failures:#?}");
    let o = dachieu(&repo(), &["standards", "check", "vn-2016-2020"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("examples pass"));
}

#[test]
fn list_and_show() {
    let o = dachieu(&repo(), &["standards", "list"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("vn-2016-2020"));
    let o = dachieu(&repo(), &["standards", "show", "vn-2016-2020", "--sql"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("poverty ≤ 700000"), "{}", o.stdout);
    assert!(o.stdout.contains("SQL:"));
    let o = dachieu(&repo(), &["standards", "show", "no-such-standard"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown standard"), "{}", o.stderr);
}

#[test]
fn a_broken_standard_reports_every_problem_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("broken");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(repo().join("indicators/vn-2016-2020")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let edit = |file: &str, from: &str, to: &str| {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // 1. unknown key; 2. unknown column in a rule; 3. bad rule syntax;
    // 4. weights not summing to one; 5. an indicator listed twice.
    edit("telecom.toml", "level =", "colour = \"red\"\nlevel =");
    edit(
        "floor_area.toml",
        "deprived_if = \"floor_area_m2 <",
        "deprived_if = \"floor_areaa_m2 <",
    );
    edit("latrine.toml", "latrine not in", "latrine not in (");
    edit("info_assets.toml", "weight = 0.1", "weight = 0.3");
    edit(
        "standard.toml",
        "\"health_access\",",
        "\"health_access\", \"health_access\",",
    );
    let o = dachieu(tmp.path(), &["standards", "check", p(&dir)]);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    let err = &o.stderr;
    let has = |file: &str, words: &str| {
        err.lines().any(|l| {
            l.contains(file)
                && l.contains(words)
                && l.split(':')
                    .nth(1)
                    .is_some_and(|n| n.trim().parse::<u32>().is_ok())
        })
    };
    assert!(has("telecom.toml", "unknown key `colour`"), "{err}");
    assert!(has("floor_area.toml", "floor_areaa_m2"), "{err}");
    assert!(err.contains("did you mean `floor_area_m2`"), "{err}");
    assert!(has("latrine.toml", "latrine"), "{err}");
    assert!(err.contains("weights sum to"), "{err}");
    assert!(has("standard.toml", "listed twice"), "{err}");
}
