#include "text.h"

#include <cmath>

#include "json_writer.h"
#include "utf8.h"

namespace tbview {

namespace {

std::string TextElement(const Tensor& t, size_t i) {
  if (t.is_string()) return ToValidUtf8(t.strings[i]);
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
    view.warning = "**Warning:** This text summary contained data of dimensionality " +
                   std::to_string(view.rank) +
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
