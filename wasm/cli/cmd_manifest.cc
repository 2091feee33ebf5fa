// `tbview manifest DIR`: writes DIR/tbview-manifest.json, the small file that
// lets the browser app read DIR once it is published on any static web server
// (`?url=https://host/DIR/`): a static server cannot list a folder, so the page
// reads this list and then fetches each file with HTTP Range requests.
//
// Format (schema "tbview-manifest-1"; web/src/sources/manifest.js reads it):
//   {"schema": "tbview-manifest-1",
//    "files": [{"path": "run/a/events.out.tfevents.1.host", "size": 1234, "mtime": 1700000000000}, ...],
//    "runs": [".", "run/a", ...]}
// - files: every regular file below DIR (symlinked files followed, symlinked
//   folders not entered), except the manifest itself and its temporary file;
//   path relative to DIR, '/'-separated, sorted by code unit (the order the
//   core reads a run's files in); size in bytes; mtime in milliseconds since
//   the Unix epoch (JavaScript's Date.now() unit). Every file is listed, not
//   only those named like event files: the page detects event files by content.
// - runs: informative only (the page derives runs from paths): the folders
//   (relative, "." for DIR itself) that directly hold a file whose first record
//   header is an event-file header (detect.h), sorted.
// The file is written to a temporary name and renamed, so a page reading it
// while it is rewritten sees the old or the new list, never half of one.
//
// Exit codes: 0 written; 1 DIR could not be fully listed or the manifest could
// not be written (named on stderr); 2 usage error (wrong arguments, DIR is not a
// directory).
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "commands.h"
#include "detect.h"
#include "json_writer.h"

namespace fs = std::filesystem;

namespace tbview::cli {

namespace {

constexpr char kManifestName[] = "tbview-manifest.json";
constexpr char kTempName[] = ".tbview-manifest.json.tmp";

struct ManifestFile {
  std::string path;  // relative, '/'-separated
  uint64_t size = 0;
  int64_t mtime_ms = 0;
  bool event_file = false;
};

// Whether the file's first bytes frame a TFRecord (the core's detection rule).
bool LooksLikeEventFile(const fs::path& p) {
  FILE* f = std::fopen(p.string().c_str(), "rb");
  if (!f) return false;
  uint8_t head[512];
  size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  return SniffContent(head, n) == ContentKind::kEventFile;
}

std::string RunOf(const std::string& rel) {
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? "." : rel.substr(0, slash);
}

}  // namespace

int CmdManifest(const Args& args) {
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-') {
    std::fputs("usage: tbview manifest DIR   (writes DIR/tbview-manifest.json)\n", stderr);
    return 2;
  }
  const fs::path root(args[0]);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    std::fprintf(stderr, "tbview: manifest: %s is not a directory\n", args[0].c_str());
    std::fputs("usage: tbview manifest DIR   (writes DIR/tbview-manifest.json)\n", stderr);
    return 2;
  }

  bool ok = true;
  std::vector<ManifestFile> files;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    std::fprintf(stderr, "tbview: %s: %s\n", args[0].c_str(), ec.message().c_str());
    return 1;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      std::fprintf(stderr, "tbview: %s: %s\n", args[0].c_str(), ec.message().c_str());
      ok = false;
      break;
    }
    std::error_code fec;
    if (!it->is_regular_file(fec)) continue;
    std::string rel = fs::relative(it->path(), root, fec).generic_string();
    if (fec || rel.empty()) continue;
    if (rel == kManifestName || rel == kTempName) continue;
    struct stat st;
    if (::stat(it->path().c_str(), &st) != 0) {
      std::fprintf(stderr, "tbview: cannot stat %s\n", it->path().string().c_str());
      ok = false;
      continue;
    }
    ManifestFile mf;
    mf.path = rel;
    mf.size = static_cast<uint64_t>(st.st_size);
    mf.mtime_ms = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    mf.event_file = LooksLikeEventFile(it->path());
    files.push_back(std::move(mf));
  }
  std::sort(files.begin(), files.end(),
            [](const ManifestFile& a, const ManifestFile& b) { return a.path < b.path; });

  std::set<std::string> runs;
  for (const ManifestFile& f : files)
    if (f.event_file) runs.insert(RunOf(f.path));

  JsonWriter w(1);
  w.BeginObject();
  w.Key("schema");
  w.String("tbview-manifest-1");
  w.Key("files");
  w.BeginArray();
  for (const ManifestFile& f : files) {
    w.BeginObject();
    w.Key("path");
    w.String(f.path);
    w.Key("size");
    w.Uint(f.size);
    w.Key("mtime");
    w.Int(f.mtime_ms);
    w.EndObject();
  }
  w.EndArray();
  w.Key("runs");
  w.BeginArray();
  for (const std::string& r : runs) w.String(r);
  w.EndArray();
  w.EndObject();
  std::string text = w.Take();
  text += '\n';

  const fs::path tmp = root / kTempName;
  const fs::path out = root / kManifestName;
  FILE* f = std::fopen(tmp.string().c_str(), "wb");
  bool written = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (f && std::fclose(f) != 0) written = false;
  if (written) {
    fs::rename(tmp, out, ec);
    written = !ec;
  }
  if (!written) {
    std::fprintf(stderr, "tbview: cannot write %s\n", out.string().c_str());
    fs::remove(tmp, ec);
    return 1;
  }
  std::printf("wrote %s: %zu files, %zu runs\n", out.string().c_str(), files.size(), runs.size());
  return ok ? 0 : 1;
}

}  // namespace tbview::cli
