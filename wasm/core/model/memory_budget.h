// Accounting for Limits::max_memory_bytes. Internal to the logdir modules.
//
// What is counted: scalar series exactly (ScalarSeries::RetainedBytes is O(1)
// per tag); tensor points as they are added (restarts' drops are not
// subtracted: an upper bound); run events by their text and slots.
//
// When: the check scans every tag, so it runs every `check_every` records (at
// least twice the number of tags and runs, so it costs at most about one tag per
// record), and at once when large tensors arrived. So the budget can be passed by
// at most one interval's worth of points (or max_memory_bytes / 16 of tensors).
// Once over, Due() stays true: every file stops at its next record.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "tag_index.h"

namespace tbview {
namespace logdir_internal {

class MemoryBudget {
 public:
  explicit MemoryBudget(uint64_t max_bytes) : max_bytes_(max_bytes) {}

  // Counts one record; true when a check is due.
  __attribute__((always_inline)) bool CountRecord() { return ++records_since_check_ >= check_every_; }

  // Counts the bytes of a tensor point about to be stored.
  void NoteTensor(const Tensor& t);

  // Measures what all series of `runs` hold and schedules the next check
  // (`tags` is the number of tags over all runs). True when over the limit.
  bool CheckOver(const std::unordered_map<std::string, std::unique_ptr<RunState>>& runs, uint64_t tags);

 private:
  uint64_t HeldBytes(const std::unordered_map<std::string, std::unique_ptr<RunState>>& runs);

  uint64_t max_bytes_;
  uint64_t records_since_check_ = 0;
  uint64_t check_every_ = 4096;
  uint64_t tensor_bytes_ = 0;
  uint64_t tensor_bytes_since_check_ = 0;
  uint64_t event_text_bytes_ = 0;
  std::unordered_map<const RunState*, size_t> events_counted_;  // run events already in event_text_bytes_
};

}  // namespace logdir_internal
}  // namespace tbview
