// Locating blob fields in an Event's wire format: see blob_refs.h.
//
// A minimal, bounds-checked protobuf wire walker: only the nesting path to the
// three blob fields is descended; every other field is skipped by its wire type.
// Groups (wire types 3 and 4, unused by these messages) and any malformed
// varint or length end the walk of that message, keeping what was found: a span
// missed here only means a string is kept in memory, never a wrong reference.
#include "blob_refs.h"

#include <cstring>

namespace tbview {
namespace {

// Field numbers on the path (proto/event.proto).
constexpr uint32_t kEventSummary = 5;
constexpr uint32_t kSummaryValue = 1;
constexpr uint32_t kValueImage = 4;
constexpr uint32_t kValueAudio = 6;
constexpr uint32_t kValueTensor = 8;
constexpr uint32_t kImageEncoded = 4;
constexpr uint32_t kAudioEncoded = 4;
constexpr uint32_t kTensorStringVal = 8;

constexpr uint32_t kWireVarint = 0, kWireFixed64 = 1, kWireLen = 2, kWireFixed32 = 5;

// Reads the fields of one message in [pos, end) of `p`.
class WireReader {
 public:
  WireReader(const uint8_t* p, size_t pos, size_t end) : p_(p), pos_(pos), end_(end) {}

  // The next field: false at the end or on malformed data. For kWireLen fields
  // (*value_pos, *value_len) is the contained bytes' range; other fields are
  // skipped.
  bool Next(uint32_t* field, uint32_t* wire, size_t* value_pos, size_t* value_len) {
    uint64_t key;
    if (pos_ >= end_ || !Varint(&key)) return false;
    *field = static_cast<uint32_t>(key >> 3);
    *wire = static_cast<uint32_t>(key & 7);
    uint64_t v;
    switch (*wire) {
      case kWireVarint: return Varint(&v);
      case kWireFixed64: return Skip(8);
      case kWireFixed32: return Skip(4);
      case kWireLen:
        if (!Varint(&v) || v > end_ - pos_) return false;
        *value_pos = pos_;
        *value_len = static_cast<size_t>(v);
        pos_ += static_cast<size_t>(v);
        return true;
      default: return false;
    }
  }

 private:
  bool Varint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= end_) return false;
      const uint8_t b = p_[pos_++];
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *out = v;
        return true;
      }
    }
    return false;
  }
  bool Skip(size_t n) {
    if (n > end_ - pos_) return false;
    pos_ += n;
    return true;
  }

  const uint8_t* p_;
  size_t pos_, end_;
};

// Adds the kWireLen fields numbered `want` of the message at [pos, pos + len).
void AddFields(const uint8_t* p, size_t pos, size_t len, uint32_t want, size_t min_length,
               std::vector<ByteSpan>* out) {
  WireReader r(p, pos, pos + len);
  uint32_t field, wire;
  size_t vp = 0, vl = 0;
  while (r.Next(&field, &wire, &vp, &vl)) {
    if (field == want && wire == kWireLen && vl >= min_length) out->push_back(ByteSpan{vp, vl});
  }
}

}  // namespace

bool IsBlobPlugin(std::string_view plugin_name) { return plugin_name == "images" || plugin_name == "audio"; }

void FindBlobSpans(std::string_view payload, size_t min_length, std::vector<ByteSpan>* out) {
  out->clear();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(payload.data());
  WireReader event(p, 0, payload.size());
  uint32_t field, wire;
  size_t sp = 0, sl = 0;
  while (event.Next(&field, &wire, &sp, &sl)) {
    if (field != kEventSummary || wire != kWireLen) continue;
    WireReader summary(p, sp, sp + sl);
    size_t vp = 0, vl = 0;
    while (summary.Next(&field, &wire, &vp, &vl)) {
      if (field != kSummaryValue || wire != kWireLen) continue;
      WireReader value(p, vp, vp + vl);
      size_t mp = 0, ml = 0;
      while (value.Next(&field, &wire, &mp, &ml)) {
        if (wire != kWireLen) continue;
        if (field == kValueImage)
          AddFields(p, mp, ml, kImageEncoded, min_length, out);
        else if (field == kValueAudio)
          AddFields(p, mp, ml, kAudioEncoded, min_length, out);
        else if (field == kValueTensor)
          AddFields(p, mp, ml, kTensorStringVal, min_length, out);
      }
    }
  }
}

size_t ReferenceBlobs(std::string_view payload, const std::vector<ByteSpan>& spans, int file,
                      uint64_t payload_offset, Tensor* t, std::vector<BlobRef>* refs) {
  refs->clear();
  if (!t->is_string() || spans.empty()) return 0;
  size_t replaced = 0;
  size_t cursor = 0;  // strings usually come in span order: start where the last match was
  for (size_t i = 0; i < t->strings.size(); ++i) {
    std::string& s = t->strings[i];
    if (s.size() < kMinBlobRefBytes) continue;
    for (size_t k = 0; k < spans.size(); ++k) {
      const ByteSpan& span = spans[(cursor + k) % spans.size()];
      if (span.length != s.size() || std::memcmp(payload.data() + span.offset, s.data(), s.size()) != 0)
        continue;
      if (refs->empty()) refs->resize(t->strings.size());
      (*refs)[i] = BlobRef{file, payload_offset + span.offset, span.length};
      std::string().swap(s);  // releases the heap block
      cursor = (cursor + k) % spans.size();
      ++replaced;
      break;
    }
  }
  return replaced;
}

}  // namespace tbview
