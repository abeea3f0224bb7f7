// kiosk: the store terminal app, and its headless commands for store IT (kiosk --help).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "kiosk/app/cli/commands.h"
#include "kiosk/app/cli/training_commands.h"
#include "kiosk/app/cli/triage_command.h"
#include "kiosk/app/view/ui_catalog.h"
#include "kiosk/app/window/window_app.h"
#include "sync/sources/ingest_file.h"
#include "sync/sources/sources.h"

int main(int argc, char** argv) {
  using namespace kiosk::app;
  CLI::App cli{
      "Frontline Kiosk: live public mentions of this store, one-tap escalation to head "
      "office, training prompts and a reply coach, and offline-first sync.\nWithout a command, "
      "opens the kiosk window."};
  cli.require_subcommand(0, 1);
  cli.footer(
      "Theme, language, tap-out and idle-screen times and the on-screen keyboard chosen in the "
      "window's Settings are saved in the database and used at every start; a flag (or its "
      "environment variable) given for a run wins for that run. kiosk status shows them.\n"
      "Head office is reached through libkiosk_sync_http.so in this program's folder, loaded on "
      "the first sync (env KIOSK_SYNC_MODULE: its path, when elsewhere); without it the kiosk "
      "works offline and keeps every event queued.");

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
                 "Window backend: sdl2 (touch events; libkiosk_sdl2.so beside kiosk), glfw, "
                 "or null (no display, no pixels: for headless runs with --print-text)")
      ->check(CLI::IsMember({"sdl2", "glfw", "null"}))
      ->capture_default_str();
  cli.add_flag("--fullscreen", window.fullscreen,
               "Fill the primary monitor with a borderless window (closes as usual)");
  cli.add_flag("--kiosk-mode", window.kiosk_mode,
               "Kiosk mode: borderless fullscreen on the primary monitor, pointer hidden; "
               "closing the window (window manager, Alt+F4, Escape) or opening Settings asks "
               "for a manager's PIN first (env KIOSK_KIOSK_MODE=1)")
      ->envname("KIOSK_KIOSK_MODE");
  cli.add_flag("--hide-cursor", window.hide_cursor,
               "Hide the pointer over the window, for a touchscreen (implied by --kiosk-mode; "
               "env KIOSK_HIDE_CURSOR=1)")
      ->envname("KIOSK_HIDE_CURSOR");
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
  cli.add_option(
      "--tap", window.taps,
      "Tap a touch target by name before the screenshot, e.g. escalate:<mention id>, "
      "severity:high, confirm, tap_in, staff:<id>, pin:0..pin:9, pin:ok, tap_out, "
      "share:<mention id>, chip:praise, search, feed:end, settings; wait:<ms> lets "
      "that much time pass first; type:TEXT types TEXT into the focused field; close "
      "asks the window to close as a window manager would; press:escape presses "
      "Escape; print prints the texts of the frame on screen; shot:FILE prints them too and "
      "saves the frame as PNG in FILE (repeatable, in order). A target not wholly inside the "
      "window is an error (exit code 1), as no finger could reach it");
  cli.add_option("--theme", window.theme,
                 "Colours: dark, or light for a sunlit counter (env KIOSK_THEME)")
      ->envname("KIOSK_THEME")
      ->check(CLI::IsMember({"dark", "light"}))
      ->capture_default_str();
  std::string keyboard = "on";
  cli.add_option("--keyboard", keyboard,
                 "The on-screen keyboard that opens under a tapped text field (key:<char>, "
                 "key:shift, key:back, key:space, key:done for --tap): on for a touchscreen, "
                 "off when the terminal has a physical keyboard (env KIOSK_KEYBOARD)")
      ->envname("KIOSK_KEYBOARD")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  cli.add_option("--staff", window.staff_id,
                 "Open tapped in as this member of staff (an id head office sent), without the "
                 "PIN pad: for scripted runs by store IT, who hold the terminal's database anyway");
  cli.add_flag("--print-text", window.print_drawn_text,
               "Print the texts drawn in the last frame (for tests)");
  double idle_lock_seconds = static_cast<double>(window.idle_lock_ms) / 1000.0;
  cli.add_option("--idle-lock-seconds", idle_lock_seconds,
                 "Tap the person out and go back to the anonymous read-only feed after this "
                 "long without a touch (1 to 86400; env KIOSK_IDLE_LOCK_SECONDS)")
      ->envname("KIOSK_IDLE_LOCK_SECONDS")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();

  double idle_screen_seconds = static_cast<double>(window.idle_screen_ms) / 1000.0;
  cli.add_option("--idle-screen-seconds", idle_screen_seconds,
                 "Show the idle screen (open escalations, posts needing attention, a tip every "
                 "20 s; a tap wakes it) after this long without a touch; 0 never (0 to 86400; "
                 "env KIOSK_IDLE_SCREEN_SECONDS)")
      ->envname("KIOSK_IDLE_SCREEN_SECONDS")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();

  cli.add_flag("--silent", window.silent,
               "No chime sound when an urgent post, an escalation update from head office or a "
               "missed store-level acknowledgement arrives; the idle screen still wakes (env "
               "KIOSK_SILENT=1)")
      ->envname("KIOSK_SILENT");

  auto* enroll = cli.add_subcommand("enroll", "Enroll this terminal with head office (once)");
  kiosk::sync::client::EnrollOptions enroll_opts;
  enroll_opts.terminal_name = "Kiosk";
  enroll
      ->add_option("--hq", enroll_opts.hq_url,
                   "Head office URL, e.g. https://hq.example.com; plain http:// only to this "
                   "machine (127.0.0.1, ::1, localhost) unless --allow-plain-http")
      ->required();
  enroll
      ->add_option("--code", enroll_opts.code,
                   "Enrollment code from head office (kiosk-hq enroll-code)")
      ->required();
  enroll
      ->add_option("--name", enroll_opts.terminal_name,
                   "This terminal's name, shown at head office")
      ->capture_default_str();
  enroll->add_flag("--discard-queued", enroll_opts.discard_queued,
                   "When the code is for another store: give up events not yet sent for the "
                   "old store (otherwise enrolling there is refused while any wait)");
  enroll
      ->add_option("--hq-ca-file", enroll_opts.ca_file,
                   "Trust the CA certificate(s) in this PEM file for head office instead of "
                   "the system's (a private CA or a self-signed head office); kept for every "
                   "sync")
      ->check(CLI::ExistingFile);
  enroll->add_option("--hq-pin", enroll_opts.pin,
                     "Also require head office's public key: sha256//BASE64 (kiosk-hq prints it "
                     "at start with --tls-cert; several separated by ';'); kept for every sync");
  enroll->add_flag("--allow-plain-http", enroll_opts.allow_plain_http,
                   "Allow plain http:// to a head office that is not this machine: what the "
                   "terminal sends can then be read on the way; only on a network you trust");

  auto* sync = cli.add_subcommand("sync", "Send queued events to head office and fetch changes");
  bool once = false;
  sync->add_flag("--once", once, "One full sync, then exit (non-zero if head office failed)")
      ->required();

  auto* status =
      cli.add_subcommand("status",
                         "Enrollment, queue depth, cursor, last sync, last error, and the "
                         "window's settings (saved in Settings, or default)");
  bool status_json = false;
  status->add_flag("--json", status_json, "Machine-readable output");

  auto* escalate = cli.add_subcommand(
      "escalate",
      "Escalate a mention, or report an issue with no post (--category); same path as the "
      "buttons");
  std::string mention_id, severity = "medium", note, esc_category, esc_staff;
  escalate->add_option("--mention", mention_id, "Mention id (see kiosk mentions)");
  escalate->add_option("--category", esc_category,
                       "wait_time, staff_conduct, product_or_stock, price_or_promotion, "
                       "returns_or_refunds, cleanliness, safety, praise or other; required "
                       "without --mention");
  escalate->add_option("--severity", severity, "low, medium, high or critical")
      ->capture_default_str();
  escalate->add_option("--note", note, "Optional note for head office");
  escalate->add_option("--staff", esc_staff,
                       "Who is escalating (a staff id on this terminal, see kiosk staff list); "
                       "carried in the event as staff_id");

  auto* staff = cli.add_subcommand("staff", "Staff who tap in on this terminal (from head office)");
  staff->require_subcommand(1);
  auto* staff_list = staff->add_subcommand(
      "list", "The staff head office sent: id, name, role, language, active, disabled or locked");
  bool staff_json = false;
  staff_list->add_flag("--json", staff_json, "Machine-readable output");
  auto* staff_verify = staff->add_subcommand(
      "verify",
      "Tap in without the window: reads the PIN from stdin (never an argument, where `ps` "
      "would show it) and checks it offline like the PIN pad; wrong PINs count toward a "
      "lockout. Exit 0 tapped in, 3 wrong PIN or locked out, 1 otherwise");
  std::string verify_staff;
  staff_verify->add_option("--id", verify_staff, "Staff id (see kiosk staff list)")->required();

  auto* escalation = cli.add_subcommand(
      "escalation",
      "A manager's action on an escalation, saved here first (offline too) and sent to head "
      "office: ack, note, reassign, resolve, reopen");
  escalation->require_subcommand(1);
  std::string action_id, action_staff, action_text, action_name;
  for (const auto& [sub_name, help] : std::initializer_list<std::pair<const char*, const char*>>{
           {"ack", "Acknowledge an open escalation"},
           {"note", "Add a note (--text)"},
           {"reassign", "Say who holds it now (--text NAME)"},
           {"resolve", "Resolve it, with an optional resolution note (--text)"},
           {"reopen", "Reopen a resolved escalation (a new generation; the ladder restarts)"}}) {
    auto* sub = escalation->add_subcommand(sub_name, help);
    sub->add_option("--escalation", action_id, "Escalation id (see kiosk escalations)")->required();
    sub->add_option("--staff", action_staff, "Who does it (staff id of a manager)")->required();
    sub->add_option("--text", action_text, "The note, who holds it now, or the resolution note");
    sub->callback([&action_name, n = std::string(sub_name)] { action_name = n; });
  }
  auto* escalations_cmd = cli.add_subcommand(
      "escalations", "This store's escalations, open first, each with its clock and ladder");
  bool escalations_json = false;
  escalations_cmd->add_flag("--json", escalations_json, "Machine-readable output");

  auto* share =
      cli.add_subcommand("share-praise",
                         "Share a positive post with the team and head office, so the person it "
                         "names is thanked");
  std::string share_mention, share_note, share_staff;
  share->add_option("--mention", share_mention, "Mention id (see kiosk mentions)")->required();
  share->add_option("--note", share_note, "Optional words for the team (500 characters at most)");
  share->add_option("--staff", share_staff, "Who is sharing it (staff id)");

  auto* mentions = cli.add_subcommand("mentions", "List this store's newest mentions");
  bool mentions_json = false;
  int limit = 20;
  mentions->add_flag("--json", mentions_json, "Machine-readable output");
  mentions->add_option("--limit", limit, "How many")->capture_default_str();
  std::string mentions_feed;
  mentions->add_option("--feed", mentions_feed,
                       "In the window's order (priority, then newest) under one filter chip: "
                       "needs_attention, negative, praise, reviews, escalated, all");

  auto* ingest = cli.add_subcommand(
      "ingest",
      "Import mentions from a JSON file into this terminal; with --source, parse a saved "
      "payload of that source and print its mentions as JSON lines instead (skipped items on "
      "stderr, nothing stored)");
  std::string ingest_file, ingest_source;
  ingest
      ->add_option("file", ingest_file,
                   "{\"mentions\": [...]} as in assets/demo/mentions.json, or with --source a "
                   "response body saved from that source")
      ->required();
  ingest->add_option("--source", ingest_source,
                     "The file's format: " + kiosk::sync::sources::source_names_list());

  auto* triage = cli.add_subcommand(
      "triage", "Triage texts from stdin (plain lines or JSON lines) into JSON lines on stdout");
  triage->footer(
      "Input, one per line: a plain text, or a JSON object {\"text\": \"...\", \"rating\": 1-5, "
      "\"id\": \"...\", \"followers\": n, \"likes\": n, \"reposts\": n, \"replies\": n} (the "
      "counts may also sit in \"metrics\").\n"
      "Output, one JSON object per triaged line: line, id (if given), sentiment "
      "(negative|neutral|positive), score (-1..1), urgency (none|low|high|urgent), "
      "urgency_level (0-3), category, category_words, attention "
      "(none|needs_attention|needs_thank_you), priority (higher first), reasons (plain words), "
      "staff {who, where} when the text names an associate.\n"
      "A line that is not valid JSON or has no \"text\" is one line on stderr and the rest "
      "continue; invalid UTF-8 is read as U+FFFD and reported. Exit 1 if any line was skipped.\n"
      "Lexicons: <assets>/lexicons/ (--assets or KIOSK_ASSETS).");

  auto* coach = cli.add_subcommand(
      "coach",
      "Score draft replies read from stdin, one per line: {\"mention\": \"...\", \"draft\": "
      "\"...\"} or a bare line (a draft with no mention). Writes one JSON object per line: "
      "generic (true/false), score (0-100, higher is more specific and personal), hints");
  std::string earlier_file;
  coach->add_option("--earlier", earlier_file,
                    "Replies already posted, one per line ('#' starts a note): drafts that copy "
                    "one are flagged");

  auto* training = cli.add_subcommand("training", "Training packs (docs/training.md)");
  training->require_subcommand(1);
  auto* validate = training->add_subcommand(
      "validate", "Check a pack folder; prints file:line: problem for each (exit 1 if any)");
  std::string pack_dir;
  validate->add_option("dir", pack_dir, "The pack's folder, e.g. assets/training/frontline-basics")
      ->required();

  TrainingNextOptions training_opts;
  auto* next = training->add_subcommand(
      "next", "What the scheduler would show a member of staff now, and why");
  auto* answer = training->add_subcommand(
      "answer", "Record a quiz answer for a member of staff (as the quiz screen does)");
  std::string lesson_id;
  bool right = false, wrong = false, sure = false, unsure = false;
  for (auto* sub : {next, answer}) {
    sub->add_option("--staff", training_opts.staff, "Staff id (as tapped in)")->required();
    sub->add_option("--pack", training_opts.pack_dir,
                    "The pack's folder (default: <assets>/training/frontline-basics); a newer "
                    "version of it head office published is used instead");
    sub->add_option("--lesson-language", training_opts.language, "Lessons in this language")
        ->capture_default_str();
    sub->add_option("--at-ms", training_opts.at_ms,
                    "Evaluate at this time (ms since 1970) instead of now");
  }
  next->add_flag("--json", training_opts.json, "Machine-readable output");
  answer->add_option("--lesson", lesson_id, "Lesson id")->required();
  auto* right_flag = answer->add_flag("--right", right, "The answer was right");
  answer->add_flag("--wrong", wrong, "The answer was wrong")->excludes(right_flag);
  auto* sure_flag = answer->add_flag("--sure", sure, "They said they were sure");
  answer->add_flag("--unsure", unsure, "They said they were unsure")->excludes(sure_flag);

  ReplyOptions reply_opts;
  auto* reply = cli.add_subcommand(
      "reply",
      "Draft a reply to a mention for head office to approve (reply.suggested); prints the "
      "coach's hints");
  reply->add_option("--mention", reply_opts.mention_id, "Mention id (see kiosk mentions)")
      ->required();
  reply->add_option("--text", reply_opts.text, "The reply as you would post it")->required();
  reply->add_option("--staff", reply_opts.staff, "Who drafted it (staff id)");
  reply->add_flag("--json", reply_opts.json, "Print the coach's report and the suggestion id");
  auto* replies = cli.add_subcommand(
      "replies", "Suggested replies and head office's outcome (approved, edited, rejected)");
  bool replies_json = false;
  replies->add_flag("--json", replies_json, "Machine-readable output");

  CLI11_PARSE(cli, argc, argv);

  training_opts.db = db;
  if (training_opts.pack_dir.empty())
    training_opts.pack_dir = window.assets_dir + "/training/frontline-basics";
  if (*next) return command_training_next(training_opts);
  if (*answer) {
    if (right == wrong || sure == unsure) {
      std::fprintf(stderr,
                   "kiosk training answer: give --right or --wrong, and --sure or "
                   "--unsure\n");
      return 1;
    }
    return command_training_answer(training_opts, lesson_id, right, sure);
  }

  if (*coach) return command_coach(std::cin, std::cout, earlier_file);
  reply_opts.db = db;
  if (*reply) return command_reply(reply_opts);
  if (*replies) return command_replies(db, replies_json);
  if (*validate) return command_training_validate(pack_dir);

  if (*enroll) return command_enroll(db, enroll_opts);
  if (*sync) return command_sync_once(db);
  if (*status) return command_status(db, status_json);
  if (*escalate) return command_escalate(db, mention_id, severity, note, esc_category, esc_staff);
  if (*escalation)
    return command_escalation_action(db, action_name, action_id, action_staff, action_text);
  if (*escalations_cmd) return command_escalations(db, escalations_json);
  if (*staff_list) return command_staff_list(db, staff_json);
  if (*staff_verify) return command_staff_verify(db, verify_staff);
  if (*mentions) return command_mentions(db, mentions_json, limit, mentions_feed);
  if (*share) return command_share_praise(db, share_mention, share_note, share_staff);
  if (*ingest && !ingest_source.empty())
    return kiosk::sync::sources::ingest_source_file(ingest_source, ingest_file, std::cout,
                                                    std::cerr, "kiosk");
  if (*ingest) return command_ingest(db, ingest_file);
  if (*triage) return command_triage(window.assets_dir, stdin, stdout, stderr);

  window.db_path = db;
  window.backend = *platform::parse_backend(backend);
  window.sync = !no_sync;
  window.idle_lock_ms = static_cast<std::int64_t>(idle_lock_seconds * 1000.0);
  window.onscreen_keyboard = keyboard == "on";
  window.idle_screen_ms = static_cast<std::int64_t>(idle_screen_seconds * 1000.0);
  // Given for this run (the flag or its environment variable): wins over the saved settings.
  window.given.theme = cli.get_option("--theme")->count() > 0;
  window.given.language = cli.get_option("--language")->count() > 0;
  window.given.idle_lock = cli.get_option("--idle-lock-seconds")->count() > 0;
  window.given.idle_screen = cli.get_option("--idle-screen-seconds")->count() > 0;
  window.given.onscreen_keyboard = cli.get_option("--keyboard")->count() > 0;
  return run_window(window);
}
