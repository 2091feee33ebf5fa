#include "engine.h"

#include <algorithm>
#include <cmath>

#include "utf8.h"

namespace tbview {

namespace {

// Counts as JS numbers (exact below 2^53, which every count here is).
double Num(uint64_t v) { return static_cast<double>(v); }
double Num(int64_t v) { return static_cast<double>(v); }

bool StatusFromName(std::string_view name, FileStatus* out) {
  static const FileStatus kSettable[] = {FileStatus::kCancelled, FileStatus::kReadError, FileStatus::kCorrupt,
                                         FileStatus::kLimit};
  for (FileStatus s : kSettable) {
    if (name == FileStatusName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

}  // namespace

bool ValidateScalarsRequest(const ScalarsRequest& r, ScalarQuery* q, std::string* error) {
  const std::string& a = r.x_axis;
  if (a.empty() || a == "step")
    q->x_axis = ScalarQuery::kStep;
  else if (a == "relative")
    q->x_axis = ScalarQuery::kRelative;
  else if (a == "wall" || a == "wall_time" || a == "wallTime")
    q->x_axis = ScalarQuery::kWallTime;
  else {
    *error = "scalars(): xAxis must be 'step', 'relative' or 'wall'";
    return false;
  }
  q->x0 = std::isfinite(r.x0) ? r.x0 : NAN;
  q->x1 = std::isfinite(r.x1) ? r.x1 : NAN;
  double width = std::isnan(r.width) ? 1000 : std::round(r.width);
  if (!(width >= 1)) width = 1;
  if (width > 1e6) width = 1e6;
  q->width = static_cast<int>(width);
  double smoothing = std::isnan(r.smoothing) ? 0 : r.smoothing;
  if (!(smoothing >= 0)) smoothing = 0;
  if (smoothing > 0.999) smoothing = 0.999;
  q->smoothing = smoothing;
  return true;
}

// ---- input ----

bool Engine::Push(int id, const uint8_t* data, size_t size) {
  if (!ValidFile(id)) return false;
  logdir_.Push(id, data, size);
  return true;
}

bool Engine::EndOfData(int id) {
  if (!ValidFile(id)) return false;
  logdir_.EndOfData(id);
  return true;
}

bool Engine::FailFile(int id, std::string message) {
  if (!ValidFile(id)) return false;
  logdir_.FailFile(id, FileStatus::kCorrupt, std::move(message));
  return true;
}

bool Engine::SetFileStatus(int id, std::string_view status, std::string detail, std::string* error) {
  if (!ValidFile(id)) {
    *error = "unknown file id";
    return false;
  }
  FileStatus s;
  if (!StatusFromName(status, &s)) {
    *error = "setFileStatus(): status must be 'cancelled', 'read_error', 'corrupt' or 'limit'";
    return false;
  }
  logdir_.StopFile(id, s, std::move(detail));
  return true;
}

// ---- lists ----

std::vector<FileRow> Engine::Files() const {
  const FileList files = logdir_.files();
  std::vector<FileRow> out;
  out.reserve(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const FileInfo& f = files[i];
    FileRow r;
    r.id = static_cast<int>(i);
    r.path = f.path;  // valid UTF-8 (ingestion)
    r.run = f.run;
    r.bytes = Num(f.bytes);
    r.records = Num(f.records);
    r.bad_crc = Num(f.bad_crc);
    r.bad_events = Num(f.bad_events);
    r.status = FileStatusName(f.status);
    r.message = ToValidUtf8(f.message);
    r.detail = ToValidUtf8(f.detail);
    r.file_version = ToValidUtf8(f.file_version);
    r.writer = ToValidUtf8(f.writer);
    r.first_wall_time = f.first_wall_time;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<TagRow> Engine::Tags() const {
  std::vector<TagRow> out;
  for (TagInfo& t : logdir_.Tags()) {
    TagRow r;
    r.run = std::move(t.run);
    r.tag = std::move(t.tag);
    r.plugin = std::move(t.metadata.plugin_name);
    r.data_class = t.metadata.data_class;
    r.display_name = std::move(t.metadata.display_name);
    r.description = std::move(t.metadata.description);
    r.points = Num(t.points);
    r.first_step = Num(t.first_step);
    r.last_step = Num(t.last_step);
    r.first_wall_time = t.first_wall_time;
    r.last_wall_time = t.last_wall_time;
    r.is_scalar = t.is_scalar;
    out.push_back(std::move(r));
  }
  return out;
}

EngineStats Engine::Stats() const {
  EngineStats s;
  s.retained_bytes = Num(logdir_.RetainedBytes());
  s.points = Num(logdir_.TotalPoints());
  const BlobStats b = logdir_.Blobs();
  s.blobs_held = Num(b.held);
  s.blob_bytes_held = Num(b.held_bytes);
  s.blobs_by_reference = Num(b.by_reference);
  s.blob_bytes_by_reference = Num(b.by_reference_bytes);
  return s;
}

// ---- series ----

Engine::Answer Engine::Scalars(std::string_view run, std::string_view tag, const ScalarsRequest& request,
                               ScalarQueryResult* out, std::string* error) const {
  ScalarQuery query;
  if (!ValidateScalarsRequest(request, &query, error)) return Answer::kBadRequest;
  const ScalarSeries* s = logdir_.Scalars(run, tag);
  if (!s) return Answer::kNotFound;
  QueryScalars(*s, query, out);
  return Answer::kOk;
}

bool Engine::ScalarsColumn(std::string_view run, std::string_view tag, int column,
                           std::vector<double>* out) const {
  const ScalarSeries* s = logdir_.Scalars(run, tag);
  if (!s || column < 0 || column > 2) return false;
  const size_t n = s->size();
  out->resize(n);
  for (size_t i = 0; i < n; ++i) {
    (*out)[i] = column == 0 ? static_cast<double>(s->step(i)) : column == 1 ? s->wall_time(i) : s->value(i);
  }
  return true;
}

bool Engine::TensorSteps(std::string_view run, std::string_view tag, TensorStepsAnswer* out) const {
  const TensorSeries* s = logdir_.Tensors(run, tag);
  if (!s) return false;
  const std::string& plugin = logdir_.Metadata(run, tag)->plugin_name;
  const std::vector<TensorPoint>& pts = s->points();
  out->step.resize(pts.size());
  out->wall_time.resize(pts.size());
  out->count.resize(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    out->step[i] = static_cast<double>(pts[i].step);
    out->wall_time[i] = pts[i].wall_time;
    const Tensor& t = pts[i].tensor;
    uint64_t n = 1;
    if (plugin == "images" && t.is_string())
      n = t.strings.size() >= 2 ? t.strings.size() - 2 : 0;
    else if (plugin == "audio" && t.is_string())
      n = t.shape.size() == 2 ? t.shape[0] : t.strings.size();
    out->count[i] = static_cast<uint32_t>(n);
  }
  return true;
}

const TensorPoint* Engine::TensorAt(std::string_view run, std::string_view tag, int index) const {
  const TensorSeries* s = logdir_.Tensors(run, tag);
  if (!s || index < 0 || static_cast<size_t>(index) >= s->points().size()) return nullptr;
  return &s->points()[index];
}

bool Engine::Tensors(std::string_view run, std::string_view tag, TensorsAnswer* out) const {
  const TensorSeries* s = logdir_.Tensors(run, tag);
  if (!s) return false;
  const std::vector<TensorPoint>& pts = s->points();
  size_t total = 0;
  for (const TensorPoint& p : pts) total += p.tensor.numbers.size();
  *out = TensorsAnswer();
  out->step.resize(pts.size());
  out->wall_time.resize(pts.size());
  out->shapes.resize(pts.size());
  out->offsets.assign(pts.size() + 1, 0);
  out->numbers.reserve(total);
  for (size_t i = 0; i < pts.size(); ++i) {
    out->step[i] = static_cast<double>(pts[i].step);
    out->wall_time[i] = pts[i].wall_time;
    out->shapes[i] = pts[i].tensor.shape;
    out->numbers.insert(out->numbers.end(), pts[i].tensor.numbers.begin(), pts[i].tensor.numbers.end());
    out->offsets[i + 1] = static_cast<uint32_t>(out->numbers.size());
  }
  return true;
}

bool Engine::Blob(std::string_view run, std::string_view tag, int index, int element, BlobAnswer* out) const {
  const TensorPoint* p = TensorAt(run, tag, index);
  if (!p) return false;
  const Tensor& t = p->tensor;
  if (!t.is_string() || element < 0 || static_cast<size_t>(element) >= t.strings.size()) return false;
  *out = BlobAnswer();
  if (!p->blobs.empty() && p->blobs[element].valid()) {
    out->by_reference = true;
    out->ref = p->blobs[element];
  } else {
    out->bytes = t.strings[element];
  }
  return true;
}

// ---- plugin views ----

std::vector<CustomScalarCategory> Engine::CustomScalars() const {
  std::vector<CustomScalarCategory> out = CollectCustomScalars(logdir_);
  for (CustomScalarCategory& c : out) {
    c.charts.erase(std::remove_if(c.charts.begin(), c.charts.end(),
                                  [](const CustomScalarChart& ch) { return ch.kind.empty(); }),
                   c.charts.end());
  }
  return out;
}

bool Engine::Distributions(std::string_view run, std::string_view tag, DistributionsAnswer* out) const {
  const TensorSeries* s = logdir_.Tensors(run, tag);
  if (!s) return false;
  const std::vector<TensorPoint>& pts = s->points();
  *out = DistributionsAnswer();
  out->step.reserve(pts.size());
  out->wall_time.reserve(pts.size());
  out->basis_points.reserve(pts.size() * kDistributionBasisPoints.size());
  for (const TensorPoint& p : pts) {
    out->step.push_back(static_cast<double>(p.step));
    out->wall_time.push_back(p.wall_time);
    const std::array<double, 9> bps = DistributionBasisPoints(p.tensor);
    out->basis_points.insert(out->basis_points.end(), bps.begin(), bps.end());
  }
  return true;
}

bool Engine::PrCurves(std::string_view run, std::string_view tag, std::vector<PrCurvePoint>* out) const {
  const TensorSeries* s = logdir_.Tensors(run, tag);
  if (!s) return false;
  *out = PrCurvePoints(*s);
  return true;
}

bool Engine::Text(std::string_view run, std::string_view tag, int index, TextView* out) const {
  const TensorPoint* p = TensorAt(run, tag, index);
  if (!p) return false;
  *out = MakeTextView(p->tensor);
  return true;
}

}  // namespace tbview
