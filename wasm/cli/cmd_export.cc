// `tbview export --csv LOGDIR OUTDIR`: TensorBoard's CSV download for every run
// and scalar tag at once. Layout: OUTDIR/<run>/<tag>.csv, run "." directly in
// OUTDIR; run path components and the tag are percent-encoded (format.h), so
// every (run, tag) gets its own file and the names can be decoded back.
#include <cstdio>
#include <filesystem>
#include <string>

#include "commands.h"
#include "format.h"
#include "fs_input.h"
#include "logdir.h"

namespace fs = std::filesystem;

namespace tbview::cli {

int CmdExport(const Args& args) {
  if (args.size() != 3 || args[0] != "--csv") {
    std::fputs("usage: tbview export --csv LOGDIR OUTDIR\n", stderr);
    return 2;
  }
  std::vector<std::string> errors;
  std::vector<InputFile> inputs = ExpandInputs({args[1]}, &errors);
  if (!errors.empty()) {
    for (const std::string& e : errors) std::fprintf(stderr, "tbview: %s\n", e.c_str());
    return 1;
  }
  Logdir logdir;
  bool ok = LoadInto(&logdir, inputs);
  fs::path out(args[2]);
  int written = 0;
  for (const TagInfo& t : logdir.Tags()) {
    const ScalarSeries* s = logdir.Scalars(t.run, t.tag);
    if (!s) continue;
    fs::path dir = out;
    if (t.run != ".") {
      size_t start = 0;
      while (start <= t.run.size()) {
        size_t slash = t.run.find('/', start);
        if (slash == std::string::npos) slash = t.run.size();
        dir /= FileNameComponent(t.run.substr(start, slash - start));
        start = slash + 1;
      }
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    fs::path file = dir / (FileNameComponent(t.tag) + ".csv");
    FILE* f = std::fopen(file.string().c_str(), "wb");
    if (!f) {
      std::fprintf(stderr, "tbview: cannot write %s\n", file.string().c_str());
      ok = false;
      continue;
    }
    std::fputs("Wall time,Step,Value\n", f);
    for (size_t i = 0; i < s->size(); ++i)
      std::fprintf(f, "%s,%lld,%s\n", ShortestDouble(s->wall_time(i)).c_str(),
                   static_cast<long long>(s->step(i)), ShortestDouble(s->value(i)).c_str());
    std::fclose(f);
    ++written;
  }
  for (const FileInfo& fi : logdir.files())
    if (IsProblem(fi)) {
      std::fprintf(stderr, "tbview: %s\n", fi.message.c_str());
      ok = false;
    }
  std::printf("wrote %d CSV file(s) to %s\n", written, out.string().c_str());
  return ok ? 0 : 1;
}

}  // namespace tbview::cli
