// The Embind bridge between the tbview core and JavaScript: the only file that
// includes an Emscripten header.
//
// The boundary is deliberately coarse (DESIGN.md, "a coarse boundary"):
// - two classes, Engine (a Logdir plus its queries) and RefDump (one file to
//   tb-reference-1 JSON); JS creates one of each as needed and calls delete() on
//   it; no other C++ object ever reaches JS, so there is no graph of live
//   handles to manage;
// - bytes come in as one Uint8Array per call and are copied into one reusable
//   heap buffer with a single TypedArray.set (not std::string, which copies byte
//   by byte);
// - bulk results leave as Float64Arrays COPIED out of the heap (.slice() of a
//   typed_memory_view), so they survive memory growth and can be transferred;
// - control data (files, tags, stats) leaves as plain JS objects.
//
// Strings from files (tags, run names, messages, writer names) may be any bytes a
// hostile writer chose. Every string handed to JS is made valid UTF-8 first,
// replacing each invalid sequence exactly as TextDecoder does (WHATWG "maximal
// subpart"), so Embind's conversion can never throw or disagree with a decoder.
// A tag whose name had to be repaired can still be queried by its repaired name
// (see Engine::FindScalars).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "downsample.h"
#include "input_limits.h"
#include "logdir.h"
#include "reference_json.h"
#include "plugins.h"
#include "series.h"
#include "utf8.h"

namespace tbview {
namespace {

using emscripten::typed_memory_view;
using emscripten::val;

// A JS string from arbitrary bytes (never throws).
val Str(std::string_view s) { return val(ToValidUtf8(s)); }

// 64-bit counters as JS numbers (exact below 2^53, which every count here is).
val Num(uint64_t v) { return val(static_cast<double>(v)); }
val Num(int64_t v) { return val(static_cast<double>(v)); }

// Throws a JS exception of class `type` ("TypeError", "RangeError", ...). This
// unwinds through wasm frames without running C++ destructors, so callers throw
// before they own heap memory (at worst an argument string of a call that was a
// programming error is leaked).
[[noreturn]] void ThrowJs(const char* type, const char* message) {
  val::global(type).new_(val(message)).throw_();
}

// A copy (not a view) of `v` as a Float64Array.
val CopyOut(const std::vector<double>& v) {
  if (v.empty()) return val::global("Float64Array").new_(0);
  return val(typed_memory_view(v.size(), v.data())).call<val>("slice");
}

// Copies the bytes of a Uint8Array (or an ArrayBuffer, or any ArrayBufferView)
// into `buf` (resized, capacity reused) with one TypedArray.set.
void CopyIn(const val& bytes, std::vector<uint8_t>* buf) {
  val u8 = bytes;
  static const val kUint8Array = val::global("Uint8Array");
  if (!bytes.instanceof(kUint8Array)) {
    if (bytes.instanceof(val::global("ArrayBuffer"))) {
      u8 = kUint8Array.new_(bytes);
    } else if (val::global("ArrayBuffer").call<bool>("isView", bytes)) {
      u8 = kUint8Array.new_(bytes["buffer"], bytes["byteOffset"], bytes["byteLength"]);
    } else {
      ThrowJs("TypeError", "expected a Uint8Array, an ArrayBuffer or an ArrayBufferView");
    }
  }
  const size_t n = u8["length"].as<size_t>();
  buf->resize(n);
  if (n == 0) return;
  // The view is made after resize(), which may have grown (and so replaced) the
  // heap's ArrayBuffer.
  val(typed_memory_view(n, buf->data())).call<void>("set", u8);
}

// The UTF-8 bytes of a JS string argument. Encoded by TextEncoder, which turns a
// lone surrogate into U+FFFD; Embind's own std::string conversion would instead
// pair it with the next code unit and swallow that character.
std::string FromJs(const val& s, const char* what) {
  if (!s.isString()) ThrowJs("TypeError", what);
  static const val kEncoder = val::global("TextEncoder").new_();
  val bytes = kEncoder.call<val>("encode", s);
  const size_t n = bytes["length"].as<size_t>();
  std::string out(n, '\0');
  if (n) val(typed_memory_view(n, reinterpret_cast<uint8_t*>(out.data()))).call<void>("set", bytes);
  return out;
}

double NumberOr(const val& obj, const char* key, double fallback) {
  val v = obj[key];
  if (v.isUndefined() || v.isNull()) return fallback;
  if (!v.isNumber()) ThrowJs("TypeError", "scalars(): query fields x0, x1, width, smoothing must be numbers");
  return v.as<double>();
}

// ---- Engine ----

// Everything open in one worker: a Logdir and the scratch space of its queries.
class Engine {
 public:
  Engine() = default;

  int OpenFile(const val& path) { return logdir_.OpenFile(FromJs(path, "openFile(path): path must be a string")); }

  void Push(int id, const val& bytes) {
    CheckId(id);
    CopyIn(bytes, &buffer_);
    logdir_.Push(id, buffer_.data(), buffer_.size());
  }

  void EndOfData(int id) {
    CheckId(id);
    logdir_.EndOfData(id);
  }

  // A failure seen outside the core (a read error, a broken archive member): the
  // file ends as kCorrupt with `message`, keeping what was read.
  void FailFile(int id, const val& message) {
    CheckId(id);
    logdir_.FailFile(id, FileStatus::kCorrupt, FromJs(message, "failFile(id, message): message must be a string"));
  }

  val Files() const {
    const FileList files = logdir_.files();
    val out = val::array();
    for (size_t i = 0; i < files.size(); ++i) {
      const FileInfo& f = files[i];
      val o = val::object();
      o.set("id", val(static_cast<int>(i)));
      o.set("path", Str(f.path));
      o.set("run", Str(f.run));
      o.set("bytes", Num(f.bytes));
      o.set("records", Num(f.records));
      o.set("badCrc", Num(f.bad_crc));
      o.set("badEvents", Num(f.bad_events));
      o.set("status", val(FileStatusName(f.status)));
      o.set("message", Str(f.message));
      o.set("fileVersion", Str(f.file_version));
      o.set("writer", Str(f.writer));
      o.set("firstWallTime", val(f.first_wall_time));
      out.call<void>("push", o);
    }
    return out;
  }

  val Runs() const {
    val out = val::array();
    for (const std::string& r : logdir_.Runs()) out.call<void>("push", Str(r));
    return out;
  }

  val Tags() const {
    val out = val::array();
    for (const TagInfo& t : logdir_.Tags()) {
      val o = val::object();
      o.set("run", Str(t.run));
      o.set("tag", Str(t.tag));
      o.set("plugin", Str(t.metadata.plugin_name));
      o.set("dataClass", val(t.metadata.data_class));
      o.set("displayName", Str(t.metadata.display_name));
      o.set("description", Str(t.metadata.description));
      o.set("points", Num(t.points));
      o.set("firstStep", Num(t.first_step));
      o.set("lastStep", Num(t.last_step));
      o.set("firstWallTime", val(t.first_wall_time));
      o.set("lastWallTime", val(t.last_wall_time));
      o.set("isScalar", val(t.is_scalar));
      out.call<void>("push", o);
    }
    return out;
  }

  // scalars(run, tag, {xAxis, x0, x1, width, smoothing}) -> reduced series, or
  // null when (run, tag) is not a scalar series.
  val Scalars(const val& run_js, const val& tag_js, const val& q) {
    ScalarQuery query;
    if (!q.isUndefined() && !q.isNull()) {
      val axis = q["xAxis"];
      if (!axis.isUndefined() && !axis.isNull()) {
        if (!axis.isString()) ThrowJs("TypeError", "scalars(): xAxis must be 'step', 'relative' or 'wall'");
        std::string a = axis.as<std::string>();
        if (a == "step") query.x_axis = ScalarQuery::kStep;
        else if (a == "relative") query.x_axis = ScalarQuery::kRelative;
        else if (a == "wall" || a == "wall_time" || a == "wallTime") query.x_axis = ScalarQuery::kWallTime;
        else ThrowJs("TypeError", "scalars(): xAxis must be 'step', 'relative' or 'wall'");
      }
      query.x0 = NumberOr(q, "x0", NAN);
      query.x1 = NumberOr(q, "x1", NAN);
      double width = NumberOr(q, "width", 1000);
      if (!(width >= 1)) width = 1;
      if (width > 1e6) width = 1e6;  // a pixel count; bounds the output
      query.width = static_cast<int>(width);
      double smoothing = NumberOr(q, "smoothing", 0);
      if (!(smoothing >= 0)) smoothing = 0;
      if (smoothing > 0.999) smoothing = 0.999;  // TensorBoard's slider maximum
      query.smoothing = smoothing;
    }
    const ScalarSeries* s = FindScalars(FromJs(run_js, "scalars(run, tag, query): run must be a string"),
                                        FromJs(tag_js, "scalars(run, tag, query): tag must be a string"));
    if (!s) return val::null();
    QueryScalars(*s, query, &result_);
    val o = val::object();
    o.set("x", CopyOut(result_.x));
    o.set("step", CopyOut(result_.step));
    o.set("wallTime", CopyOut(result_.wall_time));
    o.set("value", CopyOut(result_.value));
    o.set("smoothed", CopyOut(result_.smoothed));
    o.set("total", Num(result_.total));
    o.set("yMin", val(result_.y_min));
    o.set("yMax", val(result_.y_max));
    o.set("p05", val(result_.p05));
    o.set("p95", val(result_.p95));
    return o;
  }

  // Every stored point of a scalar series (for export), or null.
  val ScalarsFull(const val& run, const val& tag) {
    const ScalarSeries* s = FindScalars(FromJs(run, "scalarsFull(run, tag): run must be a string"),
                                        FromJs(tag, "scalarsFull(run, tag): tag must be a string"));
    if (!s) return val::null();
    const size_t n = s->size();
    // Three columns filled one after another in one scratch vector, so peak heap
    // use is one column of doubles.
    val o = val::object();
    scratch_.resize(n);
    for (size_t i = 0; i < n; ++i) scratch_[i] = static_cast<double>(s->step(i));
    o.set("step", CopyOut(scratch_));
    for (size_t i = 0; i < n; ++i) scratch_[i] = s->wall_time(i);
    o.set("wallTime", CopyOut(scratch_));
    for (size_t i = 0; i < n; ++i) scratch_[i] = s->value(i);
    o.set("value", CopyOut(scratch_));
    scratch_.clear();
    scratch_.shrink_to_fit();
    return o;
  }

  // ---- tensors (histograms, images, audio, text, PR curves, ...) ----

  // tensorSteps(run, tag) -> {step, wallTime: Float64Array, count: Uint32Array}
  // or null. count[i] is the number of items at point i: images of an image
  // tensor [w, h, img...], clips of an audio tensor [k, 2], else 1.
  val TensorSteps(const val& run, const val& tag) const {
    const TensorSeries* s = FindTensors(run, tag, "tensorSteps");
    if (!s) return val::null();
    const std::vector<TensorPoint>& pts = s->points();
    std::vector<double> steps(pts.size()), walls(pts.size());
    std::vector<uint32_t> counts(pts.size());
    const std::string plugin = FoundPlugin();
    for (size_t i = 0; i < pts.size(); ++i) {
      steps[i] = static_cast<double>(pts[i].step);
      walls[i] = pts[i].wall_time;
      const Tensor& t = pts[i].tensor;
      uint64_t n = 1;
      if (plugin == "images" && t.is_string()) n = t.strings.size() >= 2 ? t.strings.size() - 2 : 0;
      else if (plugin == "audio" && t.is_string()) n = t.shape.size() == 2 ? t.shape[0] : t.strings.size();
      counts[i] = static_cast<uint32_t>(n);
    }
    val o = val::object();
    o.set("step", CopyOut(steps));
    o.set("wallTime", CopyOut(walls));
    o.set("count", counts.empty() ? val::global("Uint32Array").new_(0)
                                  : val(typed_memory_view(counts.size(), counts.data())).call<val>("slice"));
    return o;
  }

  // tensor(run, tag, index) -> {step, wallTime, dtype, shape, numbers, strings,
  // refs} or null. numbers: Float64Array (numeric dtypes) or null; strings: an
  // array of Uint8Array (string tensors) or null; refs: null when every string is
  // in `strings`, else an array parallel to it where refs[i] = {fileId, offset,
  // length} (see Ref) stands for a string kept by reference (strings[i] is null
  // then): the caller reads those bytes from its source of file fileId.
  val TensorAt(const val& run, const val& tag, int index) const {
    const TensorSeries* s = FindTensors(run, tag, "tensor");
    if (!s || index < 0 || static_cast<size_t>(index) >= s->points().size()) return val::null();
    const TensorPoint& p = s->points()[index];
    val o = val::object();
    o.set("step", Num(p.step));
    o.set("wallTime", val(p.wall_time));
    o.set("dtype", val(DtypeNumpyName(p.tensor.dtype)));
    o.set("shape", Shape(p.tensor.shape));
    o.set("refs", val::null());
    if (p.tensor.is_string()) {
      val strings = val::array();
      val refs = p.blobs.empty() ? val::null() : val::array();
      for (size_t i = 0; i < p.tensor.strings.size(); ++i) {
        const bool by_ref = !p.blobs.empty() && p.blobs[i].valid();
        strings.call<void>("push", by_ref ? val::null() : Bytes(p.tensor.strings[i]));
        if (!p.blobs.empty()) refs.call<void>("push", by_ref ? Ref(p.blobs[i]) : val::null());
      }
      o.set("numbers", val::null());
      o.set("strings", strings);
      o.set("refs", refs);
    } else {
      o.set("numbers", CopyOut(p.tensor.numbers));
      o.set("strings", val::null());
    }
    return o;
  }

  // tensors(run, tag) -> every point of a numeric series at once, columnar:
  // {step, wallTime, shapes: number[][], numbers: Float64Array (all points
  // concatenated), offsets: Uint32Array (n + 1 starts)}, or null.
  val Tensors(const val& run, const val& tag) {
    const TensorSeries* s = FindTensors(run, tag, "tensors");
    if (!s) return val::null();
    const std::vector<TensorPoint>& pts = s->points();
    std::vector<double> steps(pts.size()), walls(pts.size());
    std::vector<uint32_t> offsets(pts.size() + 1, 0);
    val shapes = val::array();
    size_t total = 0;
    for (const TensorPoint& p : pts) total += p.tensor.numbers.size();
    scratch_.clear();
    scratch_.reserve(total);
    for (size_t i = 0; i < pts.size(); ++i) {
      steps[i] = static_cast<double>(pts[i].step);
      walls[i] = pts[i].wall_time;
      shapes.call<void>("push", Shape(pts[i].tensor.shape));
      scratch_.insert(scratch_.end(), pts[i].tensor.numbers.begin(), pts[i].tensor.numbers.end());
      offsets[i + 1] = static_cast<uint32_t>(scratch_.size());
    }
    val o = val::object();
    o.set("step", CopyOut(steps));
    o.set("wallTime", CopyOut(walls));
    o.set("shapes", shapes);
    o.set("numbers", CopyOut(scratch_));
    o.set("offsets", val(typed_memory_view(offsets.size(), offsets.data())).call<val>("slice"));
    scratch_.clear();
    scratch_.shrink_to_fit();
    return o;
  }

  // blob(run, tag, index, element) -> string element `element` of point `index`
  // (an encoded image or audio clip): a Uint8Array copy when it is held, or
  // {fileId, offset, length} when it is kept by reference (Ref); null when
  // there is no such element.
  val Blob(const val& run, const val& tag, int index, int element) const {
    const TensorSeries* s = FindTensors(run, tag, "blob");
    if (!s || index < 0 || static_cast<size_t>(index) >= s->points().size()) return val::null();
    const Tensor& t = s->points()[index].tensor;
    if (!t.is_string() || element < 0 || static_cast<size_t>(element) >= t.strings.size()) return val::null();
    const std::vector<BlobRef>& blobs = s->points()[index].blobs;
    if (!blobs.empty() && blobs[element].valid()) return Ref(blobs[element]);
    return Bytes(t.strings[element]);
  }

  // ---- plugin views ----

  // hparams() -> {experiment: {hparamInfos, metricInfos, inferred} | null,
  // sessions: [{run, groupName, hparams, status, startTime, endTime, metrics}],
  // errors: string[]}; see plugins.h for the rules.
  val Hparams() const {
    HparamsData d = CollectHparams(logdir_);
    val o = val::object();
    if (d.hparam_infos.empty() && d.metric_infos.empty() && d.sessions.empty()) {
      o.set("experiment", val::null());
    } else {
      val ex = val::object();
      ex.set("inferred", val(!d.has_experiment));
      ex.set("name", Str(d.name));
      ex.set("description", Str(d.description));
      val infos = val::array();
      for (const HparamInfoView& h : d.hparam_infos) {
        val i = val::object();
        i.set("name", Str(h.name));
        i.set("displayName", Str(h.display_name));
        i.set("description", Str(h.description));
        i.set("type", val(h.type));
        i.set("differs", val(h.differs));
        if (h.domain == "discrete") {
          val dom = val::object(), values = val::array();
          for (const HparamValue& v : h.domain_values) values.call<void>("push", HValue(v));
          dom.set("values", values);
          i.set("domain", dom);
        } else if (h.domain == "interval") {
          val dom = val::object();
          dom.set("min", val(h.interval_min));
          dom.set("max", val(h.interval_max));
          i.set("domain", dom);
        } else {
          i.set("domain", val::null());
        }
        infos.call<void>("push", i);
      }
      ex.set("hparamInfos", infos);
      val metrics = val::array();
      for (const MetricInfoView& m : d.metric_infos) {
        val i = val::object();
        i.set("group", Str(m.group));
        i.set("tag", Str(m.tag));
        i.set("key", Str(m.key));
        i.set("displayName", Str(m.display_name));
        i.set("description", Str(m.description));
        i.set("datasetType", val(m.dataset_type));
        metrics.call<void>("push", i);
      }
      ex.set("metricInfos", metrics);
      o.set("experiment", ex);
    }
    val sessions = val::array();
    for (const HparamsSession& s : d.sessions) {
      val i = val::object();
      i.set("run", Str(s.run));
      i.set("groupName", Str(s.group_name));
      val hp = val::object();
      for (const auto& [k, v] : s.hparams) hp.set(Str(k), HValue(v));
      i.set("hparams", hp);
      i.set("status", val(s.status));
      i.set("startTime", val(s.start_time_secs));
      i.set("endTime", s.has_end ? val(s.end_time_secs) : val::null());
      val ms = val::object();
      for (size_t k = 0; k < s.metrics.size() && k < d.metric_infos.size(); ++k) {
        const MetricValue& m = s.metrics[k];
        if (m.count == 0) continue;
        val mv = val::object();
        mv.set("run", Str(m.run));
        mv.set("last", val(m.last));
        mv.set("min", val(m.min));
        mv.set("max", val(m.max));
        mv.set("step", Num(m.step));
        mv.set("count", Num(m.count));
        ms.set(Str(d.metric_infos[k].key), mv);
      }
      i.set("metrics", ms);
      sessions.call<void>("push", i);
    }
    o.set("sessions", sessions);
    val errors = val::array();
    for (const std::string& e : d.errors) errors.call<void>("push", Str(e));
    o.set("errors", errors);
    return o;
  }

  // customScalars() -> [{title, closed, charts: [{title, multiline: {tags}} |
  // {title, margin: {series: [{value, lower, upper}]}}]}], merged over runs.
  val CustomScalars() const {
    val out = val::array();
    for (const CustomScalarCategory& c : CollectCustomScalars(logdir_)) {
      val cat = val::object();
      cat.set("title", Str(c.title));
      cat.set("closed", val(c.closed));
      val charts = val::array();
      for (const CustomScalarChart& ch : c.charts) {
        val chart = val::object();
        chart.set("title", Str(ch.title));
        if (ch.kind == "multiline") {
          val ml = val::object(), tags = val::array();
          for (const std::string& t : ch.tags) tags.call<void>("push", Str(t));
          ml.set("tags", tags);
          chart.set("multiline", ml);
        } else if (ch.kind == "margin") {
          val mg = val::object(), series = val::array();
          for (const CustomScalarMarginSeries& m : ch.series) {
            val ser = val::object();
            ser.set("value", Str(m.value));
            ser.set("lower", Str(m.lower));
            ser.set("upper", Str(m.upper));
            series.call<void>("push", ser);
          }
          mg.set("series", series);
          chart.set("margin", mg);
        } else {
          continue;
        }
        charts.call<void>("push", chart);
      }
      cat.set("charts", charts);
      out.call<void>("push", cat);
    }
    return out;
  }

  // Releases the spare capacity of every scalar series: call when loading has
  // settled (appending later still works, but regrows).
  void Shrink() { logdir_.Shrink(); }

  val Stats() const {
    val o = val::object();
    o.set("retainedBytes", Num(logdir_.RetainedBytes()));
    o.set("points", Num(logdir_.TotalPoints()));
    // Encoded images and clips held in the heap, and kept by reference.
    const BlobStats b = logdir_.Blobs();
    o.set("blobsHeld", Num(b.held));
    o.set("blobBytesHeld", Num(b.held_bytes));
    o.set("blobsByReference", Num(b.by_reference));
    o.set("blobBytesByReference", Num(b.by_reference_bytes));
    return o;
  }

 private:
  void CheckId(int id) const {
    if (id < 0 || static_cast<size_t>(id) >= logdir_.files().size()) ThrowJs("RangeError", "unknown file id");
  }

  // The tensor series of (run, tag): an exact lookup first; names reach JS
  // repaired to valid UTF-8 (see Str), so failing that, a tag whose repaired
  // name matches. Sets found_run_/found_tag_ to the stored names.
  const TensorSeries* FindTensors(const val& run_js, const val& tag_js, const char* what) const {
    found_run_ = FromJs(run_js, what);
    found_tag_ = FromJs(tag_js, what);
    if (const TensorSeries* s = logdir_.Tensors(found_run_, found_tag_)) return s;
    for (const TagInfo& t : logdir_.Tags()) {
      if (!t.is_scalar && ToValidUtf8(t.run) == found_run_ && ToValidUtf8(t.tag) == found_tag_) {
        found_run_ = t.run;
        found_tag_ = t.tag;
        return logdir_.Tensors(t.run, t.tag);
      }
    }
    return nullptr;
  }

  // The plugin of the tag FindTensors last found.
  std::string FoundPlugin() const {
    for (const TagInfo& t : logdir_.Tags())
      if (t.run == found_run_ && t.tag == found_tag_) return t.metadata.plugin_name;
    return "";
  }

  static val Shape(const std::vector<int64_t>& shape) {
    val out = val::array();
    for (int64_t d : shape) out.call<void>("push", Num(d));
    return out;
  }

  // A Uint8Array copy of raw bytes.
  static val Bytes(const std::string& s) {
    if (s.empty()) return val::global("Uint8Array").new_(0);
    return val(typed_memory_view(s.size(), reinterpret_cast<const uint8_t*>(s.data()))).call<val>("slice");
  }

  // A blob kept by reference, as JS reads it: the bytes are
  // [offset, offset + length) of the source of file `fileId` (the id openFile
  // returned), i.e. what that file's pushes started with at offset 0.
  static val Ref(const BlobRef& b) {
    val o = val::object();
    o.set("fileId", val(b.file));
    o.set("offset", Num(b.offset));
    o.set("length", Num(b.length));
    return o;
  }

  static val HValue(const HparamValue& v) {
    if (v.kind == "number") return val(v.number);
    if (v.kind == "bool") return val(v.boolean);
    if (v.kind == "string" || v.kind == "list" || v.kind == "struct") return Str(v.string);
    return val::null();
  }

  // The series of (run, tag). Names reach JS repaired to valid UTF-8 (see Str),
  // so when the exact lookup fails, a tag whose repaired name matches is used.
  const ScalarSeries* FindScalars(const std::string& run, const std::string& tag) const {
    if (const ScalarSeries* s = logdir_.Scalars(run, tag)) return s;
    for (const TagInfo& t : logdir_.Tags()) {
      if (!t.is_scalar) continue;
      if (ToValidUtf8(t.run) == run && ToValidUtf8(t.tag) == tag) return logdir_.Scalars(t.run, t.tag);
    }
    return nullptr;
  }

  Logdir logdir_;
  std::vector<uint8_t> buffer_;  // the last pushed chunk; capacity reused
  ScalarQueryResult result_;     // query scratch; capacity reused
  std::vector<double> scratch_;
  mutable std::string found_run_, found_tag_;  // names of the last FindTensors hit
};

// ---- RefDump ----

// One file's bytes to the tb-reference-1 JSON TensorBoard's reader would give
// (the same code as `tbview dump --reference`).
class RefDump {
 public:
  explicit RefDump(const val& label) : dump_(FromJs(label, "RefDump(label): label must be a string")) {}
  void Push(const val& bytes) {
    CopyIn(bytes, &buffer_);
    dump_.Push(buffer_.data(), buffer_.size());
  }
  std::string Finish() { return ToValidUtf8(dump_.Finish()); }

 private:
  ReferenceDump dump_;
  std::vector<uint8_t> buffer_;
};

}  // namespace
}  // namespace tbview

EMSCRIPTEN_BINDINGS(tbview) {
  using namespace emscripten;
  using tbview::Engine;
  using tbview::RefDump;
  class_<Engine>("Engine")
      .constructor<>()
      .function("openFile", &Engine::OpenFile)
      .function("push", &Engine::Push)
      .function("endOfData", &Engine::EndOfData)
      .function("failFile", &Engine::FailFile)
      .function("files", &Engine::Files)
      .function("runs", &Engine::Runs)
      .function("tags", &Engine::Tags)
      .function("scalars", &Engine::Scalars)
      .function("scalarsFull", &Engine::ScalarsFull)
      .function("tensorSteps", &Engine::TensorSteps)
      .function("tensor", &Engine::TensorAt)
      .function("tensors", &Engine::Tensors)
      .function("blob", &Engine::Blob)
      .function("hparams", &Engine::Hparams)
      .function("customScalars", &Engine::CustomScalars)
      .function("stats", &Engine::Stats)
      .function("shrink", &Engine::Shrink);
  class_<RefDump>("RefDump")
      .constructor<const val&>()
      .function("push", &RefDump::Push)
      .function("finish", &RefDump::Finish);
}
