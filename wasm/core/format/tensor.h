// A decoded TensorProto: one plain form for every dtype and every encoding
// (tensor_content, each *_val field, one value filling a whole shape, half and
// bfloat16 bit patterns).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "input_limits.h"

namespace tbview {
namespace proto {
class TensorProto;
}

// TensorFlow DataType numbers (proto/event.proto).
enum DType : int32_t {
  kDtInvalid = 0,
  kDtFloat = 1,
  kDtDouble = 2,
  kDtInt32 = 3,
  kDtUint8 = 4,
  kDtInt16 = 5,
  kDtInt8 = 6,
  kDtString = 7,
  kDtComplex64 = 8,
  kDtInt64 = 9,
  kDtBool = 10,
  kDtBfloat16 = 14,
  kDtUint16 = 17,
  kDtComplex128 = 18,
  kDtHalf = 19,
  kDtUint32 = 22,
  kDtUint64 = 23,
};

// Invariant: for numeric dtypes numbers.size() == num_elements() (complex types:
// 2 * num_elements(), real and imaginary interleaved) and strings is empty; for
// kDtString strings.size() == num_elements() and numbers is empty. Values are
// row-major. int64/uint64 values beyond 2^53 are rounded to the nearest double.
struct Tensor {
  int32_t dtype = kDtInvalid;
  std::vector<int64_t> shape;
  std::vector<double> numbers;
  std::vector<std::string> strings;

  bool is_string() const { return dtype == kDtString; }
  uint64_t num_elements() const {
    uint64_t n = 1;
    for (int64_t d : shape) n *= static_cast<uint64_t>(d);
    return n;
  }
};

// The numpy name of a dtype as TensorBoard's reference output spells it
// ("float32", "float64", "int32", "object" for strings, ...).
const char* DtypeNumpyName(int32_t dtype);

// Decodes `in` into `out`. Fails (false, *error set) on an unknown dtype, a
// negative or over-limit shape, or data whose size fits neither the shape nor the
// one-value-fills-the-shape rule. Never allocates more than the shape allows
// after the limit check.
bool DecodeTensor(const proto::TensorProto& in, const Limits& limits, Tensor* out, std::string* error);

}  // namespace tbview
