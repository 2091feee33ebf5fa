#include "support/corpus.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef TBVIEW_CORPUS_DEFAULT
#error "CMake defines TBVIEW_CORPUS_DEFAULT (the TBVIEW_CORPUS cache path) for this file"
#endif

namespace tbview {
namespace test {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string CorpusDir() {
  const char* env = std::getenv("TBVIEW_CORPUS");
  if (env && *env) return env;
  return TBVIEW_CORPUS_DEFAULT;
}

std::string PluginsCorpusDir() {
  const char* env = std::getenv("TBVIEW_CORPUS_PLUGINS");
  if (env && *env) return env;
  std::string main = CorpusDir();
  while (!main.empty() && main.back() == '/') main.pop_back();
  const size_t slash = main.rfind('/');
  return (slash == std::string::npos ? std::string(".") : main.substr(0, slash)) + "/corpus-plugins";
}

bool HaveCorpus() {
  const std::string dir = CorpusDir();
  return Exists(dir + "/files") && Exists(dir + "/expected");
}

bool ReadCorpusIndex(std::vector<CorpusRow>* rows) {
  std::ifstream in(CorpusDir() + "/INDEX.tsv");
  if (!in) return false;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (f.size() < 9) continue;
    CorpusRow r;
    r.path = f[0];
    r.size = std::strtoull(f[1].c_str(), nullptr, 10);
    r.producer = f[5];
    r.records = f[7];
    r.walk_status = f[8];
    r.notes = f.size() > 10 ? f[10] : "";
    rows->push_back(std::move(r));
  }
  return true;
}

}  // namespace test
}  // namespace tbview
