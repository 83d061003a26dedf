// The real binaries end to end, and the pages opened in a real browser:
// `leadtime-cli report` on save files (a branch with --parent), on games of
// a running server (by id with --server and --db, and the live facilitator
// command), `leadtime-batch report` on a sweep. Every page is opened in
// headless Chromium (Debian's chromium, which scripts/install-deps.sh
// installs): it must draw a screenshot that is not a blank page, run its
// script, and log nothing to the console (no script error, no blocked
// request). Without Chromium these tests fail: they are how we know the
// pages work in a browser.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>

#include "tests/batch/sweep_helpers.h"
#include "tests/client/e2e_helpers.h"
#include "tests/report/page_probe.h"
#include "tests/report/report_fixture.h"

namespace fs = std::filesystem;
namespace lt = leadtime;
using leadtime::test::Finished;
using leadtime::test::TempDir;
using leadtime::testing::count_of;
using leadtime::testing::point_tips;
using leadtime::testing::svg_by_id;

namespace {

constexpr const char* kChromium = LEADTIME_CHROMIUM;
constexpr int kShotWidth = 1280;
constexpr int kShotHeight = 2400;

Finished run_tool(std::vector<std::string> argv, const TempDir& dir) {
  const Finished f =
      leadtime::test::run(std::move(argv), dir, std::chrono::seconds(240), leadtime::test::client_env(dir));
  return f;
}

std::uint32_t big_endian(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

struct Browsed {
  std::string png;      // the screenshot's bytes
  std::string console;  // every console line Chromium logged
  std::string dom;      // the document after its script ran
  double seconds = 0;   // both runs of Chromium
};

std::vector<std::string> chromium_argv(const TempDir& dir, const std::string& profile) {
  return {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
          "--user-data-dir=" + dir.file(profile),
          // Any network request would fail and be logged: the page must make none.
          "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"};
}

std::string console_lines(const std::string& log) {
  std::string out;
  std::size_t at = 0;
  while (at < log.size()) {
    const std::size_t end = std::min(log.find('\n', at), log.size());
    const std::string line = log.substr(at, end - at);
    if (line.find("CONSOLE") != std::string::npos) out += line + "\n";
    at = end + 1;
  }
  return out;
}

Browsed browse(const TempDir& dir, const std::string& page, const std::string& name) {
  REQUIRE_MESSAGE(fs::exists(kChromium), "Chromium is not installed at "
                                             << kChromium
                                             << ": scripts/install-deps.sh installs Debian's "
                                                "chromium package, which these tests need");
  const std::string url = "file://" + fs::absolute(page).string();
  const auto start = std::chrono::steady_clock::now();
  Browsed b;
  const std::string png = dir.file(name + ".png");
  std::vector<std::string> shot = chromium_argv(dir, name + "-profile");
  shot.push_back("--window-size=" + std::to_string(kShotWidth) + "," + std::to_string(kShotHeight));
  shot.push_back("--screenshot=" + png);
  shot.push_back(url);
  const Finished s = leadtime::test::run(shot, dir, std::chrono::seconds(180), {{"HOME", dir.path.string()}});
  INFO("chromium: " << s.err.substr(0, 4000));
  REQUIRE(s.exit_code == 0);
  b.png = leadtime::test::read_text(png);
  b.console = console_lines(s.err);
  std::vector<std::string> dump = chromium_argv(dir, name + "-profile-dom");
  dump.push_back("--dump-dom");
  dump.push_back(url);
  const Finished d = leadtime::test::run(dump, dir, std::chrono::seconds(180), {{"HOME", dir.path.string()}});
  REQUIRE(d.exit_code == 0);
  b.dom = d.out;
  b.console += console_lines(d.err);
  b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return b;
}

// A blank page's screenshot, to tell a drawn page from an empty one.
std::size_t blank_png_size(const TempDir& dir) {
  static std::size_t size = 0;
  if (size == 0) {
    const std::string page = dir.file("blank.html");
    leadtime::test::write_text(page,
                               "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>x</title></head>"
                               "<body></body></html>");
    size = browse(dir, page, "blank").png.size();
  }
  return size;
}

void check_in_browser(const TempDir& dir, const std::string& page, const std::string& name) {
  const Browsed b = browse(dir, page, name);
  MESSAGE(name << ": Chromium took " << b.seconds << " s for the screenshot and the DOM; screenshot "
               << b.png.size() / 1024 << " KB");
  INFO(name);
  REQUIRE(b.png.size() > 33);
  CHECK(b.png.compare(1, 3, "PNG") == 0);
  CHECK(big_endian(b.png, 16) == kShotWidth);
  CHECK(big_endian(b.png, 20) == kShotHeight);
  // Charts, text and colour compress far worse than white.
  CHECK(b.png.size() > 8 * blank_png_size(dir));
  CHECK(b.png.size() > 40 * 1024);
  CHECK_MESSAGE(b.console.empty(), "console: " << b.console);
  CHECK(b.dom.find("<html lang=\"en\" class=\"js\">") != std::string::npos);  // the script ran to its end
  CHECK(count_of(b.dom, "<svg") >= 5);
}

// Pointing at a round lights that round up everywhere: a copy of the page
// whose extra script moves the mouse over a timeline mark of round 3 and
// counts what lit up.
void check_round_highlight(const TempDir& dir, const std::string& page) {
  const std::string html = leadtime::test::read_text(page);
  const std::size_t round3 = count_of(html, "data-round=\"3\"");
  REQUIRE(round3 > 10);
  std::string probe = html;
  probe.replace(probe.rfind("</body>"), 7,
                "<script>(function () { var mark = document.querySelector('.mark[data-round=\"3\"]');"
                "mark.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
                "document.body.setAttribute('data-lit', String(document.querySelectorAll('.on').length)); })();"
                "</script></body>");
  const std::string probe_page = dir.file("probe.html");
  leadtime::test::write_text(probe_page, probe);
  std::vector<std::string> dump = chromium_argv(dir, "probe-profile");
  dump.push_back("--dump-dom");
  dump.push_back("file://" + fs::absolute(probe_page).string());
  const Finished d = leadtime::test::run(dump, dir, std::chrono::seconds(180), {{"HOME", dir.path.string()}});
  REQUIRE(d.exit_code == 0);
  CHECK(console_lines(d.err).empty());
  CHECK(d.out.find("data-lit=\"" + std::to_string(round3) + "\"") != std::string::npos);
}

// A key moment's link: opening the page at "#round-3" lights round 3
// everywhere, as pointing at it would.
void check_round_link(const TempDir& dir, const std::string& page) {
  const std::string html = leadtime::test::read_text(page);
  const std::size_t round3 = count_of(html, "data-round=\"3\"");
  REQUIRE(html.find("href=\"#round-3\"") != std::string::npos);
  REQUIRE(count_of(html, "id=\"round-3\"") == 1);
  std::string probe = html;
  probe.replace(probe.rfind("</body>"), 7,
                "<script>document.body.setAttribute('data-lit', String(document.querySelectorAll('.on').length));"
                "document.body.setAttribute('data-target', document.getElementById('round-3').getAttribute('class'));"
                "</script></body>");
  const std::string probe_page = dir.file("link-probe.html");
  leadtime::test::write_text(probe_page, probe);
  std::vector<std::string> dump = chromium_argv(dir, "link-probe-profile");
  dump.push_back("--dump-dom");
  dump.push_back("file://" + fs::absolute(probe_page).string() + "#round-3");
  const Finished d = leadtime::test::run(dump, dir, std::chrono::seconds(180), {{"HOME", dir.path.string()}});
  REQUIRE(d.exit_code == 0);
  CHECK(console_lines(d.err).empty());
  CHECK(d.out.find("data-lit=\"" + std::to_string(round3) + "\"") != std::string::npos);
  CHECK(d.out.find("data-target=\"col on\"") != std::string::npos);
}

std::string write_save(const TempDir& dir, const lt::game::save::SaveData& data, const std::string& name) {
  const std::string path = dir.file(name);
  const std::string error = lt::game::save::write_file(path, lt::game::save::encode(data));
  REQUIRE_MESSAGE(error.empty(), error);
  return path;
}

}  // namespace

TEST_CASE("report e2e: leadtime-cli report of save files opens in Chromium without console errors") {
  TempDir dir;
  const auto& known = leadtime::testing::known_game();
  const std::string g1 = write_save(dir, known.parent, "g1.save");
  const std::string g2 = write_save(dir, known.branch, "g2.save");

  const Finished one = run_tool({LEADTIME_CLI_BIN, "report", g1, "-o", dir.file("g1.html")}, dir);
  INFO(one.out << one.err);
  REQUIRE(one.exit_code == 0);
  CHECK(one.out.find("Wrote " + dir.file("g1.html") + ": game g1, 10 rounds") == 0);

  const Finished branch = run_tool({LEADTIME_CLI_BIN, "report", g2, "--parent", g1, "-o", dir.file("g2.html")}, dir);
  INFO(branch.out << branch.err);
  REQUIRE(branch.exit_code == 0);
  CHECK(branch.out.find("beside its parent g1") != std::string::npos);
  CHECK_FALSE(point_tips(svg_by_id(leadtime::test::read_text(dir.file("g2.html")), "chart-lead"), "parent g1").empty());

  const Finished alone = run_tool({LEADTIME_CLI_BIN, "report", g2, "-o", dir.file("alone.html")}, dir);
  CHECK(alone.exit_code == 0);
  CHECK(alone.err.find("parent g1 not shown: give its save file with --parent") != std::string::npos);

  const Finished missing = run_tool({LEADTIME_CLI_BIN, "report", dir.file("nope.save")}, dir);
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no such save file") != std::string::npos);
  const Finished id_only = run_tool({LEADTIME_CLI_BIN, "report", "g7"}, dir);
  CHECK(id_only.exit_code == 1);
  CHECK(id_only.err.find("--db") != std::string::npos);

  check_in_browser(dir, dir.file("g1.html"), "g1");
  check_round_highlight(dir, dir.file("g1.html"));
  check_round_link(dir, dir.file("g1.html"));
  check_in_browser(dir, dir.file("g2.html"), "g2");
}

TEST_CASE("report e2e: a running server's game by id, from its database, and from the live facilitator command") {
  TempDir dir;
  leadtime::test::ServerProcess server(dir);
  const auto env = leadtime::test::client_env(dir);
  // One person seat (us) and bots; the facilitator forces five rounds, with
  // an inject and press, then branches after round 2 and writes the report.
  const auto game = leadtime::test::create_game(server, dir, "people=us deadline=10m seed=11");
  REQUIRE(game.game_id == "g1");
  // A message is the rest of its line, so the press ends the first run.
  const Finished early = leadtime::test::run(
      leadtime::test::cli(server, {"--token", game.facilitator, "--json", "--exec",
                                   "force; wait round 1; inject euv_breakthrough; force; wait round 2; "
                                   "say <b>Debrief</b> & coffee at 5"}),
      dir, std::chrono::seconds(240), env);
  INFO(early.out << early.err);
  REQUIRE(early.exit_code == 0);
  const Finished live = leadtime::test::run(
      leadtime::test::cli(server, {"--token", game.facilitator, "--json", "--exec",
                                   "force; wait round 3; force; wait round 4; force; wait round 5; branch 2; "
                                   "report -o " +
                                       dir.file("live.html")}),
      dir, std::chrono::seconds(240), env);
  INFO(live.out << live.err);
  REQUIRE(live.exit_code == 0);
  const nlohmann::json written = leadtime::test::first_of(leadtime::test::json_lines(live.out), "report");
  CHECK(written["path"] == dir.file("live.html"));
  CHECK(written["rounds"] == 5);
  CHECK(written["parent"].is_null());
  const std::string live_html = leadtime::test::read_text(dir.file("live.html"));
  CHECK(live_html.find("&lt;b&gt;Debrief&lt;/b&gt; &amp; coffee at 5") != std::string::npos);
  CHECK(live_html.find("data-kind=\"euv_breakthrough\"") != std::string::npos);

  // The branch, from its own session: the client fetches its parent with the
  // token it saved. (The server's records of a branch do not name its parent
  // yet, so --parent names it; the branch point comes from the shared rounds.)
  const Finished branch = leadtime::test::run(
      leadtime::test::cli(server, {"--json", "--exec",
                                   "join g2; inject gulf_hubs; force; wait round 3; force; wait round 4; report " +
                                       dir.file("branch.html") + " --parent g1"}),
      dir, std::chrono::seconds(240), env);
  INFO(branch.out << branch.err);
  REQUIRE(branch.exit_code == 0);
  CHECK(leadtime::test::first_of(leadtime::test::json_lines(branch.out), "report")["parent"] == "g1");
  const std::string branch_html = leadtime::test::read_text(dir.file("branch.html"));
  CHECK(point_tips(svg_by_id(branch_html, "chart-lead"), "parent g1").size() == 5);
  CHECK(point_tips(svg_by_id(branch_html, "chart-lead"), "this game, g2").size() == 4);
  CHECK(branch_html.find("branched from g1 after R2") != std::string::npos);

  // By id, over the wire and from the server's database: the same charts.
  const Finished by_wire = run_tool(
      {LEADTIME_CLI_BIN, "report", "g2", "--server", server.address(), "--parent", "g1", "-o", dir.file("wire.html")},
      dir);
  INFO(by_wire.out << by_wire.err);
  REQUIRE(by_wire.exit_code == 0);
  const Finished by_db = run_tool(
      {LEADTIME_CLI_BIN, "report", "g2", "--db", dir.file("leadtime.db"), "--parent", "g1", "-o", dir.file("db.html")},
      dir);
  INFO(by_db.out << by_db.err);
  REQUIRE(by_db.exit_code == 0);
  const std::string wire_html = leadtime::test::read_text(dir.file("wire.html"));
  const std::string db_html = leadtime::test::read_text(dir.file("db.html"));
  for (const char* id : {"chart-lead", "chart-ratio", "chart-compute", "chart-share-ROW", "timeline"}) {
    CHECK_MESSAGE(svg_by_id(wire_html, id) == svg_by_id(db_html, id), id);
    CHECK_MESSAGE(svg_by_id(wire_html, id) == svg_by_id(branch_html, id), id);
  }

  check_in_browser(dir, dir.file("branch.html"), "live-branch");
}

TEST_CASE("report e2e: leadtime-batch report of a sweep opens in Chromium without console errors") {
  TempDir dir;
  const std::string spec = dir.file("small.lua");
  leadtime::test::write_text(spec, leadtime::testing::kSmallSpec);
  const Finished sweep = run_tool(
      {LEADTIME_BATCH_BIN, "sweep", spec, "--out", dir.file("small.db"), "--no-progress", "--no-summary"}, dir);
  INFO(sweep.out << sweep.err);
  REQUIRE(sweep.exit_code == 0);
  const Finished report =
      run_tool({LEADTIME_BATCH_BIN, "report", dir.file("small.db"), "-o", dir.file("sweep.html")}, dir);
  INFO(report.out << report.err);
  REQUIRE(report.exit_code == 0);
  const std::string html = leadtime::test::read_text(dir.file("sweep.html"));
  CHECK_FALSE(svg_by_id(html, "fan-point-3").empty());
  CHECK_FALSE(svg_by_id(html, "effect-7").empty());
  const Finished bad = run_tool({LEADTIME_BATCH_BIN, "report", spec, "-o", dir.file("bad.html")}, dir);
  CHECK(bad.exit_code == 2);
  check_in_browser(dir, dir.file("sweep.html"), "sweep");
}
