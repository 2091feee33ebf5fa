// The Embind bridge between the tbview core and JavaScript: the only file that
// includes an Emscripten header. It marshals, nothing else: every rule (query
// validation, name repair, statuses, plugin views) lives in the core's Engine
// (engine.h). tbview_engine.d.ts beside this file describes the JS API.
//
// The boundary is deliberately coarse ("a coarse boundary", ARCHITECTURE.md):
// - two classes, Engine and RefDump (one file to tb-reference-1 JSON); JS
//   creates one of each as needed and calls delete() on it; every answer is a
//   plain JS value (value_object shapes declared below), so there is no graph
//   of live handles to manage;
// - bytes come in as one Uint8Array per call and are copied into one reusable
//   heap buffer with a single TypedArray.set (not std::string, which copies byte
//   by byte);
// - bulk columns leave as typed arrays COPIED out of the heap (.slice() of a
//   typed_memory_view), so they survive memory growth and can be transferred.
// Strings leave as Embind's std::string conversion makes them; the engine
// answers valid UTF-8 only, so that conversion agrees with TextDecoder.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine.h"
#include "reference_json.h"
#include "utf8.h"

namespace tbview {
namespace {

using emscripten::typed_memory_view;
using emscripten::val;

// ---- marshalling helpers ----

// Throws a JS exception of class `type` ("TypeError", "RangeError", ...). This
// unwinds through wasm frames without running C++ destructors, so callers throw
// before they own heap memory.
[[noreturn]] void ThrowJs(const char* type, const std::string& message) {
  val::global(type).new_(val(message)).throw_();
}

// A copy (not a view) of a column as a typed array.
val Float64(const std::vector<double>& v) {
  if (v.empty()) return val::global("Float64Array").new_(0);
  return val(typed_memory_view(v.size(), v.data())).call<val>("slice");
}
val Uint32(const std::vector<uint32_t>& v) {
  if (v.empty()) return val::global("Uint32Array").new_(0);
  return val(typed_memory_view(v.size(), v.data())).call<val>("slice");
}
val Uint8(std::string_view s) {
  if (s.empty()) return val::global("Uint8Array").new_(0);
  return val(typed_memory_view(s.size(), reinterpret_cast<const uint8_t*>(s.data()))).call<val>("slice");
}

// A JS array of the elements' own shapes (a registered value_object, a string,
// a number).
template <class E>
val Array(const std::vector<E>& v) {
  val out = val::array();
  for (size_t i = 0; i < v.size(); ++i) out.set(i, val(v[i]));
  return out;
}
val Numbers(const std::vector<int64_t>& v) {
  val out = val::array();
  for (size_t i = 0; i < v.size(); ++i) out.set(i, val(static_cast<double>(v[i])));
  return out;
}

// Field adaptors for value_object: answers only go out, so setters do nothing.
template <class T>
void NoSet(T&, val) {}
template <class T, std::vector<double> T::*M>
val F64Field(const T& t) {
  return Float64(t.*M);
}
template <class T, std::vector<uint32_t> T::*M>
val U32Field(const T& t) {
  return Uint32(t.*M);
}
template <class T, class E, std::vector<E> T::*M>
val ListField(const T& t) {
  return Array(t.*M);
}
template <class T, class I, I T::*M>
double NumField(const T& t) {
  return static_cast<double>(t.*M);
}

// The bytes of a Uint8Array (or an ArrayBuffer, or any ArrayBufferView) into
// `buf` (resized, capacity reused) with one TypedArray.set.
void CopyIn(const val& bytes, std::vector<uint8_t>* buf) {
  val u8 = bytes;
  static const val kUint8Array = val::global("Uint8Array");
  if (!bytes.instanceof (kUint8Array)) {
    if (bytes.instanceof (val::global("ArrayBuffer"))) {
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

// An optional number field of a JS object: NaN when absent (the engine's
// "unset"), a TypeError when it is not a number.
double OptionalNumber(const val& obj, const char* key) {
  val v = obj[key];
  if (v.isUndefined() || v.isNull()) return NAN;
  if (!v.isNumber()) ThrowJs("TypeError", "scalars(): query fields x0, x1, width, smoothing must be numbers");
  return v.as<double>();
}

ScalarsRequest RequestFromJs(const val& q) {
  ScalarsRequest r;
  if (q.isUndefined() || q.isNull()) return r;
  val axis = q["xAxis"];
  if (!axis.isUndefined() && !axis.isNull())
    r.x_axis = FromJs(axis, "scalars(): xAxis must be 'step', 'relative' or 'wall'");
  r.x0 = OptionalNumber(q, "x0");
  r.x1 = OptionalNumber(q, "x1");
  r.width = OptionalNumber(q, "width");
  r.smoothing = OptionalNumber(q, "smoothing");
  return r;
}

// ---- shapes that need more than their fields ----

val RefOf(const BlobRef& b) { return val(b); }

// A google.protobuf.Value as the JS value it stands for.
val HValue(const HparamValue& v) {
  if (v.kind == "number") return val(v.number);
  if (v.kind == "bool") return val(v.boolean);
  if (v.kind == "string" || v.kind == "list" || v.kind == "struct") return val(v.string);
  return val::null();
}

// A tensor point: numbers or strings (with refs beside them), as tensor() says.
val TensorNumbers(const TensorPoint& p) {
  return p.tensor.is_string() ? val::null() : Float64(p.tensor.numbers);
}
val TensorStrings(const TensorPoint& p) {
  if (!p.tensor.is_string()) return val::null();
  val out = val::array();
  for (size_t i = 0; i < p.tensor.strings.size(); ++i) {
    const bool by_ref = !p.blobs.empty() && p.blobs[i].valid();
    out.set(i, by_ref ? val::null() : Uint8(p.tensor.strings[i]));
  }
  return out;
}
val TensorRefs(const TensorPoint& p) {
  if (!p.tensor.is_string() || p.blobs.empty()) return val::null();
  val out = val::array();
  for (size_t i = 0; i < p.blobs.size(); ++i)
    out.set(i, p.blobs[i].valid() ? RefOf(p.blobs[i]) : val::null());
  return out;
}
std::string TensorDtype(const TensorPoint& p) { return DtypeNumpyName(p.tensor.dtype); }
val TensorShape(const TensorPoint& p) { return Numbers(p.tensor.shape); }

val TensorsShapes(const TensorsAnswer& a) {
  val out = val::array();
  for (size_t i = 0; i < a.shapes.size(); ++i) out.set(i, Numbers(a.shapes[i]));
  return out;
}
val TextShape(const TextView& t) { return Numbers(t.shape); }
val TextRows(const TextView& t) {
  val out = val::array();
  for (size_t i = 0; i < t.rows.size(); ++i) out.set(i, Array(t.rows[i]));
  return out;
}

// hparams: the experiment is part of HparamsData, null when there is nothing.
struct Experiment {
  const HparamsData* d;
};
val HparamsExperiment(const HparamsData& d) {
  if (d.hparam_infos.empty() && d.metric_infos.empty() && d.sessions.empty()) return val::null();
  return val(Experiment{&d});
}
bool ExperimentInferred(const Experiment& e) { return !e.d->has_experiment; }
std::string ExperimentName(const Experiment& e) { return e.d->name; }
std::string ExperimentDescription(const Experiment& e) { return e.d->description; }
val ExperimentHparams(const Experiment& e) { return Array(e.d->hparam_infos); }
val ExperimentMetrics(const Experiment& e) { return Array(e.d->metric_infos); }

val HparamDomain(const HparamInfoView& h) {
  if (h.domain == "discrete") {
    val values = val::array();
    for (size_t i = 0; i < h.domain_values.size(); ++i) values.set(i, HValue(h.domain_values[i]));
    val dom = val::object();
    dom.set("values", values);
    return dom;
  }
  if (h.domain == "interval") {
    val dom = val::object();
    dom.set("min", h.interval_min);
    dom.set("max", h.interval_max);
    return dom;
  }
  return val::null();
}

// A session's metrics are keyed by their MetricInfoView::key, which the session
// itself does not hold: sessions leave paired with the metric infos.
struct Session {
  const HparamsSession* s;
  const std::vector<MetricInfoView>* infos;
};
val HparamsSessions(const HparamsData& d) {
  val out = val::array();
  for (size_t i = 0; i < d.sessions.size(); ++i) out.set(i, val(Session{&d.sessions[i], &d.metric_infos}));
  return out;
}
std::string SessionRun(const Session& s) { return s.s->run; }
std::string SessionGroup(const Session& s) { return s.s->group_name; }
std::string SessionStatus(const Session& s) { return s.s->status; }
double SessionStart(const Session& s) { return s.s->start_time_secs; }
val SessionEnd(const Session& s) { return s.s->has_end ? val(s.s->end_time_secs) : val::null(); }
val SessionHparams(const Session& s) {
  val out = val::object();
  for (const auto& [k, v] : s.s->hparams) out.set(k, HValue(v));
  return out;
}
val SessionMetrics(const Session& s) {
  val out = val::object();
  for (size_t k = 0; k < s.s->metrics.size() && k < s.infos->size(); ++k) {
    if (s.s->metrics[k].count == 0) continue;  // the session has no such series
    out.set((*s.infos)[k].key, val(s.s->metrics[k]));
  }
  return out;
}

// custom scalars: a chart is multiline or margin; the other key is null.
struct Multiline {
  const CustomScalarChart* c;
};
struct Margin {
  const CustomScalarChart* c;
};
val ChartMultiline(const CustomScalarChart& c) {
  return c.kind == "multiline" ? val(Multiline{&c}) : val::null();
}
val ChartMargin(const CustomScalarChart& c) { return c.kind == "margin" ? val(Margin{&c}) : val::null(); }
val MultilineTags(const Multiline& m) { return Array(m.c->tags); }
val MarginSeries(const Margin& m) { return Array(m.c->series); }

// scalarsFull(): three columns, each computed when JS reads it, so the heap
// holds one column at a time.
struct FullColumns {
  const Engine* engine;
  std::string run, tag;
};
template <int kColumn>
val FullColumn(const FullColumns& f) {
  std::vector<double> column;
  f.engine->ScalarsColumn(f.run, f.tag, kColumn, &column);
  return Float64(column);
}

// ---- the Engine as JS sees it (tbview_engine.d.ts) ----

void CheckId(const Engine& e, int id) {
  if (!e.ValidFile(id)) ThrowJs("RangeError", "unknown file id");
}

// The names of a (run, tag) call.
struct Names {
  std::string run, tag;
};
Names NamesFromJs(const val& run, const val& tag, const char* what) {
  return {FromJs(run, (std::string(what) + ": run must be a string").c_str()),
          FromJs(tag, (std::string(what) + ": tag must be a string").c_str())};
}

int OpenFile(Engine& e, const val& path) {
  return e.OpenFile(FromJs(path, "openFile(path): path must be a string"));
}

void Push(Engine& e, int id, const val& bytes) {
  CheckId(e, id);
  static std::vector<uint8_t> buffer;  // the last pushed chunk; capacity reused
  CopyIn(bytes, &buffer);
  e.Push(id, buffer.data(), buffer.size());
}

void EndOfData(Engine& e, int id) {
  CheckId(e, id);
  e.EndOfData(id);
}

void FailFile(Engine& e, int id, const val& message) {
  CheckId(e, id);
  e.FailFile(id, FromJs(message, "failFile(id, message): message must be a string"));
}

void SetFileStatus(Engine& e, int id, const val& status, const val& detail) {
  CheckId(e, id);
  std::string error;
  if (!e.SetFileStatus(id, FromJs(status, "setFileStatus(id, status, detail): status must be a string"),
                       FromJs(detail, "setFileStatus(id, status, detail): detail must be a string"),
                       &error)) {
    ThrowJs("TypeError", error);
  }
}

val Files(const Engine& e) { return Array(e.Files()); }
val Runs(const Engine& e) { return Array(e.Runs()); }
val Tags(const Engine& e) { return Array(e.Tags()); }
EngineStats Stats(const Engine& e) { return e.Stats(); }

val Scalars(const Engine& e, const val& run, const val& tag, const val& query) {
  const ScalarsRequest request = RequestFromJs(query);
  const Names n = NamesFromJs(run, tag, "scalars(run, tag, query)");
  static ScalarQueryResult result;  // capacity reused
  std::string error;
  switch (e.Scalars(n.run, n.tag, request, &result, &error)) {
    case Engine::Answer::kOk: return val(result);
    case Engine::Answer::kNotFound: return val::null();
    case Engine::Answer::kBadRequest: break;
  }
  ThrowJs("TypeError", error);
}

val ScalarsFull(const Engine& e, const val& run, const val& tag) {
  Names n = NamesFromJs(run, tag, "scalarsFull(run, tag)");
  if (!e.logdir().Scalars(n.run, n.tag)) return val::null();
  return val(FullColumns{&e, std::move(n.run), std::move(n.tag)});
}

val TensorSteps(const Engine& e, const val& run, const val& tag) {
  const Names n = NamesFromJs(run, tag, "tensorSteps(run, tag)");
  TensorStepsAnswer a;
  return e.TensorSteps(n.run, n.tag, &a) ? val(a) : val::null();
}

val TensorAt(const Engine& e, const val& run, const val& tag, int index) {
  const Names n = NamesFromJs(run, tag, "tensor(run, tag, index)");
  const TensorPoint* p = e.TensorAt(n.run, n.tag, index);
  return p ? val(*p) : val::null();
}

val Tensors(const Engine& e, const val& run, const val& tag) {
  const Names n = NamesFromJs(run, tag, "tensors(run, tag)");
  TensorsAnswer a;
  return e.Tensors(n.run, n.tag, &a) ? val(a) : val::null();
}

val Blob(const Engine& e, const val& run, const val& tag, int index, int element) {
  const Names n = NamesFromJs(run, tag, "blob(run, tag, index, element)");
  BlobAnswer a;
  if (!e.Blob(n.run, n.tag, index, element, &a)) return val::null();
  return a.by_reference ? RefOf(a.ref) : Uint8(a.bytes);
}

HparamsData Hparams(const Engine& e) { return e.Hparams(); }
val CustomScalars(const Engine& e) { return Array(e.CustomScalars()); }

val Distributions(const Engine& e, const val& run, const val& tag) {
  const Names n = NamesFromJs(run, tag, "distributions(run, tag)");
  DistributionsAnswer a;
  return e.Distributions(n.run, n.tag, &a) ? val(a) : val::null();
}

val PrCurves(const Engine& e, const val& run, const val& tag) {
  const Names n = NamesFromJs(run, tag, "prCurves(run, tag)");
  std::vector<PrCurvePoint> a;
  return e.PrCurves(n.run, n.tag, &a) ? Array(a) : val::null();
}

val Text(const Engine& e, const val& run, const val& tag, int index) {
  const Names n = NamesFromJs(run, tag, "text(run, tag, index)");
  TextView a;
  return e.Text(n.run, n.tag, index, &a) ? val(a) : val::null();
}

// The basis points of the distributions' nine bands (kDistributionBasisPoints).
std::array<int, 9> BasisPoints() { return kDistributionBasisPoints; }

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
  std::string Finish() { return dump_.Finish(); }  // JSON: valid UTF-8 (json_writer.h)

 private:
  ReferenceDump dump_;
  std::vector<uint8_t> buffer_;
};

}  // namespace
}  // namespace tbview

EMSCRIPTEN_BINDINGS(tbview) {
  using namespace emscripten;
  using namespace tbview;

  // ---- declared shapes (every answer is a plain JS value of one of these) ----
  value_object<FileRow>("FileRow")
      .field("id", &FileRow::id)
      .field("path", &FileRow::path)
      .field("run", &FileRow::run)
      .field("bytes", &FileRow::bytes)
      .field("records", &FileRow::records)
      .field("badCrc", &FileRow::bad_crc)
      .field("badEvents", &FileRow::bad_events)
      .field("status", &FileRow::status)
      .field("message", &FileRow::message)
      .field("detail", &FileRow::detail)
      .field("fileVersion", &FileRow::file_version)
      .field("writer", &FileRow::writer)
      .field("firstWallTime", &FileRow::first_wall_time);
  value_object<TagRow>("TagRow")
      .field("run", &TagRow::run)
      .field("tag", &TagRow::tag)
      .field("plugin", &TagRow::plugin)
      .field("dataClass", &TagRow::data_class)
      .field("displayName", &TagRow::display_name)
      .field("description", &TagRow::description)
      .field("points", &TagRow::points)
      .field("firstStep", &TagRow::first_step)
      .field("lastStep", &TagRow::last_step)
      .field("firstWallTime", &TagRow::first_wall_time)
      .field("lastWallTime", &TagRow::last_wall_time)
      .field("isScalar", &TagRow::is_scalar);
  value_object<EngineStats>("EngineStats")
      .field("retainedBytes", &EngineStats::retained_bytes)
      .field("points", &EngineStats::points)
      .field("blobsHeld", &EngineStats::blobs_held)
      .field("blobBytesHeld", &EngineStats::blob_bytes_held)
      .field("blobsByReference", &EngineStats::blobs_by_reference)
      .field("blobBytesByReference", &EngineStats::blob_bytes_by_reference);
  value_object<ScalarQueryResult>("ScalarsAnswer")
      .field("x", &F64Field<ScalarQueryResult, &ScalarQueryResult::x>, &NoSet<ScalarQueryResult>)
      .field("step", &F64Field<ScalarQueryResult, &ScalarQueryResult::step>, &NoSet<ScalarQueryResult>)
      .field("wallTime", &F64Field<ScalarQueryResult, &ScalarQueryResult::wall_time>,
             &NoSet<ScalarQueryResult>)
      .field("value", &F64Field<ScalarQueryResult, &ScalarQueryResult::value>, &NoSet<ScalarQueryResult>)
      .field("smoothed", &F64Field<ScalarQueryResult, &ScalarQueryResult::smoothed>,
             &NoSet<ScalarQueryResult>)
      .field("total", &NumField<ScalarQueryResult, uint64_t, &ScalarQueryResult::total>,
             &NoSet<ScalarQueryResult>)
      .field("yMin", &ScalarQueryResult::y_min)
      .field("yMax", &ScalarQueryResult::y_max)
      .field("p05", &ScalarQueryResult::p05)
      .field("p95", &ScalarQueryResult::p95);
  value_object<FullColumns>("ScalarsFullAnswer")
      .field("step", &FullColumn<0>, &NoSet<FullColumns>)
      .field("wallTime", &FullColumn<1>, &NoSet<FullColumns>)
      .field("value", &FullColumn<2>, &NoSet<FullColumns>);
  value_object<TensorStepsAnswer>("TensorStepsAnswer")
      .field("step", &F64Field<TensorStepsAnswer, &TensorStepsAnswer::step>, &NoSet<TensorStepsAnswer>)
      .field("wallTime", &F64Field<TensorStepsAnswer, &TensorStepsAnswer::wall_time>,
             &NoSet<TensorStepsAnswer>)
      .field("count", &U32Field<TensorStepsAnswer, &TensorStepsAnswer::count>, &NoSet<TensorStepsAnswer>);
  value_object<BlobRef>("BlobRef")
      .field("fileId", &BlobRef::file)
      .field("offset", &NumField<BlobRef, uint64_t, &BlobRef::offset>, &NoSet<BlobRef>)
      .field("length", &NumField<BlobRef, uint64_t, &BlobRef::length>, &NoSet<BlobRef>);
  value_object<TensorPoint>("TensorAnswer")
      .field("step", &NumField<TensorPoint, int64_t, &TensorPoint::step>, &NoSet<TensorPoint>)
      .field("wallTime", &TensorPoint::wall_time)
      .field("dtype", &TensorDtype, &NoSet<TensorPoint>)
      .field("shape", &TensorShape, &NoSet<TensorPoint>)
      .field("numbers", &TensorNumbers, &NoSet<TensorPoint>)
      .field("strings", &TensorStrings, &NoSet<TensorPoint>)
      .field("refs", &TensorRefs, &NoSet<TensorPoint>);
  value_object<TensorsAnswer>("TensorsAnswer")
      .field("step", &F64Field<TensorsAnswer, &TensorsAnswer::step>, &NoSet<TensorsAnswer>)
      .field("wallTime", &F64Field<TensorsAnswer, &TensorsAnswer::wall_time>, &NoSet<TensorsAnswer>)
      .field("shapes", &TensorsShapes, &NoSet<TensorsAnswer>)
      .field("numbers", &F64Field<TensorsAnswer, &TensorsAnswer::numbers>, &NoSet<TensorsAnswer>)
      .field("offsets", &U32Field<TensorsAnswer, &TensorsAnswer::offsets>, &NoSet<TensorsAnswer>);
  value_object<DistributionsAnswer>("DistributionsAnswer")
      .field("step", &F64Field<DistributionsAnswer, &DistributionsAnswer::step>, &NoSet<DistributionsAnswer>)
      .field("wallTime", &F64Field<DistributionsAnswer, &DistributionsAnswer::wall_time>,
             &NoSet<DistributionsAnswer>)
      .field("basisPoints", &F64Field<DistributionsAnswer, &DistributionsAnswer::basis_points>,
             &NoSet<DistributionsAnswer>);
  value_object<PrCurvePoint>("PrCurve")
      .field("step", &NumField<PrCurvePoint, int64_t, &PrCurvePoint::step>, &NoSet<PrCurvePoint>)
      .field("wallTime", &PrCurvePoint::wall_time)
      .field("thresholds", &F64Field<PrCurvePoint, &PrCurvePoint::thresholds>, &NoSet<PrCurvePoint>)
      .field("tp", &F64Field<PrCurvePoint, &PrCurvePoint::tp>, &NoSet<PrCurvePoint>)
      .field("fp", &F64Field<PrCurvePoint, &PrCurvePoint::fp>, &NoSet<PrCurvePoint>)
      .field("tn", &F64Field<PrCurvePoint, &PrCurvePoint::tn>, &NoSet<PrCurvePoint>)
      .field("fn", &F64Field<PrCurvePoint, &PrCurvePoint::fn>, &NoSet<PrCurvePoint>)
      .field("precision", &F64Field<PrCurvePoint, &PrCurvePoint::precision>, &NoSet<PrCurvePoint>)
      .field("recall", &F64Field<PrCurvePoint, &PrCurvePoint::recall>, &NoSet<PrCurvePoint>);
  value_object<TextView>("TextView")
      .field("rank", &TextView::rank)
      .field("shape", &TextShape, &NoSet<TextView>)
      .field("kind", &TextView::kind)
      .field("markdown", &TextView::markdown)
      .field("rows", &TextRows, &NoSet<TextView>)
      .field("warning", &TextView::warning);
  value_object<HparamsData>("Hparams")
      .field("experiment", &HparamsExperiment, &NoSet<HparamsData>)
      .field("sessions", &HparamsSessions, &NoSet<HparamsData>)
      .field("errors", &ListField<HparamsData, std::string, &HparamsData::errors>, &NoSet<HparamsData>);
  value_object<Experiment>("HparamsExperiment")
      .field("inferred", &ExperimentInferred, &NoSet<Experiment>)
      .field("name", &ExperimentName, &NoSet<Experiment>)
      .field("description", &ExperimentDescription, &NoSet<Experiment>)
      .field("hparamInfos", &ExperimentHparams, &NoSet<Experiment>)
      .field("metricInfos", &ExperimentMetrics, &NoSet<Experiment>);
  value_object<HparamInfoView>("HparamInfo")
      .field("name", &HparamInfoView::name)
      .field("displayName", &HparamInfoView::display_name)
      .field("description", &HparamInfoView::description)
      .field("type", &HparamInfoView::type)
      .field("differs", &HparamInfoView::differs)
      .field("domain", &HparamDomain, &NoSet<HparamInfoView>);
  value_object<MetricInfoView>("MetricInfo")
      .field("group", &MetricInfoView::group)
      .field("tag", &MetricInfoView::tag)
      .field("key", &MetricInfoView::key)
      .field("displayName", &MetricInfoView::display_name)
      .field("description", &MetricInfoView::description)
      .field("datasetType", &MetricInfoView::dataset_type);
  value_object<Session>("HparamsSession")
      .field("run", &SessionRun, &NoSet<Session>)
      .field("groupName", &SessionGroup, &NoSet<Session>)
      .field("hparams", &SessionHparams, &NoSet<Session>)
      .field("status", &SessionStatus, &NoSet<Session>)
      .field("startTime", &SessionStart, &NoSet<Session>)
      .field("endTime", &SessionEnd, &NoSet<Session>)
      .field("metrics", &SessionMetrics, &NoSet<Session>);
  value_object<MetricValue>("MetricValue")
      .field("run", &MetricValue::run)
      .field("last", &MetricValue::last)
      .field("min", &MetricValue::min)
      .field("max", &MetricValue::max)
      .field("step", &NumField<MetricValue, int64_t, &MetricValue::step>, &NoSet<MetricValue>)
      .field("count", &NumField<MetricValue, uint64_t, &MetricValue::count>, &NoSet<MetricValue>);
  value_object<CustomScalarCategory>("CustomScalarCategory")
      .field("title", &CustomScalarCategory::title)
      .field("closed", &CustomScalarCategory::closed)
      .field("charts", &ListField<CustomScalarCategory, CustomScalarChart, &CustomScalarCategory::charts>,
             &NoSet<CustomScalarCategory>);
  value_object<CustomScalarChart>("CustomScalarChart")
      .field("title", &CustomScalarChart::title)
      .field("multiline", &ChartMultiline, &NoSet<CustomScalarChart>)
      .field("margin", &ChartMargin, &NoSet<CustomScalarChart>);
  value_object<Multiline>("CustomScalarMultiline").field("tags", &MultilineTags, &NoSet<Multiline>);
  value_object<Margin>("CustomScalarMargin").field("series", &MarginSeries, &NoSet<Margin>);
  value_object<CustomScalarMarginSeries>("CustomScalarMarginSeries")
      .field("value", &CustomScalarMarginSeries::value)
      .field("lower", &CustomScalarMarginSeries::lower)
      .field("upper", &CustomScalarMarginSeries::upper);
  value_array<std::array<int, 9>>("BasisPoints")
      .element(emscripten::index<0>())
      .element(emscripten::index<1>())
      .element(emscripten::index<2>())
      .element(emscripten::index<3>())
      .element(emscripten::index<4>())
      .element(emscripten::index<5>())
      .element(emscripten::index<6>())
      .element(emscripten::index<7>())
      .element(emscripten::index<8>());

  // ---- the classes ----
  class_<Engine>("Engine")
      .constructor<>()
      .function("openFile", &OpenFile)
      .function("push", &Push)
      .function("endOfData", &EndOfData)
      .function("failFile", &FailFile)
      .function("setFileStatus", &SetFileStatus)
      .function("files", &Files)
      .function("runs", &Runs)
      .function("tags", &Tags)
      .function("scalars", &Scalars)
      .function("scalarsFull", &ScalarsFull)
      .function("tensorSteps", &TensorSteps)
      .function("tensor", &TensorAt)
      .function("tensors", &Tensors)
      .function("blob", &Blob)
      .function("hparams", &Hparams)
      .function("customScalars", &CustomScalars)
      .function("distributions", &Distributions)
      .function("prCurves", &PrCurves)
      .function("text", &Text)
      .function("stats", &Stats)
      .function("shrink", &Engine::Shrink);
  class_<RefDump>("RefDump")
      .constructor<const val&>()
      .function("push", &RefDump::Push)
      .function("finish", &RefDump::Finish);
  function("distributionBasisPoints", &BasisPoints);
}
