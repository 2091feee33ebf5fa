#include "tag_index.h"

#include <algorithm>

namespace tbview {
namespace logdir_internal {

__attribute__((noinline)) TagState* LookupByName(RunState* r, std::string_view tag) {
  TagState* last = r->last;
  auto it = r->tags.find(tag);
  if (it == r->tags.end()) return nullptr;
  if (last) last->next_hint = it->second;
  r->last = it->second;
  return it->second;
}

bool IsScalarTensor(const Tensor& t) {
  return !t.is_string() && t.dtype != kDtComplex64 && t.dtype != kDtComplex128 && t.numbers.size() == 1;
}

TagState* AddTag(RunState* r, const CompatValue& v) {
  auto t = std::make_unique<TagState>();
  t->name = v.tag;
  t->name_size = static_cast<uint32_t>(v.tag.size());
  std::memcpy(t->name_head, v.tag.data(), std::min(v.tag.size(), kNameHead));
  // Metadata-first: this first value decides the plugin and so the storage.
  t->has_metadata = v.has_metadata;
  if (v.has_metadata) t->metadata = v.metadata;
  t->is_scalar = v.has_metadata && v.metadata.plugin_name == "scalars" && IsScalarTensor(v.tensor);
  if (!t->is_scalar) t->tensors = std::make_unique<TensorSeries>();
  TagState* p = t.get();
  r->tag_list.push_back(std::move(t));
  r->tags.emplace(std::string_view(p->name), p);
  if (r->last) r->last->next_hint = p;
  r->last = p;
  return p;
}

}  // namespace logdir_internal
}  // namespace tbview
