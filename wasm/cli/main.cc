// tbview: the native command-line tool over the same core the browser runs.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"

namespace {

const char kUsage[] =
    "usage: tbview COMMAND ...\n"
    "  dump --reference FILE          decoded contents of an event file (or of every event\n"
    "                                 file inside an archive) as tb-reference-1 JSON\n"
    "  summary LOGDIR_OR_FILES...     runs, tags, points, step range, last value, file status\n"
    "  export --csv LOGDIR OUTDIR     one CSV per run and scalar tag (Wall time,Step,Value)\n"
    "  demo OUTDIR                    write the demo log set\n"
    "  manifest DIR                   write DIR/tbview-manifest.json (every file, size, mtime),\n"
    "                                 so the web app can open DIR published on a static server\n"
    "  detect FILE...                 what each file is by content (event, gzip, tar, zip or\n"
    "                                 other, and what it looks like), as JSON\n"
    "exit codes: 0 ok; 1 some input could not be read (named on stderr); 2 usage error\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  tbview::cli::Args args(argv + 2, argv + argc);
  if (cmd == "dump") return tbview::cli::CmdDump(args);
  if (cmd == "summary") return tbview::cli::CmdSummary(args);
  if (cmd == "export") return tbview::cli::CmdExport(args);
  if (cmd == "demo") return tbview::cli::CmdDemo(args);
  if (cmd == "manifest") return tbview::cli::CmdManifest(args);
  if (cmd == "detect") return tbview::cli::CmdDetect(args);
  std::fprintf(stderr, "tbview: unknown command '%s'\n%s", cmd.c_str(), kUsage);
  return 2;
}
