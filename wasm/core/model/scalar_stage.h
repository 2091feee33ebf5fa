// Scalar staging: scalar points on their way into a tag's ScalarSeries.
// Internal to the logdir modules.
//
// Points go first into a small per-tag buffer (a Stage) and reach the tag's
// ScalarSeries in batches of kStagePoints, so the series (several cache lines of
// vector headers and array tails) is touched once per batch rather than once per
// point.
//
// Invariants:
// - Every scalar append goes through the stage, so a tag's points keep their
//   order and the restart rule applies in ScalarSeries::Append as it would
//   without staging.
// - The Logdir flushes every stage before each public entry point (Push,
//   EndOfData) returns, so a query never sees a staged point missing.
// - *total_points counts staged points as stored; a flush subtracts the points
//   the restart rule dropped, so after FlushAll it is exact.
// - At most kMaxStages stages are in use (then all are flushed), so the memory is
//   bounded however many tags one push touches. Free stages are pooled.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "tag_index.h"

namespace tbview {
namespace logdir_internal {

// Points side by side (not three arrays), so one event writes one cache line.
constexpr uint32_t kStagePoints = 32;
struct StagedPoint {
  int64_t step;
  double wall_time;
  double value;
};
struct Stage {
  StagedPoint points[kStagePoints];
};

class ScalarStager {
 public:
  static constexpr size_t kMaxStages = 4096;

  // `total_points` is the Logdir's count of stored points (see the invariants).
  explicit ScalarStager(uint64_t* total_points) : total_points_(total_points) {}
  ~ScalarStager() { FlushAll(); }  // returns every stage to the pool
  ScalarStager(const ScalarStager&) = delete;
  ScalarStager& operator=(const ScalarStager&) = delete;

  // Stages one point of scalar tag `t`.
  __attribute__((always_inline)) inline void Append(TagState* t, int64_t step, double wall_time,
                                                    double value) {
    if (__builtin_expect(t->stage == nullptr, 0)) {
      TakeStage(t);
    } else if (__builtin_expect(t->staged == kStagePoints, 0)) {
      FlushTag(t);
    }
    StagedPoint& p = t->stage->points[t->staged++];
    p.step = step;
    p.wall_time = wall_time;
    p.value = value;
    ++*total_points_;
  }

  // Moves every staged point into its series and returns the stages to the pool.
  void FlushAll();
  // Frees the pooled stages (FlushAll first, or stages in use are kept).
  void ReleasePool() { pool_.clear(); }

 private:
  void FlushTag(TagState* t);
  // Gives `t` a stage from the pool (the rare part of Append).
  void TakeStage(TagState* t);

  uint64_t* total_points_;
  std::vector<std::unique_ptr<Stage>> pool_;  // free stages
  std::vector<TagState*> staged_tags_;        // tags holding a stage
};

}  // namespace logdir_internal
}  // namespace tbview
