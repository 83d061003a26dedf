#include "report/html.h"

#include <cmath>
#include <cstdio>

namespace leadtime::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  // Overlong forms, surrogates and code points past Unicode are not text.
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string printf_text(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
        out += c;
        break;
      case '\r':
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "–";
  char format[16];
  std::snprintf(format, sizeof format, "%%.%df", decimals);
  std::string out = printf_text(format, v);
  if (out.find_first_not_of("-0.") == std::string::npos && out[0] == '-') out.erase(0, 1);  // no "-0.0"
  return out;
}

std::string significant(double v, int digits) {
  if (!std::isfinite(v)) return "–";
  if (v == 0) return "0";
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  if (magnitude >= 9 || magnitude < -4) return printf_text(("%." + std::to_string(digits - 1) + "e").c_str(), v);
  return fixed(v, std::max(0, digits - 1 - magnitude));
}

std::string compact(double v) {
  if (!std::isfinite(v)) return "–";
  const double a = std::fabs(v);
  const auto shortest = [](double x) {
    std::string s = significant(x, 3);
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s;
  };
  if (a >= 1e9) return shortest(v / 1e9) + "G";
  if (a >= 1e6) return shortest(v / 1e6) + "M";
  if (a >= 1e4) return shortest(v / 1e3) + "k";
  return shortest(v);
}

std::string percent(double share, int decimals) {
  if (!std::isfinite(share)) return "–";
  return fixed(100 * share, decimals) + "%";
}

Cell Cell::text(std::string_view text, std::string css_class) { return {escape(text), std::move(css_class)}; }
Cell Cell::raw(std::string html, std::string css_class) { return {std::move(html), std::move(css_class)}; }

std::string render(const Table& table) {
  std::string out = "<table" + (table.css_class.empty() ? "" : " class=\"" + escape(table.css_class) + "\"") + ">";
  out += "<thead><tr>";
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const bool num = c < table.numeric.size() && table.numeric[c];
    out += std::string(num ? "<th class=\"num\">" : "<th>") + escape(table.header[c]) + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const Table::Row& row : table.rows) {
    out += "<tr" + (row.attributes.empty() ? "" : " " + row.attributes) + ">";
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      std::string css = row.cells[c].css_class;
      if (c < table.numeric.size() && table.numeric[c] && css.empty()) css = "num";
      out += "<td" + (css.empty() ? "" : " class=\"" + escape(css) + "\"") + ">" + row.cells[c].html + "</td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

namespace {

// Sized for a projector as much as a laptop: large base type, strong
// contrast, charts as wide as the column. Print keeps figures whole.
constexpr std::string_view kStyle = R"CSS(
:root { --ink: #1f2933; --muted: #52606d; --line: #d9dee3; --paper: #ffffff; --ground: #f3f4f1;
        --us: #0072B2; --cn: #D55E00; --eu: #009E73; --accent: #0f766e; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; background: var(--ground); color: var(--ink);
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       line-height: 1.45; }
header.top { background: #14202e; color: #f5f7fa; padding: 28px 0 22px; }
header.top .wrap > p { color: #c3ccd6; margin: 4px 0 0; }
header.top h1 { margin: 0; font-size: 1.9rem; letter-spacing: -0.01em; }
.kicker { text-transform: uppercase; letter-spacing: 0.12em; font-size: 0.78rem; color: #8fb3d9; margin: 0 0 6px; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
main.wrap { padding-top: 20px; padding-bottom: 48px; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
          padding: 18px 22px 20px; margin: 0 0 20px; }
section > h2 { margin: 0 0 4px; font-size: 1.3rem; }
section > p.lede { margin: 0 0 12px; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 18px; }
.card { background: rgba(255,255,255,0.07); border: 1px solid rgba(255,255,255,0.16); border-radius: 8px;
        padding: 10px 14px; }
.card .value { font-size: 1.7rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { font-size: 0.82rem; color: #c3ccd6; }
.card .unit { font-size: 1rem; font-weight: 500; color: #c3ccd6; }
.card .sub { font-size: 0.8rem; color: #9fb0c2; }
.notice { background: #fff7e0; border: 1px solid #f0d58c; border-radius: 8px; padding: 10px 14px; margin: 0 0 16px; }
figure.chart { margin: 8px 0 18px; }
figure.chart svg { width: 100%; height: auto; display: block; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 4px 22px; }
.grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 4px 18px; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; fill: #1f2933; }
svg .chart-title { font-size: 16px; font-weight: 650; }
svg .chart-note { font-size: 12px; fill: #52606d; }
svg .tick-label { font-size: 12px; fill: #52606d; }
svg .tick-sub { font-size: 10.5px; fill: #7b8794; }
svg .axis-label { font-size: 12.5px; fill: #3e4c59; }
svg .legend-label { font-size: 12.5px; }
svg .band-label, svg .ref-label, svg .marker-label { font-size: 11.5px; fill: #3e4c59; }
svg .off-range-label { font-size: 12px; fill: #3e4c59; paint-order: stroke; stroke: #ffffff; stroke-width: 4px;
                       stroke-linejoin: round; }
svg .lane-label { font-size: 12.5px; fill: #3e4c59; }
svg .grid { stroke: #e4e7eb; stroke-width: 1; }
svg .axis-line { stroke: #9aa5b1; stroke-width: 1; }
svg .line, svg .ribbon, svg .band, svg .band-edge, svg .ref, svg .marker { pointer-events: none; }
svg .col { fill: transparent; }
svg .col[id] { scroll-margin-top: 110px; }  /* a "#round-N" link shows the lead chart's title too */
svg .col.on { fill: rgba(15, 118, 110, 0.09); }
svg .dot.on { stroke: #14202e; stroke-width: 2; }
svg .mark { cursor: default; }
svg .mark.on { stroke: #14202e; stroke-width: 2.5; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 5px 9px; border-bottom: 1px solid #edf0f2; vertical-align: top; }
th { font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--line); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfb; }
tr.on, tbody tr.on:nth-child(even) { background: #fff2c2; }
td.muted, span.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86em; }
.tag { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: 0.78rem; font-weight: 600;
       border: 1px solid transparent; white-space: nowrap; }
.tag.person { background: #e6f4ea; color: #1e6b34; }
.tag.bot { background: #e8eefb; color: #2a4a8f; }
.tag.public { background: #eef1f4; color: #3e4c59; }
.tag.private { background: #fde8e7; color: #9b2c2c; }
.tag.facilitator { background: #f3e8fd; color: #5b2a91; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
details { margin: 6px 0; }
details > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
ul.orders { margin: 0; padding-left: 1.1em; }
table.orders td:first-child { width: 24%; white-space: nowrap; }
table.events td:first-child, table.events td:nth-child(2), table.press td:first-child,
table.actions td:first-child { white-space: nowrap; }
table.orders td:nth-child(2) { width: 34%; }
footer { color: var(--muted); font-size: 0.85rem; padding: 8px 0 28px; }
ol.moments { list-style: none; margin: 0; padding: 0; }
ol.moments li { display: grid; grid-template-columns: 118px 178px 1fr; gap: 10px; align-items: baseline;
                padding: 6px 6px; border-bottom: 1px solid #edf0f2; }
ol.moments li.on { background: #fff2c2; }
ol.moments .round-span { font-weight: 650; color: var(--muted); white-space: nowrap; }
a.round-chip { display: inline-block; margin: 0 3px 2px 0; padding: 0 7px; border-radius: 999px;
               border: 1px solid #c5ced6; color: #0b4f8a; text-decoration: none; font-size: 0.86rem;
               font-weight: 600; }
a.round-chip.on, a.round-chip:hover { background: #fff2c2; border-color: #b7791f; }
a.round-link { font-weight: 650; color: #0b4f8a; text-decoration: none; white-space: nowrap; }
a.round-link:hover, ol.moments a.what:hover { text-decoration: underline; }
a.round-link .quarter { font-weight: 400; font-size: 0.85em; color: var(--muted); }
ol.moments a.what { color: inherit; text-decoration: underline dotted #9aa5b1; }
.tag.moment-kind { background: #ffffff; color: var(--ink); border: 1.5px solid; justify-self: start; }
.tag.moment-kind .swatch { width: 8px; height: 8px; margin-right: 5px; }
p.keys { margin: 0 0 8px; }
.line-key { display: inline-flex; align-items: center; margin-right: 22px; font-size: 0.92rem; }
.key-line { display: inline-block; width: 34px; margin-right: 8px; border-top: 3px solid #3E4C59; }
.key-line.dashed { border-top-style: dashed; opacity: 0.8; }
.scroll { overflow-x: auto; }
table.policies { table-layout: fixed; font-size: 0.86rem; }
table.policies col.policy-name { width: 250px; }
table.policies th, table.policies td { padding: 4px 6px; }
table.policies th[scope="row"] { font-weight: 400; color: var(--ink); border-bottom: 1px solid #edf0f2;
                                 overflow-wrap: anywhere; }
table.policies th[scope="row"] .key { color: var(--muted); font-size: 0.92em; }
table.policies td { text-align: right; font-variant-numeric: tabular-nums; }
table.policies td.same { color: #7b8794; }
table.policies td.chg, .chg-sample { font-weight: 700; background: #e1edf7; color: #14202e;
                                      box-shadow: inset 3px 0 0 #0072B2; }
.chg-sample { padding: 0 5px; white-space: nowrap; }
table.policies td.on, table.policies th.on { background: #fff2c2; }
p.defaults { font-size: 0.85rem; margin: 4px 0 10px; }
@media print {
  body { background: #fff; }
  section { break-inside: avoid-page; border: none; padding: 0; }
  figure.chart { break-inside: avoid; }
  header.top { background: #fff; color: #000; }
}
)CSS";

constexpr std::string_view kScript = R"JS(
(function () {
  var lit = [];
  var pinned = null;
  function light(round) {
    for (var i = 0; i < lit.length; i++) lit[i].classList.remove('on');
    lit = round ? Array.prototype.slice.call(document.querySelectorAll('[data-round="' + round + '"]')) : [];
    for (var j = 0; j < lit.length; j++) lit[j].classList.add('on');
  }
  // A link to "#round-N" (the key moments) keeps round N lit until another is chosen.
  function from_hash() {
    var m = /^#round-([0-9]+)$/.exec(window.location.hash);
    pinned = m ? m[1] : null;
    light(pinned);
  }
  document.addEventListener('mouseover', function (event) {
    var target = event.target && event.target.closest ? event.target.closest('[data-round]') : null;
    light(target ? target.getAttribute('data-round') : pinned);
  });
  window.addEventListener('hashchange', from_hash);
  from_hash();
  document.documentElement.classList.add('js');
})();
)JS";

}  // namespace

std::string_view page_script() { return kScript; }

std::string page(std::string_view title, std::string_view body_html) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // The page fetches nothing: this policy makes a browser refuse any
  // request a future edit might add by mistake.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">\n";
  out += "<title>" + escape(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += body_html;
  out += "\n<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace leadtime::report
