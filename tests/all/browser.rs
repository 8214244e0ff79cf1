//! A headless-Chromium harness: open an HTML file at a window width and
//! measure what a reader sees. No WebDriver: the page is copied to a
//! temporary file with a measuring script put first in its `<head>`; the
//! script records console errors and uncaught errors from the start, and
//! on `load` writes its measurements as JSON into `<pre id="measure">`.
//! Headless Chromium lays a window out at least 500 px wide, so the page
//! is opened in an iframe of the width asked for, in a wrapper page that
//! copies the measurement and the page's DOM into its own, which
//! `chromium --dump-dom` hands back.
//!
//! ```ignore
//! let Some(page) = browser::open(&html, 420) else { return }; // no Chromium: skipped
//! assert!(page.console_errors.is_empty(), "{:?}", page.console_errors);
//! assert!(page.min_font_px >= 11.0, "{}", page.min_font_text);
//! assert!(page.overflow_px <= 0.5, "{:?}", page.too_wide);
//! ```

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// What the browser showed, measured after the page loaded.
#[derive(Clone)]
pub struct Page {
    /// The DOM after load, with the measurement appended (`<pre id="measure">`).
    pub dom: String,
    /// The smallest rendered font size, in CSS px, of any visible text
    /// (HTML text by its computed size; SVG text by its size times the
    /// SVG's scale on screen). Infinity when no text is visible.
    pub min_font_px: f64,
    /// That smallest text (its first 80 characters) and its size.
    pub min_font_text: String,
    /// How far the page scrolls sideways: the document's scroll width
    /// less the window's inner width, in CSS px (≤ 0: no sideways scroll).
    pub overflow_px: f64,
    /// The window's inner width the page was laid out in.
    pub inner_width: f64,
    /// Up to 8 elements that reach past the window's right edge outside
    /// any scrolling container ("div.stats", …), for the message.
    pub too_wide: Vec<String>,
    /// `console.error` calls, uncaught errors, unhandled rejections and
    /// resources that failed to load, in order.
    pub console_errors: Vec<String>,
    /// Chromium's own log (stderr), for messages.
    pub log: String,
}

/// The measurements, without the DOM and the browser's log (too long for
/// a message).
impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("min_font_px", &self.min_font_px)
            .field("min_font_text", &self.min_font_text)
            .field("overflow_px", &self.overflow_px)
            .field("inner_width", &self.inner_width)
            .field("too_wide", &self.too_wide)
            .field("console_errors", &self.console_errors)
            .field("dom", &format_args!("{} bytes", self.dom.len()))
            .finish()
    }
}

/// The measuring script, put first in `<head>`.
const MEASURE: &str = r#"<script>
(function(){
var errs=[];
console.error=function(){errs.push(Array.prototype.map.call(arguments,String).join(' '));};
window.addEventListener('error',function(e){
 var t=e.target;
 if(t&&t!==window&&t.tagName){errs.push('failed to load: <'+t.tagName.toLowerCase()+'> '+(t.src||t.href||''));}
 else{errs.push('uncaught: '+(e.message||'error')+(e.filename?' at '+e.filename+':'+e.lineno:''));}
},true);
window.addEventListener('unhandledrejection',function(e){errs.push('unhandled rejection: '+String(e.reason));});
function name(el){var s=el.tagName.toLowerCase();if(el.id)s+='#'+el.id;var c=el.getAttribute('class');if(c)s+='.'+c.trim().split(/\s+/).join('.');return s;}
function scrolls(el){for(var a=el.parentElement;a;a=a.parentElement){var o=getComputedStyle(a).overflowX;if(o==='auto'||o==='scroll'||o==='hidden'||o==='clip')return true;}return false;}
function visible(el){
 if(el.checkVisibility)return el.checkVisibility({contentVisibilityAuto:true,opacityProperty:true,visibilityProperty:true});
 for(var a=el;a;a=a.parentElement){var cs=getComputedStyle(a);if(cs.visibility==='hidden'||cs.display==='none'||cs.opacity==='0')return false;}return true;}
function measure(){
 var min=Infinity,minText='',w=window.innerWidth;
 var walk=document.createTreeWalker(document.body,NodeFilter.SHOW_TEXT,null);
 for(var n=walk.nextNode();n;n=walk.nextNode()){
  var text=n.nodeValue.trim();if(!text)continue;
  var el=n.parentElement;if(!el)continue;
  var r=document.createRange();r.selectNodeContents(n);
  var rects=r.getClientRects(),shown=false;
  for(var i=0;i<rects.length;i++){if(rects[i].width>0&&rects[i].height>0){shown=true;break;}}
  if(!shown||!visible(el))continue;
  var px=parseFloat(getComputedStyle(el).fontSize);
  if(el instanceof SVGElement&&el.getScreenCTM){var m=el.getScreenCTM();if(m)px*=Math.sqrt(Math.abs(m.a*m.d-m.b*m.c));}
  if(px<min){min=px;minText=text.slice(0,80)+' ('+px.toFixed(2)+' px, '+name(el)+')';}
 }
 var wide=[];
 var all=document.body.getElementsByTagName('*');
 for(var j=0;j<all.length&&wide.length<8;j++){
  var b=all[j].getBoundingClientRect();
  if(b.right>w+0.5&&b.width>0&&!scrolls(all[j]))wide.push(name(all[j])+' right='+b.right.toFixed(1));
 }
 var de=document.documentElement;
 var out={min_font_px:min===Infinity?null:min,min_font_text:minText,
  overflow_px:Math.max(de.scrollWidth,document.body.scrollWidth)-w,inner_width:w,too_wide:wide,console_errors:errs};
 var pre=document.createElement('pre');pre.id='measure';pre.textContent=JSON.stringify(out);
 document.body.appendChild(pre);
}
window.addEventListener('load',function(){try{measure();}catch(e){errs.push('measure: '+e);var p=document.createElement('pre');p.id='measure';p.textContent=JSON.stringify({console_errors:errs});document.body.appendChild(p);}});
})();
</script>
"#;

/// The browser on this machine, if any.
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The browser, or None after saying the test is skipped; in CI (where
/// .ci/run installs Chromium) a missing browser fails the test.
pub fn chromium_or_skip() -> Option<&'static str> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have Chromium: .ci/run installs it"
        );
        eprintln!("skipped: no Chromium on this machine (apt-get install chromium)");
    }
    found
}

/// `html` with the measuring script first in its head: after the charset
/// declaration if there is one (which must stay in the first 1,024 bytes),
/// else right after `<head>`, else at the very start.
pub fn with_measure(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let at = match lower.find("<meta charset") {
        Some(i) => lower[i..].find('>').map(|e| i + e + 1),
        None => lower
            .find("<head")
            .and_then(|i| lower[i..].find('>').map(|e| i + e + 1)),
    };
    let at = at.unwrap_or(0);
    format!("{}\n{MEASURE}{}", &html[..at], &html[at..])
}

/// The wrapper: `page.html` in an iframe `width` × 900 px; on load, the
/// page's measurement and DOM copied into `<pre id="measure">` and
/// `<pre id="dom">`.
fn wrapper(width: u32) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{{margin:0}}iframe{{border:0;display:block}}</style></head><body>
<iframe id="page" src="page.html" style="width:{width}px;height:900px"></iframe>
<script>
window.addEventListener('load',function(){{
 var m=document.createElement('pre'),d=document.createElement('pre');m.id='measure';d.id='dom';
 try{{var doc=document.getElementById('page').contentDocument;var r=doc.getElementById('measure');
  m.textContent=r?r.textContent:JSON.stringify({{console_errors:['the page wrote no measurement']}});
  d.textContent=doc.documentElement.outerHTML;}}
 catch(e){{m.textContent=JSON.stringify({{console_errors:['wrapper: '+e]}});}}
 document.body.appendChild(m);document.body.appendChild(d);
}});
</script></body></html>"#
    )
}

/// Open `html_path` in headless Chromium `width` px wide (900 high) and
/// measure it. None when there is no Chromium and this is not CI (the
/// caller returns: skipped). Panics with the browser's log when the page
/// cannot be measured.
pub fn open(html_path: &Path, width: u32) -> Option<Page> {
    let browser = chromium_or_skip()?;
    let html = std::fs::read_to_string(html_path)
        .unwrap_or_else(|e| panic!("{}: {e}", html_path.display()));
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("page.html");
    std::fs::write(&page, with_measure(&html)).unwrap();
    let wrap = tmp.path().join("wrapper.html");
    std::fs::write(&wrap, wrapper(width)).unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--hide-scrollbars",
            // The wrapper reads the framed page's DOM (both are files).
            "--allow-file-access-from-files",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            &format!("--window-size={},900", width.max(500)),
            &format!("--user-data-dir={}", tmp.path().join("profile").display()),
            "--dump-dom",
            &format!("file://{}", wrap.display()),
        ])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed:\n{log}");
    Some(parse(dom, log))
}

/// The text of `<pre id="{id}">` in the wrapper's dumped DOM.
fn pre(dump: &str, id: &str, log: &str) -> String {
    let tag = format!("<pre id=\"{id}\">");
    let start = dump
        .find(&tag)
        .unwrap_or_else(|| panic!("no {tag} in the DOM (did the page load?):\n{log}"));
    let body = &dump[start + tag.len()..];
    unescape(&body[..body.find("</pre>").expect("</pre>")])
}

/// The measurement and the page's DOM out of the wrapper's dumped DOM.
fn parse(dump: String, log: String) -> Page {
    let json = pre(&dump, "measure", &log);
    let dom = pre(&dump, "dom", &log);
    let v: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("measurement {json:?}: {e}\n{log}"));
    let strings = |k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let console_errors = strings("console_errors");
    assert!(
        v.get("min_font_px").is_some(),
        "the measuring script failed: {console_errors:?}"
    );
    Page {
        min_font_px: v["min_font_px"].as_f64().unwrap_or(f64::INFINITY),
        min_font_text: v["min_font_text"].as_str().unwrap_or("").to_string(),
        overflow_px: v["overflow_px"].as_f64().expect("overflow_px"),
        inner_width: v["inner_width"].as_f64().expect("inner_width"),
        too_wide: strings("too_wide"),
        console_errors,
        dom,
        log,
    }
}

/// The text of a `<pre>` as the DOM serialiser escapes it.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Write `body` as a small page under `dir` and open it `width` px wide.
fn page_of(dir: &Path, name: &str, body: &str, width: u32) -> Option<Page> {
    let path = dir.join(name);
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>t</title></head><body style=\"margin:0;font:16px sans-serif\">{body}</body></html>"
    );
    std::fs::write(&path, html).unwrap();
    open(&path, width)
}

#[test]
fn harness_measures_a_plain_page_and_can_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(ok) = page_of(tmp.path(), "ok.html", "<p>Xin chào, Việt Nam</p>", 420) else {
        return;
    };
    assert_eq!(ok.inner_width, 420.0, "{ok:?}");
    assert_eq!(ok.min_font_px, 16.0, "{ok:?}");
    assert!(ok.overflow_px <= 0.0 && ok.too_wide.is_empty(), "{ok:?}");
    assert!(ok.console_errors.is_empty(), "{ok:?}");
    // A tiny font, in HTML and in a scaled-down SVG (12 units drawn at a
    // quarter of their size: 3 px).
    let tiny = page_of(
        tmp.path(),
        "tiny.html",
        "<p>big</p><p style=\"font-size:7px\">small print</p>",
        420,
    )
    .unwrap();
    assert_eq!(tiny.min_font_px, 7.0, "{tiny:?}");
    assert!(tiny.min_font_text.starts_with("small print"), "{tiny:?}");
    let svg = "<svg viewBox=\"0 0 1600 100\" width=\"400\"><text x=\"0\" y=\"50\" font-size=\"12\">Employment</text></svg>";
    let svg = page_of(tmp.path(), "svg.html", svg, 420).unwrap();
    assert!((svg.min_font_px - 3.0).abs() < 0.01, "{svg:?}");
    // Hidden text does not count.
    let hidden = "<p>seen</p><p style=\"display:none;font-size:2px\">a</p>\
                  <details><summary>more</summary><p style=\"font-size:2px\">b</p></details>";
    let hidden = page_of(tmp.path(), "hidden.html", hidden, 420).unwrap();
    assert_eq!(hidden.min_font_px, 16.0, "{hidden:?}");
    // Sideways scroll: a wide block scrolls the page, the same block in
    // its own scrolling box does not.
    let wide = page_of(
        tmp.path(),
        "wide.html",
        "<div style=\"width:700px\">x</div>",
        420,
    )
    .unwrap();
    assert!((wide.overflow_px - 280.0).abs() < 1.0, "{wide:?}");
    assert!(
        wide.too_wide.iter().any(|w| w.starts_with("div")),
        "{wide:?}"
    );
    let boxed = "<div style=\"overflow-x:auto\"><div style=\"width:700px\">x</div></div>";
    let boxed = page_of(tmp.path(), "boxed.html", boxed, 420).unwrap();
    assert!(
        boxed.overflow_px <= 0.0 && boxed.too_wide.is_empty(),
        "{boxed:?}"
    );
    // Errors: console.error, an uncaught exception, a missing image.
    let bad = "<p>x</p><script>console.error('said', 1)</script>\
               <script>null.f()</script><img src=\"missing.png\" alt=\"\">";
    let bad = page_of(tmp.path(), "bad.html", bad, 1400).unwrap();
    assert_eq!(bad.inner_width, 1400.0);
    let errs = bad.console_errors.join("\n");
    assert_eq!(bad.console_errors.len(), 3, "{errs}");
    assert!(errs.contains("said 1"), "{errs}");
    assert!(
        errs.contains("uncaught:") && errs.contains("null"),
        "{errs}"
    );
    assert!(errs.contains("failed to load: <img>"), "{errs}");
}
