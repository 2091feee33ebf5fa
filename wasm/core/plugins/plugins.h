// Plain views of the plugin data the browser's dashboards need: hparams,
// custom scalars, distributions, PR curves and text.
//
// Everything here is read from a Logdir (or one Tensor) and returned as plain
// structs of strings, doubles, vectors and maps, so the Embind layer can hand
// them to JavaScript as plain objects. Nothing keeps a pointer into the Logdir.
//
// Each view follows what TensorBoard's own backend serves (tensorboard/plugins/
// {hparams,custom_scalar,distribution,pr_curve,text}); where it deliberately
// differs, the comment says so and why. All strings taken from protos are made
// valid UTF-8 (invalid bytes become U+FFFD), since they end up as JS strings.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "logdir.h"
#include "series.h"
#include "tensor.h"

namespace tbview {

// ============================== hparams ==============================

// Tags the hparams plugin writes (plugin name "hparams").
extern const char kHparamsExperimentTag[];        // "_hparams_/experiment"
extern const char kHparamsSessionStartInfoTag[];  // "_hparams_/session_start_info"
extern const char kHparamsSessionEndInfoTag[];    // "_hparams_/session_end_info"

// A google.protobuf.Value, flattened.
struct HparamValue {
  // "number", "string", "bool", "null", "list", "struct", or "" (no kind set).
  std::string kind;
  double number = 0;    // kind "number"
  std::string string;   // kind "string"; for "list" / "struct" the value as JSON text
  bool boolean = false; // kind "bool"
};

struct HparamInfoView {
  std::string name;
  std::string display_name;
  std::string description;
  // "unset", "string", "bool", "float64" (upstream DataType, spelled as the
  // web client does).
  std::string type;
  std::string domain;  // "discrete", "interval" or "" (none)
  std::vector<HparamValue> domain_values;  // domain "discrete"
  double interval_min = 0, interval_max = 0;  // domain "interval"
  // Whether sessions hold different values for it (computed from the sessions,
  // for declared experiments too; a session lacking it counts as different).
  bool differs = false;
};

struct MetricInfoView {
  std::string group;  // sub-run of the session ("" = the session's own run)
  std::string tag;
  std::string key;  // "group/tag", or "tag" for group "": the web client's metric id
  std::string display_name;
  std::string description;
  // "unknown", "training", "validation".
  std::string dataset_type;
};

// The scalar series of one metric in one session.
struct MetricValue {
  std::string run;  // the run read: session run joined with the metric's group
  uint64_t count = 0;  // number of points; 0 = the session has no such series
  double last = 0;     // the last point's value: the value TensorBoard shows
  int64_t step = 0;    // the last point's step
  double wall_time = 0;  // the last point's wall time
  double min = 0, max = 0;  // over every point, NaN ignored (NaN if all are NaN)
};

struct HparamsSession {
  std::string run;         // the run holding the session_start_info (session name)
  std::string group_name;  // as written ("" when the writer set none)
  std::map<std::string, HparamValue> hparams;
  std::string model_uri;
  std::string monitor_url;
  double start_time_secs = 0;
  bool has_end = false;  // a session_end_info was found
  // "unknown" (also when there is no end info), "success", "failure",
  // "running" (upstream Status, spelled as the web client does).
  std::string status = "unknown";
  double end_time_secs = 0;
  // metrics[i] is HparamsData::metric_infos[i] in this session.
  std::vector<MetricValue> metrics;
};

struct HparamsData {
  // True when some run has an `_hparams_/experiment`; false when the hparam and
  // metric lists were inferred from the sessions (or there is nothing).
  bool has_experiment = false;
  std::vector<std::string> experiment_runs;  // runs holding an experiment, sorted
  std::string name, description, user;       // of the first experiment
  double time_created_secs = 0;
  std::vector<HparamInfoView> hparam_infos;
  std::vector<MetricInfoView> metric_infos;
  std::vector<HparamsSession> sessions;  // one per run with a session_start_info, by run
  // Plugin contents that did not parse, one message each naming run and tag.
  std::vector<std::string> errors;
};

// Collects the experiment and sessions of every run.
//
// Experiment: the `_hparams_/experiment` of every run, merged in run order
// (hparam infos united by name, metric infos by (group, tag), the first one
// kept). TensorBoard takes one arbitrary experiment; merging gives the same
// answer for the common one-experiment logdir and a useful one for PyTorch's
// add_hparams and Lightning, which write one experiment per run.
// Without any experiment, TensorBoard's inference: hparams from the union of the
// sessions' hparams (type: the common type of their values, else string; string
// and bool get a discrete domain of the distinct values, numbers an interval
// min..max), sorted by name; metrics from every scalar tag of a session run or a
// run below it, the group being the path below the longest session-run ancestor
// ("" for the session run itself; as upstream, the root run "." is no ancestor
// of other runs), sorted by (tag, group).
// Sessions: one per run with a session_start_info; its end info is the same
// run's session_end_info. A metric (group, tag) of a session is the scalar tag
// `tag` of run "<session run>/<group>" (or the session run for group ""; the
// group alone when the session run is ".").
// Contents come from each tag's first metadata (the metadata-first rule).
HparamsData CollectHparams(const Logdir& logdir);

// Summary of one scalar series (count 0 for a null or empty one).
MetricValue SummarizeScalars(const ScalarSeries* series);

// =========================== custom scalars ===========================

extern const char kCustomScalarsConfigTag[];  // "custom_scalars__config__"

struct CustomScalarMarginSeries {
  std::string value;  // tag of the value line
  std::string lower;  // tag of the lower bound
  std::string upper;  // tag of the upper bound
  bool operator==(const CustomScalarMarginSeries& o) const {
    return value == o.value && lower == o.lower && upper == o.upper;
  }
};

struct CustomScalarChart {
  std::string title;
  std::string kind;               // "multiline", "margin", or "" (neither set)
  std::vector<std::string> tags;  // multiline: regular expressions over tags
  std::vector<CustomScalarMarginSeries> series;  // margin
  bool operator==(const CustomScalarChart& o) const {
    return title == o.title && kind == o.kind && tags == o.tags && series == o.series;
  }
};

struct CustomScalarCategory {
  std::string title;
  bool closed = false;
  std::vector<CustomScalarChart> charts;
};

// The Layouts of every run's `custom_scalars__config__` (its first value, a
// string tensor holding one serialized Layout), merged as TensorBoard's
// layout_impl does: runs in sorted order, a category whose title was seen
// before gets the charts it does not already have (equal title and content),
// others are appended. (Upstream drops charts merged into a category first met
// in a later run, a bookkeeping slip; here they are kept.) Layouts that do not
// parse are skipped and, when `errors` is given, reported there.
std::vector<CustomScalarCategory> CollectCustomScalars(const Logdir& logdir,
                                                       std::vector<std::string>* errors = nullptr);

// ============================ distributions ============================

// TensorBoard's NORMAL_HISTOGRAM_BPS: min, the normal distribution's -1.5, -1,
// -0.5, 0, 0.5, 1, 1.5 standard deviations, max, in basis points.
extern const std::array<int, 9> kDistributionBasisPoints;

// The values at kDistributionBasisPoints of a histogram tensor [k, 3] of rows
// (left, right, count), as TensorBoard's compressor.compress_histogram computes
// them: cumulative weights counts*10000/sum (numpy's pairwise sum, in float32
// for a float32 tensor as numpy does), for each basis point the first bucket
// whose cumulative weight exceeds it (skipping zero-weight buckets), linear
// interpolation between its left edge (the overall min for the first bucket
// or when nothing precedes it) and right edge (clamped to the overall max);
// basis points past the last weight get the overall max (last row's right).
// The interpolation itself is done in double, as numpy 1.x does for scalars.
// An empty tensor, or one that is not a numeric [k, 3], gives nine zeros.
std::array<double, 9> DistributionBasisPoints(const Tensor& histogram_k_by_3);

// ============================== PR curves ==============================

// One PR curve value. Vectors are of equal length: the thresholds kept.
struct PrCurvePoint {
  int64_t step = 0;
  double wall_time = 0;
  std::vector<double> thresholds;  // i / (n - 1), n = the tensor's width (0 for n == 1)
  std::vector<double> tp, fp, tn, fn;
  std::vector<double> precision, recall;
};

// Reads a [6, n] tensor (rows TP, FP, TN, FN, precision, recall). As
// TensorBoard's pr_curves plugin does, trailing thresholds where TP + FP == 0
// (precision undefined; counts truncated to integers) are dropped, keeping at
// least the first one, unless trim_tail is false. False (out untouched) when the
// tensor is not numeric [6, n] with n >= 1.
bool MakePrCurvePoint(const TensorPoint& point, PrCurvePoint* out, bool trim_tail = true);

// Every point of a series (points whose tensor is not [6, n] are skipped).
std::vector<PrCurvePoint> PrCurvePoints(const TensorSeries& series, bool trim_tail = true);

// ================================ text ================================

// How the text dashboard shows one string tensor, as TensorBoard's
// text_array_to_html lays it out (the Markdown itself is rendered in the browser).
struct TextView {
  int rank = 0;                 // of the original tensor
  std::vector<int64_t> shape;   // of the original tensor
  std::string kind;             // "markdown" (rank 0) or "table" (rank >= 1)
  std::string markdown;         // rank 0: the string
  // rank 1: one row per element, one cell each; rank 2: the rows; rank > 2: the
  // first 2-D slice (index 0 on every leading dimension). Cells are Markdown.
  std::vector<std::vector<std::string>> rows;
  // Non-empty for rank > 2: TensorBoard's notice that only a 2-D slice is shown.
  std::string warning;
};

// Numeric tensors are shown too (numbers in shortest round-trip form, bools as
// "True"/"False" like numpy's str), for text tags written with another dtype.
TextView MakeTextView(const Tensor& tensor);

}  // namespace tbview
