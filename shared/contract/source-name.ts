import { z } from 'zod';

/**
 * A source's name as every method takes it. In a file of its own so that the contract slices
 * (shared/contract/*-methods.ts) share it without importing shared/contract.ts, which imports
 * them: that cycle would leave its schemas undefined while a slice is evaluated.
 */
export const SourceNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\w.-]+$/u, 'may contain only letters, digits, "_", "-" and "."');
