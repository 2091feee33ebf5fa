// Keeping images and audio by reference (ARCHITECTURE.md: images and audio are
// not copied into the heap when the source can be read again: keep (file,
// offset, length) and slice the File or range-request the URL on demand).
//
// Protobuf stores `bytes` fields verbatim, so an encoded image or audio clip is a
// contiguous run of bytes inside its record's payload, and so inside the file:
// its file offset is the payload's file offset plus its offset in the payload.
// The decoder (data_compat) works on std::string copies, so where each string
// came from is found here, independently, by scanning the Event's wire format for
// the fields that can hold such blobs:
//   Event.summary(5).value(1).image(4).encoded_image_string(4)
//   Event.summary(5).value(1).audio(6).encoded_audio_string(4)
//   Event.summary(5).value(1).tensor(8).string_val(8)
// and a converted string is then matched to a span of the same length whose bytes
// are EQUAL (memcmp). Invariant this gives, whatever the wire data (merged
// duplicate fields, audio projection, one string filling a shape, malformed
// input): a BlobRef is only ever made for bytes that are exactly the string it
// replaces. A string that matches no span is simply kept in memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "series.h"

namespace tbview {

// Strings shorter than this stay in memory: a reference (and a later read of the
// source) would cost more than the bytes. Image width/height strings, labels and
// tiny blobs stay; real encoded images and clips go by reference.
constexpr size_t kMinBlobRefBytes = 256;

// Plugins whose string elements are encoded blobs (images, audio clips).
bool IsBlobPlugin(std::string_view plugin_name);

// A byte range [offset, offset + length) of a payload.
struct ByteSpan {
  size_t offset = 0;
  size_t length = 0;
};

// Replaces `*out` with the spans of the blob fields listed above that are at
// least `min_length` bytes long, in wire order. Never reads outside `payload`;
// on malformed wire data it stops and keeps the spans found so far.
void FindBlobSpans(std::string_view payload, size_t min_length, std::vector<ByteSpan>* out);

// For each string of `t` (a string tensor) of at least kMinBlobRefBytes that is
// byte-for-byte equal to some span of `payload`, records
// BlobRef{file, payload_offset + span.offset, length} in (*refs)[i] and releases
// the string's memory (it becomes empty). `refs` is resized to t->strings.size()
// when some string was replaced, and left empty otherwise (then nothing changed).
// Returns the number of strings replaced.
size_t ReferenceBlobs(std::string_view payload, const std::vector<ByteSpan>& spans, int file,
                      uint64_t payload_offset, Tensor* t, std::vector<BlobRef>* refs);

}  // namespace tbview
