// What worker.js uses of a classic worker's global scope that the DOM library
// (tsconfig.json's "lib") does not declare. Types only; nothing is emitted.

declare function importScripts(...urls: string[]): void;
declare var WorkerGlobalScope: { new (): object; prototype: object };

interface Window {
  /** Defined by the single-file Emscripten engine script (importScripts). */
  createTbviewModule?: () => Promise<import('./worker.js').EngineModule>;
}
