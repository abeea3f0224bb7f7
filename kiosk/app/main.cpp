// kiosk: the store terminal app, and its headless commands for store IT (kiosk --help).
#include <CLI/CLI.hpp>
#include <cstdlib>

#include "kiosk/app/commands.h"
#include "kiosk/app/ui_catalog.h"
#include "kiosk/app/window_app.h"

int main(int argc, char** argv) {
  using namespace kiosk::app;
  CLI::App cli{
      "Frontline Kiosk: live public mentions of this store, one-tap escalation to head "
      "office, and offline-first sync.\nWithout a command, opens the kiosk window."};
  cli.require_subcommand(0, 1);

  const char* env_db = std::getenv("KIOSK_DB");
  std::string db = env_db ? env_db : "kiosk.sqlite";
  cli.add_option("--db", db, "The terminal's local database file (env KIOSK_DB)")
      ->capture_default_str();

  WindowAppOptions window;
  window.assets_dir = default_assets_dir();
  cli.add_option("--assets", window.assets_dir, "The assets folder (env KIOSK_ASSETS)")
      ->capture_default_str();
  cli.add_option("--language", window.language, "Screen texts: a file in <assets>/ui/")
      ->capture_default_str();
  std::string backend = "sdl2";
  cli.add_option("--backend", backend,
                 "Window backend: sdl2 (touch events), glfw, or null (no display, no pixels: "
                 "for headless runs with --print-text)")
      ->check(CLI::IsMember({"sdl2", "glfw", "null"}))
      ->capture_default_str();
  cli.add_flag("--fullscreen", window.fullscreen, "Fill the screen (kiosk mode)");
  cli.add_option("--width", window.width, "Window width in pixels")->capture_default_str();
  cli.add_option("--height", window.height, "Window height in pixels")->capture_default_str();
  bool no_sync = false;
  cli.add_flag("--no-sync", no_sync, "Do not contact head office from the window");
  cli.add_option("--screenshot", window.screenshot_path,
                 "Draw, save the last frame as PNG to this file and exit (headless runs)");
  window.frames = 5;
  cli.add_option("--frames", window.frames,
                 "Frames to draw before --screenshot (or before exiting, with --backend null)")
      ->capture_default_str();
  cli.add_option("--tap", window.taps,
                 "Tap a touch target by name before the screenshot, e.g. escalate:<mention id>, "
                 "severity:high, confirm (repeatable)");
  cli.add_flag("--print-text", window.print_drawn_text,
               "Print the texts drawn in the last frame (for tests)");

  auto* enroll = cli.add_subcommand("enroll", "Enroll this terminal with head office (once)");
  std::string hq, code, name = "Kiosk";
  enroll->add_option("--hq", hq, "Head office URL, e.g. http://127.0.0.1:8080")->required();
  enroll->add_option("--code", code, "Enrollment code from head office (kiosk-hq enroll-code)")
      ->required();
  enroll->add_option("--name", name, "This terminal's name, shown at head office")
      ->capture_default_str();

  auto* sync = cli.add_subcommand("sync", "Send queued events to head office and fetch changes");
  bool once = false;
  sync->add_flag("--once", once, "One full sync, then exit (non-zero if head office failed)")
      ->required();

  auto* status =
      cli.add_subcommand("status", "Enrollment, queue depth, cursor, last sync, last error");
  bool status_json = false;
  status->add_flag("--json", status_json, "Machine-readable output");

  auto* escalate = cli.add_subcommand("escalate", "Escalate a mention (same path as the button)");
  std::string mention_id, severity = "medium", note;
  escalate->add_option("--mention", mention_id, "Mention id (see kiosk mentions)")->required();
  escalate->add_option("--severity", severity, "low, medium, high or critical")
      ->capture_default_str();
  escalate->add_option("--note", note, "Optional note for head office");

  auto* mentions = cli.add_subcommand("mentions", "List this store's newest mentions");
  bool mentions_json = false;
  int limit = 20;
  mentions->add_flag("--json", mentions_json, "Machine-readable output");
  mentions->add_option("--limit", limit, "How many")->capture_default_str();

  auto* ingest =
      cli.add_subcommand("ingest", "Import mentions from a JSON file into this terminal");
  std::string ingest_file;
  ingest->add_option("file", ingest_file, "{\"mentions\": [...]} as in assets/demo/mentions.json")
      ->required();

  CLI11_PARSE(cli, argc, argv);

  if (*enroll) return command_enroll(db, hq, code, name);
  if (*sync) return command_sync_once(db);
  if (*status) return command_status(db, status_json);
  if (*escalate) return command_escalate(db, mention_id, severity, note);
  if (*mentions) return command_mentions(db, mentions_json, limit);
  if (*ingest) return command_ingest(db, ingest_file);

  window.db_path = db;
  window.backend = *platform::parse_backend(backend);
  window.sync = !no_sync;
  return run_window(window);
}
