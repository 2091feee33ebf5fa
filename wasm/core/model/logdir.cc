// The Logdir's public methods and the per-file state machine (see logdir_impl.h):
// opening files, taking their bytes, deciding what each file is from its first
// bytes, and ending it (ok, waiting, not an event file, corrupt, limit, or failed
// from outside).
#include "logdir.h"

#include <algorithm>

#include "detect.h"
#include "logdir_impl.h"
#include "utf8.h"

namespace tbview {

using logdir_internal::kSniffBytes;
using logdir_internal::LogFile;

const char* FileStatusName(FileStatus s) {
  switch (s) {
    case FileStatus::kLoading: return "loading";
    case FileStatus::kOk: return "ok";
    case FileStatus::kWaiting: return "waiting";
    case FileStatus::kNotEventFile: return "not_event_file";
    case FileStatus::kCorrupt: return "corrupt";
    case FileStatus::kLimit: return "limit";
    case FileStatus::kCancelled: return "cancelled";
    case FileStatus::kReadError: return "read_error";
  }
  return "?";
}

// The words a message puts between the path and the detail, for statuses whose
// detail does not already say what happened.
static const char* StatusWords(FileStatus s) {
  switch (s) {
    case FileStatus::kNotEventFile: return "not an event file: ";
    case FileStatus::kCorrupt: return "corrupt: ";
    case FileStatus::kCancelled: return "cancelled: ";
    case FileStatus::kReadError: return "read error: ";
    default: return "";
  }
}

std::string RunOfPath(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return ".";
  return std::string(path.substr(0, slash));
}

// ---- FileList ----

size_t FileList::size() const { return files_->size(); }
const FileInfo& FileList::operator[](size_t i) const { return (*files_)[i]->info; }
const FileInfo& FileList::back() const { return files_->back()->info; }
const FileInfo& FileList::iterator::operator*() const { return (*p_)->info; }

// ---- the state machine ----

int Logdir::Impl::OpenFile(std::string_view path) {
  // Names are repaired once, here: paths (and so run names) are valid UTF-8.
  std::string p = ToValidUtf8(path);
  auto it = file_ids.find(p);
  if (it != file_ids.end()) return it->second;
  int id = static_cast<int>(files.size());
  auto file = std::make_unique<LogFile>(limits.max_record_bytes);
  file->info.path = p;
  file->info.run = RunOfPath(p);
  files.push_back(std::move(file));
  file_ids.emplace(std::move(p), id);
  return id;
}

void Logdir::Impl::Fail(int f, FileStatus status, std::string detail) {
  LogFile& s = *files[f];
  s.stopped = true;
  s.info.status = status;
  s.info.message = s.info.path + ": " + StatusWords(status) + detail;
  s.info.detail = std::move(detail);
  // An archive failed from outside (a read error): its open member ends too.
  if (s.sink && s.sink->member >= 0) {
    const int m = s.sink->member;
    s.sink->member = -1;
    EndOfData(m);
    if (!files[m]->stopped) Fail(m, status, "its archive failed: " + s.info.message);
  }
}

void Logdir::Impl::LimitReached(int f, const char* limit, uint64_t value, const char* what) {
  Fail(f, FileStatus::kLimit,
       std::string("limit ") + limit + " (" + std::to_string(value) + " " + what +
           ") reached; stopped reading this file after " + std::to_string(files[f]->reader.records()) +
           " records, keeping what was read");
}

std::string Logdir::Impl::NotEventDetail(int f) const {
  const LogFile& s = *files[f];
  return DescribeNonEventBytes(reinterpret_cast<const uint8_t*>(s.head.data()), s.head.size(), s.info.bytes);
}

void Logdir::Impl::NotEventFile(int f, std::string detail) {
  FileInfo& info = files[f]->info;
  info.status = FileStatus::kNotEventFile;
  info.message = info.path + ": " + StatusWords(info.status) + detail;
  info.detail = std::move(detail);
}

void Logdir::Impl::Decide(int f) {
  LogFile& s = *files[f];
  const uint8_t* head = reinterpret_cast<const uint8_t*>(s.head.data());
  ContentKind kind = SniffContent(head, s.head.size());
  switch (kind) {
    case ContentKind::kEventFile:
      s.mode = LogFile::kEvents;
      if (!RunFor(f)) return;
      s.reader.push(head, s.head.size());
      Drain(f);
      return;
    case ContentKind::kGzip:
    case ContentKind::kTar:
    case ContentKind::kZip: OpenArchive(f, kind); return;
    case ContentKind::kOther:
      s.mode = LogFile::kOther;
      NotEventFile(f, NotEventDetail(f));
      return;
  }
}

void Logdir::Impl::Push(int f, const uint8_t* data, size_t size) {
  if (!Valid(f)) return;
  LogFile& s = *files[f];
  s.info.bytes += size;
  if (s.stopped) return;
  if (s.info.status == FileStatus::kOk || s.info.status == FileStatus::kWaiting ||
      (s.mode == LogFile::kSniff && s.info.status == FileStatus::kNotEventFile)) {
    s.info.status = FileStatus::kLoading;  // a growing file's new bytes
  }
  if (s.mode == LogFile::kSniff) {
    size_t take = std::min(size, kSniffBytes - s.head.size());
    s.head.append(reinterpret_cast<const char*>(data), take);
    data += take;
    size -= take;
    if (s.head.size() < kSniffBytes) return;
    Decide(f);
    if (s.stopped) return;
  }
  switch (s.mode) {
    case LogFile::kSniff: return;
    case LogFile::kEvents:
      if (size == 0) return;
      s.reader.push(data, size);
      Drain(f);
      return;
    case LogFile::kArchive: s.archive->Push(data, size); return;
    case LogFile::kOther: return;
  }
}

void Logdir::Impl::EndOfData(int f) {
  if (!Valid(f)) return;
  LogFile& s = *files[f];
  if (s.stopped) return;
  FileInfo& info = s.info;
  if (s.mode == LogFile::kSniff) {
    if (s.head.size() < 12) {
      // Too short to hold a record header: an empty file, or a growing one
      // whose first record is not there yet. Until more bytes come, it is not
      // an event file (the mode stays kSniff, so a growing file's next bytes
      // decide again).
      std::string detail = NotEventDetail(f);
      if (!s.head.empty()) {
        detail += " (only " + std::to_string(s.head.size()) + " bytes, less than one record header)";
      }
      NotEventFile(f, std::move(detail));
      return;
    }
    Decide(f);
    if (s.stopped) return;
  }
  switch (s.mode) {
    case LogFile::kSniff: return;
    case LogFile::kEvents: {
      const uint64_t pending = s.reader.buffered();
      if (pending > 0) {
        info.status = FileStatus::kWaiting;
        info.detail = "ends inside a record (" + std::to_string(pending) + " bytes from offset " +
                      std::to_string(s.reader.consumed()) + ")";
        info.message = info.path + ": " + info.detail + ": waiting for more data";
      } else {
        info.status = FileStatus::kOk;
        info.detail.clear();
        info.message.clear();
      }
      std::string notes;
      if (info.bad_crc) notes = std::to_string(info.bad_crc) + " records skipped for a bad payload CRC";
      if (!s.warning.empty()) {
        if (!notes.empty()) notes += "; ";
        notes += std::to_string(info.bad_events) + " bad events or values, first: " + s.warning;
      }
      if (!notes.empty()) {
        info.message += (info.message.empty() ? info.path + ": " : "; ") + notes;
        info.detail += (info.detail.empty() ? "" : "; ") + notes;
      }
      return;
    }
    case LogFile::kArchive: FinishArchive(f); return;
    case LogFile::kOther:
      NotEventFile(f, NotEventDetail(f));  // now with the total size
      return;
  }
}

// ---- Logdir ----

Logdir::Logdir(const Limits& limits) : impl_(new Impl(limits)) {}
Logdir::~Logdir() = default;

int Logdir::OpenFile(std::string_view path) { return impl_->OpenFile(path); }
void Logdir::Push(int file, const uint8_t* data, size_t size) {
  impl_->Push(file, data, size);
  impl_->stager.FlushAll();
}
void Logdir::EndOfData(int file) {
  impl_->EndOfData(file);
  impl_->stager.FlushAll();
}
void Logdir::FailFile(int file, FileStatus status, std::string message) {
  if (!impl_->Valid(file)) return;
  impl_->Fail(file, status, message);
  FileInfo& info = impl_->files[file]->info;
  info.message = std::move(message);  // as the caller said it
}

void Logdir::StopFile(int file, FileStatus status, std::string detail) {
  if (!impl_->Valid(file)) return;
  impl_->Fail(file, status, std::move(detail));
}

FileList Logdir::files() const { return FileList(&impl_->files); }

}  // namespace tbview
