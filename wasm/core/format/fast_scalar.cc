// TryDecodeScalarEvent: a hand-written protobuf wire decoder for the hottest
// event shape, a summary of scalar values:
//   Event { 1 wall_time (fixed64); 2 step (varint);
//           5 summary { 1 value { 1 tag; 2 simple_value (fixed32) |
//                                  8 tensor { 1 dtype; 2 shape (empty);
//                                             3 version_number; 4 tensor_content |
//                                             5 float_val (packed) | 6 double_val (packed) } } } }
// It accepts only what it fully understands and gives exactly what EventDecoder
// gives for it; everything else returns false so the caller falls back to
// EventDecoder. Rejected on purpose: any other field anywhere (metadata,
// node_name, source_metadata, unknown fields), non-canonical wire types (e.g. an
// unpacked float_val), a second summary (protobuf would merge the two), a second
// value field in one Summary.Value (oneof: last wins) or a second packed run
// (repeated: appended), a non-empty shape, dtypes other than float32/float64,
// and value counts other than exactly one. Scalar fields that protobuf lets a
// later occurrence overwrite (wall_time, step, tag, dtype, tensor_content) are
// overwritten here too.
#include <cstring>

#include "data_compat.h"

namespace tbview {
namespace {

struct Cursor {
  const uint8_t* p;
  const uint8_t* end;
};

// Varint of at most 10 bytes; false when cut off or too long.
inline bool ReadVarint(Cursor* c, uint64_t* v) {
  const uint8_t* p = c->p;
  if (p < c->end && *p < 0x80) {  // one byte: tags, dtypes, small lengths
    *v = *p;
    c->p = p + 1;
    return true;
  }
  uint64_t r = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (p >= c->end) return false;
    const uint8_t b = *p++;
    r |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) {
      if (shift == 63 && b > 1) return false;
      *v = r;
      c->p = p;
      return true;
    }
  }
  return false;
}

// Length-delimited field body: [*body, *body + *len).
inline bool ReadBytes(Cursor* c, const uint8_t** body, size_t* len) {
  uint64_t n;
  if (!ReadVarint(c, &n)) return false;
  if (n > static_cast<uint64_t>(c->end - c->p)) return false;
  *body = c->p;
  *len = static_cast<size_t>(n);
  c->p += n;
  return true;
}

inline float LoadFloat(const uint8_t* p) {
  float f;
  std::memcpy(&f, p, 4);
  return f;
}
inline double LoadDouble(const uint8_t* p) {
  double d;
  std::memcpy(&d, p, 8);
  return d;
}

// TensorProto holding one float32 or float64 value and a rank-0 shape.
bool DecodeScalarTensor(Cursor c, double* value, int32_t* dtype_out) {
  uint64_t dtype = 0;
  const uint8_t* content = nullptr;
  size_t content_len = 0;
  const uint8_t* fvals = nullptr;
  size_t fvals_len = 0;
  const uint8_t* dvals = nullptr;
  size_t dvals_len = 0;
  while (c.p < c.end) {
    uint64_t key;
    if (!ReadVarint(&c, &key)) return false;
    const uint8_t* body;
    size_t len;
    uint64_t ignored;
    switch (key) {
      case (1 << 3) | 0:  // dtype
        if (!ReadVarint(&c, &dtype)) return false;
        break;
      case (2 << 3) | 2:  // tensor_shape: only an empty message (rank 0) is accepted
        if (!ReadBytes(&c, &body, &len) || len != 0) return false;
        break;
      case (3 << 3) | 0:  // version_number: not used by the decoder
        if (!ReadVarint(&c, &ignored)) return false;
        break;
      case (4 << 3) | 2:  // tensor_content (bytes: last occurrence wins)
        if (!ReadBytes(&c, &content, &content_len)) return false;
        break;
      case (5 << 3) | 2:  // float_val, packed
        if (fvals || !ReadBytes(&c, &fvals, &fvals_len)) return false;
        break;
      case (6 << 3) | 2:  // double_val, packed
        if (dvals || !ReadBytes(&c, &dvals, &dvals_len)) return false;
        break;
      default: return false;
    }
  }
  if (dtype == kDtFloat) {
    if (dvals) return false;
    if (content_len != 0) {  // tensor_content wins when non-empty
      if (content_len != 4 || fvals) return false;
      *value = LoadFloat(content);
    } else {
      if (fvals_len != 4) return false;
      *value = LoadFloat(fvals);
    }
  } else if (dtype == kDtDouble) {
    if (fvals) return false;
    if (content_len != 0) {
      if (content_len != 8 || dvals) return false;
      *value = LoadDouble(content);
    } else {
      if (dvals_len != 8) return false;
      *value = LoadDouble(dvals);
    }
  } else {
    return false;
  }
  *dtype_out = static_cast<int32_t>(dtype);
  return true;
}

// One Summary.Value: a tag and a simple_value or a scalar tensor.
bool DecodeValue(Cursor c, FastScalar* out) {
  bool have_value = false;
  out->tag = std::string_view();
  while (c.p < c.end) {
    uint64_t key;
    if (!ReadVarint(&c, &key)) return false;
    const uint8_t* body;
    size_t len;
    switch (key) {
      case (1 << 3) | 2:  // tag (last occurrence wins)
        if (!ReadBytes(&c, &body, &len)) return false;
        out->tag = std::string_view(reinterpret_cast<const char*>(body), len);
        break;
      case (2 << 3) | 5:  // simple_value
        if (have_value || c.end - c.p < 4) return false;
        out->value = static_cast<double>(LoadFloat(c.p));
        out->dtype = kDtFloat;
        out->simple_value = true;
        c.p += 4;
        have_value = true;
        break;
      case (8 << 3) | 2:  // tensor
        if (have_value || !ReadBytes(&c, &body, &len)) return false;
        if (!DecodeScalarTensor(Cursor{body, body + len}, &out->value, &out->dtype)) return false;
        out->simple_value = false;
        have_value = true;
        break;
      default: return false;
    }
  }
  return have_value;
}

// Two-byte-or-less varint, inline; anything longer goes to ReadVarint.
inline bool ReadVarintFast(Cursor* c, uint64_t* v) {
  const uint8_t* p = c->p;
  if (c->end - p >= 2) {
    if (p[0] < 0x80) {
      *v = p[0];
      c->p = p + 1;
      return true;
    }
    if (p[1] < 0x80) {
      *v = (p[0] & 0x7fu) | (static_cast<uint64_t>(p[1]) << 7);
      c->p = p + 2;
      return true;
    }
  }
  return ReadVarint(c, v);
}

// The layout every known writer produces, in field order: wall_time, step,
// summary { value { tag, simple_value | tensor { dtype, shape {}, content or
// one packed value } } ... }. Returns 1 (decoded), 0 (not a scalar event: the
// answer is false) or -1 (some other layout: let the general decoder decide).
// It never accepts anything the general decoder would not.
int DecodeCanonical(Cursor c, FastScalarEvent* out) {
  double wall_time = 0;
  uint64_t step = 0;
  if (c.p < c.end && *c.p == 0x09) {
    if (c.end - c.p < 9) return 0;
    wall_time = LoadDouble(c.p + 1);
    c.p += 9;
  }
  if (c.p < c.end && *c.p == 0x10) {
    ++c.p;
    if (!ReadVarintFast(&c, &step)) return 0;
  }
  if (c.p >= c.end || *c.p != 0x2a) return -1;
  ++c.p;
  uint64_t n;
  if (!ReadVarintFast(&c, &n) || n != static_cast<uint64_t>(c.end - c.p)) return -1;
  out->values.clear();
  while (c.p < c.end) {
    if (*c.p != 0x0a) return -1;
    ++c.p;
    if (!ReadVarintFast(&c, &n) || n > static_cast<uint64_t>(c.end - c.p)) return -1;
    const uint8_t* vend = c.p + n;
    if (c.p >= vend || *c.p != 0x0a) return -1;
    ++c.p;
    if (!ReadVarintFast(&c, &n) || n > static_cast<uint64_t>(vend - c.p)) return -1;
    out->values.emplace_back();
    FastScalar& v = out->values.back();
    v.tag = std::string_view(reinterpret_cast<const char*>(c.p), n);
    c.p += n;
    if (vend - c.p == 5 && *c.p == 0x15) {
      v.value = static_cast<double>(LoadFloat(c.p + 1));
      v.dtype = kDtFloat;
      v.simple_value = true;
      c.p = vend;
      continue;
    }
    // tensor: 0x42 len 0x08 dtype [0x12 0x00] (0x22 | 0x2a | 0x32) size bytes
    if (vend - c.p < 2 || c.p[0] != 0x42 || c.p[1] >= 0x80 || c.p[1] != vend - c.p - 2) return -1;
    c.p += 2;
    if (vend - c.p < 2 || c.p[0] != 0x08) return -1;
    const uint8_t dtype = c.p[1];
    c.p += 2;
    if (vend - c.p >= 2 && c.p[0] == 0x12 && c.p[1] == 0x00) c.p += 2;
    if (vend - c.p < 2) return -1;
    const uint8_t key = c.p[0], size = c.p[1];
    c.p += 2;
    if (vend - c.p != size) return -1;
    if (dtype == kDtFloat && size == 4 && (key == 0x22 || key == 0x2a)) {
      v.value = static_cast<double>(LoadFloat(c.p));
    } else if (dtype == kDtDouble && size == 8 && (key == 0x22 || key == 0x32)) {
      v.value = LoadDouble(c.p);
    } else {
      return -1;
    }
    v.dtype = dtype;
    v.simple_value = false;
    c.p = vend;
  }
  out->wall_time = wall_time;
  out->step = static_cast<int64_t>(step);
  return 1;
}

// The commonest record of all, one legacy simple_value with every length in one
// byte, checked in one straight pass:
//   09 <wall_time 8> [10 <step varint>] 2a S 0a V 0a T <tag: T bytes> 15 <float 4>
// where V = T + 7 and S = V + 2 and the payload ends right after the float. True
// when it matched (then *out is what DecodeCanonical gives for these bytes);
// false means "not this shape", and DecodeCanonical decides as before.
inline bool DecodeLegacyOne(const uint8_t* p, const uint8_t* end, FastScalarEvent* out) {
  if (end - p < 9 + 11 || p[0] != 0x09) return false;
  const double wall_time = LoadDouble(p + 1);
  p += 9;
  uint64_t step = 0;
  if (*p == 0x10) {
    ++p;
    for (unsigned shift = 0;; shift += 7) {
      // Nine bytes at most here (a tenth, which needs its range check, goes the
      // general way).
      if (p >= end || shift == 63) return false;
      const uint8_t b = *p++;
      step |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) break;
    }
  }
  if (end - p < 11 || p[0] != 0x2a || p[2] != 0x0a || p[4] != 0x0a) return false;
  const size_t s = p[1], v = p[3], t = p[5];
  if (s >= 0x80 || s != static_cast<size_t>(end - p) - 2 || v + 2 != s || t + 7 != v || p[6 + t] != 0x15)
    return false;
  if (out->values.size() != 1) out->values.resize(1);
  FastScalar& x = out->values[0];
  x.tag = std::string_view(reinterpret_cast<const char*>(p + 6), t);
  x.value = static_cast<double>(LoadFloat(p + 7 + t));
  x.dtype = kDtFloat;
  x.simple_value = true;
  out->wall_time = wall_time;
  out->step = static_cast<int64_t>(step);
  return true;
}

}  // namespace

// Everything but the legacy one-value shape (out of line, so the common case
// does not pay this function's prologue).
__attribute__((noinline)) bool TryDecodeGeneral(Cursor c, FastScalarEvent* out) {
  const int canonical = DecodeCanonical(c, out);
  if (canonical >= 0) return canonical == 1;
  double wall_time = 0;
  uint64_t step = 0;
  const uint8_t* summary = nullptr;
  size_t summary_len = 0;
  while (c.p < c.end) {
    uint64_t key;
    if (!ReadVarint(&c, &key)) return false;
    switch (key) {
      case (1 << 3) | 1:  // wall_time
        if (c.end - c.p < 8) return false;
        wall_time = LoadDouble(c.p);
        c.p += 8;
        break;
      case (2 << 3) | 0:  // step
        if (!ReadVarint(&c, &step)) return false;
        break;
      case (5 << 3) | 2:  // summary: a second one would be merged by protobuf
        if (summary || !ReadBytes(&c, &summary, &summary_len)) return false;
        break;
      default: return false;
    }
  }
  if (!summary) return false;
  out->values.clear();
  Cursor s{summary, summary + summary_len};
  while (s.p < s.end) {
    uint64_t key;
    const uint8_t* body;
    size_t len;
    if (!ReadVarint(&s, &key) || key != ((1 << 3) | 2) || !ReadBytes(&s, &body, &len)) {
      out->values.clear();
      return false;
    }
    out->values.emplace_back();
    if (!DecodeValue(Cursor{body, body + len}, &out->values.back())) {
      out->values.clear();
      return false;
    }
  }
  out->wall_time = wall_time;
  out->step = static_cast<int64_t>(step);
  return true;
}

bool TryDecodeScalarEvent(std::string_view payload, FastScalarEvent* out) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(payload.data());
  if (DecodeLegacyOne(p, p + payload.size(), out)) return true;
  return TryDecodeGeneral(Cursor{p, p + payload.size()}, out);
}

}  // namespace tbview
