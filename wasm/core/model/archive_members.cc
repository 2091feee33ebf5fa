// Archives inside a Logdir: a gzip, tar or zip file is read as a stream by an
// ArchiveReader, and each of its members becomes a file of the same Logdir,
// named "<archive path>/<member path>" (a plain .gz: the archive's name without
// ".gz"), pushed as its bytes come out of the archive.
//
// Invariants:
// - A member's bytes exist only inside the decompressed stream: a member is never
//   rereadable, so its blobs are kept in memory, not by reference.
// - Nesting is bounded by Limits::max_archive_depth, and every archive of one
//   tree shares the outermost one's max_decompressed_bytes, so nested bombs
//   cannot multiply it.
// - An archive is read once: after its end it is stopped; members that failed
//   inside it end as kCorrupt (kLimit when the archive hit a limit).
#include "archive_members.h"

#include <algorithm>

#include "logdir_impl.h"

namespace tbview {
namespace logdir_internal {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char a = s[s.size() - suffix.size() + i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != suffix[i]) return false;
  }
  return true;
}

}  // namespace

void MemberSink::BeginMember(std::string_view path, uint64_t) {
  const std::string& ap = impl->files[archive]->info.path;
  std::string name;
  if (!path.empty()) {
    name = ap + "/" + std::string(path);
  } else if (EndsWith(ap, ".gz")) {  // a plain .gz file: the name without it
    name = ap.substr(0, ap.size() - 3);
  } else if (EndsWith(ap, ".gzip")) {
    name = ap.substr(0, ap.size() - 5);
  } else {
    name = ap + ".gunzipped";
  }
  member = impl->OpenFile(name);
  if (member < 0) return;
  LogFile& m = *impl->files[member];
  const LogFile& a = *impl->files[archive];
  m.depth = a.depth + 1;  // for max_archive_depth and the shared decompression budget
  m.root = a.root;
  m.rereadable = false;
}

void MemberSink::MemberData(const uint8_t* data, size_t size) {
  if (member >= 0) impl->Push(member, data, size);
}

void MemberSink::EndMember(bool ok, std::string_view message) {
  if (member < 0) return;
  impl->EndOfData(member);
  const FileInfo& info = impl->files[member]->info;
  if (!ok && (info.status == FileStatus::kOk || info.status == FileStatus::kWaiting)) {
    impl->Fail(member, impl->ArchiveLimitReached(archive) ? FileStatus::kLimit : FileStatus::kCorrupt,
               "in archive: " + std::string(message));
  }
  member = -1;
}

}  // namespace logdir_internal

bool Logdir::Impl::ArchiveLimitReached(int f) const {
  const LogFile& s = *files[f];
  return s.archive && s.archive->limit_reached();
}

void Logdir::Impl::OpenArchive(int f, ContentKind kind) {
  LogFile& s = *files[f];
  Limits archive_limits = limits;
  if (s.depth == 0) {
    s.root = f;
  } else {
    // An archive inside an archive: bounded depth (each level is a stack of
    // calls and buffers), and one decompression budget for the whole tree.
    if (s.depth >= static_cast<int>(std::min<uint64_t>(limits.max_archive_depth, 1000))) {
      s.mode = LogFile::kOther;
      Fail(f, FileStatus::kLimit,
           "limit max_archive_depth (" + std::to_string(limits.max_archive_depth) +
               " archives inside each other) reached: this archive is not opened");
      return;
    }
    uint64_t used = 0;
    for (const auto& other : files) {
      if (other->archive && other->root == s.root) used += other->archive->bytes_out();
    }
    archive_limits.max_decompressed_bytes =
        used < limits.max_decompressed_bytes ? limits.max_decompressed_bytes - used : 0;
  }
  s.mode = LogFile::kArchive;
  s.sink = std::make_unique<logdir_internal::MemberSink>();
  s.sink->impl = this;
  s.sink->archive = f;
  s.archive = std::make_unique<ArchiveReader>(kind, s.sink.get(), archive_limits);
  s.archive->Push(reinterpret_cast<const uint8_t*>(s.head.data()), s.head.size());
}

void Logdir::Impl::FinishArchive(int f) {
  LogFile& s = *files[f];
  ArchiveReader& a = *s.archive;
  a.Finish();
  FileInfo& ai = s.info;
  s.stopped = true;  // an archive is read once
  // The message names the archive's format, whatever the status.
  if (a.failed()) {
    ai.status = a.limit_reached() ? FileStatus::kLimit : FileStatus::kCorrupt;
    ai.detail = std::string(a.format_name()) + " archive: " + a.error() + " (after " +
                std::to_string(a.members()) + " members)";
  } else {
    ai.status = FileStatus::kOk;
    ai.detail = std::string(a.format_name()) + " archive, " + std::to_string(a.members()) + " members";
  }
  for (const std::string& w : a.warnings()) ai.detail += "; " + w;
  ai.message = ai.path + ": " + ai.detail;
}

}  // namespace tbview
