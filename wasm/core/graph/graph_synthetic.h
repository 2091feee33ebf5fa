// A generated transformer-like GraphDef for tests and benchmarks of the Graphs
// view at scale (issue: "50,000 nodes, 48 blocks of about 1,000 ops").
//
// Layout (names as TensorFlow scopes them):
//   inputs/{tokens,mask}, embedding/{table,lookup,pos,add}, global_step,
//   block_<i>/ for i < blocks, each with
//     attention/{query,key,value,output}/{kernel,bias,MatMul,BiasAdd,Reshape,Identity},
//     norm_1/ and norm_2/ {mean,variance,sub,rsqrt}, mlp/ (12 ops), and
//     `block_ops` ops directly in the block ("mul_7", "relu_9", ...: six ops in
//     turn, so no five consecutive numbers share an op and none form a series),
//   head/{kernel,logits}, loss/{xent,mean}, summaries/{loss,lr,merged}.
// Each block's direct ops are a chain with a skip edge every 7th op; blocks chain
// through their mlp/identity; global_step feeds each block's first direct op (a
// high-degree node the hierarchy sets aside); every node has _output_shapes.
// With the defaults a block holds 1,040 ops and its group 1,000 children.
#pragma once
#include <cstdint>
#include <string>

namespace tbview {

struct SyntheticGraphOptions {
  int blocks = 48;
  int block_ops = 996;
};

// The serialized GraphDef.
std::string SyntheticTransformerGraphDef(const SyntheticGraphOptions& options = SyntheticGraphOptions());

// How many nodes SyntheticTransformerGraphDef(options) has.
uint64_t SyntheticNodeCount(const SyntheticGraphOptions& options = SyntheticGraphOptions());

}  // namespace tbview
