#include "plugins.h"

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
const char kCustomScalarsConfigTag[] = "custom_scalars__config__";
const std::array<int, 9> kDistributionBasisPoints = {0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000};

namespace {

constexpr char kHparamsPlugin[] = "hparams";

std::string Utf8(std::string_view bytes) { return ToValidUtf8(bytes); }

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
    case pb::Value::kNumberValue: out.kind = "number"; out.number = v.number_value(); break;
    case pb::Value::kStringValue: out.kind = "string"; out.string = Utf8(v.string_value()); break;
    case pb::Value::kBoolValue: out.kind = "bool"; out.boolean = v.bool_value(); break;
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
  h.name = Utf8(p.name());
  h.display_name = Utf8(p.display_name());
  h.description = Utf8(p.description());
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
  m.group = Utf8(p.name().group());
  m.tag = Utf8(p.name().tag());
  m.display_name = Utf8(p.display_name());
  m.description = Utf8(p.description());
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
    std::string t = v.kind == "number" ? "float64"
                    : v.kind == "string" ? "string"
                    : v.kind == "bool" ? "bool" : "";
    if (t.empty()) continue;
    if (type.empty()) type = t;
    else if (type != t) type = "string";
    if (type == "string") break;
  }
  if (type.empty()) return false;
  HparamInfoView h;
  h.name = name;
  h.type = type;
  if (type == "string") {
    std::set<std::string> distinct;
    for (const HparamValue& v : values)
      if (v.kind == "number" || v.kind == "string" || v.kind == "bool") distinct.insert(ValueToDomainString(v));
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
  errors->push_back("run " + Utf8(t.run) + ", tag " + Utf8(t.tag) + ": hparams plugin content does not parse");
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
        data.errors.push_back("run " + Utf8(t.run) + ": " + kHparamsExperimentTag + " holds no experiment");
        continue;
      }
      const pb::Experiment& e = pd.experiment();
      if (!data.has_experiment) {
        data.has_experiment = true;
        data.name = Utf8(e.name());
        data.description = Utf8(e.description());
        data.user = Utf8(e.user());
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
        data.errors.push_back("run " + Utf8(t.run) + ": " + kHparamsSessionStartInfoTag + " holds no session_start_info");
        continue;
      }
      const pb::SessionStartInfo& s = pd.session_start_info();
      HparamsSession session;
      session.run = t.run;
      session.group_name = Utf8(s.group_name());
      session.model_uri = Utf8(s.model_uri());
      session.monitor_url = Utf8(s.monitor_url());
      session.start_time_secs = s.start_time_secs();
      for (const auto& kv : s.hparams()) session.hparams[Utf8(kv.first)] = FromProtoValue(kv.second);
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

// ----------------------------- custom scalars -----------------------------

namespace {

CustomScalarChart FromProtoChart(const pb::Chart& c) {
  CustomScalarChart out;
  out.title = Utf8(c.title());
  if (c.has_multiline()) {
    out.kind = "multiline";
    for (const auto& tag : c.multiline().tag()) out.tags.push_back(Utf8(tag));
  } else if (c.has_margin()) {
    out.kind = "margin";
    for (const auto& s : c.margin().series())
      out.series.push_back({Utf8(s.value()), Utf8(s.lower()), Utf8(s.upper())});
  }
  return out;
}

}  // namespace

std::vector<CustomScalarCategory> CollectCustomScalars(const Logdir& logdir, std::vector<std::string>* errors) {
  std::vector<CustomScalarCategory> merged;
  std::map<std::string, size_t> by_title;
  bool have_layout = false;
  for (const std::string& run : logdir.Runs()) {  // sorted
    const TensorSeries* series = logdir.Tensors(run, kCustomScalarsConfigTag);
    if (series == nullptr || series->points().empty()) continue;
    const Tensor& t = series->points().front().tensor;
    if (!t.is_string() || t.strings.size() != 1) {
      if (errors) errors->push_back("run " + Utf8(run) + ": " + kCustomScalarsConfigTag + " is not one string");
      continue;
    }
    pb::Layout layout;
    if (!layout.ParseFromString(t.strings[0])) {
      if (errors) errors->push_back("run " + Utf8(run) + ": " + kCustomScalarsConfigTag + " is not a Layout");
      continue;
    }
    const bool first_layout = !have_layout;
    have_layout = true;
    for (const pb::Category& pc : layout.category()) {
      CustomScalarCategory c;
      c.title = Utf8(pc.title());
      c.closed = pc.closed();
      for (const pb::Chart& ch : pc.chart()) c.charts.push_back(FromProtoChart(ch));
      auto it = by_title.find(c.title);
      if (it == by_title.end() || first_layout) {
        // Upstream keeps the first layout whole (a repeated title inside it stays
        // a second category); later layouts merge by title.
        by_title[c.title] = merged.size();
        merged.push_back(std::move(c));
        continue;
      }
      CustomScalarCategory& into = merged[it->second];
      for (CustomScalarChart& ch : c.charts)
        if (std::find(into.charts.begin(), into.charts.end(), ch) == into.charts.end())
          into.charts.push_back(std::move(ch));
    }
  }
  return merged;
}

// ------------------------------ distributions ------------------------------

namespace {

// numpy's pairwise summation (numpy/core/src/umath/loops_utils.h.src), in T,
// as np.add.reduce does it for a float array: identity 0 plus pairwise_sum.
template <typename T>
T PairwiseSum(const T* a, size_t n) {
  if (n < 8) {
    T res = 0;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2) + PairwiseSum(a + n2, n - n2);
}

template <typename T>
std::array<double, 9> Compress(const Tensor& h) {
  const size_t k = static_cast<size_t>(h.shape[0]);
  std::vector<T> counts(k), rights(k);
  for (size_t i = 0; i < k; ++i) {
    rights[i] = static_cast<T>(h.numbers[3 * i + 1]);
    counts[i] = static_cast<T>(h.numbers[3 * i + 2]);
  }
  const T minmin = static_cast<T>(h.numbers[0]);
  const T maxmax = rights[k - 1];
  T total = PairwiseSum(counts.data(), k);
  if (total == 0) total = 1;  // `counts.sum() or 1.0`
  std::vector<T> weights(k);
  T acc = 0;
  for (size_t i = 0; i < k; ++i) {
    T w = static_cast<T>(counts[i] * static_cast<T>(10000)) / total;
    acc = i == 0 ? w : static_cast<T>(acc + w);
    weights[i] = acc;
  }
  std::array<double, 9> out{};
  size_t b = 0;
  while (b < out.size()) {
    const double bp = kDistributionBasisPoints[b];
    // np.searchsorted(weights, bp, side="right")
    size_t i = static_cast<size_t>(
        std::upper_bound(weights.begin(), weights.end(), bp,
                         [](double x, T w) { return x < static_cast<double>(w); }) -
        weights.begin());
    bool found = false;
    while (i < k) {
      const T cumsum = weights[i];
      const T cumsum_prev = i > 0 ? weights[i - 1] : static_cast<T>(0);
      if (cumsum == cumsum_prev) {
        ++i;
        continue;
      }
      const T lhs = (i == 0 || cumsum_prev == 0) ? minmin : std::max(rights[i - 1], minmin);
      const T rhs = std::min(rights[i], maxmax);
      // _lerp(x, x0, x1, y0, y1) = y0 + (x - x0) * float(y1 - y0) / (x1 - x0):
      // the differences of two array elements are taken in T, the rest in double.
      const double dy = static_cast<double>(static_cast<T>(rhs - lhs));
      const double dx = static_cast<double>(static_cast<T>(cumsum - cumsum_prev));
      out[b] = static_cast<double>(lhs) + (bp - static_cast<double>(cumsum_prev)) * dy / dx;
      ++b;
      found = true;
      break;
    }
    if (!found) break;
  }
  for (; b < out.size(); ++b) out[b] = static_cast<double>(maxmax);
  return out;
}

}  // namespace

std::array<double, 9> DistributionBasisPoints(const Tensor& h) {
  if (h.is_string() || h.shape.size() != 2 || h.shape[1] != 3 || h.shape[0] <= 0 ||
      h.numbers.size() != static_cast<size_t>(h.shape[0]) * 3) {
    return std::array<double, 9>{};
  }
  if (h.dtype == kDtFloat) return Compress<float>(h);
  return Compress<double>(h);
}

// -------------------------------- PR curves --------------------------------

bool MakePrCurvePoint(const TensorPoint& point, PrCurvePoint* out, bool trim_tail) {
  const Tensor& t = point.tensor;
  if (t.is_string() || t.shape.size() != 2 || t.shape[0] != 6 || t.shape[1] < 1) return false;
  const size_t n = static_cast<size_t>(t.shape[1]);
  if (t.numbers.size() != 6 * n) return false;
  auto row = [&](size_t r, size_t i) { return t.numbers[r * n + i]; };
  size_t end = n;
  if (trim_tail) {
    // positives = (TP + FP).astype(int); keep up to the last nonzero, at least one.
    size_t last = n - 1;
    // numpy's float->int64 on x86 (cvttsd2si): NaN, inf and out-of-range values
    // become INT64_MIN; the sum wraps. Done in uint64_t: no UB on hostile values.
    auto as_int = [](double v) -> uint64_t {
      if (!(v > -9223372036854775808.0 && v < 9223372036854775808.0)) return uint64_t{1} << 63;
      return static_cast<uint64_t>(static_cast<int64_t>(v));
    };
    while (last > 0 && as_int(row(0, last)) + as_int(row(1, last)) == 0) --last;
    end = last + 1;
  }
  PrCurvePoint p;
  p.step = point.step;
  p.wall_time = point.wall_time;
  for (size_t i = 0; i < end; ++i) {
    p.thresholds.push_back(n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0);
    p.tp.push_back(std::trunc(row(0, i)));
    p.fp.push_back(std::trunc(row(1, i)));
    p.tn.push_back(std::trunc(row(2, i)));
    p.fn.push_back(std::trunc(row(3, i)));
    p.precision.push_back(row(4, i));
    p.recall.push_back(row(5, i));
  }
  *out = std::move(p);
  return true;
}

std::vector<PrCurvePoint> PrCurvePoints(const TensorSeries& series, bool trim_tail) {
  std::vector<PrCurvePoint> out;
  out.reserve(series.points().size());
  for (const TensorPoint& p : series.points()) {
    PrCurvePoint c;
    if (MakePrCurvePoint(p, &c, trim_tail)) out.push_back(std::move(c));
  }
  return out;
}

// ---------------------------------- text ----------------------------------

namespace {

std::string TextElement(const Tensor& t, size_t i) {
  if (t.is_string()) return Utf8(t.strings[i]);
  if (t.dtype == kDtBool) return t.numbers[i] != 0 ? "True" : "False";
  size_t stride = (t.dtype == kDtComplex64 || t.dtype == kDtComplex128) ? 2 : 1;
  double v = t.numbers[i * stride];
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  bool integral_dtype = t.dtype != kDtFloat && t.dtype != kDtDouble && t.dtype != kDtHalf &&
                        t.dtype != kDtBfloat16 && stride == 1;
  if (integral_dtype) return std::to_string(static_cast<int64_t>(v));
  return FormatDouble(v);
}

}  // namespace

TextView MakeTextView(const Tensor& t) {
  TextView view;
  view.shape = t.shape;
  view.rank = static_cast<int>(t.shape.size());
  const size_t have = t.is_string() ? t.strings.size() : t.numbers.size();
  if (view.rank == 0) {
    view.kind = "markdown";
    if (have >= 1) view.markdown = TextElement(t, 0);
    return view;
  }
  view.kind = "table";
  if (view.rank > 2) {
    view.warning = "**Warning:** This text summary contained data of dimensionality " + std::to_string(view.rank) +
                   ", but only 2d tables are supported. Showing a 2d slice of the data instead.";
  }
  // The first 2-D slice: index 0 on every leading dimension, so its elements are
  // the first rows*cols of the row-major data.
  int64_t rows = view.rank == 1 ? t.shape[0] : t.shape[view.rank - 2];
  int64_t cols = view.rank == 1 ? 1 : t.shape[view.rank - 1];
  for (int d = 0; d + 2 < view.rank; ++d)
    if (t.shape[d] <= 0) rows = 0;
  if (rows <= 0 || cols <= 0) return view;
  const uint64_t stride = t.is_string() || !(t.dtype == kDtComplex64 || t.dtype == kDtComplex128) ? 1 : 2;
  if (static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols) * stride > have) return view;  // malformed
  view.rows.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    auto& row = view.rows[static_cast<size_t>(r)];
    row.reserve(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c) row.push_back(TextElement(t, static_cast<size_t>(r * cols + c)));
  }
  return view;
}

}  // namespace tbview
