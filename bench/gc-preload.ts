/**
 * Preloaded into the server by the bench (`node --expose-gc --import`): SIGUSR2 runs a full
 * garbage collection, so that memory read afterwards is what is still referenced, not garbage
 * V8 has not got round to. Bench instrumentation only; `vpdn serve` itself never collects.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
});
