// Reading logs from disk for the command-line tool: a logdir walk or a list of
// files, fed into the core in chunks as the browser feeds it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "logdir.h"

namespace tbview::cli {

struct InputFile {
  std::string disk_path;  // where to read it
  std::string rel_path;   // the path the core sees (run = its directory)
};

// Expands command-line arguments into files. A directory contributes every
// regular file below it (relative to that directory; when several roots are
// given, each root's name is kept as a prefix so runs stay apart). A file
// contributes itself under its base name. Sorted by rel_path, so a run's files
// are read in name order. Problems (missing path) go to *errors.
std::vector<InputFile> ExpandInputs(const std::vector<std::string>& args, std::vector<std::string>* errors);

// Reads each file in `chunk` sized pieces into the logdir. Returns false if a
// file could not be read from disk (the logdir marks it failed; the others load).
bool LoadInto(Logdir* logdir, const std::vector<InputFile>& files, size_t chunk = 4u << 20);

// Whether a file's status is a problem worth a non-zero exit: any failure of a
// file whose name says it is an event file ("tfevents" in its base name), and any
// corruption or limit. Other files of a logdir (checkpoints, configs, READMEs)
// that are not event files are listed, not treated as errors.
bool IsProblem(const FileInfo& f);

// Reads a whole file through `fn(data, size)` in chunks; false on I/O error
// (*error says why).
template <typename Fn>
bool ReadFileChunks(const std::string& path, size_t chunk, Fn fn, std::string* error);

}  // namespace tbview::cli

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tbview::cli {
template <typename Fn>
bool ReadFileChunks(const std::string& path, size_t chunk, Fn fn, std::string* error) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  std::vector<uint8_t> buf(chunk);
  bool ok = true;
  for (;;) {
    size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n > 0) fn(buf.data(), n);
    if (n < buf.size()) {
      if (std::ferror(f)) {
        *error = path + ": read error: " + std::strerror(errno);
        ok = false;
      }
      break;
    }
  }
  std::fclose(f);
  return ok;
}
}  // namespace tbview::cli
