// The engine: everything open in one parser (a Logdir) and the queries the page
// asks of it, as an ordinary C++ class. Plain structs in, plain structs out; the
// Embind layer (wasm/bindings) only marshals them, and the native tests call the
// very same class.
//
// Rules that live here, once:
// - Query validation and clamping: a scalars query's axis name, x range, width
//   and smoothing (ScalarsRequest says how); a bad axis name is an error, every
//   number is clamped to what makes sense.
// - Names are exact: the logdir stores run and tag names as valid UTF-8 (repaired
//   at ingestion, utf8.h), and the caller's names are valid UTF-8 (JS strings), so
//   a name the engine gave out finds its series as is.
// - Every string in an answer is valid UTF-8 (names by ingestion, free text such
//   as messages and writer names by ToValidUtf8 here).
// - What the page shows for a file (FileRow::status and ::detail) is decided
//   here, including the statuses only the caller can see happen (cancelled, read
//   error: SetFileStatus).
// - Per-plugin rules: how many items a step of an image or audio tag holds
//   (TensorSteps), distributions' basis points, PR curves' trimming and the text
//   view (the plugin modules, exposed per tag).
//
// Numbers that are counts are doubles: exact below 2^53, and what JS holds.
// Answers that point into the logdir (TensorAt, Blob) are valid until the next
// call that opens or pushes.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "downsample.h"
#include "input_limits.h"
#include "logdir.h"
#include "plugins.h"
#include "series.h"

namespace tbview {

// One file as the page lists it.
struct FileRow {
  int id = -1;  // what OpenFile returned
  std::string path;
  std::string run;
  double bytes = 0;    // pushed so far
  double records = 0;  // good records
  double bad_crc = 0;
  double bad_events = 0;
  std::string status;   // FileStatusName: "loading", "ok", "waiting", "not_event_file", ...
  std::string message;  // the whole sentence, naming the file ("" when there is nothing to say)
  std::string detail;   // what to show after the status word (see FileInfo::detail)
  std::string file_version;
  std::string writer;
  double first_wall_time = 0;
};

// One (run, tag) as the page lists it.
struct TagRow {
  std::string run;
  std::string tag;
  std::string plugin;
  int data_class = 0;
  std::string display_name;
  std::string description;
  double points = 0;
  double first_step = 0, last_step = 0;
  double first_wall_time = 0, last_wall_time = 0;
  bool is_scalar = false;
};

// A scalars query as the caller states it: every field may be left at its
// "unset" value and gets the default.
struct ScalarsRequest {
  // "step" (also ""), "relative" (seconds since the first point), or "wall"
  // ("wall_time" and "wallTime" too). Anything else is an error.
  std::string x_axis;
  // The x range, inclusive; NaN or infinite = unbounded on that side.
  double x0 = NAN, x1 = NAN;
  // Pixel columns; NaN = 1000; rounded, then clamped to [1, 1e6] (a pixel count
  // bounds the output).
  double width = NAN;
  // EMA weight; NaN = 0; clamped to [0, 0.999] (TensorBoard's slider maximum).
  double smoothing = NAN;
};

// The checked form of a request (what QueryScalars gets). False and *error set
// when the axis name is unknown.
bool ValidateScalarsRequest(const ScalarsRequest& request, ScalarQuery* query, std::string* error);

// The points of one series along one axis: steps, wall times and values.
struct TensorStepsAnswer {
  std::vector<double> step, wall_time;
  // Items per point: images of an image tensor [w, h, img...], clips of an
  // audio tensor [k, 2], else 1.
  std::vector<uint32_t> count;
};

// Every point of a numeric tensor series, columnar.
struct TensorsAnswer {
  std::vector<double> step, wall_time;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<double> numbers;    // all points concatenated
  std::vector<uint32_t> offsets;  // n + 1 starts into `numbers`
};

// One string element of a tensor point: held bytes, or a reference into a file.
struct BlobAnswer {
  bool by_reference = false;
  BlobRef ref;             // when by_reference
  std::string_view bytes;  // otherwise (into the logdir)
};

// The distribution of every step of a histogram series.
struct DistributionsAnswer {
  std::vector<double> step, wall_time;
  // Nine values per step (kDistributionBasisPoints), step after step.
  std::vector<double> basis_points;
};

struct EngineStats {
  double retained_bytes = 0;
  double points = 0;
  // Encoded images and clips held in memory, and kept by reference.
  double blobs_held = 0, blob_bytes_held = 0;
  double blobs_by_reference = 0, blob_bytes_by_reference = 0;
};

class Engine {
 public:
  explicit Engine(const Limits& limits = Limits()) : logdir_(limits) {}

  // ---- input ----
  // Names are repaired to valid UTF-8 here (see logdir.h).
  int OpenFile(std::string_view path) { return logdir_.OpenFile(path); }
  bool ValidFile(int id) const { return id >= 0 && static_cast<size_t>(id) < logdir_.files().size(); }
  // The next bytes of file `id`. False (nothing done) for an unknown id.
  bool Push(int id, const uint8_t* data, size_t size);
  bool EndOfData(int id);
  // A failure seen outside the core, said in the caller's words: the file ends
  // as corrupt with `message`, keeping what was read.
  bool FailFile(int id, std::string message);
  // Ends a file with a status only the caller sees happen: "cancelled",
  // "read_error" (also "corrupt", "limit"), keeping what was read; `detail` says
  // how far it got. False with *error for an unknown id or status.
  bool SetFileStatus(int id, std::string_view status, std::string detail, std::string* error);
  // Releases spare capacity: call when loading has settled.
  void Shrink() { logdir_.Shrink(); }

  // ---- lists ----
  std::vector<FileRow> Files() const;
  std::vector<std::string> Runs() const { return logdir_.Runs(); }
  std::vector<TagRow> Tags() const;
  EngineStats Stats() const;

  // ---- series; false when (run, tag) has no such series ----
  enum class Answer { kOk, kNotFound, kBadRequest };
  // The series reduced for one chart (see downsample.h); kBadRequest with
  // *error when the request is invalid (ValidateScalarsRequest).
  Answer Scalars(std::string_view run, std::string_view tag, const ScalarsRequest& request,
                 ScalarQueryResult* out, std::string* error) const;
  // One column of every stored point (for export): 0 step, 1 wall time, 2 value.
  // One column at a time, so a caller copying them out holds one at a time.
  bool ScalarsColumn(std::string_view run, std::string_view tag, int column, std::vector<double>* out) const;
  bool TensorSteps(std::string_view run, std::string_view tag, TensorStepsAnswer* out) const;
  // Point `index` of a tensor series, or nullptr.
  const TensorPoint* TensorAt(std::string_view run, std::string_view tag, int index) const;
  bool Tensors(std::string_view run, std::string_view tag, TensorsAnswer* out) const;
  // String element `element` of point `index`; false when there is none.
  bool Blob(std::string_view run, std::string_view tag, int index, int element, BlobAnswer* out) const;

  // ---- plugin views ----
  HparamsData Hparams() const { return CollectHparams(logdir_); }
  // The merged layouts; charts that are neither multiline nor margin (nothing
  // to draw) are left out.
  std::vector<CustomScalarCategory> CustomScalars() const;
  bool Distributions(std::string_view run, std::string_view tag, DistributionsAnswer* out) const;
  bool PrCurves(std::string_view run, std::string_view tag, std::vector<PrCurvePoint>* out) const;
  // The text view of point `index` of a text series.
  bool Text(std::string_view run, std::string_view tag, int index, TextView* out) const;

  const Logdir& logdir() const { return logdir_; }

 private:
  Logdir logdir_;
};

}  // namespace tbview
