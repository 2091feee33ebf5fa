// The tbview command-line tool's subcommands. Each returns the process exit code:
//   0  done, every input read
//   1  done, but some input could not be read (each problem named on stderr)
//   2  usage error (nothing done)
#pragma once
#include <string>
#include <vector>

namespace tbview::cli {

using Args = std::vector<std::string>;

int CmdDump(const Args& args);      // dump --reference FILE
int CmdSummary(const Args& args);   // summary LOGDIR_OR_FILES...
int CmdExport(const Args& args);    // export --csv LOGDIR OUTDIR
int CmdDemo(const Args& args);      // demo OUTDIR
int CmdManifest(const Args& args);  // manifest DIR
int CmdDetect(const Args& args);    // detect FILE...

}  // namespace tbview::cli
