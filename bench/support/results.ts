/** Machine info and the results file every benchmark writes: bench/results/<name>-<date>.json. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function machineInfo() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function writeResults(name: string, results: Record<string, unknown>): string {
  const date = new Date().toISOString();
  const dir = path.resolve(import.meta.dirname, '../results');
  mkdirSync(dir, { recursive: true });
  // A second run on the same day goes beside the first (-2, -3, …): earlier figures stay as they were quoted.
  let file = path.join(dir, `${name}-${date.slice(0, 10)}.json`);
  for (let n = 2; existsSync(file); n++)
    file = path.join(dir, `${name}-${date.slice(0, 10)}-${n}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, date, machine: machineInfo(), ...results }, null, 2)}\n`,
  );
  return file;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
