#include "client-cli/interactive.h"

#include <fcntl.h>
#include <histedit.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <filesystem>

#include "client-cli/render_text.h"

namespace leadtime::cli {

namespace {

// Keys our read function hands libedit to run our functions. Neither can
// come from the keyboard: with ISIG on, the terminal turns Ctrl-C and
// Ctrl-\ into signals.
constexpr wchar_t kCancelKey = 0x03;  // Ctrl-C: clear the line
constexpr wchar_t kAsyncKey = 0x1c;   // Ctrl-\: show what arrived

std::atomic<bool> g_sigint{false};
std::atomic<bool> g_sigwinch{false};
std::atomic<bool> g_sigterm{false};
std::atomic<Session*> g_session{nullptr};
int g_signal_pipe[2] = {-1, -1};

extern "C" void on_signal(int sig) {
  if (sig == SIGINT) {
    g_sigint = true;
    if (Session* s = g_session.load()) s->interrupt();
  } else if (sig == SIGWINCH) {
    g_sigwinch = true;
  } else {
    g_sigterm = true;
  }
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(g_signal_pipe[1], &byte, 1);
}

void install_signals() {
  if (g_signal_pipe[0] < 0 && ::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGWINCH, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
}

struct Editor {
  Session* session = nullptr;
  TerminalSink* sink = nullptr;
  std::string prompt;
  std::string drawn_prompt;
};

Editor* editor_of(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<Editor*>(data);
}

int terminal_columns() {
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

void write_out(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}

char* prompt_fn(EditLine* el) {
  Editor* ed = editor_of(el);
  ed->prompt = prompt_text(ed->session->model(), std::chrono::steady_clock::now());
  ed->drawn_prompt = ed->prompt;
  return ed->prompt.data();
}

// Which row of the edit area the cursor is on (a long line wraps).
int cursor_row(EditLine* el, const Editor& ed) {
  const LineInfo* li = el_line(el);
  const std::size_t before =
      display_width(ed.drawn_prompt) + display_width(std::string_view(li->buffer, li->cursor - li->buffer));
  return static_cast<int>(before / static_cast<std::size_t>(terminal_columns()));
}

// Clears the edit area, prints what arrived, and has libedit draw the
// prompt and the line again below it, cursor where it was.
unsigned char show_async(EditLine* el, int) {
  Editor* ed = editor_of(el);
  const int row = cursor_row(el, *ed);
  std::string out;
  if (row > 0) out += "\x1b[" + std::to_string(row) + "A";
  out += "\r\x1b[J" + ed->sink->take_held();
  // libedit believes the cursor is `row` rows into its area; put it there.
  out += std::string(static_cast<std::size_t>(row), '\n');
  write_out(out);
  return CC_REDISPLAY;
}

unsigned char cancel_line(EditLine* el, int) {
  const LineInfo* li = el_line(el);
  write_out("^C\n");
  el_cursor(el, static_cast<int>(li->lastchar - li->cursor));
  el_deletestr(el, static_cast<int>(li->lastchar - li->buffer));
  return CC_REDISPLAY;
}

std::string columns(const std::vector<std::string>& items) {
  std::size_t width = 0;
  for (const auto& s : items) width = std::max(width, display_width(s));
  width += 2;
  const std::size_t per_row = std::max<std::size_t>(1, static_cast<std::size_t>(terminal_columns()) / width);
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string cell = items[i];
    if ((i + 1) % per_row != 0 && i + 1 != items.size()) cell.append(width - display_width(cell), ' ');
    out += cell;
    if ((i + 1) % per_row == 0 || i + 1 == items.size()) out += "\n";
  }
  return out;
}

unsigned char complete_fn(EditLine* el, int) {
  Editor* ed = editor_of(el);
  const LineInfo* li = el_line(el);
  const std::string before(li->buffer, static_cast<std::size_t>(li->cursor - li->buffer));
  const Completion c = complete(before, ed->session->completion_context());
  if (c.candidates.size() == 1) {
    const std::string& only = c.candidates.front();
    std::string insert = only.substr(c.word.size());
    if (!only.ends_with('=') && !only.ends_with(',')) insert += ' ';
    if (!insert.empty()) el_insertstr(el, insert.c_str());
    return CC_REFRESH;
  }
  if (c.candidates.size() > 1) {
    const std::string common = common_prefix(c.candidates);
    if (common.size() > c.word.size()) {
      el_insertstr(el, common.substr(c.word.size()).c_str());
      return CC_REFRESH;
    }
    write_out("\n" + columns(c.candidates) + (c.hint.empty() ? "" : "  " + c.hint + "\n"));
    return CC_REDISPLAY;
  }
  if (!c.hint.empty()) {
    write_out("\n  " + c.hint + "\n");
    return CC_REDISPLAY;
  }
  return CC_REFRESH_BEEP;
}

// Reads one character for libedit, meanwhile handling the network: events
// are applied as they come and, if they have something to show, turned into
// the async key.
int read_char(EditLine* el, wchar_t* out) {
  Editor* ed = editor_of(el);
  static std::mbstate_t state{};
  for (;;) {
    if (g_sigterm) return 0;
    if (g_sigint.exchange(false)) {
      *out = kCancelKey;
      return 1;
    }
    if (g_sigwinch.exchange(false)) el_resize(el);
    ed->session->pump(std::chrono::milliseconds(0));
    const std::string prompt = prompt_text(ed->session->model(), std::chrono::steady_clock::now());
    if (ed->sink->has_held() || prompt != ed->drawn_prompt) {
      *out = kAsyncKey;
      return 1;
    }
    pollfd fds[3] = {
        {STDIN_FILENO, POLLIN, 0}, {ed->session->transport().wake_fd(), POLLIN, 0}, {g_signal_pipe[0], POLLIN, 0}};
    const int ready = ::poll(fds, 3, 1000);
    if (ready < 0) continue;  // a signal; the flags above say which
    if (fds[2].revents != 0) {
      char drain[64];
      while (::read(g_signal_pipe[0], drain, sizeof drain) > 0) {
      }
    }
    if ((fds[0].revents & (POLLIN | POLLHUP)) == 0) continue;
    char byte;
    const ssize_t n = ::read(STDIN_FILENO, &byte, 1);
    if (n == 0) return 0;
    if (n < 0) continue;
    wchar_t wc;
    const std::size_t used = std::mbrtowc(&wc, &byte, 1, &state);
    if (used == static_cast<std::size_t>(-2)) continue;  // more bytes of this character follow
    if (used == static_cast<std::size_t>(-1)) {
      state = std::mbstate_t{};
      wc = static_cast<unsigned char>(byte);
    }
    *out = wc;
    return 1;
  }
}

std::string trim(const char* line, int count) {
  std::string s(line, static_cast<std::size_t>(std::max(count, 0)));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  const auto first = s.find_first_not_of(" \t");
  return first == std::string::npos ? std::string() : s.substr(first);
}

}  // namespace

int run_interactive(Session& session, TerminalSink& sink, const std::string& history_file) {
  std::setlocale(LC_CTYPE, "");
  install_signals();
  g_session = &session;
  Editor editor{&session, &sink, {}, {}};
  EditLine* el = el_init("leadtime-cli", stdin, stdout, stderr);
  History* hist = history_init();
  HistEvent ev;
  history(hist, &ev, H_SETSIZE, 1000);
  history(hist, &ev, H_SETUNIQUE, 1);
  if (!history_file.empty()) history(hist, &ev, H_LOAD, history_file.c_str());
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_SIGNAL, 0);
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_CLIENTDATA, &editor);
  el_set(el, EL_PROMPT, prompt_fn);
  el_set(el, EL_GETCFN, read_char);
  el_set(el, EL_ADDFN, "lt-complete", "complete commands, actions and values", complete_fn);
  el_set(el, EL_ADDFN, "lt-async", "show what the server sent", show_async);
  el_set(el, EL_ADDFN, "lt-cancel", "drop the line being typed", cancel_line);
  el_set(el, EL_BIND, "^I", "lt-complete", nullptr);
  el_set(el, EL_BIND, "^\\", "lt-async", nullptr);
  el_set(el, EL_BIND, "^C", "lt-cancel", nullptr);
  el_source(el, nullptr);  // the user's ~/.editrc, if any

  sink.emit(
      Output{"Type 'help' for commands, 'status' for the game, Tab to complete, Ctrl-D to leave.", nullptr, false});
  while (!g_sigterm) {
    sink.hold(true);
    int count = 0;
    const char* line = el_gets(el, &count);
    sink.hold(false);
    if (sink.has_held()) write_out(sink.take_held());
    if (line == nullptr) {
      write_out("\n");
      break;
    }
    const std::string text = trim(line, count);
    if (text.empty()) continue;
    history(hist, &ev, H_ENTER, text.c_str());
    session.run_line(text);
    g_sigint = false;
    if (session.quit_requested()) break;
    if (session.connection_gone()) {
      sink.emit(Output::error_text("The connection to the server is gone; leaving."));
      break;
    }
  }
  if (!history_file.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(history_file).parent_path(), ec);
    history(hist, &ev, H_SAVE, history_file.c_str());
  }
  el_end(el);
  history_end(hist);
  g_session = nullptr;
  return 0;
}

}  // namespace leadtime::cli
