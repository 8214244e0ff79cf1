//! The report's stylesheet, inlined into every HTML report so the file
//! stands alone: system fonts only (no web font, no URL), a layout that
//! reflows on a phone (where each chart gives way to its table of numbers:
//! its text would be under 11 px), and print rules for A4 (wide tables on landscape
//! pages, header rows repeated, nothing split across pages where avoidable).

pub(crate) const CSS: &str = r#"
:root{--ink:#1d2733;--muted:#5b6776;--line:#d5dce4;--soft:#f3f5f8;--poor:#b3261e;--near:#b86e00;--link:#1f5f99}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif}
.page{max-width:1100px;margin:0 auto;padding:1.25rem 1rem 3rem}
header.top{border-bottom:3px solid var(--poor);padding-bottom:.6rem;margin-bottom:.5rem}
h1{font-size:clamp(1.45rem,4vw,2.1rem);line-height:1.2;margin:0 0 .4rem}
h2{font-size:1.35rem;margin:2.2rem 0 .8rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1.1rem;margin:0 0 .6rem}
.meta{color:var(--muted);margin:.1rem 0}
.badge{display:inline-block;padding:0 .5rem;border:1px solid var(--line);border-radius:1rem;background:var(--soft);font-size:.85rem}
.badge.provisional{border-color:#b45309;color:#92400e;background:#fffbeb}
h3 .std{font-weight:normal;color:var(--muted);font-size:.85rem;margin-left:.4rem}
nav.toc ol{list-style:none;margin:.6rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;font-size:.95rem}
nav.toc a,main a{color:var(--link)}
.year{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem 1rem;margin:0 0 1rem;background:var(--soft);break-inside:avoid}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;margin:0}
.stat{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.6rem .85rem}
.stat dt{font-size:.9rem;color:var(--muted)}
.stat dd{margin:0}
.stat .big{font-size:2.1rem;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums;white-space:nowrap}
.stat.poor .big{color:var(--poor)}
.stat.near .big{color:var(--near)}
.stat .part{font-size:.9rem;color:var(--muted)}
.stat .part span{color:var(--ink);font-weight:600;white-space:nowrap}
figure.chart{margin:1rem 0 1.8rem;break-inside:avoid}
figure.chart .svg{overflow-x:auto}
figure.chart svg{display:block;max-width:100%;height:auto;margin:0 auto}
figure.chart .data,.notes.narrow{display:none}
.data p.unit{margin:0 0 .3rem;color:var(--muted);font-size:.9rem}
tbody th{font-weight:normal;text-align:left;white-space:nowrap;border-top:1px solid var(--line)}
.data tbody th{white-space:normal;min-width:7rem}
figcaption{font-size:.92rem;color:var(--muted);text-align:center;margin-top:.35rem}
.table{margin:1rem 0 1.5rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.84rem}
h3.caption{font-size:1rem;margin:0 0 .4rem}
th,td{padding:.3rem .5rem;border-top:1px solid var(--line);vertical-align:top;background:#fff}
td{white-space:nowrap}
td.long{white-space:normal;min-width:16rem}
.key{position:sticky;left:0;z-index:1;box-shadow:inset -1px 0 0 var(--line)}
thead th{background:var(--soft);text-align:left;font-weight:600;vertical-align:bottom;line-height:1.25}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
thead th.num{white-space:normal;min-width:4.5rem}
tbody tr:nth-child(even) td{background:#fafbfc}
tbody tr.total td{font-weight:700;background:#fbf1f0}
td.missing{color:var(--muted)}
.notes{color:var(--muted);font-size:.92rem}
ul.notes{margin-top:0}
dl.quality{display:grid;grid-template-columns:max-content auto;gap:.25rem 1.2rem;margin:0 0 .6rem}
dl.quality dt{color:var(--muted)}
dl.quality dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
details{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem}
summary{cursor:pointer;font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:.78rem/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;background:var(--soft);padding:.75rem;border-radius:6px;max-height:40rem;overflow:auto}
footer{margin-top:2.5rem;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:.5rem}
@media (max-width:600px){
body{font-size:15px}
.page{padding:.8rem .6rem 2rem}
.stats{grid-template-columns:1fr 1fr}
.stat .big{font-size:1.6rem}
dl.quality{grid-template-columns:1fr}
dl.quality dd{margin-bottom:.4rem}
}
@media screen and (max-width:600px){
figure.chart .svg{display:none}
figure.chart .data,.notes.narrow{display:block}
}
@page{size:A4;margin:14mm 12mm}
@page wide{size:A4 landscape;margin:10mm}
@media print{
body{font-size:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.page{max-width:none;padding:0}
nav.toc{display:none}
h2{break-after:avoid;margin-top:1.2rem}
.stats{grid-template-columns:repeat(4,1fr)}
.stat .big{font-size:1.5rem}
#tables.wide,.table.wide{page:wide}
th,td{padding:1px 3px}
td{white-space:normal}
.key{position:static;box-shadow:none}
.table.xwide table{font-size:6pt}
thead th.num{min-width:0}
td.long{min-width:0}
.scroll{overflow:visible;border:none}
table{font-size:7.5pt}
thead{display:table-header-group}
tr{break-inside:avoid}
figure.chart svg{max-height:170mm;width:auto}
details pre{max-height:none;overflow:visible}
a{color:inherit;text-decoration:none}
}
.lang-link{float:right;margin:0;font-size:.9rem}
dl.frame{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0}
dl.frame dt{font-weight:600}
dl.frame dd{margin:0}
table.provenance{margin:.5rem 0;width:100%;table-layout:fixed}
table.provenance th,table.provenance td{overflow-wrap:anywhere;white-space:normal}
table.provenance th{text-align:left;font-weight:600}
code.hash{word-break:break-all;font-size:.85em}
dl.research dt{font-weight:600;margin-top:.4rem}
dl.research dd{margin:0 0 .2rem 0}
ul.definitions .count{font-weight:600}
.definitions-note a{color:inherit}
section.sign{break-inside:avoid;margin:2rem 0 1rem}
.sign-date{text-align:right;font-style:italic}
.sign-grid{display:grid;grid-template-columns:1fr 1fr;text-align:center;min-height:7rem}
@media print{.lang-link{display:none}section.sign{margin-top:1.5rem}}
"#;
