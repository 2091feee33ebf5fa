// tbview_conformance: reads every corpus file the way TensorBoard does
// (ReferenceDump) and compares the result with TensorBoard's own reading
// (corpus/expected/<path>.json, schema tb-reference-1).
//
//   tbview_conformance [--corpus DIR] --excuses FILE [--filter SUBSTR] [--dump]
//
// The corpus is DIR when given, else the one tests/support/corpus.h locates
// (TBVIEW_CORPUS, else the folder CMake was configured with).
// Every file is pushed in chunks of pseudo-random sizes (1 byte to 64 KiB, seeded
// by the path) so record resumption is exercised on real data. Archive members
// (expected/<archive>/<member>.json) are read through ArchiveReader the same way.
// The comparison is semantic: both documents are parsed; numbers are compared as
// doubles, exactly; object key order does not matter; "reader" and
// "error_detail" are not compared. Each mismatch prints one line (file, field
// path, expected vs got); mismatches listed in the excuses file (file, field
// prefix, reason; tab-separated) are counted as excused.
// Exit status: 0 all passed or excused, 1 an unexcused mismatch, 77 no corpus.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "archive.h"
#include "detect.h"
#include "reference_json.h"
#include "support/corpus.h"
#include "support/files.h"

namespace fs = std::filesystem;

namespace {

// ---- a minimal JSON DOM ----
struct Json {
  enum Type { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> arr;
  std::vector<std::pair<std::string, Json>> obj;
  const Json* Find(const std::string& k) const {
    for (const auto& kv : obj)
      if (kv.first == k) return &kv.second;
    return nullptr;
  }
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  bool Parse(Json* out, std::string* err) {
    if (!Value(out)) {
      *err = "JSON parse error at offset " + std::to_string(i_);
      return false;
    }
    Ws();
    if (i_ != s_.size()) {
      *err = "trailing bytes after JSON at offset " + std::to_string(i_);
      return false;
    }
    return true;
  }

 private:
  void Ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool Lit(const char* w) {
    const size_t n = std::strlen(w);
    if (s_.compare(i_, n, w) != 0) return false;
    i_ += n;
    return true;
  }
  static void PutUtf8(uint32_t cp, std::string* o) {
    if (cp < 0x80)
      o->push_back(static_cast<char>(cp));
    else if (cp < 0x800) {
      o->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      o->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      o->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      o->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      o->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      o->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      o->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      o->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      o->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool Hex4(uint32_t* v) {
    if (i_ + 4 > s_.size()) return false;
    *v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      *v <<= 4;
      if (c >= '0' && c <= '9')
        *v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        *v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        *v |= c - 'A' + 10;
      else
        return false;
    }
    return true;
  }
  bool String(std::string* o) {
    if (s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        o->push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': o->push_back('"'); break;
        case '\\': o->push_back('\\'); break;
        case '/': o->push_back('/'); break;
        case 'b': o->push_back('\b'); break;
        case 'f': o->push_back('\f'); break;
        case 'n': o->push_back('\n'); break;
        case 'r': o->push_back('\r'); break;
        case 't': o->push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {
            i_ += 2;
            uint32_t lo;
            if (!Hex4(&lo)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          PutUtf8(cp, o);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool Value(Json* v) {
    Ws();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') {
      v->type = Json::kObject;
      ++i_;
      Ws();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return true;
      }
      for (;;) {
        Ws();
        std::string k;
        if (i_ >= s_.size() || !String(&k)) return false;
        Ws();
        if (i_ >= s_.size() || s_[i_++] != ':') return false;
        v->obj.emplace_back(std::move(k), Json());
        if (!Value(&v->obj.back().second)) return false;
        Ws();
        if (i_ >= s_.size()) return false;
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (s_[i_] == '}') {
          ++i_;
          return true;
        }
        return false;
      }
    }
    if (c == '[') {
      v->type = Json::kArray;
      ++i_;
      Ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      for (;;) {
        v->arr.emplace_back();
        if (!Value(&v->arr.back())) return false;
        Ws();
        if (i_ >= s_.size()) return false;
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (s_[i_] == ']') {
          ++i_;
          return true;
        }
        return false;
      }
    }
    if (c == '"') {
      v->type = Json::kString;
      return String(&v->str);
    }
    if (Lit("null")) {
      v->type = Json::kNull;
      return true;
    }
    if (Lit("true")) {
      v->type = Json::kBool;
      v->b = true;
      return true;
    }
    if (Lit("false")) {
      v->type = Json::kBool;
      v->b = false;
      return true;
    }
    if (Lit("NaN")) {
      v->type = Json::kNumber;
      v->num = NAN;
      return true;
    }
    if (Lit("Infinity")) {
      v->type = Json::kNumber;
      v->num = INFINITY;
      return true;
    }
    if (Lit("-Infinity")) {
      v->type = Json::kNumber;
      v->num = -INFINITY;
      return true;
    }
    const char* start = s_.c_str() + i_;
    char* end = nullptr;
    v->num = std::strtod(start, &end);
    if (end == start) return false;
    v->type = Json::kNumber;
    i_ += static_cast<size_t>(end - start);
    return true;
  }
  const std::string& s_;
  size_t i_ = 0;
};

std::string Brief(const Json& j) {
  switch (j.type) {
    case Json::kNull: return "null";
    case Json::kBool: return j.b ? "true" : "false";
    case Json::kNumber: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", j.num);
      return buf;
    }
    case Json::kString: {
      std::string s = "\"" + (j.str.size() > 60 ? j.str.substr(0, 60) + "..." : j.str) + "\"";
      for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
      return s;
    }
    case Json::kArray: return "array[" + std::to_string(j.arr.size()) + "]";
    case Json::kObject: return "object{" + std::to_string(j.obj.size()) + "}";
  }
  return "?";
}

struct Mismatch {
  std::string field;
  std::string detail;
};

void Compare(const Json& want, const Json& got, const std::string& path, std::vector<Mismatch>* out) {
  if (want.type != got.type) {
    out->push_back({path, "expected " + Brief(want) + ", got " + Brief(got)});
    return;
  }
  switch (want.type) {
    case Json::kNull: return;
    case Json::kBool:
      if (want.b != got.b) out->push_back({path, "expected " + Brief(want) + ", got " + Brief(got)});
      return;
    case Json::kNumber:
      if (!(want.num == got.num) && !(std::isnan(want.num) && std::isnan(got.num)))
        out->push_back({path, "expected " + Brief(want) + ", got " + Brief(got)});
      return;
    case Json::kString:
      if (want.str != got.str) out->push_back({path, "expected " + Brief(want) + ", got " + Brief(got)});
      return;
    case Json::kArray:
      if (want.arr.size() != got.arr.size()) {
        out->push_back({path, "expected " + std::to_string(want.arr.size()) + " elements, got " +
                                  std::to_string(got.arr.size())});
      }
      for (size_t i = 0; i < std::min(want.arr.size(), got.arr.size()); ++i)
        Compare(want.arr[i], got.arr[i], path + "/" + std::to_string(i), out);
      return;
    case Json::kObject:
      for (const auto& kv : want.obj) {
        if (path.empty() && (kv.first == "reader" || kv.first == "error_detail")) continue;
        const Json* g = got.Find(kv.first);
        if (!g) {
          out->push_back({path + "/" + kv.first, "missing (expected " + Brief(kv.second) + ")"});
          continue;
        }
        Compare(kv.second, *g, path + "/" + kv.first, out);
      }
      for (const auto& kv : got.obj) {
        if (path.empty() && (kv.first == "reader" || kv.first == "error_detail")) continue;
        if (!want.Find(kv.first))
          out->push_back({path + "/" + kv.first, "unexpected (got " + Brief(kv.second) + ")"});
      }
      return;
  }
}

// ---- excuses: file <TAB> field prefix <TAB> reason ----
struct Excuse {
  std::string file, field, reason;
};

std::vector<Excuse> LoadExcuses(const std::string& path) {
  std::vector<Excuse> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> parts;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '\t')) parts.push_back(part);
    if (parts.size() >= 2) out.push_back({parts[0], parts[1], parts.size() > 2 ? parts[2] : ""});
  }
  return out;
}

bool Excused(const std::vector<Excuse>& ex, const std::string& file, const std::string& field) {
  for (const Excuse& e : ex)
    if (e.file == file && field.compare(0, e.field.size(), e.field) == 0) return true;
  return false;
}

// Pushes `bytes` into `push` in chunks of pseudo-random sizes seeded by `seed`.
template <typename Push>
void PushChunked(const std::string& bytes, const std::string& seed, Push push) {
  std::mt19937_64 rng(std::hash<std::string>()(seed));
  size_t pos = 0;
  while (pos < bytes.size()) {
    const uint64_t r = rng();
    size_t n;
    switch (r % 4) {
      case 0: n = 1 + (r >> 8) % 16; break;      // tiny: splits headers
      case 1: n = 1 + (r >> 8) % 300; break;     // small
      case 2: n = 1 + (r >> 8) % 8192; break;    // medium
      default: n = 1 + (r >> 8) % 65536; break;  // large
    }
    n = std::min(n, bytes.size() - pos);
    push(reinterpret_cast<const uint8_t*>(bytes.data()) + pos, n);
    pos += n;
  }
}

struct Totals {
  int passed = 0, failed = 0, excused = 0, not_compared = 0;
};

struct Options {
  fs::path corpus;
  std::vector<Excuse> excuses;
  std::string filter;
  bool dump = false;
};

// Compares one produced document with its expected file; prints mismatches.
void Check(const Options& opt, const std::string& label, const fs::path& expected_path,
           const std::string& got_text, Totals* totals) {
  std::string want_text, err;
  Json want, got;
  if (!tbview::test::ReadFile(expected_path.string(), &want_text) || !Parser(want_text).Parse(&want, &err)) {
    std::printf("%s\t(expected file)\tcannot read or parse %s\n", label.c_str(), expected_path.c_str());
    ++totals->failed;
    return;
  }
  if (!Parser(got_text).Parse(&got, &err)) {
    std::printf("%s\t(output)\tour document does not parse: %s\n", label.c_str(), err.c_str());
    ++totals->failed;
    return;
  }
  if (opt.dump) std::printf("%s\n", got_text.c_str());
  std::vector<Mismatch> mism;
  Compare(want, got, "", &mism);
  int unexcused = 0, excused = 0, printed = 0;
  for (const Mismatch& m : mism) {
    if (Excused(opt.excuses, label, m.field)) {
      ++excused;
      continue;
    }
    ++unexcused;
    if (printed++ < 20) std::printf("%s\t%s\t%s\n", label.c_str(), m.field.c_str(), m.detail.c_str());
  }
  if (printed > 20) std::printf("%s\t...\t%d more mismatches\n", label.c_str(), printed - 20);
  if (unexcused)
    ++totals->failed;
  else if (excused)
    ++totals->excused;
  else
    ++totals->passed;
}

// Reads an archive and checks each member that has an expected document.
class MemberChecker : public tbview::ArchiveReader::Sink {
 public:
  MemberChecker(const Options& opt, std::string archive_label, fs::path expected_dir,
                std::map<std::string, fs::path>* pending, Totals* totals)
      : opt_(opt),
        archive_(std::move(archive_label)),
        expected_dir_(std::move(expected_dir)),
        pending_(pending),
        totals_(totals) {}
  void BeginMember(std::string_view path, uint64_t) override {
    label_ = archive_ + "/" + std::string(path);
    dump_.reset(new tbview::ReferenceDump(label_));
  }
  void MemberData(const uint8_t* data, size_t size) override {
    if (dump_) dump_->Push(data, size);
  }
  void EndMember(bool ok, std::string_view message) override {
    if (!dump_) return;
    auto it = pending_->find(label_);
    if (it != pending_->end()) {
      if (!ok)
        std::printf("%s\t(archive)\tmember ended with an error: %.*s\n", label_.c_str(),
                    static_cast<int>(message.size()), message.data());
      Check(opt_, label_, it->second, dump_->Finish(), totals_);
      pending_->erase(it);
    }
    dump_.reset();
  }

 private:
  const Options& opt_;
  std::string archive_;
  fs::path expected_dir_;
  std::map<std::string, fs::path>* pending_;
  Totals* totals_;
  std::string label_;
  std::unique_ptr<tbview::ReferenceDump> dump_;
};

int Usage() {
  std::fprintf(stderr,
               "usage: tbview_conformance [--corpus DIR] --excuses FILE [--filter SUBSTR] [--dump]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  std::string excuses_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--corpus" && i + 1 < argc)
      opt.corpus = argv[++i];
    else if (a == "--excuses" && i + 1 < argc)
      excuses_path = argv[++i];
    else if (a == "--filter" && i + 1 < argc)
      opt.filter = argv[++i];
    else if (a == "--dump")
      opt.dump = true;
    else
      return Usage();
  }
  if (opt.corpus.empty()) opt.corpus = tbview::test::CorpusDir();
  const fs::path files = opt.corpus / "files", expected = opt.corpus / "expected";
  if (!fs::is_directory(files) || !fs::is_directory(expected)) {
    std::printf("conformance: SKIPPED, no corpus at %s (needs files/ and expected/)\n", opt.corpus.c_str());
    return 77;
  }
  if (!excuses_path.empty()) opt.excuses = LoadExcuses(excuses_path);

  // Every expected document, by label (its path below expected/ without ".json").
  std::vector<std::pair<std::string, fs::path>> docs;
  for (const auto& e : fs::recursive_directory_iterator(expected)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::string rel = fs::relative(e.path(), expected).generic_string();
    rel.resize(rel.size() - 5);
    if (!opt.filter.empty() && rel.find(opt.filter) == std::string::npos) continue;
    docs.emplace_back(rel, e.path());
  }
  std::sort(docs.begin(), docs.end());

  Totals totals;
  // Archive members, grouped by archive: archive label -> (member label -> expected).
  std::map<std::string, std::map<std::string, fs::path>> archives;
  for (const auto& [label, path] : docs) {
    const fs::path file = files / label;
    if (fs::is_regular_file(file)) {
      std::string bytes;
      if (!tbview::test::ReadFile(file.string(), &bytes)) {
        std::printf("%s\t(input)\tcannot read\n", label.c_str());
        ++totals.failed;
        continue;
      }
      tbview::ReferenceDump dump(label);
      PushChunked(bytes, label, [&](const uint8_t* d, size_t n) { dump.Push(d, n); });
      Check(opt, label, path, dump.Finish(), &totals);
      continue;
    }
    // A member of an archive: find the longest prefix that is a file.
    std::string prefix = label;
    bool found = false;
    for (size_t cut = prefix.rfind('/'); cut != std::string::npos; cut = prefix.rfind('/')) {
      prefix.resize(cut);
      if (fs::is_regular_file(files / prefix)) {
        archives[prefix][label] = path;
        found = true;
        break;
      }
    }
    if (!found) {
      std::printf("%s\t(input)\tno such file under files/\n", label.c_str());
      ++totals.not_compared;
    }
  }

  for (auto& [archive, members] : archives) {
    std::string bytes;
    if (!tbview::test::ReadFile((files / archive).string(), &bytes)) {
      totals.failed += static_cast<int>(members.size());
      continue;
    }
    const tbview::ContentKind kind =
        tbview::SniffContent(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    MemberChecker sink(opt, archive, expected / archive, &members, &totals);
    tbview::ArchiveReader reader(kind, &sink);
    PushChunked(bytes, archive, [&](const uint8_t* d, size_t n) { reader.Push(d, n); });
    reader.Finish();
    if (reader.failed())
      std::printf("%s\t(archive)\tarchive error: %s\n", archive.c_str(), reader.error().c_str());
    for (const auto& [label, unused] : members) {
      std::printf("%s\t(archive)\tmember not found in the archive\n", label.c_str());
      ++totals.failed;
    }
  }

  std::printf("conformance: %d passed, %d failed, %d excused", totals.passed, totals.failed, totals.excused);
  if (totals.not_compared) std::printf(", %d not compared", totals.not_compared);
  std::printf("\n");
  return totals.failed ? 1 : 0;
}
