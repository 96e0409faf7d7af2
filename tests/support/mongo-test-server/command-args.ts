// Small readers for command fields, failing with mongod-like TypeMismatch errors.
import type { Document } from 'bson';
import { CommandError } from './command-error';
import { isPlainObject } from './field-path';

export function collectionName(command: Document, field: string): string {
  const value: unknown = command[field];
  if (typeof value !== 'string' || value === '') {
    throw new CommandError(
      'InvalidNamespace',
      `collection name has invalid type ${typeof value === 'string' ? 'empty string' : typeof value}`,
    );
  }
  return value;
}

export function optionalDocument(command: Document, field: string): Document | undefined {
  const value: unknown = command[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw new CommandError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type, expected object`,
    );
  }
  return value;
}

export function optionalNumber(command: Document, field: string): number | undefined {
  const value: unknown = command[field];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'object' ? Number(String(value)) : Number(value);
  if (!Number.isFinite(number)) {
    throw new CommandError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type, expected a number`,
    );
  }
  return Math.trunc(number);
}

export function documentArray(command: Document, field: string): Document[] {
  const value: unknown = command[field];
  if (!Array.isArray(value) || !value.every(isPlainObject)) {
    throw new CommandError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type, expected array`,
    );
  }
  return value;
}
