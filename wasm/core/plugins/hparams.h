// The hparams plugin's view: the experiment (declared, or inferred from the
// sessions as TensorBoard does) and one session per run, with its metrics read
// from the runs' scalar series. See tensorboard/plugins/hparams; where this
// differs, the comment at CollectHparams says so and why. Every string is valid
// UTF-8 (ToValidUtf8), since it ends up as a JS string.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "logdir.h"
#include "series.h"

namespace tbview {

// Tags the hparams plugin writes (plugin name "hparams").
extern const char kHparamsExperimentTag[];        // "_hparams_/experiment"
extern const char kHparamsSessionStartInfoTag[];  // "_hparams_/session_start_info"
extern const char kHparamsSessionEndInfoTag[];    // "_hparams_/session_end_info"

// A google.protobuf.Value, flattened.
struct HparamValue {
  // "number", "string", "bool", "null", "list", "struct", or "" (no kind set).
  std::string kind;
  double number = 0;     // kind "number"
  std::string string;    // kind "string"; for "list" / "struct" the value as JSON text
  bool boolean = false;  // kind "bool"
};

struct HparamInfoView {
  std::string name;
  std::string display_name;
  std::string description;
  // "unset", "string", "bool", "float64" (upstream DataType, spelled as the
  // web client does).
  std::string type;
  std::string domain;                         // "discrete", "interval" or "" (none)
  std::vector<HparamValue> domain_values;     // domain "discrete"
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
  std::string run;          // the run read: session run joined with the metric's group
  uint64_t count = 0;       // number of points; 0 = the session has no such series
  double last = 0;          // the last point's value: the value TensorBoard shows
  int64_t step = 0;         // the last point's step
  double wall_time = 0;     // the last point's wall time
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

}  // namespace tbview
