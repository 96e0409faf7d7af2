import type { JsonValue, RunDetail } from '../../../../shared/contract';
import { DataTree } from '../common/DataTree';

type Dict = { [key: string]: JsonValue };

function asDict(value: JsonValue | undefined): Dict | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

function text(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** nvidia-smi reports MiB; show GiB above 1 GiB. */
function memory(value: JsonValue | undefined): string {
  if (typeof value !== 'number') return text(value) ?? '—';
  return value >= 1024 ? `${(value / 1024).toFixed(1)} GiB` : `${value} MiB`;
}

/** The machine the run ran on: name, OS, Python, CPU, GPUs, then everything else. */
export function HostTab({ run }: { run: RunDetail }) {
  const host = run.hostInfo;
  if (Object.keys(host).length === 0) {
    return <p className="muted">No host information was recorded.</p>;
  }
  const os = Array.isArray(host.os)
    ? host.os.map((part) => text(part) ?? '').join(' · ')
    : text(host.os);
  const gpuInfo = asDict(host.gpus);
  const gpus = Array.isArray(gpuInfo?.gpus) ? gpuInfo.gpus.map(asDict) : null;
  const { hostname: _h, os: _o, python_version: _p, cpu: _c, gpus: _g, ...rest } = host;
  return (
    <div className="host-tab stack" data-testid="host">
      <dl className="facts">
        <dt>Host name</dt>
        <dd>{text(host.hostname) ?? '—'}</dd>
        <dt>Operating system</dt>
        <dd>{os ?? '—'}</dd>
        <dt>Python</dt>
        <dd>{text(host.python_version) ?? '—'}</dd>
        <dt>CPU</dt>
        <dd>{text(host.cpu) ?? <span className="muted">not recorded</span>}</dd>
      </dl>
      <h3>GPUs</h3>
      {gpuInfo === null ? (
        <p className="muted">
          No GPU was reported (Sacred records GPUs only where nvidia-smi runs).
        </p>
      ) : gpus === null || gpus.length === 0 ? (
        <p className="muted">nvidia-smi reported no GPU.</p>
      ) : (
        <>
          <table className="data-table" data-testid="gpus">
            <thead>
              <tr>
                <th>#</th>
                <th>Model</th>
                <th>Memory</th>
                <th>Persistence mode</th>
              </tr>
            </thead>
            <tbody>
              {gpus.map((gpu, index) => (
                <tr key={index}>
                  <td className="numeric">{index}</td>
                  <td>{text(gpu?.model) ?? '—'}</td>
                  <td className="numeric">{memory(gpu?.total_memory)}</td>
                  <td>{text(gpu?.persistence_mode) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {text(gpuInfo.driver_version) !== null && (
            <p className="muted">Driver {text(gpuInfo.driver_version)}</p>
          )}
        </>
      )}
      {Object.keys(rest).length > 0 && (
        <>
          <h3>Environment and other host facts</h3>
          <DataTree data={rest} openDepth={1} />
        </>
      )}
    </div>
  );
}
