// The inside of a Logdir, shared by its modules (not part of the API):
//   logdir.cc          the public methods and the per-file state machine
//   record_routing.cc  framed records -> decoded values -> the tag index
//   archive_members.cc archives whose members become files of the same Logdir
//   logdir_queries.cc  runs, tags, series and figures for the queries
// with tag_index.h (runs and tags), scalar_stage.h (batched scalar appends) and
// memory_budget.h (max_memory_bytes).
//
// Per file, one LogFile holds everything: what the caller sees (FileInfo) and a
// small state machine:
//   kSniff    gathering the first kSniffBytes (enough for every ContentKind)
//   kEvents   an event file: RecordReader framing, then one decode per record
//   kArchive  gzip / tar / zip: an ArchiveReader whose members become files
//             "<archive path>/<member path>" of this same Logdir
//   kOther    not an event file: bytes are counted, nothing else
// Invariants:
// - A file's id is its index in Impl::files; ids are never reused, LogFiles never
//   move (unique_ptr), and a path maps to one id (Impl::file_ids).
// - `stopped` is final: a failed file ignores further bytes (its bytes are still
//   counted in info.bytes).
// - `head` keeps the first bytes (at most kSniffBytes) so a file that turns out
//   not to be an event file can be described.
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "archive.h"
#include "archive_members.h"
#include "blob_refs.h"
#include "logdir.h"
#include "memory_budget.h"
#include "record_reader.h"
#include "scalar_stage.h"
#include "tag_index.h"

namespace tbview {
namespace logdir_internal {

constexpr size_t kSniffBytes = 512;

struct MemberSink;

struct LogFile {
  enum Mode { kSniff, kEvents, kArchive, kOther };

  explicit LogFile(uint64_t max_record) : reader(max_record) {}

  FileInfo info;  // what files() shows
  Mode mode = kSniff;
  std::string head;  // the first bytes, at most kSniffBytes
  RecordReader reader;
  RunState* run = nullptr;  // set when the file is known to be an event file
  bool stopped = false;     // failed or over a limit: further bytes are ignored
  int depth = 0;            // archives this file is inside
  int root = -1;            // the outermost archive it is inside (its own id at depth 0)
  bool rereadable = true;   // blobs may be kept by reference (not an archive member)
  bool have_first_wall_time = false;
  std::string warning;                     // the first value/event problem, for the message
  std::unique_ptr<MemberSink> sink;        // kArchive
  std::unique_ptr<ArchiveReader> archive;  // kArchive
  // One decoder per event file: data compat keeps per-tag state (how a tag's
  // first metadata converts its later values) per file, as TensorBoard's
  // EventFileLoader does. Made on the file's first slow-path record.
  std::unique_ptr<EventDecoder> decoder;
};

}  // namespace logdir_internal

struct Logdir::Impl {
  using LogFile = logdir_internal::LogFile;
  using RunState = logdir_internal::RunState;
  using TagState = logdir_internal::TagState;

  explicit Impl(const Limits& l) : limits(l), budget(l.max_memory_bytes), stager(&total_points) {}

  Limits limits;
  std::vector<std::unique_ptr<LogFile>> files;  // by id
  std::unordered_map<std::string, int> file_ids;
  std::unordered_map<std::string, std::unique_ptr<RunState>> runs;
  uint64_t tag_count = 0;
  uint64_t total_points = 0;
  logdir_internal::MemoryBudget budget;
  // Declared after `runs`, so destroyed before it: its destructor flushes into tags.
  logdir_internal::ScalarStager stager;
  // Scratch of the record path, reused.
  FastScalarEvent fast;
  CompatEvent event;
  std::vector<TagState*> fast_tags;
  std::vector<ByteSpan> blob_spans;

  bool Valid(int f) const { return f >= 0 && static_cast<size_t>(f) < files.size(); }

  // ---- the per-file state machine (logdir.cc) ----
  int OpenFile(std::string_view path);
  void Push(int f, const uint8_t* data, size_t size);
  void EndOfData(int f);
  // Ends file f: its message is "<path>: <status words><detail>".
  void Fail(int f, FileStatus status, std::string detail);
  void LimitReached(int f, const char* limit, uint64_t value, const char* what);
  void Decide(int f);
  // What the first bytes of f look like (detect.h).
  std::string NotEventDetail(int f) const;
  void NotEventFile(int f, std::string detail);

  // ---- archives (archive_members.cc) ----
  // Makes file f (whose head says `kind`) an archive and feeds it its head.
  void OpenArchive(int f, ContentKind kind);
  void FinishArchive(int f);
  bool ArchiveLimitReached(int f) const;

  // ---- records (record_routing.cc) ----
  // Frames and handles every whole record now available.
  void Drain(int f);
  RunState* RunFor(int f);
  bool FastRecord(LogFile& s);
  void SlowRecord(int f, std::string_view payload);
  TagState* CreateTag(int f, RunState* r, CompatValue& v);
  void KeepBlobsByReference(int f, std::string_view payload, TensorPoint* point);
  void Warn(int f, std::string message);
  void CheckMemory(int f);

  // ---- queries (logdir_queries.cc) ----
  const TagState* FindTag(std::string_view run, std::string_view tag) const;
};

}  // namespace tbview
