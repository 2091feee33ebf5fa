// The tag index of a Logdir: the runs, and per run its tags and what each tag
// stores. Internal to the logdir modules (not part of the Logdir API).
//
// Invariants:
// - A RunState owns its TagStates (tag_list, stable addresses); `tags` maps each
//   tag's name to it, keyed by a view of TagState::name, which is never modified.
// - A tag's storage is decided once, by its first value (the metadata-first
//   rule): `scalars` when is_scalar, else `tensors` (never both).
// - Lookup is the hot path of a log of scalars: writers emit a step's tags in the
//   same order every step, so "the tag that followed the previous tag last time"
//   (next_hint of RunState::last) is right almost always: one length check and
//   one compare of the name's head, in the tag's first cache line. A miss falls
//   back to the hash map and teaches the hint.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data_compat.h"
#include "series.h"

namespace tbview {
namespace logdir_internal {

struct Stage;  // scalar_stage.h

// One (run, tag). The fields the per-event path touches come first and fit one
// cache line (with the name's characters when they fit std::string's inline
// buffer): with ~100 tags interleaved, what each event costs is mostly how many
// cache lines of its tag it touches (this one, and its stage's current line).
constexpr size_t kNameHead = 32;
struct alignas(64) TagState {
  // Hot: exactly one cache line.
  // The tag that came after this one the last time (same run): the prediction.
  TagState* next_hint = nullptr;
  Stage* stage = nullptr;  // staged points not yet in `scalars` (scalar_stage.h)
  uint32_t staged = 0;
  uint32_t name_size = 0;
  bool is_scalar = false;
  char name_head[kNameHead] = {};  // the name's first bytes, to compare in this line
  // Cold.
  std::string name;  // the key of RunState::tags views this string: never modified
  TagMetadata metadata;
  bool has_metadata = false;
  ScalarSeries scalars;                   // when is_scalar
  std::unique_ptr<TensorSeries> tensors;  // otherwise
};

// One run: its tags and its run-level events (session logs, graphs, messages).
struct RunState {
  std::string name;
  std::vector<std::unique_ptr<TagState>> tag_list;  // stable addresses, in creation order
  std::unordered_map<std::string_view, TagState*> tags;
  std::vector<RunEvent> events;
  TagState* last = nullptr;  // the tag most recently looked up
};

inline uint64_t Load8(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
inline uint32_t Load4(const char* p) {
  uint32_t x;
  std::memcpy(&x, p, 4);
  return x;
}

__attribute__((always_inline)) inline bool SameBytes(const char* a, const char* b, size_t n) {
  // Tags are short: compare 8 bytes at a time without a library call, the last
  // word overlapping the one before (so a 15-byte tag is two compares).
  if (n >= 8) {
    const size_t last = n - 8;
    for (size_t i = 0; i < last; i += 8) {
      if (Load8(a + i) != Load8(b + i)) return false;
    }
    return Load8(a + last) == Load8(b + last);
  }
  if (n >= 4) return Load4(a) == Load4(b) && Load4(a + n - 4) == Load4(b + n - 4);
  while (n--) {
    if (*a++ != *b++) return false;
  }
  return true;
}

// Whether `t` is named `tag` (sizes already equal): the head in the hot line
// first, the rest (names over kNameHead bytes) from the string.
__attribute__((always_inline)) inline bool NameIs(const TagState& t, std::string_view tag) {
  const size_t n = tag.size();
  if (n <= kNameHead) return SameBytes(t.name_head, tag.data(), n);
  return SameBytes(t.name_head, tag.data(), kNameHead) &&
         SameBytes(t.name.data() + kNameHead, tag.data() + kNameHead, n - kNameHead);
}

// The prediction missed: the hash map, and the hint learns the answer.
TagState* LookupByName(RunState* r, std::string_view tag);

// Finds a tag of run `r` (nullptr when it has none of that name), predicting it
// from the previous lookup first.
__attribute__((always_inline)) inline TagState* Lookup(RunState* r, std::string_view tag) {
  TagState* last = r->last;
  if (__builtin_expect(last != nullptr, 1)) {
    TagState* h = last->next_hint;
    if (__builtin_expect(h && h->name_size == tag.size() && NameIs(*h, tag), 1)) {
      r->last = h;
      return h;
    }
  }
  return LookupByName(r, tag);
}

// Whether a converted value is one number (what a ScalarSeries stores).
bool IsScalarTensor(const Tensor& t);

// Adds the tag of value `v` (whose name is not yet in `r`) to
// run `r`, deciding its storage from `v` (metadata-first), and makes it the
// prediction's latest answer.
TagState* AddTag(RunState* r, const CompatValue& v);

}  // namespace logdir_internal
}  // namespace tbview
