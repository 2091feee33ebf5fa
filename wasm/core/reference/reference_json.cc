#include "reference_json.h"

#include <unordered_map>
#include <vector>

#include "data_compat.h"
#include "hparams_json.h"
#include "json_writer.h"
#include "record_reader.h"
#include "sha256.h"

namespace tbview {
namespace {

// Strings shorter than this are written as text; longer ones by digest.
constexpr size_t kInlineBlobBytes = 64;

struct Blob {
  uint64_t len = 0;
  std::string utf8_or_sha;  // the bytes themselves (short) or the hex SHA-256
};

// One value of a tag, reduced to what the document shows.
struct Point {
  int64_t step = 0;
  double wall_time = 0;
  int32_t dtype = 0;
  std::vector<int64_t> shape;
  std::vector<double> numbers;
  std::vector<Blob> blobs;
  std::vector<std::string> text;  // text plugin only: the strings themselves
  bool has_content = false;       // this value's own metadata (hparams)
  std::string plugin_content;
};

struct TagAcc {
  bool have_metadata = false;
  TagMetadata metadata;
  std::vector<Point> points;
};

// Writes numbers (or strings) of a row-major tensor as nested lists.
template <typename Leaf>
void WriteNested(const std::vector<int64_t>& shape, size_t dim, size_t* index, JsonWriter* w, Leaf leaf) {
  if (dim == shape.size()) {
    leaf((*index)++);
    return;
  }
  w->BeginArray();
  for (int64_t i = 0; i < shape[dim]; ++i) WriteNested(shape, dim + 1, index, w, leaf);
  w->EndArray();
}

}  // namespace

struct ReferenceDump::Impl {
  Impl(std::string label, const Limits& l)
      : file_label(std::move(label)), limits(l), reader(l.max_record_bytes), decoder(l) {}

  std::string file_label;
  Limits limits;
  RecordReader reader;
  EventDecoder decoder;
  CompatEvent event;

  bool stopped = false;  // framing error or bad payload CRC: read no further
  std::string error_detail;
  uint64_t records = 0;
  bool have_file_version = false;
  std::string file_version;
  bool have_first_wall_time = false;
  double first_wall_time = 0;
  std::vector<std::pair<int64_t, int32_t>> session_log;
  std::vector<std::pair<uint64_t, std::string>> graph_defs;  // (bytes, sha256)
  std::vector<std::string> tag_order;
  std::unordered_map<std::string, TagAcc> tags;
  std::vector<std::string> notes;  // records / values TensorBoard could not have read

  void OnRecord(std::string_view payload);
  void AddValue(const CompatValue& v, int64_t step, double wall_time);
  void Drain();
};

void ReferenceDump::Impl::AddValue(const CompatValue& v, int64_t step, double wall_time) {
  auto it = tags.find(v.tag);
  if (it == tags.end()) {
    tag_order.push_back(v.tag);
    it = tags.emplace(v.tag, TagAcc()).first;
  }
  TagAcc& acc = it->second;
  if (!acc.have_metadata && v.has_metadata) {
    acc.have_metadata = true;
    acc.metadata = v.metadata;
  }
  acc.points.emplace_back();
  Point& p = acc.points.back();
  p.step = step;
  p.wall_time = wall_time;
  p.dtype = v.tensor.dtype;
  p.shape = v.tensor.shape;
  if (v.tensor.is_string()) {
    const bool keep_text = (acc.have_metadata ? acc.metadata.plugin_name : v.metadata.plugin_name) == "text";
    p.blobs.reserve(v.tensor.strings.size());
    for (const std::string& s : v.tensor.strings) {
      Blob b;
      b.len = s.size();
      b.utf8_or_sha = s.size() < kInlineBlobBytes ? s : Sha256Hex(s);
      p.blobs.push_back(std::move(b));
      if (keep_text) p.text.push_back(s);
    }
  } else {
    p.numbers = v.tensor.numbers;
  }
  if (v.has_metadata) {
    p.has_content = true;
    p.plugin_content = v.metadata.plugin_content;
  }
}

void ReferenceDump::Impl::OnRecord(std::string_view payload) {
  ++records;
  std::string error;
  if (!decoder.Decode(payload, &event, &error)) {
    notes.push_back("record " + std::to_string(records) + ": " + error);
    return;
  }
  if (records == 1) {
    have_first_wall_time = true;
    first_wall_time = event.wall_time;
  }
  for (const std::string& e : event.value_errors)
    notes.push_back("record " + std::to_string(records) + ": " + e);
  switch (event.kind) {
    case EventKind::kFileVersion:
      if (!have_file_version) {
        have_file_version = true;
        file_version = event.file_version;
      }
      break;
    case EventKind::kSessionLog: session_log.emplace_back(event.step, event.session_status); break;
    case EventKind::kGraphDef: graph_defs.emplace_back(event.bytes.size(), Sha256Hex(event.bytes)); break;
    case EventKind::kSummary:
    case EventKind::kTaggedRunMetadata:
      for (const CompatValue& v : event.values) AddValue(v, event.step, event.wall_time);
      break;
    default: break;
  }
}

void ReferenceDump::Impl::Drain() {
  std::string_view payload;
  while (!stopped) {
    const uint64_t bad_before = reader.bad_payload_crcs();
    const RecordReader::Status st = reader.next(&payload);
    if (reader.bad_payload_crcs() != bad_before) {
      // TensorBoard's reader raises DataLossError here and the loader stops.
      stopped = true;
      error_detail = "bad payload CRC after " + std::to_string(records) + " records";
      return;
    }
    if (st == RecordReader::Status::kNeedMore) return;
    if (st == RecordReader::Status::kError) {
      stopped = true;
      error_detail = reader.error();
      return;
    }
    OnRecord(payload);
  }
}

ReferenceDump::ReferenceDump(std::string file_label, const Limits& limits)
    : impl_(new Impl(std::move(file_label), limits)) {}
ReferenceDump::~ReferenceDump() = default;

void ReferenceDump::Push(const uint8_t* data, size_t size) {
  if (impl_->stopped) return;
  impl_->reader.push(data, size);
  impl_->Drain();
}

std::string ReferenceDump::Finish() {
  Impl& im = *impl_;
  JsonWriter w(1);
  w.BeginObject();
  w.Key("schema");
  w.String("tb-reference-1");
  w.Key("file");
  w.String(im.file_label);
  w.Key("reader");
  w.String("tbview ReferenceDump");
  const char* status = "ok";
  if (im.stopped)
    status = "error";
  else if (im.reader.buffered() > 0)
    status = "truncated";
  w.Key("status");
  w.String(status);
  if (im.stopped) {
    w.Key("error_detail");
    w.String(im.error_detail);
  }
  w.Key("records");
  w.Uint(im.records);
  w.Key("file_version");
  if (im.have_file_version)
    w.String(im.file_version);
  else
    w.Null();
  w.Key("first_wall_time");
  if (im.have_first_wall_time)
    w.Double(im.first_wall_time);
  else
    w.Null();
  w.Key("session_log");
  w.BeginArray();
  for (const auto& s : im.session_log) {
    w.BeginArray();
    w.Int(s.first);
    w.Int(s.second);
    w.EndArray();
  }
  w.EndArray();
  w.Key("graph_def");
  w.BeginObject();
  w.Key("count");
  w.Uint(im.graph_defs.size());
  w.Key("bytes");
  w.BeginArray();
  for (const auto& g : im.graph_defs) w.Uint(g.first);
  w.EndArray();
  w.Key("sha256");
  w.BeginArray();
  for (const auto& g : im.graph_defs) w.String(g.second);
  w.EndArray();
  w.EndObject();

  w.Key("tags");
  w.BeginObject();
  for (const std::string& tag : im.tag_order) {
    const TagAcc& acc = im.tags.at(tag);
    const TagMetadata& md = acc.metadata;
    w.Key(tag);
    w.BeginObject();
    w.Key("plugin");
    w.String(md.plugin_name);
    w.Key("data_class");
    w.Int(md.data_class);
    w.Key("display_name");
    w.String(md.display_name);
    w.Key("description");
    w.String(md.description);
    const int32_t dtype = acc.points.empty() ? 0 : acc.points.front().dtype;
    w.Key("dtype");
    w.String(DtypeNumpyName(dtype));
    w.Key("count");
    w.Uint(acc.points.size());
    w.Key("steps");
    w.BeginArray();
    for (const Point& p : acc.points) w.Int(p.step);
    w.EndArray();
    w.Key("wall_times");
    w.BeginArray();
    for (const Point& p : acc.points) w.Double(p.wall_time);
    w.EndArray();
    if (md.data_class == kDataClassScalar) {
      w.Key("values");
      w.BeginArray();
      for (const Point& p : acc.points) {
        if (p.numbers.size() == 1)
          w.Double(p.numbers[0]);
        else
          w.Null();
      }
      w.EndArray();
    } else if (dtype == kDtString) {
      w.Key("shapes");
      w.BeginArray();
      for (const Point& p : acc.points) {
        w.BeginArray();
        for (int64_t d : p.shape) w.Int(d);
        w.EndArray();
      }
      w.EndArray();
      w.Key("blobs");
      w.BeginArray();
      for (const Point& p : acc.points) {
        w.BeginArray();
        for (const Blob& b : p.blobs) {
          w.BeginObject();
          w.Key("len");
          w.Uint(b.len);
          w.Key(b.len < kInlineBlobBytes ? "utf8" : "sha256");
          w.String(b.utf8_or_sha);
          w.EndObject();
        }
        w.EndArray();
      }
      w.EndArray();
      if (md.plugin_name == "text") {
        w.Key("text");
        w.BeginArray();
        for (const Point& p : acc.points) {
          size_t index = 0;
          if (p.text.size() != p.blobs.size()) {
            w.Null();
            continue;
          }
          WriteNested(p.shape, 0, &index, &w, [&](size_t i) { w.String(p.text[i]); });
        }
        w.EndArray();
      }
    } else {
      w.Key("shapes");
      w.BeginArray();
      for (const Point& p : acc.points) {
        w.BeginArray();
        for (int64_t d : p.shape) w.Int(d);
        w.EndArray();
      }
      w.EndArray();
      w.Key("values");
      w.BeginArray();
      for (const Point& p : acc.points) {
        const bool complex = p.dtype == kDtComplex64 || p.dtype == kDtComplex128;
        size_t index = 0;
        WriteNested(p.shape, 0, &index, &w, [&](size_t i) {
          if (complex) {
            w.BeginArray();
            w.Double(p.numbers[2 * i]);
            w.Double(p.numbers[2 * i + 1]);
            w.EndArray();
          } else if (p.dtype == kDtBool) {
            w.Bool(p.numbers[i] != 0);
          } else if (p.dtype != kDtFloat && p.dtype != kDtDouble && p.dtype != kDtHalf &&
                     p.dtype != kDtBfloat16) {
            w.Int(static_cast<int64_t>(p.numbers[i]));  // integer dtypes
          } else {
            w.Double(p.numbers[i]);
          }
        });
      }
      w.EndArray();
    }
    if (md.plugin_name == "hparams") {
      w.Key("plugin_content");
      w.BeginArray();
      for (const Point& p : acc.points) {
        const std::string& content = p.has_content ? p.plugin_content : md.plugin_content;
        std::string err;
        if (WriteHParamsPluginDataJson(content, &w, &err)) continue;
        w.Null();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
  if (!im.notes.empty()) {
    // Not part of tb-reference-1: what TensorBoard's loader would have failed on.
    w.Key("tbview_notes");
    w.BeginArray();
    for (const std::string& n : im.notes) w.String(n);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

}  // namespace tbview
