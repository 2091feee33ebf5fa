// `tbview summary`: what a logdir holds, as a readable table.
#include <cstdio>
#include <string>

#include "commands.h"
#include "format.h"
#include "fs_input.h"
#include "logdir.h"

namespace tbview::cli {

namespace {

std::string Human(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else if (bytes < (1u << 20))
    std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024.0);
  else if (bytes < (1u << 30))
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / 1048576.0);
  else
    std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / 1073741824.0);
  return buf;
}

std::string LastValue(const Logdir& logdir, const TagInfo& t) {
  if (const ScalarSeries* s = logdir.Scalars(t.run, t.tag); s && s->size() > 0)
    return ShortestValue(s->value(s->size() - 1));
  return "-";
}

}  // namespace

int CmdSummary(const Args& args) {
  if (args.empty()) {
    std::fputs("usage: tbview summary LOGDIR_OR_FILES...\n", stderr);
    return 2;
  }
  std::vector<std::string> errors;
  std::vector<InputFile> inputs = ExpandInputs(args, &errors);
  Logdir logdir;
  bool read_ok = LoadInto(&logdir, inputs);

  std::printf("%-40s %-40s %-12s %10s %21s %14s\n", "RUN", "TAG", "PLUGIN", "POINTS", "STEPS", "LAST");
  for (const TagInfo& t : logdir.Tags()) {
    std::string steps = std::to_string(t.first_step) + ".." + std::to_string(t.last_step);
    std::printf("%-40s %-40s %-12s %10llu %21s %14s\n", t.run.c_str(), t.tag.c_str(),
                t.metadata.plugin_name.c_str(), static_cast<unsigned long long>(t.points), steps.c_str(),
                LastValue(logdir, t).c_str());
  }
  std::printf("\n%-14s %10s %9s  %s\n", "STATUS", "SIZE", "RECORDS", "FILE");
  bool all_ok = read_ok && errors.empty();
  for (const FileInfo& f : logdir.files()) {
    std::printf("%-14s %10s %9llu  %s\n", FileStatusName(f.status), Human(f.bytes).c_str(),
                static_cast<unsigned long long>(f.records), f.path.c_str());
    if (!f.message.empty()) std::printf("%-14s %10s %9s    %s\n", "", "", "", f.message.c_str());
    if (IsProblem(f)) all_ok = false;
    if (f.bad_crc > 0)
      std::printf("%-14s %10s %9s    %s: %llu record(s) skipped for a bad payload CRC\n", "", "", "",
                  f.path.c_str(), static_cast<unsigned long long>(f.bad_crc));
  }
  std::printf("\n%zu run(s), %zu tag(s), %llu point(s), %zu file(s)\n", logdir.Runs().size(),
              logdir.Tags().size(), static_cast<unsigned long long>(logdir.TotalPoints()),
              logdir.files().size());
  for (const std::string& e : errors) std::fprintf(stderr, "tbview: %s\n", e.c_str());
  // The core's messages already name the file.
  for (const FileInfo& f : logdir.files())
    if (IsProblem(f)) std::fprintf(stderr, "tbview: %s\n", f.message.c_str());
  return all_ok ? 0 : 1;
}

}  // namespace tbview::cli
