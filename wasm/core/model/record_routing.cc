// Record routing: from the framed records of an event file to the tag index.
//
// Drain takes every whole record the file's RecordReader has. The hot path (a log
// of scalars): TryDecodeScalarEvent parses the event without protobuf, each
// value's tag is found by Lookup's successor prediction (tag_index.h), and the
// point is staged (scalar_stage.h). Only tags already known to be scalar-plugin
// tags take this path, so the metadata-first rule is decided once, by the full
// decoder, on a tag's first value. Every other record takes SlowRecord: the full
// decoder, data compat, and routing of run events, scalars and tensors.
//
// Invariants:
// - Names are repaired here, once (logdir.h): a tag's name, and the plugin
//   name, display name and description of its metadata, are made valid UTF-8
//   before the tag is looked up on the slow path or created. A raw name that is
//   not valid UTF-8 never matches a stored name on the fast path, so its records
//   take the slow path, which repairs it first.
// - Limits: max_tags, max_points and max_memory_bytes end the file being read
//   (kLimit), keeping what was stored.
#include <algorithm>

#include "blob_refs.h"
#include "logdir_impl.h"
#include "utf8.h"

namespace tbview {

using logdir_internal::LogFile;

namespace {

// Makes `s` valid UTF-8 in place (a no-op, without a copy, when it already is).
void Repair(std::string* s) {
  if (FirstInvalidUtf8(*s) != s->size()) *s = ToValidUtf8(*s);
}

void RepairNames(TagMetadata* m) {
  Repair(&m->plugin_name);
  Repair(&m->display_name);
  Repair(&m->description);
}

}  // namespace

Logdir::Impl::RunState* Logdir::Impl::RunFor(int f) {
  LogFile& s = *files[f];
  if (s.run) return s.run;
  const std::string& name = s.info.run;
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

Logdir::Impl::TagState* Logdir::Impl::CreateTag(int f, RunState* r, CompatValue& v) {
  if (tag_count >= limits.max_tags) {
    LimitReached(f, "max_tags", limits.max_tags, "tags over all runs");
    return nullptr;
  }
  ++tag_count;
  if (v.has_metadata) RepairNames(&v.metadata);
  return logdir_internal::AddTag(r, v);
}

void Logdir::Impl::Warn(int f, std::string message) {
  LogFile& s = *files[f];
  ++s.info.bad_events;
  if (s.warning.empty()) s.warning = std::move(message);
}

void Logdir::Impl::CheckMemory(int f) {
  if (budget.CheckOver(runs, tag_count)) {
    LimitReached(f, "max_memory_bytes", limits.max_memory_bytes, "bytes held by all series");
  }
}

// The fast path: true when the record was fully handled.
inline bool Logdir::Impl::FastRecord(LogFile& s) {
  RunState* r = s.run;
  const size_t n = fast.values.size();
  if (total_points + n > limits.max_points) return false;  // the slow path reports it
  if (n == 1) {                                            // the common case, without the vector
    TagState* t = logdir_internal::Lookup(r, fast.values[0].tag);
    if (!t || !t->is_scalar) return false;
    if (!s.have_first_wall_time) {
      s.have_first_wall_time = true;
      s.info.first_wall_time = fast.wall_time;
    }
    stager.Append(t, fast.step, fast.wall_time, fast.values[0].value);
    return true;
  }
  fast_tags.clear();
  for (const FastScalar& v : fast.values) {
    TagState* t = logdir_internal::Lookup(r, v.tag);
    if (!t || !t->is_scalar) return false;
    fast_tags.push_back(t);
  }
  if (!s.have_first_wall_time) {
    s.have_first_wall_time = true;
    s.info.first_wall_time = fast.wall_time;
  }
  for (size_t i = 0; i < n; ++i) stager.Append(fast_tags[i], fast.step, fast.wall_time, fast.values[i].value);
  return true;
}

// Every record that the fast path did not take. Kept out of line so the hot loop
// in Drain stays small (a big inlined function costs every event a long prologue).
__attribute__((noinline)) void Logdir::Impl::SlowRecord(int f, std::string_view payload) {
  LogFile& s = *files[f];
  RunState* r = s.run;
  std::string error;
  CompatEvent& e = event;
  if (!s.decoder) s.decoder = std::make_unique<EventDecoder>(limits);
  if (!s.decoder->Decode(payload, &e, &error)) {
    Warn(f,
         "record at offset " + std::to_string(s.reader.payload_offset()) + " is not a valid Event: " + error);
    return;
  }
  FileInfo& info = s.info;
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
    case EventKind::kEmpty: return;
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
    case EventKind::kTaggedRunMetadata: break;
  }
  for (CompatValue& v : e.values) {
    if (s.stopped) return;
    Repair(&v.tag);
    TagState* t = logdir_internal::Lookup(r, v.tag);
    if (!t) {
      t = CreateTag(f, r, v);
      if (!t) return;
    } else if (!t->has_metadata && v.has_metadata) {
      // Metadata-first: the first metadata seen describes the tag, though the
      // storage was already decided by the tag's first value.
      t->has_metadata = true;
      t->metadata = v.metadata;
      RepairNames(&t->metadata);
    }
    if (total_points >= limits.max_points) {
      LimitReached(f, "max_points", limits.max_points, "points over all series");
      return;
    }
    if (t->is_scalar) {
      if (!logdir_internal::IsScalarTensor(v.tensor)) {
        Warn(f, "tag '" + v.tag + "' at step " + std::to_string(e.step) +
                    ": a non-scalar value for a scalar tag was skipped");
        continue;
      }
      stager.Append(t, e.step, e.wall_time, v.tensor.numbers[0]);
    } else {
      TensorSeries& ts = *t->tensors;
      const size_t before = ts.points().size();
      TensorPoint point;
      point.step = e.step;
      point.wall_time = e.wall_time;
      point.tensor = std::move(v.tensor);
      budget.NoteTensor(point.tensor);
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
void Logdir::Impl::KeepBlobsByReference(int f, std::string_view payload, TensorPoint* point) {
  bool large = false;
  for (const std::string& str : point->tensor.strings) large |= str.size() >= kMinBlobRefBytes;
  if (!large) return;
  FindBlobSpans(payload, kMinBlobRefBytes, &blob_spans);
  ReferenceBlobs(payload, blob_spans, f, files[f]->reader.payload_offset(), &point->tensor, &point->blobs);
}

void Logdir::Impl::Drain(int f) {
  LogFile& s = *files[f];
  RecordReader& reader = s.reader;
  std::string_view payload;
  while (!s.stopped) {
    RecordReader::Status st = reader.next(&payload);
    if (st == RecordReader::Status::kRecord) {
      if (!TryDecodeScalarEvent(payload, &fast) || !FastRecord(s)) SlowRecord(f, payload);
      if (__builtin_expect(budget.CountRecord(), 0)) CheckMemory(f);
      continue;
    }
    if (st == RecordReader::Status::kError) {
      if (reader.limit_reached()) {
        Fail(f, FileStatus::kLimit,
             "limit max_record_bytes (" + std::to_string(limits.max_record_bytes) +
                 " bytes per record) reached: " + reader.error() + "; kept the " +
                 std::to_string(reader.records()) + " records before it");
      } else if (reader.failed_at_first_record()) {
        Fail(f, FileStatus::kNotEventFile, NotEventDetail(f) + " (" + reader.error() + ")");
      } else {
        Fail(f, FileStatus::kCorrupt,
             reader.error() + "; kept the " + std::to_string(reader.records()) + " records before it");
      }
    }
    break;
  }
  s.info.records = reader.records();
  s.info.bad_crc = reader.bad_payload_crcs();
}

}  // namespace tbview
