// run.json's omniboard member set in place (issue 15): whatever else the file holds stays byte
// for byte as Sacred (or a person) wrote it.
import { describe, expect, it } from 'vitest';
import { setTopLevelMember } from '../../main/core/writes/run-json-omniboard';

describe('setTopLevelMember', () => {
  it("appends the member after the last one, indented as Sacred's indent=2", () => {
    const text = '{\n  "result": NaN,\n  "status": "COMPLETED"\n}\n';
    expect(setTopLevelMember(text, 'omniboard', { tags: ['a'] })).toBe(
      '{\n  "result": NaN,\n  "status": "COMPLETED",\n  "omniboard": {\n    "tags": [\n' +
        '      "a"\n    ]\n  }\n}\n',
    );
  });

  it('replaces an existing member where it stands, nested values included', () => {
    const text =
      '{\n  "meta": {"a": [1, {"b": "}"}]},\n  "omniboard": {"tags": ["old"]},\n  "z": "\\"x\\""\n}';
    expect(setTopLevelMember(text, 'omniboard', { notes: '' })).toBe(
      '{\n  "meta": {"a": [1, {"b": "}"}]},\n  "omniboard": {\n    "notes": ""\n  },\n' +
        '  "z": "\\"x\\""\n}',
    );
  });

  it('keeps a one-line file on one line, and CRLF line ends', () => {
    expect(setTopLevelMember('{"status": "FAILED"}', 'omniboard', { tags: [] })).toBe(
      '{"status": "FAILED", "omniboard": {"tags":[]}}',
    );
    expect(setTopLevelMember('{\r\n  "a": 1\r\n}', 'omniboard', { notes: 'n' })).toBe(
      '{\r\n  "a": 1,\r\n  "omniboard": {\r\n    "notes": "n"\r\n  }\r\n}',
    );
  });

  it('fills an empty object, and refuses what is not an object', () => {
    expect(setTopLevelMember('{}', 'omniboard', { tags: ['x'] })).toBe(
      '{"omniboard": {"tags":["x"]}}',
    );
    expect(() => setTopLevelMember('[1]', 'omniboard', {})).toThrow(/object/u);
    expect(() => setTopLevelMember('{"a": [1, 2', 'omniboard', {})).toThrow(/truncated/u);
  });
});
