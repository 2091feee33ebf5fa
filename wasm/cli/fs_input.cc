#include "fs_input.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace tbview::cli {

std::vector<InputFile> ExpandInputs(const std::vector<std::string>& args, std::vector<std::string>* errors) {
  std::vector<InputFile> out;
  int dirs = 0;
  for (const std::string& a : args) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) ++dirs;
  }
  for (const std::string& a : args) {
    std::error_code ec;
    fs::path root(a);
    if (fs::is_directory(root, ec)) {
      // With one root the runs are named relative to it ("." for the root);
      // with several, each root's own name prefixes its runs.
      std::string prefix;
      if (dirs > 1) {
        prefix = fs::absolute(root).lexically_normal().filename().string();
        if (prefix.empty()) prefix = fs::absolute(root).lexically_normal().parent_path().filename().string();
        prefix += "/";
      }
      fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
      if (ec) {
        errors->push_back(a + ": " + ec.message());
        continue;
      }
      for (; it != end; it.increment(ec)) {
        if (ec) {
          errors->push_back(a + ": " + ec.message());
          break;
        }
        std::error_code fec;
        if (!it->is_regular_file(fec)) continue;
        std::string rel = fs::relative(it->path(), root, fec).generic_string();
        out.push_back({it->path().string(), prefix + rel});
      }
    } else if (fs::is_regular_file(root, ec)) {
      out.push_back({a, root.filename().string()});
    } else {
      errors->push_back(a + ": no such file or directory");
    }
  }
  std::sort(out.begin(), out.end(),
            [](const InputFile& x, const InputFile& y) { return x.rel_path < y.rel_path; });
  return out;
}

bool LoadInto(Logdir* logdir, const std::vector<InputFile>& files, size_t chunk) {
  bool all_ok = true;
  for (const InputFile& f : files) {
    int id = logdir->OpenFile(f.rel_path);
    std::string error;
    bool ok = ReadFileChunks(
        f.disk_path, chunk, [&](const uint8_t* d, size_t n) { logdir->Push(id, d, n); }, &error);
    if (!ok) {
      logdir->FailFile(id, FileStatus::kReadError, error);
      all_ok = false;
    } else {
      logdir->EndOfData(id);
    }
  }
  return all_ok;
}

bool IsProblem(const FileInfo& f) {
  switch (f.status) {
    case FileStatus::kOk:
    case FileStatus::kWaiting:
    case FileStatus::kLoading: return false;
    case FileStatus::kNotEventFile: {
      size_t slash = f.path.rfind('/');
      std::string base = slash == std::string::npos ? f.path : f.path.substr(slash + 1);
      return base.find("tfevents") != std::string::npos;
    }
    default: return true;
  }
}

}  // namespace tbview::cli
