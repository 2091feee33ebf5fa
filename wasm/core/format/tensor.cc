// TensorProto -> Tensor, following TensorBoard's tensor_util.make_ndarray:
// - `tensor_content` (little-endian raw array) wins whenever it is non-empty and
//   must hold exactly num_elements values;
// - otherwise the dtype's *_val field is read; exactly one value fills the whole
//   shape (numpy.repeat), any other count must equal num_elements;
// - half and bfloat16 come as 16-bit patterns in half_val (or in tensor_content);
// - complex values are (real, imag) pairs, interleaved in `numbers`.
// The element count is checked against Limits::max_tensor_elements before any
// allocation: a shape is only a claim.
#include "tensor.h"

#include <cstring>
#include <limits>

#include "proto/event.pb.h"

namespace tbview {
namespace {

// Bytes per element in tensor_content, or 0 for dtypes without a raw form here.
size_t RawElementSize(int32_t dtype) {
  switch (dtype) {
    case kDtFloat:
    case kDtInt32:
    case kDtUint32: return 4;
    case kDtDouble:
    case kDtInt64:
    case kDtUint64:
    case kDtComplex64: return 8;
    case kDtUint8:
    case kDtInt8:
    case kDtBool: return 1;
    case kDtInt16:
    case kDtUint16:
    case kDtHalf:
    case kDtBfloat16: return 2;
    case kDtComplex128: return 16;
    default: return 0;
  }
}

bool IsSupported(int32_t dtype) { return dtype == kDtString || RawElementSize(dtype) != 0; }

// IEEE 754 binary16 bit pattern to float (exact: every half is a float).
double HalfToDouble(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1u, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  double v;
  if (exp == 0) {
    v = static_cast<double>(mant) * (1.0 / 16777216.0);  // mant * 2^-24
  } else if (exp == 31) {
    v = mant ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  } else {
    v = static_cast<double>(mant | 0x400u) * static_cast<double>(1u << exp) *
        (1.0 / 33554432.0);  // (1.mant) * 2^(exp-15) = (mant|0x400) * 2^(exp-25)
  }
  return sign ? -v : v;
}

double Bfloat16ToDouble(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <typename T>
T LoadLE(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));  // every supported target is little-endian
  return v;
}

// One raw element (or, for complex, one component) at p as a double.
double RawComponent(int32_t dtype, const uint8_t* p) {
  switch (dtype) {
    case kDtFloat:
    case kDtComplex64: return LoadLE<float>(p);
    case kDtDouble:
    case kDtComplex128: return LoadLE<double>(p);
    case kDtInt32: return LoadLE<int32_t>(p);
    case kDtUint32: return LoadLE<uint32_t>(p);
    case kDtInt64: return static_cast<double>(LoadLE<int64_t>(p));
    case kDtUint64: return static_cast<double>(LoadLE<uint64_t>(p));
    case kDtUint8: return *p;
    case kDtInt8: return static_cast<int8_t>(*p);
    case kDtBool: return *p != 0 ? 1 : 0;
    case kDtInt16: return LoadLE<int16_t>(p);
    case kDtUint16: return LoadLE<uint16_t>(p);
    case kDtHalf: return HalfToDouble(LoadLE<uint16_t>(p));
    case kDtBfloat16: return Bfloat16ToDouble(LoadLE<uint16_t>(p));
    default: return 0;
  }
}

// int_val carries int32 and every smaller integer type; numpy casts (wraps) it.
double NarrowInt(int32_t dtype, int32_t v) {
  switch (dtype) {
    case kDtUint8: return static_cast<uint8_t>(v);
    case kDtInt8: return static_cast<int8_t>(v);
    case kDtInt16: return static_cast<int16_t>(v);
    case kDtUint16: return static_cast<uint16_t>(v);
    default: return v;
  }
}

// Fills out->numbers from a repeated field of `count` values (components for
// complex: `per` = 2) read by get(i): either count == n*per, or count == per and
// the one value is repeated n times.
template <typename Get>
bool FillNumbers(uint64_t n, int per, size_t count, Get get, Tensor* out, std::string* error) {
  const uint64_t want = n * per;
  if (count == want) {
    out->numbers.resize(want);
    for (size_t i = 0; i < count; ++i) out->numbers[i] = get(i);
    return true;
  }
  if (count == static_cast<size_t>(per)) {
    out->numbers.resize(want);
    for (uint64_t i = 0; i < want; i += per)
      for (int c = 0; c < per; ++c) out->numbers[i + c] = get(c);
    return true;
  }
  *error = "tensor has " + std::to_string(count / per) + " values for a shape of " + std::to_string(n) +
           " elements";
  return false;
}

}  // namespace

const char* DtypeNumpyName(int32_t dtype) {
  switch (dtype) {
    case kDtFloat: return "float32";
    case kDtDouble: return "float64";
    case kDtInt32: return "int32";
    case kDtUint8: return "uint8";
    case kDtInt16: return "int16";
    case kDtInt8: return "int8";
    case kDtString: return "object";
    case kDtComplex64: return "complex64";
    case kDtInt64: return "int64";
    case kDtBool: return "bool";
    case kDtBfloat16: return "bfloat16";
    case kDtUint16: return "uint16";
    case kDtComplex128: return "complex128";
    case kDtHalf: return "float16";
    case kDtUint32: return "uint32";
    case kDtUint64: return "uint64";
    default: return "invalid";
  }
}

bool DecodeTensor(const proto::TensorProto& in, const Limits& limits, Tensor* out, std::string* error) {
  out->dtype = in.dtype();
  out->shape.clear();
  out->numbers.clear();
  out->strings.clear();
  if (!IsSupported(out->dtype)) {
    *error = "unsupported tensor dtype " + std::to_string(out->dtype);
    return false;
  }

  // Shape: reject negative dims, compute the element count without overflow,
  // and check it against the limit before anything is allocated.
  const auto& dims = in.tensor_shape().dim();
  bool has_zero = false;
  for (const auto& d : dims) {
    if (d.size() < 0) {
      *error = "tensor shape has a negative dimension (" + std::to_string(d.size()) + ")";
      return false;
    }
    if (d.size() == 0) has_zero = true;
  }
  uint64_t n = 1;
  if (has_zero) {
    n = 0;
  } else {
    for (const auto& d : dims) {
      const uint64_t s = static_cast<uint64_t>(d.size());
      if (n > limits.max_tensor_elements / s) {
        *error = "tensor shape claims more than max_tensor_elements (" +
                 std::to_string(limits.max_tensor_elements) + ") elements";
        return false;
      }
      n *= s;
    }
  }
  if (n > limits.max_tensor_elements) {
    *error = "tensor shape claims " + std::to_string(n) + " elements, over max_tensor_elements (" +
             std::to_string(limits.max_tensor_elements) + ")";
    return false;
  }
  const int32_t dt = out->dtype;
  const int per = (dt == kDtComplex64 || dt == kDtComplex128) ? 2 : 1;
  // The decoded size, before any allocation: one value may fill the whole shape,
  // so a few bytes can claim n elements. `over` is decided by divisions, so no
  // product below can overflow.
  const uint64_t max_bytes = limits.max_tensor_bytes;
  const uint64_t element_bytes = dt == kDtString ? sizeof(std::string) : per * sizeof(double);
  bool over = n > max_bytes / element_bytes;
  uint64_t decoded_bytes = over ? max_bytes : n * element_bytes;
  if (!over && dt == kDtString) {
    const auto& v = in.string_val();
    if (v.size() == 1) {
      const uint64_t each = v.Get(0).size();
      over = each != 0 && n > (max_bytes - decoded_bytes) / each;
      decoded_bytes = over ? max_bytes : decoded_bytes + n * each;
    } else {
      for (const std::string& s : v) decoded_bytes += s.size();  // bytes that exist
    }
  }
  if (over || decoded_bytes > max_bytes) {
    *error = "tensor of " + std::to_string(n) + " elements would take more than " +
             std::to_string(max_bytes) + " bytes when decoded, over max_tensor_bytes";
    return false;
  }
  out->shape.reserve(dims.size());
  for (const auto& d : dims) out->shape.push_back(d.size());

  if (!in.tensor_content().empty()) {
    const std::string& raw = in.tensor_content();
    const size_t esize = RawElementSize(dt);
    if (esize == 0) {
      *error = "tensor_content is not supported for dtype " + std::string(DtypeNumpyName(dt));
      return false;
    }
    if (raw.size() != n * esize) {
      *error = "tensor_content has " + std::to_string(raw.size()) + " bytes; shape needs " +
               std::to_string(n * esize);
      return false;
    }
    const size_t csize = esize / per;
    const auto* p = reinterpret_cast<const uint8_t*>(raw.data());
    out->numbers.resize(n * per);
    for (size_t i = 0; i < n * per; ++i) out->numbers[i] = RawComponent(dt, p + i * csize);
    return true;
  }

  switch (dt) {
    case kDtString: {
      const auto& v = in.string_val();
      const size_t count = v.size();
      if (count == n) {
        out->strings.assign(v.begin(), v.end());
        return true;
      }
      if (count == 1) {
        out->strings.assign(n, v.Get(0));
        return true;
      }
      *error = "tensor has " + std::to_string(count) + " strings for a shape of " + std::to_string(n) +
               " elements";
      return false;
    }
    case kDtFloat: {
      const auto& v = in.float_val();
      return FillNumbers(
          n, 1, v.size(), [&](size_t i) { return static_cast<double>(v.Get(i)); }, out, error);
    }
    case kDtDouble: {
      const auto& v = in.double_val();
      return FillNumbers(
          n, 1, v.size(), [&](size_t i) { return v.Get(i); }, out, error);
    }
    case kDtInt32:
    case kDtUint8:
    case kDtInt16:
    case kDtInt8:
    case kDtUint16: {
      const auto& v = in.int_val();
      return FillNumbers(
          n, 1, v.size(), [&](size_t i) { return NarrowInt(dt, v.Get(i)); }, out, error);
    }
    case kDtInt64: {
      const auto& v = in.int64_val();
      return FillNumbers(
          n, 1, v.size(), [&](size_t i) { return static_cast<double>(v.Get(i)); }, out, error);
    }
    case kDtUint32: {
      const auto& v = in.uint32_val();
      return FillNumbers(
          n, 1, v.size(), [&](size_t i) { return static_cast<double>(v.Get(i)); }, out, error);
    }
    case kDtUint64: {
      const auto& v = in.uint64_val();
      return FillNumbers(
          n, 1, v.size(), [&](size_t i) { return static_cast<double>(v.Get(i)); }, out, error);
    }
    case kDtBool: {
      const auto& v = in.bool_val();
      return FillNumbers(
          n, 1, v.size(), [&](size_t i) { return v.Get(i) ? 1.0 : 0.0; }, out, error);
    }
    case kDtHalf:
    case kDtBfloat16: {
      const auto& v = in.half_val();
      const bool half = dt == kDtHalf;
      return FillNumbers(
          n, 1, v.size(),
          [&](size_t i) {
            const uint16_t bits = static_cast<uint16_t>(v.Get(i));
            return half ? HalfToDouble(bits) : Bfloat16ToDouble(bits);
          },
          out, error);
    }
    case kDtComplex64: {
      const auto& v = in.scomplex_val();
      if (v.size() % 2) {
        *error = "scomplex_val has an odd number of components";
        return false;
      }
      return FillNumbers(
          n, 2, v.size(), [&](size_t i) { return static_cast<double>(v.Get(i)); }, out, error);
    }
    case kDtComplex128: {
      const auto& v = in.dcomplex_val();
      if (v.size() % 2) {
        *error = "dcomplex_val has an odd number of components";
        return false;
      }
      return FillNumbers(
          n, 2, v.size(), [&](size_t i) { return v.Get(i); }, out, error);
    }
    default: *error = "unsupported tensor dtype " + std::to_string(dt); return false;
  }
}

}  // namespace tbview
