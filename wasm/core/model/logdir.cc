// The data model of everything open: files -> runs -> tags -> series.
// See logdir.h for the rules; this file is how they are applied.
//
// Per file, a small state machine:
//   kSniff    gathering the first 512 bytes (enough for every ContentKind)
//   kEvents   an event file: RecordReader framing, then one decode per record
//   kArchive  gzip / tar / zip: an ArchiveReader whose members become files
//             "<archive path>/<member path>" of this same Logdir
//   kOther    not an event file: bytes are counted, nothing else
// The first bytes are kept (at most 512) so a file that turns out not to be an
// event file can be described.
//
// Hot path (a log of scalars): TryDecodeScalarEvent parses the event without
// protobuf; each value's tag is found by a successor prediction (writers emit a
// step's tags in the same order every step, so "the tag that followed the
// previous tag last time" is right almost always: one length check and one
// memcmp), else by a string_view-keyed hash lookup; and only tags already known
// to be scalar-plugin tags take this path, so the metadata-first rule is decided
// once, by the full decoder, on a tag's first value.
#include "logdir.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "archive.h"
#include "blob_refs.h"
#include "detect.h"
#include "record_reader.h"

namespace tbview {

namespace {

constexpr size_t kSniffBytes = 512;

// Scalar points on their way into a tag's ScalarSeries (see Impl::Stage).
// Points side by side (not three arrays), so one event writes one cache line.
constexpr uint32_t kStagePoints = 32;
struct StagedPoint {
  int64_t step;
  double wall_time;
  double value;
};
struct Stage {
  StagedPoint points[kStagePoints];
};

// One (run, tag). The fields the per-event path touches come first and fit one
// cache line (with the name's characters when they fit std::string's inline
// buffer): with ~100 tags interleaved, what each event costs is mostly how many
// cache lines of its tag it touches (this one, and its stage's current line).
constexpr size_t kNameHead = 32;
struct alignas(64) TagState {
  // Hot: exactly one cache line.
  // The tag that came after this one the last time (same run): the prediction.
  TagState* next_hint = nullptr;
  Stage* stage = nullptr;  // staged points not yet in `scalars`
  uint32_t staged = 0;
  uint32_t name_size = 0;
  bool is_scalar = false;
  char name_head[kNameHead] = {};  // the name's first bytes, to compare in this line
  // Cold.
  std::string name;  // the key of RunState::tags views this string: never modified
  TagMetadata metadata;
  bool has_metadata = false;
  ScalarSeries scalars;                   // when is_scalar
  std::unique_ptr<TensorSeries> tensors;  // otherwise
};

__attribute__((always_inline)) inline bool SameBytes(const char* a, const char* b, size_t n);

// Whether `t` is named `tag` (sizes already equal): the head in the hot line
// first, the rest (names over kNameHead bytes) from the string.
__attribute__((always_inline)) inline bool NameIs(const TagState& t, std::string_view tag) {
  const size_t n = tag.size();
  if (n <= kNameHead) return SameBytes(t.name_head, tag.data(), n);
  return SameBytes(t.name_head, tag.data(), kNameHead) &&
         SameBytes(t.name.data() + kNameHead, tag.data() + kNameHead, n - kNameHead);
}

inline uint64_t Load8(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
inline uint32_t Load4(const char* p) {
  uint32_t x;
  std::memcpy(&x, p, 4);
  return x;
}

__attribute__((always_inline)) inline bool SameBytes(const char* a, const char* b, size_t n) {
  // Tags are short: compare 8 bytes at a time without a library call, the last
  // word overlapping the one before (so a 15-byte tag is two compares).
  if (n >= 8) {
    const size_t last = n - 8;
    for (size_t i = 0; i < last; i += 8) {
      if (Load8(a + i) != Load8(b + i)) return false;
    }
    return Load8(a + last) == Load8(b + last);
  }
  if (n >= 4) return Load4(a) == Load4(b) && Load4(a + n - 4) == Load4(b + n - 4);
  while (n--) {
    if (*a++ != *b++) return false;
  }
  return true;
}

struct RunState {
  std::string name;
  std::vector<std::unique_ptr<TagState>> tag_list;  // stable addresses
  std::unordered_map<std::string_view, TagState*> tags;
  std::vector<RunEvent> events;
  TagState* last = nullptr;  // the tag most recently looked up
};

// Whether a converted value is one number (what a ScalarSeries stores).
bool IsScalarTensor(const Tensor& t) {
  return !t.is_string() && t.dtype != kDtComplex64 && t.dtype != kDtComplex128 && t.numbers.size() == 1;
}

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

const char* FileStatusName(FileStatus s) {
  switch (s) {
    case FileStatus::kLoading: return "loading";
    case FileStatus::kOk: return "ok";
    case FileStatus::kWaiting: return "waiting";
    case FileStatus::kNotEventFile: return "not_event_file";
    case FileStatus::kCorrupt: return "corrupt";
    case FileStatus::kLimit: return "limit";
  }
  return "?";
}

std::string RunOfPath(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return ".";
  return std::string(path.substr(0, slash));
}

struct Logdir::Impl {
  struct FileState;

  // Members of an archive file become files of this Logdir.
  struct MemberSink : ArchiveReader::Sink {
    Impl* impl = nullptr;
    int archive = -1;
    int member = -1;
    void BeginMember(std::string_view path, uint64_t) override {
      const std::string& ap = impl->files[archive].path;
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
      if (member >= 0) {  // nesting, for max_archive_depth and the shared decompression budget
        impl->states[member]->depth = impl->states[archive]->depth + 1;
        impl->states[member]->root = impl->states[archive]->root;
      }
      // A member's bytes exist only inside the decompressed stream: its blobs
      // cannot be sliced from the source again, so they are kept in memory.
      if (member >= 0) impl->states[member]->rereadable = false;
    }
    void MemberData(const uint8_t* data, size_t size) override {
      if (member >= 0) impl->Push(member, data, size);
    }
    void EndMember(bool ok, std::string_view message) override {
      if (member < 0) return;
      impl->EndOfData(member);
      FileInfo& info = impl->files[member];
      if (!ok && (info.status == FileStatus::kOk || info.status == FileStatus::kWaiting)) {
        impl->Fail(member, impl->archive_limit(archive) ? FileStatus::kLimit : FileStatus::kCorrupt,
                   info.path + ": in archive: " + std::string(message));
      }
      member = -1;
    }
  };

  struct FileState {
    enum Mode { kSniff, kEvents, kArchive, kOther } mode = kSniff;
    std::string head;  // the first bytes, at most kSniffBytes
    RecordReader reader;
    RunState* run = nullptr;
    bool stopped = false;  // failed or over a limit: further bytes are ignored
    int depth = 0;         // archives this file is inside
    int root = -1;         // the outermost archive it is inside (its own id at depth 0)
    bool rereadable = true;  // blobs may be kept by reference (not an archive member)
    bool have_first_wall_time = false;
    std::string warning;  // the first value/event problem, for the message
    std::unique_ptr<MemberSink> sink;
    std::unique_ptr<ArchiveReader> archive;
    // One decoder per event file: data compat keeps per-tag state (how a tag's
    // first metadata converts its later values) per file, as TensorBoard's
    // EventFileLoader does. Made on the file's first slow-path record.
    std::unique_ptr<EventDecoder> decoder;
    explicit FileState(uint64_t max_record) : reader(max_record) {}
  };

  explicit Impl(const Limits& l) : limits(l) {}
  ~Impl() { FlushStages(); }  // returns every stage to the pool

  Limits limits;
  std::vector<FileInfo> files;
  std::vector<std::unique_ptr<FileState>> states;
  std::unordered_map<std::string, int> file_ids;
  std::unordered_map<std::string, std::unique_ptr<RunState>> runs;
  uint64_t tag_count = 0;
  uint64_t total_points = 0;
  FastScalarEvent fast;
  CompatEvent event;
  std::vector<TagState*> fast_tags;
  std::vector<ByteSpan> blob_spans;  // scratch of KeepBlobsByReference

  bool archive_limit(int f) const {
    const FileState& s = *states[f];
    return s.archive && s.archive->limit_reached();
  }

  int OpenFile(std::string_view path) {
    std::string p(path);
    auto it = file_ids.find(p);
    if (it != file_ids.end()) return it->second;
    int id = static_cast<int>(files.size());
    FileInfo info;
    info.path = p;
    info.run = RunOfPath(p);
    files.push_back(std::move(info));
    states.emplace_back(new FileState(limits.max_record_bytes));
    file_ids.emplace(std::move(p), id);
    return id;
  }

  void Fail(int f, FileStatus status, std::string message) {
    FileState& s = *states[f];
    s.stopped = true;
    files[f].status = status;
    files[f].message = std::move(message);
    // An archive failed from outside (a read error): its open member ends too.
    if (s.sink && s.sink->member >= 0) {
      const int m = s.sink->member;
      s.sink->member = -1;
      EndOfData(m);
      if (!states[m]->stopped) Fail(m, status, files[m].path + ": its archive failed: " + files[f].message);
    }
  }

  void LimitReached(int f, const char* limit, uint64_t value, const char* what) {
    Fail(f, FileStatus::kLimit,
         files[f].path + ": limit " + limit + " (" + std::to_string(value) + " " + what +
             ") reached; stopped reading this file after " + std::to_string(states[f]->reader.records()) +
             " records, keeping what was read");
  }

  // ---- runs and tags ----

  RunState* RunFor(int f) {
    FileState& s = *states[f];
    if (s.run) return s.run;
    const std::string& name = files[f].run;
    auto it = runs.find(name);
    if (it == runs.end()) {
      if (runs.size() >= limits.max_runs) {
        LimitReached(f, "max_runs", limits.max_runs, "runs");
        return nullptr;
      }
      auto r = std::make_unique<RunState>();
      r->name = name;
      it = runs.emplace(name, std::move(r)).first;
    }
    s.run = it->second.get();
    return s.run;
  }

  // Finds a tag of run `r`, predicting it from the previous lookup first.
  __attribute__((always_inline)) static TagState* Lookup(RunState* r, std::string_view tag) {
    TagState* last = r->last;
    if (__builtin_expect(last != nullptr, 1)) {
      TagState* h = last->next_hint;
      if (__builtin_expect(h && h->name_size == tag.size() && NameIs(*h, tag), 1)) {
        r->last = h;
        return h;
      }
    }
    return LookupByName(r, tag);
  }

  // The prediction missed: the hash map, and the hint learns the answer.
  __attribute__((noinline)) static TagState* LookupByName(RunState* r, std::string_view tag) {
    TagState* last = r->last;
    auto it = r->tags.find(tag);
    if (it == r->tags.end()) return nullptr;
    if (last) last->next_hint = it->second;
    r->last = it->second;
    return it->second;
  }

  TagState* CreateTag(int f, RunState* r, const CompatValue& v) {
    if (tag_count >= limits.max_tags) {
      LimitReached(f, "max_tags", limits.max_tags, "tags over all runs");
      return nullptr;
    }
    ++tag_count;
    auto t = std::make_unique<TagState>();
    t->name = v.tag;
    t->name_size = static_cast<uint32_t>(v.tag.size());
    std::memcpy(t->name_head, v.tag.data(), std::min(v.tag.size(), kNameHead));
    // Metadata-first: this first value decides the plugin and so the storage.
    t->has_metadata = v.has_metadata;
    if (v.has_metadata) t->metadata = v.metadata;
    t->is_scalar = v.has_metadata && v.metadata.plugin_name == "scalars" && IsScalarTensor(v.tensor);
    if (!t->is_scalar) t->tensors = std::make_unique<TensorSeries>();
    TagState* p = t.get();
    r->tag_list.push_back(std::move(t));
    r->tags.emplace(std::string_view(p->name), p);
    if (r->last) r->last->next_hint = p;
    r->last = p;
    return p;
  }

  // ---- records ----

  // Staging: scalar points go first into a small per-tag buffer and reach the
  // tag's ScalarSeries in batches of kStagePoints, so the series (several cache
  // lines of vector headers and array tails) is touched once per batch rather
  // than once per point. Every public entry point (Push, EndOfData) flushes all
  // stages before returning, so a query never sees a staged point missing; and
  // every scalar append goes through the stage, so a tag's points keep their
  // order and the restart rule applies in ScalarSeries::Append as before.
  // Stages come from a pool; at most kMaxStages are in use (then all are
  // flushed), so the memory is bounded however many tags a push touches.
  static constexpr size_t kMaxStages = 4096;
  std::vector<std::unique_ptr<Stage>> stage_pool;  // free stages
  std::vector<TagState*> staged_tags;              // tags holding a stage

  __attribute__((noinline)) void FlushTag(TagState* t) {
    ScalarSeries& s = t->scalars;
    const Stage& st = *t->stage;
    const uint32_t n = t->staged;
    s.PrefetchTail();
    uint64_t dropped = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const StagedPoint& p = st.points[i];
      dropped += s.Append(p.step, p.wall_time, p.value);
    }
    // total_points already counts the staged points; correct it for restarts.
    total_points -= dropped;
    t->staged = 0;
  }

  void FlushStages() {
    for (TagState* t : staged_tags) {
      FlushTag(t);
      stage_pool.emplace_back(t->stage);
      t->stage = nullptr;
    }
    staged_tags.clear();
  }

  // Gives `t` a stage from the pool (the rare part of AppendScalar).
  __attribute__((noinline)) void TakeStage(TagState* t) {
    if (staged_tags.size() >= kMaxStages) FlushStages();
    if (stage_pool.empty()) stage_pool.emplace_back(new Stage);
    t->stage = stage_pool.back().release();
    stage_pool.pop_back();
    staged_tags.push_back(t);
  }

  __attribute__((always_inline)) inline void AppendScalar(TagState* t, int64_t step, double wall_time, double value) {
    if (__builtin_expect(t->stage == nullptr, 0)) {
      TakeStage(t);
    } else if (__builtin_expect(t->staged == kStagePoints, 0)) {
      FlushTag(t);
    }
    StagedPoint& p = t->stage->points[t->staged++];
    p.step = step;
    p.wall_time = wall_time;
    p.value = value;
    ++total_points;
  }

  void Warn(int f, std::string message) {
    ++files[f].bad_events;
    FileState& s = *states[f];
    if (s.warning.empty()) s.warning = std::move(message);
  }

  // The fast path: true when the record was fully handled.
  inline bool FastRecord(FileState& s, int f) {
    RunState* r = s.run;
    const size_t n = fast.values.size();
    if (total_points + n > limits.max_points) return false;  // the slow path reports it
    if (n == 1) {  // the common case, without the vector
      TagState* t = Lookup(r, fast.values[0].tag);
      if (!t || !t->is_scalar) return false;
      if (!s.have_first_wall_time) SetFirstWallTime(s, f, fast.wall_time);
      AppendScalar(t, fast.step, fast.wall_time, fast.values[0].value);
      return true;
    }
    fast_tags.clear();
    for (const FastScalar& v : fast.values) {
      TagState* t = Lookup(r, v.tag);
      if (!t || !t->is_scalar) return false;
      fast_tags.push_back(t);
    }
    if (!s.have_first_wall_time) SetFirstWallTime(s, f, fast.wall_time);
    for (size_t i = 0; i < n; ++i) AppendScalar(fast_tags[i], fast.step, fast.wall_time, fast.values[i].value);
    return true;
  }

  void SetFirstWallTime(FileState& s, int f, double wall_time) {
    s.have_first_wall_time = true;
    files[f].first_wall_time = wall_time;
  }

  // Every record that the fast path did not take: the full decoder, data compat
  // and routing. Kept out of line so the hot loop in Drain stays small (a big
  // inlined function costs every event a long prologue).
  __attribute__((noinline)) void SlowRecord(FileState& fs, int f, std::string_view payload) {
    RunState* r = fs.run;
    std::string error;
    CompatEvent& e = event;
    if (!fs.decoder) fs.decoder = std::make_unique<EventDecoder>(limits);
    if (!fs.decoder->Decode(payload, &e, &error)) {
      Warn(f, "record at offset " + std::to_string(states[f]->reader.payload_offset()) + " is not a valid Event: " + error);
      return;
    }
    FileState& s = *states[f];
    FileInfo& info = files[f];
    if (!s.have_first_wall_time) {
      s.have_first_wall_time = true;
      info.first_wall_time = e.wall_time;
    }
    if (!e.source_writer.empty() && info.writer.empty()) info.writer = e.source_writer;
    for (std::string& msg : e.value_errors) Warn(f, std::move(msg));
    RunEvent re;
    re.step = e.step;
    re.wall_time = e.wall_time;
    re.kind = e.kind;
    switch (e.kind) {
      case EventKind::kEmpty:
        return;
      case EventKind::kFileVersion:
        if (info.file_version.empty()) info.file_version = e.file_version;
        re.text = e.file_version;
        r->events.push_back(std::move(re));
        return;
      case EventKind::kGraphDef:
      case EventKind::kMetaGraphDef:
        re.bytes = e.bytes.size();
        r->events.push_back(std::move(re));
        return;
      case EventKind::kLogMessage:
        re.status = e.log_level;
        re.text = e.log_message;
        r->events.push_back(std::move(re));
        return;
      case EventKind::kSessionLog:
        re.status = e.session_status;
        re.text = !e.session_msg.empty() ? e.session_msg : e.checkpoint_path;
        r->events.push_back(std::move(re));
        return;
      case EventKind::kSummary:
      case EventKind::kTaggedRunMetadata:
        break;
    }
    for (CompatValue& v : e.values) {
      if (s.stopped) return;
      TagState* t = Lookup(r, v.tag);
      if (!t) {
        t = CreateTag(f, r, v);
        if (!t) return;
      } else if (!t->has_metadata && v.has_metadata) {
        // Metadata-first: the first metadata seen describes the tag, though the
        // storage was already decided by the tag's first value.
        t->has_metadata = true;
        t->metadata = v.metadata;
      }
      if (total_points >= limits.max_points) {
        LimitReached(f, "max_points", limits.max_points, "points over all series");
        return;
      }
      if (t->is_scalar) {
        if (!IsScalarTensor(v.tensor)) {
          Warn(f, "tag '" + v.tag + "' at step " + std::to_string(e.step) +
                      ": a non-scalar value for a scalar tag was skipped");
          continue;
        }
        AppendScalar(t, e.step, e.wall_time, v.tensor.numbers[0]);
      } else {
        TensorSeries& ts = *t->tensors;
        const size_t before = ts.points().size();
        TensorPoint point;
        point.step = e.step;
        point.wall_time = e.wall_time;
        point.tensor = std::move(v.tensor);
        NoteTensorBytes(point.tensor);
        if (s.rereadable && t->has_metadata && IsBlobPlugin(t->metadata.plugin_name)) {
          KeepBlobsByReference(f, payload, &point);
        }
        ts.Append(std::move(point));
        total_points += ts.points().size();
        total_points -= before;
      }
    }
  }

  // Replaces the encoded images / clips of `point` (decoded from `payload` of
  // file f) by references into the file: see blob_refs.h.
  void KeepBlobsByReference(int f, std::string_view payload, TensorPoint* point) {
    bool large = false;
    for (const std::string& str : point->tensor.strings) large |= str.size() >= kMinBlobRefBytes;
    if (!large) return;
    FindBlobSpans(payload, kMinBlobRefBytes, &blob_spans);
    ReferenceBlobs(payload, blob_spans, f, states[f]->reader.payload_offset(), &point->tensor, &point->blobs);
  }

  // ---- max_memory_bytes (cheap: see MemoryCheck) ----

  // Accounting for Limits::max_memory_bytes. Scalar series are measured exactly
  // (RetainedBytes is O(1) per tag); tensor points are counted as they are added
  // (restarts' drops are not subtracted: an upper bound); run events by their
  // text. The check runs every `check_every` records (at least the number of
  // tags and runs, so its O(tags) scan costs at most about one tag per record),
  // and at once when large tensors arrived: it can be passed by at most one
  // interval's worth of points (or max_memory_bytes / 16 of tensors).
  struct MemoryCheck {
    uint64_t records_since_check = 0;
    uint64_t check_every = 4096;
    uint64_t tensor_bytes = 0;
    uint64_t tensor_bytes_since_check = 0;
    uint64_t event_text_bytes = 0;
    std::unordered_map<const RunState*, size_t> events_counted;
  } memory;

  void NoteTensorBytes(const Tensor& t) {
    uint64_t b = sizeof(TensorPoint) + t.shape.size() * sizeof(int64_t) + t.numbers.size() * sizeof(double) +
                 t.strings.size() * sizeof(std::string);
    for (const std::string& str : t.strings) b += str.size();
    memory.tensor_bytes += b;
    memory.tensor_bytes_since_check += b;
    if (memory.tensor_bytes_since_check >= limits.max_memory_bytes / 16) memory.check_every = 0;  // check now
  }

  uint64_t HeldBytes() {
    uint64_t total = memory.tensor_bytes;
    for (const auto& rp : runs) {
      const RunState& r = *rp.second;
      for (const auto& tp : r.tag_list) {
        if (tp->is_scalar) total += tp->scalars.RetainedBytes();
      }
      size_t& counted = memory.events_counted[&r];
      for (; counted < r.events.size(); ++counted) memory.event_text_bytes += r.events[counted].text.size();
      total += r.events.capacity() * sizeof(RunEvent);
    }
    return total + memory.event_text_bytes;
  }

  void CheckMemory(int f) {
    memory.records_since_check = 0;
    memory.tensor_bytes_since_check = 0;
    memory.check_every = std::max<uint64_t>(4096, 2 * (tag_count + runs.size()));
    const uint64_t held = HeldBytes();
    if (held > limits.max_memory_bytes) {
      LimitReached(f, "max_memory_bytes", limits.max_memory_bytes, "bytes held by all series");
      memory.check_every = 0;  // over: any other file stops at its next record
    }
  }

  // Frames and handles every whole record now available.
  void Drain(int f) {
    FileState& s = *states[f];
    RecordReader& reader = s.reader;
    std::string_view payload;
    while (!s.stopped) {
      RecordReader::Status st = reader.next(&payload);
      if (st == RecordReader::Status::kRecord) {
        if (!TryDecodeScalarEvent(payload, &fast) || !FastRecord(s, f)) SlowRecord(s, f, payload);
        if (__builtin_expect(++memory.records_since_check >= memory.check_every, 0)) CheckMemory(f);
        continue;
      }
      if (st == RecordReader::Status::kError) {
        if (reader.limit_reached()) {
          Fail(f, FileStatus::kLimit,
               files[f].path + ": limit max_record_bytes (" + std::to_string(limits.max_record_bytes) +
                   " bytes per record) reached: " + reader.error() + "; kept the " +
                   std::to_string(reader.records()) + " records before it");
        } else if (reader.failed_at_first_record()) {
          Fail(f, FileStatus::kNotEventFile, NotEventMessage(f) + " (" + reader.error() + ")");
        } else {
          Fail(f, FileStatus::kCorrupt,
               files[f].path + ": corrupt: " + reader.error() + "; kept the " + std::to_string(reader.records()) +
                   " records before it");
        }
      }
      break;
    }
    files[f].records = reader.records();
    files[f].bad_crc = reader.bad_payload_crcs();
  }

  std::string NotEventMessage(int f) {
    const FileState& s = *states[f];
    return files[f].path + ": not an event file: " +
           DescribeNonEventBytes(reinterpret_cast<const uint8_t*>(s.head.data()), s.head.size(), files[f].bytes);
  }

  // Decides what the file is from s.head and replays those bytes.
  void Decide(int f) {
    FileState& s = *states[f];
    const uint8_t* head = reinterpret_cast<const uint8_t*>(s.head.data());
    ContentKind kind = SniffContent(head, s.head.size());
    switch (kind) {
      case ContentKind::kEventFile:
        s.mode = FileState::kEvents;
        if (!RunFor(f)) return;
        s.reader.push(head, s.head.size());
        Drain(f);
        return;
      case ContentKind::kGzip:
      case ContentKind::kTar:
      case ContentKind::kZip:
      {
        Limits archive_limits = limits;
        if (s.depth == 0) {
          s.root = f;
        } else {
          // An archive inside an archive: bounded depth (each level is a stack of
          // calls and buffers), and one decompression budget for the whole tree,
          // so nested bombs cannot multiply it.
          if (s.depth >= static_cast<int>(std::min<uint64_t>(limits.max_archive_depth, 1000))) {
            s.mode = FileState::kOther;
            Fail(f, FileStatus::kLimit,
                 files[f].path + ": limit max_archive_depth (" + std::to_string(limits.max_archive_depth) +
                     " archives inside each other) reached: this archive is not opened");
            return;
          }
          uint64_t used = 0;
          for (const auto& st : states) {
            if (st->archive && st->root == s.root) used += st->archive->bytes_out();
          }
          archive_limits.max_decompressed_bytes = used < limits.max_decompressed_bytes ? limits.max_decompressed_bytes - used : 0;
        }
        s.mode = FileState::kArchive;
        s.sink = std::make_unique<MemberSink>();
        s.sink->impl = this;
        s.sink->archive = f;
        s.archive = std::make_unique<ArchiveReader>(kind, s.sink.get(), archive_limits);
      }
        s.archive->Push(head, s.head.size());
        return;
      case ContentKind::kOther:
        s.mode = FileState::kOther;
        files[f].status = FileStatus::kNotEventFile;
        files[f].message = NotEventMessage(f);
        return;
    }
  }

  void Push(int f, const uint8_t* data, size_t size) {
    if (f < 0 || static_cast<size_t>(f) >= files.size()) return;
    files[f].bytes += size;
    FileState& s = *states[f];
    if (s.stopped) return;
    if (files[f].status == FileStatus::kOk || files[f].status == FileStatus::kWaiting ||
        (s.mode == FileState::kSniff && files[f].status == FileStatus::kNotEventFile)) {
      files[f].status = FileStatus::kLoading;  // a growing file's new bytes
    }
    if (s.mode == FileState::kSniff) {
      size_t take = std::min(size, kSniffBytes - s.head.size());
      s.head.append(reinterpret_cast<const char*>(data), take);
      data += take;
      size -= take;
      if (s.head.size() < kSniffBytes) return;
      Decide(f);
      if (s.stopped) return;
    }
    switch (s.mode) {
      case FileState::kSniff:
        return;
      case FileState::kEvents:
        if (size == 0) return;
        s.reader.push(data, size);
        Drain(f);
        return;
      case FileState::kArchive:
        s.archive->Push(data, size);
        return;
      case FileState::kOther:
        return;
    }
  }

  void EndOfData(int f) {
    if (f < 0 || static_cast<size_t>(f) >= files.size()) return;
    FileState& s = *states[f];
    if (s.stopped) return;
    if (s.mode == FileState::kSniff) {
      if (s.head.size() < 12) {
        // Too short to hold a record header: an empty file, or a growing one
        // whose first record is not there yet. Later bytes decide again.
        // Until more bytes come, it is not an event file (the mode stays kSniff,
        // so a growing file's next bytes decide again).
        files[f].status = FileStatus::kNotEventFile;
        files[f].message = NotEventMessage(f);
        if (!s.head.empty()) {
          files[f].message += " (only " + std::to_string(s.head.size()) + " bytes, less than one record header)";
        }
        return;
      }
      Decide(f);
      if (s.stopped) return;
    }
    FileInfo& info = files[f];
    switch (s.mode) {
      case FileState::kSniff:
        return;
      case FileState::kEvents: {
        const uint64_t pending = s.reader.buffered();
        if (pending > 0) {
          info.status = FileStatus::kWaiting;
          info.message = info.path + ": ends inside a record (" + std::to_string(pending) + " bytes from offset " +
                         std::to_string(s.reader.consumed()) + "): waiting for more data";
        } else {
          info.status = FileStatus::kOk;
          info.message.clear();
        }
        std::string notes;
        if (info.bad_crc) notes = std::to_string(info.bad_crc) + " records skipped for a bad payload CRC";
        if (!s.warning.empty()) {
          if (!notes.empty()) notes += "; ";
          notes += std::to_string(info.bad_events) + " bad events or values, first: " + s.warning;
        }
        if (!notes.empty()) info.message += (info.message.empty() ? info.path + ": " : "; ") + notes;
        return;
      }
      case FileState::kArchive: {
        ArchiveReader& a = *s.archive;
        a.Finish();
        FileInfo& ai = files[f];  // members may have been added: re-fetch
        s.stopped = true;         // an archive is read once
        if (a.failed()) {
          ai.status = a.limit_reached() ? FileStatus::kLimit : FileStatus::kCorrupt;
          ai.message = ai.path + ": " + a.format_name() + " archive: " + a.error() + " (after " +
                       std::to_string(a.members()) + " members)";
        } else {
          ai.status = FileStatus::kOk;
          ai.message = ai.path + ": " + a.format_name() + " archive, " + std::to_string(a.members()) + " members";
        }
        for (const std::string& w : a.warnings()) ai.message += "; " + w;
        return;
      }
      case FileState::kOther:
        info.status = FileStatus::kNotEventFile;
        info.message = NotEventMessage(f);  // now with the total size
        return;
    }
  }

  // ---- queries ----

  const TagState* FindTag(std::string_view run, std::string_view tag) const {
    auto it = runs.find(std::string(run));
    if (it == runs.end()) return nullptr;
    auto t = it->second->tags.find(tag);
    return t == it->second->tags.end() ? nullptr : t->second;
  }
};

Logdir::Logdir(const Limits& limits) : impl_(new Impl(limits)) {}
Logdir::~Logdir() = default;

int Logdir::OpenFile(std::string_view path) { return impl_->OpenFile(path); }
void Logdir::Push(int file, const uint8_t* data, size_t size) {
  impl_->Push(file, data, size);
  impl_->FlushStages();
}
void Logdir::EndOfData(int file) {
  impl_->EndOfData(file);
  impl_->FlushStages();
}
void Logdir::FailFile(int file, FileStatus status, std::string message) {
  if (file < 0 || static_cast<size_t>(file) >= impl_->files.size()) return;
  impl_->Fail(file, status, std::move(message));
}

const std::vector<FileInfo>& Logdir::files() const { return impl_->files; }

std::vector<std::string> Logdir::Runs() const {
  std::vector<std::string> out;
  out.reserve(impl_->runs.size());
  for (const auto& r : impl_->runs) out.push_back(r.first);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<TagInfo> Logdir::Tags() const {
  std::vector<TagInfo> out;
  for (const auto& rp : impl_->runs) {
    const RunState& r = *rp.second;
    for (const auto& tp : r.tag_list) {
      const TagState& t = *tp;
      TagInfo info;
      info.run = r.name;
      info.tag = t.name;
      info.metadata = t.metadata;
      info.is_scalar = t.is_scalar;
      if (t.is_scalar) {
        const ScalarSeries& s = t.scalars;
        info.points = s.size();
        if (s.size()) {
          info.first_step = s.step(0);
          info.last_step = s.step(s.size() - 1);
          info.first_wall_time = s.wall_time(0);
          info.last_wall_time = s.wall_time(s.size() - 1);
        }
      } else {
        const auto& pts = t.tensors->points();
        info.points = pts.size();
        if (!pts.empty()) {
          info.first_step = pts.front().step;
          info.last_step = pts.back().step;
          info.first_wall_time = pts.front().wall_time;
          info.last_wall_time = pts.back().wall_time;
        }
      }
      out.push_back(std::move(info));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const TagInfo& a, const TagInfo& b) { return a.run != b.run ? a.run < b.run : a.tag < b.tag; });
  return out;
}

const ScalarSeries* Logdir::Scalars(std::string_view run, std::string_view tag) const {
  const TagState* t = impl_->FindTag(run, tag);
  return t && t->is_scalar ? &t->scalars : nullptr;
}

const TensorSeries* Logdir::Tensors(std::string_view run, std::string_view tag) const {
  const TagState* t = impl_->FindTag(run, tag);
  return t && !t->is_scalar ? t->tensors.get() : nullptr;
}

const std::vector<RunEvent>* Logdir::RunEvents(std::string_view run) const {
  auto it = impl_->runs.find(std::string(run));
  return it == impl_->runs.end() ? nullptr : &it->second->events;
}

uint64_t Logdir::RetainedBytes() const {
  uint64_t total = 0;
  for (const auto& rp : impl_->runs) {
    for (const auto& tp : rp.second->tag_list) {
      total += tp->is_scalar ? tp->scalars.RetainedBytes() : tp->tensors->RetainedBytes();
    }
  }
  return total;
}

uint64_t Logdir::TotalPoints() const { return impl_->total_points; }

BlobStats Logdir::Blobs() const {
  BlobStats stats;
  for (const auto& rp : impl_->runs) {
    for (const auto& tp : rp.second->tag_list) {
      if (tp->is_scalar || !IsBlobPlugin(tp->metadata.plugin_name)) continue;
      tp->tensors->AddBlobStats(kMinBlobRefBytes, &stats);
    }
  }
  return stats;
}

void Logdir::Shrink() {
  impl_->stage_pool.clear();
  for (const auto& rp : impl_->runs) {
    for (const auto& tp : rp.second->tag_list) {
      if (tp->is_scalar) tp->scalars.Shrink();
    }
  }
}

}  // namespace tbview
