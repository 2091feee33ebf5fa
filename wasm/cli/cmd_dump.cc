// `tbview dump --reference FILE`: one event file decoded into exactly the
// tb-reference-1 JSON that TensorBoard's own reader gives (shared/corpus/README.md),
// so anyone can compare tbview with TensorBoard file by file. For an archive
// (.zip, .tar, .tar.gz/.tgz) or a gzip-compressed file, a JSON array with one
// document per member, whose "file" is FILE/<member path>.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "archive.h"
#include "commands.h"
#include "detect.h"
#include "fs_input.h"
#include "reference_json.h"

namespace tbview::cli {

namespace {

// Collects one reference document per archive member.
class DumpSink : public ArchiveReader::Sink {
 public:
  explicit DumpSink(std::string archive_label) : label_(std::move(archive_label)) {}
  void BeginMember(std::string_view path, uint64_t /*size_claim*/) override {
    // A plain .gz holds one unnamed member: the file itself, without ".gz".
    std::string label = label_ + "/" + std::string(path);
    if (path.empty()) {
      label = label_;
      if (label.size() > 3 && label.compare(label.size() - 3, 3, ".gz") == 0) label.resize(label.size() - 3);
    }
    current_ = std::make_unique<ReferenceDump>(label);
  }
  void MemberData(const uint8_t* data, size_t size) override {
    if (current_) current_->Push(data, size);
  }
  void EndMember(bool ok, std::string_view message) override {
    if (!ok)
      std::fprintf(stderr, "tbview: %s: %.*s\n", label_.c_str(), static_cast<int>(message.size()),
                   message.data());
    if (current_) docs.push_back(current_->Finish());
    current_.reset();
  }
  std::vector<std::string> docs;

 private:
  std::string label_;
  std::unique_ptr<ReferenceDump> current_;
};

}  // namespace

int CmdDump(const Args& args) {
  if (args.size() != 2 || args[0] != "--reference") {
    std::fputs("usage: tbview dump --reference FILE\n", stderr);
    return 2;
  }
  const std::string& path = args[1];
  std::string error;
  // Route by content: the first chunk decides whether FILE is an archive.
  std::unique_ptr<ReferenceDump> dump;
  std::unique_ptr<DumpSink> sink;
  std::unique_ptr<ArchiveReader> archive;
  bool first = true;
  bool ok = ReadFileChunks(
      path, 4u << 20,
      [&](const uint8_t* d, size_t n) {
        if (first) {
          first = false;
          ContentKind kind = SniffContent(d, n);
          if (kind == ContentKind::kGzip || kind == ContentKind::kZip || kind == ContentKind::kTar) {
            sink = std::make_unique<DumpSink>(path);
            archive = std::make_unique<ArchiveReader>(kind, sink.get(), Limits());
          } else {
            dump = std::make_unique<ReferenceDump>(path);
          }
        }
        if (archive)
          archive->Push(d, n);
        else
          dump->Push(d, n);
      },
      &error);
  if (!ok) {
    std::fprintf(stderr, "tbview: %s\n", error.c_str());
    return 1;
  }
  if (first) dump = std::make_unique<ReferenceDump>(path);  // an empty file
  if (archive) {
    archive->Finish();
    std::string out = "[";
    for (size_t i = 0; i < sink->docs.size(); ++i) {
      out += i ? ",\n" : "\n";
      out += sink->docs[i];
    }
    out += "\n]\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (archive->failed()) {
      std::fprintf(stderr, "tbview: %s: %s\n", path.c_str(), archive->error().c_str());
      return 1;
    }
    return 0;
  }
  std::string out = dump->Finish();
  out += "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace tbview::cli
