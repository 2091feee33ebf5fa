#include "hparams.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <utility>

#include "json_writer.h"
#include "proto/plugins.pb.h"
#include "utf8.h"

namespace tbview {

namespace pb = ::tbview::proto;

const char kHparamsExperimentTag[] = "_hparams_/experiment";
const char kHparamsSessionStartInfoTag[] = "_hparams_/session_start_info";
const char kHparamsSessionEndInfoTag[] = "_hparams_/session_end_info";

namespace {

constexpr char kHparamsPlugin[] = "hparams";

// ---------------------------- hparams helpers ----------------------------

void WriteValueJson(const pb::Value& v, JsonWriter* w);

void WriteStructJson(const pb::Struct& s, JsonWriter* w) {
  std::vector<const std::string*> keys;
  for (const auto& kv : s.fields()) keys.push_back(&kv.first);
  std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  w->BeginObject();
  for (const std::string* k : keys) {
    w->Key(*k);
    WriteValueJson(s.fields().at(*k), w);
  }
  w->EndObject();
}

void WriteValueJson(const pb::Value& v, JsonWriter* w) {
  switch (v.kind_case()) {
    case pb::Value::kNumberValue: w->Double(v.number_value(), "NaN", "Infinity", "-Infinity"); break;
    case pb::Value::kStringValue: w->String(v.string_value()); break;
    case pb::Value::kBoolValue: w->Bool(v.bool_value()); break;
    case pb::Value::kStructValue: WriteStructJson(v.struct_value(), w); break;
    case pb::Value::kListValue:
      w->BeginArray();
      for (const auto& e : v.list_value().values()) WriteValueJson(e, w);
      w->EndArray();
      break;
    default: w->Null(); break;
  }
}

HparamValue FromProtoValue(const pb::Value& v) {
  HparamValue out;
  switch (v.kind_case()) {
    case pb::Value::kNullValue: out.kind = "null"; break;
    case pb::Value::kNumberValue:
      out.kind = "number";
      out.number = v.number_value();
      break;
    case pb::Value::kStringValue:
      out.kind = "string";
      out.string = ToValidUtf8(v.string_value());
      break;
    case pb::Value::kBoolValue:
      out.kind = "bool";
      out.boolean = v.bool_value();
      break;
    case pb::Value::kStructValue:
    case pb::Value::kListValue: {
      out.kind = v.kind_case() == pb::Value::kListValue ? "list" : "struct";
      JsonWriter w(0);
      WriteValueJson(v, &w);
      out.string = w.Take();
      break;
    }
    default: break;
  }
  return out;
}

bool SameValue(const HparamValue& a, const HparamValue& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == "number") return a.number == b.number || (std::isnan(a.number) && std::isnan(b.number));
  if (a.kind == "bool") return a.boolean == b.boolean;
  return a.string == b.string;
}

const char* DataTypeName(int t) {
  switch (t) {
    case pb::DATA_TYPE_STRING: return "string";
    case pb::DATA_TYPE_BOOL: return "bool";
    case pb::DATA_TYPE_FLOAT64: return "float64";
    default: return "unset";
  }
}

const char* DatasetTypeName(int t) {
  switch (t) {
    case pb::DATASET_TRAINING: return "training";
    case pb::DATASET_VALIDATION: return "validation";
    default: return "unknown";
  }
}

const char* StatusName(int s) {
  switch (s) {
    case pb::STATUS_SUCCESS: return "success";
    case pb::STATUS_FAILURE: return "failure";
    case pb::STATUS_RUNNING: return "running";
    default: return "unknown";
  }
}

HparamInfoView FromProtoHparamInfo(const pb::HParamInfo& p) {
  HparamInfoView h;
  h.name = ToValidUtf8(p.name());
  h.display_name = ToValidUtf8(p.display_name());
  h.description = ToValidUtf8(p.description());
  h.type = DataTypeName(p.type());
  if (p.has_domain_discrete()) {
    h.domain = "discrete";
    for (const auto& v : p.domain_discrete().values()) h.domain_values.push_back(FromProtoValue(v));
  } else if (p.has_domain_interval()) {
    h.domain = "interval";
    h.interval_min = p.domain_interval().min_value();
    h.interval_max = p.domain_interval().max_value();
  }
  return h;
}

std::string MetricKey(const std::string& group, const std::string& tag) {
  return group.empty() ? tag : group + "/" + tag;
}

MetricInfoView FromProtoMetricInfo(const pb::MetricInfo& p) {
  MetricInfoView m;
  m.group = ToValidUtf8(p.name().group());
  m.tag = ToValidUtf8(p.name().tag());
  m.display_name = ToValidUtf8(p.display_name());
  m.description = ToValidUtf8(p.description());
  m.dataset_type = DatasetTypeName(p.dataset_type());
  m.key = MetricKey(m.group, m.tag);
  return m;
}

// Python's json_format text of a number / bool Value, as TensorBoard's
// _protobuf_value_to_string gives it (strings lose their quotes).
std::string ValueToDomainString(const HparamValue& v) {
  if (v.kind == "number") {
    if (std::isnan(v.number)) return "\"NaN\"";
    if (std::isinf(v.number)) return v.number > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return FormatDouble(v.number);
  }
  if (v.kind == "bool") return v.boolean ? "true" : "false";
  return v.string;
}

// TensorBoard's _compute_hparam_info_from_values.
bool InferHparamInfo(const std::string& name, const std::vector<HparamValue>& values, HparamInfoView* out) {
  std::string type;
  for (const HparamValue& v : values) {
    std::string t = v.kind == "number"   ? "float64"
                    : v.kind == "string" ? "string"
                    : v.kind == "bool"   ? "bool"
                                         : "";
    if (t.empty()) continue;
    if (type.empty())
      type = t;
    else if (type != t)
      type = "string";
    if (type == "string") break;
  }
  if (type.empty()) return false;
  HparamInfoView h;
  h.name = name;
  h.type = type;
  if (type == "string") {
    std::set<std::string> distinct;
    for (const HparamValue& v : values)
      if (v.kind == "number" || v.kind == "string" || v.kind == "bool")
        distinct.insert(ValueToDomainString(v));
    h.domain = "discrete";
    for (const std::string& s : distinct) {
      HparamValue d;
      d.kind = "string";
      d.string = s;
      h.domain_values.push_back(std::move(d));
    }
  } else if (type == "bool") {
    std::set<bool> distinct;
    for (const HparamValue& v : values) distinct.insert(v.kind == "bool" && v.boolean);
    h.domain = "discrete";
    for (bool b : distinct) {
      HparamValue d;
      d.kind = "bool";
      d.boolean = b;
      h.domain_values.push_back(d);
    }
  } else {
    std::vector<double> numbers;
    for (const HparamValue& v : values) numbers.push_back(v.kind == "number" ? v.number : 0.0);
    std::sort(numbers.begin(), numbers.end());
    if (!numbers.empty()) {
      h.domain = "interval";
      h.interval_min = numbers.front();
      h.interval_max = numbers.back();
    }
  }
  *out = std::move(h);
  return true;
}

// os.path.dirname for run names ("a/b" -> "a", "a" -> "").
std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

// TensorBoard's _find_longest_parent_path: the longest of `runs` that is `run`
// or one of its ancestors, or nullptr.
const std::string* LongestParentRun(const std::set<std::string, std::less<>>& runs, std::string_view run) {
  for (;;) {
    auto it = runs.find(run);
    if (it != runs.end()) return &*it;
    if (run.empty()) return nullptr;
    run = DirName(run);
  }
}

std::string MetricRun(const std::string& session_run, const std::string& group) {
  if (group.empty()) return session_run;
  if (session_run == "." || session_run.empty()) return group;
  return session_run + "/" + group;
}

bool ParsePluginData(const TagInfo& t, pb::HParamsPluginData* out, std::vector<std::string>* errors) {
  if (out->ParseFromString(t.metadata.plugin_content)) return true;
  errors->push_back("run " + ToValidUtf8(t.run) + ", tag " + ToValidUtf8(t.tag) +
                    ": hparams plugin content does not parse");
  return false;
}

}  // namespace

MetricValue SummarizeScalars(const ScalarSeries* series) {
  MetricValue m;
  if (series == nullptr || series->size() == 0) return m;
  const size_t n = series->size();
  m.count = n;
  m.last = series->value(n - 1);
  m.step = series->step(n - 1);
  m.wall_time = series->wall_time(n - 1);
  m.min = m.max = std::nan("");
  for (size_t i = 0; i < n; ++i) {
    double v = series->value(i);
    if (std::isnan(v)) continue;
    if (std::isnan(m.min) || v < m.min) m.min = v;
    if (std::isnan(m.max) || v > m.max) m.max = v;
  }
  return m;
}

HparamsData CollectHparams(const Logdir& logdir) {
  HparamsData data;
  const std::vector<TagInfo> tags = logdir.Tags();  // sorted by run, then tag

  // Pass 1: experiments, session starts and ends.
  std::map<std::string, const TagInfo*> end_infos;  // run -> tag
  std::set<std::string> hparam_names_seen;
  std::set<std::pair<std::string, std::string>> metric_names_seen;
  for (const TagInfo& t : tags) {
    if (t.metadata.plugin_name != kHparamsPlugin) continue;
    if (t.tag == kHparamsExperimentTag) {
      pb::HParamsPluginData pd;
      if (!ParsePluginData(t, &pd, &data.errors)) continue;
      if (!pd.has_experiment()) {
        data.errors.push_back("run " + ToValidUtf8(t.run) + ": " + kHparamsExperimentTag +
                              " holds no experiment");
        continue;
      }
      const pb::Experiment& e = pd.experiment();
      if (!data.has_experiment) {
        data.has_experiment = true;
        data.name = ToValidUtf8(e.name());
        data.description = ToValidUtf8(e.description());
        data.user = ToValidUtf8(e.user());
        data.time_created_secs = e.time_created_secs();
      }
      data.experiment_runs.push_back(t.run);
      for (const auto& hi : e.hparam_infos()) {
        HparamInfoView h = FromProtoHparamInfo(hi);
        if (hparam_names_seen.insert(h.name).second) data.hparam_infos.push_back(std::move(h));
      }
      for (const auto& mi : e.metric_infos()) {
        MetricInfoView m = FromProtoMetricInfo(mi);
        if (metric_names_seen.insert({m.group, m.tag}).second) data.metric_infos.push_back(std::move(m));
      }
    } else if (t.tag == kHparamsSessionStartInfoTag) {
      pb::HParamsPluginData pd;
      if (!ParsePluginData(t, &pd, &data.errors)) continue;
      if (!pd.has_session_start_info()) {
        data.errors.push_back("run " + ToValidUtf8(t.run) + ": " + kHparamsSessionStartInfoTag +
                              " holds no session_start_info");
        continue;
      }
      const pb::SessionStartInfo& s = pd.session_start_info();
      HparamsSession session;
      session.run = t.run;
      session.group_name = ToValidUtf8(s.group_name());
      session.model_uri = ToValidUtf8(s.model_uri());
      session.monitor_url = ToValidUtf8(s.monitor_url());
      session.start_time_secs = s.start_time_secs();
      for (const auto& kv : s.hparams()) session.hparams[ToValidUtf8(kv.first)] = FromProtoValue(kv.second);
      data.sessions.push_back(std::move(session));
    } else if (t.tag == kHparamsSessionEndInfoTag) {
      end_infos[t.run] = &t;
    }
  }

  for (HparamsSession& s : data.sessions) {
    auto it = end_infos.find(s.run);
    if (it == end_infos.end()) continue;
    pb::HParamsPluginData pd;
    if (!ParsePluginData(*it->second, &pd, &data.errors)) continue;
    if (!pd.has_session_end_info()) continue;
    s.has_end = true;
    s.status = StatusName(pd.session_end_info().status());
    s.end_time_secs = pd.session_end_info().end_time_secs();
  }

  // Without an experiment: infer, as TensorBoard's _compute_experiment_from_runs.
  if (!data.has_experiment) {
    std::map<std::string, std::vector<HparamValue>> values;  // sorted by name
    for (const HparamsSession& s : data.sessions)
      for (const auto& kv : s.hparams) values[kv.first].push_back(kv.second);
    for (const auto& kv : values) {
      HparamInfoView h;
      if (InferHparamInfo(kv.first, kv.second, &h)) data.hparam_infos.push_back(std::move(h));
    }
    if (!data.hparam_infos.empty()) {
      std::set<std::string, std::less<>> session_runs;
      for (const HparamsSession& s : data.sessions) session_runs.insert(s.run);
      std::set<std::pair<std::string, std::string>> names;  // (tag, group)
      for (const TagInfo& t : tags) {
        if (!t.is_scalar) continue;
        const std::string* session = LongestParentRun(session_runs, t.run);
        if (session == nullptr) continue;
        std::string group = t.run == *session ? std::string() : t.run.substr(session->size() + 1);
        names.insert({t.tag, group});
      }
      for (const auto& n : names) {
        MetricInfoView m;
        m.tag = n.first;
        m.group = n.second;
        m.dataset_type = DatasetTypeName(0);
        m.key = MetricKey(m.group, m.tag);
        data.metric_infos.push_back(std::move(m));
      }
    }
  }

  // differs: whether sessions disagree on an hparam (missing counts as a value).
  for (HparamInfoView& h : data.hparam_infos) {
    const HparamValue* first = nullptr;
    bool first_missing = false, seen_any = false;
    for (const HparamsSession& s : data.sessions) {
      auto it = s.hparams.find(h.name);
      const HparamValue* v = it == s.hparams.end() ? nullptr : &it->second;
      if (!seen_any) {
        seen_any = true;
        first = v;
        first_missing = v == nullptr;
        continue;
      }
      if ((v == nullptr) != first_missing || (v != nullptr && !SameValue(*v, *first))) {
        h.differs = true;
        break;
      }
    }
  }

  // Metric values per session.
  for (HparamsSession& s : data.sessions) {
    s.metrics.reserve(data.metric_infos.size());
    for (const MetricInfoView& m : data.metric_infos) {
      std::string run = MetricRun(s.run, m.group);
      MetricValue v = SummarizeScalars(logdir.Scalars(run, m.tag));
      v.run = std::move(run);
      s.metrics.push_back(std::move(v));
    }
  }
  return data;
}

}  // namespace tbview
