// The text plugin's view: how one string tensor is laid out (Markdown for rank
// 0, a table otherwise, the first 2-D slice with a warning above rank 2), as
// TensorBoard's text_array_to_html does; the Markdown is rendered in the browser.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"

namespace tbview {

// How the text dashboard shows one string tensor, as TensorBoard's
// text_array_to_html lays it out (the Markdown itself is rendered in the browser).
struct TextView {
  int rank = 0;                // of the original tensor
  std::vector<int64_t> shape;  // of the original tensor
  std::string kind;            // "markdown" (rank 0) or "table" (rank >= 1)
  std::string markdown;        // rank 0: the string
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
