#include "hparams_json.h"

#include <algorithm>
#include <string>
#include <vector>

#include "proto/plugins.pb.h"

namespace tbview {
namespace {

using namespace tbview::proto;

void JsonDouble(JsonWriter* w, double v) { w->Double(v, "NaN", "Infinity", "-Infinity"); }

template <typename EnumNameFn>
void JsonEnum(JsonWriter* w, int value, EnumNameFn name_of) {
  const std::string& name = name_of(value);
  if (name.empty())
    w->Int(value);
  else
    w->String(name);
}

void WriteValue(const Value& v, JsonWriter* w);

void WriteStruct(const Struct& s, JsonWriter* w) {
  std::vector<const std::string*> keys;
  for (const auto& kv : s.fields()) keys.push_back(&kv.first);
  std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });
  w->BeginObject();
  for (const std::string* k : keys) {
    w->Key(*k);
    WriteValue(s.fields().at(*k), w);
  }
  w->EndObject();
}

void WriteList(const ListValue& l, JsonWriter* w) {
  w->BeginArray();
  for (const auto& v : l.values()) WriteValue(v, w);
  w->EndArray();
}

void WriteValue(const Value& v, JsonWriter* w) {
  switch (v.kind_case()) {
    case Value::kNumberValue: JsonDouble(w, v.number_value()); break;
    case Value::kStringValue: w->String(v.string_value()); break;
    case Value::kBoolValue: w->Bool(v.bool_value()); break;
    case Value::kStructValue: WriteStruct(v.struct_value(), w); break;
    case Value::kListValue: WriteList(v.list_value(), w); break;
    default: w->Null(); break;  // null_value, or no kind
  }
}

void WriteMetricName(const MetricName& n, JsonWriter* w) {
  w->BeginObject();
  if (!n.group().empty()) {
    w->Key("group");
    w->String(n.group());
  }
  if (!n.tag().empty()) {
    w->Key("tag");
    w->String(n.tag());
  }
  w->EndObject();
}

void WriteHParamInfo(const HParamInfo& h, JsonWriter* w) {
  w->BeginObject();
  if (!h.description().empty()) {
    w->Key("description");
    w->String(h.description());
  }
  if (h.differs()) {
    w->Key("differs");
    w->Bool(true);
  }
  if (!h.display_name().empty()) {
    w->Key("displayName");
    w->String(h.display_name());
  }
  if (h.has_domain_discrete()) {
    w->Key("domainDiscrete");
    WriteList(h.domain_discrete(), w);
  }
  if (h.has_domain_interval()) {
    w->Key("domainInterval");
    w->BeginObject();
    const Interval& i = h.domain_interval();
    if (i.max_value() != 0) {
      w->Key("maxValue");
      JsonDouble(w, i.max_value());
    }
    if (i.min_value() != 0) {
      w->Key("minValue");
      JsonDouble(w, i.min_value());
    }
    w->EndObject();
  }
  if (!h.name().empty()) {
    w->Key("name");
    w->String(h.name());
  }
  if (h.type() != 0) {
    w->Key("type");
    JsonEnum(w, h.type(),
             [](int v) -> const std::string& { return HParamDataType_Name(static_cast<HParamDataType>(v)); });
  }
  w->EndObject();
}

void WriteMetricInfo(const MetricInfo& m, JsonWriter* w) {
  w->BeginObject();
  if (m.dataset_type() != 0) {
    w->Key("datasetType");
    JsonEnum(w, m.dataset_type(),
             [](int v) -> const std::string& { return DatasetType_Name(static_cast<DatasetType>(v)); });
  }
  if (!m.description().empty()) {
    w->Key("description");
    w->String(m.description());
  }
  if (!m.display_name().empty()) {
    w->Key("displayName");
    w->String(m.display_name());
  }
  if (m.has_name()) {
    w->Key("name");
    WriteMetricName(m.name(), w);
  }
  w->EndObject();
}

void WriteExperiment(const Experiment& e, JsonWriter* w) {
  w->BeginObject();
  if (!e.description().empty()) {
    w->Key("description");
    w->String(e.description());
  }
  if (e.hparam_infos_size()) {
    w->Key("hparamInfos");
    w->BeginArray();
    for (const auto& h : e.hparam_infos()) WriteHParamInfo(h, w);
    w->EndArray();
  }
  if (e.metric_infos_size()) {
    w->Key("metricInfos");
    w->BeginArray();
    for (const auto& m : e.metric_infos()) WriteMetricInfo(m, w);
    w->EndArray();
  }
  if (!e.name().empty()) {
    w->Key("name");
    w->String(e.name());
  }
  if (e.time_created_secs() != 0) {
    w->Key("timeCreatedSecs");
    JsonDouble(w, e.time_created_secs());
  }
  if (!e.user().empty()) {
    w->Key("user");
    w->String(e.user());
  }
  w->EndObject();
}

void WriteSessionStart(const SessionStartInfo& s, JsonWriter* w) {
  w->BeginObject();
  if (!s.group_name().empty()) {
    w->Key("groupName");
    w->String(s.group_name());
  }
  if (!s.hparams().empty()) {
    std::vector<const std::string*> keys;
    for (const auto& kv : s.hparams()) keys.push_back(&kv.first);
    std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });
    w->Key("hparams");
    w->BeginObject();
    for (const std::string* k : keys) {
      w->Key(*k);
      WriteValue(s.hparams().at(*k), w);
    }
    w->EndObject();
  }
  if (!s.model_uri().empty()) {
    w->Key("modelUri");
    w->String(s.model_uri());
  }
  if (!s.monitor_url().empty()) {
    w->Key("monitorUrl");
    w->String(s.monitor_url());
  }
  if (s.start_time_secs() != 0) {
    w->Key("startTimeSecs");
    JsonDouble(w, s.start_time_secs());
  }
  w->EndObject();
}

void WriteSessionEnd(const SessionEndInfo& s, JsonWriter* w) {
  w->BeginObject();
  if (s.end_time_secs() != 0) {
    w->Key("endTimeSecs");
    JsonDouble(w, s.end_time_secs());
  }
  if (s.status() != 0) {
    w->Key("status");
    JsonEnum(w, s.status(), [](int v) -> const std::string& { return Status_Name(static_cast<Status>(v)); });
  }
  w->EndObject();
}

}  // namespace

bool WriteHParamsPluginDataJson(std::string_view content, JsonWriter* w, std::string* error) {
  HParamsPluginData d;
  if (!d.ParseFromArray(content.data(), static_cast<int>(content.size()))) {
    *error = "hparams plugin content is not a valid HParamsPluginData";
    return false;
  }
  w->BeginObject();
  if (d.has_experiment()) {
    w->Key("experiment");
    WriteExperiment(d.experiment(), w);
  }
  if (d.has_session_end_info()) {
    w->Key("sessionEndInfo");
    WriteSessionEnd(d.session_end_info(), w);
  }
  if (d.has_session_start_info()) {
    w->Key("sessionStartInfo");
    WriteSessionStart(d.session_start_info(), w);
  }
  if (d.version() != 0) {
    w->Key("version");
    w->Int(d.version());
  }
  w->EndObject();
  return true;
}

}  // namespace tbview
