// The JavaScript API of the wasm module (bindings.cc), as the worker and the
// Node tests use it. Hand-written: keep it in step with the value_object shapes
// and the class_ functions declared at the end of bindings.cc.
//
// Every answer is a plain value (copied out of the wasm heap): typed arrays for
// bulk columns, plain objects and arrays otherwise. Only Engine and RefDump
// instances are live wasm objects; call delete() when done with one.
// Strings handed in are encoded with TextEncoder (a lone surrogate becomes
// U+FFFD); strings handed out are valid UTF-8 decoded (names were repaired when
// they were read, so a name given out finds its series as is).

/** What files() says of one file. */
export interface FileRow {
  id: number;
  path: string;
  run: string;
  bytes: number;
  records: number;
  badCrc: number;
  badEvents: number;
  status: FileStatus;
  /** The whole sentence, naming the file; '' when there is nothing to say. */
  message: string;
  /** What to show after the status word: the message without the path and the status' own words. */
  detail: string;
  fileVersion: string;
  writer: string;
  firstWallTime: number;
}

export type FileStatus =
  | 'loading' | 'ok' | 'waiting' | 'not_event_file' | 'corrupt' | 'limit' | 'cancelled' | 'read_error';

/** The statuses a caller may set (setFileStatus). */
export type SettableFileStatus = 'cancelled' | 'read_error' | 'corrupt' | 'limit';

export interface TagRow {
  run: string;
  tag: string;
  plugin: string;
  dataClass: number;
  displayName: string;
  description: string;
  points: number;
  firstStep: number;
  lastStep: number;
  firstWallTime: number;
  lastWallTime: number;
  isScalar: boolean;
}

/**
 * A scalars query; every field is optional. The engine validates and clamps:
 * xAxis 'step' (default) | 'relative' | 'wall' (else a TypeError); x0/x1 null,
 * NaN or infinite = unbounded; width rounded and clamped to [1, 1e6] (default
 * 1000); smoothing clamped to [0, 0.999] (default 0). A field that is present
 * but not a number is a TypeError.
 */
export interface ScalarsQuery {
  xAxis?: 'step' | 'relative' | 'wall' | null;
  x0?: number | null;
  x1?: number | null;
  width?: number | null;
  smoothing?: number | null;
}

export interface ScalarsAnswer {
  x: Float64Array;
  step: Float64Array;
  wallTime: Float64Array;
  value: Float64Array;
  smoothed: Float64Array;
  /** Points whose x lies in the range. */
  total: number;
  yMin: number;
  yMax: number;
  p05: number;
  p95: number;
}

export interface ScalarsFullAnswer {
  step: Float64Array;
  wallTime: Float64Array;
  value: Float64Array;
}

export interface TensorStepsAnswer {
  step: Float64Array;
  wallTime: Float64Array;
  /** Items per point: images of an image tensor, clips of an audio tensor, else 1. */
  count: Uint32Array;
}

/** A string element kept by reference: bytes [offset, offset + length) of file fileId's source. */
export interface BlobRef {
  fileId: number;
  offset: number;
  length: number;
}

export interface TensorAnswer {
  step: number;
  wallTime: number;
  dtype: string;
  shape: number[];
  /** Numeric tensors; null for string tensors. */
  numbers: Float64Array | null;
  /** String tensors (null where refs[i] stands for the element); null for numeric ones. */
  strings: (Uint8Array | null)[] | null;
  /** Null when every string is in `strings`; else parallel to it. */
  refs: (BlobRef | null)[] | null;
}

export interface TensorsAnswer {
  step: Float64Array;
  wallTime: Float64Array;
  shapes: number[][];
  /** Every point's numbers, concatenated. */
  numbers: Float64Array;
  /** n + 1 starts into `numbers`. */
  offsets: Uint32Array;
}

export interface DistributionsAnswer {
  step: Float64Array;
  wallTime: Float64Array;
  /** Nine values per step (at distributionBasisPoints()), step after step. */
  basisPoints: Float64Array;
}

/** One PR curve, TensorBoard's TP + FP == 0 tail trimmed. */
export interface PrCurve {
  step: number;
  wallTime: number;
  thresholds: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  tn: Float64Array;
  fn: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
}

/** How the text dashboard shows one tensor (the Markdown is rendered by the page). */
export interface TextView {
  rank: number;
  shape: number[];
  kind: 'markdown' | 'table';
  /** Rank 0: the string. */
  markdown: string;
  /** Rank >= 1: rows of Markdown cells (above rank 2, the first 2-D slice). */
  rows: string[][];
  /** Non-empty above rank 2: TensorBoard's notice that only a 2-D slice is shown. */
  warning: string;
}

export type HparamValue = number | boolean | string | null;

export interface HparamInfo {
  name: string;
  displayName: string;
  description: string;
  type: 'unset' | 'string' | 'bool' | 'float64';
  differs: boolean;
  domain: { values: HparamValue[] } | { min: number; max: number } | null;
}

export interface MetricInfo {
  group: string;
  tag: string;
  key: string;
  displayName: string;
  description: string;
  datasetType: 'unknown' | 'training' | 'validation';
}

export interface MetricValue {
  run: string;
  last: number;
  min: number;
  max: number;
  step: number;
  count: number;
}

export interface HparamsSession {
  run: string;
  groupName: string;
  hparams: Record<string, HparamValue>;
  status: 'unknown' | 'success' | 'failure' | 'running';
  startTime: number;
  endTime: number | null;
  /** Keyed by MetricInfo.key; a metric the session has no series of is absent. */
  metrics: Record<string, MetricValue>;
}

export interface Hparams {
  experiment: {
    inferred: boolean;
    name: string;
    description: string;
    hparamInfos: HparamInfo[];
    metricInfos: MetricInfo[];
  } | null;
  sessions: HparamsSession[];
  errors: string[];
}

export interface CustomScalarChart {
  title: string;
  multiline: { tags: string[] } | null;
  margin: { series: { value: string; lower: string; upper: string }[] } | null;
}

export interface CustomScalarCategory {
  title: string;
  closed: boolean;
  charts: CustomScalarChart[];
}

export interface EngineStats {
  retainedBytes: number;
  points: number;
  blobsHeld: number;
  blobBytesHeld: number;
  blobsByReference: number;
  blobBytesByReference: number;
}

/** Everything open in one worker. Unknown file ids throw a RangeError; non-string names a TypeError. */
export declare class Engine {
  constructor();
  openFile(path: string): number;
  push(id: number, bytes: Uint8Array | ArrayBuffer | ArrayBufferView): void;
  endOfData(id: number): void;
  /** A failure seen outside the engine, in the caller's words: status 'corrupt', message as given. */
  failFile(id: number, message: string): void;
  /** Ends a file with a status only the caller sees happen; `detail` says how far it got. */
  setFileStatus(id: number, status: SettableFileStatus, detail: string): void;
  files(): FileRow[];
  runs(): string[];
  tags(): TagRow[];
  scalars(run: string, tag: string, query?: ScalarsQuery | null): ScalarsAnswer | null;
  scalarsFull(run: string, tag: string): ScalarsFullAnswer | null;
  tensorSteps(run: string, tag: string): TensorStepsAnswer | null;
  tensor(run: string, tag: string, index: number): TensorAnswer | null;
  tensors(run: string, tag: string): TensorsAnswer | null;
  /** A held element as a copy, or where to read one kept by reference. */
  blob(run: string, tag: string, index: number, element: number): Uint8Array | BlobRef | null;
  hparams(): Hparams;
  customScalars(): CustomScalarCategory[];
  distributions(run: string, tag: string): DistributionsAnswer | null;
  prCurves(run: string, tag: string): PrCurve[] | null;
  text(run: string, tag: string, index: number): TextView | null;
  stats(): EngineStats;
  /** Releases spare capacity: call when loading has settled. */
  shrink(): void;
  delete(): void;
}

/** One file's bytes to the tb-reference-1 JSON TensorBoard's reader would give. */
export declare class RefDump {
  constructor(label: string);
  push(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): void;
  finish(): string;
  delete(): void;
}

export interface TbviewModule {
  Engine: typeof Engine;
  RefDump: typeof RefDump;
  /** TensorBoard's NORMAL_HISTOGRAM_BPS: [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000]. */
  distributionBasisPoints(): number[];
}

/** The MODULARIZE factory (createTbviewModule). */
export default function createTbviewModule(options?: object): Promise<TbviewModule> | TbviewModule & { ready: Promise<TbviewModule> };
