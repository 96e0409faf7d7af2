import { config } from 'zod';

// zod probes `new Function` before its first parse to choose compiled parsers. Our CSP has no
// 'unsafe-eval', so the probe fails anyway, but it also reports a CSP violation on every start.
config({ jitless: true });
