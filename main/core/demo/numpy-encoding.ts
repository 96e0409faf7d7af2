import { deflateSync } from 'node:zlib';
import { PyFloat } from './python-json';
import type { PyValue } from './python-json';

/** jsonpickle's numpy handler (Sacred 0.8.1+) for an array of up to 16 elements. */
export function smallNdarray(dtype: 'float64' | 'int64', values: number[]): PyValue {
  return {
    dtype,
    'py/object': 'numpy.ndarray',
    values: values.map((v) => (dtype === 'float64' ? new PyFloat(v) : Math.trunc(v))),
  };
}

/** More than 16 elements: the raw little-endian buffer, zlib-compressed, as py/b64. */
export function largeNdarray(values: Float64Array): PyValue {
  const raw = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return {
    byteorder: '<',
    dtype: 'float64',
    'py/object': 'numpy.ndarray',
    shape: { 'py/tuple': [values.length] },
    values: { 'py/b64': deflateSync(raw).toString('base64') },
  };
}

/** A numpy scalar inside info or result. */
export function numpyScalar(value: number): PyValue {
  return { dtype: 'float64', 'py/object': 'numpy.float64', value: new PyFloat(value) };
}
