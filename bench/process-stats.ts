import { readFileSync } from 'node:fs';

/** Peak resident memory of this process in MB (Linux VmHWM; maxRSS elsewhere). */
export function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kb) {
      return Number(kb) / 1024;
    }
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
