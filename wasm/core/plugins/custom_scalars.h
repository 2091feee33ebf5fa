// The custom scalars plugin's view: the Layouts logged by the runs, merged as
// TensorBoard's layout_impl does (see CollectCustomScalars). Every string is valid
// UTF-8 (ToValidUtf8), since it ends up as a JS string.
#pragma once
#include <string>
#include <vector>

#include "logdir.h"

namespace tbview {

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
  std::string kind;                              // "multiline", "margin", or "" (neither set)
  std::vector<std::string> tags;                 // multiline: regular expressions over tags
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

}  // namespace tbview
