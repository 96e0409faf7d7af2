import type { PyValue } from './python-json';
import type { SeededRandom } from './seeded-random';

const machines = [
  {
    hostname: 'gpu-node-01',
    cpu: 'AMD EPYC 7742 64-Core Processor',
    gpu: 'NVIDIA A100-SXM4-40GB',
    memory: 40960,
  },
  {
    hostname: 'gpu-node-02',
    cpu: 'AMD EPYC 7742 64-Core Processor',
    gpu: 'NVIDIA A100-SXM4-40GB',
    memory: 40960,
  },
  {
    hostname: 'ws-alice',
    cpu: 'Intel(R) Core(TM) i9-10900K CPU @ 3.70GHz',
    gpu: 'NVIDIA GeForce RTX 3090',
    memory: 24576,
  },
  {
    hostname: 'cluster-a17',
    cpu: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
    gpu: 'Tesla V100-SXM2-32GB',
    memory: 32768,
  },
  { hostname: 'laptop-bob', cpu: 'Apple M2', gpu: null, memory: 0 },
] as const;

/** Sacred's host block (`host_info.py`): gpus only when nvidia-smi answered, ENV usually empty. */
export function generateHost(rng: SeededRandom): { [key: string]: PyValue } {
  const machine = rng.pick(machines);
  const host: { [key: string]: PyValue } = {
    ENV: rng.chance(0.9) ? {} : { CUDA_VISIBLE_DEVICES: String(rng.int(0, 3)) },
    cpu: rng.chance(0.97) ? machine.cpu : null,
    hostname: machine.hostname,
    os:
      machine.hostname === 'laptop-bob'
        ? ['Darwin', 'macOS-14.3-arm64-arm-64bit']
        : ['Linux', `Linux-5.15.0-${rng.int(70, 105)}-generic-x86_64-with-glibc2.35`],
    python_version: rng.pick(['3.10.12', '3.11.8', '3.9.18']),
  };
  if (machine.gpu !== null && rng.chance(0.6)) {
    const count = rng.pick([1, 1, 2, 4]);
    host.gpus = {
      driver_version: '535.129.03',
      gpus: Array.from({ length: count }, () => ({
        model: machine.gpu,
        persistence_mode: rng.chance(0.3),
        total_memory: machine.memory,
      })),
    };
  }
  return host;
}
