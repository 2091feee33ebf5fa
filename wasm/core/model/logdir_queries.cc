// The Logdir's queries: runs, tags, series and the figures of what is held.
// Each reads the tag index as the last public call (which flushed every stage,
// see scalar_stage.h) left it.
#include <algorithm>

#include "blob_refs.h"
#include "logdir_impl.h"

namespace tbview {

using logdir_internal::RunState;
using logdir_internal::TagState;

const TagState* Logdir::Impl::FindTag(std::string_view run, std::string_view tag) const {
  auto it = runs.find(std::string(run));
  if (it == runs.end()) return nullptr;
  auto t = it->second->tags.find(tag);
  return t == it->second->tags.end() ? nullptr : t->second;
}

std::vector<std::string> Logdir::Runs() const {
  std::vector<std::string> out;
  out.reserve(impl_->runs.size());
  for (const auto& r : impl_->runs) out.push_back(r.first);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<TagInfo> Logdir::Tags() const {
  std::vector<TagInfo> out;
  for (const auto& rp : impl_->runs) {
    const RunState& r = *rp.second;
    for (const auto& tp : r.tag_list) {
      const TagState& t = *tp;
      TagInfo info;
      info.run = r.name;
      info.tag = t.name;
      info.metadata = t.metadata;
      info.is_scalar = t.is_scalar;
      if (t.is_scalar) {
        const ScalarSeries& s = t.scalars;
        info.points = s.size();
        if (s.size()) {
          info.first_step = s.step(0);
          info.last_step = s.step(s.size() - 1);
          info.first_wall_time = s.wall_time(0);
          info.last_wall_time = s.wall_time(s.size() - 1);
        }
      } else {
        const auto& pts = t.tensors->points();
        info.points = pts.size();
        if (!pts.empty()) {
          info.first_step = pts.front().step;
          info.last_step = pts.back().step;
          info.first_wall_time = pts.front().wall_time;
          info.last_wall_time = pts.back().wall_time;
        }
      }
      out.push_back(std::move(info));
    }
  }
  std::sort(out.begin(), out.end(), [](const TagInfo& a, const TagInfo& b) {
    return a.run != b.run ? a.run < b.run : a.tag < b.tag;
  });
  return out;
}

const TagMetadata* Logdir::Metadata(std::string_view run, std::string_view tag) const {
  const TagState* t = impl_->FindTag(run, tag);
  return t ? &t->metadata : nullptr;
}

const ScalarSeries* Logdir::Scalars(std::string_view run, std::string_view tag) const {
  const TagState* t = impl_->FindTag(run, tag);
  return t && t->is_scalar ? &t->scalars : nullptr;
}

const TensorSeries* Logdir::Tensors(std::string_view run, std::string_view tag) const {
  const TagState* t = impl_->FindTag(run, tag);
  return t && !t->is_scalar ? t->tensors.get() : nullptr;
}

const std::vector<RunEvent>* Logdir::RunEvents(std::string_view run) const {
  auto it = impl_->runs.find(std::string(run));
  return it == impl_->runs.end() ? nullptr : &it->second->events;
}

uint64_t Logdir::RetainedBytes() const {
  uint64_t total = 0;
  for (const auto& rp : impl_->runs) {
    for (const auto& tp : rp.second->tag_list) {
      total += tp->is_scalar ? tp->scalars.RetainedBytes() : tp->tensors->RetainedBytes();
    }
  }
  return total;
}

uint64_t Logdir::TotalPoints() const { return impl_->total_points; }

BlobStats Logdir::Blobs() const {
  BlobStats stats;
  for (const auto& rp : impl_->runs) {
    for (const auto& tp : rp.second->tag_list) {
      if (tp->is_scalar || !IsBlobPlugin(tp->metadata.plugin_name)) continue;
      tp->tensors->AddBlobStats(kMinBlobRefBytes, &stats);
    }
  }
  return stats;
}

void Logdir::Shrink() {
  impl_->stager.ReleasePool();
  for (const auto& rp : impl_->runs) {
    for (const auto& tp : rp.second->tag_list) {
      if (tp->is_scalar) tp->scalars.Shrink();
    }
  }
}

}  // namespace tbview
