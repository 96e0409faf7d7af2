/** Byte units (kept out of shared/contract.ts so that code without zod can use them). */
export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
