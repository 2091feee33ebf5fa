// `tbview detect FILE...`: what each file is by content, the core's rule
// (detect.h), as JSON for scripts (scripts/export.mjs chooses the files to
// publish with it, so the rule is not written a second time in JavaScript):
//   {"files": [{"path": "a/events.out.tfevents.1", "kind": "event"},
//              {"path": "notes.txt", "kind": "other", "what": "text file"}, ...]}
// in argument order. kind: "event", "gzip", "tar", "zip" or "other" (with
// "what", DescribeNonEventBytes's description); "unreadable" (with "what", the
// reason) for a file that cannot be opened.
//
// Exit codes: 0 every file read; 1 some file could not be read; 2 usage error.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"
#include "detect.h"
#include "json_writer.h"

namespace tbview::cli {

namespace {

const char* KindName(ContentKind k) {
  switch (k) {
    case ContentKind::kEventFile: return "event";
    case ContentKind::kGzip: return "gzip";
    case ContentKind::kTar: return "tar";
    case ContentKind::kZip: return "zip";
    case ContentKind::kOther: break;
  }
  return "other";
}

}  // namespace

int CmdDetect(const Args& args) {
  if (args.empty()) {
    std::fputs("usage: tbview detect FILE...\n", stderr);
    return 2;
  }
  bool all_read = true;
  JsonWriter w(0);
  w.BeginObject();
  w.Key("files");
  w.BeginArray();
  for (const std::string& path : args) {
    w.BeginObject();
    w.Key("path");
    w.String(path);
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
      all_read = false;
      w.Key("kind");
      w.String("unreadable");
      w.Key("what");
      w.String(std::strerror(errno));
      std::fprintf(stderr, "tbview: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
      w.EndObject();
      continue;
    }
    uint8_t head[512];
    const size_t n = std::fread(head, 1, sizeof head, f);
    std::fseek(f, 0, SEEK_END);
    const long size = std::ftell(f);
    std::fclose(f);
    const ContentKind kind = SniffContent(head, n);
    w.Key("kind");
    w.String(KindName(kind));
    if (kind == ContentKind::kOther) {
      w.Key("what");
      w.String(DescribeNonEventBytes(head, n, size < 0 ? n : static_cast<uint64_t>(size)));
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::printf("%s\n", w.Take().c_str());
  return all_read ? 0 : 1;
}

}  // namespace tbview::cli
