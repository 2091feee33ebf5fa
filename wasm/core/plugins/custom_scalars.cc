#include "custom_scalars.h"

#include <algorithm>
#include <map>

#include "proto/plugins.pb.h"
#include "utf8.h"

namespace tbview {

namespace pb = ::tbview::proto;

const char kCustomScalarsConfigTag[] = "custom_scalars__config__";

namespace {

CustomScalarChart FromProtoChart(const pb::Chart& c) {
  CustomScalarChart out;
  out.title = ToValidUtf8(c.title());
  if (c.has_multiline()) {
    out.kind = "multiline";
    for (const auto& tag : c.multiline().tag()) out.tags.push_back(ToValidUtf8(tag));
  } else if (c.has_margin()) {
    out.kind = "margin";
    for (const auto& s : c.margin().series())
      out.series.push_back({ToValidUtf8(s.value()), ToValidUtf8(s.lower()), ToValidUtf8(s.upper())});
  }
  return out;
}

}  // namespace

std::vector<CustomScalarCategory> CollectCustomScalars(const Logdir& logdir,
                                                       std::vector<std::string>* errors) {
  std::vector<CustomScalarCategory> merged;
  std::map<std::string, size_t> by_title;
  bool have_layout = false;
  for (const std::string& run : logdir.Runs()) {  // sorted
    const TensorSeries* series = logdir.Tensors(run, kCustomScalarsConfigTag);
    if (series == nullptr || series->points().empty()) continue;
    const Tensor& t = series->points().front().tensor;
    if (!t.is_string() || t.strings.size() != 1) {
      if (errors)
        errors->push_back("run " + ToValidUtf8(run) + ": " + kCustomScalarsConfigTag + " is not one string");
      continue;
    }
    pb::Layout layout;
    if (!layout.ParseFromString(t.strings[0])) {
      if (errors)
        errors->push_back("run " + ToValidUtf8(run) + ": " + kCustomScalarsConfigTag + " is not a Layout");
      continue;
    }
    const bool first_layout = !have_layout;
    have_layout = true;
    for (const pb::Category& pc : layout.category()) {
      CustomScalarCategory c;
      c.title = ToValidUtf8(pc.title());
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

}  // namespace tbview
