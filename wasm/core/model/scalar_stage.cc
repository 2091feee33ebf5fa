#include "scalar_stage.h"

namespace tbview {
namespace logdir_internal {

__attribute__((noinline)) void ScalarStager::FlushTag(TagState* t) {
  ScalarSeries& s = t->scalars;
  const Stage& st = *t->stage;
  const uint32_t n = t->staged;
  s.PrefetchTail();
  uint64_t dropped = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const StagedPoint& p = st.points[i];
    dropped += s.Append(p.step, p.wall_time, p.value);
  }
  // total_points already counts the staged points; correct it for restarts.
  *total_points_ -= dropped;
  t->staged = 0;
}

void ScalarStager::FlushAll() {
  for (TagState* t : staged_tags_) {
    FlushTag(t);
    pool_.emplace_back(t->stage);
    t->stage = nullptr;
  }
  staged_tags_.clear();
}

__attribute__((noinline)) void ScalarStager::TakeStage(TagState* t) {
  if (staged_tags_.size() >= kMaxStages) FlushAll();
  if (pool_.empty()) pool_.emplace_back(new Stage);
  t->stage = pool_.back().release();
  pool_.pop_back();
  staged_tags_.push_back(t);
}

}  // namespace logdir_internal
}  // namespace tbview
